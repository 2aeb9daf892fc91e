"""Unattended use: freshness, quality, backup, the scripting contract and faults, with real
files and real subprocesses."""

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import run_process


def today() -> dt.date:
    """Today as the command under test sees it: read at each use, so a run that spans
    midnight compares like with like (a module-level date failed at 00:01)."""
    return dt.date.today()


def ago(days: int) -> str:
    return (today() - dt.timedelta(days=days)).isoformat()


@pytest.fixture
def small(cli, db_file):
    db = ["--db", str(db_file)]
    cli(*db, "add", "--name", "Old Gym", "--category", "gym", "--postcode", "M1 1AD", "--verified-on", ago(800), "--phone", "0161 000 0001")  # fmt: skip
    cli(*db, "add", "--name", "Never Walk", "--category", "walking group", "--postcode", "M1 1AE")
    cli(*db, "add", "--name", "Fresh Club", "--category", "book club", "--postcode", "M1 1AF", "--verified-on", ago(10))  # fmt: skip
    return db


def test_stale_lists_never_then_oldest_with_contacts(cli, small):
    rows = json.loads(cli(*small, "stale", "--format", "json").stdout)
    assert [r["name"] for r in rows] == ["Never Walk", "Old Gym"]
    assert rows[1]["phone"] == "0161 000 0001"
    assert json.loads(cli(*small, "stale", "--older-than", "3y", "--format", "json").stdout)[0]["name"] == "Never Walk"  # fmt: skip
    cli(*small, "stale", "--fail-if-any", code=1)
    assert "not an age" in cli(*small, "stale", "--older-than", "soon", code=1).stderr


def test_verify_changes_only_verified_on(cli, small, db_file):
    conn = sqlite3.connect(db_file)
    conn.row_factory = sqlite3.Row
    before = dict(conn.execute("SELECT * FROM assets WHERE id = 'old-gym-m1-1ad'").fetchone())
    cli(*small, "verify", "old-gym-m1-1ad", "--on", "01/11/2026")
    after = dict(conn.execute("SELECT * FROM assets WHERE id = 'old-gym-m1-1ad'").fetchone())
    assert after.pop("verified_on") == "2026-11-01"
    before.pop("verified_on")
    # Bookkeeping, not an edit: a re-import of the source will not move it back.
    assert after.pop("local_edits") == "verified_on=verify"
    before.pop("local_edits")
    assert after == before  # updated_at included: a confirmation is not an edit
    cli(*small, "verify", "never-walk-m1-1ae")
    assert conn.execute("SELECT verified_on FROM assets WHERE id = 'never-walk-m1-1ae'").fetchone()[0] == today().isoformat()  # fmt: skip
    assert "no asset with id" in cli(*small, "verify", "nope", code=1).stderr
    assert (
        "in the future"
        in cli(*small, "verify", "old-gym-m1-1ad", "--on", "2999-01-01", code=1).stderr
    )


def test_check_finds_problems_and_strict_exits_1(cli, db_file):
    db = ["--db", str(db_file)]
    cli(*db, "check", "--strict")  # empty: nothing to report
    cli(
        *db,
        "add",
        "--name",
        "Twin Gym",
        "--category",
        "gym",
        "--lat",
        "53.4800",
        "--lon",
        "-2.2400",
    )
    cli(*db, "add", "--name", "twin gym", "--category", "gym", "--lat", "53.4805", "--lon", "-2.2400", "--id", "twin-2")  # fmt: skip
    cli(*db, "add", "--name", "Lost", "--category", "gym", "--postcode", "ZZ9 9ZZ")
    cli(*db, "add", "--name", "Gone", "--category", "gym", "--postcode", "M1 1AD", "--notes", "This group has closed.")  # fmt: skip
    cli(*db, "add", "--name", "Coarse", "--category", "gym", "--postcode", "ST4 7ZZ")
    cli(*db, "add", "--name", "Phone A", "--category", "gym", "--lat", "53.0", "--lon", "-2.0", "--phone", "01782 111111")  # fmt: skip
    cli(*db, "add", "--name", "Phone B", "--category", "gym", "--lat", "53.001", "--lon", "-2.0", "--phone", "+44 1782 111111")  # fmt: skip
    problems = json.loads(cli(*db, "check", "--format", "json").stdout)
    kinds = {(p["problem"], p["name"]) for p in problems}
    assert ("likely duplicate", "Twin Gym") in kinds or ("likely duplicate", "twin gym") in kinds
    assert ("no coordinates", "Lost") in kinds
    assert ("may be closed", "Gone") in kinds
    assert ("likely duplicate", "Phone A") in kinds
    # ST4 7ZZ fell back to its sector: precise enough not to be called coarse.
    assert not any(p["name"] == "Coarse" for p in problems)
    cli(*db, "check", "--strict", code=1)


def test_stats_json(cli, small):
    stats = json.loads(cli(*small, "stats", "--format", "json").stdout)
    assert stats["assets"] == 3
    assert stats["by_category"] == {"book club": 1, "gym": 1, "walking group": 1}
    assert stats["by_verification_age"] == {"never": 1, "under 1 year": 1, "1-2 years": 0, "over 2 years": 1}  # fmt: skip
    assert stats["by_area"] == {"Manchester": 3}
    assert "assets" in cli(*small, "stats").stdout


def test_backup_is_consistent_while_another_process_writes(cli, small, db_file, tmp_path):
    writer = sqlite3.connect(db_file, isolation_level=None, timeout=30)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE assets SET name = 'HALF WRITTEN'")
    target = tmp_path / "backup.db"
    cli(*small, "backup", str(target))
    writer.execute("ROLLBACK")
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert sorted(r[0] for r in copy.execute("SELECT name FROM assets")) == ["Fresh Club", "Never Walk", "Old Gym"]  # fmt: skip
    # The copy is itself a catalogue.
    rows = json.loads(cli("--db", str(target), "list", "--format", "json").stdout)
    assert len(rows) == 3
    assert "does not exist" in cli(*small, "backup", str(tmp_path / "no" / "b.db"), code=1).stderr


# -- the scripting contract ----------------------------------------------------------------


@pytest.mark.slow
def test_no_prompt_without_a_terminal(db_file, tmp_path):
    run_process("--db", str(db_file), "add", "--name", "A", "--category", "gym", "--postcode", "M1 1AD")  # fmt: skip
    proc = run_process("--db", str(db_file), "remove", "a-m1-1ad", input=b"y\n")
    assert proc.returncode == 1 and b"--yes" in proc.stderr
    assert run_process("--db", str(db_file), "show", "a-m1-1ad").returncode == 0


@pytest.mark.slow
def test_machine_output_has_no_colour_or_markup_and_quiet_leaves_data(tmp_path):
    db = str(tmp_path / "q.db")
    first = run_process(
        "--db", db, "--create", "near", "ST4 7QB", "--goal", "meet people", "--format", "json"
    )
    assert first.returncode == 0
    assert b"\x1b[" not in first.stdout + first.stderr
    assert b"created a new catalogue" in first.stderr
    quiet = run_process("-q", "--db", db, "near", "ST4", "--format", "json")
    assert quiet.stderr == b"" and json.loads(quiet.stdout)
    usage = run_process("--db", db, "near", "--bogus")
    assert usage.returncode == 2 and b"No such option" in usage.stderr
    assert b"\x1b[" not in usage.stderr and "╭".encode() not in usage.stderr
    assert run_process("--db", db, "near", "ST4", "--format", "table", env={"NO_COLOR": "1"}).returncode == 0  # fmt: skip


@pytest.mark.slow
def test_broken_pipe_exits_quietly(tmp_path):
    db = str(tmp_path / "p.db")
    assert run_process("--db", db, "--create", "list").returncode == 0
    cmd = f"'{sys.executable}' -m assetmap --db '{db}' export | head -1"
    proc = subprocess.run(["bash", "-c", cmd + "; echo \"rc=${PIPESTATUS[0]}\" >&2"], capture_output=True, timeout=60)  # fmt: skip
    assert proc.stdout.startswith(b"id,name,category")
    assert b"rc=141" in proc.stderr
    assert b"Traceback" not in proc.stderr and b"Error" not in proc.stderr


@pytest.mark.slow
def test_ctrl_c_mid_import_exits_130_and_changes_nothing(tmp_path):
    db = tmp_path / "c.db"
    assert run_process("--db", str(db), "init", "--empty").returncode == 0
    big = tmp_path / "big.csv"
    with big.open("w") as fh:
        fh.write("name,category,lat,lon\n")
        fh.writelines(f"Asset {i},gym,{53 + i / 1e6:.6f},-2.2\n" for i in range(200_000))
    proc = subprocess.Popen([sys.executable, "-m", "assetmap", "--db", str(db), "import", str(big)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    time.sleep(2.0)
    assert proc.poll() is None
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert b"Traceback" not in err
    assert sqlite3.connect(db).execute("SELECT count(*) FROM assets").fetchone() == (0,)


# -- faults ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_two_imports_and_a_query_at_once(tmp_path):
    db = tmp_path / "shared.db"
    assert run_process("--db", str(db), "init", "--empty").returncode == 0
    files = []
    for n in range(2):
        f = tmp_path / f"feed{n}.csv"
        with f.open("w") as fh:
            fh.write("name,category,lat,lon,tags\n")
            fh.writelines(f"Feed{n} Asset {i},gym,{53 + i / 1e5:.5f},{-2.2 - n / 10},gym\n" for i in range(3000))  # fmt: skip
        files.append(f)
    env = {**os.environ}
    imports = [subprocess.Popen([sys.executable, "-m", "assetmap", "--db", str(db), "import", str(f)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for f in files]  # fmt: skip
    counts = []
    while any(p.poll() is None for p in imports):
        q = run_process("--db", str(db), "near", "53.01,-2.2", "--tag", "gym", "--within", "50km", "--limit", "100000", "--format", "json")  # fmt: skip
        assert q.returncode == 0, q.stderr
        counts.append(len(json.loads(q.stdout)))
    for p in imports:
        _out, err = p.communicate()
        assert p.returncode == 0, err
        assert b"locked" not in err
    # A reader sees one import whole or not at all, never half of one.
    assert set(counts) <= {0, 3000, 6000}
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM assets").fetchone() == (6000,)
    assert conn.execute("SELECT count(*) FROM assets_rtree").fetchone() == (6000,)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["not sqlite", "truncated", "missing dir", "newer", "read-only flag", "directory"])  # fmt: skip
def test_unusable_catalogue_files_give_one_line_and_stay_untouched(tmp_path, kind):
    path = tmp_path / "cat.db"
    if kind == "not sqlite":
        path.write_bytes(b"id,name\n1,not a database\n" * 100)
    elif kind in ("truncated", "newer", "read-only flag"):
        assert run_process("--db", str(path), "--create", "list").returncode == 0
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if kind == "newer":
            conn.execute("PRAGMA user_version = 99")
        conn.close()
        if kind == "truncated":
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 3])
    elif kind == "missing dir":
        path = tmp_path / "nowhere" / "cat.db"
    elif kind == "directory":
        path = tmp_path
    before = path.read_bytes() if path.is_file() else None
    args = ["--db", str(path)]
    if kind == "read-only flag":
        args.append("--read-only")
    proc = run_process(*args, "add", "--name", "X", "--category", "gym", "--postcode", "M1 1AD")
    if kind == "truncated" and proc.returncode == 0:
        pytest.fail("a truncated catalogue was written to")
    assert proc.returncode == 1, proc.stderr
    # The gazetteer's one-time index build may say so first (a test run alone builds it here).
    lines = [
        ln for ln in proc.stderr.decode().strip().splitlines()
        if not ln.startswith("assetmap: building the offline gazetteer index")
    ]  # fmt: skip
    assert len(lines) == 1 and lines[0].startswith("Error:"), proc.stderr
    assert b"Traceback" not in proc.stderr
    if before is not None:
        assert path.read_bytes() == before
    if kind == "missing dir":
        assert not path.parent.exists()


@pytest.mark.slow
def test_read_only_catalogue_still_answers_searches(tmp_path):
    db = tmp_path / "ro.db"
    assert run_process("--db", str(db), "--create", "list").returncode == 0
    proc = run_process("--db", str(db), "--read-only", "near", "ST4 7QB", "--format", "json")
    assert proc.returncode == 0 and json.loads(proc.stdout)
    proc = run_process("--db", str(db), "--read-only", "import", "-", input=b"name,category,postcode\nA,gym,M1 1AD\n")  # fmt: skip
    assert proc.returncode == 1 and b"read-only" in proc.stderr


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to a read-only file")
def test_read_only_file_permissions(tmp_path):
    db = tmp_path / "perm.db"
    assert run_process("--db", str(db), "list").returncode == 0
    db.chmod(0o444)
    proc = run_process("--db", str(db), "add", "--name", "X", "--category", "gym", "--postcode", "M1 1AD")  # fmt: skip
    assert proc.returncode == 1 and b"read-only" in proc.stderr


def test_sql_injection_through_options_and_fields_is_inert(cli, db_file, tmp_path):
    db = ["--db", str(db_file)]
    evil = "x'); DROP TABLE assets; --"
    new_id = cli(*db, "add", "--name", evil, "--category", "gym", "--postcode", "M1 1AD", "--tags", evil).stdout.strip()  # fmt: skip
    assert json.loads(cli(*db, "show", new_id, "--format", "json").stdout)["name"] == evil
    for args in (["list", "--category", "gym' OR '1'='1"], ["list", "--tag", evil], ["list", "--area", evil],
                 ["search", evil], ["near", "M1 1AD", "--tag", evil], ["near", "M1 1AD", "--goal", evil]):  # fmt: skip
        result = cli(*db, *args, "--format", "json", code=None)
        assert result.exit_code in (0, 1) and "Traceback" not in result.stderr
    f = tmp_path / "evil.csv"
    f.write_text(f'name,category,postcode,notes\n"{evil}",gym,M1 1AE,"{evil}"\n')
    cli(*db, "import", str(f))
    conn = sqlite3.connect(db_file)
    assert conn.execute("SELECT count(*) FROM assets").fetchone() == (2,)


@pytest.mark.parametrize(
    "command",
    [["backup"], ["export"], ["plan", "shelton", "--from", "ST4 7QB", "--out"]],
    ids=["backup", "export", "plan"],
)
def test_a_file_named_as_a_directory_is_one_line_naming_it(cli, tmp_path, command):
    folder = tmp_path / "reports"
    folder.mkdir()
    result = cli(*command, str(folder), code=1)
    said = [ln for ln in result.stderr.splitlines() if not ln.startswith("assetmap: ")]
    assert len(said) == 1 and said[0].startswith("Error: "), said
    # It names the folder given, never our temp file beside it.
    assert str(folder) in said[0] and "directory" in said[0] and ".assetmap-" not in said[0]
    assert list(folder.iterdir()) == [] and not list(tmp_path.glob(".assetmap-*"))


def test_broken_pipe_at_the_last_flush_exits_141_quietly(home, monkeypatch):
    # `near --format json | head -c 600`: the answer was written into stdout's buffer and the
    # reader left before the flush at exit, which printed "Exception ignored in ... BrokenPipeError"
    # and exited 120 (seen on a terminal). A real pipe whose reader has gone, in process.
    from assetmap.cli.app import main

    read_end, write_end = os.pipe()
    os.close(read_end)
    stdout = os.fdopen(write_end, "w", buffering=8192)
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "argv", ["assetmap", "near", "ST4 7QB", "--limit", "1", "--format", "json"])  # fmt: skip
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 141
    stdout.close()  # nothing is left to write: the flush at exit cannot fail
