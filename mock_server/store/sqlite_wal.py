"""Keeping the SQLite store's write-ahead log small while it is written without pause.

SQLite's own checkpoints (after a commit that leaves the log over 1000 pages)
copy the log into the file but start the log over only at a moment when no
connection is reading it. Under a steady load the workers' threads are nearly
always reading, so the log never starts over: measured, a 12 s load of batches
of 100 numbers left a 577 MB log beside a 49 MB file, growing without end.

So every `CHECK_EVERY` writes of a process, the writer that made the last one
looks at the log's size; over `LIMIT_BYTES`, it runs a checkpoint that copies
what is left of the log and cuts it to nothing (`TRUNCATE`) if no connection is
reading the log at that moment. It does not wait for one: waiting held every
writer back (measured: throughput halved), and the next check comes soon. A
checkpoint that cannot finish (readers, a full disk) changes nothing: the
writes it follows are committed already.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from pathlib import Path

CHECK_EVERY = 64
"""Writes of one process between two looks at the log's size."""
LIMIT_BYTES = 16 * 1024 * 1024
"""The size of the log over which it is cut back."""


class WalKeeper:
    """Counts a store's writes in this process and, now and then, cuts its log back."""

    def __init__(
        self, path: Path, *, check_every: int = CHECK_EVERY, limit_bytes: int = LIMIT_BYTES
    ) -> None:
        self.wal_path = Path(f"{path}-wal")
        self.check_every = check_every
        self.limit_bytes = limit_bytes
        self._writes = itertools.count(1)  # thread-safe: its next() holds the GIL throughout

    def wrote(self, db: sqlite3.Connection) -> bool:
        """After a committed write on `db`: whether the log was cut back now."""
        if next(self._writes) % self.check_every:
            return False
        try:
            if os.stat(self.wal_path).st_size < self.limit_bytes:
                return False
        except OSError:
            return False
        return truncate(db)


def truncate(db: sqlite3.Connection) -> bool:
    """Copy the log into the file and cut it to nothing, without waiting for readers or
    writers; False when it could not (yet)."""
    try:  # sqlite3's own execute: not the store's, which would wait for a lock and try again
        busy, _, _ = sqlite3.Connection.execute(db, "PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.Error:
        return False
    return busy == 0
