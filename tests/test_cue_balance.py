"""Cue balance and true rewrites, through the engine, the HTTP API and the CLI."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import create_app
from app.config import TestConfig
from app.perturb.rewrites import true_rewrites
from tests.conftest import client_for, make_key
from tests.test_exams import API, check_exam_rules, key_of

REWRITES = {
    "A revogação do ato administrativo é irreversível.": "A revogação do ato administrativo não é reversível.",
    "A lei exige a prévia licitação para obras.": "A lei não dispensa a prévia licitação para obras.",
    "A decisão prescinde de autorização judicial.": "A decisão não depende de autorização judicial.",
    "É vedada a cassação de direitos políticos.": "Não é permitida a cassação de direitos políticos.",
}
NO_REWRITE = [
    "A lei exige que o servidor declare seus bens.",  # "não dispensa que" is not Portuguese
    "A revogação não é irreversível.",  # already negated
    "A automação reduz o tempo de entrega.",  # "não aumenta" is a contrary, not a complement
    "O estilo adequado depende da maturidade dos liderados.",  # "depende" may mean "varies with"
    "O voto é obrigatório para os maiores de dezoito anos e facultativo para os analfabetos.",
]


def test_true_rewrites_restate_through_a_negated_complement():
    for text, expected in REWRITES.items():
        rewrites = true_rewrites(text)
        assert [r.text for r in rewrites] == [expected], text
        assert rewrites[0].kind == "true_rewrite" and rewrites[0].explanation.startswith("CERTO.")
    for text in NO_REWRITE:
        assert true_rewrites(text) == [], text


def _cue_gap(client, exam) -> float:
    audit = client.get(f"{API}/exams/{exam['id']}/audit").json
    return next(g["net"] for g in audit["guessers"] if g["name"] == "cue_words")


def test_balanced_exams_give_cue_readers_less(bank):
    gaps = {True: [], False: []}
    for seed in range(4):
        for balance in (False, True):
            response = bank.post(f"{API}/exams", json={"items": 60, "seed": seed, "cue_balance": balance})
            assert response.status_code == 201, response.json
            exam = response.json
            assert exam["balance"]["cue_balance"] is balance
            check_exam_rules(bank, exam, items=60, false_items=30)
            gaps[balance].append(_cue_gap(bank, exam))
    # The seed's true assertions carry almost no cue word: unbalanced, the cue reader nets ~+0.5.
    assert min(gaps[False]) > 0.3
    assert max(gaps[True]) < min(gaps[False]) and sum(gaps[True]) / 4 <= 0.2


def test_balanced_seed_exams_meet_the_fixed_guessers_bounds(bank):
    """The issue's bounds for every fixed guesser (mean net <= 5 %, worst <= 15 % of the maximum), on
    60-item exams of the seed's 80 assertions: reachable only by bringing in assertions the draw left
    out (most of the seed's assertions have only negations as variants)."""
    nets: dict[str, list[float]] = {}
    for seed in range(6):
        exam = bank.post(f"{API}/exams", json={"items": 60, "seed": seed}).json
        check_exam_rules(bank, exam, items=60, false_items=30)
        for guesser in bank.get(f"{API}/exams/{exam['id']}/audit").json["guessers"]:
            nets.setdefault(guesser["name"], []).append(guesser["net"])
    assert set(nets) >= {"cue_words", "length", "shortness", "engine_words", "negations", "pairs"}
    for name, values in nets.items():
        assert max(values) <= 0.15 and sum(values) / len(values) <= 0.05, (name, values)


def test_a_true_item_shown_through_its_rewrite_is_keyed_certo(bank):
    rewrites = bank.get(f"{API}/variants?kind=true_rewrite").json["items"]
    assert rewrites and all(r["status"] == "approved" for r in rewrites)
    ids = {r["id"] for r in rewrites}
    for seed in range(12):
        exam = bank.post(f"{API}/exams", json={"items": 60, "seed": seed}).json
        shown = [k for k in key_of(bank, exam) if k["variant_id"] in ids]
        if shown:
            assert shown[0]["label"] == "C" and shown[0]["explanation"].startswith("CERTO.")
            assert shown[0]["original"] and shown[0]["operator"] in ("complement", "complement_attribute", "obligation")
            return
    pytest.fail("no exam of 12 showed the seed's true rewrite, though it narrows the negation gap")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**20), items=st.integers(20, 60))
def test_property_the_balance_report_is_true_to_the_exam(bank, seed, items):
    exam = bank.post(f"{API}/exams", json={"items": items, "seed": seed}).json
    report = exam["balance"]
    key = {k["number"]: k["label"] for k in key_of(bank, exam)}
    from app.services.audit.guessers import count_phrases, default_cue_lists, words
    cues = default_cue_lists().cue_words
    share = {}
    for label in "CE":
        texts = [i["text"] for i in exam["items"] if key[i["number"]] == label]
        share[label] = sum(1 for t in texts if count_phrases(words(t), cues)) / len(texts)
    assert report["shares"]["cue_words"] == {"true": round(share["C"], 4), "false": round(share["E"], 4)}
    within = abs(share["E"] - share["C"]) <= 0.10 + 1e-9
    assert report["balanced"] == (within and abs(report["median_length"]["false"] - report["median_length"]["true"])
                                  <= 0.05 * report["median_length"]["true"] + 1e-9)
    if not report["balanced"]:
        assert report["note"].startswith("equilíbrio não alcançado")


def test_cli_exam_can_turn_the_balance_off(runner, bank):
    import json

    on = json.loads(runner.invoke("exam", "--topic", "9.3", "--items", "20", "--seed", "3").stdout)
    off = runner.invoke("exam", "--topic", "9.3", "--items", "20", "--seed", "3", "--no-cue-balance")
    assert off.exit_code == 0, off.output
    balance = {state: bank.get(f"{API}/exams/{payload['exam_id']}").json["balance"]
               for state, payload in (("on", on), ("off", json.loads(off.stdout)))}
    assert balance["on"]["cue_balance"] is True and balance["off"]["cue_balance"] is False


def _shown(client, seed: int) -> list[str]:
    response = client.post(f"{API}/exams", json={"items": 40, "seed": seed})
    assert response.status_code == 201, response.json
    return [item["text"] for item in response.json["items"]]


def _set_surfaces(app, value) -> None:  # noqa: ANN001
    """Rewrite every stored cue-feature value with `value(column)`, as a release with other lists
    (or a bug) would leave them."""
    import sqlalchemy as sa

    from app.db import db

    with app.app_context(), db.engine.begin() as connection:
        for table in ("assertions", "variants"):
            column = sa.column("surface")
            connection.execute(sa.update(sa.table(table, column)).values(surface=value(column)))


def test_stored_cue_features_are_read_and_stale_ones_are_not(bank, app, runner, database_url):
    """Each text keeps its cue features (with the word lists' fingerprint) for the balance to read;
    a value computed with other lists is not trusted, and `qbank db upgrade` writes it again.

    The values are rewritten under the running app, as a release would leave them for the processes it
    starts: each round of exams is drawn by a new instance, which reads the pools again (the pools a
    process keeps are read again only after a write through the services, pools.py)."""
    seeds = (1, 2, 3)

    def shown_by_a_new_instance() -> list[list[str]]:
        instance = create_app(TestConfig, DATABASE_URL=database_url)
        client = client_for(instance, make_key(instance, "admin", name="new instance"))
        return [_shown(client, seed) for seed in seeds]

    baseline = [_shown(bank, seed) for seed in seeds]
    assert shown_by_a_new_instance() == baseline
    # Same fingerprint, every feature cleared: the balance believes them and draws other exams.
    _set_surfaces(app, lambda column: column - column % 8)
    assert shown_by_a_new_instance() != baseline
    # Another fingerprint (the low three bits are the features, the rest the lists' digest): stale,
    # so the features come from the texts again, and the exams are the first ones.
    _set_surfaces(app, lambda column: column + 8)
    assert shown_by_a_new_instance() == baseline
    upgrade = runner.invoke("db", "upgrade")
    assert upgrade.exit_code == 0, upgrade.output
    assert "cue features stored for" in upgrade.output
    assert shown_by_a_new_instance() == baseline
    again = runner.invoke("db", "upgrade")
    assert again.exit_code == 0 and "cue features stored" not in again.output
