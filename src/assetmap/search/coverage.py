"""What the catalogue holds near a place, kind by kind: why `near` found nothing (the kinds a
goal needs have no record within 25 km, which source would add them; or the nearest is beyond
the radius; or the filters left them out), and `sources --coverage PLACE` (per goal, how many
assets lie within 5, 10 and 25 km). Read only when a search comes back empty, or when asked."""

from __future__ import annotations

import math
import shlex
from collections.abc import Callable, Sequence

from assetmap.places.distance import bbox, distance_km

COVERAGE_KM = 25.0
RINGS_KM = (5.0, 10.0, 25.0)
# The online source that has each kind (`assetmap sources pull NAME`); others: osm.
PULL_FOR = {
    "foodbank": "givefood", "walking group": "openactive", "running group": "openactive",
}  # fmt: skip
ONLINE_KINDS = {
    "foodbank", "faith group", "community centre", "park", "gardening", "library", "gym",
    "leisure centre", "sports club", "football team", "housing support", "walking group",
    "running group",
}  # fmt: skip


class Want:
    """What a search asked for, as a test of an asset's tags and category, and its kinds in
    words ('foodbanks', 'faith groups')."""

    def __init__(self, label: str, kinds: list[str], fits: Callable[[list[str], str], bool],
                 goal: bool = True):  # fmt: skip
        self.label, self.kinds, self.fits, self.goal = label, kinds, fits, goal


def wants(conn, goals: Sequence[str] = (), tags: Sequence[str] = (), categories: Sequence[str] = ()) -> list[Want]:  # fmt: skip
    """One Want per goal, tag and category asked; [] when none was (anything fits)."""
    from assetmap.search import goals as vocab

    known = {r[0].lower() for r in conn.execute("SELECT name FROM categories")}
    out: list[Want] = []
    vocabulary = vocab.load(conn) if goals else []
    for text in goals:
        goal = vocab.match(text, vocabulary)
        if goal is not None:
            out.append(Want(text, list(goal.categories) or list(goal.tags[:2]), goal.serves))
            continue
        from assetmap.search import understand

        reading = understand.read(text, vocabulary)
        ranked = sorted(reading.exact.items(), key=lambda kv: -kv[1][0])
        kinds = [k for k, _ in ranked if k in known][:3]
        if not kinds:  # words searched as typed are not kinds of place ("no kickeds")
            kinds = [f"assets tagged {' or '.join([k for k, _ in ranked][:2] or [text])}"]
        out.append(Want(text, kinds, _read_as(reading)))
    for tag in tags:
        key = tag.strip().lower()
        out.append(Want(tag, [f"assets tagged {key}"], _tagged(key), goal=False))
    for category in categories:
        key = category.strip().lower()
        out.append(Want(category, [key], _in_category(key), goal=False))
    return out


Fits = Callable[[list[str], str], bool]


def _read_as(reading) -> Fits:
    return lambda tags, category: reading.meets(tags, category)[0] > 0


def _tagged(key: str) -> Fits:
    return lambda tags, category: key in tags


def _in_category(key: str) -> Fits:
    return lambda tags, category: category.lower() == key


def _nearby(conn, lat: float, lon: float, km: float = COVERAGE_KM):
    """(distance, tags, category) of every active asset within km."""
    rows = conn.execute(
        "SELECT a.tags, a.category, a.lat, a.lon FROM assets_rtree r JOIN assets a ON a.pk = r.pk "
        "WHERE r.max_lat >= ? AND r.min_lat <= ? AND r.max_lon >= ? AND r.min_lon <= ? "
        "AND a.status = 'active'",
        bbox(lat, lon, km),
    )
    for tags, category, a_lat, a_lon in rows:
        d = distance_km(lat, lon, a_lat, a_lon)
        if d <= km:
            yield d, [t for t in tags.split(";") if t], category


# Kinds of help and of doing, not counted things: 'no money advice', 'no volunteering'.
UNCOUNTED = ("support", "advice", "education", "culture", "ing")


def plural(kind: str) -> str:
    if kind.startswith("assets ") or kind.endswith(UNCOUNTED):
        return kind
    if kind.endswith(("s", "sh", "ch")):
        return kind + "es" if not kind.endswith("s") else kind
    return kind[:-1] + "ies" if kind.endswith("y") and kind[-2:-1] not in "aeiou" else kind + "s"


def _either(kinds: list[str]) -> str:
    kinds = list(dict.fromkeys(plural(k) for k in kinds))
    return kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " or " + kinds[-1]


def pullers(kinds: list[str]) -> list[str]:
    """The online sources that have these kinds, best first (at most two): Give Food for food
    banks, else OpenStreetMap, which maps most kinds, then OpenActive's sessions."""
    names = [PULL_FOR.get(k, "osm") for k in kinds if k in ONLINE_KINDS]
    if not names:
        return []
    score = {n: names.count(n) for n in names}
    score["osm"] = score.get("osm", 0) + 1  # OpenStreetMap has parks, food banks, pools too
    if "foodbank" in kinds:
        score["givefood"] = score.get("givefood", 0) + 3
    return sorted(score, key=lambda n: (-score[n], n != "osm"))[:2]


def pull_hint(kinds: list[str], place_label: str) -> str:
    """`assetmap sources pull NAME --area PLACE` for the online sources that have these kinds."""
    area = shlex.quote(place_label)
    return " or ".join(f"`assetmap sources pull {n} --area {area}`" for n in pullers(kinds))


def why_empty(cat, place, within_km: float, within_text: str, *, goals=(), tags=(),
              categories=(), outcome=None) -> str:  # fmt: skip
    """One line: why a search found nothing, from what the catalogue holds near the place
    (within 25 km, or the radius searched when wider: 'no foodbanks within 50 km' after
    --within 50km, never 25). Suggests a wider radius only when it would find something,
    naming the radius that does."""
    asked = wants(cat.conn, goals, tags, categories)
    looked = max(COVERAGE_KM, within_km)
    nearby = list(_nearby(cat.conn, place.lat, place.lon, looked))
    where = place.label
    if not nearby:
        hint = pull_hint(["community centre"], where)
        return (
            f"the catalogue has no assets within {looked:g} km of {where}: pull open data "
            f"for the area ({hint}; also givefood and openactive), import your partners' list "
            "(assetmap import FILE), or see what it covers with `assetmap sources`"
        )
    # Goals are ORed (an asset meeting any of them is found); --tag and --category are ANDed.
    goal_wants = [w for w in asked if w.goal]
    musts = [w for w in asked if not w.goal]
    missing = [w for w in musts if not any(w.fits(t, c) for _, t, c in nearby)]
    if goal_wants and not any(w.fits(t, c) for w in goal_wants for _, t, c in nearby):
        missing = goal_wants + missing
    if missing:
        kinds = [k for w in missing for k in w.kinds]
        hint = pull_hint(kinds, where)
        add = f"; {hint} would add them" if hint else "; import your partners' list (assetmap import FILE)"  # fmt: skip
        what = _either(kinds)
        if len(missing) < len(asked):
            what += f" (for {', '.join(repr(w.label) for w in missing)})"
        return f"no {what} within {looked:g} km of {where} in this catalogue{add}"
    fitting = sorted(
        d for d, t, c in nearby
        if (not goal_wants or any(w.fits(t, c) for w in goal_wants)) and all(w.fits(t, c) for w in musts)
    )  # fmt: skip
    if not fitting:  # each want is met somewhere, but never all by one asset
        return (
            f"nothing within {looked:g} km of {where} meets all of "
            f"{', '.join(repr(w.label) for w in asked)} at once: ask for fewer"
        )
    nearest = fitting[0]
    if nearest > within_km:
        wider = max(math.ceil(nearest), 1)
        return (
            f"nothing that fits within {within_text} of {where}; the nearest is "
            f"{nearest:.1f} km away: --within {wider}km finds it"
        )
    inside = sum(d <= within_km for d in fitting)
    why = "each is listed above" if outcome is not None and outcome.excluded else "--show-excluded says why"  # fmt: skip
    return f"{inside} that fit lie within {within_text} of {where}, but the filters left them out: {why}"  # fmt: skip


def coverage(cat, place) -> list[dict]:
    """Per goal of the vocabulary: how many active assets meeting it lie within 5, 10 and 25
    km of the place, and which source would add some where none does."""
    from assetmap.search import goals as vocab

    nearby = list(_nearby(cat.conn, place.lat, place.lon))
    out = []
    for goal in vocab.load(cat.conn):
        dists = [d for d, t, c in nearby if goal.serves(t, c)]
        row = {"goal": goal.name}
        for km in RINGS_KM:
            row[f"within_{km:g}km"] = sum(d <= km for d in dists)
        row["add"] = "" if dists else ", ".join(pullers(list(goal.categories)))
        out.append(row)
    return out
