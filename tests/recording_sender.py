"""A webhook sender for in-process tests: records every POST and answers as scripted,
without a socket."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bitel_mock.webhooks.sender import SendResult


@dataclass(frozen=True)
class Sent:
    url: str
    body: dict[str, Any]
    headers: dict[str, str]
    timeout: float


class RecordingSender:
    """`RecordingSender(failing=True)` answers 500 to every POST; `answer(503, 500)` scripts
    the next answers (then 200, or 500 when failing)."""

    def __init__(self, *, failing: bool = False) -> None:
        self.failing = failing
        self.sent: list[Sent] = []
        self._statuses: deque[int] = deque()

    def answer(self, *statuses: int) -> None:
        self._statuses.extend(statuses)

    def send(self, url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> SendResult:
        self.sent.append(Sent(url, json.loads(body), dict(headers), timeout))
        status = self._statuses.popleft() if self._statuses else (500 if self.failing else 200)
        return SendResult(status, None if 200 <= status <= 299 else f"HTTP {status}", 0.0)

    def urls(self) -> list[str]:
        return [sent.url for sent in self.sent]

    def bodies(self) -> Iterable[dict[str, Any]]:
        return [sent.body for sent in self.sent]
