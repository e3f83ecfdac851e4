"""The errors only the SMS family answers (doc: the send pages' error tables), with their
status; `bitel_mock.http.errors` turns them into responses as it does every `ApiError`.

The vendor documents no HTTP status for them: 400, as for the voice API's codes (guess).
"""

from __future__ import annotations

from bitel_mock.errors import ApiError


class InvalidGateway(ApiError):
    """`gatewayNumber` is not a line this account may send from (doc)."""

    code = "InvalidGateway"


class InvalidTemplate(ApiError):
    """No template has this `templateId` (doc)."""

    code = "InvalidTemplate"


class TemplatePending(ApiError):
    """The template is registered but not yet reviewed (doc)."""

    code = "TemplatePending"


class TemplateFormatError(ApiError):
    """`params` do not fit the template's placeholders: too few (doc) or too many (guess)."""

    code = "TemplateFormatError"
