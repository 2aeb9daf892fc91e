"""Choosing how a place is found: the offline gazetteer (default) or an online geocoder
through geopy, opt-in at run time, rate-limited and cached in the catalogue.

geopy is imported only here and only when needed: `import geopy.geocoders` loads every
geocoder module, which would triple the start-up time of a practitioner's search.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable

from assetmap import __version__
from assetmap.errors import InvalidValue, PlaceError
from assetmap.places import postcodes
from assetmap.places.gazetteer import Gazetteer, open_gazetteer
from assetmap.places.resolve import Place, parse_coordinates, resolve

# The gazetteer behind geopy's own interface is in geopy_adapter.OfflineGeocoder.

OFFLINE = "offline"
DEFAULT_USER_AGENT = f"assetmap/{__version__} (community asset directory)"

Warn = Callable[[str], None]


def settings() -> dict:
    """Online geocoder settings from the environment (documented in the README)."""
    return {
        "user_agent": os.environ.get("ASSETMAP_USER_AGENT") or DEFAULT_USER_AGENT,
        "url": os.environ.get("ASSETMAP_GEOCODER_URL", ""),
        "min_delay": _number("ASSETMAP_GEOCODER_DELAY", "1.0", float, "seconds, e.g. 1.0"),
        "timeout": _number("ASSETMAP_GEOCODER_TIMEOUT", "10", float, "seconds, e.g. 10"),
        "retries": _number("ASSETMAP_GEOCODER_RETRIES", "2", int, "a whole number, e.g. 2"),
    }


def _number(variable: str, default: str, kind, example: str):
    """A number from the environment: not below zero, and a timeout above it."""
    text = os.environ.get(variable, default)
    try:
        value = kind(text)
    except ValueError:
        value = math.nan
    least = 0 if variable != "ASSETMAP_GEOCODER_TIMEOUT" else math.ulp(0)
    if not (math.isfinite(value) and value >= least):
        raise InvalidValue(f"{variable}: '{text}' is not a setting it takes; give {example}")
    return value


def _cache_key(geocoder: str, query: str) -> str:
    # Queries may be where a person lives: the cache keeps a hash, never the text.
    import hashlib

    text = f"{geocoder}|{' '.join(query.lower().split())}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _online_geocoder(name: str, conf: dict):
    from urllib.parse import urlsplit

    from geopy.adapters import URLLibAdapter
    from geopy.geocoders import get_geocoder_for_service

    try:
        cls = get_geocoder_for_service(name)
    except Exception:
        raise PlaceError(
            f"'{name}' is not a geocoder geopy knows; use offline or nominatim"
        ) from None
    # geopy's own urllib adapter, as a plain install has it: where `requests` is installed
    # (datasette brings it) geopy picks its requests adapter, which retries a timeout twice more
    # on its own, so ASSETMAP_GEOCODER_RETRIES=2 could mean nine requests to Nominatim.
    kwargs = {
        "user_agent": conf["user_agent"], "timeout": conf["timeout"],
        "adapter_factory": URLLibAdapter,
    }  # fmt: skip
    if conf["url"]:
        parts = urlsplit(conf["url"])
        kwargs.update(scheme=parts.scheme or "https", domain=parts.netloc + parts.path.rstrip("/"))
    return cls(**kwargs)


def _radius_from_bbox(raw: dict) -> float:
    box = raw.get("boundingbox") if isinstance(raw, dict) else None
    try:
        south, north, west, east = (float(v) for v in box or ())
    except (TypeError, ValueError):
        return 1.0
    dlat = (north - south) * 111.2
    dlon = (east - west) * 111.2 * math.cos(math.radians((north + south) / 2))
    return round(max(0.05, math.hypot(dlat, dlon) / 2), 3)


def _quiet_network_logs() -> None:
    """geopy's RateLimiter logs each retry with the query and a traceback, and urllib3 logs
    its own retries: queries may be where a person lives and must never be logged, and
    failures are reported once, as a warning, by find_place."""
    import logging

    for name in ("geopy", "urllib3"):
        logger = logging.getLogger(name)
        logger.addHandler(logging.NullHandler())
        logger.propagate = False


def online_lookup(query: str, name: str, cat, conf: dict) -> Place | None:
    """Ask an online geocoder (cache first). None when it found nothing.
    Network failures raise geopy's GeocoderServiceError family for the caller to handle."""
    key = _cache_key(name, query)
    hit = cat.geocode_cache_get(key)
    if hit is not None:
        if hit["lat"] is None:
            return None
        return Place(
            query, hit["lat"], hit["lon"], "place", hit["radius_km"], "",
            f"{name} (cached)", f"{hit['lat']:.5f},{hit['lon']:.5f}",
        )  # fmt: skip
    from geopy.extra.rate_limiter import RateLimiter

    _quiet_network_logs()
    geocoder = _online_geocoder(name, conf)
    geocode = RateLimiter(
        geocoder.geocode,
        min_delay_seconds=conf["min_delay"],
        max_retries=conf["retries"],
        error_wait_seconds=max(conf["min_delay"], 0.1),
        swallow_exceptions=False,
    )
    location = geocode(query, exactly_one=True)
    if location is None:
        cat.geocode_cache_put(key, name, None, None, None, "")
        return None
    radius = _radius_from_bbox(location.raw)
    # The answer's address is not cached either: it would spell out the query.
    cat.geocode_cache_put(key, name, location.latitude, location.longitude, radius, "")
    return Place(
        query, location.latitude, location.longitude, "place", radius, "", name, location.address
    )


def find_place(text: str, *, geocoder: str, catalogue_opener, warn: Warn) -> Place:
    """Resolve a place the way the user chose.

    Coordinates, full postcodes (live or not) and known postcode sectors and districts are
    always answered offline: they are exact there, and a person's postcode then never leaves
    the machine. Anything else goes to the online
    geocoder when one was chosen, falling back to the gazetteer (with a warning) when the
    network fails.
    """
    gaz = open_gazetteer()
    name = (geocoder or OFFLINE).lower()
    if name == OFFLINE or parse_coordinates(text or "") or _postcode_area(text or "", gaz):
        return resolve(text, gaz)
    from geopy.exc import GeopyError

    try:
        place = online_lookup(text, name, catalogue_opener(), settings())
    except GeopyError as exc:
        warn(
            f"the {name} geocoder did not answer ({type(exc).__name__}); using the offline gazetteer"
        )
        return resolve(text, gaz)
    if place is None:
        warn(f"the {name} geocoder found nothing for that place; trying the offline gazetteer")
        return resolve(text, gaz)
    _fill_area(place, gaz)
    return place


def _postcode_area(text: str, gaz: Gazetteer) -> bool:
    """Any full postcode, or a postcode sector or district the gazetteer has: answered offline.
    A full postcode the bundled data lacks (new, terminated or mistyped) may still be where a
    person lives, so it falls back to its sector here rather than going online; and an online
    geocoder may read 'M16' as a motorway (an exclusion zone must land on the district)."""
    if postcodes.is_full(text):
        return True
    token, sector = postcodes.squash(text), postcodes.as_sector(text)
    return bool(
        (postcodes.is_outcode(token) and gaz.district(token)) or (sector and gaz.sector(sector))
    )


def _fill_area(place: Place, gaz: Gazetteer) -> None:
    near = gaz.nearest_sector(place.lat, place.lon)
    if near and not place.area:
        council = gaz.council(near["council"])
        place.area = council["name"] if council else ""
