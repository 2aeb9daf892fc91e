"""`near` speed on synthetic catalogues over Great Britain: one spread evenly, one where people
live (sampled from the gazetteer's live postcodes; see synthetic.py).

    python benchmarks/bench_near.py [--assets 1000000] [--queries 200] [--runs 15]
                                    [--spread both|uniform|people] [--baseline-src DIR]

Prints the in-process query time (median, p95, max) for random places and for named ones
(central London, Manchester, a rural postcode), then whole `assetmap near` processes beside
`python -c pass` in the same run. --baseline-src DIR (a checkout of another version's `src`,
e.g. `git archive main src | tar -x -C DIR`) measures that version too, in the same run, so
before and after can be compared side by side.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
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

# Central London (EC1A, W1D), Manchester city centre and a rural postcode (Hawes, in the
# Yorkshire Dales): about 19,000, 19,000, 6,000 and 40 assets within 5 km of the people spread.
NAMED = {"EC1A 1BB": "London EC1A", "W1D 3QF": "London W1D", "M1 1AD": "Manchester M1",
         "DL8 3NT": "rural DL8 (Hawes)"}  # fmt: skip
RURAL = "DL8 3NT"
CITY = "EC1A 1BB"
NAMED_REPEATS = 15


def cases() -> dict:
    from assetmap.search.filters import Filters

    return {
        "--tag gym": dict(goals=[], filters=Filters(tags=["gym"])),
        "--goal 'get fit' --free": dict(goals=["get fit"], filters=Filters(free=True)),
        "no filter": dict(goals=[], filters=Filters()),
    }


def quantiles(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered):6.2f}  p95 {p95:6.2f}  max {ordered[-1]:6.2f} ms"


def in_process(args, label: str) -> None:
    import synthetic

    from assetmap.catalogue.opening import open_catalogue
    from assetmap.places.gazetteer import open_gazetteer
    from assetmap.places.resolve import Place
    from assetmap.search import engine
    from assetmap.search.filters import Filters
    from assetmap.search.query import Query

    workdir = Path(args.workdir)
    gaz = open_gazetteer()
    named = {}
    for pc, name in NAMED.items():
        row = gaz.postcode(pc)
        named[name] = Place(pc, row["lat"], row["lon"], "postcode", 0.0, "", "postcode", pc)
    spreads = ["uniform", "people"] if args.spread == "both" else [args.spread]
    for spread in spreads:
        path = synthetic.ensure(workdir, args.assets, spread)
        # Read the file once, so the figures measure the query rather than the disk (on this
        # machine the OS drops cached pages quickly; a real catalogue is small and stays cached).
        with open(path, "rb") as fh:
            while fh.read(1 << 24):
                pass
        cat = open_catalogue(path, seed=False)
        # Places where practitioners work: uniform over sectors for the even spread, at random
        # live postcodes (so mostly in towns) for the people spread.
        table = "sectors" if spread == "uniform" else "postcodes"
        points = [(r[0], r[1]) for r in gaz.conn.execute(f"SELECT lat, lon FROM {table}")]
        rnd = random.Random(7)
        places = [rnd.choice(points) for _ in range(args.queries)]
        print(f"\n[{label}] in process, {args.assets:,} assets spread {spread}, 5 km, limit 10; "
              f"{args.queries} random places:")  # fmt: skip
        todo = cases()
        if spread == "uniform":
            todo["--tag gym, 30 km"] = dict(goals=[], filters=Filters(tags=["gym"], within_km=30))  # fmt: skip
        for case, kw in todo.items():
            times, counts = [], []
            for lat, lon in places:
                place = Place("x", lat, lon, "coordinates", 0.0, "", "coordinates", "x")
                start = time.perf_counter()
                outcome = engine.near(cat.conn, Query(place, **kw))
                times.append((time.perf_counter() - start) * 1000)
                counts.append(f"{outcome.total}{'' if getattr(outcome, 'complete', True) else '+'}")  # fmt: skip
            print(f"  {case:<28} {quantiles(times)}  (median count {sorted(counts, key=lambda c: int(c.rstrip('+')))[len(counts) // 2]})")  # fmt: skip
        if spread != "people":
            cat.close()
            continue
        print(f"[{label}] named places, {NAMED_REPEATS} runs each (median / max ms; matches):")
        for case, kw in cases().items():
            cells = []
            for name, place in named.items():
                times = []
                for _ in range(NAMED_REPEATS):
                    start = time.perf_counter()
                    outcome = engine.near(cat.conn, Query(place, **kw))
                    times.append((time.perf_counter() - start) * 1000)
                more = "" if getattr(outcome, "complete", True) else "+"
                cells.append(f"{name} {statistics.median(times):.1f}/{max(times):.1f} ({outcome.total}{more})")  # fmt: skip
            print(f"  {case:<28} " + "; ".join(cells))
        cat.close()


def processes(args, baseline: Path | None) -> None:
    import synthetic

    workdir = Path(args.workdir)
    py = sys.executable
    spread = "uniform" if args.spread == "uniform" else "people"
    path = synthetic.ensure(workdir, args.assets, spread)
    print(f"\ncold processes on the {spread} spread, median of {args.runs}:")
    # The console script, as a practitioner runs it (python -m would add runpy's start-up).
    script = Path(py).parent / "assetmap"
    command = [str(script)] if script.exists() else [py, "-m", "assetmap"]
    db = ["--db", str(path), "near"]
    old_db = ["--db", str(Path(_baseline_dir(args)) / path.name), "near"]
    named = {
        "python -c 'import typer' (the framework floor)": [py, "-c", "import typer"],
        "a minimal Typer app with two commands": [py, "-c", MINIMAL_TYPER_APP, "hello", "x"],
        "assetmap near ST4 7QB --tag gym --format json": [*command, *db, "ST4 7QB", "--tag", "gym", "--format", "json"],
        # A goal of the vocabulary beside goals in the person's own words (the lexicon file is
        # opened only for these): the difference is what free text costs a whole process.
        "near --goal 'get fit' (vocabulary)": [*command, *db, "ST4 7QB", "--goal", "get fit", "--format", "json"],
        "near --goal 'wants to be outside, in nature'": [*command, *db, "ST4 7QB", "--goal", "wants to be outside, in nature", "--format", "json"],
        "near --goal 'used to go fly fishing with his dad'": [*command, *db, "ST4 7QB", "--goal", "used to go fly fishing with his dad", "--format", "json"],
        "near --goal 'excercise' (a typo: difflib)": [*command, *db, "ST4 7QB", "--goal", "excercise", "--format", "json"],
    }  # fmt: skip
    versions = {"": command}
    if baseline:
        # Both through `env` and `python -m`, so they start alike.
        versions = {
            "[after] ": ["env", "PYTHONPATH=", py, "-m", "assetmap"],
            "[before] ": ["env", f"PYTHONPATH={baseline}", py, "-m", "assetmap"],
        }
    for tag, run in versions.items():
        where = old_db if tag == "[before] " else db
        for pc in (CITY, RURAL):
            for what, extra in (("no filter", []), ("--tag gym", ["--tag", "gym"])):
                named[f"{tag}near {pc} {what}"] = [*run, *where, pc, *extra, "--format", "json"]
    compare_processes(named, args.runs)
    if not baseline:
        print("\nthe same, counted in instructions (steady on a noisy machine):")
        compare_instructions(named)


def _baseline_dir(args) -> str:
    return str(Path(args.workdir) / "baseline")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--spread", choices=["both", "uniform", "people"], default="both")
    parser.add_argument("--baseline-src", type=Path, help="another version's src directory")
    parser.add_argument("--in-process-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--label", default="this version", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", default=os.environ.get("TMPDIR", "/tmp") + "/assetmap-bench")
    args = parser.parse_args()
    os.environ.setdefault("ASSETMAP_CACHE_DIR", str(Path(args.workdir) / "cache"))
    baseline = args.baseline_src.resolve() if args.baseline_src else None
    if baseline:
        # Its own copy of the catalogues (built alike): opening one migrates it, and an older
        # version cannot open a newer schema.
        child = [sys.argv[0], "--assets", str(args.assets), "--queries", str(args.queries),
                 "--spread", args.spread, "--workdir", _baseline_dir(args), "--in-process-only",
                 "--label", f"before: {baseline}"]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(baseline)}
        subprocess.run([sys.executable, *child], env=env, check=True)
    in_process(args, "after" if baseline else args.label)
    if not args.in_process_only:
        processes(args, baseline)


if __name__ == "__main__":
    main()
