"""Sharing the catalogue: `publish` (an immutable public snapshot) and `serve` (that snapshot
as an Open Referral UK API, on Datasette: the optional extra `assetmap[serve]`)."""

from pathlib import Path
from typing import Annotated

import typer

from assetmap.cli.app import app, get_state

SERVE_EXAMPLES = """\b
Examples:
  assetmap publish /srv/assetmap/2026-12-06
  assetmap serve /srv/assetmap/2026-12-06 --host 0.0.0.0 --port 8001
  assetmap serve                      # a snapshot of the catalogue taken now, on 127.0.0.1:8001
"""


@app.command(epilog=SERVE_EXAMPLES)
def publish(
    ctx: typer.Context,
    folder: Annotated[
        Path, typer.Argument(help="A new (or empty) folder to write the snapshot in.")
    ],
    title: Annotated[
        str | None, typer.Option(help="The title Datasette shows (default: assetmap catalogue).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the snapshot already in FOLDER.")
    ] = False,
) -> None:
    """Write an immutable, public snapshot of the catalogue to FOLDER, for `assetmap serve`.

    FOLDER gets catalogue.db (every staff-only field emptied, the Open Referral services
    precomputed), metadata.json (for Datasette) and publish.json (when, by which assetmap,
    the file's SHA-256). Copy FOLDER to each server; publish the next one to a new folder."""
    from assetmap.serve.snapshot import publish as write

    state = get_state(ctx)
    done = write(state.catalogue(), folder, title=title, force=force)
    m = done.manifest
    state.messages.info(
        f"publish: {m['services']:,} services ({m['assets']:,} assets, "
        f"{m['taxonomy_terms']:,} taxonomy terms) written to {done.folder}; staff-only fields "
        "left out; serve it with `assetmap serve "
        f"{done.folder}`"
    )


@app.command(epilog=SERVE_EXAMPLES)
def serve(
    ctx: typer.Context,
    folder: Annotated[
        Path | None,
        typer.Argument(
            help="A folder `assetmap publish` wrote (default: a snapshot of the catalogue "
            "taken now).",
            show_default=False,
        ),
    ] = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port to listen on (0 picks a free one).")
    ] = 8001,
) -> None:
    """Serve a published snapshot as an Open Referral UK (HSDS 3.0) API, read-only.

    Routes: / , /services (page, per_page, text, taxonomy_id, taxonomy_term_id, postcode,
    proximity in metres), /services/{id}, /taxonomies, /taxonomy_terms, /service_at_locations,
    and /near (the same answer as `assetmap near`). Datasette's own pages browse the catalogue
    at /catalogue. Needs the optional extra: pip install 'assetmap[serve]'."""
    import shutil
    import tempfile

    from assetmap.serve import server

    server.require_datasette()  # before any work: say what to install, in one line
    state = get_state(ctx)
    temporary = None
    try:
        if folder is None:
            from assetmap.serve.snapshot import publish as write

            temporary = Path(tempfile.mkdtemp(prefix="assetmap-serve-"))
            folder = temporary / "snapshot"
            write(state.catalogue(), folder)
            state.messages.info(
                "serve: serving a snapshot of the catalogue taken now; for several servers, "
                "`assetmap publish FOLDER` and serve FOLDER on each"
            )
        server.run(
            folder,
            host=host,
            port=port,
            announce=lambda url: state.messages.info(
                f"serve: Open Referral UK API at {url} (browse the catalogue at "
                f"{url}catalogue); Ctrl-C stops it",
                even_if_quiet=True,
            ),
        )
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
