"""Exclusion zones from licence conditions: circles round a place, and GeoJSON polygons.

An asset on a zone's edge counts as inside: a licence condition is not a place to round down.
"""

from __future__ import annotations

import re
from pathlib import Path

from assetmap.errors import InvalidValue
from assetmap.places.distance import distance_km

_RADIUS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(km|m|mi|miles?)?\s*$", re.I)
# A zone given without @RADIUS covers the place's own extent, but never less than this.
MIN_ZONE_RADIUS_KM = 0.5


def parse_distance(text: str, *, default_unit: str = "km") -> float:
    """'5' / '5km' -> 5.0; '800m' -> 0.8; '3mi' -> 4.828. In km."""
    m = _RADIUS.match(text or "")
    if not m:
        raise InvalidValue(f"'{text}' is not a distance; write 5, 5km, 800m or 3mi")
    value, unit = float(m.group(1)), (m.group(2) or default_unit).lower()
    km = value / 1000 if unit == "m" else value * 1.609344 if unit.startswith("mi") else value
    if km <= 0:
        raise InvalidValue(f"'{text}' must be more than zero")
    return km


def split_zone(text: str) -> tuple[str, float | None]:
    """'B6 4@1.5km' -> ('B6 4', 1.5); 'Aston, Birmingham' -> ('Aston, Birmingham', None)."""
    if "@" in text:
        place, radius = text.rsplit("@", 1)
        return place.strip(), parse_distance(radius)
    return text.strip(), None


# Plain classes: a dataclass costs about 1 ms to create, at every start-up.
class CircleZone:
    __slots__ = ("label", "lat", "lon", "radius_km")

    def __init__(self, label: str, lat: float, lon: float, radius_km: float):
        self.label = label
        self.lat = lat
        self.lon = lon
        self.radius_km = radius_km

    def contains(self, lat: float, lon: float, postcode: str = "", area: str = "") -> bool:
        return distance_km(self.lat, self.lon, lat, lon) <= self.radius_km + 1e-9


class CouncilZone:
    """A council to avoid (`--avoid Cornwall`). An asset recorded in a council (`known`: every
    council's name, folded) is inside when that council is this one, wherever its point is (a
    council is no circle: Bude is beyond Cornwall's 90th-percentile one); an asset with no
    council recorded is inside within the circle round the council's centre."""

    __slots__ = ("label", "council", "lat", "lon", "radius_km", "known")

    def __init__(
        self, label: str, council: str, lat: float, lon: float, radius_km: float,
        known: frozenset[str] = frozenset(),
    ) -> None:  # fmt: skip
        self.label = label
        self.council = council
        self.lat = lat
        self.lon = lon
        self.radius_km = radius_km
        self.known = known

    def contains(self, lat: float, lon: float, postcode: str = "", area: str = "") -> bool:
        folded = area.casefold()
        if folded == self.council.casefold():
            return True
        if folded in self.known:
            return False
        return distance_km(self.lat, self.lon, lat, lon) <= self.radius_km + 1e-9


class PolygonZone:
    __slots__ = ("label", "polygons")

    def __init__(self, label: str, polygons: list):
        self.label = label
        self.polygons = polygons  # [[outer ring, hole, ...], ...] of (lon, lat) pairs

    def contains(self, lat: float, lon: float, postcode: str = "", area: str = "") -> bool:
        return any(_in_polygon(lon, lat, p) for p in self.polygons)


def load_geojson(path: str) -> PolygonZone:
    """The zone drawn in a GeoJSON file; any fault in the file is one InvalidValue naming it."""
    from assetmap.places.geojson import read_polygons

    return PolygonZone(Path(path).name, read_polygons(path))


def _on_segment(x, y, x1, y1, x2, y2) -> bool:
    cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)
    if abs(cross) > 1e-12:
        return False
    return min(x1, x2) - 1e-12 <= x <= max(x1, x2) + 1e-12 and min(y1, y2) - 1e-12 <= y <= max(y1, y2) + 1e-12  # fmt: skip


def _in_ring(x, y, ring) -> bool | None:
    """True inside, False outside, None exactly on the boundary."""
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        if _on_segment(x, y, x1, y1, x2, y2):
            return None
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _in_polygon(x, y, polygon) -> bool:
    outer = _in_ring(x, y, polygon[0])
    if outer is None:
        return True  # on the edge counts as inside
    if not outer:
        return False
    for hole in polygon[1:]:
        h = _in_ring(x, y, hole)
        if h:  # strictly inside a hole is outside the zone; a hole's edge is still the zone
            return False
    return True
