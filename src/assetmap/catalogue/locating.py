"""Give assets coordinates and an area: used by add, edit, import and `assetmap geocode`."""

from __future__ import annotations

from dataclasses import dataclass, field

from assetmap.catalogue.models import Asset
from assetmap.errors import NotFound, PlaceError
from assetmap.places.gazetteer import open_gazetteer
from assetmap.places.resolve import locate_asset


def locate(asset: Asset, gazetteer=None) -> list[str]:
    """Fill missing coordinates/area offline. An unplaceable postcode is a warning, not an
    error: the asset is kept without coordinates (it cannot appear in `near` until
    `assetmap geocode` or an edit places it)."""
    try:
        return locate_asset(asset, gazetteer or open_gazetteer())
    except PlaceError as exc:
        return [f"{asset.id}: could not place it ({exc})"]


def locator():
    """Placing bound to the gazetteer, opened once: for imports, which call it per row. Unlike
    `locate`, an unplaceable postcode raises PlaceError: the import decides what it means (a
    row problem, unless --allow-unplaced)."""
    gazetteer = open_gazetteer()
    return lambda asset: locate_asset(asset, gazetteer)


@dataclass
class GeocodeReport:
    placed: list[tuple[str, str]] = field(default_factory=list)  # (id, precision)
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (id, reason)


def geocode_missing(cat, *, find_place) -> GeocodeReport:
    """Fill coordinates for every asset without them. Safe to re-run: placed assets are
    skipped next time, and each is written in its own small transaction."""
    report = GeocodeReport()
    for asset in cat.missing_coordinates():
        query = asset.postcode or asset.address.replace("\n", ", ")
        if not query:
            report.unplaced.append((asset.id, "no postcode or address"))
            continue
        try:
            place = find_place(query)
        except PlaceError as exc:
            report.unplaced.append((asset.id, str(exc)))
            continue
        # The lookup can take a while (online): re-read the asset inside the write
        # transaction and fill only its coordinates, so an edit made meanwhile is kept.
        with cat.transaction():
            try:
                current = cat.get(asset.id)
            except NotFound:
                continue  # removed meanwhile
            if current.lat is not None:
                continue  # placed by someone else meanwhile
            if (current.postcode, current.address) != (asset.postcode, asset.address):
                continue  # moved meanwhile: this place is for the old address
            current.lat, current.lon = round(place.lat, 6), round(place.lon, 6)
            current.geo_precision = place.precision
            if not current.area:
                current.area = place.area
            cat.write([current])
        report.placed.append((asset.id, place.precision))
    return report
