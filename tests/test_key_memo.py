"""API keys remembered per process: a revocation stops the key at once here and within a second elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from app import create_app
from app.config import TestConfig
from tests.conftest import client_for, make_key
from tests.test_bank_api import assert_problem

API = "/api/v1"



def _refused_within_a_second(client) -> None:
    """The client's (revoked) key stops being taken within one second, then gets 401."""
    deadline = time.monotonic() + 1.0
    while client.get(f"{API}/topics").status_code == 200:
        assert time.monotonic() < deadline, "the revoked key is still taken after a second"
        time.sleep(0.05)
    assert_problem(client.get(f"{API}/topics"), 401)

def test_a_key_revoked_by_another_process_stops_within_a_second(app, runner):
    """A real second process (the `qbank` command) revokes a key this instance remembers."""
    token = make_key(app, "author", "site")
    client = client_for(app, token)
    assert client.get(f"{API}/topics").status_code == 200
    done = subprocess.run([str(Path(sys.executable).parent / "qbank"), "keys", "revoke", token.split("_")[1]],
                          env={**os.environ, "DATABASE_URL": runner.url}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    _refused_within_a_second(client)


def test_a_key_revoked_through_one_instance_stops_in_another_within_a_second(app, database_url):
    admin = make_key(app, "admin", "admin")
    other_app = create_app(TestConfig, DATABASE_URL=database_url)
    token = make_key(app, "author", "site")
    here, there = client_for(app, token), client_for(other_app, token)
    assert here.get(f"{API}/topics").status_code == 200
    assert there.get(f"{API}/topics").status_code == 200  # both instances remember the key now
    prefix = token.split("_")[1]
    key_id = next(k["id"] for k in client_for(app, admin).get(f"{API}/keys").json["items"] if k["prefix"] == prefix)
    assert client_for(app, admin).delete(f"{API}/keys/{key_id}").status_code == 200
    assert_problem(here.get(f"{API}/topics"), 401)  # the instance that revoked it: at once
    _refused_within_a_second(there)


def test_a_key_revoked_from_the_command_line_stops_in_a_serving_instance(app, runner):
    token = make_key(app, "consumer", "site")
    client = client_for(app, token)
    assert client.post(f"{API}/sessions").status_code == 201
    assert runner.invoke("keys", "revoke", token.split("_")[1]).exit_code == 0
    time.sleep(0.6)
    assert_problem(client.post(f"{API}/sessions"), 401)


def test_a_wrong_secret_behind_a_remembered_prefix_is_refused(app):
    token = make_key(app, "author", "site")
    assert client_for(app, token).get(f"{API}/topics").status_code == 200
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert_problem(client_for(app, forged).get(f"{API}/topics"), 401)
    assert client_for(app, token).get(f"{API}/topics").status_code == 200


def test_last_use_is_still_recorded_with_the_key_remembered(app):
    admin = make_key(app, "admin", "admin")
    client = client_for(app, admin)
    assert client.get(f"{API}/topics").status_code == 200
    listed = client.get(f"{API}/keys").json["items"]
    assert next(k for k in listed if k["prefix"] == admin.split("_")[1])["last_used_at"] is not None
