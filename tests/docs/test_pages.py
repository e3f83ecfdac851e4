"""Every page's blocks run as written (tests/docs/runner.py says how), and the quick starts
do what the README promises."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.docs.blocks import PAGES, ROOT
from tests.docs.runner import VENV_BIN, PageRun, run_page

OTHER_PAGES = [page for page in PAGES if page.name not in {"README.md", "verify.md"}]


def _printed_by(run: PageRun, start: str) -> str:
    [printed] = [out for i, out in run.printed.items() if run.blocks[i].text.startswith(start)]
    return printed


@pytest.mark.parametrize("page", OTHER_PAGES, ids=lambda page: page.name)
def test_the_page_runs_as_written(page: Path, tmp_path: Path) -> None:
    run_page(page, tmp_path)


def test_the_readme_runs_as_written(tmp_path: Path) -> None:
    run = run_page(ROOT / "README.md", tmp_path)
    # Tests in your own project: the README's test file passed, beside the project's own
    # `client` and `contracts` modules.
    assert "1 passed" in _printed_by(run, "pytest -q test_calls.py")
    assert (run.project / "test_calls.py").is_file()
    shadowing = subprocess.run(
        [
            str(VENV_BIN / "python"),
            "-c",
            "import client, contracts, bitel_mock.client, bitel_mock.contracts; "
            "print(client.OWNER, contracts.OWNER, bitel_mock.client.BitelClient.__name__, "
            "callable(bitel_mock.contracts.validator))",
        ],
        cwd=run.project,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shadowing.stdout.split() == ["my-app", "my-app", "BitelClient", "True"]
    # Install: the block made a fresh environment with the core and the [verify] extra.
    installed = run.project / ".venv" / "bin"
    version = subprocess.run(
        [installed / "bitel-mock", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("bitel-mock ")
    probe = (
        "import importlib.metadata as m, schemathesis, bitel_mock.client, bitel_mock.contracts; "
        "print(sorted(e.value for e in m.entry_points(group='pytest11') if e.name == 'bitel_mock'))"
    )
    plugin = subprocess.run(
        [installed / "python", "-c", probe], capture_output=True, text=True, check=True
    )
    assert plugin.stdout.strip() == "['bitel_mock.pytest_plugin']"


def test_the_verify_page_runs_and_its_snapshot_command_writes_the_committed_snapshot(
    tmp_path: Path,
) -> None:
    run = run_page(ROOT / "docs" / "verify.md", tmp_path)
    written = run.checkout / "contracts" / "snapshots" / "emulator-safe.json"
    committed = ROOT / "contracts" / "snapshots" / "emulator-safe.json"
    assert written.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")
