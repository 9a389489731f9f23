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


def test_variants_generate_reports_each_tenth_of_the_assertions(runner, seed_bytes, tmp_path):
    doc = tmp_path / "seed.txt"
    doc.write_bytes(seed_bytes)
    assert runner.invoke("import", str(doc)).exit_code == 0
    result = runner.invoke("variants", "generate", "--topic", "9.3", "--seed", "1", "--top", "1")
    assert result.exit_code == 0, result.output
    tenths = re.findall(r"^variants: assertions done: (\d+)/80 \((\d+)%\)$", result.stderr, flags=re.M)
    assert [pct for _, pct in tenths] == [str(p) for p in range(10, 101, 10)]
    assert "topic 9.3:" in result.stdout and "assertions done" not in result.stdout
