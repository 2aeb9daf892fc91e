"""What a search keeps: the Filters, the test of each asset against them (left_out) and the
part of that test cheap enough to push down into SQL (sql_filters, sql_exclusions).

A new filter is a slot and a keyword of Filters, its test here, its option in
cli/commands/near.py and its field of search.request.NearRequest: nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from assetmap.search import safeguarding

if TYPE_CHECKING:
    from assetmap.search.times import Times

HIDDEN_STATUSES = ("closed", "temporarily-closed")
NO_TIMES = "times not recorded, check first"


# Plain classes, not dataclasses: creating a dataclass costs about 1 ms, paid at every start-up
# of every search.
class Filters:
    """What a search keeps. Days are 0-6 (Monday 0), times minutes after midnight."""

    __slots__ = (
        "within_km", "tags", "categories", "free", "day", "at", "after", "age", "gender",
        "women_only", "accessible", "referral", "welcomes_convictions", "no_dbs",
        "no_children", "strict_flags", "capital", "include_closed", "zones", "times",
        "partners_only", "prefer_free", "prefer_family",
    )  # fmt: skip

    def __init__(
        self, *, within_km: float = 5.0, tags: Sequence[str] = (),
        categories: Sequence[str] = (), free: bool = False, day: int | None = None,
        at: int | None = None, after: int | None = None, age: int | None = None,
        gender: str | None = None, women_only: bool = False, accessible: bool = False,
        referral: Sequence[str] = (), welcomes_convictions: bool = False,
        no_dbs: bool = False, no_children: bool = False, strict_flags: bool = False,
        capital: Sequence[str] = (), include_closed: bool = False,
        zones: Sequence = (),  # CircleZone | CouncilZone | PolygonZone | AreaZone
        times: Times | None = None,  # `day`, `at` and `after` are the short way to make one
        partners_only: bool = False, prefer_free: bool = False, prefer_family: bool = False,
    ) -> None:  # fmt: skip
        self.within_km = within_km
        self.tags = list(tags)
        self.categories = list(categories)
        self.free = free
        self.day = day
        self.at = at
        self.after = after
        self.age = age
        self.gender = gender
        self.women_only = women_only
        self.accessible = accessible
        self.referral = list(referral)
        self.welcomes_convictions = welcomes_convictions
        self.no_dbs = no_dbs
        self.no_children = no_children
        self.strict_flags = strict_flags
        self.capital = list(capital)
        self.include_closed = include_closed
        self.zones = list(zones)
        self.partners_only = partners_only
        # Situations said in the goals (search.request): rank, never filter (ranking.liked).
        self.prefer_free = prefer_free
        self.prefer_family = prefer_family
        if times is None and (day is not None or at is not None or after is not None):
            from assetmap.search.times import Times

            times = Times(days=None if day is None else frozenset({day}), at=at, after=after)
        self.times = times if times is not None and times.active() else None


def _flag_check(row, f: Filters) -> tuple[str | None, list[str]]:
    """(reason to exclude or None, cautions for the why column)."""
    cautions = []
    for on, column, what in ((f.no_dbs, "dbs_required", "DBS check"),
                             (f.no_children, "involves_children", "contact with children")):  # fmt: skip
        if not on:
            continue
        value = row[column]
        if value == "yes":
            return f"needs a {what}" if column == "dbs_required" else f"involves {what}", []
        if value == "unknown":
            if f.strict_flags:
                return f"{what}: unknown (--strict-flags)", []
            signal = safeguarding.children_signal(row) if column == "involves_children" else None
            if signal and signal[0] == "name":  # "Juniors", "Boys School", "U12s": left out
                return f"likely involves children (from its name: '{signal[1]}')", []
            if signal:
                cautions.append(safeguarding.children_caution(*signal))
                continue
            site = safeguarding.school_site(row) if column == "involves_children" else None
            if site:
                cautions.append(safeguarding.school_caution(site))
                continue
            cautions.append(f"{what}: unknown, check first")
    return None, cautions


def _time_check(row, times: Times) -> str | None:
    """Why the asset's times rule it out, NO_TIMES when it has none recorded, else None."""
    from assetmap.catalogue import schedule

    try:
        sessions = schedule.parse(row["schedule"])
    except Exception:  # an unreadable schedule is as good as none: say so, never guess
        sessions = []
    if not sessions:
        return NO_TIMES
    return None if times.fits(sessions) else "not open then"


def _exclusion(row, f: Filters) -> str | None:
    """Why a candidate inside the radius is left out, or None to keep it."""
    if not f.include_closed and row["status"] in HIDDEN_STATUSES:
        return f"status {row['status']}"
    if f.free and row["cost"] != "free":
        return f"cost {row['cost'] or 'unknown'}"
    if f.welcomes_convictions and row["welcomes_convictions"] != "yes":
        return f"welcomes convictions: {row['welcomes_convictions']}"
    if f.age is not None:
        lo, hi = row["min_age"], row["max_age"]
        if (lo is not None and f.age < lo) or (hi is not None and f.age > hi):
            return f"ages {lo if lo is not None else 0}-{hi if hi is not None else ''}"
    if f.women_only and row["gender"] != "women":
        return "not women-only"
    if f.gender and row["gender"] not in ("any", f.gender):
        return f"for {row['gender']} only"
    if f.gender and (said := safeguarding.gender_signal(row)) and said[0] != f.gender:
        return f"for {said[0]} only (from its name: '{said[1]}')"
    if f.accessible and not row["accessibility"].strip():
        return "no accessibility information"
    if f.referral and row["referral"] not in f.referral:
        return f"referral {row['referral'] or 'unknown'}"
    if f.capital and not set(f.capital) & set(row["capital"].split(";")):
        return f"capital {row['capital'] or 'unknown'}"
    return None


def left_out(row, f: Filters) -> tuple[str | None, list[str]]:
    """(why a candidate in the radius is left out or None, cautions for the why column)."""
    reason = _exclusion(row, f)
    if reason is not None:
        return reason, []
    reason, cautions = _flag_check(row, f)
    if reason is None and f.times is not None:
        reason = _time_check(row, f.times)
        if reason == NO_TIMES:  # kept and marked, as an unknown DBS flag is
            reason = "times not recorded (--strict-times)" if f.times.strict else None
            cautions.insert(0, NO_TIMES)
    if reason is None:
        for zone in f.zones:
            if zone.contains(row["lat"], row["lon"], row["postcode"] or "", row["area"] or ""):
                return f"inside avoided zone {zone.label}", []
    return reason, cautions


def sql_filters(f: Filters) -> tuple[str, list]:
    """Filters cheap to test in SQL, pushed down so fewer rows reach Python."""
    sql: str = ""
    params: list = []
    for tag in f.tags:
        sql += " AND (';' || a.tags || ';') LIKE ?"
        params.append(f"%;{' '.join(tag.lower().split())};%")
    if f.categories:
        sql += f" AND a.category IN ({','.join('?' * len(f.categories))})"
        params.extend(" ".join(c.lower().split()) for c in f.categories)
    if not f.include_closed:
        sql += " AND a.status = 'active'"
    if f.partners_only:
        sql += " AND a.partnership_status = 'partner'"
    return sql, params


def sql_exclusions(f: Filters) -> tuple[str, list]:
    """SQL that every asset _exclusion and _flag_check keep passes (it may pass more: Python
    still decides). On the fast path, so that in a city a rare filter such as --women-only
    reads thousands of rows in SQL rather than in Python; never with Query.complete, which
    must say why each asset was left out."""
    sql = ""
    params: list = []
    for on, test in ((f.free, "a.cost = 'free'"), (f.women_only, "a.gender = 'women'"),
                     (f.welcomes_convictions, "a.welcomes_convictions = 'yes'"),
                     (f.accessible, "a.accessibility != ''")):  # fmt: skip
        if on:
            sql += f" AND {test}"
    if f.age is not None:
        sql += (
            " AND (a.min_age IS NULL OR a.min_age <= ?) AND (a.max_age IS NULL OR a.max_age >= ?)"
        )
        params += [f.age, f.age]
    if f.gender:
        sql += " AND a.gender IN ('any', ?)"
        params.append(f.gender)
    if f.referral:
        sql += f" AND a.referral IN ({','.join('?' * len(f.referral))})"
        params += f.referral
    if f.capital:
        sql += " AND (" + " OR ".join(["(';' || a.capital || ';') LIKE ?"] * len(f.capital)) + ")"
        params += [f"%;{c};%" for c in f.capital]
    dropped = "('yes', 'unknown')" if f.strict_flags else "('yes')"
    for on, column in ((f.no_dbs, "dbs_required"), (f.no_children, "involves_children")):
        if on:
            sql += f" AND a.{column} NOT IN {dropped}"
    return sql, params
