"""Merging one source's duplicate records (`check --merge-duplicates`): records of the same
source with the same name and postcode (normalised as `check` and imports match them) become
one. The record a person edited or verified is kept; the others' values fill it field by field,
so no local edit, non-empty value or newer verification is lost."""

from __future__ import annotations

from dataclasses import fields

from assetmap.catalogue import ownership
from assetmap.catalogue.models import Asset

# Values that say nothing: a blank, or a default no one chose ("any", "unknown").
_DEFAULTS = {f.name: f.default for f in fields(Asset) if isinstance(f.default, str)}
_WHERE = ("lat", "lon", "geo_precision")  # one position: moved together
_BY_PERSON = (ownership.EDIT, ownership.VERIFY)
_JOINED = ("notes", "staff_notes")  # two people's notes are both kept


def _empty(name: str, value) -> bool:
    if value in ("", None, []):
        return True
    return name != "status" and value == _DEFAULTS.get(name)


def _touched(marks: dict[str, str]) -> bool:
    return any(who in _BY_PERSON for who in marks.values())


def groups(conn) -> list[list[tuple[Asset, dict[str, str]]]]:
    """Each group of records one source lists more than once (same name and postcode),
    the record to keep first."""
    from assetmap.catalogue.store import asset_from_db

    rows = conn.execute(
        "SELECT * FROM assets WHERE postcode != '' AND (source, match_key) IN "
        "(SELECT source, match_key FROM assets WHERE postcode != '' "
        " GROUP BY source, match_key HAVING count(*) > 1) "
        "ORDER BY source, match_key, id"
    ).fetchall()
    found: dict[tuple[str, str], list] = {}
    for r in rows:
        found.setdefault((r["source"], r["match_key"]), []).append(
            (asset_from_db(r), ownership.parse(r["local_edits"]), r["updated_at"])
        )
    out = []
    for members in found.values():
        # Kept: the one a person edited or verified, then the newest verification, then the
        # most recently written; ties go to the first id.
        members.sort(key=lambda m: m[0].id)
        members.sort(key=lambda m: (_touched(m[1]), m[0].verified_on, m[2]), reverse=True)
        out.append([(a, marks) for a, marks, _ in members])
    return out


def combine(
    keep: Asset, marks: dict[str, str], other: Asset, their: dict[str, str]
) -> tuple[list[str], list[str]]:
    """Fill `keep` (and its ownership marks) from `other`, field by field: a person's edit
    there beats a source's value here; a blank here takes the value there; the newest
    verification wins; notes both people wrote are joined. Returns the fields taken and
    the fields where both had a different value a person set (this record's is kept)."""
    taken, clashes = [], []
    if keep.lat is None and other.lat is not None:
        for name in _WHERE:
            setattr(keep, name, getattr(other, name))
            if name in their:
                marks[name] = their[name]
        taken.append("lat/lon")
    for name in ownership.TRACKED:
        if name in _WHERE:
            continue
        ours, theirs = getattr(keep, name), getattr(other, name)
        if ours == theirs or _empty(name, theirs):
            continue
        mine_by_person = marks.get(name) in _BY_PERSON
        theirs_by_person = their.get(name) in _BY_PERSON
        if name == "verified_on":
            take = theirs > ours
        elif _empty(name, ours) or (theirs_by_person and not mine_by_person):
            take = True
        elif name in _JOINED and theirs_by_person:
            theirs = f"{ours}\n{theirs}"
            take = True
        else:
            take = False
            if theirs_by_person:
                clashes.append(name)
        if take:
            setattr(keep, name, theirs)
            if name in their:
                marks[name] = their[name]
            else:
                marks.pop(name, None)  # now the source's value, as it was there
            taken.append(name)
    return taken, clashes


def merge(cat, *, dry_run: bool = False) -> list[dict]:
    """Merge every source's duplicate records, in one write transaction (rolled back for a
    dry run). Returns one row per record merged away: kept, merged, name, source, detail."""
    done: list[dict] = []
    with cat.transaction() as conn:
        for group in groups(conn):
            (keep, marks), rest = group[0], group[1:]
            for other, their in rest:
                taken, clashes = combine(keep, marks, other, their)
                detail = f"took {', '.join(taken)}" if taken else "nothing new"
                if clashes:
                    detail += f"; kept this record's {', '.join(clashes)} (both were edited)"
                done.append({"kept": keep.id, "merged": other.id, "name": keep.name,
                             "source": keep.source, "detail": detail})  # fmt: skip
            if dry_run:
                continue
            conn.executemany("DELETE FROM assets WHERE id = ?", [(o.id,) for o, _ in rest])
            cat.write([keep])
            ownership.save(conn, keep.id, marks)
    return done
