"""`assetmap sources pull`: fill the catalogue from open data online, for an area, on request.

Each puller (osm, givefood, openactive, oruk) reads its API in full first (http.Client: polite,
spaced, timed out, retried), then everything is written in one transaction, as an import of
the puller's source: local edits and verified_on are kept, and a feature the source no longer
lists within the pulled area is marked closed, not deleted. A pull that fails part-way writes
nothing. Each pull is recorded (table `pulls`) with its query, so `sources update` can run it
again from cron, and its source carries its licence, attribution and retrieval date.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assetmap.errors import FeedError, InvalidRecord, InvalidValue
from assetmap.transfer.http import safe_url

if TYPE_CHECKING:
    from assetmap.transfer.importer import ImportReport

PULLERS = ("osm", "givefood", "openactive", "oruk")
# Seconds between two requests to a source, in place of the source's own spacing (1 s for
# Overpass and Give Food, 0.2 s for feeds): for a server of your own, such as your own Overpass.
INTERVAL_ENV = "ASSETMAP_PULL_INTERVAL"
MAX_RADIUS_KM = 50.0
MIN_AREA_KM = 5.0  # --area a postcode: the streets around it, not 200 m
AREA_MARGIN = 1.5  # --area a town: its estimated extent leaves out its edges
REQUIRED = {"name", "category", "lat", "lon", "postcode"}
# A pulled feature with the name of another source's record this near is that record: a
# postcode's point (the bundled lists) and a building's centre (OpenStreetMap) can be this far apart.
SAME_PLACE_KM = 0.5


def module(name: str):
    import importlib

    key = name.strip().lower()
    if key not in PULLERS:
        import difflib

        near = difflib.get_close_matches(key, PULLERS, n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        raise InvalidValue(f"'{name}' is not a source that can be pulled{hint}; use one of {', '.join(PULLERS)}")  # fmt: skip
    return importlib.import_module(f"assetmap.transfer.pull.{key}")


class Area:
    """A circle a pull reads: the place's label, its centre and radius."""

    __slots__ = ("label", "lat", "lon", "radius_km")

    def __init__(self, label: str, lat: float, lon: float, radius_km: float):
        if radius_km > MAX_RADIUS_KM:
            raise InvalidValue(
                f"{radius_km:g} km is more than one pull should ask for (at most {MAX_RADIUS_KM:g} km); "
                "pull a smaller area, or several"
            )
        self.label, self.lat, self.lon, self.radius_km = label, lat, lon, radius_km

    @property
    def key(self) -> str:
        return f"{self.lat:.5f},{self.lon:.5f}@{self.radius_km:g}km"

    def describe(self) -> str:
        return f"{self.label} within {self.radius_km:g} km"

    def contains(self, lat: float | None, lon: float | None) -> bool:
        from assetmap.places.distance import distance_km

        if lat is None or lon is None:
            return False
        return distance_km(self.lat, self.lon, lat, lon) <= self.radius_km + 1e-9


def area_from(place, radius_km: float | None) -> Area:
    """--around PLACE@RADIUS gives the radius; --area PLACE uses the place's own extent (at
    least MIN_AREA_KM)."""
    if radius_km is None:
        radius_km = min(max((place.radius_km or 0.0) * AREA_MARGIN, MIN_AREA_KM), MAX_RADIUS_KM)
    return Area(place.label, round(place.lat, 6), round(place.lon, 6), round(radius_km, 1))


@dataclass
class PullReport:
    source: str
    puller: str
    query: str = ""
    requests: int = 0
    closed: list[str] = field(default_factory=list)
    reopened: int = 0
    repaired: list[str] = field(default_factory=list)  # fields left out of a feature: invalid
    # Features another source's record already holds: "Name (label, held as ID)".
    held: list[str] = field(default_factory=list)
    import_report: ImportReport | None = None

    def changed(self) -> bool:
        r = self.import_report
        assert r is not None, "the pull's import has not run"
        return bool(r.added or r.updated or self.closed)

    def summary(self) -> str:
        r = self.import_report
        assert r is not None, "the pull's import has not run"
        text = f"{r.added} added, {r.updated} updated, {r.unchanged} unchanged, {len(self.closed)} closed (gone from the source)"  # fmt: skip
        if r.skipped:
            text += f", {r.skipped} left out (invalid)"
        if r.kept:
            text += f"; kept {len(r.kept)} local changes"
        if r.categories_added:
            from assetmap.transfer.importer import added_categories

            text += f"; {added_categories(r.categories_added)}"
        return text


def source_name(puller: str, url: str | None) -> str:
    if puller == "oruk":
        from assetmap.transfer.openreferral_api import source_name as host

        if not url:
            raise InvalidValue("oruk needs the Open Referral UK API's URL: assetmap sources pull oruk https://api.example.org/oruk")  # fmt: skip
        return host(url)
    if puller == "openactive" and url:
        from assetmap.transfer.openreferral_api import source_name as host

        return f"openactive-{host(url)}"  # each publisher's feed is its own source
    return puller


def interval(default: float) -> float:
    """The spacing between requests: ASSETMAP_PULL_INTERVAL where it is set, else the source's."""
    text = os.environ.get(INTERVAL_ENV, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise InvalidValue(f"{INTERVAL_ENV}: '{text}' is not a setting it takes; give seconds between requests, e.g. 1.0")  # fmt: skip
    return value


def pull(cat, puller: str, *, area: Area | None = None, url: str | None = None,
         timeout: float = 60.0, retries: int = 3, overwrite_local: bool = False,
         locate=None, gazetteer=None, progress=None, backoff: float = 1.0) -> PullReport:  # fmt: skip
    """Read one source online, then write it in one transaction. Raises FeedError (nothing
    written) when the source cannot be read in full."""
    from assetmap.catalogue import sources
    from assetmap.transfer import importer
    from assetmap.transfer.http import Client
    from assetmap.transfer.openreferral_api import public_url

    mod = module(puller)
    url = url or os.environ.get(mod.ENV) or mod.URL
    if not url:
        raise InvalidValue(f"{puller} needs a URL: assetmap sources pull {puller} URL")
    if mod.NEEDS_AREA and area is None:
        raise InvalidValue(f"{puller} needs an area: add --area PLACE or --around PLACE@RADIUS (e.g. --around 'LS1 4DY@5km')")  # fmt: skip
    name = source_name(mod.NAME, url)
    client = Client(
        timeout=timeout, retries=retries, min_interval=interval(mod.MIN_INTERVAL),
        backoff=backoff, progress=progress,
    )  # fmt: skip
    categories = cat.categories()
    # A directory's own taxonomy terms give categories through the catalogue's term table
    # (`categories map`), as `import URL` reads them.
    extra = {"terms": _term_table(cat), "scope": name} if mod.NAME == "oruk" else {}
    records = mod.read(client, url=url, area=area, categories=categories, progress=progress, **extra)  # fmt: skip
    # Another assetmap's own categories (a curator's `categories add`), added by the import.
    new_categories = getattr(records, "new_categories", ())
    report = PullReport(name, mod.NAME, query=_query(mod, url, area), requests=client.requests)
    known = {**categories, **{c.lower(): c for c in new_categories}}
    records = [_repaired(rec, known, report) for rec in records]
    if mod.NAME != "oruk":
        # Open data lists what a bundled list may hold already. A directory (a council's, the
        # team's own served catalogue) is records a team subscribes to, by id: kept whole.
        records = _not_held(cat, records, name, report)
    origin = public_url(url)
    into = importer.Source(name, forced=True, kind="pull", origin=origin, overwrite_local=overwrite_local)  # fmt: skip
    imported = importer.ImportReport(source=name, overwrite_local=overwrite_local)
    today = dt.date.today().isoformat()
    stored = "" if url == mod.URL or url == os.environ.get(mod.ENV) and mod.URL else safe_url(url)

    def finish(cat, imp) -> None:
        report.closed = _close_gone(cat, name, imp.seen, area)
        sources.record(cat.conn, name, kind="pull", origin=origin, title=mod.TITLE,
                       licence=mod.LICENCE, attribution=mod.ATTRIBUTION)  # fmt: skip
        cat.conn.execute(
            "UPDATE sources SET licence = CASE WHEN licence = '' THEN ? ELSE licence END, "
            "attribution = CASE WHEN attribution = '' THEN ? ELSE attribution END, "
            "title = CASE WHEN title = '' THEN ? ELSE title END, retrieved = ? WHERE name = ?",
            (mod.LICENCE, mod.ATTRIBUTION, mod.TITLE, today, name),
        )
        cat.conn.execute(
            "INSERT INTO pulls(source, key, puller, url, area, lat, lon, radius_km, query, "
            "pulled_at, features) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(source, key) DO UPDATE SET url = excluded.url, query = excluded.query, "
            "pulled_at = excluded.pulled_at, features = excluded.features, area = excluded.area",
            (name, f"{area.key if area else ''}|{stored}", mod.NAME, stored,
             area.label if area else "", area.lat if area else None, area.lon if area else None,
             area.radius_km if area else None, report.query,
             dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), len(imp.seen)),
        )  # fmt: skip

    report.import_report = importer.run_import(
        cat, records, imported, source=into, rejects=importer.Rejects(None, [], None),
        skip_invalid=True, locate=_placer(locate, gazetteer), finish=finish,
        new_categories=new_categories,
    )  # fmt: skip
    return report


def _term_table(cat) -> dict[str, str]:
    from assetmap.catalogue import terms

    return terms.mapping(cat.conn)


def _query(mod, url: str, area: Area | None) -> str:
    where = area.describe() if area else "everywhere it covers"
    return f"{mod.NAME}: {where} ({safe_url(url)})"


def _repaired(record, categories, report: PullReport):
    """A feature whose optional cell is invalid (an OpenStreetMap phone written two ways, a
    website that is not one) keeps the rest: that cell is left out, and the pull says so."""
    from assetmap.catalogue.models import Asset

    label, raw, fields, problems = record
    if fields is None or problems:
        return record
    try:
        Asset.from_row(fields, categories=categories)
    except InvalidRecord as exc:
        bad = {p.column for p in exc.problems}
        if bad & REQUIRED:
            return record  # reported and left out by the import
        fields = {**fields, **dict.fromkeys(bad, "")}
        report.repaired += [f"{label}: {p.column} {p.message}" for p in exc.problems]
    return label, raw, fields, problems


def _name_key(name: str) -> str:
    """A name as two sources may each write it: 'St. Mary's & St Boniface' and 'Saint Marys
    and St Boniface' are one."""
    from assetmap.catalogue.models import slug

    # An apostrophe joins its word ('Mary's' is 'Marys'), as the slug would otherwise split it.
    words = slug(re.sub("['\\u2019]", "", name).replace("&", " and ")).split("-")
    return " ".join("st" if w == "saint" else w for w in words if w and w != "the")


def _not_held(cat, records: list, source: str, report: PullReport) -> list:
    """The records no other source's open record already holds (same name, within
    SAME_PLACE_KM): a practitioner must not see one church twice, once from the bundled list
    and once from OpenStreetMap. The record held stays; the pull says which it left out. Only
    a feature new to the catalogue is left out: one this source pulled before is updated as
    usual, never closed as gone because another source came to hold the same place."""
    from assetmap.places.distance import distance_km

    named: dict[str, list] = {}
    mine: set[str] = set()
    for r in cat.conn.execute(
        "SELECT id, name, lat, lon, source, status, match_key FROM assets WHERE lat IS NOT NULL"
    ):
        if r["source"] == source:
            mine.update((r["id"], r["match_key"]))
        elif r["status"] != "closed":
            named.setdefault(_name_key(r["name"]), []).append(r)
    kept = []
    for record in records:
        label, _raw, fields, problems = record
        held = None
        if fields is not None and not problems and not _pulled_before(fields, mine):
            try:
                lat, lon = float(fields.get("lat") or "nan"), float(fields.get("lon") or "nan")
            except (TypeError, ValueError):
                lat = lon = float("nan")
            for r in named.get(_name_key(str(fields.get("name") or "")), ()):
                if lat == lat and distance_km(lat, lon, r["lat"], r["lon"]) <= SAME_PLACE_KM:
                    held = r
                    break
        if held is None:
            kept.append(record)
        else:
            report.held.append(f"{fields['name']} ({label}, held as {held['id']})")
    return kept


def _pulled_before(fields: dict, mine: set[str]) -> bool:
    """Whether this source's record of the feature is in the catalogue already: by the id the
    puller gives it, else by name and postcode, as an import matches a row without an id."""
    from assetmap.catalogue.models import match_key

    if fields.get("id"):
        return str(fields["id"]) in mine
    return match_key(str(fields.get("name") or ""), str(fields.get("postcode") or "")) in mine


def _placer(locate, gazetteer):
    """Fill a pulled feature's council from the gazetteer: from its postcode, else from the
    nearest postcode sector to its point (so `sources --by-council` and --area work)."""

    def place(asset) -> list[str]:
        warnings = locate(asset) if locate else []
        if not asset.area and asset.lat is not None and gazetteer is not None:
            from assetmap.places.resolve import _council_name

            sector = gazetteer.nearest_sector(asset.lat, asset.lon)
            if sector is not None:
                asset.area = _council_name(gazetteer, sector["council"])
        return warnings

    return place


def _close_gone(cat, source: str, seen: set, area: Area | None) -> list[str]:
    """Mark closed what this source listed before, within the pulled area, and lists no more.
    Closed, not deleted: a practitioner's notes and the team's contacts stay with it."""
    rows = cat.conn.execute(
        "SELECT id, lat, lon FROM assets WHERE source = ? AND status != 'closed'", (source,)
    ).fetchall()
    gone = [r["id"] for r in rows if r["id"] not in seen and (area is None or area.contains(r["lat"], r["lon"]))]  # fmt: skip
    now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    for asset_id in gone:
        cat.conn.execute(
            "UPDATE assets SET status = 'closed', updated_at = ? WHERE id = ?", (now, asset_id)
        )
    return gone


def recorded(cat) -> list[dict]:
    """Every recorded pull, to run again: (source, puller, url, area...)."""
    try:
        rows = cat.conn.execute("SELECT * FROM pulls ORDER BY source, key").fetchall()
    except Exception:  # noqa: BLE001 (a catalogue from before pulls: nothing to update)
        return []
    return [dict(r) for r in rows]


def area_of(row: dict) -> Area | None:
    if row.get("lat") is None:
        return None
    return Area(row["area"], row["lat"], row["lon"], row["radius_km"])


def check_url(url: str) -> str:
    from assetmap.transfer.openreferral_api import is_url

    if not is_url(url):
        raise InvalidValue(f"'{url}' is not an http(s) URL; give the API's address, e.g. https://api.example.org/oruk")  # fmt: skip
    return url


__all__ = ["PULLERS", "Area", "FeedError", "PullReport", "pull", "recorded", "area_from"]
