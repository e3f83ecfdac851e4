"""The PEP 517 build backend of bitel-mock: setuptools, run on a copy of the sources.

setuptools works in the folder it builds: `pip install .` or `pip wheel .` in a
clone would leave `build/` and `bitel_mock.egg-info/` behind. Here every hook that
builds a wheel or an sdist (and the hooks that ask setuptools for metadata or
requirements on the way) runs in a temporary copy of the sources instead, so the
clone stays as it was. Editable installs are setuptools' own, in place: their
metadata is what maps the import root onto the clone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from setuptools import build_meta as setuptools_backend
from setuptools.build_meta import (  # noqa: F401  (the editable hooks, unchanged)
    build_editable,
    get_requires_for_build_editable,
    prepare_metadata_for_build_editable,
)

NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
    ".hypothesis", ".ruff_cache", "*.sqlite3*", "mutants",
)
"""What a build never needs: version control, environments, caches, earlier build output, state."""

Result = TypeVar("Result")


@contextmanager
def _in_a_copy() -> Iterator[None]:
    """Run with a temporary copy of the working directory as the working directory."""
    source = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="bitel-mock-build-") as scratch:
        copy = Path(scratch) / source.name
        shutil.copytree(source, copy, ignore=NOT_COPIED, symlinks=True)
        os.chdir(copy)
        try:
            yield
        finally:
            os.chdir(source)


def _copied(hook: Callable[..., Result], *directories: str | None, **settings: Any) -> Result:
    """`hook` run in a copy, with the directories it writes to made absolute first."""
    absolute = [None if d is None else os.path.abspath(d) for d in directories]
    with _in_a_copy():
        return hook(*absolute, **settings)


def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    with _in_a_copy():
        return setuptools_backend.get_requires_for_build_wheel(config_settings)


def get_requires_for_build_sdist(config_settings: dict[str, Any] | None = None) -> list[str]:
    with _in_a_copy():
        return setuptools_backend.get_requires_for_build_sdist(config_settings)


def prepare_metadata_for_build_wheel(
    metadata_directory: str, config_settings: dict[str, Any] | None = None
) -> str:
    return _copied(
        setuptools_backend.prepare_metadata_for_build_wheel,
        metadata_directory,
        config_settings=config_settings,
    )


def build_wheel(
    wheel_directory: str,
    config_settings: dict[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    with_metadata = os.path.abspath(metadata_directory) if metadata_directory else None
    return _copied(
        setuptools_backend.build_wheel,
        wheel_directory,
        config_settings=config_settings,
        metadata_directory=with_metadata,
    )


def build_sdist(sdist_directory: str, config_settings: dict[str, Any] | None = None) -> str:
    return _copied(setuptools_backend.build_sdist, sdist_directory, config_settings=config_settings)
