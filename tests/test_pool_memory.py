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
    """Many exams through one instance (a pool is kept from the second exam that asks for it on)
    equal those of instances that each draw one exam, its windows cut with SQL (a pool asked for
    the first time is not read)."""
    kept = [_exam(big, seed)[0] for seed in range(8)]
    for seed in (0, 3, 7):
        instance = create_app(TestConfig, DATABASE_URL=database_url)
        client = client_for(instance, make_key(instance, "admin", name=f"instance {seed}"))
        assert _exam(client, seed)[0] == kept[seed]


def test_edited_texts_reach_the_pools_this_one_keeps(app, database_url, big):
    """The kept pools hold the texts too: an explanation edited, a variant's explanation edited and a
    variant rejected through another instance are what the next exam here shows."""
    other_app = create_app(TestConfig, DATABASE_URL=database_url)
    other = client_for(other_app, make_key(other_app, "admin", name="other instance"))
    seed = 5
    _exam(big, seed)
    _, key = _exam(big, seed)  # asked for twice: this instance now keeps both pools
    as_drawn = next(k for k in key if k["label"] == "E" and k["variant_id"] is None)
    shown = [k for k in key if k["variant_id"] is not None]
    assert len(shown) >= 2
    explained = other.patch(f"{API}/assertions/{as_drawn['assertion_id']}",
                            json={"explanation": "Explicação revista pela banca."})
    assert explained.status_code == 200, explained.json
    revised = other.patch(f"{API}/variants/{shown[0]['variant_id']}",
                          json={"explanation": "A variante troca o termo central: explicação revista."})
    assert revised.status_code == 200, revised.json
    # Explanations are not read by the draw: the same seed draws the same items, with the new texts.
    _, key = _exam(big, seed)
    by_assertion = {k["assertion_id"]: k for k in key}
    assert by_assertion[as_drawn["assertion_id"]]["explanation"] == "Explicação revista pela banca."
    assert by_assertion[shown[0]["assertion_id"]]["variant_id"] == shown[0]["variant_id"]
    assert by_assertion[shown[0]["assertion_id"]]["explanation"] == \
        "A variante troca o termo central: explicação revista."
    # A variant rejected there is never shown here again; the exam is the one nothing kept gives.
    rejected = other.patch(f"{API}/variants/{shown[1]['variant_id']}", json={"status": "rejected"})
    assert rejected.status_code == 200, rejected.json
    here, key = _exam(big, seed)
    assert shown[1]["variant_id"] not in {k["variant_id"] for k in key}
    fresh = create_app(TestConfig, DATABASE_URL=database_url)
    assert here == _exam(client_for(fresh, make_key(fresh, "admin", name="fresh instance")), seed)[0]
