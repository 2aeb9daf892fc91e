"""What the CLI's searching commands call: turns raw option text into a Query, resolves the
place and zones, and runs the search. Keeps parsing of user text out of cli.py and search.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from assetmap import goals as goals_mod
from assetmap import search
from assetmap.errors import InvalidValue
from assetmap.places import Place
from assetmap.vocab import CAPITAL, REFERRAL
from assetmap.zones import MIN_ZONE_RADIUS_KM, CircleZone, load_geojson, parse_distance, split_zone


@dataclass
class NearRequest:
    place: str
    goals: list[str] = field(default_factory=list)
    within: str = "5km"
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    free: bool = False
    day: str | None = None
    at: str | None = None
    after: str | None = None
    age: int | None = None
    gender: str | None = None
    women_only: bool = False
    accessible: bool = False
    referral: list[str] = field(default_factory=list)
    welcomes_convictions: bool = False
    no_dbs: bool = False
    no_children: bool = False
    strict_flags: bool = False
    capital: list[str] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)
    avoid_zones: list[str] = field(default_factory=list)
    include_closed: bool = False
    sort: str = "score"
    limit: int = 10


def _one_of(values: list[str], allowed: tuple[str, ...], option: str) -> list[str]:
    out = []
    for v in values:
        key = v.strip().lower()
        if key not in allowed:
            raise InvalidValue(f"{option}: '{v}' is not one of {', '.join(allowed)}")
        out.append(key)
    return out


def build_filters(req: NearRequest, find_place: Callable[[str], Place]) -> search.Filters:
    def option(name, fn, value):
        try:
            return fn(value)
        except InvalidValue as exc:
            raise InvalidValue(f"--{name}: {exc}") from None

    if req.gender and req.gender.lower() not in ("women", "men"):
        raise InvalidValue(f"--gender: '{req.gender}' is not one of women, men")
    if req.sort not in ("score", "distance"):
        raise InvalidValue(f"--sort: '{req.sort}' is not one of score, distance")
    zones = []
    for text in req.avoid:
        where, radius = option("avoid", split_zone, text)
        point = find_place(where)
        zones.append(CircleZone(text, point.lat, point.lon,
                                radius if radius is not None else max(point.radius_km, MIN_ZONE_RADIUS_KM)))  # fmt: skip
    zones.extend(load_geojson(path) for path in req.avoid_zones)
    return search.Filters(
        within_km=option("within", parse_distance, req.within),
        tags=req.tags, categories=req.categories, free=req.free,
        day=option("day", search.parse_day, req.day),
        at=option("at", search.parse_time, req.at),
        after=option("after", search.parse_time, req.after),
        age=req.age, gender=req.gender.lower() if req.gender else None,
        women_only=req.women_only, accessible=req.accessible,
        referral=_one_of(req.referral, REFERRAL, "--referral"),
        welcomes_convictions=req.welcomes_convictions, no_dbs=req.no_dbs,
        no_children=req.no_children, strict_flags=req.strict_flags,
        capital=_one_of(req.capital, CAPITAL, "--capital"),
        include_closed=req.include_closed, zones=zones,
    )  # fmt: skip


def run(req: NearRequest, *, catalogue, find_place) -> tuple[Place, search.Outcome]:
    filters = build_filters(req, find_place)
    place = find_place(req.place)
    query = search.Query(place, goals=req.goals, filters=filters, sort=req.sort, limit=req.limit)
    return place, search.near(catalogue.conn, query)


def empty_message(req: NearRequest, place: Place, outcome: search.Outcome) -> str:
    hint = "try a wider --within (e.g. --within 10km)"
    if outcome.excluded:
        hint += (
            f" or fewer filters ({len(outcome.excluded)} nearby left out: --show-excluded says why)"
        )
    elif req.goals or req.tags or req.categories:
        hint += " or other goals"
    return f"nothing found within {req.within} of {place.label}; {hint}"


def text_search(catalogue, text: str, *, limit: int, include_closed: bool):
    import datetime as dt

    return search.text_search(
        catalogue.conn, text, limit=limit, include_closed=include_closed, today=dt.date.today()
    )


def list_goals(catalogue) -> list[goals_mod.Goal]:
    return goals_mod.load(catalogue.conn)


def add_goal(catalogue, name, tags, categories, synonyms) -> goals_mod.Goal:
    with catalogue.transaction() as conn:
        return goals_mod.add(conn, name, tags, categories, synonyms, catalogue.categories())


def remove_goal(catalogue, name: str) -> None:
    with catalogue.transaction() as conn:
        goals_mod.remove(conn, name)
