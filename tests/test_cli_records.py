import json
import sqlite3

import pytest
from conftest import SEED_COUNT_MIN


@pytest.mark.first_run
def test_first_run_creates_and_seeds_the_catalogue_in_assetmap_home(cli, home):
    first = cli("list", "--format", "json")
    assert "created a new catalogue" in first.stderr
    assets = json.loads(first.stdout)
    assert len(assets) >= SEED_COUNT_MIN
    assert (home / "catalogue.db").exists()
    second = cli("list", "--format", "json")
    assert "created" not in second.stderr  # said once only
    assert json.loads(second.stdout) == assets


def test_seed_covers_greater_manchester_and_stoke(cli):
    assets = json.loads(cli("list", "--format", "json").stdout)
    areas = [a["area"] for a in assets]
    gm = {"Manchester", "Trafford", "Stockport", "Salford", "Oldham", "Bolton", "Wigan",
          "Rochdale", "Tameside", "Bury"}  # fmt: skip
    staffs = {"Stoke-on-Trent", "Newcastle-under-Lyme", "Stafford", "Staffordshire Moorlands"}
    assert sum(a in gm for a in areas) >= 20
    assert sum(a in staffs for a in areas) >= 20
    assert all(a["source"] for a in assets)  # every record says where it came from
    cats = {a["category"] for a in assets}
    assert {"walking group", "book club", "peer support", "recovery group", "volunteering"} <= cats


def test_db_path_honours_env_and_option(cli, home, tmp_path, monkeypatch):
    assert cli("db", "path").stdout.strip() == str(home / "catalogue.db")
    assert cli("--db", str(tmp_path / "a.db"), "db", "path").stdout.strip() == str(
        tmp_path / "a.db"
    )
    monkeypatch.setenv("ASSETMAP_DB", str(tmp_path / "b.db"))
    assert cli("db", "path").stdout.strip() == str(tmp_path / "b.db")


def test_init_empty_has_vocabulary_but_no_assets(cli, db_file):
    assert json.loads(cli("--db", str(db_file), "list", "--format", "json").stdout) == []
    cats = json.loads(cli("--db", str(db_file), "categories", "--format", "json").stdout)
    assert {c["category"] for c in cats} >= {"gym", "faith group", "mentoring"}
    again = cli("--db", str(db_file), "init", code=1)
    assert "already exists" in again.stderr


def test_add_show_edit_remove_round_trip(cli, db_file):
    db = ["--db", str(db_file)]
    new_id = cli(*db, "add", "--name", "Meir Boxing", "--category", "GYM", "--postcode", "st35hs",
                 "--tags", "Boxing; Fitness", "--schedule", "Mon 18:00-20:00",
                 "--welcomes-convictions", "yes", "--verified-on", "2026-11-01").stdout.strip()  # fmt: skip
    assert new_id == "meir-boxing-st3-5hs"
    shown = json.loads(cli(*db, "show", new_id, "--format", "json").stdout)
    assert shown["postcode"] == "ST3 5HS"
    assert shown["tags"] == ["boxing", "fitness"]
    assert shown["category"] == "gym"
    assert shown["welcomes_convictions"] == "yes"
    assert shown["dbs_required"] == "unknown"

    cli(*db, "edit", new_id, "--cost", "low", "--tags", "boxing")
    shown = json.loads(cli(*db, "show", new_id, "--format", "json").stdout)
    assert shown["cost"] == "low" and shown["tags"] == ["boxing"]
    assert shown["schedule"] == "Mon 18:00-20:00"  # untouched fields stay

    # The file itself holds the change, and the parsed sessions.
    conn = sqlite3.connect(db_file)
    assert conn.execute("SELECT cost FROM assets WHERE id = ?", (new_id,)).fetchone() == ("low",)
    assert conn.execute("SELECT day, start FROM sessions").fetchall() == [(0, 1080)]
    conn.close()

    cli(*db, "remove", new_id, "--yes")
    gone = cli(*db, "show", new_id, code=1)
    assert f"no asset with id '{new_id}'" in gone.stderr


def test_bad_input_gives_one_line_and_changes_nothing(cli, db_file):
    db = ["--db", str(db_file)]
    before = db_file.read_bytes()
    cases = [
        (["add", "--name", "X", "--category", "knitting", "--postcode", "ST4 7QB"], "not a known category"),
        (["add", "--name", "X", "--category", "gym", "--postcode", "ST4 7Q"], "not a full UK postcode"),
        (["add", "--name", "X", "--category", "gym"], "give a postcode or lat and lon"),
        (["add", "--name", "X", "--category", "gym", "--postcode", "M1 1AD", "--cost", "fre"], "'fre' is not one of free, low, paid"),
        (["add", "--name", "X", "--category", "gym", "--lat", "99", "--lon", "0"], "outside -90 to 90"),
        (["edit", "nope", "--cost", "free"], "no asset with id 'nope'"),
        (["show", "nope"], "no asset with id 'nope'"),
        (["remove", "nope", "--yes"], "no asset with id 'nope'"),
        (["add", "--name", "X", "--category", "gym", "--postcode", "M1 1AD", "--schedule", "mornings"], "Sat 10:00-12:00"),
    ]  # fmt: skip
    for args, message in cases:
        result = cli(*db, *args, code=1)
        assert message in result.stderr, (args, result.stderr)
        assert result.stderr.count("\n") == 1, result.stderr  # one line, no traceback
        assert "Traceback" not in result.stderr
    assert json.loads(cli(*db, "list", "--format", "json").stdout) == []
    assert db_file.read_bytes() == before or sqlite3.connect(db_file).execute(
        "SELECT count(*) FROM assets"
    ).fetchone() == (0,)


def test_duplicate_id_is_refused(cli, db_file):
    db = ["--db", str(db_file)]
    cli(*db, "add", "--name", "A", "--category", "gym", "--postcode", "M1 1AD")
    result = cli(*db, "add", "--name", "A", "--category", "gym", "--postcode", "M1 1AD", code=1)
    assert "already exists" in result.stderr


def test_remove_without_terminal_or_yes_removes_nothing(cli, db_file):
    db = ["--db", str(db_file)]
    new_id = cli(
        *db, "add", "--name", "A", "--category", "gym", "--postcode", "M1 1AD"
    ).stdout.strip()
    result = cli(*db, "remove", new_id, code=1)
    assert "--yes" in result.stderr
    cli(*db, "show", new_id)


def test_list_filters_and_formats(cli, db_file):
    db = ["--db", str(db_file)]
    cli(
        *db,
        "add",
        "--name",
        "Gym A",
        "--category",
        "gym",
        "--postcode",
        "M1 1AD",
        "--tags",
        "fitness",
        "--area",
        "Manchester",
    )
    cli(
        *db,
        "add",
        "--name",
        "Walk B",
        "--category",
        "walking group",
        "--postcode",
        "ST1 3EB",
        "--status",
        "closed",
        "--area",
        "Stoke-on-Trent",
    )
    ids = lambda *a: [r["id"] for r in json.loads(cli(*db, "list", *a, "--format", "json").stdout)]  # noqa: E731
    assert ids("--category", "Gym") == ["gym-a-m1-1ad"]
    assert ids("--tag", "FITNESS") == ["gym-a-m1-1ad"]
    assert ids("--area", "stoke-on-trent") == ["walk-b-st1-3eb"]
    assert ids("--status", "closed") == ["walk-b-st1-3eb"]
    assert ids("--limit", "1") == ["gym-a-m1-1ad"]
    assert ids("--tag", "nothing") == []
    assert cli(*db, "list", "--tag", "nothing", "--format", "json").stdout.strip() == "[]"
    csv_out = cli(*db, "list", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("id,name,category,tags")
    nd = [json.loads(line) for line in cli(*db, "list", "--format", "ndjson").stdout.splitlines()]
    assert [r["id"] for r in nd] == ["gym-a-m1-1ad", "walk-b-st1-3eb"]
    table = cli(*db, "list").stdout
    assert "Gym A" in table and "\x1b[" not in table  # plain text off a terminal
    bad = cli(*db, "list", "--format", "xml", code=2)
    assert "xml" in bad.stderr


def test_categories_add_extends_the_vocabulary(cli, db_file):
    db = ["--db", str(db_file)]
    assert cli(*db, "categories", "add", "Boxing Club").stdout.strip() == "boxing club"
    cli(*db, "add", "--name", "B", "--category", "boxing club", "--postcode", "M1 1AD")
    dup = cli(*db, "categories", "add", "boxing club", code=1)
    assert "already exists" in dup.stderr


def test_about_carries_the_attributions(cli):
    shown = cli("about").stdout
    text = " ".join(shown.split())  # an attribution may wrap over two lines
    assert "Contains OS data © Crown copyright" in text
    assert "GeoNames" in text and "Open Government Licence" in text
    assert "WordNet 3.0 Copyright 2006 by Princeton University" in text
    # It reads in an 80-column terminal: only a web address too long to break may overrun,
    # and the paths at the top, kept whole on their lines for grep.
    for line in shown.splitlines():
        if not line.startswith(("catalogue: ", "cache: ")):
            assert len(line) <= 80 or " " not in line.strip(), line


def test_terminal_tables_show_data_literally_not_as_markup(monkeypatch, capsys):
    """Regression: rich read '[example]' in a name as markup and dropped it from the table."""
    from assetmap.cli import output

    monkeypatch.setattr(output, "stdout_is_tty", lambda: True)
    output.emit_table(
        [{"name": "Walkers [example]", "why": "[bold]not bold[/bold]"}], ["name", "why"]
    )
    shown = capsys.readouterr().out
    assert "Walkers [example]" in shown
    assert "[bold]not bold[/bold]" in shown


def test_a_mistyped_category_or_status_filter_is_an_error_not_an_empty_list(cli, db_file):
    # Found in a newcomer run: `list --category gymm`, `list --status actve`, `export
    # --category gymm` and `near ... --category gymm` all quietly gave nothing (exit 0), so a
    # typo in a cron line mailed an empty list every week.
    db = ["--db", str(db_file)]
    cli(*db, "add", "--name", "Gym A", "--category", "gym", "--postcode", "M1 1AD")
    for args in (
        ["list", "--category", "gymm"],
        ["export", "--category", "gymm", "--format", "json"],
        ["near", "M1 1AD", "--category", "gymm", "--format", "json"],
    ):
        bad = cli(*db, *args, code=1)
        assert bad.stdout == "", args
        [line] = [ln for ln in bad.stderr.splitlines() if ln.startswith("Error: ")]
        assert "--category: 'gymm' is not a category; did you mean 'gym'?" in line, args
        assert "assetmap categories" in line and "Traceback" not in bad.stderr
    for args in (["list", "--status", "actve"], ["export", "--status", "actve"]):
        bad = cli(*db, *args, code=1)
        assert "--status: 'actve' is not one of active, temporarily-closed, closed" in bad.stderr
    # the names as the vocabulary has them still work, in any case
    assert "Gym A" in cli(*db, "list", "--category", "GYM", "--status", "Active").stdout
    assert "Gym A" in cli(*db, "near", "M1 1AD", "--category", "Gym").stdout


def test_a_mistyped_area_or_source_filter_is_an_error_not_an_empty_list(cli, db_file):
    # Found in a newcomer run: `export --area Traford` wrote an empty collection, and `stale
    # --area Traford` or `stale --source councl` in a cron line mailed nothing, all with exit 0.
    db = ["--db", str(db_file)]
    cli(*db, "add", "--name", "Gym A", "--category", "gym", "--postcode", "M32 0TJ",
        "--partnership-status", "partner", "--source", "council")  # fmt: skip
    for args in (
        ["list", "--area", "Traford"],
        ["export", "--area", "Traford", "--format", "geojson"],
        ["stale", "--area", "Traford"],
        ["partners", "--area", "Traford"],
    ):
        bad = cli(*db, *args, code=1)
        assert bad.stdout == "", args
        assert "--area: no asset has the area 'Traford'; did you mean 'Trafford'?" in bad.stderr
    bad = cli(*db, "stale", "--source", "councl", code=1)
    assert "--source: no source named 'councl'; did you mean 'council'?" in bad.stderr
    # an area any asset has, in any case, and a source that exists, still work
    assert "Gym A" in cli(*db, "list", "--area", "trafford").stdout
    assert "Gym A" in cli(*db, "partners", "--area", "TRAFFORD").stdout
    assert "gym-a-m32-0tj" in cli(*db, "stale", "--area", "Trafford", "--source", "council").stdout


def test_an_empty_tag_is_an_error_naming_the_fix(cli, db_file):
    # Found in a newcomer run: `near ... --tag ""` (an unset shell variable in a script) found
    # nothing, exit 0, while `list --tag ""` ignored it and listed everything.
    db = ["--db", str(db_file)]
    cli(
        *db,
        "add",
        "--name",
        "Gym A",
        "--category",
        "gym",
        "--postcode",
        "M1 1AD",
        "--tags",
        "fitness",
    )
    for args in (["near", "M1 1AD", "--tag", " "], ["list", "--tag", ""], ["export", "--tag", ""]):
        bad = cli(*db, *args, code=1)
        assert bad.stdout == "" and "--tag: an empty tag; give one, e.g. --tag gym" in bad.stderr
    assert "Gym A" in cli(*db, "near", "M1 1AD", "--tag", "Fitness").stdout


def test_a_count_of_one_reads_in_the_singular(cli, db_file, tmp_path):
    # "plan of 1 places written", "partners: 1 assets", "1 invalid rows were skipped".
    db = ["--db", str(db_file)]
    cli(*db, "add", "--id", "walk-a", "--name", "Walk A", "--category", "walking group",
        "--postcode", "ST4 7QB", "--partnership-status", "partner")  # fmt: skip
    assert "plan of 1 place written" in cli(*db, "plan", "walk-a", "--from", "ST4 7QB",
                                            "--out", str(tmp_path / "p.html")).stderr  # fmt: skip
    assert "partners: 1 asset with a partnership status" in cli(*db, "partners").stderr
    feed = tmp_path / "one-bad.csv"
    feed.write_text("name,category,postcode\nGood,gym,ST4 7QB\nBad,gym,NOT A POSTCODE\n")
    skipped = cli(*db, "import", str(feed), "--skip-invalid", code=3).stderr
    assert "1 invalid row was skipped" in skipped


def test_every_count_message_reads_in_the_singular_for_one(cli, db_file, tmp_path):
    # Still found after the first helper: "stale: 1 assets", "check: 1 problems", "export: 1
    # assets", "1 of 1 rows are invalid", "sources add: 1 assets". One helper counts them all.
    db = ["--db", str(db_file)]
    cli(*db, "add", "--id", "old-walk", "--name", "Old Walk", "--category", "walking group",
        "--lat", "53.45", "--lon", "-2.24", "--verified-on", "2020-01-01",
        "--phone", "0000")  # fmt: skip
    stale = cli(*db, "stale").stderr
    assert "stale: 1 asset not verified within 12m" in stale
    checked = cli(*db, "check").stderr
    assert "check: 1 problem\n" in checked, checked
    exported = cli(*db, "export", str(tmp_path / "out.csv")).stderr
    assert "export: 1 asset" in exported and "1 assets" not in exported
    bad = tmp_path / "bad.csv"
    bad.write_text("name,category,postcode\nBad,gym,NOT A POSTCODE\n")
    refused = cli(*db, "import", str(bad), code=1).stderr
    assert "1 of 1 row is invalid; nothing was written" in refused


def test_add_and_edit_warn_about_a_letter_o_in_a_phone_as_import_does(cli, db_file):
    # `edit nrg --phone O7872611770` and `add ... --phone O7872611770` were silent (exit 0);
    # import warns and `check` reports it. The person typing it is told now, while they can fix it.
    db = ["--db", str(db_file)]
    added = cli(*db, "add", "--name", "Phone Gym", "--category", "gym", "--postcode", "M14 4HY",
                "--phone", "O7872611770")  # fmt: skip
    assert "warning: --phone: 'O7872611770' has a letter O where a 0 should be" in added.stderr
    edited = cli(*db, "edit", "phone-gym", "--phone", "0161 O00 1234")
    assert "warning: --phone: '0161 O00 1234' has a letter O where a 0 should be" in edited.stderr
    fine = cli(*db, "edit", "phone-gym", "--phone", "0161 000 1234")
    assert "letter O" not in fine.stderr
