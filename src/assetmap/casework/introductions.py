"""Introductions and their follow-ups: add, record an outcome, list one case, what is due,
purge by age and forget a case. Every write is one transaction."""

from __future__ import annotations

import datetime as dt
import sqlite3

from assetmap.casework import codes
from assetmap.errors import InvalidValue, NotFound

UNKNOWN_CASE = "no introductions are recorded for that case reference"


def add(cw, key, cat, *, ref: str, asset_id: str, on: str, went_with: str, weeks: list[int]):
    """Record an introduction and schedule its follow-ups; returns the follow-up dates."""
    cat.get(asset_id)  # NotFound, naming `assetmap list`, when the id is not in the catalogue
    start = dt.date.fromisoformat(on)
    due = [(w, (start + dt.timedelta(weeks=w)).isoformat()) for w in weeks]
    try:
        with cw.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO introductions (case_lookup, case_ref, asset_id, introduced_on, "
                "went_with) VALUES (?, ?, ?, ?, ?)",
                (key.lookup(ref), key.encrypt(ref), asset_id, on, went_with),
            )
            conn.executemany(
                "INSERT INTO follow_ups (intro_pk, week, due_on) VALUES (?, ?, ?)",
                [(cur.lastrowid, w, d) for w, d in due],
            )
    except sqlite3.IntegrityError:
        raise InvalidValue(
            f"this introduction to {asset_id} on {on} is recorded already; "
            f"`assetmap intro list --case ...` shows it"
        ) from None
    return due


def follow_up(cw, key, *, ref, asset_id, outcome, reason, on, week=None) -> dict:
    """Record the outcome of the next open follow-up (or of --week) of the latest introduction
    of this case to this asset."""
    if outcome == "stopped" and not reason:
        raise InvalidValue(f"--outcome stopped needs --reason: one of {', '.join(codes.REASONS)}")
    if reason and outcome != "stopped":
        raise InvalidValue("--reason goes with --outcome stopped only")
    # Read the follow-ups inside the write transaction: two outcomes recorded at once must
    # not both take the same open follow-up (one would be lost).
    with cw.transaction() as conn:
        pk, introduced_on, week, corrected = _next_follow_up(conn, key, ref, asset_id, on, week)
        conn.execute(
            "UPDATE follow_ups SET outcome = ?, reason = ?, recorded_on = ? "
            "WHERE intro_pk = ? AND week = ?",
            (outcome, reason, on, pk, week),
        )
    return {"week": week, "introduced_on": introduced_on, "corrected": corrected}


def _next_follow_up(conn, key, ref, asset_id, on, week):
    """(intro pk, introduced on, the week to record, whether it had an outcome already)."""
    intro = conn.execute(
        "SELECT pk, introduced_on FROM introductions WHERE case_lookup = ? AND asset_id = ? "
        "ORDER BY introduced_on DESC LIMIT 1",
        (key.lookup(ref), asset_id),
    ).fetchone()
    if intro is None:
        raise NotFound(
            f"no introduction to {asset_id} is recorded for that case reference; "
            "`assetmap intro list --case ...` shows the case's introductions"
        )
    pk, introduced_on = intro
    if on < introduced_on:
        raise InvalidValue(
            f"--on: {on} is before the introduction on {introduced_on}; an outcome follows it"
        )
    rows = conn.execute(
        "SELECT week, outcome FROM follow_ups WHERE intro_pk = ? ORDER BY week", (pk,)
    ).fetchall()
    if week is not None:
        if week not in [w for w, _ in rows]:
            weeks = ", ".join(f"{w}" for w, _ in rows)
            raise InvalidValue(f"--week: this introduction has follow-ups at weeks {weeks}")
    else:
        open_ = [w for w, o in rows if o is None]
        if not open_:
            raise InvalidValue(
                "every follow-up of this introduction has an outcome; pass --week N to correct one"
            )
        week = open_[0]
    corrected = any(w == week and o is not None for w, o in rows)
    return pk, introduced_on, week, corrected


def of_case(cw, key, cat, ref: str) -> list[dict]:
    """One row per introduction of this case, oldest first, with its follow-ups."""
    intros = cw.conn.execute(
        "SELECT pk, case_ref, asset_id, introduced_on, went_with FROM introductions "
        "WHERE case_lookup = ? ORDER BY introduced_on, asset_id",
        (key.lookup(ref),),
    ).fetchall()
    if not intros:
        raise NotFound(UNKNOWN_CASE + "; check it, or `assetmap intro due` lists the open cases")
    names = _names(cat, {r[2] for r in intros})
    records = []
    for pk, blob, asset_id, on, went_with in intros:
        follow_ups = [
            {"week": w, "due_on": d, "outcome": o, "reason": r, "recorded_on": rec}
            for w, d, o, r, rec in cw.conn.execute(
                "SELECT week, due_on, outcome, reason, recorded_on FROM follow_ups "
                "WHERE intro_pk = ? ORDER BY week",
                (pk,),
            )
        ]
        row = _row(key, names, blob, asset_id, on, went_with)
        row.update(follow_ups=follow_ups, summary="; ".join(map(_describe, follow_ups)))
        records.append(row)
    return records


def went_with(cw, key, ref: str) -> dict[str, tuple[str, str]]:
    """asset id -> (who went along, the day) of this case's latest introduction to each asset;
    empty when the case has none."""
    rows = cw.conn.execute(
        "SELECT asset_id, went_with, introduced_on FROM introductions WHERE case_lookup = ? "
        "ORDER BY introduced_on",
        (key.lookup(ref),),
    )
    return {asset_id: (role, on) for asset_id, role, on in rows}


def _row(key, names, blob, asset_id, on, went_with) -> dict:
    """The columns every listing of introductions starts with."""
    return {
        "case": key.decrypt(blob),
        "asset": asset_id,
        "name": names.get(asset_id, ""),
        "introduced_on": on,
        "went_with": went_with,
    }


def _describe(f: dict) -> str:
    if f["outcome"] is None:
        return f"{f['week']}w due {f['due_on']}"
    why = f" ({f['reason']})" if f["reason"] else ""
    return f"{f['week']}w {f['outcome']}{why} on {f['recorded_on']}"


def due(cw, key, cat, today: dt.date, within_days: int) -> list[dict]:
    """Follow-ups with no outcome that fall due within the window, overdue ones first. An
    introduction whose person has stopped going has nothing more due."""
    limit = (today + dt.timedelta(days=within_days)).isoformat()
    rows = cw.conn.execute(
        "SELECT i.case_ref, i.asset_id, i.introduced_on, i.went_with, f.week, f.due_on "
        "FROM follow_ups f JOIN introductions i ON i.pk = f.intro_pk "
        "WHERE f.outcome IS NULL AND f.due_on <= ? AND NOT EXISTS (SELECT 1 FROM follow_ups s "
        "  WHERE s.intro_pk = f.intro_pk AND s.outcome = 'stopped') "
        "ORDER BY f.due_on, i.asset_id",
        (limit,),
    ).fetchall()
    names = _names(cat, {r[1] for r in rows})
    records = []
    for blob, asset_id, on, went_with, week, due_on in rows:
        late = (today - dt.date.fromisoformat(due_on)).days
        records.append(
            {
                **_row(key, names, blob, asset_id, on, went_with),
                "follow_up": f"{week}w",
                "due_on": due_on,
                "days_overdue": late,  # negative: days to go, as in `partners due`
                "status": due_words(late),
            }
        )
    return records


def due_words(late: int) -> str:
    """'3 days overdue', 'due today', 'due in 18 days' (it said 'due' and 0 days overdue for
    a follow-up still weeks away)."""
    from assetmap.errors import counted

    if late > 0:
        return f"{counted(late, 'day')} overdue"
    return "due today" if late == 0 else f"due in {counted(-late, 'day')}"


def rename_assets(cw, renames: dict[str, str]) -> int:
    """Point the introductions to records merged away at the records kept (`check
    --merge-duplicates`): {merged id: kept id}. The same case introduced to both on the same
    day is one introduction: the kept one takes the other's recorded outcomes for the weeks it
    has none for, and the other goes. One transaction; needs no key (ids are not personal).
    Returns the number of introductions moved or joined."""
    moved = 0
    with cw.transaction() as conn:
        for old, new in renames.items():
            rows = conn.execute(
                "SELECT pk, case_lookup, introduced_on FROM introductions WHERE asset_id = ?",
                (old,),
            ).fetchall()
            for pk, lookup, on in rows:
                twin = conn.execute(
                    "SELECT pk FROM introductions WHERE case_lookup = ? AND asset_id = ? "
                    "AND introduced_on = ?",
                    (lookup, new, on),
                ).fetchone()
                if twin is None:
                    conn.execute("UPDATE introductions SET asset_id = ? WHERE pk = ?", (new, pk))
                else:
                    conn.execute(
                        "INSERT INTO follow_ups (intro_pk, week, due_on, outcome, reason, recorded_on) "
                        "SELECT ?, week, due_on, outcome, reason, recorded_on FROM follow_ups "
                        "WHERE intro_pk = ? AND outcome IS NOT NULL AND true "
                        "ON CONFLICT (intro_pk, week) DO UPDATE SET outcome = excluded.outcome, "
                        "reason = excluded.reason, recorded_on = excluded.recorded_on "
                        "WHERE follow_ups.outcome IS NULL",
                        (twin[0], pk),
                    )
                    conn.execute("DELETE FROM follow_ups WHERE intro_pk = ?", (pk,))
                    conn.execute("DELETE FROM introductions WHERE pk = ?", (pk,))
                moved += 1
    return moved


def older_than(cw, cutoff: str) -> int:
    """How many introductions were made before `cutoff` (ISO date)."""
    sql = "SELECT count(*) FROM introductions WHERE introduced_on < ?"
    return cw.conn.execute(sql, (cutoff,)).fetchone()[0]


def purge(cw, cutoff: str) -> int:
    """Delete outright every introduction made before `cutoff`, with its follow-ups."""
    with cw.transaction() as conn:
        n = conn.execute("DELETE FROM introductions WHERE introduced_on < ?", (cutoff,)).rowcount
    if n:
        cw.vacuum()
    return n


def forget(cw, key, ref: str) -> int:
    """Delete every record of one case."""
    with cw.transaction() as conn:
        n = conn.execute(
            "DELETE FROM introductions WHERE case_lookup = ?", (key.lookup(ref),)
        ).rowcount
    if not n:
        raise NotFound(UNKNOWN_CASE + "; nothing was deleted")
    cw.vacuum()
    return n


def _names(cat, ids: set[str]) -> dict[str, str]:
    """Asset names from the catalogue (an asset removed since shows no name)."""
    if not ids:
        return {}
    ids_ = sorted(ids)
    found: dict = {}
    for i in range(0, len(ids_), 500):
        part = ids_[i : i + 500]
        sql = f"SELECT id, name FROM assets WHERE id IN ({', '.join('?' * len(part))})"
        found.update((r[0], r[1]) for r in cat.conn.execute(sql, part))
    return found
