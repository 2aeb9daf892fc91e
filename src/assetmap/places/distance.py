"""Distances. The exact WGS84 geodesic where it decides something or is shown; a haversine
pre-check everywhere else, because it is far cheaper.

The geodesic is Vincenty's inverse formula (agrees with geopy's geodesic, i.e. geographiclib,
to well under a millimetre at UK distances, and is about 15x faster in pure Python);
geographiclib takes over in the rare cases Vincenty does not converge (near-antipodal points).
It is imported directly: `import geopy.distance` would load every geocoder module.
"""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088
# Haversine differs from the WGS84 geodesic by under 0.4% in Britain and 0.57% anywhere (the
# ellipsoid's radii of curvature against the mean radius): within this band of an edge, the
# geodesic decides.
HAVERSINE_MARGIN = 0.006

_geodesic = None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


_A = 6378137.0
_F = 1 / 298.257223563
_B = _A * (1 - _F)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance on the WGS84 ellipsoid, as geopy.distance.geodesic gives it."""
    if lat1 == lat2 and lon1 == lon2:
        return 0.0
    u1 = math.atan((1 - _F) * math.tan(math.radians(lat1)))
    u2 = math.atan((1 - _F) * math.tan(math.radians(lat2)))
    big_l = math.radians(lon2 - lon1)
    lam = big_l
    sin_u1, cos_u1, sin_u2, cos_u2 = math.sin(u1), math.cos(u1), math.sin(u2), math.cos(u2)
    for _ in range(100):
        sin_lam, cos_lam = math.sin(lam), math.cos(lam)
        sin_sigma = math.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
        if sin_sigma == 0:
            return 0.0
        cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cos_u1 * cos_u2 * sin_lam / sin_sigma
        cos2_alpha = 1 - sin_alpha * sin_alpha
        cos_2sm = cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha if cos2_alpha else 0.0
        c = _F / 16 * cos2_alpha * (4 + _F * (4 - 3 * cos2_alpha))
        lam_prev = lam
        lam = big_l + (1 - c) * _F * sin_alpha * (
            sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm * cos_2sm))
        )
        if abs(lam - lam_prev) < 1e-12:
            u_sq = cos2_alpha * (_A * _A - _B * _B) / (_B * _B)
            a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
            b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
            d_sigma = b * sin_sigma * (
                cos_2sm + b / 4 * (cos_sigma * (-1 + 2 * cos_2sm * cos_2sm)
                - b / 6 * cos_2sm * (-3 + 4 * sin_sigma * sin_sigma) * (-3 + 4 * cos_2sm * cos_2sm))
            )  # fmt: skip
            return _B * a * (sigma - d_sigma) / 1000.0
    return _geographiclib_km(lat1, lon1, lat2, lon2)


def _geographiclib_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    global _geodesic
    if _geodesic is None:
        from geographiclib.geodesic import Geodesic

        _geodesic = Geodesic.WGS84
    return _geodesic.Inverse(lat1, lon1, lat2, lon2, _DISTANCE_ONLY)["s12"] / 1000.0


_DISTANCE_ONLY = 1025  # geographiclib's Geodesic.DISTANCE: no azimuths, which is faster


# The flat test's margins (see circle_prefilter): 1% for the flat earth, 10 m for the R*Tree's
# 32-bit coordinates.
_FLAT_SCALE = 1.01
_FLAT_PAD_KM = 0.01


def flat_radius_km(radius_km: float) -> float:
    """The flat-test radius that keeps every point within radius_km (geodesic)."""
    return radius_km * _FLAT_SCALE + _FLAT_PAD_KM


def geodesic_floor_km(flat_km: float) -> float:
    """A lower bound on the geodesic distance of any point that the flat test with radius
    flat_km leaves out: the converse of flat_radius_km."""
    return max(0.0, (flat_km - _FLAT_PAD_KM) / _FLAT_SCALE)


def circle_prefilter(lat: float, lon: float, box: tuple, radius_km: float) -> tuple | None:
    """Parameters (lat, lat, ky², lon, lon, kx², r²) of a test on flat-earth squared distance
    that never drops a point within radius_km of (lat, lon) inside `box`: both scales are lower
    bounds (110.5 km for a degree of latitude, under the shortest real one, 110.57; a degree
    of longitude at the box's most poleward latitude) and r has a 1% + 10 m margin (the
    R*Tree keeps coordinates as 32-bit floats, within half a metre). The same holds for any
    smaller radius with the same scales, which is what searching in rings relies on. Only for
    circles up to 100 km away from the poles; None otherwise (the box alone is used)."""
    poleward = max(abs(box[0]), abs(box[1]))
    if radius_km > 100 or poleward > 80:
        return None
    ky = 110.5
    kx = 110.5 * math.cos(math.radians(poleward))
    return (lat, lat, ky * ky, lon, lon, kx * kx, flat_radius_km(radius_km) ** 2)


def bbox(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle, with a small safety margin."""
    r = radius_km * (1 + 2 * HAVERSINE_MARGIN)
    dlat = r / 110.574
    dlon = r / (111.320 * max(math.cos(math.radians(min(abs(lat) + dlat, 89.9))), 1e-6))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon
