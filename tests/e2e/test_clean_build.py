"""`pip wheel` of a clone (what `pip install CLONE` does first) builds elsewhere: the clone keeps no
build/ nor egg-info folder, and the wheel holds the one import root and nothing of the build."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def _clone(into: Path) -> Path:
    """The repository's files (tracked, or new and not ignored) copied to `into`."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPOSITORY, capture_output=True, check=True, timeout=60,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPOSITORY / name
        if source.is_file():  # a file deleted but not yet committed is listed too
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    return into


def _tree(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


def test_a_wheel_build_leaves_the_clone_as_it_was(tmp_path: Path) -> None:
    clone = _clone(tmp_path / "clone")
    before = _tree(clone)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
         "-w", str(tmp_path / "wheels"), str(clone)],
        capture_output=True, text=True, timeout=600,
    )
    assert built.returncode == 0, built.stderr
    assert not (clone / "build").exists()
    assert not list(clone.glob("*.egg-info"))
    assert _tree(clone) == before
    [wheel] = (tmp_path / "wheels").glob("bitel_mock-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {"bitel_mock/cli.py", "bitel_mock/client/__init__.py", "bitel_mock/contracts/openapi.yaml"} <= set(names)
    assert not [name for name in names if name.startswith(("build_backend", "tests/", "mock_server/"))]
