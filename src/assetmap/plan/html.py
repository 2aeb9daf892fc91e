"""The plan as one HTML page that prints on A4 (`@page { size: A4 }`): the map, then each
place, then space for notes. Self-contained (no scripts, fonts or images to fetch), so it opens
and prints offline; every piece of catalogue text is escaped."""

from __future__ import annotations

from html import escape

from assetmap.plan import svgmap, walking
from assetmap.plan.model import clamp
from assetmap.plan.text import ATTRIBUTION, MAP_PRIVACY, PRIVACY, facts

CSS = """
@page { size: A4; margin: 10mm 12mm; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 8.6pt;
       color: #1a1a1a; line-height: 1.25; }
body { margin: 0 auto; max-width: 186mm; }
h1 { font-size: 17pt; margin: 0 0 1mm; }
.meta { margin: 0 0 2mm; }
figure.map { margin: 0 0 2mm; }
figure.map svg { display: block; width: 100%; height: auto; }
figcaption { font-size: 8pt; color: #444; margin-top: 0.8mm; }
ol.items { list-style: none; margin: 0; padding: 0; }
li.item { border: 0.3mm solid #999; border-radius: 1.5mm; padding: 1.3mm 2.2mm;
          margin-bottom: 1.6mm; break-inside: avoid; overflow-wrap: anywhere; }
li.item h2 { font-size: 11pt; margin: 0 0 0.5mm; }
.num { display: inline-block; min-width: 5.6mm; height: 5.6mm; border-radius: 2.8mm;
       background: #1f4e79; color: #fff; text-align: center; line-height: 5.6mm;
       font-size: 9.5pt; margin-right: 1.5mm; }
.category { font-weight: normal; color: #555; font-size: 9pt; }
.what { margin: 0 0 0.6mm; }
.facts { display: grid; grid-template-columns: 1fr 1fr; column-gap: 4mm; row-gap: 0.3mm; }
.fact .label { font-weight: bold; }
.fact.wide { grid-column: 1 / -1; }
.notes { margin-top: 0.8mm; height: 7mm; border-bottom: 0.2mm dashed #777;
         background: repeating-linear-gradient(transparent 0 3.8mm, #ccc 3.8mm 4mm); }
.notes span { background: #fff; font-weight: bold; padding-right: 1mm; }
footer { font-size: 7pt; color: #444; margin-top: 1mm; }
footer p { margin: 0 0 0.6mm; }
body.tight { font-size: 8pt; }
body.tight footer { font-size: 6.5pt; }
"""


# Fitting the page. What is left of A4 after the margins, the header, the small print and
# the cards goes to the map, between MIN_MAP_MM and MAX_MAP_MM. Card heights are estimated
# from their text (8.6 pt DejaVu Sans/Arial: about 100 characters a line across a card, 48 in
# a half column, 3.8 mm a line); tests/test_plan_chromium.py prints the fullest cards to
# check the estimate holds. With too little room, a card's description is cut to one line,
# then the cards' own note lines give way to one notes box at the end.
PAGE_MM = 277 - 16.5 - 18 - 7 - 3  # A4 less margins, header, small print, caption; spare
LINE_MM, HEAD_MM, CARD_MM, NOTES_MM, GAP_MM = 3.65, 5.4, 5.0, 7.8, 0.3
FULL_CHARS, HALF_CHARS, HEAD_CHARS, SHORT_WHAT = 100, 48, 70, 100
MIN_MAP_MM, MAX_MAP_MM = 44, 150
# The fuller cards (more dates, the journey planner, who it is for, access, what to bring)
# only when the map still gets this much; what is left below a map at its largest is a box
# for the person's own notes (the bus number, who they met), when it is worth a box.
FULL_MIN_MAP_MM, MIN_BOX_MM, BOX_GAP_MM = 100, 12, 2
BASE_PT, TIGHT_PT = 8.6, 8.0
MM_PER_UNIT = 186 / svgmap.WIDTH  # the map is the page's width, 186 mm


def _lines(text: str, chars: int) -> int:
    return max(1, -(-len(text) // chars))


def _card_mm(item, what: str, notes: bool, full: bool = False) -> float:
    mm = CARD_MM + HEAD_MM * _lines(f"{item.asset.name} {item.asset.category}", HEAD_CHARS)
    rows = _lines(what, FULL_CHARS) if what else 0
    half = None
    for label, text, wide in facts(item, full):
        words = f"{label}: {text}"
        if wide:
            rows += _lines(words, FULL_CHARS) + (_lines(half, HALF_CHARS) if half else 0)
            half = None
        elif half is None:
            half = words
        else:
            rows += max(_lines(half, HALF_CHARS), _lines(words, HALF_CHARS))
            half = None
    rows += _lines(half, HALF_CHARS) if half else 0
    return mm + rows * (LINE_MM + GAP_MM) + (NOTES_MM if notes else 0)


class Fit:
    """How the page is shared: `level` (how much the cards give way: -1 they are fuller, 0
    none, 1 one-line descriptions, 2 no note lines on the cards, one notes box at the end, 3
    no notes box and 8 pt type), the map's height in map units, and the height in mm of a
    notes box filling what is left under the map at its largest (0: none)."""

    def __init__(self, level: int, height: int, box_mm: float = 0) -> None:
        self.level, self.height, self.box_mm = level, height, box_mm


def fit(plan) -> Fit:
    """The page's use: with one or two places the bottom of the page was blank under a map
    at its largest, so the cards grow fuller while the map keeps FULL_MIN_MAP_MM, and a notes
    box takes what is still left."""
    # The notes box at the end replaces the cards' own note lines.
    full = sum(_card_mm(i, i.full_what, False, full=True) for i in plan.items)
    room = PAGE_MM - full - BOX_GAP_MM
    if room >= FULL_MIN_MAP_MM + MIN_BOX_MM:
        mm = min(room - MIN_BOX_MM, MAX_MAP_MM)
        return Fit(-1, round(mm / MM_PER_UNIT), room - mm)
    for level in (0, 1, 2, 3):
        cards = sum(
            _card_mm(i, clamp(i.what, SHORT_WHAT) if level else i.what, level < 2)
            for i in plan.items
        )
        if level == 3:
            cards = cards * TIGHT_PT / BASE_PT
        room = PAGE_MM - cards - (NOTES_MM + 2 if level == 2 else 0)
        if room >= MIN_MAP_MM or level == 3:
            mm = min(max(room, MIN_MAP_MM), MAX_MAP_MM)
            return Fit(level, round(mm / MM_PER_UNIT))
    raise AssertionError("unreachable")


def render(plan) -> str:
    fitted = fit(plan)
    level, height = fitted.level, fitted.height
    svg = svgmap.draw(plan, height)
    map_words = (
        MAP_PRIVACY
        if plan.area.personal
        else f"The map shows {plan.area.label} as a circle round its centre."
    )
    made = f"Made on {escape(plan.date_text)}"
    if plan.by:
        made += f" by {escape(plan.by)}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Your plan</title>",
        f"<style>{CSS}</style></head>",
        '<body class="tight">' if level == 3 else "<body>",
        "<header><h1>Your plan</h1>",
        f'<p class="meta">{made}. Distances are from {escape(plan.from_words)}.</p></header>',
    ]
    if svg:
        out += [
            f'<figure class="map">{svg}<figcaption>Numbers match the list below. The dashed '
            "circle is your area, not an address.</figcaption></figure>"
        ]
    out.append('<ol class="items">')
    for item in plan.items:
        what = item.full_what if level < 0 else clamp(item.what, SHORT_WHAT) if level else item.what
        out.append(_item(item, what, 0 <= level < 2, full=level < 0))
    out.append("</ol>")
    if level == 2:
        out.append('<div class="notes"><span>My notes:</span></div>')
    if fitted.box_mm:
        out.append(
            f'<div class="notes box" style="height: {fitted.box_mm:.0f}mm"><span>My notes '
            "(the bus or the way you went, who you met, what to ask next time):</span></div>"
        )
    out += [
        f"<footer><p>{escape(walking.SOURCES)}</p><p>{escape(PRIVACY)} {escape(map_words)} "
        f"{escape(ATTRIBUTION)}</p></footer>",
        "</body></html>",
    ]
    return "\n".join(out) + "\n"


def _item(item, what: str, notes: bool = True, full: bool = False) -> str:
    a = item.asset
    head = (
        f'<h2><span class="num">{item.number}</span>{escape(a.name)} '
        f'<span class="category">{escape(a.category)}</span></h2>'
    )
    what = f'<p class="what">{escape(what)}</p>' if what else ""
    cells = []
    for label, text, wide in facts(item, full):
        cls = "fact wide" if wide else "fact"
        cells.append(
            f'<div class="{cls}"><span class="label">{escape(label)}:</span> {escape(text)}</div>'
        )
    lines = '<div class="notes"><span>My notes:</span></div>' if notes else ""
    return f'<li class="item">{head}{what}<div class="facts">{"".join(cells)}</div>{lines}</li>'
