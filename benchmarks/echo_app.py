"""The yardstick: a bare Flask app answering the emulator's routes with no validation and no state.

It echoes the same response shapes (`gunicorn -w 2 benchmarks.echo_app:app`),
so the gap between it and the emulator is what validation and the store cost.
"""

from __future__ import annotations

import time

from flask import Flask, request

app = Flask("echo")
_ID = "5f0c4b9e2d8a4c1e9b7a3f6d2e1c0b9a"


def _record(call_id: str, number: str, now: int) -> dict[str, object]:
    return {
        "id": call_id, "phoneNumber": number, "status": "WAITING", "statusCode": 0,
        "billSec": 0, "requestDate": now, "executionDate": 0, "price": 0.0,
    }


@app.post("/api/v2/voice/batch")
def batch() -> dict[str, object]:
    now = int(time.time())
    numbers = request.get_json(force=True)["phoneNumbers"]
    return {"result": [_record(_ID, number, now) for number in numbers], "error": None}


@app.get("/api/v2/voice/status/<call_id>")
def status(call_id: str) -> dict[str, object]:
    return {"result": _record(call_id, "09121234567", int(time.time())), "error": None}
