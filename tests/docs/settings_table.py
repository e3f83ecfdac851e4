"""The settings tables of docs/settings.md and docs/verify.md, generated from the CLI itself.

`make docs` (`python -m tests.docs.settings_table`) rewrites each table between its
markers; tests/docs/test_settings_table.py fails when a page and the CLI disagree.
The `serve` table comes from `bitel_mock.cli.OPTIONS` (flag, variable, help text with its
default); the `verify` table from the `verify` subcommand's own argument parser.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bitel_mock.cli import OPTIONS, Option, build_parser

ROOT = Path(__file__).resolve().parents[2]
REGENERATE = "make docs"


@dataclass(frozen=True)
class Table:
    """One generated table: the page it lives on, its marker name, how to render it."""

    page: Path
    name: str
    render: Callable[[], str]

    @property
    def start(self) -> str:
        return f"<!-- generated: {self.name} (edit the CLI's help, then run `{REGENERATE}`) -->"

    @property
    def end(self) -> str:
        return f"<!-- end: {self.name} -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    return f"`{text}`".replace("|", "\\|")


def _value_name(option: Option) -> str:
    """What `--help` would show after the flag, as argparse names it."""
    if option.choices:
        return "|".join(option.choices)
    if option.metavar:
        return option.metavar
    if option.parse is int:
        return "N"
    return option.field.upper()


def serve_table() -> str:
    rows = ["| option | environment | meaning |", "|---|---|---|"]
    for option in OPTIONS:
        flag = f"{option.flag} {_value_name(option)}"
        repeat = " (repeat)" if option.many else ""
        env = " (comma-separated)" if option.many else ""
        rows.append(f"| {_code(flag)}{repeat} | {_code(option.env)}{env} | {_cell(option.help)} |")
    return "\n".join(rows)


def _verify_actions() -> Iterable[argparse.Action]:
    parser = build_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    verify = commands.choices["verify"]
    return [a for a in verify._actions if a.option_strings and a.dest != "help"]


def verify_table() -> str:
    rows = ["| option | meaning |", "|---|---|"]
    for action in _verify_actions():
        flag = max(action.option_strings, key=len)
        if action.nargs == 0:
            shown = flag
        elif action.choices:
            shown = f"{flag} {'|'.join(action.choices)}"
        else:
            shown = f"{flag} {action.metavar or action.dest.upper()}"
        rows.append(f"| {_code(shown)} | {_cell(action.help or '')} |")
    return "\n".join(rows)


TABLES: tuple[Table, ...] = (
    Table(ROOT / "docs" / "settings.md", "serve options", serve_table),
    Table(ROOT / "docs" / "verify.md", "verify options", verify_table),
)


def _span(table: Table, text: str) -> re.Match[str]:
    pattern = re.escape(table.start) + r"\n(.*?)" + re.escape(table.end)
    match = re.search(pattern, text, re.DOTALL)
    if match is None:
        raise LookupError(f"{table.page.name} has no '{table.start}' ... '{table.end}' markers")
    return match


def current(table: Table) -> str:
    """The table as the page has it now."""
    return _span(table, table.page.read_text(encoding="utf-8")).group(1).rstrip("\n")


def regenerate(table: Table) -> bool:
    """Write the table into its page; True if the page changed."""
    text = table.page.read_text(encoding="utf-8")
    match = _span(table, text)
    updated = text[: match.start(1)] + table.render() + "\n" + text[match.end(1) :]
    if updated == text:
        return False
    table.page.write_text(updated, encoding="utf-8")
    return True


def main() -> int:
    for table in TABLES:
        changed = regenerate(table)
        print(
            f"{table.page.relative_to(ROOT)}: {table.name} {'rewritten' if changed else 'up to date'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
