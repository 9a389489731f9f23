"""Settings read from the environment, in one place, with a test variant beside them."""

from __future__ import annotations

import os
from pathlib import Path

# Where alembic.ini and migrations/ live: the checkout (or /app in the Docker image).
PROJECT_ROOT = Path(os.environ.get("QBANK_PROJECT_ROOT") or Path(__file__).resolve().parent.parent)
INSTANCE_DIR = Path(os.environ.get("QBANK_INSTANCE_DIR", PROJECT_ROOT / "instance"))


def default_database_url() -> str:
    """The embedded default: an SQLite file under instance/."""
    return f"sqlite:///{INSTANCE_DIR / 'qbank.sqlite3'}"


def database_url() -> str:
    """The database the app and Alembic use: DATABASE_URL, else the embedded SQLite file."""
    url = os.environ.get("DATABASE_URL") or default_database_url()
    # Heroku-style URLs and bare "postgresql://" mean psycopg 3 here.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    """Production and development settings."""

    # Whole request bodies (seed documents included) are capped here; Werkzeug answers 413.
    MAX_CONTENT_LENGTH = int(os.environ.get("QBANK_MAX_CONTENT_LENGTH", 4 * 1024 * 1024))
    SQL_ECHO = os.environ.get("QBANK_SQL_ECHO") == "1"
    # SQLite reads the database file through a memory map of up to this size (0: through its own
    # page cache): a fifth faster on an exam's scattered reads, and the pages are the OS's, shared by
    # every worker, not copied into each one.
    SQLITE_MMAP_MB = int(os.environ.get("QBANK_SQLITE_MMAP_MB", "256"))
    # A folder of per-topic lexicon files: <LEXICON_DIR>/<topic code>/antonyms.txt, ...
    LEXICON_DIR = os.environ.get("QBANK_LEXICON_DIR") or None
    # Whether exams may use variants no author has approved yet.
    EXAMS_USE_UNREVIEWED = os.environ.get("QBANK_EXAMS_USE_UNREVIEWED", "0") == "1"
    # Rate limits per API key (Flask-Limiter syntax): one budget per key across the API, and a
    # tighter one for exam generation. Counted in each process's memory (memory://: per gunicorn
    # worker) or shared through Redis (redis://host:6379/0); Redis down falls back to memory.
    RATE_LIMIT = os.environ.get("QBANK_RATE_LIMIT", "600 per minute")
    RATELIMIT_EXAMS = os.environ.get("QBANK_RATE_LIMIT_EXAMS", "120 per minute")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = os.environ.get("QBANK_RATE_LIMITS", "1") != "0"
    # Whether /metrics answers without a key (Prometheus scrapers usually have none).
    METRICS_PUBLIC = os.environ.get("QBANK_METRICS_PUBLIC", "1") != "0"
    LOG_LEVEL = os.environ.get("QBANK_LOG_LEVEL", "INFO")
    LOG_FORMAT = os.environ.get("QBANK_LOG_FORMAT", "json")
    # Bulk variant generation over a topic with more true assertions than this answers 202 with a
    # job to poll (GET /api/v1/jobs/{id}) instead of holding the request. The job runs on the RQ
    # queue "qbank" of QBANK_JOBS_REDIS_URL (`qbank worker` serves it), or, without it, in a thread
    # of the process that took the request (lost if that process stops).
    VARIANT_JOB_THRESHOLD = int(os.environ.get("QBANK_VARIANT_JOB_THRESHOLD", "3000"))
    JOBS_REDIS_URL = os.environ.get("QBANK_JOBS_REDIS_URL", "")
    # Attempts an item needs before its discrimination index and review flag are computed.
    STATS_MIN_ATTEMPTS = int(os.environ.get("QBANK_STATS_MIN_ATTEMPTS", "20"))

    # The author workbench (/author/): its sessions are kept on the server; SECRET_KEY signs the CSRF
    # tokens of its forms. Unset, each installation makes its own random key in the instance folder
    # (app/author/__init__.py); replicas on several machines must share one (QBANK_SECRET_KEY).
    SECRET_KEY = os.environ.get("QBANK_SECRET_KEY") or None
    AUTHOR_SESSION_HOURS = float(os.environ.get("QBANK_AUTHOR_SESSION_HOURS", "8"))
    # The session cookie is Secure on HTTPS requests; behind a proxy that ends TLS, set this to 1.
    AUTHOR_COOKIE_SECURE = os.environ.get("QBANK_AUTHOR_COOKIE_SECURE", "0") == "1"

    API_TITLE = "qbank"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/"
    OPENAPI_JSON_PATH = "openapi.json"
    # /docs (Swagger UI) and its assets are served by the app itself (app/api/docs.py): no CDN, works
    # offline, and no inline script, so that a Content-Security-Policy can forbid them.
    OPENAPI_SWAGGER_UI_PATH = None
    JSON_SORT_KEYS = False
    API_SPEC_OPTIONS = {
        "components": {"securitySchemes": {"bearerAuth": {
            "type": "http", "scheme": "bearer",
            "description": "An API key: `qbank keys create --role admin|author|consumer --name NAME`",
        }}},
        "security": [{"bearerAuth": []}],
        "info": {"description": (
            "Question bank for CESPE/Cebraspe-style certo/errado exams.\n\n"
            "Every error is problem details (`application/problem+json`, RFC 9457). Besides the answers each "
            "operation lists, the server itself answers, before any operation is chosen, with problem details "
            "and `Connection: close`: 400 `malformed_request` (a malformed request line, a control character "
            "in a header), 414 `request_line_too_long` (a request line over 4094 bytes) and 431 "
            "`headers_too_large` (over 100 header fields, or one over 8190 bytes).")},
    }


class TestConfig(Config):
    """Settings for the test suite; the database URL is given by the fixture."""

    TESTING = True
    SECRET_KEY = "test-only secret: never in production"
