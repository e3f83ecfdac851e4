"""How a message ends: scenario rules, magic numbers, a distribution, or delivered.

In order of precedence (as for calls): the newest scenario rule of kind `sms`
matching the number, a magic number `099910000YY` (ends in code YY), the
distribution's `sms:` weights, else DELIVERED. An OTP reaches blacklisted
numbers (doc): where its outcome would be BLACKLIST it is DELIVERED.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from bitel_mock.domain.outcomes import Distribution, RuleKind, ScenarioRule
from bitel_mock.domain.sms_model import FINAL_OUTCOMES, MessageKind, SmsStatus

SMS_MAGIC_PREFIX = "099910000"
SMS_MAGIC_NUMBER = re.compile(SMS_MAGIC_PREFIX + r"(?P<code>[0-9]{2})")
DEFAULT_OUTCOME = SmsStatus.DELIVERED
_BY_CODE = {status.code: status for status in FINAL_OUTCOMES}


def magic_outcome(local_number: str) -> SmsStatus | None:
    """The outcome of a magic number `099910000YY`: code YY when it is a final code, else
    DELIVERED; None for any other number."""
    if not local_number.startswith(SMS_MAGIC_PREFIX):  # most numbers: no regular expression
        return None
    match = SMS_MAGIC_NUMBER.fullmatch(local_number)
    if match is None:
        return None
    return _BY_CODE.get(int(match["code"]), DEFAULT_OUTCOME)


def choose_outcome(
    local_number: str,
    kind: MessageKind,
    rules: Sequence[ScenarioRule],
    distribution: Distribution | None,
    rng: random.Random,
) -> SmsStatus:
    """The final code of a message of `kind` to `local_number`."""
    outcome = _chosen(local_number, rules, distribution, rng)
    if kind is MessageKind.OTP and outcome is SmsStatus.BLACKLIST:
        return SmsStatus.DELIVERED
    return outcome


def plain_outcome(local_number: str, kind: MessageKind) -> SmsStatus:
    """The outcome when no rule and no distribution apply: the magic number's, else DELIVERED."""
    if not local_number.startswith(SMS_MAGIC_PREFIX):
        return DEFAULT_OUTCOME
    return choose_outcome(local_number, kind, (), None, _NO_DRAW)


_NO_DRAW = random.Random(0)
"""Given where nothing is drawn."""


def _chosen(
    local_number: str,
    rules: Sequence[ScenarioRule],
    distribution: Distribution | None,
    rng: random.Random,
) -> SmsStatus:
    for rule in reversed(rules):
        if (
            rule.kind is RuleKind.SMS
            and rule.message_outcome is not None
            and rule.matches(local_number)
        ):
            return rule.message_outcome
    magic = magic_outcome(local_number)
    if magic is not None:
        return magic
    if distribution is not None:
        drawn = distribution.message_outcome(rng)
        if drawn is not None:
            return drawn
    return DEFAULT_OUTCOME
