"""Deliberately broken servers for verify's tests: WSGI middlewares around the emulator, and a lax app."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, jsonify, request

Rewrite = Callable[[str, str, int, Any], tuple[int, Any]]
"""(method, path, status, parsed body) -> (status, body) to answer instead."""


class Rewriting:
    """Runs `app`, then lets `rewrite` change the status and JSON body of each answer under /api/."""

    def __init__(self, app: Any, rewrite: Rewrite) -> None:
        self.app = app
        self.rewrite = rewrite

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def capture(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], None]:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        chunks = self.app(environ, capture)
        try:
            content = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        path = environ.get("PATH_INFO", "")
        status = int(captured["status"].split()[0])
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        if path.startswith("/api/"):
            try:
                body = json.loads(content)
            except ValueError:
                body = content.decode("utf-8", "replace")
            status, body = self.rewrite(environ["REQUEST_METHOD"], path, status, body)
            content = (
                body.encode("utf-8") if isinstance(body, str) else json.dumps(body).encode("utf-8")
            )
        headers.append(("Content-Length", str(len(content))))
        start_response(f"{status} X", headers)
        return [content]


def answers_500(method: str, path: str, status: int, body: Any) -> tuple[int, Any]:
    return 500, {"result": None, "error": "InternalError"}


def renames_invalid_request(method: str, path: str, status: int, body: Any) -> tuple[int, Any]:
    if isinstance(body, dict) and body.get("error") == "InvalidRequest":
        return status, {**body, "error": "BadRequest"}
    return status, body


def _records(body: Any) -> list[dict[str, Any]]:
    result = body.get("result") if isinstance(body, dict) else None
    return result if isinstance(result, list) else [result] if isinstance(result, dict) else []


def drops_price(method: str, path: str, status: int, body: Any) -> tuple[int, Any]:
    for record in _records(body):
        record.pop("price", None)
    return status, body


def overcharges(method: str, path: str, status: int, body: Any) -> tuple[int, Any]:
    for record in _records(body):
        if record.get("billSec"):
            record["price"] = record["price"] - 1.0
    return status, body


def ignores_auth(app: Any) -> Callable[..., Iterable[bytes]]:
    """A server that lets every request in, token or not."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ["HTTP_AUTHORIZATION"] = "Bearer anything"
        return app(environ, start_response)

    return wrapped


def lax_app(received: list[Any]) -> Flask:
    """A server that enforces nothing: every POST is 'accepted', every body kept in `received`."""
    app = Flask("lax")

    @app.post("/api/v2/voice/<path:rest>")
    def accept(rest: str) -> Any:
        received.append(request.get_data(as_text=True))
        return jsonify({"result": [], "error": None})

    @app.get("/api/v2/voice/<path:rest>")
    def status(rest: str) -> Any:
        return jsonify({"result": None, "error": "NotFound"}), 404

    return app


class RateLimited:
    """Answers 429 (Retry-After: 2) to requests under /api/ that `limited` picks; counts them."""

    def __init__(self, app: Any, limited: Callable[[str, str, bytes], bool]) -> None:
        self.app = app
        self.limited = limited
        self.refused: list[tuple[str, str, bytes]] = []

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        stream = environ["wsgi.input"]
        body = stream.read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        if path.startswith("/api/") and self.limited(method, path, body):
            self.refused.append((method, path, body))
            start_response(
                "429 Too Many Requests",
                [("Content-Type", "application/json"), ("Retry-After", "2")],
            )
            return [json.dumps({"result": None, "error": "TooManyRequests"}).encode()]
        return self.app(environ, start_response)
