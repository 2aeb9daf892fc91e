"""Build the packaged offline gazetteer (src/assetmap/data/gazetteer/) from ../shared/data/geo.
A developer tool: the installed package never reads ../shared. Run from the repository root:

    python scripts/build_gazetteer.py ../shared/data/geo [../shared/data/assets]

Output (see NOTICE there for licences):
- postcodes.txt.xz, lat.i32.xz, lon.i32.xz, pqi.u8.xz: the 1.74M live GB postcodes, sorted,
  stored column by column (coordinates as little-endian int32 deltas in 1e-5 degrees), which
  lzma packs to about 6 MB;
- sectors.csv, districts.csv, councils.csv, places.csv: the small tables, with each sector's,
  town's and locality's council found by point-in-polygon against the council boundaries;
  places.csv adds the names of the May 2025 electoral wards (scripts/data/ons_wards_2025.csv,
  from scripts/extract_wards.py) and of the census areas the House of Commons Library names
  (scripts/data/hcl_msoa_names_2021.csv, from scripts/extract_msoa_names.py), and of their
  parts ('Hanley Park, Joiner's Square & Shelton' names Shelton), neighbourhoods named in the addresses of open lists of libraries and food
  banks (../shared/data/assets), and GeoNames' shortenings of town names.
"""

from __future__ import annotations

import array
import csv
import gzip
import json
import lzma
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from assetmap.places.gazetteer import COMPACT_KM  # noqa: E402  (the lookup order uses it too)

OUT = Path(__file__).resolve().parents[1] / "src" / "assetmap" / "data" / "gazetteer"
WARDS = Path(__file__).resolve().parent / "data" / "ons_wards_2025.csv"
MSOAS = Path(__file__).resolve().parent / "data" / "hcl_msoa_names_2021.csv"


def read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def write_csv(name: str, header: list[str], rows: list[list]) -> None:
    with open(OUT / name, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"{name}: {len(rows)} rows")


def km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2  # fmt: skip
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


class Councils:
    """Council boundaries for point-in-polygon, with a bounding-box prefilter."""

    def __init__(self, geojson: Path):
        data = json.loads(geojson.read_text(encoding="utf-8"))
        self.items = []
        for f in data["features"]:
            geom = f["geometry"]
            polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
            xs = [x for p in polys for ring in p for x, _ in ring]
            ys = [y for p in polys for ring in p for _, y in ring]
            self.items.append((f["properties"], polys, (min(xs), min(ys), max(xs), max(ys))))

    def find(self, lat: float, lon: float):
        for props, polys, (x0, y0, x1, y1) in self.items:
            if x0 <= lon <= x1 and y0 <= lat <= y1 and any(_in_polygon(lon, lat, p) for p in polys):
                return props
        return None


def _in_ring(x, y, ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _in_polygon(x, y, polygon) -> bool:
    return _in_ring(x, y, polygon[0]) and not any(_in_ring(x, y, h) for h in polygon[1:])


def live_postcodes(geo: Path) -> dict[str, tuple[float, float]]:
    with gzip.open(geo / "gb_postcodes_live.csv.gz", "rt", encoding="utf-8") as fh:
        return {r["postcode"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(fh)}


def sector_extents(
    points: dict[str, tuple[float, float]], sectors: list[dict[str, str]]
) -> dict[str, float]:
    """Each sector's full extent: the distance from its centre to its farthest live postcode
    (an exclusion zone named by a sector covers all of it, not its 90th-percentile circle)."""
    centre = {r["sector"]: (float(r["lat"]), float(r["lon"])) for r in sectors}
    extent = dict.fromkeys(centre, 0.0)
    for pc, (plat, plon) in points.items():
        sector = pc[:-2]
        if sector in centre:
            lat, lon = centre[sector]
            extent[sector] = max(extent[sector], km(lat, lon, plat, plon))
    return {s: round(d + 0.005, 2) for s, d in extent.items()}  # rounded up, never in


def short_names(town: dict[str, str]) -> str:
    """The GeoNames alternate names of a town that are the start of its own name, as people
    shorten it: 'Stoke' for Stoke-on-Trent. ('|'-separated; airport codes and other
    languages are left out.)"""
    words = key(town["name"]).split()
    out = []
    for alt in (town.get("alternatenames") or "").split("|"):
        alt_words = key(alt).split()
        if alt_words and alt_words != words and alt_words == words[: len(alt_words)] and re.fullmatch(r"[A-Za-z' .-]+", alt) and not alt.isupper():  # fmt: skip
            out.append(alt)
    return "|".join(dict.fromkeys(out))


def key(text: str) -> str:
    """As the package's gazetteer.name_key: 'St. Helens' -> 'st helens'."""
    t = re.sub(r"[^\w\s]", " ", text.lower().replace("&", " and "))
    return " ".join(t.split())


# Address lines that are streets or buildings, not neighbourhoods.
_NOT_A_PLACE = re.compile(
    r"\d|\b(road|rd|street|st|lane|avenue|ave|way|close|drive|crescent|terrace|precinct|"
    r"centre|center|house|building|buildings|library|libraries|school|church|college|"
    r"university|unit|floor|level|box|hall|parade|mall|arcade|shopping|estate|campus|"
    r"square|place|walk|row|grove|gardens|court|mews|yard|quay|wharf|circus|broadway|"
    r"hospital|station|prison|hmp|villas|esplanade|county|borough|city|district|council|"
    r"metropolitan|greater|north|south|east|west)\b",
    re.I,
)


def address_localities(assets: Path):
    """(locality, postcode, names that are not it) from the address lines of open lists of
    public libraries and food banks, all OGL v3: 'Edgeley Road, Edgeley, Greater Manchester,
    SK3 9NB' gives Edgeley."""
    with open(assets / "national/libraries/libraries_england_2023_dcms.csv", encoding="utf-8-sig", newline="") as fh:  # fmt: skip
        for r in csv.DictReader(fh):
            yield r["address2"], r["postcode"], {r["authority"], r["address3"], r["reporting"]}
    # Greater Manchester (via Trafford Data Lab): 'street, locality, town' in one field.
    for name in ("gm_food_banks_2018.csv", "gm_libraries.csv"):
        with open(assets / "trafford_gm" / name, encoding="utf-8-sig", newline="") as fh:
            for r in csv.DictReader(fh):
                parts = [p.strip() for p in r["address"].split(",")]
                if len(parts) >= 3:
                    yield parts[-2], r["postcode"], {parts[-1], r["area_name"]}


def neighbourhoods(
    assets: Path, points, councils: Councils, places: list[list], not_places: set[str]
) -> list[list]:
    """Neighbourhood names from address localities, each at the mean of its addresses'
    postcodes. Only a name no town or locality within 5 km already has is added, and not a
    town's name, shortening or misspelling used as an address line."""
    import difflib

    known = defaultdict(list)
    nearby = []  # (key, lat, lon) of every town and locality, to catch misspellings
    for row in places:
        known[key(row[0])].append((float(row[1]), float(row[2])))
        for name in [row[0], *filter(None, row[9].split("|"))]:
            nearby.append((key(name), float(row[1]), float(row[2]), row[8] == "town" and int(row[6]) >= 5000))  # fmt: skip

    def post_town_or_typo(name: str, lat: float, lon: float) -> bool:
        for other, olat, olon, big in nearby:
            if abs(olat - lat) < 0.3 and km(lat, lon, olat, olon) < 30:
                if big and f" {name} " in f" {other} ":
                    return True
                if other != name and difflib.SequenceMatcher(None, name, other).ratio() >= 0.85:
                    return True
        return False

    found = defaultdict(list)
    for raw, postcode, context in address_localities(assets):
        name = " ".join(raw.split())
        pc = " ".join(postcode.upper().split())
        if not name or pc not in points or _NOT_A_PLACE.search(name) or len(name.split()) > 3:
            continue
        if key(name) in {key(c) for c in context} or not re.fullmatch(r"[A-Za-z' .-]+", name):
            continue
        if (
            key(name) in not_places
            or name.lower().startswith(("nr ", "the "))
            or name == "Cleveland"
        ):
            continue
        lat, lon = points[pc]
        if any(km(lat, lon, a, b) < 5 for a, b in known[key(name)]):
            continue
        if post_town_or_typo(key(name), lat, lon):
            continue
        found[key(name)].append((name, lat, lon))
    rows = []
    for pts in found.values():
        # One name, maybe in several places (two Hillfields): group points within 5 km.
        groups: list[list] = []
        for p in pts:
            group = next((g for g in groups if km(p[1], p[2], g[0][1], g[0][2]) < 5), None)
            (group.append(p) if group else groups.append([p]))
        for g in groups:
            lat = sum(p[1] for p in g) / len(g)
            lon = sum(p[2] for p in g) / len(g)
            props = councils.find(lat, lon)
            if props is not None:
                rows.append([g[0][0], f"{lat:.5f}", f"{lon:.5f}", props["code"], "England", "", 0, 1.0, "neighbourhood", ""])  # fmt: skip
    return rows


# Parts of area names that are not places anyone names ('Driffield and Rural').
_GENERIC_PART = re.compile(
    r"(north|south|east|west|north east|north west|south east|south west|central|centre|"
    r"town|town centre|city|city centre|district|rural|coastal|villages?|wards?|and|the|"
    r"mid|outer|inner|north central)",  # 'Mid and Upper Nithsdale', 'Tiverton North & Outer'
)
_DIRECTION = re.compile(r"^(.+?) (north|south|east|west|north east|north west|south east|south west|central)$", re.I)  # fmt: skip


def area_names(name: str) -> list[str]:
    """The place names an area's name gives: itself (when it has no comma or slash), each of
    its parts, and each part without a compass point. 'Hanley Park, Joiner's Square & Shelton'
    gives Hanley Park, Joiner's Square and Shelton; 'Grangetown North' gives itself and
    Grangetown; 'Craigentinny/Duddingston' gives both."""
    name = re.sub(r"\s*\([^)]*\)", "", name)  # 'Plaistow (Bromley)': the council says which
    parts = [p.strip() for p in re.split(r"\s*(?:,|&|/|\band\b)\s*", name) if p.strip()]
    names = [name] if not re.search(r"[,/]", name) else []
    names += parts if len(parts) > 1 else []
    names += [m.group(1) for n in list(names) if (m := _DIRECTION.match(n))]
    # The whole name cut at its last compass point ('Ormskirk North & West' -> 'Ormskirk
    # North &') ends in a joining word: its parts already give the names.
    names = [n for n in names if not re.search(r"(&|\band)$", n)]
    return [n for n in dict.fromkeys(names) if not _GENERIC_PART.fullmatch(key(n))]


def area_places(place_rows: list[list], country_of: dict[str, str]) -> list[list]:
    """Place rows for the names of wards (May 2025, ONS) and of census areas (MSOA 2021, as the
    House of Commons Library names them), each at its area's point with a radius that covers
    the whole area. One name from several areas of a council within 5 km of each other
    ('Moss Side' from the ward, 'Moss Side West' and '... & Moss Side East') is one place that
    covers them all. A town of the same name nearby already answers for it. A GeoNames
    locality of the same name nearby (placed at a postcode district's centre) is replaced by
    a compact area, and kept over a large rural one. Returns the rows to keep, with the new
    ones."""
    found: dict[tuple[str, str], list] = defaultdict(list)
    for path, kind in ((WARDS, "ward"), (MSOAS, "area")):
        for r in read_csv(path):
            for name in area_names(r["name"]):
                welsh = r["name_welsh"] if name == r["name"] else ""
                found[(key(name), r["council"])].append((name, float(r["lat"]), float(r["lon"]), float(r["extent_km"]), welsh, kind))  # fmt: skip
    by_key = defaultdict(list)
    for i, row in enumerate(place_rows):
        by_key[key(row[0])].append(i)
    superseded, rows, counts = set(), [], defaultdict(int)
    for (k, council), pts in found.items():
        groups: list[list] = []
        for p in sorted(pts, key=lambda p: p[5] != "ward"):  # a ward's own name leads
            group = next((g for g in groups if km(p[1], p[2], g[0][1], g[0][2]) < 5), None)
            (group.append(p) if group else groups.append([p]))
        for g in groups:
            lat = sum(p[1] for p in g) / len(g)
            lon = sum(p[2] for p in g) / len(g)
            radius = max(km(lat, lon, p[1], p[2]) + p[3] for p in g)
            near = [i for i in by_key[k] if km(lat, lon, float(place_rows[i][1]), float(place_rows[i][2])) < max(5, radius)]  # fmt: skip
            # A village's own point beats the middle of a large rural area named after it.
            if any(place_rows[i][8] == "town" for i in near) or (near and radius > COMPACT_KM):
                continue
            superseded.update(near)
            welsh = "|".join(dict.fromkeys(p[4] for p in g if p[4]))
            # The county a replaced locality had keeps 'Moss Side, Lancashire' working.
            county = next((place_rows[i][5] for i in near if place_rows[i][5]), "")
            kind = g[0][5]
            counts[kind] += 1
            rows.append([g[0][0], f"{lat:.5f}", f"{lon:.5f}", council, country_of.get(council, ""), county, 0, round(max(radius, 0.5), 2), kind, welsh])  # fmt: skip
    kept = [row for i, row in enumerate(place_rows) if i not in superseded]
    print(f"area names: {counts['ward']} from wards, {counts['area']} from census areas; {len(superseded)} GeoNames localities replaced")  # fmt: skip
    return kept + rows


def with_counties(place_rows: list[list]) -> list[list]:
    """Give each town, ward, census area and neighbourhood the county most of its council's
    GeoNames localities have, so 'Shelton, Staffordshire' and 'Armley, West Yorkshire' work as
    a village's own county ('Christleton, Cheshire') does."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in place_rows:
        if row[8] == "locality" and row[3] and row[5]:
            counts[row[3]][row[5]] += 1
    for row in place_rows:
        if row[3] and not row[5] and counts[row[3]]:
            row[5] = counts[row[3]].most_common(1)[0][0]
    return place_rows


def build_postcodes(geo: Path) -> None:
    pcs, lats, lons, pqis = [], array.array("i"), array.array("i"), bytearray()
    with gzip.open(geo / "gb_postcodes_live.csv.gz", "rt", encoding="utf-8") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: r["postcode"])
    prev_lat = prev_lon = 0
    for r in rows:
        lat, lon = round(float(r["lat"]) * 1e5), round(float(r["lon"]) * 1e5)
        pcs.append(r["postcode"])
        lats.append(lat - prev_lat)
        lons.append(lon - prev_lon)
        pqis.append(int(r["pqi"]))
        prev_lat, prev_lon = lat, lon
    if sys.byteorder != "little":
        lats.byteswap()
        lons.byteswap()
    for name, payload in (
        ("postcodes.txt.xz", "\n".join(pcs).encode("ascii")),
        ("lat.i32.xz", lats.tobytes()),
        ("lon.i32.xz", lons.tobytes()),
        ("pqi.u8.xz", bytes(pqis)),
    ):
        (OUT / name).write_bytes(lzma.compress(payload, preset=9))
        print(f"{name}: {(OUT / name).stat().st_size / 1e6:.1f} MB")


def main(geo_dir: str, assets_dir: str = "") -> None:
    geo = Path(geo_dir)
    OUT.mkdir(parents=True, exist_ok=True)
    councils = Councils(geo / "uk_lad_boundaries_simplified.geojson")

    # Councils: GSS centroids (postcode-weighted) where present, else boundary centroids (NI).
    council_rows, seen = [], set()
    radius_by_code = {}
    for props, polys, _ in councils.items:
        centre = None
        for r in read_csv(geo / "uk_lad_centroids.csv"):
            if r["code"] == props["code"]:
                centre = (float(r["postcode_weighted_lat"] or r["geom_lat"]), float(r["postcode_weighted_lon"] or r["geom_lon"]))  # fmt: skip
        if centre:
            dists = sorted(km(centre[0], centre[1], y, x) for p in polys for x, y in p[0])
            radius_by_code[props["code"]] = round(dists[int(len(dists) * 0.9)], 1)
    for r in read_csv(geo / "gb_lad_centroids_gss.csv"):
        seen.add(r["lad_code"])
        council_rows.append([r["lad_code"], r["name"], r["country"], r["lat"], r["lon"], radius_by_code.get(r["lad_code"], 10.0)])  # fmt: skip
    for r in read_csv(geo / "uk_lad_centroids.csv"):
        if r["code"] not in seen:
            seen.add(r["code"])
            council_rows.append([r["code"], r["name"], r["country"], r["postcode_weighted_lat"] or r["geom_lat"], r["postcode_weighted_lon"] or r["geom_lon"], radius_by_code.get(r["code"], 10.0)])  # fmt: skip
    write_csv("councils.csv", ["code", "name", "country", "lat", "lon", "radius_km"], council_rows)
    country_of = {row[0]: row[2] for row in council_rows}

    districts = read_csv(geo / "gb_postcode_districts.csv")
    district_rows, district_council = [], {}
    for r in districts:
        district_council[r["outcode"]] = r["lad_code"]
        district_rows.append([r["outcode"], r["lat"], r["lon"], r["radius_p90_km"], r["lad_code"], "ons", r["radius_max_km"]])  # fmt: skip
    known = {r["outcode"] for r in districts}
    # GeoNames outcode points only where the ONS data has none (BT, IM, JE, GY).
    for r in read_csv(geo / "geonames_outcode_summary.csv"):
        if r["outcode"] not in known:
            known.add(r["outcode"])
            props = councils.find(float(r["lat"]), float(r["lon"]))
            district_rows.append([r["outcode"], r["lat"], r["lon"], "5.0", props["code"] if props else "", "geonames", "5.0"])  # fmt: skip
    write_csv("districts.csv", ["outcode", "lat", "lon", "radius_km", "council", "source", "extent_km"], district_rows)  # fmt: skip

    sector_rows = []
    sectors = read_csv(geo / "gb_postcode_sectors.csv")
    points = live_postcodes(geo)
    extents = sector_extents(points, sectors)
    for r in sectors:
        props = councils.find(float(r["lat"]), float(r["lon"]))
        code = props["code"] if props else district_council.get(r["outcode"], "")
        sector_rows.append([r["sector"], r["lat"], r["lon"], r["radius_p90_km"], code, extents[r["sector"]]])  # fmt: skip
    write_csv("sectors.csv", ["sector", "lat", "lon", "radius_km", "council", "extent_km"], sector_rows)  # fmt: skip

    # Places: GeoNames towns (cities500), then outcode localities for names no town has.
    place_rows = []
    town_names = set()
    countries = {"ENG": "England", "SCT": "Scotland", "WLS": "Wales", "NIR": "Northern Ireland"}
    for r in read_csv(geo / "geonames_cities500_uk.csv"):
        lat, lon, pop = float(r["lat"]), float(r["lon"]), int(r["population"] or 0)
        props = councils.find(lat, lon)
        # Radius of a town of this population at about 3,000 people per km².
        radius = min(15.0, max(1.0, math.sqrt(pop / 3000 / math.pi)))
        town_names.add(r["name"].lower())
        place_rows.append([r["name"], r["lat"], r["lon"], props["code"] if props else "", countries.get(r["admin1_code"], ""), "", pop, round(radius, 1), "town", short_names(r)])  # fmt: skip
    district_radius = {r["outcode"]: float(r["radius_p90_km"]) for r in districts}
    groups = defaultdict(list)
    for r in read_csv(geo / "geonames_postal_outcodes_gb_im_je_gg.tsv", delimiter="\t"):
        if r["place_name"].lower() in town_names or not r["latitude"]:
            continue
        lat, lon = float(r["latitude"]), float(r["longitude"])
        props = councils.find(lat, lon)
        code = props["code"] if props else ""
        groups[(r["place_name"], code, r["admin_name2"])].append((lat, lon, r["postal_code"], r["admin_name1"]))  # fmt: skip
    for (name, code, county), pts in groups.items():
        lat = sum(p[0] for p in pts) / len(pts)
        lon = sum(p[1] for p in pts) / len(pts)
        radius = max(district_radius.get(p[2], 3.0) for p in pts)
        place_rows.append([name, f"{lat:.5f}", f"{lon:.5f}", code, country_of.get(code, pts[0][3]), county, 0, round(radius, 1), "locality", ""])  # fmt: skip
    assets = Path(assets_dir) if assets_dir else geo.parent / "assets"
    # Councils and counties are not neighbourhoods, whatever an address line says.
    not_places = {key(row[1]) for row in council_rows} | {key(c) for _, _, c in groups}
    place_rows = area_places(place_rows, country_of)
    place_rows += neighbourhoods(assets, points, councils, place_rows, not_places)
    place_rows = with_counties(place_rows)
    write_csv("places.csv", ["name", "lat", "lon", "council", "country", "county", "population", "radius_km", "kind", "aliases"], place_rows)  # fmt: skip

    build_postcodes(geo)


if __name__ == "__main__":
    main(*sys.argv[1:3]) if len(sys.argv) > 1 else main("../shared/data/geo")
