"""Issued exams served from what was serialized or rendered before: ETags, 304, and nothing stale."""

from __future__ import annotations

import os
import subprocess
import sys

from app import create_app
from app.config import TestConfig
from tests.conftest import ROOT, client_for, make_key
from tests.test_bank_api import assert_problem

API = "/api/v1"


def _exam(client, **params) -> dict:
    response = client.post(f"{API}/exams", json={"items": 20, "seed": 11, "use_unreviewed": True, **params})
    assert response.status_code == 201, response.json
    return response.json


def test_exam_answers_with_a_strong_etag_and_304_to_if_none_match(bank):
    exam = _exam(bank, versions=2)
    first = bank.get(f"{API}/exams/{exam['id']}")
    assert first.status_code == 200 and first.json["items"] == exam["items"]
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "private"
    again = bank.get(f"{API}/exams/{exam['id']}")
    assert again.data == first.data and again.headers["ETag"] == etag
    not_modified = bank.get(f"{API}/exams/{exam['id']}", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert not_modified.headers["ETag"] == etag
    assert bank.get(f"{API}/exams/{exam['id']}", headers={"If-None-Match": '"other"'}).status_code == 200
    # Another version is another representation, with its own ETag.
    second = bank.get(f"{API}/exams/{exam['id']}?version=2")
    assert second.status_code == 200 and second.json["version"] == 2 and second.headers["ETag"] != etag
    assert bank.get(f"{API}/exams/{exam['id']}?version=2", headers={"If-None-Match": etag}).status_code == 200
    assert_problem(bank.get(f"{API}/exams/{exam['id']}?version=3"), 422)


def test_key_has_an_etag_and_is_never_stored_by_caches(bank):
    exam = _exam(bank)
    key = bank.get(f"{API}/exams/{exam['id']}/key")
    assert key.status_code == 200 and key.headers["Cache-Control"] == "no-store"
    assert bank.get(f"{API}/exams/{exam['id']}/key", headers={"If-None-Match": key.headers["ETag"]}).status_code == 304
    assert key.headers["ETag"] != bank.get(f"{API}/exams/{exam['id']}").headers["ETag"]


def test_a_consumer_who_does_not_own_the_exam_gets_404_though_it_was_served_before(bank, app, as_role):
    owner, other = as_role("consumer"), as_role("consumer")
    # A consumer key asks for reviewed variants only (unreviewed ones need an admin's permission).
    exam = _exam(owner, use_unreviewed=False, false_ratio=0)
    view = owner.get(f"{API}/exams/{exam['id']}")
    assert view.status_code == 200
    assert bank.get(f"{API}/exams/{exam['id']}/key").status_code == 200  # kept in this process now
    for path in ("", "/key", "/export?format=pdf"):
        assert_problem(other.get(f"{API}/exams/{exam['id']}{path}"), 404)
    assert other.get(f"{API}/exams/{exam['id']}", headers={"If-None-Match": view.headers["ETag"]}).status_code == 404
    # The owner sees the key only after an attempt, though an author's request made it before.
    assert_problem(owner.get(f"{API}/exams/{exam['id']}/key"), 403)
    assert_problem(owner.get(f"{API}/exams/{exam['id']}/export?format=pdf&key=true"), 403)
    owner.post(f"{API}/exams/{exam['id']}/attempts", json={"answers": {"1": "C"}})
    assert owner.get(f"{API}/exams/{exam['id']}/key").status_code == 200


def test_a_deletion_in_the_bank_through_another_instance_is_seen_at_once(bank, app, database_url):
    """Two app instances on one database: what one kept is not served after the other deletes an item's
    source (its link goes null, as it always did); the ETag changes with it."""
    exam = _exam(bank)
    before = bank.get(f"{API}/exams/{exam['id']}")
    key_before = bank.get(f"{API}/exams/{exam['id']}/key").json["items"]
    other_app = create_app(TestConfig, DATABASE_URL=database_url)
    other = client_for(other_app, make_key(other_app, "admin", "other instance"))
    target = key_before[0]
    if target["variant_id"]:
        assert other.delete(f"{API}/variants/{target['variant_id']}").status_code == 204
    assert other.delete(f"{API}/assertions/{target['assertion_id']}").status_code == 204
    after_key = bank.get(f"{API}/exams/{exam['id']}/key")
    assert after_key.json["items"][0]["assertion_id"] is None and after_key.json["items"][0]["variant_id"] is None
    assert [k["label"] for k in after_key.json["items"]] == [k["label"] for k in key_before]
    # The candidate's view lost nothing it shows, and its subtopic is gone once the subtopic is.
    subtopic_id = exam["items"][0]["subtopic_id"]
    assert other.delete(f"{API}/subtopics/{subtopic_id}?cascade=true").status_code == 204
    after = bank.get(f"{API}/exams/{exam['id']}", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert all(i["subtopic_id"] is None for i in after.json["items"] if i["subtopic"] == exam["items"][0]["subtopic"])
    assert [i["text"] for i in after.json["items"]] == [i["text"] for i in exam["items"]]


def test_pdf_is_rendered_once_and_served_again(bank, runner, tmp_path):
    exam = _exam(bank)
    first = bank.get(f"{API}/exams/{exam['id']}/export?format=pdf&key=commented")
    assert first.status_code == 200 and first.data.startswith(b"%PDF")
    again = bank.get(f"{API}/exams/{exam['id']}/export?format=pdf&key=commented")
    assert again.data == first.data
    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    assert again.headers["Cache-Control"] == "no-store"
    # Another key mode or version is another file.
    plain = bank.get(f"{API}/exams/{exam['id']}/export?format=pdf")
    assert plain.status_code == 200 and plain.data != first.data
    assert_problem(bank.get(f"{API}/exams/{exam['id']}/export?format=pdf&version=2"), 422)
    # The command line hands out the same kept file.
    out = tmp_path / "cli.pdf"
    done = runner.invoke("exam", "--id", str(exam["id"]), "--format", "pdf", "--key", "commented", "-o", str(out))
    assert done.exit_code == 0, done.output
    assert out.read_bytes() == first.data


def test_the_command_line_reads_a_kept_pdf_without_flask_or_the_orm(bank, tmp_path, runner):
    """`qbank exam --id N --format pdf` answers from the kept file with SQLAlchemy Core alone: the
    whole process imports neither Flask nor the ORM (they took most of its time)."""
    exam = _exam(bank)
    kept = bank.get(f"{API}/exams/{exam['id']}/export?format=pdf&key=true")
    assert kept.status_code == 200
    out = tmp_path / "fast.pdf"
    probe = ("import sys\nfrom app.cli import main\ntry:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
             "print('LOADED', sorted(m for m in ('flask', 'sqlalchemy.orm', 'app.models') if m in sys.modules))\n"
             "sys.exit(code)\n")
    env = {**os.environ, "DATABASE_URL": runner.url}
    argv = ["qbank", "exam", "--id", str(exam["id"]), "--format", "pdf", "--key", "true", "-o", str(out)]
    done = subprocess.run([sys.executable, "-c", probe, *argv[1:]], env=env, capture_output=True, text=True,
                          cwd=str(ROOT), timeout=120)
    assert done.returncode == 0, done.stderr
    assert "LOADED []" in done.stdout, done.stdout
    assert out.read_bytes() == kept.data
    # Without a kept file (another key mode), the usual path renders it, with the app.
    other = subprocess.run([sys.executable, "-c", probe, *argv[1:7], "commented", "-o", str(out)], env=env,
                           capture_output=True, text=True, cwd=str(ROOT), timeout=120)
    assert other.returncode == 0, other.stderr
    assert "'flask'" in other.stdout and out.read_bytes().startswith(b"%PDF") and out.read_bytes() != kept.data
    # A version the exam does not have is reported as before, not read as "no file".
    missing = subprocess.run([sys.executable, "-c", probe, *argv[1:], "--version", "2"], env=env,
                             capture_output=True, text=True, cwd=str(ROOT), timeout=120)
    assert missing.returncode != 0 and "version" in missing.stderr


def test_the_fast_path_names_the_models_columns():
    """The Core tables of app/services/kept_exports.py read columns the models define."""
    from app.db import Base
    from app.services.kept_exports import EXAM_FILES, EXAMS

    for table in (EXAMS, EXAM_FILES):
        model = Base.metadata.tables[table.name]
        assert {c.name for c in table.columns} <= {c.name for c in model.columns}, table.name


def test_pdf_is_rendered_again_after_a_deletion_touches_the_exam(bank, tmp_path, runner):
    exam = _exam(bank)
    out = tmp_path / "a.pdf"
    assert runner.invoke("exam", "--id", str(exam["id"]), "--format", "pdf", "-o", str(out)).exit_code == 0
    kept = out.read_bytes()
    assert runner.invoke("exam", "--id", str(exam["id"]), "--format", "pdf", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == kept
    key = bank.get(f"{API}/exams/{exam['id']}/key").json["items"]
    assert bank.delete(f"{API}/assertions/{key[0]['assertion_id']}").status_code == 204
    assert runner.invoke("exam", "--id", str(exam["id"]), "--format", "pdf", "-o", str(out)).exit_code == 0
    assert out.read_bytes() != kept and out.read_bytes().startswith(b"%PDF")
