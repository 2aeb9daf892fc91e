"""Build the packaged council boundaries (src/assetmap/data/boundaries/) that plan maps draw,
from ../shared/data/geo. A developer tool: the installed package never reads ../shared. Run from
the repository root:

    python scripts/build_boundaries.py ../shared/data/geo

Output: councils.json.xz, one entry per council (361): name, code, bounding box and its rings,
each ring's points quantised to 1e-4 degrees (about 7-11 m, finer than the source's 60-90 m
simplification) and stored as deltas, so lzma packs the whole of the UK to about 150 KB.
Rings that collapse to fewer than four distinct points at that precision are dropped.
"""

from __future__ import annotations

import json
import lzma
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "assetmap" / "data" / "boundaries"
QUANTUM = 1e-4  # degrees; the reader multiplies back by the same figure


def quantise(ring: list[list[float]]) -> list[int]:
    points = []
    for lon, lat in ring:
        q = (round(lon / QUANTUM), round(lat / QUANTUM))
        if not points or q != points[-1]:
            points.append(q)
    if len(set(points)) < 4:
        return []
    flat, last = [], (0, 0)
    for x, y in points:
        flat += [x - last[0], y - last[1]]
        last = (x, y)
    return flat


def main(src: Path) -> None:
    data = json.loads((src / "uk_lad_boundaries_simplified.geojson").read_text(encoding="utf-8"))
    councils = []
    for feature in data["features"]:
        geom = feature["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        rings = [q for poly in polys for ring in poly if (q := quantise(ring))]
        xs = [x for poly in polys for ring in poly for x, _ in ring]
        ys = [y for poly in polys for ring in poly for _, y in ring]
        props = feature["properties"]
        councils.append(
            {
                "name": props["name"],
                "code": props["code"],
                "bbox": [
                    round(min(xs), 4),
                    round(min(ys), 4),
                    round(max(xs), 4),
                    round(max(ys), 4),
                ],
                "rings": rings,
            }
        )
    councils.sort(key=lambda c: c["code"])
    text = json.dumps({"quantum": QUANTUM, "councils": councils}, separators=(",", ":"))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "councils.json.xz").write_bytes(
        lzma.compress(text.encode(), preset=9 | lzma.PRESET_EXTREME)
    )
    size = (OUT / "councils.json.xz").stat().st_size
    print(f"councils.json.xz: {len(councils)} councils, {size:,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/geo"))
