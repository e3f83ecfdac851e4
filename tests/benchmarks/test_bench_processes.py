"""`make bench`'s servers as processes: timed to their first answer, stopped as a group, and
weighed with every process below them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks import processes
from benchmarks.processes import StartFailed, descendants, free_port, start, stop, tree_rss_mib


@given(st.lists(st.integers(min_value=0), max_size=30), st.integers(min_value=0))
def test_descendants_are_the_root_and_everything_below_it(picks: list[int], which: int) -> None:
    # Process 2 + i has as parent one of the processes before it (1 is the first).
    parents = {2 + i: 1 + pick % (i + 1) for i, pick in enumerate(picks)}
    root = 1 + which % (len(picks) + 1)
    expected = {root}
    for pid in sorted(parents):  # parents come before their children
        if parents[pid] in expected:
            expected.add(pid)
    assert descendants(root, parents) == sorted(expected)


def test_a_leaf_has_only_itself() -> None:
    assert descendants(7, {7: 1, 8: 1}) == [7]


def test_a_server_is_timed_to_its_first_answer_and_stopped(tmp_path: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    started = start(command, f"http://127.0.0.1:{port}/", log=tmp_path / "log", cwd=tmp_path)
    try:
        assert started.process.poll() is None
        assert 0 < started.ready_seconds < processes.READY_WITHIN_SECONDS
    finally:
        stop(started.process)
    assert started.process.poll() is not None


def test_a_server_that_exits_is_reported_with_its_log(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "print('cannot bind'); raise SystemExit(3)"]
    with pytest.raises(StartFailed, match="exited with 3") as failed:
        start(command, f"http://127.0.0.1:{free_port()}/", log=tmp_path / "log", cwd=tmp_path)
    assert "cannot bind" in str(failed.value)


def test_memory_counts_the_children_of_a_process(tmp_path: Path) -> None:
    spawn_child = (
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", spawn_child], stdout=subprocess.PIPE, start_new_session=True
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        alone = _rss_mib(parent.pid)
        assert descendants(parent.pid, processes._parents()) == sorted([parent.pid, child])
        assert tree_rss_mib(parent.pid) >= alone + _rss_mib(child) * 0.9
    finally:
        stop(parent)
        if parent.stdout is not None:
            parent.stdout.close()


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for {pid}")
