"""What `bitel-mock serve` prints when it starts: where it listens, and how its clock started."""

from __future__ import annotations

from datetime import UTC, datetime

from bitel_mock.dashboard.paths import PAGE_URL
from bitel_mock.domain.clock import ClockMode, ClockStart, StoreClock
from bitel_mock.settings import Settings
from bitel_mock.version import __version__

RESET_CLEARS = "POST /__admin/reset clears it"


def listening_line(settings: Settings, url: str, store_url: str, workers: int) -> str:
    """The first line: the version, the URL, and the settings a user most often asks about."""
    tokens = f"{len(settings.tokens)} configured" if settings.tokens else "any non-empty"
    return (
        f"bitel-mock {__version__} listening on {url} "
        f"(seed {settings.seed}, tokens: {tokens}, "
        f"server ids: {', '.join(sorted(settings.server_ids))}, "
        f"store {store_url}, workers {workers})"
    )


def dashboard_line(url: str) -> str:
    """Where a browser shows the emulator's traffic live (`url`: where it listens)."""
    return f"dashboard: {url}{PAGE_URL}"


def _offset_text(seconds: float) -> str:
    return f"{'+' if seconds >= 0 else '-'}{abs(seconds):g} s {'ahead' if seconds >= 0 else 'behind'}"


def clock_line(clock: StoreClock) -> str:
    """The clock's mode, its time (ISO and Unix seconds), and whether it came from the store."""
    now = int(clock.now())
    at = f"clock {clock.mode.value} at {datetime.fromtimestamp(now, UTC):%Y-%m-%dT%H:%M:%SZ} ({now})"
    if clock.mode is ClockMode.REAL:
        if clock.started is ClockStart.RESUMED:
            return f"{at}: {_offset_text(clock.offset())}, kept in the store; {RESET_CLEARS}"
        return f"{at}: the machine's time"
    if clock.started is ClockStart.GIVEN:
        return f"{at}: the given --start-time"
    if clock.started is ClockStart.RESUMED:
        return f"{at}: resumed from the store (--start-time starts elsewhere)"
    return f"{at}: started now, kept in the store (a restart resumes it)"
