"""Setting up: the catalogue file and schema, the category vocabulary."""

from typing import Annotated

import typer

from assetmap import config
from assetmap.cli.app import AssetmapGroup, app, check_format, get_state
from assetmap.cli.options import FormatOpt
from assetmap.cli.output import emit_records
from assetmap.errors import CatalogueError


@app.command()
def init(
    ctx: typer.Context,
    empty: Annotated[
        bool, typer.Option("--empty", help="Create a catalogue with no assets (vocabularies kept).")
    ] = False,
    no_examples: Annotated[
        bool,
        typer.Option(
            "--no-examples", help="Load the bundled open data but not the invented examples."
        ),
    ] = False,
) -> None:
    """Create the catalogue (loaded with the bundled sources unless --empty)."""
    state = get_state(ctx)
    path, _ = config.resolve_db_path(state.db)
    if path.exists() and path.stat().st_size > 0:
        raise CatalogueError(f"a catalogue already exists at {path}; choose another --db")
    state.create = True
    cat = state.catalogue(seed=not empty, examples=not no_examples)
    print(cat.path)


db_app = typer.Typer(cls=AssetmapGroup, help="Where the catalogue lives and its schema.")
app.add_typer(db_app, name="db")


@db_app.command("path")
def db_path(ctx: typer.Context) -> None:
    """Print the catalogue's file path."""
    path, _ = config.resolve_db_path(get_state(ctx).db)
    print(path)


@db_app.command("migrate")
def db_migrate(
    ctx: typer.Context,
    list_: Annotated[bool, typer.Option("--list", help="List applied migrations.")] = False,
) -> None:
    """Apply pending schema migrations (opening the catalogue does this too)."""
    from sqlite_utils import Database

    from assetmap.catalogue import migrations

    cat = get_state(ctx).catalogue()
    if list_:
        for name, applied_at in migrations.applied_names(Database(cat.conn)):
            print(f"{name}\t{applied_at}")
    else:
        get_state(ctx).messages.info(
            f"catalogue schema is up to date (version {migrations.SCHEMA_VERSION})"
        )


# -- vocabularies --------------------------------------------------------------------------
categories_app = typer.Typer(cls=AssetmapGroup, help="The category vocabulary.")
app.add_typer(categories_app, name="categories")


@categories_app.callback(invoke_without_command=True)
def categories_list(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """List categories and how many assets each has."""
    if ctx.invoked_subcommand:
        return
    fmt = check_format(fmt)
    cat = ctx.obj.catalogue()
    records = [{"category": n, "assets": c} for n, c in cat.category_counts()]
    emit_records(records, fmt, columns=["category", "assets"], quiet=get_state(ctx).quiet)


@categories_app.command("add")
def categories_add(ctx: typer.Context, name: str) -> None:
    """Add a category to the vocabulary."""
    print(get_state(ctx).catalogue().add_category(name))


@categories_app.command("terms")
def categories_terms(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """Other publishers' taxonomy terms and the category each means (for Open Referral
    imports)."""
    from assetmap.catalogue import terms

    fmt = check_format(fmt)
    emit_records(
        terms.listing(get_state(ctx).catalogue().conn), fmt, columns=["term", "category"],
        quiet=get_state(ctx).quiet,
    )  # fmt: skip


@categories_app.command("map")
def categories_map(
    ctx: typer.Context,
    term: Annotated[str, typer.Argument(help="A publisher's taxonomy term, e.g. 'Food banks'.")],
    category: Annotated[str, typer.Argument(help="The category it means here.")],
) -> None:
    """Map a publisher's taxonomy term to a category: an Open Referral service with that
    term imports into it."""
    from assetmap.catalogue import terms

    key, name = terms.map_term(get_state(ctx).catalogue(), term, category)
    get_state(ctx).messages.info(f"'{key}' now means {name}")


@categories_app.command("unmap")
def categories_unmap(
    ctx: typer.Context, term: Annotated[str, typer.Argument(help="A mapped term.")]
) -> None:
    """Forget a publisher's term."""
    from assetmap.catalogue import terms

    terms.unmap_term(get_state(ctx).catalogue(), term)


# -- about ---------------------------------------------------------------------------------
