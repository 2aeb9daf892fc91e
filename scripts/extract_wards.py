"""Extract the May 2025 electoral wards of Great Britain into scripts/data/ons_wards_2025.csv,
the small table build_gazetteer.py reads for neighbourhood names. A developer tool: run it
once on a checkout of https://github.com/drkane/geo-lookups (ward boundaries from the ONS Open
Geography Portal, Generalised Clipped, OGL v3):

    python scripts/extract_wards.py PATH/TO/geo-lookups

For each ward: its code, English and Welsh names, council (LAD 2025), the ONS label point, and
its full extent: the distance from that point to the farthest point of its boundary, so a
circle of that radius covers the whole ward.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "ons_wards_2025.csv"
# One file per council (district, unitary, metropolitan, London borough, Welsh principal area,
# Scottish council area); the county, region and combined-authority files repeat their wards.
COUNCIL_FILES = ("E06", "E07", "E08", "E09", "W06", "S12")


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2  # fmt: skip
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def vertices(geometry: dict):
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    for polygon in polygons:
        for ring in polygon:
            yield from ring


def main(checkout: str) -> None:
    wards: dict[str, list] = {}
    for path in sorted(Path(checkout, "boundaries", "ward").glob("*.geojson")):
        if not path.name.startswith(COUNCIL_FILES):
            continue
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            p = feature["properties"]
            if "WD25CD" not in p:  # councils abolished before 2025 keep their 2022 wards
                continue
            lat, lon = float(p["LAT"]), float(p["LONG"])
            extent = max(km(lat, lon, y, x) for x, y in vertices(feature["geometry"]))
            welsh = (p.get("WD25NMW") or "").strip()
            name = p["WD25NM"].strip()
            wards[p["WD25CD"]] = row(p["WD25CD"], name, welsh, p["LAD25CD"], lat, lon, extent)
    write(OUT, wards)
    print(f"{OUT.name}: {len(wards)} wards")


def row(code, name, welsh, council, lat, lon, extent_km) -> list[str]:
    """One area as scripts/data/ tables hold it (a Welsh name only where it differs)."""
    extent = f"{math.ceil(extent_km * 100) / 100:.2f}"  # rounded up: a zone never falls short
    return [code, name, welsh if welsh != name else "", council, f"{lat:.5f}", f"{lon:.5f}", extent]


def write(path: Path, areas: dict[str, list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "name", "name_welsh", "council", "lat", "lon", "extent_km"])
        writer.writerows(areas[code] for code in sorted(areas))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
