"""The Datasette plugin: the Open Referral UK routes, over the snapshot `assetmap publish`
wrote, and `Access-Control-Allow-Origin: *` on every response (the UK profile's rule).

Registered as the `datasette` entry point `assetmap`, so `datasette DIR/catalogue.db -m
DIR/metadata.json` (and `datasette publish`) serve the same API as `assetmap serve DIR`. The
routes answer only for the database the metadata names (`plugins.assetmap.database`); in a
Datasette without one they are 404s and Datasette is otherwise untouched.

Datasette keeps its own pages: the catalogue is browsable, searchable and faceted at
/catalogue, with its JSON and CSV, for the partnership manager and analysts.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import re
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from datasette import hookimpl
from datasette.utils.asgi import Response

from assetmap.errors import AssetmapError

JSON = "application/json; charset=utf-8"
# One snapshot never changes, but the next publish replaces it: caches may keep an answer a
# few minutes.
CACHE = "public, max-age=300"
_STATE = "_assetmap_serve"


ALLOW = "GET, HEAD, OPTIONS"
# An answer this long is gzipped for a client that asks (a page of 500 whole services is
# about 7 MB of JSON, a tenth of that gzipped); a short one is not worth the work.
GZIP_MIN = 1400
GZIP_LEVEL = 1  # 7.2 MB -> 0.67 MB in 0.1 s (level 5: 0.58 MB, twice the time)


def _json(body: str | bytes, status: int = 200, headers: dict | None = None) -> Response:
    cache = {"Cache-Control": CACHE if status == 200 else "no-store"}
    return Response(body, status=status, content_type=JSON, headers={**cache, **(headers or {})})


def _error(status: int, message: str, headers: dict | None = None) -> Response:
    return _json(json.dumps({"error": message, "status": status}), status, headers)


class _Served:
    """The Api for this Datasette's snapshot, and the one thread it runs on (sqlite3
    connections and the gazetteer belong to one thread)."""

    def __init__(self, path):
        from assetmap.serve.api import Api

        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="assetmap-api")
        self.api = self.executor.submit(Api, path).result()

    async def call(self, method: str, *args):
        from assetmap.serve.api import ApiError

        def run():
            try:
                return getattr(self.api, method)(*args)
            except ApiError as exc:
                return exc.status, exc.body()
            except AssetmapError as exc:  # a value the library refused: the caller's to fix
                return 400, json.dumps({"error": str(exc), "status": 400})

        return await asyncio.get_running_loop().run_in_executor(self.executor, run)


def _served(datasette) -> _Served | None:
    served = getattr(datasette, _STATE, None)
    if served is None:
        config = datasette.plugin_config("assetmap") or {}
        name = config.get("database")
        if not name or name not in datasette.databases:
            return None
        served = _Served(datasette.get_database(name).path)
        setattr(datasette, _STATE, served)
    return served


def _pairs(request) -> list[tuple[str, str]]:
    return urllib.parse.parse_qsl(request.query_string, keep_blank_values=True)


def _route(method: str, *, with_query: bool = False, with_id: bool = False):
    async def view(datasette, request):
        if request.method == "OPTIONS":  # a browser's CORS preflight
            return Response("", status=204, headers={
                "Allow": ALLOW, "Access-Control-Allow-Methods": ALLOW,
                "Access-Control-Allow-Headers": "*", "Access-Control-Max-Age": "86400",
            })  # fmt: skip
        if request.method not in ("GET", "HEAD"):
            return _error(405, f"{request.method} is not allowed: this API is read-only (GET)", {"Allow": ALLOW})  # fmt: skip
        served = _served(datasette)
        if served is None:
            return _error(404, "no assetmap catalogue is served here")
        args = []
        if with_id:
            args.append(urllib.parse.unquote(request.url_vars["id"]))
        if with_query:
            args.append(_pairs(request))
        status, body = await served.call(method, *args)
        if len(body) >= GZIP_MIN and "gzip" in (request.headers.get("accept-encoding") or ""):
            data = await asyncio.to_thread(gzip.compress, body.encode("utf-8"), GZIP_LEVEL)
            return _json(data, status, {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
        return _json(body, status, {"Vary": "Accept-Encoding"})

    return view


@hookimpl
def register_routes(datasette):
    return [
        (r"^/$", _route("root")),
        (r"^/services$", _route("services", with_query=True)),
        (r"^/services/(?P<id>[^/]+)$", _route("service", with_id=True)),
        (r"^/service_at_locations$", _route("service_at_locations", with_query=True)),
        (r"^/service_at_locations/(?P<id>[^/]+)$", _route("service_at_location", with_id=True)),
        (r"^/taxonomies$", _route("taxonomies", with_query=True)),
        (r"^/taxonomies/(?P<id>[^/]+)$", _route("taxonomy", with_id=True)),
        (r"^/taxonomy_terms$", _route("taxonomy_terms", with_query=True)),
        (r"^/taxonomy_terms/(?P<id>[^/]+)$", _route("taxonomy_term", with_id=True)),
        (r"^/near$", _route("near", with_query=True)),
    ]


_API_PATH = re.compile(r"^/(services|service_at_locations|taxonomies|taxonomy_terms)(/[^/]+)?$|^/$")


@hookimpl
def skip_csrf(datasette, scope):
    """A POST (or PUT, DELETE) to the read-only API gets its 405, not a CSRF refusal."""
    return bool(_API_PATH.match(scope.get("path") or ""))


@hookimpl
def asgi_wrapper(datasette):
    """CORS on every response, Datasette's own pages and errors included."""

    def wrap(app):
        async def with_cors(scope, receive, send):
            if scope.get("type") != "http":
                return await app(scope, receive, send)

            async def send_with_cors(event):
                if event.get("type") == "http.response.start":
                    headers = [
                        (k, v)
                        for k, v in event.get("headers") or []
                        if k.lower() != b"access-control-allow-origin"
                    ]
                    headers.append((b"access-control-allow-origin", b"*"))
                    event = {**event, "headers": headers}
                await send(event)

            await app(scope, receive, send_with_cors)

        return with_cors

    return wrap
