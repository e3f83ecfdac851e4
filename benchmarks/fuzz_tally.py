"""Counting the answers of one fuzz part: status classes, server errors, HTML answers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

NO_ANSWER = "no answer"
"""The connection closed (or timed out) before a status line came back."""


def is_html(content_type: str | None, body: bytes) -> bool:
    """An HTML answer: its Content-Type says so, or its body starts with '<'."""
    return "text/html" in (content_type or "").lower() or body.lstrip().startswith(b"<")


@dataclass
class Tally:
    """What one part sent and what came back."""

    name: str
    sent: int = 0
    classes: Counter[str] = field(default_factory=Counter)
    server_errors: Counter[str] = field(default_factory=Counter)
    """`METHOD path -> status` of every 5xx, so a failure can be found again."""
    html: Counter[str] = field(default_factory=Counter)
    silent: Counter[str] = field(default_factory=Counter)
    """What got no answer at all (the server closed the connection), by name."""

    def count(self, what: str, status: int | None, content_type: str | None, body: bytes) -> None:
        """One request sent; `what` names it (method and path, or the junk's kind)."""
        self.sent += 1
        if status is None:
            self.classes[NO_ANSWER] += 1
            self.silent[what] += 1
            return
        self.classes[f"{status // 100}xx"] += 1
        if status >= 500:
            self.server_errors[f"{what} -> {status}"] += 1
        if is_html(content_type, body):
            self.html[f"{what} -> {status}"] += 1

    def lines(self) -> list[str]:
        classes = ", ".join(f"{name}: {count}" for name, count in sorted(self.classes.items()))
        shown = [
            f"{self.name}: {self.sent} requests; {classes}",
            f"  5xx: {sum(self.server_errors.values())}; HTML answers: {sum(self.html.values())}",
        ]
        for label, counter in (("5xx", self.server_errors), ("HTML", self.html), (NO_ANSWER, self.silent)):
            shown += [f"    {label} {count} x {what}" for what, count in counter.most_common(10)]
        return shown
