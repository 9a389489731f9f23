"""Access control, abuse limits, optimistic locking and observability, through the HTTP API."""

from __future__ import annotations

import logging
import os

import pytest
import sqlalchemy as sa

from app import create_app
from app.config import TestConfig
from app.db import db
from tests.conftest import client_for, make_key, require
from tests.test_bank_api import assert_problem

API = "/api/v1"

# One representative call per route family: (family, method, path, JSON body).
FAMILIES = [
    ("topics", "get", "/topics", None),
    ("subtopics", "get", "/subtopics/1", None),
    ("assertions", "get", "/assertions", None),
    ("variants", "get", "/variants", None),
    ("statistics", "get", "/variants/flagged", None),
    ("imports", "post", "/imports?dry_run=true", None),
    ("exams", "post", "/exams", {"items": 1, "false_ratio": 0}),
    ("sessions", "post", "/sessions", None),
    ("keys", "get", "/keys", None),
    ("schemas", "get", "/schemas/exam-export", None),
]
ALLOWED = {
    "admin": {f for f, *_ in FAMILIES},
    "author": {f for f, *_ in FAMILIES} - {"keys"},
    "consumer": {"exams", "sessions", "schemas"},
}


def call(client, method, path, body):
    if body is None and method == "post":
        return client.post(f"{API}{path}", data="Pergunta Original: 1 X\n1. Subtópico:\n1. T\nAssertivas:\n1. a.",
                           content_type="text/plain")
    return getattr(client, method)(f"{API}{path}", json=body) if body is not None else \
        getattr(client, method)(f"{API}{path}")


@pytest.mark.parametrize(("family", "method", "path", "body"), FAMILIES, ids=[f[0] for f in FAMILIES])
def test_every_route_family_needs_a_key_and_the_right_role(seeded, app, as_role, family, method, path, body):
    anonymous = app.test_client()
    problem = assert_problem(call(anonymous, method, path, body), 401)
    assert problem["code"] == "missing_api_key"
    for role, allowed in ALLOWED.items():
        response = call(as_role(role), method, path, body)
        if family in allowed:
            assert response.status_code not in (401, 403), (role, family, response.json)
        else:
            problem = assert_problem(response, 403)
            assert problem["code"] == "forbidden_for_role" and role in problem["detail"]


def test_forged_malformed_and_revoked_keys_get_401(client, app):
    real = make_key(app, "author")
    prefix = real.split("_")[1]
    forged = f"qbk_{prefix}_{'A' * 43}"
    for token in (forged, "qbk_0000000000_" + "B" * 43, "not-a-key", real + "x", real.upper()):
        response = client_for(app, token).get(f"{API}/topics")
        assert assert_problem(response, 401)["code"] == "invalid_api_key"
        assert response.headers["WWW-Authenticate"] == 'Bearer realm="qbank"'
    lower = app.test_client()
    assert lower.get(f"{API}/topics", headers={"Authorization": f"bearer {real}"}).status_code == 200
    assert lower.get(f"{API}/topics", headers={"Authorization": f"Basic {real}"}).status_code == 401
    key_id = next(k["id"] for k in client.get(f"{API}/keys").json["items"] if k["prefix"] == prefix)
    revoked = client.delete(f"{API}/keys/{key_id}")
    assert revoked.status_code == 200 and revoked.json["active"] is False
    assert_problem(client_for(app, real).get(f"{API}/topics"), 401)


def test_public_routes_answer_without_a_key(app, monkeypatch):
    anonymous = app.test_client()
    for path in ("/healthz", "/readyz", "/docs", "/openapi.json", "/openapi.yaml", "/metrics",
                 "/docs/assets/swagger-ui.css"):
        assert anonymous.get(path).status_code == 200, path
    monkeypatch.setitem(app.config, "METRICS_PUBLIC", False)
    assert_problem(anonymous.get("/metrics"), 401)
    assert client_for(app, make_key(app, "admin")).get("/metrics").status_code == 200


def test_key_management(client, app, runner):
    created = client.post(f"{API}/keys", json={"role": "consumer", "name": "Site de questões"})
    assert created.status_code == 201
    body = created.json
    assert body["key"].startswith(f"qbk_{body['prefix']}_") and len(body["key"]) >= 4 + 10 + 1 + 43
    listed = client.get(f"{API}/keys").json["items"]
    assert all("key" not in k and "secret_hash" not in k for k in listed)
    assert any(k["prefix"] == body["prefix"] and k["role"] == "consumer" for k in listed)
    assert_problem(client.post(f"{API}/keys", json={"role": "root", "name": "x"}), 422, field="role")
    # The last active admin key cannot be revoked: nobody could manage keys afterwards.
    admins = [k for k in listed if k["role"] == "admin" and k["active"]]
    assert len(admins) == 1
    assert assert_problem(client.delete(f"{API}/keys/{admins[0]['id']}"), 409)["code"] == "last_admin_key"
    # Nor, through the API, the key the request is made with; another admin key can revoke it.
    second = client.post(f"{API}/keys", json={"role": "admin", "name": "segunda"}).json
    own = assert_problem(client.delete(f"{API}/keys/{admins[0]['id']}"), 409)
    assert own["code"] == "own_key" and "a si mesma" in own["detail"]
    assert client.get(f"{API}/keys/{admins[0]['id']}").json["active"] is True
    other_admin = client_for(app, second["key"])
    assert other_admin.delete(f"{API}/keys/{admins[0]['id']}").json["active"] is False
    assert client.get(f"{API}/keys").status_code == 401
    # The CLI: create prints the key once; list shows prefixes; revoke by prefix.
    made = runner.invoke("keys", "create", "--role", "author", "--name", "autora")
    token = made.stdout.strip()
    assert made.exit_code == 0 and token.startswith("qbk_")
    assert client_for(app, token).get(f"{API}/topics").status_code == 200
    listing = runner.invoke("keys", "list").stdout
    prefix = token.split("_")[1]
    assert f"qbk_{prefix}_…" in listing and token not in listing
    assert runner.invoke("keys", "revoke", prefix).exit_code == 0
    assert client_for(app, token).get(f"{API}/topics").status_code == 401


def test_cli_revokes_a_key_whose_prefix_is_all_digits(client, app, runner, monkeypatch):
    """About one prefix in a hundred is all digits: `keys revoke` must still read it as a prefix."""
    import secrets

    import app.services.keys as keys_module

    monkeypatch.setattr(keys_module, "secrets", type("Fixed", (), {
        "token_hex": staticmethod(lambda n: "0722929441"), "token_urlsafe": staticmethod(secrets.token_urlsafe)}))
    token = runner.invoke("keys", "create", "--role", "author", "--name", "dígitos").stdout.strip()
    assert token.startswith("qbk_0722929441_")
    monkeypatch.undo()
    assert client_for(app, token).get(f"{API}/topics").status_code == 200
    revoked = runner.invoke("keys", "revoke", "0722929441")
    assert revoked.exit_code == 0 and "qbk_0722929441_" in revoked.stdout
    assert client_for(app, token).get(f"{API}/topics").status_code == 401
    # The form `keys list` prints is accepted too, and an id still works when no prefix matches.
    other = runner.invoke("keys", "create", "--role", "author", "--name", "outra").stdout.strip()
    prefix = other.split("_")[1]
    assert runner.invoke("keys", "revoke", f"qbk_{prefix}_…").exit_code == 0
    assert client_for(app, other).get(f"{API}/topics").status_code == 401
    whole = runner.invoke("keys", "create", "--role", "author", "--name", "colada").stdout.strip()
    assert runner.invoke("keys", "revoke", whole).exit_code == 0  # the whole key, pasted, works too
    assert client_for(app, whole).get(f"{API}/topics").status_code == 401
    third = runner.invoke("keys", "create", "--role", "author", "--name", "terceira").stdout.strip()
    third_id = next(k["id"] for k in client.get(f"{API}/keys").json["items"]
                    if k["prefix"] == third.split("_")[1])
    assert runner.invoke("keys", "revoke", str(third_id)).exit_code == 0
    assert client_for(app, third).get(f"{API}/topics").status_code == 401
    missing = runner.invoke("keys", "revoke", "99999999999")
    assert missing.exit_code != 0 and "no API key" in missing.output


def test_first_run_bootstrap_prints_an_admin_key_once(app, runner, database_url):
    from tests.conftest import _empty_tables

    _empty_tables(app)
    first = runner.invoke("keys", "bootstrap", "--url", "http://127.0.0.1:9100")  # make run PORT=9100
    assert first.exit_code == 0
    assert "http://127.0.0.1:9100/api/v1/topics" in first.stdout and ":8000" not in first.stdout
    assert "http://127.0.0.1:9100/docs" in first.stdout and "Authorize" in first.stdout
    token = next(word for word in first.stdout.split() if word.startswith("qbk_"))
    assert client_for(app, token).get(f"{API}/keys").status_code == 200
    second = runner.invoke("keys", "bootstrap")
    assert "qbk_" not in second.stdout and "exist already" in second.stdout


def test_no_raw_key_is_stored_or_logged(client, app, runner, caplog, capfd):
    caplog.set_level(logging.INFO)
    token = client.post(f"{API}/keys", json={"role": "consumer", "name": "s"}).json["key"]
    cli_token = runner.invoke("keys", "create", "--role", "author", "--name", "a").stdout.strip()
    consumer = client_for(app, token)
    consumer.post(f"{API}/sessions")
    consumer.get(f"{API}/keys")
    client_for(app, cli_token).get(f"{API}/topics?q={cli_token}")
    secrets = [t.split("_", 2)[2] for t in (token, cli_token)]
    with app.app_context():
        engine = db.engine
        with engine.connect() as conn:
            for table in sa.inspect(engine).get_table_names():
                for row in conn.execute(sa.text(f"SELECT * FROM {table}")):
                    flat = " ".join(str(v) for v in row)
                    for secret in secrets:
                        assert secret not in flat, f"a raw key is stored in {table}"
    logged = caplog.text + capfd.readouterr().err
    assert "request" in logged
    for secret in secrets:
        assert secret not in logged


def test_consumers_see_only_their_own_exams_and_answers_only_after_an_attempt(seeded, app, as_role):
    site_a, site_b, author = as_role("consumer"), as_role("consumer"), as_role("author")
    exam = site_a.post(f"{API}/exams", json={"items": 5, "false_ratio": 0, "seed": 2})
    assert exam.status_code == 201
    exam_id = exam.json["id"]
    assert site_a.get(f"{API}/exams/{exam_id}").status_code == 200
    assert_problem(site_b.get(f"{API}/exams/{exam_id}"), 404)
    assert_problem(site_b.post(f"{API}/exams/{exam_id}/attempts", json={"answers": {}}), 404)
    blocked = assert_problem(site_a.get(f"{API}/exams/{exam_id}/key"), 403)
    assert blocked["code"] == "answers_before_attempt"
    for fmt in ("json", "csv", "moodle", "gift", "qti"):
        assert_problem(site_a.get(f"{API}/exams/{exam_id}/export?format={fmt}"), 403)
    assert_problem(site_a.get(f"{API}/exams/{exam_id}/export?format=pdf&key=true"), 403)
    assert site_a.get(f"{API}/exams/{exam_id}/export?format=pdf").status_code == 200
    assert author.get(f"{API}/exams/{exam_id}/key").status_code == 200
    attempt = site_a.post(f"{API}/exams/{exam_id}/attempts", json={"answers": {"1": "C"}})
    assert attempt.status_code == 201
    assert site_a.get(f"{API}/exams/{exam_id}/key").status_code == 200
    assert site_a.get(f"{API}/exams/{exam_id}/export?format=json").status_code == 200
    attempt_id = attempt.json["id"]
    assert site_a.get(f"{API}/exams/{exam_id}/attempts/{attempt_id}").json["items"][0]["label"] in "CE"
    assert author.get(f"{API}/exams/{exam_id}/attempts").json["total"] == 1
    # Practice sessions are private to their key too.
    token = site_a.post(f"{API}/sessions").json["token"]
    assert_problem(site_b.get(f"{API}/sessions/{token}"), 404)
    assert_problem(site_b.post(f"{API}/exams", json={"items": 2, "false_ratio": 0, "session": token}), 404)
    assert site_a.post(f"{API}/exams", json={"items": 2, "false_ratio": 0, "session": token}).status_code == 201


def test_stale_if_match_gets_412_and_changes_nothing(seeded):
    item = seeded.get(f"{API}/assertions?page_size=1").json["items"][0]
    url = f"{API}/assertions/{item['id']}"
    first = seeded.get(url)
    etag = first.headers["ETag"]
    assert etag == f'"assertion-{item["id"]}-v{item["version"]}"'
    changed = seeded.patch(url, json={"explanation": "Primeira edição."}, headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    stale = assert_problem(seeded.patch(url, json={"explanation": "Edição perdida."}, headers={"If-Match": etag}),
                           412)
    assert stale["code"] == "stale_etag"
    assert seeded.get(url).json["explanation"] == "Primeira edição."
    assert_problem(seeded.delete(url, headers={"If-Match": etag}), 412)
    assert seeded.patch(url, json={"status": "draft"}, headers={"If-Match": "*"}).status_code == 200
    variant = seeded.post(f"{url}/variants", json={"top": 1}).json["items"][0]
    vurl = f"{API}/variants/{variant['id']}"
    vtag = seeded.get(vurl).headers["ETag"]
    assert seeded.patch(vurl, json={"status": "approved"}, headers={"If-Match": vtag}).status_code == 200
    assert_problem(seeded.patch(vurl, json={"status": "rejected"}, headers={"If-Match": vtag}), 412)
    assert seeded.get(vurl).json["status"] == "approved"


def limited_app(database_url, storage_uri="memory://", **extra):
    return create_app(TestConfig, DATABASE_URL=database_url, RATE_LIMIT="5 per minute",
                      RATELIMIT_EXAMS="2 per minute", RATELIMIT_STORAGE_URI=storage_uri, **extra)


def test_rate_limits_per_key_answer_429_with_retry_after(app, database_url):
    limited = limited_app(database_url)
    key_one, key_two = make_key(limited, "author"), make_key(limited, "author")
    one, two = client_for(limited, key_one), client_for(limited, key_two)
    responses = [one.get(f"{API}/topics") for _ in range(7)]
    assert [r.status_code for r in responses] == [200] * 5 + [429, 429]
    # The counters go with every answer; Retry-After only with a refusal.
    assert all("X-RateLimit-Remaining" in r.headers for r in responses)
    assert not any("Retry-After" in r.headers for r in responses[:5])
    blocked = one.get(f"{API}/topics")
    problem = assert_problem(blocked, 429)
    assert int(blocked.headers["Retry-After"]) > 0 and problem["title"] == "Too Many Requests"
    assert two.get(f"{API}/topics").status_code == 200  # another key has its own budget
    assert limited.test_client().get("/healthz").status_code == 200  # probes are not limited
    exam_calls = [two.post(f"{API}/exams", json={"items": 1, "false_ratio": 0}).status_code for _ in range(3)]
    assert exam_calls[2] == 429


def test_one_budget_per_key_across_routes(app, database_url):
    """Issue 12, point 4: the budget is the key's, whichever routes it calls (not one per route)."""
    limited = limited_app(database_url)
    author = client_for(limited, make_key(limited, "author"))
    routes = [f"{API}/topics", f"{API}/variants", f"{API}/schemas", f"{API}/variants/flagged", f"{API}/topics"]
    assert [author.get(route).status_code for route in routes] == [200] * 5
    refused = author.get(f"{API}/schemas")  # a sixth call, on a route used once so far
    assert_problem(refused, 429)
    assert int(refused.headers["Retry-After"]) > 0
    assert client_for(limited, make_key(limited, "author")).get(f"{API}/variants").status_code == 200


def test_rate_limits_are_shared_through_redis(app, database_url):
    url = os.environ.get("TEST_REDIS_URL", "")
    if not url:
        require("Redis", "TEST_REDIS_URL is not set")
    import redis

    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError as exc:
        require("Redis", f"cannot connect to {url} ({exc})")
    first, second = limited_app(database_url, url), limited_app(database_url, url)
    token = make_key(first, "author")
    one, other = client_for(first, token), client_for(second, token)
    routes = [f"{API}/topics", f"{API}/variants", f"{API}/schemas"] * 2
    statuses = [c.get(route).status_code for c, route in zip((one, other) * 3, routes, strict=True)]
    # Two app instances, one budget of 5 across routes: the sixth call is refused whichever instance
    # and route it goes to.
    assert statuses == [200, 200, 200, 200, 200, 429]


def test_request_id_is_echoed_and_logs_are_json(client, caplog):
    import json

    caplog.set_level(logging.INFO, logger="qbank.access")
    response = client.get(f"{API}/topics", headers={"X-Request-ID": "site-42.req-7"})
    assert response.headers["X-Request-ID"] == "site-42.req-7"
    generated = client.get(f"{API}/topics", headers={"X-Request-ID": "bad id with spaces"}).headers["X-Request-ID"]
    assert generated != "bad id with spaces" and len(generated) == 32
    # Made-up ids never repeat (each request's own): a second one differs.
    assert client.get(f"{API}/topics").headers["X-Request-ID"] not in (generated, "")
    record = next(r for r in caplog.records if r.name == "qbank.access" and r.request_id == "site-42.req-7")
    # The line the service writes: the app's own handler formats the record as one JSON object.
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "_qbank", False))
    line = json.loads(handler.format(record))
    assert line["request_id"] == "site-42.req-7" and line["status"] == 200
    assert line["route"] == "/api/v1/topics" and line["method"] == "GET" and line["level"] == "INFO"
    assert "Authorization" not in handler.format(record)


def test_metrics_count_requests_exams_and_attempts(seeded, app):
    exam = seeded.post(f"{API}/exams", json={"items": 3, "false_ratio": 0}).json
    seeded.post(f"{API}/exams/{exam['id']}/attempts", json={"answers": {"1": "C"}})
    text = app.test_client().get("/metrics").get_data(as_text=True)
    for name in ("http_requests_total", "http_request_duration_seconds_bucket", "qbank_exams_generated_total",
                 "qbank_attempts_scored_total", "qbank_variants_generated_total"):
        assert name in text
    assert 'route="/api/v1/exams",status="201"' in text


def test_a_key_records_its_last_use_at_most_once_a_minute(app, client):
    from tests.conftest import make_key

    make_key(app, "author", "never used")
    first = {k["name"]: k["last_used_at"] for k in client.get(f"{API}/keys?page_size=100").json["items"]}
    assert first["never used"] is None
    assert first["test admin"] is not None  # this very request
    second = {k["name"]: k["last_used_at"] for k in client.get(f"{API}/keys?page_size=100").json["items"]}
    assert second["test admin"] == first["test admin"]  # within the minute: not written again


def _key_id(admin, token: str) -> int:
    prefix = token.split("_")[1]
    return next(k["id"] for k in admin.get(f"{API}/keys?page_size=100").json["items"] if k["prefix"] == prefix)


def test_a_consumer_key_needs_an_admins_permission_for_unreviewed_variants(seeded, app, monkeypatch):
    """use_unreviewed from a consumer key: 403 naming the field until an admin allows it on that key,
    201 while allowed, 403 again once the permission is taken back. Admin and author keys are not
    concerned, and a consumer key without the permission gets reviewed variants only even where the
    server's default is to use unreviewed ones."""
    admin = seeded
    topic = admin.get(f"{API}/topics").json["items"][0]
    assert admin.post(f"{API}/topics/{topic['id']}/variants", json={"seed": 1, "top": 2}).status_code == 201
    token = make_key(app, "consumer", "site")
    site = client_for(app, token)
    key_id = _key_id(admin, token)
    assert admin.get(f"{API}/keys/{key_id}").json["allow_unreviewed"] is False
    ask = {"items": 10, "seed": 3, "use_unreviewed": True, "max_operator_share": 1.0}

    refused = assert_problem(site.post(f"{API}/exams", json=ask), 403)
    assert refused["code"] == "unreviewed_not_allowed"
    assert "use_unreviewed" in refused["detail"] and "não revisadas" in refused["detail"]
    [error] = refused["errors"]
    assert (error["location"], error["field"]) == ("json", "use_unreviewed")
    assert "allow_unreviewed" in error["message"]
    # Asking for reviewed variants (or not asking) is the consumer's right; the bank has none approved.
    assert_problem(site.post(f"{API}/exams", json={**ask, "use_unreviewed": False}), 422)
    monkeypatch.setitem(app.config, "EXAMS_USE_UNREVIEWED", True)
    assert_problem(site.post(f"{API}/exams", json={"items": 10, "seed": 3, "max_operator_share": 1.0}), 422)
    # Authors and admins keep their behaviour: what they ask for, else the server's default.
    for other in (admin, client_for(app, make_key(app, "author"))):
        assert other.post(f"{API}/exams", json=ask).status_code == 201
        assert other.post(f"{API}/exams", json={"items": 10, "seed": 3, "max_operator_share": 1.0}).status_code == 201

    granted = admin.patch(f"{API}/keys/{key_id}", json={"allow_unreviewed": True})
    assert granted.status_code == 200 and granted.json["allow_unreviewed"] is True
    made = site.post(f"{API}/exams", json=ask)
    assert made.status_code == 201, made.json
    assert len(made.json["items"]) == 10 and site.get(f"{API}/exams/{made.json['id']}").status_code == 200
    # Allowed: without asking, the server's default applies to this key too.
    assert site.post(f"{API}/exams", json={"items": 10, "seed": 3, "max_operator_share": 1.0}).status_code == 201

    taken_back = admin.patch(f"{API}/keys/{key_id}", json={"allow_unreviewed": False})
    assert taken_back.status_code == 200 and taken_back.json["allow_unreviewed"] is False
    assert assert_problem(site.post(f"{API}/exams", json=ask), 403)["code"] == "unreviewed_not_allowed"


def test_allow_unreviewed_is_set_when_a_key_is_made_and_changed_by_admins_only(client, app, runner):
    made = client.post(f"{API}/keys", json={"role": "consumer", "name": "site", "allow_unreviewed": True})
    assert made.status_code == 201 and made.json["allow_unreviewed"] is True
    assert client.post(f"{API}/keys", json={"role": "consumer", "name": "other"}).json["allow_unreviewed"] is False
    key_id = made.json["id"]
    assert client.get(f"{API}/keys/{key_id}").json["allow_unreviewed"] is True
    # The body is checked like any other: a boolean, required, nothing else.
    assert_problem(client.patch(f"{API}/keys/{key_id}", json={"allow_unreviewed": "yes"}), 422,
                   field="allow_unreviewed")
    assert_problem(client.patch(f"{API}/keys/{key_id}", json={}), 422)
    assert_problem(client.patch(f"{API}/keys/{key_id}", json={"allow_unreviewed": True, "role": "admin"}), 422)
    assert_problem(client.patch(f"{API}/keys/999999", json={"allow_unreviewed": True}), 404)
    assert client.get(f"{API}/keys/{key_id}").json["role"] == "consumer"
    # Only admins manage keys.
    for role in ("author", "consumer"):
        other = client_for(app, make_key(app, role))
        assert_problem(other.patch(f"{API}/keys/{key_id}", json={"allow_unreviewed": False}), 403)
    assert client.get(f"{API}/keys/{key_id}").json["allow_unreviewed"] is True
    # A revoked key is final: it stays listed as it was, and is not changed.
    assert client.delete(f"{API}/keys/{key_id}").status_code == 200
    refused = assert_problem(client.patch(f"{API}/keys/{key_id}", json={"allow_unreviewed": False}), 409)
    assert refused["code"] == "key_revoked"
    after = client.get(f"{API}/keys/{key_id}").json
    assert after["allow_unreviewed"] is True and after["active"] is False
    # The CLI: create with the permission, list shows it, update takes it back and gives it again.
    token = runner.invoke("keys", "create", "--role", "consumer", "--name", "cli site",
                          "--allow-unreviewed").stdout.strip()
    prefix = token.split("_")[1]
    cli_id = _key_id(client, token)
    assert client.get(f"{API}/keys/{cli_id}").json["allow_unreviewed"] is True
    line = next(row for row in runner.invoke("keys", "list").stdout.splitlines() if prefix in row)
    assert "unreviewed" in line
    denied = runner.invoke("keys", "update", prefix, "--deny-unreviewed")
    assert denied.exit_code == 0 and "não pode pedir variantes não revisadas" in denied.stdout
    assert client.get(f"{API}/keys/{cli_id}").json["allow_unreviewed"] is False
    assert "unreviewed" not in next(row for row in runner.invoke("keys", "list").stdout.splitlines() if prefix in row)
    assert runner.invoke("keys", "update", str(cli_id), "--allow-unreviewed").exit_code == 0
    assert client.get(f"{API}/keys/{cli_id}").json["allow_unreviewed"] is True
    missing = runner.invoke("keys", "update", "nokey", "--allow-unreviewed")
    assert missing.exit_code != 0 and "no API key" in missing.output
