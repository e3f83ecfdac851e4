"""The Flask receiver of docs/webhooks.md, run as written, fed by the emulator over a real socket."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from bitel_mock.threaded import ThreadedServer
from tests.webhooks.conftest import START, advance, place

README = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"
MARKER = "<!-- webhook-receiver-example -->"


def receiver_example() -> dict[str, Any]:
    text = README.read_text(encoding="utf-8")
    match = re.search(re.escape(MARKER) + r"\s*```python[^\n]*\n(.*?)```", text, re.DOTALL)
    assert match, f"docs/webhooks.md has no python block after {MARKER}"
    namespace: dict[str, Any] = {"__name__": "readme_receiver"}
    exec(compile(match.group(1), str(README), "exec"), namespace)
    return namespace


def test_the_readme_receiver_records_each_call_once_and_refuses_junk() -> None:
    example = receiver_example()
    with ThreadedServer(example["app"]) as receiver:
        emulator = create_app(
            Settings(clock="manual", start_time=START, webhook_url=receiver.url + "/bitel-hook")
        )
        client = emulator.test_client()
        client.post("/__admin/webhooks/faults", json={"duplicates": 1})
        placed = place(client, ["09121234567", "09990000002"])
        advance(client, 3600)
    assert example["outcomes"] == {placed[0]["id"]: "NORMAL", placed[1]["id"]: "NO_ANSWER"}
    journal = client.get("/__admin/webhooks/deliveries").get_json()["deliveries"]
    assert [d["status"] for d in journal] == [204] * 4
    refused = example["app"].test_client().post("/bitel-hook", data=b'{"cause": "NORMAL"}')
    assert refused.status_code == 400 and "requestId" in refused.get_json()["error"]
