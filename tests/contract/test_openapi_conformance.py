"""schemathesis: the emulator, in process, against its own OpenAPI documents, every check."""

from __future__ import annotations

import schemathesis
from hypothesis import settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from bitel_mock.app import create_app
from bitel_mock.settings import Settings
from tests.conftest import TOKEN
from tests.contract.admin_rules import broken_rule

# A configured token set, as on the real service, so the ignored-auth check can bite.
APP = create_app(Settings(seed=5, tokens=frozenset({TOKEN}), clock="manual", start_time=1_700_000_000))

# The control plane gets its own emulator: fuzzing it moves clocks and resets state.
# Webhook URLs it is sent may name loopback only.
ADMIN_APP = create_app(
    Settings(
        seed=6,
        clock="manual",
        start_time=1_700_000_000,
        webhook_allowed_hosts=frozenset({"127.0.0.1"}),
    )
)

api = schemathesis.openapi.from_wsgi("/__admin/openapi.json", APP)
admin = schemathesis.openapi.from_wsgi("/__admin/admin-openapi.json", ADMIN_APP)


@api.auth()
class BearerToken:
    """The configured token, as schemathesis's explicit auth (so its auth checks probe without it)."""

    def get(self, case: schemathesis.Case, context: object) -> str:
        return TOKEN

    def set(self, case: schemathesis.Case, data: str, context: object) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@api.parametrize()
@settings(max_examples=40)
def test_every_api_operation_conforms(case: schemathesis.Case) -> None:
    case.call_and_validate(app=APP)


@admin.parametrize()
@settings(max_examples=25)
def test_every_admin_operation_conforms(case: schemathesis.Case) -> None:
    broken = broken_rule(case)
    if broken is None:
        case.call_and_validate(app=ADMIN_APP)
        return
    # Valid by the schemas, invalid by a rule only the document's text states: refused.
    response = case.call_and_validate(app=ADMIN_APP, excluded_checks=[positive_data_acceptance])
    assert response.status_code == 400, (broken, response.status_code, response.text)


ApiStateMachine = api.as_state_machine()
ApiStateMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=6, deadline=None)


class ApiLinks(ApiStateMachine):  # type: ignore[misc, valid-type]
    """Stateful runs: place calls, then follow the OpenAPI links from their ids to their status."""

    def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, object]:
        return {"app": APP}


TestApiLinks = ApiLinks.TestCase
