"""Settings for static analysis: mypy's Django plugin imports the settings to learn the
models, and needs no secrets for that, so it gets the development defaults."""

import os

os.environ.setdefault("DEBUG", "true")

from relcrm.settings import *  # noqa: F403
