"""`assetmap publish DIR`: an immutable, public snapshot of the catalogue, to serve.

DIR gets `catalogue.db` (the catalogue as it was at one moment, with every staff-only field
emptied, and the Open Referral services precomputed from the ONE mapping,
transfer.hsds.asset_to_service), `metadata.json` (Datasette's metadata: title, sources,
licences, the plugin's settings) and `publish.json` (what was published, when, by which
assetmap, and the catalogue file's SHA-256). Nothing in DIR is ever changed afterwards, so any
number of servers can read copies of it behind a load balancer; the next publish is a new DIR.

The snapshot is written in a temp folder beside DIR and renamed into place, so a server never
sees half a snapshot, and a failed publish leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import zlib
from collections.abc import Callable
from pathlib import Path

from assetmap import __version__
from assetmap.catalogue.vocab import STAFF_ONLY
from assetmap.errors import InvalidValue

DB_NAME = "catalogue"
DB_FILE = f"{DB_NAME}.db"
METADATA_FILE = "metadata.json"
MANIFEST_FILE = "publish.json"
# Tables a browsing user of Datasette need not see (they are indexes or internal; the API
# serves the hsds_ ones, compressed here).
HIDDEN_TABLES = ("geocode_cache", "sessions", "goals", "published", "hsds_services",
                 "hsds_service_terms", "hsds_dictionary")  # fmt: skip

# Who else besides the asset's own source last set a field: internal bookkeeping, not public.
_INTERNAL = ("local_edits",)

# The snapshot's layout. 2: each service's JSON compressed (zlib, with a dictionary of the
# parts all services share), terms linked by integer keys. serve refuses any other.
FORMAT = 2
SERVICE_TABLES = """
CREATE TABLE hsds_services (
    id TEXT PRIMARY KEY, asset_pk INTEGER NOT NULL, asset_id TEXT NOT NULL, name TEXT NOT NULL,
    status TEXT NOT NULL, summary TEXT NOT NULL, full BLOB NOT NULL
);
CREATE INDEX hsds_services_asset ON hsds_services(asset_pk);
CREATE INDEX hsds_services_name ON hsds_services(name COLLATE NOCASE, id);
CREATE TABLE hsds_service_terms (
    term INTEGER NOT NULL, taxonomy INTEGER NOT NULL, asset_pk INTEGER NOT NULL,
    PRIMARY KEY (term, asset_pk)
) WITHOUT ROWID;
CREATE INDEX hsds_service_terms_taxonomy ON hsds_service_terms(taxonomy, asset_pk);
CREATE TABLE hsds_service_at_locations (
    id TEXT PRIMARY KEY, service_id TEXT NOT NULL, asset_pk INTEGER NOT NULL, json TEXT NOT NULL
);
CREATE INDEX hsds_sal_service ON hsds_service_at_locations(service_id);
CREATE TABLE hsds_taxonomy_terms (
    pk INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, taxonomy_id TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL, json TEXT NOT NULL
);
CREATE TABLE hsds_taxonomies (
    pk INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, json TEXT NOT NULL
);
CREATE TABLE hsds_dictionary (id INTEGER PRIMARY KEY, zdict BLOB NOT NULL);
CREATE TABLE published (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# Services whose JSON makes the compression dictionary (zlib keeps the last 32 KB of it).
DICTIONARY_SAMPLES = 8
ZDICT_BYTES = 32 * 1024


class Published:
    """What a publish wrote."""

    def __init__(self, folder: Path, manifest: dict):
        self.folder = folder
        self.manifest = manifest


def publish(
    cat,
    target: Path,
    *,
    title: str | None = None,
    force: bool = False,
    to_service: Callable[[object], dict] | None = None,
    now: dt.datetime | None = None,
) -> Published:
    """Write the snapshot of `cat` (an open Catalogue) to the folder `target`."""
    target = Path(target)
    _check_target(target, force)
    if to_service is None:
        from assetmap.transfer.hsds import asset_to_service as to_service
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    parent = target.resolve().parent
    work = parent / f".assetmap-publish-{os.getpid()}-{target.name}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(mode=0o755)
    try:
        db_path = work / DB_FILE
        # A consistent copy of the catalogue at one moment, even while a curator writes.
        cat.conn.execute("VACUUM INTO ?", (str(db_path),))
        counts = _make_public(db_path, to_service, now=now)
        sources = _sources(db_path)
        digest = _sha256(db_path)
        manifest = {
            "published_at": now.isoformat().replace("+00:00", "Z"),
            "assetmap_version": __version__,
            "file": DB_FILE,
            "format": FORMAT,
            "sha256": digest,
            "bytes": db_path.stat().st_size,
            **counts,
            "sources": [s["name"] for s in sources],
            "staff_fields": "emptied: " + ", ".join(STAFF_ONLY),
        }
        (work / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        metadata = datasette_metadata(title or "assetmap catalogue", sources, manifest)
        (work / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
        os.chmod(db_path, 0o444)  # a snapshot is never written again
        _move_into_place(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Published(target, manifest)


def _check_target(target: Path, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise InvalidValue(f"{target} is a file; give publish a folder to write the snapshot in")
    if not target.resolve().parent.is_dir():
        raise InvalidValue(f"the folder {target.resolve().parent} does not exist; create it first")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise InvalidValue(
            f"{target} is not empty: a published snapshot is never changed; publish to a new "
            "folder (e.g. one named by the date), or add --force to replace it"
        )


def _move_into_place(work: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.resolve().parent / f".assetmap-unpublish-{os.getpid()}-{target.name}"
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
    os.replace(work, target)
    if old is not None:
        # A server still reading the old file keeps it open; its name goes now.
        with contextlib.suppress(OSError):
            shutil.rmtree(old)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _make_public(db_path: Path, to_service, *, now: dt.datetime) -> dict:
    """Empty the staff-only fields, precompute the services, and compact the file so that no
    emptied value survives in a free page."""
    from assetmap.catalogue.store import asset_from_db

    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("BEGIN IMMEDIATE")
        blank = ", ".join(f"{c} = ''" for c in (*STAFF_ONLY, *_INTERNAL))
        conn.execute(f"UPDATE assets SET {blank}")
        conn.execute("DELETE FROM geocode_cache")  # what people searched for is not published
        for statement in SERVICE_TABLES.split(";"):
            if statement.strip():
                conn.execute(statement)
        services = terms = locations = 0
        taxonomies: dict[str, dict] = {}
        all_terms: dict[str, dict] = {}
        term_pks: dict[str, int] = {}  # a term's id -> its pk (in order of first use)
        taxonomy_pks: dict[str, int] = {}
        rows = conn.execute("SELECT * FROM assets ORDER BY pk").fetchall()
        step = max(1, len(rows) // DICTIONARY_SAMPLES)
        zdict = dictionary([to_service(asset_from_db(r)) for r in rows[::step][:DICTIONARY_SAMPLES]])  # fmt: skip
        conn.execute("INSERT INTO hsds_dictionary VALUES (1, ?)", (zdict,))
        for row in rows:
            asset = asset_from_db(row)
            service = to_service(asset)
            _refuse_staff_values(service, asset)
            sid = str(service["id"])
            conn.execute(
                "INSERT INTO hsds_services VALUES (?, ?, ?, ?, ?, ?, ?)",
                (sid, row["pk"], asset.id, service.get("name") or asset.name,
                 str(service.get("status") or ""), _dumps(summary(service)),
                 compress(_dumps(service), zdict)),
            )  # fmt: skip
            services += 1
            seen = set()
            for term in _taxonomy_terms(service):
                tid = str(term["id"])
                taxonomy_id = str(term.get("taxonomy_id") or "")
                all_terms.setdefault(tid, _plain_term(term))
                detail = term.get("taxonomy_detail")
                if taxonomy_id and taxonomy_id not in taxonomies:
                    taxonomies[taxonomy_id] = _taxonomy(taxonomy_id, term, detail)
                    taxonomy_pks[taxonomy_id] = len(taxonomy_pks) + 1
                if tid not in seen:
                    seen.add(tid)
                    conn.execute(
                        "INSERT INTO hsds_service_terms VALUES (?, ?, ?)",
                        (term_pks.setdefault(tid, len(term_pks) + 1),
                         taxonomy_pks.get(taxonomy_id, 0), row["pk"]),
                    )  # fmt: skip
                    terms += 1
            for sal in service.get("service_at_locations") or []:
                # Served with "service" (the service's summary) added last: api.py joins it.
                item = {**summary(sal), "service_id": sal.get("service_id") or sid}
                conn.execute(
                    "INSERT OR IGNORE INTO hsds_service_at_locations VALUES (?, ?, ?, ?)",
                    (str(sal["id"]), sid, row["pk"], _dumps(item)),
                )
                locations += 1
        for tid, term in all_terms.items():
            conn.execute(
                "INSERT INTO hsds_taxonomy_terms VALUES (?, ?, ?, ?, ?)",
                (term_pks[tid], tid, str(term.get("taxonomy_id") or ""), str(term.get("name") or ""), _dumps(term)),
            )  # fmt: skip
        for taxonomy_id, taxonomy in taxonomies.items():
            conn.execute(
                "INSERT INTO hsds_taxonomies VALUES (?, ?, ?, ?)",
                (taxonomy_pks[taxonomy_id], taxonomy_id, str(taxonomy.get("name") or ""), _dumps(taxonomy)),
            )  # fmt: skip
        counts = {
            "assets": conn.execute("SELECT count(*) FROM assets").fetchone()[0],
            "services": services,
            "service_at_locations": locations,
            "taxonomies": len(taxonomies),
            "taxonomy_terms": len(all_terms),
        }
        published = {"published_at": now.isoformat(), "assetmap_version": __version__, **counts}
        conn.executemany(
            "INSERT INTO published VALUES (?, ?)", [(k, str(v)) for k, v in published.items()]
        )
        conn.execute("COMMIT")
        # One file, no -wal beside it: a reader opens it immutable, anywhere.
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("VACUUM")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    return counts


def _refuse_staff_values(service: dict, asset) -> None:
    """The snapshot's assets hold no staff values; a mapping that still put one in a service
    (a bug) must stop the publish, not be served."""
    text = json.dumps(service)
    for field in STAFF_ONLY:
        if f'"{field}"' in text:
            raise AssertionError(f"the Open Referral service of {asset.id} names {field}")


def dictionary(services: list[dict]) -> bytes:
    """A zlib dictionary of what the services share (the taxonomy terms nested in every
    attribute, the keys): a few services' JSON, spread through the catalogue (at most the 32 KB
    zlib can use)."""
    return "".join(_dumps(s) for s in services).encode("utf-8")[-ZDICT_BYTES:]


def compress(text: str, zdict: bytes) -> bytes:
    packer = zlib.compressobj(9, zdict=zdict) if zdict else zlib.compressobj(9)
    return packer.compress(text.encode("utf-8")) + packer.flush()


def decompress(blob: bytes, zdict: bytes) -> str:
    unpacker = zlib.decompressobj(zdict=zdict) if zdict else zlib.decompressobj()
    return (unpacker.decompress(blob) + unpacker.flush()).decode("utf-8")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def summary(record: dict) -> dict:
    """A record with its one-to-one fields only (HSDS list endpoints): no arrays, and any
    nested object (organization, location) likewise without its arrays."""
    out = {}
    for key, value in record.items():
        if isinstance(value, list):
            continue
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if not isinstance(v, list | dict)}
        out[key] = value
    return out


def _taxonomy_terms(node):
    """Every taxonomy term a service names (in its attributes, its locations' and
    organisation's), as HSDS nests them under `taxonomy_term`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "taxonomy_term" and isinstance(value, dict) and value.get("id"):
                yield value
            else:
                yield from _taxonomy_terms(value)
    elif isinstance(node, list):
        for item in node:
            yield from _taxonomy_terms(item)


def _plain_term(term: dict) -> dict:
    return {k: v for k, v in term.items() if k != "taxonomy_detail"}


def _taxonomy(taxonomy_id: str, term: dict, detail) -> dict:
    if isinstance(detail, dict) and detail.get("id"):
        return {k: v for k, v in detail.items() if not isinstance(v, list)}
    name = str(term.get("taxonomy") or taxonomy_id)
    return {"id": taxonomy_id, "name": name, "description": name}


def _sources(db_path: Path) -> list[dict]:
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            "SELECT s.name, s.title, s.licence, s.attribution, s.origin, count(a.pk) AS assets "
            "FROM sources s LEFT JOIN assets a ON a.source = s.name GROUP BY s.name "
            "HAVING assets > 0 ORDER BY assets DESC, s.name"
        ).fetchall()
        return [dict(r) for r in rows]
    finally:
        conn.close()


def datasette_metadata(title: str, sources: list[dict], manifest: dict) -> dict:
    """Datasette's metadata.json for the snapshot: what it is, where its data came from and
    under which licences, and which tables are internal."""
    lines = [
        f"{manifest['assets']:,} community assets, published {manifest['published_at']} by "
        f"assetmap {manifest['assetmap_version']}. Open Referral UK API: /services, "
        "/services/{id}, /taxonomies, /taxonomy_terms; nearby search: /near.",
        "Sources: "
        + "; ".join(
            f"{s['title'] or s['name']} ({s['assets']:,}"
            + (f", {s['licence']}" if s["licence"] else "")
            + (f", {s['attribution']}" if s["attribution"] else "")
            + ")"
            for s in sources
        ),
    ]
    licences = sorted({s["licence"] for s in sources if s["licence"]})
    return {
        "title": title,
        "description": "\n\n".join(lines),
        "license": "; ".join(licences) if licences else "see each source",
        "databases": {
            DB_NAME: {
                "tables": {name: {"hidden": True} for name in HIDDEN_TABLES},
            }
        },
        "plugins": {"assetmap": {"database": DB_NAME}},
    }


def read_manifest(folder: Path) -> dict:
    """The manifest of a published snapshot, checked: the folder must be one publish wrote."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InvalidValue(
            f"{folder} is not a folder; give serve a folder `assetmap publish` wrote"
        )
    try:
        manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidValue(
            f"{folder} has no {MANIFEST_FILE}: it is not a published snapshot; make one with "
            f"`assetmap publish {folder}`"
        ) from None
    except ValueError:
        raise InvalidValue(f"{folder / MANIFEST_FILE} is not valid JSON; publish again") from None
    db = folder / DB_FILE
    if not db.is_file():
        raise InvalidValue(f"{folder} has no {DB_FILE}; publish again")
    if manifest.get("format") != FORMAT:
        raise InvalidValue(
            f"{folder} was published by an older assetmap (its layout is not the one this serve "
            "reads); publish it again with this assetmap"
        )
    if manifest.get("sha256") and _sha256(db) != manifest["sha256"]:
        raise InvalidValue(
            f"{db} is not the file that was published (its SHA-256 differs from "
            f"{MANIFEST_FILE}'s): copied in part, or changed since; copy the folder again"
        )
    return manifest
