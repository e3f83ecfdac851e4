"""OPTIONS is a method like any other a route does not take: a JSON 405 with `Allow`.

Flask would answer OPTIONS by itself (200, empty body) on every route; the app
turns that off once (`PROVIDE_AUTOMATIC_OPTIONS`), and serves no static files.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from flask import Flask

from bitel_mock.app import create_app
from bitel_mock.http.paths import is_admin_path
from bitel_mock.settings import Settings

APP = create_app(Settings(seed=1))
_SAMPLE_BY_CONVERTER = {"int": "7", "": "abc"}


def _sample_path(rule: str) -> str:
    """A concrete path the rule matches: `<int:id>` -> 7, `<name>` -> abc."""
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: _SAMPLE_BY_CONVERTER[m.group(1) or ""], rule)


def _methods_by_rule(app: Flask) -> dict[str, set[str]]:
    methods: dict[str, set[str]] = defaultdict(set)
    for rule in app.url_map.iter_rules():
        methods[rule.rule] |= set(rule.methods or ())
    return dict(methods)


METHODS_BY_RULE = _methods_by_rule(APP)


def test_automatic_options_are_off_and_no_static_route_exists() -> None:
    assert APP.config["PROVIDE_AUTOMATIC_OPTIONS"] is False
    assert all("OPTIONS" not in methods for methods in METHODS_BY_RULE.values())
    assert all(rule.endpoint != "static" for rule in APP.url_map.iter_rules())


def test_both_planes_are_covered() -> None:
    wanted = {"/api/v2/voice/batch", "/api/v2/voice/status/<request_id>", "/__admin/health"}
    assert wanted <= set(METHODS_BY_RULE)


@pytest.mark.parametrize("rule", sorted(METHODS_BY_RULE))
def test_options_is_a_json_405_naming_the_routes_methods(rule: str) -> None:
    path = _sample_path(rule)
    answer = APP.test_client().open(path, method="OPTIONS")
    assert answer.status_code == 405
    assert answer.mimetype == "application/json"
    assert set(answer.headers["Allow"].split(", ")) == METHODS_BY_RULE[rule]
    if is_admin_path(path):
        assert answer.get_json() == {
            "error": "MethodNotAllowed",
            "message": "The method is not allowed for the requested URL.",
        }
    else:
        assert answer.get_json() == {"result": None, "error": "MethodNotAllowed"}


def test_options_on_a_path_of_no_route_is_a_json_404() -> None:
    answer = APP.test_client().open("/static/app.css", method="OPTIONS")
    assert (answer.status_code, answer.get_json()) == (404, {"result": None, "error": "NotFound"})
