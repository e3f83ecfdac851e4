"""Fenced code blocks of README.md and docs/*.md: what each one is and where it runs.

A block's info string is a language and then tags (a Markdown viewer shows only the
language):

- ```` ```sh ```` / ```` ```python ````: run by the tests (tests/docs/), in order, page by page;
- `server=PORT`: a command that keeps running and listens on PORT (the emulator, a receiver);
  later blocks of the page talk to it;
- `file=NAME`: not run itself, but written to NAME for later blocks (`python NAME`, `pytest`);
- `project`: belongs to a project of the reader's own (a fresh directory with its own
  `client.py` and `contracts.py`) rather than to the clone of bitel-mock;
- `docker`: run by docker/doc-blocks.sh against a built image, not by the tests;
- `ci`: run by the CI itself (.ci/run), not by the tests;
- `schema=NAME`: a `json` sample that must satisfy the contract's schema NAME.

A `json` or `text` block that comes right after a block that runs is what that block
prints (for a server block: a `text` block, the first lines it prints). This module uses the standard library only: docker/doc-blocks.sh runs it with the
system's python3 (`python3 -m tests.docs.blocks --tag docker`).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES: tuple[Path, ...] = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))

RUNNABLE_LANGUAGES = frozenset({"sh", "python"})
OUTPUT_LANGUAGES = frozenset({"json", "text"})
LANGUAGES = RUNNABLE_LANGUAGES | OUTPUT_LANGUAGES
TAGS = frozenset({"server", "file", "project", "docker", "ci", "schema"})
ELSEWHERE_TAGS = frozenset({"docker", "ci"})
"""Tags of blocks that the tests do not run: something else does."""

_FENCE = re.compile(r"^```(?P<info>[^`\n]*)\n(?P<text>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Block:
    """One fenced block: where it is, its language, its tags, its text."""

    page: Path
    line: int
    language: str
    tags: Mapping[str, str] = field(default_factory=dict)
    text: str = ""

    @property
    def where(self) -> str:
        page = self.page.relative_to(ROOT) if self.page.is_relative_to(ROOT) else self.page
        return f"{page}:{self.line}"

    @property
    def runs_elsewhere(self) -> bool:
        return bool(ELSEWHERE_TAGS & self.tags.keys())

    @property
    def is_file(self) -> bool:
        return "file" in self.tags

    @property
    def server_port(self) -> int | None:
        return int(self.tags["server"]) if "server" in self.tags else None

    @property
    def runs_here(self) -> bool:
        """Run by the tests (as a command, a script, a server or a file)."""
        return self.language in RUNNABLE_LANGUAGES and not self.runs_elsewhere


def parse_info(info: str) -> tuple[str, dict[str, str]]:
    """`sh server=8080 docker` -> ("sh", {"server": "8080", "docker": ""})."""
    language, *words = info.split()
    tags = {}
    for word in words:
        name, _, value = word.partition("=")
        tags[name] = value
    return language, tags


def blocks_of(page: Path) -> list[Block]:
    """Every fenced block of a page, in order."""
    text = page.read_text(encoding="utf-8")
    found = []
    for match in _FENCE.finditer(text):
        info = match.group("info").strip()
        language, tags = parse_info(info) if info else ("", {})
        line = text.count("\n", 0, match.start()) + 1
        found.append(Block(page, line, language, tags, match.group("text")))
    return found


def all_blocks(pages: tuple[Path, ...] = PAGES) -> Iterator[Block]:
    for page in pages:
        yield from blocks_of(page)


def problems(block: Block) -> list[str]:
    """Why a block could not be run or checked by anything (empty: it can)."""
    found = []
    if block.language not in LANGUAGES:
        found.append(f"language {block.language!r} is none of {sorted(LANGUAGES)}")
    unknown = block.tags.keys() - TAGS
    if unknown:
        found.append(f"unknown tags {sorted(unknown)}")
    if "schema" in block.tags and block.language != "json":
        found.append("only json blocks take schema=")
    if "server" in block.tags and not block.tags["server"].isdigit():
        found.append("server= needs a port")
    return found


def outputs(blocks: list[Block]) -> dict[int, Block]:
    """Index of each block that prints -> the json/text block showing what it prints (a
    server block: the first lines it prints)."""
    shown = {}
    for index, (block, after) in enumerate(pairwise(blocks)):
        if block.language not in RUNNABLE_LANGUAGES or block.is_file or "schema" in after.tags:
            continue
        if after.language == "text" or (after.language == "json" and block.server_port is None):
            shown[index] = after
    return shown


def tagged(tag: str, pages: tuple[Path, ...] = PAGES) -> list[Block]:
    return [block for block in all_blocks(pages) if tag in block.tags]


def main(argv: list[str] | None = None) -> int:
    """Print the blocks carrying a tag, one per record: `# PAGE:LINE TAGS` then the text,
    separated by NUL bytes (for docker/doc-blocks.sh)."""
    parser = argparse.ArgumentParser(prog="python3 -m tests.docs.blocks")
    parser.add_argument("--tag", required=True, help="e.g. docker")
    args = parser.parse_args(argv)
    for block in tagged(args.tag):
        tags = " ".join(f"{k}={v}" if v else k for k, v in block.tags.items())
        sys.stdout.write(f"# {block.where} {tags}\n{block.text}\0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
