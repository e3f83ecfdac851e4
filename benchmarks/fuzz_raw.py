"""Raw-socket junk for the fuzz script: bytes no HTTP client library would send.

Each case is one connection to 127.0.0.1: the bytes are sent, the writing
side is closed (so the server sees the end of what it gets), and the answer
is read until the server closes or a short timeout. Kinds: random bytes,
broken request lines, huge headers, bad chunked encodings, CR LF injections,
over-long URIs, odd methods and paths, and bodies over the size limit.
"""

from __future__ import annotations

import random
import socket
import time
from collections.abc import Callable

from benchmarks.fuzz_tally import Tally

READ_TIMEOUT_SECONDS = 3.0
MAX_ANSWER_BYTES = 1 << 20
PATHS = [
    "/api/v2/voice/batch", "/api/v2/voice/single", "/api/v2/voice/single/tts", "/api/v2/voice/otp",
    "/api/v2/voice/batch/tts", "/api/v2/voice/status/abc", "/__admin/requests", "/__admin/calls",
    "/__admin/clock/advance", "/__admin/scenarios", "/__admin/faults", "/__admin/webhooks/config",
    "/__admin/webhooks/deliveries/1/redeliver", "/__admin/requests/count", "/", "/nope",
]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "get", "X" * 40]
JSON_BODY = b'{"phoneNumber": "09121234567", "voiceId": "08e815cbcd724386805103ac0d45e4c2"}'

Junk = tuple[str, bytes]
"""(kind, the bytes to send)."""


def _request(rng: random.Random, method: str, path: str, headers: list[str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Authorization: Bearer fuzz", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def random_bytes(rng: random.Random) -> Junk:
    size = rng.choice([1, 10, 100, 1000, 8000])
    return "random bytes", rng.randbytes(size) + rng.choice([b"", b"\r\n\r\n"])


def broken_request_line(rng: random.Random) -> Junk:
    path = rng.choice(PATHS)
    line = rng.choice([
        b"GET\r\n\r\n",
        b"GET " + path.encode() + b"\r\n\r\n",
        b"GET " + path.encode() + b" HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET " + path.encode() + b" HTTP/1.1 extra\r\nHost: 127.0.0.1\r\n\r\n",
        b"G@T " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET  " + path.encode() + b"  HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET " + path.encode() + b"\x00x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET /\xff\xfe\xc3( HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET http://127.0.0.1" + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET gopher://x/" + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET ?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET / HTTP/1.0\r\n\r\n",
        b"GET / HTTP/0.9\r\n\r\n",
        b"\r\n\r\nGET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b" GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"GET / HTTP/1.1",
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    ])
    return "broken request line", line


def huge_headers(rng: random.Random) -> Junk:
    path = rng.choice(PATHS)
    size = rng.choice([4000, 8190, 8191, 9000, 70_000])
    variant = rng.randrange(6)
    if variant == 0:
        headers = [f"X-Big: {'a' * size}"]
    elif variant == 1:
        headers = [f"X-H{n}: {n}" for n in range(rng.choice([99, 100, 101, 500]))]
    elif variant == 2:
        headers = [f"X-{'n' * size}: 1"]
    elif variant == 3:
        headers = ["X-Folded: a", " continued", "\tagain"]
    elif variant == 4:
        headers = ["No colon here", "X-Ok: 1"]
    else:
        headers = ["X Bad Name: 1", "X-\x01Ctl: 1", "Content-Length: 1", "Content-Length: 2"]
    return "huge or malformed headers", _request(rng, rng.choice(["GET", "POST"]), path, headers)


def bad_chunked(rng: random.Random) -> Junk:
    path = rng.choice(PATHS)
    head = ["Content-Type: application/json"]
    body = rng.choice([
        b"zz\r\nabc\r\n0\r\n\r\n",
        b"5\r\nabcdefgh\r\n0\r\n\r\n",
        b"-1\r\na\r\n0\r\n\r\n",
        b"ffffffffffffffffffff\r\na\r\n0\r\n\r\n",
        b"3\r\nabc",
        b"3\r\nabc\r\n",
        b"3;x=" + b"y" * 9000 + b"\r\nabc\r\n0\r\n\r\n",
        b"3\nabc\n0\n\n",
        b"%x\r\n%s\r\n0\r\n\r\n" % (len(JSON_BODY), JSON_BODY),
        b"%x\r\n%s\r\n0\r\nX-Trailer: 1\r\n\r\n" % (len(JSON_BODY), JSON_BODY),
        b"100000\r\n" + b"a" * 1000,
    ])
    encoding = rng.choice([
        ["Transfer-Encoding: chunked"],
        ["Transfer-Encoding: chunked", "Content-Length: 3"],
        ["Transfer-Encoding: chunked, chunked"],
        ["Transfer-Encoding: gzip"],
        ["Transfer-Encoding: xchunked"],
        ["Transfer-Encoding: chunked", "Transfer-Encoding: identity"],
        ["Transfer-Encoding:\tchunked"],
        ["Transfer-Encoding : chunked"],
    ])
    return "bad chunked encoding", _request(rng, "POST", path, head + encoding, body)


def crlf_injection(rng: random.Random) -> Junk:
    path = rng.choice(PATHS)
    raw = rng.choice([
        f"GET {path}%0d%0aSet-Cookie:%20x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode(),
        f"GET {path}\rX-Injected: 1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode(),
        f"GET {path} HTTP/1.1\nHost: 127.0.0.1\n\n".encode(),
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: 1\rX-B: 2\r\n\r\n".encode(),
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\nb\r\n\r\n".encode(),
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer a\r\n b\r\n\r\n".encode(),
        f"GET {path}?q=%0d%0a%0d%0a<html> HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode(),
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\nGET / HTTP/1.1\r\n\r\n".encode(),
    ])
    return "CR LF injection", raw


def long_uri(rng: random.Random) -> Junk:
    path = rng.choice(PATHS)
    size = rng.choice([2000, 4094, 4095, 8190, 20_000, 100_000])
    uri = rng.choice([path + "/" + "a" * size, path + "?q=" + "b" * size, "/" + "%41" * (size // 3)])
    return "over-long URI", _request(rng, "GET", uri, [])


def odd_method_and_path(rng: random.Random) -> Junk:
    path = rng.choice(PATHS) + rng.choice(["", "/", "/..", "/%2e%2e", "/%00", "/%ff", "?%", "?a=%zz", "//x"])
    method = rng.choice(METHODS)
    body = rng.choice([b"", JSON_BODY, b"not json", b'{"a": "\\ud800"}', b"[" * 5000])
    headers = [f"Content-Length: {len(body)}", "Content-Type: " + rng.choice(["application/json", "text/plain", "x/y"])]
    return "odd method or path", _request(rng, method, path, headers, body)


def oversized_body(rng: random.Random) -> Junk:
    size = rng.choice([1024 * 1024 + 1, 2 * 1024 * 1024])
    declared = rng.choice([size, 10, 10**20, -1])
    headers = [f"Content-Length: {declared}", "Content-Type: application/json"]
    return "oversized body", _request(rng, "POST", rng.choice(PATHS), headers, b"a" * size)


KINDS: list[Callable[[random.Random], Junk]] = [
    random_bytes, broken_request_line, huge_headers, bad_chunked, crlf_injection, long_uri,
    odd_method_and_path, oversized_body,
]
WEIGHTS = [3, 3, 2, 3, 2, 2, 4, 1]


def exchange(port: int, raw: bytes) -> tuple[int | None, str | None, bytes]:
    """(status, Content-Type, body) of the first answer to `raw`; status None when none came."""
    answer = b""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=READ_TIMEOUT_SECONDS) as connection:
            try:
                connection.sendall(raw)
                connection.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # the server may answer and close before reading everything
            while len(answer) < MAX_ANSWER_BYTES:
                part = connection.recv(65536)
                if not part:
                    break
                answer += part
    except OSError:
        pass
    return parse_answer(answer)


def parse_answer(answer: bytes) -> tuple[int | None, str | None, bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        return None, None, answer
    content_type = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-type":
            content_type = value.strip().decode("latin-1")
    return int(parts[1]), content_type, body


def fuzz_raw(port: int, *, requests_wanted: int, deadline: float, seed: int = 1) -> Tally:
    """Junk of every kind, drawn under `seed`, until `requests_wanted` or the deadline."""
    rng = random.Random(seed)
    tally = Tally("raw-socket junk")
    while tally.sent < requests_wanted and time.monotonic() < deadline:
        kind, raw = rng.choices(KINDS, WEIGHTS)[0](rng)
        status, content_type, body = exchange(port, raw)
        tally.count(kind, status, content_type, body)
    return tally
