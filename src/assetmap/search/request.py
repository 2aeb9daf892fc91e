"""What the CLI's searching commands call: turns raw option text into a Query, resolves the
place and zones, and runs the search. Keeps parsing of user text out of cli.py and search.py."""

from __future__ import annotations

from collections.abc import Callable

from assetmap.catalogue.vocab import CAPITAL, EMPTY_TAG, REFERRAL, one_of
from assetmap.errors import InvalidValue
from assetmap.places.resolve import Place
from assetmap.places.zones import parse_distance
from assetmap.search import avoid as avoiding
from assetmap.search import engine as search
from assetmap.search import goals as goals_mod


def build_filters(
    find_place: Callable[[str], Place],
    *,
    within: str = "5km",
    day: str | None = None,
    at: str | None = None,
    after: str | None = None,
    before: str | None = None,
    daytime: bool = False,
    evening: bool = False,
    strict_times: bool = False,
    notes: list[str] | None = None,
    gender: str | None = None,
    referral: list[str] = (),
    capital: list[str] = (),
    avoid: list[str] = (),
    avoid_zones: list[str] = (),
    centre: Place | None = None,
    report: avoiding.Report | None = None,
    **flags,
) -> search.Filters:
    """Parse what the user typed into search.Filters; `flags` are passed on as they are
    (tags, categories, free, age, women_only, accessible, welcomes_convictions, no_dbs,
    no_children, strict_flags, include_closed, partners_only). Errors name the option. How the time options
    were read is appended to `notes`. `report` is told where each exclusion zone landed (and
    warned when one is far from `centre`)."""

    def option(name, fn, value):
        try:
            return fn(value)
        except InvalidValue as exc:
            raise InvalidValue(f"--{name}: {exc}") from None

    if gender and gender.lower() not in ("women", "men"):
        raise InvalidValue(f"--gender: '{gender}' is not one of women, men")
    within_km = option("within", parse_distance, within)
    zones = avoiding.build_zones(
        list(avoid), list(avoid_zones), find_place, centre=centre, within_km=within_km,
        report=report,
    )  # fmt: skip
    times = None
    if any(v is not None for v in (day, at, after, before)) or daytime or evening:
        from assetmap.search import times as times_mod

        times, time_notes = times_mod.build(
            day=day, at=at, after=after, before=before, daytime=daytime, evening=evening,
            strict=strict_times,
        )  # fmt: skip
        if notes is not None:
            notes.extend(time_notes)
    return search.Filters(
        within_km=within_km,
        times=times,
        gender=gender.lower() if gender else None,
        referral=one_of(referral, REFERRAL, "--referral"),
        capital=one_of(capital, CAPITAL, "--capital"),
        zones=zones,
        **flags,
    )


def run(
    place: str, *, catalogue, find_place, goals=(), sort="score", limit=10, complete=False,
    **options,
):  # fmt: skip
    """Resolve the place, build the filters and search. Returns (place, outcome).
    `complete` reads the whole circle, for every exclusion and an exact count."""
    if sort not in ("score", "distance"):
        raise InvalidValue(f"--sort: '{sort}' is not one of score, distance")
    if any(not g.strip() for g in goals):
        raise InvalidValue(
            "--goal: an empty goal; say what the person wants, e.g. --goal 'get fit'"
        )
    if any(not t.strip() for t in options.get("tags", ())):
        raise InvalidValue(EMPTY_TAG)
    if options.get("categories"):
        options["categories"] = [catalogue.category_named(c) for c in options["categories"]]
    time_notes: list[str] = []
    found = find_place(place)
    filters = build_filters(find_place, centre=found, notes=time_notes, **options)
    query = search.Query(
        found, goals=list(goals), filters=filters, sort=sort, limit=limit, complete=complete
    )
    outcome = search.near(catalogue.conn, query)
    outcome.notes[:0] = time_notes
    return found, outcome


def shown_of(shown: int, outcome: search.Outcome) -> str:
    """'10 of 2,345', or '10 of 37+' when the search stopped once the best were certain."""
    return f"{shown} of {outcome.total:,}{'' if outcome.complete else '+'}"


COVERAGE_KM = 25


def empty_message(
    within: str, narrowed: bool, place: Place, outcome: search.Outcome, catalogue=None
) -> str:
    """Why nothing was found: the catalogue has nothing round here at all (say so, and how to
    add some), or the radius and filters left everything out."""
    if catalogue is not None:
        from assetmap.catalogue.sources import has_assets_within

        if not has_assets_within(catalogue, place.lat, place.lon, COVERAGE_KM):
            return (
                f"the catalogue has no assets within {COVERAGE_KM} km of {place.label}: import "
                "your partners' list (assetmap import FILE), or see what it covers with "
                "`assetmap sources`"
            )
    wider = round(2 * parse_distance(within), 1)  # never the radius just searched
    hint = f"try a wider --within (e.g. --within {wider:g}km)"
    if outcome.excluded and outcome.all_excluded:
        hint += (
            f" or fewer filters ({len(outcome.excluded)} nearby left out: --show-excluded says why)"
        )
    elif not outcome.all_excluded:
        hint += " or fewer filters (--show-excluded lists what they left out, and why)"
    elif narrowed:
        hint += " or other goals"
    return f"nothing found within {within} of {place.label}; {hint}"


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


def explain_goal(catalogue, text: str) -> tuple[list[dict], str]:
    """How `near --goal TEXT` reads a phrase: one row per reading, and a one-line summary."""
    if not text.strip():
        raise InvalidValue("give a phrase to explain, e.g. 'wants to be outside, in nature'")
    vocabulary = goals_mod.load(catalogue.conn)
    goal = goals_mod.match(text, vocabulary)
    if goal:
        row = {"phrase": " ".join(text.split()), "words": " ".join(text.split()),
               "read_as": goal.name, "kind": "goal", "weight": 1.0,
               "reason": "your goals vocabulary (the whole phrase)"}  # fmt: skip
        return [row], f"'{row['phrase']}' is the goal '{goal.name}'"
    from assetmap.search import understand

    reading = understand.read(text, vocabulary)
    if not reading.understood():
        return reading.explain(), (
            f"'{reading.text}' is not read as any goal; near searches names, descriptions and "
            "tags for its words, and a tag or category named as typed counts"
        )
    return reading.explain(), reading.note()
