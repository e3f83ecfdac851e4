"""SMS templates: the control plane registers, lists and deletes them; placeholders `{1}`..`{n}`
are filled by params in order; template 1234 is there from the start and after a reset."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bitel_mock import contracts
from bitel_mock.domain.sms_errors import TemplateFormatError
from bitel_mock.domain.sms_model import SmsTemplate
from bitel_mock.domain.sms_templates import TemplateTextError, placeholder_count, render
from tests.conftest import AUTH
from tests.sms.steps import TEMPLATE, send, sms_app

TEMPLATES = "/__admin/sms/templates"
SHOWN = contracts.validator("admin-sms-template")
BUILT_IN = {"id": 1234, "text": "Truth: {1} {2} {3}", "pending": False, "placeholders": 3}


def _templates(client: Any) -> list[dict[str, Any]]:
    response = client.get(TEMPLATES)
    assert response.status_code == 200
    return response.get_json()["templates"]


def test_1234_is_registered_from_the_start() -> None:
    assert _templates(sms_app().test_client()) == [BUILT_IN]


def test_a_registered_template_is_listed_by_id_and_sent_with() -> None:
    client = sms_app().test_client()
    added = client.post(TEMPLATES, json={"id": 42, "text": "کد {1} برای {2}، {1}"})
    assert added.status_code == 201
    shown = added.get_json()
    SHOWN.validate(shown)
    assert shown == {"id": 42, "text": "کد {1} برای {2}، {1}", "pending": False, "placeholders": 2}
    assert [t["id"] for t in _templates(client)] == [42, 1234]
    record = send(
        client, TEMPLATE, {"phoneNumber": "09121234567", "templateId": 42, "params": ["12", "Ali"]}
    )
    assert record["message"] == "کد 12 برای Ali، 12"


def test_registering_an_id_again_replaces_it_so_a_pending_template_can_be_approved() -> None:
    client = sms_app().test_client()
    client.post(TEMPLATES, json={"id": 42, "text": "Hi {1}", "pending": True})
    body = {"phoneNumber": "09121234567", "templateId": 42, "params": ["x"]}
    assert client.post(TEMPLATE, json=body, headers=AUTH).get_json()["error"] == "TemplatePending"
    assert client.post(TEMPLATES, json={"id": 42, "text": "Hello {1}"}).status_code == 201
    assert send(client, TEMPLATE, body)["message"] == "Hello x"


def test_a_template_without_placeholders_takes_no_params() -> None:
    client = sms_app().test_client()
    client.post(TEMPLATES, json={"id": 5, "text": "Fixed {0} {x} {01}"})
    record = send(client, TEMPLATE, {"phoneNumber": "09121234567", "templateId": 5, "params": []})
    assert record["message"] == "Fixed {0} {x} {01}"


def test_deleting_a_template_makes_it_invalid_and_a_reset_brings_1234_back() -> None:
    client = sms_app().test_client()
    client.post(TEMPLATES, json={"id": 42, "text": "Hi {1}"})
    assert client.delete(f"{TEMPLATES}/1234").get_json() == {"deleted": 1}
    assert client.delete(f"{TEMPLATES}/42").get_json() == {"deleted": 1}
    assert _templates(client) == []
    body = {"phoneNumber": "09121234567", "templateId": 1234, "params": ["a", "b", "c"]}
    assert client.post(TEMPLATE, json=body, headers=AUTH).get_json()["error"] == "InvalidTemplate"
    assert client.post("/__admin/reset").status_code == 200
    assert _templates(client) == [BUILT_IN]
    assert send(client, TEMPLATE, body)["message"] == "Truth: a b c"


def test_a_reset_forgets_registered_templates() -> None:
    client = sms_app().test_client()
    client.post(TEMPLATES, json={"id": 42, "text": "Hi {1}"})
    client.post("/__admin/reset")
    assert _templates(client) == [BUILT_IN]


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ({"id": 1, "text": "{1} {3}"}, "{2} missing"),
        ({"id": 1, "text": "{2}"}, "{1} missing"),
        ({"id": 1, "text": "{101}"}, "at most 100"),
        ({"id": 1, "text": ""}, "text"),
        ({"id": 0, "text": "x"}, "id"),
        ({"id": 2**31, "text": "x"}, "id"),
        ({"id": "1", "text": "x"}, "id"),
        ({"id": 1, "text": "x", "pending": "yes"}, "pending"),
        ({"id": 1, "text": "x", "extra": 1}, "extra"),
        ({"text": "x"}, "id"),
    ],
)
def test_a_template_that_cannot_be_registered_is_400_and_changes_nothing(
    body: Any, why: str
) -> None:
    client = sms_app().test_client()
    response = client.post(TEMPLATES, json=body)
    assert response.status_code == 400
    assert (
        response.get_json()["error"] == "InvalidRequest" and why in response.get_json()["message"]
    )
    assert _templates(client) == [BUILT_IN]


@pytest.mark.parametrize(
    ("template_id", "status"), [("999", 404), ("0", 400), ("x", 400), ("2147483648", 400)]
)
def test_deleting_an_unknown_or_malformed_id(template_id: str, status: int) -> None:
    client = sms_app().test_client()
    assert client.delete(f"{TEMPLATES}/{template_id}").status_code == status
    assert _templates(client) == [BUILT_IN]


params = st.lists(st.text(max_size=8), min_size=0, max_size=6)


@given(
    params, st.lists(st.integers(1, 6), max_size=10), st.text(st.sampled_from("ab {}"), max_size=10)
)
def test_render_fills_each_placeholder_with_its_param_once(
    values: list[str], order: list[int], filler: str
) -> None:
    used = sorted(set(order))
    if used != list(range(1, len(used) + 1)):
        with pytest.raises(TemplateTextError):
            placeholder_count("".join(f"{{{n}}}" for n in order))
        return
    text = filler.join(f"{{{n}}}" for n in order)
    template = SmsTemplate(9, text)
    if len(values) != len(used):
        with pytest.raises(TemplateFormatError):
            render(template, values)
        return
    expected = filler.join(values[n - 1] for n in order) if order else text
    assert render(template, values) == expected
