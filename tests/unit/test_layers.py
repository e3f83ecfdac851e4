"""Imports go one way: the planes (http, admin) over the emulator, over the domain and the
store; nothing below the planes knows Flask or the control plane, and no plane re-exports."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import bitel_mock

ROOT = Path(bitel_mock.__file__).parent
WEB = ("flask", "werkzeug")
PLANES = ("bitel_mock.http", "bitel_mock.admin", "bitel_mock.app")
BELOW_THE_PLANES = (
    "domain", "store", "toolkit", "webhooks",
    "tokens.py", "errors.py", "emulator.py", "settings.py", "jsontext.py",
)
BELOW_THE_EMULATOR = ("domain", "store", "toolkit")


def _files(*places: str) -> list[Path]:
    found: list[Path] = []
    for place in places:
        path = ROOT / place
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return found


def _imports(path: Path) -> Iterator[tuple[str, list[str]]]:
    """(module, names) of every import in the file, wherever it is."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module, [alias.name for alias in node.names]


def _under(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def _module_file(module: str) -> Path | None:
    path = ROOT.joinpath(*module.split(".")[1:])
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _defined_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


@pytest.mark.parametrize("path", _files(*BELOW_THE_PLANES), ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_below_the_planes_imports_flask_or_a_plane(path: Path) -> None:
    wrong = [m for m, _ in _imports(path) if _under(m, WEB) or _under(m, PLANES)]
    assert wrong == []


@pytest.mark.parametrize("path", _files(*BELOW_THE_EMULATOR), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_domain_store_and_toolkit_do_not_import_the_emulator_above_them(path: Path) -> None:
    assert [m for m, _ in _imports(path) if _under(m, ("bitel_mock.emulator",))] == []


@pytest.mark.parametrize("path", _files("domain"), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_domain_raises_no_control_plane_error(path: Path) -> None:
    assert all("AdminError" not in names for _, names in _imports(path))


@pytest.mark.parametrize("path", sorted(ROOT.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_name_from_a_plane_is_imported_from_where_it_is_defined(path: Path) -> None:
    for module, names in _imports(path):
        target = _module_file(module) if _under(module, PLANES) else None
        if target is None:
            continue
        defined = _defined_names(target)
        re_exported = [n for n in names if n not in defined and _module_file(f"{module}.{n}") is None]
        assert re_exported == [], f"{module} does not define {re_exported}"


def test_the_app_factory_installs_each_part_once() -> None:
    tree = ast.parse((ROOT / "app.py").read_text())
    called = [
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    ]
    installs = sorted(name for name in called if name.startswith("install_"))
    assert installs == ["install_api", "install_control_plane", "install_toolkit"]
    admin_names = [names for m, names in _imports(ROOT / "app.py") if _under(m, ("bitel_mock.admin",))]
    assert admin_names == [["install_control_plane"]]


CONSUMERS_OF_THE_STORE = ("domain", "webhooks", "toolkit")
STORE_MODULES_FOR_CONSUMERS = (
    "bitel_mock.store.errors",
    "bitel_mock.store.generation",
    "bitel_mock.store.journal_filter",
    "bitel_mock.store.sms_base",  # the SMS part's own interface
)
"""What the domain, webhooks and toolkit may take from the store package: its errors, the
generation cache, the journal's filter value, and the SMS interface; each declares the rest of
what it needs of a store next to itself (`domain/storage.py`, `webhooks/storage.py`,
`toolkit/storage.py`)."""
WIRING = ("app.py", "cli.py", "emulator.py", "store/__init__.py", "store/url.py")
"""Where a whole store (every part's interface at once) is made and handed out."""


@pytest.mark.parametrize(
    "path", _files(*CONSUMERS_OF_THE_STORE), ids=lambda p: str(p.relative_to(ROOT))
)
def test_the_domain_webhooks_and_toolkit_declare_what_they_need_of_a_store(path: Path) -> None:
    taken = {m for m, _ in _imports(path) if _under(m, ("bitel_mock.store",))}
    assert taken <= set(STORE_MODULES_FOR_CONSUMERS)


@pytest.mark.parametrize("path", sorted(ROOT.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_wiring_takes_the_whole_store_interface(path: Path) -> None:
    whole = [
        m
        for m, names in _imports(path)
        if m == "bitel_mock.store.base" or (m == "bitel_mock.store" and "Store" in names)
    ]
    assert whole == [] or str(path.relative_to(ROOT)) in WIRING


def test_the_generation_cache_stands_on_nothing_of_the_emulator() -> None:
    taken = [m for m, _ in _imports(ROOT / "store" / "generation.py") if _under(m, ("bitel_mock",))]
    assert taken == []
