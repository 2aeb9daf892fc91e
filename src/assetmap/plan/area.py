"""Where the person is, as far as the plan may say: their postcode sector's centre and a circle
at least 500 m across, never their own postcode's point or the coordinates typed in.

A full postcode, a point or an online geocoder's answer (an address) is personal: the plan
names only its sector (`ST4 7`) unless the practitioner asks for it (`--show-from`). A sector,
district, town or council from the offline gazetteer is not, and is drawn and named as it is.
"""

from __future__ import annotations

MIN_RADIUS_KM = 0.25  # at least 500 m across
COARSE = ("sector", "district", "place", "council")


class PersonArea:
    """The circle drawn on the map, and the words the plan uses for where distances start."""

    __slots__ = ("lat", "lon", "radius_km", "label", "personal")

    def __init__(
        self, lat: float, lon: float, radius_km: float, label: str, personal: bool = True
    ) -> None:
        self.lat = lat
        self.lon = lon
        self.radius_km = max(radius_km, MIN_RADIUS_KM)
        self.label = label
        # False for a town, district or council drawn as it is: the small print says so
        self.personal = personal


def person_area(place, gazetteer) -> PersonArea:
    """The area to draw for a resolved place (places.resolve.Place)."""
    if not is_personal(place):
        return PersonArea(place.lat, place.lon, place.radius_km, place.label, personal=False)
    sector = None
    if place.precision == "postcode":
        sector = gazetteer.sector(place.label[:-2])
    if sector is None:
        sector = gazetteer.nearest_sector(place.lat, place.lon)
    if sector is None:  # a point far from any GB postcode: round it to about 1 km
        return PersonArea(round(place.lat, 2), round(place.lon, 2), 1.0, "")
    return PersonArea(sector["lat"], sector["lon"], sector["radius_km"], sector["sector"])


def from_words(place, area: PersonArea, show_from: bool) -> str:
    """How the plan names where distances are measured from."""
    if show_from or not is_personal(place):
        return place.label
    return f"your home area ({area.label})" if area.label else "your home area"


def is_personal(place) -> bool:
    """True unless the offline gazetteer placed it no finer than a sector."""
    return not (place.precision in COARSE and place.source.startswith("offline"))
