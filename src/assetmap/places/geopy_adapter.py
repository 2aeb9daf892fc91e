"""The offline gazetteer behind geopy's geocoder interface.

`OfflineGeocoder().geocode("ST4 7QB")` returns a `geopy.location.Location` whose `raw` holds
the precision, radius and source, so code written for any geopy geocoder can use the offline
gazetteer. Importing this module imports geopy; the search path does not.
"""

from __future__ import annotations

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from assetmap.errors import PlaceError
from assetmap.places.gazetteer import Gazetteer, open_gazetteer
from assetmap.places.resolve import resolve


class OfflineGeocoder(Geocoder):
    def __init__(self, gazetteer: Gazetteer | None = None):
        super().__init__()
        self.gazetteer = gazetteer or open_gazetteer()

    def geocode(self, query, *, exactly_one=True, **_kwargs):
        try:
            place = resolve(str(query), self.gazetteer)
        except PlaceError:
            return None
        location = Location(place.label, Point(place.lat, place.lon), place.to_json())
        return location if exactly_one else [location]
