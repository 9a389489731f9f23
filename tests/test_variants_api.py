"""Variants through the REST API and the offline `qbank perturb` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.perturb.text import Edit, apply_edits
from tests.conftest import SEED
from tests.test_bank_api import assert_problem

API = "/api/v1"


def seed_assertion(client, subtopic: int, number: int) -> dict:
    topic = client.get(f"{API}/topics").json["items"][0]
    sub = next(s for s in client.get(f"{API}/topics/{topic['id']}/subtopics").json["items"] if s["number"] == subtopic)
    return next(a for a in client.get(f"{API}/subtopics/{sub['id']}/assertions").json["items"] if a["number"] == number)


def test_generate_for_one_assertion_is_reproducible_and_idempotent(seeded):
    item = seed_assertion(seeded, 6, 3)  # "A automação reduz o tempo necessário ..."
    first = seeded.post(f"{API}/assertions/{item['id']}/variants", json={"seed": 4, "top": 3})
    assert first.status_code == 201, first.json
    body = first.json
    assert body["seed"] == 4 and len(body["items"]) == 3
    texts = [v["text"] for v in body["items"]]
    assert "A automação aumenta o tempo necessário para realizar tarefas repetitivas e de rotina no MLOps." in texts
    for v in body["items"]:
        assert v["status"] == "pending" and v["origin"] == "generated" and v["text"] != item["text"]
        assert v["explanation"].startswith("ERRADO.") and v["changes"]
        assert set(v["changes"][0]) == {"from", "to", "start", "end"}
    assert [v["rank"] for v in body["items"]] == [1, 2, 3]
    again = seeded.post(f"{API}/assertions/{item['id']}/variants", json={"seed": 4, "top": 3}).json
    assert [v["id"] for v in again["items"]] == [v["id"] for v in body["items"]]
    listed = seeded.get(f"{API}/assertions/{item['id']}/variants").json
    assert listed["total"] == 3


def test_review_workflow_approve_reject_edit_delete(seeded):
    item = seed_assertion(seeded, 1, 9)
    generated = seeded.post(f"{API}/assertions/{item['id']}/variants", json={}).json["items"]
    assert generated
    first, second = generated[0], generated[1]
    approved = seeded.patch(f"{API}/variants/{first['id']}", json={"status": "approved"})
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    assert approved.json["version"] == first["version"] + 1
    assert seeded.patch(f"{API}/variants/{second['id']}", json={"status": "rejected"}).json["status"] == "rejected"
    edited = seeded.patch(f"{API}/variants/{second['id']}", json={
        "text": "A aplicação de práticas de MLOps dobra o tempo de colocação de um modelo em produção.",
        "explanation": "ERRADO. As práticas de MLOps reduzem esse tempo.",
    }).json
    assert edited["changes"] == [] and edited["text"].startswith("A aplicação de práticas de MLOps dobra")
    queue = seeded.get(f"{API}/variants?status=pending&assertion_id={item['id']}").json
    assert all(v["status"] == "pending" for v in queue["items"])
    assert seeded.get(f"{API}/variants?status=approved").json["total"] == 1
    assert seeded.delete(f"{API}/variants/{first['id']}").status_code == 204
    assert_problem(seeded.get(f"{API}/variants/{first['id']}"), 404)
    assert_problem(seeded.patch(f"{API}/variants/{second['id']}", json={"status": "maybe"}), 422, field="status")


def test_hand_written_variants(seeded):
    item = seed_assertion(seeded, 6, 8)  # "A automação agiliza o escalonamento de modelos no MLOps."
    url = f"{API}/assertions/{item['id']}/variants"
    response = seeded.post(url, json={
        "text": "A automação impede o escalonamento de modelos no MLOps.",
        "explanation": "ERRADO. A automação agiliza, e não impede, o escalonamento.",
    })
    assert response.status_code == 201
    variant = response.json["items"][0]
    assert (variant["origin"], variant["status"], variant["operator"]) == ("manual", "approved", "manual")
    assert_problem(seeded.post(url, json={"text": variant["text"], "explanation": "x"}), 409, field="text")
    assert_problem(seeded.post(url, json={"text": item["text"], "explanation": "x"}), 409, field="text")
    other = seed_assertion(seeded, 6, 1)
    assert_problem(seeded.post(url, json={"text": other["text"], "explanation": "x"}), 409, field="text")
    assert_problem(seeded.post(url, json={"text": "Só o texto."}), 422, field="explanation")
    assert_problem(seeded.post(url, json={"text": "x", "explanation": "y", "seed": 3}), 422)


def test_false_assertions_get_no_variants(seeded):
    item = seed_assertion(seeded, 2, 1)
    seeded.patch(f"{API}/assertions/{item['id']}", json={"label": "E"})
    assert_problem(seeded.post(f"{API}/assertions/{item['id']}/variants", json={}), 422, field="label")
    assert_problem(seeded.post(f"{API}/assertions/999999/variants", json={}), 404)


def test_bulk_generation_for_a_topic_covers_the_seed(seeded):
    topic = seeded.get(f"{API}/topics").json["items"][0]
    response = seeded.post(f"{API}/topics/{topic['id']}/variants", json={"seed": 1, "top": 3})
    assert response.status_code == 201
    result = response.json
    assert result["assertions"] == 80 and result["with_variants"] >= 76
    assert result["created"] == result["variants"] > 120
    assert max(result["operators_first"].values()) <= 0.8 * result["with_variants"]  # precision-first ranking
    assert len(result["operators_first"]) >= 4
    again = seeded.post(f"{API}/topics/{topic['id']}/variants", json={"seed": 1, "top": 3}).json
    assert again["created"] == 0 and again["variants"] == result["variants"]
    listed = seeded.get(f"{API}/variants?topic_id={topic['id']}&kind=false&page_size=1").json
    assert listed["total"] == result["variants"]
    rewrites = seeded.get(f"{API}/variants?topic_id={topic['id']}&kind=true_rewrite").json["items"]
    assert len(rewrites) == result["rewrites"] >= 1  # the seed states one necessity: "é necessário ..."
    assert all(r["kind"] == "true_rewrite" and r["explanation"].startswith("CERTO.") for r in rewrites)
    by_operator = seeded.get(f"{API}/variants?operator=relation_inversion").json["items"]
    assert all(v["operator"] == "relation_inversion" for v in by_operator)


def test_variants_keep_the_back_reference_of_their_assertion(seeded):
    item = seed_assertion(seeded, 5, 5)  # "Para solucionar o desafio mencionado anteriormente, ..."
    assert item["depends_on_id"] is not None
    for variant in seeded.post(f"{API}/assertions/{item['id']}/variants", json={"top": 10}).json["items"]:
        assert "mencionado anteriormente" in variant["text"]
    assert seeded.get(f"{API}/assertions/{item['id']}").json["depends_on_id"] == item["depends_on_id"]


def test_deleting_an_assertion_deletes_its_variants(seeded):
    item = seed_assertion(seeded, 6, 3)
    variant = seeded.post(f"{API}/assertions/{item['id']}/variants", json={"top": 1}).json["items"][0]
    assert seeded.delete(f"{API}/assertions/{item['id']}").status_code == 204
    assert seeded.get(f"{API}/variants/{variant['id']}").status_code == 404


def test_perturb_cli_json_and_report(runner):
    result = runner.invoke("perturb", str(SEED), "--json", "--top", "2", "--seed", "3")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 80
    first = lines[0]
    assert set(first) == {"topic", "subtopic", "number", "text", "variants"}
    assert all(len(line["variants"]) <= 2 for line in lines)
    assert set(first["variants"][0]) >= {"text", "operator", "category", "changes", "explanation"}
    report = runner.invoke("perturb", str(SEED), "--report")
    assert "with at least one variant: 79 (98.8%)" in report.output
    assert "first-ranked variants by operator:" in report.output


def test_perturb_is_the_same_across_processes_and_hash_seeds(tmp_path):
    """No hash() or set order: two interpreters with different PYTHONHASHSEED agree byte for byte."""
    qbank = Path(sys.executable).with_name("qbank")
    outputs = []
    for hash_seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run([str(qbank), "perturb", str(SEED), "--json", "--seed", "9"],
                              env=env, capture_output=True, check=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and len(outputs[0]) > 10_000


def test_perturb_cli_reports_bad_documents(runner, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("Assertivas:\n1. x\n", encoding="utf-8")
    result = runner.invoke("perturb", str(bad))
    assert result.exit_code == 1 and f"{bad}:1:" in result.output


def test_variants_generate_cli_matches_the_bulk_endpoint_and_opens_the_first_exam(runner, client):
    """Right after `make run`: import, `qbank variants generate`, then an exam with unreviewed variants."""
    empty = runner.invoke("variants", "generate")
    assert empty.exit_code != 0 and "no topics" in empty.output
    assert runner.invoke("import", str(SEED)).exit_code == 0
    no_variants = runner.invoke("exam", "--topic", "9.3", "--items", "10", "--seed", "7")
    assert no_variants.exit_code != 0 and "qbank variants generate" in no_variants.output
    made = runner.invoke("variants", "generate", "--topic", "9.3", "--seed", "2", "--top", "2")
    assert made.exit_code == 0, made.output
    assert "topic 9.3: 79 of 80 true assertions have variants" in made.stdout
    stored = client.get(f"{API}/variants?kind=false&page_size=100").json
    assert stored["total"] > 80 and {v["status"] for v in stored["items"]} == {"pending"}
    # The same seed and top through the API finds every variant already there: nothing new.
    topic = client.get(f"{API}/topics").json["items"][0]
    again = client.post(f"{API}/topics/{topic['id']}/variants", json={"seed": 2, "top": 2}).json
    assert again["created"] == 0 and again["variants"] == stored["total"]
    pending = runner.invoke("exam", "--topic", "9.3", "--items", "10", "--seed", "7")
    assert pending.exit_code != 0 and "awaiting review" in pending.output and "--unreviewed" in pending.output
    exam = runner.invoke("exam", "--topic", "9.3", "--items", "10", "--seed", "7", "--unreviewed",
                         "--false-ratio", "0.1")
    assert exam.exit_code == 0, exam.output
    assert exam.exit_code == 0 and sum(1 for i in json.loads(exam.stdout)["blocks"] for _ in i["items"]) == 10
    unknown = runner.invoke("variants", "generate", "--topic", "77.7")
    assert unknown.exit_code != 0 and "77.7" in unknown.output


# What reading the variants of eval/corpus/01_review_corpus.txt by eye found wrong once, each fixed in the
# engine: no variant of the corpus may contain any of these again.
KNOWN_BAD = (
    "salvo não comprovada", "não deve obrigatoriamente", "sempre, não", "dois etapas", "SELECT TABLE",
    "GRANT TABLE", "só não", "Não uma", "instáveis só", "quem não é", "integra a governança",
    "mais lento possível", "um ou menos", "unilateralmente exclusivamente", "completamente significativamente",
    "ainda não", "exclusivamente pela entidade", "exclusivamente pelos estágios",
)


def test_review_corpus_outside_the_seed_subject(runner):
    """110 assertions on law, security, databases, networks, management, accounting and statistics,
    written to review the engine: every variant well formed, none with a construction found wrong."""
    corpus = Path(__file__).parent.parent / "eval" / "corpus" / "01_review_corpus.txt"
    result = runner.invoke("perturb", str(corpus), "--json", "--top", "4")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(rows) == 110
    with_variants = [r for r in rows if r["variants"]]
    assert len(with_variants) >= 90  # 104 before the precision guards, 96 after
    for row in rows:
        for variant in row["variants"]:
            text = variant["text"]
            assert text != row["text"] and variant["explanation"].startswith("ERRADO. ")
            changes = variant["changes"]
            assert all(row["text"][c["start"]:c["end"]] == c["from"] for c in changes)
            assert apply_edits(row["text"], tuple(Edit(c["start"], c["end"], c["to"]) for c in changes)) == text
            assert " não não " not in text.lower()
            assert not [bad for bad in KNOWN_BAD if bad in text], (row["text"], text)
