"""Wrapping a store class so that its backend's trouble becomes `StoreUnavailable`, logged as
incidents, and a store that makes callers wait fails at once for a while.

`guarded(classify)` wraps every public method the class defines: an
exception that `classify` names (it returns a reason, else None) is raised
as `StoreUnavailable(reason)` from it; every `StoreUnavailable` is counted
in the instance's `incidents` (an `IncidentLog`), and a failure that waited
makes the instance's `breaker` (a `Breaker`) hold the next calls; a method
that returns tells the log it worked, which may end an incident. On success
the cost is a clock read and two attribute reads.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from bitel_mock.store.errors import StoreUnavailable

Classify = Callable[[BaseException], "str | None"]
StoreClass = TypeVar("StoreClass", bound=type)


def _guard(method: Callable[..., Any], classify: Classify) -> Callable[..., Any]:
    @functools.wraps(method)
    def guarded_method(self: Any, *args: Any, **kwargs: Any) -> Any:
        breaker = self.breaker
        try:
            if breaker.holding:
                breaker.check()
            started = breaker.monotonic()
            try:
                result = method(self, *args, **kwargs)
            except StoreUnavailable:
                raise
            except Exception as exc:
                reason = classify(exc)
                if reason is None:
                    raise
                error = StoreUnavailable(reason)
                breaker.failed(error, started)
                raise error from exc
        except StoreUnavailable as exc:
            self.incidents.failed(exc)
            raise
        if self.incidents.active:
            self.incidents.succeeded()
        return result

    return guarded_method


def _is_plain_method(name: str, member: object) -> bool:
    return (
        not name.startswith("_")
        and callable(member)
        and not isinstance(member, (staticmethod, classmethod, type))
    )


def guarded(classify: Classify) -> Callable[[StoreClass], StoreClass]:
    """Class decorator: every public method of the class raises `StoreUnavailable` for what
    `classify` recognises, and reports to `self.incidents` and `self.breaker`."""

    def decorate(cls: StoreClass) -> StoreClass:
        for name, member in list(vars(cls).items()):
            if _is_plain_method(name, member):
                setattr(cls, name, _guard(member, classify))
        return cls

    return decorate
