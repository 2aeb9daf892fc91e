"""The first `near` on a fresh install: no gazetteer index, no catalogue. It builds the index,
creates the catalogue with every bundled source (bulk insert, one index rebuild) and answers.

    python benchmarks/bench_first_run.py [--runs 5]

Prints, per run, the whole first `near` and its two set-up parts measured alone (the gazetteer
index build; creating the catalogue when the index exists), wall and CPU time, beside
`python -c pass` in the same run. The target is a first `near` under 5 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("assetmap")
    return [str(script)] if script.exists() else [sys.executable, "-m", "assetmap"]


def timed(args: list[str], env: dict) -> tuple[float, float]:
    """(wall s, CPU s of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, capture_output=True, env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cli = _cli()
    results: dict[str, list[tuple[float, float]]] = {
        "python -c pass": [], "first near (index + catalogue + query)": [],
        "gazetteer index alone (assetmap locate)": [], "catalogue alone (index built)": [],
        "second near": [],
    }  # fmt: skip
    for _ in range(args.runs):
        work = Path(tempfile.mkdtemp(prefix="assetmap-first-"))
        env = {**os.environ, "ASSETMAP_HOME": str(work / "home"), "ASSETMAP_CACHE_DIR": str(work / "cache")}  # fmt: skip
        env.pop("ASSETMAP_DB", None)
        near = [*cli, "near", "ST4 7QB", "--goal", "get fit"]
        results["python -c pass"].append(timed([sys.executable, "-c", "pass"], env))
        results["first near (index + catalogue + query)"].append(timed(near, env))
        results["second near"].append(timed(near, env))
        shutil.rmtree(work / "home")
        results["catalogue alone (index built)"].append(timed(near, env))
        shutil.rmtree(work)
        results["gazetteer index alone (assetmap locate)"].append(timed([*cli, "locate", "ST4 7QB"], env))  # fmt: skip
        shutil.rmtree(work, ignore_errors=True)
    print(f"{'':<44} {'wall median':>11} {'fastest':>8} {'CPU median':>11}")
    for label, runs in results.items():
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print(f"{label:<44} {statistics.median(walls):9.2f} s {min(walls):6.2f} s {statistics.median(cpus):9.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
