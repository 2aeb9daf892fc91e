"""Helpers for the `assetmap serve` tests: a small team catalogue with staff fields filled in,
published, and served by the real `assetmap serve` in a subprocess on 127.0.0.1 (port 0),
stopped at the end (never left running)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

# A partnership manager's list: public details, and the staff-only fields a served API must
# never show (each staff value holds SECRET so a leak is easy to find).
TEAM_CSV = """\
name,category,tags,description,postcode,lat,lon,cost,phone,email,website,schedule,min_age,max_age,verified_on,partnership_status,contact_name,contact_role,contact_phone,contact_email,staff_notes,referral_route,referral_details,welcomes_mentor
Shelton Recovery Runners,running group,running;recovery,A friendly running group for people in recovery,ST4 7QB,,,free,01782 111222,run@example.org,https://shelton-runners.example.org,Sat 10:00-11:30,18,,2026-10-01,partner,SECRET Sam Okafor,Coach,07700 900999,secret.sam@example.org,SECRET ask for Sam on Tuesdays,phone,Tue-Thu,yes
Hanley Park Walkers,walking group,walking;outdoors,Gentle walks round Hanley Park,ST1 3EB,,,free,01782 222333,,,Wed 10:00-12:00,,,2026-09-01,known,SECRET Jo Bloggs,,,,,,,unknown
Stoke Boxing Club,sports club,boxing;fitness,Boxing for all abilities,ST4 1HA,,,low,01782 333444,,https://boxing.example.org,Mon-Fri 18:00-20:00,16,65,2026-08-01,approached,,,,,SECRET quieter on Wednesdays,,,unknown
Burslem Book Club,book club,books;reading,Monthly book club in the library,ST6 3EF,,,free,,books@example.org,,,,,2026-07-01,,,,,,,,,unknown
Moss Side Allotment,gardening,gardening;outdoors,Community allotment,M14 4HY,,,free,0161 444 5555,,,Sun 10:00-13:00,,,2026-06-01,partner,SECRET Ali,,0161 999 0000,,,email,,yes
Trafford Foodbank,foodbank,food,Food parcels with a voucher,M32 0TJ,,,free,0161 555 6666,,https://trafford.foodbank.example.org,Tue 12:00-14:00,,,2026-05-01,,,,,,,,,unknown
"""
STAFF_VALUES = ("SECRET", "07700 900999", "0161 999 0000", "secret.sam@example.org")


def env(home: Path, cache: Path) -> dict:
    full = {**os.environ, "ASSETMAP_HOME": str(home), "ASSETMAP_CACHE_DIR": str(cache)}
    for var in ("ASSETMAP_DB", "ASSETMAP_GEOCODER", "ASSETMAP_READ_ONLY"):
        full.pop(var, None)
    return full


def assetmap(*args: str, environ: dict, check: bool = True, timeout=300):
    done = subprocess.run(
        [sys.executable, "-m", "assetmap", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=timeout,
    )
    if check:
        assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


def team_catalogue(folder: Path, environ: dict) -> Path:
    db = folder / "team.db"
    csv = folder / "team.csv"
    csv.write_text(TEAM_CSV, encoding="utf-8")
    assetmap("--db", str(db), "init", "--empty", environ=environ)
    assetmap("--db", str(db), "import", str(csv), "--source", "team", environ=environ)
    return db


class Server:
    """`assetmap serve ARGS --port 0` in a subprocess; `url` once it says it is ready."""

    def __init__(self, *args: str, environ: dict, timeout: float = 120, cwd=None, port: int = 0):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "assetmap", *args, "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environ,
            cwd=cwd,
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.url = ""
        threading.Thread(target=self._read, daemon=True).start()
        if not self.ready.wait(timeout) or not self.url:
            self.stop()
            raise AssertionError("serve did not start:\n" + "".join(self.lines))

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line)
            if "Open Referral UK API at " in line:
                self.url = line.split(" at ", 1)[1].split()[0]
                self.ready.set()
        self.ready.set()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        with contextlib.suppress(Exception):
            self.proc.stdout.close()

    def get(self, path: str, *, headers: dict | None = None):
        """(status, headers, parsed JSON or text) for a GET of `path` (relative to the root)."""
        url = self.url + path.lstrip("/")
        request = urllib.request.Request(url, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, got, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            status, got, body = exc.code, exc.headers, exc.read()
        text = body.decode("utf-8")
        try:
            return status, got, json.loads(text)
        except ValueError:
            return status, got, text


def wait_gone(proc: subprocess.Popen, timeout: float = 15) -> None:
    end = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < end:
        time.sleep(0.05)
