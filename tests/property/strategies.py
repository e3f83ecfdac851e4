"""Hypothesis strategies for the emulated API's requests, valid and invalid."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

local_numbers = st.from_regex(r"\A09[0-9]{9}\Z")
voice_ids = st.text(min_size=1, max_size=40)
retry_counts = st.integers(min_value=0, max_value=10) | st.integers(0, 10).map(float)
extra_fields = st.dictionaries(
    st.text(max_size=10).filter(lambda k: k not in {"phoneNumbers", "voiceId", "retryCount", "serverId"}),
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    max_size=3,
)


@st.composite
def valid_batch_bodies(draw: st.DrawFn, server_ids: tuple[str, ...] = ("mirdamad1",)) -> dict[str, Any]:
    body: dict[str, Any] = {
        "phoneNumbers": draw(st.lists(local_numbers, min_size=1, max_size=100)),
        "voiceId": draw(voice_ids),
    }
    if draw(st.booleans()):
        body["retryCount"] = draw(retry_counts)
    if draw(st.booleans()):
        body["serverId"] = draw(st.sampled_from(server_ids))
    return draw(extra_fields) | body


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@st.composite
def invalid_batch_bodies(draw: st.DrawFn) -> Any:
    """A body that breaks exactly one rule of the batch request (or is no object at all)."""
    body = draw(valid_batch_bodies())
    breakage = draw(
        st.sampled_from(
            [
                "not-object", "drop-numbers", "numbers-type", "no-numbers", "too-many",
                "bad-number", "drop-voice", "voice-type", "retry-value", "server-type",
            ]
        )
    )
    if breakage == "not-object":
        return draw(json_values.filter(lambda v: not isinstance(v, dict)))
    if breakage == "drop-numbers":
        del body["phoneNumbers"]
    elif breakage == "numbers-type":
        body["phoneNumbers"] = draw(json_values.filter(lambda v: not isinstance(v, list)))
    elif breakage == "no-numbers":
        body["phoneNumbers"] = []
    elif breakage == "too-many":
        body["phoneNumbers"] = draw(st.lists(local_numbers, min_size=101, max_size=150))
    elif breakage == "bad-number":
        bad = draw(
            st.text(max_size=15).filter(lambda s: not (len(s) == 11 and s.startswith("09") and s.isascii() and s.isdigit()))
            | json_values.filter(lambda v: not isinstance(v, str))
        )
        numbers = list(body["phoneNumbers"])
        numbers.insert(draw(st.integers(0, len(numbers) - 1)), bad)
        body["phoneNumbers"] = numbers[:100]
    elif breakage == "drop-voice":
        del body["voiceId"]
    elif breakage == "voice-type":
        body["voiceId"] = draw(st.just("") | json_values.filter(lambda v: not isinstance(v, str)))
    elif breakage == "retry-value":
        body["retryCount"] = draw(
            st.integers(max_value=-1)
            | st.integers(min_value=11)
            | st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer())
            | st.booleans()
            | st.text(max_size=3)
            | st.none()
        )
    elif breakage == "server-type":
        body["serverId"] = draw(json_values.filter(lambda v: not isinstance(v, str)))
    return body
