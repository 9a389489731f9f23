"""Running jobs (app/services/jobs.py): on the RQ queue "qbank" when QBANK_JOBS_REDIS_URL is set
(`qbank worker` runs them), else in a thread of the process that created them."""

from __future__ import annotations

import threading

from flask import Flask

from app.db import db
from app.services.jobs import run_job

QUEUE = "qbank"


def dispatch(app: Flask, job_id: str) -> str:
    """Start the job; returns where it runs ("rq" or "thread")."""
    url = app.config.get("JOBS_REDIS_URL")
    if url:
        from redis import Redis
        from rq import Queue

        Queue(QUEUE, connection=Redis.from_url(url)).enqueue(
            work, job_id, app.config["DATABASE_URL"], app.config.get("LEXICON_DIR"), job_id=job_id)
        return "rq"
    threading.Thread(target=_in_process, args=(app, job_id), daemon=True, name=f"qbank-job-{job_id[:8]}").start()
    return "thread"


def _in_process(app: Flask, job_id: str) -> None:
    with app.app_context():
        run_job(db.new_session, job_id, lexicon_dir=app.config.get("LEXICON_DIR"))


def work(job_id: str, database_url: str, lexicon_dir: str | None) -> None:
    """The RQ entry point, in the worker's process: an app without the API, then the job."""
    from app import create_app

    app = create_app(with_api=False, DATABASE_URL=database_url)
    with app.app_context():
        run_job(db.new_session, job_id, lexicon_dir=lexicon_dir)
