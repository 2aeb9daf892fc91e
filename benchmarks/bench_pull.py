"""A `sources pull osm` of about 5,000 features, timed, against the loopback Overpass server of
the tests (tests/pull_server.py), so nothing goes online.

    python benchmarks/bench_pull.py [--features 5000] [--runs 3]

The answer is the Plymouth fixture's kinds of feature, repeated at random points within 9.5 km
of Plymouth (nodes, ways and relations, with opening hours, contacts and religions), served as
one Overpass JSON answer. Prints, per run: the first pull into a catalogue with the bundled
sources (all new), the same pull again (all unchanged), and an update after 5% of the features
changed and 2% went (closed), each a whole `assetmap` process, and the size of the answer.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from pull_server import PullServer  # noqa: E402


def answer(n: int, seed: int = 7) -> dict:
    server = PullServer()
    base = server.overpass
    kinds = [e for e in base["elements"] if e["tags"].get("name")]
    rnd = random.Random(seed)
    elements = []
    for i in range(n):
        e = copy.deepcopy(kinds[i % len(kinds)])
        e["id"] = 10_000_000 + i
        e["tags"]["name"] = f"{e['tags']['name']} {i}"
        # Within 9.5 km of the centre, as Overpass's around filter answers.
        km, bearing = 9.5 * rnd.random() ** 0.5, rnd.uniform(0, 2 * math.pi)
        point = {"lat": round(50.3715 + km * math.cos(bearing) / 111.2, 6),
                 "lon": round(-4.1430 + km * math.sin(bearing) / 70.9, 6)}  # fmt: skip
        if e["type"] == "node":
            e.update(point)
        else:
            e["center"] = point
        elements.append(e)
    return {**base, "elements": elements}


def run(args: list[str], env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "assetmap", *args], env=env, capture_output=True, text=True)  # fmt: skip
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr}")
    line = next((ln for ln in proc.stderr.splitlines() if ln.startswith("sources pull:")), "")
    return took, line


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--features", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    opts = parser.parse_args()
    server = PullServer().start()
    server.overpass = answer(opts.features)
    size = len(json.dumps(server.overpass))
    print(f"Overpass answer: {opts.features} features, {size / 1e6:.1f} MB")
    first, again, update = [], [], []
    try:
        for r in range(opts.runs):
            with tempfile.TemporaryDirectory() as tmp:
                env = {**os.environ, **server.env(), "ASSETMAP_DB": str(Path(tmp) / "c.db")}
                subprocess.run([sys.executable, "-m", "assetmap", "init"], env=env, capture_output=True, check=True)  # fmt: skip
                server.overpass = answer(opts.features)
                took, line = run(["sources", "pull", "osm", "--around", "Plymouth@10km"], env)
                first.append(took)
                print(f"run {r + 1}: first pull {took:.2f} s  ({line})")
                took, line = run(["sources", "pull", "osm", "--around", "Plymouth@10km"], env)
                again.append(took)
                print(f"run {r + 1}: same pull  {took:.2f} s  ({line})")
                elements = server.overpass["elements"]
                rnd = random.Random(r)
                for e in rnd.sample(elements, len(elements) // 20):
                    e["tags"]["phone"] = "01752 000 000"
                gone = set(id(e) for e in rnd.sample(elements, len(elements) // 50))
                server.overpass = {**server.overpass, "elements": [e for e in elements if id(e) not in gone]}  # fmt: skip
                took, line = run(["sources", "update"], env)
                update.append(took)
                print(f"run {r + 1}: update     {took:.2f} s  ({line})")
    finally:
        server.stop()
    for label, times in (("first pull", first), ("same pull", again), ("update", update)):
        print(f"{label:<11} median {statistics.median(times):.2f} s, fastest {min(times):.2f} s "
              f"({opts.features / statistics.median(times):,.0f} features/s)")  # fmt: skip


if __name__ == "__main__":
    main()
