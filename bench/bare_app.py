"""The baseline: a bare Flask app answering JSON of the same sizes as qbank's exam endpoints."""

import json
import os

from flask import Flask, Response

app = Flask(__name__)


def _payload(size: int) -> bytes:
    filler = "x" * max(0, size - 20)
    body = json.dumps({"items": filler}).encode()
    return body[:size] if len(body) > size else body


POST_BODY = _payload(int(os.environ.get("BENCH_POST_BYTES", "4000")))
GET_BODY = _payload(int(os.environ.get("BENCH_GET_BYTES", "4000")))


@app.post("/post")
def post():
    return Response(POST_BODY, status=201, mimetype="application/json")


@app.get("/get")
def get():
    return Response(GET_BODY, mimetype="application/json")


@app.get("/healthz")
def healthz():
    return Response(b'{"status":"ok"}', mimetype="application/json")
