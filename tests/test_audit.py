"""The guesser audit: each guesser on hand-made exams, the endpoint, the CLI and the commented key."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from app.cli import main
from app.errors import Invalid
from app.search import fold
from app.services.audit import AuditItem, run_fixed
from app.services.audit.guessers import PAIR_JACCARD, by_cue_words, default_cue_lists, jaccard, words
from app.services.audit.learned import learned_guesser
from tests.conftest import approve_all_variants
from tests.test_bank_api import assert_problem
from tests.test_exports import pdf_text, squash

API = "/api/v1"
FIXED = ["cue_words", "length", "shortness", "engine_words", "negations", "pairs"]


def exam_of(*rows: tuple[str, str]) -> list[AuditItem]:
    return [AuditItem(n, text, label) for n, (text, label) in enumerate(rows, start=1)]


def result(items: list[AuditItem], name: str, **kwargs) -> tuple[int, int, int, float]:
    found = next(g for g in run_fixed(items, **kwargs) if g.name == name)
    return found.right, found.wrong, found.blank, found.net


# --- each guesser on exams whose outcome is known ------------------------------------------------

CUE_EXAM = exam_of(
    ("A implantação contínua não exige testes automatizados.", "E"),  # "não": E, right
    ("O versionamento de modelos permite reproduzir resultados.", "C"),  # no cue: C, right
    ("O monitoramento é feito SOMENTE por humanos.", "E"),  # "somente", any case: E, right
    ("Nunca se deve ignorar a deriva de dados.", "C"),  # "nunca": E, wrong
    ("A automação reduz falhas em produção.", "E"),  # no cue: C, wrong
    ("Qualquer contêiner isola dependências.", "E"),  # "qualquer": E, right
)

LENGTH_EXAM = exam_of(  # 10, 20, 30, 40, 50 characters: the median is 30
    ("a" * 10, "C"),  # C, right
    ("b" * 20, "C"),  # C, right
    ("c" * 30, "E"),  # at the median, not above it: C, wrong
    ("d" * 40, "E"),  # E, right
    ("e" * 50, "C"),  # E, wrong
)

ENGINE_EXAM = exam_of(
    ("A técnica elimina completamente o risco de falhas.", "E"),  # extrapolations.txt target: E, right
    ("O cache É OBRIGATÓRIO nesse cenário.", "C"),  # modals.txt target, any case and accents: E, wrong
    ("A auditoria pode ser feita por terceiros.", "C"),  # "pode" is the source, not the target: C, right
    ("A automação reduz falhas.", "E"),  # C, wrong
    ("Unicamente o gestor aprova mudanças.", "E"),  # absolutes.txt: E, right
)

NEGATION_EXAM = exam_of(
    ("O teste não é opcional.", "C"),  # one: E, wrong
    ("Não é verdade que o modelo nunca falha.", "E"),  # two: C, wrong
    ("O modelo jamais erra.", "E"),  # one: E, right
    ("Ninguém disse nada, e não houve falha.", "E"),  # three: E, right
    ("O log registra eventos.", "C"),  # none: C, right
)

PAIR_EXAM = exam_of(
    ("Contêineres isolam dependências.", "C"),  # pair with the next: fewer cue words -> C, right
    ("Contêineres não isolam dependências.", "E"),  # more cue words -> E, right
    ("O cluster escala horizontalmente sob demanda.", "C"),  # same cues, longer -> E, wrong
    ("O cluster escala verticalmente sob demanda.", "E"),  # shorter -> C, wrong
    ("Os dados são versionados diariamente.", "C"),  # an exact tie with the next: both blank
    ("Os dados são versionados diariamente!", "E"),
    ("A latência depende da rede.", "C"),  # in no pair: blank
)


@pytest.mark.parametrize("name, items, expected", [
    ("cue_words", CUE_EXAM, (4, 2, 0, 0.3333)),
    ("length", LENGTH_EXAM, (3, 2, 0, 0.2)),
    ("shortness", LENGTH_EXAM, (1, 4, 0, -0.6)),  # E, E, C (the median), C, C
    ("engine_words", ENGINE_EXAM, (3, 2, 0, 0.2)),
    ("negations", NEGATION_EXAM, (3, 2, 0, 0.2)),
    ("pairs", PAIR_EXAM, (2, 2, 3, 0.0)),
])
def test_each_guesser_scores_right_wrong_blank_and_net(name, items, expected):
    assert result(items, name) == expected


def test_a_perfect_cue_scores_the_maximum_and_an_inverted_one_its_negative():
    honest = exam_of(("X não é Y.", "E"), ("X é Y.", "C"), ("Z nunca é W.", "E"), ("Z é W.", "C"))
    assert result(honest, "cue_words") == (4, 0, 0, 1.0)
    inverted = [AuditItem(i.number, i.text, "C" if i.label == "E" else "E") for i in honest]
    assert result(inverted, "cue_words") == (0, 4, 0, -1.0)


def test_pairs_need_the_documented_overlap():
    # 3 shared words of 4 (0.75) pair; 3 of 6 (0.5) do not.
    assert jaccard(words("Contêineres isolam dependências."), words("Contêineres não isolam dependências.")) == 0.75
    assert PAIR_JACCARD == 0.6
    apart = exam_of(("Contêineres isolam dependências.", "C"),
                    ("Contêineres não isolam dependências de rede.", "E"))
    assert result(apart, "pairs") == (0, 0, 2, 0.0)


def test_a_topic_adds_its_own_cue_words():
    assert result(CUE_EXAM, "cue_words", extra_cue_words=["reduz"]) == (5, 1, 0, 0.6667)


def test_the_audit_does_not_depend_on_item_order():
    items = CUE_EXAM + [AuditItem(7 + i.number, i.text, i.label) for i in PAIR_EXAM]
    shuffled = list(reversed(items))
    assert [g.as_dict() for g in run_fixed(items)] == [g.as_dict() for g in run_fixed(shuffled)]


def test_learned_guesser_learns_a_cue_from_its_training_items():
    subjects = ["O pipeline", "O modelo", "O contêiner", "O cluster", "O servidor", "O agente", "O teste",
                "O registro"]
    training = [AuditItem(n, f"{s} {verb} os dados.", label) for n, s in enumerate(subjects)
                for verb, label in (("valida", "C"), ("não valida", "E"))]
    exam = exam_of(("A rotina não processa os arquivos.", "E"), ("A rotina processa os arquivos.", "C"))
    learned = learned_guesser(exam, training)
    assert (learned.name, learned.right, learned.wrong, learned.blank, learned.net) == ("learned", 2, 0, 0, 1.0)
    assert learned.training_items == 16 and "regressão logística" in learned.description
    with pytest.raises(Invalid, match="at least 5 true and 5 false"):
        learned_guesser(exam, training[:8])


# --- through the API, the CLI and the commented key ----------------------------------------------


@pytest.fixture
def bank(seeded):
    """The seed with three variants per assertion, all approved."""
    topic = seeded.get(f"{API}/topics").json["items"][0]
    assert seeded.post(f"{API}/topics/{topic['id']}/variants", json={"seed": 1, "top": 3}).status_code == 201
    approve_all_variants(seeded)
    return seeded


def make_exam(client, **params) -> dict:
    response = client.post(f"{API}/exams", json={"items": 20, "seed": 3, "use_unreviewed": True, **params})
    assert response.status_code == 201, response.json
    return response.json


def items_with_key(client, exam: dict, version: int = 1) -> list[AuditItem]:
    texts = client.get(f"{API}/exams/{exam['id']}?version={version}").json["items"]
    key = client.get(f"{API}/exams/{exam['id']}/key?version={version}").json["items"]
    return [AuditItem(t["number"], t["text"], k["label"]) for t, k in zip(texts, key, strict=True)]


def test_authors_read_the_fixed_guessers_of_every_version(bank, as_role):
    exam = make_exam(bank, versions=2)
    author = as_role("author")
    response = author.get(f"{API}/exams/{exam['id']}/audit")
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["exam_id"], body["item_count"], body["false_items"], body["versions"]) == (exam["id"], 20, 10, 2)
    assert [g["name"] for g in body["guessers"]] == FIXED
    for guesser in body["guessers"]:
        assert guesser["right"] + guesser["wrong"] + guesser["blank"] == 20
        assert guesser["net"] == round((guesser["right"] - guesser["wrong"]) / 20, 4)
        assert guesser["description"] and "learned" not in guesser
    # The same figures as the guessers run on what candidates and the key show, in either caderno.
    for version in (1, 2):
        expected = [g.as_dict() for g in run_fixed(items_with_key(bank, exam, version))]
        assert body["guessers"] == expected
    assert bank.get(f"{API}/exams/{exam['id']}/audit").status_code == 200  # admin


def test_consumers_may_not_read_the_audit_even_of_their_own_exam(bank, as_role):
    consumer = as_role("consumer")
    exam = make_exam(consumer, use_unreviewed=False)  # a consumer key needs an admin's leave for unreviewed
    response = consumer.get(f"{API}/exams/{exam['id']}/audit")
    assert_problem(response, 403)
    assert response.json["code"] == "forbidden_for_role" and "consumer" in response.json["detail"]


def test_unknown_exam_and_bad_query_are_client_errors(bank):
    assert_problem(bank.get(f"{API}/exams/999/audit"), 404)
    assert_problem(bank.get(f"{API}/exams/999/audit?learned=maybe"), 422, field="learned")
    exam = make_exam(bank)
    assert_problem(bank.get(f"{API}/exams/{exam['id']}/audit?verbose=1"), 422, field="verbose")


def test_learned_guesser_on_demand_never_trains_on_the_exam(bank):
    exam = make_exam(bank)
    body = bank.get(f"{API}/exams/{exam['id']}/audit?learned=true").json
    assert [g["name"] for g in body["guessers"]] == FIXED + ["learned"]
    learned = body["guessers"][-1]
    assert learned["right"] + learned["wrong"] + learned["blank"] == 20
    assert learned["net"] == round((learned["right"] - learned["wrong"]) / 20, 4)
    # It practises on every published assertion and approved variant except the exam's own.
    in_exam = {k["assertion_id"] for k in bank.get(f"{API}/exams/{exam['id']}/key").json["items"]}
    assertions = bank.get(f"{API}/assertions?page_size=200").json["items"]
    variants, page = [], 1
    while True:
        listed = bank.get(f"{API}/variants?status=approved&page_size=100&page={page}").json
        variants += listed["items"]
        if page >= listed["pages"]:
            break
        page += 1
    outside = [a for a in assertions if a["id"] not in in_exam and a["status"] == "published"]
    outside_variants = [v for v in variants if v["assertion_id"] not in in_exam]
    assert learned["training_items"] == len(outside) + len(outside_variants)
    assert learned["practice"] == "bank"  # no other exam to practise on yet
    # Asked without ?learned, the stored audit only.
    assert [g["name"] for g in bank.get(f"{API}/exams/{exam['id']}/audit").json["guessers"]] == FIXED


def test_learned_guesser_practises_on_the_other_exams_items(bank):
    exams = [make_exam(bank, seed=seed) for seed in (11, 12, 13, 14)]
    audited = exams[0]
    key = bank.get(f"{API}/exams/{audited['id']}/key").json["items"]
    in_exam = {k["assertion_id"] for k in key}
    texts_in_exam = {fold(i["text"]) for i in audited["items"]} | {fold(k["original"]) for k in key if k["original"]}
    seen: set[str] = set()
    for other in exams[1:]:
        other_key = bank.get(f"{API}/exams/{other['id']}/key").json["items"]
        for item, k in zip(other["items"], other_key, strict=True):
            folded = fold(item["text"])
            if k["assertion_id"] not in in_exam and folded not in texts_in_exam:
                seen.add(folded)
    body = bank.get(f"{API}/exams/{audited['id']}/audit?learned=true").json
    learned = body["guessers"][-1]
    assert (learned["name"], learned["practice"], learned["training_items"]) == ("learned", "exams", len(seen))
    bank_trained = bank.get(f"{API}/exams/{audited['id']}/audit?learned=true&practice=bank").json["guessers"][-1]
    assert bank_trained["practice"] == "bank" and bank_trained["training_items"] > learned["training_items"]
    assert_problem(bank.get(f"{API}/exams/{audited['id']}/audit?learned=true&practice=memory"), 422,
                   field="practice")


def test_a_topic_cue_word_file_is_used_when_the_exam_is_issued(bank, app, tmp_path, monkeypatch):
    # Same bank, parameters and seed give the same exam: issue it once to find a word that only one
    # true, uncued item has, then again with that word as one of the topic's cue words.
    plain = make_exam(bank, seed=4)
    items = items_with_key(bank, plain)
    default_cued = {i.number for i in items if by_cue_words([i], default_cue_lists()) == ["E"]}
    counts = Counter(w for i in items for w in set(words(i.text)))
    word = next(w for i in items if i.label == "C" and i.number not in default_cued
                for w in sorted(words(i.text), key=len, reverse=True) if counts[w] == 1 and len(w) > 3)
    (tmp_path / "9.3").mkdir()
    (tmp_path / "9.3" / "cue_words.txt").write_text(f"# this topic's own\n{word}\n", encoding="utf-8")
    monkeypatch.setitem(app.config, "LEXICON_DIR", str(tmp_path))
    exam = make_exam(bank, seed=4)
    assert items_with_key(bank, exam) == items
    stored = bank.get(f"{API}/exams/{exam['id']}/audit").json["guessers"]
    before = bank.get(f"{API}/exams/{plain['id']}/audit").json["guessers"]
    assert (stored[0]["right"], stored[0]["wrong"]) == (before[0]["right"] - 1, before[0]["wrong"] + 1)
    assert stored == [g.as_dict() for g in run_fixed(items, extra_cue_words=[word])]
    # Stored when issued: a later change of the list does not rewrite the exam's audit.
    (tmp_path / "9.3" / "cue_words.txt").write_text("", encoding="utf-8")
    assert bank.get(f"{API}/exams/{exam['id']}/audit").json["guessers"] == stored


def test_cli_prints_the_audit_and_writes_it_as_json(bank, runner, tmp_path):
    exam = make_exam(bank)
    api = bank.get(f"{API}/exams/{exam['id']}/audit?learned=true").json
    result = runner.invoke("exam", "--id", str(exam["id"]), "--audit")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"exam {exam['id']}: 20 items, 10 false; net = (right - wrong) / items"
    for guesser in api["guessers"][:-1]:
        row = next(line for line in lines if line.startswith(guesser["name"] + " "))
        assert row.split()[1:4] == [str(guesser["right"]), str(guesser["wrong"]), str(guesser["blank"])]
        assert row.split()[4] == f"{guesser['net']:+.1%}"
    assert not any(line.startswith("learned") for line in lines)
    out = tmp_path / "audit.json"
    result = runner.invoke("exam", "--id", str(exam["id"]), "--audit", "--learned", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8")) == api
    misuse = runner.cli.invoke(main, ["exam", "--id", str(exam["id"]), "--learned"], env={"DATABASE_URL": runner.url})
    assert misuse.exit_code == 2 and "--learned is an option of --audit" in misuse.output
    generated = runner.invoke("exam", "--items", "10", "--seed", "5", "--unreviewed", "--audit")
    assert generated.exit_code == 0 and "cue_words" in generated.stdout


def test_the_commented_key_carries_the_audit(bank, tmp_path):
    exam = make_exam(bank)
    guessers = bank.get(f"{API}/exams/{exam['id']}/audit").json["guessers"]
    pdf = bank.get(f"{API}/exams/{exam['id']}/export?format=pdf&key=commented").data
    text = squash(pdf_text(pdf, tmp_path, raw=True))
    html = squash(bank.get(f"{API}/exams/{exam['id']}/export?format=html&key=commented").get_data(as_text=True))
    assert squash("AUDITORIA DE CHUTES") in text and squash("Auditoria de chutes") in html
    for guesser in guessers:
        net = f"{guesser['net'] * 100:+.1f}".replace(".", ",").replace("-", "−") if guesser["net"] else "0,0"
        line = squash(f"{guesser['right']} certos, {guesser['wrong']} errados, {guesser['blank']} em branco; "
                      f"líquido {net} % da nota máxima.")
        assert squash(guesser["description"]) in text and line in text
        assert line in html
    plain = pdf_text(bank.get(f"{API}/exams/{exam['id']}/export?format=pdf&key=true").data, tmp_path)
    assert "AUDITORIA" not in plain
