"""The catalogue: one SQLite file of assets, and what reads and writes it (the Catalogue).
Opening it (checks, creation, migration) is catalogue/opening.py; what an SQLite error means
to the user is catalogue/sqlite_errors.py.

Plain sqlite3 on the query path. Every write happens inside `transaction()`: BEGIN IMMEDIATE ... COMMIT, so a crash or a
kill leaves the file as it was, and a second writer waits (busy timeout) instead of failing.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, cast

from assetmap.catalogue.sqlite_errors import disk_hint, write_error
from assetmap.errors import CatalogueError, InvalidValue, NotFound

if TYPE_CHECKING:
    from assetmap.catalogue.models import Asset
# assetmap.catalogue.models (the validators) is imported where an Asset is made or stored, not here:
# a search reads rows and never needs it, and importing it costs start-up time.

BULK_CACHE_KIB = -65536  # negative: KiB, as SQLite's cache_size takes it
# The most ids an ambiguous ref lists as choices.
CHOICES = 8


def _now() -> str:
    # Microseconds: an import tells the rows it wrote itself from earlier ones by this stamp.
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class WriteCounts:
    __slots__ = ("added", "updated", "unchanged")

    def __init__(self) -> None:
        self.added = self.updated = self.unchanged = 0


class Catalogue:
    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn
        self.created = False
        self.seeded = 0
        self.seeded_by: dict[str, int] = {}  # bundled source -> assets loaded at creation
        self.index_rebuild_s: float | None = None  # set by bulk_load
        self.notice: str | None = None  # said once when opened (read-only media)

    # -- transactions -------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested calls join the outer one."""
        if self.conn.in_transaction:
            yield self.conn
            return
        from assetmap.catalogue.locking import begin_immediate
        from assetmap.catalogue.sqlite_errors import BUSY_TIMEOUT_S

        try:
            begin_immediate(self.conn, BUSY_TIMEOUT_S)
        except sqlite3.OperationalError as exc:
            raise write_error(self.path, exc) from None
        try:
            yield self.conn
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._rollback()
            raise write_error(self.path, exc) from None

    def _rollback(self) -> None:
        # SQLite rolls back by itself on some errors (a full disk, an I/O error): a second
        # ROLLBACK would then fail and hide the error that matters.
        if self.conn.in_transaction:
            # The first error is the one to report; the journal undoes the rest.
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()

    # -- vocabularies -------------------------------------------------------------------
    def categories(self) -> dict[str, str]:
        """lower-case name -> name as stored."""
        rows = self.conn.execute("SELECT name FROM categories ORDER BY name").fetchall()
        return {r[0].lower(): r[0] for r in rows}

    def category_named(self, text: str, option: str = "--category") -> str:
        """The category a filter names, as stored; a name not in the vocabulary is an error
        (a typo would otherwise filter everything out, silently)."""
        categories = self.categories()
        key = " ".join(text.lower().split())
        if key in categories:
            return categories[key]
        hint = _did_you_mean(key, categories)
        raise InvalidValue(
            f"{option}: '{text}' is not a category; {hint}`assetmap categories` lists them"
        )

    def area_named(self, text: str) -> str:
        """An --area filter, checked: an area no asset has is an error naming the nearest
        ones (a typo in a cron line would otherwise mail an empty list every week)."""
        area = " ".join(text.split())
        sql = "SELECT 1 FROM assets WHERE area = ? COLLATE NOCASE LIMIT 1"
        if self.conn.execute(sql, (area,)).fetchone():
            return area
        areas = [r[0] for r in self.conn.execute("SELECT DISTINCT area FROM assets")]
        hint = _did_you_mean(area.lower(), {a.lower(): a for a in areas if a})
        raise InvalidValue(
            f"--area: no asset has the area '{text}'; {hint}`assetmap stats` lists the areas"
        )

    def source_named(self, text: str) -> str:
        """A --source filter, checked like --area."""
        name = " ".join(text.split())
        names = [r[0] for r in self.conn.execute("SELECT name FROM sources ORDER BY name")]
        if name in names:
            return name
        hint = _did_you_mean(name, {n: n for n in names})
        raise InvalidValue(
            f"--source: no source named '{text}'; {hint}`assetmap sources` lists them"
        )

    def checked_filters(self, *, category=None, status=None, area=None, **filters) -> dict:
        """list()'s and export's filters, with the category, status and area checked and as
        stored."""
        from assetmap.catalogue.vocab import EMPTY_TAG, STATUS, one_of

        if category is not None:
            category = self.category_named(category)
        if status is not None:
            [status] = one_of([status], STATUS, "--status")
        if area is not None:
            area = self.area_named(area)
        if filters.get("tag") is not None and not filters["tag"].strip():
            raise InvalidValue(EMPTY_TAG)
        return {"category": category, "status": status, "area": area, **filters}

    def category_counts(self) -> list[tuple[str, int]]:
        return self.conn.execute(
            "SELECT c.name, count(a.pk) FROM categories c "
            "LEFT JOIN assets a ON a.category = c.name GROUP BY c.name ORDER BY c.name"
        ).fetchall()

    def add_category(self, name: str) -> str:
        clean = " ".join(name.split()).lower()
        if not clean:
            raise InvalidValue("a category needs a name")
        if clean in self.categories():
            raise InvalidValue(f"category '{clean}' already exists")
        with self.transaction() as conn:
            conn.execute("INSERT INTO categories(name) VALUES (?)", (clean,))
        return clean

    # -- reading ------------------------------------------------------------------------
    def get(self, asset_id: str) -> Asset:
        row = self.conn.execute("SELECT * FROM assets WHERE id = ?", (asset_id,)).fetchone()
        if row is None:
            raise NotFound(f"no asset with id '{asset_id}'; `assetmap list` shows the ids")
        return asset_from_db(row)

    def find(self, ref: str, *, missing_ok: bool = False) -> Asset | None:
        """An asset by its id or by a unique start of it (the short `ref` that near and search
        print), so a practitioner copies a few words rather than a long id: every command that
        takes an id uses this. A start several ids share is an error listing them with their
        names (up to CHOICES), on one line; with missing_ok, a ref that names no asset gives None."""
        ref = ref.strip()
        row = self.conn.execute("SELECT * FROM assets WHERE id = ?", (ref,)).fetchone()
        if row is not None:
            return asset_from_db(row)
        ids = self._ids_starting(ref, CHOICES + 1) if ref else []
        if len(ids) == 1:
            return self.get(ids[0])
        if ids:
            shown = ids[:CHOICES]
            names = dict(
                self.conn.execute(
                    f"SELECT id, name FROM assets WHERE id IN ({','.join('?' * len(shown))})",
                    shown,
                ).fetchall()
            )
            choices = ", ".join(f"{i} ({names.get(i, '')})" for i in shown)
            more = f", and more starting '{ref}'" if len(ids) > CHOICES else ""
            raise NotFound(
                f"'{ref}' is the start of several ids: {choices}{more}; give more of the id"
            )
        if missing_ok:
            return None
        raise NotFound(f"no asset with id '{ref}'; `assetmap list` shows the ids")

    def short_refs(self, ids: list[str], longest: int = 20) -> dict[str, str]:
        """For each id, a short start of it that names no other asset: whole words where that
        is short enough ('puregym-altrincham' for 'puregym-altrincham-wa14-1ej'), else the
        fewest characters ('longford-park-s'), never longer than the id. One indexed range
        query per try, so it costs the same on a million assets."""
        refs = {}
        for asset_id in ids:
            parts = asset_id.split("-")
            words = ["-".join(parts[:n]) for n in range(1, len(parts))]
            tries = [w for w in words if len(w) <= longest]
            start = len(tries[-1]) + 1 if tries else 3
            tries += [asset_id[:n] for n in range(start, len(asset_id)) if asset_id[n - 1] != "-"]
            # The one id a ref names must be this one: an id no longer in the catalogue (an
            # introduction's asset, removed since) keeps its whole id, never another's ref.
            refs[asset_id] = next(
                (p for p in tries if self._ids_starting(p, 2) == [asset_id]), asset_id
            )
        return refs

    def _ids_starting(self, prefix: str, limit: int) -> list[str]:
        # Ids are letters, digits, '.', '_' and '-', so every id that starts with `prefix`
        # sorts in [prefix, prefix + U+FFFF): a range scan on the id's unique index.
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM assets WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
                (prefix, prefix + "\uffff", limit),
            )
        ]

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM assets").fetchone()[0]

    def list(
        self,
        *,
        category: str | None = None,
        tag: str | None = None,
        area: str | None = None,
        status: str | None = None,
        limit: int | None = None,
    ) -> list[Asset]:
        where, params = _list_where(category=category, tag=tag, area=area, status=status)
        sql = "SELECT * FROM assets"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY name COLLATE NOCASE, id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [asset_from_db(r) for r in self.conn.execute(sql, params)]

    def iter_assets(self, **filters) -> Iterator[Asset]:
        """Every asset (or those matching list()'s filters), by id, streamed."""
        where, params = _list_where(**filters)
        sql = "SELECT * FROM assets" + (" WHERE " + " AND ".join(where) if where else "")
        for row in self.conn.execute(sql + " ORDER BY id", params):
            yield asset_from_db(row)

    def import_lookup(self, asset: Asset, since: str) -> tuple[builtins.list[str], bool, bool]:
        """For an import, in one query: ids of assets with the same match key, whether
        asset.id exists, and whether that id was written at or after `since`."""
        from assetmap.catalogue.models import match_key

        key = match_key(asset.name, asset.postcode, asset.lat, asset.lon)
        rows = self.conn.execute(
            "SELECT id, match_key, updated_at FROM assets WHERE id = ? OR match_key = ? ORDER BY id",
            (asset.id, key),
        ).fetchall()
        same_key = [r[0] for r in rows if r[1] == key]
        mine = [r for r in rows if r[0] == asset.id]
        return same_key, bool(mine), bool(mine) and mine[0][2] >= since

    def iter_columns(self, columns: builtins.list[str], **filters) -> Iterator[tuple]:
        """Raw stored values of `columns` (lists as ';'-joined text), by id, streamed: the
        fast path for CSV export, which needs no Asset objects."""
        where, params = _list_where(**filters)
        sql = f"SELECT {', '.join(columns)} FROM assets"
        sql += (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        cur = self.conn.cursor()
        cur.row_factory = None
        yield from cur.execute(sql, params)

    # -- writing ------------------------------------------------------------------------
    def insert(self, asset: Asset) -> None:
        if self.conn.execute("SELECT 1 FROM assets WHERE id = ?", (asset.id,)).fetchone():
            raise InvalidValue(
                f"an asset with id '{asset.id}' already exists; "
                f"change it with `assetmap edit {asset.id}` or give another --id"
            )
        self.write([asset])

    def add_batch(
        self, assets: builtins.list[Asset], by_key: builtins.list[bool]
    ) -> builtins.list[Asset]:
        """Insert, in one statement, the assets that are surely new; return the rest for the
        caller's careful path: ids already taken (in the catalogue or earlier in the batch)
        and, where by_key says the row had no id of its own, a name and postcode already
        there. For imports into an empty catalogue, inside bulk_load(), which derives the
        sessions at the end."""
        from assetmap.catalogue.models import match_key

        keys = [match_key(a.name, a.postcode, a.lat, a.lon) for a in assets]
        taken_ids = self._existing("id", [a.id for a in assets])
        taken_keys = self._existing(
            "match_key", [k for k, b in zip(keys, by_key, strict=True) if b]
        )
        fresh, rest = [], []
        for asset, key, match in zip(assets, keys, by_key, strict=True):
            if asset.id in taken_ids or (match and key in taken_keys):
                rest.append(asset)
            else:
                taken_ids.add(asset.id)
                taken_keys.add(key)
                fresh.append((asset, key))
        now = _now()
        cols = [*_stored_layout()[0], "created_at", "updated_at"]
        with self.transaction() as conn:
            conn.executemany(
                f"INSERT INTO assets ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                [[*_stored_values(a, key), now, now] for a, key in fresh],
            )
        return rest

    def _existing(self, column: str, values: builtins.list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(values), 500):
            part = values[i : i + 500]
            sql = f"SELECT {column} FROM assets WHERE {column} IN ({', '.join('?' * len(part))})"
            found.update(r[0] for r in self.conn.execute(sql, part))
        return found

    def rebuild_sessions(self) -> None:
        """Re-derive every asset's weekly sessions from its schedule (after a bulk load)."""
        from assetmap.catalogue import schedule

        with self.transaction() as conn:
            conn.execute("DELETE FROM sessions")
            reader = self.conn.cursor()
            reader.execute("SELECT pk, schedule FROM assets WHERE schedule != ''")
            while rows := reader.fetchmany(10_000):
                conn.executemany(
                    'INSERT INTO sessions(asset_pk, day, start, "end") VALUES (?, ?, ?, ?)',
                    [
                        (pk, s.day, s.start, s.end)
                        for pk, text in rows
                        for s in schedule.parse(text)
                    ],
                )

    def lookalikes(self) -> builtins.list[str]:
        """Groups of ids that share a match key (same normalised name and postcode)."""
        rows = self.conn.execute(
            "SELECT group_concat(id, ', ') FROM (SELECT id, match_key FROM assets ORDER BY id) "
            "GROUP BY match_key HAVING count(*) > 1"
        )
        return [r[0] for r in rows]

    def write(self, assets: Iterable[Asset]) -> WriteCounts:
        """Insert or update by id, in one transaction. Unchanged records are not touched
        (their updated_at stays), so re-importing the same data changes nothing."""
        counts = WriteCounts()
        with self.transaction() as conn:
            for asset in assets:
                values = _db_values(asset)
                row = conn.execute("SELECT * FROM assets WHERE id = ?", (asset.id,)).fetchone()
                now = _now()
                if row is None:
                    cols = [*values, "created_at", "updated_at"]
                    cur = conn.execute(
                        f"INSERT INTO assets ({', '.join(cols)}) "
                        f"VALUES ({', '.join('?' * len(cols))})",
                        [*values.values(), now, now],
                    )
                    _write_sessions(conn, cast(int, cur.lastrowid), asset, new=True)
                    counts.added += 1
                elif _keep_precision(row, asset, values) or any(
                    row[k] != v for k, v in values.items()
                ):
                    sets = ", ".join(f"{k} = ?" for k in values)
                    conn.execute(
                        f"UPDATE assets SET {sets}, updated_at = ? WHERE pk = ?",
                        [*values.values(), now, row["pk"]],
                    )
                    if row["schedule"] != asset.schedule:
                        _write_sessions(conn, row["pk"], asset)
                    counts.updated += 1
                else:
                    counts.unchanged += 1
        return counts

    def missing_coordinates(self) -> builtins.list[Asset]:
        rows = self.conn.execute("SELECT * FROM assets WHERE lat IS NULL ORDER BY id")
        return [asset_from_db(r) for r in rows]

    # -- online geocoder cache ----------------------------------------------------------
    def geocode_cache_get(self, key: str):
        return self.conn.execute("SELECT * FROM geocode_cache WHERE key = ?", (key,)).fetchone()

    def geocode_cache_put(self, key, geocoder, lat, lon, radius_km, label) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO geocode_cache VALUES (?, ?, ?, ?, ?, ?, ?)",
                (key, geocoder, lat, lon, radius_km, label or "", _now()),
            )

    def backup(self, target: Path) -> None:
        """A consistent copy made with SQLite's backup API while others keep using the
        catalogue; written beside the target and moved into place, so never half a file."""
        import os

        from assetmap import tempfiles

        shown = target
        target = target.expanduser().resolve()
        if not target.parent.is_dir():
            raise CatalogueError(f"the directory {target.parent} does not exist")
        try:
            fd, tmp = tempfiles.create(target.parent, "backup")
        except OSError as exc:
            raise CatalogueError(f"could not write the backup {shown}: {exc.strerror}") from None
        os.close(fd)
        dest = None
        try:
            dest = sqlite3.connect(tmp)
            self.conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
            dest.close()
            dest = None
            tempfiles.replace(tmp, target)
        except BaseException as exc:
            if dest is not None:
                with contextlib.suppress(sqlite3.Error):
                    dest.close()
            tempfiles.remove(tmp)
            if isinstance(exc, sqlite3.Error | OSError):
                # The copy failed, not the catalogue: name the target, and say why.
                why = str(exc) if isinstance(exc, sqlite3.Error) else exc.strerror or str(exc)
                hint = disk_hint(why).replace("the catalogue is as it was", "nothing was written")
                raise CatalogueError(f"could not write the backup {shown}: {why}{hint}") from None
            raise

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Inside a transaction: stop maintaining the search indexes (R*Tree, full text) row
        by row, and rebuild them and the weekly sessions in one pass at the end (several times
        faster for a large import into an empty catalogue). Being inside the transaction, a
        failure or kill restores the triggers too."""
        assert self.conn.in_transaction
        triggers = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'assets' "
            "AND (name LIKE 'assets_rtree_%' OR name LIKE 'assets_fts_%')"
        ).fetchall()
        for name, _sql in triggers:
            self.conn.execute(f'DROP TRIGGER "{name}"')
        yield
        import time

        start = time.perf_counter()
        # A bigger page cache while the R*Tree is built: measured 28 s -> 15 s at 1M rows.
        # Bounded (64 MiB), so memory still does not grow with the file.
        old_cache = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
        self.conn.execute("DELETE FROM assets_rtree")
        self.conn.execute(
            "INSERT INTO assets_rtree SELECT pk, lat, lat, lon, lon FROM assets WHERE lat IS NOT NULL"
        )
        self.conn.execute("INSERT INTO assets_fts(assets_fts) VALUES ('rebuild')")
        self.rebuild_sessions()
        for _name, sql in triggers:
            self.conn.execute(sql)
        self.conn.execute(f"PRAGMA cache_size = {old_cache}")
        self.index_rebuild_s = time.perf_counter() - start

    def remove(self, asset_id: str) -> None:
        self.get(asset_id)
        with self.transaction() as conn:
            conn.execute("DELETE FROM assets WHERE id = ?", (asset_id,))


def _list_where(*, category=None, tag=None, area=None, status=None) -> tuple[list[str], list]:
    """WHERE clauses (parameterised) for list/export filters."""
    where, params = [], []
    if category:
        where.append("category = ? COLLATE NOCASE")
        params.append(" ".join(category.split()))
    if tag:
        where.append("(';' || tags || ';') LIKE ?")
        params.append(f"%;{' '.join(tag.split()).lower()};%")
    if area:
        where.append("area = ? COLLATE NOCASE")
        params.append(area.strip())
    if status:
        where.append("status = ?")
        params.append(status)
    return where, params


@cache
def _stored_layout() -> tuple[list[str], attrgetter, list[int]]:
    """The assets columns an Asset fills (its fields, then match_key), a getter of the fields
    in that order (one call in C: this runs for every imported row), and where the list
    fields are."""
    from assetmap.catalogue.models import ASSET_FIELDS

    lists_at = [ASSET_FIELDS.index(name) for name in ("tags", "capital")]
    return [*ASSET_FIELDS, "match_key"], attrgetter(*ASSET_FIELDS), lists_at


def _stored_values(asset: Asset, key: str | None = None) -> list:
    """The asset as stored, in _stored_layout() order: list fields joined with ';', then the
    match key (pass it when already computed)."""
    from assetmap.catalogue.models import match_key

    _columns, fields_of, lists_at = _stored_layout()
    values = [*fields_of(asset), key or match_key(asset.name, asset.postcode, asset.lat, asset.lon)]
    for i in lists_at:
        values[i] = ";".join(values[i])
    return values


def _db_values(asset: Asset, key: str | None = None) -> dict:
    """The same as a dict by column name."""
    return dict(zip(_stored_layout()[0], _stored_values(asset, key), strict=True))


def _keep_precision(row: sqlite3.Row, asset: Asset, values: dict) -> bool:
    """A CSV carries no geo_precision, so a row read back with the very coordinates stored
    says "given" for what was placed at sector or postcode level: keep the stored precision
    (a round trip must change nothing). Always False: it only corrects `values`."""
    if (
        values.get("geo_precision") == "given"
        and row["geo_precision"] not in ("", "given")
        and row["lat"] == values.get("lat")
        and row["lon"] == values.get("lon")
    ):
        values["geo_precision"] = asset.geo_precision = row["geo_precision"]
    return False


def _write_sessions(conn: sqlite3.Connection, pk: int, asset: Asset, new: bool = False) -> None:
    if not new:
        conn.execute("DELETE FROM sessions WHERE asset_pk = ?", (pk,))
    if not asset.schedule:
        return
    conn.executemany(
        'INSERT INTO sessions(asset_pk, day, start, "end") VALUES (?, ?, ?, ?)',
        [(pk, s.day, s.start, s.end) for s in asset.sessions],
    )


def asset_from_db(row: sqlite3.Row) -> Asset:
    from assetmap.catalogue.models import ASSET_FIELDS, Asset

    d = {name: row[name] for name in ASSET_FIELDS}
    # Stored normalised already: splitting is enough.
    d["tags"] = d["tags"].split(";") if d["tags"] else []
    d["capital"] = d["capital"].split(";") if d["capital"] else []
    return Asset(**d)


def _did_you_mean(key: str, names: dict[str, str]) -> str:
    """'did you mean 'Trafford'? ' for the names (keyed as `key` is written) closest to `key`,
    or '' when none is close: the hint in a filter's error."""
    import difflib

    close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.75)
    return f"did you mean {', '.join(repr(names[c]) for c in close)}? " if close else ""
