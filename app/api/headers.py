"""Security headers (issue 12, point 7): one small after-request hook, no library.

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
"""

from __future__ import annotations

from flask import Flask, Response

NO_STORE = {"Cache-Control": "no-store"}

_FRAMING = "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
API_CSP = f"default-src 'none'; {_FRAMING}"
DOCS_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
EXPORT_CSP = f"default-src 'none'; style-src 'unsafe-inline'; {_FRAMING}"


def _security_headers(response: Response) -> Response:
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers.setdefault("Content-Security-Policy", API_CSP)
    return response


def init_headers(app: Flask) -> None:
    """Register the hook (it runs on errors too: problem details get the same headers)."""
    app.after_request(_security_headers)
