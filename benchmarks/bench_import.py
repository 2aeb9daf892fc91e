"""CSV import and export speed, beside the practical ceiling of a plain load in the same run.

    python benchmarks/bench_import.py [--rows 1000000]

- ceiling: csv.reader -> executemany into the same assets table, one transaction, no validation,
  no indexes (the fastest a Python import can go);
- assetmap: `assetmap import FILE` into an empty catalogue, as a process (validation, upsert,
  R*Tree and full-text indexes maintained), with its peak memory;
- export: `assetmap export --format csv` of the result.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def make_csv(path: Path, n: int) -> None:
    rnd = random.Random(5)
    cats = ["gym", "walking group", "library", "foodbank", "volunteering", "book club"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "category", "tags", "lat", "lon", "cost", "schedule", "verified_on"])
        for i in range(n):
            w.writerow([f"Asset {i}", rnd.choice(cats), "gym;fitness", f"{rnd.uniform(50.5, 55.5):.6f}",
                        f"{rnd.uniform(-4.5, 0.5):.6f}", rnd.choice(["free", "low", "paid"]),
                        "Sat 10:00-12:00", "2026-01-01"])  # fmt: skip


def ceiling(csv_path: Path, db_path: Path) -> float:
    from assetmap.catalogue.opening import open_catalogue

    cat = open_catalogue(db_path, seed=False)
    conn = cat.conn
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    start = time.perf_counter()
    conn.execute("BEGIN")
    with csv_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        conn.executemany(
            "INSERT INTO assets (id, name, category, tags, lat, lon, cost, schedule, verified_on, "
            "created_at, updated_at) VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '', '')",
            reader,
        )
    conn.execute("COMMIT")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="assetmap-import-"))
    os.environ.setdefault("ASSETMAP_CACHE_DIR", str(work / "cache"))
    from assetmap.places.gazetteer import open_gazetteer

    open_gazetteer()  # built once after install; not part of an import's time
    src = work / "assets.csv"
    make_csv(src, args.rows)
    print(f"{args.rows:,} rows, {src.stat().st_size / 1e6:.0f} MB CSV")

    secs = ceiling(src, work / "ceiling.db")
    print(f"ceiling (csv.reader -> executemany, no checks): {args.rows / secs:10,.0f} rows/s")

    db = work / "assetmap.db"
    env = {**os.environ}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "assetmap", "--db", str(db), "init", "--empty"], check=True, env=env, capture_output=True)  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "assetmap", "--db", str(db), "import", str(src)], env=env, capture_output=True, text=True)  # fmt: skip
    secs = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    summary = proc.stderr.strip().splitlines()[-1]
    index_s = float(re.search(r"rebuilt in ([0-9.]+) s", summary).group(1))
    print(f"assetmap import, validated load only:           {args.rows / (secs - index_s):10,.0f} rows/s")  # fmt: skip
    print(f"assetmap import, load + R*Tree + full-text:      {args.rows / secs:10,.0f} rows/s "
          f"({secs:.0f} s, of which indexes {index_s:.0f} s; peak memory of any child {peak_mb:.0f} MB)")  # fmt: skip
    print("  " + summary)

    start = time.perf_counter()
    with open(work / "export.csv", "wb") as out:
        subprocess.run([sys.executable, "-m", "assetmap", "--db", str(db), "export"], stdout=out, check=True, env=env, stderr=subprocess.DEVNULL)  # fmt: skip
    secs = time.perf_counter() - start
    print(f"assetmap export csv:                             {args.rows / secs:10,.0f} rows/s")
    n = sqlite3.connect(db).execute("SELECT count(*) FROM assets").fetchone()[0]
    print(f"assets in the catalogue: {n:,}")


if __name__ == "__main__":
    main()
