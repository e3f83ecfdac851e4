"""`BitelClient`: one method per endpoint of the Bitel voice API (v2) and, through
`SmsMethods`, of its SMS API."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bitel_mock.client.base import DEFAULT_BASE_URL, MAX_BATCH, batch_numbers, numbers_to_split
from bitel_mock.client.errors import InvalidArgumentError
from bitel_mock.client.models import CallRecord, normalize_number
from bitel_mock.client.sms import SmsMethods
from bitel_mock.client.wire import DOUBLE_DIAL_NOTE, Expected

__all__ = ["DEFAULT_BASE_URL", "MAX_BATCH", "BitelClient"]

_VOICE = "/api/v2/voice"
_CALL = Expected(CallRecord.from_json, "call-response", many=False, noun="call records")
_CALLS = Expected(CallRecord.from_json, "batch-call-response", many=True, noun="call records")
_PLACING = "placing {done} of {total} calls"


class BitelClient(SmsMethods):
    """A client of the Bitel voice and SMS APIs.

    `BitelClient(token, *, base_url=, timeout=, max_retries=, session=, validate=,
    retry_policy=, clock=)`. Use it as a context manager (it closes the session it
    created). Every method returns records (`CallRecord`, `SmsRecord`) or raises a
    `BitelError`. Only the status methods are retried after a failure the request may have
    survived; a request that places calls or sends messages is retried only when it
    provably never left (docs/client.md, "Retries never place a call twice").
    """

    # --- endpoints -----------------------------------------------------------

    def batch_call(
        self,
        *,
        phone_numbers: Sequence[str],
        voice_id: str,
        retry_count: int | None = None,
        server_id: str | None = None,
    ) -> list[CallRecord]:
        """Play a voice to up to 100 numbers; one record per number, in order."""
        body = {"phoneNumbers": _batch(phone_numbers), "voiceId": voice_id}
        return self._place("/batch", body, retry_count, server_id, many=True)

    def batch_tts_call(
        self,
        *,
        phone_numbers: Sequence[str],
        text: str,
        retry_count: int | None = None,
        server_id: str | None = None,
    ) -> list[CallRecord]:
        """Read a text to up to 100 numbers; one record per number, in order."""
        body = {"phoneNumbers": _batch(phone_numbers), "text": text}
        return self._place("/batch/tts", body, retry_count, server_id, many=True)

    def single_call(
        self,
        *,
        phone_number: str,
        voice_id: str,
        retry_count: int | None = None,
        server_id: str | None = None,
    ) -> CallRecord:
        """Play a voice to one number."""
        body = {"phoneNumber": normalize_number(phone_number), "voiceId": voice_id}
        return self._place("/single", body, retry_count, server_id, many=False)[0]

    def tts_call(
        self,
        *,
        phone_number: str,
        text: str,
        retry_count: int | None = None,
        server_id: str | None = None,
    ) -> CallRecord:
        """Read a text to one number."""
        body = {"phoneNumber": normalize_number(phone_number), "text": text}
        return self._place("/single/tts", body, retry_count, server_id, many=False)[0]

    def otp_call(
        self,
        *,
        phone_number: str,
        code: str,
        voice_id: str | None = None,
        repeat_count: int | None = None,
        retry_count: int | None = None,
        server_id: str | None = None,
    ) -> CallRecord:
        """Read a numeric code (1 to 5 digits, sent as `text`) to one number, after an
        optional voice; `repeat_count` is sent as the documented string."""
        body: dict[str, Any] = {"phoneNumber": normalize_number(phone_number), "text": code}
        if voice_id is not None:
            body["voiceId"] = voice_id
        if repeat_count is not None:
            body["repeatCount"] = str(repeat_count)
        return self._place("/otp", body, retry_count, server_id, many=False)[0]

    def call_status(self, call_id: str) -> CallRecord:
        """The current record of a call (retried on transport errors, 429 and 5xx)."""
        if not call_id or "/" in call_id:
            raise InvalidArgumentError(f"not a call id: {call_id!r}")
        return self._request("GET", f"{_VOICE}/status/{call_id}", None, _CALL, unsafe_note=None)[0]

    # --- conveniences --------------------------------------------------------

    def batch_call_all(
        self,
        *,
        phone_numbers: Iterable[str],
        voice_id: str,
        retry_count: int | None = None,
        server_id: str | None = None,
    ) -> list[CallRecord]:
        """`batch_call` for any number of recipients, in requests of at most 100."""
        return self._split(
            numbers_to_split(phone_numbers),
            lambda chunk: self.batch_call(
                phone_numbers=chunk, voice_id=voice_id, retry_count=retry_count, server_id=server_id
            ),
            progress=_PLACING,
        )

    def batch_tts_call_all(
        self,
        *,
        phone_numbers: Iterable[str],
        text: str,
        retry_count: int | None = None,
        server_id: str | None = None,
    ) -> list[CallRecord]:
        """`batch_tts_call` for any number of recipients, in requests of at most 100."""
        return self._split(
            numbers_to_split(phone_numbers),
            lambda chunk: self.batch_tts_call(
                phone_numbers=chunk, text=text, retry_count=retry_count, server_id=server_id
            ),
            progress=_PLACING,
        )

    def wait_for_final(
        self,
        ids: Iterable[str],
        *,
        timeout: float = 600.0,
        poll_interval: float = 5.0,
    ) -> list[CallRecord]:
        """Poll until every call has a final status; the records in the order of `ids`.

        Raises WaitTimeoutError (with the last records seen) when `timeout` seconds
        pass first. Final calls are not asked for again. For message ids, use
        `wait_for_final_sms` (an id does not say whether it is a call's or a message's).
        """
        return self._wait_until_final(
            ids, self.call_status, timeout=timeout, poll_interval=poll_interval, noun="calls"
        )

    # --- plumbing ------------------------------------------------------------

    def _place(
        self,
        path: str,
        body: dict[str, Any],
        retry_count: int | None,
        server_id: str | None,
        *,
        many: bool,
    ) -> list[CallRecord]:
        if retry_count is not None:
            body["retryCount"] = retry_count
        if server_id is not None:
            body["serverId"] = server_id
        return self._request(
            "POST", _VOICE + path, body, _CALLS if many else _CALL, unsafe_note=DOUBLE_DIAL_NOTE
        )


def _batch(phone_numbers: Sequence[str]) -> list[str]:
    return batch_numbers(phone_numbers, splitter="batch_call_all")
