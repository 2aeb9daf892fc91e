"""A practitioner's nightly pull of the team's served catalogue, timed, on loopback.

    python benchmarks/bench_serve_pull.py [--assets N]

Makes a catalogue of the bundled sources in a temp folder (or its first N assets), publishes
it, starts `assetmap serve SNAPSHOT --port 0`, then times, each as a whole `assetmap` process:
`sources pull oruk URL` into a catalogue made with `init --empty` (all new), and `sources
update` straight after (all unchanged). Prints the snapshot's size, the wall time and the
number of requests of each, and the server is stopped at the end, whatever happens.

The pull keeps its default politeness (at most 5 requests a second): the figure is what a
practitioner's cron job takes, not the server's top speed.
"""

from __future__ import annotations

import argparse
import os
import re
import sqlite3
import subprocess
import tempfile
import time
from pathlib import Path

from served import cli, served


def run(args: list[str], env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([*cli(), *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"assetmap {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
    return elapsed, proc.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assets", type=int, default=0, help="only the first N assets")
    parser.add_argument("--no-update", action="store_true", help="time the first pull only")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ASSETMAP_HOME": str(Path(tmp) / "home")}
        env.pop("ASSETMAP_DB", None)
        team, mine, snapshot = (Path(tmp) / n for n in ("team.db", "mine.db", "snapshot"))
        run(["--db", str(team), "init"], env)
        if args.assets:
            conn = sqlite3.connect(team)
            with conn:
                conn.execute("DELETE FROM assets WHERE pk NOT IN (SELECT pk FROM assets ORDER BY pk LIMIT ?)", (args.assets,))  # fmt: skip
            conn.close()
        published, _ = run(["--db", str(team), "publish", str(snapshot)], env)
        size = (snapshot / "catalogue.db").stat().st_size
        count = sqlite3.connect(team).execute("SELECT count(*) FROM assets").fetchone()[0]
        run(["--db", str(mine), "init", "--empty"], env)
        with served(snapshot, env) as url:
            print(f"{count:,} services; publish {published:.1f} s; snapshot {size / 1e6:.1f} MB")
            pulled, said = run(["--db", str(mine), "sources", "pull", "oruk", url], env)
            print(f"sources pull oruk (all new):    {_clock(pulled)}  {_requests(said)}")
            if args.no_update:
                return
            updated, said = run(["--db", str(mine), "sources", "update"], env)
            print(f"sources update (all unchanged): {_clock(updated)}  {_requests(said)}")


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)} min {rest:4.1f} s" if minutes else f"{rest:.1f} s"


def _requests(said: str) -> str:
    found = re.findall(r"([\d,]+) requests?", said)
    return f"({found[-1]} requests)" if found else ""


if __name__ == "__main__":
    main()
