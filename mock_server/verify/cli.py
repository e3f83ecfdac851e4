"""The `bitel-mock verify` subcommand: its options and its exit status.

Exit status: 0 every check passed; 1 at least one finding; 2 a usage error,
an unreachable target, or `full` refused against the real service.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bitel_mock.extras import missing_extra
from bitel_mock.verify.model import DEFAULT_SMS_TARIFF, DEFAULT_TARIFF, DEFAULT_TOLERANCE, PROFILES

if TYPE_CHECKING:
    from bitel_mock.verify.runner import Options

TOKEN_ENV = "BITEL_TOKEN"
ADMIN_TOKEN_ENV = "BITEL_MOCK_ADMIN_TOKEN"
EXIT_PASSED, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Register `verify` on the `bitel-mock` subcommands."""
    verify = commands.add_parser(
        "verify",
        help="check a server (the emulator, a proxy, the real service) against the contract",
        description="Check a server against the contract. Exit status: 0 passed, 1 findings, 2 usage error or unreachable.",
    )
    verify.add_argument(
        "--base-url",
        required=True,
        metavar="URL",
        help="e.g. http://127.0.0.1:8080 or https://api.bitel.rest",
    )
    verify.add_argument("--token", metavar="T", help=f"bearer token (default: env {TOKEN_ENV})")
    verify.add_argument(
        "--admin-token",
        metavar="T",
        help="bitel-mock's admin token, sent as a bearer token on its control-plane requests "
        f"(/__admin: the clock the full profile moves) and nowhere else (default: env {ADMIN_TOKEN_ENV})",
    )
    verify.add_argument(
        "--profile",
        choices=PROFILES,
        default="safe",
        help=(
            "safe (default): never places a call nor sends a message; full: also places calls"
            " and sends messages, and follows them"
        ),
    )
    verify.add_argument(
        "--allow-billable",
        action="store_true",
        help="allow the full profile against api.bitel.rest (real calls, real money)",
    )
    verify.add_argument(
        "--numbers",
        metavar="N,N",
        default="",
        help="numbers the full profile calls (default on bitel-mock: its magic numbers)",
    )
    verify.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="write the report: JUnit XML if FILE ends in .xml, else JSON",
    )
    verify.add_argument("--junit", type=Path, metavar="FILE", help="write a JUnit XML report")
    verify.add_argument(
        "--max-examples",
        type=int,
        default=10,
        metavar="N",
        help="generated cases per operation (default 10; 0 turns generation off)",
    )
    verify.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="seed of the generated cases (default: random, printed)",
    )
    verify.add_argument(
        "--tariff",
        type=float,
        default=DEFAULT_TARIFF,
        metavar="TOMAN",
        help=f"price of a billed second (default {DEFAULT_TARIFF})",
    )
    verify.add_argument(
        "--sms-tariff",
        type=float,
        default=DEFAULT_SMS_TARIFF,
        metavar="TOMAN",
        help=f"price of one SMS part (default {DEFAULT_SMS_TARIFF:g})",
    )
    verify.add_argument(
        "--date-tolerance",
        type=float,
        default=DEFAULT_TOLERANCE,
        metavar="S",
        help=f"how far requestDate may be from the reference clock (default {DEFAULT_TOLERANCE:g} s)",
    )
    verify.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        metavar="S",
        help="full profile, real clock: how long to wait for final statuses (default 300)",
    )
    verify.add_argument(
        "--poll-interval",
        type=float,
        default=5.0,
        metavar="S",
        help="full profile, real clock: seconds between polls (default 5)",
    )
    verify.add_argument(
        "--authority",
        choices=("contract", "server"),
        help="which side a departure from a guessed expectation blames (default: server for api.bitel.rest, else contract)",
    )
    verify.add_argument(
        "--snapshot",
        type=Path,
        metavar="FILE",
        help="write the normalised answers of the safe probes",
    )
    verify.add_argument(
        "--compare",
        type=Path,
        metavar="FILE",
        help="report every difference from an earlier snapshot",
    )
    verify.set_defaults(handler=main)
    return verify


def options_from(args: argparse.Namespace) -> Options:
    from bitel_mock.verify.runner import Options

    return Options(
        base_url=args.base_url,
        token=args.token or os.environ.get(TOKEN_ENV, ""),
        admin_token=args.admin_token or os.environ.get(ADMIN_TOKEN_ENV) or None,
        profile=args.profile,
        max_examples=args.max_examples,
        seed=args.seed,
        allow_billable=args.allow_billable,
        numbers=[n.strip() for n in args.numbers.split(",") if n.strip()],
        tariff=args.tariff,
        sms_tariff=args.sms_tariff,
        tolerance=args.date_tolerance,
        timeout=args.timeout,
        poll_interval=args.poll_interval,
        authority=args.authority,
        snapshot=args.snapshot,
        compare=args.compare,
    )


def main(args: argparse.Namespace, session: Any = None) -> int:
    """Run verify from parsed arguments; returns the exit status."""
    from bitel_mock.verify import report as reports
    from bitel_mock.verify.wire import Unreachable

    try:
        from bitel_mock.verify.runner import UsageError, run
    except ImportError as exc:
        missing = missing_extra(exc, "verify", "verify")
        if missing is None:
            raise
        print(f"bitel-mock: {missing}", file=sys.stderr)
        return EXIT_USAGE
    try:
        options = options_from(args)
        print(f"bitel-mock verify: {options.base_url}, profile {options.profile}", flush=True)
        result = run(
            options, session=session, on_result=lambda r: print(reports.line(r), flush=True)
        )
    except UsageError as exc:
        print(f"bitel-mock verify: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Unreachable as exc:
        print(f"bitel-mock verify: cannot reach the server: {exc}", file=sys.stderr)
        return EXIT_USAGE
    reports.summary(result, sys.stdout)
    for path, writer in ((args.report, reports.write), (args.junit, reports.write_junit)):
        if path is not None:
            writer(path, result)
            print(f"report written to {path}")
    return EXIT_PASSED if result.passed else EXIT_FINDINGS
