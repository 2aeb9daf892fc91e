"""The plan's map, drawn offline as SVG: council boundaries around the assets, the assets
numbered as in the list with their short names, the names of the wards and neighbourhoods
nearby (from the bundled gazetteer), the person's area as a circle (never their home point), a
scale bar and north. Plain equirectangular projection, scaled by cos(latitude): at a town's
scale the distortion is far below what a printed map shows.

Every label is placed where it crosses no boundary line, no other label and no marker (a label
with nowhere to go is left off), and has a white halo. Text colours pass WCAG AA (4.5:1) on the
land, the sea and the tint of the person's area.
"""

from __future__ import annotations

import math
import re
from html import escape

from assetmap.plan import boundaries

WIDTH, PAD = 720, 26
# The map's height in units (720 wide, about 186 mm on the page), by how many places the plan
# holds: the room the cards leave on one A4 page goes to the map.
HEIGHTS = {1: 470, 2: 400, 3: 330, 4: 250}
LOW_HEIGHT = 210
ROOMY_HEIGHT, ROOMY_MARGIN = 400, 0.25  # map units (about 103 mm); a quarter of the span
KM_PER_DEGREE = 111.32
MIN_SPAN_KM = 1.5
ATTRIBUTION = "Boundaries: ONS, OS (OGL v3), Martin Chorley (CC BY 4.0)"

LAND, SEA = "#fbfaf6", "#eef3f7"
BOUNDARY = "#8c8577"  # a line, not text: 3.5:1 on the land (WCAG asks 3:1 of graphics)
COUNCIL_TEXT = "#5e574a"  # 6.8:1 on the land (it was the line's colour, 3.5:1)
PLACE_TEXT = "#3d3d3d"
ASSET = "#1f4e79"
AREA_TEXT = "#7a4210"
HALO = 'stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
# About how wide a character of DejaVu Sans/Arial is, in ems (a little over, to be safe).
EM_WIDTH = {"normal": 0.6, "bold": 0.68, "caps": 0.74}
MAX_PLACE_NAMES = 14
SHORT_NAME = 26


def height_for(places: int) -> int:
    return HEIGHTS.get(places, LOW_HEIGHT)


class _Frame:
    """Longitude/latitude to map units, fitting the given extent."""

    def __init__(self, lons: list[float], lats: list[float], height: int) -> None:
        self.height = height
        self.clat = (min(lats) + max(lats)) / 2
        self.clon = (min(lons) + max(lons)) / 2
        self.kx = math.cos(math.radians(self.clat))
        span_x = max((max(lons) - min(lons)) * self.kx, MIN_SPAN_KM / KM_PER_DEGREE)
        span_y = max(max(lats) - min(lats), MIN_SPAN_KM / KM_PER_DEGREE)
        self.scale = min((WIDTH - 2 * PAD) / span_x, (height - 2 * PAD) / span_y)  # per degree

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (WIDTH / 2 + (lon - self.clon) * self.kx * self.scale,
                self.height / 2 - (lat - self.clat) * self.scale)  # fmt: skip

    def box(self) -> tuple[float, float, float, float]:
        half_w = WIDTH / 2 / self.scale / self.kx
        half_h = self.height / 2 / self.scale
        return (self.clon - half_w, self.clat - half_h, self.clon + half_w, self.clat + half_h)

    def km_to_units(self, km: float) -> float:
        return km / KM_PER_DEGREE * self.scale


class _Room:
    """What is already on the map: rectangles (markers, labels, the scale bar) and boundary
    segments, in a grid so a label's test looks only at what is near it."""

    CELL = 40.0

    def __init__(self, height: int) -> None:
        self.height = height
        self.rects: list[tuple[float, float, float, float]] = []
        self.grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def add_segment(self, x1: float, y1: float, x2: float, y2: float) -> None:
        c = self.CELL
        for gx in range(int(min(x1, x2) // c), int(max(x1, x2) // c) + 1):
            for gy in range(int(min(y1, y2) // c), int(max(y1, y2) // c) + 1):
                self.grid.setdefault((gx, gy), []).append((x1, y1, x2, y2))

    def free(self, rect: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = rect
        if x0 < 3 or y0 < 3 or x1 > WIDTH - 3 or y1 > self.height - 3:
            return False
        if any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in self.rects):
            return False
        c = self.CELL
        seen = set()
        for gx in range(int(x0 // c), int(x1 // c) + 1):
            for gy in range(int(y0 // c), int(y1 // c) + 1):
                for seg in self.grid.get((gx, gy), ()):
                    if seg not in seen:
                        seen.add(seg)
                        if _segment_meets(seg, rect):
                            return False
        return True


def _segment_meets(seg, rect) -> bool:
    """Whether the segment touches the rectangle (Liang-Barsky clipping)."""
    x1, y1, x2, y2 = seg
    x0, y0, xr, yb = rect
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x1 - x0), (dx, xr - x1), (-dy, y1 - y0), (dy, yb - y1)):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
    return True


class _Label:
    """A label's text and look; `rect` is where it would sit with its anchor at (x, y)."""

    def __init__(self, text: str, size: float, style: str = "normal", spacing: float = 0):
        self.text, self.size, self.style, self.spacing = text, size, style, spacing
        self.width = len(text) * (size * EM_WIDTH[style] + spacing)

    def rect(self, x: float, y: float, anchor: str) -> tuple[float, float, float, float]:
        left = {"start": x, "middle": x - self.width / 2, "end": x - self.width}[anchor]
        # Ascent about 0.8 em above the baseline, descent 0.25 below; 2 units to spare.
        return (left - 2, y - self.size * 0.8 - 2, left + self.width + 2, y + self.size * 0.25 + 2)


def _place(room: _Room, label: _Label, spots) -> tuple[float, float, str] | None:
    for x, y, anchor in spots:
        rect = label.rect(x, y, anchor)
        if room.free(rect):
            room.rects.append(rect)
            return x, y, anchor
    return None


def draw(plan, height: int | None = None) -> str:
    """The map as an <svg> element; '' when no asset has a position."""
    placed = [item for item in plan.items if item.asset.lat is not None]
    if not placed:
        return ""
    height = height or height_for(len(plan.items))
    area = plan.area
    r_lat = area.radius_km / KM_PER_DEGREE
    r_lon = r_lat / math.cos(math.radians(area.lat))
    lons = [i.asset.lon for i in placed] + [area.lon - r_lon, area.lon + r_lon]
    lats = [i.asset.lat for i in placed] + [area.lat - r_lat, area.lat + r_lat]
    if height >= ROOMY_HEIGHT:
        # A large map (one or two places) shows the streets' surroundings, with their names
        # to go by, rather than zooming in on the circle: a margin round what must be shown.
        kx = math.cos(math.radians(area.lat))
        span = max((max(lons) - min(lons)) * kx, max(lats) - min(lats)) * ROOMY_MARGIN
        lons += [min(lons) - span / kx, max(lons) + span / kx]
        lats += [min(lats) - span, max(lats) + span]
    frame = _Frame(lons, lats, height)
    room = _Room(height)
    councils, council_labels = _councils(frame, room)
    # Fixed furniture first: the scale bar, north, the attribution and the markers.
    scale = _scale_bar(frame, height, room)
    room.rects.append((WIDTH - 34, 2, WIDTH - 2, 48))  # north
    attribution = _Label(ATTRIBUTION, 9)
    backing = attribution.rect(WIDTH - 6, height - 6, "end")
    room.rects.append(backing)
    markers = []
    for item in placed:
        x, y = frame.xy(item.asset.lon, item.asset.lat)
        room.rects.append((x - 13, y - 13, x + 13, y + 13))
        markers.append((item, x, y))
    labels = [
        *_area(frame, area, room),
        *_asset_names(markers, room),
        *_council_names(council_labels, room),
        *_place_names(frame, plan.names_in(frame.box()), room),
    ]
    parts = [
        f'<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="map-title">',
        '<title id="map-title">Map of the places in this plan, numbered as in the list, the '
        "names of the areas round them, and your area</title>",
        f'<defs><clipPath id="map-clip"><rect width="{WIDTH}" height="{height}"/></clipPath></defs>',
        f'<rect class="sea" width="{WIDTH}" height="{height}" fill="{SEA}"/>',
        '<g clip-path="url(#map-clip)">',
        *councils,
        *_area_circle(frame, area),
        *_markers(markers),
        *labels,
        "</g>",
        *scale,
        f'<rect x="{backing[0]:.1f}" y="{backing[1]:.1f}" width="{backing[2] - backing[0]:.1f}" '
        f'height="{backing[3] - backing[1]:.1f}" fill="#fff" fill-opacity="0.85"/>',
        _north(),
        f'<text class="attribution" x="{WIDTH - 6}" y="{height - 6}" text-anchor="end" '
        f'font-size="9" fill="#4a4a4a" {HALO}>{escape(ATTRIBUTION)}</text>',
        f'<rect width="{WIDTH}" height="{height}" fill="none" stroke="#888"/>',
        "</svg>",
    ]
    return "\n".join(parts)


def _councils(frame: _Frame, room: _Room) -> tuple[list[str], list]:
    out, labels = [], []
    x0, y0, x1, y1 = frame.box()
    for name, rings in boundaries.councils_in(frame.box()):
        d, shape = [], []
        for ring in rings:
            shape.append([frame.xy(lon, lat) for lon, lat in ring])
            last = None
            for k, (lon, lat) in enumerate(ring):
                x, y = frame.xy(lon, lat)
                point = (round(x, 1), round(y, 1))
                if point != last:
                    d.append(f"{'M' if k == 0 else 'L'}{point[0]} {point[1]}")
                    if last is not None and k:
                        room.add_segment(*last, *point)
                    last = point
            if last is not None:
                first = frame.xy(*ring[0])
                room.add_segment(*last, round(first[0], 1), round(first[1], 1))
            d.append("Z")
        out.append(
            f'<path class="council" d="{"".join(d)}" fill="{LAND}" stroke="{BOUNDARY}" '
            f'stroke-width="1.2" fill-rule="evenodd"/>'
        )
        inside = [(lon, lat) for ring in rings for lon, lat in ring
                  if x0 <= lon <= x1 and y0 <= lat <= y1]  # fmt: skip
        if len(inside) >= 2:
            lon = sum(p[0] for p in inside) / len(inside)
            lat = sum(p[1] for p in inside) / len(inside)
            labels.append((name, *frame.xy(lon, lat), shape))
    return out, labels


def _inside(rings, x: float, y: float) -> bool:
    """Whether (x, y) is inside the shape (even-odd over its rings, as the path is filled)."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _spots(x: float, y: float, step: float, rings: int = 6):
    """Anchor points round (x, y), nearest first: the label moves off a line or a marker."""
    yield x, y, "middle"
    for r in range(1, rings + 1):
        for dx, dy in ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1)):
            yield x + dx * r * step * 2.5, y + dy * r * step, "middle"


def _council_names(labels, room: _Room) -> list[str]:
    out = []
    for name, x, y, shape in labels:
        label = _Label(name.upper(), 11, "caps", 1)
        # Inside its own council, whole: a name with no room there is left off.
        spots = (
            (sx, sy, a) for sx, sy, a in _spots(x, y, 14, rings=10)
            if all(_inside(shape, px, sy - 4) for px in (sx - label.width / 2, sx, sx + label.width / 2))
        )  # fmt: skip
        spot = _place(room, label, spots)
        if spot:
            out.append(_text(label, spot, "council-name", COUNCIL_TEXT, 'letter-spacing="1"'))
    return out


def _place_names(frame: _Frame, nearby, room: _Room) -> list[str]:
    out: list[str] = []
    for name, lon, lat in nearby:
        if len(out) == MAX_PLACE_NAMES:
            break
        x, y = frame.xy(lon, lat)
        if not (0 <= x <= WIDTH and 0 <= y <= frame.height):
            continue
        label = _Label(name, 10.5)
        spot = _place(room, label, _spots(x, y, 8, rings=2))
        if spot:
            out.append(_text(label, spot, "place-name", PLACE_TEXT, 'font-style="italic"'))
    return out


def _asset_names(markers, room: _Room) -> list[str]:
    out = []
    for item, x, y in markers:
        spots = [(x + 16, y + 4, "start"), (x - 16, y + 4, "end"), (x, y - 17, "middle"),
                 (x, y + 27, "middle"), (x + 14, y - 12, "start"), (x + 14, y + 20, "start"),
                 (x - 14, y - 12, "end"), (x - 14, y + 20, "end")]  # fmt: skip
        # The name, then shorter, where a boundary or a neighbour leaves little room.
        for most in (SHORT_NAME, 16, 10):
            label = _Label(short_name(item.asset.name, most), 11, "bold")
            spot = _place(room, label, spots)
            if spot:
                out.append(_text(label, spot, "asset-name", ASSET, 'font-weight="bold"'))
                break
    return out


def _text(label: _Label, spot, cls: str, fill: str, extra: str = "") -> str:
    x, y, anchor = spot
    return (
        f'<text class="{cls}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
        f'font-size="{label.size:g}" fill="{fill}" {extra} {HALO}>{escape(label.text)}</text>'
    )


def short_name(name: str, most: int = SHORT_NAME) -> str:
    """An asset's name as the map labels it: without '[example]' or a bracketed part
    ('Nrg Gym (Stretford Manchester)' -> 'Nrg Gym'), cut at a word to `most` characters."""
    short = re.sub(r"\s*\[example\]", "", name)
    short = re.sub(r"\s*\([^)]*\)", "", short).strip() or name
    if len(short) <= most:
        return short
    cut = short.rfind(" ", 0, most - 1)
    return short[: cut if cut > most // 2 else most - 1].rstrip(",;:-– ") + "…"


def _area_circle(frame: _Frame, area) -> list[str]:
    x, y = frame.xy(area.lon, area.lat)
    r = max(frame.km_to_units(area.radius_km), 6)
    return [
        f'<circle class="person-area" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#d9822b" '
        'fill-opacity="0.18" stroke="#b3641a" stroke-width="1.5" stroke-dasharray="5 4"/>'
    ]


def _area(frame: _Frame, area, room: _Room) -> list[str]:
    x, y = frame.xy(area.lon, area.lat)
    r = max(frame.km_to_units(area.radius_km), 6)
    label = _Label("your area", 11, "bold")
    spots = [(x, y + r + 13, "middle"), (x, y - r - 5, "middle"), (x + r + 4, y + 4, "start"),
             (x - r - 4, y + 4, "end"), (x, y + 4, "middle")]  # fmt: skip
    spots += list(_spots(x, y + r + 13, 10))
    spot = _place(room, label, spots) or spots[0]
    return [_text(label, spot, "area-name", AREA_TEXT, 'font-weight="bold"')]


def _markers(markers) -> list[str]:
    return [
        f'<g class="asset"><circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="{ASSET}" '
        f'stroke="#fff" stroke-width="2"/><text x="{x:.1f}" y="{y + 4.5:.1f}" '
        f'text-anchor="middle" font-size="13" font-weight="bold" fill="#fff">'
        f"{item.number}</text></g>"
        for item, x, y in markers
    ]


def _scale_bar(frame: _Frame, height: int, room: _Room) -> list[str]:
    km = next((k for k in (0.25, 0.5, 1, 2, 5, 10, 20, 50, 100)
               if frame.km_to_units(k) >= 70), 100)  # fmt: skip
    length = frame.km_to_units(km)
    label = f"{int(km * 1000)} m" if km < 1 else f"{km:g} km"
    x, y = 12, height - 14
    room.rects.append((x - 4, y - 16, x + length + 4, y + 8))
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
