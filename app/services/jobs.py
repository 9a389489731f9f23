"""Jobs: long work done outside the request, with progress a client can poll.

Bulk variant generation over a topic of more than a few thousand true assertions takes longer than
a worker should hold a request: the API creates a job (202), a runner does the work and records how
far it is, and GET /api/v1/jobs/{id} tells. The work itself is the same service call the
synchronous path makes; a job only adds its bookkeeping. No Flask here: the runner (app/jobs.py)
gives this module a session factory.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.errors import Forbidden, NotFound
from app.models import Job, JobStatus
from app.services.keys import Viewer

log = logging.getLogger("qbank.jobs")

VARIANT_GENERATION = "variant_generation"
# How often, at most, a running job writes its progress: every this share of its total.
PROGRESS_STEP = 0.02


def variant_job_if_large(session: Session, *, topic_id: int, seed: int, top: int, threshold: int,
                         viewer: Viewer | None) -> Job | None:
    """A queued job for bulk generation over a topic with more true assertions than `threshold`;
    None for a topic small enough to be done within the request."""
    from app.services import variants

    total = variants.true_assertions(session, [topic_id])
    if total <= threshold:
        return None
    return create_job(session, kind=VARIANT_GENERATION, params={"topic_id": topic_id, "seed": seed, "top": top},
                      total=total, viewer=viewer)


def create_job(session: Session, *, kind: str, params: dict[str, Any], total: int, viewer: Viewer | None) -> Job:
    job = Job(id=uuid.uuid4().hex, kind=kind, status=JobStatus.QUEUED.value, params=params, total=total,
              api_key_id=viewer.key_id if viewer else None)
    session.add(job)
    session.commit()
    return job


def get_job(session: Session, *, job_id: str, viewer: Viewer | None = None) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"job {job_id} does not exist")
    if viewer is not None and viewer.is_consumer:
        raise Forbidden(f"a {viewer.role} key may not read jobs (it needs: admin, author)", code="forbidden_for_role")
    return job


def run_job(new_session: Callable[[], Session], job_id: str, *, lexicon_dir: str | None = None) -> None:
    """Do the job's work in a session of its own, and record its progress, result or error in
    another (so that progress is visible while the work's transaction is still open)."""
    from app.services import variants

    book = new_session()
    work = new_session()
    try:
        job = book.get(Job, job_id)
        if job is None or job.status != JobStatus.QUEUED.value:
            return  # run already, or gone: a job runs once
        job.status = JobStatus.RUNNING.value
        total, kind, params = job.total, job.kind, dict(job.params)  # read once: a commit expires the row
        book.commit()
        step = max(1, int(total * PROGRESS_STEP))
        state = {"done": 0, "written": 0}

        def progress(n: int) -> None:
            state["done"] += n
            if state["done"] - state["written"] >= step:
                state["written"] = state["done"]
                book.execute(sa.update(Job).where(Job.id == job_id).values(done=min(state["done"], total)))
                book.commit()

        if kind != VARIANT_GENERATION:
            raise ValueError(f"unknown job kind {kind!r}")
        result = variants.generate_for_topic(work, topic_id=params["topic_id"], seed=params["seed"],
                                             top=params["top"], lexicon_dir=lexicon_dir, progress=progress)
        job = book.get(Job, job_id)
        job.status, job.done, job.result = JobStatus.DONE.value, total, dataclasses.asdict(result)
        book.commit()
    except Exception as exc:  # noqa: BLE001 - whatever failed is the job's error, told to the poller
        log.exception("job %s failed", job_id)
        work.rollback()
        book.rollback()
        job = book.get(Job, job_id)
        if job is not None:
            job.status, job.error = JobStatus.FAILED.value, f"{type(exc).__name__}: {exc}"[:2000]
            book.commit()
    finally:
        work.close()
        book.close()
