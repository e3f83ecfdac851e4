"""The body limit over a real socket (granian's chunk decoder, SQLite store): a chunked body
at the limit is read whole, one byte more is 413 with nothing placed, a malformed chunk is 400,
and text that cannot be encoded is 400: every answer JSON."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
import requests

from tests.e2e.processes import AUTH, Served, serving

LIMIT = 1000
SINGLE = "/api/v2/voice/single"
BODY = json.dumps({"phoneNumber": "09121234567", "voiceId": "08e815cbcd724386805103ac0d45e4c2"}).encode()
TIMEOUT = 10


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    store = tmp_path_factory.mktemp("caps") / "calls.sqlite3"
    with serving("--store", f"sqlite:///{store}", "--max-body-bytes", str(LIMIT)) as server:
        yield server


def exchange(served: Served, raw: bytes) -> tuple[int, requests.structures.CaseInsensitiveDict[str], bytes]:
    """Send raw bytes on a fresh connection; (status, headers, body) of the answer."""
    port = int(served.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as connection:
        connection.sendall(raw)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = requests.structures.CaseInsensitiveDict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), headers, body


def chunked(path: str, body: bytes, chunk_size: int = 300, *, broken: bytes = b"") -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {AUTH['Authorization']}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    ).encode()
    chunks = [body[i : i + chunk_size] for i in range(0, len(body), chunk_size)]
    return head + b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + broken + b"0\r\n\r\n"


def calls(served: Served) -> int:
    return requests.get(f"{served.url}/__admin/calls", timeout=TIMEOUT).json()["total"]


def test_a_chunked_body_exactly_at_the_limit_places_its_call(served: Served) -> None:
    before = calls(served)
    status, headers, body = exchange(served, chunked(SINGLE, BODY + b" " * (LIMIT - len(BODY))))
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert json.loads(body)["result"]["status"] == "WAITING"
    assert calls(served) == before + 1


def test_a_chunked_body_one_byte_over_is_413_even_when_its_first_bytes_are_a_valid_call(served: Served) -> None:
    before = calls(served)
    status, headers, body = exchange(served, chunked(SINGLE, BODY + b" " * (LIMIT + 1 - len(BODY))))
    assert (status, json.loads(body)) == (413, {"result": None, "error": "PayloadTooLarge"})
    assert headers["Content-Type"] == "application/json"
    assert calls(served) == before


def test_a_much_larger_chunked_body_is_413(served: Served) -> None:
    status, _, body = exchange(served, chunked(SINGLE, BODY + b" " * (50 * LIMIT), chunk_size=4096))
    assert (status, json.loads(body)["error"]) == (413, "PayloadTooLarge")


@pytest.mark.parametrize(
    "broken",
    [b"zz\r\nabc\r\n", b"5\r\nabcdefgh\r\n", b"3;" + b"x" * 10 + b"\r\nabc\r\n"],
    ids=["size-not-hex", "chunk-longer-than-its-size", "odd-extension"],
)
def test_a_malformed_chunk_is_400_in_json(served: Served, broken: bytes) -> None:
    before = calls(served)
    status, headers, body = exchange(served, chunked(SINGLE, BODY[:10], broken=broken))
    assert status == 400
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["error"] == "InvalidRequest"
    assert calls(served) == before


def test_a_lone_surrogate_is_400_and_the_journal_still_answers(served: Served) -> None:
    raw = b'{"phoneNumber": "09121234567", "voiceId": "\\ud800"}'
    answer = requests.post(f"{served.url}{SINGLE}", data=raw, headers=AUTH, timeout=TIMEOUT)
    assert (answer.status_code, answer.json()) == (400, {"result": None, "error": "InvalidRequest"})
    page = requests.get(f"{served.url}/__admin/requests?limit=1", timeout=TIMEOUT)
    assert page.status_code == 200
    assert page.json()["requests"][0]["bodyText"] == raw.decode()


def test_a_huge_offset_or_delivery_id_is_400(served: Served) -> None:
    huge = "2895647439493929857397555200"
    listing = requests.get(f"{served.url}/__admin/webhooks/deliveries?offset={huge}", timeout=TIMEOUT)
    redeliver = requests.post(f"{served.url}/__admin/webhooks/deliveries/{huge}/redeliver", timeout=TIMEOUT)
    assert (listing.status_code, redeliver.status_code) == (400, 400)
    assert listing.json()["error"] == redeliver.json()["error"] == "InvalidRequest"
