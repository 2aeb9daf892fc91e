"""Turn what a practitioner knows about a place into a point with an honest precision.

Resolution order: coordinates -> full postcode -> sector -> district -> town/locality ->
council. Every answer carries its precision and an uncertainty radius in km, and says which
source answered. Nothing here imports geopy: online geocoders live in geocoders.py.
"""

from __future__ import annotations

import contextlib
import re

from assetmap.errors import PlaceError, counted, listed
from assetmap.places import postcodes
from assetmap.places.gazetteer import Gazetteer, name_key

# Full-postcode coordinates: median error 0.03 km, p90 0.17 km against surveyed points
# (see the gazetteer NOTES); approximate ones (PQI 50/60) are less certain.
POSTCODE_RADIUS_KM = 0.2
APPROX_POSTCODE_RADIUS_KM = 1.0

# Postcode areas whose full postcodes the open data lacks: their outcode points come from GeoNames.
NOT_IN_OPEN_DATA = {
    "BT": "Northern Ireland", "IM": "Isle of Man", "JE": "Jersey", "GY": "Guernsey",
}  # fmt: skip

_COORDS = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*[, ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


class Place:
    """Where a place is: a point, how precise it is, its council area, and where that came
    from. (A plain class: a dataclass costs about 1 ms to create, at every start-up.)"""

    __slots__ = ("query", "lat", "lon", "precision", "radius_km", "area", "source", "label",
                 "warnings", "alternatives")  # fmt: skip

    def __init__(
        self, query: str, lat: float, lon: float, precision: str, radius_km: float, area: str,
        source: str, label: str, warnings: list[str] | None = None,
        alternatives: list[str] | None = None,
    ) -> None:  # fmt: skip
        self.query = query
        self.lat = lat
        self.lon = lon
        self.precision = precision
        self.radius_km = radius_km
        self.area = area
        self.source = source
        self.label = label
        self.warnings = list(warnings or ())
        # Other places the text could have meant, as 'NAME, QUALIFIER' (a bare name where one
        # place dominated): an exclusion zone refuses such a place rather than guess.
        self.alternatives = list(alternatives or ())

    def to_json(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__ if name != "query"}

    def __repr__(self) -> str:
        return f"Place({self.query!r}, {self.lat}, {self.lon}, {self.precision!r})"


def parse_coordinates(text: str) -> tuple[float, float] | None:
    m = _COORDS.match(text)
    if not m:
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise PlaceError(
            f"'{text}' is outside the range of latitude,longitude (-90..90, -180..180)"
        )
    return lat, lon


def _council_name(gaz: Gazetteer, code: str) -> str:
    row = gaz.council(code) if code else None
    return row["name"] if row else ""


def resolve(text: str, gaz: Gazetteer) -> Place:
    """Resolve offline. Raises PlaceError with choices or close matches when it cannot."""
    query = " ".join((text or "").split())
    if not query:
        raise PlaceError("no place given; give a postcode (ST4 7QB), a town, a council or lat,lon")

    coords = parse_coordinates(query)
    if coords:
        lat, lon = coords
        near = gaz.nearest_sector(lat, lon)
        area = _council_name(gaz, near["council"]) if near else ""
        return Place(
            query, lat, lon, "coordinates", 0.0, area, "coordinates", f"{lat:.5f},{lon:.5f}"
        )

    if postcodes.is_full(query):
        return _full_postcode(query, gaz)
    sector = postcodes.as_sector(query)
    if sector and postcodes.has_space(query):
        return _sector(query, sector, gaz, warnings=[])
    if sector or postcodes.is_outcode(query):
        return _district_or_sector(query, sector, gaz)

    place = _named_place(query, gaz)
    if place:
        return place
    if postcodes.looks_like_postcode(query) or re.fullmatch(r"[\d\s]+", query):
        raise PlaceError(
            f"'{query}' is not a valid postcode; write a full postcode like 'ST4 7QB', "
            "a sector like 'ST4 7' or a district like 'ST4'"
        )
    raise PlaceError(_unknown_message(query, gaz))


def _full_postcode(query: str, gaz: Gazetteer) -> Place:
    pc = postcodes.normalise(query)
    row = gaz.postcode(pc)
    if row:
        sector = gaz.sector(pc[:-2])
        approx = row["pqi"] >= 50
        return Place(
            query, row["lat"], row["lon"], "postcode",
            APPROX_POSTCODE_RADIUS_KM if approx else POSTCODE_RADIUS_KM,
            _council_name(gaz, sector["council"]) if sector else "",
            "offline: ONS/OS postcode" + (" (approximate position)" if approx else ""), pc,
        )  # fmt: skip
    if pc[:2] in NOT_IN_OPEN_DATA:
        warning = (
            f"{pc}: {NOT_IN_OPEN_DATA[pc[:2]]} postcodes are not in the open data; "
            f"using district {pc.split()[0]} instead"
        )
        return _district(query, pc.split()[0], gaz, warnings=[warning])
    warning = f"{pc} is not a live postcode (terminated or unknown); using its sector {pc[:-2]}"
    return _sector(query, pc[:-2], gaz, warnings=[warning])


def _district_or_sector(query: str, sector: str | None, gaz: Gazetteer) -> Place:
    """One token such as 'M13', 'CF10' or 'M139'. A live district wins ('M13' is M13, not
    sector M1 3) and says so when the sector reading exists too; otherwise, a token that
    reads as a sector without its space ('M139') is that sector."""
    token = postcodes.squash(query)
    district = gaz.district(token) if postcodes.is_outcode(token) else None
    if district:
        warnings = []
        if sector and gaz.sector(sector):
            warnings.append(
                f"'{query}' is read as postcode district {token}; for sector {sector} write '{sector}'"
            )
        return _district(query, token, gaz, warnings=warnings)
    if sector and (gaz.sector(sector) or gaz.district(sector.split()[0])):
        return _sector(query, sector, gaz, warnings=[])
    outcode = token if postcodes.is_outcode(token) or not sector else sector.split()[0]
    return _district(query, outcode, gaz, warnings=[])


def _sector(query: str, sector: str, gaz: Gazetteer, warnings: list[str]) -> Place:
    row = gaz.sector(sector)
    if row:
        return Place(
            query, row["lat"], row["lon"], "sector", row["radius_km"],
            _council_name(gaz, row["council"]), "offline: postcode sector", sector, warnings,
        )  # fmt: skip
    outcode = sector.split()[0]
    return _district(
        query, outcode, gaz, warnings=[*warnings, f"no sector {sector}; using district {outcode}"]
    )


def _district(query: str, outcode: str, gaz: Gazetteer, warnings: list[str]) -> Place:
    row = gaz.district(outcode)
    if not row:
        raise PlaceError(f"'{query}': there is no postcode district {outcode}; check the postcode")
    source = "offline: postcode district" if row["source"] == "ons" else "offline: GeoNames outcode"
    return Place(
        query, row["lat"], row["lon"], "district", row["radius_km"],
        _council_name(gaz, row["council"]), source, outcode, warnings,
    )  # fmt: skip


def _split_qualifier(query: str) -> tuple[str, str]:
    if "," in query:
        name, qualifier = query.rsplit(",", 1)
        return name.strip(), qualifier.strip()
    return query, ""


def _matches(qualifier: str, *values: str) -> bool:
    """The qualifier is one of the values or whole words of one: 'Bristol' is 'Bristol, City
    of' and 'Manchester' is in 'Greater Manchester', but 'York' is not 'North Yorkshire'."""
    q = name_key(qualifier)
    return bool(q) and any(re.search(rf"\b{re.escape(q)}\b", name_key(v)) for v in values if v)


# A bare name several places share is read as one of them only when it is a city or large
# town and ten times the size of every other: Aston (Birmingham, 32,000) against a hamlet.
# A ward or census area has no population figure but can be a suburb as big as a town
# (Cheadle in Stockport), so a smaller town never wins over one: the name is refused.
DOMINANT_POPULATION = 20_000
# "NAME, QUALIFIER" takes NAME inside the qualifier or this close to its edge.
NEXT_TO_KM = 3.0
SOURCES = {
    "town": "offline: GeoNames town",
    "locality": "offline: GeoNames locality",
    "neighbourhood": "offline: neighbourhood (library and food bank addresses)",
    "ward": "offline: ONS ward names (May 2025)",
    "area": "offline: House of Commons Library area names (MSOA 2021)",
}


def _named_place(query: str, gaz: Gazetteer) -> Place | None:
    name, qualifier = _split_qualifier(query)
    found = _one_per_council(gaz.places_named(name))
    councils = councils_called(name, gaz) if not qualifier else []
    if councils:
        # A council's own name means the council, or a town or village of that name as it
        # always did: not a ward or census area sharing it (Rother in Chesterfield).
        found = [c for c in found if c["kind"] not in ("ward", "area")]
        if found and not _in_or_dominant(found, councils):
            return _the_council(query, name, councils[0], found)
    chosen = _qualified(found, qualifier, gaz) if qualifier else found
    if found and not chosen:
        raise PlaceError(
            f"'{query}': no {name} in or next to {qualifier}. {name} is: "
            f"{_choices(found)}; say one of those or give a postcode"
        )
    warnings, others = [], []
    top = max(chosen, key=lambda c: c["population"]) if chosen else None
    if len(chosen) > 1 and _dominates(top, [c for c in chosen if c is not top]):
        others = [_choice(c) for c in chosen if c is not top]
        warnings.append(_also(name, others, f"the largest, {_choice(top)}"))
        chosen = [top]
    if len(chosen) == 1:
        c = chosen[0]
        label = _choice(c) if c["council_name"] else c["name"]
        if not qualifier and label == f"{c['name']}, {c['name']}":
            label = c["name"]  # 'Leeds', not 'Leeds, Leeds': the bare name found it
        return Place(
            query, c["lat"], c["lon"], "place", c["radius_km"], c["council_name"],
            SOURCES.get(c["kind"], "offline: GeoNames"), label, warnings, others,
        )  # fmt: skip
    if len(chosen) > 1:
        raise PlaceError(
            f"'{name}' is more than one place: {_choices(chosen)}. Say which (e.g. "
            f"'{_choice(chosen[0])}') or give a postcode"
        )
    councils = gaz.councils_named(name)
    if qualifier:
        councils = [c for c in councils if _matches(qualifier, c["country"], c["name"])]
    if councils:
        c = councils[0]
        return Place(
            query, c["lat"], c["lon"], "council", c["radius_km"], c["name"],
            "offline: council centroid", c["name"],
        )  # fmt: skip
    return None


def _in_or_dominant(found: list, councils: list) -> bool:
    """Whether a place of a council's name is in that council (the town of Stockport: more
    precise than the council) or a large town (20,000 or more) in its own right."""
    codes = {c["code"] for c in councils}
    return any(
        c["council"] in codes or (c["kind"] == "town" and c["population"] >= DOMINANT_POPULATION)
        for c in found
    )


def _the_council(query: str, name: str, council, others: list) -> Place:
    """A council against small places elsewhere that share its name (Elmbridge, Surrey, and a
    Worcestershire hamlet): the council, and stderr names the others. Not a guess an exclusion
    zone refuses: a council's own name is the council there too."""
    warning = _also(name, [_choice(c) for c in others], f"the council, {council['name']}")
    return Place(
        query, council["lat"], council["lon"], "council", council["radius_km"], council["name"],
        "offline: council centroid", council["name"], [warning],
    )  # fmt: skip


def _also(name: str, others: list[str], used: str) -> str:
    """The warning when a name shared with other places is read as one: which, and the rest."""
    return f"'{name}' is also {counted(len(others), 'other place')} ({listed(others, 4)}); using {used}"


def councils_called(name: str, gaz: Gazetteer) -> list:
    """The councils whose own name this is: 'Bristol' is 'Bristol, City of', but 'London' is
    not 'City of London'."""
    return [
        c for c in gaz.councils_named(name)
        if name_key(re.sub(r", (City|County) of$", "", c["name"])) == name_key(name)
    ]  # fmt: skip


def _one_per_council(candidates: list) -> list:
    """GeoNames lists some towns twice; towns sort before localities, so a town is kept."""
    by_council: dict[str, object] = {}
    for c in candidates:
        by_council.setdefault(c["council"] or c["county"], c)
    return list(by_council.values())


def _dominates(top, others: list) -> bool:
    biggest_other = max(c["population"] for c in others)
    return top["population"] >= max(DOMINANT_POPULATION, 10 * max(biggest_other, 1))


def _qualified(candidates: list, qualifier: str, gaz: Gazetteer) -> list:
    """The candidates in the qualifier (a council, town or city, county, country or postcode
    district), or next to it."""
    named = [
        c for c in candidates if _matches(qualifier, c["council_name"], c["country"], c["county"])
    ]
    if named or not candidates:
        return named
    from assetmap.places.distance import distance_km

    areas = [(p["lat"], p["lon"], p["radius_km"]) for p in gaz.places_named(qualifier)]
    areas += [(c["lat"], c["lon"], c["radius_km"]) for c in gaz.councils_named(qualifier)]
    if postcodes.is_outcode(qualifier) or postcodes.as_sector(qualifier):
        with contextlib.suppress(PlaceError):
            p = resolve(qualifier, gaz)
            areas.append((p.lat, p.lon, p.radius_km))
    return [
        c for c in candidates
        if any(distance_km(lat, lon, c["lat"], c["lon"]) <= r + NEXT_TO_KM for lat, lon, r in areas)
    ]  # fmt: skip


def _choice(c) -> str:
    """A candidate in the 'NAME, QUALIFIER' form that resolves to it ('Bristol, City of' is
    written 'Bristol': a qualifier is what follows the last comma)."""
    council = re.sub(r", (City|County) of$", "", c["council_name"])
    return f"{c['name']}, {council or c['county'] or c['country']}"


def _choices(candidates: list, most: int = 8) -> str:
    return listed([f"'{_choice(c)}' ({c['country']})" for c in candidates], most)


def _unknown_message(query: str, gaz: Gazetteer) -> str:
    import difflib

    name, _ = _split_qualifier(query)
    names = gaz.all_names()
    lowered = {n.lower(): n for n in names}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=4, cutoff=0.75)
    hint = f" Did you mean {', '.join(repr(lowered[c]) for c in close)}?" if close else ""
    return (
        f"'{query}' is not a known postcode, town or council.{hint} "
        "You can also give coordinates as 'lat,lon' (e.g. 53.41,-2.16)"
    )


def locate_asset(asset, gaz: Gazetteer) -> list[str]:
    """Fill an asset's missing coordinates and area from its postcode (the area is the
    council of the postcode's sector; an asset with only coordinates keeps a blank area).

    Returns warnings (e.g. a postcode that fell back to its sector). The precision of the
    coordinates is recorded in `geo_precision`.
    """
    warnings: list[str] = []
    if asset.lat is None and asset.postcode:
        place = resolve(asset.postcode, gaz)
        asset.lat, asset.lon = round(place.lat, 6), round(place.lon, 6)
        asset.geo_precision = place.precision
        warnings.extend(place.warnings)
        if not asset.area:
            asset.area = place.area
    elif not asset.area and asset.postcode:
        sector = gaz.sector(asset.postcode[:-2])
        asset.area = _council_name(gaz, sector["council"]) if sector else ""
    return warnings
