"""Sources: list them with their coverage, load a bundled one, take one out."""

from typing import Annotated

import typer

from assetmap.cli.app import AssetmapGroup, app, check_format, get_state
from assetmap.cli.options import FormatOpt
from assetmap.cli.output import emit_records
from assetmap.errors import counted

sources_app = typer.Typer(
    cls=AssetmapGroup,
    help="Where the assets came from: each source's assets, councils, licence and date.",
)
app.add_typer(sources_app, name="sources")

LIST_COLUMNS = ["name", "assets", "councils", "kind", "retrieved", "licence", "attribution"]
# On a terminal the attribution (long, and in `assetmap about`) would squeeze every column
# to a few letters at 80 columns; the name is drawn whole, as `source` (never folded).
TTY_COLUMNS = ["source", "assets", "councils", "retrieved", "licence"]


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
    fmt: FormatOpt = "table",
) -> None:
    """List sources with how many assets and councils each covers (bundled ones not loaded
    are listed by `assetmap sources add --list`)."""
    if ctx.invoked_subcommand:
        return
    from assetmap.catalogue import sources

    fmt = check_format(fmt)
    cat = get_state(ctx).catalogue()
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
