"""The Typer app: global options, the state commands share, errors mapped to one line and an
exit code at the edge, and `main`, which loads only the command it is about to run.

The commands live in `assetmap.cli.commands.*`; `assetmap.cli.full_app` is the app with all of them. Commands
parse options, call the library and print; they hold no SQL and no ranking.
"""

import sqlite3
import sys
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

from assetmap import __version__, config
from assetmap.cli.output import FORMATS, Messages, StepProgress
from assetmap.errors import AssetmapError, CatalogueError, counted

if TYPE_CHECKING:
    from assetmap.catalogue.store import Catalogue

EXIT_CODES_HELP = (
    "Exit codes: 0 success (an empty result too), 1 error, 2 usage error, "
    "3 import finished but skipped invalid rows, 130 interrupted (Ctrl-C), "
    "141 output pipe closed (| head)."
)


class AssetmapGroup(TyperGroup):
    """Maps library errors to a one-line message and an exit code, once, at the edge."""

    def parse_args(self, ctx, args):
        if ctx.parent is None:
            args = hoist_global_options(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except AssetmapError as exc:
            Messages().error(str(exc), exc.details)
            raise typer.Exit(exc.exit_code) from None
        except sqlite3.Error as exc:
            from assetmap.catalogue.sqlite_errors import explain_sqlite_error

            Messages().error(str(explain_sqlite_error(_catalogue_path(ctx), exc)))
            raise typer.Exit(1) from None
        except BrokenPipeError:
            # `assetmap export | head`: the reader left. Say nothing; exit as SIGPIPE would.
            _silence_stdout()
            raise typer.Exit(141) from None
        except IsADirectoryError as exc:
            # A file written whole then moved onto the name given: the name is a folder.
            Messages().error(f"{exc.filename2 or exc.filename} is a directory; name a file in it")
            raise typer.Exit(1) from None
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
    # Help is printed on stdout and usage errors on stderr: boxes only when both are one, so
    # `assetmap near --help | less` or `> help.txt` typed in a terminal is plain too.
    rich_markup_mode="rich" if sys.stderr.isatty() and sys.stdout.isatty() else None,
)


class State:
    """What the global options chose, and the catalogue once a command has opened it."""

    # A plain class: a dataclass costs about 1 ms to create, at every start-up.
    def __init__(
        self, *, db: str | None = None, quiet: bool = False, read_only: bool = False,
        geocoder: str = "offline", create: bool = False,
    ) -> None:  # fmt: skip
        self.db = db
        # A catalogue named by --db / $ASSETMAP_DB is made only when asked (init, --create).
        self.create = create
        self.quiet = quiet
        self.read_only = read_only
        self.geocoder = geocoder
        self.messages = Messages(quiet)
        self._catalogue: Catalogue | None = None

    def gazetteer(self):
        """Open the offline gazetteer, building its index first if this is the first use."""
        from assetmap.places.gazetteer import index_path, open_gazetteer

        if not index_path().exists():
            self.messages.info(
                "assetmap: building the offline gazetteer index (once; a few seconds)"
            )
        return open_gazetteer(StepProgress("gazetteer index", quiet=self.quiet))

    def find_place(self, text: str):
        from assetmap.places.geocoders import find_place

        self.gazetteer()
        return find_place(
            text, geocoder=self.geocoder, catalogue_opener=self.catalogue, warn=self.messages.warn
        )

    def catalogue(self, *, seed: bool = True, examples: bool = True):
        """Open the catalogue once per command, creating it on first use."""
        if self._catalogue is None:
            from assetmap.catalogue.opening import open_catalogue

            path, named = config.resolve_db_path(self.db)
            if named and not self.create and not self.read_only and not path.exists():
                raise CatalogueError(_no_catalogue(path, self.db))
            cat = open_catalogue(
                path, named=named, seed=seed, examples=examples, read_only=self.read_only
            )
            if cat.notice:
                self.messages.info(f"assetmap: {cat.notice}")
            if cat.created:
                self.messages.info(f"assetmap: created a new catalogue at {path}{_seeded(cat)}")
            self._catalogue = cat
        return self._catalogue


def _no_catalogue(path, db: str | None) -> str:
    """A named catalogue that is not there: a misspelt ASSETMAP_DB in a cron line used to make
    a new, empty-of-your-data catalogue silently and report nothing due."""
    import os

    named_by = "ASSETMAP_DB" if os.environ.get("ASSETMAP_DB") == db else "--db"
    return (
        f"there is no catalogue at {path} ({named_by}); check the path, or make one there "
        f"with `assetmap --db {path} init` (or pass --create)"
    )


def _seeded(cat) -> str:
    """What a new catalogue was loaded with, said once (cron mails it to someone)."""
    if not cat.seeded:
        return " (empty)"
    parts = ", ".join(f"{name} {n}" for name, n in cat.seeded_by.items())
    text = f" with {counted(cat.seeded, 'asset')} from the bundled sources ({parts})"
    if cat.seeded_by.get("examples"):
        text += (
            "; the examples are invented, marked [example]: "
            "`assetmap sources remove examples` takes them out"
        )
    return text


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
    create: Annotated[
        bool,
        typer.Option(
            "--create",
            help="Make the catalogue named by --db or ASSETMAP_DB if it is not there (without "
            "this, or `init`, a missing one is an error).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Find community assets near a person that fit their goals."""
    ctx.obj = State(db=db, quiet=quiet, read_only=read_only, geocoder=geocoder, create=create)


def get_state(ctx: typer.Context) -> State:
    return ctx.obj


def check_format(fmt: str, formats: tuple[str, ...] = FORMATS) -> str:
    fmt = fmt.lower()
    if fmt not in formats:
        raise typer.BadParameter(
            f"'{fmt}' is not one of {', '.join(formats)}", param_hint="--format"
        )
    return fmt


# Which module registers each command. `main` imports only the one about to run: building
# every command's options on each start-up cost more than running a search.
COMMAND_MODULES = {
    "init": "setup", "db": "setup", "categories": "setup",
    "add": "records", "show": "records", "edit": "records", "remove": "records",
    "list": "records",
    "locate": "places", "geocode": "places",
    "import": "transfer", "export": "transfer",
    "near": "near", "search": "searching", "goals": "searching",
    "stale": "upkeep", "verify": "upkeep", "check": "upkeep", "stats": "upkeep",
    "backup": "upkeep", "about": "upkeep", "sources": "sources",
    "partners": "partners", "intro": "casework", "casework": "casework",
    "plan": "plan", "publish": "serving", "serve": "serving",
}  # fmt: skip
# Global options that take a value: the word after them is not the command.
GLOBAL_OPTIONS_WITH_VALUE = ("--db", "--geocoder")


GLOBAL_FLAGS = ("--quiet", "-q", "--read-only", "--create")


def hoist_global_options(args: list[str]) -> list[str]:
    """Move global options written after the command (`assetmap near ST4 -q`, `assetmap list
    --db x.db`) in front of it, where the app reads them. A `--` ends the scan; a command's own
    option values are never taken, since no command has an option of the same name."""
    command_at = _command_index(args)
    if command_at is None:
        return args
    moved, rest = [], []
    tail = iter(args[command_at + 1 :])
    for arg in tail:
        if arg == "--":
            rest += [arg, *tail]
            break
        if arg in GLOBAL_FLAGS or arg.split("=", 1)[0] in GLOBAL_OPTIONS_WITH_VALUE:
            moved.append(arg)
            if arg in GLOBAL_OPTIONS_WITH_VALUE:
                value = next(tail, None)
                if value is not None:
                    moved.append(value)
        else:
            rest.append(arg)
    return [*args[:command_at], *moved, args[command_at], *rest]


def load_commands(name: str | None = None) -> None:
    """Register the command `name` (with the others from its module), or all of them when
    `name` is None or not a command, so that help and "No such command" see every one."""
    import importlib

    modules = [COMMAND_MODULES[name]] if name in COMMAND_MODULES else COMMAND_MODULES.values()
    for module in dict.fromkeys(modules):
        importlib.import_module(f"assetmap.cli.commands.{module}")
    if app.rich_markup_mode == "rich":
        _summaries(app)


def _summaries(typer_app: typer.Typer) -> None:
    """Give each command a one-paragraph summary for the rich help's listings, which keep the
    docstring's source line breaks and so broke a summary mid-line on a terminal. (Plain help,
    for pipes, cuts each summary to one line itself.)"""
    import inspect

    for info in typer_app.registered_commands:
        if info.short_help is None and info.callback is not None:
            first = (inspect.getdoc(info.callback) or "").split("\n\n", 1)[0]
            info.short_help = " ".join(first.split()) or None
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _summaries(group.typer_instance)


def invoked_command(args: list[str]) -> str | None:
    """The command word in `args` (the first word that is not a global option or its value);
    None when there is none, or when --help comes first (the app's help lists every command)."""
    at = _command_index(args)
    return None if at is None else args[at]


def _command_index(args: list[str]) -> int | None:
    takes_value = False
    for i, arg in enumerate(args):
        if takes_value:
            takes_value = False
        elif arg == "--help":
            return None
        elif arg in GLOBAL_OPTIONS_WITH_VALUE:
            takes_value = True
        elif not arg.startswith("-"):
            return i
    return None


def main() -> None:
    load_commands(invoked_command(sys.argv[1:]))
    try:
        app(prog_name="assetmap")
    finally:
        _flush_stdout()


def _flush_stdout() -> None:
    """Flush what a command left in stdout's buffer here, not at interpreter exit, where a
    reader that has left (`near --format json | head -c 600`) printed "Exception ignored ...
    BrokenPipeError" and exit 120."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        raise SystemExit(141) from None
