"""The plan as Markdown, to paste into case notes: the same facts as the HTML, without the map."""

from __future__ import annotations

from assetmap.plan import walking
from assetmap.plan.text import ATTRIBUTION, PRIVACY, facts


def render(plan) -> str:
    made = f"Made on {plan.date_text}" + (f" by {plan.by}" if plan.by else "")
    lines = ["# Your plan", "", f"{made}. Distances are from {plan.from_words}.", ""]
    for item in plan.items:
        a = item.asset
        lines += [f"## {item.number}. {_md(a.name)} ({_md(a.category)})", ""]
        if item.full_what:
            lines += [_md(item.full_what), ""]
        # Case notes have no page to fit: every detail, as a page with room shows it.
        lines += [f"- **{label}:** {_md(text)}" for label, text, _ in facts(item, full=True)]
        lines += ["- **My notes:**", ""]
    if caveats := plan.caveats():
        # Case notes are the practitioner's copy: what to check before handing the plan over.
        lines += ["## To check before handing this over (not on the person's sheet)", ""]
        lines += [f"- {_md(line)}" for line in caveats] + [""]
    lines += [f"_{walking.SOURCES}_", "", f"_{PRIVACY}_", "", f"_{ATTRIBUTION}_", ""]
    return "\n".join(lines)


def _md(text: str) -> str:
    """Catalogue text as literal Markdown: no stray emphasis, links or headings."""
    for ch in "\\*_[]<>`#|":
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())
