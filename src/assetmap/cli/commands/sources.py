"""Sources: list them with their coverage, load a bundled one, take one out; pull open data
online and update what was pulled."""

import shlex
from typing import Annotated

import typer

from assetmap.cli.app import AssetmapGroup, app, check_format, get_state
from assetmap.cli.options import FormatOpt
from assetmap.cli.output import emit_records
from assetmap.errors import counted, listed

sources_app = typer.Typer(
    cls=AssetmapGroup,
    help="Where the assets came from: each source's assets, councils, licence and date.",
)
app.add_typer(sources_app, name="sources")

LIST_COLUMNS = ["name", "assets", "councils", "kind", "retrieved", "licence", "attribution"]
# On a terminal the attribution (long, and in `assetmap about`) would squeeze every column
# to a few letters at 80 columns; the name is drawn whole, as `source` (never folded).
TTY_COLUMNS = ["source", "assets", "councils", "retrieved", "licence"]
COVERAGE_COLUMNS = ["goal", "within_5km", "within_10km", "within_25km", "add"]


@sources_app.callback(invoke_without_command=True)
def sources_list(
    ctx: typer.Context,
    council: Annotated[
        bool, typer.Option("--by-council", help="Coverage: assets by council instead.")
    ] = False,
    source: Annotated[
        str | None,
        typer.Option("--source", help="Only this source (with --by-council: its councils)."),
    ] = None,
    coverage_of: Annotated[
        str | None,
        typer.Option(
            "--coverage",
            metavar="PLACE",
            help="Per goal, how many assets lie within 5, 10 and 25 km of PLACE, and which "
            "source would add some where none does.",
        ),
    ] = None,
    fmt: FormatOpt = "table",
) -> None:
    """List sources with how many assets and councils each covers (bundled ones not loaded
    are listed by `assetmap sources add --list`)."""
    if ctx.invoked_subcommand:
        return
    from assetmap.catalogue import sources

    fmt = check_format(fmt)
    state = get_state(ctx)
    cat = state.catalogue()
    if coverage_of is not None:
        from assetmap.search import coverage

        place = state.find_place(coverage_of)
        for w in place.warnings:
            state.messages.warn(w)
        rows = coverage.coverage(cat, place)
        emit_records(rows, fmt, columns=COVERAGE_COLUMNS, quiet=state.quiet)
        area = shlex.quote(place.label)
        state.messages.info(
            f"active assets meeting each goal around {place.label} ({place.precision}); add: "
            f"the sources to pull where there are none (`assetmap sources pull NAME --area {area}`)"
        )
        return
    source = cat.source_named(source) if source is not None else None
    if council:
        emit_records(
            sources.coverage(cat, source),
            fmt,
            columns=["council", "assets"],
            quiet=get_state(ctx).quiet,
        )
        return
    listed = [r for r in sources.listing(cat) if source is None or r["name"] == source]
    if fmt == "table":
        listed = [{**r, "source": r["name"]} for r in listed]
    emit_records(
        listed, fmt, columns=[*LIST_COLUMNS, "title", "origin"],
        table_columns=LIST_COLUMNS, tty_columns=TTY_COLUMNS,
        quiet=get_state(ctx).quiet,
    )  # fmt: skip


@sources_app.command("add")
def sources_add(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None, typer.Argument(metavar="NAME...", help="Bundled sources to load.")
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the bundled sources.")] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Load a bundled source (e.g. `assetmap sources add examples`) into the catalogue."""
    from assetmap.catalogue import seed

    state = get_state(ctx)
    if list_ or not names:
        fmt = check_format(fmt)
        records = [
            {"name": n, "assets": m["assets"], "retrieved": m["retrieved"], "licence": m["licence"],
             "title": m["title"]}
            for n, m in seed.bundled().items()
        ]  # fmt: skip
        emit_records(
            records,
            fmt,
            columns=["name", "assets", "retrieved", "licence", "title"],
            quiet=get_state(ctx).quiet,
        )
        if not names and not list_:
            state.messages.info("give the name of a bundled source to load, e.g. `assetmap sources add examples`")  # fmt: skip
        return
    added = seed.load(state.catalogue(), names)
    for name, n in added.items():
        kept = seed.bundled()[name]["assets"] - n
        extra = f" ({kept} already in the catalogue, left as they are)" if kept else ""
        state.messages.info(f"sources add: {counted(n, 'asset')} from {name}{extra}")


@sources_app.command("remove")
def sources_remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME")],
) -> None:
    """Take a source and all its assets out of the catalogue, in one transaction (e.g.
    `assetmap sources remove examples`)."""
    from assetmap.catalogue import sources

    state = get_state(ctx)
    removed = sources.remove(state.catalogue(), name)
    state.messages.info(f"sources remove: {name} and its {counted(removed, 'asset')} removed")


@sources_app.command("pull")
def sources_pull(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="osm, givefood, openactive or oruk.")],
    url: Annotated[
        str | None,
        typer.Argument(
            metavar="[URL]",
            help="oruk: the Open Referral UK API; openactive: the RPDE feed. Others: their API "
            "(default: the public one).",
        ),
    ] = None,
    area: Annotated[
        str | None,
        typer.Option(
            "--area", help="Pull for this place and its extent (a town, council, postcode...)."
        ),  # fmt: skip
    ] = None,
    around: Annotated[
        str | None,
        typer.Option("--around", help="Pull within a radius: PLACE@RADIUS, e.g. 'LS1 4DY@5km'."),
    ] = None,
    timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds to wait for each answer.")
    ] = 60.0,
    retries: Annotated[int, typer.Option(min=0, help="Tries again after a failure.")] = 3,
    overwrite_local: Annotated[
        bool,
        typer.Option(
            "--overwrite-local",
            help="Let the source win over fields changed locally. verified_on never moves back.",
        ),
    ] = False,
) -> None:
    """Fill the catalogue from open data online, for an area, in one transaction (e.g.
    `assetmap sources pull osm --area Leeds`). Online, and only when asked."""
    from assetmap.transfer import pull

    state = get_state(ctx)
    if area and around:
        from assetmap.errors import InvalidValue

        raise InvalidValue("give --area PLACE or --around PLACE@RADIUS, not both")
    where = _pull_area(state, area, around)
    if url is not None:
        pull.check_url(url)
    cat = state.catalogue()
    report = pull.pull(
        cat, name, area=where, url=url, timeout=timeout, retries=retries,
        overwrite_local=overwrite_local, locate=_locator(), gazetteer=state.gazetteer(),
        progress=_progress(state),
    )  # fmt: skip
    _pull_summary(state, report, always=True)


@sources_app.command("update")
def sources_update(
    ctx: typer.Context,
    timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds to wait for each answer.")
    ] = 60.0,
    retries: Annotated[int, typer.Option(min=0, help="Tries again after a failure.")] = 3,
) -> None:
    """Pull every pulled source again, for cron: quiet when nothing changed, one line per
    source otherwise. Local edits and verified_on are kept; what a source dropped is closed."""
    from assetmap.errors import FeedError
    from assetmap.transfer import pull

    state = get_state(ctx)
    cat = state.catalogue()
    done = pull.recorded(cat)
    failed = []
    gazetteer = state.gazetteer() if done else None
    for row in done:
        try:
            report = pull.pull(
                cat, row["puller"], area=pull.area_of(row), url=row["url"] or None,
                timeout=timeout, retries=retries, locate=_locator(), gazetteer=gazetteer,
                progress=_progress(state),
            )  # fmt: skip
        except FeedError as exc:
            failed.append(f"{row['source']} ({row['query'] or row['puller']}): {exc}")
            continue
        _pull_summary(state, report, always=False)
    if failed:
        raise FeedError(
            f"sources update: {len(failed)} of {len(done)} pulls failed; each left its source as it was",  # fmt: skip
            details=failed,
        )


def _pull_area(state, area: str | None, around: str | None):
    from assetmap.errors import PlaceError
    from assetmap.places.zones import split_zone
    from assetmap.transfer import pull

    if not area and not around:
        return None
    text = area or around or ""
    where, radius = split_zone(text) if around else (text, None)
    if around and radius is None:
        from assetmap.errors import InvalidValue

        raise InvalidValue(f"--around '{around}' has no radius; write PLACE@RADIUS, e.g. --around 'LS1 4DY@5km'")  # fmt: skip
    try:
        place = state.find_place(where)
    except PlaceError as exc:
        raise PlaceError(f"{'--area' if area else '--around'} '{text}': {exc}") from None
    return pull.area_from(place, radius)


def _locator():
    from assetmap.catalogue.locating import locator

    return locator()


def _progress(state):
    from assetmap.cli.output import stderr_is_tty

    if state.quiet or not stderr_is_tty():
        return None
    return lambda text: state.messages.info(f"pull: {text}")


def _pull_summary(state, report, *, always: bool) -> None:
    r = report.import_report
    if not (always or report.changed()):
        return
    for line in report.repaired[:50]:
        state.messages.info(f"left out of {line}")
    for p in r.problems[:50]:
        state.messages.info(f"left out {p}")
    if report.held:
        held = listed(report.held, 20)
        state.messages.info(f"{len(report.held):,} already in the catalogue from another source, left out: {held}")  # fmt: skip
    if report.closed:
        closed = listed(report.closed, 20, ", ")
        state.messages.info(f"closed (gone from {report.source}): {closed}")
    state.messages.info(
        f"sources pull: {report.summary()} (source {report.source}; {report.query}; "
        f"{counted(report.requests, 'request')})",
        even_if_quiet=not always,
    )
