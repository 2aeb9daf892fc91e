"""Sources: bundled open data beyond Greater Manchester, with provenance; `import --source`;
`sources` list / add / remove; coverage stated when an area has nothing."""

import json
import re
import sqlite3

import pytest
from conftest import run_process

from assetmap.catalogue import seed
from assetmap.catalogue.store import _stored_layout

# Places across Great Britain (and Belfast), far from the Greater Manchester lists.
PLACES = ["ST1", "B6", "BS5", "CF24 3AA", "TR1", "LS1", "NE1", "EH1", "G1", "S1", "PL1", "NR1",
          "EX4", "CB2", "SA1"]  # fmt: skip


@pytest.fixture(scope="module")
def national_db(tmp_path_factory):
    """One catalogue with every bundled source, shared by the read-only tests below."""
    from typer.testing import CliRunner

    from assetmap.cli.full_app import app

    path = tmp_path_factory.mktemp("national") / "national.db"
    result = CliRunner().invoke(app, ["--db", str(path), "init"])
    assert result.exit_code == 0, result.stderr
    return path


@pytest.mark.parametrize("place", PLACES)
def test_near_with_no_goal_finds_real_named_assets_within_5_km(cli, national_db, place):
    out = cli("--db", str(national_db), "near", place, "--within", "5km", "--format", "json")
    found = json.loads(out.stdout)
    real = [r for r in found if "[example]" not in r["name"]]
    assert real, f"nothing real within 5 km of {place}"
    assert all(r["distance_km"] <= 5 for r in found)
    libraries = [r for r in real if r["category"] == "library"]
    assert libraries, f"no library within 5 km of {place}: {[r['name'] for r in real]}"


def test_bundled_records_are_mapped_honestly(national_db):
    conn = sqlite3.connect(national_db)
    conn.row_factory = sqlite3.Row
    libs = conn.execute("SELECT * FROM assets WHERE source = 'libraries'").fetchall()
    assert len(libs) > 3000
    assert {(r["cost"], r["referral"]) for r in libs} == {("free", "drop-in")}
    assert {r["welcomes_convictions"] for r in libs} == {"unknown"}
    assert {r["verified_on"] for r in libs} == {""}
    assert sum(bool(r["schedule"]) for r in libs) > 1000  # opening hours where published
    assert all(r["lat"] is not None and r["area"] for r in libs)  # placed by the gazetteer
    sites = conn.execute("SELECT * FROM assets WHERE source = 'active-places'").fetchall()
    assert len(sites) > 3000
    pairs = {(r["cost"], r["referral"]) for r in sites}
    assert ("paid", "drop-in") in pairs and (
        "paid",
        "membership",
    ) in pairs  # pay-and-play, membership
    assert ("", "membership") in pairs  # through a club: the cost is not stated
    assert {r["welcomes_convictions"] for r in sites} == {"unknown"}
    assert {r["verified_on"] for r in sites} == {""}
    retrieved = dict(conn.execute("SELECT name, retrieved FROM sources"))
    assert retrieved["active-places"] == "2024-07-01"  # the source's own date is kept
    conn.close()


def test_bundled_files_hold_rows_in_the_catalogue_layout():
    # A subset of the catalogue's columns: those added later take their defaults.
    assert set(seed.STORED_COLUMNS) <= set(_stored_layout()[0])
    for name, meta in seed.bundled().items():
        header, rows = seed._rows(name)
        assert header == seed.STORED_COLUMNS
        assert len(list(rows)) == meta["assets"]
        assert meta["licence"] and meta["attribution"] and meta["retrieved"]


def test_sources_lists_counts_and_coverage_by_council(cli, national_db):
    listed = json.loads(cli("--db", str(national_db), "sources", "--format", "json").stdout)
    by_name = {s["name"]: s for s in listed}
    assert set(seed.bundled()) <= set(by_name)
    assert by_name["examples"]["assets"] == 36
    assert by_name["libraries"]["councils"] > 300
    assert "Sport England" in by_name["active-places"]["attribution"]
    councils = json.loads(
        cli("--db", str(national_db), "sources", "--by-council", "--source", "libraries",
            "--format", "json").stdout
    )  # fmt: skip
    assert {"Cornwall", "Cardiff", "Birmingham"} <= {c["council"] for c in councils}


def test_no_examples_and_removing_and_adding_them_back(cli, tmp_path):
    db = ["--db", str(tmp_path / "c.db")]
    made = cli(*db, "init", "--no-examples")
    assert "examples" not in made.stderr.split("(")[1]
    names = [a["name"] for a in json.loads(cli(*db, "list", "--format", "json").stdout)]
    assert names and not [n for n in names if "[example]" in n]
    added = cli(*db, "sources", "add", "examples")
    assert "36 assets from examples" in added.stderr
    assert (
        len([a for a in json.loads(cli(*db, "list", "--format", "json").stdout)]) == len(names) + 36
    )
    gone = cli(*db, "sources", "remove", "examples")
    assert "36 assets removed" in gone.stderr
    after = json.loads(cli(*db, "list", "--format", "json").stdout)
    assert not [a for a in after if "[example]" in a["name"]]
    assert "examples" not in {s["name"] for s in json.loads(cli(*db, "sources", "--format", "json").stdout)}  # fmt: skip
    missing = cli(*db, "sources", "remove", "examples", code=1)
    assert "no source named 'examples'" in missing.stderr
    unknown = cli(*db, "sources", "add", "nowhere", code=1)
    assert "no bundled source named nowhere" in unknown.stderr


def test_import_names_the_source_after_the_file_or_source_option(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    feed = tmp_path / "Council Feed.csv"
    feed.write_text(
        "name,category,postcode\nCouncil Gym,gym,M1 1AD\nCouncil Walk,walking group,M1 1AD\n"
    )
    first = cli(*db, "import", str(feed))
    assert "source council-feed" in first.stderr
    cli(*db, "import", str(feed))  # the same file again: the same source, nothing added
    listed = {s["name"]: s for s in json.loads(cli(*db, "sources", "--format", "json").stdout)}
    assert listed["council-feed"]["assets"] == 2
    assert listed["council-feed"]["origin"] == str(feed)
    other = tmp_path / "partners.csv"
    other.write_text("name,category,postcode\nPartner Shed,community centre,ST4 7QB\n")
    cli(*db, "import", str(other), "--source", "Stoke partners")
    shown = json.loads(cli(*db, "show", "partner-shed-st4-7qb", "--format", "json").stdout)
    assert shown["source"] == "Stoke partners"
    bad = cli(*db, "import", str(other), "--source", "!!", code=1)
    assert "not a usable source name" in bad.stderr
    # Removing a source takes exactly its assets out.
    cli(*db, "sources", "remove", "council-feed")
    left = [a["id"] for a in json.loads(cli(*db, "list", "--format", "json").stdout)]
    assert left == ["partner-shed-st4-7qb"]


def test_empty_answer_says_when_the_catalogue_has_nothing_near(cli, db_file):
    db = ["--db", str(db_file)]
    nothing = cli(*db, "near", "TR1")
    assert "the catalogue has no assets within 25 km of TR1" in nothing.stderr
    assert "assetmap sources" in nothing.stderr
    cli(*db, "sources", "add", "libraries")
    narrow = cli(*db, "near", "TR1", "--within", "500m", "--tag", "nothing-has-this")
    assert "no assets within 25 km" not in narrow.stderr
    # Nothing carries the tag within 25 km: a wider radius cannot help, and is not suggested.
    assert "no assets tagged nothing-has-this within 25 km of TR1 in this catalogue" in narrow.stderr  # fmt: skip
    assert "wider" not in narrow.stderr and "--within" not in narrow.stderr


@pytest.mark.slow
def test_a_catalogue_made_by_cron_says_what_it_was_loaded_with(tmp_path):
    # A named catalogue is made only when asked for (--create or init): a typo is an error.
    proc = run_process(
        "--db", str(tmp_path / "cron.db"), "--create", "stats", "--format", "json", input=b""
    )
    assert proc.returncode == 0, proc.stderr
    said = proc.stderr.decode()
    assert "created a new catalogue" in said
    assert "libraries" in said and "active-places" in said
    assert "sources remove examples" in said  # the invented examples are named as such


def test_the_seed_records_named_in_the_issue_are_fixed_at_their_mapping(cli, national_db):
    from assetmap.catalogue import schedule

    conn = sqlite3.connect(national_db)
    conn.row_factory = sqlite3.Row
    rows = conn.execute("SELECT * FROM assets").fetchall()
    conn.close()
    by_name = {}
    for r in rows:
        by_name.setdefault(r["name"], []).append(r)
    assert by_name["New Bury UCAN Food Pantry"][0]["cost"] == "low"  # "£2.50 membership"
    restore = by_name["Restore Food Bank Arise & Shine Christian Ministries"][0]
    assert restore["phone"] == "07872 611770"  # published as O7872611770
    assert restore["schedule"] == "Tue 15:00-17:00"  # "Tuesday 3 - 5pm", not 03:00-17:00
    oxford_road = [r for r in by_name["Trussell Trust"] if r["postcode"] == "M13 9PG"][0]
    assert oxford_road["schedule"] == "Tue,Wed,Fri 10:00-12:00"
    early = [r["name"] for r in rows if any(s.start < 360 for s in schedule.parse(r["schedule"]))]
    assert early == []
    letter_o = [r["name"] for r in rows if r["phone"][:1] in "oO" and r["phone"]]
    assert letter_o == []
    found = json.loads(
        cli("--db", str(national_db), "near", "M13 9PG", "--goal", "food", "--within", "1km",
            "--format", "json").stdout
    )  # fmt: skip
    trussell = [r for r in found if r["name"] == "Trussell Trust"]
    assert trussell and "voucher needed" in trussell[0]["why"]


def test_stats_show_coverage_by_council_and_source(cli, national_db):
    figures = json.loads(cli("--db", str(national_db), "stats", "--format", "json").stdout)
    assert figures["by_source"]["libraries"] > 3000
    assert figures["by_area"]["Cornwall"] > 10 and figures["by_area"]["Cardiff"] > 5


def test_welcomes_convictions_says_when_only_invented_examples_answer(cli, national_db):
    out = cli("--db", str(national_db), "near", "ST1", "--welcomes-convictions", "--format", "json")
    found = json.loads(out.stdout)
    assert found and all(r["name"].endswith("[example]") for r in found)
    assert "every result is an invented [example]" in out.stderr
    real = cli("--db", str(national_db), "near", "ST1", "--format", "json")
    assert "invented" not in real.stderr


def test_the_empty_answer_suggests_a_radius_wider_than_the_one_searched(cli, db_file):
    # Found in a newcomer run: `near Splott --within 10km` that found nothing said "try a
    # wider --within (e.g. --within 10km)", the radius just searched. Now a wider radius is
    # named only when it finds something: the one that reaches the nearest that fits.
    db = ["--db", str(db_file)]
    cli(*db, "sources", "add", "libraries")
    said = cli(*db, "near", "TR1", "--within", "300m", "--goal", "learn").stderr
    assert re.search(r"nothing that fits within 300m of TR1; the nearest is 0\.\d km away: --within 1km finds it", said), said  # fmt: skip
    found = json.loads(cli(*db, "near", "TR1", "--within", "1km", "--goal", "learn", "--format", "json").stdout)  # fmt: skip
    assert found
    for within in ("10km", "500m", "5"):
        said = cli(*db, "near", "TR1", "--within", within, "--tag", "nothing-has-this").stderr
        assert "--within" not in said and "no assets tagged nothing-has-this" in said, said


def test_sources_source_names_one_source_and_a_typo_is_an_error(cli, db_file):
    # Found in a newcomer run: `sources --by-council --source librariez` printed an empty
    # table (exit 0), and without --by-council --source was ignored: every source was listed.
    db = ["--db", str(db_file)]
    cli(*db, "sources", "add", "libraries", "examples")
    for args in (["--by-council", "--source", "librariez"], ["--source", "librariez"]):
        bad = cli(*db, "sources", *args, code=1)
        assert "--source: no source named 'librariez'; did you mean 'libraries'?" in bad.stderr
    one = json.loads(cli(*db, "sources", "--source", "examples", "--format", "json").stdout)
    assert [s["name"] for s in one] == ["examples"]
    assert cli(*db, "sources", "--by-council", "--source", "libraries").stdout.count("\n") > 100


def test_an_empty_answer_names_kinds_of_help_in_plain_words(cli, tmp_path):
    """'no housing support or money advice within 25 km', not 'housing supports or money
    advices': kinds of help, volunteering and peer support are not counted things."""
    db = ["--db", str(tmp_path / "c.db")]
    cli(*db, "init", "--empty")
    cli(*db, "sources", "add", "libraries")
    said = cli(*db, "near", "Plymouth", "--goal", "sofa surfing", "--goal", "universal credit").stderr  # fmt: skip
    assert "no housing support or money advice within 25 km" in " ".join(said.split()), said
    said = cli(*db, "near", "Plymouth", "--category", "volunteering").stderr
    assert "no volunteering within 25 km" in " ".join(said.split()), said


def test_an_empty_answer_for_words_nothing_reads_does_not_make_kinds_of_them(cli):
    # "got kicked out by his partner" (read by nothing, searched as words) came back empty
    # with "no kickeds or partners within 25 km": its words are not kinds of place.
    said = cli("near", "M14 4HY", "--goal", "zzzz qqqq").stderr
    flat = " ".join(said.split())
    assert "zzzzs" not in flat and "qqqqs" not in flat, said
    assert "no assets tagged zzzz or qqqq within 25 km of M14 4HY" in flat, said
