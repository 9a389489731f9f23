"""What every API request must be before a view reads it (issue 12): one check, the same on every database.

- Strings carry text: no control character (C0 other than tab, line feed and carriage return, and DEL)
  and no lone UTF-16 surrogate, in path values, query parameters (names and values), the header
  parameters an operation declares (Idempotency-Key, If-Match) and JSON strings (keys and values).
  PostgreSQL cannot store NUL and no database can store a lone surrogate: both are refused here, as a
  422 naming the field, before any query runs.
- JSON bodies are nested at most MAX_JSON_DEPTH levels. The depth is measured by a scan that does not
  recurse, before the document is parsed (Python's parser recurses once per level): a 422.
- Bodies follow the operation's requestBody in the OpenAPI document, so that the document and the
  behaviour cannot disagree: a required body must be sent (422 `body_required` when the request has
  no content, under no Content-Type or a JSON one), and a body's media type must be one the
  operation declares (415). Operations without a requestBody ignore a body, as before.

Malformed JSON is left to the parsers behind (webargs answers 400, the bank import 422).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from flask import Flask, Request, Response, current_app, request

# Deeper than any document this API takes (a bank export, down to a variant's changes, nests 11
# levels), far below the depth at which Python's JSON parser and the schemas behind it run out of
# stack (about 1,000).
MAX_JSON_DEPTH = 32

# Control characters other than tab, line feed and carriage return, and lone surrogates.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_A_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_RULE_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
_JSON_TYPES = ("application/json",)


@dataclass(frozen=True)
class BodyRule:
    """An operation's requestBody: whether it is required, and the media types it takes."""

    required: bool
    media_types: frozenset[str]


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says of one operation that the guard checks."""

    body: BodyRule | None
    headers: tuple[str, ...]  # header parameters
    # Where the WSGI environ holds each of them (HTTP_IF_MATCH, ...): derived, computed once.
    environ_keys: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "environ_keys", tuple(map(environ_key, self.headers)))


def environ_key(header: str) -> str:
    """The WSGI environ key of a request header (PEP 3333): HTTP_ and the name in capitals, dashes
    as underscores; Content-Type and Content-Length without the prefix."""
    key = header.upper().replace("-", "_")
    return key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"


def _refuse(status: int, detail: str, *, code: str, location: str, field: str | None = None) -> Response:
    from app.api import problem

    error = {"location": location, "message": detail}
    if field:
        error["field"] = field
    where = ".".join(p for p in (location, field) if p)
    return problem(status, f"{where}: {detail}", errors=[error], code=code)


def _printable(name: str) -> str:
    """A name as it can be shown: control characters and surrogates as \\uXXXX escapes."""
    return _BAD_CHARACTER.sub(lambda m: f"\\u{ord(m.group()):04x}", name)


def bad_character(text: str) -> tuple[str, str] | None:
    """(message, code) when `text` holds a control character or a lone surrogate, else None."""
    found = _BAD_CHARACTER.search(text)
    if found is None:
        return None
    point = ord(found.group())
    if 0xD800 <= point <= 0xDFFF:
        return (f"contém U+{point:04X}, metade isolada de um par substituto UTF-16: não é texto Unicode válido",
                "invalid_unicode")
    return f"contém um caractere de controle (U+{point:04X}), que não é aceito", "control_character"


def _json_depth(data: bytes) -> int:
    """How deeply a JSON text nests arrays and objects, without parsing it (brackets in strings
    do not count)."""
    brackets = _JSON_STRING.sub(b"", data).translate(None, _NOT_A_BRACKET)
    if not brackets:
        return 0
    return max(accumulate(1 if b in b"[{" else -1 for b in brackets))


def _first_bad_string(document: Any) -> tuple[str, str, str] | None:
    """(field, message, code) of the first JSON string, key or value, holding a bad character."""
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            bad = bad_character(node)
            if bad:
                return (path, *bad)
        elif isinstance(node, dict):
            children = []
            for key, value in node.items():
                child = f"{path}.{_printable(key)}" if path else _printable(key)
                bad = bad_character(key)
                if bad:
                    return (child, f"o nome do campo {bad[0]}", bad[1])
                children.append((child, value))
            stack.extend(reversed(children))
        elif isinstance(node, list):
            stack.extend(reversed([(f"{path}.{i}" if path else str(i), v) for i, v in enumerate(node)]))
    return None


def _check_strings(incoming: Request, operation: Operation) -> Response | None:
    environ = incoming.environ  # read directly: each header read through `request` costs a lookup
    for name, key in zip(operation.headers, operation.environ_keys, strict=True):
        if (value := environ.get(key)) is not None and (bad := bad_character(value)):
            return _refuse(422, bad[0], code=bad[1], location="headers", field=name)
    for name, value in (incoming.view_args or {}).items():
        if isinstance(value, str) and (bad := bad_character(value)):
            return _refuse(422, bad[0], code=bad[1], location="path", field=name)
    for name in (incoming.args if incoming.query_string else ()):
        if bad := bad_character(name):
            return _refuse(422, f"o nome do parâmetro {bad[0]}", code=bad[1], location="query",
                           field=_printable(name))
        for value in incoming.args.getlist(name):
            if bad := bad_character(value):
                return _refuse(422, bad[0], code=bad[1], location="query", field=name)
    return None


def _check_body(rule: BodyRule) -> Response | None:
    mimetype = request.mimetype
    data = request.get_data(cache=True)
    names = sorted(rule.media_types)
    types = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} ou {names[-1]}"
    if not data and (not mimetype or mimetype in _JSON_TYPES):  # no content (zero bytes are no JSON)
        if rule.required:
            return _refuse(422, f"esta operação exige um corpo ({types})", code="body_required", location="body")
        return None
    if mimetype not in rule.media_types:
        return _refuse(415, f"envie o corpo como {types}, não {mimetype or 'sem Content-Type'}",
                       code="unsupported_media_type", location="body")
    if mimetype not in _JSON_TYPES or not data:
        return None
    if _json_depth(data) > MAX_JSON_DEPTH:
        return _refuse(422, f"o JSON passa de {MAX_JSON_DEPTH} níveis de aninhamento, o limite desta API",
                       code="json_too_deep", location="body")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None  # malformed: the operation's parser says so
    except ValueError:  # an integer of more digits than Python converts (sys.set_int_max_str_digits)
        return _refuse(422, "um número tem dígitos demais", code="number_too_long", location="body")
    if bad := _first_bad_string(document):
        field, message, code = bad
        return _refuse(422, message, code=code, location="json", field=field or None)
    return None


def check_request() -> Response | None:
    """before_request on the API's operations: strings, then the body (see the module docstring)."""
    incoming = request._get_current_object()  # one context lookup for the attributes read below
    rule = incoming.url_rule
    if rule is None:
        return None
    operations: dict[tuple[str, str], Operation] = current_app.extensions.get("qbank.operations", {})
    operation = operations.get((rule.rule, incoming.method))
    if operation is None:
        return None  # not an API operation: 404, 405 and the public routes answer as they do
    refused = _check_strings(incoming, operation)
    if refused is None and operation.body is not None:
        refused = _check_body(operation.body)
    elif refused is None and incoming.method in ("POST", "PUT", "PATCH", "DELETE") and _carries_a_body():
        # An operation the document gives no body (POST /sessions, DELETE ...): a body sent anyway
        # would be silently ignored, which hides a client's mistake.
        refused = _refuse(422, "esta operação não recebe corpo", code="body_not_accepted", location="body")
    return refused


def _carries_a_body() -> bool:
    """Whether the request sends something: not zero bytes, and not the empty JSON object many
    clients send by default ("{}" says nothing)."""
    data = request.get_data(cache=True)
    if not data.strip():
        return False
    if request.mimetype in _JSON_TYPES:
        try:
            return json.loads(data.decode("utf-8-sig")) != {}
        except (ValueError, UnicodeDecodeError):
            return True
    return True


def openapi_path(rule: str) -> str:
    """A Flask rule as the OpenAPI document writes it: /topics/<id:topic_id> -> /topics/{topic_id}."""
    return _RULE_VARIABLE.sub(r"{\1}", rule)


def init_guard(app: Flask, spec: dict[str, Any]) -> None:
    """Learn each API operation's body and header parameters from the OpenAPI document; check every
    request against them. Registered after the authorization and rate-limit hooks: refused input still
    counts against its key."""
    found: dict[tuple[str, str], Operation] = {}
    for url_rule in app.url_map.iter_rules():
        operations = spec.get("paths", {}).get(openapi_path(url_rule.rule))
        if not url_rule.rule.startswith("/api/") or not operations:
            continue
        for method in url_rule.methods or ():
            operation = operations.get(method.lower())
            if operation is None:
                continue
            body = operation.get("requestBody")
            headers = tuple(p["name"] for p in operation.get("parameters", []) if p.get("in") == "header")
            found[(url_rule.rule, method)] = Operation(
                body=None if body is None else BodyRule(required=bool(body.get("required")),
                                                        media_types=frozenset(body.get("content", {}))),
                headers=headers)
    app.extensions["qbank.operations"] = found
    app.before_request(check_request)
