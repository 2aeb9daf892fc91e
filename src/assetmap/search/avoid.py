"""Exclusion zones from --avoid and --avoid-zone, and where each one landed, said on stderr.

A licence condition is never applied to a guessed place, nor silently: a place that could be
several is refused with the choices, and every zone says its label, council, centre, radius
and what it covers, even when it excludes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from assetmap.errors import InvalidValue, PlaceError, counted
from assetmap.places.distance import distance_km
from assetmap.places.postcode_zones import AreaZone
from assetmap.places.resolve import SOURCES, Place, councils_called
from assetmap.places.zones import (
    MIN_ZONE_RADIUS_KM,
    CircleZone,
    CouncilZone,
    load_geojson,
    split_zone,
)

# (text, loud): a loud line is shown even with --quiet.
Report = Callable[[str, bool], None]
# A zone this far beyond the search radius is probably not the place that was meant.
FAR_BEYOND_KM = 30.0
# A place known to the metre: the zone is what was typed, and --quiet may hide its report.
EXACT = ("postcode", "coordinates")


def avoid_zone(text: str, find_place: Callable[[str], Place]):
    """The zone for one --avoid value, and the place it was built on."""
    try:
        where, radius = split_zone(text)
    except InvalidValue as exc:
        raise InvalidValue(f"--avoid: {exc}") from None
    try:
        place = find_place(where)
    except PlaceError as exc:
        raise PlaceError(f"--avoid '{text}': {exc}") from None
    if place.alternatives:
        choices = "; ".join(f"'{a}'" for a in [place.label, *place.alternatives])
        raise PlaceError(
            f"--avoid '{text}': '{where}' could be more than one place ({choices}) "
            f"and an exclusion zone is never guessed: say which, e.g. --avoid '{place.label}', "
            "or give a postcode"
        )
    if radius is None and place.precision == "place" and "," not in where:
        place = _council_instead(where, place)
    area = place.precision in ("district", "sector") and place.source.startswith("offline")
    if radius is None and area:
        from assetmap.places.gazetteer import open_gazetteer

        gaz = open_gazetteer()
        row = (
            gaz.district(place.label) if place.precision == "district" else gaz.sector(place.label)
        )
        if row is not None:
            extent = max(row["extent_km"] or place.radius_km, MIN_ZONE_RADIUS_KM)
            zone = AreaZone(text, place.label, place.precision, place.lat, place.lon, extent)
            return zone, place
    extent = radius if radius is not None else max(place.radius_km, MIN_ZONE_RADIUS_KM)
    if radius is None and place.precision == "council":
        from assetmap.places.gazetteer import open_gazetteer

        rows = open_gazetteer().conn.execute("SELECT name FROM councils")
        known = frozenset(r[0].casefold() for r in rows)
        council = place.area or place.label
        return CouncilZone(text, council, place.lat, place.lon, extent, known), place
    return CircleZone(text, place.lat, place.lon, extent), place


def _council_instead(where: str, place: Place) -> Place:
    """A name that is a town or locality and a council ('Manchester', 'Highland') means the
    council in a licence condition: a zone that covers the whole council, never a circle round
    a point that happens to share its name."""
    from assetmap.places.gazetteer import open_gazetteer

    councils = councils_called(where, open_gazetteer())
    if len(councils) != 1:
        return place
    c = councils[0]
    return Place(
        where, c["lat"], c["lon"], "council", c["radius_km"], c["name"],
        "offline: council centroid", c["name"],
        [*place.warnings, f"'{where}' is a place and a council: the zone covers the whole council "
        f"(for a circle round the place give a radius, '{where}@2km')"],
    )  # fmt: skip


def describe(zone, place: Place) -> str:
    """One line: where the zone landed and what it covers."""
    where = f"{place.precision} {place.label}"
    if place.area and place.area not in place.label:
        where += f", {place.area}"
    centre = f"centre {zone.lat:.5f},{zone.lon:.5f}"
    r = f"{zone.radius_km:.2f}".rstrip("0").rstrip(".")
    if isinstance(zone, AreaZone):
        extent = "its full extent" if zone.radius_km > MIN_ZONE_RADIUS_KM else "the least a zone is"
        covers = (
            f"radius {r} km ({extent}); covers assets whose postcode is in {zone.code}, "
            f"and assets with coordinates only within {r} km of the centre"
        )
    elif isinstance(zone, CouncilZone):
        covers = (
            f"radius {r} km (the place's extent); covers assets in {zone.council} (the council "
            f"recorded for them), and assets with no council recorded within {r} km of the centre"
        )
    else:
        how = "as given" if "@" in zone.label else "the place's extent"
        if how != "as given" and place.source == SOURCES["town"]:
            # GeoNames gives a town a point and a population, not a boundary.
            how = f"estimated from its population; give a postcode, or '{zone.label}@RADIUS', to set it"  # fmt: skip
        covers = f"radius {r} km ({how}); covers assets within {r} km of the centre"
    return f"avoiding '{zone.label}': {where}: {centre}, {covers}"


def describe_file(zone) -> str:
    """How many polygons a --avoid-zone file gave, and their bounding box."""
    points = [pt for polygon in zone.polygons for pt in polygon[0]]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    n = len(zone.polygons)
    return (
        f"avoiding zone file {zone.label}: {counted(n, 'polygon')}, bounding box "
        f"{min(lats):.5f},{min(lons):.5f} to {max(lats):.5f},{max(lons):.5f} (lat,lon); "
        "covers assets inside them"
    )


def build_zones(
    avoid: list[str], avoid_zones: list[str], find_place: Callable[[str], Place], *,
    centre: Place | None = None, within_km: float | None = None, report: Report | None = None,
) -> list:  # fmt: skip
    """Every zone, reported as it is built."""
    say = report or (lambda _text, _loud: None)
    zones = []
    for text in avoid:
        zone, place = avoid_zone(text, find_place)
        loud = place.precision not in EXACT or bool(place.warnings)
        say(describe(zone, place), loud)
        for w in place.warnings:
            say(f"warning: --avoid '{text}': {w}", loud)
        if centre is not None and within_km is not None:
            away = distance_km(centre.lat, centre.lon, zone.lat, zone.lon)
            inside = zone.contains(centre.lat, centre.lon, "", centre.area or "")
            if away > within_km + FAR_BEYOND_KM and not inside:
                say(
                    f"warning: --avoid '{text}' is {away:.0f} km from {centre.label}, more than "
                    f"{FAR_BEYOND_KM:.0f} km beyond the search radius: is this the place you meant?",
                    True,
                )
        zones.append(zone)
    for path in avoid_zones:
        zone = load_geojson(path)
        _refuse_swapped(zone)
        say(describe_file(zone), False)
        if centre is not None and within_km is not None:
            far = _far_file(zone, centre, within_km)
            if far:
                say(f"warning: --avoid-zone {zone.label} is {far}", True)
        zones.append(zone)
    return zones


# Great Britain and its islands, roughly (lat, lon): a zone file wholly outside it was most
# likely written [lat, lon] where GeoJSON wants [lon, lat].
_GB = (49.0, 61.5, -9.0, 2.5)


def _in_gb(lat: float, lon: float) -> bool:
    south, north, west, east = _GB
    return south <= lat <= north and west <= lon <= east


def _refuse_swapped(zone) -> None:
    """A zone file wholly outside Great Britain that, read the other way round, lies inside
    it was written [lat, lon]: applied as written it excludes nothing, so a search would show
    places inside a licence exclusion zone. Refused, naming the fix; never guessed."""
    points = [pt for polygon in zone.polygons for ring in polygon for pt in ring]
    if (
        points
        and not any(_in_gb(lat, lon) for lon, lat in points)
        and all(_in_gb(lon, lat) for lon, lat in points)
    ):
        first = f"[{points[0][0]:g}, {points[0][1]:g}]"
        raise InvalidValue(
            f"--avoid-zone {zone.label}: its points lie outside Great Britain as [longitude, "
            f"latitude] and inside it the other way round (the first is {first}), so nothing "
            "would be avoided; GeoJSON is [longitude, latitude]: swap each pair in the file"
        )


def _far_file(zone, centre: Place, within_km: float) -> str:
    """'' when the file's polygons come near the search; else what to say about them."""
    if zone.contains(centre.lat, centre.lon):
        return ""
    points = [pt for polygon in zone.polygons for ring in polygon for pt in ring]
    nearest = min(distance_km(centre.lat, centre.lon, lat, lon) for lon, lat in points)
    if nearest <= within_km + FAR_BEYOND_KM:
        return ""
    outside = not any(_in_gb(lat, lon) for lon, lat in points)
    hint = (
        " It lies outside Great Britain: GeoJSON is [longitude, latitude]; are they swapped?"
        if outside
        else ""
    )
    return (
        f"{nearest:.0f} km from {centre.label}, more than {FAR_BEYOND_KM:.0f} km beyond the "
        f"search radius: is this the place you meant?{hint}"
    )
