"""`search` (full text over the catalogue) and the goals vocabulary `near` uses."""

from typing import Annotated

import typer

from assetmap.cli.app import AssetmapGroup, app, check_format, get_state
from assetmap.cli.commands import (
    RESULT_COLUMNS,
    RESULT_FORMATS,
    RESULT_PUBLIC_COLUMNS,
    add_table_cells,
)
from assetmap.cli.options import FormatOpt, IncludeStaffOpt, ResultFormatOpt
from assetmap.cli.output import Blocks, emit_records


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[
        str, typer.Argument(help="Words to look for in names, descriptions, tags and categories.")
    ],
    include_closed: Annotated[
        bool, typer.Option("--include-closed", help="Include closed assets.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most N results.")] = 20,
    fail_if_empty: Annotated[
        bool, typer.Option("--fail-if-empty", help="Exit 1 when nothing is found.")
    ] = False,
    include_staff: IncludeStaffOpt = False,
    fmt: ResultFormatOpt = "table",
) -> None:
    """Full-text search over the whole catalogue."""
    from assetmap.search import request

    fmt = check_format(fmt, RESULT_FORMATS)
    state = get_state(ctx)
    results = request.text_search(
        state.catalogue(), text, limit=limit, include_closed=include_closed
    )
    records = [r.to_json(include_staff=include_staff) for r in results]
    if not records:
        state.messages.info(f"nothing in the catalogue matches '{text}'")
    if fmt == "table" and records:
        add_table_cells(records, state.catalogue())
    if records or fmt != "table":
        emit_records(
            records, fmt, columns=RESULT_COLUMNS if include_staff else RESULT_PUBLIC_COLUMNS,
            table_columns=["ref", "name", "category", "area", "contact", "why", "id"],
            tty_columns=["ref", "name / why", "area", "contact"], blocks=Blocks(right="area"),
            quiet=get_state(ctx).quiet,
        )  # fmt: skip
    if fail_if_empty and not records:
        raise typer.Exit(1)


goals_app = typer.Typer(
    cls=AssetmapGroup, help="The goals vocabulary: phrases mapped to tags and categories."
)
app.add_typer(goals_app, name="goals")


@goals_app.callback(invoke_without_command=True)
def goals_list(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """List goals with the tags, categories and synonyms they stand for."""
    if ctx.invoked_subcommand:
        return
    from assetmap.search import request

    fmt = check_format(fmt)
    records = [g.to_json() for g in request.list_goals(ctx.obj.catalogue())]
    emit_records(
        records, fmt, columns=["goal", "tags", "categories", "synonyms"], quiet=get_state(ctx).quiet
    )


@goals_app.command("add")
def goals_add(
    ctx: typer.Context,
    name: str,
    tags: Annotated[str, typer.Option(help="Tags that serve this goal, ';'-separated.")] = "",
    categories: Annotated[str, typer.Option(help="Categories that serve it, ';'-separated.")] = "",
    synonyms: Annotated[str, typer.Option(help="Other ways of saying it, ';'-separated.")] = "",
) -> None:
    """Add a goal to the vocabulary."""
    from assetmap.search import request

    print(request.add_goal(get_state(ctx).catalogue(), name, tags, categories, synonyms).name)


@goals_app.command("explain")
def goals_explain(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="A goal as the person said it, in quotes.")],
    fmt: FormatOpt = "table",
) -> None:
    """Show how a goal in the person's own words is read, with reasons and weights."""
    from assetmap.search import request

    fmt = check_format(fmt)
    state = get_state(ctx)
    rows, summary = request.explain_goal(state.catalogue(), text)
    state.messages.info(summary)
    columns = ["phrase", "words", "read_as", "kind", "weight", "reason"]
    # On a terminal the phrase, the same on every row and in the summary above, is left out.
    emit_records(rows, fmt, columns=columns, tty_columns=columns[1:], quiet=get_state(ctx).quiet)


@goals_app.command("remove")
def goals_remove(ctx: typer.Context, name: str) -> None:
    """Remove a goal from the vocabulary."""
    from assetmap.search import request

    request.remove_goal(get_state(ctx).catalogue(), name)
    get_state(ctx).messages.info(f"removed goal '{name}'")
