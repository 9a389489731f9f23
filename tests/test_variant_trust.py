"""Measured precision decides what enters exams unreviewed; a bank's own reviews move it."""

from __future__ import annotations

from app.perturb.precision import PRIOR_WEIGHT, TRUSTED_PRECISION, corpus_precision
from tests.test_bank_api import assert_problem

API = "/api/v1"


def _topic_id(client) -> int:
    return client.get(f"{API}/topics").json["items"][0]["id"]


def _all_variants(client, **params) -> list[dict]:
    items, page = [], 1
    while True:
        body = client.get(f"{API}/variants", query_string={"page": page, "page_size": 100, **params}).json
        items += body["items"]
        if page >= body["pages"]:
            return items
        page += 1


def _quality(client, **params) -> dict[str, dict]:
    body = client.get(f"{API}/variants/quality", query_string=params)
    assert body.status_code == 200, body.json
    return {q["operator"]: q for q in body.json["operators"]}, body.json


def test_generated_variants_are_trusted_exactly_when_their_operator_is_precise_enough(seeded):
    assert seeded.post(f"{API}/topics/{_topic_id(seeded)}/variants", json={"seed": 0, "top": 3}).status_code == 201
    variants = _all_variants(seeded)
    assert variants
    corpus = corpus_precision()
    for v in variants:
        assert v["trusted"] is (corpus.get(v["operator"], 0.0) >= TRUSTED_PRECISION), v
        assert v["edited"] is False
    # Both kinds are present on the seed: the test checks something on each side.
    assert {v["trusted"] for v in variants} == {True, False}
    by_operator, body = _quality(seeded)
    assert body["threshold"] == TRUSTED_PRECISION and body["prior_weight"] == PRIOR_WEIGHT
    for operator, precision in corpus.items():
        assert by_operator[operator]["corpus_precision"] == precision
        assert by_operator[operator]["precision"] == round(precision, 4)  # no reviews yet
    assert sum(q["pending"] for q in by_operator.values()) == len(variants)


def test_unreviewed_exams_draw_only_trusted_variants(seeded):
    seeded.post(f"{API}/topics/{_topic_id(seeded)}/variants", json={"seed": 0, "top": 3})
    trusted = {v["id"] for v in _all_variants(seeded) if v["trusted"]}
    exam = seeded.post(f"{API}/exams", json={"items": 20, "seed": 3, "false_ratio": 0.5, "use_unreviewed": True,
                                                "max_operator_share": 1.0})
    assert exam.status_code == 201, exam.json
    key = seeded.get(f"{API}/exams/{exam.json['id']}/key").json["items"]
    # False items: each through a trusted variant (a true item may show a true rewrite instead).
    used = [item["variant_id"] for item in key if item["label"] == "E"]
    assert len(used) == 10 and None not in used
    assert set(used) <= trusted


def test_rejections_take_an_operators_trust_away_and_its_variants_out_of_unreviewed_exams(seeded):
    seeded.post(f"{API}/topics/{_topic_id(seeded)}/variants", json={"seed": 0, "top": 3})
    variants = _all_variants(seeded)
    trusted_ops = sorted({v["operator"] for v in variants if v["trusted"]},
                         key=lambda op: -sum(1 for v in variants if v["operator"] == op))
    operator = trusted_ops[0]
    prior = corpus_precision()[operator]
    # Reject just enough of its variants for the adjusted precision to fall below the threshold.
    needed = next(n for n in range(1, 50) if (PRIOR_WEIGHT * prior) / (n + PRIOR_WEIGHT) < TRUSTED_PRECISION)
    mine = [v for v in variants if v["operator"] == operator]
    assert len(mine) > needed
    for v in mine[:needed - 1]:
        assert seeded.patch(f"{API}/variants/{v['id']}", json={"status": "rejected"}).status_code == 200
    by_operator, _ = _quality(seeded)
    assert by_operator[operator]["trusted"] is True  # one rejection short
    assert seeded.patch(f"{API}/variants/{mine[needed - 1]['id']}", json={"status": "rejected"}).status_code == 200
    by_operator, _ = _quality(seeded)
    assert by_operator[operator]["rejected"] == needed and by_operator[operator]["trusted"] is False
    assert by_operator[operator]["precision"] < TRUSTED_PRECISION <= by_operator[operator]["corpus_precision"]
    pending = [v for v in _all_variants(seeded, operator=operator) if v["status"] == "pending"]
    assert pending and not any(v["trusted"] for v in pending)
    # The operator cap is lifted: what is tested is which operators may enter, not their spread.
    exam = seeded.post(f"{API}/exams", json={"items": 30, "seed": 5, "false_ratio": 0.5, "use_unreviewed": True,
                                             "max_operator_share": 1.0})
    if exam.status_code == 201:
        key = seeded.get(f"{API}/exams/{exam.json['id']}/key").json["items"]
        assert operator not in {item["operator"] for item in key if item["variant_id"] is not None}
    else:  # the pool without that operator may be too small: the answer says why
        body = assert_problem(exam, 422)
        assert "precision" in body["detail"]
    # Approvals bring it back: accepted reviews count for the operator in this bank.
    for v in pending[:needed * 3]:
        seeded.patch(f"{API}/variants/{v['id']}", json={"status": "approved"})
    by_operator, _ = _quality(seeded)
    assert by_operator[operator]["approved"] == min(len(pending), needed * 3)
    assert by_operator[operator]["precision"] > (PRIOR_WEIGHT * prior) / (needed + PRIOR_WEIGHT)


def test_an_edited_approval_is_not_counted_as_accepted(seeded):
    seeded.post(f"{API}/topics/{_topic_id(seeded)}/variants", json={"seed": 0, "top": 3})
    variant = next(v for v in _all_variants(seeded) if v["trusted"])
    changed = seeded.patch(f"{API}/variants/{variant['id']}", json={
        "text": variant["text"].rstrip(".") + " em qualquer hipótese.", "status": "approved"})
    assert changed.status_code == 200 and changed.json["edited"] is True
    by_operator, _ = _quality(seeded)
    quality = by_operator[variant["operator"]]
    assert quality["approved"] == 1 and quality["edited"] == 1 and quality["acceptance"] == 0.0
    assert quality["precision"] < quality["corpus_precision"]


def test_quality_per_topic_and_errors(seeded, as_role):
    topic_id = _topic_id(seeded)
    _, body = _quality(seeded, topic_id=topic_id)
    assert [t["topic_id"] for t in body["topics"]] == [topic_id]
    assert_problem(seeded.get(f"{API}/variants/quality", query_string={"topic_id": 999999}), 404)
    assert_problem(seeded.get(f"{API}/variants/quality", query_string={"topic_id": "x"}), 422)
    assert_problem(as_role("consumer").get(f"{API}/variants/quality"), 403)
