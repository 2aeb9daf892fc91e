"""The plan as one HTML page that prints on A4 (`@page { size: A4 }`): the map, then each
place, then space for notes. Self-contained (no scripts, fonts or images to fetch), so it opens
and prints offline; every piece of catalogue text is escaped."""

from __future__ import annotations

from html import escape

from assetmap.plan import svgmap, walking
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
figure.map svg { display: block; width: 100%; height: auto; max-height: 50mm; }
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
"""


def render(plan) -> str:
    svg = svgmap.draw(plan)
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
        f"<style>{CSS}</style></head><body>",
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
        out.append(_item(item))
    out += [
        "</ol>",
        f"<footer><p>{escape(walking.SOURCES)}</p><p>{escape(PRIVACY)} {escape(map_words)} "
        f"{escape(ATTRIBUTION)}</p></footer>",
        "</body></html>",
    ]
    return "\n".join(out) + "\n"


def _item(item) -> str:
    a = item.asset
    head = (
        f'<h2><span class="num">{item.number}</span>{escape(a.name)} '
        f'<span class="category">{escape(a.category)}</span></h2>'
    )
    what = f'<p class="what">{escape(item.what)}</p>' if item.what else ""
    cells = []
    for label, text, wide in facts(item):
        cls = "fact wide" if wide else "fact"
        cells.append(
            f'<div class="{cls}"><span class="label">{escape(label)}:</span> {escape(text)}</div>'
        )
    return (
        f'<li class="item">{head}{what}<div class="facts">{"".join(cells)}</div>'
        '<div class="notes"><span>My notes:</span></div></li>'
    )
