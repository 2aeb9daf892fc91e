"""Who last set each field of an asset: its own source, or someone since (an `edit`, a
`verify`, an import from another source). Re-importing the source then updates only the fields
it still owns: a local change wins, and is reported, unless the import says --overwrite-local.

Stored in assets.local_edits as 'field=who;...' (who: edit, verify, or source:NAME); a field
not listed belongs to the asset's source.
"""

from __future__ import annotations

from typing import NamedTuple

from assetmap.catalogue.models import ASSET_FIELDS, Asset, cell_text

# id and source say which asset and whose it is; they are not values a feed and a person share.
TRACKED = [f for f in ASSET_FIELDS if f not in ("id", "source")]
EDIT, VERIFY = "edit", "verify"
# What the source last said of a status kept as changed here (read by `check`).
SOURCE_STATUS = "!status"


def parse(text: str) -> dict[str, str]:
    marks = {}
    for part in filter(None, (text or "").split(";")):
        field, _, who = part.partition("=")
        marks[field] = who
    return marks


def render(marks: dict[str, str]) -> str:
    return ";".join(f"{f}={who}" for f, who in sorted(marks.items()))


def changed_fields(before: Asset, after: Asset) -> list[str]:
    return [f for f in TRACKED if getattr(before, f) != getattr(after, f)]


def by_source(name: str) -> str:
    return f"source:{name}"


class Kept(NamedTuple):
    """A field an import left as it was: someone had changed it since the source set it."""

    asset_id: str
    field: str
    ours: str
    theirs: str
    who: str

    def __str__(self) -> str:
        by = {EDIT: "an edit", VERIFY: "verify"}.get(self.who, self.who.replace("source:", "an import from "))  # fmt: skip
        return (
            f"kept your {self.field} for {self.asset_id} ({self.ours or 'blank'}, set by {by}); "
            f"the feed says {self.theirs or 'blank'}"
        )


def merge(
    stored: Asset, marks: dict[str, str], incoming: Asset, *, overwrite: bool = False
) -> tuple[dict[str, str], list[Kept]]:
    """Make `incoming` (a re-imported record of the stored asset) what should be written:
    fields changed locally since keep their value unless `overwrite`; verified_on never moves
    back. The asset stays with its own source. Returns the new marks and what was kept."""
    source = incoming.source
    own = not stored.source or source == stored.source
    incoming.source = stored.source or source
    new_marks = dict(marks)
    new_marks.pop(SOURCE_STATUS, None)
    kept: list[Kept] = []
    for field in TRACKED:
        ours, theirs = getattr(stored, field), getattr(incoming, field)
        if ours == theirs:
            continue
        who = marks.get(field)
        if field == "verified_on" and ours and (not theirs or theirs < ours):
            incoming.verified_on = ours  # never backwards, whoever asks
            kept.append(Kept(stored.id, field, ours, theirs, who or by_source(stored.source)))
            continue
        if who is not None and who != by_source(source) and not overwrite:
            setattr(incoming, field, ours)
            kept.append(Kept(stored.id, field, cell_text(ours), cell_text(theirs), who))
            if field == "status":
                new_marks[SOURCE_STATUS] = theirs  # `check` reports "its source says closed"
            continue
        if own:
            new_marks.pop(field, None)  # the source owns it again
        else:
            new_marks[field] = by_source(source)
    return new_marks, kept


def read(conn, asset_id: str) -> dict[str, str]:
    row = conn.execute("SELECT local_edits FROM assets WHERE id = ?", (asset_id,)).fetchone()
    return parse(row[0]) if row else {}


def save(conn, asset_id: str, marks: dict[str, str]) -> None:
    conn.execute("UPDATE assets SET local_edits = ? WHERE id = ?", (render(marks), asset_id))


def mark(conn, asset_id: str, fields: list[str], who: str) -> None:
    """Record that `who` changed these fields (inside the caller's transaction)."""
    if fields:
        marks = read(conn, asset_id)
        marks.update(dict.fromkeys(fields, who))
        save(conn, asset_id, marks)
