"""WSGI entry point (gunicorn relcrm.wsgi, and runserver through WSGI_APPLICATION).

The database sessions of a web process get a statement and a lock timeout (relcrm.db).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relcrm.settings")

application = get_wsgi_application()

from relcrm.db import web_timeouts_apply  # noqa: E402  (needs the settings loaded)

web_timeouts_apply()
