"""What happens on each attempt of a call: scenario rules, magic numbers, a distribution.

A call's attempts follow a script: a list of `AttemptSpec`, the last one
repeating for any further attempt. The script comes from, in order of
precedence: the newest scenario rule matching the number, a magic number
(`0999000XXYY`), the configured distribution, or the default (answered).

Rules and the distribution also choose how SMS messages end
(`bitel_mock.domain.sms_outcomes`): a rule of kind `sms` names one final
delivery code, and the distribution's `sms:` weights draw one per message.
"""

from __future__ import annotations

import enum
import functools
import math
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bitel_mock.domain import patterns
from bitel_mock.domain.model import CallStatus
from bitel_mock.domain.sms_model import FINAL_OUTCOMES, SmsStatus

ATTEMPT_OUTCOMES = frozenset(
    {CallStatus.NORMAL, CallStatus.NO_ANSWER, CallStatus.USER_BUSY, CallStatus.ERROR, CallStatus.UNKNOWN}
)
"""What one dialling can end in."""

SCRIPT_OUTCOMES = ATTEMPT_OUTCOMES | {CallStatus.EXPIRED}
"""What a script may say: EXPIRED means no further attempt is made and the request expires."""

MAGIC_NUMBER = re.compile(r"0999000(?P<busy>[0-9]{2})(?P<code>[0-9]{2})")
_BY_CODE = {status.code: status for status in SCRIPT_OUTCOMES}


@dataclass(frozen=True, slots=True)
class AttemptSpec:
    """The outcome of one attempt, with optional timing overrides."""

    status: CallStatus
    talk_seconds: int | None = None
    ring_seconds: int | None = None

    def __post_init__(self) -> None:
        if self.status not in SCRIPT_OUTCOMES:
            raise ValueError(f"{self.status.name} is not an attempt outcome")
        if self.talk_seconds is not None and self.talk_seconds < 1:
            raise ValueError("talkSeconds must be at least 1")
        if self.ring_seconds is not None and self.ring_seconds < 0:
            raise ValueError("ringSeconds must not be negative")


class RuleKind(enum.Enum):
    """What a scenario rule scripts: calls (the default) or SMS messages."""

    CALL = "call"
    SMS = "sms"


@dataclass(frozen=True, slots=True)
class ScenarioRule:
    """A rule set at run time: calls to matching numbers follow these attempts (kind `call`),
    or messages to them end in `message_outcome` (kind `sms`)."""

    id: str
    attempts: tuple[AttemptSpec, ...]
    number: str | None = None
    """Matches this local number exactly."""
    pattern: str | None = None
    """Or: a regular expression (RE2 syntax) searched in the local number."""
    created_at: int = 0
    kind: RuleKind = RuleKind.CALL
    message_outcome: SmsStatus | None = None
    """The final delivery code of messages to matching numbers (kind `sms` only)."""

    def __post_init__(self) -> None:
        if (self.number is None) == (self.pattern is None):
            raise ValueError("a rule has exactly one of number and pattern")
        if self.kind is RuleKind.SMS:
            if self.attempts or self.message_outcome not in FINAL_OUTCOMES:
                raise ValueError("an sms rule has a final outcome and no attempts")
        elif not self.attempts or self.message_outcome is not None:
            raise ValueError("a rule needs at least one attempt")
        if self.pattern is not None:
            # Lenient on purpose: a rule stored before patterns ran on RE2 still loads (and
            # matches nothing); configuration goes through `configured_pattern`.
            patterns.stored(self.pattern)

    def matches(self, local_number: str) -> bool:
        if self.number is not None:
            return self.number == local_number
        assert self.pattern is not None
        compiled = patterns.stored(self.pattern)
        return compiled is not None and compiled.search(local_number)


def configured_pattern(pattern: str | None) -> str | None:
    """A rule's pattern as given to the control plane, if it runs on RE2; PatternError (a
    ValueError) saying why not."""
    if pattern is not None:
        patterns.compile_pattern(pattern)
    return pattern


MAGIC_PREFIX = "0999000"


def magic_script(local_number: str) -> tuple[AttemptSpec, ...] | None:
    """The script of a magic number `0999000XXYY`: XX busy attempts, then outcome YY."""
    if not local_number.startswith(MAGIC_PREFIX):
        return None
    return _magic_script(local_number)


@functools.lru_cache(maxsize=4096)
def _magic_script(local_number: str) -> tuple[AttemptSpec, ...] | None:
    # Cached, so every call to one magic number shares one script object (and one plan).
    match = MAGIC_NUMBER.fullmatch(local_number)
    if match is None:
        return None
    outcome = _BY_CODE.get(int(match["code"]))
    if outcome is None:
        return None
    busy = int(match["busy"])
    return (AttemptSpec(CallStatus.USER_BUSY),) * busy + (AttemptSpec(outcome),)


SMS_PREFIX = "sms:"
"""Marks a message outcome in a distribution's text: `sms:DELIVERY_FAILED=0.1`."""


def _check_weights(weights: Mapping[Any, float], allowed: frozenset[Any]) -> None:
    for status, weight in weights.items():
        if status not in allowed:
            raise ValueError(f"{status.name} cannot be drawn")
        if not weight >= 0:
            raise ValueError(f"weight of {status.name} must not be negative")
    if weights and sum(weights.values()) <= 0:
        raise ValueError("the weights must not all be zero")


def _weight(part: str, value: str, sep: str) -> float:
    try:
        weight = float(value)
    except ValueError:
        weight = math.nan
    if not sep or math.isnan(weight):
        raise ValueError(f"{part!r} is not STATUS=WEIGHT")
    return weight


@dataclass(frozen=True)
class Distribution:
    """Outcome weights, e.g. NORMAL=0.7, NO_ANSWER=0.2, USER_BUSY=0.1, drawn per attempt; and
    for SMS messages, e.g. sms:DELIVERED=0.9, sms:DELIVERY_FAILED=0.1, drawn per message."""

    weights: Mapping[CallStatus, float] = field(default_factory=dict)
    message_weights: Mapping[SmsStatus, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_weights(self.weights, SCRIPT_OUTCOMES)
        _check_weights(self.message_weights, FINAL_OUTCOMES)

    @classmethod
    def parse(cls, text: str) -> Distribution:
        """From `NORMAL=0.7,NO_ANSWER=0.2,USER_BUSY=0.1`; an `sms:` name is a message outcome
        (`sms:DELIVERED=0.9,sms:DELIVERY_FAILED=0.1`)."""
        weights: dict[CallStatus, float] = {}
        message_weights: dict[SmsStatus, float] = {}
        known = ", ".join(s.name for s in sorted(SCRIPT_OUTCOMES, key=lambda s: s.code))
        known_sms = ", ".join(SMS_PREFIX + s.name for s in sorted(FINAL_OUTCOMES, key=lambda s: s.code))
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, sep, value = part.partition("=")
            name = name.strip()
            if name.lower().startswith(SMS_PREFIX):
                message = SmsStatus.__members__.get(name[len(SMS_PREFIX) :].strip().upper())
                if message not in FINAL_OUTCOMES:
                    raise ValueError(f"unknown message outcome {name!r} (known: {known_sms})")
                message_weights[message] = _weight(part, value, sep)
                continue
            status = CallStatus.__members__.get(name.upper())
            if status not in SCRIPT_OUTCOMES:
                raise ValueError(f"unknown outcome {name!r} (known: {known})")
            weights[status] = _weight(part, value, sep)
        if not weights and not message_weights:
            raise ValueError("no outcomes given")
        return cls(weights, message_weights)

    def message_outcome(self, rng: random.Random) -> SmsStatus | None:
        """A message's final code drawn from the `sms:` weights; None when there are none."""
        if not self.message_weights:
            return None
        statuses = list(self.message_weights)
        return rng.choices(statuses, weights=[self.message_weights[s] for s in statuses])[0]

    def script(self, rng: random.Random, length: int) -> tuple[AttemptSpec, ...]:
        statuses = list(self.weights)
        drawn = rng.choices(statuses, weights=[self.weights[s] for s in statuses], k=length)
        return tuple(AttemptSpec(status) for status in drawn)


DEFAULT_SCRIPT = (AttemptSpec(CallStatus.NORMAL),)


def choose_script(
    local_number: str,
    rules: Sequence[ScenarioRule],
    distribution: Distribution | None,
    rng: random.Random,
    attempts: int,
) -> tuple[AttemptSpec, ...]:
    """The script for a call: newest matching rule, then magic number, distribution, default."""
    if not rules and distribution is None:  # the common case, kept short: it runs per call
        return magic_script(local_number) or DEFAULT_SCRIPT
    for rule in reversed(rules):
        if rule.kind is RuleKind.CALL and rule.matches(local_number):
            return rule.attempts
    magic = magic_script(local_number)
    if magic is not None:
        return magic
    if distribution is not None and distribution.weights:
        return distribution.script(rng, attempts)
    return DEFAULT_SCRIPT
