"""Running qbank: `qbank serve` (gunicorn), `qbank worker` (background jobs), `qbank openapi`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from app.cli.common import command_app, main
from app.config import database_url


@main.command("worker")
@click.option("--burst", is_flag=True, help="Run the queued jobs, then exit.")
def worker(burst: bool) -> None:
    """Run long jobs (bulk variant generation) from the RQ queue at QBANK_JOBS_REDIS_URL."""
    from redis import Redis
    from rq import Worker

    from app.jobs import QUEUE

    url = command_app().config.get("JOBS_REDIS_URL")
    if not url:
        raise click.ClickException("set QBANK_JOBS_REDIS_URL (redis://host:6379/1): without it the API runs jobs "
                                   "in its own processes and no worker is needed")
    Worker([QUEUE], connection=Redis.from_url(url)).work(burst=burst)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=None, type=click.IntRange(1, 64),
              help="gunicorn workers (default: WEB_CONCURRENCY, else 2).")
def serve(host: str, port: int, workers: int | None) -> None:
    """Serve the API with gunicorn."""
    workers = workers or int(os.environ.get("WEB_CONCURRENCY", "2"))
    base = f"http://{host}:{port}"
    plural = "" if workers == 1 else "s"
    click.echo(f"qbank on {base} ({workers} worker{plural}, database {_redacted(database_url())})")
    for path, what in (
        ("/docs", "API documentation"),
        ("/api/v1/topics", "topics"),
        ("/api/v1/assertions?q=automacao", "search"),
        ("/readyz", "readiness"),
    ):
        click.echo(f"  {base}{path}  {what}")
    sys.stdout.flush()
    # Metrics are summed across gunicorn workers through files in this folder.
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        import tempfile

        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="qbank-metrics-")
    os.environ["WEB_CONCURRENCY"] = str(workers)
    os.environ["QBANK_BIND"] = f"{host}:{port}"
    args = [sys.executable, "-m", "gunicorn", "--config", "python:app.gunicorn_conf", "app.wsgi:app"]
    os.execv(sys.executable, args)


def _redacted(url: str) -> str:
    import sqlalchemy as sa

    return sa.make_url(url).render_as_string(hide_password=True)


@main.command("openapi")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of standard output.")
def openapi(output: Path | None) -> None:
    """Print (or write) the OpenAPI document generated from the schemas."""
    from app.api import spec_yaml

    with command_app(with_api=True).app_context():
        text = spec_yaml()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")
