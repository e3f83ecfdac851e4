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
from dataclasses import dataclass
from typing import Any

from mock_server.domain.phone import parse_forms
from mock_server.errors import NUMBER_ERRORS
from mock_server.settings import (
    DEFAULT_HOST,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_PORT,
    DEFAULT_SERVER_IDS,
    Settings,
)
from mock_server.store.base import Store
from mock_server.store.url import DEFAULT_STORE_URL, check_store_url, open_store
from mock_server.version import __version__

ENV_PREFIX = "BITEL_MOCK_"
DEFAULT_WORKERS = 2


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
    serve.add_argument(
        "--store", metavar="URL",
        help=f"where calls are kept: memory, sqlite:///PATH (sqlite:////ABSOLUTE/PATH) or redis://HOST:PORT/DB (default {DEFAULT_STORE_URL}; env BITEL_MOCK_STORE)",
    )
    serve.add_argument(
        "--workers", type=int,
        help=f"worker processes sharing the store (default {DEFAULT_WORKERS}, 1 with the memory store; env BITEL_MOCK_WORKERS)",
    )
    return parser


@dataclass(frozen=True)
class ServeOptions:
    """How `serve` runs the emulator: where state lives and how many processes share it."""

    store_url: str = DEFAULT_STORE_URL
    workers: int = DEFAULT_WORKERS


def serve_options_from(args: argparse.Namespace) -> ServeOptions:
    """Serving options from parsed options, then the environment, then the defaults."""
    try:
        store_url = check_store_url(_first(args.store, _env("STORE"), DEFAULT_STORE_URL))
    except ValueError as exc:
        raise CliError(str(exc)) from None
    workers = _first(args.workers, _converted("WORKERS", int))
    if workers is None:
        workers = 1 if store_url == "memory" else DEFAULT_WORKERS
    if workers < 1:
        raise CliError(f"workers must be at least 1, not {workers}")
    if workers > 1 and store_url == "memory":
        raise CliError("the memory store cannot be shared by several workers: use --workers 1 or a sqlite/redis store")
    return ServeOptions(store_url=store_url, workers=workers)


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


def open_configured_store(options: ServeOptions) -> Store:
    """The store the options name, or a one-line CliError."""
    try:
        return open_store(options.store_url)
    except Exception as exc:  # a file or server we cannot use: say which, in one line
        raise CliError(f"cannot open the store {options.store_url}: {exc}") from None


def serve(settings: Settings, options: ServeOptions | None = None) -> None:
    """Run the emulator under gunicorn until stopped (SIGTERM drains, SIGINT stops)."""
    from mock_server.app import create_app
    from mock_server.serving import run_gunicorn

    options = options or ServeOptions()
    listener = _listen(settings.host, settings.port)
    store = open_configured_store(options)
    app = create_app(settings, store=store)
    close = getattr(store, "close", None)
    if close is not None:
        close()  # the master keeps no connection: each worker opens its own
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    tokens = f"{len(settings.tokens)} configured" if settings.tokens else "any non-empty"
    print(
        f"bitel-mock {__version__} listening on http://{host}:{listener.getsockname()[1]} "
        f"(seed {settings.seed}, tokens: {tokens}, server ids: {', '.join(sorted(settings.server_ids))}, "
        f"store {options.store_url}, workers {options.workers})",
        flush=True,
    )
    run_gunicorn(app, listener, workers=options.workers)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        if args.command == "serve":
            serve(settings_from(args), serve_options_from(args))
    except CliError as exc:
        print(f"bitel-mock: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
