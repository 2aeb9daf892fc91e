"""Sources: where assets came from (a bundled open dataset, a partner's file, a feed), with
licence, attribution and date; listed with their coverage, removed whole."""

from __future__ import annotations

import datetime as dt
import re

from assetmap.errors import InvalidValue, NotFound

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._:/-]{0,79}$")


def check_name(name: str) -> str:
    name = " ".join(name.split())
    if not _NAME.match(name):
        raise InvalidValue(
            f"'{name}' is not a usable source name; use letters, digits, spaces, '.', '_', '-', "
            "':' or '/' (at most 80), e.g. --source council-feed"
        )
    return name


def name_for_path(path: str) -> str:
    """A source named after its file: 'feeds/Council List.csv' -> 'council-list'. The same
    file imported again is the same source."""
    from pathlib import Path

    p = Path(path)
    if p.name == "datapackage.json":
        p = p.parent
    stem = p.name.split(".")[0] if p.is_file() or p.suffix else p.name
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "import"


def record(conn, name: str, *, kind: str, origin: str = "", title: str = "",
           licence: str = "", attribution: str = "") -> None:  # fmt: skip
    """Create the source, or note that it was read again (its retrieval date moves on; what
    someone wrote about its licence is kept)."""
    today = dt.date.today().isoformat()
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    conn.execute(
        "INSERT INTO sources(name, title, licence, attribution, retrieved, origin, kind, added_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET retrieved = excluded.retrieved, "
        "origin = CASE WHEN excluded.origin != '' THEN excluded.origin ELSE origin END",
        (name, title, licence, attribution, today, origin, kind, now),
    )


def listing(cat) -> list[dict]:
    """Every source with its asset count and the councils its assets are in."""
    conn = cat.conn
    counts = {
        r[0]: (r[1], r[2])
        for r in conn.execute(
            "SELECT source, count(*), count(DISTINCT nullif(area, '')) FROM assets GROUP BY source"
        )
    }
    out = []
    for r in conn.execute("SELECT * FROM sources ORDER BY name"):
        assets, councils = counts.pop(r["name"], (0, 0))
        out.append({"name": r["name"], "assets": assets, "councils": councils,
                    "kind": r["kind"], "retrieved": r["retrieved"], "licence": r["licence"],
                    "attribution": r["attribution"], "title": r["title"], "origin": r["origin"]})  # fmt: skip
    for name, (assets, councils) in counts.items():  # assets naming no recorded source
        out.append({"name": name or "(none)", "assets": assets, "councils": councils,
                    "kind": "", "retrieved": "", "licence": "", "attribution": "", "title": "",
                    "origin": ""})  # fmt: skip
    return out


def coverage(cat, name: str | None = None) -> list[dict]:
    """Assets by council (area), for one source or all."""
    sql = (
        "SELECT coalesce(nullif(area, ''), '(unknown)') AS council, count(*) AS assets FROM assets"
    )
    params: list = []
    if name:
        sql += " WHERE source = ?"
        params.append(name)
    sql += " GROUP BY 1 ORDER BY 2 DESC, 1"
    return [dict(r) for r in cat.conn.execute(sql, params)]


def remove(cat, name: str) -> int:
    """Take a source and all its assets out, in one transaction. Returns the assets removed."""
    conn = cat.conn
    known = conn.execute("SELECT 1 FROM sources WHERE name = ?", (name,)).fetchone()
    has_assets = conn.execute("SELECT 1 FROM assets WHERE source = ? LIMIT 1", (name,)).fetchone()
    if not known and not has_assets:
        names = [r[0] for r in conn.execute("SELECT name FROM sources ORDER BY name")]
        raise NotFound(
            f"no source named '{name}'; `assetmap sources` lists them"
            + (f" ({', '.join(names)})" if names and len(names) <= 12 else "")
        )
    with cat.transaction() as conn:
        removed = conn.execute("DELETE FROM assets WHERE source = ?", (name,)).rowcount
        conn.execute("DELETE FROM sources WHERE name = ?", (name,))
    return removed


def has_assets_within(cat, lat: float, lon: float, km: float) -> bool:
    """Whether any asset (of any status) lies within `km` of a point: read off the R*Tree."""
    from assetmap.places.distance import bbox, distance_km

    rows = cat.conn.execute(
        "SELECT min_lat, min_lon FROM assets_rtree WHERE max_lat >= ? AND min_lat <= ? "
        "AND max_lon >= ? AND min_lon <= ?",
        bbox(lat, lon, km),
    )
    return any(distance_km(lat, lon, a, b) <= km for a, b in rows)
