"""`near` and `search`: place + goals -> candidates -> filters -> rank -> results.

Candidates come from the R*Tree in rings, nearest first (search.candidates), never a scan of
the catalogue, and only until the best are certain. A haversine pre-check settles most of
them; the exact geodesic decides the ones near the radius or a zone's edge, and gives the
distances shown.

What a search keeps is search.filters, the score search.ranking, the wording of the `why`
column search.why and the value classes search.query.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math

from assetmap.errors import InvalidValue
from assetmap.places.distance import HAVERSINE_MARGIN, distance_km, haversine_km
from assetmap.search import filters, goals, ranking
from assetmap.search.budget import MAX_WORDS, search_words
from assetmap.search.candidates import circle_terms, rings
from assetmap.search.query import Outcome, Query, Result


class GoalPlan:
    """How the goals were read: goals of the vocabulary, phrases read in the person's own words
    (search/understand.py), full-text searches, the notes saying so, the phrases that say a
    kind of place against ("doesn't want church") and the situations they say (no money,
    a toddler, evenings: phrase -> words, by situation), which search.request applies."""

    __slots__ = ("known", "readings", "free_text", "notes", "against", "situations")

    def __init__(self) -> None:
        self.known: list = []
        self.readings: list = []
        self.free_text: list[str] = []
        self.notes: list[str] = []
        self.against: list = []
        self.situations: dict[str, list[tuple[str, str]]] = {}

    def wants_kinds(self) -> bool:
        """Whether an asset must meet some goal to be shown (a phrase that only says what is
        not wanted, or only a situation, asks for no kind in particular)."""
        return bool(self.known or self.readings or self.free_text)


def read_goals(conn, texts: list[str]) -> GoalPlan:
    """Split goal phrases into vocabulary goals, phrases read in the person's own words (the
    lexicon: search/understand.py) and, when neither reads them, full-text searches."""
    plan = GoalPlan()
    if not texts:
        return plan
    vocabulary = goals.load(conn)
    known, readings, free_text, notes = plan.known, plan.readings, plan.free_text, plan.notes
    for text in texts:
        goal = goals.match(text, vocabulary)
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
        if reading.understood() or reading.shapes():
            if reading.understood():
                readings.append(reading)
            if reading.unwanted:
                plan.against.append(reading)
            for name, said in reading.situations.items():
                plan.situations.setdefault(name, []).extend((reading.text, w) for w in said)
            if note := reading.note():
                notes.append(note)
        else:
            free_text.append(text.strip())
            notes.append(f"'{text}' is not a known goal and the lexicon does not read it; searching names, descriptions and tags for it (`assetmap goals explain` shows how a phrase is read)")  # fmt: skip
            words, capped = search_words(text)
            if capped:
                notes.append(f"a goal is searched for by its first {MAX_WORDS} words that say something: {' '.join(words)}")  # fmt: skip
    if plan.situations and not plan.wants_kinds() and not plan.against:
        # "has a toddler" alone: a situation, not a need; say that no kind was read
        phrases = ", ".join(dict.fromkeys(f"'{p}'" for s in plan.situations.values() for p, _w in s))  # fmt: skip
        notes.append(f"{phrases} names no kind of place: every kind is searched")
    return plan


def said_against(row, against) -> str | None:
    """Why an asset is left out because a goal said its kind against ("doesn't want church")."""
    tags = None
    for reading in against:
        if tags is None:
            tags = [t for t in row["tags"].split(";") if t]
        sense = reading.against(tags, row["category"])
        if sense is not None:
            return f"said against: '{reading.text}' ({sense.text()})"
    return None


def fts_query(text: str) -> str:
    """Words of the text as an FTS5 query that matches all of them (prefixes allowed); quoted
    so user text can never be read as FTS syntax. Only the words worth searching for, each
    once and at most MAX_WORDS of them (search.budget): the query's cost grew steeply with
    its words."""
    words, _capped = search_words(text)
    if not words:
        raise InvalidValue(f"'{text}' has no words to search for{NO_WORDS_HINT}")
    return " ".join(f'"{w}"*' for w in words)


NO_WORDS_HINT = " (one-letter words and words like 'the' and 'with' are left out)"


def fts_pks(conn, text: str, limit: int | None = None) -> list[int]:
    sql = "SELECT rowid FROM assets_fts WHERE assets_fts MATCH ? ORDER BY rank"
    params: list = [fts_query(text)]
    if limit:
        sql += " LIMIT ?"
        params.append(limit)
    return [r[0] for r in conn.execute(sql, params)]


def near(conn, q: Query) -> Outcome:
    """The best `limit` matches within the radius, in the order a full scan would give.

    Rings are read nearest first. Reading stops once `limit` matches are certain to beat
    anything further out: the worst score they can have (their distance rounded up by the
    haversine's error) is above ranking.ceiling(), the best score an asset beyond the ring could
    reach. With q.complete, or when fewer than `limit` match, the whole circle is read, so
    the total and the list of what was left out are exact."""
    f = q.filters
    plan = q.plan if q.plan is not None else read_goals(conn, q.goals)
    known_goals, readings, free_goals = plan.known, plan.readings, plan.free_text
    notes = list(plan.notes)
    wants_kinds = plan.wants_kinds()
    fts_hits = {text: set(fts_pks(conn, text)) for text in free_goals}
    extra_sql, params = filters.sql_filters(f)
    more_sql, more = ("", []) if q.complete else filters.sql_exclusions(f)
    extra_sql, params = extra_sql + more_sql, params + more
    radius, limit = f.within_km, q.limit
    lo_edge, hi_edge = radius * (1 - HAVERSINE_MARGIN), radius * (1 + HAVERSINE_MARGIN)
    plat, plon = q.place.lat, q.place.lon
    fresh_since = (q.today - dt.timedelta(days=ranking.STALE_AFTER_DAYS)).isoformat()
    by_distance = q.sort == "distance"
    best_points = ranking.best_goal_points(known_goals, readings, free_goals)
    read_terms = False
    # The partner boost raises the bound only where some asset further out could have it.
    boost_possible = not by_distance and (f.partners_only or ranking.any_partner(conn))
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
            met = goals_met(row, known_goals, readings, free_goals, fts_hits)
            if wants_kinds and not met:
                continue
            reason = said_against(row, plan.against) if plan.against else None
            cautions: list[str] = []
            if reason is None:
                reason, cautions = filters.left_out(row, f)
            if reason:
                excluded.append((row["id"], row["name"], reason))
                continue
            fresh = row["verified_on"] >= fresh_since
            # The geodesic is within HAVERSINE_MARGIN of the haversine: rank at both ends.
            far, close = d * (1 + HAVERSINE_MARGIN) + 1e-9, d * (1 - HAVERSINE_MARGIN)
            if by_distance:
                worst, best = -far, -close
            else:
                points, partner, liked = ranking.goal_points(met), ranking.partner(row), ranking.liked(q, row)  # fmt: skip
                worst = ranking.score(q, far, points, fresh, partner, liked)
                best = ranking.score(q, close, points, fresh, partner, liked)
            kept.append((best, row, met, cautions, fresh))
            if len(worst_top) < limit:
                heapq.heappush(worst_top, worst)
            elif worst > worst_top[0]:
                heapq.heapreplace(worst_top, worst)
        # Matches grow with the area: aim the next ring at `limit` of them (the reader caps it).
        wider = 1.2 * (limit / max(len(kept), 0.5)) ** 0.5
        if q.complete or len(worst_top) < limit or floor_km == math.inf:
            continue
        ceiling = (
            -floor_km if by_distance else ranking.ceiling(q, floor_km, best_points, boost_possible)
        )
        if worst_top[0] <= ceiling and readings and not by_distance and not read_terms:
            # A reading's strongest term (often the phrase itself) may be on no asset here:
            # bound each reading by the terms the circle's assets do carry (one SQL pass).
            read_terms = True
            present = circle_terms(conn, plat, plon, radius, extra_sql, params)
            best_points = ranking.best_goal_points(known_goals, readings, free_goals, present)
            ceiling = ranking.ceiling(q, floor_km, best_points, boost_possible)
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
                (
                    ranking.key(q, row, d, ranking.goal_points(met), fresh),
                    row,
                    d,
                    met,
                    cautions,
                    fresh,
                )
            )
    shortlist.sort(key=lambda k: k[0])
    results = [
        Result(
            row,
            d,
            met,
            ranking.score(
                q, d, ranking.goal_points(met), fresh, ranking.partner(row), ranking.liked(q, row)
            ),
            c,
            fresh,
        )  # fmt: skip
        for _key_, row, d, met, c, fresh in shortlist[:limit]
    ]
    if complete:
        unmet_senses(readings, kept, notes)
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


def unmet_senses(readings, kept, notes: list[str]) -> None:
    """For a phrase that clearly says several things, the ones no place within the radius (the
    lead names it) meets: "ex-forces, PTSD" where there is no veterans' service shows mental
    health places and says so in the phrase's own note, rather than leave veterans unsaid."""
    for reading in readings:
        clear = reading.clear()
        if len(clear) < 2:
            continue
        found: set[str] = set()
        for _best, row, _met, _cautions, _fresh in kept:
            found |= reading.senses_met([t for t in row["tags"].split(";") if t], row["category"])
            if all(s.name in found for s in clear):
                break
        missing = [s.name for s in clear if s.name not in found]
        if missing and len(missing) < len(clear):  # nothing at all: the empty message says so
            said = f"nothing near for {' or '.join(missing)}"  # the radius is in the lead
            at = next((i for i, n in enumerate(notes) if n.startswith(f"'{reading.text}' ")), None)  # fmt: skip
            if at is None:
                notes.append(said)
            else:
                notes[at] += f"; {said}"


def goals_met(row, known_goals, readings, free_goals, fts_hits) -> list[tuple[str, float, str]]:
    """[(goal as the user gave it, strength 0-1, what it was read as)] for the goals the asset meets."""
    if not known_goals and not readings and not free_goals:
        return []
    tags = [t for t in row["tags"].split(";") if t]
    met = [(g.name, 1.0, "") for g in known_goals if g.serves(tags, row["category"])]
    for reading in readings:
        strength, read_as, said = reading.meets(tags, row["category"])
        if strength > 0:
            # 'meet people', not 'meet people (meet people)': the words only when they differ
            met.append(
                (
                    reading.text,
                    strength,
                    read_as if said in ("", read_as) else f"{read_as} ({said})",
                )
            )
    return met + [(t, 1.0, "") for t in free_goals if row["pk"] in fts_hits[t]]


# At most this many stemmed matches are re-ranked by whole words (bm25 order picks which).
TEXT_CANDIDATES = 5000


def text_search(
    conn, text: str, *, limit: int, include_closed: bool, today: dt.date
) -> list[Result]:
    """Full-text search over names, descriptions, tags and categories, best match first.

    Whole words first: the FTS index stems ("boxing" and "boxes" are both "box"), so its
    matches are re-ranked with the ones holding every word as typed ahead of the rest.
    Prefixes ("box" finding "boxercise") are tried only when no word matches at all."""
    words, _capped = search_words(text)
    if not words:
        raise InvalidValue(f"'{text}' has no words to search for{NO_WORDS_HINT}")
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
    fresh_since = (today - dt.timedelta(days=ranking.STALE_AFTER_DAYS)).isoformat()
    return [Result(r, None, [], -r["rank"], [], r["verified_on"] >= fresh_since) for r in rows]
