"""`near` speed on a synthetic catalogue spread over Great Britain.

    python benchmarks/bench_near.py [--assets 1000000] [--queries 200] [--runs 15]

Prints the in-process query time (R*Tree prefilter + haversine, geodesic for the edge and the
shortlist) and a whole `assetmap near` process beside `python -c pass` in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

from common import compare_instructions, compare_processes

MINIMAL_TYPER_APP = """
import typer
app = typer.Typer()
@app.command()
def hello(name: str): print(name)
@app.command()
def bye(name: str): print(name)
app()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--workdir", default=os.environ.get("TMPDIR", "/tmp") + "/assetmap-bench")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    os.environ.setdefault("ASSETMAP_CACHE_DIR", str(workdir / "cache"))

    import synthetic

    from assetmap.catalogue.store import open_catalogue
    from assetmap.places.resolve import Place
    from assetmap.search import engine as search

    path = synthetic.ensure(workdir, args.assets)
    # Read the file once, so the figures measure the query rather than the disk (on this
    # machine the OS drops cached pages quickly; a real catalogue is small and stays cached).
    with open(path, "rb") as fh:
        while fh.read(1 << 24):
            pass
    cat = open_catalogue(path, seed=False)
    points = synthetic.sector_points()
    rnd = random.Random(7)
    cases = {
        "--tag gym, 5 km": dict(goals=[], filters=search.Filters(tags=["gym"])),
        "--goal 'get fit' --free, 5 km": dict(goals=["get fit"], filters=search.Filters(free=True)),
        "no filter, 5 km": dict(goals=[], filters=search.Filters()),
        "--tag gym, 30 km (a dense city)": dict(
            goals=[], filters=search.Filters(tags=["gym"], within_km=30)
        ),  # fmt: skip
    }
    print(f"in-process near queries on {args.assets:,} assets, {args.queries} random places each:")
    for label, kw in cases.items():
        times, counts = [], []
        for _ in range(args.queries):
            lat, lon = rnd.choice(points)
            place = Place("x", lat, lon, "coordinates", 0.0, "", "coordinates", "x")
            query = search.Query(place, **kw)
            start = time.perf_counter()
            outcome = search.near(cat.conn, query)
            times.append((time.perf_counter() - start) * 1000)
            counts.append(outcome.total)
        print(f"  {label:<36} median {statistics.median(times):6.2f} ms  "
              f"p90 {sorted(times)[int(len(times) * 0.9)]:6.2f} ms  "
              f"(median {statistics.median(counts):.0f} matches)")  # fmt: skip
    cat.close()

    print(f"\ncold processes, median of {args.runs}:")
    py = sys.executable
    # The console script, as a practitioner runs it (python -m would add runpy's start-up).
    script = Path(py).parent / "assetmap"
    command = [str(script)] if script.exists() else [py, "-m", "assetmap"]
    near = [*command, "--db", str(path), "near", "ST4 7QB", "--tag", "gym", "--format", "json"]
    named = {
        "python -c 'import typer' (the framework floor)": [py, "-c", "import typer"],
        "a minimal Typer app with two commands": [py, "-c", MINIMAL_TYPER_APP, "hello", "x"],
        "assetmap near ST4 7QB --tag gym --format json": near,
    }
    compare_processes(named, args.runs)
    print("\nthe same, counted in instructions (steady on a noisy machine):")
    compare_instructions(named)


if __name__ == "__main__":
    main()
