"""Block headings come from a precomputed word table, and say exactly what the engine's rule says."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.perturb.operators import lower_first as engine_lower_first
from app.services import headings
from tests.conftest import ROOT

API = "/api/v1"

TITLES = [
    "Definição e importância do MLOps na implantação de sistemas.", "Docker e contêineres", "Kubernetes",
    "Princípios fundamentais", "O papel do engenheiro", "As práticas de CI/CD", "Monitoramento de modelos",
    "MLflow e rastreamento", "Gestão de riscos", "Ética", "Umar", "Nuvem pública", "Python", "Ferramentas",
    "Lei nº 8.112/1990", "Análise de dados", "Desenvolvimento ágil", "Ciência de dados", "  espaços.  ",
    "Governança", "Aprendizado de máquina", "Estatística descritiva", "Segurança da informação", "Git",
]


@pytest.fixture(scope="module")
def corpus_titles() -> list[str]:
    """Every subtopic title of the seed and of the evaluation corpus."""
    titles = []
    for path in [*sorted((ROOT / "seeds").glob("*.txt")), *sorted((ROOT / "eval" / "corpus").glob("*.txt"))]:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        for index, line in enumerate(lines[:-1]):
            if line.strip().endswith("Subtópico:"):
                titles.append(lines[index + 1].strip().split(". ", 1)[-1])
    return titles


def test_headings_match_the_engine_rule_word_for_word(corpus_titles):
    assert len(corpus_titles) > 20
    for title in TITLES + corpus_titles:
        subject = title.strip().rstrip(".").strip()
        assert headings.lower_first(subject) == engine_lower_first(subject), title
    # Every first word of those titles is answered by the table as simplemma answers it.
    import simplemma

    for title in TITLES + corpus_titles:
        word = title.strip().split(" ", 1)[0].lower()
        if word:
            assert headings.is_known(word) == simplemma.is_known(word, lang="pt"), word


def test_exam_headings_are_the_engine_rule(bank):
    exam = bank.post(f"{API}/exams", json={"items": 40, "seed": 3, "use_unreviewed": True}).json
    assert exam["blocks"]
    for block in exam["blocks"]:
        subject = block["subtopic"].strip().rstrip(".").strip()
        first = subject.split(" ", 1)[0].lower()
        contracted = {"o": "ao", "a": "à", "os": "aos", "as": "às"}
        if first in contracted and " " in subject:
            expected = f"Julgue os itens a seguir, relativos {contracted[first]} {subject.split(' ', 1)[1]}."
        else:
            expected = f"Julgue os itens a seguir, relativos a {engine_lower_first(subject)}."
        assert block["heading"] == expected


def test_drawing_an_exam_does_not_load_the_dictionary(runner, bank, tmp_path):
    """A fresh `qbank exam` process draws and prints without simplemma's dictionary in memory."""
    code = (
        "import sys\n"
        "from app.cli import main\n"
        "try:\n"
        "    main(['exam', '--items', '20', '--seed', '5', '--unreviewed', '--format', 'json'])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "from simplemma.strategies.dictionaries import DEFAULT_DICTIONARY_FACTORY as f\n"
        "print('LOADED' if f._get_dictionary.cache_info().currsize else 'NOT LOADED', file=sys.stderr)\n"
    )
    headings.block_heading.cache_clear()
    headings.lower_first(headings.block_heading("Docker"))  # the table exists (built once per installation)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"DATABASE_URL": runner.url, "PATH": "/usr/bin:/bin",
                               "QBANK_CACHE_DIR": str(headings.table_path().parent)}, cwd=str(ROOT))
    assert done.returncode == 0, done.stderr
    assert '"items"' in done.stdout
    assert done.stderr.strip().endswith("NOT LOADED")
