# qbank: the API under gunicorn, migrating the database at start.
#   docker build -t qbank . && docker run -p 8000:8000 -v qbank-data:/data qbank
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    QBANK_PROJECT_ROOT=/app \
    QBANK_INSTANCE_DIR=/data \
    QBANK_BIND=0.0.0.0:8000 \
    WEB_CONCURRENCY=2 \
    PROMETHEUS_MULTIPROC_DIR=/tmp/qbank-metrics

WORKDIR /app

# Dependencies first, so that code changes do not reinstall them.
COPY pyproject.toml README.md ./
COPY app/__init__.py app/__init__.py
RUN pip install . && pip uninstall --yes qbank

COPY alembic.ini ./
COPY migrations ./migrations
COPY seeds ./seeds
COPY app ./app
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN pip install --no-deps . \
    && useradd --create-home --uid 10001 qbank \
    && mkdir -p /data && chown qbank:qbank /data \
    && chmod 0755 /usr/local/bin/docker-entrypoint.sh

USER qbank
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]

ENTRYPOINT ["docker-entrypoint.sh"]
