"""Counts for partnership managers and for `near --with-outcomes`: how many introductions,
how many went, how many were still going at each follow-up. Needs no key: nothing here names
a case. Any count under 5 is shown as "<5", so a count cannot single out a person."""

from __future__ import annotations

from typing import Any

from assetmap.casework.codes import WENT
from assetmap.errors import InvalidValue

SMALL = 5
SUPPRESSED = "<5"
GROUPS = ("asset", "source", "area")
STANDARD_WEEKS = (4, 12)


def shown(n: int) -> int | str:
    """A count as it may be shown: "<5" when under 5 (none included: 0 would tell apart)."""
    return n if n >= SMALL else SUPPRESSED


def report(cw, cat, *, by: str, since: str | None) -> tuple[list[dict], list[str]]:
    """Rows by asset, source or area, biggest first, and their columns."""
    if by not in GROUPS:
        raise InvalidValue(f"--by: '{by}' is not one of {', '.join(GROUPS)}")
    weeks = sorted(set(STANDARD_WEEKS) | _weeks(cw))
    per_asset = _per_asset(cw, since, weeks) if cw else {}
    label = _labeller(cat, by, per_asset)
    totals: dict[str, list[int]] = {}
    for asset_id, counts in per_asset.items():
        row = totals.setdefault(label(asset_id), [0] * len(counts))
        for i, n in enumerate(counts):
            row[i] += n
    counted = ["introductions", "attended", *(f"still_going_{w}w" for w in weeks)]
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1][0], kv[0]))
    rows: list[dict[str, Any]] = [
        {by: group, **dict(zip(counted, map(shown, counts), strict=True))}
        for group, counts in ordered
    ]
    if by != "asset":
        return rows, [by, *counted]
    names = _column(cat, "name", [r["asset"] for r in rows])
    rows = [{"asset": r["asset"], "name": names.get(r["asset"], ""), **r} for r in rows]
    return rows, ["asset", "name", *counted]


def asset_outcomes(cw, asset_ids: list[str]) -> dict[str, tuple[int | str, int | str]]:
    """For `near`: per asset, (introductions, still going at 12 weeks), each suppressed."""
    found = _per_asset(cw, None, [12], asset_ids) if cw else {}
    return {a: (shown(c[0]), shown(c[2])) for a, c in found.items()}


def _weeks(cw) -> set[int]:
    if not cw:
        return set()
    return {r[0] for r in cw.conn.execute("SELECT DISTINCT week FROM follow_ups")}


def _per_asset(cw, since, weeks, asset_ids=None) -> dict[str, list[int]]:
    """asset id -> [introductions, attended, still going at each of `weeks`]."""
    went = ", ".join(f"'{o}'" for o in WENT)
    still = ", ".join(
        f"sum(EXISTS (SELECT 1 FROM follow_ups f WHERE f.intro_pk = i.pk AND f.week = {int(w)} "
        "AND f.outcome = 'still-going'))"
        for w in weeks
    )
    where, params = [], []
    if since:
        where.append("i.introduced_on >= ?")
        params.append(since)
    if asset_ids is not None:
        where.append(f"i.asset_id IN ({', '.join('?' * len(asset_ids))})")
        params += asset_ids
    sql = (
        "SELECT i.asset_id, count(*), sum(EXISTS (SELECT 1 FROM follow_ups f "
        f"WHERE f.intro_pk = i.pk AND f.outcome IN ({went}))), {still} FROM introductions i"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " GROUP BY i.asset_id"
    )
    return {r[0]: list(r[1:]) for r in cw.conn.execute(sql, params)}


def _labeller(cat, by: str, per_asset: dict):
    if by == "asset":
        return lambda asset_id: asset_id
    found = _column(cat, by, list(per_asset))
    return lambda asset_id: (
        found.get(asset_id)
        or ("(not in the catalogue)" if asset_id not in found else "(none given)")
    )


def _column(cat, column: str, ids: list[str]) -> dict[str, str]:
    """asset id -> one catalogue column (name, source or area), for the ids still there."""
    found: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        sql = f"SELECT id, {column} FROM assets WHERE id IN ({', '.join('?' * len(part))})"
        found.update((r[0], r[1]) for r in cat.conn.execute(sql, part))
    return found


NEAR_COLUMNS = ["introductions", "still_going_12w"]


def add_to_results(records: list[dict], db: str | None) -> None:
    """`near --with-outcomes`: put each result's suppressed counts beside it."""
    from assetmap.casework.store import open_for

    cw = open_for(db, create=False)
    try:
        found = asset_outcomes(cw, [r["id"] for r in records])
    finally:
        if cw:
            cw.close()
    for r in records:
        r["introductions"], r["still_going_12w"] = found.get(r["id"], (SUPPRESSED, SUPPRESSED))
