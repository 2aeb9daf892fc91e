"""The fault campaign (issue 26), repeatable: SIGKILL during imports, real processes racing
writes on a held lock, long and repetitive goals, and Ctrl-C latency. Prints counts and
figures; exits 1 when any write was lost, any catalogue was damaged or half-written, or any
search ran past a second.

    python benchmarks/fault_campaign.py                  # 20 kills, 50 races, the goal fuzz
    python benchmarks/fault_campaign.py --kills 100 --races 200

Everything runs in a temporary folder with its own ASSETMAP_HOME; nothing needs the network.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
# A real assetmap process that says on stderr when it first asks for the write lock.
RACER = Path(__file__).resolve().parents[1] / "tests" / "racer.py"


def assetmap(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "-m", "assetmap", *args], capture_output=True, **kwargs)


def wchan(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return ""


# -- 1. SIGKILL during an import: all or nothing, never damaged -------------------------------
def kills(folder: Path, n: int, rows: int = 20_000) -> dict:
    feed = folder / "feed.csv"
    with feed.open("w") as fh:
        fh.write("name,category,lat,lon,schedule,min_age\n")
        for i in range(rows):
            fh.write(f"Group {i},gym,{53 + i % 1000 / 10000:.4f},-2.2,Sat 10:00-12:00,{i % 90}\n")
    base = folder / "kill-base.db"
    assetmap("--db", str(base), "init", "--empty", check=True)
    start = time.monotonic()
    assetmap("--db", str(base), "import", str(feed), "--dry-run", check=True)
    full_s = time.monotonic() - start
    rnd = random.Random(26)
    counts = {"kills": 0, "killed_mid_import": 0, "damaged": 0, "half_written": 0, "empty": 0, "whole": 0}  # fmt: skip
    for i in range(n):
        db = folder / f"kill-{i}.db"
        db.write_bytes(base.read_bytes())
        proc = subprocess.Popen([PY, "-m", "assetmap", "--db", str(db), "import", str(feed)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rnd.uniform(0.1, full_s * 0.9))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        counts["kills"] += 1
        counts["killed_mid_import"] += proc.returncode == -signal.SIGKILL
        conn = sqlite3.connect(db)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            total = conn.execute("SELECT count(*) FROM assets").fetchone()[0]
        except sqlite3.DatabaseError:
            ok, total = False, -1
        finally:
            conn.close()
        if not ok:
            counts["damaged"] += 1
        elif total == 0:
            counts["empty"] += 1
        elif total == rows:
            counts["whole"] += 1
        else:
            counts["half_written"] += 1
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    return counts


# -- 2. real processes racing writes on a held lock ------------------------------------------
def start_racer(db: Path, *args: str) -> subprocess.Popen:
    proc = subprocess.Popen([PY, str(RACER), "--db", str(db), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    seen = b""
    while b"racer: taking the write lock" not in seen:
        line = proc.stderr.readline()
        if not line:
            raise SystemExit(f"racer {args} ended early: {seen.decode()}")
        seen += line
    return proc


def races(folder: Path, n: int, per_round: int = 10) -> dict:
    db = folder / "race.db"
    assetmap("--db", str(db), "init", "--empty", check=True)
    feed = folder / "race.csv"
    feed.write_text("id,name,category,lat,lon\n" + "".join(f"race-{i},Race {i},gym,53.4,-2.2\n" for i in range(n)))  # fmt: skip
    assetmap("--db", str(db), "import", str(feed), "--source", "race", check=True)
    pairs = []
    for i in range(n):
        second = (["verify", f"race-{i}", "--on", "2026-01-02"] if i % 2 == 0
                  else ["partners", "log", f"race-{i}", "--on", "2026-01-02", "--next", "2026-04-01"])  # fmt: skip
        pairs.append((["edit", f"race-{i}", "--description", f"edited {i}"], second))
    failed = 0
    for at in range(0, n, per_round):
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            procs = [start_racer(db, *a) for a, _ in pairs[at : at + per_round]]
            procs += [start_racer(db, *b) for _, b in pairs[at : at + per_round]]
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        for proc in procs:
            proc.stderr.read()
            failed += proc.wait() != 0
            proc.stderr.close()
    conn = sqlite3.connect(db)
    rows = {r[0]: r[1:] for r in conn.execute("SELECT id, description, verified_on, next_contact FROM assets")}  # fmt: skip
    conn.close()
    lost = 0
    for i in range(n):
        description, verified_on, next_contact = rows[f"race-{i}"]
        second_kept = verified_on == "2026-01-02" if i % 2 == 0 else next_contact == "2026-04-01"
        lost += description != f"edited {i}" or not second_kept
    return {"races": n, "lost_updates": lost, "failed_commands": failed}


# -- 3. long and repetitive goals --------------------------------------------------------------
def goals(folder: Path) -> tuple[dict, list]:
    db = folder / "seeded.db"
    assetmap("--db", str(db), "init", check=True)
    rnd = random.Random(26)
    two = [a + b for a in "abcdefghijklmnopqrstuvwxyz" for b in "abcdefghijklmnopqrstuvwxyz"]
    cases = {f"'a' x {n}": " ".join(["a"] * n) for n in (100, 200, 400, 1000)}
    cases |= {
        "'ab' x 1000": " ".join(["ab"] * 1000),
        "1000 two-letter words": " ".join(rnd.choice(two) for _ in range(1000)),
        "'walking group' x 500": " ".join(["walking group"] * 500),
        "one 10,000-letter word": "x" * 10_000,
        "FTS syntax x 200": " ".join(["NEAR", "AND", "OR", "NOT", '"', "*", "(", ")"] * 200),
    }
    figures, slow = {}, []
    for name, goal in cases.items():
        for command in (["near", "ST4 7QB", "--goal", goal], ["search", goal]):
            start = time.monotonic()
            proc = assetmap("--db", str(db), "-q", *command, "--format", "json", timeout=600)
            seconds = time.monotonic() - start
            figures[f"{command[0]} {name}"] = (seconds, proc.returncode)
            if seconds > 1.0 or proc.returncode not in (0, 1) or b"Traceback" in proc.stderr:
                slow.append(f"{command[0]} {name}")
    return figures, slow


# -- 4. Ctrl-C latency -------------------------------------------------------------------------
ENDLESS = """
import sqlite3, sys, time
from assetmap.search.budget import bounded
conn = sqlite3.connect(":memory:")
conn.create_function("started", 0, lambda: print("running", flush=True) or 1)
try:
    with bounded(conn, seconds=600):
        conn.execute("WITH RECURSIVE c(x) AS (SELECT started() UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c").fetchone()
except KeyboardInterrupt:
    sys.exit(130)
"""


def ctrl_c(folder: Path, n: int) -> dict:
    """Seconds from SIGINT to exit: in an endless query (search.budget), and in a command
    waiting for another writer's lock."""
    query, lock = [], []
    for _ in range(n):
        proc = subprocess.Popen([PY, "-c", ENDLESS], stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
        proc.stdout.readline()  # "running": the query has started
        start = time.monotonic()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)
        query.append(time.monotonic() - start)
    db = folder / "race.db"
    for _ in range(n):
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        proc = subprocess.Popen([PY, "-m", "assetmap", "--db", str(db), "verify", "race-0"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        while "sleep" not in wchan(proc.pid) and proc.poll() is None:
            time.sleep(0.005)
        start = time.monotonic()
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=90)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        lock.append(time.monotonic() - start)
    return {"in a query": query, "waiting for the lock": lock}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--races", type=int, default=50)
    parser.add_argument("--interrupts", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="assetmap-faults-") as tmp:
        folder = Path(tmp)
        os.environ["ASSETMAP_HOME"] = str(folder / "home")
        bad = 0
        k = kills(folder, args.kills)
        print(f"SIGKILL during import: {k}")
        bad += k["damaged"] + k["half_written"]
        r = races(folder, args.races)
        print(f"races (edit against verify or partners log, held lock): {r}")
        bad += r["lost_updates"] + r["failed_commands"]
        figures, slow = goals(folder)
        print("long goals (wall seconds, exit code, whole process):")
        for name, (seconds, code) in figures.items():
            print(f"  {name:<40} {seconds:6.2f} s  exit {code}")
        print(f"  over 1 s or a traceback: {len(slow)} {slow if slow else ''}")
        bad += len(slow)
        c = ctrl_c(folder, args.interrupts)
        for where, times in c.items():
            print(
                f"Ctrl-C {where}: {len(times)} tries, median {statistics.median(times):.3f} s, "
                f"max {max(times):.3f} s"
            )
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
