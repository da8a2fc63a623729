# relcrm for production: gunicorn serves the app, WhiteNoise the static files.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    RELCRM_VAR_DIR=/data/var

RUN groupadd --system --gid 1000 relcrm \
    && useradd --system --uid 1000 --gid relcrm --home-dir /app --shell /usr/sbin/nologin relcrm

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Build-time only values: collectstatic needs settings that load, nothing more.
RUN export DEBUG=false SECRET_KEY=build-time-only ALLOWED_HOSTS=localhost \
    && python manage.py collectstatic --noinput \
    && python manage.py compiletranslations \
    && mkdir -p /data/media /data/var \
    && chown -R relcrm:relcrm /data

USER relcrm
EXPOSE 8000
CMD ["gunicorn", "relcrm.wsgi", "--config", "gunicorn.conf.py"]
