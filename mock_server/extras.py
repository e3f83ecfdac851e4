"""The distribution's optional parts (extras), and the one line that names a missing one.

The core install runs the emulator, the client, the contracts and the pytest
plugin. `bitel-mock verify` needs the `verify` extra (schemathesis and
hypothesis); a `redis://` store needs the `redis` extra.
"""

from __future__ import annotations

EXTRA_MODULES: dict[str, frozenset[str]] = {
    "verify": frozenset({"schemathesis", "hypothesis", "hypothesis_jsonschema"}),
    "redis": frozenset({"redis"}),
}
"""The top-level modules each extra installs that bitel-mock imports."""


class MissingExtra(Exception):
    """A feature needs an extra that is not installed (told in one line, exit status 2)."""

    def __init__(self, extra: str, feature: str) -> None:
        self.extra = extra
        super().__init__(
            f"{feature} needs the {extra} extra, which is not installed: "
            f"pip install 'bitel-mock[{extra}]'"
        )


def missing_extra(exc: ImportError, extra: str, feature: str) -> MissingExtra | None:
    """A MissingExtra when `exc` failed to import one of `extra`'s modules, else None."""
    top = (exc.name or "").partition(".")[0]
    return MissingExtra(extra, feature) if top in EXTRA_MODULES[extra] else None
