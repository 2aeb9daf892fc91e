"""Export: catalogue -> CSV (Excel-safe, round-trips through import), JSON, NDJSON, GeoJSON.

Streams: rows are written as they are read, so exporting a large catalogue needs no more
memory than a small one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from assetmap.catalogue.models import COLUMNS
from assetmap.catalogue.vocab import STAFF_ONLY
from assetmap.errors import InvalidValue
from assetmap.transfer import safecsv

FORMATS = ("csv", "json", "ndjson", "geojson")
# Open Referral UK / HSDS 3.0 services as the API serves them (see _openreferral_json).
OPENREFERRAL_JSON = "openreferral-json"


def columns(public: bool = False) -> list[str]:
    """The exported columns: all of them, or without the staff-only ones (`--public`)."""
    return [c for c in COLUMNS if c not in STAFF_ONLY] if public else COLUMNS


def write_file(
    cat, path: str, fmt: str, *, encoding: str = "utf-8", public: bool = False, **filters
) -> int:
    """Export to a file, written beside it and moved into place: never half a file."""
    return write_atomically(
        path, lambda out: write(cat, out, fmt, public=public, **filters), encoding=encoding
    )


def write_atomically(
    path: str, fill, *, encoding="utf-8", prefix=".assetmap-export-", private: bool = False
):
    """Call fill(text stream) on a new file beside `path`, then move it into place; on any
    error remove it, so `path` is the whole new file or untouched. Returns what fill returns.

    The file gets the umask's mode (or keeps the one `path` had; `private`: always 0600, for
    a file about a person); a killed run's temp file is
    swept by the next one into the folder (assetmap.tempfiles). `prefix` names the kind of
    file: ".assetmap-plan-" makes temp files .assetmap-plan-PID-HOST-RANDOM."""
    import os
    from pathlib import Path

    from assetmap import tempfiles

    target = Path(os.path.abspath(path))
    if not target.parent.is_dir():
        raise InvalidValue(
            f"the directory {target.parent} does not exist; create it or choose another file"
        )
    fd, tmp = tempfiles.create(target.parent, tempfiles.kind_of(prefix), private=private)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as out:
            result = fill(out)
        tempfiles.replace(tmp, target, private=private)
    except BaseException:
        tempfiles.remove(tmp)
        raise
    return result


def write(
    cat, out: TextIO, fmt: str, *, public: bool = False, header_if_empty: bool = True, **filters
) -> int:
    """Write the assets; `public` leaves out the staff-only fields (STAFF_ONLY). Without
    `header_if_empty`, a CSV with no assets is nothing at all (`export -q` to stdout)."""
    if fmt == "csv":
        names = columns(public)
        return _csv(cat.iter_columns(names, **filters), out, names, header_if_empty)
    if fmt == OPENREFERRAL_JSON:
        return _openreferral_json(cat.iter_assets(**filters), out, public=public)
    writer = {"json": _json, "ndjson": _ndjson, "geojson": _geojson}[fmt]
    assets = cat.iter_assets(**filters)
    return writer(map(_public_json, assets) if public else map(_json_of, assets), out)


def _json_of(asset) -> dict:
    return asset.to_json()


def _public_json(asset) -> dict:
    d = asset.to_json()
    for name in STAFF_ONLY:
        del d[name]
    return d


def _csv(
    rows: Iterable[tuple], out, names: list[str] = COLUMNS, header_if_empty: bool = True
) -> int:
    """Straight from the stored values (already normalised text), through the one CSV writer,
    which formats numbers as Asset.to_row does and makes formula-like cells inert, so import
    reads back exactly what was exported."""
    if not header_if_empty:
        import itertools

        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return 0
        rows = itertools.chain([first], rows)
    writer = safecsv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    n = 0

    def counted():
        nonlocal n
        for row in rows:
            n += 1
            yield row

    writer.writerows(counted())
    return n


# The JSON writers take each asset as the dict to write (Asset.to_json, maybe made public).
def _json(records, out) -> int:
    out.write("[")
    n = 0
    for record in records:
        out.write(",\n" if n else "\n")
        out.write(json.dumps(record, ensure_ascii=False))
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


def _openreferral_json(assets, out, *, public: bool) -> int:
    """The API's answer to /services as one page holding every service in full, each as
    /services/{id} gives it (hsds.asset_to_service): what an Open Referral UK reader reads,
    and `assetmap import FILE.json` reads back."""
    from assetmap.transfer.hsds import asset_to_service

    out.write('{"contents": [')
    n = 0
    for asset in assets:
        out.write(",\n" if n else "\n")
        out.write(json.dumps(asset_to_service(asset, include_staff=not public), ensure_ascii=False))
        n += 1
    page = {"total_items": n, "total_pages": 1, "page_number": 1, "size": n,
            "first_page": True, "last_page": True, "empty": n == 0}  # fmt: skip
    out.write(f"\n], {json.dumps(page)[1:-1]}}}\n")
    return n


def _ndjson(records, out) -> int:
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n


def _geojson(records, out) -> int:
    return write_geojson(records, out)


def write_geojson(records: Iterable[dict], out) -> int:
    """RFC 7946 FeatureCollection of Points ([lon, lat]), each record (with its `id`, `lat`
    and `lon`) as a feature's properties; records without coordinates get a null geometry, as
    the RFC allows, so nothing is silently dropped. Export and `near --format geojson` both
    write through here."""
    out.write('{"type": "FeatureCollection", "features": [')
    n = 0
    for props in records:
        lat, lon = props.get("lat"), props.get("lon")
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None else None
        feature = {"type": "Feature", "id": props["id"], "geometry": geometry, "properties": props}
        out.write(",\n" if n else "\n")
        out.write(json.dumps(feature, ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n
