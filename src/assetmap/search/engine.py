"""`near` and `search`: place + goals -> candidates -> filters -> rank -> results.

Candidates come from the R*Tree (a box round the point), never a scan of the catalogue. A
haversine pre-check settles most of them; the exact geodesic decides the ones near the radius
or a zone's edge, and gives the distances shown.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from collections.abc import Sequence

from assetmap.errors import InvalidValue
from assetmap.places.distance import (
    HAVERSINE_MARGIN,
    bbox,
    circle_prefilter,
    distance_km,
    haversine_km,
)
from assetmap.places.resolve import Place
from assetmap.search import goals as goals_mod

STALE_AFTER_DAYS = 365
HIDDEN_STATUSES = ("closed", "temporarily-closed")


# The classes here are plain classes, not dataclasses: creating a dataclass costs about 1 ms,
# paid at every start-up of every search.
class Filters:
    """What a search keeps. Days are 0-6 (Monday 0), times minutes after midnight."""

    __slots__ = (
        "within_km", "tags", "categories", "free", "day", "at", "after", "age", "gender",
        "women_only", "accessible", "referral", "welcomes_convictions", "no_dbs",
        "no_children", "strict_flags", "capital", "include_closed", "zones", "times",
    )  # fmt: skip

    def __init__(
        self, *, within_km: float = 5.0, tags: Sequence[str] = (),
        categories: Sequence[str] = (), free: bool = False, day: int | None = None,
        at: int | None = None, after: int | None = None, age: int | None = None,
        gender: str | None = None, women_only: bool = False, accessible: bool = False,
        referral: Sequence[str] = (), welcomes_convictions: bool = False,
        no_dbs: bool = False, no_children: bool = False, strict_flags: bool = False,
        capital: Sequence[str] = (), include_closed: bool = False,
        zones: Sequence = (),  # CircleZone | PolygonZone | AreaZone
        times=None,  # times.Times; `day`, `at` and `after` are the short way to make one
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
        if times is None and (day is not None or at is not None or after is not None):
            from assetmap.search.times import Times

            times = Times(days=None if day is None else frozenset({day}), at=at, after=after)
        self.times = times if times is not None and times.active() else None


class Query:
    __slots__ = ("place", "goals", "filters", "sort", "limit", "today")

    def __init__(
        self, place: Place | None, *, goals: Sequence[str] = (), filters: Filters | None = None,
        sort: str = "score", limit: int = 10, today: dt.date | None = None,
    ) -> None:  # fmt: skip
        self.place = place
        self.goals = list(goals)
        self.filters = filters if filters is not None else Filters()
        self.sort = sort
        self.limit = limit
        self.today = today if today is not None else dt.date.today()


class Result:
    """One asset found, with its distance, the goals it meets, its score and why."""

    __slots__ = ("row", "distance_km", "goals_met", "score", "why")

    def __init__(
        self, row: sqlite3.Row, distance_km: float | None, goals_met: list[str], score: float,
        why: str,
    ) -> None:  # fmt: skip
        self.row = row
        self.distance_km = distance_km
        self.goals_met = goals_met
        self.score = score
        self.why = why

    def to_json(self) -> dict:
        r = self.row
        return {
            "id": r["id"], "name": r["name"], "category": r["category"],
            "tags": [t for t in r["tags"].split(";") if t],
            "distance_km": None if self.distance_km is None else round(self.distance_km, 3),
            "score": round(self.score, 4), "goals_met": self.goals_met, "why": self.why,
            "postcode": r["postcode"], "area": r["area"], "address": r["address"],
            "lat": r["lat"], "lon": r["lon"], "geo_precision": r["geo_precision"],
            "schedule": r["schedule"], "cost": r["cost"], "referral": r["referral"],
            "gender": r["gender"], "min_age": r["min_age"], "max_age": r["max_age"],
            "welcomes_convictions": r["welcomes_convictions"], "dbs_required": r["dbs_required"],
            "involves_children": r["involves_children"], "phone": r["phone"],
            "email": r["email"], "website": r["website"], "status": r["status"],
            "verified_on": r["verified_on"],
        }  # fmt: skip


class Outcome:
    __slots__ = ("results", "excluded", "notes", "total")

    def __init__(
        self, results: list[Result], excluded: list[tuple[str, str, str]], notes: list[str],
        total: int,
    ) -> None:  # fmt: skip
        self.results = results
        self.excluded = excluded  # (id, name, reason)
        self.notes = notes  # how goals were understood, uncertainty, etc.
        self.total = total  # matches before --limit


def _goal_plan(conn, texts: list[str]) -> tuple[list, list[str], list[str]]:
    """Split goal phrases into vocabulary goals and free-text ones (searched with FTS)."""
    if not texts:
        return [], [], []
    vocabulary = goals_mod.load(conn)
    known, free_text, notes = [], [], []
    for text in texts:
        goal = goals_mod.match(text, vocabulary)
        if goal:
            if goal not in known:
                known.append(goal)
            if goal.name != " ".join(text.lower().split()):
                notes.append(f"goal '{text}' read as '{goal.name}'")
        elif text.strip():
            free_text.append(text.strip())
            notes.append(f"'{text}' is not a known goal (`assetmap goals`); searching names, descriptions and tags for it")  # fmt: skip
    return known, free_text, notes


def fts_query(text: str) -> str:
    """Words of the text as an FTS5 query that matches all of them (prefixes allowed); quoted
    so user text can never be read as FTS syntax."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in text.lower()).split() if w]
    if not words:
        raise InvalidValue(f"'{text}' has no words to search for")
    return " ".join(f'"{w}"*' for w in words)


def _fts_pks(conn, text: str, limit: int | None = None) -> list[int]:
    sql = "SELECT rowid FROM assets_fts WHERE assets_fts MATCH ? ORDER BY rank"
    params: list = [fts_query(text)]
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    return [r[0] for r in conn.execute(sql, params)]


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
            cautions.append(f"{what}: unknown, check first")
    return None, cautions


NO_TIMES = "times not recorded, check first"


def _time_check(row, f: Filters) -> str | None:
    """Why the asset's times rule it out, NO_TIMES when it has none recorded, else None."""
    from assetmap.catalogue import schedule

    try:
        sessions = schedule.parse(row["schedule"])
    except Exception:  # an unreadable schedule is as good as none: say so, never guess
        sessions = []
    if not sessions:
        return NO_TIMES
    return None if f.times.fits(sessions) else "not open then"


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
    if f.accessible and not row["accessibility"].strip():
        return "no accessibility information"
    if f.referral and row["referral"] not in f.referral:
        return f"referral {row['referral'] or 'unknown'}"
    if f.capital and not set(f.capital) & set(row["capital"].split(";")):
        return f"capital {row['capital'] or 'unknown'}"
    return None


def _why(row, goals_met, distance, cautions, fresh: bool) -> str:
    parts = []
    if goals_met:
        parts.append("meets " + ", ".join(goals_met))
    if distance is not None:
        parts.append(f"{distance:.1f} km")
    if NO_TIMES not in cautions:
        parts.append(row["schedule"] or "times not recorded")
    parts.append(row["cost"] or "cost unknown")
    if row["welcomes_convictions"] == "yes":
        parts.append("welcomes people with convictions")
    if row["dbs_required"] == "yes":
        parts.append("DBS check needed")
    if row["involves_children"] == "yes":
        parts.append("involves children")
    parts.extend(cautions)
    if row["status"] != "active":
        parts.append(row["status"].upper())
    if not fresh:
        parts.append(f"not verified since {row['verified_on']}" if row["verified_on"] else "never verified")  # fmt: skip
    return "; ".join(parts)


def _candidates(conn, q: Query, extra_sql: str, params: list):
    place, f = q.place, q.filters
    box = bbox(place.lat, place.lon, f.within_km)
    sql = (
        "SELECT a.* FROM assets_rtree r JOIN assets a ON a.pk = r.pk "
        "WHERE r.max_lat >= ? AND r.min_lat <= ? AND r.max_lon >= ? AND r.min_lon <= ?"
    )
    params = [*box, *params]
    circle = circle_prefilter(place.lat, place.lon, box, f.within_km)
    if circle:
        # Tested on the R*Tree's own coordinates, so the box's corners (a fifth of its area)
        # are dropped before their rows are read: measured about 15% off a 5 km query.
        sql += " AND (r.min_lat - ?) * (r.min_lat - ?) * ? + (r.min_lon - ?) * (r.min_lon - ?) * ? <= ?"
        params[4:4] = circle
    return conn.execute(sql + extra_sql, params)


def _sql_filters(q: Query) -> tuple[str, list]:
    """Filters cheap to test in SQL, pushed down so fewer rows reach Python."""
    f, sql, params = q.filters, "", []
    for tag in f.tags:
        sql += " AND (';' || a.tags || ';') LIKE ?"
        params.append(f"%;{' '.join(tag.lower().split())};%")
    if f.categories:
        sql += f" AND a.category IN ({','.join('?' * len(f.categories))})"
        params.extend(" ".join(c.lower().split()) for c in f.categories)
    if not f.include_closed:
        sql += " AND a.status = 'active'"
    return sql, params


def near(conn, q: Query) -> Outcome:
    f = q.filters
    known_goals, free_goals, notes = _goal_plan(conn, q.goals)
    fts_hits = {text: set(_fts_pks(conn, text)) for text in free_goals}
    extra_sql, params = _sql_filters(q)
    radius = f.within_km
    lo_edge, hi_edge = radius * (1 - HAVERSINE_MARGIN), radius * (1 + HAVERSINE_MARGIN)
    plat, plon = q.place.lat, q.place.lon
    fresh_since = (q.today - dt.timedelta(days=STALE_AFTER_DAYS)).isoformat()
    kept, excluded = [], []
    for row in _candidates(conn, q, extra_sql, params):
        d = haversine_km(plat, plon, row["lat"], row["lon"])
        if d > hi_edge:
            continue
        if d >= lo_edge:  # too close to the edge to trust the haversine: ask the geodesic
            d = distance_km(plat, plon, row["lat"], row["lon"])
            if d > radius:
                continue
        met = _goals_met(row, known_goals, free_goals, fts_hits)
        if q.goals and not met:
            continue
        reason = _exclusion(row, f)
        cautions: list[str] = []
        if reason is None:
            reason, cautions = _flag_check(row, f)
        if reason is None and f.times is not None:
            reason = _time_check(row, f)
            if reason == NO_TIMES:  # kept and marked, as an unknown DBS flag is
                reason = "times not recorded (--strict-times)" if f.times.strict else None
                cautions.insert(0, NO_TIMES)
        if reason is None:
            for zone in f.zones:
                if zone.contains(row["lat"], row["lon"], row["postcode"] or ""):
                    reason = f"inside avoided zone {zone.label}"
                    break
        if reason:
            excluded.append((row["id"], row["name"], reason))
            continue
        fresh = row["verified_on"] >= fresh_since
        kept.append([_key(q, row, d, len(met), fresh), row, d, met, cautions, fresh])
    kept.sort(key=lambda k: k[0])
    # The order above used haversine distances (within 0.5% of the geodesic). Make the
    # distances of the top `limit` exact, with every rival close enough to swap places.
    shortlist = kept[: q.limit]
    if shortlist:
        cutoff = shortlist[-1][0][0]
        slack = abs(cutoff) * 0.02 + 1e-6
        shortlist += [k for k in kept[q.limit :] if k[0][0] <= cutoff + slack]
    for k in shortlist:
        row = k[1]
        k[2] = distance_km(plat, plon, row["lat"], row["lon"])
        k[0] = _key(q, row, k[2], len(k[3]), k[5])
    shortlist.sort(key=lambda k: k[0])
    results = [
        Result(row, d, met, _score(q, d, len(met), fresh), _why(row, met, d, c, fresh))
        for _key_, row, d, met, c, fresh in shortlist[: q.limit]
    ]
    if q.place.precision in ("district", "place", "council") or q.place.radius_km >= 1:
        notes.append(
            f"distances are from the centre of {q.place.label} ({q.place.precision}); "
            f"they may be out by up to {q.place.radius_km:.1f} km"
        )
    excluded.sort(key=lambda e: e[0])
    return Outcome(results, excluded, notes, total=len(kept))


def _goals_met(row, known_goals, free_goals, fts_hits) -> list[str]:
    if not known_goals and not free_goals:
        return []
    tags = [t for t in row["tags"].split(";") if t]
    met = [g.name for g in known_goals if g.serves(tags, row["category"])]
    return met + [t for t in free_goals if row["pk"] in fts_hits[t]]


def _decay(q: Query, distance: float) -> float:
    # 1 at the point, about 0.37 at half the search radius, near 0 at its edge.
    return math.exp(-distance / max(q.filters.within_km / 2, 0.1))


def _score(q: Query, distance: float, goals_met: int, fresh: bool) -> float:
    """Goals met, then nearness, then freshness: a goal always outweighs distance."""
    return goals_met + 0.9 * _decay(q, distance) + (0.09 if fresh else 0.0)


def _key(q: Query, row, distance: float, goals_met: int, fresh: bool):
    if q.sort == "distance":
        return (distance, row["id"])
    return (-_score(q, distance, goals_met, fresh), row["id"])


# At most this many stemmed matches are re-ranked by whole words (bm25 order picks which).
TEXT_CANDIDATES = 5000


def _words(text: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in text.lower()).split()


def text_search(
    conn, text: str, *, limit: int, include_closed: bool, today: dt.date
) -> list[Result]:
    """Full-text search over names, descriptions, tags and categories, best match first.

    Whole words first: the FTS index stems ("boxing" and "boxes" are both "box"), so its
    matches are re-ranked with the ones holding every word as typed ahead of the rest.
    Prefixes ("box" finding "boxercise") are tried only when no word matches at all."""
    words = _words(text)
    if not words:
        raise InvalidValue(f"'{text}' has no words to search for")
    sql = (
        "SELECT a.*, bm25(assets_fts) AS rank FROM assets_fts JOIN assets a ON a.pk = assets_fts.rowid "
        "WHERE assets_fts MATCH ?"
    )
    if not include_closed:
        sql += " AND a.status = 'active'"
    sql += " ORDER BY rank, a.id LIMIT ?"
    rows = conn.execute(sql, (" ".join(f'"{w}"' for w in words), TEXT_CANDIDATES)).fetchall()
    if rows:
        import re

        pattern = [re.compile(rf"\b{re.escape(w)}\b") for w in words]

        def whole(r) -> bool:
            haystack = " ".join((r["name"], r["category"], r["tags"], r["description"])).lower()
            return all(p.search(haystack) for p in pattern)

        rows.sort(key=lambda r: (not whole(r), r["rank"], r["id"]))
        rows = rows[:limit]
    else:
        rows = conn.execute(sql, (fts_query(text), limit)).fetchall()
    fresh_since = (today - dt.timedelta(days=STALE_AFTER_DAYS)).isoformat()
    return [
        Result(r, None, [], -r["rank"], _why(r, [], None, [], r["verified_on"] >= fresh_since))
        for r in rows
    ]
