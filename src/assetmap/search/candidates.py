"""Candidates for `near`, read from the R*Tree ring by ring, nearest first, never by a scan.

Each ring is the part of a flat-earth disc (places.distance.circle_prefilter: lower-bound scales,
tested on the R*Tree's own coordinates) outside the previous ring's disc, so the rings share
no point and together hold exactly the rows one query of the whole circle would read. After
each ring the caller learns how near an unread point can be, to decide whether to read on.
"""

from __future__ import annotations

from collections.abc import Generator

from assetmap.places.distance import bbox, circle_prefilter, geodesic_floor_km

# The first ring's radius: about the 10 nearest assets at the densest spots of a city centre.
FIRST_RING_KM = 0.025
# Rows worth reading in one ring when the rings so far were nearly empty.
_RING_ROWS = 256
_SELECT = "SELECT a.* FROM assets_rtree r JOIN assets a ON a.pk = r.pk WHERE "
_BOX = "r.max_lat >= ? AND r.min_lat <= ? AND r.max_lon >= ? AND r.min_lon <= ?"
_FLAT = "(r.min_lat - ?) * (r.min_lat - ?) * ? + (r.min_lon - ?) * (r.min_lon - ?) * ?"


def rings(
    conn, lat: float, lon: float, radius_km: float, extra_sql: str, params: list
) -> Generator[tuple[list, float], float | None, None]:
    """(rows of a ring, floor) for each ring out to radius_km: every row not yet read is
    further than `floor` km (geodesic) from the point. The last ring's floor is infinite.

    The caller sends back how many times wider the next ring should be (at least 2x, the
    default; at most 8x, and less when the rings so far held many rows)."""
    box = bbox(lat, lon, radius_km)
    circle = circle_prefilter(lat, lon, box, radius_km)
    if circle is None:  # huge circles and the poles: one query of the box
        yield conn.execute(_SELECT + _BOX + extra_sql, [*box, *params]).fetchall(), float("inf")
        return
    flat = list(circle[:6])
    ky, kx = circle[2] ** 0.5, circle[5] ** 0.5
    outer = circle[6] ** 0.5
    inner2 = None
    flat_km = min(FIRST_RING_KM, outer)
    read = 0
    while True:
        last = flat_km >= outer
        r2 = circle[6] if last else flat_km * flat_km
        # The ring's box holds its whole disc (|dlat| <= r/ky, |dlon| <= r/kx), cut to the
        # circle's own box.
        dlat, dlon = flat_km / ky * 1.000001, flat_km / kx * 1.000001
        ring_box = (
            max(box[0], lat - dlat), min(box[1], lat + dlat),
            max(box[2], lon - dlon), min(box[3], lon + dlon),
        )  # fmt: skip
        sql = _SELECT + _BOX + f" AND {_FLAT} <= ?"
        values = [*ring_box, *flat, r2]
        if inner2 is not None:
            sql += f" AND {_FLAT} > ?"
            values += [*flat, inner2]
        rows = conn.execute(sql + extra_sql, [*values, *params]).fetchall()
        read += len(rows)
        wanted = yield rows, float("inf") if last else geodesic_floor_km(flat_km)
        if last:
            return
        # Rows grow with the area: never more than about 4x what was read, or _RING_ROWS.
        most = max(2.0, min(8.0, (_RING_ROWS / max(read, 1)) ** 0.5))
        inner2 = r2
        flat_km = min(flat_km * max(2.0, min(wanted or 2.0, most)), outer)


def circle_terms(
    conn, lat: float, lon: float, radius_km: float, extra_sql: str, params: list
) -> list[tuple[str, str]]:
    """The distinct (tags, category) pairs of the assets the rings out to radius_km would
    read: what any of them could match a goal with."""
    box = bbox(lat, lon, radius_km)
    circle = circle_prefilter(lat, lon, box, radius_km)
    sql = _BOX if circle is None else f"{_BOX} AND {_FLAT} <= ?"
    values = [*box] if circle is None else [*box, *circle]
    select = (
        "SELECT DISTINCT a.tags, a.category FROM assets_rtree r JOIN assets a ON a.pk = r.pk WHERE "
    )
    return conn.execute(select + sql + extra_sql, [*values, *params]).fetchall()
