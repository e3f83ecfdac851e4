"""The README is a short map whose every link leads somewhere, and so are the pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.docs.blocks import PAGES, ROOT

README = ROOT / "README.md"
MAX_README_LINES = 200
_LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
_FENCED = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_HEADING = re.compile(r"^#{1,6} (?P<title>.+)$", re.MULTILINE)


def anchor(title: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = _FENCED.sub("", page.read_text(encoding="utf-8"))
    return {anchor(m["title"]) for m in _HEADING.finditer(text)}


def links(page: Path) -> list[str]:
    text = _FENCED.sub("", page.read_text(encoding="utf-8"))
    return [m["target"] for m in _LINK.finditer(text)]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_leads_to_a_file_and_heading(page: Path) -> None:
    for target in links(page):
        if re.match(r"[a-z]+:", target):
            continue
        path, _, fragment = target.partition("#")
        destination = (page.parent / path).resolve() if path else page
        assert destination.exists(), f"{page.name}: {target} leads nowhere"
        if fragment:
            assert fragment in anchors(destination), f"{page.name}: {target}: no such heading"


def test_the_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_README_LINES, f"README.md has {lines} lines; move detail into docs/"


def test_the_readme_maps_every_page_of_docs() -> None:
    mapped = {target.partition("#")[0] for target in links(README)}
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"docs/{page.name}" in mapped, f"README.md does not link docs/{page.name}"
    assert "benchmarks/README.md" in mapped


def test_the_anchor_rule() -> None:
    assert anchor("Who may use /__admin") == "who-may-use-__admin"
    assert anchor("What `safe` sends") == "what-safe-sends"
