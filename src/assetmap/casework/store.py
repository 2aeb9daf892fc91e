"""The casework file: a private SQLite file beside the catalogue (or at $ASSETMAP_CASEWORK),
never inside it, so the catalogue can be shared, published or backed up without person data.

Created 0600 whatever the umask and refused when others can read it. Rollback journal, not WAL
(journal files take the file's mode and are deleted at commit), and secure_delete, so that
deleted records are overwritten; purge and forget also VACUUM.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assetmap.casework import migrations
from assetmap.casework.files import check_private, make_private
from assetmap.errors import CaseworkError, counted

BUSY_TIMEOUT_S = 60.0
_SQLITE_MAGIC = b"SQLite format 3\x00"
WHAT = "casework file"


class Casework:
    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is written, or none."""
        from assetmap.catalogue.locking import begin_immediate

        try:
            begin_immediate(self.conn, BUSY_TIMEOUT_S)
        except sqlite3.OperationalError as exc:
            raise _error(self.path, exc) from None
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise _error(self.path, exc) from None

    def meta(self, name: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM introductions").fetchone()[0]

    def vacuum(self) -> None:
        """Rewrite the file without free pages, so deleted records leave no trace in it."""
        try:
            self.conn.execute("VACUUM")
        except sqlite3.OperationalError as exc:
            raise _error(self.path, exc) from None

    def backup(self, target: Path) -> None:
        """A consistent copy, mode 0600, written beside the target and moved into place. The
        temp file is named so that the next run into that folder removes it if this process is
        killed: a stray copy of casework is person data that forget and purge cannot reach."""
        from assetmap import tempfiles

        target = target.expanduser().resolve()
        if not target.parent.is_dir():
            raise CaseworkError(f"the directory {target.parent} does not exist")
        fd, tmp = tempfiles.create(target.parent, "casework", private=True)
        try:
            make_private(fd)
            os.close(fd)
            dest = sqlite3.connect(tmp)
            try:
                with dest:
                    self.conn.backup(dest)
            finally:
                dest.close()
            tempfiles.replace(tmp, target, private=True)
        except BaseException:
            tempfiles.remove(tmp)
            raise

    def close(self) -> None:
        self.conn.close()


def open_casework(path: Path, *, catalogue: Path, create: bool) -> Casework | None:
    """Open the casework file (None when it does not exist and `create` is false)."""
    if path.exists() and catalogue.exists() and path.samefile(catalogue):
        raise CaseworkError(
            f"the casework file cannot be the catalogue ({path}); point ASSETMAP_CASEWORK at "
            "another file"
        )
    if path.is_dir():
        raise CaseworkError(f"{path} is a directory; point ASSETMAP_CASEWORK at a file in it")
    if not path.exists():
        if not create:
            return None
        _create(path)
    check_private(path, WHAT)
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise CaseworkError(f"could not read the {WHAT} {path}: {exc.strerror}") from None
    if header and header != _SQLITE_MAGIC:
        raise CaseworkError(
            f"{path} is not an assetmap casework file; check ASSETMAP_CASEWORK, or restore the "
            "file from its backup (backup --casework)"
        )
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise _error(path, exc) from None
    cw = Casework(path, conn)
    if version != migrations.SCHEMA_VERSION:
        try:
            _migrate(cw, version)
        except BaseException as exc:
            conn.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise _error(path, exc) from None
            raise
    return cw


def _create(path: Path) -> None:
    if not path.parent.is_dir():
        raise CaseworkError(
            f"the directory {path.parent} does not exist; create it or set ASSETMAP_CASEWORK"
        )
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it a moment ago
    except OSError as exc:
        raise CaseworkError(f"could not create the {WHAT} {path}: {exc.strerror}") from None
    try:
        make_private(fd)
    finally:
        os.close(fd)


def _migrate(cw: Casework, version: int) -> None:
    from sqlite_utils import Database

    tables = {r[0] for r in cw.conn.execute("SELECT name FROM sqlite_master")}
    if "assets" in tables:
        raise CaseworkError(
            f"{cw.path} is an assetmap catalogue, not a casework file; casework never goes "
            "inside a catalogue: point ASSETMAP_CASEWORK at another file"
        )
    if version > migrations.SCHEMA_VERSION:
        raise CaseworkError(
            f"{cw.path} was written by a newer assetmap (casework schema {version}); upgrade "
            "assetmap to use it"
        )
    with cw.transaction() as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == migrations.SCHEMA_VERSION:
            return  # another process migrated it meanwhile
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if tables and "_sqlite_migrations" not in tables:
            raise CaseworkError(
                f"{cw.path} is an SQLite file of another program, not an assetmap casework "
                "file; check ASSETMAP_CASEWORK"
            )
        migrations.apply(Database(conn))


def _error(path: Path, exc: sqlite3.Error) -> CaseworkError:
    msg = str(exc)
    if "locked" in msg or "busy" in msg:
        return CaseworkError(
            f"the {WHAT} {path} stayed busy for {BUSY_TIMEOUT_S:.0f} s; another assetmap job is "
            "writing to it: try again when it has finished"
        )
    if "readonly" in msg or "read-only" in msg:
        return CaseworkError(f"the {WHAT} {path} is read-only; check its permissions")
    if "not a database" in msg or "malformed" in msg:
        return CaseworkError(
            f"the {WHAT} {path} is damaged ({msg}); restore it from a backup (backup --casework)"
        )
    return CaseworkError(f"could not use the {WHAT} {path}: {msg}")


def open_for(db: str | None, *, create: bool) -> Casework | None:
    """The casework file that goes with the catalogue chosen by --db / $ASSETMAP_DB."""
    from assetmap import config

    catalogue, _ = config.resolve_db_path(db)
    return open_casework(config.casework_path(catalogue), catalogue=catalogue, create=create)


def backup_casework(db: str | None, target: Path) -> str:
    """`backup --casework`: copy the casework file deliberately; say what was copied."""
    from assetmap import config

    cw = open_for(db, create=False)
    if cw is None:
        catalogue, _ = config.resolve_db_path(db)
        raise CaseworkError(f"there is no casework file at {config.casework_path(catalogue)}")
    try:
        cw.backup(target)
        n = cw.count()
    finally:
        cw.close()
    return (
        f"backup: {counted(n, 'introduction')} copied to {target} (mode 0600); the key is not in it: keep "
        f"a copy of {config.casework_key_path()} somewhere else"
    )
