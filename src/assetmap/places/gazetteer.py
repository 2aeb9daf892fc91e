"""The offline UK gazetteer: postcodes, sectors, districts, towns, localities and councils.

The package ships the data compactly (data/gazetteer/, about 8 MB). The first lookup after
install builds an SQLite index of it in the cache directory (a few seconds, once); every lookup
after that is one indexed query on that file, a millisecond or two in a fresh process.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from assetmap import config
from assetmap.errors import AssetmapError

# Bump when the packaged data or the index layout changes: a new file name forces a rebuild.
INDEX_VERSION = "9"
INDEX_NAME = f"gazetteer-v{INDEX_VERSION}.db"
# A ward or census area at most this far across from its point is a neighbourhood, placed
# better by its own centre than a GeoNames locality at a postcode district's centre (the
# build and the lookup order both use it).
COMPACT_KM = 3.0
# A ward's joined name ('Basford & Hartshill') labels a map when no longer than this.
MAP_NAME_CHARS = 22

SCHEMA = [
    "CREATE TABLE postcodes (pc TEXT PRIMARY KEY, lat REAL, lon REAL, pqi INTEGER) WITHOUT ROWID",
    "CREATE TABLE sectors (sector TEXT PRIMARY KEY, lat REAL, lon REAL, radius_km REAL, council TEXT, extent_km REAL) WITHOUT ROWID",
    "CREATE VIRTUAL TABLE sectors_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon, +sector TEXT)",
    "CREATE TABLE districts (outcode TEXT PRIMARY KEY, lat REAL, lon REAL, radius_km REAL, council TEXT, source TEXT, extent_km REAL) WITHOUT ROWID",
    "CREATE TABLE councils (code TEXT PRIMARY KEY, name TEXT, country TEXT, lat REAL, lon REAL, radius_km REAL) WITHOUT ROWID",
    "CREATE TABLE council_names (name_key TEXT, code TEXT)",
    "CREATE INDEX council_names_key ON council_names(name_key)",
    "CREATE TABLE places (name TEXT, name_key TEXT, lat REAL, lon REAL, council TEXT, country TEXT, county TEXT, population INTEGER, radius_km REAL, kind TEXT)",
    "CREATE INDEX places_key ON places(name_key)",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)",
]


def name_key(text: str) -> str:
    """'St. Helens' / 'st helens' -> 'st helens'; '&' -> 'and'; punctuation folded away."""
    t = text.lower().replace("&", " and ")
    t = re.sub(r"[^\w\s]", " ", t)
    return " ".join(t.split())


def council_keys(name: str) -> set[str]:
    """Ways people write a council: 'Bristol, City of' -> 'bristol', 'city of bristol', ..."""
    keys = {name_key(name)}
    m = re.match(r"^(.*), (City|County) of$", name)
    if m:
        keys |= {name_key(m.group(1)), name_key(f"{m.group(2)} of {m.group(1)}")}
    m = re.match(r"^City of (.*)$", name)
    if m:
        keys.add(name_key(m.group(1)))
    return keys


# Reading the packaged data is only needed to build the index, once: its imports live in
# the functions below so that a lookup does not pay for them.
def _data(name: str) -> bytes:
    from importlib import resources

    return (resources.files("assetmap") / "data" / "gazetteer" / name).read_bytes()


def _csv(name: str) -> list[dict[str, str]]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(_data(name).decode("utf-8"))))


def _ints(name: str, typecode: str):
    import array
    import lzma
    import sys

    values = array.array(typecode)
    values.frombytes(lzma.decompress(_data(name)))
    if sys.byteorder != "little" and typecode != "B":
        values.byteswap()
    return values


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict], columns: list[str]) -> None:
    """Insert CSV rows as they are: the columns' REAL/INTEGER affinity turns numeric text
    into numbers."""
    marks = ", ".join("?" * len(columns))
    conn.executemany(
        f"INSERT INTO {table} VALUES ({marks})", [[r[c] for c in columns] for r in rows]
    )


Progress = Callable[[str, int, int], None]


def build_index(path: Path, progress: Progress | None = None) -> None:
    """Write the index to a temporary file beside `path`, then move it into place, so a
    reader never sees half an index and two processes building at once do no harm."""
    import lzma
    import os
    from itertools import accumulate

    from assetmap import tempfiles

    path.parent.mkdir(parents=True, exist_ok=True)
    # Named for its process, so the next build sweeps it if this one is killed half-way.
    fd, tmp = tempfiles.create(path.parent, "gazetteer")
    os.close(fd)
    step = progress or (lambda _label, _done, _total: None)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        for stmt in SCHEMA:
            conn.execute(stmt)
        total = 6
        step("councils and places", 0, total)
        councils = _csv("councils.csv")
        _insert(conn, "councils", councils, ["code", "name", "country", "lat", "lon", "radius_km"])
        conn.executemany(
            "INSERT INTO council_names VALUES (?, ?)",
            [(k, r["code"]) for r in councils for k in council_keys(r["name"])],
        )
        places = [{**r, "name_key": name_key(r["name"])} for r in _csv("places.csv")]
        # A town's shortenings ('Stoke' for Stoke-on-Trent) find the town under its own name.
        places += [
            {**r, "name_key": name_key(alias)}
            for r in places
            for alias in r["aliases"].split("|")
            if alias
        ]
        _insert(conn, "places", places, ["name", "name_key", "lat", "lon", "council", "country",
                                         "county", "population", "radius_km", "kind"])  # fmt: skip
        step("districts and sectors", 1, total)
        _insert(conn, "districts", _csv("districts.csv"),
                ["outcode", "lat", "lon", "radius_km", "council", "source", "extent_km"])  # fmt: skip
        _insert(
            conn, "sectors", _csv("sectors.csv"),
            ["sector", "lat", "lon", "radius_km", "council", "extent_km"],
        )  # fmt: skip
        sectors = conn.execute("SELECT sector, lat, lon FROM sectors").fetchall()
        conn.executemany(
            "INSERT INTO sectors_rtree VALUES (?, ?, ?, ?, ?, ?)",
            [(i, lat, lat, lon, lon, sector) for i, (sector, lat, lon) in enumerate(sectors)],
        )
        step("postcodes: unpacking", 2, total)
        codes = lzma.decompress(_data("postcodes.txt.xz")).decode("ascii").split("\n")
        lats = accumulate(_ints("lat.i32.xz", "i"))
        lons = accumulate(_ints("lon.i32.xz", "i"))
        pqis = _ints("pqi.u8.xz", "B")
        step("postcodes: indexing", 3, total)
        conn.executemany(
            "INSERT INTO postcodes VALUES (?, ?, ?, ?)",
            zip(codes, (v / 1e5 for v in lats), (v / 1e5 for v in lons), pqis, strict=True),
        )
        step("finishing", 5, total)
        conn.execute("INSERT INTO meta VALUES ('index_version', ?)", (INDEX_VERSION,))
        conn.execute("INSERT INTO meta VALUES ('postcodes', ?)", (str(len(codes)),))
        conn.execute("COMMIT")
        conn.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        # Indexes of earlier assetmap versions are dead weight (about 70 MB each).
        for old in path.parent.glob("gazetteer-v*.db"):
            if old != path:
                old.unlink(missing_ok=True)
        step("done", total, total)
    except BaseException:
        tempfiles.remove(tmp)
        raise


class Gazetteer:
    """Read-only lookups on the index. Rows come back as sqlite3.Row."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    def postcode(self, pc: str):
        return self.conn.execute("SELECT * FROM postcodes WHERE pc = ?", (pc,)).fetchone()

    def sector(self, sector: str):
        return self.conn.execute("SELECT * FROM sectors WHERE sector = ?", (sector,)).fetchone()

    def district(self, outcode: str):
        return self.conn.execute("SELECT * FROM districts WHERE outcode = ?", (outcode,)).fetchone()

    def council(self, code: str):
        return self.conn.execute("SELECT * FROM councils WHERE code = ?", (code,)).fetchone()

    def councils_named(self, text: str) -> list:
        return self.conn.execute(
            "SELECT c.* FROM council_names n JOIN councils c ON c.code = n.code "
            "WHERE n.name_key = ? GROUP BY c.code",
            (name_key(text),),
        ).fetchall()

    def places_named(self, text: str) -> list:
        return self.conn.execute(
            "SELECT p.*, coalesce(c.name, '') AS council_name FROM places p "
            "LEFT JOIN councils c ON c.code = p.council WHERE p.name_key = ? "
            # Within a council the first is kept: a town; a compact ward or census area
            # (its own centre, better than a locality at a postcode district's centre); a
            # GeoNames locality (a village, better than the middle of a large rural ward);
            # then a large ward or area, a neighbourhood from addresses.
            "ORDER BY CASE WHEN p.kind = 'town' THEN 0 "
            "WHEN p.kind IN ('ward', 'area') AND p.radius_km <= ? THEN 1 "
            "WHEN p.kind = 'locality' THEN 2 WHEN p.kind IN ('ward', 'area') THEN 3 ELSE 4 END, "
            "p.kind = 'area', p.population DESC",
            (name_key(text), COMPACT_KM),
        ).fetchall()

    def nearest_sector(self, lat: float, lon: float):
        """The sector whose centre is nearest (searching out to ~20 km): the area of a point."""
        for box in (0.02, 0.06, 0.2):
            rows = self.conn.execute(
                "SELECT s.* FROM sectors_rtree r JOIN sectors s ON s.sector = r.sector "
                "WHERE r.min_lat <= ? AND r.max_lat >= ? AND r.min_lon <= ? AND r.max_lon >= ?",
                (lat + box, lat - box, lon + box * 1.7, lon - box * 1.7),
            ).fetchall()
            if rows:
                return min(
                    rows, key=lambda r: (r["lat"] - lat) ** 2 + ((r["lon"] - lon) * 0.6) ** 2
                )
        return None

    def names_in(self, box: tuple[float, float, float, float]) -> list[tuple[str, float, float]]:
        """Names to label a map with, in `box` (min_lon, min_lat, max_lon, max_lat): towns,
        then wards, census areas and neighbourhoods, nearest the box's centre first, as
        (name, lon, lat). One name per point: a ward and the places it is named for share one
        ('Basford & Hartshill', 'Basford', 'Hartshill'), so the ward's name is used when short,
        else its first place; a name already given (or any part of it) is not given again."""
        x0, y0, x1, y1 = box
        rows = self.conn.execute(
            "SELECT p.name, p.lat, p.lon, p.kind, p.population FROM places p "
            "WHERE p.kind IN ('town', 'ward', 'area', 'neighbourhood') "
            "AND p.lat BETWEEN ? AND ? AND p.lon BETWEEN ? AND ?",
            (y0, y1, x0, x1),
        ).fetchall()
        # A council's own name labels its area already ('Stoke-on-Trent' is a town too).
        councils = {r[0] for r in self.conn.execute("SELECT name_key FROM council_names")}
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        groups: dict[tuple[float, float], list] = {}
        for r in rows:
            groups.setdefault((round(r["lat"], 3), round(r["lon"], 3)), []).append(r)

        def order(item):
            (lat, lon), members = item
            town = max((m["population"] or 0 for m in members if m["kind"] == "town"), default=0)
            return (-town, (lat - cy) ** 2 + ((lon - cx) * 0.6) ** 2)

        names: list[tuple[str, float, float]] = []
        given: set[str] = set()
        for (lat, lon), members in sorted(groups.items(), key=order):
            found = {m["name"].split(",")[0].strip() for m in members}
            joined = sorted((n for n in found if " & " in n), key=len)
            if joined:
                name = joined[0] if len(joined[0]) <= MAP_NAME_CHARS else joined[0].split(" & ")[0]
            else:
                name = min(found, key=lambda n: (len(n), n))
            parts = {name_key(p) for p in name.split(" & ")}
            if parts & given or name_key(name) in councils:
                continue
            given |= parts
            names.append((name, lon, lat))
        return names

    def all_names(self) -> list[str]:
        places = self.conn.execute("SELECT DISTINCT name FROM places").fetchall()
        councils = self.conn.execute("SELECT name FROM councils").fetchall()
        return [r[0] for r in places] + [r[0] for r in councils]


def index_path() -> Path:
    return config.cache_dir() / INDEX_NAME


_opened: Gazetteer | None = None


def open_gazetteer(progress: Progress | None = None) -> Gazetteer:
    """The gazetteer, building its index on first use. One per process."""
    global _opened
    path = index_path()
    if _opened is not None and _opened.path == path:
        return _opened
    if not path.exists():
        try:
            build_index(path, progress)
        except OSError as exc:
            raise AssetmapError(
                f"could not build the gazetteer index in {path.parent} ({exc.strerror}); "
                "set ASSETMAP_CACHE_DIR to a writable directory"
            ) from None
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    _opened = Gazetteer(conn, path)
    return _opened
