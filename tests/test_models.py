import datetime as dt

import pytest

from assetmap.catalogue import schedule
from assetmap.catalogue.models import DEFAULT_CATEGORIES, Asset, make_id, split_tags
from assetmap.errors import InvalidRecord, InvalidValue
from assetmap.places import postcodes

CATS = {c: c for c in DEFAULT_CATEGORIES}


def asset(**kw):
    row = {"name": "Hanley Walkers", "category": "walking group", "postcode": "ST1 3EB", **kw}
    return Asset.from_row(row, categories=CATS, today=dt.date(2026, 11, 23))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("st47qb", "ST4 7QB"),
        ("ST4  7QB", "ST4 7QB"),
        (" m1 1ad ", "M1 1AD"),
        ("EC1A1BB", "EC1A 1BB"),
    ],
)
def test_postcodes_are_normalised_to_royal_mail_form(text, expected):
    assert postcodes.normalise(text) == expected


@pytest.mark.parametrize("bad", ["ST4 7Q", "12345", "", "ST47QBX", "Hanley"])
def test_malformed_postcodes_are_rejected_with_the_expected_form(bad):
    with pytest.raises(InvalidValue, match="ST4 7QB"):
        postcodes.normalise(bad)


def test_schedule_parses_into_sessions_and_normalises():
    sessions = schedule.parse("Sat 10:00-12:00; Wed 18:30-20:00; Mon-Fri 09:00-17:00")
    assert schedule.Session(5, 600, 720) in sessions
    assert schedule.Session(2, 18 * 60 + 30, 20 * 60) in sessions
    assert {s.day for s in sessions if s.start == 540} == {0, 1, 2, 3, 4}
    assert schedule.normalise("saturday 10am-12noon; tuesday 6.30pm - 8pm") == (
        "Sat 10:00-12:00; Tue 18:30-20:00"
    )
    assert schedule.normalise("Mon,Tue,Wed 9:00-17:00") == "Mon-Wed 09:00-17:00"


@pytest.mark.parametrize(
    "bad", ["Saturday mornings", "Sat 12:00-10:00", "Funday 10:00-12:00", "Sat 25:00-26:00"]
)
def test_unreadable_schedules_are_errors_with_the_format(bad):
    with pytest.raises(InvalidValue):
        schedule.parse(bad)


def test_tags_are_trimmed_lowered_and_deduplicated():
    assert split_tags(" Gym; Fitness ;gym;;Keep  Fit") == ["gym", "fitness", "keep fit"]


def test_valid_row_is_normalised():
    a = asset(
        category="Walking Group",
        tags="Walking; Outdoors",
        cost="FREE",
        verified_on="23/11/2026",
        welcomes_convictions="Yes",
        capital="bridging;bonding",
        min_age="18",
    )
    assert a.category == "walking group"
    assert a.tags == ["walking", "outdoors"]
    assert a.cost == "free"
    assert a.verified_on == "2026-11-23"
    assert a.welcomes_convictions == "yes"
    assert a.dbs_required == "unknown"  # blank flag means unknown
    assert a.gender == "any"
    assert a.capital == ["bridging", "bonding"]
    assert a.min_age == 18
    assert a.id == "hanley-walkers-st1-3eb"


def test_every_problem_in_a_row_is_reported_with_its_column():
    with pytest.raises(InvalidRecord) as info:
        asset(
            category="knitting",
            cost="fre",
            lat="95",
            lon="",
            min_age="-3",
            verified_on="2030-01-01",
        )
    columns = {p.column for p in info.value.problems}
    assert {"category", "cost", "lat", "min_age", "verified_on"} <= columns
    text = str(info.value)
    assert "'fre' is not one of free, low, paid" in text
    assert "walking group" in text  # unknown category lists the known ones


def test_postcode_or_coordinates_are_required():
    with pytest.raises(InvalidRecord, match="postcode"):
        asset(postcode="")
    a = asset(postcode="", lat="53.4", lon="-2.2")
    assert a.postcode == "" and a.lat == 53.4 and a.geo_precision == "given"


def test_id_is_stable_for_the_same_asset():
    assert make_id("Hanley Walkers", "ST1 3EB", None, None) == asset().id
    assert make_id("Café Été", "", 53.1234, -2.5) == "cafe-ete-53-123-2-500"


def test_to_row_round_trips():
    a = asset(tags="a;b", lat="53.01", lon="-2.17", schedule="Sat 10:00-12:00", capital="linking")
    again = Asset.from_row(a.to_row(), categories=CATS, today=dt.date(2026, 11, 23))
    assert again == a


def test_verified_on_may_be_tomorrow_but_not_later():
    """A day of grace, no more: the day after tomorrow is a mistake in the sheet."""
    assert asset(verified_on="24/11/2026").verified_on == "2026-11-24"
    with pytest.raises(InvalidRecord) as info:
        asset(verified_on="2026-11-25")
    assert [(p.column, p.message) for p in info.value.problems] == [
        ("verified_on", "2026-11-25 is in the future")
    ]
