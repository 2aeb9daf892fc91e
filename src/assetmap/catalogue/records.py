"""Adding and editing one asset from raw field text (the CLI's add/edit)."""

from __future__ import annotations

from assetmap.catalogue import ownership
from assetmap.catalogue.locating import locate
from assetmap.catalogue.models import Asset
from assetmap.catalogue.store import Catalogue

LOCAL_SOURCE = "local"  # assets added by hand, unless --source names another


def add(cat: Catalogue, fields: dict[str, str]) -> tuple[Asset, list[str]]:
    """Validate, place (coordinates and area from the postcode) and insert. Returns warnings."""
    from assetmap.catalogue import sources

    asset = Asset.from_row(fields, categories=cat.categories())
    asset.source = asset.source or LOCAL_SOURCE
    warnings = _phone_warnings(fields) + locate(asset)
    with cat.transaction() as conn:
        cat.insert(asset)
        sources.record(conn, asset.source, kind="added by hand")
    return asset, warnings


def edit(cat: Catalogue, asset_id: str, fields: dict[str, str]) -> tuple[Asset, bool, list[str]]:
    """Apply the given fields over the stored record, validate the whole, save if changed.

    The record is read inside the write transaction: read before it, a verify, import or
    another edit committed meanwhile would be written back over (a lost update)."""
    with cat.transaction() as conn:
        current = cat.get(asset_id)
        row = {**current.to_row(), **fields, "geo_precision": current.geo_precision}
        if {"lat", "lon", "postcode"} & fields.keys():
            # New location: the stored coordinates no longer describe it unless given again.
            row["geo_precision"] = ""
            if "postcode" in fields and not {"lat", "lon"} & fields.keys():
                row["lat"] = row["lon"] = ""
        asset = Asset.from_row(row, categories=cat.categories())
        warnings = _phone_warnings(fields) + locate(asset)
        counts = cat.write([asset])
        # A person's change: a re-import of the asset's source will leave these alone.
        ownership.mark(conn, asset.id, ownership.changed_fields(current, asset), ownership.EDIT)
    return asset, counts.updated > 0, warnings


def _phone_warnings(fields: dict[str, str]) -> list[str]:
    """A letter O typed for a zero, said as import says it (and `check` reports it)."""
    from assetmap.catalogue import phones

    return [
        f"--{name.replace('_', '-')}: '{fields[name]}' has a letter O where a 0 should be; check it"
        for name in ("phone", "contact_phone")
        if fields.get(name) and phones.has_letter_o(fields[name])
    ]
