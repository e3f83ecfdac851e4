"""The client example of docs/client.md, run exactly as written (it needs the manual clock and the
call lifecycle: every call final within four hours)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "docs" / "client.md"
MARKER = "<!-- client-example -->"


def readme_example() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(re.escape(MARKER) + r"\s*```python\n(.*?)```", text, re.DOTALL)
    assert match, f"docs/client.md has no python block after {MARKER}"
    return match.group(1)


def test_the_example_is_ten_lines() -> None:
    assert len([line for line in readme_example().splitlines() if line.strip()]) == 10


def test_the_readme_example_places_250_calls_and_waits_for_them_all() -> None:
    namespace: dict[str, object] = {"__name__": "readme_example"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(readme_example(), str(README), "exec"), namespace)
    calls, final = namespace["calls"], namespace["final"]
    assert len(calls) == 250
    assert [r.id for r in final] == [c.id for c in calls]
    assert all(r.is_final for r in final)
    assert all(
        r.status.name == "NORMAL" and r.price < 0 and r.executed_at is not None for r in final
    )
    assert printed.getvalue() == "250 of 250 answered\n"
