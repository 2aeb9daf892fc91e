"""Schema migrations, applied every time the catalogue is opened (see catalogue.open_catalogue).

sqlite-utils is imported only when a migration is pending: the hot path checks
PRAGMA user_version first (SCHEMA_VERSION below), which costs nothing.
Add a migration by appending a function; never edit one that has shipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assetmap.catalogue.vocab import (
    DEFAULT_CATEGORIES,
    DEFAULT_CATEGORY_TERMS,
    DEFAULT_GOALS,
    NEED_KINDS,
    SHIPPED_BEFORE,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "assetmap"

_ASSET_COLUMNS_SQL = """
    pk INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    area TEXT NOT NULL DEFAULT '',
    lat REAL,
    lon REAL,
    geo_precision TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    schedule TEXT NOT NULL DEFAULT '',
    cost TEXT NOT NULL DEFAULT '',
    min_age INTEGER,
    max_age INTEGER,
    gender TEXT NOT NULL DEFAULT 'any',
    accessibility TEXT NOT NULL DEFAULT '',
    referral TEXT NOT NULL DEFAULT '',
    welcomes_convictions TEXT NOT NULL DEFAULT 'unknown',
    dbs_required TEXT NOT NULL DEFAULT 'unknown',
    involves_children TEXT NOT NULL DEFAULT 'unknown',
    capital TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    verified_on TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    match_key TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
"""


def _build():
    from sqlite_utils import Migrations

    migrations = Migrations(MIGRATION_SET)

    @migrations()
    def m001_assets(db: Database) -> None:
        db.execute(f"CREATE TABLE assets ({_ASSET_COLUMNS_SQL})")
        db.execute("CREATE INDEX assets_match_key ON assets(match_key)")
        db.execute("CREATE INDEX assets_category ON assets(category)")
        # Parsed `schedule`, one row per weekly session, for --day / --at filters.
        db.execute(
            "CREATE TABLE sessions (asset_pk INTEGER NOT NULL REFERENCES assets(pk) "
            'ON DELETE CASCADE, day INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL)'
        )
        db.execute("CREATE INDEX sessions_asset ON sessions(asset_pk)")
        db.execute("CREATE TABLE categories (name TEXT PRIMARY KEY COLLATE NOCASE)")
        db.table("categories").insert_all({"name": c} for c in DEFAULT_CATEGORIES)

    @migrations()
    def m002_search_indexes(db: Database) -> None:
        # R*Tree over asset points: `near` reads candidates from it, never scans assets.
        db.execute(
            "CREATE VIRTUAL TABLE assets_rtree USING rtree(pk, min_lat, max_lat, min_lon, max_lon)"
        )
        for stmt in (
            """CREATE TRIGGER assets_rtree_ai AFTER INSERT ON assets WHEN new.lat IS NOT NULL
               BEGIN INSERT INTO assets_rtree VALUES (new.pk, new.lat, new.lat, new.lon, new.lon); END""",
            """CREATE TRIGGER assets_rtree_ad AFTER DELETE ON assets
               BEGIN DELETE FROM assets_rtree WHERE pk = old.pk; END""",
            """CREATE TRIGGER assets_rtree_au AFTER UPDATE OF lat, lon ON assets
               BEGIN
                 DELETE FROM assets_rtree WHERE pk = old.pk;
                 INSERT INTO assets_rtree SELECT new.pk, new.lat, new.lat, new.lon, new.lon
                   WHERE new.lat IS NOT NULL;
               END""",
        ):
            db.execute(stmt)
        # Full-text search over what a practitioner might type.
        db.execute(
            "CREATE VIRTUAL TABLE assets_fts USING fts5(name, category, tags, description, "
            "content='assets', content_rowid='pk', tokenize='porter unicode61 remove_diacritics 2')"
        )
        cols = "name, category, tags, description"
        new = "new.name, new.category, new.tags, new.description"
        old = "old.name, old.category, old.tags, old.description"
        for stmt in (
            f"""CREATE TRIGGER assets_fts_ai AFTER INSERT ON assets BEGIN
                INSERT INTO assets_fts(rowid, {cols}) VALUES (new.pk, {new}); END""",
            f"""CREATE TRIGGER assets_fts_ad AFTER DELETE ON assets BEGIN
                INSERT INTO assets_fts(assets_fts, rowid, {cols}) VALUES ('delete', old.pk, {old});
                END""",
            f"""CREATE TRIGGER assets_fts_au AFTER UPDATE OF {cols} ON assets BEGIN
                INSERT INTO assets_fts(assets_fts, rowid, {cols}) VALUES ('delete', old.pk, {old});
                INSERT INTO assets_fts(rowid, {cols}) VALUES (new.pk, {new}); END""",
        ):
            db.execute(stmt)

    @migrations()
    def m003_geocode_cache(db: Database) -> None:
        # Online geocoder answers, so a repeat query or a cron job never asks twice. The key
        # is a hash of geocoder + query: the text typed (maybe where a person lives) is not kept.
        db.execute(
            "CREATE TABLE geocode_cache (key TEXT PRIMARY KEY, geocoder TEXT NOT NULL, "
            "lat REAL, lon REAL, radius_km REAL, label TEXT NOT NULL DEFAULT '', "
            "fetched_at TEXT NOT NULL)"
        )

    @migrations()
    def m004_goals(db: Database) -> None:
        # Plain-language goals a practitioner types, mapped to tags and categories.
        db.execute(
            "CREATE TABLE goals (name TEXT PRIMARY KEY, tags TEXT NOT NULL DEFAULT '', "
            "categories TEXT NOT NULL DEFAULT '', synonyms TEXT NOT NULL DEFAULT '')"
        )
        db.table("goals").insert_all(
            {"name": name, "tags": ";".join(tags), "categories": ";".join(cats),
             "synonyms": ";".join(syns)}
            for name, tags, cats, syns in DEFAULT_GOALS
        )  # fmt: skip

    @migrations()
    def m005_partnerships(db: Database) -> None:
        # The relationship with each group (status, work contact, referral route, contact
        # dates, staff notes). Added columns with defaults: existing rows keep every value.
        for column, default in (
            ("partnership_status", ""), ("contact_name", ""), ("contact_role", ""),
            ("contact_phone", ""), ("contact_email", ""), ("referral_route", ""),
            ("referral_details", ""), ("welcomes_mentor", "unknown"), ("last_contact", ""),
            ("next_contact", ""), ("staff_notes", ""),
        ):  # fmt: skip
            db.execute(f"ALTER TABLE assets ADD COLUMN {column} TEXT NOT NULL DEFAULT '{default}'")
        # `partners due` (a cron job) reads the follow-ups in date order without a scan.
        db.execute(
            "CREATE INDEX assets_next_contact ON assets(next_contact) WHERE next_contact != ''"
        )

    @migrations()
    def m006_sources(db: Database) -> None:
        # Where assets came from: a bundled open dataset, a partner's file, a feed. An asset's
        # `source` names its row here. local_edits records the fields someone other than the
        # asset's source changed since (field=who;...), which a re-import of the source keeps.
        db.execute(
            "CREATE TABLE sources (name TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', "
            "licence TEXT NOT NULL DEFAULT '', attribution TEXT NOT NULL DEFAULT '', "
            "retrieved TEXT NOT NULL DEFAULT '', origin TEXT NOT NULL DEFAULT '', "
            "kind TEXT NOT NULL DEFAULT '', added_at TEXT NOT NULL DEFAULT '')"
        )
        db.execute("ALTER TABLE assets ADD COLUMN local_edits TEXT NOT NULL DEFAULT ''")
        db.execute("CREATE INDEX assets_source ON assets(source)")
        # Sports sites with a pool or hall but no gym are not clubs.
        db.execute("INSERT OR IGNORE INTO categories(name) VALUES ('leisure centre')")
        # Catalogues made before sources existed: each distinct `source` text becomes one.
        db.execute(
            "INSERT OR IGNORE INTO sources(name, kind) SELECT DISTINCT source, 'earlier' "
            "FROM assets WHERE source != ''"
        )

    @migrations()
    def m007_partners_index(db: Database) -> None:
        # `near` asks whether any partner exists (its ranking bound adds the partner boost
        # only then); stats counts partners by area. Both read this small index, not assets.
        db.execute(
            "CREATE INDEX assets_partners ON assets(area) WHERE partnership_status = 'partner'"
        )

    @migrations()
    def m008_category_terms(db: Database) -> None:
        # Other publishers' taxonomy terms ('Food banks') -> our categories, for Open
        # Referral imports; edited with `assetmap categories map`.
        db.execute(
            "CREATE TABLE category_terms (term TEXT PRIMARY KEY COLLATE NOCASE, "
            "category TEXT NOT NULL)"
        )
        known = {r[0].lower() for r in db.execute("SELECT name FROM categories").fetchall()}
        db.table("category_terms").insert_all(
            {"term": term, "category": category}
            for term, category in DEFAULT_CATEGORY_TERMS
            if category in known
        )

    @migrations()
    def m009_needs(db: Database) -> None:
        # Needs as goals (issue 24): housing, money, family, veterans, English, literacy and
        # numeracy, bereavement, with their categories. A goal or category already there (a
        # manager's own of that name) is kept as it is. A default goal still as it shipped gets
        # its new synonyms ("reading" moves from learn to literacy and numeracy); an edited one
        # is left alone.
        for name in DEFAULT_CATEGORIES:
            db.execute("INSERT OR IGNORE INTO categories(name) VALUES (?)", [name])
        for name, tags, cats, syns in DEFAULT_GOALS:
            db.execute(
                "INSERT OR IGNORE INTO goals(name, tags, categories, synonyms) VALUES (?, ?, ?, ?)",
                [name, ";".join(tags), ";".join(cats), ";".join(syns)],
            )
            if name in SHIPPED_BEFORE:
                db.execute(
                    "UPDATE goals SET synonyms = ? WHERE name = ? AND synonyms = ?",
                    [";".join(syns), name, SHIPPED_BEFORE[name]],
                )
        # other publishers' names for the needs categories (Open Referral imports)
        for term, category in DEFAULT_CATEGORY_TERMS:
            if category in NEED_KINDS:
                db.execute(
                    "INSERT OR IGNORE INTO category_terms(term, category) VALUES (?, ?)",
                    [term, category],
                )

    @migrations()
    def m010_peer_tools(db: Database) -> None:
        # Datasette's ?_search= and `sqlite-utils search` find a table's full-text index by
        # content="assets" (double quotes): with content='assets' Datasette's search silently
        # returned every row and sqlite-utils refused the table. Same columns and tokenizer;
        # the triggers (on assets) keep feeding it.
        db.execute("DROP TABLE assets_fts")
        db.execute(
            "CREATE VIRTUAL TABLE assets_fts USING fts5(name, category, tags, description, "
            'content="assets", content_rowid="pk", tokenize="porter unicode61 remove_diacritics 2")'
        )
        db.execute("INSERT INTO assets_fts(assets_fts) VALUES ('rebuild')")
        # Tags are stored ';'-joined; Datasette facets a JSON array (?_facet_array=tags). The
        # public fields only: a view published with Datasette shows no staff contact.
        db.execute(
            """CREATE VIEW assets_public AS SELECT pk, id, name, category,
                 CASE WHEN tags = '' THEN '[]' ELSE '["' || replace(replace(replace(tags, '\\', '\\\\'),
                   '"', '\\"'), ';', '","') || '"]' END AS tags,
                 description, address, postcode, area, lat, lon, phone, email, website, schedule,
                 cost, min_age, max_age, gender, accessibility, referral, welcomes_convictions,
                 dbs_required, involves_children, capital, status, verified_on, source, notes,
                 referral_route, referral_details, welcomes_mentor
               FROM assets"""
        )

    @migrations()
    def m011_pulls(db: Database) -> None:
        # `sources pull`: each pull of an online source (which puller, from where, for which
        # area, when), so `sources update` can run it again and close what the source dropped.
        db.execute(
            "CREATE TABLE pulls (source TEXT NOT NULL, key TEXT NOT NULL, puller TEXT NOT NULL, "
            "url TEXT NOT NULL DEFAULT '', area TEXT NOT NULL DEFAULT '', lat REAL, lon REAL, "
            "radius_km REAL, query TEXT NOT NULL DEFAULT '', pulled_at TEXT NOT NULL DEFAULT '', "
            "features INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (source, key))"
        )
        # Kinds OpenStreetMap has that no category named: parks and nature reserves, and
        # shelters for people with nowhere to sleep.
        for name in ("park", "housing support"):
            db.execute("INSERT OR IGNORE INTO categories(name) VALUES (?)", (name,))

    return migrations


# The number of migrations above: stored in PRAGMA user_version once they are applied.
SCHEMA_VERSION = 11


def apply(db: Database) -> None:
    migrations = _build()
    migrations.apply(db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def applied_names(db: Database) -> list[tuple[str, str]]:
    return [(m.name, m.applied_at) for m in _build().applied(db)]


def pending_names(db: Database) -> list[str]:
    return [m.name for m in _build().pending(db)]
