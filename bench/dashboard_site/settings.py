"""relcrm's settings as bench/dashboard.py serves them: all the same (middleware included),
with one more page, a signed-in "hello" (bench/dashboard_site/urls.py) to measure against."""

from relcrm.settings import *  # noqa: F403 - relcrm's settings, all of them

ROOT_URLCONF = "bench.dashboard_site.urls"
