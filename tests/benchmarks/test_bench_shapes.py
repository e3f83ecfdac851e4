"""The servers `make bench` compares answer the same shapes: the echo app's answers pass the
check, answers that differ are named, and WireMock's templates render the echo's records."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmarks import wiremock
from benchmarks.echo_app import app as echo_app
from benchmarks.shapes import RECORD_FIELDS, problem
from benchmarks.wrk import AUTH, WORKLOADS, Workload, batch_body

CALL_ID = "0123456789abcdef0123456789abcdef"


def _echo(workload: Workload, call_id: str = CALL_ID) -> tuple[int, bytes]:
    answer = echo_app.test_client().open(
        workload.path(call_id),
        method=workload.method,
        data=workload.body(),
        headers={"Authorization": AUTH, "Content-Type": "application/json"},
    )
    return answer.status_code, answer.data


@pytest.mark.parametrize("workload", WORKLOADS, ids=lambda w: w.name)
def test_the_echo_apps_answers_have_the_shape(workload: Workload) -> None:
    assert problem(workload, *_echo(workload), CALL_ID) is None


def _batch_answer(records: list[object]) -> bytes:
    return json.dumps({"result": records, "error": None}).encode()


def _records(count: int) -> list[dict[str, object]]:
    numbers = json.loads(batch_body(count))["phoneNumbers"]
    return [dict.fromkeys(RECORD_FIELDS, 0) | {"phoneNumber": n} for n in numbers]


@pytest.mark.parametrize(
    ("status", "body", "named"),
    [
        (401, b'{"result":null,"error":"Unauthorized"}', "status 401"),
        (200, b"<html></html>", "not JSON"),
        (200, b'{"result":null,"error":"InvalidRequest"}', "not a successful envelope"),
        (200, _batch_answer(_records(2)[:1]), "not a list of 2 records"),
        (200, _batch_answer(_records(2)[::-1]), "not the numbers sent"),
        (200, _batch_answer([{"phoneNumber": "09120000000"}, *_records(2)[1:]]), "without"),
        (200, _batch_answer(["09120000000", *_records(2)[1:]]), "not an object"),
    ],
)
def test_a_batch_answer_that_differs_is_named(status: int, body: bytes, named: str) -> None:
    found = problem(WORKLOADS[0], status, body, CALL_ID)
    assert found is not None and named in found


def test_a_status_of_another_call_is_named() -> None:
    _, body = _echo(WORKLOADS[2], call_id="f" * 32)
    found = problem(WORKLOADS[2], 200, body, CALL_ID)
    assert found is not None and "not of" in found


def _render(template: str, **values: str) -> str:
    """The handlebars WireMock evaluates here, for one number (the batch's each-block once)."""
    template = template.replace("{{now format='unix'}}", "1700000000")
    template = template.replace("{{request.path.[4]}}", values.get("id", ""))
    each = re.search(
        r"\{\{#each [^}]*\}\}\{\{#unless @first\}\},\{\{/unless\}\}(.*)\{\{/each\}\}", template
    )
    if each:
        record = each.group(1).replace("{{number}}", values.get("number", ""))
        template = template[: each.start()] + record + template[each.end() :]
    assert "{{" not in template, template
    return template


def test_wiremocks_batch_template_renders_the_echos_record_for_each_number() -> None:
    body = wiremock.mappings()["batch.json"]["response"]["body"]
    rendered = json.loads(_render(body, number="09121111111"))
    _, echo = _echo(Workload("one", 1))
    expected = json.loads(echo)
    expected["result"][0] |= {"phoneNumber": "09121111111", "requestDate": 1700000000}
    assert rendered == expected
    assert "jsonPath request.body '$.phoneNumbers'" in body


def test_wiremocks_status_template_renders_the_echos_record_for_the_id_asked() -> None:
    body = wiremock.mappings()["status.json"]["response"]["body"]
    rendered = json.loads(_render(body, id=CALL_ID))
    expected = json.loads(_echo(WORKLOADS[2])[1])
    expected["result"]["requestDate"] = 1700000000
    assert rendered == expected


@pytest.mark.parametrize("name", ["batch.json", "status.json"])
def test_wiremocks_mappings_are_templated_json_answers(name: str) -> None:
    response = wiremock.mappings()[name]["response"]
    assert response["transformers"] == ["response-template"]
    assert response["headers"] == {"Content-Type": "application/json"}


def test_wiremock_runs_on_loopback_without_banner_nor_journal(tmp_path: Path) -> None:
    command = wiremock.command("java", wiremock.write_root(tmp_path), 8123)
    assert command[:3] == ["java", "-jar", str(wiremock.JAR)]
    assert command[command.index("--port") + 1] == "8123"
    assert command[command.index("--bind-address") + 1] == "127.0.0.1"
    assert "--disable-banner" in command and "--no-request-journal" in command
    assert "--container-threads" not in command and "--async-response-enabled" not in command
    assert sorted(p.name for p in (tmp_path / "mappings").iterdir()) == [
        "batch.json",
        "status.json",
    ]
