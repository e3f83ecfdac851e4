"""WireMock as a contender: where its standalone jar is cached, the stub mappings that answer the
echo app's shapes through response templating, and the command that serves them.

The jar ships in the npm package `wiremock@VERSION`; `benchmarks/install_tools.sh` installs it
under `benchmarks/.cache/` (git-ignored).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

VERSION = "3.13.2"
CACHE = Path(__file__).resolve().parent / ".cache"
JAR = CACHE / "node_modules" / "wiremock" / "build" / f"wiremock-standalone-{VERSION}.jar"

# The echo app's record (benchmarks/echo_app.py) as a handlebars template: __NUMBER__ and __ID__ are
# filled in by each mapping, requestDate is the current Unix time.
_RECORD = (
    '{"id":"__ID__","phoneNumber":"__NUMBER__","status":"WAITING","statusCode":0,"billSec":0,'
    '"requestDate":{{now format=\'unix\'}},"executionDate":0,"price":0.0}'
)
ECHO_ID = "5f0c4b9e2d8a4c1e9b7a3f6d2e1c0b9a"
_HEADERS = {"Content-Type": "application/json"}


def _batch_body() -> str:
    record = _RECORD.replace("__ID__", ECHO_ID).replace("__NUMBER__", "{{number}}")
    return (
        "{\"result\":[{{#each (jsonPath request.body '$.phoneNumbers') as |number|}}"
        "{{#unless @first}},{{/unless}}" + record + '{{/each}}],"error":null}'
    )


def _status_body() -> str:
    record = _RECORD.replace("__ID__", "{{request.path.[4]}}").replace("__NUMBER__", "09121234567")
    return '{"result":' + record + ',"error":null}'


def mappings() -> dict[str, dict[str, Any]]:
    """Stub mappings by file name: every number of a batch echoed as a record; a status record."""
    return {
        "batch.json": {
            "request": {"method": "POST", "urlPath": "/api/v2/voice/batch"},
            "response": {
                "status": 200,
                "headers": _HEADERS,
                "body": _batch_body(),
                "transformers": ["response-template"],
            },
        },
        "status.json": {
            "request": {"method": "GET", "urlPathPattern": "/api/v2/voice/status/[^/]+"},
            "response": {
                "status": 200,
                "headers": _HEADERS,
                "body": _status_body(),
                "transformers": ["response-template"],
            },
        },
    }


def write_root(root: Path) -> Path:
    """A WireMock root directory holding the mappings; returns it."""
    (root / "mappings").mkdir(parents=True, exist_ok=True)
    for name, mapping in mappings().items():
        (root / "mappings" / name).write_text(json.dumps(mapping, indent=2))
    return root


def command(java: str, root: Path, port: int) -> list[str]:
    """WireMock standalone on loopback, no banner, no request journal, default container threads."""
    return [
        java,
        "-jar",
        str(JAR),
        "--port",
        str(port),
        "--bind-address",
        "127.0.0.1",
        "--root-dir",
        str(root),
        "--disable-banner",
        "--no-request-journal",
    ]
