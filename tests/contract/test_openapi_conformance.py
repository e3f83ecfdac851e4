"""schemathesis: the emulator, in process, against its own OpenAPI document, every check."""

from __future__ import annotations

import schemathesis
from hypothesis import settings

from mock_server.app import create_app
from mock_server.settings import Settings
from tests.conftest import TOKEN

# A configured token set, as on the real service, so the ignored-auth check can bite.
APP = create_app(Settings(seed=5, tokens=frozenset({TOKEN})))
schema = schemathesis.openapi.from_wsgi("/__admin/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=40)
def test_every_operation_conforms(case: schemathesis.Case) -> None:
    case.call_and_validate(app=APP, headers={"Authorization": f"Bearer {TOKEN}"})
