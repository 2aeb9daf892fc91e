"""The bundled council boundaries (data/boundaries, built by scripts/build_boundaries.py): the
outlines a plan's map draws around the assets."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _councils() -> list[dict]:
    import json
    import lzma
    from importlib.resources import files

    raw = files("assetmap").joinpath("data/boundaries/councils.json.xz").read_bytes()
    data = json.loads(lzma.decompress(raw))
    quantum = data["quantum"]
    for council in data["councils"]:
        council["quantum"] = quantum
    return data["councils"]


def _ring(deltas: list[int], quantum: float) -> list[tuple[float, float]]:
    points, x, y = [], 0, 0
    for i in range(0, len(deltas), 2):
        x += deltas[i]
        y += deltas[i + 1]
        points.append((x * quantum, y * quantum))
    return points


def councils_in(box: tuple[float, float, float, float]) -> list[tuple[str, list]]:
    """(name, rings of (lon, lat)) for each council whose bounding box meets `box`
    (min_lon, min_lat, max_lon, max_lat)."""
    x0, y0, x1, y1 = box
    found = []
    for c in _councils():
        bx0, by0, bx1, by1 = c["bbox"]
        if bx0 <= x1 and bx1 >= x0 and by0 <= y1 and by1 >= y0:
            found.append((c["name"], [_ring(r, c["quantum"]) for r in c["rings"]]))
    return found
