"""Pools kept in memory per process (services/generation/pools.py): an exam drawn from them is the
exam drawn from the database, whatever was written since, through this instance or another."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import TestConfig
from tests.conftest import client_for, make_key
from tests.test_exams import API, key_of


def _exam(client, seed: int) -> tuple[list[str], list[dict]]:
    response = client.post(f"{API}/exams", json={"items": 40, "seed": seed})
    assert response.status_code == 201, response.json
    exam = response.json
    return [item["text"] for item in exam["items"]], key_of(client, exam)


@pytest.fixture
def big(runner, client):
    """Two subtopics of 200 published items (a fifth false, half the true ones with two approved
    variants): pools large enough to be read through windows, not whole."""
    made = runner.invoke("fake", "--topics", "1", "--subtopics", "2", "--assertions", "200", "--seed", "4",
                         "--false-share", "0.2", "--variant-share", "0.5")
    assert made.exit_code == 0, made.output
    return client


def test_another_instances_writes_reach_the_pools_this_one_keeps(app, database_url, big):
    other_app = create_app(TestConfig, DATABASE_URL=database_url)  # a second instance: its own engine
    other = client_for(other_app, make_key(other_app, "admin", name="other instance"))
    seeds = range(4)
    first = [_exam(big, seed) for seed in seeds]  # this instance now keeps both pools
    # The other instance retires items this one drew and rewrites sixty more (new sample keys, so
    # other windows from the same pivots).
    retired = {k["assertion_id"] for _, key in first for k in key if k["label"] == "C"}
    for assertion_id in sorted(retired)[:10]:
        assert other.patch(f"{API}/assertions/{assertion_id}", json={"status": "retired"}).status_code == 200
    page = other.get(f"{API}/assertions", query_string={"page_size": 200, "status": "published"}).json["items"]
    for item in page[:60]:
        changed = other.patch(f"{API}/assertions/{item['id']}", json={"text": item["text"].rstrip(".") + " hoje."})
        assert changed.status_code == 200, changed.json
    retired = set(sorted(retired)[:10])
    for seed in seeds:
        here, key = _exam(big, seed)
        assert not retired & {k["assertion_id"] for k in key}
        # The same seed gives the same exam on both instances: this one read the written pools again.
        assert here == _exam(other, seed)[0], seed
    assert [_exam(big, seed)[0] for seed in seeds] != [texts for texts, _ in first]


def test_kept_pools_give_the_exams_the_database_gives(big, database_url):
    """Many exams through one instance (pools kept after the first) equal those of instances that
    each draw one exam with nothing kept."""
    kept = [_exam(big, seed)[0] for seed in range(8)]
    for seed in (0, 3, 7):
        instance = create_app(TestConfig, DATABASE_URL=database_url)
        client = client_for(instance, make_key(instance, "admin", name=f"instance {seed}"))
        assert _exam(client, seed)[0] == kept[seed]
