"""The plan's map, drawn offline as SVG: council boundaries around the assets, the assets
numbered as in the list, the person's area as a circle (never their home point), a scale bar
and north. Plain equirectangular projection, scaled by cos(latitude): at a town's scale the
distortion is far below what a printed map shows."""

from __future__ import annotations

import math
from html import escape

from assetmap.plan import boundaries

WIDTH, HEIGHT, PAD = 720, 210, 26
KM_PER_DEGREE = 111.32
MIN_SPAN_KM = 1.5
ATTRIBUTION = "Boundaries: ONS, OS (OGL v3), Martin Chorley (CC BY 4.0)"


class _Frame:
    """Longitude/latitude to map units, fitting the given extent."""

    def __init__(self, lons: list[float], lats: list[float]) -> None:
        self.clat = (min(lats) + max(lats)) / 2
        self.clon = (min(lons) + max(lons)) / 2
        self.kx = math.cos(math.radians(self.clat))
        span_x = max((max(lons) - min(lons)) * self.kx, MIN_SPAN_KM / KM_PER_DEGREE)
        span_y = max(max(lats) - min(lats), MIN_SPAN_KM / KM_PER_DEGREE)
        self.scale = min((WIDTH - 2 * PAD) / span_x, (HEIGHT - 2 * PAD) / span_y)  # per degree

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (WIDTH / 2 + (lon - self.clon) * self.kx * self.scale,
                HEIGHT / 2 - (lat - self.clat) * self.scale)  # fmt: skip

    def box(self) -> tuple[float, float, float, float]:
        half_w = WIDTH / 2 / self.scale / self.kx
        half_h = HEIGHT / 2 / self.scale
        return (self.clon - half_w, self.clat - half_h, self.clon + half_w, self.clat + half_h)

    def km_to_units(self, km: float) -> float:
        return km / KM_PER_DEGREE * self.scale


def draw(plan) -> str:
    """The map as an <svg> element; '' when no asset has a position."""
    placed = [item for item in plan.items if item.asset.lat is not None]
    if not placed:
        return ""
    area = plan.area
    r_lat = area.radius_km / KM_PER_DEGREE
    r_lon = r_lat / math.cos(math.radians(area.lat))
    lons = [i.asset.lon for i in placed] + [area.lon - r_lon, area.lon + r_lon]
    lats = [i.asset.lat for i in placed] + [area.lat - r_lat, area.lat + r_lat]
    frame = _Frame(lons, lats)
    parts = [
        f'<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="map-title">',
        '<title id="map-title">Map of the places in this plan, numbered as in the list, and '
        "your area</title>",
        f'<defs><clipPath id="map-clip"><rect width="{WIDTH}" height="{HEIGHT}"/></clipPath></defs>',
        f'<rect class="sea" width="{WIDTH}" height="{HEIGHT}" fill="#eef3f7"/>',
        '<g clip-path="url(#map-clip)">',
        *_councils(frame),
        *_area(frame, area),
        *_assets(frame, placed),
        "</g>",
        *_scale_bar(frame),
        _north(),
        f'<text x="{WIDTH - 6}" y="{HEIGHT - 6}" text-anchor="end" font-size="9" '
        f'fill="#555">{escape(ATTRIBUTION)}</text>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="none" stroke="#888"/>',
        "</svg>",
    ]
    return "\n".join(parts)


def _councils(frame: _Frame) -> list[str]:
    out, labels = [], []
    x0, y0, x1, y1 = frame.box()
    for name, rings in boundaries.councils_in(frame.box()):
        d = []
        for ring in rings:
            last = None
            for k, (lon, lat) in enumerate(ring):
                x, y = frame.xy(lon, lat)
                point = (round(x, 1), round(y, 1))
                if point != last:
                    d.append(f"{'M' if k == 0 else 'L'}{point[0]} {point[1]}")
                    last = point
            d.append("Z")
        out.append(
            f'<path class="council" d="{"".join(d)}" fill="#fbfaf6" stroke="#8c8577" '
            f'stroke-width="1.2" fill-rule="evenodd"/>'
        )
        inside = [(lon, lat) for ring in rings for lon, lat in ring
                  if x0 <= lon <= x1 and y0 <= lat <= y1]  # fmt: skip
        if len(inside) >= 2:
            lon = sum(p[0] for p in inside) / len(inside)
            lat = sum(p[1] for p in inside) / len(inside)
            labels.append((name, *frame.xy(lon, lat)))
    placed: list[tuple[float, float, float]] = []
    for name, x, y in labels:
        x = min(max(x, 70), WIDTH - 70)
        y = min(max(y, 16), HEIGHT - 22)
        half = len(name) * 4.2  # about half the label's width at 11 units, spaced
        if any(abs(y - py) < 14 and abs(x - px) < half + ph for px, py, ph in placed):
            continue  # two names on top of each other read as neither
        placed.append((x, y, half))
        out.append(
            f'<text class="council-name" x="{x:.1f}" y="{y:.1f}" text-anchor="middle" '
            f'font-size="11" letter-spacing="1" fill="#8c8577">{escape(name.upper())}</text>'
        )
    return out


def _area(frame: _Frame, area) -> list[str]:
    x, y = frame.xy(area.lon, area.lat)
    r = max(frame.km_to_units(area.radius_km), 6)
    return [
        f'<circle class="person-area" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#d9822b" '
        'fill-opacity="0.18" stroke="#b3641a" stroke-width="1.5" stroke-dasharray="5 4"/>',
        f'<text x="{x:.1f}" y="{y + r + 13:.1f}" text-anchor="middle" font-size="11" '
        'font-weight="bold" fill="#8a4b12">your area</text>',
    ]


def _assets(frame: _Frame, placed) -> list[str]:
    out = []
    for item in placed:
        x, y = frame.xy(item.asset.lon, item.asset.lat)
        out.append(
            f'<g class="asset"><circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="#1f4e79" '
            f'stroke="#fff" stroke-width="2"/><text x="{x:.1f}" y="{y + 4.5:.1f}" '
            f'text-anchor="middle" font-size="13" font-weight="bold" fill="#fff">'
            f"{item.number}</text></g>"
        )
    return out


def _scale_bar(frame: _Frame) -> list[str]:
    km = next((k for k in (0.25, 0.5, 1, 2, 5, 10, 20, 50, 100)
               if frame.km_to_units(k) >= 70), 100)  # fmt: skip
    length = frame.km_to_units(km)
    label = f"{int(km * 1000)} m" if km < 1 else f"{km:g} km"
    x, y = 12, HEIGHT - 14
    return [
        f'<rect x="{x - 4}" y="{y - 16}" width="{length + 8:.1f}" height="24" fill="#fff" '
        'fill-opacity="0.8"/>',
        f'<path class="scale-bar" d="M{x} {y - 4}V{y}H{x + length:.1f}V{y - 4}" fill="none" '
        'stroke="#222" stroke-width="1.5"/>',
        f'<text x="{x + length / 2:.1f}" y="{y - 6}" text-anchor="middle" font-size="10" '
        f'fill="#222">{label}</text>',
    ]


def _north() -> str:
    x, y = WIDTH - 20, 14
    return (
        f'<g class="north"><path d="M{x} {y}l6 16h-12z" fill="#222"/>'
        f'<text x="{x}" y="{y + 28}" text-anchor="middle" font-size="10" fill="#222">N</text></g>'
    )
