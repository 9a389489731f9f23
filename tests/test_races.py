"""Requests racing for the same new rows answer 201 or 409, never 500 (issue 12, point 2).

Twenty threads share the app (each with its own test client, so its own request and session) and
start together; the databases are the suite's SQLite file and PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from tests.conftest import SEED
from tests.test_bank_api import make_subtopic, make_topic

API = "/api/v1"
THREADS = 20


def race(app, token_client, send, threads: int = THREADS) -> list:
    """Run send(client) in `threads` threads released at once; their responses."""
    barrier = threading.Barrier(threads)
    header = token_client.environ_base["HTTP_AUTHORIZATION"]

    def one(_: int):
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = header
        barrier.wait(timeout=30)
        return send(client)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(one, range(threads)))


def test_twenty_identical_imports_of_a_new_document_all_succeed(app, client):
    """An identical import is idempotent: a writer that loses the race retries and finds it all there."""
    document = SEED.read_bytes()
    responses = race(app, client, lambda c: c.post(f"{API}/imports?name=seed.txt", data=document,
                                                   content_type="text/plain"))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == Counter({201: THREADS}), [r.json for r in responses if r.status_code != 201][:3]
    created = [r.json["assertions"]["created"] for r in responses]
    assert sorted(created, reverse=True)[:2] == [80, 0]  # one import wrote the items, the others found them
    assert client.get(f"{API}/topics").json["total"] == 1
    assert client.get(f"{API}/assertions").json["total"] == 80


def test_twenty_identical_bank_json_imports_all_succeed(app, client, seeded):
    topic = seeded.get(f"{API}/topics").json["items"][0]
    exported = seeded.get(f"{API}/topics/{topic['id']}/export?format=json").data
    assert seeded.delete(f"{API}/topics/{topic['id']}?cascade=true").status_code == 204
    responses = race(app, client, lambda c: c.post(f"{API}/imports", data=exported,
                                                   content_type="application/json"))
    assert Counter(r.status_code for r in responses) == Counter({201: THREADS})
    assert client.get(f"{API}/assertions").json["total"] == 80


def test_twenty_creations_of_the_same_numbered_assertion_give_one_201_and_409s(app, client):
    sub = make_subtopic(client, make_topic(client)["id"])
    body = {"text": "O ato administrativo goza de presunção de legitimidade.", "number": 3}
    responses = race(app, client, lambda c: c.post(f"{API}/subtopics/{sub['id']}/assertions", json=body))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == Counter({201: 1, 409: THREADS - 1}), statuses
    assert all(r.headers["Content-Type"] == "application/problem+json" for r in responses if r.status_code == 409)
    assert client.get(f"{API}/subtopics/{sub['id']}/assertions").json["total"] == 1


def test_twenty_creations_with_automatic_numbers_all_succeed_with_distinct_numbers(app, client):
    sub = make_subtopic(client, make_topic(client)["id"])
    body = {"text": "O ato administrativo goza de presunção de legitimidade."}
    responses = race(app, client, lambda c: c.post(f"{API}/subtopics/{sub['id']}/assertions", json=body))
    assert Counter(r.status_code for r in responses) == Counter({201: THREADS})
    assert sorted(r.json["number"] for r in responses) == list(range(1, THREADS + 1))


def test_twenty_creations_of_the_same_topic_and_subtopic_give_one_201_and_409s(app, client):
    responses = race(app, client, lambda c: c.post(f"{API}/topics", json={"code": "4.2", "title": "Licitações"}))
    assert Counter(r.status_code for r in responses) == Counter({201: 1, 409: THREADS - 1})
    topic_id = client.get(f"{API}/topics").json["items"][0]["id"]
    responses = race(app, client, lambda c: c.post(f"{API}/topics/{topic_id}/subtopics",
                                                   json={"title": "Modalidades"}))
    assert Counter(r.status_code for r in responses) == Counter({201: THREADS})
    assert sorted(r.json["number"] for r in responses) == list(range(1, THREADS + 1))


def test_concurrent_generations_with_one_seed_all_succeed(app, seeded):
    """Same seed, same variants: generation is idempotent, so a writer that loses the race retries."""
    topic = seeded.get(f"{API}/topics").json["items"][0]
    assertion = seeded.get(f"{API}/assertions?label=C").json["items"][0]
    # Generation is CPU work under the GIL (and, on SQLite, under the database's write lock): six
    # requests at once collide every time without making the suite slow.
    responses = race(app, seeded, lambda c: c.post(f"{API}/assertions/{assertion['id']}/variants",
                                                   json={"seed": 4, "top": 3}), threads=6)
    assert Counter(r.status_code for r in responses) == Counter({201: 6})
    assert len({tuple(v["id"] for v in r.json["items"]) for r in responses}) == 1
    responses = race(app, seeded, lambda c: c.post(f"{API}/topics/{topic['id']}/variants", json={"seed": 4}),
                     threads=4)
    assert Counter(r.status_code for r in responses) == Counter({201: 4})
