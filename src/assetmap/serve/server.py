"""Run Datasette, with the assetmap plugin, on a published snapshot (uvicorn, as Datasette
itself does). Imported only by `assetmap serve`: nothing else pays for Datasette."""

from __future__ import annotations

import json
import signal
import socket
from collections.abc import Callable
from pathlib import Path

from assetmap.errors import AssetmapError, InvalidValue
from assetmap.serve.snapshot import DB_FILE, METADATA_FILE, read_manifest

MISSING = (
    "assetmap serve needs Datasette, the optional extra: pip install 'assetmap[serve]' "
    "(publish works without it)"
)


def require_datasette() -> None:
    try:
        import datasette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise AssetmapError(MISSING) from None


def build(folder: Path):
    """The Datasette app for a published snapshot, with the plugin registered."""
    require_datasette()
    from datasette.app import Datasette
    from datasette.plugins import pm

    from assetmap.serve import plugin

    read_manifest(folder)
    if not pm.is_registered(plugin):
        pm.register(plugin, name="assetmap")
    metadata = json.loads((Path(folder) / METADATA_FILE).read_text(encoding="utf-8"))
    return Datasette(
        immutables=[str(Path(folder) / DB_FILE)],
        metadata=metadata,
        settings={"sql_time_limit_ms": 1000, "max_returned_rows": 1000},
    )


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        fix = "check --host" if isinstance(exc, socket.gaierror) else "choose another --port (0 picks a free one)"  # fmt: skip
        raise InvalidValue(f"could not listen on {host}:{port} ({exc.strerror}); {fix}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def run(folder: Path, *, host: str, port: int, announce: Callable[[str], None]) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM). `announce` is told the address once the
    server is ready to answer."""
    import asyncio

    import uvicorn

    from assetmap.serve.plugin import _served

    ds = build(folder)
    sock = bind(host, port)
    bound = sock.getsockname()[1]
    # No access log: a request's query is a person's postcode or goals, never logged.
    config = uvicorn.Config(
        ds.app(), log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=5
    )
    server = uvicorn.Server(config)

    async def main():
        await ds.invoke_startup()
        served = _served(ds)
        if served is not None:
            await served.call("warm")
        shown = f"[{host}]" if ":" in host else host
        announce(f"http://{shown}:{bound}/")
        await server.serve(sockets=[sock])

    # uvicorn stops gracefully on SIGTERM, then raises the signal again under the handler it
    # found: let that be a clean exit, so the `finally` blocks run (a temporary snapshot is
    # removed) and a service manager sees a stop it asked for (exit 0).
    previous = signal.signal(signal.SIGTERM, _stopped)
    try:
        asyncio.run(main())
    finally:
        sock.close()
        signal.signal(signal.SIGTERM, previous)


def _stopped(signum, frame):
    raise SystemExit(0)
