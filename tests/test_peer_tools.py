"""The catalogue as peers' tools see it: `sqlite-utils search` and Datasette's ?_search= find
its full-text index (content="assets", double-quoted, which both look for), tags facet as a
JSON array through the public view, and a catalogue from before is migrated."""

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

FIXTURE_SCHEMA4 = Path(__file__).parent / "data" / "catalogue-schema4.db"


@pytest.mark.slow  # runs the sqlite-utils command
def test_sqlite_utils_finds_and_searches_the_full_text_index(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    f = tmp_path / "a.csv"
    f.write_text("name,category,postcode,tags\nMeir Boxing Gym,gym,ST3 5HS,boxing;fitness\nPorch Boxes,foodbank,M1 1AD,food\n")  # fmt: skip
    cli(*db, "import", str(f))
    table = sqlite_utils.Database(db_file)["assets"]
    assert table.detect_fts() == "assets_fts"
    assert [r["name"] for r in table.search("boxing")][0] == "Meir Boxing Gym"
    # The sqlite-utils command, as a user would run it.
    out = subprocess.run(
        [str(Path(sys.executable).with_name("sqlite-utils")), "search", str(db_file), "assets", "boxing", "-c", "name"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)[0]["name"] == "Meir Boxing Gym"
    table.db.close()
    # An edit keeps the index current (the triggers feed the rebuilt table), and whole.
    cli(*db, "edit", "porch-boxes-m1-1ad", "--tags", "boxing;food")
    fresh = sqlite_utils.Database(db_file)
    fresh.execute("INSERT INTO assets_fts(assets_fts) VALUES ('integrity-check')")
    assert {r["name"] for r in fresh["assets"].search("boxing")} == {"Meir Boxing Gym", "Porch Boxes"}  # fmt: skip
    fresh.close()


def test_tags_facet_as_a_json_array_and_the_view_is_public(cli, db_file):
    db = ["--db", str(db_file)]
    cli(*db, "add", "--name", 'Quote "Club"', "--category", "gym", "--postcode", "M1 1AD",
        "--tags", 'boxing; say "hi"; back\\slash', "--contact-name", "Sam Okafor",
        "--partnership-status", "partner")  # fmt: skip
    cli(*db, "add", "--name", "No Tags", "--category", "gym", "--postcode", "M1 1AD")
    conn = sqlite3.connect(db_file)
    rows = dict(conn.execute("SELECT name, tags FROM assets_public").fetchall())
    assert json.loads(rows['Quote "Club"']) == ["boxing", 'say "hi"', "back\\slash"]
    assert json.loads(rows["No Tags"]) == []
    facets = dict(conn.execute(
        "SELECT j.value, count(*) FROM assets_public, json_each(assets_public.tags) j GROUP BY j.value"
    ).fetchall())  # fmt: skip
    assert facets["boxing"] == 1
    columns = [r[1] for r in conn.execute("PRAGMA table_info(assets_public)")]
    assert "name" in columns and not {"contact_name", "partnership_status", "staff_notes"} & set(columns)  # fmt: skip
    conn.close()


def test_an_older_catalogue_is_migrated_and_then_found_by_sqlite_utils(cli, tmp_path):
    old = tmp_path / "old.db"
    shutil.copy(FIXTURE_SCHEMA4, old)
    assert sqlite_utils.Database(old)["assets"].detect_fts() is None  # content='assets' before
    before = json.loads(cli("--db", str(old), "search", "walk", "--format", "json").stdout)
    assert before  # migrated on open, then searched
    table = sqlite_utils.Database(old)["assets"]
    assert table.detect_fts() == "assets_fts"
    names = {r["name"] for r in table.search("walk")}
    assert {r["name"] for r in before} <= names


def _datasette_metadata(readme: str) -> dict:
    """The README's Datasette metadata: its JSON block that names databases (another JSON
    block, an exclusion zone, comes earlier)."""
    import re

    [block] = [b for b in re.findall(r"```json\n(.*?)```", readme, re.S) if '"databases"' in b]
    return json.loads(block)


def test_the_readmes_datasette_metadata_hides_the_index_tables(cli, db_file):
    """The metadata block in the README names every R*Tree and full-text shadow table."""
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    hidden = {t for t, v in _datasette_metadata(readme)["databases"]["catalogue"]["tables"].items() if v.get("hidden")}  # fmt: skip
    conn = sqlite3.connect(db_file)
    shadows = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND (name LIKE 'assets_rtree%' OR name LIKE 'assets_fts%')")}  # fmt: skip
    conn.close()
    assert shadows and shadows <= hidden | {"assets_fts"}


def test_datasette_searches_facets_and_hides_with_the_readmes_metadata(cli, tmp_path):
    """Datasette itself (its ASGI app, in process), on a catalogue named catalogue.db with the
    README's metadata: ?_search= finds the one matching row (it returned every row with
    content='assets'), the public view searches and facets its tags, the shadow tables are
    hidden."""
    import asyncio

    datasette_app = pytest.importorskip("datasette.app")
    path = tmp_path / "catalogue.db"
    db = ["--db", str(path)]
    cli(*db, "init", "--empty")
    f = tmp_path / "a.csv"
    f.write_text("name,category,postcode,tags\nMeir Boxing Gym,gym,ST3 5HS,boxing;fitness\nCanal Walkers,walking group,M1 1AD,walking\n")  # fmt: skip
    cli(*db, "import", str(f))
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    metadata = _datasette_metadata(readme)
    ds = datasette_app.Datasette([str(path)], metadata=metadata)

    async def get(url):
        response = await ds.client.get(url)
        assert response.status_code == 200, (url, response.text[:200])
        return response.json()

    async def run():
        found = await get("/catalogue/assets.json?_search=boxing&_shape=array")
        assert [r["name"] for r in found] == ["Meir Boxing Gym"]
        public = await get("/catalogue/assets_public.json?_search=walking&_shape=objects&_facet_array=tags")  # fmt: skip
        assert [r["name"] for r in public["rows"]] == ["Canal Walkers"]
        tables = {t["name"]: t["hidden"] for t in (await get("/catalogue.json"))["tables"]}
        assert tables["assets_rtree_node"] and tables["assets_fts_data"] and not tables["assets"]
        faceted = await get("/catalogue/assets_public.json?_facet_array=tags")
        values = {v["value"] for v in faceted["facet_results"]["tags"]["results"]}
        assert {"boxing", "fitness", "walking"} <= values

    asyncio.run(run())
