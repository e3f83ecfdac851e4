"""The `bitel-mock` command: `bitel-mock serve [options]` and `bitel-mock --version`.

Every option of `serve` can also be given by an environment variable
(BITEL_MOCK_*, listed in the README); an option on the command line wins.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from collections.abc import Callable, Sequence
from typing import Any

from mock_server.domain.phone import parse_forms
from mock_server.errors import NUMBER_ERRORS
from mock_server.settings import (
    DEFAULT_HOST,
    DEFAULT_JOURNAL_SIZE,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_PORT,
    DEFAULT_SERVER_IDS,
    Settings,
)
from mock_server.toolkit.ratelimit import RateLimit
from mock_server.version import __version__

ENV_PREFIX = "BITEL_MOCK_"


class CliError(Exception):
    """A problem to report in one line, without a traceback."""


def _env(name: str) -> str | None:
    value = os.environ.get(ENV_PREFIX + name)
    return value if value not in (None, "") else None


def _env_list(name: str) -> list[str] | None:
    value = _env(name)
    return [item.strip() for item in value.split(",") if item.strip()] if value else None


def _converted(name: str, convert: Callable[[str], Any]) -> Any:
    value = _env(name)
    if value is None:
        return None
    try:
        return convert(value)
    except ValueError:
        raise CliError(f"{ENV_PREFIX}{name}={value!r} is not valid") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bitel-mock",
        description="A local, faithful emulator of the Bitel voice-call API.",
    )
    parser.add_argument("--version", action="version", version=f"bitel-mock {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser("serve", help="run the emulator", description="Run the emulator.")
    serve.add_argument("--host", help=f"address to listen on (default {DEFAULT_HOST}; env BITEL_MOCK_HOST)")
    serve.add_argument("--port", type=int, help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one; env BITEL_MOCK_PORT)")
    serve.add_argument("--seed", type=int, help="make ids (and outcomes) reproducible (env BITEL_MOCK_SEED)")
    serve.add_argument(
        "--server-id", action="append", dest="server_ids", metavar="ID",
        help=f"an accepted serverId; repeat for more (default {', '.join(sorted(DEFAULT_SERVER_IDS))}; env BITEL_MOCK_SERVER_IDS, comma-separated)",
    )
    serve.add_argument(
        "--token", action="append", dest="tokens", metavar="T",
        help="an accepted bearer token; repeat for more (default: any non-empty token; env BITEL_MOCK_TOKENS, comma-separated)",
    )
    serve.add_argument(
        "--number-form", action="append", dest="number_forms", metavar="FORM",
        help="also accept numbers in this form: plus98, 98, 0098, persian-digits (default: local 09XXXXXXXXX only; env BITEL_MOCK_NUMBER_FORMS, comma-separated)",
    )
    serve.add_argument(
        "--invalid-number-error", choices=sorted(NUMBER_ERRORS),
        help="error code for a number in no accepted form (default InvalidRequest; env BITEL_MOCK_INVALID_NUMBER_ERROR)",
    )
    serve.add_argument(
        "--max-body-bytes", type=int,
        help=f"larger bodies get 413 (default {DEFAULT_MAX_BODY_BYTES}; env BITEL_MOCK_MAX_BODY_BYTES)",
    )
    _add_toolkit_options(serve)
    return parser


# --- Testing toolkit options ---------------------------------------------------


def _add_toolkit_options(serve: argparse.ArgumentParser) -> None:
    serve.add_argument(
        "--journal-size", type=int,
        help=f"requests kept in the journal (default {DEFAULT_JOURNAL_SIZE}; env BITEL_MOCK_JOURNAL_SIZE)",
    )
    serve.add_argument(
        "--rate-limit", metavar="RPS[/BURST]",
        help="requests per second per token, and burst (default: no limit; env BITEL_MOCK_RATE_LIMIT)",
    )
    serve.add_argument(
        "--max-waiting", type=int, metavar="N",
        help="most WAITING calls per token (default: no cap; env BITEL_MOCK_MAX_WAITING)",
    )
    serve.add_argument(
        "--admin-token", metavar="T",
        help="required by /__admin; needed to listen on a non-loopback address (env BITEL_MOCK_ADMIN_TOKEN)",
    )


def _toolkit_settings(args: argparse.Namespace) -> dict[str, Any]:
    rate_limit = _first(args.rate_limit, _env("RATE_LIMIT"))
    return {
        "journal_size": _first(args.journal_size, _converted("JOURNAL_SIZE", int), DEFAULT_JOURNAL_SIZE),
        "rate_limit": RateLimit.parse(rate_limit) if rate_limit is not None else None,
        "max_waiting": _first(args.max_waiting, _converted("MAX_WAITING", int)),
        "admin_token": _first(args.admin_token, _env("ADMIN_TOKEN")),
    }


def _check_admin_exposure(settings: Settings) -> None:
    from mock_server.admin.access import is_loopback

    if settings.admin_token is None and not is_loopback(settings.host):
        raise CliError(
            f"refusing to listen on {settings.host} without --admin-token "
            "(the control plane would be open to the network)"
        )


# --------------------------------------------------------------------------------


def _first(*values: Any) -> Any:
    return next((value for value in values if value is not None), None)


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from parsed options, then the environment, then the defaults."""
    defaults = Settings()
    forms = _first(args.number_forms, _env_list("NUMBER_FORMS"))
    server_ids = _first(args.server_ids, _env_list("SERVER_IDS"))
    tokens = _first(args.tokens, _env_list("TOKENS"))
    try:
        return Settings(
            host=_first(args.host, _env("HOST"), defaults.host),
            port=_first(args.port, _converted("PORT", int), defaults.port),
            seed=_first(args.seed, _converted("SEED", int)),
            server_ids=frozenset(server_ids) if server_ids else defaults.server_ids,
            tokens=frozenset(tokens) if tokens else frozenset(),
            number_forms=parse_forms(forms) if forms else defaults.number_forms,
            invalid_number_error=_first(
                args.invalid_number_error, _env("INVALID_NUMBER_ERROR"), defaults.invalid_number_error
            ),
            max_body_bytes=_first(
                args.max_body_bytes, _converted("MAX_BODY_BYTES", int), defaults.max_body_bytes
            ),
            **_toolkit_settings(args),
        )
    except ValueError as exc:
        raise CliError(str(exc)) from None


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket, or a one-line CliError (werkzeug would print its own advice)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family, backlog=128)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CliError(f"cannot listen on {host}:{port}: the address is already in use") from None
        raise CliError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def serve(settings: Settings) -> None:
    """Run the emulator until interrupted."""
    from werkzeug.serving import make_server

    from mock_server.app import create_app

    _check_admin_exposure(settings)
    app = create_app(settings)
    listener = _listen(settings.host, settings.port)
    server = make_server(settings.host, settings.port, app, threaded=True, fd=listener.fileno())
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    tokens = f"{len(settings.tokens)} configured" if settings.tokens else "any non-empty"
    print(
        f"bitel-mock {__version__} listening on http://{host}:{listener.getsockname()[1]} "
        f"(seed {settings.seed}, tokens: {tokens}, server ids: {', '.join(sorted(settings.server_ids))})",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if args.command == "serve":
            serve(settings_from(args))
    except CliError as exc:
        print(f"bitel-mock: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
