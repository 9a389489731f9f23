"""Security headers (issue 12, point 7): one small WSGI middleware around the app, no library.

- `X-Content-Type-Options: nosniff` on every response: browsers take a body for the type it is
  labelled with, never sniff an upload or an export into HTML or script.
- No page of this service may be framed (clickjacking): `X-Frame-Options: DENY` for older browsers,
  `frame-ancestors 'none'` in every Content-Security-Policy.
- `Content-Security-Policy`: an API response (JSON, a file) loads and runs nothing (API_CSP). The two
  HTML pages set their own, as narrow as they can be: /docs (DOCS_CSP: Swagger UI's scripts from
  this origin, the document fetched from it) and the HTML export of an exam (EXPORT_CSP: its own
  inline style sheet and nothing else).
- `Cache-Control: no-store` goes on responses that reveal an exam's answers (the key, attempt
  results, exports with labels); those views set NO_STORE themselves.
- `Server`: gunicorn's is replaced in app/gunicorn_conf.py.

They are added to the header list the app hands to the server, after every hook has run, on every
answer (errors too). An after-request hook did the same through werkzeug's Headers, whose every
assignment checks the value and lowercases each header already there: 12 µs of a 180 µs GET served
from kept bytes, against about 1 µs here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Flask

NO_STORE = {"Cache-Control": "no-store"}

_FRAMING = "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
API_CSP = f"default-src 'none'; {_FRAMING}"
DOCS_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
EXPORT_CSP = f"default-src 'none'; style-src 'unsafe-inline'; {_FRAMING}"


_ALWAYS = (("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"))
_ALWAYS_NAMES = frozenset(name.lower() for name, _ in _ALWAYS)
_CSP = "content-security-policy"


def with_security_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The response's headers with the two fixed ones set (replacing any the app gave) and, unless the
    response has its own, the API's Content-Security-Policy."""
    out, has_csp = [], False
    for header in headers:
        name = header[0].lower()
        if name in _ALWAYS_NAMES:
            continue
        has_csp = has_csp or name == _CSP
        out.append(header)
    out.extend(_ALWAYS)
    if not has_csp:
        out.append(("Content-Security-Policy", API_CSP))
    return out


class SecurityHeaders:
    """WSGI middleware: every response of the wrapped app leaves with the security headers."""

    def __init__(self, wsgi_app: Callable) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> Callable:
            return start_response(status, with_security_headers(headers), exc_info)

        return self.wsgi_app(environ, start)


def init_headers(app: Flask) -> None:
    """Wrap the app's WSGI callable, as Flask documents for middleware (its hooks, error answers
    included, all run inside)."""
    app.wsgi_app = SecurityHeaders(app.wsgi_app)
