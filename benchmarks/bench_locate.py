"""Place lookups: the one-off index build, a cold `assetmap locate`, and in-process lookups.

python benchmarks/bench_locate.py [--runs 15]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import compare_processes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    cache = tempfile.mkdtemp(prefix="assetmap-bench-")
    os.environ["ASSETMAP_CACHE_DIR"] = cache
    os.environ["ASSETMAP_HOME"] = cache

    from assetmap.places import gazetteer
    from assetmap.places import resolve as places

    start = time.perf_counter()
    gaz = gazetteer.open_gazetteer()
    build_s = time.perf_counter() - start
    size_mb = Path(gazetteer.index_path()).stat().st_size / 1e6
    print(f"index build (once after install): {build_s:.1f} s, {size_mb:.0f} MB")

    codes = [
        r[0] for r in gaz.conn.execute("SELECT pc FROM postcodes ORDER BY random() LIMIT 2000")
    ]
    random.shuffle(codes)
    times = []
    for pc in codes:
        t = time.perf_counter()
        places.resolve(pc, gaz)
        times.append((time.perf_counter() - t) * 1e6)
    print(f"in-process full-postcode lookup: median {statistics.median(times):.0f} µs, "
          f"p95 {sorted(times)[int(len(times) * 0.95)]:.0f} µs ({len(times)} postcodes)")  # fmt: skip
    for q in ("ST4 7", "ST4", "Hanley", "Trafford", "Stokport"):
        t = time.perf_counter()
        with contextlib.suppress(Exception):
            places.resolve(q, gaz)
        print(f"in-process lookup {q!r}: {(time.perf_counter() - t) * 1000:.2f} ms")

    print(f"\ncold processes, median of {args.runs}:")
    compare_processes(
        {
            "python -c 'import assetmap'": [sys.executable, "-c", "import assetmap"],
            "assetmap locate 'ST4 7QB' --format json": [
                sys.executable,
                "-m",
                "assetmap",
                "locate",
                "ST4 7QB",
                "--format",
                "json",
            ],
        },  # fmt: skip
        args.runs,
    )


if __name__ == "__main__":
    main()
