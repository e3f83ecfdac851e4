"""The drift record: the `safe` probes' answers, normalised, written and compared.

Normalising masks what changes from run to run (32-hex ids, dates) and keeps
the rest: status, the headers that carry meaning, the parsed body. Two
snapshots of the same server are equal; any difference is drift.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bitel_mock.verify.model import Exchange

FORMAT = 1
ID = re.compile(r"^[0-9a-f]{32}$")
DATE_KEYS = frozenset({"requestDate", "executionDate", "now"})
KEPT_HEADERS = ("Allow",)


def _mask(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _mask(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(item) for item in value]
    if key in DATE_KEYS and isinstance(value, int) and value != 0:
        return "<time>"
    if isinstance(value, str) and ID.match(value):
        return "<id>"
    return value


def normalise(exchange: Exchange) -> dict[str, Any]:
    """The parts of an answer that should not change while the server does not."""
    try:
        body: Any = _mask(exchange.json())
    except ValueError:
        body = {"<text>": exchange.excerpt()}
    headers = {k: v for k, v in exchange.headers.items() if k.title() in KEPT_HEADERS}
    content_type = exchange.headers.get("content-type", "").split(";")[0].strip()
    return {
        "request": f"{exchange.method} {exchange.path}",
        "status": exchange.status,
        "contentType": content_type,
        "headers": {
            k.title(): ", ".join(sorted(v.replace(" ", "").split(","))) for k, v in headers.items()
        },
        "body": body,
    }


def build(answers: dict[str, Exchange]) -> dict[str, Any]:
    return {"format": FORMAT, "answers": {name: normalise(ex) for name, ex in answers.items()}}


def write(path: Path, snapshot: dict[str, Any]) -> None:
    path.write_text(
        json.dumps(snapshot, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or not isinstance(data.get("answers"), dict)
    ):
        raise ValueError(f"{path} is not a verify snapshot (format {FORMAT})")
    return data


def _differences(before: Any, after: Any, where: str) -> list[str]:
    if isinstance(before, dict) and isinstance(after, dict):
        out: list[str] = []
        for key in sorted(set(before) | set(after)):
            here = f"{where}.{key}" if where else str(key)
            if key not in after:
                out.append(f"{here}: was {json.dumps(before[key])}, now missing")
            elif key not in before:
                out.append(f"{here}: now {json.dumps(after[key])}, was missing")
            else:
                out.extend(_differences(before[key], after[key], here))
        return out
    if before != after:
        return [
            f"{where}: was {json.dumps(before, ensure_ascii=False)}, now {json.dumps(after, ensure_ascii=False)}"
        ]
    return []


def compare(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str]]:
    """Per probe name, every difference between an earlier snapshot and this one."""
    old, new = before["answers"], after["answers"]
    drift: dict[str, list[str]] = {}
    for name in sorted(set(old) | set(new)):
        if name not in new:
            drift[name] = ["the probe is no longer run"]
        elif name not in old:
            drift[name] = ["a new probe, not in the earlier snapshot"]
        else:
            found = _differences(old[name], new[name], "")
            if found:
                drift[name] = found
    return drift
