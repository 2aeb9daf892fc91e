"""What an SQLite error means, as one line that says what to do: at open, on a write and at
the CLI's edge."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from assetmap.errors import CatalogueError

# How long a writer waits for another one before it gives up (and write_error says so).
BUSY_TIMEOUT_S = 60.0


def explain_sqlite_error(path, exc: sqlite3.Error) -> CatalogueError:
    """An SQLite error as one line that says what to do (used at open and at the CLI edge)."""
    msg = str(exc)
    if "not a database" in msg or "malformed" in msg:
        return CatalogueError(
            f"{path} is damaged or not an assetmap catalogue ({msg}); restore it from a backup "
            "or choose another --db"
        )
    if "unable to open" in msg:
        return CatalogueError(
            f"could not open the catalogue {path}; check the path and permissions"
        )
    return write_error(path, exc)


def write_error(path: Path, exc: sqlite3.Error) -> CatalogueError:
    msg = str(exc)
    if "readonly" in msg or "read-only" in msg:
        return CatalogueError(
            f"the catalogue {path} is read-only (--read-only, or the file or its folder is not "
            "writable); drop --read-only, use a writable copy (--db) or fix its permissions"
        )
    if "locked" in msg or "busy" in msg:
        return CatalogueError(
            f"the catalogue {path} stayed busy for {BUSY_TIMEOUT_S:.0f} s; another assetmap job "
            "is writing to it: try again when it has finished"
        )
    return CatalogueError(f"could not write to the catalogue {path}: {msg}{disk_hint(msg)}")


def _full(msg: str) -> bool:
    return "full" in msg or "disk I/O error" in msg


def disk_hint(msg: str) -> str:
    """What a write error most likely means, and that a failed write changed nothing."""
    if not _full(msg):
        return ""
    import resource

    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit != resource.RLIM_INFINITY:
        why = f"files may not grow past {limit // 1024} KiB here (ulimit -f): raise the limit"
    elif "full" in msg:
        why = "free some space on its disk"
    else:
        why = "check the disk"
    return f"; {why} and run it again (the catalogue is as it was)"
