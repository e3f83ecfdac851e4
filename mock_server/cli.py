"""The `bitel-mock` command: `bitel-mock serve [options]`, `bitel-mock verify [options]`
(in `bitel_mock.verify.cli`) and `bitel-mock --version`.

Every option of `serve` can also be given by an environment variable
(BITEL_MOCK_<NAME>, listed in docs/settings.md); an option on the command line wins.
Options are data (`OPTIONS`): each names its flag, its variable, how to read
a value, and which setting it fills.
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import errno
import os
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from bitel_mock.domain.clock import ClockMode
from bitel_mock.domain.lifecycle import Timing
from bitel_mock.domain.outcomes import Distribution
from bitel_mock.domain.phone import parse_forms
from bitel_mock.domain.sms_model import DEFAULT_GATEWAY
from bitel_mock.errors import NUMBER_ERRORS
from bitel_mock.extras import MissingExtra
from bitel_mock.http.guard import allowed_host, is_loopback
from bitel_mock.settings import Settings
from bitel_mock.store.base import Store
from bitel_mock.store.url import (
    DEFAULT_STORE_URL,
    MEMORY_STORE,
    check_store_url,
    close_last,
    open_store,
)
from bitel_mock.toolkit.ratelimit import RateLimit
from bitel_mock.verify import cli as verify_cli
from bitel_mock.version import __version__

ENV_PREFIX = "BITEL_MOCK_"
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4
"""Requests one worker runs at once: measured, more threads only wait for Python's one lock
(16 served fewer requests per second, with twice the p99, than 4 or 8)."""
MAX_THREADS = 256


class CliError(Exception):
    """A problem to report in one line, without a traceback."""


def _split(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _tariff(text: str) -> float:
    return float(text)


def _token_webhook(text: str) -> tuple[str, str]:
    token, sep, url = text.partition("=")
    if not sep or not token.strip() or not url.strip():
        raise ValueError(f"{text!r} is not TOKEN=URL")
    return token.strip(), url.strip()


def _negative_balance(text: str) -> bool:
    return text == "negative"


_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})


def _boolean(text: str) -> bool:
    """true/false (also 1/0, yes/no, on/off), in any case."""
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"{text!r} is neither true nor false")


def _sms_gateway(text: str) -> str:
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"{text!r} is not a gateway number (digits only)")
    return text


def _sms_gateways(numbers: list[str]) -> frozenset[str]:
    """The lines accepted: the default one and those given."""
    return frozenset({DEFAULT_GATEWAY, *numbers})


@dataclass(frozen=True)
class Option:
    """One setting of `serve`: its flag, environment variable and parser."""

    flag: str
    field: str
    """The Settings (or Timing, when `timing`) field it fills."""
    about: str
    """What it does; `{default}` stands for the field's default (see `help`)."""
    parse: Callable[[str], Any] = str
    many: bool = False
    """Repeatable on the command line; comma-separated in the environment."""
    collect: Callable[[list[str]], Any] = frozenset
    timing: bool = False
    """Fills a Timing field rather than a Settings one."""
    serving: bool = False
    """Says how to serve (ServeOptions) rather than how to behave (Settings)."""
    metavar: str | None = None
    choices: Sequence[str] | None = None
    env_name: str | None = None
    """The variable's name after BITEL_MOCK_, when not the flag's (lists take a plural)."""
    alone: str | None = None
    """The value the flag means when given without one (a switch), if it may be."""

    @property
    def env(self) -> str:
        return ENV_PREFIX + (self.env_name or self.flag.removeprefix("--").replace("-", "_").upper())

    @property
    def default(self) -> Any:
        """The value the option's field has when the option is not given."""
        defaults = Timing() if self.timing else ServeOptions() if self.serving else Settings()
        return getattr(defaults, self.field)

    @property
    def help(self) -> str:
        """What it does, its default filled in from the settings."""
        return self.about.replace("{default}", shown_default(self.default))


def shown_default(value: Any) -> str:
    """A default as help text names it: 2.85, 5 (a whole float), mirdamad1 (a set), real."""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, frozenset | set):
        return ", ".join(sorted(str(item) for item in value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


OPTIONS: tuple[Option, ...] = (
    Option("--host", "host", "address to listen on (default {default})"),
    Option("--port", "port", "port to listen on; 0 picks a free one (default {default})", int),
    Option("--seed", "seed", "makes call ids and drawn outcomes repeatable", int),
    Option("--server-id", "server_ids", "an accepted serverId; repeat for more (default {default})", many=True, metavar="ID", env_name="SERVER_IDS"),
    Option("--token", "tokens", "an accepted bearer token; repeat for more (default: any non-empty token)", many=True, metavar="T", env_name="TOKENS"),
    Option(
        "--number-form", "number_forms",
        "also accept numbers in this form: plus98, 98, 0098, persian-digits, landline (default: local mobile 09XXXXXXXXX only)",
        many=True, collect=parse_forms, metavar="FORM", env_name="NUMBER_FORMS",
    ),
    Option(
        "--invalid-number-error", "invalid_number_error",
        "error code for a number in no accepted form (default {default})", choices=sorted(NUMBER_ERRORS),
    ),
    Option("--max-body-bytes", "max_body_bytes", "larger bodies get 413 (default {default})", int),
    Option("--clock", "clock", "real (default) or manual: a manual clock moves only through the admin API; a real clock keeps the offset kept in the store", ClockMode, choices=[m.value for m in ClockMode]),
    Option("--start-time", "start_time", "where a manual clock starts, Unix seconds; always wins over a kept clock (default: resume the manual time kept in the store, else now)", int, metavar="EPOCH"),
    Option("--outcomes", "outcomes", "draw attempt outcomes from weights, e.g. NORMAL=0.7,NO_ANSWER=0.2,USER_BUSY=0.1, and SMS outcomes from sms: weights, e.g. sms:DELIVERED=0.9,sms:DELIVERY_FAILED=0.1 (default: every call answered, every message delivered)", Distribution.parse, metavar="WEIGHTS"),
    Option("--queue-seconds", "queue_seconds", "seconds from acceptance to the first dialling (default {default})", int, timing=True, metavar="S"),
    Option("--ring-seconds", "ring_seconds", "ringing before an answer (default {default})", int, timing=True, metavar="S"),
    Option("--no-answer-seconds", "no_answer_seconds", "ringing before an unanswered attempt gives up (default {default})", int, timing=True, metavar="S"),
    Option("--talk-seconds", "talk_seconds", "talk time of an answered voice call (default {default})", int, timing=True, metavar="S"),
    Option("--retry-interval", "retry_interval", "seconds between a busy or unanswered attempt and the next (default {default})", int, timing=True, metavar="S"),
    Option("--time-to-live", "time_to_live", "a call not finished this long after acceptance is EXPIRED (default {default})", int, timing=True, metavar="S"),
    Option("--tariff", "tariff", "Toman per billed second (default {default})", _tariff, timing=True, metavar="TOMAN"),
    Option("--journal-size", "journal_size", "requests kept in the journal (default {default})", int, metavar="N"),
    Option("--rate-limit", "rate_limit", "requests per second per token, and burst (default: no limit)", RateLimit.parse, metavar="RPS[/BURST]"),
    Option("--max-waiting", "max_waiting", "most WAITING calls per token (default: no cap)", int, metavar="N"),
    Option("--shared-projects", "shared_projects", "true: every token sees every token's calls and messages; false (default): a call or message is NotFound to a token other than its own (the flag alone: true)", _boolean, metavar="true|false", alone="true"),
    Option("--admin-token", "admin_token", "required by /__admin; needed to listen on a non-loopback address", metavar="T"),
    Option("--allowed-host", "allowed_hosts", "a name besides localhost and loopback addresses that Host may give, without --admin-token; repeat for more", allowed_host, many=True, metavar="NAME", env_name="ALLOWED_HOSTS"),
    Option(
        "--store", "store_url",
        "where state is kept: memory, sqlite:///PATH (sqlite:////ABSOLUTE/PATH) or redis://HOST:PORT/DB (default {default})",
        check_store_url, serving=True, metavar="URL",
    ),
    Option("--workers", "workers", "worker processes sharing the store (default {default}, 1 with the memory store)", int, serving=True, metavar="N"),
    Option("--threads", "threads", "requests one worker runs at once, a thread each (default {default}); a delay fault holds its thread for the delay, so raise it for many delays at once", int, serving=True, metavar="N"),
    Option("--webhook-url", "webhook_url", "POST each call's final status here (default: no webhooks)", metavar="URL"),
    Option("--token-webhook", "token_webhooks", "calls placed with TOKEN post their webhooks to URL instead; repeat for more", _token_webhook, many=True, collect=tuple, metavar="TOKEN=URL", env_name="TOKEN_WEBHOOKS"),
    Option("--webhook-timeout", "webhook_timeout", "seconds a receiver may take to connect or answer (default {default})", float, metavar="S"),
    Option("--webhook-retries", "webhook_retries", "attempts after a failed delivery (default {default})", int, metavar="N"),
    Option("--webhook-backoff", "webhook_backoff", "emulator seconds before the first retry, doubling after (default {default})", int, metavar="S"),
    Option("--webhook-balance", "webhook_negative_balance", "sign of balanceSubtracted: positive (default) or negative", _negative_balance, choices=["positive", "negative"]),
    Option("--webhook-allow-host", "webhook_allowed_hosts", "a host webhook URLs may name; repeat for more (default: any)", many=True, metavar="HOST", env_name="WEBHOOK_ALLOWED_HOSTS"),
    Option("--sms-gateway", "sms_gateways", "a gatewayNumber accepted besides the default line; repeat for more (default {default})", _sms_gateway, many=True, collect=_sms_gateways, metavar="NUMBER", env_name="SMS_GATEWAYS"),
    Option("--sms-tariff", "sms_tariff", "Toman per SMS part (default {default})", float, metavar="TOMAN"),
    Option("--sms-check-seconds", "sms_check_seconds", "seconds from accepting a message to CHECK_OK or its refusal (default {default})", int, metavar="S"),
    Option("--sms-deliver-seconds", "sms_deliver_seconds", "seconds from accepting a message to DELIVERED or DELIVERY_FAILED, at least the check seconds (default {default})", int, metavar="S"),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bitel-mock",
        description="A local, faithful emulator of the Bitel voice-call API.",
    )
    parser.add_argument("--version", action="version", version=f"bitel-mock {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser("serve", help="run the emulator", description="Run the emulator.")
    for option in OPTIONS:
        serve.add_argument(
            option.flag,
            dest=option.field,
            action="append" if option.many else "store",
            nargs="?" if option.alone is not None else None,
            const=option.alone,
            metavar=option.metavar,
            choices=option.choices,
            help=f"{option.help}; env {option.env}",
        )
    verify_cli.add_parser(commands)
    return parser


def _value(option: Option, args: argparse.Namespace) -> Any:
    """The option's value from the command line, else the environment, else None."""
    given = getattr(args, option.field)
    source = option.flag
    if given is None:
        raw = os.environ.get(option.env, "")
        if not raw:
            return None
        given = _split(raw) if option.many else raw
        source = f"{option.env}={raw!r}"
    try:
        if option.many:
            return option.collect([option.parse(item) for item in given])
        return option.parse(given)
    except (ValueError, KeyError) as exc:
        raise CliError(f"{source}: {exc}") from None


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from parsed options, then the environment, then the defaults."""
    chosen: dict[str, Any] = {}
    timing: dict[str, Any] = {}
    for option in OPTIONS:
        value = None if option.serving else _value(option, args)
        if value is not None:
            (timing if option.timing else chosen)[option.field] = value
    try:
        settings = Settings(**chosen, timing=dataclasses.replace(Timing(), **timing))
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if settings.start_time is not None and settings.clock is ClockMode.REAL:
        raise CliError("--start-time (BITEL_MOCK_START_TIME) sets where a manual clock starts: add --clock manual")
    return settings


@dataclass(frozen=True)
class ServeOptions:
    """How `serve` runs the emulator: where state lives and how many processes share it."""

    store_url: str = DEFAULT_STORE_URL
    workers: int = DEFAULT_WORKERS
    threads: int = DEFAULT_THREADS


def serve_options_from(args: argparse.Namespace) -> ServeOptions:
    """Serving options from parsed options, then the environment, then the defaults."""
    given = {option.field: _value(option, args) for option in OPTIONS if option.serving}
    store_url = given["store_url"] or DEFAULT_STORE_URL
    workers = given["workers"]
    if workers is None:
        workers = 1 if store_url == MEMORY_STORE else DEFAULT_WORKERS
    if workers < 1:
        raise CliError(f"workers must be at least 1, not {workers}")
    if workers > 1 and store_url == MEMORY_STORE:
        raise CliError("the memory store cannot be shared by several workers: use --workers 1 or a sqlite/redis store")
    threads = DEFAULT_THREADS if given["threads"] is None else given["threads"]
    if not 1 <= threads <= MAX_THREADS:
        raise CliError(f"threads must be from 1 to {MAX_THREADS}, not {threads}")
    return ServeOptions(store_url=store_url, workers=workers, threads=threads)


def open_configured_store(options: ServeOptions) -> Store:
    """The store the options name, or a one-line CliError."""
    try:
        return open_store(options.store_url)
    except MissingExtra:
        raise
    except Exception as exc:  # a file or server we cannot use: say which, in one line
        raise CliError(f"cannot open the store {options.store_url}: {exc}") from None


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket, or a one-line CliError (werkzeug would print its own advice)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=128)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CliError(f"cannot listen on {host}:{port}: the address is already in use") from None
        raise CliError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def _check_admin_exposure(settings: Settings) -> None:
    if settings.admin_token is None and not is_loopback(settings.host):
        raise CliError(
            f"refusing to listen on {settings.host} without --admin-token "
            "(the control plane would be open to the network)"
        )


def worker_app(settings: Settings, store_url: str) -> Any:
    """The app one worker process of `serve` runs: built from the settings, its own store.

    The master applied `--start-time` once before any worker started; a worker (first start
    or a restart after a crash) resumes the kept clock, so it never sets a moved clock back.
    The memory store is the worker's own, with nothing kept: it starts at `--start-time`.
    """
    from bitel_mock.app import create_app

    if store_url != MEMORY_STORE:
        settings = dataclasses.replace(settings, start_time=None)
    return create_app(settings, store=open_store(store_url))


def serve(settings: Settings, options: ServeOptions | None = None) -> None:
    """Run the emulator under granian until stopped (SIGTERM drains, SIGINT stops)."""
    from bitel_mock import startup
    from bitel_mock.domain.clock import StoreClock
    from bitel_mock.serving import run_granian

    _check_admin_exposure(settings)
    options = options or ServeOptions()
    listener = _listen(settings.host, settings.port)
    if settings.port == 0:  # the port picked: webhooks refuse this emulator's own address
        try:
            settings = dataclasses.replace(settings, port=listener.getsockname()[1])
        except ValueError as exc:
            raise CliError(str(exc)) from None
    # The master only starts the clock (applying --start-time once) and names it; each worker
    # builds its own app after the fork, so the master never loads Flask and holds little.
    store = open_configured_store(options)
    clock = startup.clock_line(StoreClock(store, settings.clock, start_time=settings.start_time))
    close = getattr(store, "close", None)
    if close is not None:
        close()  # the master keeps no connection: each worker opens its own
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    url = f"http://{host}:{listener.getsockname()[1]}"
    lines = (
        startup.listening_line(settings, url, options.store_url, options.workers),
        clock,
        startup.dashboard_line(url),
    )
    run_granian(
        partial(worker_app, settings, options.store_url),
        listener,
        workers=options.workers,
        threads=options.threads,
        announce=lambda: print(*lines, sep="\n", flush=True),
    )
    close_last(options.store_url)  # every worker has stopped


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if args.command == "verify":
            return verify_cli.main(args)
        if args.command == "serve":
            serve(settings_from(args), serve_options_from(args))
    except CliError as exc:
        print(f"bitel-mock: {exc}", file=sys.stderr)
        return 1
    except MissingExtra as exc:
        print(f"bitel-mock: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
