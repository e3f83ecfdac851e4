"""The built wheel carries the page's template and every file it loads."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.dashboard.pages import shipped_files

REPOSITORY = Path(__file__).resolve().parents[2]


def test_the_wheel_ships_the_template_and_every_static_file(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
         "-w", str(tmp_path), str(REPOSITORY)],
        capture_output=True, text=True, timeout=600,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("bitel_mock-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"bitel_mock/dashboard/templates/dashboard.html", "bitel_mock/dashboard/routes.py"}
    expected |= {f"bitel_mock/dashboard/static/{path.name}" for path in shipped_files()}
    assert expected <= names, sorted(expected - names)
