"""CSV import and export as partnership managers use them: with files written as Excel does."""

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import run_process

HEADER = "name,category,tags,postcode,lat,lon,cost,phone,schedule,verified_on"


def write(path, text: str, encoding="utf-8", newline="\r\n"):
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def dump(db) -> str:
    """The catalogue's whole content, as SQL (file bytes move with WAL checkpoints)."""
    conn = sqlite3.connect(db)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def assets(cli, db):
    return json.loads(cli("--db", str(db), "list", "--format", "json").stdout)


def test_utf8_bom_crlf_embedded_newline_and_uk_dates(cli, db_file, tmp_path):
    f = write(tmp_path / "bom.csv", "\ufeff" + HEADER + "\n"
              '"Café Walkers",walking group,"Walking; Outdoors",st47qb,,,free,01782 000000,"Sat 10am-12noon",23/11/2025\n'
              '"Two-line\nName Club",book club,books,M1 1AD,,,,,,2025-11-23\n')  # fmt: skip
    result = cli("--db", str(db_file), "import", str(f))
    assert "2 added, 0 updated, 0 unchanged" in result.stderr
    rows = {a["name"]: a for a in assets(cli, db_file)}
    cafe = rows["Café Walkers"]
    assert cafe["postcode"] == "ST4 7QB" and cafe["tags"] == ["walking", "outdoors"]
    assert cafe["verified_on"] == "2025-11-23" and cafe["schedule"] == "Sat 10:00-12:00"
    assert cafe["lat"] == pytest.approx(53.00753)  # placed from the postcode, offline
    assert cafe["phone"] == "01782 000000"  # kept as text
    assert "Two-line\nName Club" in rows


def test_windows_1252_with_pound_sign_and_accent_is_detected(cli, db_file, tmp_path):
    f = write(tmp_path / "cp1252.csv", "name,category,postcode,notes\nJosé's Gym,gym,M1 1AD,£2 a session\n", encoding="cp1252")  # fmt: skip
    result = cli("--db", str(db_file), "import", str(f))
    assert "Windows-1252" in result.stderr
    [a] = assets(cli, db_file)
    assert a["name"] == "José's Gym" and a["notes"] == "£2 a session"


def test_semicolon_delimited_european_excel_with_aliases(cli, db_file, tmp_path):
    """European Excel writes ';' between fields and a decimal comma in numbers ('53,5'). A
    coordinate cannot have a thousands separator, so its one comma is the decimal point."""
    f = write(tmp_path / "semi.csv", "Name;Type;Interests;Post code;Latitude;Longitude;URL\n"
              "Bolton Boxing;GYM;boxing;;53,5;-2,43;\n"
              "Bolton Walk;walking group;walking;;53,5x;-2,43;\n")  # fmt: skip
    result = cli("--db", str(db_file), "import", str(f), code=1)
    # What is still not a number is named by row and column, with the fix; nothing written.
    assert "row 3, column lat: '53,5x' is not a number; write it like 53.48" in result.stderr
    assert assets(cli, db_file) == []
    f = write(tmp_path / "semi2.csv", "Name;Type;Interests;Post code;Latitude;Longitude;URL\n"
              "Bolton Boxing;GYM;boxing;;53,5;-2,43;\n"
              "Salford Walk;walking group;walking;;53.48;-2.29;salfordwalks.org.uk\n")  # fmt: skip
    cli("--db", str(db_file), "import", str(f))
    boxing, walk = sorted(assets(cli, db_file), key=lambda a: a["name"])
    assert (boxing["lat"], boxing["lon"], boxing["category"]) == (53.5, -2.43, "gym")
    assert walk["category"] == "walking group" and walk["website"] == "https://salfordwalks.org.uk"


def test_every_problem_is_reported_with_row_column_and_fix_and_nothing_is_written(
    cli, db_file, tmp_path
):
    f = write(tmp_path / "bad.csv", HEADER + "\n"
              "Good One,gym,,M1 1AD,,,free,,,\n"
              "Bad Cost,gym,,M1 1AD,,,fre,,,\n"
              ",knitting,,ST4 7Q,,,,,,\n"
              "No Place,gym,,,,,,,,\n"
              "Bad Date,gym,,M1 1AD,,,,,,31/02/2025\n")  # fmt: skip
    before = dump(db_file)
    result = cli("--db", str(db_file), "import", str(f), code=1)
    err = result.stderr
    assert "4 of 5 rows are invalid; nothing was written" in err
    assert "row 3, column cost: 'fre' is not one of free, low, paid" in err
    assert "row 4, column name: is required" in err
    assert "row 4, column category: 'knitting' is not a known category" in err
    assert "row 4, column postcode: 'ST4 7Q' is not a full UK postcode" in err
    assert "row 5, column postcode: give a postcode or lat and lon" in err
    assert "row 6, column verified_on: '31/02/2025' is not a date" in err
    assert "Traceback" not in err
    assert assets(cli, db_file) == []
    assert dump(db_file) == before


def test_skip_invalid_writes_valid_rows_and_rejects_round_trip(cli, db_file, tmp_path):
    f = write(tmp_path / "mixed.csv", HEADER + "\n"
              "Good One,gym,,M1 1AD,,,free,,,\n"
              "Bad Cost,gym,,M1 1AD,,,fre,,,\n")  # fmt: skip
    rejects = tmp_path / "rejects.csv"
    result = cli("--db", str(db_file), "import", str(f), "--skip-invalid", "--rejects", str(rejects), code=3)  # fmt: skip
    assert "1 added, 0 updated, 0 unchanged, 1 skipped" in result.stderr
    rows = list(csv.DictReader(io.StringIO(rejects.read_text(encoding="utf-8-sig"))))
    assert rows == [{**dict.fromkeys(HEADER.split(","), ""), "name": "Bad Cost", "category": "gym",
                     "postcode": "M1 1AD", "cost": "fre",
                     "error": "cost: 'fre' is not one of free, low, paid"}]  # fmt: skip
    # Fix it in "Excel" and re-import the rejects file as it is (its error column is ignored).
    rejects.write_text(rejects.read_text(encoding="utf-8-sig").replace(",fre,", ",free,"), encoding="utf-8-sig")  # fmt: skip
    again = cli("--db", str(db_file), "import", str(rejects))
    assert "1 added" in again.stderr
    assert {a["name"] for a in assets(cli, db_file)} == {"Good One", "Bad Cost"}


def test_reimport_changes_nothing_and_upserts_by_id_or_name_and_postcode(cli, db_file, tmp_path):
    f = write(
        tmp_path / "a.csv", HEADER + "\nHanley Walk,walking group,walking,ST1 3EB,,,free,,,\n"
    )
    cli("--db", str(db_file), "import", str(f))
    conn = sqlite3.connect(db_file)
    stamp = conn.execute("SELECT updated_at FROM assets").fetchone()
    time.sleep(1.1)
    again = cli("--db", str(db_file), "import", str(f))
    assert "0 added, 0 updated, 1 unchanged" in again.stderr
    assert conn.execute("SELECT updated_at FROM assets").fetchone() == stamp
    # Same name and postcode without an id: updates that asset.
    g = write(tmp_path / "b.csv", HEADER + "\nHANLEY  walk,walking group,walking,st13eb,,,low,,,\n")
    assert "0 added, 1 updated" in cli("--db", str(db_file), "import", str(g)).stderr
    [a] = assets(cli, db_file)
    assert a["cost"] == "low" and a["id"] == "hanley-walk-st1-3eb"
    # With an id: that asset; another id for the same name+postcode is warned about.
    h = write(tmp_path / "c.csv", "id," + HEADER + "\nother-id,Hanley Walk,walking group,,ST1 3EB,,,free,,,\n")  # fmt: skip
    result = cli("--db", str(db_file), "import", str(h))
    assert "looks like the existing asset hanley-walk-st1-3eb" in result.stderr
    assert len(assets(cli, db_file)) == 2


def test_dry_run_reports_without_writing(cli, db_file, tmp_path):
    f = write(tmp_path / "a.csv", HEADER + "\nA,gym,,M1 1AD,,,,,,\n")
    before = dump(db_file)
    result = cli("--db", str(db_file), "import", str(f), "--dry-run")
    assert "1 would be added" in result.stderr and "nothing written" in result.stderr
    assert assets(cli, db_file) == []
    assert dump(db_file) == before


def test_unknown_columns_are_reported_unless_ignore_extra(cli, db_file, tmp_path):
    f = write(tmp_path / "x.csv", "name,category,postcode,Favourite Colour\nA,gym,M1 1AD,blue\n")
    result = cli("--db", str(db_file), "import", str(f), code=1)
    assert (
        "unknown columns: 'Favourite Colour'" in result.stderr and "--ignore-extra" in result.stderr
    )
    ok = cli("--db", str(db_file), "import", str(f), "--ignore-extra")
    assert "left out unknown columns: Favourite Colour" in ok.stderr


def test_wrong_cell_counts_and_lost_leading_zero(cli, db_file, tmp_path):
    f = write(tmp_path / "x.csv", "name,category,postcode,phone\nA,gym,M1 1AD,1782000000\nB,gym,M1 1AD,,extra,cells\n")  # fmt: skip
    result = cli("--db", str(db_file), "import", str(f), "--skip-invalid", code=3)
    assert "row 3: has 2 more cells than the header has columns" in result.stderr
    assert (
        "row 2, column phone: '1782000000' looks like a UK number that lost its leading 0"
        in result.stderr
    )


def test_stdin_import(cli, db_file):
    result = cli(
        "--db", str(db_file), "import", "-", input="name,category,postcode\nA,gym,M1 1AD\n"
    )
    assert "1 added" in result.stderr


def test_missing_or_empty_file(cli, db_file, tmp_path):
    assert "could not open" in cli("--db", str(db_file), "import", str(tmp_path / "nope.csv"), code=1).stderr  # fmt: skip
    empty = write(tmp_path / "empty.csv", "")
    assert "empty" in cli("--db", str(db_file), "import", str(empty), code=1).stderr


def test_export_csv_round_trips_into_an_empty_catalogue(cli, tmp_path):
    exported = tmp_path / "all.csv"
    cli("export", str(exported))
    fresh = tmp_path / "fresh.db"
    cli("--db", str(fresh), "init", "--empty")
    result = cli("--db", str(fresh), "import", str(exported))
    assert "0 updated, 0 unchanged" in result.stderr
    again = tmp_path / "again.csv"
    cli("--db", str(fresh), "export", str(again))
    assert again.read_bytes() == exported.read_bytes()
    assert "0 added, 0 updated" in cli("--db", str(fresh), "import", str(again)).stderr


def test_export_cells_cannot_run_as_formulas_and_import_undoes_it(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    cli(*db, "add", "--name", "=HYPERLINK(\"http://evil\")", "--category", "gym", "--postcode", "M1 1AD",
        "--phone", "+44 1782 000000", "--notes", "@SUM(A1)", "--lat", "53.48", "--lon", "-2.24")  # fmt: skip
    out = cli(*db, "export").stdout
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["name"].startswith("'=")
    assert row["phone"] == "'+44 1782 000000"  # Excel shows +44 1782 000000
    assert row["notes"] == "'@SUM(A1)"
    assert row["lon"] == "-2.24"  # numbers stay numbers
    fresh = tmp_path / "fresh.db"
    cli("--db", str(fresh), "init", "--empty")
    cli("--db", str(fresh), "import", "-", input=out)
    [a] = assets(cli, fresh)
    assert a["name"] == '=HYPERLINK("http://evil")' and a["phone"] == "+44 1782 000000"


def test_export_writes_each_cell_as_the_record_shows_it(cli, db_file, tmp_path):
    """The fast CSV path (cells straight from SQLite) against Asset.to_row for awkward
    values: whole-number and tiny coordinates, ages, formula-like and quoted text."""
    from assetmap.catalogue.opening import open_catalogue
    from assetmap.transfer.csvio import inert

    db = ["--db", str(db_file)]
    rows = [
        ("Whole", "53", "-2", "5", "=1+1", 'say "hi", then\nleave'),
        ("Meridian", "51.47", "0.00001", "", "-", "+44 1782 000000"),
        ("West of it", "51.47", "-0.00005", "18", "@x", "plain"),
        ("Normal", "53.123456", "-2.654321", "", "", ""),
    ]
    for name, lat, lon, age, notes, description in rows:
        cli(*db, "add", "--name", name, "--category", "gym", "--lat", lat, "--lon", lon,
            "--min-age", age, "--notes", notes, "--description", description)  # fmt: skip
    out = cli(*db, "export").stdout
    cat = open_catalogue(db_file)
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(list(cat.get(cat.list()[0].id).to_row()))
    for asset in sorted(cat.list(), key=lambda a: a.id):
        writer.writerow([inert(v) for v in asset.to_row().values()])
    cat.close()
    assert out.replace("\r\n", "\n") == expected.getvalue().replace("\r\n", "\n")
    assert ",0.00001," in out and ",53,-2," in out and ",-0.00005," in out


def test_export_excel_has_bom_and_formats(cli, tmp_path):
    excel = tmp_path / "excel.csv"
    cli("export", str(excel), "--excel", "--category", "gym")
    assert excel.read_bytes().startswith(b"\xef\xbb\xbf")
    assert not cli("export").stdout.startswith("\ufeff")
    js = json.loads(cli("export", "--format", "json", "--category", "gym").stdout)
    assert js and all(a["category"] == "gym" for a in js)
    nd = cli("export", "--format", "ndjson", "--tag", "books").stdout.splitlines()
    assert nd and all("books" in json.loads(x)["tags"] for x in nd)
    gj = json.loads(cli("export", "--format", "geojson", "--area", "Trafford").stdout)
    assert gj["type"] == "FeatureCollection" and gj["features"]
    f = gj["features"][0]
    assert f["geometry"]["type"] == "Point"
    lon, lat = f["geometry"]["coordinates"]
    assert -3 < lon < -2 and 53 < lat < 54  # [lon, lat] order, RFC 7946
    assert json.loads(cli("export", "--format", "json", "--tag", "nothing-has-this").stdout) == []
    assert len(json.loads(cli("export", "--format", "json").stdout)) >= 600  # no default limit


@pytest.mark.slow
def test_kill_9_mid_import_leaves_the_catalogue_as_it_was(tmp_path):
    db = tmp_path / "kill.db"
    assert run_process("--db", str(db), "init", "--empty").returncode == 0
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("name,category,lat,lon,tags\n")
        for i in range(200_000):
            fh.write(f"Asset {i},gym,{53 + i / 1e6:.6f},-2.2,gym;fitness\n")
    before = sqlite3.connect(db).execute("SELECT count(*) FROM assets").fetchone()
    proc = subprocess.Popen([sys.executable, "-m", "assetmap", "--db", str(db), "import", str(big)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())  # fmt: skip
    time.sleep(2.0)
    assert proc.poll() is None, "the import finished before it could be killed; use a bigger file"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM assets").fetchone() == before
    assert conn.execute("SELECT count(*) FROM assets_rtree").fetchone() == before


def test_into_an_empty_catalogue_repeats_and_lookalikes_are_still_reported(cli, db_file, tmp_path):
    f = write(tmp_path / "dups.csv", "id,name,category,postcode,cost,source\n"
              "a-1,Hanley Walk,walking group,ST1 3EB,free,council\n"
              "b-2,Hanley Walk,walking group,ST1 3EB,free,council\n"
              "c-3,Hanley Walk,walking group,ST1 3EB,free,parish\n"
              ",Stoke Gym,gym,ST4 7QB,paid,council\n"
              ",Stoke Gym,gym,ST4 7QB,low,council\n")  # fmt: skip
    result = cli("--db", str(db_file), "import", str(f))
    assert "3 added, 1 updated, 1 unchanged" in result.stderr
    assert "row 6: repeats an earlier row of this file (id stoke-gym-st4-7qb)" in result.stderr
    # One source listing a place twice gives one record; another source's is a lookalike.
    assert "row 3: 'Hanley Walk' (id b-2) is a-1 again" in result.stderr
    assert "a-1, c-3 look like one asset" in result.stderr
    rows = {a["id"]: a for a in assets(cli, db_file)}
    assert "b-2" not in rows and "c-3" in rows
    assert rows["stoke-gym-st4-7qb"]["cost"] == "low"  # the later row wins


def test_files_in_missing_folders_are_one_line_errors(cli, db_file, tmp_path):
    """Regression: export, --rejects and the Open Referral folder in a missing directory
    gave a traceback (or quietly created the folders)."""
    db = ["--db", str(db_file)]
    missing = tmp_path / "no" / "such"
    bad = write(tmp_path / "bad.csv", "name,category,postcode\nA,gym,M1 1AD\nB,gymx,M1 1AD\n")
    for args in (
        ["export", str(missing / "out.csv")],
        ["export", "--format", "openreferral", str(missing / "oruk")],
        ["import", str(bad), "--skip-invalid", "--rejects", str(missing / "rejects.csv")],
    ):
        result = cli(*db, *args, code=1)
        assert "does not exist" in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert result.stderr.strip().splitlines()[-1].startswith("Error: ")
    assert not (tmp_path / "no").exists()
    assert assets(cli, db_file) == []


def test_into_an_empty_catalogue_rows_without_id_match_earlier_rows_by_name_and_postcode(
    cli, db_file, tmp_path
):
    f = write(tmp_path / "match.csv", "id,name,category,postcode,cost\n"
              "sg-1,Stoke Gym,gym,ST4 7QB,paid\n"
              ",STOKE  gym,gym,st47qb,low\n")  # fmt: skip
    result = cli("--db", str(db_file), "import", str(f))
    assert "1 added, 1 updated" in result.stderr
    [asset] = assets(cli, db_file)
    assert asset["id"] == "sg-1" and asset["cost"] == "low"


def test_day_and_time_filters_work_after_an_import_into_an_empty_catalogue(cli, db_file, tmp_path):
    """A bulk import stores each schedule as weekly sessions (derived once at the end), and
    --day and --at find the clubs by them."""
    src = tmp_path / "clubs.csv"
    write(src, "name,category,postcode,schedule\n"
               "Saturday Walkers,walking group,ST4 7QB,Saturdays 10am-12noon\n"
               "Evening Gym,gym,ST4 7QB,Mon-Fri 18:00-21:00\n")  # fmt: skip
    cli("--db", str(db_file), "import", str(src))

    def names(*args):
        out = cli("--db", str(db_file), "near", "ST4 7QB", *args, "--format", "json").stdout
        return sorted(r["name"] for r in json.loads(out))

    assert names("--day", "sat") == ["Saturday Walkers"]
    assert names("--day", "wed", "--at", "19:30") == ["Evening Gym"]
    assert names("--day", "sun") == []
    conn = sqlite3.connect(db_file)
    stored = conn.execute(
        'SELECT a.name, s.day, s.start, s."end" FROM sessions s JOIN assets a ON a.pk = s.asset_pk '
        "ORDER BY a.name, s.day"
    ).fetchall()
    conn.close()
    assert stored == [("Evening Gym", d, 18 * 60, 21 * 60) for d in range(5)] + [
        ("Saturday Walkers", 5, 600, 720)
    ]


def test_reimporting_an_export_keeps_approximate_positions_and_changes_nothing(
    cli, db_file, tmp_path
):
    # Placed from their postcodes, not given: an export carries the point without its
    # precision, and reading it back must neither call it exact nor count it updated.
    f = write(
        tmp_path / "a.csv",
        "name,category,postcode\nHanley Walk,walking group,ST1 3EB\nPark Walk,walking group,ST4 7QB\n",
    )
    cli("--db", str(db_file), "import", str(f))
    before = {a["id"]: a["geo_precision"] for a in assets(cli, db_file)}
    assert set(before.values()) == {"postcode"}
    exported = tmp_path / "all.csv"
    cli("--db", str(db_file), "export", str(exported))
    result = cli("--db", str(db_file), "import", str(exported))
    assert "0 added, 0 updated, 2 unchanged" in result.stderr
    assert {a["id"]: a["geo_precision"] for a in assets(cli, db_file)} == before


def test_an_unknown_encoding_is_one_line_naming_the_fix(cli, db_file, tmp_path):
    f = write(
        tmp_path / "a.csv", HEADER + "\nHanley Walk,walking group,walking,ST1 3EB,,,free,,,\n"
    )
    result = cli("--db", str(db_file), "import", str(f), "--encoding", "klingon", code=1)
    said = [ln for ln in result.stderr.splitlines() if not ln.startswith("assetmap: ")]
    assert said == ["Error: --encoding: 'klingon' is not an encoding; use utf-8, cp1252 or latin-1"]
    assert assets(cli, db_file) == []


@pytest.mark.parametrize("encoding", ["zlib", "utf-16"])
def test_an_encoding_that_cannot_read_the_file_is_one_line_naming_the_fix(
    cli, db_file, tmp_path, encoding
):
    f = write(
        tmp_path / "a.csv", HEADER + "\nHanley Walk,walking group,walking,ST1 3EB,,,free,,,\n"
    )
    result = cli("--db", str(db_file), "import", str(f), "--encoding", encoding, code=1)
    said = [ln for ln in result.stderr.splitlines() if not ln.startswith("assetmap: ")]
    assert len(said) == 1 and said[0].startswith("Error: ") and "--encoding" in said[0], said


def test_each_problem_of_a_refused_import_is_a_line_of_its_own(cli, db_file, tmp_path):
    # Found in a newcomer run: the one-line rule for errors turned the list of problems into
    # one line joined by a literal "\n", so a manager read "...the rest):\nrow 2: ...".
    f = write(tmp_path / "bad.csv", HEADER + "\n"
              "Bad Cost,gym,,M1 1AD,,,fre,,,\n"
              'Two Lines,gym,,M1 1AD,,,"fr\nee",,,\n')  # fmt: skip
    lines = cli("--db", str(db_file), "import", str(f), code=1).stderr.strip().split("\n")
    assert lines[-3].startswith("Error: 2 of 2 rows are invalid; nothing was written")
    assert lines[-2] == "row 2, column cost: 'fre' is not one of free, low, paid"
    # a value quoted in a problem still cannot break it over lines
    assert lines[-1] == "row 3, column cost: 'fr\\nee' is not one of free, low, paid"
    assert "\\n" not in "\n".join(lines[-3:-1])


def test_a_website_cell_that_is_not_a_web_address_is_refused_naming_its_row(cli, db_file, tmp_path):
    # Found in a newcomer run: a formula pasted into the website column of an Excel sheet was
    # stored as the web address "https://=HYPERLINK(...)", printed on plans and in searches.
    f = tmp_path / "partners.csv"
    f.write_text(
        "name,category,postcode,website\n"
        'Boxing Club,sports club,ST1 3EB,"=HYPERLINK(""http://evil.example"",""click"")"\n'
        "Walkers,walking group,ST1 3EB,walkers.example.org/join?day=sat\n"
        "Readers,book club,ST1 3EB,HTTPS://www.stoke.gov.uk/readers\n"
    )
    bad = cli("--db", str(db_file), "import", str(f), code=1)
    assert """row 2, column website: '=HYPERLINK("http://evil.example","click")' is not a web address""" in bad.stderr  # fmt: skip
    assert "row 3" not in bad.stderr and "row 4" not in bad.stderr
    f.write_text(f.read_text().replace("=HYPERLINK", "boxing.example/HYPERLINK"))
    cli("--db", str(db_file), "import", str(f))
    sites = {a["name"]: a["website"] for a in assets(cli, db_file)}
    assert sites["Walkers"] == "https://walkers.example.org/join?day=sat"
    assert sites["Readers"] == "HTTPS://www.stoke.gov.uk/readers"


def test_excel_unicode_text_utf16_with_tabs_is_read_as_it_is(cli, db_file, tmp_path):
    # Found in a newcomer run: Excel's "Unicode Text" (UTF-16 with a byte-order mark, tabs)
    # decodes as UTF-8 too (its NULs are valid), so every cell came in as '\x00g\x00y\x00m'.
    f = write(tmp_path / "unicode.txt", "\ufeffname\tcategory\tpostcode\n"
              "Café Walkers\twalking group\tST4 7QB\n", encoding="utf-16-le")  # fmt: skip
    result = cli("--db", str(db_file), "import", str(f))
    assert "1 added" in result.stderr
    [a] = assets(cli, db_file)
    assert (a["name"], a["category"], a["postcode"]) == ("Café Walkers", "walking group", "ST4 7QB")


def test_a_skipped_row_is_one_line_whatever_its_cell_holds(cli, db_file, tmp_path):
    # As for a refused file: a cell with a line break must not split the "skipped" line.
    f = write(tmp_path / "skip.csv", 'name,category,postcode,cost\nA,gym,ST4 7QB,"fr\nee"\n'
              "B,gym,ST4 7QB,free\n")  # fmt: skip
    err = cli("--db", str(db_file), "import", str(f), "--skip-invalid", code=3).stderr
    assert "skipped row 2, column cost: 'fr\\nee' is not one of free, low, paid\n" in err, err


def test_quiet_import_skipping_rows_says_which_and_why(cli, db_file, tmp_path):
    # A cron line `assetmap --quiet import feed.csv --skip-invalid` mailed only "Error: 1 invalid
    # row was skipped": the skipped rows were info, which --quiet hides. They are the errors.
    f = tmp_path / "feed.csv"
    f.write_text(
        "name,category,postcode,cost\nGood Gym,gym,ST4 7QB,free\nBad Gym,gym,ST4 7QB,fre\n"
    )
    rejects = tmp_path / "fix-me.csv"
    quiet = cli("--db", str(db_file), "--quiet", "import", str(f), "--skip-invalid", code=3)
    assert "row 3, column cost: 'fre' is not one of free, low, paid" in quiet.stderr, quiet.stderr
    assert "import:" not in quiet.stderr  # the summary is still left out
    again = cli("--db", str(db_file), "import", str(f), "--skip-invalid", "--rejects", str(rejects), code=3)  # fmt: skip
    assert f"1 invalid row was skipped; it is in {rejects}" in again.stderr, again.stderr


def test_a_row_with_a_bad_cell_and_an_unplaceable_postcode_gets_both_at_once(cli, db_file, tmp_path):  # fmt: skip
    # "every problem is reported at once": a row with cost 'fre' and postcode ZZ99 9ZZ said
    # only the cost; fixed and re-run, it then said the postcode. Both come the first time.
    f = tmp_path / "feed.csv"
    f.write_text("name,category,postcode,cost\nBad Gym,gym,ZZ99 9ZZ,fre\nOk Gym,gym,ST4 7QB,free\n")
    err = cli("--db", str(db_file), "import", str(f), code=1).stderr
    assert "row 2, column cost: 'fre' is not one of free, low, paid" in err, err
    assert "row 2, column postcode: could not place it ('ZZ99 9ZZ'" in err, err
    # With coordinates given, or --allow-unplaced, the postcode is not a problem.
    cli("--db", str(db_file), "import", str(f), "--allow-unplaced", code=1)
    allowed = cli("--db", str(db_file), "import", str(f), "--allow-unplaced", code=1).stderr
    assert "column postcode" not in allowed and "column cost" in allowed, allowed
