"""The settings tables of docs/ are generated from the command itself, and never drift."""

from __future__ import annotations

import pytest

from bitel_mock.cli import Option
from tests.docs.settings_table import REGENERATE, TABLES, Table, current, serve_table, verify_table


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_the_page_holds_the_table_the_cli_would_generate(table: Table) -> None:
    assert current(table) == table.render(), (
        f"{table.page.name}: the {table.name} table differs from the CLI's own options; "
        f"run `{REGENERATE}` and commit the page"
    )


def test_every_serve_option_has_a_row_with_its_flag_and_variable() -> None:
    from bitel_mock.cli import OPTIONS

    rows = serve_table().splitlines()[2:]
    assert len(rows) == len(OPTIONS)
    for option, row in zip(OPTIONS, rows, strict=True):
        assert row.startswith(f"| `{option.flag} ") and f"`{option.env}`" in row


def test_a_repeatable_option_says_so_and_its_variable_takes_a_list() -> None:
    row = next(r for r in serve_table().splitlines() if r.startswith("| `--token "))
    assert row.startswith("| `--token T` (repeat) | `BITEL_MOCK_TOKENS` (comma-separated) |")


def test_choices_are_shown_and_pipes_escaped() -> None:
    row = next(r for r in serve_table().splitlines() if r.startswith("| `--clock "))
    assert row.startswith("| `--clock real\\|manual` | `BITEL_MOCK_CLOCK` |")


def test_an_integer_option_without_a_metavar_takes_n() -> None:
    from tests.docs.settings_table import _value_name

    assert _value_name(Option("--max-body-bytes", "max_body_bytes", "h", int)) == "N"
    assert _value_name(Option("--host", "host", "h")) == "HOST"


def test_the_verify_table_has_its_flags() -> None:
    table = verify_table()
    assert "| `--base-url URL` |" in table
    assert "| `--allow-billable` |" in table
    assert "| `--profile safe\\|full` |" in table
