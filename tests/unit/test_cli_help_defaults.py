"""`bitel-mock serve --help` names each option's default as the settings define it: the help
reads it from Settings / Timing / ServeOptions, so the two never drift apart."""

from __future__ import annotations

import argparse
import re
from typing import Any

import pytest

from bitel_mock.cli import OPTIONS, Option, ServeOptions, build_parser, shown_default
from bitel_mock.domain.clock import ClockMode
from bitel_mock.domain.lifecycle import Timing
from bitel_mock.settings import Settings

NAMED = re.compile(r"\(default ([^:)][^)]*)\)")
"""`(default 8080)`: the value itself."""
CHOICE = re.compile(r"(\S+) \(default\)")
"""`real (default) or manual`: the choice that is the default."""
DESCRIBED = re.compile(r"\(default: [^)]+\)")
"""`(default: no limit)`: what happens when the option is absent."""


def _serve_help() -> dict[str, str]:
    """Each option's help as `serve --help` prints it, without the `; env ...` tail."""
    [commands] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    serve = commands.choices["serve"]
    return {
        max(action.option_strings, key=len): (action.help or "").rsplit("; env ", 1)[0]
        for action in serve._actions
        if action.option_strings and action.dest != "help"
    }


HELP = _serve_help()


def _setting_default(option: Option) -> Any:
    owner = Timing() if option.timing else ServeOptions() if option.serving else Settings()
    return getattr(owner, option.field)


def _absent(option: Option) -> Any:
    """The value of an option given no value: None, or an empty collection."""
    return option.collect([]) if option.many else None


def test_every_option_is_in_the_help() -> None:
    assert set(HELP) == {option.flag for option in OPTIONS}
    assert not any("{default}" in text for text in HELP.values())


@pytest.mark.parametrize("option", OPTIONS, ids=lambda option: option.flag)
def test_the_default_named_in_the_help_is_the_settings_default(option: Option) -> None:
    text, default = HELP[option.flag], _setting_default(option)
    if named := NAMED.search(text):
        value = named.group(1)
        if option.many:
            read = option.collect([option.parse(item) for item in value.split(", ")])
        else:
            read = option.parse(value.split(",")[0])
        assert read == default, f"{option.flag} says {value!r}, the default is {default!r}"
    elif choice := CHOICE.search(text):
        assert option.parse(choice.group(1)) == default
    else:
        # Described in words, or not named: only an option that is off by default may do so.
        assert default == _absent(option), f"{option.flag} does not name its default {default!r}"
        assert DESCRIBED.search(text) or "(default" not in text


def test_the_defaults_in_the_help_by_value() -> None:
    """The values the help names today, for a reader of this file."""
    named = {flag: m.group(1) for flag, text in HELP.items() if (m := NAMED.search(text))}
    assert named == {
        "--host": "127.0.0.1",
        "--port": "8080",
        "--server-id": "mirdamad1",
        "--invalid-number-error": "InvalidRequest",
        "--max-body-bytes": "1048576",
        "--queue-seconds": "3",
        "--ring-seconds": "5",
        "--no-answer-seconds": "30",
        "--talk-seconds": "20",
        "--retry-interval": "60",
        "--time-to-live": "14400",
        "--tariff": "2.85",
        "--journal-size": "1000",
        "--store": ServeOptions().store_url,
        "--workers": "2, 1 with the memory store",
        "--threads": "4",
        "--webhook-timeout": "5",
        "--webhook-retries": "3",
        "--webhook-backoff": "30",
        "--sms-gateway": "10009909",
        "--sms-tariff": "14",
        "--sms-check-seconds": "2",
        "--sms-deliver-seconds": "5",
    }


def test_a_help_text_takes_its_default_from_the_settings() -> None:
    option = Option("--port", "port", "listen here (default {default})", int)
    assert option.help == f"listen here (default {Settings().port})"
    timed = Option("--tariff", "tariff", "price (default {default})", float, timing=True)
    assert timed.help == f"price (default {Timing().tariff:g})"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (2.85, "2.85"),
        (5.0, "5"),
        (14_400, "14400"),
        (frozenset({"b", "a"}), "a, b"),
        (ClockMode.MANUAL, "manual"),
        ("sqlite:///x", "sqlite:///x"),
    ],
)
def test_how_a_default_is_shown(value: Any, shown: str) -> None:
    assert shown_default(value) == shown
