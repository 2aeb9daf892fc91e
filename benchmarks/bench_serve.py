"""Load on `assetmap serve`, on loopback: requests a second and p50/p95 latency with 50
concurrent clients, for the ORUK services near a postcode, for /near, and, as the peer,
Datasette's own table JSON for the same rows.

    python benchmarks/bench_serve.py [--clients 50] [--requests 2000] [--seconds 20]

Makes a catalogue of the bundled sources in a temp folder, publishes it, starts
`assetmap serve SNAPSHOT --port 0`, and runs each endpoint for at most --requests requests or
--seconds seconds, whichever comes first (after a warm-up of one request per client). The
clients are asyncio keep-alive connections in this process (HTTP/1.1, no library), so they
share the machine with the server: on a 2-core machine the figures are a floor. The server is
stopped at the end, whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from served import cli, served

POSTCODE = "ST4 7QB"


async def fetch(reader, writer, host: str, path: str) -> int:
    """One GET on a keep-alive connection; returns the status (the body is read and dropped)."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n".encode())  # fmt: skip
    await writer.drain()
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    headers = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        key, _, value = line.decode("latin-1").partition(":")
        headers[key.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def load(host: str, port: int, path: str, clients: int, requests: int, seconds: float):
    latencies: list[float] = []
    errors = 0
    deadline = 0.0
    remaining = requests

    async def client():
        nonlocal remaining, errors
        reader, writer = await asyncio.open_connection(host, port)
        try:
            await fetch(reader, writer, host, path)  # warm-up, not counted
            await started.wait()
            while remaining > 0 and time.perf_counter() < deadline:
                remaining -= 1
                t = time.perf_counter()
                status = await fetch(reader, writer, host, path)
                latencies.append(time.perf_counter() - t)
                errors += status != 200
        finally:
            writer.close()

    started = asyncio.Event()
    tasks = [asyncio.create_task(client()) for _ in range(clients)]
    await asyncio.sleep(0.5)
    begin = time.perf_counter()
    deadline = begin + seconds
    started.set()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - begin
    latencies.sort()
    n = len(latencies)
    return {
        "requests": n,
        "errors": errors,
        "rps": n / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[min(n - 1, int(n * 0.95))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000, help="at most, per endpoint")
    parser.add_argument("--seconds", type=float, default=20.0, help="at most, per endpoint")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "ASSETMAP_HOME": str(Path(tmp) / "home")}
        env.pop("ASSETMAP_DB", None)
        db, snapshot = Path(tmp) / "catalogue.db", Path(tmp) / "snapshot"
        subprocess.run([*cli(), "--db", str(db), "init"], env=env, check=True, capture_output=True)  # fmt: skip
        subprocess.run([*cli(), "--db", str(db), "publish", str(snapshot)], env=env, check=True, capture_output=True)  # fmt: skip
        with served(snapshot, env) as url:
            parts = urllib.parse.urlsplit(url)
            pc = urllib.parse.quote(POSTCODE)
            services = f"/services?postcode={pc}&proximity=5000&per_page=100"
            with urllib.request.urlopen(url.rstrip("/") + services) as response:
                page = json.load(response)
            ids = [s["id"] for s in page["contents"]]
            conn = sqlite3.connect(f"file:{snapshot / 'catalogue.db'}?immutable=1", uri=True)
            marks = ",".join("?" * len(ids))
            pks = [r[0] for r in conn.execute(f"SELECT asset_pk FROM hsds_services WHERE id IN ({marks})", ids)]  # fmt: skip
            conn.close()
            table = (
                f"/catalogue/assets.json?_shape=objects&_size=100&pk__in={','.join(map(str, pks))}"
            )
            endpoints = {
                f"ORUK /services near {POSTCODE}, 5 km ({len(ids)} services, one page)": services,
                f"/near {POSTCODE} (the CLI's near, 10 results)": f"/near?place={pc}&goal=get%20fit",
                f"Datasette table JSON, the same {len(pks)} rows": table,
                "  the same, without count and facets": f"{table}&_nocount=1&_nofacet=1&_nosuggest=1",
            }
            print(
                f"{args.clients} concurrent clients, at most {args.requests} requests or "
                f"{args.seconds:g} s per endpoint, loopback, {os.cpu_count()} CPUs"
            )
            print(f"{'endpoint':<62} {'requests':>8} {'rps':>7} {'p50':>8} {'p95':>8}")
            for label, path in endpoints.items():
                r = asyncio.run(
                    load(
                        parts.hostname, parts.port, path, args.clients, args.requests, args.seconds
                    )
                )
                bad = f"  ({r['errors']} not 200)" if r["errors"] else ""
                print(
                    f"{label:<62} {r['requests']:>8} {r['rps']:>7.0f} {r['p50_ms']:>6.1f}ms "
                    f"{r['p95_ms']:>6.1f}ms{bad}"
                )


if __name__ == "__main__":
    main()
