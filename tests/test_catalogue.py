import sqlite3

import pytest
from sqlite_utils import Database

from assetmap.catalogue import migrations
from assetmap.catalogue.models import DEFAULT_CATEGORIES
from assetmap.catalogue.opening import open_catalogue
from assetmap.errors import CatalogueError


def test_migrations_on_a_blank_file_give_the_expected_schema(tmp_path):
    path = tmp_path / "blank.db"
    cat = open_catalogue(path, seed=False)
    db = Database(cat.conn)
    assert {"assets", "sessions", "categories", "assets_rtree", "assets_fts"} <= set(
        db.table_names()
    )
    cols = set(db["assets"].columns_dict)
    assert {"id", "name", "category", "tags", "postcode", "lat", "lon", "verified_on",
            "welcomes_convictions", "dbs_required", "involves_children", "capital",
            "created_at", "updated_at"} <= cols  # fmt: skip
    assert migrations.pending_names(db) == []
    # The marker the fast path reads equals the number of migrations.
    assert (
        cat.conn.execute("PRAGMA user_version").fetchone()[0]
        == len(migrations.applied_names(db))
        == migrations.SCHEMA_VERSION
    )
    assert cat.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert set(cat.categories().values()) >= set(DEFAULT_CATEGORIES)
    assert cat.count() == 0


def test_first_open_loads_the_seed_once(tmp_path):
    path = tmp_path / "seeded.db"
    cat = open_catalogue(path)
    assert cat.created and cat.seeded >= 300
    n = cat.count()
    cat.close()
    again = open_catalogue(path)
    assert not again.created and again.count() == n


def test_newer_catalogue_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "newer.db"
    open_catalogue(path, seed=False).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 5}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(CatalogueError, match="newer assetmap"):
        open_catalogue(path)
    assert path.read_bytes() == before


def test_another_programs_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (n INTEGER)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(CatalogueError, match="another program"):
        open_catalogue(path)
    assert path.read_bytes() == before


def test_non_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("this is not a database\n" * 10)
    with pytest.raises(CatalogueError, match="not an SQLite file"):
        open_catalogue(path)
    assert path.read_text().startswith("this is not")


def test_named_path_in_missing_directory_is_an_error(tmp_path):
    with pytest.raises(CatalogueError, match="does not exist"):
        open_catalogue(tmp_path / "nope" / "x.db", named=True)
    assert not (tmp_path / "nope").exists()


def test_a_short_ref_names_only_its_own_asset_never_a_removed_ones_neighbour(cli, db_file):
    """An introduction can name an asset removed since. Its ref must not be a start of its id
    that now names another asset ('canal-walkers' for 'canal-walkers-m1-1ad', removed, when
    'canal-walkers-ls9-8ag' is there): `show` would open the wrong place. It keeps its id."""
    db = ["--db", str(db_file)]
    for postcode in ("M1 1AD", "LS9 8AG"):
        cli(*db, "add", "--name", "Canal Walkers", "--category", "walking group", "--postcode", postcode)  # fmt: skip
    cli(*db, "remove", "canal-walkers-m1-1ad", "--yes")
    cat = open_catalogue(db_file)
    try:
        refs = cat.short_refs(["canal-walkers-m1-1ad", "canal-walkers-ls9-8ag"])
    finally:
        cat.close()
    assert refs["canal-walkers-m1-1ad"] == "canal-walkers-m1-1ad"
    assert "canal-walkers-ls9-8ag".startswith(refs["canal-walkers-ls9-8ag"])
