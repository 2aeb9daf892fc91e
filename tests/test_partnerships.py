"""Partnerships: the relationship with each group (status, work contact, referral route,
contact dates, staff notes) through every way in and out, and the migration that adds it."""

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

FIXTURE_SCHEMA4 = Path(__file__).parent / "data" / "catalogue-schema4.db"
STAFF_ONLY = ("partnership_status", "contact_name", "contact_role", "contact_phone",
              "contact_email", "last_contact", "next_contact", "staff_notes")  # fmt: skip
PARTNER = [
    "--partnership-status", "Partner", "--contact-name", "Sam Okafor",
    "--contact-role", "Volunteer coordinator", "--contact-phone", "07700 900123",
    "--contact-email", "sam@allotments.example", "--referral-route", "phone",
    "--referral-details", "Tue-Thu", "--welcomes-mentor", "yes",
    "--last-contact", "03/11/2026", "--next-contact", "2026-12-10",
    "--staff-notes", "ask for Sam; quieter on Wednesdays",
]  # fmt: skip


def _add_partner(cli, db, name="Moss Side Allotments", postcode="M14 4SQ", extra=()):
    return cli(*db, "add", "--name", name, "--category", "gardening", "--postcode", postcode,
               *PARTNER, *extra).stdout.strip()  # fmt: skip


def test_add_and_show_keep_every_partnership_field(cli, db_file):
    db = ["--db", str(db_file)]
    asset_id = _add_partner(cli, db)
    shown = json.loads(cli(*db, "show", asset_id, "--format", "json").stdout)
    assert shown["partnership_status"] == "partner"
    assert shown["contact_name"] == "Sam Okafor"
    assert shown["contact_role"] == "Volunteer coordinator"
    assert shown["contact_phone"] == "07700 900123"
    assert shown["contact_email"] == "sam@allotments.example"
    assert shown["referral_route"] == "phone"
    assert shown["referral_details"] == "Tue-Thu"
    assert shown["welcomes_mentor"] == "yes"
    assert shown["last_contact"] == "2026-11-03"  # UK date, stored ISO
    assert shown["next_contact"] == "2026-12-10"
    assert shown["staff_notes"] == "ask for Sam; quieter on Wednesdays"
    table = cli(*db, "show", asset_id).stdout
    assert "contact_name" in table and "Sam Okafor" in table


def test_edit_changes_only_the_given_partnership_fields(cli, db_file):
    db = ["--db", str(db_file)]
    asset_id = _add_partner(cli, db)
    cli(*db, "edit", asset_id, "--partnership-status", "lapsed", "--contact-name", "")
    shown = json.loads(cli(*db, "show", asset_id, "--format", "json").stdout)
    assert shown["partnership_status"] == "lapsed"
    assert shown["contact_name"] == ""
    assert shown["contact_phone"] == "07700 900123"
    assert shown["staff_notes"] == "ask for Sam; quieter on Wednesdays"


def test_a_new_asset_has_blank_partnership_fields(cli, db_file):
    db = ["--db", str(db_file)]
    asset_id = cli(*db, "add", "--name", "Gym", "--category", "gym", "--postcode", "M1 1AD").stdout.strip()  # fmt: skip
    shown = json.loads(cli(*db, "show", asset_id, "--format", "json").stdout)
    assert shown["partnership_status"] == "" and shown["welcomes_mentor"] == "unknown"
    assert shown["last_contact"] == "" and shown["next_contact"] == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--partnership-status", "friend"], "partnership_status: 'friend' is not one of partner, known, approached, lapsed"),
        (["--contact-email", "sam at example"], "contact_email: 'sam at example' is not an email address"),
        (["--referral-route", "pigeon"], "referral_route: 'pigeon' is not one of phone, email, form, drop-in, other"),
        (["--welcomes-mentor", "maybe"], "welcomes_mentor: 'maybe' is not one of yes, no, unknown"),
        (["--last-contact", "2099-01-01"], "last_contact: 2099-01-01 is in the future"),
        (["--next-contact", "next week"], "next_contact: 'next week' is not a date"),
        (["--referral", "phone"], "how to refer (phone, email, a form) goes in referral_route"),
    ],
)  # fmt: skip
def test_bad_partnership_values_get_one_line_naming_the_field(cli, db_file, args, message):
    db = ["--db", str(db_file)]
    result = cli(*db, "add", "--name", "X", "--category", "gym", "--postcode", "M1 1AD", *args, code=1)  # fmt: skip
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(cli(*db, "list", "--format", "json").stdout) == []


def test_import_reads_the_partnership_columns_under_the_names_people_use(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    sheet = tmp_path / "partners.csv"
    sheet.write_text(
        "Name,Type,Post code,Partnership Status,Contact,Contact Role,Contact Phone,Contact Email,"
        "Referral,How to refer,Referral Details,Peer Mentor,Last Contacted,Next Contact Due,Staff Notes\n"
        "Canal Walkers,walking group,M15 4QP,Known,Jo Bloggs,Leader,0161 000 0000,jo@canal.example,"
        "drop-in,Email,jo@canal.example,no,01/10/2026,15/12/2026,Prefers email\n",
        encoding="utf-8",
    )  # fmt: skip
    cli(*db, "import", str(sheet))
    [asset] = json.loads(cli(*db, "list", "--format", "json").stdout)
    assert asset["partnership_status"] == "known"
    assert asset["contact_name"] == "Jo Bloggs" and asset["contact_role"] == "Leader"
    assert asset["contact_phone"] == "0161 000 0000"
    assert asset["contact_email"] == "jo@canal.example"
    assert asset["referral"] == "drop-in"  # "Referral" is who may come: the existing column
    assert asset["referral_route"] == "email" and asset["referral_details"] == "jo@canal.example"
    assert asset["welcomes_mentor"] == "no"
    assert asset["last_contact"] == "2026-10-01" and asset["next_contact"] == "2026-12-15"
    assert asset["staff_notes"] == "Prefers email"
    # "Contact Name" is the column's own name, matched as any header is.
    other = tmp_path / "other.csv"
    other.write_text("name,category,postcode,Contact Name\nBook Club,book club,M1 1AD,Ali\n")
    cli(*db, "import", str(other))
    assert "Ali" in cli(*db, "list", "--format", "csv").stdout


def test_a_bad_partnership_cell_is_reported_with_row_and_column(cli, db_file, tmp_path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text("name,category,postcode,Partnership Status\nA,gym,M1 1AD,partner\nB,gym,M1 1AD,maybe\n")  # fmt: skip
    result = cli("--db", str(db_file), "import", str(sheet), code=1)
    assert "row 3, column partnership_status: 'maybe' is not one of partner, known" in result.stderr
    assert "nothing was written" in result.stderr


def test_a_feed_without_partnership_columns_keeps_the_teams_relationship(cli, db_file, tmp_path):
    """The nightly council feed matches the asset by name and postcode: it updates the public
    details and must not blank the contact, status, dates or notes it knows nothing about."""
    db = ["--db", str(db_file)]
    asset_id = _add_partner(cli, db)
    feed = tmp_path / "council.csv"
    feed.write_text("name,category,postcode,phone\nMoss Side Allotments,gardening,M14 4SQ,0161 111 2222\n")  # fmt: skip
    result = cli(*db, "import", str(feed))
    assert "1 updated" in result.stderr
    shown = json.loads(cli(*db, "show", asset_id, "--format", "json").stdout)
    assert shown["phone"] == "0161 111 2222"
    assert shown["contact_name"] == "Sam Okafor" and shown["partnership_status"] == "partner"
    assert shown["next_contact"] == "2026-12-10" and shown["staff_notes"].startswith("ask for Sam")
    # A file that does carry a partnership column sets it, blank included.
    feed.write_text("name,category,postcode,staff_notes\nMoss Side Allotments,gardening,M14 4SQ,\n")
    cli(*db, "import", str(feed))
    shown = json.loads(cli(*db, "show", asset_id, "--format", "json").stdout)
    assert shown["staff_notes"] == "" and shown["contact_name"] == "Sam Okafor"


def test_export_round_trips_the_partnership_fields(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    _add_partner(cli, db)
    exported = cli(*db, "export").stdout
    header = next(csv.reader(io.StringIO(exported)))
    assert header[-11:] == ["partnership_status", "contact_name", "contact_role", "contact_phone",
                            "contact_email", "referral_route", "referral_details", "welcomes_mentor",
                            "last_contact", "next_contact", "staff_notes"]  # fmt: skip
    assert "Sam Okafor" in exported
    copy = tmp_path / "copy.db"
    cli("--db", str(copy), "init", "--empty")
    (tmp_path / "x.csv").write_text(exported)
    cli("--db", str(copy), "import", str(tmp_path / "x.csv"))
    assert cli("--db", str(copy), "export").stdout == exported


@pytest.mark.parametrize("fmt", ["csv", "json", "ndjson", "geojson"])
def test_export_public_leaves_out_the_staff_only_fields(cli, db_file, fmt):
    db = ["--db", str(db_file)]
    _add_partner(cli, db)
    full = cli(*db, "export", "--format", fmt).stdout
    public = cli(*db, "export", "--format", fmt, "--public")
    assert "public" in public.stderr
    for value in ("Sam Okafor", "Volunteer coordinator", "07700 900123", "sam@allotments.example",
                  "quieter on Wednesdays", "2026-11-03", "2026-12-10"):  # fmt: skip
        assert value in full
        assert value not in public.stdout
    for name in STAFF_ONLY:
        assert name in full and name not in public.stdout
    # What a partner outside the team needs to refer someone stays.
    assert "Moss Side Allotments" in public.stdout and "referral_route" in public.stdout
    assert "Tue-Thu" in public.stdout and "welcomes_mentor" in public.stdout


def test_public_csv_still_imports(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    _add_partner(cli, db)
    path = tmp_path / "public.csv"
    cli(*db, "export", str(path), "--public")
    other = tmp_path / "other.db"
    cli("--db", str(other), "init", "--empty")
    cli("--db", str(other), "import", str(path))
    [asset] = json.loads(cli("--db", str(other), "list", "--format", "json").stdout)
    assert asset["referral_route"] == "phone" and asset["contact_name"] == ""


def test_open_referral_carries_the_contact_and_round_trips(cli, db_file, tmp_path):
    from frictionless import validate

    db = ["--db", str(db_file)]
    _add_partner(cli, db)
    cli(*db, "add", "--name", "No Contact Gym", "--category", "gym", "--postcode", "M1 1AD",
        "--phone", "0161 222 3333")  # fmt: skip
    out = tmp_path / "oruk"
    cli(*db, "export", "--format", "openreferral", str(out))
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    with (out / "contacts.csv").open(encoding="utf-8") as fh:
        # The work contact, beside the public "Enquiries" contacts that carry public phones.
        [contact] = [c for c in csv.DictReader(fh) if c["title"] != "Enquiries"]
    assert contact["name"] == "Sam Okafor" and contact["title"] == "Volunteer coordinator"
    assert contact["email"] == "sam@allotments.example"
    with (out / "phones.csv").open(encoding="utf-8") as fh:
        phones = list(csv.DictReader(fh))
    assert {"contact_id": contact["id"], "number": "07700 900123"}.items() <= next(
        p for p in phones if p["contact_id"] == contact["id"]
    ).items()
    fresh = tmp_path / "fresh.db"
    cli("--db", str(fresh), "init", "--empty")
    cli("--db", str(fresh), "import", str(out))
    assert cli("--db", str(fresh), "export").stdout == cli(*db, "export").stdout
    # Public: no work contact (only the public phones' "Enquiries"), and no attributes for
    # the staff-only fields.
    public = tmp_path / "public"
    cli(*db, "export", "--format", "openreferral", "--public", str(public))
    with (public / "contacts.csv").open(encoding="utf-8") as fh:
        assert {c["title"] for c in csv.DictReader(fh)} == {"Enquiries"}
    text = "".join(p.read_text() for p in public.glob("*.csv"))
    for value in ("Sam Okafor", "07700 900123", "quieter on Wednesdays", "partnership_status"):
        assert value not in text
    assert "Tue-Thu" in text


def test_a_catalogue_from_before_partnerships_opens_and_gains_the_fields(cli, tmp_path):
    """tests/data/catalogue-schema4.db was written by assetmap at schema 4 (main at 4b31da8:
    init --empty, two assets added, backup)."""
    path = tmp_path / "old.db"
    shutil.copy(FIXTURE_SCHEMA4, path)
    db = ["--db", str(path)]
    before = sqlite3.connect(path)
    assert before.execute("PRAGMA user_version").fetchone()[0] == 4
    old_rows = before.execute("SELECT * FROM assets ORDER BY id").fetchall()
    before.close()
    shown = json.loads(cli(*db, "show", "hanley-walkers", "--format", "json").stdout)
    # Nothing lost...
    assert shown["name"] == "Hanley Walkers" and shown["notes"] == "Meet at the park gate"
    assert shown["tags"] == ["walking", "outdoors"] and shown["referral"] == "drop-in"
    assert shown["verified_on"] == "2026-01-05" and shown["phone"] == "01782 000001"
    # ...and the new fields are there, blank.
    assert shown["partnership_status"] == "" and shown["welcomes_mentor"] == "unknown"
    after = sqlite3.connect(path)
    assert after.execute("PRAGMA user_version").fetchone()[0] >= 5
    new_rows = after.execute("SELECT * FROM assets ORDER BY id").fetchall()
    assert [r[: len(old_rows[0])] for r in new_rows] == old_rows
    after.close()
    assert "m005_partnerships" in cli(*db, "db", "migrate", "--list").stdout
    # The old catalogue takes partnership edits, and searches still find its assets.
    cli(*db, "edit", "stoke-gym", "--partnership-status", "partner", "--next-contact", "2027-01-04")
    assert json.loads(cli(*db, "show", "stoke-gym", "--format", "json").stdout)["next_contact"] == "2027-01-04"  # fmt: skip
    found = json.loads(cli(*db, "near", "53.0,-2.18", "--format", "json").stdout)
    assert "stoke-gym" in [r["id"] for r in found]


# -- partners, partners due, partners log ----------------------------------------------------
def _pipeline(cli, db):
    """Assets at fixed dates around 2026-11-01: overdue, due soon, due later, none due."""
    specs = [
        ("overdue-lapsed", "lapsed", "2026-10-01"),
        ("due-soon-known", "known", "2026-11-06"),
        ("due-today-partner", "partner", "2026-11-01"),
        ("no-status-due", "", "2026-11-15"),  # due in 14 days: on the window's edge
        ("later-partner", "partner", "2026-11-20"),
        ("none-due-partner", "partner", ""),
        ("approached-later", "approached", "2027-01-10"),
    ]
    for asset_id, status, next_contact in specs:
        cli(*db, "add", "--id", asset_id, "--name", asset_id.replace("-", " ").title(),
            "--category", "gym", "--postcode", "M1 1AD", "--partnership-status", status,
            "--next-contact", next_contact, "--contact-name", "Sam", "--last-contact", "2026-09-01")  # fmt: skip


def test_partners_due_lists_every_asset_due_or_overdue_in_the_window(cli, db_file):
    db = ["--db", str(db_file)]
    _pipeline(cli, db)
    due = ["partners", "due", "--as-of", "2026-11-01"]
    rows = json.loads(cli(*db, *due, "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["overdue-lapsed", "due-today-partner", "due-soon-known", "no-status-due"]  # fmt: skip
    assert [r["days_overdue"] for r in rows] == [31, 0, -5, -14]
    assert rows[0]["partnership_status"] == "lapsed" and rows[0]["contact_name"] == "Sam"
    # A shorter window; overdue ones always stay.
    week = json.loads(cli(*db, *due, "--within", "1w", "--format", "json").stdout)
    assert [r["id"] for r in week] == ["overdue-lapsed", "due-today-partner", "due-soon-known"]
    today_only = json.loads(cli(*db, *due, "--within", "0d", "--format", "json").stdout)
    assert [r["id"] for r in today_only] == ["overdue-lapsed", "due-today-partner"]


@pytest.mark.parametrize("fmt", ["csv", "ndjson", "table"])
def test_partners_due_gives_one_row_per_asset_with_its_id_in_every_format(cli, db_file, fmt):
    db = ["--db", str(db_file)]
    _pipeline(cli, db)
    out = cli(*db, "partners", "due", "--as-of", "2026-11-01", "--format", fmt).stdout
    lines = out.strip().splitlines()
    assert len(lines) == 4 + (fmt != "ndjson")  # a header row, except NDJSON
    ids = ["overdue-lapsed", "due-today-partner", "due-soon-known", "no-status-due"]
    for line, asset_id in zip(lines[-4:], ids, strict=True):
        assert asset_id in line
    if fmt == "csv":
        assert lines[0].startswith("id,name,next_contact,days_overdue")


def test_partners_due_with_nothing_due(cli, db_file):
    db = ["--db", str(db_file)]
    assert json.loads(cli(*db, "partners", "due", "--format", "json").stdout) == []
    result = cli(*db, "partners", "due")
    assert result.stdout == "" and "0 within 14d" in result.stderr
    _pipeline(cli, db)
    cli(*db, "partners", "due", "--as-of", "2026-11-01", "--fail-if-any", code=1)
    cli(*db, "partners", "due", "--as-of", "2026-09-01", "--fail-if-any")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--within", "soon"], "--within: 'soon' is not a period; write 14d, 2w or 1m"),
        (["--as-of", "31/02/2026"], "--as-of: '31/02/2026' is not a date"),
        # Too long a period once gave an OverflowError traceback.
        (["--within", "99999999999d"], "--within: '99999999999d' is more than 100 years"),
        (["--within", "99999999999"], "--within: '99999999999' is more than 100 years"),
    ],
)
def test_partners_due_bad_options_get_one_line(cli, db_file, args, message):
    result = cli("--db", str(db_file), "partners", "due", *args, code=1)
    assert message in result.stderr and "Traceback" not in result.stderr


def test_partners_lists_by_status_then_next_contact(cli, db_file):
    db = ["--db", str(db_file)]
    _pipeline(cli, db)
    cli(*db, "add", "--name", "Not A Partner", "--category", "gym", "--postcode", "M1 1AD")
    rows = json.loads(cli(*db, "partners", "--format", "json").stdout)
    assert [r["id"] for r in rows] == [
        "due-today-partner", "later-partner", "none-due-partner", "approached-later",
        "due-soon-known", "overdue-lapsed",
    ]  # fmt: skip
    only = json.loads(cli(*db, "partners", "--status", "known", "--status", "lapsed", "--format", "json").stdout)  # fmt: skip
    assert [r["id"] for r in only] == ["due-soon-known", "overdue-lapsed"]
    bad = cli(*db, "partners", "--status", "friend", code=1)
    assert "--status: 'friend' is not one of partner, known, approached, lapsed" in bad.stderr


def test_partners_log_moves_the_contact_dates_and_nothing_else(cli, db_file):
    db = ["--db", str(db_file)]
    asset_id = _add_partner(cli, db)  # last 2026-11-03, next 2026-12-10
    before = json.loads(cli(*db, "show", asset_id, "--format", "json").stdout)
    stamp = sqlite3.connect(db_file).execute("SELECT updated_at FROM assets").fetchone()
    result = cli(*db, "partners", "log", asset_id, "--on", "20/11/2026", "--next", "2027-02-01")
    assert "next contact due 2027-02-01" in result.stderr
    after = json.loads(cli(*db, "show", asset_id, "--format", "json").stdout)
    assert after["last_contact"] == "2026-11-20" and after["next_contact"] == "2027-02-01"
    unchanged = {k: v for k, v in after.items() if k not in ("last_contact", "next_contact")}
    assert unchanged == {k: v for k, v in before.items() if k not in ("last_contact", "next_contact")}  # fmt: skip
    assert sqlite3.connect(db_file).execute("SELECT updated_at FROM assets").fetchone() == stamp
    # Without --next: the same gap as last time (2026-11-20 -> 2027-02-01 is 73 days).
    cli(*db, "partners", "log", asset_id, "--on", "2026-11-25")
    again = json.loads(cli(*db, "show", asset_id, "--format", "json").stdout)
    assert again["last_contact"] == "2026-11-25" and again["next_contact"] == "2027-02-06"


def test_partners_log_first_contact_defaults_to_three_months(cli, db_file):
    db = ["--db", str(db_file)]
    asset_id = cli(*db, "add", "--name", "New Group", "--category", "gym", "--postcode", "M1 1AD").stdout.strip()  # fmt: skip
    cli(*db, "partners", "log", asset_id, "--on", "2026-11-01")
    shown = json.loads(cli(*db, "show", asset_id, "--format", "json").stdout)
    assert shown["last_contact"] == "2026-11-01" and shown["next_contact"] == "2027-01-31"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--on", "2099-01-01"], "--on 2099-01-01 is in the future"),
        (["--on", "2026-11-20", "--next", "2026-11-01"], "--next 2026-11-01 is before the contact on 2026-11-20"),
        (["--next", "tomorrow"], "--next: 'tomorrow' is not a date"),
    ],
)  # fmt: skip
def test_partners_log_refuses_bad_dates_and_changes_nothing(cli, db_file, args, message):
    db = ["--db", str(db_file)]
    asset_id = _add_partner(cli, db)
    result = cli(*db, "partners", "log", asset_id, *args, code=1)
    assert message in result.stderr and "Traceback" not in result.stderr
    shown = json.loads(cli(*db, "show", asset_id, "--format", "json").stdout)
    assert shown["last_contact"] == "2026-11-03" and shown["next_contact"] == "2026-12-10"
    missing = cli(*db, "partners", "log", "no-such-id", code=1)
    assert "no asset with id 'no-such-id'" in missing.stderr


def test_stats_counts_partners_by_status_and_area(cli, db_file):
    db = ["--db", str(db_file)]
    _pipeline(cli, db)
    figures = json.loads(cli(*db, "stats", "--format", "json").stdout)
    assert figures["by_partnership_status"]["partner"] == 3
    assert figures["by_partnership_status"]["lapsed"] == 1
    assert figures["partners_by_area"] == {"Manchester": 3}
    table = cli(*db, "stats", "--format", "csv").stdout
    assert "partnership_status,partner,3" in table and "partners_by_area,Manchester,3" in table


def test_check_finds_partners_with_no_contact_or_none_for_a_year(cli, db_file):
    db = ["--db", str(db_file)]
    base = ["--category", "gym", "--postcode", "M1 1AD", "--partnership-status", "partner"]
    cli(*db, "add", "--id", "nobody", "--name", "Nobody To Call", *base, "--last-contact", "2026-11-01")  # fmt: skip
    cli(*db, "add", "--id", "long-ago", "--name", "Long Ago", *base, "--contact-name", "Jo", "--last-contact", "2020-01-01")  # fmt: skip
    cli(*db, "add", "--id", "never", "--name", "Never Spoken", *base, "--contact-phone", "0161 000 0000")  # fmt: skip
    cli(*db, "add", "--id", "fine", "--name", "Fine", *base, "--contact-email", "a@b.example", "--last-contact", "2026-11-01")  # fmt: skip
    cli(*db, "add", "--id", "known-only", "--name", "Known Only", "--category", "gym", "--postcode", "M1 1AD", "--partnership-status", "known")  # fmt: skip
    problems = json.loads(cli(*db, "check", "--format", "json").stdout)
    found = {(p["problem"], p["id"]) for p in problems if p["problem"].startswith("partner")}
    assert found == {
        ("partner without a contact", "nobody"),
        ("partner not contacted", "long-ago"),
        ("partner not contacted", "never"),
    }
    assert any("2020-01-01, over a year ago" in p["detail"] for p in problems)


# -- near: --partners-only, the partner boost, why --------------------------------------------
def _at(cli, db, asset_id, category, km_north, *extra):
    """An asset `km_north` km due north of 53.48,-2.24 (1 degree of latitude: 111.2 km)."""
    lat = f"{53.48 + km_north / 111.2:.6f}"
    cli(*db, "add", "--id", asset_id, "--name", asset_id.title(), "--category", category,
        "--lat", lat, "--lon", "-2.24", *extra)  # fmt: skip


def _near(cli, db, *args):
    out = cli(*db, "near", "53.48,-2.24", "--format", "json", *args).stdout
    return json.loads(out)


def test_near_prefers_a_partner_a_little(cli, db_file):
    db = ["--db", str(db_file)]
    _at(cli, db, "plain-gym", "gym", 0.1)
    _at(cli, db, "partner-gym", "gym", 0.3, "--partnership-status", "partner")
    _at(cli, db, "far-partner-gym", "gym", 1.5, "--partnership-status", "partner")
    ranked = [r["id"] for r in _near(cli, db, "--goal", "get fit")]
    # 200 m further, the partner comes first; 1.4 km further, it does not.
    assert ranked == ["partner-gym", "plain-gym", "far-partner-gym"]
    # --sort distance is distance only.
    by_distance = [r["id"] for r in _near(cli, db, "--goal", "get fit", "--sort", "distance")]
    assert by_distance == ["plain-gym", "partner-gym", "far-partner-gym"]


def test_the_partner_boost_never_outweighs_a_goal(cli, db_file):
    """The best a partner can do without a goal (at the point itself, verified, welcoming a
    mentor) stays below an asset meeting one goal more at the radius's edge, never verified."""
    db = ["--db", str(db_file)]
    _at(cli, db, "partner-gym", "gym", 0.0, "--partnership-status", "partner",
        "--verified-on", "2026-11-01", "--welcomes-mentor", "yes")  # fmt: skip
    _at(cli, db, "far-walkers", "walking group", 4.95)
    ranked = _near(cli, db, "--goal", "get fit", "--goal", "meet people", "--within", "5km")
    assert [r["id"] for r in ranked] == ["far-walkers", "partner-gym"]
    assert ranked[0]["goals_met"] == ["get fit", "meet people"]
    assert ranked[0]["score"] > ranked[1]["score"]


def test_near_partners_only_and_why(cli, db_file):
    db = ["--db", str(db_file)]
    _at(cli, db, "plain-gym", "gym", 0.1)
    _at(cli, db, "partner-gym", "gym", 0.5, "--partnership-status", "partner",
        "--contact-name", "Sam", "--referral-route", "phone", "--referral-details", "Tue-Thu",
        "--welcomes-mentor", "yes")  # fmt: skip
    _at(cli, db, "known-gym", "gym", 0.2, "--partnership-status", "known",
        "--referral-route", "form", "--referral-details", "https://known.example/refer")  # fmt: skip
    only = _near(cli, db, "--partners-only", "--include-staff")
    assert [r["id"] for r in only] == ["partner-gym"]
    [partner] = only
    assert "partner, referral by phone to Sam (Tue-Thu)" in partner["why"]
    # Unasked, the why says only what is public: how to refer, not the partnership or to whom.
    [public] = _near(cli, db, "--partners-only")
    assert "referral by phone (Tue-Thu)" in public["why"] and "Sam" not in public["why"]
    assert not public["why"].startswith("partner") and "partnership_status" not in public
    assert "a mentor can come along" in partner["why"]
    assert partner["partnership_status"] == "partner" and partner["welcomes_mentor"] == "yes"
    everyone = {r["id"]: r["why"] for r in _near(cli, db)}
    assert "referral by form (https://known.example/refer)" in everyone["known-gym"]
    assert "partner" not in everyone["known-gym"] and "mentor" not in everyone["known-gym"]
    assert "referral" not in everyone["plain-gym"] and "partner" not in everyone["plain-gym"]
    # Nothing to show is not an error.
    cli(*db, "edit", "partner-gym", "--partnership-status", "lapsed")
    assert _near(cli, db, "--partners-only") == []


def test_a_logged_contact_survives_reimporting_the_sheet_it_came_from(cli, db_file, tmp_path):
    """The partnership manager's own sheet is imported nightly; `partners log` moved the dates
    since. Like an `edit`, the logged dates are local changes the re-import keeps."""
    db = ["--db", str(db_file)]
    sheet = tmp_path / "partners.csv"
    sheet.write_text(
        "name,category,postcode,partnership_status,last_contact,next_contact\n"
        "Canal Walkers,walking group,M15 4QP,partner,2026-09-01,2026-10-01\n"
    )
    cli(*db, "import", str(sheet))
    [asset] = json.loads(cli(*db, "list", "--format", "json").stdout)
    cli(*db, "partners", "log", asset["id"], "--on", "2026-11-20", "--next", "2027-02-01")
    again = cli(*db, "import", str(sheet))
    shown = json.loads(cli(*db, "show", asset["id"], "--format", "json").stdout)
    assert shown["last_contact"] == "2026-11-20" and shown["next_contact"] == "2027-02-01"
    assert "kept your next_contact" in again.stderr


def test_the_mailed_partners_due_table_says_each_status_and_last_contact(cli, db_file):
    # The README's cron line (`assetmap --quiet partners due --within 14d`) mails the plain
    # table, which had only id, name, next_contact, days_overdue, contact_name and
    # contact_phone: the README promises the status and last_contact in every format, and the
    # manager reading the mail could not tell a partner from a lapsed group.
    db = ["--db", str(db_file)]
    _pipeline(cli, db)
    lines = cli(*db, "--quiet", "partners", "due", "--as-of", "2026-11-01").stdout.splitlines()
    assert lines[0].split() == ["id", "name", "next_contact", "days_overdue",
                                "partnership_status", "contact_name", "contact_phone",
                                "last_contact"]  # fmt: skip
    row = next(line for line in lines if line.startswith("overdue-lapsed"))
    assert " lapsed " in row and row.endswith("2026-09-01"), row
