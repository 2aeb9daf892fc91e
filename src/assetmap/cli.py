"""The command line. It parses options, calls the library and prints; it holds no SQL and no
ranking. Errors from the library (AssetmapError) become one line on stderr and an exit code."""

import io
import sqlite3
import sys
from dataclasses import dataclass, field
from typing import Annotated

import typer
from typer.core import TyperGroup

from assetmap import __version__, config
from assetmap.errors import AssetmapError, CatalogueError, InvalidValue, NeedsConfirmation
from assetmap.options import FormatOpt, LimitOpt, YesOpt, with_field_options
from assetmap.output import FORMATS, Messages, StepProgress, emit_object, emit_records

EXIT_CODES_HELP = (
    "Exit codes: 0 success (an empty result too), 1 error, 2 usage error, "
    "3 import finished but skipped invalid rows, 130 interrupted (Ctrl-C), "
    "141 output pipe closed (| head)."
)


class AssetmapGroup(TyperGroup):
    """Maps library errors to a one-line message and an exit code, once, at the edge."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except AssetmapError as exc:
            Messages().error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except sqlite3.Error as exc:
            from assetmap.catalogue import explain_sqlite_error

            Messages().error(str(explain_sqlite_error(_catalogue_path(ctx), exc)))
            raise typer.Exit(1) from None
        except BrokenPipeError:
            # `assetmap export | head`: the reader left. Say nothing; exit as SIGPIPE would.
            _silence_stdout()
            raise typer.Exit(141) from None
        except OSError as exc:
            # A file the user named could not be read or written: say which, and why.
            where = f" ({exc.filename})" if exc.filename else ""
            Messages().error(f"{exc.strerror or exc}{where}")
            raise typer.Exit(1) from None


def _catalogue_path(ctx) -> str:
    state = ctx.obj if isinstance(ctx.obj, State) else None
    return str(config.resolve_db_path(state.db if state else None)[0])


def _silence_stdout() -> None:
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


app = typer.Typer(
    cls=AssetmapGroup,
    help="Find community assets near a person that fit their goals.",
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    # Rich boxes for help and usage errors on a terminal only; pipes and cron get plain text.
    rich_markup_mode="rich" if sys.stderr.isatty() else None,
)


@dataclass
class State:
    db: str | None = None
    quiet: bool = False
    read_only: bool = False
    geocoder: str = "offline"
    messages: Messages = field(default_factory=Messages)
    _catalogue: object | None = None

    def gazetteer(self):
        """Open the offline gazetteer, building its index first if this is the first use."""
        from assetmap.gazetteer import index_path, open_gazetteer

        if not index_path().exists():
            self.messages.info(
                "assetmap: building the offline gazetteer index (once; a few seconds)"
            )
        return open_gazetteer(StepProgress("gazetteer index", quiet=self.quiet))

    def find_place(self, text: str):
        from assetmap.geocoders import find_place

        self.gazetteer()
        return find_place(
            text, geocoder=self.geocoder, catalogue_opener=self.catalogue, warn=self.messages.warn
        )

    def catalogue(self, *, seed: bool = True):
        """Open the catalogue once per command, creating it on first use."""
        if self._catalogue is None:
            from assetmap.catalogue import open_catalogue

            path, named = config.resolve_db_path(self.db)
            cat = open_catalogue(path, named=named, seed=seed, read_only=self.read_only)
            if cat.created:
                seeded = f" with {cat.seeded} seed assets" if cat.seeded else " (empty)"
                self.messages.info(f"assetmap: created a new catalogue at {path}{seeded}")
            self._catalogue = cat
        return self._catalogue


def _version(value: bool) -> None:
    if value:
        print(f"assetmap {__version__}")
        raise typer.Exit()


@app.callback()
def callback(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            envvar="ASSETMAP_DB",
            help="Catalogue file (default: catalogue.db in $ASSETMAP_HOME or the user data dir).",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print only data and errors.")
    ] = False,
    geocoder: Annotated[
        str,
        typer.Option(
            "--geocoder",
            envvar="ASSETMAP_GEOCODER",
            help="offline (the bundled gazetteer) or an online geocoder such as nominatim.",
        ),
    ] = "offline",
    read_only: Annotated[
        bool,
        typer.Option(
            "--read-only",
            envvar="ASSETMAP_READ_ONLY",
            help="Open the catalogue read-only (searches work; changes are refused).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Find community assets near a person that fit their goals."""
    ctx.obj = State(
        db=db, quiet=quiet, read_only=read_only, geocoder=geocoder, messages=Messages(quiet)
    )


def _state(ctx: typer.Context) -> State:
    return ctx.obj


def _check_format(fmt: str) -> str:
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise typer.BadParameter(
            f"'{fmt}' is not one of {', '.join(FORMATS)}", param_hint="--format"
        )
    return fmt


ASSET_TABLE_COLUMNS = ["id", "name", "category", "postcode", "area", "tags"]


# -- catalogue set-up ----------------------------------------------------------------------
@app.command()
def init(
    ctx: typer.Context,
    empty: Annotated[
        bool, typer.Option("--empty", help="Create a catalogue with no assets (vocabularies kept).")
    ] = False,
) -> None:
    """Create the catalogue (seeded with the bundled assets unless --empty)."""
    state = _state(ctx)
    path, _ = config.resolve_db_path(state.db)
    if path.exists() and path.stat().st_size > 0:
        raise CatalogueError(f"a catalogue already exists at {path}; choose another --db")
    cat = state.catalogue(seed=not empty)
    print(cat.path)


db_app = typer.Typer(cls=AssetmapGroup, help="Where the catalogue lives and its schema.")
app.add_typer(db_app, name="db")


@db_app.command("path")
def db_path(ctx: typer.Context) -> None:
    """Print the catalogue's file path."""
    path, _ = config.resolve_db_path(_state(ctx).db)
    print(path)


@db_app.command("migrate")
def db_migrate(
    ctx: typer.Context,
    list_: Annotated[bool, typer.Option("--list", help="List applied migrations.")] = False,
) -> None:
    """Apply pending schema migrations (opening the catalogue does this too)."""
    from sqlite_utils import Database

    from assetmap import migrations

    cat = _state(ctx).catalogue()
    if list_:
        for name, applied_at in migrations.applied_names(Database(cat.conn)):
            print(f"{name}\t{applied_at}")
    else:
        _state(ctx).messages.info(
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
    fmt = _check_format(fmt)
    cat = ctx.obj.catalogue()
    records = [{"category": n, "assets": c} for n, c in cat.category_counts()]
    emit_records(records, fmt, columns=["category", "assets"])


@categories_app.command("add")
def categories_add(ctx: typer.Context, name: str) -> None:
    """Add a category to the vocabulary."""
    print(_state(ctx).catalogue().add_category(name))


# -- records -------------------------------------------------------------------------------
@app.command()
@with_field_options(required=("name", "category"))
def add(ctx: typer.Context, fields: dict[str, str]) -> None:
    """Add an asset and print its id. Needs --name, --category and a --postcode or --lat/--lon."""
    from assetmap import records

    state = _state(ctx)
    state.gazetteer()
    asset, warnings = records.add(state.catalogue(), fields)
    for w in warnings:
        state.messages.warn(w)
    print(asset.id)


@app.command()
def show(
    ctx: typer.Context,
    asset_id: Annotated[str, typer.Argument(metavar="ID")],
    fmt: FormatOpt = "table",
) -> None:
    """Show every field of one asset."""
    fmt = _check_format(fmt)
    asset = _state(ctx).catalogue().get(asset_id)
    emit_object(asset.to_json(), fmt)


@app.command()
@with_field_options(exclude=("id",))
def edit(
    ctx: typer.Context,
    asset_id: Annotated[str, typer.Argument(metavar="ID")],
    fields: dict[str, str],
) -> None:
    """Change the given fields of an asset; others stay as they are. Pass '' to clear one."""
    from assetmap import records

    state = _state(ctx)
    state.gazetteer()
    asset, changed, warnings = records.edit(state.catalogue(), asset_id, fields)
    for w in warnings:
        state.messages.warn(w)
    state.messages.info(f"{asset.id}: {'updated' if changed else 'no change'}")


@app.command()
def remove(
    ctx: typer.Context, asset_id: Annotated[str, typer.Argument(metavar="ID")], yes: YesOpt = False
) -> None:
    """Remove an asset. Asks first on a terminal; scripts pass --yes."""
    state = _state(ctx)
    cat = state.catalogue()
    asset = cat.get(asset_id)
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
    fmt = _check_format(fmt)
    assets = (
        _state(ctx)
        .catalogue()
        .list(category=category, tag=tag, area=area, status=status, limit=limit)
    )
    emit_records(
        [a.to_json() for a in assets],
        fmt,
        columns=[c for c in assets[0].to_row()] if assets else ["id"],
        table_columns=ASSET_TABLE_COLUMNS,
    )


# -- places --------------------------------------------------------------------------------
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
    fmt = _check_format(fmt)
    state = _state(ctx)
    found = state.find_place(place)
    for w in found.warnings:
        state.messages.warn(w)
    emit_object(found.to_json(), fmt)


@app.command()
def geocode(ctx: typer.Context) -> None:
    """Fill coordinates for assets that have a postcode or address but no lat/lon."""
    from assetmap.locating import geocode_missing

    state = _state(ctx)
    report = geocode_missing(state.catalogue(), find_place=state.find_place)
    for asset_id, reason in report.unplaced:
        state.messages.warn(f"{asset_id}: not placed: {reason}")
    state.messages.info(
        f"geocode: {len(report.placed)} placed, {len(report.unplaced)} could not be placed"
    )


# -- import and export ---------------------------------------------------------------------
@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            help="CSV file, - for standard input, or an Open Referral UK folder (or its datapackage.json)."
        ),
    ],
    encoding: Annotated[
        str | None, typer.Option(help="The file's encoding (detected: UTF-8, else Windows-1252).")
    ] = None,
    ignore_extra: Annotated[
        bool,
        typer.Option(
            "--ignore-extra",
            help="Leave out columns assetmap does not know instead of refusing the file.",
        ),
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="Write the valid rows and skip the rest (exit 3)."),
    ] = False,
    rejects: Annotated[
        str | None,
        typer.Option(
            help="With --skip-invalid: write the bad rows here, unchanged, with an error column."
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Validate and report what would change; write nothing."),
    ] = False,
) -> None:
    """Import assets from a CSV file (as Excel writes it) or an Open Referral UK folder;
    all-or-nothing by default."""
    from assetmap import importer
    from assetmap.locating import locator

    state = _state(ctx)
    cat = state.catalogue()
    state.gazetteer()
    locate = locator()
    if _is_package(file):
        report = importer.import_package(
            cat, file, skip_invalid=skip_invalid, rejects_path=rejects, dry_run=dry_run,
            locate=locate,
        )  # fmt: skip
        _import_summary(state, report, dry_run, rejects)
        return
    with _open_input(file) as stream:
        progress = _byte_progress(stream, state)
        try:
            report = importer.import_csv(
                cat, stream, encoding=encoding, ignore_extra=ignore_extra,
                skip_invalid=skip_invalid, rejects_path=rejects, dry_run=dry_run,
                locate=locate, progress=progress,
            )  # fmt: skip
        finally:
            progress(None)
    _import_summary(state, report, dry_run, rejects)


def _is_package(file: str) -> bool:
    import os

    return os.path.isdir(file) or os.path.basename(file) == "datapackage.json"


def _import_summary(state: State, report, dry_run: bool, rejects: str | None) -> None:
    from assetmap.errors import PartialImport

    for w in report.warnings:
        state.messages.warn(w)
    if report.skipped:
        for p in report.problems[:200]:
            state.messages.info(f"skipped {p}")
    done = " (dry run: nothing written)" if dry_run else ""
    state.messages.info(f"import: {report.summary()}{done}")
    if report.skipped:
        where = f"; they are in {rejects}" if rejects else ""
        raise PartialImport(f"{report.skipped} invalid rows were skipped{where}")


def _open_input(file: str):
    import contextlib

    if file == "-":
        return contextlib.nullcontext(sys.stdin.buffer)
    try:
        return open(file, "rb")  # noqa: SIM115 (returned as the context manager)
    except OSError as exc:
        raise InvalidValue(f"could not open {file}: {exc.strerror}") from None


def _byte_progress(stream, state: State):
    """A progress bar over the file's bytes, on a terminal only; call with None to finish."""
    import os

    try:
        total = os.fstat(stream.fileno()).st_size
    except (OSError, ValueError, io.UnsupportedOperation):
        total = 0
    bar = StepProgress("importing", quiet=state.quiet)
    if not total:
        return lambda _pos: None

    def update(pos):
        bar("", total if pos is None else min(pos, total), total)

    return update


@app.command()
def export(
    ctx: typer.Context,
    file: Annotated[
        str | None, typer.Argument(help="Write here instead of standard output.")
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="csv, json, ndjson, geojson, or openreferral (a folder)."
        ),
    ] = "csv",
    excel: Annotated[
        bool,
        typer.Option(
            "--excel", help="CSV with a UTF-8 byte-order mark, so Excel shows accents and £."
        ),
    ] = False,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    tag: Annotated[str | None, typer.Option(help="Only assets with this tag.")] = None,
    area: Annotated[str | None, typer.Option(help="Only this area.")] = None,
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
) -> None:
    """Export assets (all of them unless filtered). CSV round-trips through import."""
    from assetmap import exporter

    fmt = fmt.lower()
    if fmt not in (*exporter.FORMATS, "openreferral"):
        raise typer.BadParameter(
            f"'{fmt}' is not one of {', '.join(exporter.FORMATS)}, openreferral",
            param_hint="--format",
        )
    state = _state(ctx)
    cat = state.catalogue()
    filters = {"category": category, "tag": tag, "area": area, "status": status}
    if fmt == "openreferral":
        from assetmap.openreferral import export_package

        if not file:
            raise InvalidValue(
                "--format openreferral writes a folder of tables: give its path, "
                "e.g. assetmap export --format openreferral oruk/"
            )
        n = export_package(cat, file, **filters)
        state.messages.info(f"export: {n} services written to {file}/datapackage.json")
        return
    encoding = "utf-8-sig" if excel else "utf-8"
    if file is None:
        out = io.TextIOWrapper(
            sys.stdout.buffer, encoding=encoding, newline="", write_through=False
        )
        try:
            n = exporter.write(cat, out, fmt, **filters)
            out.flush()
        finally:
            out.detach()
    else:
        n = exporter.write_file(cat, file, fmt, encoding=encoding, **filters)
    state.messages.info(f"export: {n} assets")


# -- searching -----------------------------------------------------------------------------
NEAR_TABLE_COLUMNS = ["name", "category", "distance_km", "why", "id"]
NEAR_CSV_COLUMNS = [
    "id", "name", "category", "tags", "distance_km", "score", "goals_met", "why", "postcode",
    "area", "address", "lat", "lon", "schedule", "cost", "referral", "welcomes_convictions",
    "dbs_required", "involves_children", "phone", "email", "website", "status", "verified_on",
]  # fmt: skip
Repeat = list[str] | None


NEAR_EXAMPLES = """\b
Examples:
  assetmap near "ST4 7QB" --goal "get fit" --goal "meet people"
  assetmap near Hanley --goal "stay sober" --welcomes-convictions --no-children
  assetmap near "53.41,-2.16" --tag gym --free --within 3mi --format json
  assetmap near "M32 0TJ" --avoid "M16 0RA@1km"
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
    day: Annotated[str | None, typer.Option(help="Meets on this day: mon..sun.")] = None,
    at: Annotated[str | None, typer.Option(help="Running at this time, e.g. 18:00.")] = None,
    after: Annotated[
        str | None, typer.Option(help="Still running after this time, e.g. 18:00.")
    ] = None,
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
    avoid: Annotated[
        Repeat,
        typer.Option(
            "--avoid", help="Exclusion zone PLACE or PLACE@RADIUS, e.g. 'B6 4@1.5km' (repeatable)."
        ),
    ] = None,
    avoid_zone: Annotated[
        Repeat,
        typer.Option(
            "--avoid-zone",
            help="Exclusion zone as a GeoJSON Polygon/MultiPolygon file (repeatable).",
        ),
    ] = None,
    include_closed: Annotated[
        bool,
        typer.Option("--include-closed", help="Show closed and temporarily closed assets too."),
    ] = False,
    show_excluded: Annotated[
        bool,
        typer.Option(
            "--show-excluded", help="List (on stderr) what the filters left out, and why."
        ),
    ] = False,
    sort: Annotated[
        str, typer.Option(help="score (goals met, distance, freshness) or distance.")
    ] = "score",
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="At most N results.")] = 10,
    fail_if_empty: Annotated[
        bool, typer.Option("--fail-if-empty", help="Exit 1 when nothing is found (for scripts).")
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """What is near this person that fits their goals: a ranked, explained list."""
    from assetmap import nearby

    fmt = _check_format(fmt)
    state = _state(ctx)
    found, outcome = nearby.run(
        place, catalogue=state.catalogue(), find_place=state.find_place, goals=goal or [],
        sort=sort, limit=limit, within=within, day=day, at=at, after=after, gender=gender,
        referral=referral or [], capital=capital or [], avoid=avoid or [],
        avoid_zones=avoid_zone or [], tags=tag or [], categories=category or [], free=free,
        age=age, women_only=women_only, accessible=accessible,
        welcomes_convictions=welcomes_convictions, no_dbs=no_dbs, no_children=no_children,
        strict_flags=strict_flags, include_closed=include_closed,
    )  # fmt: skip
    for w in found.warnings:
        state.messages.warn(w)
    for note in outcome.notes:
        state.messages.info(f"note: {note}")
    if show_excluded:
        for asset_id, name, reason in outcome.excluded:
            state.messages.info(f"left out: {name} ({asset_id}): {reason}")
    records = [r.to_json() for r in outcome.results]
    if not records:
        narrowed = bool(goal or tag or category)
        state.messages.info(nearby.empty_message(within, narrowed, found, outcome))
    elif fmt == "table":
        state.messages.info(
            f"Near {found.label} ({found.precision}, {found.area or 'area unknown'}), within "
            f"{within}: showing {len(records)} of {outcome.total}"
        )
    if records or fmt != "table":
        emit_records(records, fmt, columns=NEAR_CSV_COLUMNS, table_columns=NEAR_TABLE_COLUMNS)
    if fail_if_empty and not records:
        raise typer.Exit(1)


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
    fmt: FormatOpt = "table",
) -> None:
    """Full-text search over the whole catalogue."""
    from assetmap import nearby

    fmt = _check_format(fmt)
    state = _state(ctx)
    results = nearby.text_search(
        state.catalogue(), text, limit=limit, include_closed=include_closed
    )
    records = [r.to_json() for r in results]
    if not records:
        state.messages.info(f"nothing in the catalogue matches '{text}'")
    if records or fmt != "table":
        emit_records(
            records,
            fmt,
            columns=NEAR_CSV_COLUMNS,
            table_columns=["name", "category", "area", "why", "id"],
        )
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
    from assetmap import nearby

    fmt = _check_format(fmt)
    records = [g.to_json() for g in nearby.list_goals(ctx.obj.catalogue())]
    emit_records(records, fmt, columns=["goal", "tags", "categories", "synonyms"])


@goals_app.command("add")
def goals_add(
    ctx: typer.Context,
    name: str,
    tags: Annotated[str, typer.Option(help="Tags that serve this goal, ';'-separated.")] = "",
    categories: Annotated[str, typer.Option(help="Categories that serve it, ';'-separated.")] = "",
    synonyms: Annotated[str, typer.Option(help="Other ways of saying it, ';'-separated.")] = "",
) -> None:
    """Add a goal to the vocabulary."""
    from assetmap import nearby

    print(nearby.add_goal(_state(ctx).catalogue(), name, tags, categories, synonyms).name)


@goals_app.command("remove")
def goals_remove(ctx: typer.Context, name: str) -> None:
    """Remove a goal from the vocabulary."""
    from assetmap import nearby

    nearby.remove_goal(_state(ctx).catalogue(), name)
    _state(ctx).messages.info(f"removed goal '{name}'")


# -- freshness and quality -------------------------------------------------------------------
@app.command()
def stale(
    ctx: typer.Context,
    older_than: Annotated[str, typer.Option(help="Age limit: 30d, 6w, 12m, 1y.")] = "12m",
    fail_if_any: Annotated[
        bool, typer.Option("--fail-if-any", help="Exit 1 when any asset is stale (for cron mail).")
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Assets not verified within the limit (or never), oldest first, with contact details."""
    import datetime as dt

    from assetmap import quality

    fmt = _check_format(fmt)
    state = _state(ctx)
    rows = quality.stale(state.catalogue(), older_than, dt.date.today())
    columns = ["id", "name", "verified_on", "phone", "email", "website", "area", "status"]
    if rows or fmt != "table":
        emit_records(rows, fmt, columns=columns)
    state.messages.info(f"stale: {len(rows)} assets not verified within {older_than}")
    if fail_if_any and rows:
        raise typer.Exit(1)


@app.command()
def verify(
    ctx: typer.Context,
    asset_id: Annotated[str, typer.Argument(metavar="ID")],
    on: Annotated[
        str | None, typer.Option(help="Date confirmed (default today): 2026-11-23 or 23/11/2026.")
    ] = None,
) -> None:
    """Record that someone confirmed an asset's details (only verified_on changes)."""
    import datetime as dt

    from assetmap import quality

    state = _state(ctx)
    day = quality.verify(state.catalogue(), asset_id, on, dt.date.today())
    state.messages.info(f"{asset_id}: verified on {day}")


@app.command()
def check(
    ctx: typer.Context,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when any problem is found.")
    ] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Report data problems: no or coarse coordinates, likely duplicates, closed-sounding
    active assets, schedules that do not parse."""
    from assetmap import quality

    fmt = _check_format(fmt)
    state = _state(ctx)
    problems = quality.check(state.catalogue())
    if problems or fmt != "table":
        emit_records(problems, fmt, columns=["problem", "id", "name", "detail"])
    state.messages.info(f"check: {len(problems)} problems")
    if strict and problems:
        raise typer.Exit(1)


@app.command()
def stats(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """Counts by category, area, status and verification age."""
    import datetime as dt

    from assetmap import quality

    fmt = _check_format(fmt)
    figures = quality.stats(_state(ctx).catalogue(), dt.date.today())
    if fmt in ("json", "ndjson"):
        emit_object(figures, fmt)
        return
    records = [{"group": "all", "value": "assets", "count": figures["assets"]}]
    for group in ("by_category", "by_area", "by_status", "by_verification_age"):
        records += [{"group": group[3:], "value": k, "count": n} for k, n in figures[group].items()]
    records.append(
        {"group": "coordinates", "value": "missing", "count": figures["without_coordinates"]}
    )
    emit_records(records, fmt, columns=["group", "value", "count"])


@app.command()
def backup(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(help="Where to write the copy.")],
) -> None:
    """Write a consistent copy of the catalogue, safe while others are using it."""
    from pathlib import Path

    state = _state(ctx)
    cat = state.catalogue()
    cat.backup(Path(file))
    state.messages.info(f"backup: {cat.count()} assets copied to {file}")


# -- about ---------------------------------------------------------------------------------
@app.command()
def about() -> None:
    """Version, data sources, licences and attributions."""
    from assetmap.about import about_text

    print(about_text())


def main() -> None:
    app(prog_name="assetmap")
