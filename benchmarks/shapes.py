"""Before any load: each server places one call (the id its status workload reads) and answers
every workload once with the echo app's shapes, so the servers compared do the same job.
"""

from __future__ import annotations

import json

import requests

from benchmarks.wrk import AUTH, Workload, batch_body

RECORD_FIELDS = frozenset(
    {
        "id",
        "phoneNumber",
        "status",
        "statusCode",
        "billSec",
        "requestDate",
        "executionDate",
        "price",
    }
)
_TIMEOUT_SECONDS = 10


class WrongShape(RuntimeError):
    """A server answered a workload with something other than the shape the echo app answers."""


def _send(base_url: str, workload: Workload, call_id: str) -> requests.Response:
    headers = {"Authorization": AUTH, "Content-Type": "application/json"}
    try:
        return requests.request(
            workload.method,
            base_url + workload.path(call_id),
            data=workload.body(),
            headers=headers,
            timeout=_TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        raise WrongShape(f"{workload.name}: no answer ({exc})") from None


def _record_problem(record: object) -> str | None:
    if not isinstance(record, dict):
        return f"a record that is not an object: {record!r}"
    missing = RECORD_FIELDS - record.keys()
    return f"a record without {sorted(missing)}" if missing else None


def problem(workload: Workload, status: int, body: bytes, call_id: str) -> str | None:
    """What is wrong with one answer to `workload`, or None when it has the echo's shape."""
    if status != 200:
        return f"status {status}: {body[:200]!r}"
    try:
        envelope = json.loads(body)
    except ValueError:
        return f"not JSON: {body[:200]!r}"
    if not isinstance(envelope, dict) or envelope.get("error") is not None:
        return f"not a successful envelope: {body[:200]!r}"
    result = envelope.get("result")
    if workload.numbers is None:
        if isinstance(result, dict) and result.get("id") != call_id:
            return f"the status of {result.get('id')!r}, not of {call_id!r}"
        return _record_problem(result)
    sent = json.loads(batch_body(workload.numbers))["phoneNumbers"]
    if not isinstance(result, list) or len(result) != len(sent):
        return f"not a list of {len(sent)} records"
    for record in result:
        if found := _record_problem(record):
            return found
    if [record["phoneNumber"] for record in result] != sent:
        return "records whose numbers are not the numbers sent, in order"
    return None


def place_call(base_url: str) -> str:
    """The id of one call placed on the server (a batch of 2): what the status workload reads."""
    answer = _send(base_url, Workload("placing", 2), "")
    if found := problem(Workload("placing", 2), answer.status_code, answer.content, ""):
        raise WrongShape(f"placing a call: {found}")
    return answer.json()["result"][0]["id"]


def check(base_url: str, workloads: tuple[Workload, ...], call_id: str) -> None:
    """Raise WrongShape naming the workload whose answer differs from the echo's shape."""
    for workload in workloads:
        answer = _send(base_url, workload, call_id)
        if found := problem(workload, answer.status_code, answer.content, call_id):
            raise WrongShape(f"{workload.name}: {found}")
