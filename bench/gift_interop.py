"""GIFT files rejected by gift-pegjs over generated exams: a bank of the seed document, its
approved variants and a topic of random texts full of GIFT's reserved signs; exams of assorted
sizes, false ratios, versions and titles; every version exported through the API and read by
gift-pegjs (tests/interop), its answers compared with the exam's key.

    .venv/bin/python bench/gift_interop.py [--exams 50] [--seed 1]

Needs Node and `npm ci --prefix tests/interop`. Prints the count of rejected files and of
differences from the key; exits 1 when there is any, 2 when the parser is missing.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.interop import gift_pegjs  # noqa: E402

API = "/api/v1"
WORDS = ("o servidor público a lei administração princípio legalidade moralidade eficiência ato "
         "processo recurso prazo dias competência órgão entidade autarquia nº ação ética").split()
SIGNS = ["~", "=", "#", "{", "}", ":", "\\", "\\n", "//", "::", "->", "[html]", "[plain]", "&", "<b>", ">",
         '"', "“aspas”", "🚀", "👩🏽‍💻", "$CATEGORY:", "####", "%50%", "{T}", "C:\\x", "10:30", "a=b", "#1"]


def _text(rng: random.Random, words: int) -> str:
    tokens = [rng.choice(SIGNS) if rng.random() < 0.3 else rng.choice(WORDS) for _ in range(words)]
    sentence = " ".join(tokens)
    return sentence[0].upper() + sentence[1:] + "."


def build_bank(client, *, seed: int = 1, approve: bool = True) -> None:  # noqa: ANN001
    """The seed document with its variants (approved, or left pending: then exams take the trusted
    operators' ones), and a topic of random tricky texts."""
    seed_file = next((ROOT / "seeds").glob("*.txt"))
    response = client.post(f"{API}/imports?name=seed.txt", data=seed_file.read_bytes(), content_type="text/plain")
    assert response.status_code == 201, response.json
    for topic in client.get(f"{API}/topics").json["items"]:
        assert client.post(f"{API}/topics/{topic['id']}/variants", json={"seed": seed, "top": 3}).status_code == 201
    pending = {"status": "pending", "page_size": 100}
    while approve and (page := client.get(f"{API}/variants", query_string=pending).json["items"]):
        for variant in page:
            assert client.patch(f"{API}/variants/{variant['id']}", json={"status": "approved"}).status_code == 200
    rng = random.Random(seed)
    topic = client.post(f"{API}/topics", json={"code": "99", "title": _text(rng, 4)}).json
    for _ in range(3):
        sub = client.post(f"{API}/topics/{topic['id']}/subtopics", json={"title": _text(rng, 5)}).json
        for n in range(14):
            body = {"text": _text(rng, rng.randint(4, 40)), "status": "published"}
            if n % 3 == 0:
                body |= {"label": "E", "explanation": "ERRADO. " + _text(rng, rng.randint(3, 20))}
            response = client.post(f"{API}/subtopics/{sub['id']}/assertions", json=body)
            assert response.status_code == 201, response.json


@dataclass
class Report:
    exams: int = 0
    files: int = 0
    rejected: int = 0
    questions: int = 0
    problems: list[str] = field(default_factory=list)
    exam_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        return (f"gift-pegjs: {self.rejected} of {self.files} GIFT files rejected ({self.exams} exams, "
                f"{self.questions} questions read); {len(self.problems)} differences from the key"
                + "".join(f"\n  {p}" for p in self.problems[:20]))


def check(client, *, exams: int = 50, seed: int = 1, workdir: Path) -> Report:  # noqa: ANN001
    """Issue `exams` exams on the bank, export each version as GIFT, read them all with gift-pegjs."""
    rng = random.Random(seed)
    topics = [t["id"] for t in client.get(f"{API}/topics").json["items"]]
    report, files, expected = Report(), [], {}
    for n in range(exams):
        body = {"items": rng.choice([10, 20, 30, 40, 60]), "seed": seed * 1000 + n, "use_unreviewed": True,
                "false_ratio": rng.choice([0.3, 0.5, 0.6]), "versions": rng.choice([1, 2]),
                "title": _text(rng, rng.randint(2, 8)), "topic_ids": rng.sample(topics, rng.randint(1, len(topics)))}
        response = client.post(f"{API}/exams", json=body)
        while response.status_code == 422 and body["items"] > 5:  # a small selection: ask for fewer items
            body["items"] //= 2
            response = client.post(f"{API}/exams", json=body)
        assert response.status_code == 201, response.json
        exam = response.json
        report.exams += 1
        report.exam_ids.append(exam["id"])
        for version in range(1, exam["versions"] + 1):
            gift = client.get(f"{API}/exams/{exam['id']}/export?format=gift&version={version}")
            assert gift.status_code == 200
            path = workdir / f"exam-{exam['id']}-v{version}.gift"
            path.write_bytes(gift.data)
            files.append(path)
            expected[str(path)] = (client.get(f"{API}/exams/{exam['id']}?version={version}").json,
                                   client.get(f"{API}/exams/{exam['id']}/key?version={version}").json)
    for result in gift_pegjs.parse(files):
        report.files += 1
        if not result["ok"]:
            report.rejected += 1
            report.problems.append(f"{Path(result['file']).name}: rejected: {result['error']['message']}")
            continue
        report.questions += sum(1 for q in result["questions"] if q["type"] != "Category")
        delivered, key = expected[result["file"]]
        report.problems += [f"{Path(result['file']).name}: {p}"
                            for p in gift_pegjs.differences(result["questions"], delivered, key)]
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exams", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    try:
        gift_pegjs.command()
    except gift_pegjs.ParserMissing as exc:
        print(f"gift-pegjs is not available: {exc}", file=sys.stderr)
        return 2

    from app import create_app
    from app.config import TestConfig
    from app.db import db
    from app.services import migrations
    from app.services.keys import create_key

    logging.getLogger("qbank").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        migrations.upgrade(database_url=url)
        app = create_app(TestConfig, DATABASE_URL=url, RATELIMIT_ENABLED=False)
        with app.app_context():
            session = db.new_session()
            token = create_key(session, role="admin", name="bench").token
            session.close()
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        started = time.perf_counter()
        build_bank(client, seed=args.seed)
        report = check(client, exams=args.exams, seed=args.seed, workdir=Path(folder))
        print(report.summary())
        print(f"({time.perf_counter() - started:.1f} s)")
    return 1 if report.rejected or report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
