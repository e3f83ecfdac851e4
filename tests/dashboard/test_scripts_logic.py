"""The page's pure script modules (model.js, timeline.js, the form bodies) run under node on
plans the emulator itself made: the story of a call, the next event, the time-to-live target,
the rows' order and filters, the bodies the forms send."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import VOICE_ID
from tests.dashboard.pages import ASSET_FOLDER, START, make_app

NODE = shutil.which("node")
MISSING_NODE = "node is not installed (apt-get install nodejs): the page's scripts cannot run"
# Like the browser tests: missing node fails, unless browser-side tests are skipped on purpose.
pytestmark = pytest.mark.skipif(
    NODE is None and os.environ.get("BITEL_MOCK_SKIP_BROWSER") == "1", reason=MISSING_NODE
)


@pytest.fixture(scope="module")
def modules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped scripts in a folder node reads as ES modules."""
    assert NODE is not None, MISSING_NODE
    folder = tmp_path_factory.mktemp("scripts")
    for path in ASSET_FOLDER.glob("*.js"):
        shutil.copy(path, folder / path.name)
    (folder / "package.json").write_text('{"type": "module"}')
    return folder


def run(modules: Path, script: str, data: Any) -> Any:
    """Run `script` (an ES module body that sets `result` from `data`) and return `result`."""
    source = f"const data = {json.dumps(data)};\nlet result;\n{script}\nprocess.stdout.write(JSON.stringify(result));\n"
    (modules / "case.mjs").write_text(source)
    done = subprocess.run([NODE, str(modules / "case.mjs")], capture_output=True, text=True, timeout=30)  # type: ignore[list-item]
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _placed(numbers: list[str], retry_count: int) -> tuple[FlaskClient, list[dict[str, Any]]]:
    client = make_app().test_client()
    body = {"phoneNumbers": numbers, "voiceId": VOICE_ID, "retryCount": retry_count}
    assert client.post("/api/v2/voice/batch", json=body, headers={"Authorization": "Bearer t"}).status_code == 200
    return client, client.get("/__admin/calls").get_json()["calls"]


def test_the_steps_list_an_attempt_s_outcome_before_the_retry_wait_it_starts(modules: Path) -> None:
    _, [call] = _placed(["09990000201"], 2)
    steps = run(
        modules,
        'import { callStory, storySteps } from "./timeline.js";\nresult = storySteps(callStory(data));',
        call,
    )
    labels = [step["label"] for step in steps]
    assert [step["at"] for step in steps] == sorted(step["at"] for step in steps)
    assert labels.index("attempt 1: busy") == labels.index("retry wait before attempt 2") - 1
    assert labels.index("attempt 2: busy") == labels.index("retry wait before attempt 3") - 1
    wait = next(step for step in steps if step["label"] == "retry wait before attempt 2")
    assert wait["lasts"] == 60


def test_a_call_busy_twice_then_answered_tells_its_story_in_order(modules: Path) -> None:
    _, [call] = _placed(["09990000201"], 2)
    story = run(modules, 'import { callStory } from "./timeline.js";\nresult = callStory(data);', call)
    kinds = [segment["kind"] for segment in story["segments"]]
    assert kinds == ["queued", "ring", "retry", "ring", "retry", "ring", "talk"]
    assert [mark["label"] for mark in story["marks"] if mark["kind"] == "outcome"] == [
        "attempt 1: busy", "attempt 2: busy", "attempt 3: answered",
    ]
    final = next(mark for mark in story["marks"] if mark["kind"] == "final")
    assert final["at"] == call["plan"]["finalAt"]
    assert final["label"] == "NORMAL: 20 s billed, price -57.00"
    assert story["ttl"] == call["expiresAt"] == START + 4 * 3600
    segments = story["segments"]
    assert segments[0]["from"] == START and segments[-1]["to"] == call["plan"]["finalAt"]
    assert all(a["to"] == b["from"] for a, b in pairwise(segments))


def test_an_expiring_call_waits_until_its_time_to_live(modules: Path) -> None:
    _, [call] = _placed(["09990000010"], 1)
    story = run(modules, 'import { callStory } from "./timeline.js";\nresult = callStory(data);', call)
    assert [segment["kind"] for segment in story["segments"]] == ["wait"]
    assert story["segments"][0]["to"] == call["expiresAt"] == call["plan"]["finalAt"]


def test_the_next_event_is_the_earliest_future_boundary_of_a_waiting_call(modules: Path) -> None:
    _, calls = _placed(["09990000002", "09121234567"], 1)
    script = (
        'import { trafficRows, nextEventAt, ttlTarget } from "./model.js";\n'
        "const rows = trafficRows(data.calls, [], {});\n"
        "result = [START, START + 3, START + 8].map((now) => nextEventAt(rows, now))"
        ".concat([ttlTarget(rows, START), ttlTarget(rows, START, data.calls[1].id), ttlTarget(rows, START + 99999)]);"
    ).replace("START", str(START))
    found = run(modules, script, {"calls": calls})
    # Queued 3 s; the answered call rings 5 s; the other rings 30 s unanswered.
    assert found[:3] == [START + 3, START + 8, START + 28]
    assert found[3:] == [START + 14_400, START + 14_400, None]


def test_rows_are_newest_first_and_filtered_by_kind_and_campaign(modules: Path) -> None:
    calls = [
        {"id": "c2", "phoneNumber": "2", "kind": "single", "requestDate": 20, "campaignId": "ab12", "project": None,
         "record": {"status": "WAITING", "price": 0.0, "executionDate": 0}},
        {"id": "c1", "phoneNumber": "1", "kind": "batch", "requestDate": 10, "campaignId": "cd34", "project": None,
         "record": {"status": "NORMAL", "price": -57.0, "executionDate": 13}},
    ]
    messages = [{"id": "m1", "phoneNumber": "3", "kind": "otp", "requestDate": 15, "batchId": None, "project": None,
                 "plan": {"checkedAt": 17, "finalAt": 20}, "record": {"status": 1, "price": -14.0}}]
    script = (
        'import { trafficRows, filterRows } from "./model.js";\n'
        'const rows = trafficRows(data.calls, data.messages, {"0": "WAITING", "1": "DELIVERED"});\n'
        "const ids = (kept) => kept.map((row) => row.id);\n"
        'result = [ids(rows), rows.map((row) => row.status), ids(filterRows(rows, {kind: "sms"})),'
        ' ids(filterRows(rows, {kind: "call:batch"})), ids(filterRows(rows, {campaign: "AB"}))];'
    )
    order, statuses, sms, batch, campaign = run(modules, script, {"calls": calls, "messages": messages})
    assert order == ["c2", "m1", "c1"]
    assert statuses == ["WAITING", "DELIVERED", "NORMAL"]
    assert (sms, batch, campaign) == (["m1"], ["c1"], ["c2"])


def test_the_forms_send_the_bodies_the_api_takes(modules: Path) -> None:
    script = (
        'import { scenarioBody } from "./outcomes.js";\n'
        'import { faultBody, rateLimitBody } from "./faults.js";\n'
        'import { parseTime } from "./format.js";\n'
        "result = ["
        'scenarioBody({kind: "call", number: "09121111111", pattern: "", outcome: "USER_BUSY", attempts: ""}),'
        'scenarioBody({kind: "call", number: "", pattern: "^0935", outcome: "NORMAL", attempts: "user_busy, NORMAL:30"}),'
        'scenarioBody({kind: "sms", number: "09121111111", pattern: "", outcome: "BLACKLIST", attempts: "x"}),'
        'faultBody({kind: "status", status: "503", error: "", seconds: "4", path: "/api/v2/voice/batch", method: "", phoneNumber: "", times: "2", probability: "", body: "empty"}),'
        'rateLimitBody({rps: "2.5", burst: "", maxWaiting: "3"}),'
        'parseTime("2023-11-14T22:13:20Z"), parseTime("2023-11-14T22:13:20"), parseTime("1700000000"), parseTime("soon")];'
    )
    found = run(modules, script, None)
    assert found[0] == {"attempts": ["USER_BUSY"], "number": "09121111111"}
    assert found[1] == {"attempts": ["USER_BUSY", {"status": "NORMAL", "talkSeconds": 30}], "pattern": "^0935"}
    assert found[2] == {"kind": "sms", "outcome": "BLACKLIST", "number": "09121111111"}
    assert found[3] == {"kind": "status", "path": "/api/v2/voice/batch", "times": 2, "status": 503}
    assert found[4] == {"rps": 2.5, "burst": None, "maxWaiting": 3}
    assert found[5:8] == [START, START, START]
    assert found[8] is None  # NaN is written as null


def test_every_scenario_body_the_form_builds_is_accepted(modules: Path) -> None:
    client = make_app().test_client()
    bodies = run(
        modules,
        'import { scenarioBody } from "./outcomes.js";\nresult = data.map(scenarioBody);',
        [
            {"kind": "call", "number": "09121111111", "pattern": "", "outcome": name, "attempts": ""}
            for name in ("NORMAL", "NO_ANSWER", "USER_BUSY", "EXPIRED", "ERROR", "UNKNOWN")
        ] + [{"kind": "sms", "number": "", "pattern": "^0912", "outcome": "CHECK_ERROR", "attempts": ""}],
    )
    for body in bodies:
        assert client.post("/__admin/scenarios", json=body).status_code == 201, body
