"""`near` and `search`: place + goals -> candidates -> filters -> rank -> results.

Candidates come from the R*Tree in rings, nearest first (search.candidates), never a scan of
the catalogue, and only until the best are certain. A haversine pre-check settles most of
them; the exact geodesic decides the ones near the radius or a zone's edge, and gives the
distances shown.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import sqlite3
from collections.abc import Sequence

from assetmap.errors import InvalidValue
from assetmap.places.distance import HAVERSINE_MARGIN, distance_km, haversine_km
from assetmap.places.resolve import Place
from assetmap.search import goals as goals_mod
from assetmap.search.candidates import circle_terms, rings
from assetmap.search.strength import CLEAR, level

STALE_AFTER_DAYS = 365
HIDDEN_STATUSES = ("closed", "temporarily-closed")
# How `why` words a referral route: "referral by phone to Sam (Tue-Thu)".
ROUTE_WORDS = {"phone": "by phone", "email": "by email", "form": "by form",
               "drop-in": "at a drop-in", "other": ""}  # fmt: skip


# The classes here are plain classes, not dataclasses: creating a dataclass costs about 1 ms,
# paid at every start-up of every search.
class Filters:
    """What a search keeps. Days are 0-6 (Monday 0), times minutes after midnight."""

    __slots__ = (
        "within_km", "tags", "categories", "free", "day", "at", "after", "age", "gender",
        "women_only", "accessible", "referral", "welcomes_convictions", "no_dbs",
        "no_children", "strict_flags", "capital", "include_closed", "zones", "times",
        "partners_only",
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
        times=None,  # times.Times; `day`, `at` and `after` are the short way to make one
        partners_only: bool = False,
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
        if times is None and (day is not None or at is not None or after is not None):
            from assetmap.search.times import Times

            times = Times(days=None if day is None else frozenset({day}), at=at, after=after)
        self.times = times if times is not None and times.active() else None


class Query:
    """`complete` reads the whole circle even when the best are known sooner, for an exact
    total and every exclusion (--show-excluded)."""

    __slots__ = ("place", "goals", "filters", "sort", "limit", "today", "complete")

    def __init__(
        self, place: Place | None, *, goals: Sequence[str] = (), filters: Filters | None = None,
        sort: str = "score", limit: int = 10, today: dt.date | None = None,
        complete: bool = False,
    ) -> None:  # fmt: skip
        self.place = place
        self.goals = list(goals)
        self.filters = filters if filters is not None else Filters()
        self.sort = sort
        self.limit = limit
        self.today = today if today is not None else dt.date.today()
        self.complete = complete


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
            "verified_on": r["verified_on"], "partnership_status": r["partnership_status"],
            "referral_route": r["referral_route"], "referral_details": r["referral_details"],
            "welcomes_mentor": r["welcomes_mentor"], "contact_name": r["contact_name"],
            "contact_phone": r["contact_phone"],
        }  # fmt: skip


class Outcome:
    __slots__ = ("results", "excluded", "notes", "total", "complete", "all_excluded")

    def __init__(
        self, results: list[Result], excluded: list[tuple[str, str, str]], notes: list[str],
        total: int, complete: bool = True, all_excluded: bool = True,
    ) -> None:  # fmt: skip
        self.results = results
        self.excluded = excluded  # (id, name, reason)
        self.notes = notes  # how goals were understood, uncertainty, etc.
        self.total = total  # matches before --limit (at least this many when not complete)
        # False when the search stopped before the radius (the best were certain): `total`
        # then counts only the part read.
        self.complete = complete
        # False when `excluded` lists only some of what was left out: the search stopped
        # early, or tested filters in SQL (Query.complete does neither).
        self.all_excluded = all_excluded


def _goal_plan(conn, texts: list[str]) -> tuple[list, list, list[str], list[str]]:
    """Split goal phrases into vocabulary goals, phrases read in the person's own words (the
    lexicon: search/understand.py) and, when neither reads them, full-text searches."""
    if not texts:
        return [], [], [], []
    vocabulary = goals_mod.load(conn)
    known, readings, free_text, notes = [], [], [], []
    for text in texts:
        goal = goals_mod.match(text, vocabulary)
        if goal:
            if goal not in known:
                known.append(goal)
            if goal.name != " ".join(text.lower().split()):
                notes.append(f"goal '{text}' read as '{goal.name}'")
            continue
        if not text.strip():
            continue
        from assetmap.search import understand  # the lexicon is opened only for free text

        reading = understand.read(text, vocabulary)
        if reading.understood():
            readings.append(reading)
            notes.append(reading.note())
        else:
            free_text.append(text.strip())
            notes.append(f"'{text}' is not a known goal and the lexicon does not read it; searching names, descriptions and tags for it (`assetmap goals explain` shows how a phrase is read)")  # fmt: skip
    return known, readings, free_text, notes


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


def _left_out(row, f: Filters) -> tuple[str | None, list[str]]:
    """(why a candidate in the radius is left out or None, cautions for the why column)."""
    reason = _exclusion(row, f)
    if reason is not None:
        return reason, []
    reason, cautions = _flag_check(row, f)
    if reason is None and f.times is not None:
        reason = _time_check(row, f)
        if reason == NO_TIMES:  # kept and marked, as an unknown DBS flag is
            reason = "times not recorded (--strict-times)" if f.times.strict else None
            cautions.insert(0, NO_TIMES)
    if reason is None:
        for zone in f.zones:
            if zone.contains(row["lat"], row["lon"], row["postcode"] or "", row["area"] or ""):
                return f"inside avoided zone {zone.label}", []
    return reason, cautions


def _goal_words(met) -> list[str]:
    """'fits "get fit" and "meet people"'; 'loosely fits "into boats" -> be outdoors (boats)'."""
    clear, loose = [], []
    for name, strength, read_as in met:
        said = f'"{name}"' + (f" -> {read_as}" if read_as else "")
        (clear if strength >= CLEAR else loose).append(said)
    out = []
    if clear:
        out.append("fits " + " and ".join(clear))
    if loose:
        out.append("loosely fits " + " and ".join(loose))
    return out


def _why(row, goals_met, distance, cautions, fresh: bool) -> str:
    parts = _goal_words(goals_met)
    if distance is not None:
        parts.append(f"{distance:.1f} km")
    if relation := _relationship(row):
        parts.append(relation)
    if row["welcomes_mentor"] == "yes":
        parts.append("a mentor can come along")
    if NO_TIMES not in cautions:
        parts.append(row["schedule"] or "times not recorded")
    parts.append(row["cost"] or "cost unknown")
    if row["referral"] == "referral-needed":
        # A foodbank that needs a referral (Trussell Trust) needs a voucher from an agency.
        parts.append("voucher needed" if row["category"] == "foodbank" else "referral needed")
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


def _relationship(row) -> str:
    """'partner, referral by phone to Sam (Tue-Thu)': the status when it is partner, and how
    to refer, to whom, with the route's details."""
    parts = ["partner"] if row["partnership_status"] == "partner" else []
    route = row["referral_route"]
    if route or row["referral_details"]:
        text = " ".join(w for w in ("referral", ROUTE_WORDS.get(route, "")) if w)
        if row["contact_name"]:
            text += f" to {row['contact_name']}"
        if row["referral_details"]:
            text += f" ({row['referral_details']})"
        parts.append(text)
    return ", ".join(parts)


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
    if f.partners_only:
        sql += " AND a.partnership_status = 'partner'"
    return sql, params


def _sql_exclusions(f: Filters) -> tuple[str, list]:
    """SQL that every asset _exclusion and _flag_check keep passes (it may pass more: Python
    still decides). On the fast path, so that in a city a rare filter such as --women-only
    reads thousands of rows in SQL rather than in Python; never with Query.complete, which
    must say why each asset was left out."""
    sql, params = "", []
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


def near(conn, q: Query) -> Outcome:
    """The best `limit` matches within the radius, in the order a full scan would give.

    Rings are read nearest first. Reading stops once `limit` matches are certain to beat
    anything further out: the worst score they can have (their distance rounded up by the
    haversine's error) is above _ceiling(), the best score an asset beyond the ring could
    reach. With q.complete, or when fewer than `limit` match, the whole circle is read, so
    the total and the list of what was left out are exact."""
    f = q.filters
    known_goals, readings, free_goals, notes = _goal_plan(conn, q.goals)
    fts_hits = {text: set(_fts_pks(conn, text)) for text in free_goals}
    extra_sql, params = _sql_filters(q)
    more_sql, more = ("", []) if q.complete else _sql_exclusions(f)
    extra_sql, params = extra_sql + more_sql, params + more
    radius, limit = f.within_km, q.limit
    lo_edge, hi_edge = radius * (1 - HAVERSINE_MARGIN), radius * (1 + HAVERSINE_MARGIN)
    plat, plon = q.place.lat, q.place.lon
    fresh_since = (q.today - dt.timedelta(days=STALE_AFTER_DAYS)).isoformat()
    by_distance = q.sort == "distance"
    best_points = _best_goal_points(known_goals, readings, free_goals)
    read_terms = False
    # The partner boost raises the bound only where some asset further out could have it.
    boost_possible = not by_distance and (f.partners_only or _any_partner(conn))
    kept, excluded = [], []
    worst_top: list[float] = []  # min-heap: the `limit` best worst-case ranks so far
    complete = True
    ring_reader = rings(conn, plat, plon, radius, extra_sql, params)
    wider = None
    while True:
        try:
            ring, floor_km = ring_reader.send(wider)
        except StopIteration:
            break
        for row in ring:
            d = haversine_km(plat, plon, row["lat"], row["lon"])
            if d > hi_edge:
                continue
            if d >= lo_edge:  # too close to the edge to trust the haversine: ask the geodesic
                d = distance_km(plat, plon, row["lat"], row["lon"])
                if d > radius:
                    continue
            met = _goals_met(row, known_goals, readings, free_goals, fts_hits)
            if q.goals and not met:
                continue
            reason, cautions = _left_out(row, f)
            if reason:
                excluded.append((row["id"], row["name"], reason))
                continue
            fresh = row["verified_on"] >= fresh_since
            # The geodesic is within HAVERSINE_MARGIN of the haversine: rank at both ends.
            far, close = d * (1 + HAVERSINE_MARGIN) + 1e-9, d * (1 - HAVERSINE_MARGIN)
            if by_distance:
                worst, best = -far, -close
            else:
                points, partner = _goal_points(met), _partner(row)
                worst = _score(q, far, points, fresh, partner)
                best = _score(q, close, points, fresh, partner)
            kept.append((best, row, met, cautions, fresh))
            if len(worst_top) < limit:
                heapq.heappush(worst_top, worst)
            elif worst > worst_top[0]:
                heapq.heapreplace(worst_top, worst)
        # Matches grow with the area: aim the next ring at `limit` of them (the reader caps it).
        wider = 1.2 * (limit / max(len(kept), 0.5)) ** 0.5
        if q.complete or len(worst_top) < limit or floor_km == math.inf:
            continue
        ceiling = -floor_km if by_distance else _ceiling(q, floor_km, best_points, boost_possible)
        if worst_top[0] <= ceiling and readings and not by_distance and not read_terms:
            # A reading's strongest term (often the phrase itself) may be on no asset here:
            # bound each reading by the terms the circle's assets do carry (one SQL pass).
            read_terms = True
            present = circle_terms(conn, plat, plon, radius, extra_sql, params)
            best_points = _best_goal_points(known_goals, readings, free_goals, present)
            ceiling = _ceiling(q, floor_km, best_points, boost_possible)
        if worst_top[0] > ceiling:
            complete = False
            break
    # Only an asset whose best possible rank reaches the limit-th worst case can be shown:
    # give those their exact distance and rank them exactly.
    cutoff = worst_top[0] if len(worst_top) >= limit else -math.inf
    shortlist = []
    for best, row, met, cautions, fresh in kept:
        if best >= cutoff:
            d = distance_km(plat, plon, row["lat"], row["lon"])
            shortlist.append(
                (_key(q, row, d, _goal_points(met), fresh), row, d, met, cautions, fresh)
            )
    shortlist.sort(key=lambda k: k[0])
    results = [
        Result(
            row,
            d,
            [m[0] for m in met],
            _score(q, d, _goal_points(met), fresh, _partner(row)),
            _why(row, met, d, c, fresh),
        )  # fmt: skip
        for _key_, row, d, met, c, fresh in shortlist[:limit]
    ]
    if q.place.precision in ("district", "place", "council") or q.place.radius_km >= 1:
        notes.append(
            f"distances are from the centre of {q.place.label} ({q.place.precision}); "
            f"they may be out by up to {q.place.radius_km:.1f} km"
        )
    excluded.sort(key=lambda e: e[0])
    return Outcome(
        results, excluded, notes, total=len(kept), complete=complete,
        all_excluded=complete and not more_sql,
    )  # fmt: skip


def _goals_met(row, known_goals, readings, free_goals, fts_hits) -> list[tuple[str, float, str]]:
    """[(goal as the user gave it, strength 0-1, what it was read as)] for the goals the asset meets."""
    if not known_goals and not readings and not free_goals:
        return []
    tags = [t for t in row["tags"].split(";") if t]
    met = [(g.name, 1.0, "") for g in known_goals if g.serves(tags, row["category"])]
    for reading in readings:
        strength, read_as, said = reading.meets(tags, row["category"])
        if strength > 0:
            met.append((reading.text, strength, f"{read_as} ({said})"))
    return met + [(t, 1.0, "") for t in free_goals if row["pk"] in fts_hits[t]]


# The score, in one place (issue 18 bounds it to stop searching outward; issue 16 adds to it):
#   score = LEVEL_POINTS x (sum over the goals of how strongly each is met, in tenths: 0-10)
#         + NEAR_POINTS x decay(distance)          (decay in (0, 1], 1 at the point)
#         + FRESH_POINTS if verified within a year
#         + PARTNER_BOOST if the group's partnership_status is `partner`
#         (+ any other bounded terms: PARTNER_BOOST and they together at most EXTRA_MAX)
# One tenth of strength (2.0) is more than nearness, freshness and EXTRA_MAX together (0.9 +
# 0.09 + 1.0), so a goal met more strongly always outranks a nearer, fresher or partner asset,
# and a weak reading never outranks a clear one. Upper bound at distance d with g goals:
#   LEVEL_POINTS x 10g + NEAR_POINTS x decay(d) + FRESH_POINTS
#   + PARTNER_BOOST if any asset is a partner                               (_ceiling below)
LEVEL_POINTS = 2.0
NEAR_POINTS = 0.9
FRESH_POINTS = 0.09
EXTRA_MAX = 1.0
# A small preference for a partner (a referral there is known to work): about a ninth of
# nearness, so at 5 km a partner up to about 300 m further than another asset near the point
# comes first. One of the bounded extra terms: it never outweighs a tenth of a goal's strength.
PARTNER_BOOST = 0.1
assert PARTNER_BOOST <= EXTRA_MAX


def _goal_points(met) -> float:
    return LEVEL_POINTS * sum(level(strength) for _name, strength, _read in met)


def _decay(q: Query, distance: float) -> float:
    # 1 at the point, about 0.37 at half the search radius, near 0 at its edge.
    return math.exp(-distance / max(q.filters.within_km / 2, 0.1))


def _partner(row) -> bool:
    return row["partnership_status"] == "partner"


def _score(
    q: Query, distance: float, goal_points: float, fresh: bool, partner: bool = False
) -> float:
    """See the comment above: goals met (by how clearly), then nearness, then freshness and
    the partner boost."""
    return (
        goal_points + NEAR_POINTS * _decay(q, distance) + (FRESH_POINTS if fresh else 0.0)
        + (PARTNER_BOOST if partner else 0.0)
    )  # fmt: skip


def _best_goal_points(known_goals, readings, free_goals, present=None) -> float:
    """The most goal points an asset can earn for this query: a vocabulary goal or a
    full-text match at full strength, a reading at its strongest term (a phrase read only
    loosely can never be met clearly). With `present`, the (tags, category) pairs of the
    assets that could be found, a reading at the strongest of them it meets."""
    tenths = 10 * (len(known_goals) + len(free_goals))
    if present is None:
        return LEVEL_POINTS * (tenths + sum(level(r.best()) for r in readings))
    # meets() takes the strongest of an asset's terms, so the strongest over all the assets
    # is what it gives for all their terms at once.
    terms = {t for tags, _category in present for t in tags.split(";") if t}
    terms.update(category for _tags, category in present)
    best = (r.meets(sorted(terms), "")[0] for r in readings)
    return LEVEL_POINTS * (tenths + sum(level(b) for b in best))


def _ceiling(q: Query, distance: float, best_points: float, partner: bool) -> float:
    """The best score any asset at `distance` or further could reach: _score with every
    goal met as strongly as it can be, fresh, a partner when `partner` (some asset is one), at
    that distance (the score never rises with distance). Change it with _score; the property
    test in tests/test_near_fast.py guards the pair.

    Keep it tight: each term at the most it can be for this query, not room for terms that
    may come. A bound above what any asset can score never lets the rings stop early, and
    `near` then reads the whole circle (test_rings_stop_early... catches that)."""
    return _score(q, distance, best_points, True, partner)


def _any_partner(conn) -> bool:
    # Read from the partial index assets_partners: no scan, however large the catalogue.
    sql = "SELECT 1 FROM assets WHERE partnership_status = 'partner' LIMIT 1"
    return conn.execute(sql).fetchone() is not None


def _key(q: Query, row, distance: float, goal_points: float, fresh: bool):
    if q.sort == "distance":
        return (distance, row["id"])
    return (-_score(q, distance, goal_points, fresh, _partner(row)), row["id"])


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
