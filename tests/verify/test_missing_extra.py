"""Without the verify extra, `bitel-mock verify` says in one line how to install it (exit 2)."""

from __future__ import annotations

import sys

import pytest

import bitel_mock.verify
from bitel_mock.cli import main

ADVICE = "bitel-mock: verify needs the verify extra, which is not installed: pip install 'bitel-mock[verify]'\n"


@pytest.mark.parametrize("module", ["schemathesis", "hypothesis"])
def test_verify_without_its_extra_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], module: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    for loaded in ("runner", "fuzz"):  # imported afresh, so they meet the missing module
        monkeypatch.delitem(sys.modules, f"bitel_mock.verify.{loaded}", raising=False)
        monkeypatch.delattr(bitel_mock.verify, loaded, raising=False)
    assert main(["verify", "--base-url", "http://127.0.0.1:9", "--token", "t"]) == 2
    captured = capsys.readouterr()
    assert captured.err == ADVICE
    assert captured.out == ""
