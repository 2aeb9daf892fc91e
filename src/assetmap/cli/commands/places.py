"""Places: what a place resolves to, and coordinates for assets that lack them."""

from typing import Annotated

import typer

from assetmap.cli.app import app, check_format, get_state
from assetmap.cli.options import FormatOpt
from assetmap.cli.output import emit_object


@app.command()
def locate(
    ctx: typer.Context,
    place: Annotated[
        str,
        typer.Argument(
            help="Postcode, sector, district, town, council or 'lat,lon' (one argument: '53.41,-2.16')."
        ),
    ],
    fmt: FormatOpt = "table",
) -> None:
    """Show what a place resolves to: point, precision, radius, area and source."""
    fmt = check_format(fmt)
    state = get_state(ctx)
    found = state.find_place(place)
    for w in found.warnings:
        state.messages.warn(w)
    emit_object(found.to_json(), fmt)


@app.command()
def geocode(ctx: typer.Context) -> None:
    """Fill coordinates for assets that have a postcode or address but no lat/lon."""
    from assetmap.catalogue.locating import geocode_missing

    state = get_state(ctx)
    report = geocode_missing(state.catalogue(), find_place=state.find_place)
    for asset_id, reason in report.unplaced:
        state.messages.warn(f"{asset_id}: not placed: {reason}")
    state.messages.info(
        f"geocode: {len(report.placed)} placed, {len(report.unplaced)} could not be placed"
    )
