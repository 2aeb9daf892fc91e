"""How long the test suite takes: the quick loop (`pytest -m "not slow"`) and the whole suite.

    .venv/bin/python benchmarks/bench_suite.py [--only quick|whole] [--top 15] [-- pytest arguments]

Runs pytest in a child process for each and prints its wall time, its CPU time (user + system,
of pytest and every process it started) and the machine's load average before and after: on a
shared machine the wall time follows the load, the CPU time much less, so quote both. With
--top N it also lists the N tests (setup + call + teardown) that took the most wall time, with
the CPU each used in pytest's process and in the processes it started and waited for; wall well
above both is waiting (a sleep, a timeout, a server still running). The targets: the quick loop under 60 s and the whole suite
under 90 s wall on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _children_cpu() -> float:
    """CPU of the processes a test started and waited for (the console script, a server)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class _PerTest:
    """A pytest plugin (loaded with -p bench_suite): wall and CPU time per test, all phases."""

    def __init__(self, out: str):
        self.out, self.rows = out, {}

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        wall, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
        try:
            return (yield)
        finally:
            row = self.rows.setdefault(item.nodeid, [0.0, 0.0, 0.0])
            row[0] += time.perf_counter() - wall
            row[1] += time.process_time() - cpu
            row[2] += _children_cpu() - children

    def pytest_sessionfinish(self, session):
        if self.rows:  # each xdist worker writes its own file
            worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
            Path(f"{self.out}.{worker}").write_text(json.dumps(self.rows))


def pytest_configure(config):
    out = os.environ.get("BENCH_SUITE_OUT")
    if out:
        config.pluginmanager.register(_PerTest(out), "bench_suite_per_test")


def run(label: str, args: list[str], top: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "per_test")
        env = {**os.environ, "BENCH_SUITE_OUT": out}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "benchmarks"), env.get("PYTHONPATH")]))  # fmt: skip
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "bench_suite", *args]  # fmt: skip
        load_before = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        load_after = os.getloadavg()[0]
        rows = {}
        for part in Path(tmp).glob("per_test.*"):
            rows.update(json.loads(part.read_text()))
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-300:]
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    print(f"{label}: {' '.join(cmd[3:])}")
    print(f"  {summary}")
    print(f"  wall {wall:.1f} s, CPU {user + system:.1f} s (user {user:.1f}, system {system:.1f}), "
          f"load average {load_before:.1f} before, {load_after:.1f} after, {os.cpu_count()} cores")  # fmt: skip
    if top and rows:
        print(f"  the {top} longest tests (wall s / CPU s in pytest / CPU s of processes it started):")  # fmt: skip
        for nodeid, (w, c, k) in sorted(rows.items(), key=lambda kv: -kv[1][0])[:top]:
            print(f"    {w:6.2f} {c:6.2f} {k:6.2f}  {nodeid}")
        waited = sum(max(w - c - k, 0) for w, c, k in rows.values())
        print(f"  sum over tests: wall {sum(r[0] for r in rows.values()):.1f} s, "
              f"CPU {sum(r[1] for r in rows.values()):.1f} s in pytest and "
              f"{sum(r[2] for r in rows.values()):.1f} s in processes it started, "
              f"wall above CPU {waited:.1f} s")  # fmt: skip
    if proc.returncode not in (0,):
        print(f"  pytest exited {proc.returncode}", file=sys.stderr)
    return {"wall": wall, "cpu": user + system, "code": proc.returncode}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--only", choices=["quick", "whole"], help="run only the quick loop or the whole suite"
    )
    ap.add_argument("--top", type=int, default=0, help="list the N longest tests")
    ap.add_argument("pytest_args", nargs="*", help="more pytest arguments (after --)")
    opts = ap.parse_args()
    codes = []
    if opts.only != "whole":
        codes.append(run("quick loop", ["-m", "not slow", *opts.pytest_args], opts.top)["code"])
    if opts.only != "quick":
        codes.append(run("whole suite", [*opts.pytest_args], opts.top)["code"])
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
