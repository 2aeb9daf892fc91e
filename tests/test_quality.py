"""Data quality: phones repaired and spaced, `check` finding what a person would trip over,
`stale` leaving closed assets out."""

import json
import sqlite3

from assetmap.catalogue import phones


def test_phones_get_their_zero_back_and_are_stored_spaced(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    f = tmp_path / "p.csv"
    f.write_text(
        "name,category,postcode,phone\n"
        "Lost Zero,gym,M1 1AD,1782123456\n"
        "Squashed,gym,M1 1AD,01612345678\n"
        "Letter O,gym,M1 1AD,O7872611770\n"
        "Abroad,gym,M1 1AD,+44 161 234 5678\n"
    )
    out = cli(*db, "import", str(f))
    assert "'1782123456' looks like a UK number that lost its leading 0" in out.stderr
    assert "stored as 01782 123456" in out.stderr
    assert "'O7872611770' has a letter O where a 0 should be" in out.stderr
    shown = {a["name"]: a["phone"] for a in json.loads(cli(*db, "list", "--format", "json").stdout)}
    assert shown == {"Lost Zero": "01782 123456", "Squashed": "0161 234 5678",
                     "Letter O": "O7872611770", "Abroad": "+44 161 234 5678"}  # fmt: skip
    exported = cli(*db, "export").stdout
    assert ",01782 123456," in exported  # spaced: Excel keeps it as text
    problems = json.loads(cli(*db, "check", "--format", "json").stdout)
    bad = {p["name"]: p["detail"] for p in problems if p["problem"] == "bad phone"}
    assert bad == {"Letter O": "'O7872611770' has a letter O where a 0 should be"}


def test_phone_forms():
    assert phones.normalise("020 7946 0000")[0] == "020 7946 0000"
    assert phones.normalise("07700900123")[0] == "07700 900123"
    assert phones.normalise("0800 123 4567")[0] == "0800 123 4567"
    assert phones.normalise("ext 5")[0] == "ext 5" and not phones.is_valid_uk("ext 5")
    assert not phones.is_valid_uk("0161 234")


def test_check_finds_misread_times_notes_charges_and_closed_sources(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    f = tmp_path / "q.csv"
    f.write_text(
        "name,category,postcode,schedule,cost,notes,phone\n"
        # As an older assetmap stored "2-4pm" (now read as 14:00-16:00): check still finds it.
        'Misread,foodbank,M1 1AD,"Mon,Wed 02:00-16:00",free,,0161 234 5678\n'
        "Late Club,sports club,M1 1AD,Fri 22:00-02:00,,,\n"
        'Times In Notes,foodbank,M1 1AD,,free,"Opening times as published: Tuesday, Wednesday & Friday 10am - 12noon.",\n'
        "Pantry,foodbank,M1 1AD,Thu 10:30-12:30,free,£2.50 membership for £10 of food,\n"
        "Not A Number,gym,M1 1AD,,,,0161 234\n"
    )
    cli(*db, "import", str(f))
    problems = json.loads(cli(*db, "check", "--format", "json").stdout)
    found = {(p["problem"], p["name"]) for p in problems}
    assert ("odd times", "Misread") in found
    assert ("odd times", "Late Club") not in found  # a real late session
    assert ("times in notes", "Times In Notes") in found
    assert ("free but charges", "Pantry") in found
    assert ("bad phone", "Not A Number") in found
    assert ("bad phone", "Misread") not in found
    # A feed that now says closed, while someone here kept it active.
    feed = tmp_path / "feed.csv"
    feed.write_text("name,category,postcode,status\nClub,gym,M2 1AA,temporarily-closed\n")
    cli(*db, "import", str(feed))
    cli(*db, "edit", "club-m2-1aa", "--status", "active")  # reopened, as someone here knows
    feed.write_text("name,category,postcode,status\nClub,gym,M2 1AA,closed\n")
    kept = cli(*db, "import", str(feed))
    assert "kept your status for club-m2-1aa (active" in kept.stderr
    problems = json.loads(cli(*db, "check", "--format", "json").stdout)
    assert ("source says closed", "Club") in {(p["problem"], p["name"]) for p in problems}
    strict = cli(*db, "check", "--strict", code=1)
    assert "problems" in strict.stderr


def test_stale_leaves_closed_out_and_takes_an_area(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    f = tmp_path / "s.csv"
    f.write_text(
        "name,category,postcode,status,verified_on\n"
        "Open Gym,gym,M1 1AD,active,2020-01-01\n"
        "Shut Gym,gym,M1 1AD,closed,2020-01-01\n"
        "Stoke Gym,gym,ST4 7QB,active,\n"
    )
    cli(*db, "import", str(f))

    def names(*args):
        return {r["name"] for r in json.loads(cli(*db, "stale", "--format", "json", *args).stdout)}

    assert names() == {"Open Gym", "Stoke Gym"}
    assert names("--include-closed") == {"Open Gym", "Shut Gym", "Stoke Gym"}
    assert names("--area", "manchester") == {"Open Gym"}


def test_stale_with_an_age_too_large_gets_one_line_not_a_traceback(cli, db_file):
    # Found while testing `partners due --within`: 99999999999d overflowed a timedelta.
    result = cli("--db", str(db_file), "stale", "--older-than", "99999999999d", code=1)
    assert "'99999999999d' is more than 100 years" in result.stderr
    assert "Traceback" not in result.stderr and "OverflowError" not in result.stderr


def test_stale_on_a_new_catalogue_lists_the_teams_own_not_every_bundled_library(cli, tmp_path):
    # The README's Monday cron line mailed all 7,600 bundled open-data assets every week: none
    # is ever verified here until someone takes one on. They are left out, and stderr says so.
    db = ["--db", str(tmp_path / "c.db")]
    cli(*db, "init", "--no-examples")
    f = tmp_path / "partners.csv"
    f.write_text("name,category,postcode,verified_on\nOur Gym,gym,M1 1AD,2020-01-01\n")
    cli(*db, "import", str(f))
    listed = json.loads(cli(*db, "list", "--format", "json", "--limit", "500").stdout)
    some_library = next(a for a in listed if a["status"] == "active" and not a["verified_on"])

    result = cli(*db, "stale", "--format", "json")
    assert {r["name"] for r in json.loads(result.stdout)} == {"Our Gym"}
    assert "bundled open data" in result.stderr and "--include-bundled" in result.stderr

    everything = json.loads(cli(*db, "stale", "--format", "json", "--include-bundled").stdout)
    assert len(everything) > 5000

    # Once the team verifies a bundled asset it is theirs to keep up to date.
    cli(*db, "verify", some_library["id"], "--on", "2020-02-01")
    names = {r["id"] for r in json.loads(cli(*db, "stale", "--format", "json").stdout)}
    assert some_library["id"] in names

    # --source picks sources, bundled ones included.
    only = json.loads(cli(*db, "stale", "--format", "json", "--source", "partners").stdout)
    assert [r["name"] for r in only] == ["Our Gym"]


def test_emails_wrapped_in_brackets_are_unwrapped_and_check_finds_malformed_ones(cli, db_file, tmp_path):  # fmt: skip
    import sqlite3

    db = ["--db", str(db_file)]
    f = tmp_path / "e.csv"
    f.write_text(
        "name,category,postcode,email\n"
        "Wrapped,library,M1 1AD,<bodmin.library@cornwall.gov.uk>\n"
        "Bracketed,library,M1 1AD,(falmouth.library@liscornwall.org.uk)\n"
        "Mailto,library,M1 1AD,mailto:info@example.org\n"
    )
    cli(*db, "import", str(f))
    shown = {a["name"]: a["email"] for a in json.loads(cli(*db, "list", "--format", "json").stdout)}
    assert shown == {"Wrapped": "bodmin.library@cornwall.gov.uk", "Bracketed": "falmouth.library@liscornwall.org.uk",
                     "Mailto": "info@example.org"}  # fmt: skip
    f.write_text("name,category,postcode,email\nHalf,library,M1 1AD,<x@example.org\nPath,library,M1 1AD,x@example.org/page\n")  # fmt: skip
    bad = cli(*db, "import", str(f), code=1).stderr
    assert "row 2, column email: '<x@example.org' is not an email address" in bad
    assert "row 3, column email: 'x@example.org/page' is not an email address" in bad
    # A catalogue written before the rule: check finds what it holds.
    conn = sqlite3.connect(db_file)
    with conn:
        conn.execute("UPDATE assets SET email = '<old@example.org>', website = 'https://=HYPERLINK(x)' WHERE name = 'Wrapped'")  # fmt: skip
    conn.close()
    problems = json.loads(cli(*db, "check", "--format", "json").stdout)
    found = {(p["problem"], p["name"]): p["detail"] for p in problems}
    assert "'<old@example.org>' is not an e-mail address" in found[("bad email", "Wrapped")]
    assert "is not a web address" in found[("bad website", "Wrapped")]
    assert not [k for k in found if k[1] != "Wrapped" and k[0] in ("bad email", "bad website")]


def test_the_bundled_catalogue_has_no_malformed_email_or_website(cli):
    problems = json.loads(cli("check", "--format", "json").stdout)
    assert [p for p in problems if p["problem"] in ("bad email", "bad website")] == []


def test_mobiles_are_spaced_as_mobiles_whatever_their_fourth_digit():
    """0791 250 9665 was spaced like a landline whose fourth digit is 1 (0191, 0161)."""
    assert phones.normalise("07912509665")[0] == "07912 509665"
    assert phones.normalise("0791 250 9665")[0] == "07912 509665"
    assert phones.normalise("07512548849")[0] == "07512 548849"
    assert phones.normalise("01912345678")[0] == "0191 234 5678"  # a landline still is one


def test_the_bundled_mobiles_are_spaced_and_one_place_is_listed_once(cli):
    rows = json.loads(cli("export", "--format", "json").stdout)
    mobiles = [a["phone"] for a in rows if a["phone"].replace(" ", "").startswith("07")]
    assert mobiles and all(len(m.split(" ")[0]) == 5 for m in mobiles), mobiles
    # The Norfolk Heritage Centre is in the Norwich Millennium Library (its address says so).
    norwich = [a for a in rows if a["postcode"] == "NR2 1AW"]
    assert [a["name"] for a in norwich] == ["Norfolk & Norwich Millennium Library"]
    assert "Includes Norfolk Heritage Centre Library" in norwich[0]["notes"]
    # A food bank's own session at a church is a service of its own, not a part of it.
    shaw = {a["name"] for a in rows if a["postcode"] == "OL2 8QY" and a["category"] == "foodbank"}
    assert shaw == {"Salvation Army Shaw", "Trussell Trust"}


def test_a_bad_stale_age_names_the_option(cli, db_file):
    # `stale --older-than 13` said "Error: '13' is not an age; ...", naming no option, where
    # `partners due --within 14days` names --within.
    err = cli("--db", str(db_file), "stale", "--older-than", "13", code=1).stderr
    assert err.startswith("Error: --older-than: '13' is not an age; write 30d, 6w, 12m or 1y"), err


def _listed(cli, db):
    return {a["id"]: a for a in json.loads(cli(*db, "list", "--format", "json").stdout)}


def test_check_merge_duplicates_merges_one_sources_twice_listed_place_keeping_local_edits(
    cli, db_file, tmp_path
):
    db = ["--db", str(db_file)]
    council = tmp_path / "council.csv"
    council.write_text(
        "id,name,category,postcode,phone,website,notes\n"
        "hall-1,St Mark's Hall,foodbank,M1 1AD,0161 234 5678,,\n"
        "hall-2,ST. MARK'S HALL,foodbank,m1 1ad,0161 234 9999,https://stmarks.example.org,Council note\n"
    )
    # Before imports kept one listing per place, this file gave two records: made here by
    # importing the second under another name, then giving it the file's name back.
    council.write_text(council.read_text().replace("ST. MARK'S HALL", "St Marks Hall"))
    cli(*db, "import", str(council), "--source", "council")
    with sqlite3.connect(db_file) as conn:
        conn.execute(
            "UPDATE assets SET name = 'ST. MARK''S HALL', match_key = "
            "(SELECT match_key FROM assets WHERE id = 'hall-1') WHERE id = 'hall-2'"
        )
    conn.close()
    council.write_text(council.read_text().replace("St Marks Hall", "ST. MARK'S HALL"))
    mine = tmp_path / "mine.csv"
    mine.write_text("id,name,category,postcode\nmy-hall,St Mark's Hall,foodbank,M1 1AD\n")
    cli(*db, "import", str(mine), "--source", "mine")  # another source: never merged
    cli(*db, "verify", "hall-1", "--on", "2026-01-10")
    cli(*db, "verify", "hall-2", "--on", "2025-06-01")
    cli(*db, "edit", "hall-2", "--phone", "0161 496 0000", "--notes", "Side door after 6pm")
    before = _listed(cli, db)
    assert set(before) == {"hall-1", "hall-2", "my-hall"}

    dry = cli(*db, "check", "--merge-duplicates", "--dry-run", "--format", "json")
    merges = json.loads(dry.stdout)
    assert [(m["kept"], m["merged"], m["source"]) for m in merges] == [
        ("hall-1", "hall-2", "council")
    ]
    assert "would merge 1 record" in dry.stderr
    assert _listed(cli, db) == before  # a dry run writes nothing

    done = cli(*db, "check", "--merge-duplicates")
    assert "hall-1" in done.stdout and "hall-2" in done.stdout
    assert "merged 1 record" in done.stderr
    after = _listed(cli, db)
    assert set(after) == {"hall-1", "my-hall"}
    hall = after["hall-1"]
    assert hall["phone"] == "0161 496 0000"  # the edit made on the other record is kept
    assert hall["notes"] == "Side door after 6pm"
    assert hall["website"] == "https://stmarks.example.org"  # blank here, filled from the other
    assert hall["verified_on"] == "2026-01-10"  # the newest verification
    assert after["my-hall"] == before["my-hall"]
    # The kept edit stays the team's: re-importing the council's file does not undo it.
    cli(*db, "import", str(council), "--source", "council")
    again = _listed(cli, db)
    assert again["hall-1"]["phone"] == "0161 496 0000"
    assert again["hall-1"]["notes"] == "Side door after 6pm"
    assert set(again) == {"hall-1", "my-hall"}  # the file's second listing is the same place
    assert cli(*db, "check", "--merge-duplicates").stdout.strip() in ("", "[]")


def test_merge_duplicates_bad_use_and_nothing_to_merge(cli, db_file):
    db = ["--db", str(db_file)]
    out = cli(*db, "check", "--dry-run", code=None)
    assert out.exit_code != 0 and "--merge-duplicates" in out.stderr
    assert "Traceback" not in out.stderr
    none = cli(*db, "check", "--merge-duplicates", "--format", "json")
    assert json.loads(none.stdout) == []
    assert "no duplicates" in none.stderr


def test_a_file_listing_one_place_twice_gives_one_record_filled_from_both(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    f = tmp_path / "feed.csv"
    f.write_text(
        "id,name,category,postcode,phone,website\n"
        "svc-1,Hope Pantry,foodbank,M1 1AD,0161 234 5678,\n"
        "svc-2,HOPE PANTRY,foodbank,m1 1ad,,https://hope.example.org\n"
        "svc-3,Hope Pantry,foodbank,M1 1AD,,\n"
    )
    for attempt in ("into an empty catalogue", "again, into one that has it"):
        out = cli(*db, "import", str(f), "--source", "feed")
        listed = _listed(cli, db)
        assert set(listed) == {"svc-1"}, attempt
        assert listed["svc-1"]["phone"] == "0161 234 5678", attempt
        assert listed["svc-1"]["website"] == "https://hope.example.org", attempt
    assert "(id svc-2) is svc-1 again (same source, name and postcode)" in out.stderr
    # Another source listing the same place is a lookalike, not merged.
    other = tmp_path / "other.csv"
    other.write_text("id,name,category,postcode\nx-1,Hope Pantry,foodbank,M1 1AD\n")
    out = cli(*db, "import", str(other), "--source", "other")
    assert set(_listed(cli, db)) == {"svc-1", "x-1"}
    assert "looks like the existing asset svc-1" in out.stderr
