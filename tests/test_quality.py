"""Item quality on the judged evaluation corpus (eval/): the figures the issue sets as targets.

The corpus is 494 true assertions in 17 subjects; eval/judgements.tsv holds a reader's verdict on
every variant the engine ranks in an assertion's top 3. These tests run the CLI's evaluation and
fail when a change of the engine lowers precision, lets a variant judged bad back into first
place, produces variants nobody has read, or leaves the shipped precision table out of date.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main
from app.perturb.evaluation import OK, REWRITE_VERDICTS, evaluate_rewrites, load_judgements
from app.services.importer import parse_seed

ROOT = Path(__file__).resolve().parent.parent
CORPUS = sorted((ROOT / "eval" / "corpus").glob("*.txt"))
JUDGEMENTS = ROOT / "eval" / "judgements.tsv"
REWRITE_JUDGEMENTS = ROOT / "eval" / "rewrite_judgements.tsv"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def rewrites():
    """The true rewrites of the corpus and the seed, against their judgements."""
    texts = [item.text for path in CORPUS + SEEDS for topic in parse_seed(path.read_bytes(), name=path.name).topics
             for sub in topic.subtopics for item in sub.items]
    return evaluate_rewrites(texts, load_judgements([REWRITE_JUDGEMENTS], verdicts=REWRITE_VERDICTS))


def test_every_true_rewrite_has_been_read_and_keeps_the_truth(rewrites):
    """A rewrite that changes the truth is the worst defect cue balance could bring: the key would
    say C for a false item. Every rewrite the engine writes on the corpus is judged, none of them
    becomes false, and their family is precise enough to be trusted."""
    assert rewrites["assertions_with_rewrites"] >= 10
    assert not rewrites["unjudged"], "judge them in eval/rewrite_judgements.tsv: " + "; ".join(
        entry["rewrite"] for entry in rewrites["unjudged"])
    for name, family in rewrites["families"].items():
        assert "becomes-false" not in family["verdicts"], name
        assert family["precision"] >= 0.9, name
# Variants judged bad that still rank first, each listed with why it is left (a ratchet: the list
# may only shrink; a bad variant not listed here reaching first place fails the suite).
KNOWN_BAD_FIRST = ROOT / "eval" / "known_bad_first.txt"
PRECISION_TABLE = ROOT / "app" / "perturb" / "data" / "precision.tsv"


@pytest.fixture(scope="module")
def evaluation():
    """`qbank perturb eval/corpus/*.txt --evaluate eval/judgements.tsv --json` (offline: no database)."""
    result = CliRunner().invoke(main, ["perturb", *map(str, CORPUS), "--evaluate", str(JUDGEMENTS), "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_corpus_is_large_and_varied(evaluation):
    assert evaluation["assertions"] >= 400
    titles = [line for path in CORPUS for line in path.read_text(encoding="utf-8").splitlines()
              if line.startswith("Pergunta Original:")]
    assert len(titles) >= 12


def test_every_top_variant_has_been_read(evaluation):
    unjudged = evaluation["unjudged"]
    assert not unjudged, "unjudged variants (eval/judging.py export, then merge):\n" + "\n".join(
        f"{u['source']} [{u['operator']}] {u['variant']}" for u in unjudged[:20])


# Issue 10's targets, and the floors this suite holds the engine to. Every target is met today, so
# the floors are the targets: a change that falls below one fails. (While a target was not met, its
# floor was what had been measured, and only moved towards the target; the test below keeps them so.)
TARGETS = {"first": 0.95, "top_3": 0.90, "coverage": 0.95, "two_or_more": 0.70, "max_first_share": 0.40}
FLOORS = dict(TARGETS)


def test_precision_holds_its_floor(evaluation):
    assert evaluation["first"]["precision"] >= FLOORS["first"]
    assert evaluation["top_3"]["precision"] >= FLOORS["top_3"]


def test_coverage_and_spread_hold_their_floor(evaluation):
    assert evaluation["coverage"] >= FLOORS["coverage"]
    assert evaluation["two_or_more"] >= FLOORS["two_or_more"]
    assert evaluation["max_first_share"] <= FLOORS["max_first_share"]


def test_floors_never_pass_the_targets():
    for name, target in TARGETS.items():
        floor = FLOORS[name]
        assert floor >= target if name == "max_first_share" else floor <= target


def test_no_variant_judged_bad_comes_back_to_first_place(evaluation):
    known = {line.split("\t", 1)[0] for line in KNOWN_BAD_FIRST.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")}
    back = [f"{b['source']} [{b['operator']}, {b['verdict']}] {b['variant']}"
            for b in evaluation["bad_first"] if b["variant"] not in known]
    assert not back, "\n".join(back)
    still_bad = {b["variant"] for b in evaluation["bad_first"]}
    assert known <= still_bad, f"no longer first, remove from {KNOWN_BAD_FIRST.name}: {sorted(known - still_bad)}"


@pytest.fixture(scope="module")
def unfloored():
    """The same evaluation with every operator run, as data/precision.tsv is measured."""
    result = CliRunner().invoke(main, ["perturb", *map(str, CORPUS), "--evaluate", str(JUDGEMENTS), "--json",
                                       "--no-floor"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_shipped_precision_table_is_the_measured_one(unfloored, rewrites):
    """data/precision.tsv, which decides what enters exams unreviewed and which operators are not
    run at all, equals the corpus's figures."""
    evaluation = unfloored
    shipped = {}
    for line in PRECISION_TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            operator, judged, ok, _precision = line.split("\t")
            shipped[operator] = (int(judged), int(ok))
    measured = {op: (figures["top_3"]["judged"], figures["top_3"]["ok"])
                for op, figures in evaluation["operators"].items() if figures["top_3"]["judged"]}
    measured.update({name: (family["judged"], family["ok"]) for name, family in rewrites["families"].items()
                     if family["judged"]})
    assert shipped == measured, "run bench/quality.py --write-precision"


def test_judgements_file_is_well_formed():
    judged = load_judgements([JUDGEMENTS])
    assert len(judged) >= 1100
    assert all(j.reason for j in judged.values() if j.verdict != OK)
