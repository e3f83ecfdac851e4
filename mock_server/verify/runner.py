"""One verification run: choose the probes of a profile, send them, collect the results.

`run()` refuses `full` against the real service unless billable calls are
allowed, before anything is sent. `on_result` is called as each check
completes (the terminal prints one line per check from it).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from bitel_mock import contracts
from bitel_mock.verify import fuzz, lifecycle, sms_lifecycle, snapshot
from bitel_mock.verify.checks import Blame, error_answer
from bitel_mock.verify.model import (
    DEFAULT_SMS_TARIFF,
    DEFAULT_TARIFF,
    DEFAULT_TOLERANCE,
    PROFILES,
    CheckResult,
    Evidence,
    Exchange,
    Fault,
    Finding,
    Report,
)
from bitel_mock.verify.probes import Probe, safe_probes
from bitel_mock.verify.safety import is_billable
from bitel_mock.verify.wire import Target, Unreachable

VENDOR_SAMPLES: tuple[tuple[str, str, Any], ...] = (
    (
        "batch request",
        "batch-call-request",
        {
            "phoneNumbers": ["09121234567"],
            "voiceId": "08e815cbcd724386805103ac0d45e4c2",
            "retryCount": 3,
        },
    ),
    ("OTP request", "otp-call-request", {"phoneNumber": "09121234567", "text": "1234"}),
    (
        "finished call",
        "call-response",
        {
            "result": {
                "id": "08e815cbcd724386805103ac0d45e4c2",
                "phoneNumber": "09121234567",
                "status": "NORMAL",
                "statusCode": 1,
                "billSec": 12,
                "requestDate": 1564645830,
                "executionDate": 1564645842,
                "price": -34.2,
            },
            "error": None,
        },
    ),
    ("error answer", "error-envelope", {"result": None, "error": "InvalidPhoneNumber"}),
)
"""The vendor's documented samples (docs/fidelity.md): the contract must accept each."""


class UsageError(Exception):
    """A problem with how verify was asked to run (exit status 2)."""


@dataclass
class Options:
    base_url: str
    token: str
    profile: str = "safe"
    admin_token: str | None = None
    """bitel-mock's admin token: sent on control-plane requests only."""
    max_examples: int = 10
    seed: int | None = None
    allow_billable: bool = False
    numbers: list[str] = field(default_factory=list)
    tariff: float = DEFAULT_TARIFF
    sms_tariff: float = DEFAULT_SMS_TARIFF
    """Toman per SMS part (the full profile's price check)."""
    tolerance: float = DEFAULT_TOLERANCE
    timeout: float = 300.0
    poll_interval: float = 5.0
    authority: str | None = None
    """`contract` or `server`; None picks `server` for the real service, else `contract`."""
    snapshot: Path | None = None
    compare: Path | None = None
    fuzz: bool = True


def check_options(options: Options) -> None:
    """UsageError for anything wrong before a request is sent."""
    if options.profile not in PROFILES:
        raise UsageError(f"unknown profile {options.profile!r} (choose {' or '.join(PROFILES)})")
    if not options.base_url.startswith(("http://", "https://")):
        raise UsageError(
            f"--base-url must start with http:// or https://, not {options.base_url!r}"
        )
    if not options.token:
        raise UsageError("no token: give --token or set BITEL_TOKEN")
    if options.profile == "full" and is_billable(options.base_url) and not options.allow_billable:
        raise UsageError(
            f"refusing the full profile against {options.base_url}: it places real calls that cost money; "
            "add --allow-billable (and --numbers you own) to go ahead"
        )
    if options.max_examples < 0:
        raise UsageError("--max-examples must be 0 or more")
    if options.compare is not None and not options.compare.is_file():
        raise UsageError(f"--compare: no such file {options.compare}")


def _run_probe(target: Target, probe: Probe, blame: Blame) -> tuple[CheckResult, Exchange]:
    exchange = target.send(
        probe.method,
        probe.path,
        body=probe.body,
        raw=probe.raw,
        headers=probe.headers,
        authorized=probe.authorized,
    )
    findings = error_answer(
        probe.name,
        exchange,
        status=probe.status,
        codes=probe.codes,
        blame=blame,
        status_evidence=probe.status_evidence,
        code_evidence=probe.code_evidence,
    )
    if probe.allow is not None:
        allow = exchange.headers.get("allow", "")
        if probe.allow not in [m.strip().upper() for m in allow.split(",")]:
            findings.append(
                blame.finding(
                    f"{probe.name}/allow",
                    f"Allow {allow!r} does not list {probe.allow}",
                    Evidence.GUESS,
                    exchange,
                )
            )
    code = _error_code(exchange)
    summary = f"{probe.method} {probe.path} -> {exchange.status}{' ' + code if code else ''}"
    return CheckResult(probe.name, probe.group, summary, findings), exchange


def _error_code(exchange: Exchange) -> str:
    try:
        body = exchange.json()
    except ValueError:
        return ""
    return str(body.get("error")) if isinstance(body, dict) and body.get("error") else ""


def _vendor_samples() -> CheckResult:
    findings = []
    for label, schema, sample in VENDOR_SAMPLES:
        for error in contracts.validator(schema).iter_errors(sample):
            findings.append(
                Finding(
                    "contract/vendor-samples",
                    f"the vendor's {label} breaks {schema}: {error.message}",
                    Fault.CONTRACT,
                    Evidence.SAMPLE,
                )
            )
    return CheckResult(
        "contract/vendor-samples", "contract", f"{len(VENDOR_SAMPLES)} documented samples", findings
    )


def _fuzz_results(
    target: Target, options: Options, seed: int, blame: Blame, emit: Callable[[CheckResult], None]
) -> None:
    for operation in fuzz.operations():
        started = time.monotonic()
        name = f"generated/{operation.definition.raw.get('operationId')}"
        sent, withheld, failures = fuzz.run_operation(
            target, operation, max_examples=options.max_examples, seed=seed
        )
        findings = [
            Finding(
                f"{name}/{f.title}",
                f.message,
                Fault.SERVER if f.server_error else blame.fault(Evidence.GUESS),
                Evidence.GUESS,
                f.exchange,
            )
            for f in failures
        ]
        summary = f"{operation.method.upper()} {operation.path}: {sent} generated cases" + (
            f", {withheld} withheld as possibly valid" if withheld else ""
        )
        emit(CheckResult(name, "generated", summary, findings, time.monotonic() - started))


ADMIN_REFUSED = (
    "/__admin/clock answered 401: if this is bitel-mock with an admin token, give --admin-token "
    "or set BITEL_MOCK_ADMIN_TOKEN"
)


def _detect_clock(target: Target) -> tuple[str | None, bool]:
    """`manual` or `real` when the target is bitel-mock (it answers /__admin/clock), else None;
    and whether /__admin/clock refused the request (401)."""
    exchange = target.admin("GET", "/__admin/clock")
    try:
        clock = exchange.json() if exchange.status == 200 else None
    except ValueError:
        clock = None
    if isinstance(clock, dict) and clock.get("mode") in ("manual", "real") and "now" in clock:
        return str(clock["mode"]), False
    return None, exchange.status == 401


def _full(
    target: Target,
    options: Options,
    blame: Blame,
    emit: Callable[[CheckResult], None],
    sleep: Callable[[float], None],
) -> None:
    mode, refused = _detect_clock(target)
    if options.numbers:
        numbers: dict[str, str | None] = dict.fromkeys(options.numbers)
    elif mode is not None:
        numbers = dict(lifecycle.MAGIC_MANUAL if mode == "manual" else lifecycle.MAGIC_REAL_CLOCK)
    else:
        raise UsageError(
            "the full profile needs --numbers against a server that is not bitel-mock"
            + (f" ({ADMIN_REFUSED})" if refused else "")
        )
    settings = lifecycle.FullSettings(
        numbers=numbers,
        retry_count=2 if mode == "manual" else 0,
        tariff=options.tariff,
        tolerance=options.tolerance,
    )
    clock = lifecycle.TimeSource(
        target,
        manual=mode == "manual",
        timeout=options.timeout,
        poll_interval=options.poll_interval,
        sleep=sleep,
    )
    run = lifecycle.FullRun(target, clock, settings, blame)
    emit(run.invalid_server())
    for result in run.place():
        emit(result)
    run.follow()
    for result in run.lifecycle_results():
        emit(result)
    messages = sms_lifecycle.SmsFullRun(
        target,
        clock,
        dict.fromkeys(options.numbers) if options.numbers else dict(sms_lifecycle.SMS_MAGIC),
        blame,
        tariff=options.sms_tariff,
        tolerance=options.tolerance,
    )
    for result in [*messages.refusals(), *messages.send()]:
        emit(result)
    messages.follow()
    for result in messages.lifecycle_results():
        emit(result)


def run(
    options: Options,
    *,
    session: requests.Session | None = None,
    on_result: Callable[[CheckResult], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Report:
    """Verify `options.base_url`; raises UsageError (before sending) or Unreachable."""
    check_options(options)
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(2**32)
    authority = options.authority or ("server" if is_billable(options.base_url) else "contract")
    blame = Blame(authority)
    report = Report(options.base_url, options.profile, seed, authority)
    target = Target(
        options.base_url, options.token, session, sleep=sleep, admin_token=options.admin_token
    )

    def emit(result: CheckResult) -> None:
        report.results.append(result)
        if on_result is not None:
            on_result(result)

    emit(_vendor_samples())
    answers: dict[str, Exchange] = {}
    for probe in safe_probes():
        started = time.monotonic()
        result, exchange = _run_probe(target, probe, blame)
        result.seconds = time.monotonic() - started
        answers[probe.name] = exchange
        emit(result)
    current = snapshot.build(answers)
    report.snapshot = current
    if options.compare is not None:
        _compare(options.compare, current, answers, emit)
    if options.fuzz and options.max_examples > 0:
        _fuzz_results(target, options, seed, blame, emit)
    if options.profile == "full":
        _full(target, options, blame, emit, sleep)
    if options.snapshot is not None:
        snapshot.write(options.snapshot, current)
    return report


def _compare(
    path: Path,
    current: dict[str, Any],
    answers: dict[str, Exchange],
    emit: Callable[[CheckResult], None],
) -> None:
    try:
        earlier = snapshot.load(path)
    except ValueError as exc:
        raise UsageError(f"--compare: {exc}") from None
    drift = snapshot.compare(earlier, current)
    findings = [
        Finding(f"drift/{name}", difference, Fault.SERVER, Evidence.SAMPLE, answers.get(name))
        for name, differences in drift.items()
        for difference in differences
    ]
    emit(
        CheckResult("drift", "drift", f"{len(current['answers'])} answers against {path}", findings)
    )


__all__ = ["PROFILES", "Options", "Unreachable", "UsageError", "check_options", "run"]
