"""Synthetic catalogues of N assets over Great Britain, for the benchmarks. Two spreads:

- uniform: uniform in GB's bounding box, kept when a postcode sector centre lies within about
  5 km (so not at sea): a 5 km circle holds about the same number of assets anywhere;
- people: each asset at a live postcode drawn at random (with replacement), moved up to 50 m,
  so density follows where people live (a postcode holds about 15 addresses): central London
  has tens of thousands of assets within 5 km, the Highlands a handful.

Apart from where they are, the assets are drawn alike. The file is cached between runs.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import time
from pathlib import Path

from assetmap.catalogue.opening import open_catalogue
from assetmap.catalogue.vocab import DEFAULT_CATEGORIES
from assetmap.places.gazetteer import open_gazetteer

TAGS = ["gym", "fitness", "walking", "outdoors", "books", "reading", "food", "faith", "football",
        "volunteering", "recovery", "peer support", "art", "music", "gardening", "learning"]  # fmt: skip


def sector_points() -> list[tuple[float, float]]:
    gaz = open_gazetteer()
    return [(r[0], r[1]) for r in gaz.conn.execute("SELECT lat, lon FROM sectors")]


CELL = 0.05  # degrees: a land cell is one within a cell of a sector centre


def land_points(n: int, rnd: random.Random):
    cells = set()
    for lat, lon in sector_points():
        ci, cj = int(lat / CELL), int(lon / CELL)
        cells.update((ci + di, cj + dj) for di in (-1, 0, 1) for dj in (-1, 0, 1))
    made = 0
    while made < n:
        lat, lon = rnd.uniform(49.9, 58.7), rnd.uniform(-7.6, 1.8)
        if (int(lat / CELL), int(lon / CELL)) in cells:
            made += 1
            yield lat, lon


def people_points(n: int, rnd: random.Random):
    """n points at live postcodes drawn with replacement, each moved up to 50 m."""
    gaz = open_gazetteer()
    postcodes = gaz.conn.execute("SELECT lat, lon FROM postcodes").fetchall()
    for _ in range(n):
        lat, lon = rnd.choice(postcodes)
        yield lat + rnd.uniform(-0.00045, 0.00045), lon + rnd.uniform(-0.0007, 0.0007)


SPREADS = {"uniform": land_points, "people": people_points}


def rows(n: int, seed: int = 1, spread: str = "uniform"):
    rnd = random.Random(seed)
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    for i, (lat, lon) in enumerate(SPREADS[spread](n, rnd)):
        cat = rnd.choice(DEFAULT_CATEGORIES)
        tags = ";".join(rnd.sample(TAGS, rnd.randint(1, 3)))
        yield (f"asset-{i:07d}", f"Asset {i} {cat}", cat, tags, f"A {cat} for {tags}",
               round(lat, 6), round(lon, 6), "given", rnd.choice(["free", "low", "paid"]),
               rnd.choice(["yes", "no", "unknown"]), "Sat 10:00-12:00", "2026-01-01", now, now)  # fmt: skip


def build(path: Path, n: int, spread: str = "uniform") -> float:
    """Create the catalogue with n assets (bulk load, then build the indexes). Seconds taken."""
    start = time.perf_counter()
    cat = open_catalogue(path, seed=False)
    conn = cat.conn
    conn.execute("BEGIN IMMEDIATE")
    # Bulk load with the index triggers off, then build each index in one pass.
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'assets'"
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    conn.executemany(
        "INSERT INTO assets (id, name, category, tags, description, lat, lon, geo_precision, "
        "cost, welcomes_convictions, schedule, verified_on, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows(n, spread=spread),
    )
    conn.execute("INSERT INTO assets_rtree SELECT pk, lat, lat, lon, lon FROM assets")
    conn.execute("INSERT INTO assets_fts(assets_fts) VALUES ('rebuild')")
    for _, sql in triggers:
        conn.execute(sql)
    conn.execute("COMMIT")
    cat.close()
    return time.perf_counter() - start


def ensure(workdir: Path, n: int, spread: str = "uniform") -> Path:
    name = f"synthetic-{n}.db" if spread == "uniform" else f"synthetic-{spread}-{n}.db"
    path = workdir / name
    if path.exists():
        try:
            conn = sqlite3.connect(path)
            if conn.execute("SELECT count(*) FROM assets").fetchone()[0] == n:
                return path
        except sqlite3.Error:
            pass
        path.unlink()
    workdir.mkdir(parents=True, exist_ok=True)
    secs = build(path, n, spread)
    print(f"built a synthetic catalogue of {n:,} assets ({spread}) in {secs:.0f} s: {path}")
    return path
