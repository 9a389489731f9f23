#!/bin/sh
# Migrate (replicas queue on a database lock), then hand the process over to gunicorn.
set -eu
mkdir -p "${PROMETHEUS_MULTIPROC_DIR:-/tmp/qbank-metrics}"
rm -f "${PROMETHEUS_MULTIPROC_DIR:-/tmp/qbank-metrics}"/*.db
qbank db upgrade
if [ "${QBANK_IMPORT_SEEDS:-0}" = "1" ]; then
  qbank import /app/seeds/*.txt
fi
qbank keys bootstrap
exec python -m gunicorn --config python:app.gunicorn_conf app.wsgi:app
