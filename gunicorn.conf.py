"""gunicorn settings for relcrm in production (Dockerfile, docker-compose.yml).

The access log goes to standard output through a logger that masks calendar-feed tokens.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
accesslog = "-"
logger_class = "relcrm.gunicorn_logging.RedactingLogger"
