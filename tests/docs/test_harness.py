"""The rules the page runner follows: how blocks are read, how outputs are compared, and what
is substituted. A harness that passed everything would prove nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.docs.blocks import ROOT, Block, blocks_of, outputs, parse_info, problems
from tests.docs.outputs import compare_json, compare_text, json_differences
from tests.docs.runner import BlockFailed, PageRun

RECORD = {
    "id": "5f0c4f3bd7a44f0b9a1a6c2b1e9d3f7a",
    "phoneNumber": "09121234567",
    "status": "WAITING",
    "statusCode": 0,
    "requestDate": 1795750773,
    "price": 0.0,
}

# Values with nothing the comparison lets vary: no hex ids, no Unix times, no -0.0.
plain_text = st.text(alphabet="xyzWAITNG 0", max_size=6)
plain_floats = st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: str(f) != "-0.0")
json_scalars = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | plain_floats | plain_text
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(plain_text, inner, max_size=4),
    max_leaves=20,
)


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


# --- comparing outputs ---------------------------------------------------------


@given(json_values)
def test_any_json_value_matches_itself(value: Any) -> None:
    assert json_differences(value, copy.deepcopy(value)) == []


@given(json_values, json_values)
def test_plain_values_match_exactly_when_their_json_is_the_same(shown: Any, printed: Any) -> None:
    assert (json_differences(shown, printed) == []) == (_text(shown) == _text(printed))


def test_ids_and_unix_times_vary_but_nothing_else_does() -> None:
    printed = dict(RECORD, id="0123456789abcdef0123456789abcdef", requestDate=1800000000)
    assert json_differences(RECORD, printed) == []
    assert json_differences(RECORD, dict(RECORD, status="NORMAL")) == [
        "$.status: 'WAITING' shown, 'NORMAL' printed"
    ]
    assert json_differences(RECORD, dict(RECORD, price=0)) != []  # 0 is not 0.0
    assert json_differences(RECORD, dict(RECORD, id="not-an-id")) != []
    assert json_differences(RECORD, dict(RECORD, requestDate=5)) != []
    assert json_differences(RECORD, {k: v for k, v in RECORD.items() if k != "price"}) != []


def test_measured_latency_is_any_number() -> None:
    assert json_differences({"latencyMs": 5.0}, {"latencyMs": 12.25}) == []
    assert json_differences({"latencyMs": 5.0}, {"latencyMs": None}) != []


def test_curl_outputs_without_newlines_are_several_values() -> None:
    assert compare_json('{"a": 1}\n{"b": [2]}', '{"a":1}{"b":[2]}') == []
    assert compare_json('{"a": 1}', '{"a":1}{"b":[2]}') != []
    assert compare_json('{"a": 1}', "<html>") != []


def test_text_is_compared_after_masking_ids_dates_and_durations() -> None:
    shown = "09121234567 WAITING 0 2026-11-27 10:12:53+00:00\n1 passed in 0.12s"
    printed = "09121234567 WAITING 0 2030-01-01 00:00:00+00:00\n1 passed in 3.50s\n"
    assert compare_text(shown, printed) == []
    assert compare_text(shown, printed.replace("WAITING 0", "CallStatus.WAITING")) != []


# --- reading blocks --------------------------------------------------------------


def test_info_strings_carry_tags() -> None:
    assert parse_info("sh server=8080 docker") == ("sh", {"server": "8080", "docker": ""})
    assert parse_info("python file=receiver.py") == ("python", {"file": "receiver.py"})


def test_blocks_of_kinds_nothing_runs_are_refused() -> None:
    page = ROOT / "README.md"
    assert problems(Block(page, 1, "yaml")) != []
    assert problems(Block(page, 1, "sh", {"someday": ""})) != []
    assert problems(Block(page, 1, "python", {"schema": "call-record"})) != []
    assert problems(Block(page, 1, "sh", {"server": "x"})) != []
    assert problems(Block(page, 1, "sh", {"server": "9000"})) == []


def test_an_output_belongs_to_the_block_right_before_it(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "```sh\necho '{}'\n```\ntext\n```json\n{}\n```\n"
        "```sh server=8080\nmake run\n```\n```json\n{}\n```\n"
        "```python file=x.py\nprint(1)\n```\n```text\n1\n```\n",
        encoding="utf-8",
    )
    blocks = blocks_of(page)
    assert {i: b.line for i, b in outputs(blocks).items()} == {0: 5}


# --- substitution ----------------------------------------------------------------


def _run_for(tmp_path: Path, body: str) -> PageRun:
    tmp_path.mkdir(parents=True, exist_ok=True)
    page = tmp_path / "page.md"
    page.write_text(body, encoding="utf-8")
    return PageRun(page, tmp_path / "work")


def test_documented_ports_and_the_real_service_become_the_test_servers(tmp_path: Path) -> None:
    run = _run_for(tmp_path, "```sh server=9000\npython receiver.py\n```\n")
    emulator, receiver = run.ports[8080], run.ports[9000]
    text = run.substitute(
        "curl http://127.0.0.1:8080/x https://api.bitel.rest/y localhost:9000 "
        "app.run(port=9000) --port 9000 18080 127.0.0.1:80800"
    )
    assert text == (
        f"curl http://127.0.0.1:{emulator}/x http://127.0.0.1:{emulator}/y localhost:{receiver} "
        f"app.run(port={receiver}) --port {receiver} 18080 127.0.0.1:80800"
    )


def test_the_clone_placeholder_becomes_a_copy_of_the_working_tree(tmp_path: Path) -> None:
    run = _run_for(tmp_path, "")
    clone = Path(run.substitute("/path/to/bitel-mock"))
    assert (clone / "pyproject.toml").read_bytes() == (ROOT / "pyproject.toml").read_bytes()
    assert not (clone / ".venv").exists()


def test_the_checkout_view_never_makes_make_reinstall(tmp_path: Path) -> None:
    run = _run_for(tmp_path, "")
    stamp = (run.checkout / ".venv" / ".installed").stat().st_mtime
    assert (run.checkout / "pyproject.toml").stat().st_mtime < stamp
    assert (run.project / "client.py").is_file() and (run.project / "contracts.py").is_file()


def test_a_failing_block_or_a_wrong_output_fails_the_page(tmp_path: Path) -> None:
    failing = _run_for(tmp_path / "a", "```sh\nfalse\n```\n")
    with pytest.raises(BlockFailed, match="exit status 1"):
        failing.run()
    wrong = _run_for(
        tmp_path / "b",
        '```sh\necho \'{"status": "NORMAL"}\'\n```\n```json\n{"status": "WAITING"}\n```\n',
    )
    with pytest.raises(BlockFailed, match="differs"):
        wrong.run()
