"""Opening the catalogue file: checks that it is one (or can be made), connects, and creates,
migrates and seeds it as needed. The file is never modified when it cannot be used."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from assetmap.catalogue import migrations
from assetmap.catalogue.sqlite_errors import BUSY_TIMEOUT_S, explain_sqlite_error, write_error
from assetmap.catalogue.store import Catalogue
from assetmap.errors import CatalogueError

_SQLITE_MAGIC = b"SQLite format 3\x00"


def _connect(path: Path, *, read_only: bool, immutable: bool = False) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rwc'}"
    if immutable:
        uri += "&immutable=1"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _check_file(path: Path, named: bool) -> bool:
    """Validate the location; return True when the catalogue file already has content."""
    parent = path.parent
    if path.is_dir():
        raise CatalogueError(
            f"{path} is a directory; give --db a file name such as {path}/assets.db"
        )
    if not parent.exists():
        if named:
            raise CatalogueError(
                f"the directory {parent} does not exist; create it first or choose another --db"
            )
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CatalogueError(f"could not create {parent}: {exc.strerror}") from None
    if not path.exists():
        if not os.access(parent, os.W_OK):
            raise CatalogueError(
                f"there is no catalogue at {path}, and its folder cannot be written to make one "
                "(read-only media or permissions); choose another --db"
            )
        return False
    if path.stat().st_size == 0:
        raise CatalogueError(
            f"{path} is an empty file (0 bytes), not an assetmap catalogue; delete it to make a "
            "new catalogue there, or choose another --db"
        )
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise CatalogueError(f"could not read the catalogue {path}: {exc.strerror}") from None
    if header != _SQLITE_MAGIC:
        raise CatalogueError(
            f"{path} is not an assetmap catalogue (not an SQLite file); choose another --db"
        )
    return True


def _read_only_media(path: Path) -> tuple[bool, str | None]:
    """(open immutable?, what to tell the user) for a catalogue whose folder cannot be written.

    In WAL mode SQLite keeps `-wal` and `-shm` files beside the catalogue, and a reader must be
    able to create them. On read-only media it cannot: if they are there (copied with the file),
    SQLite reads through them; if not, the file is opened immutable: read as it is, with no
    locks, which is right for media nobody writes to.
    """
    if os.access(path.parent, os.W_OK):
        return False, None
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    immutable = not (wal.exists() and shm.exists())
    how = "as it is (immutable)" if immutable else "with its -wal and -shm files"
    return immutable, (
        f"the catalogue's folder {path.parent} cannot be written (read-only media): reading "
        f"{path.name} {how}; changes are refused"
    )


def open_catalogue(
    path: Path,
    *,
    named: bool = True,
    seed: bool = True,
    examples: bool = True,
    read_only: bool = False,
) -> Catalogue:
    """Open (creating, migrating and seeding as needed) the catalogue at `path`.

    The file is never modified when it cannot be used: a non-SQLite file, a catalogue written
    by a newer assetmap, or an SQLite database of some other program are refused.
    """
    exists = _check_file(path, named)
    if read_only and not exists:
        raise CatalogueError(f"there is no catalogue at {path} to open read-only")
    immutable, notice = _read_only_media(path) if exists else (False, None)
    read_only = read_only or notice is not None
    try:
        conn = _connect(path, read_only=read_only, immutable=immutable)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise explain_sqlite_error(path, exc) from None
    if version == migrations.SCHEMA_VERSION:
        cat = Catalogue(path, conn)
        cat.notice = notice
        return cat
    if version > migrations.SCHEMA_VERSION:
        conn.close()
        raise CatalogueError(
            f"{path} was written by a newer assetmap (schema {version}; this one reads up to "
            f"{migrations.SCHEMA_VERSION}); upgrade assetmap to use it"
        )
    if read_only:
        conn.close()
        fix = (
            "copy it somewhere writable and open it there"
            if notice
            else "open it once without --read-only"
        )
        raise CatalogueError(f"{path} needs upgrading to this assetmap's schema; {fix}")
    cat = Catalogue(path, conn)
    try:
        _migrate(cat, exists=exists, seeded=seed, examples=examples)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise explain_sqlite_error(path, exc) from None
    return cat


def _migrate(cat: Catalogue, *, exists: bool, seeded: bool, examples: bool = True) -> None:
    from sqlite_utils import Database

    conn = cat.conn
    if exists and not _is_ours(conn):
        conn.close()
        raise CatalogueError(
            f"{cat.path} is an SQLite database of another program, not an assetmap catalogue; "
            "choose another --db"
        )
    if not conn.in_transaction:
        # WAL lets practitioners read while a cron job writes. It must be set outside a
        # transaction; it persists in the file.
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            raise write_error(cat.path, exc) from None
    with cat.transaction():
        # Re-read inside the write lock: another process may have migrated meanwhile.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == migrations.SCHEMA_VERSION:
            return
        fresh = not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'assets'").fetchone()
        migrations.apply(Database(conn))
        if fresh:
            cat.created = True
            if seeded:
                from assetmap.catalogue import seed

                cat.seeded_by = seed.load(cat, seed.default_names(examples=examples))
                cat.seeded = sum(cat.seeded_by.values())


def _is_ours(conn: sqlite3.Connection) -> bool:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not names:
        return True
    if "_sqlite_migrations" not in names:
        return False
    return bool(
        conn.execute(
            "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ?", (migrations.MIGRATION_SET,)
        ).fetchone()
    )
