"""Issued exams' JSON (the candidate's view, the key) serialized once per process and served as bytes.

An issued exam does not change, so its JSON is made once from the database and the schema, and kept
in the process's memory under the exam's snapshot token (services/issued.py): a request reads one
row (ownership and token), then answers the kept bytes with a strong ETag, or 304 to an
If-None-Match that names it. A deletion in the bank that nulls an item's link gives the exam a new
token, and the next request serializes it again. Kept bytes are bounded per process (least recently
used out first).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from flask import Flask, Response, current_app, request
from werkzeug.http import quote_etag

from app.services.issued import ExamState

# Bytes kept per process: a 120-item exam's view is about 40 kB, so thousands of exams.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

IF_NONE_MATCH_PARAMETER = {
    "in": "header", "name": "If-None-Match", "required": False, "schema": {"type": "string"},
    "description": "The ETag you read: 304 without a body while the representation is unchanged",
}
NOT_MODIFIED = {"description": "Not modified: the If-None-Match names the current ETag (no body)",
                "headers": {"ETag": {"schema": {"type": "string"}}}}


@dataclass(frozen=True)
class Representation:
    token: str
    body: bytes
    etag: str  # unquoted

    @cached_property
    def etag_header(self) -> str:
        return quote_etag(self.etag)


class RepresentationCache:
    """(exam id, version, kind) -> the bytes made for a snapshot token; bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[int, int, str], Representation] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[int, int, str], token: str) -> Representation | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.token != token:
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple[int, int, str], entry: Representation) -> None:
        if len(entry.body) > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old.body)
            self._entries[key] = entry
            self._size += len(entry.body)
            while self._size > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._size -= len(evicted.body)


def init_representations(app: Flask) -> None:
    app.extensions["qbank.representations"] = RepresentationCache(
        int(app.config.get("EXAM_CACHE_BYTES", DEFAULT_MAX_BYTES)))


def _cache() -> RepresentationCache:
    return current_app.extensions["qbank.representations"]


def representation(state: ExamState, version: int, kind: str, make: Callable[[], object]) -> Representation:
    """The kept bytes of one representation of an exam, made (and kept) when missing or stale."""
    key = (state.exam_id, version, kind)
    if state.snapshot_token is not None:
        found = _cache().get(key, state.snapshot_token)
        if found is not None:
            return found
    body = current_app.json.response(make()).get_data()  # as jsonify would send it
    entry = Representation(state.snapshot_token or "", body, hashlib.sha256(body).hexdigest()[:32])
    if state.snapshot_token is not None:
        _cache().put(key, entry)
    return entry


def conditional_response(entry: Representation, headers: dict[str, str]) -> Response:
    """200 with the bytes and their ETag, or 304 when If-None-Match names that ETag."""
    incoming = request._get_current_object()
    # Most requests send no If-None-Match: then nothing is parsed. The headers go in as one list.
    if "HTTP_IF_NONE_MATCH" in incoming.environ and incoming.if_none_match.contains_weak(entry.etag):
        response = Response(status=304, headers=[("ETag", entry.etag_header), *headers.items()])
        response.headers.pop("Content-Type", None)
        return response
    return Response(entry.body, headers=[("ETag", entry.etag_header), *headers.items()],
                    content_type="application/json")
