"""Regenerate docs/plan.png, the README's picture of a plan: the README's own example run on the
seed catalogue in a throw-away home, rendered by headless Chromium at A4 and scaled down.
Needs Debian's chromium. Run from the repository root:

    python scripts/plan_screenshot.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import browser  # noqa: E402  (the tests' Chromium launcher, so both run it the same way)

OUT = ROOT / "docs" / "plan.png"
EXAMPLE = ["plan", "shelton", "hanley-park", "burslem", "--from", "ST4 7QB",
           "--by", "Sam Jones, Probation Service, 01782 000000", "--on", "2026-12-01"]  # fmt: skip
SCALE = "0.6"  # 794x1123 (A4 at 96 dpi) -> 476x674


def main() -> None:
    chromium, why = browser.ensure()
    if chromium is None:
        sys.exit(f"cannot make the screenshot: {why}")
    with tempfile.TemporaryDirectory(prefix="assetmap-shot-") as home:
        page = Path(home) / "plan.html"
        env = {**os.environ, "ASSETMAP_HOME": home}
        env.pop("ASSETMAP_DB", None)
        subprocess.run(
            [sys.executable, "-m", "assetmap", "-q", *EXAMPLE, "--out", str(page)],
            env=env, check=True,
        )  # fmt: skip
        OUT.parent.mkdir(exist_ok=True)
        browser.screenshot(chromium, page, OUT, f"--force-device-scale-factor={SCALE}")
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
