"""Helpers shared by the benchmark scripts: timing whole processes side by side."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time


def time_process(args: list[str], runs: int, env: dict | None = None) -> tuple[float, float]:
    """(median, fastest) wall time in ms of running `args` `runs` times, after one warm-up
    run. The fastest run is the least disturbed by other load on a shared machine."""
    full_env = {**os.environ, **(env or {})}
    # Let the warm-up run write .pyc files (an installed wheel has them; an editable install
    # in a shell with PYTHONDONTWRITEBYTECODE=1 would otherwise recompile on every run).
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(args, capture_output=True, env=full_env, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, env=full_env, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def compare_processes(named: dict[str, list[str]], runs: int, env: dict | None = None) -> None:
    """Time each command beside `python -c pass` in the same run, and print ratios to it
    (median and fastest run)."""
    base, base_min = time_process([sys.executable, "-c", "pass"], runs, env)
    print(f"{'':<48} {'median':>9}  {'ratio':>5}   {'fastest':>8}  {'ratio':>5}")
    print(f"{'python -c pass':<48} {base:6.1f} ms  {1:5.1f}x   {base_min:5.1f} ms  {1:5.1f}x")
    for label, args in named.items():
        ms, fastest = time_process(args, runs, env)
        print(
            f"{label:<48} {ms:6.1f} ms  {ms / base:5.1f}x   {fastest:5.1f} ms  {fastest / base_min:5.1f}x"
        )


def instructions(args: list[str], env: dict | None = None) -> int | None:
    """Instructions executed by `args` under valgrind's callgrind: unlike wall time, the same
    on a busy machine. None when valgrind is not installed."""
    import re
    import shutil

    if not shutil.which("valgrind"):
        return None
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(args, capture_output=True, env=full_env, check=True)  # warm-up: .pyc files
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *args],
        capture_output=True, env=full_env, check=True,
    )  # fmt: skip
    m = re.search(rb"Collected : (\d+)", proc.stderr)
    return int(m.group(1)) if m else None


def compare_instructions(named: dict[str, list[str]], env: dict | None = None) -> None:
    base = instructions([sys.executable, "-c", "pass"], env)
    if base is None:
        print("(valgrind not installed: no instruction counts)")
        return
    print(f"{'python -c pass':<48} {base / 1e6:8.0f} M instructions   1.0x")
    for label, args in named.items():
        n = instructions(args, env)
        print(f"{label:<48} {n / 1e6:8.0f} M instructions  {n / base:4.1f}x")
