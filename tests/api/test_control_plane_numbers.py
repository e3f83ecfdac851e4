"""Integers in control-plane queries and paths: out of range or not integers is 400, never a
500 from a store that cannot hold them (SQLite's integers are 64-bit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bitel_mock.admin.numbers import MAX_INTEGER
from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from bitel_mock.store.sqlite import SqliteStore

HUGE = "2895647439493929857397555200"

QUERY_INTEGERS = [
    # (path, parameter, lowest accepted, highest accepted)
    ("/__admin/calls", "limit", 1, 1000),
    ("/__admin/calls", "offset", 0, MAX_INTEGER),
    ("/__admin/webhooks/deliveries", "limit", 1, 1000),
    ("/__admin/webhooks/deliveries", "offset", 0, MAX_INTEGER),
    ("/__admin/requests", "limit", 1, 1000),
    ("/__admin/requests", "offset", 0, 10**9),
    ("/__admin/requests", "cursor", 1, 10**18),
    ("/__admin/requests", "status", 100, 599),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    path: Path = tmp_path_factory.mktemp("numbers") / "store.sqlite3"
    return create_app(Settings(seed=5), store=SqliteStore(path)).test_client()


@pytest.mark.parametrize(("path", "name", "low", "high"), QUERY_INTEGERS)
def test_each_integer_parameter_takes_its_bounds_and_refuses_one_past(
    client: FlaskClient, path: str, name: str, low: int, high: int
) -> None:
    for accepted in (low, high):
        assert client.get(f"{path}?{name}={accepted}").status_code == 200, accepted
    for refused in (low - 1, high + 1, HUGE, f"-{HUGE}"):
        answer = client.get(f"{path}?{name}={refused}")
        assert answer.status_code == 400, refused
        assert answer.get_json()["error"] == "InvalidRequest"


@pytest.mark.parametrize("written", ["+5", "5_0", " 5", "5 ", "٥", "0x10", "1e3", "", "5.0"])
def test_only_ascii_digits_are_an_integer(client: FlaskClient, written: str) -> None:
    answer = client.get("/__admin/calls", query_string={"offset": written})
    assert answer.status_code == 400
    assert "offset must be an integer" in answer.get_json()["message"]


def test_leading_zeros_do_not_make_a_small_number_huge(client: FlaskClient) -> None:
    assert client.get("/__admin/calls?offset=" + "0" * 30 + "7").status_code == 200


@pytest.mark.parametrize("delivery_id", [str(MAX_INTEGER + 1), HUGE])
def test_a_delivery_id_beyond_every_store_is_400(client: FlaskClient, delivery_id: str) -> None:
    answer = client.post(f"/__admin/webhooks/deliveries/{delivery_id}/redeliver")
    assert answer.status_code == 400
    assert answer.get_json() == {
        "error": "InvalidRequest", "message": f"deliveryId must be between 0 and {MAX_INTEGER}",
    }


def test_the_largest_delivery_id_is_simply_not_found(client: FlaskClient) -> None:
    answer = client.post(f"/__admin/webhooks/deliveries/{MAX_INTEGER}/redeliver")
    assert answer.status_code == 404


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    case=st.sampled_from(QUERY_INTEGERS),
    value=st.one_of(st.integers(), st.integers(-(2**200), 2**200).map(str), st.text(max_size=30)),
)
def test_any_value_is_answered_200_or_400(
    client: FlaskClient, case: tuple[str, str, int, int], value: int | str
) -> None:
    path, name, low, high = case
    answer = client.get(path, query_string={name: str(value)})
    assert answer.status_code in (200, 400)
    assert answer.is_json
    if isinstance(value, int):
        assert (answer.status_code == 200) == (low <= value <= high)


@pytest.mark.parametrize("written", ["+200", "٢٠٠", "2_00", HUGE])
def test_the_journal_filters_take_ascii_integers_only(client: FlaskClient, written: str) -> None:
    answer = client.get("/__admin/requests", query_string={"status": written})
    assert answer.status_code == 400
    assert answer.get_json()["message"].startswith("status:")
