"""Single assets: add, show, edit, remove, list."""

import sys
from typing import Annotated

import typer

from assetmap.cli.app import app, check_format, get_state
from assetmap.cli.options import FormatOpt, IdArg, LimitOpt, YesOpt, with_field_options
from assetmap.cli.output import emit_object, emit_records
from assetmap.errors import NeedsConfirmation

ASSET_TABLE_COLUMNS = ["id", "name", "category", "postcode", "area", "tags"]


# -- records -------------------------------------------------------------------------------
@app.command()
@with_field_options(required=("name", "category"))
def add(ctx: typer.Context, fields: dict[str, str]) -> None:
    """Add an asset and print its id. Needs --name, --category and a --postcode or --lat/--lon."""
    from assetmap.catalogue import records

    state = get_state(ctx)
    state.gazetteer()
    asset, warnings = records.add(state.catalogue(), fields)
    for w in warnings:
        state.messages.warn(w)
    print(asset.id)


@app.command()
def show(
    ctx: typer.Context,
    refs: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...",
            help="Ids, or the refs near and search print (a unique start of an id).",
        ),
    ],
    fmt: FormatOpt = "table",
) -> None:
    """Show every field of one or more assets."""
    fmt = check_format(fmt)
    cat = get_state(ctx).catalogue()
    assets = [cat.find(ref).to_json() for ref in refs]
    if len(assets) == 1:
        emit_object(assets[0], fmt)
    elif fmt in ("json", "ndjson", "csv"):
        emit_records(assets, fmt, columns=list(assets[0]), quiet=get_state(ctx).quiet)
    else:
        for i, asset in enumerate(assets):
            if i:
                print()
            emit_object(asset, fmt)


@app.command()
@with_field_options(exclude=("id",))
def edit(
    ctx: typer.Context,
    asset_id: IdArg,
    fields: dict[str, str],
) -> None:
    """Change the given fields of an asset; others stay as they are. Pass '' to clear one."""
    from assetmap.catalogue import records

    state = get_state(ctx)
    state.gazetteer()
    cat = state.catalogue()
    asset, changed, warnings = records.edit(cat, cat.find(asset_id).id, fields)
    for w in warnings:
        state.messages.warn(w)
    state.messages.info(f"{asset.id}: {'updated' if changed else 'no change'}")


@app.command()
def remove(ctx: typer.Context, asset_id: IdArg, yes: YesOpt = False) -> None:
    """Remove an asset. Asks first on a terminal; scripts pass --yes."""
    state = get_state(ctx)
    cat = state.catalogue()
    asset = cat.find(asset_id)
    asset_id = asset.id
    if not yes:
        if not sys.stdin.isatty():
            raise NeedsConfirmation(
                f"not removing '{asset_id}' without confirmation; pass --yes to remove it"
            )
        if not typer.confirm(f"Remove '{asset.name}' ({asset_id})?", err=True):
            state.messages.info("nothing removed")
            raise typer.Exit(1)
    cat.remove(asset_id)
    state.messages.info(f"removed {asset_id}")


@app.command("list")
def list_(
    ctx: typer.Context,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    tag: Annotated[str | None, typer.Option(help="Only assets with this tag.")] = None,
    area: Annotated[str | None, typer.Option(help="Only this area (council).")] = None,
    status: Annotated[
        str | None, typer.Option(help="Only this status: active, temporarily-closed, closed.")
    ] = None,
    limit: LimitOpt = None,
    fmt: FormatOpt = "table",
) -> None:
    """List assets, by name."""
    fmt = check_format(fmt)
    cat = get_state(ctx).catalogue()
    filters = cat.checked_filters(category=category, tag=tag, area=area, status=status)
    assets = cat.list(**filters, limit=limit)
    emit_records(
        [a.to_json() for a in assets],
        fmt,
        columns=[c for c in assets[0].to_row()] if assets else ["id"],
        table_columns=ASSET_TABLE_COLUMNS,
        quiet=get_state(ctx).quiet,
    )
