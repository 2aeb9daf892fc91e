"""The Open Referral UK (HSDS 3.0) API's answers, from a published snapshot.

Plain functions over the snapshot's SQLite file, with no web framework: `plugin` routes
Datasette's requests here. Each answer is (HTTP status, JSON text). A bad query parameter is a
400 whose JSON names the parameter and the fix; an unknown id is a 404; neither is ever a 500.

The services were turned into HSDS JSON at publish time (snapshot.py, by the one mapping in
transfer.hsds), so a page is a read of stored JSON, not a mapping per request.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from assetmap.errors import AssetmapError, InvalidValue
from assetmap.serve.snapshot import decompress

PER_PAGE = 50
MAX_PER_PAGE = 1000
MAX_PROXIMITY_M = 200_000
# ORUK's `/`: the standard this API follows, and where its OpenAPI document is. The ORUK
# validator reads `version` and `openapi_url` from here to choose what to check.
ROOT = {
    "version": "HSDS-UK-3.0",
    "profile": "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md",
    "openapi_url": "https://raw.githubusercontent.com/OpenReferralUK/uk-profile/main/schema/openapi.json",
}
DAYS = {"mo": 0, "tu": 1, "we": 2, "th": 3, "fr": 4, "sa": 5, "su": 6}
_WORD = re.compile(r"\w+", re.UNICODE)
# HH:MM, or RFC 3339's full-time (HH:MM:SS, a fraction, a zone: read as local time).
_TIME = re.compile(
    r"^([01]?\d|2[0-4]):([0-5]\d)(?::([0-5]\d)(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)?$", re.I
)


class ApiError(AssetmapError):
    """An answer other than 200: its HTTP status and a one-line message."""

    status = 400

    def body(self) -> str:
        return json.dumps({"error": str(self), "status": self.status})


class BadParameter(ApiError):
    status = 400


class Missing(ApiError):
    status = 404


class Params:
    """A request's query parameters (pairs, as sent). Each reader checks its parameter and
    raises BadParameter naming it."""

    def __init__(self, pairs: Iterable[tuple[str, str]]):
        self.values: dict[str, list[str]] = {}
        for key, value in pairs:
            self.values.setdefault(key, []).append(value)

    def text(self, name: str) -> str | None:
        values = self.values.get(name)
        if not values:
            return None
        if len(values) > 1:
            raise BadParameter(f"{name}: given {len(values)} times; give it once")
        if "\x00" in values[0]:
            raise BadParameter(f"{name}: contains a NUL character")
        return values[0]

    def all(self, name: str) -> list[str]:
        values = self.values.get(name) or []
        if any("\x00" in v for v in values):
            raise BadParameter(f"{name}: contains a NUL character")
        return values

    def integer(self, name: str, default: int, lo: int, hi: int) -> int:
        raw = self.text(name)
        if raw is None:
            return default
        try:
            value = int(raw.strip())
        except ValueError:
            raise BadParameter(f"{name}: '{raw}' is not a whole number; e.g. {name}={default}") from None  # fmt: skip
        if not lo <= value <= hi:
            raise BadParameter(f"{name}: {value} is out of range; give {lo} to {hi:,}")
        return value

    def number(self, name: str) -> float | None:
        raw = self.text(name)
        if raw is None:
            return None
        try:
            value = float(raw.strip())
        except ValueError:
            raise BadParameter(f"{name}: '{raw}' is not a number; e.g. {name}=18") from None
        if not math.isfinite(value):
            raise BadParameter(f"{name}: '{raw}' is not a finite number; e.g. {name}=18")
        return value

    def time(self, name: str) -> int | None:
        raw = self.text(name)
        if raw is None:
            return None
        m = _TIME.match(raw.strip())
        if not m or (m.group(1) == "24" and m.group(2) != "00"):
            raise BadParameter(f"{name}: '{raw}' is not a time; write HH:MM, e.g. {name}=18:30")
        return int(m.group(1)) * 60 + int(m.group(2))


class Page:
    """The ORUK page header fields, and LIMIT/OFFSET for the page asked for."""

    def __init__(self, params: Params):
        self.number = params.integer("page", 1, 1, 10_000_000)
        self.per_page = params.integer("per_page", PER_PAGE, 1, MAX_PER_PAGE)
        self.offset = (self.number - 1) * self.per_page

    def json(self, total: int, items: list[str]) -> str:
        pages = math.ceil(total / self.per_page)
        header = {
            "total_items": total,
            "total_pages": pages,
            "page_number": self.number,
            "size": len(items),
            "first_page": self.number == 1,
            "last_page": self.number >= pages,
            "empty": total == 0,
        }
        return json.dumps(header)[:-1] + ',"contents":[' + ",".join(items) + "]}"


def connect(path: Path) -> sqlite3.Connection:
    """The snapshot, read as it is: immutable (no locks, nothing written beside it)."""
    conn = sqlite3.connect(
        f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    return conn


class Api:
    """The answers. One instance per snapshot; use it from one thread (sqlite3 and the
    gazetteer are per thread): the plugin runs every call on one worker thread."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.conn = connect(self.path)
        self._catalogue = None
        row = self.conn.execute("SELECT zdict FROM hsds_dictionary WHERE id = 1").fetchone()
        self.zdict = bytes(row[0]) if row else b""

    def full(self, blob) -> str:
        """A service's whole JSON, as publish stored it (compressed)."""
        return decompress(blob, self.zdict)

    def catalogue(self):
        """The snapshot as a Catalogue, for the near search (opened on first use)."""
        if self._catalogue is None:
            from assetmap.catalogue.opening import open_catalogue

            self._catalogue = open_catalogue(self.path, read_only=True)
        return self._catalogue

    def near(self, pairs) -> tuple[int, str]:
        return near(self, pairs)

    def warm(self) -> tuple[int, str]:
        """Open the gazetteer (building its index the first time) before the first request."""
        from assetmap.places.gazetteer import open_gazetteer

        open_gazetteer()
        return 200, "{}"

    # -- /
    def root(self) -> tuple[int, str]:
        return 200, json.dumps(ROOT)

    # -- /services and /service_at_locations
    def services(self, pairs) -> tuple[int, str]:
        """A page of services: each as the list endpoint's one-to-one fields, or with
        `full=true` (the UK profile's parameter) whole, as /services/{id} gives it, so a
        pull reads a catalogue in a few pages rather than a request per service."""
        params = Params(pairs)
        if _flag(params, "full"):
            return 200, self._listing(params, "s.full", "s.id", decode=self.full)
        return 200, self._listing(params, "s.summary", "s.id")

    def service_at_locations(self, pairs) -> tuple[int, str]:
        # The item is stored without its service, whose summary is beside it: joined here.
        column = """substr(l.json, 1, length(l.json) - 1) || ',"service":' || s.summary || '}'"""
        return 200, self._listing(Params(pairs), column, "l.id", join_locations=True)

    def _listing(self, params: Params, column: str, key: str, *, join_locations=False,
                 decode=None) -> str:  # fmt: skip
        page = Page(params)
        text = decode or (lambda item: item)
        where, args = self._filters(params)
        place, proximity_km = self._place(params)
        joins = "hsds_services s JOIN assets a ON a.pk = s.asset_pk"
        if join_locations:
            joins += " JOIN hsds_service_at_locations l ON l.service_id = s.id"
        sql_where = f" WHERE {' AND '.join(where)}" if where else ""
        if place is None:
            total = self.conn.execute(f"SELECT count(*) FROM {joins}{sql_where}", args).fetchone()[0]  # fmt: skip
            rows = self.conn.execute(
                f"SELECT {column} FROM {joins}{sql_where} ORDER BY s.name COLLATE NOCASE, {key} "
                "LIMIT ? OFFSET ?",
                [*args, page.per_page, page.offset],
            ).fetchall()
            return page.json(total, [text(r[0]) for r in rows])
        from assetmap.places.distance import bbox, distance_km

        lat, lon = place.lat, place.lon
        if proximity_km is not None:
            south, north, west, east = bbox(lat, lon, proximity_km)
            where.append(
                "a.pk IN (SELECT pk FROM assets_rtree WHERE min_lat <= ? AND max_lat >= ? "
                "AND min_lon <= ? AND max_lon >= ?)"
            )
            args += [north, south, east, west]
        sql_where = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self.conn.execute(
            f"SELECT {column}, a.lat, a.lon, {key} FROM {joins}{sql_where}", args
        ).fetchall()
        found = []
        for item, alat, alon, ident in rows:
            d = distance_km(lat, lon, alat, alon) if alat is not None else math.inf
            if proximity_km is None or d <= proximity_km:
                found.append((d, ident, item))
        found.sort(key=lambda f: (f[0], f[1]))
        chosen = found[page.offset : page.offset + page.per_page]
        return page.json(len(found), [text(f[2]) for f in chosen])

    def _filters(self, params: Params) -> tuple[list[str], list]:
        where: list[str] = []
        args: list = []
        for name in ("text", "search"):
            text = params.text(name)
            if text and text.strip():
                words = _WORD.findall(text.lower())
                if not words:
                    where.append("0")  # no word to search for: nothing matches
                else:
                    where.append("a.pk IN (SELECT rowid FROM assets_fts WHERE assets_fts MATCH ?)")
                    args.append(" ".join(f'"{w}"' for w in words))
        for name, column, table in (("taxonomy_id", "taxonomy", "hsds_taxonomies"),
                                    ("taxonomy_term_id", "term", "hsds_taxonomy_terms")):  # fmt: skip
            value = params.text(name)
            if value:
                where.append(
                    f"a.pk IN (SELECT asset_pk FROM hsds_service_terms WHERE {column} = "
                    f"(SELECT pk FROM {table} WHERE id = ?))"
                )
                args.append(value)
        lo, hi = params.number("minimum_age"), params.number("maximum_age")
        if lo is not None:
            where.append("a.min_age >= ?")
            args.append(lo)
        if hi is not None:
            where.append("a.max_age <= ?")
            args.append(hi)
        day = params.text("day")
        start, end = params.time("start_time"), params.time("end_time")
        if day or start is not None or end is not None:
            session = []
            if day:
                number = DAYS.get(day.strip().lower()[:2])
                if number is None or not day.strip().isalpha():
                    return ["0"], []  # not a day (MO..SU, Monday...): no service meets then
                session.append("day = ?")
                args.append(number)
            if start is not None:
                session.append("start >= ?")
                args.append(start)
            if end is not None:
                session.append('"end" <= ?')
                args.append(end)
            where.append(f"a.pk IN (SELECT asset_pk FROM sessions WHERE {' AND '.join(session)})")
        return where, args

    def _place(self, params: Params):
        postcode = params.text("postcode")
        proximity = params.text("proximity")
        if proximity not in (None, "") and not (postcode or "").strip():
            raise BadParameter("proximity: give a postcode too, e.g. postcode=ST4 7QB&proximity=5000")  # fmt: skip
        if not (postcode or "").strip():
            return None, None
        km = None
        if proximity not in (None, ""):
            try:
                metres = float(proximity.strip().removesuffix("m"))
            except ValueError:
                metres = math.nan
            if not 0 < metres <= MAX_PROXIMITY_M:
                raise BadParameter(
                    f"proximity: '{proximity}' is not a distance in metres from 1 to "
                    f"{MAX_PROXIMITY_M:,}; e.g. proximity=5000"
                )
            km = metres / 1000
        return self._resolve(postcode or "", "postcode"), km

    def _resolve(self, text: str, name: str):
        from assetmap.places.gazetteer import open_gazetteer
        from assetmap.places.resolve import resolve

        try:
            return resolve(text, open_gazetteer())
        except InvalidValue as exc:
            raise BadParameter(f"{name}: {exc}") from None
        except AssetmapError as exc:  # PlaceError and the like
            raise BadParameter(f"{name}: {exc}") from None

    def service(self, service_id: str) -> tuple[int, str]:
        row = self.conn.execute("SELECT full FROM hsds_services WHERE id = ?", (service_id,)).fetchone()  # fmt: skip
        if row is None:
            raise Missing(f"no service with id '{service_id}'; /services lists them")
        return 200, self.full(row[0])

    def service_at_location(self, sal_id: str) -> tuple[int, str]:
        row = self.conn.execute(
            "SELECT s.full FROM hsds_service_at_locations l JOIN hsds_services s "
            "ON s.id = l.service_id WHERE l.id = ?",
            (sal_id,),
        ).fetchone()
        if row is None:
            raise Missing(f"no service_at_location with id '{sal_id}'; /service_at_locations lists them")  # fmt: skip
        return 200, self.full(row[0])

    # -- /taxonomies and /taxonomy_terms
    def taxonomies(self, pairs) -> tuple[int, str]:
        return 200, self._table(Params(pairs), "hsds_taxonomies")

    def taxonomy_terms(self, pairs) -> tuple[int, str]:
        params = Params(pairs)
        taxonomy_id = params.text("taxonomy_id")
        if taxonomy_id:
            return 200, self._table(params, "hsds_taxonomy_terms", "taxonomy_id = ?", [taxonomy_id])  # fmt: skip
        return 200, self._table(params, "hsds_taxonomy_terms")

    def _table(self, params: Params, table: str, where: str = "", args=()) -> str:
        page = Page(params)
        clause = f" WHERE {where}" if where else ""
        total = self.conn.execute(f"SELECT count(*) FROM {table}{clause}", list(args)).fetchone()[0]  # fmt: skip
        rows = self.conn.execute(
            f"SELECT json FROM {table}{clause} ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?",
            [*args, page.per_page, page.offset],
        ).fetchall()
        return page.json(total, [r[0] for r in rows])

    def taxonomy(self, taxonomy_id: str) -> tuple[int, str]:
        row = self.conn.execute("SELECT json FROM hsds_taxonomies WHERE id = ?", (taxonomy_id,)).fetchone()  # fmt: skip
        if row is None:
            raise Missing(f"no taxonomy with id '{taxonomy_id}'; /taxonomies lists them")
        taxonomy = json.loads(row[0])
        terms = self.conn.execute(
            "SELECT json FROM hsds_taxonomy_terms WHERE taxonomy_id = ? ORDER BY name, id",
            (taxonomy_id,),
        ).fetchall()
        taxonomy["taxonomy_terms"] = [json.loads(t[0]) for t in terms]
        return 200, json.dumps(taxonomy, ensure_ascii=False)

    def taxonomy_term(self, term_id: str) -> tuple[int, str]:
        row = self.conn.execute("SELECT json FROM hsds_taxonomy_terms WHERE id = ?", (term_id,)).fetchone()  # fmt: skip
        if row is None:
            raise Missing(f"no taxonomy term with id '{term_id}'; /taxonomy_terms lists them")
        return 200, row[0]


# -- /near: the CLI's near, over HTTP -------------------------------------------------------
NEAR_LISTS = ("goal", "tag", "category", "referral", "capital", "avoid")
_NEAR_FIELD = {"goal": "goals", "tag": "tags", "category": "categories"}  # NearRequest's names
NEAR_TEXTS = ("within", "day", "at", "after", "before", "gender", "sort")
NEAR_FLAGS = (
    "free", "daytime", "evening", "strict_times", "women_only", "accessible",
    "welcomes_convictions", "no_dbs", "no_children", "strict_flags", "include_closed",
)  # fmt: skip
NEAR_PARAMS = ("place", *NEAR_LISTS, *NEAR_TEXTS, *NEAR_FLAGS, "age", "limit")
MAX_NEAR_LIMIT = 100
_TRUE, _FALSE = ("", "1", "true", "yes", "on"), ("0", "false", "no", "off")
_OPTION = re.compile(r"--([a-z][a-z-]*)")


def _flag(params: Params, name: str) -> bool:
    raw = params.text(name)
    if raw is None:
        return False
    if raw.strip().lower() in _TRUE:
        return True
    if raw.strip().lower() in _FALSE:
        return False
    raise BadParameter(f"{name}: '{raw}' is not true or false; e.g. {name}=true")


def near_request(pairs):
    """A NearRequest from /near's query: the `assetmap near` options, named without their
    dashes (goal, within, tag, no_dbs, ...; repeat goal, tag, category, referral, capital and
    avoid for more). Not here: --avoid-zone (a file on the server), --partners-only and
    --with-outcomes (staff and casework data, never served)."""
    from assetmap.search.request import NearRequest

    params = Params((k.replace("-", "_"), v) for k, v in pairs)
    unknown = sorted(set(params.values) - set(NEAR_PARAMS))
    if unknown:
        raise BadParameter(
            f"{unknown[0]}: not a parameter of /near; use place, goal, within, tag, category, "
            "day, at, after, before, age, gender, ... (the options of `assetmap near`)"
        )
    place = params.text("place")
    if not (place or "").strip():
        raise BadParameter("place: give a place, e.g. place=ST4 7QB (a postcode, town or lat,lon)")
    texts = {name: params.text(name) for name in NEAR_TEXTS}
    age = params.text("age")
    return NearRequest(
        place,
        **{_NEAR_FIELD.get(n, n): params.all(n) for n in NEAR_LISTS},
        within=texts["within"] or "5km",
        sort=texts["sort"] or "score",
        **{n: texts[n] for n in ("day", "at", "after", "before", "gender")},
        **{n: _flag(params, n) for n in NEAR_FLAGS},
        age=None if age in (None, "") else params.integer("age", 0, 0, 120),
        limit=params.integer("limit", 10, 1, MAX_NEAR_LIMIT),
    )


def near(api: Api, pairs) -> tuple[int, str]:
    """The same results as `assetmap near ... --format json` on this snapshot, without the
    staff-only fields (empty in a snapshot anyway)."""
    from assetmap.search.request import run

    request = near_request(pairs)
    try:
        _, outcome = run(request, catalogue=api.catalogue(), find_place=lambda text: api._resolve(text, "place"))  # fmt: skip
    except BadParameter:
        raise
    except AssetmapError as exc:
        # The CLI's messages name its options (--within); here they are parameters (within).
        raise BadParameter(_OPTION.sub(lambda m: m.group(1).replace("-", "_"), str(exc))) from None
    records = [result.to_json(include_staff=False) for result in outcome.results]
    return 200, json.dumps(records, ensure_ascii=False)
