"""The endpoints of the Bitel SMS API (v2), as methods `BitelClient` inherits: sending (single,
batch, p2p, OTP, template), the status of a message, and waiting for messages to be final."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bitel_mock.client.base import BaseClient, batch_numbers, numbers_to_split
from bitel_mock.client.errors import InvalidArgumentError
from bitel_mock.client.models import normalize_number
from bitel_mock.client.sms_models import SmsRecord
from bitel_mock.client.wire import DOUBLE_SEND_NOTE, Expected

__all__ = ["SmsMethods"]

_SMS = "/api/v2/sms"
_MESSAGE = Expected(SmsRecord.from_json, "sms-response", many=False, noun="message records")
_MESSAGES = Expected(SmsRecord.from_json, "sms-batch-response", many=True, noun="message records")
_SENDING = "sending {done} of {total} messages"


class SmsMethods(BaseClient):
    """Sending messages and following them. A send is retried only when it provably never
    reached the server (as a call is); `sms_status` is retried like `call_status`."""

    def send_sms(
        self, phone_number: str, message: str, *, gateway_number: str | None = None
    ) -> SmsRecord:
        """Send a text to one number, from the account's default line unless `gateway_number`
        names another."""
        body = {"message": message, "phoneNumber": normalize_number(phone_number)}
        return self._send("/single", body, gateway_number, many=False)[0]

    def send_sms_batch(
        self,
        phone_numbers: Sequence[str],
        message: str,
        *,
        gateway_number: str | None = None,
    ) -> list[SmsRecord]:
        """Send one text to up to 100 numbers; one record per number, in order."""
        body = {"message": message, "phoneNumbers": _batch(phone_numbers)}
        return self._send("/batch", body, gateway_number, many=True)

    def send_sms_batch_all(
        self,
        phone_numbers: Iterable[str],
        message: str,
        *,
        gateway_number: str | None = None,
    ) -> list[SmsRecord]:
        """`send_sms_batch` for any number of recipients, in requests of at most 100; a request
        that fails stops the rest (BatchIncompleteError: what was sent, what was not)."""
        return self._split(
            numbers_to_split(phone_numbers),
            lambda chunk: self.send_sms_batch(chunk, message, gateway_number=gateway_number),
            progress=_SENDING,
        )

    def send_sms_p2p(
        self,
        phone_numbers: Sequence[str],
        messages: Sequence[str],
        *,
        gateway_number: str | None = None,
    ) -> list[SmsRecord]:
        """Send `messages[i]` to `phone_numbers[i]` (up to 100 pairs); one record per pair, in
        order. The two lists must be as long as each other."""
        numbers = batch_numbers(phone_numbers, splitter=None)
        if isinstance(messages, str):
            raise InvalidArgumentError("messages is a list of texts, not one string")
        texts = list(messages)
        if len(texts) != len(numbers):
            raise InvalidArgumentError(
                f"{len(numbers)} numbers and {len(texts)} messages: each number takes one message"
            )
        body = {"messages": texts, "phoneNumbers": numbers}
        return self._send("/batch/p2p", body, gateway_number, many=True)

    def send_otp_sms(self, phone_number: str, app_name: str, code: str) -> SmsRecord:
        """Send a one-time code in Bitel's fixed text, which names `app_name` (an OTP reaches
        blacklisted numbers too)."""
        body = {"phoneNumber": normalize_number(phone_number), "appName": app_name, "code": code}
        return self._send("/otp", body, None, many=False)[0]

    def send_template_sms(
        self, phone_number: str, template_id: int, params: Sequence[str]
    ) -> SmsRecord:
        """Send a reviewed template of the account, its placeholders filled by `params` in
        order."""
        if isinstance(template_id, bool) or not isinstance(template_id, int):
            raise InvalidArgumentError(f"template_id is an integer, not {template_id!r}")
        if isinstance(params, str):
            raise InvalidArgumentError("params is a list of strings, not one string")
        body = {
            "phoneNumber": normalize_number(phone_number),
            "templateId": template_id,
            "params": list(params),
        }
        return self._send("/template", body, None, many=False)[0]

    def sms_status(self, message_id: str) -> SmsRecord:
        """The current record of a message (retried on transport errors, 429 and 5xx)."""
        if not isinstance(message_id, str) or not message_id or "/" in message_id:
            raise InvalidArgumentError(f"not a message id: {message_id!r}")
        path = f"{_SMS}/status/{message_id}"
        return self._request("GET", path, None, _MESSAGE, unsafe_note=None)[0]

    def wait_for_final_sms(
        self,
        ids: Iterable[str],
        *,
        timeout: float = 600.0,
        poll_interval: float = 5.0,
    ) -> list[SmsRecord]:
        """Poll `sms_status` until every message is final; the records in the order of `ids`.

        Raises WaitTimeoutError (with the last records seen) when `timeout` seconds pass
        first. Final messages are not asked for again. (Calls have `wait_for_final`: an id
        does not say whether it is a call's or a message's.)
        """
        return self._wait_until_final(
            ids, self.sms_status, timeout=timeout, poll_interval=poll_interval, noun="messages"
        )

    def _send(
        self, path: str, body: dict[str, Any], gateway_number: str | None, *, many: bool
    ) -> list[SmsRecord]:
        if gateway_number is not None:
            body["gatewayNumber"] = gateway_number
        expected = _MESSAGES if many else _MESSAGE
        return self._request("POST", _SMS + path, body, expected, unsafe_note=DOUBLE_SEND_NOTE)


def _batch(phone_numbers: Sequence[str]) -> list[str]:
    return batch_numbers(phone_numbers, splitter="send_sms_batch_all")
