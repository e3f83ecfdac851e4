"""Prints what the toolkit's hooks (journal, faults, limits) cost per request, in process.

    .venv/bin/python -m tests.benchmarks.toolkit_overhead [REQUESTS]

Two apps with the same settings, one with the toolkit's before/after hooks
taken off, each sent the same requests through Flask's test client.
"""

from __future__ import annotations

import json
import sys
import time

from flask import Flask

from bitel_mock.app import create_app
from bitel_mock.settings import Settings

AUTH = {"Authorization": "Bearer bench-token", "Content-Type": "application/json"}


def _without_hooks(app: Flask) -> Flask:
    app.before_request_funcs[None] = [f for f in app.before_request_funcs[None] if f.__name__ != "_before"]
    app.after_request_funcs[None] = [f for f in app.after_request_funcs[None] if f.__name__ != "_after"]
    return app


def _rate(app: Flask, path: str, body: bytes | None, count: int) -> float:
    client = app.test_client()
    started = time.perf_counter()
    for _ in range(count):
        if body is None:
            client.get(path, headers=AUTH)
        else:
            client.post(path, data=body, headers=AUTH)
    return count / (time.perf_counter() - started)


def main(count: int) -> None:
    cases = {
        "batch of 100": ("/api/v2/voice/batch", json.dumps({"phoneNumbers": ["09121234567"] * 100, "voiceId": "v"}).encode()),
        "batch of 2": ("/api/v2/voice/batch", json.dumps({"phoneNumbers": ["09121234567"] * 2, "voiceId": "v"}).encode()),
        "status 404": ("/api/v2/voice/status/unknown", None),
    }
    print(f"{'request':<14}{'without hooks':>16}{'with hooks':>14}{'ratio':>8}   ({count} requests each, req/s)")
    for name, (path, body) in cases.items():
        bare = _rate(_without_hooks(create_app(Settings(seed=1))), path, body, count)
        hooked = _rate(create_app(Settings(seed=1)), path, body, count)
        print(f"{name:<14}{bare:>16.0f}{hooked:>14.0f}{hooked / bare:>8.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
