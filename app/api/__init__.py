"""The REST API: the flask-smorest Api, the one problem-details error handler, pagination."""

from __future__ import annotations

import copy
import math
from http import HTTPStatus
from typing import Any

import flask_smorest
import marshmallow as ma
import sqlalchemy as sa
from apispec import BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask, Response, current_app, json, request
from flask_smorest import Api
from flask_smorest.spec.plugins import unicodeconverter2paramschema
from flask_smorest.utils import prepare_response
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import ClientDisconnected, HTTPException
from werkzeug.routing import BaseConverter, IntegerConverter, UnicodeConverter

from app.errors import ServiceError
from app.fields import TEXT_PATTERN
from app.models import ID_MAX
from app.schemas import ProblemSchema

PROBLEM_MIMETYPE = "application/problem+json"


# RFC 9110's names where Python's table still has the older ones (one title per status, whichever
# layer answers: request parsing, a service, or the size limit).
_TITLES = {413: "Content Too Large", 422: "Unprocessable Content"}


def problem(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    code: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    """A problem-details (RFC 9457) response: the shape of every error this service returns."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or _TITLES.get(status) or HTTPStatus(status).phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if code:
        body["code"] = code
    if errors:
        body["errors"] = errors
    body.update(extra or {})
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def flatten_messages(messages: Any, location: str | None = None, path: str = "") -> list[dict[str, Any]]:
    """webargs/marshmallow nested messages -> a flat list of {location, field, message}."""
    out: list[dict[str, Any]] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if location is None:
                out += flatten_messages(value, str(key), "")
                continue
            sub = path if key == "_schema" else (f"{path}.{key}" if path else str(key))
            out += flatten_messages(value, location, sub)
    elif isinstance(messages, list):
        for message in messages:
            if isinstance(message, (dict, list)):
                out += flatten_messages(message, location, path)
            else:
                entry: dict[str, Any] = {"message": str(message)}
                if location:
                    entry["location"] = location
                if path:
                    entry["field"] = path
                out.append(entry)
    else:
        entry = {"message": str(messages)}
        if location:
            entry["location"] = location
        if path:
            entry["field"] = path
        out.append(entry)
    return out


_SCALARS = frozenset({int, float, str, bool, type(None)})


class StrictParser(FlaskParser):
    """Query strings are strict too: an unknown parameter is a 422, not silently ignored.

    A request without a query string gets its query schema's defaults, loaded once per schema
    instead of once per request (the load was a tenth of a GET answered from kept bytes): only
    for schemas whose load of nothing is always the same, with no callable default and no hooks;
    any other schema, or any query string, goes through webargs as before."""

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": ma.RAISE,
        "querystring": ma.RAISE,
    }
    _NOT_FIXED = object()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._defaults: dict[int, tuple[ma.Schema, object]] = {}

    def parse(self, argmap: Any, req: Any = None, *, location: str | None = None, **kwargs: Any) -> Any:
        if location in ("query", "querystring") and isinstance(argmap, ma.Schema) and kwargs.get("validate") is None:
            incoming = req if req is not None else self.get_default_request()
            if not incoming.query_string:
                defaults = self._defaults_of(argmap)
                if defaults is not self._NOT_FIXED:
                    # A dict of numbers, strings, booleans and None is copied whole by dict(): the view
                    # may change its copy, never the values themselves.
                    if type(defaults) is dict and all(type(v) in _SCALARS for v in defaults.values()):
                        return dict(defaults)
                    return copy.deepcopy(defaults)
        return super().parse(argmap, req, location=location, **kwargs)

    def _defaults_of(self, schema: ma.Schema) -> object:
        found = self._defaults.get(id(schema))
        if found is not None and found[0] is schema:
            return found[1]
        fixed = not any(getattr(schema, "_hooks", {"unknown": [True]}).values()) and \
            not any(callable(field.load_default) for field in schema.fields.values())
        try:
            defaults = schema.load({}) if fixed else self._NOT_FIXED
        except ma.ValidationError:  # a required parameter: webargs says which, the usual way
            defaults = self._NOT_FIXED
        self._defaults[id(schema)] = (schema, defaults)
        return defaults


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint with the strict argument parser."""

    ARGUMENTS_PARSER = StrictParser()


def schema_name(schema: type[ma.Schema] | ma.Schema) -> str:
    """OpenAPI component name: the class name without "Schema", "Patch" for partial variants."""
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__.removesuffix("Schema")
    if not isinstance(schema, type) and schema.partial and not name.endswith("Patch"):
        name += "Patch"
    return name


class QbankApi(Api):
    """flask-smorest's Api with problem-details errors instead of its default payload."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        super()._register_error_handlers()
        self._app.register_error_handler(ServiceError, _handle_service_error)
        self._app.register_error_handler(StaleDataError, _handle_stale)
        self._app.register_error_handler(ClientDisconnected, _handle_client_disconnected)
        self._app.register_error_handler(TimeoutError, _handle_timeout)
        self._app.register_error_handler(BlockingIOError, _handle_timeout)
        self._app.register_error_handler(sa.exc.OperationalError, _handle_database_down)

    def _register_responses(self) -> None:
        """Document every error response with the problem-details media type we send."""
        for status in HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MIMETYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def handle_http_exception(self, error: HTTPException) -> Response:  # type: ignore[override]
        """Every HTTP error, 404 and 405 and the 500 of a crash included, as problem details."""
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        errors = None
        if "errors" in data:
            errors = data["errors"]
        elif "messages" in data:
            errors = flatten_messages(data["messages"])
        detail = data.get("message")
        if detail is None and errors:
            first = errors[0]
            where = ".".join(p for p in (first.get("location"), first.get("field")) if p)
            detail = f"{where}: {first['message']}" if where else first["message"]
            if len(errors) > 1:
                detail += f" (and {len(errors) - 1} more)"
        if detail is None and status != 500:
            detail = error.description
        headers = dict(data.get("headers") or {})
        if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        return problem(status, detail, errors=errors, headers=headers)


def _handle_service_error(error: ServiceError) -> Response:
    return problem(error.status, error.detail, title=error.title, errors=error.errors or None,
                   code=error.code, extra=error.extra)


def _body_stalled() -> Response:
    response = problem(408, "o corpo da requisição parou de chegar antes do fim anunciado; envie-o de novo, inteiro",
                       code="body_timeout")
    response.headers["Cache-Control"] = "no-store"
    return response


def _handle_client_disconnected(error: ClientDisconnected) -> Response:
    """A request body that ended early: the client stopped sending (the socket read timed out: 408) or
    closed the connection before the length it announced (400). The server does not keep such a
    connection alive (app/gunicorn_worker.py), so nothing of the rest of the body is taken for a request."""
    if isinstance(error.__context__, TimeoutError | BlockingIOError):  # SO_RCVTIMEO expired: EAGAIN
        return _body_stalled()
    return problem(400, "o corpo da requisição terminou antes dos bytes anunciados em Content-Length",
                   code="body_incomplete")


def _handle_timeout(error: TimeoutError | BlockingIOError) -> Response:
    """A socket read that timed out inside a request (TimeoutError, or BlockingIOError where the
    server bounds reads with SO_RCVTIMEO): reading a body without Content-Length (chunked) that
    stopped arriving is the client's doing (408); anything else is ours (500, logged)."""
    if request.content_length or "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        return _body_stalled()
    current_app.logger.error("timeout while serving the request", exc_info=error)
    return problem(500)


def _handle_stale(_error: StaleDataError) -> Response:
    return problem(409, "the resource was changed by another request; fetch it and try again")


def _handle_database_down(error: sa.exc.OperationalError) -> Response:
    current_app.logger.error("database error: %s", error)
    return problem(503, "the database is unavailable; try again shortly", headers={"Retry-After": "5"})


class AccessResponsesPlugin(BasePlugin):
    """Documents, on every operation of the API, the answers any of them may give:
    401 (no or bad key), 403 (role), 422 (a control character or a lone surrogate in a parameter,
    app/api/guard.py), 429 (rate limit); and that a bearer key is required. Operations that take a
    body may also answer 400 (malformed JSON or a body shorter than announced), 408 (a body that stopped
    arriving) and 415 (another media type); those that take
    If-Match, 400 (an If-Match naming no ETag)."""

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:  # noqa: ANN001, ANN003
        if not path or not path.startswith("/api/"):
            return
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            statuses = [("401", "UNAUTHORIZED"), ("403", "FORBIDDEN"), ("422", "UNPROCESSABLE_ENTITY"),
                        ("429", "TOO_MANY_REQUESTS")]
            if "requestBody" in operation:
                statuses += [("400", "BAD_REQUEST"), ("408", "REQUEST_TIMEOUT"), ("415", "UNSUPPORTED_MEDIA_TYPE")]
            if any(p.get("name") == "If-Match" for p in operation.get("parameters", []) if isinstance(p, dict)):
                statuses.append(("400", "BAD_REQUEST"))
            for status, name in statuses:
                responses.setdefault(status, name)


class SchemaExtrasPlugin(BasePlugin):
    """Adds a schema's `openapi_extra` (rules across fields, such as "these two together, or those,
    not both", that the schema's own validation enforces) to its definition in the document."""

    def schema_helper(self, name, definition, **kwargs) -> dict[str, Any] | None:  # noqa: ANN001, ANN003
        extra = getattr(kwargs.get("schema"), "openapi_extra", None)
        return dict(extra) if isinstance(extra, dict) else None


api = QbankApi(spec_kwargs={
    "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name),
    "extra_plugins": [AccessResponsesPlugin(), SchemaExtrasPlugin()],
})


ETAG_HEADER = {"ETag": {"description": "The representation's version; send it back in If-Match",
                         "schema": {"type": "string"}}}
IF_MATCH_PARAMETER = {
    "in": "header", "name": "If-Match", "required": False,
    "schema": {"type": "string", "minLength": 1, "pattern": TEXT_PATTERN},
    "description": "The ETag you read: the change is refused with 412 if the resource changed since, "
                   "with 400 if the header names no ETag at all",
}


def if_match() -> set[str] | None:
    """The ETags of the request's If-Match header ("*" for any), or None when it has none.
    An If-Match that names nothing (empty, or only commas) is a malformed header: 400, not a 412
    that would claim the resource changed."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    values = {part.strip() for part in header.split(",") if part.strip()}
    if not values:
        flask_smorest.abort(400, message="If-Match vazio: envie o ETag que você leu (ou *), ou não envie o "
                                         "cabeçalho", errors=[{"location": "headers", "field": "If-Match",
                                                              "message": "vazio"}])
    return {v if v == "*" or v.startswith('"') else f'"{v}"' for v in values}


def paginate(session: Session, stmt: sa.Select, *, page: int, page_size: int) -> dict[str, Any]:
    """Count, limit and wrap a select() as one page: {items, page, page_size, total, pages}."""
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
    items = session.scalars(stmt.limit(page_size).offset((page - 1) * page_size)).all()
    return {
        "items": items,
        "page": page,
        "page_size": page_size,
        "total": total or 0,
        "pages": math.ceil((total or 0) / page_size),
    }


class IdConverter(IntegerConverter):
    """`<id:name>` in routes: a positive integer that fits the database's integer ids."""

    def __init__(self, url_map) -> None:  # noqa: ANN001
        super().__init__(url_map, min=1, max=ID_MAX)


def _id_param_schema(_converter: IdConverter) -> dict[str, Any]:
    return {"type": "integer", "minimum": 1, "maximum": ID_MAX}


class HexIdConverter(BaseConverter):
    """`<hex32:name>` in routes: 32 lowercase hexadecimal digits (a job's id, uuid4().hex)."""

    regex = "[0-9a-f]{32}"


def _hex_id_param_schema(_converter: HexIdConverter) -> dict[str, Any]:
    return {"type": "string", "pattern": "^[0-9a-f]{32}$"}


def _text_param_schema(converter: UnicodeConverter) -> dict[str, Any]:
    """A text path segment (`<name>`): flask-smorest's schema for it, and TEXT_PATTERN."""
    return {**unicodeconverter2paramschema(converter), "pattern": TEXT_PATTERN}


def _text_pattern(_converter: Any, field: ma.fields.Field, **_kwargs: Any) -> dict[str, Any]:
    """apispec attribute function: every text field of the document carries TEXT_PATTERN (no control
    characters), which the API enforces; fields with a fixed set of values or a pattern of their own
    keep theirs."""
    if not isinstance(field, ma.fields.String) or isinstance(field, ma.fields.Email | ma.fields.URL | ma.fields.UUID):
        return {}
    if any(isinstance(v, ma.validate.OneOf | ma.validate.Regexp) for v in field.validators):
        return {}
    return {"pattern": TEXT_PATTERN}


def _no_content_means_no_content_type(response: Response) -> Response:
    """A 204 has no body, so it declares no media type (the framework labels it JSON)."""
    if response.status_code == 204:
        response.headers.pop("Content-Type", None)
        response.set_data(b"")
    return response


def init_api(app: Flask) -> None:
    """Bind the Api and register every blueprint, behind authorization and rate limits."""
    from app.api import (
        assertions,
        docs,
        exams,
        health,
        imports,
        jobs,
        json_schemas,
        keys,
        metrics,
        scans,
        sessions,
        statistics,
        subtopics,
        topics,
        variants,
    )
    from app.api.auth import init_auth
    from app.api.guard import init_guard
    from app.api.headers import init_headers
    from app.api.limits import apply_route_limits, init_limits
    from app.api.representations import init_representations

    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["hex32"] = HexIdConverter
    app.after_request(_no_content_means_no_content_type)
    init_headers(app)
    init_representations(app)
    init_auth(app)
    init_limits(app)
    api.init_app(app)
    api.register_converter(IdConverter, _id_param_schema)
    api.register_converter(HexIdConverter, _hex_id_param_schema)
    api.register_converter(UnicodeConverter, _text_param_schema)
    api.ma_plugin.converter.add_attribute_function(_text_pattern)
    app.register_blueprint(docs.blp)
    app.register_blueprint(health.blp)
    app.register_blueprint(metrics.blp)
    for module in (topics, subtopics, assertions, variants, statistics, imports, exams, sessions, keys, json_schemas,
                   jobs, scans):
        api.register_blueprint(module.blp, url_prefix="/api/v1")
    apply_route_limits(app)
    _document_probes(app)
    init_guard(app, api.spec.to_dict())


_PROBE = {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok", "degraded", "unavailable"]}},
          "required": ["status"], "additionalProperties": True}


def _document_probes(app: Flask) -> None:
    """The probes and the metrics live outside /api/v1 and need no key; clients and operators
    still find them in the document."""
    if "/healthz" in api.spec.to_dict().get("paths", {}):
        return
    json_probe = {"application/json": {"schema": _PROBE}}
    rules = {rule.rule: rule for rule in app.url_map.iter_rules()}
    api.spec.path(rule=rules["/healthz"], operations={"get": {
        "tags": ["probes"], "summary": "Alive: the process answers", "security": [],
        "responses": {"200": {"description": "Alive", "content": json_probe}},
    }})
    api.spec.path(rule=rules["/readyz"], operations={"get": {
        "tags": ["probes"], "summary": "Ready: the database answers and its schema is at the newest migration",
        "description": "Also reports where rate limits are counted. Redis down is `degraded` with 200: requests "
                       "are still served, with limits counted in each process's memory.",
        "security": [],
        "responses": {"200": {"description": "Ready (status ok or degraded)", "content": json_probe},
                      "503": {"description": "Not ready, and why", "content": json_probe}},
    }})
    api.spec.path(rule=rules["/metrics"], operations={"get": {
        "tags": ["probes"], "summary": "Prometheus metrics (text exposition format)", "security": [],
        "responses": {"200": {"description": "Metrics", "content": {"text/plain": {"schema": {"type": "string"}}}},
                      "404": {"description": "Metrics are not public here (METRICS_PUBLIC off)"}},
    }})


def spec_yaml() -> str:
    """The OpenAPI document as YAML, keys sorted so that the committed file is stable."""
    import yaml

    return yaml.safe_dump(api.spec.to_dict(), sort_keys=True, allow_unicode=True, width=100)
