"""The control plane's generation in SQLite: a row of `state`, bumped by triggers.

Every write that changes what workers keep of the control plane bumps the
generation in its own transaction. For the tables of scenario rules, fault
definitions and SMS templates the schema does it (triggers), so no write can
forget; using a fault (its hits, its remaining count) changes nothing kept,
unless it removes the fault. The run-time rate limit and webhook
configuration are rows of `state`, which every request writes (the call
counter): their writers add `BUMP` themselves rather than have a trigger
checked on every write of `state`.
"""

from __future__ import annotations

import sqlite3

from bitel_mock.store.generation import random_generation

BUMP = "UPDATE state SET value = value + 1 WHERE name = 'generation'"
"""A new generation (in the transaction of the change)."""

PULSE = (
    "SELECT (SELECT value FROM state WHERE name = 'generation'),"
    " (SELECT value FROM state WHERE name = 'clock_offset')"
)
"""The generation and the clock's offset, in one read."""


def add_generation(db: sqlite3.Connection) -> None:
    """Migration: the generation row, and the triggers that bump it (on the tables of rules,
    faults and templates)."""
    db.execute(
        "INSERT OR REPLACE INTO state (name, value) VALUES ('generation', ?)",
        (random_generation(),),
    )
    for table in ("scenarios", "sms_templates"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER {table}_{event.lower()}_generation AFTER {event} ON {table} BEGIN {BUMP}; END"
            )
    for event in ("INSERT", "DELETE"):
        db.execute(
            f"CREATE TRIGGER faults_{event.lower()}_generation AFTER {event} ON faults BEGIN {BUMP}; END"
        )
    db.execute(
        f"CREATE TRIGGER faults_update_generation AFTER UPDATE OF fault ON faults BEGIN {BUMP}; END"
    )
