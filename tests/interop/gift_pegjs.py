"""GIFT files read by gift-pegjs, the PEG.js GIFT parser (npm, pinned in package.json), through
gift-parse.js, and what it read compared with an exam's key. Shared by tests/test_interop.py
and bench/gift_interop.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "gift-parse.js"
PINNED = json.loads((HERE / "package.json").read_text(encoding="utf-8"))["dependencies"]["gift-pegjs"]
INSTALL = "npm ci --prefix tests/interop"


class ParserMissing(RuntimeError):
    """Node or the pinned gift-pegjs is not installed; the message says what to do."""


def command() -> list[str]:
    """`node gift-parse.js`, once Node and the pinned gift-pegjs are there."""
    node = shutil.which("node")
    if node is None:
        raise ParserMissing("`node` is not on PATH (Debian package `nodejs`)")
    installed = HERE / "node_modules" / "gift-pegjs" / "package.json"
    if not installed.is_file():
        raise ParserMissing(f"tests/interop/node_modules has no gift-pegjs: run `{INSTALL}`")
    version = json.loads(installed.read_text(encoding="utf-8"))["version"]
    if version != PINNED:
        raise ParserMissing(f"gift-pegjs {version} is installed, {PINNED} is pinned: run `{INSTALL}`")
    return [node, str(SCRIPT)]


def parse(paths: Iterable[Path]) -> list[dict]:
    """One result per file: {"file", "ok": True, "questions"} or {"file", "ok": False, "error"}."""
    done = subprocess.run([*command(), *map(str, paths)], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"gift-parse.js failed ({done.returncode}): {done.stderr.strip()}")
    return json.loads(done.stdout)


def moodle_category(title: str, subtopic: str) -> str:
    """The category path Moodle reads for a block: a slash inside a name is doubled."""
    return "$course$/top/" + "/".join(name.replace("/", "//") for name in (title, subtopic))


def differences(questions: list[dict], exam: dict, key: dict) -> list[str]:
    """What gift-pegjs read that differs from the exam (GET /exams/{id}?version=) and its key
    (GET /exams/{id}/key?version=): categories, count, types, texts, true/false answers."""
    problems = []
    categories = [q["title"] for q in questions if q["type"] == "Category"]
    expected = [moodle_category(exam["title"], b["subtopic"]) for b in exam["blocks"]]
    if categories != expected:
        problems.append(f"categories {categories!r} != {expected!r}")
    asked = [q for q in questions if q["type"] != "Category"]
    if len(asked) != len(exam["items"]):
        problems.append(f"{len(asked)} questions read, {len(exam['items'])} items in the exam")
    labels = {k["number"]: k["label"] for k in key["items"]}
    for question, item in zip(asked, exam["items"], strict=False):
        where = f"item {item['number']}"
        if question["type"] != "TF":
            problems.append(f"{where}: type {question['type']}, not TF")
            continue
        number = re.search(r"(\d+)$", question["title"] or "")
        if number is None or int(number.group(1)) != item["number"]:
            problems.append(f"{where}: title {question['title']!r}")
        if question["stem"]["text"] != item["text"]:
            problems.append(f"{where}: text {question['stem']['text'][:80]!r} != {item['text'][:80]!r}")
        if question["isTrue"] != (labels[item["number"]] == "C"):
            problems.append(f"{where}: answer {question['isTrue']}, key {labels[item['number']]}")
    return problems
