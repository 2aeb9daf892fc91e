"""The partnership manager's pipeline: partners by status, the follow-ups falling due, and
recording a contact (which moves only the relationship's dates, never the public details)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from assetmap.catalogue.models import parse_date
from assetmap.catalogue.vocab import PARTNERSHIP, one_of
from assetmap.errors import InvalidValue

# Without --next, the next contact comes round after the same gap as last time, else this.
DEFAULT_GAP_DAYS = 91  # about three months
# The columns the lists show, for every output format.
LIST_COLUMNS = [
    "id", "name", "partnership_status", "next_contact", "last_contact", "contact_name",
    "contact_role", "contact_phone", "contact_email", "referral_route", "area",
]  # fmt: skip
DUE_COLUMNS = [
    "id", "name", "next_contact", "days_overdue", "partnership_status", "contact_name",
    "contact_phone", "contact_email", "last_contact", "area",
]  # fmt: skip
# Partners first, then those being approached, then known and lapsed ones.
_ORDER = {"partner": 0, "approached": 1, "known": 2, "lapsed": 3}


def statuses(values: list[str]) -> list[str]:
    return one_of(values, PARTNERSHIP, "--status")


def listing(cat, *, status: Sequence[str] = (), area: str | None = None) -> list[dict]:
    """Assets with a partnership status, by status (partner, approached, known, lapsed), then
    the next contact due (soonest first; none last), then name."""
    where: list[str] = ["partnership_status != ''"]
    params: list = []
    if status:
        where.append(f"partnership_status IN ({', '.join('?' * len(status))})")
        params.extend(status)
    if area:
        where.append("area = ? COLLATE NOCASE")
        params.append(area.strip())
    rows = cat.conn.execute(
        f"SELECT {', '.join(LIST_COLUMNS)} FROM assets WHERE {' AND '.join(where)}", params
    ).fetchall()
    records = [dict(r) for r in rows]
    records.sort(
        key=lambda r: (
            _ORDER[r["partnership_status"]], r["next_contact"] == "", r["next_contact"],
            r["name"].lower(), r["id"],
        )
    )  # fmt: skip
    return records


MAX_WINDOW_DAYS = 36_525  # a hundred years: beyond it, dates overflow


def parse_window(text: str) -> int:
    """'14d', '2w', '1m', '0d' (or a bare number of days) -> days."""
    import re

    m = re.fullmatch(r"\s*(\d+)\s*([dwmy]?)\s*", text.lower())
    if not m:
        raise InvalidValue(f"--within: '{text}' is not a period; write 14d, 2w or 1m")
    days = int(m.group(1)) * {"": 1, "d": 1, "w": 7, "m": 30.44, "y": 365.25}[m.group(2)]
    if days > MAX_WINDOW_DAYS:
        raise InvalidValue(f"--within: '{text}' is more than 100 years; write 14d, 2w or 1m")
    return round(days)


def due(cat, *, today: dt.date, within_days: int) -> list[dict]:
    """Every asset whose next contact falls due by today + within_days (overdue included),
    whatever its status: soonest (most overdue) first. One row per asset."""
    limit = (today + dt.timedelta(days=within_days)).isoformat()
    cols = ", ".join(c for c in DUE_COLUMNS if c != "days_overdue")
    rows = cat.conn.execute(
        f"SELECT {cols} FROM assets WHERE next_contact != '' AND next_contact <= ? "
        "ORDER BY next_contact, id",
        (limit,),
    ).fetchall()
    out = []
    for r in rows:
        record = dict(r)
        record["days_overdue"] = (today - dt.date.fromisoformat(r["next_contact"])).days
        out.append({c: record[c] for c in DUE_COLUMNS})
    return out


def log_contact(
    cat, asset_id: str, *, on: str | None, next_due: str | None, today: dt.date
) -> tuple[str, str]:
    """Record a contact: last_contact becomes `on` (default today) and next_contact `next_due`,
    or `on` plus the previous gap between them (else DEFAULT_GAP_DAYS). Only those two
    columns change. Returns (last_contact, next_contact)."""
    day = _date("--on", on) if on else today
    if day > today + dt.timedelta(days=1):
        raise InvalidValue(f"--on {day.isoformat()} is in the future; a contact is logged after it")
    following = _date("--next", next_due) if next_due else None
    if following is not None and following < day:
        raise InvalidValue(
            f"--next {following.isoformat()} is before the contact on {day.isoformat()}"
        )
    from assetmap.catalogue import ownership

    # Read inside the write transaction: the gap comes from the dates as they are now, not as
    # they were before another contact was logged.
    with cat.transaction() as conn:
        asset = cat.get(asset_id)
        following = following or _following(asset, day)
        conn.execute(
            "UPDATE assets SET last_contact = ?, next_contact = ? WHERE id = ?",
            (day.isoformat(), following.isoformat(), asset_id),
        )
        # Local changes, as an `edit` is: re-importing the sheet they came from keeps them.
        ownership.mark(conn, asset_id, ["last_contact", "next_contact"], ownership.EDIT)
    return day.isoformat(), following.isoformat()


def _following(asset, day: dt.date) -> dt.date:
    """The next contact after one on `day`: the previous gap between them, else the default."""
    gap = DEFAULT_GAP_DAYS
    if asset.last_contact and asset.next_contact:
        previous = (
            dt.date.fromisoformat(asset.next_contact) - dt.date.fromisoformat(asset.last_contact)
        ).days
        gap = previous if previous > 0 else gap
    return day + dt.timedelta(days=gap)


def _date(option: str, text: str) -> dt.date:
    try:
        return parse_date(text)
    except InvalidValue as exc:
        raise InvalidValue(f"{option}: {exc}") from None
