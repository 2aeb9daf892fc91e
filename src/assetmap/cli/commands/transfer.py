"""Import and export: CSV as Excel writes it, JSON, GeoJSON and Open Referral UK."""

import io
import os
import sys
from typing import Annotated

import typer

from assetmap.cli.app import State, app, get_state
from assetmap.cli.output import StepProgress
from assetmap.errors import InvalidValue, counted


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            help="CSV file, - for standard input, an Open Referral UK folder (or its "
            "datapackage.json), or the http(s) URL of an Open Referral UK API."
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="The source these assets belong to (default: named after the file). "
            "Importing the same source again updates it; `assetmap sources` lists them.",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help="csv, or openreferral (a folder of Open Referral UK tables)."
        ),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="The file's encoding (detected: UTF-8, else Windows-1252).")
    ] = None,
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            metavar="DEFAULT",
            help="The category of rows without one, and of Open Referral services none of whose "
            "taxonomy terms names a category (`assetmap categories terms` lists the terms).",
        ),
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
    timeout: Annotated[
        float, typer.Option(min=0.1, help="An Open Referral URL: seconds to wait for each answer.")
    ] = 20.0,
    retries: Annotated[
        int, typer.Option(min=0, help="An Open Referral URL: tries again after a failure.")
    ] = 3,
    rate: Annotated[
        float,
        typer.Option(min=0.1, help="An Open Referral URL: at most this many requests a second."),
    ] = 5.0,
    allow_unplaced: Annotated[
        bool,
        typer.Option(
            "--allow-unplaced",
            help="Import a row whose postcode cannot be placed, without coordinates (with a "
            "warning). Without it, such a row is invalid: skipped with --skip-invalid (exit 3), "
            "else the import is refused.",
        ),
    ] = False,
    overwrite_local: Annotated[
        bool,
        typer.Option(
            "--overwrite-local",
            help="Let the file win over fields changed locally (by edit, verify or another "
            "source) since this source set them. verified_on still never moves back.",
        ),
    ] = False,
) -> None:
    """Import assets from a CSV file (as Excel writes it) or an Open Referral UK folder;
    all-or-nothing by default."""
    from assetmap.catalogue.locating import locator
    from assetmap.transfer import importer

    if fmt is not None and fmt.lower() not in ("csv", "openreferral"):
        raise typer.BadParameter(f"'{fmt}' is not one of csv, openreferral", param_hint="--format")
    from assetmap.transfer import openreferral_api

    state = get_state(ctx)
    default = state.catalogue().category_named(category) if category is not None else ""
    if openreferral_api.is_url(file):
        # A URL is the opt-in to the network: an Open Referral UK API, read in full first.
        into = _source(
            source, file, openreferral_api.public_url(file), overwrite_local,
            default=openreferral_api.source_name(file),
        )  # fmt: skip
        into.allow_unplaced = allow_unplaced
        into.kind = "feed"
        from assetmap.transfer.http import Client

        client = Client(
            file, timeout=timeout, retries=retries, min_interval=1 / rate,
            progress=None if state.quiet else lambda text: state.messages.info(f"feed: {text}"),
        )  # fmt: skip
        cat = state.catalogue()
        state.gazetteer()
        report = importer.import_feed(
            cat, client, source=into, skip_invalid=skip_invalid, rejects_path=rejects,
            dry_run=dry_run, locate=locator(), default_category=default,
        )  # fmt: skip
        state.messages.info(f"feed: {client.requests} requests to {into.origin}")
        _import_summary(state, report, dry_run, rejects)
        return
    package = fmt.lower() == "openreferral" if fmt else _is_package(file)
    origin = os.path.abspath(file) if file != "-" else "standard input"
    into = _source(source, file, origin, overwrite_local)
    into.allow_unplaced = allow_unplaced
    cat = state.catalogue()
    state.gazetteer()
    locate = locator()
    if package:
        report = importer.import_package(
            cat, file, source=into, skip_invalid=skip_invalid, rejects_path=rejects,
            dry_run=dry_run, locate=locate, default_category=default,
        )  # fmt: skip
        _import_summary(state, report, dry_run, rejects)
        return
    with _open_input(file) as stream:
        progress = _byte_progress(stream, state)
        try:
            report = importer.import_csv(
                cat, stream, source=into, encoding=encoding, ignore_extra=ignore_extra,
                skip_invalid=skip_invalid, rejects_path=rejects, dry_run=dry_run,
                locate=locate, progress=progress, default_category=default,
            )  # fmt: skip
        finally:
            progress(None)
    _import_summary(state, report, dry_run, rejects)


def _source(
    name: str | None, file: str, origin: str, overwrite_local: bool = False, default: str = ""
):
    from assetmap.catalogue import sources
    from assetmap.transfer.importer import Source

    if name is not None:
        return Source(
            sources.check_name(name), forced=True, origin=origin, overwrite_local=overwrite_local
        )
    default = default or ("stdin" if file == "-" else sources.name_for_path(file))
    return Source(default, origin=origin, overwrite_local=overwrite_local)


def _is_package(file: str) -> bool:
    """An Open Referral folder, its datapackage.json, or services as JSON."""
    return os.path.isdir(file) or file.lower().endswith(".json")


def _import_summary(state: State, report, dry_run: bool, rejects: str | None) -> None:
    from assetmap.errors import PartialImport

    for w in report.warnings:
        state.messages.warn(w)
    for kept in report.kept[:200]:
        state.messages.info(str(kept))
    if len(report.kept) > 200:
        state.messages.info(f"... and {len(report.kept) - 200} more local changes kept")
    if report.skipped:
        from assetmap.errors import one_line  # a cell's line break cannot split the line

        # The rows left out are the import's errors: said under --quiet too (cron mails them).
        for p in report.problems[:200]:
            state.messages.info(f"skipped {one_line(str(p))}", even_if_quiet=True)
    done = " (dry run: nothing written)" if dry_run else ""
    state.messages.info(f"import: {report.summary()} (source {report.source}){done}")
    if report.skipped:
        one = report.skipped == 1
        where = (
            f"; {'it is' if one else 'they are'} in {rejects}" if rejects and not dry_run else ""
        )
        were = "was" if one else "were"
        raise PartialImport(f"{counted(report.skipped, 'invalid row')} {were} skipped{where}")


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
            "--format",
            "-f",
            help="csv, json, ndjson, geojson, openreferral (a folder of Open Referral UK "
            "tables) or openreferral-json (the services as the Open Referral UK API serves "
            "them).",
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
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="For a list shared outside the team: leave out the staff-only fields (contact, "
            "partnership status, contact dates, staff notes).",
        ),
    ] = False,
) -> None:
    """Export assets (all of them unless filtered). CSV round-trips through import."""
    from assetmap.transfer import exporter

    fmt = fmt.lower()
    formats = (*exporter.FORMATS, "openreferral", exporter.OPENREFERRAL_JSON)
    if fmt not in formats:
        raise typer.BadParameter(
            f"'{fmt}' is not one of {', '.join(formats)}",
            param_hint="--format",
        )
    state = get_state(ctx)
    cat = state.catalogue()
    filters = cat.checked_filters(category=category, tag=tag, area=area, status=status)
    if fmt == "openreferral":
        from assetmap.transfer.openreferral import export_package

        if not file:
            raise InvalidValue(
                "--format openreferral writes a folder of tables: give its path, "
                "e.g. assetmap export --format openreferral oruk/"
            )
        n = export_package(cat, file, public=public, warn=state.messages.warn, **filters)
        state.messages.info(f"export: {counted(n, 'service')} written to {file}/datapackage.json")
        return
    encoding = "utf-8-sig" if excel else "utf-8"
    if file is None:
        out = io.TextIOWrapper(
            sys.stdout.buffer, encoding=encoding, newline="", write_through=False
        )
        try:
            # Under --quiet nothing to export prints nothing, not a bare header, as every
            # listing does (cron mails what a job prints); a file asked for is still written.
            n = exporter.write(
                cat, out, fmt, public=public, header_if_empty=not state.quiet, **filters
            )
            out.flush()
        finally:
            out.detach()
    else:
        n = exporter.write_file(cat, file, fmt, encoding=encoding, public=public, **filters)
    state.messages.info(
        f"export: {counted(n, 'asset')}{' (public: staff-only fields left out)' if public else ''}"
    )
