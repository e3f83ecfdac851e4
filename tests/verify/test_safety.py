"""What keeps `safe` from placing calls: undialable bodies (properties) and deterministic generation."""

from __future__ import annotations

import json
from typing import Any

import requests
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock.app import create_app
from bitel_mock.transport import InProcessAdapter
from bitel_mock.verify.runner import Options, run
from bitel_mock.verify.safety import UNDIALABLE, make_undialable

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
number_keys = st.sampled_from(
    ["phoneNumber", "phoneNumbers", "PHONENUMBER", "phone_number", "number", "to"]
)


def _under_number_keys(node: Any, under: bool = False) -> list[Any]:
    if isinstance(node, dict):
        out = []
        for key, value in node.items():
            folded = "".join(ch for ch in key.lower() if ch.isalnum())
            out += _under_number_keys(value, under or "phone" in folded or "number" in folded)
        return out
    if isinstance(node, list):
        return [leaf for item in node for leaf in _under_number_keys(item, under)]
    return [node] if under else []


@given(st.dictionaries(number_keys | st.text(max_size=8), json_values, max_size=5))
def test_no_value_under_a_number_key_keeps_a_digit(body: dict[str, Any]) -> None:
    for leaf in _under_number_keys(make_undialable(body)):
        assert (
            leaf == UNDIALABLE
            or leaf is None
            or isinstance(leaf, bool)
            or (isinstance(leaf, str) and not any(ch.isdigit() for ch in leaf))
        )


plain_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["a", "voice", "text"]), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(plain_values)
def test_values_elsewhere_are_untouched(value: Any) -> None:
    assert make_undialable({"voiceId": value})["voiceId"] == value


def test_persian_digits_count_as_digits() -> None:
    assert make_undialable({"phoneNumber": "۰۹۱۲۱۲۳۴۵۶۷"}) == {"phoneNumber": UNDIALABLE}


class Recording(requests.Session):
    def __init__(self, app: Any) -> None:
        super().__init__()
        self.mount("http://bitel.test/", InProcessAdapter(app))
        self.sent: list[tuple[str, str, Any]] = []

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        self.sent.append((method, url, kwargs.get("data")))
        return super().request(method, url, *args, **kwargs)


def _generated_requests(seed: int) -> list[tuple[str, str, Any]]:
    session = Recording(create_app())
    run(
        Options(base_url="http://bitel.test", token="t", max_examples=2, seed=seed), session=session
    )
    return session.sent


def test_the_same_seed_sends_the_same_requests() -> None:
    first, again, other = _generated_requests(11), _generated_requests(11), _generated_requests(12)
    assert first == again
    assert first != other
    assert all(json.dumps(str(item)) for item in first)
