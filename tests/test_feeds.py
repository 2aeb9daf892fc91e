"""Feeds that respect local edits: a re-import updates only the fields its source still owns."""

import datetime as dt
import json

HEADER = "name,category,postcode,phone,website,schedule,verified_on\n"
WALKERS = "Hanley Walkers,walking group,ST1 3EB,01782 000111,hanleywalkers.example,Sat 10:00-12:00,2025-04-03\n"  # fmt: skip
GARDEN = "Ford Green Garden,gardening,ST6 1HG,01782 000222,fordgreen.example,Tue 10:00-13:00,2025-04-03\n"  # fmt: skip
WALKERS_ID = "hanley-walkers-st1-3eb"


def _rows(db_file) -> list:
    """Every stored value of every asset, local_edits included."""
    import sqlite3

    conn = sqlite3.connect(db_file)
    try:
        return conn.execute("SELECT * FROM assets ORDER BY pk").fetchall()
    finally:
        conn.close()


def _show(cli, db, asset_id):
    return json.loads(cli(*db, "show", asset_id, "--format", "json").stdout)


def test_nightly_feed_keeps_local_edits_and_verification(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    feed = tmp_path / "council.csv"
    feed.write_text(HEADER + WALKERS + GARDEN)
    assert "2 added" in cli(*db, "import", str(feed)).stderr

    cli(*db, "edit", WALKERS_ID, "--phone", "01782 123456")
    cli(*db, "verify", WALKERS_ID)
    today = dt.date.today().isoformat()

    again = cli(*db, "import", str(feed))  # the unchanged feed, as cron runs it nightly
    shown = _show(cli, db, WALKERS_ID)
    assert shown["phone"] == "01782 123456"  # the edit survives
    assert shown["verified_on"] == today  # and never moves back to the feed's 2025-04-03
    assert f"kept your phone for {WALKERS_ID} (01782 123456, set by an edit)" in again.stderr
    assert "the feed says 01782 000111" in again.stderr
    assert f"kept your verified_on for {WALKERS_ID}" in again.stderr
    assert "0 updated" in again.stderr and "kept 2 local changes" in again.stderr

    # The feed changes a field nobody edited here: that does update. The edited one stays.
    feed.write_text(HEADER + WALKERS.replace("Sat 10:00-12:00", "Sun 11:00-13:00") + GARDEN)
    changed = cli(*db, "import", str(feed))
    assert "1 updated" in changed.stderr
    shown = _show(cli, db, WALKERS_ID)
    assert shown["schedule"] == "Sun 11:00-13:00"
    assert shown["phone"] == "01782 123456"
    assert shown["verified_on"] == today

    # A newer verification in the feed moves verified_on on.
    feed.write_text(HEADER + WALKERS.replace("2025-04-03", today).replace("Sat 10:00-12:00", "Sun 11:00-13:00") + GARDEN)  # fmt: skip
    cli(*db, "import", str(feed))
    assert _show(cli, db, WALKERS_ID)["verified_on"] == today

    # --overwrite-local: the manager lets the feed win; then the feed owns the field again.
    won = cli(*db, "import", str(feed), "--overwrite-local")
    assert "kept your phone" not in won.stderr
    assert _show(cli, db, WALKERS_ID)["phone"] == "01782 000111"
    feed.write_text(HEADER + WALKERS.replace("01782 000111", "01782 000999") + GARDEN)
    cli(*db, "import", str(feed))
    shown = _show(cli, db, WALKERS_ID)
    assert shown["phone"] == "01782 000999"
    assert shown["verified_on"] == today  # --overwrite-local or not, never backwards


def test_an_import_from_another_source_counts_as_a_local_change(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    feed = tmp_path / "council.csv"
    feed.write_text(HEADER + WALKERS)
    cli(*db, "import", str(feed))
    partners = tmp_path / "partners.csv"
    partners.write_text("name,category,postcode,website\nHanley Walkers,walking group,ST1 3EB,walkers.example/new\n")  # fmt: skip
    cli(*db, "import", str(partners))  # same asset (name and postcode), another source
    shown = _show(cli, db, WALKERS_ID)
    assert shown["website"] == "https://walkers.example/new"
    assert shown["source"] == "council"  # the asset stays with its own source
    again = cli(*db, "import", str(feed))
    assert _show(cli, db, WALKERS_ID)["website"] == "https://walkers.example/new"
    assert "set by an import from partners" in again.stderr


def test_a_dry_run_reports_what_it_would_keep_and_writes_nothing(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    feed = tmp_path / "council.csv"
    feed.write_text(HEADER + WALKERS)
    cli(*db, "import", str(feed))
    cli(*db, "edit", WALKERS_ID, "--website", "mine.example")
    before = _rows(db_file)
    dry = cli(*db, "import", str(feed), "--dry-run", "--overwrite-local")
    assert "1 would be updated" in dry.stderr
    assert _rows(db_file) == before
    assert _show(cli, db, WALKERS_ID)["website"] == "https://mine.example"


def test_import_takes_format_openreferral_for_a_folder(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    feed = tmp_path / "council.csv"
    feed.write_text(HEADER + WALKERS + GARDEN)
    cli(*db, "import", str(feed))
    out = tmp_path / "oruk"
    cli(*db, "export", "--format", "openreferral", str(out))
    copy = ["--db", str(tmp_path / "copy.db")]
    cli(*copy, "init", "--empty")
    done = cli(*copy, "import", "--format", "openreferral", str(out), "--source", "oruk-copy")
    assert "2 added" in done.stderr and "(source oruk-copy)" in done.stderr
    assert _show(cli, copy, WALKERS_ID)["schedule"] == "Sat 10:00-12:00"
