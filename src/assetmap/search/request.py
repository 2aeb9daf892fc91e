"""What the CLI's searching commands call. `near` builds one NearRequest from its options and
hands it to run(), which resolves the place and zones, turns the option text into
search.filters.Filters and a search.query.Query, and searches. Keeps the parsing of what the
user typed out of cli/commands and the search engine."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from assetmap.catalogue.vocab import CAPITAL, EMPTY_TAG, REFERRAL, one_of
from assetmap.errors import InvalidValue
from assetmap.places.resolve import Place
from assetmap.places.zones import parse_distance
from assetmap.search import engine, goals
from assetmap.search.budget import bounded
from assetmap.search.filters import Filters
from assetmap.search.query import Outcome, Query

if TYPE_CHECKING:
    from assetmap.search.avoid import Report


class NearRequest:
    """Everything `near` was asked, as typed: built once from the command's options and handed
    down. A new filter is a field here (and in __init__), its option and its test in
    search.filters: nothing on the way needs to change. A plain __slots__ class, not a
    dataclass: creating a dataclass costs about 1 ms at every start-up."""

    __slots__ = (
        "place", "goals", "within", "tags", "categories", "free", "day", "at", "after",
        "before", "daytime", "evening", "strict_times", "age", "gender", "women_only",
        "accessible", "referral", "welcomes_convictions", "no_dbs", "no_children",
        "strict_flags", "capital", "avoid", "avoid_zones", "include_closed", "partners_only",
        "sort", "limit", "complete", "no_situations",
    )  # fmt: skip

    def __init__(
        self, place: str, *, goals: Sequence[str] = (), within: str = "5km",
        tags: Sequence[str] = (), categories: Sequence[str] = (), free: bool = False,
        day: str | None = None, at: str | None = None, after: str | None = None,
        before: str | None = None, daytime: bool = False, evening: bool = False,
        strict_times: bool = False, age: int | None = None, gender: str | None = None,
        women_only: bool = False, accessible: bool = False, referral: Sequence[str] = (),
        welcomes_convictions: bool = False, no_dbs: bool = False, no_children: bool = False,
        strict_flags: bool = False, capital: Sequence[str] = (), avoid: Sequence[str] = (),
        avoid_zones: Sequence[str] = (), include_closed: bool = False,
        partners_only: bool = False, sort: str = "score", limit: int = 10,
        complete: bool = False, no_situations: bool = False,
    ) -> None:  # fmt: skip
        self.place = place
        self.goals = list(goals)
        self.within = within
        self.tags = list(tags)
        self.categories = list(categories)
        self.free = free
        self.day = day
        self.at = at
        self.after = after
        self.before = before
        self.daytime = daytime
        self.evening = evening
        self.strict_times = strict_times
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
        self.avoid = list(avoid)
        self.avoid_zones = list(avoid_zones)
        self.include_closed = include_closed
        self.partners_only = partners_only
        self.sort = sort
        self.limit = limit
        # Read the whole circle, for every exclusion and an exact count (--show-excluded).
        self.complete = complete
        # Use the goals for kinds of place only: no situation read from their words (no money
        # -> free first, a toddler -> families first, evenings -> --evening).
        self.no_situations = no_situations


def _option(name: str, fn: Callable, value):
    try:
        return fn(value)
    except InvalidValue as exc:
        raise InvalidValue(f"--{name}: {exc}") from None


def build_filters(
    request: NearRequest,
    find_place: Callable[[str], Place],
    *,
    categories: Sequence[str] = (),
    centre: Place | None = None,
    notes: list[str] | None = None,
    report: Report | None = None,
    prefer_free: bool = False,
    prefer_family: bool = False,
) -> Filters:
    """The request's filters as search.filters.Filters; `categories` are the request's, as the
    catalogue names them. Errors name the option. How the time options were read is appended
    to `notes`. `report` is told where each exclusion zone landed (and warned when one is far
    from `centre`)."""
    r = request
    if r.gender and r.gender.lower() not in ("women", "men"):
        raise InvalidValue(f"--gender: '{r.gender}' is not one of women, men")
    within_km = _option("within", parse_distance, r.within)
    zones: list = []
    if r.avoid or r.avoid_zones:  # imported only then: most searches have no zones
        from assetmap.search import avoid

        zones = avoid.build_zones(
            r.avoid, r.avoid_zones, find_place, centre=centre, within_km=within_km, report=report
        )
    wanted = None
    if any(v is not None for v in (r.day, r.at, r.after, r.before)) or r.daytime or r.evening:
        from assetmap.search import times

        wanted, time_notes = times.build(
            day=r.day, at=r.at, after=r.after, before=r.before, daytime=r.daytime,
            evening=r.evening, strict=r.strict_times,
        )  # fmt: skip
        if notes is not None:
            notes.extend(time_notes)
    return Filters(
        within_km=within_km, times=wanted, gender=r.gender.lower() if r.gender else None,
        referral=one_of(r.referral, REFERRAL, "--referral"),
        capital=one_of(r.capital, CAPITAL, "--capital"), zones=zones, tags=r.tags,
        categories=categories, free=r.free, age=r.age, women_only=r.women_only,
        accessible=r.accessible, welcomes_convictions=r.welcomes_convictions,
        no_dbs=r.no_dbs, no_children=r.no_children, strict_flags=r.strict_flags,
        include_closed=r.include_closed, partners_only=r.partners_only,
        prefer_free=prefer_free, prefer_family=prefer_family,
    )  # fmt: skip


def run(
    request: NearRequest, *, catalogue, find_place: Callable[[str], Place],
    report: Report | None = None,
) -> tuple[Place, Outcome]:  # fmt: skip
    """Resolve the place, build the filters and search. Returns (place, outcome)."""
    r = request
    if r.sort not in ("score", "distance"):
        raise InvalidValue(f"--sort: '{r.sort}' is not one of score, distance")
    if any(not g.strip() for g in r.goals):
        raise InvalidValue(
            "--goal: an empty goal; say what the person wants, e.g. --goal 'get fit'"
        )
    if any(not t.strip() for t in r.tags):
        raise InvalidValue(EMPTY_TAG)
    categories = [catalogue.category_named(c) for c in r.categories]
    time_notes: list[str] = []
    found = find_place(r.place)
    plan = engine.read_goals(catalogue.conn, r.goals)
    r, prefer = situate(r, plan)
    filters = build_filters(
        r, find_place, categories=categories, centre=found, notes=time_notes, report=report,
        prefer_free="free" in prefer, prefer_family="family" in prefer,
    )  # fmt: skip
    query = Query(
        found, goals=r.goals, filters=filters, sort=r.sort, limit=r.limit, complete=r.complete,
        plan=plan,
    )  # fmt: skip
    with bounded(catalogue.conn):
        outcome = engine.near(catalogue.conn, query)
    # How the time was read follows how the goals were read, which is what a practitioner must
    # see first when the notes are folded ('times: Wed' only says back what --day typed).
    at = len(plan.notes)
    outcome.notes[at:at] = time_notes
    return found, outcome


UNDO = "--no-situations"


def situate(request: NearRequest, plan) -> tuple[NearRequest, set[str]]:
    """Apply the situations the goals say, each told in a note of the plan with how to undo it:
    "evenings", "weekends" or "after work" act as --evening or --day weekend when no time was
    asked; "no money" ranks free places first, "has a toddler" places for families (and warns
    beside --no-children). Returns the request to search (a copy when times were set) and the
    preferences ('free', 'family')."""
    said = plan.situations
    if not said or request.no_situations:
        return request, set()

    def words(name: str) -> str:
        return ", ".join(dict.fromkeys(f"'{w}'" for _phrase, w in said[name]))

    notes, prefer = plan.notes, set()
    timed = any(v is not None for v in (request.day, request.at, request.after, request.before))
    timed = timed or request.daytime or request.evening
    asked = {"evening": "--evening", "weekend": "--day weekend"}
    as_times = [name for name in asked if name in said]
    if as_times and timed:
        notes.append(
            f"{' and '.join(words(n) for n in as_times)} in the goals not used as a time: the "
            "time options given decide"
        )
    elif as_times:
        import copy

        request = copy.copy(request)
        if "evening" in said:
            request.evening = True
        if "weekend" in said:
            request.day = "weekend"
        shown = " ".join(asked[n] for n in as_times)
        notes.append(
            f"{' and '.join(words(n) for n in as_times)} in the goals searched as {shown} "
            f"({UNDO} for any time)"
        )
    if "free" in said and not request.free:
        prefer.add("free")
        notes.append(f"{words('free')}: free places first (--free for only free ones; {UNDO} to rank as usual)")  # fmt: skip
    if "family" in said:
        if request.no_children:
            notes.append(
                f"warning: {words('family')} says children may come along, but --no-children "
                "leaves out places involving children: check which applies"
            )
        else:
            prefer.add("family")
            notes.append(f"{words('family')}: places for families first ({UNDO} to rank as usual)")  # fmt: skip
    return request, prefer


def shown_of(shown: int, outcome: Outcome) -> str:
    """'10 of 2,345', or '10 of 37+' when the search stopped once the best were certain."""
    return f"{shown} of {outcome.total:,}{'' if outcome.complete else '+'}"


def empty_message(
    within: str, place: Place, outcome: Outcome, catalogue, *, goals: Sequence[str] = (),
    tags: Sequence[str] = (), categories: Sequence[str] = (),
) -> str:  # fmt: skip
    """Why nothing was found, in one line, from what the catalogue holds near the place
    (search.coverage): nothing round here at all, none of the kinds asked for (and the source
    that would add them), the nearest beyond the radius (the radius that finds it), or the
    filters. A wider radius is suggested only when it finds something."""
    from assetmap.search import coverage

    return coverage.why_empty(
        catalogue, place, parse_distance(within), within, goals=goals, tags=tags,
        categories=categories, outcome=outcome,
    )  # fmt: skip


def text_search(catalogue, text: str, *, limit: int, include_closed: bool):
    import datetime as dt

    with bounded(catalogue.conn):
        return engine.text_search(
            catalogue.conn, text, limit=limit, include_closed=include_closed, today=dt.date.today()
        )


def list_goals(catalogue) -> list[goals.Goal]:
    return goals.load(catalogue.conn)


def add_goal(catalogue, name, tags, categories, synonyms) -> goals.Goal:
    with catalogue.transaction() as conn:
        return goals.add(conn, name, tags, categories, synonyms, catalogue.categories())


def remove_goal(catalogue, name: str) -> None:
    with catalogue.transaction() as conn:
        goals.remove(conn, name)


def explain_goal(catalogue, text: str) -> tuple[list[dict], str]:
    """How `near --goal TEXT` reads a phrase: one row per reading, and a one-line summary."""
    if not text.strip():
        raise InvalidValue("give a phrase to explain, e.g. 'wants to be outside, in nature'")
    vocabulary = goals.load(catalogue.conn)
    goal = goals.match(text, vocabulary)
    if goal:
        row = {"phrase": " ".join(text.split()), "words": " ".join(text.split()),
               "read_as": goal.name, "kind": "goal", "weight": 1.0,
               "reason": "your goals vocabulary (the whole phrase)"}  # fmt: skip
        return [row], f"'{row['phrase']}' is the goal '{goal.name}'"
    from assetmap.search import understand

    reading = understand.read(text, vocabulary)
    situations = "; ".join(
        understand.SITUATIONS[n].removeprefix("a situation: ") for n in reading.situations
    )
    if not reading.understood() and reading.shapes():
        said = reading.note() or f"'{reading.text}' names no kind of place"
        return reading.explain(), said + (
            f"; it says a situation: {situations}" if situations else ""
        )
    if situations:
        return reading.explain(), f"{reading.note()}; it says a situation: {situations}"
    if not reading.understood():
        return reading.explain(), (
            f"'{reading.text}' is not read as any goal; near searches names, descriptions and "
            "tags for its words, and a tag or category named as typed counts"
        )
    return reading.explain(), reading.note()
