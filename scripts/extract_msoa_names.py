"""Extract the House of Commons Library's names for the 2021 Middle Super Output Areas of
England and Wales into scripts/data/hcl_msoa_names_2021.csv, which build_gazetteer.py reads
for neighbourhood names. A developer tool: run it once on a checkout of
https://github.com/drkane/geo-lookups (msoa_la.csv carries the Library's names; the MSOA
boundaries come from the ONS Open Geography Portal, Generalised Clipped):

    python scripts/extract_msoa_names.py PATH/TO/geo-lookups

The Library names each area of about 8,000 people as local people would ('Roath',
'Grangetown North', 'Shelton & Joiner's Square'). For each: its code, English and Welsh
names, council, the centroid of its boundary, and its full extent (the distance from the
centroid to the farthest point of its boundary).
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

from extract_wards import COUNCIL_FILES, km, row, vertices, write

OUT = Path(__file__).resolve().parent / "data" / "hcl_msoa_names_2021.csv"


def centroid(geometry: dict) -> tuple[float, float]:
    """(lat, lon): the area-weighted centroid of the outer rings less their holes (shoelace
    formula, longitude scaled by cos(latitude): exact enough for areas a few km across)."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    scale = math.cos(math.radians(polygons[0][0][0][1]))
    weight = sum_x = sum_y = 0.0
    for polygon in polygons:
        for n, ring in enumerate(polygon):
            area = cx = cy = 0.0
            for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
                cross = x0 * scale * y1 - x1 * scale * y0
                area += cross / 2
                cx += (x0 + x1) * scale * cross
                cy += (y0 + y1) * cross
            if not area:
                continue
            w = abs(area) if n == 0 else -abs(area)  # holes take their area away
            weight += w
            sum_x += w * cx / (6 * area)
            sum_y += w * cy / (6 * area)
    return sum_y / weight, sum_x / weight / scale


def main(checkout: str) -> None:
    with open(Path(checkout, "msoa_la.csv"), encoding="utf-8", newline="") as fh:
        names = {r["MSOACD"]: r for r in csv.DictReader(fh) if r["MSOA21CD"]}
    areas: dict[str, list] = {}
    for path in sorted(Path(checkout, "boundaries", "msoa").glob("*.geojson")):
        if not path.name.startswith(COUNCIL_FILES):
            continue
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            code = feature["properties"]["MSOA21CD"]
            named = names.get(code)
            if named is None or not named["MSOAHCLNM"].strip():
                continue
            lat, lon = centroid(feature["geometry"])
            extent = max(km(lat, lon, y, x) for x, y in vertices(feature["geometry"]))
            name, welsh = named["MSOAHCLNM"].strip(), named["MSOAHCLNMW"].strip()
            areas[code] = row(code, name, welsh, named["LADCD_ACTIVE"], lat, lon, extent)
    write(OUT, areas)
    print(f"{OUT.name}: {len(areas)} areas")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
