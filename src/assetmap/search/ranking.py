"""The score a result ranks by, and the bound on it that lets `near` stop reading outward."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from assetmap.search.strength import level

if TYPE_CHECKING:
    from assetmap.search.query import Query

STALE_AFTER_DAYS = 365


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
#   + PARTNER_BOOST if any asset is a partner                                (ceiling below)
LEVEL_POINTS = 2.0
NEAR_POINTS = 0.9
FRESH_POINTS = 0.09
EXTRA_MAX = 1.0
# A small preference for a partner (a referral there is known to work): about a ninth of
# nearness, so at 5 km a partner up to about 300 m further than another asset near the point
# comes first. One of the bounded extra terms: it never outweighs a tenth of a goal's strength.
PARTNER_BOOST = 0.1
# A situation said in a goal ("no money", "has a toddler") prefers free places, or places for
# families: a bounded extra term, as much as all of nearness when one is said (so of places
# meeting the goals equally, a free one comes first wherever it is in the radius), shared when
# both are. It never outranks a goal met more clearly.
PREFER_POINTS = 0.9
assert PARTNER_BOOST + PREFER_POINTS <= EXTRA_MAX
FAMILY_TAGS = frozenset(("family", "families", "family friendly", "family-friendly", "children", "kids"))  # fmt: skip


def goal_points(met) -> float:
    return LEVEL_POINTS * sum(level(strength) for _name, strength, _read in met)


def _decay(q: Query, distance: float) -> float:
    # 1 at the point, about 0.37 at half the search radius, near 0 at its edge.
    return math.exp(-distance / max(q.filters.within_km / 2, 0.1))


def partner(row) -> bool:
    return row["partnership_status"] == "partner"


def liked(q: Query, row) -> float:
    """The points a situation said in the goals gives this asset: free places first when there
    is no money, places for families first with a toddler (search.request sets the filters)."""
    f = q.filters
    if not (f.prefer_free or f.prefer_family):
        return 0.0
    met = f.prefer_free and row["cost"] == "free"
    met += f.prefer_family and (
        row["involves_children"] == "yes"
        or any(t.strip().lower() in FAMILY_TAGS for t in row["tags"].split(";"))
    )
    return PREFER_POINTS * met / (f.prefer_free + f.prefer_family)


def most_liked(q: Query) -> float:
    f = q.filters
    return PREFER_POINTS if f.prefer_free or f.prefer_family else 0.0


def score(
    q: Query, distance: float, goal_points: float, fresh: bool, partner: bool = False,
    liked: float = 0.0,
) -> float:  # fmt: skip
    """See the comment above: goals met (by how clearly), then nearness, then freshness, the
    partner boost and what a situation prefers (liked())."""
    return (
        goal_points + NEAR_POINTS * _decay(q, distance) + (FRESH_POINTS if fresh else 0.0)
        + (PARTNER_BOOST if partner else 0.0) + liked
    )  # fmt: skip


def best_goal_points(known_goals, readings, free_goals, present=None) -> float:
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


def ceiling(q: Query, distance: float, best_points: float, partner: bool) -> float:
    """The best score any asset at `distance` or further could reach: score() with every
    goal met as strongly as it can be, fresh, a partner when `partner` (some asset is one), at
    that distance (the score never rises with distance). Change it with score; the property
    test in tests/test_near_fast.py guards the pair.

    Keep it tight: each term at the most it can be for this query, not room for terms that
    may come. A bound above what any asset can score never lets the rings stop early, and
    `near` then reads the whole circle (test_rings_stop_early... catches that)."""
    return score(q, distance, best_points, True, partner, most_liked(q))


def any_partner(conn) -> bool:
    # Read from the partial index assets_partners: no scan, however large the catalogue.
    sql = "SELECT 1 FROM assets WHERE partnership_status = 'partner' LIMIT 1"
    return conn.execute(sql).fetchone() is not None


def key(q: Query, row, distance: float, goal_points: float, fresh: bool):
    if q.sort == "distance":
        return (distance, row["id"])
    return (-score(q, distance, goal_points, fresh, partner(row), liked(q, row)), row["id"])
