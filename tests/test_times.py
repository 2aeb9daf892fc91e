"""Time filters: days (weekdays, weekend, ranges, lists, today), --at now and parts of the day,
--before, sessions past midnight, and assets with no recorded times kept and marked."""

import datetime as dt
import json

import pytest

from assetmap.catalogue import schedule
from assetmap.catalogue.models import Asset
from assetmap.catalogue.opening import open_catalogue
from assetmap.errors import InvalidValue

HERE = "53.0,-2.2"
SCHEDULES = {
    "sat-only": "Sat 10:00-12:00",
    "weekday-day": "Mon-Fri 09:30-15:00",
    "fri-late": "Fri 22:00-02:00",
    "mon-eve": "Mon 18:00-20:00",
    "sun-morn": "Sun 09:00-11:00",
    "wed-day": "Wed 10:00-16:30",
    "no-times": "",
}
TIMED = set(SCHEDULES) - {"no-times"}


@pytest.fixture
def near(cli, tmp_path):
    path = tmp_path / "times.db"
    cat = open_catalogue(path, seed=False)
    cats = cat.categories()
    assets = [
        Asset.from_row(
            {"id": key, "name": key.replace("-", " ").title(), "category": "community centre",
             "lat": str(53.0 + i * 0.001), "lon": "-2.2", "schedule": text,
             "verified_on": "2026-10-01"},
            categories=cats,
        )
        for i, (key, text) in enumerate(SCHEDULES.items())
    ]  # fmt: skip
    cat.write(assets)
    cat.close()

    def run(*args, code=0):
        result = cli("--db", str(path), "near", HERE, *args, "--format", "json", code=code)
        found = json.loads(result.stdout) if result.stdout.strip() else []
        return {r["id"]: r for r in found}, result

    return run


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--day", "weekdays"], {"weekday-day", "fri-late", "mon-eve", "wed-day"}),
        (["--day", "mon-fri"], {"weekday-day", "fri-late", "mon-eve", "wed-day"}),
        # Fri 22:00-02:00 runs into Saturday's early hours
        (["--day", "weekend"], {"sat-only", "sun-morn", "fri-late"}),
        (["--day", "mon,wed"], {"weekday-day", "mon-eve", "wed-day"}),
        (["--day", "fri-mon"], {"sat-only", "sun-morn", "fri-late", "mon-eve", "weekday-day"}),
        (["--day", "sun"], {"sun-morn"}),
        # Monday-to-Friday edges: Friday is in, Saturday is out; a session's end is exclusive
        (["--day", "fri", "--at", "09:30"], {"weekday-day"}),
        (["--day", "sat", "--at", "10:00"], {"sat-only"}),
        (["--day", "mon", "--at", "15:00"], set()),
        (["--day", "mon", "--at", "14:59"], {"weekday-day"}),
        # past midnight: Friday until 24:00, Saturday from 00:00 to 02:00
        (["--day", "fri", "--at", "23:00"], {"fri-late"}),
        (["--day", "sat", "--at", "01:00"], {"fri-late"}),
        (["--day", "fri", "--at", "01:00"], set()),
        (["--day", "sat", "--at", "02:00"], set()),
        (["--at", "18:30"], {"mon-eve"}),  # no --day: any day
        (["--before", "17:00"], {"weekday-day", "sat-only", "sun-morn", "wed-day"}),
        (["--before", "15:00"], {"weekday-day", "sat-only", "sun-morn"}),  # ends exactly then
        (["--after", "21:00"], {"fri-late"}),
        (["--daytime"], {"weekday-day", "sat-only", "sun-morn", "wed-day"}),
        (["--evening"], {"mon-eve"}),  # 17:00-22:00; a session from 22:00 is night, not evening
        (["--at", "evening"], {"mon-eve"}),
        (["--at", "morning", "--day", "weekend"], {"sat-only", "sun-morn"}),
        (["--day", "weekdays", "--daytime"], {"weekday-day", "wed-day"}),
        (["--day", "weekdays", "--evening"], {"mon-eve"}),
        (["--day", "weekdays", "--after", "21:00"], {"fri-late"}),
    ],
)  # fmt: skip
def test_time_forms(near, args, expected):
    strict, _ = near(*args, "--strict-times", "--limit", "50")
    assert set(strict) == expected
    kept, _ = near(*args, "--limit", "50")
    assert set(kept) == expected | {"no-times"}


def test_a_saturday_only_group_never_comes_back_for_weekdays(near):
    for day in ("weekdays", "mon-fri", "Mon-Fri", "weekday", "mon,tue,wed,thu,fri"):
        found, _ = near("--day", day, "--limit", "50")
        assert "sat-only" not in found and "sun-morn" not in found, day


def test_no_recorded_times_is_kept_marked_and_dropped_when_strict(near):
    found, result = near("--day", "weekdays", "--daytime", "--limit", "50")
    assert "times not recorded, check first" in found["no-times"]["why"]
    assert "times: weekdays (Mon-Fri), daytime (09:00-17:00)" in result.stderr
    assert "times not recorded, check first" not in found["weekday-day"]["why"]
    strict, result = near("--day", "weekdays", "--strict-times", "--show-excluded", "--limit", "50")
    assert "no-times" not in strict
    assert "No Times (no-times): times not recorded (--strict-times)" in result.stderr
    unfiltered, _ = near("--limit", "50")
    assert "check first" not in unfiltered["no-times"]["why"]  # no time asked, nothing to check


def test_at_without_day_says_any_day(near):
    _, result = near("--at", "18:30")
    assert "no --day given, so any day of the week counts" in result.stderr


def test_today_and_now_use_the_clock(near):
    now = dt.datetime.now()
    today = now.weekday()
    found, result = near("--day", "today", "--strict-times", "--limit", "50")
    by_day = {k for k, text in SCHEDULES.items() if text and today in {
        d for s in schedule.parse(text) for d in ({s.day, (s.day + 1) % 7} if s.end > 1440 else {s.day})
    }}  # fmt: skip
    assert set(found) == by_day
    found, result = near("--at", "now", "--limit", "50")
    assert "no-times" in found
    assert (
        f"times: {('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')[today]}, running at"
        in result.stderr
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--day", "funday"], "--day: 'funday' is not a day"),
        (["--day", "mon-funday"], "--day:"),
        (["--at", "25:00"], "--at:"),
        (["--at", "teatime"], "--at: 'teatime' is not a time"),
        (["--before", "noonish"], "--before:"),
        (["--daytime", "--evening"], "--daytime and --evening: choose one"),
        (["--at", "18:00", "--before", "17:00"], "--before: it must be later than --at"),
    ],
)
def test_bad_time_options_are_one_line_errors(near, args, message):
    _, result = near(*args, code=1)
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_schedule_sessions_past_midnight():
    assert schedule.parse("Fri 22:00-02:00") == [schedule.Session(4, 22 * 60, 26 * 60)]
    assert schedule.normalise("friday 10pm-2am") == "Fri 22:00-02:00"
    assert str(schedule.parse("Sat 20:00-08:00")[0]) == "Sat 20:00-08:00"
    for slip in ("Sat 12:00-10:00", "Sat 10:00-10:00", "Sat 15:00-01:00", "Sat 22:00-09:00"):
        with pytest.raises(InvalidValue, match="ends before it starts"):
            schedule.parse(slip)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # Found in a newcomer run: an empty --day said "write sessions like 'Sat 10:00-12:00'"
        # (the schedule column's hint), and --at 25:00 named no fix at all.
        (["--day", ""], "--day: no day given; use a day (sat), a range (mon-fri), a list (mon,wed), weekdays, weekend or today"),
        (["--day", " , "], "--day: no day given; use a day (sat)"),
        (["--at", "25:00"], "--at: '25:00' is not a time of day; use 24-hour HH:MM, e.g. 18:30"),
        (["--after", "18:75"], "--after: '18:75' is not a time of day; use 24-hour HH:MM"),
    ],
)  # fmt: skip
def test_bad_time_options_name_the_fix(near, args, message):
    _, result = near(*args, code=1)
    assert message in result.stderr and "sessions like" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
