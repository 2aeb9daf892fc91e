"""Introductions and follow-ups: the privacy claims proved from the bytes on disk, the commands
through the real CLI, bad input as one line."""

import datetime as dt
import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys

import pytest


def today() -> dt.date:
    """Today as the command under test sees it: read at each use, so a run that spans
    midnight compares like with like (a module-level date failed at 00:01)."""
    return dt.date.today()


REF = "X123456"


def ago(days: int) -> str:
    return (today() - dt.timedelta(days=days)).isoformat()


class Desk:
    """A catalogue with three assets in two areas, and the casework beside it."""

    def __init__(self, cli, tmp_path):
        self.cli = cli
        self.db = tmp_path / "test.db"
        cli("--db", str(self.db), "init", "--empty")
        self.casework = tmp_path / "test.casework.db"
        self.key = tmp_path / "config" / "casework.key"
        for ident, area, source in (
            ("gym-a", "Manchester", "council feed"),
            ("walk-b", "Manchester", "partner list"),
            ("choir-c", "Stockport", "partner list"),
        ):
            self("add", "--id", ident, "--name", ident.title(), "--category", "gym",
                 "--lat", "53.4", "--lon", "-2.2", "--area", area, "--source", source)  # fmt: skip

    def __call__(self, *args, code=0):
        return self.cli("--db", str(self.db), *args, code=code)

    def json(self, *args):
        return json.loads(self(*args, "--format", "json").stdout)


@pytest.fixture
def desk(cli, tmp_path):
    return Desk(cli, tmp_path)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def one_line_error(result, *words):
    err = result.stderr.strip()
    assert err.startswith("Error: ") and "\n" not in err and "Traceback" not in err, err
    for w in words:
        assert w in err, (w, err)
    return err


# -- recording -------------------------------------------------------------------------------
def test_an_introduction_schedules_follow_ups_at_4_and_12_weeks_and_lists_one_row_each(desk):
    desk("intro", "add", "gym-a", "--case", REF, "--on", ago(10), "--with", "peer mentor")
    desk("intro", "add", "walk-b", "--case", "x 123456", "--with", "Practitioner")
    desk("intro", "add", "gym-a", "--case", "Y999", "--on", ago(3))
    rows = desk.json("intro", "list", "--case", REF.lower())
    assert [(r["case"], r["asset"], r["went_with"]) for r in rows] == [
        (REF, "gym-a", "peer-mentor"),
        (REF, "walk-b", "practitioner"),
    ]
    start = today() - dt.timedelta(days=10)
    assert [(f["week"], f["due_on"], f["outcome"]) for f in rows[0]["follow_ups"]] == [
        (4, (start + dt.timedelta(weeks=4)).isoformat(), None),
        (12, (start + dt.timedelta(weeks=12)).isoformat(), None),
    ]
    assert rows[0]["name"] == "Gym-A" and rows[1]["introduced_on"] == today().isoformat()
    csv_out = desk("intro", "list", "--case", REF, "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "case,asset,name,introduced_on,went_with,summary" and len(csv_out) == 3


def test_follow_ups_fill_in_turn_stopped_needs_a_reason_and_ends_what_is_due(desk):
    desk("intro", "add", "gym-a", "--case", REF, "--on", ago(100))
    desk("intro", "follow-up", REF, "gym-a", "--outcome", "attended", "--on", ago(70))
    desk("intro", "follow-up", REF, "gym-a", "--outcome", "stopped", "--reason", "moved")
    [row] = desk.json("intro", "list", "--case", REF)
    assert [(f["week"], f["outcome"], f["reason"]) for f in row["follow_ups"]] == [
        (4, "attended", None),
        (12, "stopped", "moved"),
    ]
    assert row["summary"] == f"4w attended on {ago(70)}; 12w stopped (moved) on {today()}"
    one_line_error(
        desk("intro", "follow-up", REF, "gym-a", "--outcome", "still-going", code=1), "--week"
    )
    fixed = desk("intro", "follow-up", REF, "gym-a", "--outcome", "still-going", "--week", "12")
    assert "corrected" in fixed.stderr
    assert desk.json("intro", "list", "--case", REF)[0]["follow_ups"][1]["reason"] is None


def test_the_short_ref_near_prints_records_an_introduction_to_that_asset(desk):
    # near and search print a short ref (a unique start of the id); plan and show take it, so
    # recording the introduction takes it too, and keeps the whole id.
    desk("add", "--id", "gym-a-two", "--name", "Gym A Two", "--category", "gym",
         "--lat", "53.4", "--lon", "-2.2")  # fmt: skip
    added = desk("intro", "add", "walk", "--case", REF, "--on", ago(30))
    assert "intro: walk-b on" in added.stderr
    desk("intro", "follow-up", REF, "walk", "--outcome", "attended")
    [row] = desk.json("intro", "list", "--case", REF)
    assert row["asset"] == "walk-b" and row["follow_ups"][0]["outcome"] == "attended"
    # A start several ids share is refused, naming them; nothing is recorded.
    desk("intro", "add", "gym-a", "--case", "Y1001")  # a whole id is that asset, never a start
    assert desk.json("intro", "list", "--case", "Y1001")[0]["asset"] == "gym-a"
    err = one_line_error(desk("intro", "add", "gym", "--case", "Y2002", code=1), "several ids")
    assert "gym-a" in err and "gym-a-two" in err
    one_line_error(desk("intro", "list", "--case", "Y2002", code=1), "no introductions")


def test_follow_up_weeks_are_configurable(desk, monkeypatch):
    desk("intro", "add", "gym-a", "--case", REF, "--on", ago(1), "--follow-ups", "6w,26")
    monkeypatch.setenv("ASSETMAP_FOLLOW_UPS", "2w")
    desk("intro", "add", "walk-b", "--case", REF, "--on", ago(1))
    rows = desk.json("intro", "list", "--case", REF)
    assert [f["week"] for f in rows[0]["follow_ups"]] == [6, 26]
    assert [f["week"] for f in rows[1]["follow_ups"]] == [2]


def test_bad_input_gets_one_line_and_changes_nothing(desk):
    future = (today() + dt.timedelta(days=2)).isoformat()
    one_line_error(desk("intro", "add", "nope", "--case", REF, code=1), "nope", "assetmap list")
    assert not desk.casework.exists() and not desk.key.exists()  # nothing made for a typo
    one_line_error(desk("intro", "add", "gym-a", "--case", REF, "--on", future, code=1), "future")
    one_line_error(desk("intro", "add", "gym-a", "--case", REF, "--on", "31/02/2026", code=1))
    one_line_error(desk("intro", "add", "gym-a", "--case", REF, "--with", "Dave", code=1), "role")
    # A name is not a case reference, and the value is never repeated back.
    err = one_line_error(desk("intro", "add", "gym-a", "--case", "John Smith", code=1), "name")
    assert "John" not in err
    desk("intro", "add", "gym-a", "--case", REF, "--on", ago(5))
    one_line_error(desk("intro", "add", "gym-a", "--case", REF, "--on", ago(5), code=1), "already")
    before = ago(6)
    one_line_error(
        desk("intro", "follow-up", REF, "gym-a", "--outcome", "attended", "--on", before, code=1),
        "before the introduction",
    )
    one_line_error(
        desk("intro", "follow-up", REF, "gym-a", "--outcome", "stopped", code=1), "--reason"
    )
    one_line_error(desk("intro", "follow-up", REF, "gym-a", "--outcome", "great", code=1))
    one_line_error(
        desk("intro", "follow-up", "Z42424", "gym-a", "--outcome", "attended", code=1), "no "
    )
    one_line_error(desk("intro", "list", "--case", "Z42424", code=1), "no introductions")
    [row] = desk.json("intro", "list", "--case", REF)
    assert [f["outcome"] for f in row["follow_ups"]] == [None, None]


# -- privacy from the bytes on disk ----------------------------------------------------------
def _all_bytes(*paths) -> bytes:
    data = b""
    for p in paths:
        for q in p.parent.glob(p.name + "*"):  # with any -wal, -shm or -journal beside it
            data += q.read_bytes()
    return data


def test_the_case_reference_is_in_neither_file_and_the_casework_is_private(desk):
    desk("intro", "add", "gym-a", "--case", REF, "--with", "volunteer")
    desk("intro", "follow-up", REF, "gym-a", "--outcome", "attended")
    disk = _all_bytes(desk.db, desk.casework)
    for form in (REF, REF.lower(), REF.encode("utf-16-le").decode("latin-1")):
        assert form.encode("latin-1") not in disk
    # Not a plain hash either: that could be brute-forced from a short reference.
    for h in (hashlib.sha256, hashlib.sha1, hashlib.md5):
        assert h(REF.encode()).digest() not in disk
        assert h(REF.encode()).hexdigest().encode() not in disk
    assert mode(desk.casework) == 0o600 and mode(desk.key) == 0o600
    assert desk.key.parent != desk.casework.parent  # the key lives apart from both files
    # The catalogue holds no casework at all.
    with sqlite3.connect(desk.db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert not {"introductions", "follow_ups"} & tables


def test_without_the_key_nothing_can_be_listed_and_no_new_key_replaces_it(desk, tmp_path):
    desk("intro", "add", "gym-a", "--case", REF, "--on", ago(40))
    desk.key.rename(tmp_path / "kept.key")
    for args in (
        ("intro", "list", "--case", REF),
        ("intro", "due", "--format", "csv"),
        ("intro", "add", "walk-b", "--case", REF),
        ("casework", "forget", "--case", REF, "--yes"),
    ):
        result = desk(*args, code=1)
        one_line_error(result, "key", "missing", "restore", "start anew")
        assert result.stdout == ""
    assert not desk.key.exists()  # no new key was made over the file's own
    # Another key does not open it either.
    from assetmap.casework.keys import create_key

    assert create_key(desk.key)[1]
    one_line_error(desk("intro", "list", "--case", REF, code=1), "not the one")
    # The right key, restored from its backup, opens it again.
    (tmp_path / "kept.key").replace(desk.key)
    assert desk.json("intro", "list", "--case", REF)[0]["asset"] == "gym-a"


def test_a_casework_file_or_key_others_can_read_is_refused(desk):
    desk("intro", "add", "gym-a", "--case", REF)
    for path, bits in ((desk.casework, 0o640), (desk.casework, 0o604), (desk.key, 0o644)):
        path.chmod(bits)
        result = desk("intro", "list", "--case", REF, code=1)
        one_line_error(result, str(path), f"chmod 600 {path}")
        assert result.stdout == ""
        path.chmod(0o600)
    desk.casework.chmod(0o640)
    one_line_error(desk("intro", "report", code=1), "chmod 600")
    one_line_error(desk("near", "53.4,-2.2", "--with-outcomes", code=1), "chmod 600")


@pytest.mark.slow
@pytest.mark.parametrize("umask", [0o000, 0o022, 0o277])
def test_files_are_created_0600_whatever_the_umask(tmp_path, umask):
    db = tmp_path / "c.db"
    env = {**os.environ, "ASSETMAP_CONFIG_DIR": str(tmp_path / "conf")}
    subprocess.run([sys.executable, "-m", "assetmap", "--db", str(db), "-q", "init"], env=env,
                   check=True, capture_output=True)  # fmt: skip
    asset = json.loads(
        subprocess.run([sys.executable, "-m", "assetmap", "--db", str(db), "list", "-n", "1",
                        "--format", "json"], env=env, check=True, capture_output=True).stdout
    )[0]["id"]  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "assetmap", "--db", str(db), "intro", "add", asset, "--case", REF],
        env=env, capture_output=True, preexec_fn=lambda: os.umask(umask),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert mode(tmp_path / "c.casework.db") == 0o600
    assert mode(tmp_path / "conf" / "casework.key") == 0o600


def test_casework_can_be_placed_elsewhere_but_never_in_the_catalogue(desk, tmp_path, monkeypatch):
    elsewhere = tmp_path / "private" / "cases.db"
    elsewhere.parent.mkdir()
    monkeypatch.setenv("ASSETMAP_CASEWORK", str(elsewhere))
    desk("intro", "add", "gym-a", "--case", REF)
    assert elsewhere.exists() and not desk.casework.exists()
    monkeypatch.setenv("ASSETMAP_CASEWORK", str(desk.db))
    one_line_error(desk("intro", "add", "gym-a", "--case", REF, code=1), "cannot be the catalogue")
    monkeypatch.setenv("ASSETMAP_CASEWORK", str(tmp_path / "missing" / "cases.db"))
    one_line_error(desk("intro", "add", "gym-a", "--case", REF, code=1), "does not exist")


# -- deleting --------------------------------------------------------------------------------
def _stored(casework) -> list[bytes]:
    with sqlite3.connect(casework) as conn:
        rows = conn.execute("SELECT case_lookup, case_ref FROM introductions").fetchall()
    return [b for row in rows for b in row]


def test_forget_removes_one_case_and_leaves_no_trace_on_disk(desk):
    desk("intro", "add", "gym-a", "--case", REF, "--on", ago(30))
    desk("intro", "add", "walk-b", "--case", REF, "--on", ago(20))
    mine = _stored(desk.casework)
    desk("intro", "add", "gym-a", "--case", "Y999")
    result = desk("casework", "forget", "--case", REF, "--yes")
    assert "2 introductions" in result.stderr
    disk = _all_bytes(desk.casework)
    assert not [b for b in mine if b in disk]  # encrypted ref and look-up hash both gone
    assert desk.json("intro", "list", "--case", "Y999")[0]["asset"] == "gym-a"
    one_line_error(desk("intro", "list", "--case", REF, code=1), "no introductions")
    one_line_error(desk("casework", "forget", "--case", REF, "--yes", code=1), "nothing")
    one_line_error(desk("casework", "forget", "--case", "Y999", code=1), "--yes")  # no terminal


def test_purge_deletes_introductions_older_than_the_limit_with_a_count(desk):
    desk("intro", "add", "gym-a", "--case", "OLD111", "--on", ago(800))
    old = _stored(desk.casework)
    desk("intro", "add", "walk-b", "--case", REF, "--on", ago(10))
    warned = desk("intro", "due")
    assert "older than the 24m retention" in warned.stderr and "purge" in warned.stderr
    assert "1 introduction is older" in warned.stderr  # never '1 introductions are'

    one_line_error(desk("casework", "purge", code=1), "--yes")
    result = desk("casework", "purge", "--older-than", "24m", "--yes")
    assert "casework purge: 1 introduction made" in result.stderr
    assert not [b for b in old if b in _all_bytes(desk.casework)]
    assert [r["asset"] for r in desk.json("intro", "list", "--case", REF)] == ["walk-b"]
    assert "0 introductions" in desk("casework", "purge", "--yes").stderr
    assert "retention" not in desk("intro", "due").stderr


def test_retention_is_configurable(desk, monkeypatch):
    desk("intro", "add", "gym-a", "--case", REF, "--on", ago(100))
    monkeypatch.setenv("ASSETMAP_CASEWORK_RETENTION", "12w")
    assert "older than the 12w retention" in desk("intro", "due").stderr
    assert "1 introduction " in desk("casework", "purge", "--yes").stderr


# -- due, for people and cron ----------------------------------------------------------------
def test_due_lists_overdue_then_due_in_every_format_with_case_references(desk):
    desk("intro", "add", "gym-a", "--case", REF, "--on", ago(30))  # 4w overdue by 2 days
    desk("intro", "add", "walk-b", "--case", "Y999", "--on", ago(25))  # 4w due in 3 days
    desk("intro", "add", "choir-c", "--case", "Z777", "--on", ago(10))  # 4w due in 18 days
    rows = desk.json("intro", "due", "--within", "7d")
    assert [
        (r["case"], r["asset"], r["follow_up"], r["status"], r["days_overdue"]) for r in rows
    ] == [
        (REF, "gym-a", "4w", "2 days overdue", 2),
        ("Y999", "walk-b", "4w", "due in 3 days", -3),  # it said 'due', 0 days overdue
    ]
    assert len(desk.json("intro", "due", "--within", "3w")) == 3
    # Days to go are negative, as in `partners due`; the status says it in words.
    assert [(r["status"], r["days_overdue"]) for r in desk.json("intro", "due", "--within", "3w")][
        2
    ] == ("due in 18 days", -18)
    assert desk.json("intro", "due", "--within", "0d")[0]["case"] == REF
    csv_lines = desk("intro", "due", "--format", "csv").stdout.splitlines()
    assert csv_lines[0].startswith("case,asset,name,") and csv_lines[1].startswith(REF + ",")
    nd = desk("intro", "due", "--format", "ndjson").stdout.splitlines()
    assert [json.loads(line)["case"] for line in nd] == [REF, "Y999"]
    assert REF in desk("intro", "due").stdout
    desk("intro", "follow-up", REF, "gym-a", "--outcome", "stopped", "--reason", "did-not-suit")
    assert [r["case"] for r in desk.json("intro", "due")] == ["Y999"]
    desk("intro", "add", "gym-a", "--case", "W111", "--on", ago(28))  # 4w due today
    today = [r for r in desk.json("intro", "due") if r["case"] == "W111"]
    assert [(r["status"], r["days_overdue"]) for r in today] == [("due today", 0)]
    desk("intro", "add", "walk-b", "--case", "V222", "--on", ago(29))  # 4w, 1 day overdue
    late = [r for r in desk.json("intro", "due") if r["case"] == "V222"]
    assert [(r["status"], r["days_overdue"]) for r in late] == [("1 day overdue", 1)]


def test_due_with_no_casework_yet_is_empty_and_creates_nothing(desk):
    assert desk("intro", "due", "--format", "json").stdout.strip() == "[]"
    assert desk("intro", "due", "--format", "csv").stdout.startswith("case,asset,")
    assert desk("intro", "report", "--format", "json").stdout.strip() == "[]"
    assert not desk.casework.exists() and not desk.key.exists()


# -- counts that cannot single anyone out ----------------------------------------------------
def _many(desk, asset, n, *, still_going: int, prefix: str):
    for i in range(n):
        ref = f"{prefix}{i:03d}"
        desk("intro", "add", asset, "--case", ref, "--on", ago(100))
        if i < still_going:
            desk("intro", "follow-up", ref, asset, "--outcome", "attended", "--on", ago(72))
            desk("intro", "follow-up", ref, asset, "--outcome", "still-going", "--on", ago(16))


def test_report_counts_by_asset_source_and_area_with_small_cells_suppressed(desk):
    _many(desk, "gym-a", 6, still_going=5, prefix="A")
    _many(desk, "walk-b", 2, still_going=1, prefix="B")
    _many(desk, "choir-c", 4, still_going=0, prefix="C")
    rows = desk.json("intro", "report")
    assert rows == [
        {"asset": "gym-a", "name": "Gym-A", "introductions": 6, "attended": 5, "still_going_4w": "<5",
         "still_going_12w": 5},
        {"asset": "choir-c", "name": "Choir-C", "introductions": "<5", "attended": "<5", "still_going_4w": "<5",
         "still_going_12w": "<5"},
        {"asset": "walk-b", "name": "Walk-B", "introductions": "<5", "attended": "<5", "still_going_4w": "<5",
         "still_going_12w": "<5"},
    ]  # fmt: skip
    by_area = {r["area"]: r for r in desk.json("intro", "report", "--by", "area")}
    assert by_area["Manchester"]["introductions"] == 8
    assert by_area["Stockport"]["introductions"] == "<5"
    by_source = {r["source"]: r for r in desk.json("intro", "report", "--by", "source")}
    assert by_source["partner list"]["introductions"] == 6
    assert by_source["partner list"]["still_going_12w"] == "<5"
    assert desk.json("intro", "report", "--since", ago(50)) == []
    csv_out = desk("intro", "report", "--format", "csv").stdout.splitlines()
    assert csv_out[1] == "gym-a,Gym-A,6,5,<5,5"
    # No raw count under 5 anywhere in any format.
    for fmt in ("json", "csv", "ndjson", "table"):
        out = desk("intro", "report", "--by", "area", "--format", fmt).stdout
        assert not any(f'"{n}"' in out or f",{n}," in out for n in "1234")
    one_line_error(desk("intro", "report", "--by", "postcode", code=1), "asset, source, area")


def test_near_with_outcomes_shows_suppressed_counts_per_asset(desk):
    _many(desk, "gym-a", 5, still_going=5, prefix="A")
    _many(desk, "walk-b", 3, still_going=3, prefix="B")
    found = {r["id"]: r for r in desk.json("near", "53.4,-2.2", "--with-outcomes")}
    assert (found["gym-a"]["introductions"], found["gym-a"]["still_going_12w"]) == (5, 5)
    assert (found["walk-b"]["introductions"], found["walk-b"]["still_going_12w"]) == ("<5", "<5")
    assert found["choir-c"]["introductions"] == "<5"
    plain = desk.json("near", "53.4,-2.2")
    assert "introductions" not in plain[0]
    header = desk("near", "53.4,-2.2", "--with-outcomes", "--format", "csv").stdout.splitlines()[0]
    assert header.endswith(",introductions,still_going_12w")


# -- backup ----------------------------------------------------------------------------------
def test_backup_copies_the_casework_only_when_asked(desk, tmp_path):
    desk("intro", "add", "gym-a", "--case", REF)
    desk("backup", str(tmp_path / "catalogue-copy.db"))
    with sqlite3.connect(tmp_path / "catalogue-copy.db") as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "introductions" not in tables
    assert not list(tmp_path.glob("catalogue-copy.casework*"))
    result = desk("backup", "--casework", str(tmp_path / "cases-copy.db"))
    assert "1 introduction " in result.stderr and "key is not in it" in result.stderr
    copy = tmp_path / "cases-copy.db"
    assert mode(copy) == 0o600 and len(_stored(copy)) == 2
    assert REF.encode() not in copy.read_bytes()


@pytest.mark.slow
def test_a_killed_casework_backup_leaves_no_copy_behind(desk, tmp_path):
    """A backup killed mid-copy leaves its temp file (person data that forget and purge cannot
    reach); the next backup into that folder removes it."""
    import socket
    import time

    desk("intro", "add", "gym-a", "--case", REF)
    folder = tmp_path / "backups"
    folder.mkdir()
    gone = subprocess.Popen(["true"])  # a process id that has ended
    gone.wait()
    host = "".join(ch for ch in socket.gethostname() if ch.isalnum())[:24]
    left = [
        folder / f".assetmap-casework-{gone.pid}-{host}-0123abcd",  # what a killed run leaves
        folder / ".assetmap-casework-k3j_9x0q",  # the naming before, a day old
    ]
    for path in left:
        path.write_bytes(b"a copy of the casework")
    day_old = time.time() - 25 * 3600
    os.utime(left[1], (day_old, day_old))
    desk("backup", "--casework", str(folder / "cases.db"))
    assert sorted(p.name for p in folder.iterdir()) == ["cases.db"]
    assert mode(folder / "cases.db") == 0o600


def test_backup_casework_without_a_casework_file_says_so(desk, tmp_path):
    one_line_error(desk("backup", "--casework", str(tmp_path / "x.db"), code=1), "no casework")


# -- start-up cost ---------------------------------------------------------------------------
@pytest.mark.slow
def test_near_does_not_load_the_cryptography_package(tmp_path):
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    for extra in ([], ["--with-outcomes"]):
        proc = subprocess.run(
            [sys.executable, "-m", "assetmap", "--db", str(tmp_path / "c.db"), "--create", "-q", "near",
             "ST4 7QB", "-n", "1", "--format", "json", *extra],
            env=env, capture_output=True,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr[-500:]
        assert b"cryptography" not in proc.stderr


def test_purge_of_many_records_compacts_the_file(desk):
    """Enough introductions to fill many pages, written through the library (the CLI one at a
    time would be slow): after purge no free page is left holding old records."""
    from assetmap.casework import keys
    from assetmap.casework.introductions import add
    from assetmap.casework.store import open_casework
    from assetmap.catalogue.opening import open_catalogue

    cat = open_catalogue(desk.db)
    cw = open_casework(desk.casework, catalogue=desk.db, create=True)
    key = keys.unlock(cw, desk.key, create=True)
    for i in range(300):
        add(cw, key, cat, ref=f"OLD{i:04d}", asset_id="gym-a", on=ago(900), went_with="nobody",
            weeks=[4, 12])  # fmt: skip
    cw.close()
    old = _stored(desk.casework)
    desk("intro", "add", "walk-b", "--case", REF)
    assert "300 introductions" in desk("casework", "purge", "--yes").stderr
    with sqlite3.connect(desk.casework) as conn:
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    disk = _all_bytes(desk.casework)
    assert not [b for b in old if b in disk]
    assert mode(desk.casework) == 0o600  # VACUUM keeps the file's mode


# -- the README's examples -------------------------------------------------------------------
def _section() -> str:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    return readme.split("## Introductions and follow-ups", 1)[1].split("\n## ", 1)[0]


@pytest.mark.slow
def test_the_readme_examples_run_in_order(tmp_path):
    import re
    import shlex

    env = {**os.environ, "ASSETMAP_HOME": str(tmp_path / "home")}
    [block] = re.findall(r"```bash\n(.*?)```", _section(), re.S)
    for line in block.strip().splitlines():
        args = shlex.split(line)
        assert args[0] == "assetmap"
        proc = subprocess.run([sys.executable, "-m", "assetmap", *args[1:]], env=env,
                              capture_output=True, timeout=120)  # fmt: skip
        assert proc.returncode == 0, (line, proc.stderr)
        if "intro list" in line:
            assert b"X123456" in proc.stdout and b"stopped (moved)" in proc.stdout
    assert list((tmp_path / "home").glob("*.casework.db"))


@pytest.mark.slow
def test_the_readme_crontab_line_really_works(tmp_path, desk):
    """As cron would run it (sh, the crontab's variables), with the paths moved to tmp_path."""
    import re

    block = re.search(r"```cron\n(.*?)```", _section(), re.S).group(1)
    srv = tmp_path / "srv" / "assetmap"
    srv.mkdir(parents=True)
    env = {**os.environ}
    for line in block.splitlines():
        if re.match(r"^[A-Z_]+=", line):
            name, value = line.split("=", 1)
            env[name] = value.replace("/srv/assetmap", str(srv))
    desk("backup", str(srv / "catalogue.db"))
    [job] = [ln for ln in block.splitlines() if ln and ln[0].isdigit()]
    command = " ".join(job.split()[5:]).replace(
        "/opt/assetmap/.venv/bin/assetmap", f"'{sys.executable}' -m assetmap"
    )
    run = lambda: subprocess.run(["sh", "-c", command], env=env, capture_output=True, timeout=120)  # noqa: E731
    first = run()  # before anything is recorded: a header, no error, no key made
    assert first.returncode == 0 and first.stdout.decode().startswith("case,asset,"), first.stderr
    subprocess.run([sys.executable, "-m", "assetmap", "intro", "add", "gym-a", "--case", REF,
                    "--on", ago(29)], env=env, check=True, capture_output=True)  # fmt: skip
    second = run()
    assert second.returncode == 0, second.stderr
    assert second.stdout.decode().splitlines()[1].startswith(f"{REF},gym-a,Gym-A,")
    assert second.stderr.decode() == "intro due: 1 follow-up due within 7d or overdue\n"
    # An introduction kept past retention: the mail says so.
    subprocess.run([sys.executable, "-m", "assetmap", "intro", "add", "walk-b", "--case", REF,
                    "--on", ago(800)], env=env, check=True, capture_output=True)  # fmt: skip
    assert "older than the 24m retention" in run().stderr.decode()


def test_files_that_are_not_casework_or_not_a_key_are_refused_and_left_as_they_are(
    desk, tmp_path, monkeypatch
):
    desk("intro", "add", "gym-a", "--case", REF)
    key_text = desk.key.read_bytes()
    desk.key.write_text("garbage\n")
    one_line_error(desk("intro", "list", "--case", REF, code=1), "not an assetmap casework key")
    desk.key.write_bytes(key_text)
    other = tmp_path / "other.db"
    desk("backup", str(other))  # a catalogue, not a casework file
    other.chmod(0o600)
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    text.chmod(0o600)
    for path, words in ((other, "is an assetmap catalogue"), (text, "not an assetmap casework")):
        before = path.read_bytes()
        monkeypatch.setenv("ASSETMAP_CASEWORK", str(path))
        one_line_error(desk("intro", "add", "gym-a", "--case", REF, code=1), words)
        one_line_error(desk("intro", "report", code=1), words)
        assert path.read_bytes() == before
    monkeypatch.delenv("ASSETMAP_CASEWORK")
    one_line_error(desk("intro", "due", "--within", "soon", code=1), "--within")
    one_line_error(desk("casework", "purge", "--older-than", "old", code=1), "--older-than")
    monkeypatch.setenv("ASSETMAP_CASEWORK_RETENTION", "forever")
    one_line_error(desk("intro", "due", code=1), "ASSETMAP_CASEWORK_RETENTION")
    one_line_error(desk("intro", "add", "walk-b", "--case", REF, "--follow-ups", "0w", code=1))
    one_line_error(desk("intro", "report", "--since", "2999-01-01", code=1), "future")
    assert [r["asset"] for r in desk.json("intro", "list", "--case", REF)] == ["gym-a"]


@pytest.mark.slow
def test_first_uses_at_once_make_one_key_and_one_file(desk):
    """Four practitioners' first `intro add` at the same moment (real processes): one key, one
    casework file, every introduction kept."""
    env = {**os.environ}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "assetmap",
                "--db",
                str(desk.db),
                "intro",
                "add",
                "gym-a",
                "--case",
                f"R{i}000",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for i in range(4)
    ]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _ in results), results
    assert sum(b"created the casework key" in err for _, err in results) == 1
    assert list(desk.key.parent.iterdir()) == [desk.key]  # no temporary file left behind
    assert mode(desk.casework) == 0o600
    for i in range(4):
        assert desk.json("intro", "list", "--case", f"R{i}000")[0]["asset"] == "gym-a"


# -- the plan the person takes home ----------------------------------------------------------
def test_the_plan_says_who_went_along_but_never_the_case_reference(desk):
    desk("intro", "add", "gym-a", "--case", REF, "--with", "peer mentor", "--on", "2026-11-03")
    desk("intro", "add", "walk-b", "--case", REF, "--with", "nobody", "--on", "2026-11-04")
    plan = ("plan", "gym-a", "walk-b", "choir-c", "--from", "53.41,-2.21", "--format", "md")
    text = desk(*plan, "--case", REF.lower()).stdout
    sections = text.split("\n## ")
    assert "Went along: a peer mentor (3 Nov 2026)." in sections[1]
    assert "the first time" not in sections[1]  # they have been: 'again', not 'the first time'
    assert "Went along: nobody: you went on your own (4 Nov 2026)." in sections[2]
    assert "Went along" not in sections[3]  # no introduction to the choir
    assert REF not in text and REF.lower() not in text
    html = desk(*plan[:-1], "html", "--case", REF).stdout
    assert "Went along: a peer mentor" in html and REF not in html
    assert "Went along" not in desk(*plan).stdout
    unknown = desk(*plan, "--case", "Z42424")
    assert "no introductions" in unknown.stderr and "Went along" not in unknown.stdout


def test_a_bad_case_reference_in_follow_up_names_the_argument_it_came_from(desk):
    # `intro follow-up xx nrg ...` said "--case: not a case reference": follow-up has no
    # --case option; the reference is its first argument, REF.
    desk("intro", "add", "gym-a", "--case", REF, "--on", ago(5))
    err = one_line_error(
        desk("intro", "follow-up", "xx", "gym-a", "--outcome", "attended", code=1), "REF"
    )
    assert "--case" not in err
    added = one_line_error(desk("intro", "add", "gym-a", "--case", "xx", code=1), "--case")
    assert "not a case reference" in added


def test_merging_duplicates_moves_their_introductions_to_the_kept_record(desk):
    """check --merge-duplicates deleted the record merged away and left its introductions
    pointing at an id that no longer exists (no name, no report row, follow-ups stranded)."""
    for ident, name in (("hall-1", "St Mark's Hall"), ("hall-2", "St Marks Hall Two")):
        desk("add", "--id", ident, "--name", name, "--category", "foodbank", "--postcode",
             "M1 1AD", "--source", "council feed")  # fmt: skip
    # One source listing the place twice (imports no longer make such a pair; old catalogues have them).
    with sqlite3.connect(desk.db) as conn:
        conn.execute(
            "UPDATE assets SET name = 'St Mark''s Hall', match_key = "
            "(SELECT match_key FROM assets WHERE id = 'hall-1') WHERE id = 'hall-2'"
        )
    conn.close()
    desk("verify", "hall-1")  # the record a person verified is the one kept
    desk("intro", "add", "hall-2", "--case", REF, "--on", ago(40))
    desk("intro", "follow-up", REF, "hall-2", "--outcome", "attended", "--on", ago(10))
    # The same person introduced to both records on one day: one introduction after the merge.
    desk("intro", "add", "hall-1", "--case", "Y777", "--on", ago(35))
    desk("intro", "add", "hall-2", "--case", "Y777", "--on", ago(35))
    desk("intro", "follow-up", "Y777", "hall-2", "--outcome", "attended", "--on", ago(5))

    merged = desk.json("check", "--merge-duplicates")
    assert [(m["kept"], m["merged"]) for m in merged] == [("hall-1", "hall-2")]

    [row] = desk.json("intro", "list", "--case", REF)
    assert (row["asset"], row["name"]) == ("hall-1", "St Mark's Hall")
    assert row["follow_ups"][0]["outcome"] == "attended"
    [both] = desk.json("intro", "list", "--case", "Y777")
    assert both["asset"] == "hall-1" and both["follow_ups"][0]["outcome"] == "attended"
    with sqlite3.connect(desk.casework) as conn:
        left = conn.execute(
            "SELECT count(*) FROM introductions WHERE asset_id = 'hall-2'"
        ).fetchone()
        orphans = conn.execute(
            "SELECT count(*) FROM follow_ups WHERE intro_pk NOT IN (SELECT pk FROM introductions)"
        ).fetchone()
    conn.close()
    assert left == (0,) and orphans == (0,)
