"""Keeping the catalogue right: stale and verify, check, stats, backup; and `about`."""

from typing import Annotated

import typer

from assetmap.cli.app import app, check_format, get_state
from assetmap.cli.options import FormatOpt, IdArg
from assetmap.cli.output import emit_object, emit_records
from assetmap.errors import counted


@app.command()
def stale(
    ctx: typer.Context,
    older_than: Annotated[str, typer.Option(help="Age limit: 30d, 6w, 12m, 1y.")] = "12m",
    fail_if_any: Annotated[
        bool, typer.Option("--fail-if-any", help="Exit 1 when any asset is stale (for cron mail).")
    ] = False,
    area: Annotated[str | None, typer.Option(help="Only this area (council).")] = None,
    include_closed: Annotated[
        bool, typer.Option("--include-closed", help="List closed assets too.")
    ] = False,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", help="Only assets from this source (repeat for more)."),
    ] = None,
    include_bundled: Annotated[
        bool,
        typer.Option(
            "--include-bundled",
            help="Also list bundled open data (libraries, sports sites) nobody has verified yet.",
        ),
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Assets not verified within the limit (or never), oldest first, with contact details.

    Bundled open data that nobody here has verified yet is left out unless --include-bundled
    or --source names it; once verified, an asset is listed when it falls due like any other."""
    import datetime as dt

    from assetmap.catalogue import quality

    fmt = check_format(fmt)
    state = get_state(ctx)
    cat = state.catalogue()
    rows, left_out = quality.stale(
        cat, older_than, dt.date.today(), include_closed=include_closed,
        area=cat.area_named(area) if area is not None else None,
        sources=[cat.source_named(s) for s in source or []], include_bundled=include_bundled,
    )  # fmt: skip
    columns = ["id", "name", "verified_on", "phone", "email", "website", "area", "status"]
    if rows or fmt != "table":
        emit_records(rows, fmt, columns=columns, quiet=get_state(ctx).quiet)
    state.messages.info(f"stale: {counted(len(rows), 'asset')} not verified within {older_than}")
    if left_out:
        state.messages.info(
            f"stale: left out {counted(left_out, 'never-verified asset')} from bundled open data "
            "(--include-bundled lists them)"
        )
    if fail_if_any and rows:
        raise typer.Exit(1)


@app.command()
def verify(
    ctx: typer.Context,
    asset_id: IdArg,
    on: Annotated[
        str | None, typer.Option(help="Date confirmed (default today): 2026-11-23 or 23/11/2026.")
    ] = None,
) -> None:
    """Record that someone confirmed an asset's details (only verified_on changes)."""
    import datetime as dt

    from assetmap.catalogue import quality

    state = get_state(ctx)
    cat = state.catalogue()
    asset_id = cat.find(asset_id).id
    day = quality.verify(cat, asset_id, on, dt.date.today())
    state.messages.info(f"{asset_id}: verified on {day}")


@app.command()
def check(
    ctx: typer.Context,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when any problem is found.")
    ] = False,
    merge_duplicates: Annotated[
        bool,
        typer.Option(
            "--merge-duplicates",
            help="Merge records one source lists twice (same name and postcode) instead: the "
            "record edited or verified here is kept, filled field by field from the others.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="With --merge-duplicates: show, change nothing.")
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Report data problems: no or coarse coordinates, likely duplicates (those of one
    source: merge them with --merge-duplicates), closed-sounding active assets (or whose source says closed), schedules that do not parse or look misread,
    times left in notes, free assets that mention a charge, phones that are not UK numbers,
    partners with no contact or none for a year."""
    import datetime as dt

    from assetmap.catalogue import quality

    fmt = check_format(fmt)
    state = get_state(ctx)
    if dry_run and not merge_duplicates:
        from assetmap.errors import InvalidValue

        raise InvalidValue("--dry-run goes with --merge-duplicates: assetmap check --merge-duplicates --dry-run")  # fmt: skip
    if merge_duplicates:
        _merge_duplicates(ctx, fmt, dry_run)
        return
    problems = quality.check(state.catalogue(), dt.date.today())
    if problems or fmt != "table":
        emit_records(
            problems, fmt, columns=["problem", "id", "name", "detail"], quiet=get_state(ctx).quiet
        )
    state.messages.info(f"check: {counted(len(problems), 'problem')}")
    if strict and problems:
        raise typer.Exit(1)


def _merge_duplicates(ctx: typer.Context, fmt: str, dry_run: bool) -> None:
    from assetmap.catalogue import duplicates

    state = get_state(ctx)
    if not dry_run:
        # The casework file first: introductions to a record about to be merged away point at
        # the record kept (which exists before and after), so a merge that then fails leaves
        # no introduction pointing at nothing.
        _follow_merges(ctx, duplicates.merge(state.catalogue(), dry_run=True))
    merged = duplicates.merge(state.catalogue(), dry_run=dry_run)
    if not dry_run:
        _follow_merges(ctx, merged)  # the same pairs, unless the catalogue changed meanwhile
    if merged or fmt != "table":
        emit_records(
            merged, fmt, columns=["kept", "merged", "name", "source", "detail"], quiet=state.quiet
        )
    if not merged:
        state.messages.info("check --merge-duplicates: no duplicates within a source")
    else:
        into = len({m["kept"] for m in merged})
        verb = "would merge" if dry_run else "merged"
        state.messages.info(
            f"check --merge-duplicates: {verb} {counted(len(merged), 'record')} into {counted(into, 'kept record')}"
            + (" (dry run: nothing changed)" if dry_run else "")
        )


def _follow_merges(ctx: typer.Context, merged: list[dict]) -> None:
    """Point the casework file's introductions at the records kept, if there is a file."""
    from assetmap.casework import introductions
    from assetmap.casework.store import open_for

    if not merged:
        return
    cw = open_for(get_state(ctx).db, create=False)
    if cw is None:
        return
    try:
        moved = introductions.rename_assets(cw, {m["merged"]: m["kept"] for m in merged})
    finally:
        cw.close()
    if moved:
        get_state(ctx).messages.info(
            f"check --merge-duplicates: {counted(moved, 'introduction')} moved to the records kept"
        )


@app.command()
def stats(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """Counts by category, area (council: the coverage), source, status, verification age,
    and partners by status and area."""
    import datetime as dt

    from assetmap.catalogue import quality

    fmt = check_format(fmt)
    figures = quality.stats(get_state(ctx).catalogue(), dt.date.today())
    if fmt in ("json", "ndjson"):
        emit_object(figures, fmt)
        return
    records = [{"group": "all", "value": "assets", "count": figures["assets"]}]
    for group in ("by_category", "by_area", "by_source", "by_status", "by_verification_age",
                  "by_partnership_status", "partners_by_area"):  # fmt: skip
        name = group[3:] if group.startswith("by_") else group
        records += [{"group": name, "value": k, "count": n} for k, n in figures[group].items()]
    records.append(
        {"group": "coordinates", "value": "missing", "count": figures["without_coordinates"]}
    )
    emit_records(records, fmt, columns=["group", "value", "count"], quiet=get_state(ctx).quiet)


@app.command()
def backup(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="Where to write the copy.")],
    casework: Annotated[
        bool,
        typer.Option(
            "--casework",
            help="Copy the private casework file instead of the catalogue (mode 0600; the key "
            "is not in it).",
        ),
    ] = False,
) -> None:
    """Write a consistent copy of the catalogue, safe while others are using it."""
    from pathlib import Path

    state = get_state(ctx)
    if casework:
        from assetmap.casework.store import backup_casework

        state.messages.info(backup_casework(state.db, Path(file)))
        return
    cat = state.catalogue()
    cat.backup(Path(file))
    state.messages.info(f"backup: {cat.count()} assets copied to {file}")


@app.command()
def about() -> None:
    """Version, data sources, licences and attributions."""
    from assetmap.cli.about import about_text

    print(about_text())
