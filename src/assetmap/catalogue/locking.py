"""Taking SQLite's write lock in a way Ctrl-C can stop.

SQLite's own busy handler sleeps inside C for up to the whole busy timeout (60 s), where
Python cannot run its signal handler: Ctrl-C on a command waiting for another writer (a cron
import) was honoured only when the wait ended. Here the waits are Python sleeps, which a signal
ends at once, between tries of BEGIN IMMEDIATE with SQLite's busy timeout off."""

from __future__ import annotations

import sqlite3
import time

FIRST_WAIT_S, LONGEST_WAIT_S = 0.001, 0.05


def begin_immediate(conn: sqlite3.Connection, timeout_s: float) -> None:
    """BEGIN IMMEDIATE, waiting up to `timeout_s` for another writer; raises SQLite's
    'database is locked' error when it does not finish in time."""
    deadline = time.monotonic() + timeout_s
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        wait = FIRST_WAIT_S
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")  # at once when nobody else is writing
                return
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(wait)  # Ctrl-C ends the sleep, and its handler runs
            wait = min(wait * 2, LONGEST_WAIT_S)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")


def _busy(exc: sqlite3.OperationalError) -> bool:
    msg = str(exc)
    return "locked" in msg or "busy" in msg
