"""Domain errors raised by services; the API turns each into one problem-details response."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base of the errors a client can cause; `status` is the HTTP status it maps to."""

    status = 400
    title = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        code: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.code = code  # a stable machine-readable reason, e.g. "session_exhausted"
        self.extra = extra or {}  # further problem members, e.g. what the bank has available


class NotFound(ServiceError):
    status = 404
    title = "Not found"


class Forbidden(ServiceError):
    status = 403
    title = "Forbidden"


class PreconditionFailed(ServiceError):
    status = 412
    title = "Precondition Failed"


class Conflict(ServiceError):
    status = 409
    title = "Conflict"


class Invalid(ServiceError):
    status = 422
    title = "Unprocessable Content"
