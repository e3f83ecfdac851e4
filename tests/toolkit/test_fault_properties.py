"""Property tests of fault definitions: what is valid is kept as sent; one bad field is named."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.app import create_app
from bitel_mock.settings import Settings

APP = create_app(Settings(seed=9))

matching = st.fixed_dictionaries(
    {},
    optional={
        "method": st.sampled_from(["GET", "POST", "DELETE"]),
        "path": st.sampled_from(["/api/v2/voice/batch", "/x"]),
        "phoneNumber": st.from_regex(r"\A09[0-9]{9}\Z"),
        "times": st.integers(1, 1_000_000),
        "probability": st.floats(0.001, 1.0),
    },
)
actions = st.one_of(
    st.fixed_dictionaries({"kind": st.just("delay"), "seconds": st.floats(0, 60)}),
    st.fixed_dictionaries({"kind": st.just("status"), "status": st.integers(400, 599)}),
    st.fixed_dictionaries({"kind": st.just("drop")}),
    st.fixed_dictionaries(
        {"kind": st.just("malformed")},
        optional={"body": st.sampled_from(["truncated", "not-json", "empty"]), "status": st.integers(200, 599)},
    ),
)
BAD_VALUES: dict[str, Any] = {
    "method": st.sampled_from(["", "FETCH", 1]),
    "path": st.sampled_from(["", "relative", 5]),
    "phoneNumber": st.sampled_from(["", 912, []]),
    "times": st.sampled_from([0, -1, 1.5, "3", True]),
    "probability": st.sampled_from([0, -0.1, 1.01, "1"]),
}


@given(matcher=matching, action=actions)
def test_a_valid_definition_is_kept_as_sent(matcher: dict, action: dict) -> None:
    client = APP.test_client()
    client.delete("/__admin/faults")
    definition = matcher | action
    response = client.post("/__admin/faults", json=definition)
    assert response.status_code == 201, response.get_json()
    [listed] = client.get("/__admin/faults").get_json()["faults"]
    expected = {k: v for k, v in definition.items() if k not in {"times", "probability"}}
    assert {k: listed[k] for k in expected} == expected
    assert listed["remaining"] == definition.get("times")


@given(matcher=matching, action=actions, data=st.data())
def test_one_bad_field_is_a_400_that_names_it(matcher: dict, action: dict, data: st.DataObject) -> None:
    field = data.draw(st.sampled_from(sorted(BAD_VALUES)))
    definition = matcher | action | {field: data.draw(BAD_VALUES[field])}
    response = APP.test_client().post("/__admin/faults", json=definition)
    assert response.status_code == 400
    assert response.get_json()["message"].startswith(f"{field}:")
