"""Reading an exclusion-zone file (--avoid-zone): GeoJSON, checked shape by shape.

Whatever the file holds, the result is the polygons or one line naming the file and what is
wrong with it: never a traceback, and never a zone quietly dropped (a licence condition with a
broken part must not be applied as if the part were not there).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from assetmap.errors import InvalidValue

MAX_BYTES = 64 * 1024 * 1024  # a council boundary is a few MB; more is not a zone file
MAX_DEPTH = 20  # collections inside collections; GeoJSON itself needs 3
OTHER_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString")

Ring = list[tuple[float, float]]  # (lon, lat) pairs


def read_polygons(path: str) -> list[list[Ring]]:
    """The file's polygons, each [outer ring, hole, ...] of (lon, lat) pairs."""
    data = _load(path)
    polygons: list[list[Ring]] = []
    _walk(data, "the top level", 0, polygons, path)
    if not polygons:
        raise _bad(path, "there is no Polygon or MultiPolygon to avoid")
    return polygons


def _load(path: str):
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise _bad(
                path,
                f"{size / 1e6:.0f} MB is too big; a zone file is at most {MAX_BYTES / 1e6:.0f} MB",
            )
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidValue(f"could not read zone file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise _bad(path, "not GeoJSON (not UTF-8 text)") from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise _bad(path, "not usable GeoJSON: nested too deeply") from None
    except ValueError as exc:
        raise _bad(path, f"not GeoJSON ({_short(str(exc), 120)})") from None


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number GeoJSON allows in coordinates")


def _walk(obj, where: str, depth: int, out: list, path: str) -> None:
    if depth > MAX_DEPTH:
        raise _bad(path, f"{where}: collections nested more than {MAX_DEPTH} deep")
    if not isinstance(obj, dict):
        raise _bad(path, f"{where} is {_kind(obj)}, not a GeoJSON object")
    kind = obj.get("type")
    if kind == "FeatureCollection":
        for i, feature in enumerate(_list(obj, "features", where, path), start=1):
            _walk(feature, f"feature {i}", depth + 1, out, path)
    elif kind == "Feature":
        geometry = obj.get("geometry")
        if geometry is None:
            return  # an unlocated feature (RFC 7946 allows it): nothing to avoid
        if not isinstance(geometry, dict):
            raise _bad(path, f"{where}: 'geometry' must be an object, not {_kind(geometry)}")
        _walk(geometry, where, depth + 1, out, path)
    elif kind == "GeometryCollection":
        for i, geometry in enumerate(_list(obj, "geometries", where, path), start=1):
            _walk(geometry, f"{where}, geometry {i}", depth + 1, out, path)
    elif kind == "Polygon":
        out.append(_polygon(obj.get("coordinates"), where, path))
    elif kind == "MultiPolygon":
        parts = _list(obj, "coordinates", where, path)
        for i, part in enumerate(parts, start=1):
            out.append(_polygon(part, f"{where}, polygon {i}", path))
    elif kind in OTHER_TYPES:
        raise _bad(
            path,
            f"{where} is a {kind}; --avoid-zone takes areas (Polygon or MultiPolygon). "
            "For a circle round a place use --avoid 'PLACE@RADIUS'",
        )
    else:
        raise _bad(path, f"{where} has type {_short(repr(kind))}, which is not a GeoJSON type")


def _list(obj: dict, key: str, where: str, path: str) -> list:
    value = obj.get(key)
    if not isinstance(value, list):
        raise _bad(path, f"{where}: '{key}' must be a list, not {_kind(value)}")
    return value


def _polygon(coords, where: str, path: str) -> list[Ring]:
    if not isinstance(coords, list) or not coords:
        raise _bad(path, f"{where}: 'coordinates' must be a list of rings, not {_kind(coords)}")
    rings = []
    for r, ring in enumerate(coords, start=1):
        if not isinstance(ring, list):
            raise _bad(path, f"{where}: ring {r} must be a list of positions, not {_kind(ring)}")
        points = [_position(p, where, path) for p in ring]
        distinct = len(set(points))
        if distinct < 3:
            raise _bad(
                path, f"{where}: ring {r} has {distinct} distinct points; a ring needs at least 3"
            )
        rings.append(points)
    return rings


def _position(pos, where: str, path: str) -> tuple[float, float]:
    if not (
        isinstance(pos, list) and len(pos) >= 2 and all(type(v) in (int, float) for v in pos[:2])
    ):
        raise _bad(
            path,
            f"{where}: coordinates must be [longitude, latitude] pairs of numbers, "
            f"not {_short(json.dumps(pos))}",
        )
    lon, lat = pos[0], pos[1]
    if not -180 <= lon <= 180:
        raise _bad(path, f"{where}: longitude {_short(str(lon))} is outside -180..180 (GeoJSON is [longitude, latitude])")  # fmt: skip
    if not -90 <= lat <= 90:
        raise _bad(path, f"{where}: latitude {_short(str(lat))} is outside -90..90 (GeoJSON is [longitude, latitude])")  # fmt: skip
    lon, lat = float(lon), float(lat)
    if not (math.isfinite(lon) and math.isfinite(lat)):  # pragma: no cover (ranges exclude)
        raise _bad(path, f"{where}: coordinates must be finite numbers")
    return lon, lat


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return f"the number {_short(str(value))}"
    if isinstance(value, str):
        return f"the text {_short(repr(value))}"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bad(path: str, what: str) -> InvalidValue:
    return InvalidValue(f"zone file {path}: {what}")
