"""Exclusion zones named by a postcode district or sector (`--avoid M16`, `--avoid "M1 3"`).

Such a zone covers the district or sector itself. An asset whose postcode is in it is inside,
wherever its coordinates put it; an asset with coordinates only is inside when it lies within
the area's full extent (centre to farthest live postcode), not its 90th-percentile circle: a
licence condition is not a place to round down.
"""

from __future__ import annotations

from assetmap.places import postcodes
from assetmap.places.distance import distance_km


def area_of(postcode: str, kind: str) -> str | None:
    """'m16 0ra' -> 'M16' (district) or 'M16 0' (sector); None when not a full postcode."""
    if not postcodes.is_full(postcode):
        return None
    pc = postcodes.normalise(postcode)
    return pc.split()[0] if kind == "district" else pc[:-2]


class AreaZone:
    """A postcode district or sector to avoid. (A plain class, like the other zones.)"""

    __slots__ = ("label", "code", "kind", "lat", "lon", "radius_km")

    def __init__(self, label: str, code: str, kind: str, lat: float, lon: float, radius_km: float):
        self.label = label  # what the user typed
        self.code = code  # 'M16' or 'M1 3'
        self.kind = kind  # 'district' or 'sector'
        self.lat = lat
        self.lon = lon
        self.radius_km = radius_km  # the full extent

    def contains(self, lat: float, lon: float, postcode: str = "", area: str = "") -> bool:
        code = area_of(postcode, self.kind) if postcode else None
        if code is not None:
            return code == self.code
        return distance_km(self.lat, self.lon, lat, lon) <= self.radius_km + 1e-9
