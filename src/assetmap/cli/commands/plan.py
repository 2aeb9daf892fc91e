"""`plan`: the chosen places as a one-page plan the person takes home (HTML for A4, with a
map) or text for case notes (Markdown)."""

from typing import Annotated

import typer

from assetmap.cli.app import app, get_state
from assetmap.cli.options import AvoidOpt, AvoidZoneOpt
from assetmap.errors import counted

PLAN_EXAMPLES = """\b
Examples:
  assetmap plan shelton hanley-park --from "ST4 7QB" --out plan.html
  assetmap plan shelton hanley-park --from "ST4 7QB" --format md
"""


@app.command(epilog=PLAN_EXAMPLES)
def plan(
    ctx: typer.Context,
    refs: Annotated[
        list[str],
        typer.Argument(metavar="ID...", help="The places: ids, or the refs near and search print."),
    ],
    from_: Annotated[
        str,
        typer.Option(
            "--from", help="Where the person starts: postcode, sector, town or 'lat,lon'."
        ),
    ],
    out: Annotated[
        str | None,
        typer.Option("--out", "-o", help="Write the plan to this file (default: stdout)."),
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="html (prints on one A4 page) or md (for case notes)."),
    ] = "html",
    by: Annotated[
        str,
        typer.Option("--by", help="The practitioner's name and contact, printed on the plan."),
    ] = "",
    show_from: Annotated[
        bool,
        typer.Option(
            "--show-from",
            help="Print the place given to --from (e.g. the full postcode) on the plan.",
        ),
    ] = False,
    on: Annotated[
        str | None,
        typer.Option("--on", help="The plan's date (default today): next dates count from it."),
    ] = None,
    case: Annotated[
        str | None,
        typer.Option(
            "--case",
            help="Say who went along to each place this case was introduced to (from the "
            "casework file; needs its key). The reference itself is not printed.",
        ),
    ] = None,
    avoid: AvoidOpt = None,
    avoid_zone: AvoidZoneOpt = None,
) -> None:
    """A one-page plan for the person: for each place, when, where, how far, who to contact.

    The person's full postcode and exact point are never written, unless --show-from: the map
    draws their postcode sector's area instead. The plan holds no case reference.
    With --avoid/--avoid-zone (the person's licence conditions), a place inside a zone is
    refused, as near would leave it out."""
    import datetime as dt

    from assetmap.catalogue.models import parse_date
    from assetmap.plan import make

    fmt = make.check_format(fmt)
    state = get_state(ctx)
    made_on = parse_date(on) if on else dt.date.today()
    went_with = _went_with(ctx, case) if case else None
    asked = make.PlanRequest(
        refs, from_, made_on=made_on, by=by, show_from=show_from, went_with=went_with,
        avoid=avoid or [], avoid_zones=avoid_zone or [],
    )  # fmt: skip
    zones = make.avoided_zones(
        asked, state.find_place,
        report=lambda text, loud: state.messages.info(text, even_if_quiet=loud),
    )  # fmt: skip
    built = make.make_plan(
        state.catalogue(), state.gazetteer(), state.find_place, asked, zones=zones,
        warn=state.messages.warn,
    )  # fmt: skip
    text = make.render(built, fmt)
    caveats = built.caveats()
    if caveats:
        # Staff-facing: for the practitioner to check, never on the person's sheet.
        state.messages.info("check before handing the plan over (not printed on it):")
        for line in caveats:
            state.messages.info(f"  {line}")
    if out:
        make.save(out, text)
        state.messages.info(f"plan of {counted(len(built.items), 'place')} written to {out}")
    else:
        typer.echo(text, nl=False)


def _went_with(ctx: typer.Context, case: str) -> dict:
    """Who went along, per asset, from this case's introductions (none recorded: a warning)."""
    from assetmap import config
    from assetmap.casework import codes, introductions, keys
    from assetmap.casework.store import open_for

    state = get_state(ctx)
    ref = codes.case_ref(case)
    cw = open_for(state.db, create=False)
    key = keys.unlock(cw, config.casework_key_path(), create=False) if cw else None
    found = introductions.went_with(cw, key, ref) if key else {}
    if not found:
        state.messages.warn("no introductions are recorded for that case reference")
    return found
