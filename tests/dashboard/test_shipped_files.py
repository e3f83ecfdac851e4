"""The page's files fetch nothing from elsewhere and run nothing inline: no http(s) URL but the
SVG namespace (a name, never fetched), no markup built from text, every import shipped."""

from __future__ import annotations

import re

import pytest

from tests.dashboard.pages import ASSET_FOLDER, TEMPLATE, shipped_files

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s"'`)]*""")
MARKUP_SINKS = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\(\s*['\"]on")
IMPORT = re.compile(r"""^import .* from "(?P<target>[^"]+)";$""", re.MULTILINE)
CONSOLE = re.compile(r"\bconsole\.")
TEXT_FILES = [path for path in shipped_files() if path.suffix in {".js", ".css", ".svg"}] + [TEMPLATE]


@pytest.mark.parametrize("path", TEXT_FILES, ids=lambda path: path.name)
def test_no_file_names_a_url_but_the_svg_namespace(path) -> None:  # type: ignore[no-untyped-def]
    found = set(URL.findall(path.read_text(encoding="utf-8")))
    assert found <= {SVG_NAMESPACE}, found


def test_the_check_sees_a_url() -> None:
    assert URL.findall('import x from "https://cdn.example.com/x.js";') == ["https://cdn.example.com/x.js"]
    assert URL.findall("url(//fonts.example.org/a.woff)") == ["//fonts.example.org/a.woff"]


@pytest.mark.parametrize("path", [p for p in shipped_files() if p.suffix == ".js"], ids=lambda path: path.name)
def test_scripts_insert_text_never_markup_and_log_nothing(path) -> None:  # type: ignore[no-untyped-def]
    text = path.read_text(encoding="utf-8")
    assert not MARKUP_SINKS.findall(text)
    assert not CONSOLE.findall(text)


@pytest.mark.parametrize("path", [p for p in shipped_files() if p.suffix == ".js"], ids=lambda path: path.name)
def test_every_import_is_a_shipped_module(path) -> None:  # type: ignore[no-untyped-def]
    for target in IMPORT.findall(path.read_text(encoding="utf-8")):
        assert target.startswith("./"), target
        assert (ASSET_FOLDER / target[2:]).is_file(), target


def test_the_page_has_no_inline_script_style_or_handler() -> None:
    html = TEMPLATE.read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.DOTALL)
    assert scripts == [""]
    assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html)


def test_every_hook_the_browser_tests_use_is_on_the_page() -> None:
    html = TEMPLATE.read_text(encoding="utf-8")
    hooks = [
        "traffic", "clock-now", "clock-mode", "advance-minute", "advance-hour", "advance-next",
        "advance-ttl", "clock-set", "call-detail", "scenario-form", "token-form", "error",
        "tab-traffic", "tab-outcomes", "tab-journal", "tab-webhooks", "tab-faults", "tab-glance",
    ]
    for hook in hooks:
        assert f'data-testid="{hook}"' in html, hook
    scripts = "".join(path.read_text(encoding="utf-8") for path in shipped_files() if path.suffix == ".js")
    for hook in ("traffic-row", "number", "status", "timeline", "delivery-row", "redeliver",
                 "scenario-row", "scenario-remove", "journal-row", "fault-row", "glance-chart"):
        assert f'"data-testid": "{hook}"' in scripts, hook
