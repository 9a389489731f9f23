"""Bulk variant generation over a large topic answers 202 with a job; the job's progress and result
are polled at GET /api/v1/jobs/{id}. In a thread of the process by default, on the RQ queue when
QBANK_JOBS_REDIS_URL is set (tested with a real Redis and an in-process RQ worker)."""

from __future__ import annotations

import os
import time

import pytest

from app import create_app
from app.config import TestConfig
from tests.conftest import client_for, make_key, require
from tests.test_bank_api import assert_problem

API = "/api/v1"


def _poll(client, location: str, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        job = client.get(location)
        assert job.status_code == 200, job.json
        if job.json["status"] in ("done", "failed") or time.monotonic() > deadline:
            return job.json
        time.sleep(0.1)


def _topic(client) -> int:
    return client.get(f"{API}/topics").json["items"][0]["id"]


@pytest.fixture
def small_threshold(app):
    """Jobs from 10 true assertions up (the seed's topic has 80)."""
    before = app.config["VARIANT_JOB_THRESHOLD"]
    app.config["VARIANT_JOB_THRESHOLD"] = 10
    yield app
    app.config["VARIANT_JOB_THRESHOLD"] = before


def test_a_large_topic_answers_202_and_the_job_ends_with_the_synchronous_result(seeded, small_threshold):
    response = seeded.post(f"{API}/topics/{_topic(seeded)}/variants", json={"seed": 1, "top": 2})
    assert response.status_code == 202, response.json
    location = response.headers["Location"]
    assert location == f"{API}/jobs/{response.json['id']}"
    assert response.json["status"] in ("queued", "running", "done") and response.json["total"] == 80
    job = _poll(seeded, location)
    assert job["status"] == "done", job
    assert job["done"] == job["total"] == 80
    result = job["result"]
    assert result["assertions"] == 80 and result["created"] > 0
    variants = seeded.get(f"{API}/variants?page_size=100").json
    assert variants["total"] == result["created"] + result["rewrites"]
    # Under the threshold the same request answers 201 at once, and finds the variants there.
    small_threshold.config["VARIANT_JOB_THRESHOLD"] = 1000
    again = seeded.post(f"{API}/topics/{_topic(seeded)}/variants", json={"seed": 1, "top": 2})
    assert again.status_code == 201 and again.json["created"] == 0


def test_jobs_are_for_authors_and_unknown_ones_are_404(seeded, small_threshold, as_role):
    response = seeded.post(f"{API}/topics/{_topic(seeded)}/variants", json={"seed": 2, "top": 1})
    assert response.status_code == 202
    _poll(seeded, response.headers["Location"])
    assert as_role("author").get(response.headers["Location"]).status_code == 200
    assert_problem(as_role("consumer").get(response.headers["Location"]), 403)
    assert_problem(seeded.get(f"{API}/jobs/{'0' * 32}"), 404)


def test_jobs_run_on_the_rq_queue_when_a_redis_is_configured(app, database_url, seed_bytes):
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        require("Redis", "TEST_REDIS_URL is not set")
    from redis import Redis
    from rq import Queue, SimpleWorker

    from app.jobs import QUEUE

    queued = create_app(TestConfig, DATABASE_URL=database_url, VARIANT_JOB_THRESHOLD=10, JOBS_REDIS_URL=url)
    client = client_for(queued, make_key(queued, "admin", "rq"))
    assert client.post(f"{API}/imports?name=mlops.txt", data=seed_bytes, content_type="text/plain").status_code == 201
    connection = Redis.from_url(url)
    Queue(QUEUE, connection=connection).empty()
    response = client.post(f"{API}/topics/{_topic(client)}/variants", json={"seed": 3, "top": 1})
    assert response.status_code == 202
    assert client.get(response.headers["Location"]).json["status"] == "queued"  # nobody runs it yet
    SimpleWorker([QUEUE], connection=connection).work(burst=True)  # what `qbank worker --burst` runs
    job = client.get(response.headers["Location"]).json
    assert job["status"] == "done" and job["result"]["assertions"] == 80, job
