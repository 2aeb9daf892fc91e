"""`near`: what is near this person that fits their goals. The command practitioners run most,
in a module of its own so that its start-up loads nothing else."""

from typing import Annotated

import typer

from assetmap.cli.app import app, check_format, get_state
from assetmap.cli.commands import (
    RESULT_COLUMNS,
    RESULT_FORMATS,
    RESULT_PUBLIC_COLUMNS,
    RESULT_TTY_COLUMNS,
    add_table_cells,
)
from assetmap.cli.options import AvoidOpt, AvoidZoneOpt, IncludeStaffOpt, ResultFormatOpt
from assetmap.cli.output import Blocks, emit_records, fold_notes, stderr_is_tty

NEAR_TABLE_COLUMNS = ["ref", "name", "category", "distance_km", "contact", "why", "id"]
Repeat = list[str] | None


# Two lines: on an 80-column terminal one line would fold mid-word.
REFS_HINT = (
    "copy a ref: `assetmap show REF ...` for every detail,\n"
    "`assetmap plan REF ... --from PLACE` for a plan to take home"
)
SHORT_REFS_HINT = "copy a ref: `assetmap show REF ...`, `assetmap plan REF ... --from PLACE`"


def refs_hint(drawn: int | None, said: int) -> str:
    """How to use a ref, under the results when the screen has room for it. Ten results
    drawn as blocks (`drawn` lines), with the `said` lines before them, the command line and
    the next prompt fill a 24-line terminal: the results come first."""
    if drawn is None or not stderr_is_tty():
        return REFS_HINT
    import shutil

    room = shutil.get_terminal_size((80, 24)).lines - drawn - said - 2
    return REFS_HINT if room >= 2 else SHORT_REFS_HINT if room == 1 else ""


NEAR_EXAMPLES = """\b
Examples:
  assetmap near "ST4 7QB" --goal "get fit" --goal "meet people"
  assetmap near "Hanley, Stoke-on-Trent" --goal "stay sober" --welcomes-convictions --no-children --day wed
  assetmap near "53.42,-2.32" --tag gym --within 3mi --format json
  assetmap near "M32 0TJ" --avoid "M16 0RA@1km"
  assetmap near "Hanley, Stoke-on-Trent" --goal "meet people" --day weekdays --daytime
  assetmap near "ST4 7QB" --at now --within 2km
"""


@app.command(epilog=NEAR_EXAMPLES)
def near(
    ctx: typer.Context,
    place: Annotated[
        str,
        typer.Argument(
            help="Postcode, sector, district, town, council or 'lat,lon' as one argument."
        ),
    ],
    goal: Annotated[
        Repeat,
        typer.Option(
            "--goal", "-g", help="A goal such as 'get fit' or 'meet people' (repeatable; ORed)."
        ),
    ] = None,
    within: Annotated[str, typer.Option(help="Search radius: 5, 5km, 800m, 3mi.")] = "5km",
    tag: Annotated[
        Repeat,
        typer.Option("--tag", help="Only assets with this tag (repeatable; all must match)."),
    ] = None,
    category: Annotated[
        Repeat, typer.Option("--category", help="Only this category (repeatable).")
    ] = None,
    free: Annotated[bool, typer.Option("--free", help="Only free assets.")] = False,
    day: Annotated[
        str | None,
        typer.Option(
            help="Meets on one of these days: sat, mon-fri, mon,wed, weekdays, weekend, today."
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option(
            help="Running at this time: 18:00, 6pm, now (today), or morning, afternoon, "
            "daytime, evening. Without --day, any day."
        ),
    ] = None,
    after: Annotated[
        str | None, typer.Option(help="Still running after this time, e.g. 18:00.")
    ] = None,
    before: Annotated[
        str | None, typer.Option(help="Over by this time, e.g. 17:00 (ends by then).")
    ] = None,
    daytime: Annotated[
        bool, typer.Option("--daytime", help="Meets in the daytime (09:00-17:00).")
    ] = False,
    evening: Annotated[
        bool, typer.Option("--evening", help="Meets in the evening (17:00-22:00).")
    ] = False,
    strict_times: Annotated[
        bool,
        typer.Option(
            "--strict-times",
            help="With a time filter, drop assets with no recorded times (kept, marked, otherwise).",
        ),
    ] = False,
    age: Annotated[int | None, typer.Option(min=0, max=120, help="The person's age.")] = None,
    gender: Annotated[
        str | None, typer.Option(help="women or men: drop assets only for the other.")
    ] = None,
    women_only: Annotated[
        bool, typer.Option("--women-only", help="Only women-only assets.")
    ] = False,
    accessible: Annotated[
        bool, typer.Option("--accessible", help="Only assets with accessibility details.")
    ] = False,
    referral: Annotated[
        Repeat,
        typer.Option(
            "--referral", help="drop-in, self-referral, referral-needed, membership (repeatable)."
        ),
    ] = None,
    welcomes_convictions: Annotated[
        bool,
        typer.Option(
            "--welcomes-convictions",
            help="Only assets marked as welcoming people with convictions.",
        ),
    ] = False,
    no_dbs: Annotated[
        bool,
        typer.Option(
            "--no-dbs", help="Drop assets that need a DBS check (unknown is kept, marked)."
        ),
    ] = False,
    no_children: Annotated[
        bool,
        typer.Option(
            "--no-children", help="Drop assets involving children (unknown is kept, marked)."
        ),
    ] = False,
    strict_flags: Annotated[
        bool, typer.Option("--strict-flags", help="With --no-dbs/--no-children, drop unknown too.")
    ] = False,
    capital: Annotated[
        Repeat, typer.Option("--capital", help="bonding, bridging or linking (repeatable).")
    ] = None,
    avoid: AvoidOpt = None,
    avoid_zone: AvoidZoneOpt = None,
    include_closed: Annotated[
        bool,
        typer.Option("--include-closed", help="Show closed and temporarily closed assets too."),
    ] = False,
    partners_only: Annotated[
        bool,
        typer.Option("--partners-only", help="Only groups with partnership status 'partner'."),
    ] = False,
    show_excluded: Annotated[
        bool,
        typer.Option(
            "--show-excluded", help="List (on stderr) what the filters left out, and why."
        ),
    ] = False,
    sort: Annotated[
        str,
        typer.Option(
            help="score (goals met, distance, freshness, a small partner boost) or distance."
        ),
    ] = "score",
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most N results.")] = 10,
    no_situations: Annotated[
        bool,
        typer.Option(
            "--no-situations",
            help="Read the goals for kinds of place only: no free-first, families-first or "
            "times taken from their words ('no money', 'has a toddler', 'evenings').",
        ),
    ] = False,
    fail_if_empty: Annotated[
        bool, typer.Option("--fail-if-empty", help="Exit 1 when nothing is found (for scripts).")
    ] = False,
    with_outcomes: Annotated[
        bool,
        typer.Option(
            "--with-outcomes",
            help="Show introductions per asset and how many were still going at 12 weeks, "
            'from the casework file (a count under 5 shows as "<5").',
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Every note on stderr, one a line (by default they are folded into one line).",
        ),
    ] = False,
    include_staff: IncludeStaffOpt = False,
    fmt: ResultFormatOpt = "table",
) -> None:
    """What is near this person that fits their goals: a ranked, explained list."""
    from assetmap.search import request

    fmt = check_format(fmt, RESULT_FORMATS)
    state = get_state(ctx)
    if within.strip().replace(".", "", 1).isdigit():
        within = f"{within.strip()}km"  # a bare number is read in km: say so ("within 10km")
    asked = request.NearRequest(
        place, goals=goal or [], within=within, tags=tag or [], categories=category or [],
        free=free, day=day, at=at, after=after, before=before, daytime=daytime,
        evening=evening, strict_times=strict_times, age=age, gender=gender,
        women_only=women_only, accessible=accessible, referral=referral or [],
        welcomes_convictions=welcomes_convictions, no_dbs=no_dbs, no_children=no_children,
        strict_flags=strict_flags, capital=capital or [], avoid=avoid or [],
        avoid_zones=avoid_zone or [], include_closed=include_closed,
        partners_only=partners_only, sort=sort, limit=limit, complete=show_excluded,
        no_situations=no_situations,
    )  # fmt: skip
    said: list[str] = []  # what near says before its results, folded to two lines
    found, outcome = request.run(
        asked, catalogue=state.catalogue(), find_place=state.find_place,
        report=lambda text, loud: (
            state.messages.info(text, even_if_quiet=True) if loud else said.append(text)
        ),
    )  # fmt: skip
    # Warnings first, then how the search was read; where the zones landed comes last.
    said[:0] = [f"warning: {w}" for w in found.warnings] + outcome.notes
    records = [r.to_json(include_staff=include_staff) for r in outcome.results]
    # The casework file first: an error there is the one line said, before any note.
    columns = RESULT_COLUMNS if include_staff else RESULT_PUBLIC_COLUMNS
    table_columns, tty_columns = NEAR_TABLE_COLUMNS, RESULT_TTY_COLUMNS
    extra: list[str] = []
    if with_outcomes:
        from assetmap.casework.report import NEAR_COLUMNS, add_to_results

        add_to_results(records, state.db)
        extra = NEAR_COLUMNS
        columns, table_columns, tty_columns = (
            c + NEAR_COLUMNS for c in (columns, table_columns, tty_columns)
        )
    if welcomes_convictions and records and all(r["name"].endswith("[example]") for r in records):
        # Open data never says a place welcomes people with convictions: say so plainly,
        # after any warning and before the other notes (it says what the results are).
        said.insert(
            len(found.warnings),
            "every result is an invented [example]: no real asset here is marked as "
            "welcoming people with convictions; mark the partners you know with "
            "`assetmap edit ID --welcomes-convictions yes`",
        )
    if not records:
        state.messages.info(
            request.empty_message(
                within,
                found,
                outcome,
                state.catalogue(),
                goals=goal or [],
                tags=tag or [],
                categories=category or [],
            )  # fmt: skip
        )
    lead = ""
    if records and fmt == "table":
        # 'postcode' is not said beside a postcode: the line is the first of the screen's two.
        # Nor the council when the place's name already has it ('Hanley, Stoke-on-Trent').
        precision = "" if found.precision == "postcode" else found.precision
        area = found.area or "area unknown"
        if found.area and (found.label == found.area or found.label.endswith(f", {found.area}")):
            area = ""
        where = ", ".join(p for p in (precision, area) if p) or found.precision
        lead = (
            f"Near {found.label} ({where}), within {within}: "
            f"showing {request.shown_of(len(records), outcome)}"
        )
        if not stderr_is_tty():  # a log: a line of its own, as before
            state.messages.info(lead)
            lead = ""
    for line in fold_notes(said, verbose=verbose, lead=lead):
        state.messages.info(line)
    if show_excluded:
        for asset_id, name, reason in outcome.excluded:
            state.messages.info(f"left out: {name} ({asset_id}): {reason}")
    if fmt == "table" and records:
        add_table_cells(records, state.catalogue())
    drawn = None
    if records or fmt != "table":
        drawn = emit_records(
            records, fmt, columns=columns, table_columns=table_columns, tty_columns=tty_columns,
            blocks=Blocks(right="km", unit=" km", extra=extra), quiet=state.quiet,
        )  # fmt: skip
    if fmt == "table" and records:
        hint = refs_hint(drawn, state.messages.lines)
        if hint:
            state.messages.info(hint)
    if fail_if_empty and not records:
        raise typer.Exit(1)
