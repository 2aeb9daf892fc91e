"""For the serve benchmarks: the real `assetmap serve` of a published snapshot in a subprocess
on 127.0.0.1 (port 0), its address read from what it says, and stopped at the end."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def cli() -> list[str]:
    return [sys.executable, "-m", "assetmap"]


@contextmanager
def served(snapshot: Path, env: dict) -> Iterator[str]:
    """The API's address ('http://127.0.0.1:PORT/') while `assetmap serve SNAPSHOT` runs."""
    server = subprocess.Popen(
        [*cli(), "serve", str(snapshot), "--port", "0"],
        env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        url = ""
        assert server.stderr is not None
        for line in server.stderr:
            if "Open Referral UK API at " in line:
                url = line.split(" at ", 1)[1].split()[0]
                break
        if not url:
            raise SystemExit("serve did not start")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
