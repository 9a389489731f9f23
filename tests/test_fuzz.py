"""schemathesis with every check, over every operation of the OpenAPI document, against a served
instance on a fresh database (issue 12, point 8): the document and the behaviour must agree.

`tests/schemathesis.toml` lists, per operation, the answers that depend on what the database holds
(and why); nothing is excluded. The run uses an admin key of its own, which it cannot revoke: the
API refuses to revoke the key a request is made with (409 `own_key`), and it is the only admin key.
The full run (QBANK_FUZZ_EXAMPLES examples per operation, default 300: about 14,700 requests, 6 to 7
minutes on two cores) is made against PostgreSQL, the production database; the embedded SQLite gets a
shorter one (QBANK_FUZZ_EXAMPLES_SQLITE, default 30). The time goes to schemathesis itself (data
generation and its targeting bookkeeping in Hypothesis, about 18 ms of CPU per case), not to the
server (about 3 ms per request): see the README.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import yaml

from tests.conftest import ROOT, SEED
from tests.test_operations import _call, running_server

EXAMPLES = {"postgresql": int(os.environ.get("QBANK_FUZZ_EXAMPLES", "300")),
            "sqlite": int(os.environ.get("QBANK_FUZZ_EXAMPLES_SQLITE", "30"))}
METHODS = {"get", "put", "post", "patch", "delete"}


def test_schemathesis_with_all_checks_finds_nothing(runner, database_url, tmp_path):
    examples = EXAMPLES["postgresql" if database_url.startswith("postgresql") else "sqlite"]
    assert runner.invoke("import", str(SEED)).exit_code == 0
    made = runner.invoke("keys", "create", "--role", "admin", "--name", "fuzzer")
    token = made.stdout.strip()
    document = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    operations = sum(1 for item in document["paths"].values() for method in item if method in METHODS)
    with running_server(database_url, extra_env={"QBANK_RATE_LIMITS": "0"}) as base:
        command = [
            str(Path(sys.executable).with_name("schemathesis")),
            "--config-file", str(ROOT / "tests" / "schemathesis.toml"),
            "run", f"{base}/openapi.json",
            "--header", f"Authorization: Bearer {token}",
            "--checks", "all", "--max-examples", str(examples), "--seed", "7",
            "--workers", "1", "--generation-database", "none", "--request-timeout", "30",
            "--continue-on-failure", "--no-color",
        ]
        started = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, timeout=1500,
                              env={**os.environ, "SCHEMATHESIS_HOOKS": ""}, cwd=tmp_path)
        elapsed = time.monotonic() - started
        # The fuzzer's key survived every DELETE /keys/{key_id} it sent.
        assert _call(f"{base}/api/v1/keys", token)[0] == 200
    report = done.stdout + done.stderr
    summary = report.split("SUMMARY")[-1]
    assert done.returncode == 0, report[-8000:]
    assert re.search(rf"Selected: {operations}/{operations}\b", summary), summary
    assert re.search(rf"Tested: {operations}\b", summary), summary
    cases = re.search(r"(\d+) generated", summary)
    assert cases and int(cases.group(1)) >= operations * min(examples, 100), summary
    assert "failed" not in summary and "error" not in summary.lower().replace("errors: 0", ""), summary
    print(f"schemathesis: {operations} operations, {examples} examples each, {cases.group(1)} cases, {elapsed:.0f} s")
