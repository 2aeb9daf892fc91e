"""Headless Chromium (Debian's package) for tests and scripts that look at a page the way a
person does: print to PDF, screenshot, dump the DOM after the page has laid out."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
]  # fmt: skip
# An A4 page at 96 px to the inch.
A4_WINDOW = "--window-size=794,1123"


def find() -> str | None:
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def ensure() -> tuple[str | None, str]:
    """Chromium's path, installing Debian's package when apt-get can (as root); else None and
    why not."""
    if path := find():
        return path, ""
    if not shutil.which("apt-get"):
        return None, "chromium is not installed and there is no apt-get to install it"
    if os.geteuid() != 0:
        return None, "chromium is not installed (apt-get install -y chromium needs root)"
    proc = subprocess.run(
        ["apt-get", "install", "-y", "-q", "chromium"], capture_output=True, timeout=900
    )
    if path := find():
        return path, ""
    return None, f"apt-get install chromium failed: {proc.stderr.decode()[-300:]}"


def run(chromium: str, url: str, *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    """One headless run with a fresh profile (nothing shared between runs)."""
    with tempfile.TemporaryDirectory(prefix="assetmap-chromium-") as profile:
        proc = subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", *args, url],
            capture_output=True, timeout=timeout,
        )  # fmt: skip
    return proc


def screenshot(chromium: str, page: Path, png: Path, *extra: str) -> None:
    run(chromium, page.as_uri(), A4_WINDOW, f"--screenshot={png}", *extra)
    if not png.exists():
        raise RuntimeError(f"chromium wrote no screenshot of {page}")


def print_pdf(chromium: str, page: Path, pdf: Path) -> bytes:
    run(chromium, page.as_uri(), "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    return pdf.read_bytes()


def dump_dom(chromium: str, page: Path) -> str:
    return run(chromium, page.as_uri(), A4_WINDOW, "--dump-dom").stdout.decode()
