"""Slow clients: connections that trickle their request headers one byte a second must not keep
a normal client waiting. Bounded: the tricklers stop after TRICKLE_SECONDS at most.

16 plain sockets send a status request's headers one byte a second (never finishing within the
section), and meanwhile a normal client reads a status every 0.5 s, each read on a fresh
connection with its own timeout. The target: every read answered 2xx within 1 s.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from benchmarks.wrk import AUTH

TRICKLERS = 16
BYTE_INTERVAL_SECONDS = 1.0
TRICKLE_SECONDS = 15.0
READS = 20
READ_INTERVAL_SECONDS = 0.5
READ_TIMEOUT_SECONDS = 5.0
TARGET_SECONDS = 1.0
_CONNECT_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class SlowClientsResult:
    latencies: tuple[float | None, ...]  # one per read; None: no 2xx answer within the timeout
    tricklers_connected: int

    @property
    def answered(self) -> int:
        return sum(latency is not None for latency in self.latencies)

    @property
    def within_target(self) -> int:
        return sum(latency is not None and latency <= TARGET_SECONDS for latency in self.latencies)

    @property
    def slowest(self) -> float | None:
        """The slowest answered read, or None when no read was answered."""
        answered = [latency for latency in self.latencies if latency is not None]
        return max(answered) if answered else None

    @property
    def met(self) -> bool:
        return self.within_target == len(self.latencies) > 0


def _trickle(
    host: str, port: int, head: bytes, connected: threading.Barrier, stop: threading.Event
) -> bool:
    """Send `head` one byte a second until `stop`; True if the connection was made."""
    try:
        connection = socket.create_connection((host, port), timeout=_CONNECT_TIMEOUT_SECONDS)
    except OSError:
        connected.abort()  # the section goes on without waiting for this one
        return False
    with connection:
        try:
            connection.sendall(head[:1])
        except OSError:
            return False
        finally:
            _arrive(connected)
        for index in range(1, len(head)):
            if stop.wait(BYTE_INTERVAL_SECONDS):
                break
            try:
                connection.sendall(head[index : index + 1])
            except OSError:
                break
    return True


def _arrive(barrier: threading.Barrier) -> None:
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait(timeout=_CONNECT_TIMEOUT_SECONDS)


def _read(url: str) -> float | None:
    started = time.monotonic()
    try:
        answer = requests.get(
            url,
            headers={"Authorization": AUTH, "Connection": "close"},
            timeout=READ_TIMEOUT_SECONDS,
        )
    except requests.RequestException:
        return None
    return time.monotonic() - started if answer.ok else None


def run(base_url: str, status_path: str) -> SlowClientsResult:
    """Trickle TRICKLERS connections while READS status reads go out, one every 0.5 s."""
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    head = (
        f"GET {status_path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Authorization: {AUTH}\r\nUser-Agent: bench-trickler\r\n\r\n"
    ).encode()
    stop = threading.Event()
    connected = threading.Barrier(TRICKLERS + 1)
    bound = threading.Timer(TRICKLE_SECONDS, stop.set)  # the tricklers' hard stop
    bound.start()
    try:
        with (
            ThreadPoolExecutor(TRICKLERS, thread_name_prefix="trickler") as tricklers,
            ThreadPoolExecutor(READS, thread_name_prefix="reader") as readers,
        ):
            trickling = [
                tricklers.submit(_trickle, host, port, head, connected, stop)
                for _ in range(TRICKLERS)
            ]
            _arrive(connected)  # every trickler has sent its first byte (or failed to connect)
            reads = []
            first = time.monotonic()
            for index in range(READS):
                # the pace of the reads is the workload itself, not a wait for something
                time.sleep(max(0.0, first + index * READ_INTERVAL_SECONDS - time.monotonic()))
                reads.append(readers.submit(_read, base_url + status_path))
            latencies = tuple(read.result() for read in reads)
            stop.set()
            made = sum(trickler.result() for trickler in trickling)
    finally:
        stop.set()
        bound.cancel()
    return SlowClientsResult(latencies, made)
