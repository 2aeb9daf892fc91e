"""The bundled sources (package data, built and validated by scripts/build_sources.py): open
datasets and the hand-written examples. Every new catalogue loads them unless `init --empty`
(or `--no-examples`); `assetmap sources add NAME` loads one later.

The rows are stored exactly as the catalogue keeps them, so loading is a bulk insert and one
rebuild of the search indexes, with no validation on the user's machine.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
from functools import cache
from importlib import resources

from assetmap.errors import NotFound

SOURCES_DIR = "data/sources"
EXAMPLES = "examples"
# The columns the bundled files carry (a subset of the catalogue's: columns added later, such as
# the partnership fields, take their defaults, so a new migration needs no rebuild).
STORED_COLUMNS = [
    "id", "name", "category", "tags", "description", "address", "postcode", "area", "lat", "lon",
    "phone", "email", "website", "schedule", "cost", "min_age", "max_age", "gender",
    "accessibility", "referral", "welcomes_convictions", "dbs_required", "involves_children",
    "capital", "status", "verified_on", "source", "notes", "geo_precision", "match_key",
]  # fmt: skip
_NUMERIC = {"lat", "lon", "min_age", "max_age"}  # '' in the file is NULL in the catalogue


def _folder():
    return resources.files("assetmap").joinpath(*SOURCES_DIR.split("/"))


@cache
def bundled() -> dict[str, dict]:
    """name -> provenance (title, licence, attribution, retrieved, origin, file, assets)."""
    return json.loads(_folder().joinpath("sources.json").read_text(encoding="utf-8"))


def default_names(*, examples: bool = True) -> list[str]:
    return [n for n in bundled() if examples or not bundled()[n].get("examples")]


def _rows(name: str):
    """(header, rows) of a bundled source's file."""
    meta = bundled()[name]
    data = gzip.decompress(_folder().joinpath(meta["file"]).read_bytes()).decode("utf-8")
    reader = csv.reader(io.StringIO(data))
    header = next(reader)
    # Numbers parsed here, not by SQLite: its text-to-real conversion is not correctly rounded
    # ('0.700988' became 0.7009879999999999), so an export read back would differ.
    numeric = [(i, float if c in ("lat", "lon") else int) for i, c in enumerate(header) if c in _NUMERIC]  # fmt: skip

    def rows():
        for values in reader:
            for i, kind in numeric:
                values[i] = kind(values[i]) if values[i] != "" else None
            yield values

    return header, rows()


def load(cat, names: list[str]) -> dict[str, int]:
    """Load bundled sources into the catalogue, in one transaction, through the bulk path.
    An asset whose id is already taken is left as it is. Returns name -> assets added."""
    unknown = [n for n in names if n not in bundled()]
    if unknown:
        raise NotFound(
            f"no bundled source named {', '.join(unknown)}; the bundled sources are "
            f"{', '.join(bundled())}"
        )
    now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    have = {r[1] for r in cat.conn.execute("PRAGMA table_info(assets)")}
    added = {}
    with cat.transaction() as conn, cat.bulk_load():
        for name in names:
            header, rows = _rows(name)
            if not set(header) <= have:
                raise RuntimeError(f"bundled source {name} has columns the catalogue lacks")
            cols = [*header, "created_at", "updated_at"]
            sql = (
                f"INSERT INTO assets ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                "ON CONFLICT(id) DO NOTHING"
            )
            before = conn.total_changes
            conn.executemany(sql, ([*values, now, now] for values in rows))
            added[name] = conn.total_changes - before
            meta = bundled()[name]
            conn.execute(
                "INSERT OR REPLACE INTO sources(name, title, licence, attribution, retrieved, "
                "origin, kind, added_at) VALUES (?, ?, ?, ?, ?, ?, 'bundled', ?)",
                (name, meta["title"], meta["licence"], meta["attribution"], meta["retrieved"],
                 meta["origin"], now),
            )  # fmt: skip
    return added
