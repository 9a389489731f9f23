"""Long command-line work says how far it is: plain lines on stderr when the output is no terminal
(a bar on a terminal), and stdout keeps only the result."""

from __future__ import annotations

import re


def test_fake_reports_progress_in_tenths_on_stderr(runner):
    result = runner.invoke("fake", "--topics", "1", "--subtopics", "2", "--assertions", "5", "--seed", "3")
    assert result.exit_code == 0, result.output
    lines = re.findall(r"^fake: assertions written: (\d+)/10 \((\d+)%\)$", result.stderr, flags=re.M)
    assert lines and lines[-1] == ("10", "100")
    assert [int(done) for done, _ in lines] == sorted(int(done) for done, _ in lines)
    assert "assertions written" not in result.stdout and "added 1 topics" in result.stdout


def test_import_and_variants_generate_report_each_tenth_of_the_assertions(runner, seed_bytes, tmp_path):
    doc = tmp_path / "seed.txt"
    doc.write_bytes(seed_bytes)
    imported = runner.invoke("import", str(doc))
    assert imported.exit_code == 0, imported.output
    # One topic of 80 assertions: the import reports it in one step, at 100 %.
    assert re.findall(r"^import: assertions written: (\d+)/80 \((\d+)%\)$", imported.stderr, flags=re.M) == \
        [("80", "100")]
    assert "assertions written" not in imported.stdout
    result = runner.invoke("variants", "generate", "--topic", "9.3", "--seed", "1", "--top", "1")
    assert result.exit_code == 0, result.output
    tenths = re.findall(r"^variants: assertions done: (\d+)/80 \((\d+)%\)$", result.stderr, flags=re.M)
    assert [pct for _, pct in tenths] == [str(p) for p in range(10, 101, 10)]
    assert "topic 9.3:" in result.stdout and "assertions done" not in result.stdout


def test_the_readme_s_120_item_caderno_across_topics(runner, seed_bytes, tmp_path):
    """README, "A first exam": the seed and two corpus documents fill a 120-item caderno."""
    import subprocess

    from tests.conftest import ROOT
    from tests.test_exports import tool

    seed = tmp_path / "seed.txt"
    seed.write_bytes(seed_bytes)
    assert runner.invoke("import", str(seed)).exit_code == 0
    corpus = [str(ROOT / "eval" / "corpus" / name) for name in ("26_cloud_devops.txt", "27_ciencia_dados.txt")]
    assert runner.invoke("import", *corpus).exit_code == 0
    assert runner.invoke("variants", "generate").exit_code == 0
    out = tmp_path / "caderno.pdf"
    made = runner.invoke("exam", "--items", "120", "--seed", "7", "--unreviewed", "--format", "pdf",
                         "--key", "commented", "-o", str(out))
    assert made.exit_code == 0, made.output
    text = subprocess.run([tool("pdftotext"), str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "120 itens" in text and "FOLHA DE RESPOSTAS" in text and "GABARITO COMENTADO" in text
    # Items of all three documents: each corpus topic's subtopics head blocks of the caderno.
    flat = " ".join(text.split())
    assert "relativos a características essenciais e modelos de serviço" in flat  # 26.1
    assert "relativos a definição e importância do MLOps" in flat.replace("Definição", "definição")  # 9.3
    assert any(f"relativos a {t}" in flat for t in ("tipos de aprendizado de máquina", "algoritmos de "
                                                      "classificação", "avaliação de modelos"))  # 27.1
