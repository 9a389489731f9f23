"""Exams: generation rules, reproducibility, versions, practice sessions, scoring, statistics."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services.generation import false_count
from tests.test_bank_api import assert_problem

API = "/api/v1"




def make_exam(client, **params):
    body = {"items": 40, "seed": 7, "use_unreviewed": True, **params}
    response = client.post(f"{API}/exams", json=body)
    assert response.status_code == 201, response.json
    return response.json


def key_of(client, exam, version=1):
    response = client.get(f"{API}/exams/{exam['id']}/key?version={version}")
    assert response.status_code == 200
    return response.json["items"]


def all_assertions(client):
    return {a["id"]: a for a in client.get(f"{API}/assertions?page_size=200").json["items"]}


def check_exam_rules(client, exam, *, items, false_items, max_share=0.4):
    """The invariants every generated exam keeps."""
    key = key_of(client, exam)
    assert [i["number"] for i in exam["items"]] == list(range(1, items + 1))
    assert len(key) == items
    assert sum(1 for k in key if k["label"] == "E") == false_items
    # Each assertion at most once, as itself or as one of its variants.
    sources = [k["assertion_id"] for k in key]
    assert len(sources) == len(set(sources))
    # Blocks: contiguous runs of one subtopic, numbered continuously.
    for block in exam["blocks"]:
        inside = [i for i in exam["items"] if block["first"] <= i["number"] <= block["last"]]
        assert {i["block"] for i in inside} == {block["number"]}
        assert {i["subtopic_id"] for i in inside} == {block["subtopic_id"]}
        assert block["heading"].startswith("Julgue os itens a seguir, relativos ") and block["heading"].endswith(".")
    assert sum(b["last"] - b["first"] + 1 for b in exam["blocks"]) == items
    # An item referring back comes right after its antecedent, shown true.
    bank = all_assertions(client)
    for position, entry in enumerate(key):
        antecedent = bank[entry["assertion_id"]]["depends_on_id"]
        if antecedent is not None:
            assert position > 0 and key[position - 1]["assertion_id"] == antecedent
            assert key[position - 1]["label"] == "C"
    # No operator makes more than its share of the false items.
    operators = Counter(k["operator"] for k in key if k["operator"] and k["label"] == "E")
    if false_items:
        assert max(operators.values(), default=0) <= max(1, int(max_share * false_items + 1e-9))
    # False items carry their explanation and the true sentence they came from.
    for k in key:
        if k["label"] == "E" and k["variant_id"]:
            assert k["explanation"].startswith("ERRADO.") and k["original"]
        elif k["variant_id"]:  # a true item shown through a true rewrite: the key says so
            assert k["explanation"].startswith("CERTO.") and k["original"]
    return key


def test_exam_follows_the_rules_and_hides_labels(bank):
    exam = make_exam(bank)
    assert exam["seed"] == 7 and exam["item_count"] == 40 and exam["version"] == 1
    assert set(exam["items"][0]) == {"number", "text", "block", "subtopic_id", "subtopic"}
    assert "label" not in str(exam) and "ERRADO" not in str(exam)
    assert exam["blocks"][1]["heading"] == "Julgue os itens a seguir, relativos a princípios fundamentais do MLOps."
    check_exam_rules(bank, exam, items=40, false_items=20)
    again = bank.get(f"{API}/exams/{exam['id']}").json
    assert again["items"] == exam["items"]


def test_same_bank_parameters_and_seed_give_the_same_exam(bank):
    first = make_exam(bank, items=30, seed=11, false_ratio=0.4)
    second = make_exam(bank, items=30, seed=11, false_ratio=0.4)
    assert first["id"] != second["id"]
    assert first["items"] == second["items"]
    assert [k["label"] for k in key_of(bank, first)] == [k["label"] for k in key_of(bank, second)]
    other = make_exam(bank, items=30, seed=12, false_ratio=0.4)
    assert other["items"] != first["items"]


def test_seed_is_generated_and_returned_when_absent(bank):
    response = bank.post(f"{API}/exams", json={"items": 10, "use_unreviewed": True})
    assert response.status_code == 201
    seed = response.json["seed"]
    replay = make_exam(bank, items=10, seed=seed)
    assert replay["items"] == response.json["items"]


def test_false_count_is_exactly_round_items_times_ratio(bank):
    for items, ratio in ((10, 0.25), (7, 0.5), (13, 0.3), (40, 0.0), (12, 1.0)):
        exam = make_exam(bank, items=items, false_ratio=ratio, max_operator_share=1.0 if ratio == 1.0 else 0.4)
        check_exam_rules(bank, exam, items=items, false_items={0.25: 3, 0.5: 4, 0.3: 4, 0.0: 0, 1.0: 12}[ratio],
                         max_share=1.0 if ratio == 1.0 else 0.4)


def test_true_and_false_items_have_similar_mean_length(bank):
    exam = make_exam(bank, items=60, seed=3)
    key = key_of(bank, exam)
    texts = {i["number"]: i["text"] for i in exam["items"]}
    true_len = [len(texts[k["number"]]) for k in key if k["label"] == "C"]
    false_len = [len(texts[k["number"]]) for k in key if k["label"] == "E"]
    mean_true, mean_false = sum(true_len) / len(true_len), sum(false_len) / len(false_len)
    assert abs(mean_false - mean_true) <= 0.05 * mean_true, (mean_true, mean_false)


def test_bank_that_cannot_satisfy_the_request_gets_422_with_what_is_available(seeded):
    body = assert_problem(seeded.post(f"{API}/exams", json={"items": 100}), 422)
    assert body["code"] == "insufficient_items"
    assert body["available"] == {"items": 80, "true": 80, "false": 0}
    # No variants approved: false items are impossible unless unreviewed ones are allowed.
    body = assert_problem(seeded.post(f"{API}/exams", json={"items": 10, "false_ratio": 0.5}), 422)
    assert body["available"]["false"] == 0 and "10 items (5 false)" in body["detail"]
    assert "generate false variants" in body["detail"] and "qbank variants generate" in body["detail"]
    ok = seeded.post(f"{API}/exams", json={"items": 10, "false_ratio": 0.0})
    assert ok.status_code == 201
    # With variants generated but not yet reviewed, the answer says how many wait and how to use them.
    topic = seeded.get(f"{API}/topics").json["items"][0]
    assert seeded.post(f"{API}/topics/{topic['id']}/variants", json={"seed": 1, "top": 1}).status_code == 201
    body = assert_problem(seeded.post(f"{API}/exams", json={"items": 10, "false_ratio": 0.5}), 422)
    assert "79 more assertions have false variants awaiting review" in body["detail"], body["detail"]
    assert "use_unreviewed" in body["detail"]
    assert seeded.post(f"{API}/exams", json={"items": 10, "use_unreviewed": True,
                                             "max_operator_share": 1.0}).status_code == 201
    assert_problem(seeded.post(f"{API}/exams", json={"items": 0}), 422, field="items")
    assert_problem(seeded.post(f"{API}/exams", json={"items": 501}), 422, field="items")
    assert_problem(seeded.post(f"{API}/exams", json={"items": 5, "topic_ids": [999999]}), 422, field="topic_ids")
    assert_problem(seeded.post(f"{API}/exams", json={"items": 5, "false_ratio": 1.5}), 422, field="false_ratio")


def test_only_approved_variants_by_default(seeded):
    bank = seeded
    topic = bank.get(f"{API}/topics").json["items"][0]
    assert bank.post(f"{API}/topics/{topic['id']}/variants", json={"seed": 1, "top": 3}).status_code == 201
    assert_problem(bank.post(f"{API}/exams", json={"items": 4, "false_ratio": 0.5, "seed": 1}), 422)
    pending = bank.get(f"{API}/variants?status=pending&page_size=40").json["items"]
    for variant in pending:
        assert bank.patch(f"{API}/variants/{variant['id']}", json={"status": "approved"}).status_code == 200
    exam = bank.post(f"{API}/exams", json={"items": 4, "false_ratio": 0.5, "seed": 1,
                                           "max_operator_share": 1.0}).json
    approved = {v["id"] for v in pending}
    for entry in key_of(bank, exam):
        if entry["label"] == "E":
            assert entry["variant_id"] in approved


def test_allowed_operators_and_hand_written_false_assertions(bank):
    exam = make_exam(bank, items=20, operators=["negation", "antonym"], max_operator_share=1.0)
    key = key_of(bank, exam)
    assert {k["operator"] for k in key if k["label"] == "E"} <= {"negation", "antonym"}
    topic = bank.get(f"{API}/topics").json["items"][0]
    extra = bank.post(f"{API}/topics/{topic['id']}/subtopics", json={"title": "Itens falsos escritos à mão"}).json
    for text in ("O MLOps dispensa qualquer monitoramento.", "O MLOps elimina a necessidade de testes."):
        bank.post(f"{API}/subtopics/{extra['id']}/assertions", json={
            "text": text, "label": "E", "status": "published", "explanation": "ERRADO. Não dispensa.",
        })
    only_extra = bank.post(f"{API}/exams", json={"items": 2, "subtopic_ids": [extra["id"]], "false_ratio": 1.0,
                                                 "max_operator_share": 1.0}).json
    key = key_of(bank, only_extra)
    assert [k["label"] for k in key] == ["E", "E"]
    assert all(k["explanation"] == "ERRADO. Não dispensa." and k["variant_id"] is None for k in key)


def test_the_operator_filter_takes_every_operator_the_engine_names(bank):
    """`operators` accepts each name a variant's operator can take (the connective and swap operators
    included) and refuses an unknown one with 422 naming the field."""
    from app.perturb.names import OPERATOR_NAMES

    for name in ("role_swap", "likeness_swap", "sequence_reversal", "concept_swap_predicate", "manual"):
        assert name in OPERATOR_NAMES
    exam = bank.post(f"{API}/exams", json={"items": 10, "seed": 3, "use_unreviewed": True,
                                           "operators": list(OPERATOR_NAMES), "max_operator_share": 1.0})
    assert exam.status_code == 201, exam.json
    bad = bank.post(f"{API}/exams", json={"items": 10, "operators": ["negation", "no_such_operator"]})
    assert bad.status_code == 422 and "operators" in str(bad.json), bad.json


def test_draft_and_retired_assertions_never_appear(bank):
    bank_items = all_assertions(bank)
    retired = [a for a in bank_items.values() if a["subtopic_id"] == min(a["subtopic_id"] for a in bank_items.values())]
    for a in retired[:5]:
        bank.patch(f"{API}/assertions/{a['id']}", json={"status": "retired"})
    exam = make_exam(bank, items=75, false_ratio=0.2)
    assert not {a["id"] for a in retired[:5]} & {k["assertion_id"] for k in key_of(bank, exam)}
    body = assert_problem(bank.post(f"{API}/exams", json={"items": 76, "use_unreviewed": True}), 422)
    assert body["available"]["items"] == 75


def test_issued_exam_is_an_immutable_snapshot(bank):
    exam = make_exam(bank, items=10, false_ratio=0.5)
    key = key_of(bank, exam)
    first_source = key[0]["assertion_id"]
    bank.patch(f"{API}/assertions/{first_source}", json={"text": "Texto reescrito depois da prova."})
    bank.delete(f"{API}/assertions/{key[1]['assertion_id']}")
    later = bank.get(f"{API}/exams/{exam['id']}").json
    assert later["items"] == exam["items"]
    assert [k["label"] for k in key_of(bank, exam)] == [k["label"] for k in key]


def test_a_new_exams_answer_is_the_bytes_a_get_of_it_serializes(bank, database_url):
    """The POST answers from the items it has just written, without the schema: a GET through a
    second instance (nothing kept from the POST) reads the exam back and serializes it with the
    schema, and gives the same bytes; this instance's GET gives them too."""
    from app import create_app
    from app.config import TestConfig
    from tests.conftest import client_for, make_key

    other_app = create_app(TestConfig, DATABASE_URL=database_url)
    other = client_for(other_app, make_key(other_app, "admin", name="other instance"))
    for body in ({"items": 40, "seed": 7}, {"items": 12, "seed": 3, "versions": 3, "title": "Prova “única”",
                                            "weights": {"right": 2, "wrong": -1, "blank": 0}},
                 {"items": 9, "false_ratio": 0, "cue_balance": False}):
        posted = bank.post(f"{API}/exams", json={"use_unreviewed": True, **body})
        assert posted.status_code == 201, posted.json
        assert posted.content_type == "application/json"
        exam_id = posted.json["id"]
        read = other.get(f"{API}/exams/{exam_id}")
        assert read.status_code == 200
        assert read.get_data() == posted.get_data()
        assert bank.get(f"{API}/exams/{exam_id}").get_data() == posted.get_data()
        assert posted.json["weights"]["right"] == float(body.get("weights", {}).get("right", 1))


def test_versions_reorder_inside_blocks_with_their_own_keys(bank):
    exam = make_exam(bank, items=40, versions=3)
    v1 = exam
    v2 = bank.get(f"{API}/exams/{exam['id']}?version=2").json
    assert v2["version"] == 2 and v2["blocks"] == v1["blocks"]
    assert sorted(i["text"] for i in v2["items"]) == sorted(i["text"] for i in v1["items"])
    assert [i["text"] for i in v2["items"]] != [i["text"] for i in v1["items"]]
    for block in v1["blocks"]:
        rng = range(block["first"], block["last"] + 1)
        assert {i["text"] for i in v1["items"] if i["number"] in rng} == \
               {i["text"] for i in v2["items"] if i["number"] in rng}
    key1 = {i["text"]: k["label"] for i, k in zip(v1["items"], key_of(bank, exam, 1), strict=True)}
    key2 = {i["text"]: k["label"] for i, k in zip(v2["items"], key_of(bank, exam, 2), strict=True)}
    assert key1 == key2
    assert_problem(bank.get(f"{API}/exams/{exam['id']}?version=4"), 422, field="version")


def test_equal_distribution_spreads_items_evenly(bank):
    exam = make_exam(bank, items=16, distribution="equal")
    sizes = [b["last"] - b["first"] + 1 for b in exam["blocks"]]
    assert len(sizes) == 8 and max(sizes) - min(sizes) <= 1


def test_practice_session_never_repeats_until_exhausted_then_resets(bank):
    created = bank.post(f"{API}/sessions")
    assert created.status_code == 201
    token = created.json["token"]
    assert len(token) >= 43 and created.json["served"] == 0
    seen: set[int] = set()
    for seed in range(4):
        exam = make_exam(bank, items=20, seed=seed, session=token, false_ratio=0.5)
        sources = {k["assertion_id"] for k in key_of(bank, exam)}
        assert not sources & seen
        seen |= sources
    assert len(seen) == 80
    assert bank.get(f"{API}/sessions/{token}").json["served"] == 80
    body = assert_problem(bank.post(f"{API}/exams", json={"items": 5, "session": token, "use_unreviewed": True}),
                          409)
    assert body["code"] == "session_exhausted" and "reset" in body["detail"]
    assert bank.post(f"{API}/sessions/{token}/reset").json == {
        "token": token, "created_at": created.json["created_at"], "served": 0, "resets": 1}
    make_exam(bank, items=20, session=token)
    assert_problem(bank.post(f"{API}/exams", json={"items": 5, "session": "x" * 43}), 404)


def test_practice_sessions_serve_the_whole_pool(seeded):
    """Sessions of 20-item exams at 50 % false from unreviewed variants (on the seed, mostly
    negations; an operator may make half the false items): each of six serves all 80 assertions.
    The cue balance keeps to the drawn items in a session: replacing them by assertions with
    cue-free variants left the negation-only ones for the last exams, which then could not meet
    the operator share (5 of the 6 sessions stopped at 60)."""
    topic = seeded.get(f"{API}/topics").json["items"][0]
    assert seeded.post(f"{API}/topics/{topic['id']}/variants", json={"seed": 1}).status_code == 201
    covered = []
    for trial in range(6):
        token = seeded.post(f"{API}/sessions").json["token"]
        seen: set[int] = set()
        for n in range(4):
            response = seeded.post(f"{API}/exams", json={"items": 20, "seed": 100 * trial + n, "false_ratio": 0.5,
                                                        "session": token, "use_unreviewed": True,
                                                        "max_operator_share": 0.5})
            if response.status_code != 201:  # the operator share cannot be met with what is left
                assert response.status_code == 422 and response.json["code"] == "operator_share", response.json
                break
            sources = {k["assertion_id"] for k in key_of(seeded, response.json)}
            assert not sources & seen
            seen |= sources
        covered.append(len(seen))
    assert covered == [80] * 6, covered


def test_attempt_scored_by_the_cespe_rule(bank):
    exam = make_exam(bank, items=10, false_ratio=0.5)
    key = key_of(bank, exam)
    answers = {}
    for k in key[:4]:
        answers[str(k["number"])] = k["label"]  # right
    for k in key[4:7]:
        answers[str(k["number"])] = "C" if k["label"] == "E" else "E"  # wrong
    answers[str(key[7]["number"])] = None  # blank; items 9 and 10 missing: blank too
    response = bank.post(f"{API}/exams/{exam['id']}/attempts", json={"answers": answers})
    assert response.status_code == 201, response.json
    result = response.json
    assert (result["right"], result["wrong"], result["blank"], result["score"]) == (4, 3, 3, 1.0)
    assert result["max_score"] == 10
    assert sum(b["score"] for b in result["blocks"]) == 1.0
    assert sum(b["right"] + b["wrong"] + b["blank"] for b in result["blocks"]) == 10
    false_items = [i for i in result["items"] if i["label"] == "E"]
    assert all(i["explanation"].startswith("ERRADO.") for i in false_items)
    assert result["items"][0]["outcome"] == "right" and result["items"][0]["points"] == 1.0
    fetched = bank.get(f"{API}/exams/{exam['id']}/attempts/{result['id']}").json
    assert fetched == result
    assert bank.get(f"{API}/exams/{exam['id']}/attempts").json["total"] == 1


def test_net_score_can_be_negative_and_weights_are_configurable(bank):
    exam = make_exam(bank, items=6, false_ratio=0.5, weights={"right": 2, "wrong": -0.5, "blank": 0})
    key = key_of(bank, exam)
    all_wrong = {str(k["number"]): ("C" if k["label"] == "E" else "E") for k in key}
    result = bank.post(f"{API}/exams/{exam['id']}/attempts", json={"answers": all_wrong}).json
    assert result["score"] == -3.0 and result["max_score"] == 12
    plain = make_exam(bank, items=6, false_ratio=0.5, seed=8)
    plain_key = key_of(bank, plain)
    wrong = {str(k["number"]): ("C" if k["label"] == "E" else "E") for k in plain_key}
    assert bank.post(f"{API}/exams/{plain['id']}/attempts", json={"answers": wrong}).json["score"] == -6.0


def test_bad_answers_are_422_naming_the_item(bank):
    exam = make_exam(bank, items=5)
    url = f"{API}/exams/{exam['id']}/attempts"
    body = assert_problem(bank.post(url, json={"answers": {"6": "C"}}), 422, field="answers.6")
    assert "no item 6" in body["detail"]
    assert_problem(bank.post(url, json={"answers": {"1": "X"}}), 422, field="answers.1")
    assert_problem(bank.post(url, json={"answers": {"um": "C"}}), 422, field="answers.um")
    assert_problem(bank.post(url, json={"answers": {"1": 1}}), 422, field="answers.1")
    assert_problem(bank.post(url, json={}), 422, field="answers")
    assert_problem(bank.post(url, json={"answers": {}, "version": 2}), 422, field="version")
    assert_problem(bank.post(f"{API}/exams/999999/attempts", json={"answers": {}}), 404)
    assert bank.get(f"{API}/exams/{exam['id']}/attempts").json["total"] == 0


def test_idempotency_key_returns_the_first_attempt(bank):
    exam = make_exam(bank, items=5)
    url = f"{API}/exams/{exam['id']}/attempts"
    headers = {"Idempotency-Key": "site-42-attempt-7"}
    first = bank.post(url, json={"answers": {"1": "C"}}, headers=headers)
    again = bank.post(url, json={"answers": {"1": "C"}}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json["id"] == first.json["id"]
    assert bank.get(f"{API}/exams/{exam['id']}/attempts").json["total"] == 1
    other = assert_problem(bank.post(url, json={"answers": {"1": "E"}}, headers=headers), 409)
    assert other["code"] == "idempotency_key_reused"
    assert bank.post(url, json={"answers": {"1": "C"}}).status_code == 201


def test_attempt_on_a_version_uses_that_versions_numbering(bank):
    exam = make_exam(bank, items=12, versions=2)
    key2 = key_of(bank, exam, 2)
    perfect = {str(k["number"]): k["label"] for k in key2}
    result = bank.post(f"{API}/exams/{exam['id']}/attempts", json={"answers": perfect, "version": 2}).json
    assert result["right"] == 12 and result["version"] == 2


def test_item_statistics_and_flags(bank, app, monkeypatch):
    monkeypatch.setitem(app.config, "STATS_MIN_ATTEMPTS", 4)
    exam = make_exam(bank, items=20, false_ratio=0.5)
    key = key_of(bank, exam)
    false_item = next(k for k in key if k["label"] == "E" and k["variant_id"])
    true_item = next(k for k in key if k["label"] == "C")
    # Eight candidates: every other false item judged right; the true items make the spread (the
    # stronger answer more of them); the better candidates judge the chosen false item "C".
    true_items = [k for k in key if k["label"] == "C"]
    for strength in range(8):
        answers = {str(k["number"]): "E" for k in key if k["label"] == "E"}
        for k in true_items[: 1 + strength * len(true_items) // 8]:
            answers[str(k["number"])] = "C"
        answers[str(false_item["number"])] = "C" if strength >= 4 else "E"
        bank.post(f"{API}/exams/{exam['id']}/attempts", json={"answers": answers})
    stats = bank.get(f"{API}/variants/{false_item['variant_id']}/stats").json
    assert stats["attempts"] == 8 and stats["share_right"] == 0.5 and stats["share_blank"] == 0.0
    assert stats["upper_share_certo"] == 1.0 and stats["flagged"] is True
    assert stats["discrimination"] is not None and stats["discrimination"] < 0
    flagged = bank.get(f"{API}/variants/flagged").json["items"]
    assert [f["variant"]["id"] for f in flagged] == [false_item["variant_id"]]
    true_stats = bank.get(f"{API}/assertions/{true_item['assertion_id']}/stats").json
    assert true_stats["attempts"] == 8 and true_stats["flagged"] is False
    assert true_stats["share_right"] == 1.0 and true_stats["discrimination"] is None  # all right: undefined
    monkeypatch.setitem(app.config, "STATS_MIN_ATTEMPTS", 50)
    few = bank.get(f"{API}/variants/{false_item['variant_id']}/stats").json
    assert few["discrimination"] is None and few["flagged"] is False and few["min_attempts"] == 50
    assert bank.get(f"{API}/variants/flagged").json["items"] == []


def test_cli_exam_prints_json(runner, bank):
    result = runner.invoke("exam", "--topic", "9.3", "--items", "12", "--seed", "7", "--unreviewed",
                           "--format", "json")
    assert result.exit_code == 0, result.output
    import json

    payload = json.loads(result.stdout)
    items = [i for b in payload["blocks"] for i in b["items"]]
    assert len(items) == 12 and [i["number"] for i in items] == list(range(1, 13))
    assert sum(1 for i in items if i["label"] == "E") == 6
    bad = runner.invoke("exam", "--topic", "77.7", "--items", "5")
    assert bad.exit_code != 0 and "77.7" in bad.output


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    items=st.integers(min_value=1, max_value=60),
    ratio=st.sampled_from([0.0, 0.2, 0.5, 0.75, 1.0]),
    seed=st.integers(min_value=0, max_value=2**53),
    distribution=st.sampled_from(["proportional", "equal"]),
    versions=st.integers(min_value=1, max_value=3),
)
def test_property_same_seed_same_exam_and_rules_hold(bank, items, ratio, seed, distribution, versions):
    body = {"items": items, "false_ratio": ratio, "seed": seed, "distribution": distribution,
            "versions": versions, "use_unreviewed": True, "max_operator_share": 1.0}
    first = bank.post(f"{API}/exams", json=body)
    second = bank.post(f"{API}/exams", json=body)
    assert first.status_code == second.status_code
    if first.status_code == 422:
        assert first.json["code"] == "insufficient_items" and "available" in first.json
        return
    assert first.status_code == 201, first.json
    assert first.json["items"] == second.json["items"]
    for version in range(1, versions + 1):
        a = key_of(bank, first.json, version)
        b = key_of(bank, second.json, version)
        assert [(k["label"], k["assertion_id"], k["variant_id"]) for k in a] == \
               [(k["label"], k["assertion_id"], k["variant_id"]) for k in b]
    check_exam_rules(bank, first.json, items=items, false_items=false_count(items, ratio), max_share=1.0)


def test_different_seeds_draw_across_the_whole_bank(seeded):
    """Thirty 10-item exams from the 80-assertion seed: the draws spread over the bank instead of
    coming back to the same items (each assertion is expected in 30 x 10 / 80 = 3.75 of them)."""
    seen: Counter[int] = Counter()
    for seed in range(30):
        exam = seeded.post(f"{API}/exams", json={"items": 10, "false_ratio": 0, "seed": seed}).json
        seen.update(k["assertion_id"] for k in key_of(seeded, exam))
    assert len(seen) >= 70, f"only {len(seen)} of 80 assertions drawn in 30 exams"
    assert max(seen.values()) <= 10, seen.most_common(3)
