"""The casework file's schema, applied on open (append migrations; never edit a shipped one).

Only codes, dates and asset ids are stored in the clear. A case reference is stored twice, both
unreadable without the key: encrypted (to show it back) and as a keyed hash (to find it).
CHECK constraints keep free text out even if a bug tried to write some.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assetmap.casework.codes import OUTCOMES, REASONS, ROLES

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "assetmap-casework"


def _in(column: str, codes: tuple[str, ...]) -> str:
    return f"CHECK ({column} IN ({', '.join(repr(c) for c in codes)}))"


def _build():
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)

    @migrations()
    def m001_introductions(db: Database) -> None:
        db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute(
            f"""CREATE TABLE introductions (
                pk INTEGER PRIMARY KEY,
                case_lookup BLOB NOT NULL CHECK (length(case_lookup) = 32),
                case_ref BLOB NOT NULL,
                asset_id TEXT NOT NULL CHECK (length(asset_id) <= 200),
                introduced_on TEXT NOT NULL CHECK (introduced_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
                went_with TEXT NOT NULL {_in("went_with", ROLES)},
                UNIQUE (case_lookup, asset_id, introduced_on))"""
        )
        db.execute("CREATE INDEX introductions_on ON introductions(introduced_on)")
        db.execute("CREATE INDEX introductions_asset ON introductions(asset_id)")
        db.execute(
            f"""CREATE TABLE follow_ups (
                intro_pk INTEGER NOT NULL REFERENCES introductions(pk) ON DELETE CASCADE,
                week INTEGER NOT NULL,
                due_on TEXT NOT NULL,
                outcome TEXT {_in("outcome", OUTCOMES)},
                reason TEXT {_in("reason", REASONS)},
                recorded_on TEXT,
                PRIMARY KEY (intro_pk, week))"""
        )
        db.execute("CREATE INDEX follow_ups_due ON follow_ups(due_on)")

    return migrations


SCHEMA_VERSION = 1


def apply(db: Database) -> None:
    _build().apply(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
