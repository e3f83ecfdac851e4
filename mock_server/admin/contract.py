"""The contract as one emulator is configured: its server ids and number forms filled in.

The files in `contracts/` say what any Bitel server promises: `serverId` is a
string, a number is `09XXXXXXXXX`. A running emulator knows more (which
server ids it accepts, which other number forms), so the document it serves
says so (and which hosts a webhook URL may name), and a generator such as
schemathesis never mistakes a rule of the configuration for a broken contract.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bitel_mock import contracts
from bitel_mock.admin.sms_contract import fill_sms
from bitel_mock.domain.phone import NumberPolicy
from bitel_mock.domain.sms_model import SmsTemplate
from bitel_mock.domain.sms_templates import BUILT_IN_TEMPLATES
from bitel_mock.settings import Settings

_PORT = r"(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
"""An optional port, 0 to 65535."""


def served_openapi(
    settings: Settings,
    document: str = "openapi.yaml",
    templates: Sequence[SmsTemplate] = BUILT_IN_TEMPLATES,
) -> dict[str, Any]:
    """The OpenAPI document (the API's, or another such as the control plane's) for these
    settings, and the SMS templates known now."""
    spec = contracts.openapi(document)
    schemas = spec["components"]["schemas"]
    schemas["ServerId"]["enum"] = sorted(settings.server_ids)
    schemas["PhoneNumber"]["pattern"] = NumberPolicy(settings.number_forms).json_pattern()
    fill_sms(schemas, settings, templates)
    if settings.webhook_allowed_hosts:
        hosts = "|".join(re.escape(host) for host in sorted(settings.webhook_allowed_hosts))
        schemas["AdminWebhookUrl"]["pattern"] = f"^https?://({hosts}){_PORT}(/\\S*)?$"
    return spec
