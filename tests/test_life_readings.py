"""Readings of what a person says about their life that a colleague would not agree with
(issue 24, second pass), each found on main with the bundled catalogue or the accuracy sets:
a food parcel read as any place tagged food, "no money till payday" finding nothing, a
veteran's PTSD shown only as mental health, a toddler read as a need for family support, and
"School" or "Academy" in a venue's name read as children taking part."""

import json

import pytest

from assetmap.catalogue.models import Asset
from assetmap.catalogue.opening import open_catalogue

HERE = "53.0,-2.2"
KM = 1 / 111.2  # a degree of latitude is 111.2 km

ROWS = [
    # food: an allotment tagged food is nearer than the foodbank
    {"id": "allotment", "name": "Community Allotment", "category": "gardening", "tags": "gardening;growing;food", "lat": 53 + 0.3 * KM},
    {"id": "foodbank", "name": "Trussell Foodbank", "category": "foodbank", "tags": "food;foodbank", "lat": 53 + 3.6 * KM},
    # a veteran with PTSD: three mental health places nearer than the veterans' service
    *({"id": f"mind-{i}", "name": f"Mind Drop-in {i}", "category": "peer support", "tags": "mental health;talking", "lat": 53 + (0.2 + i / 10) * KM} for i in range(3)),
    {"id": "veterans", "name": "Veterans Breakfast Club", "category": "veterans support", "tags": "veterans;armed forces", "lat": 53 + 4 * KM},
    # families
    {"id": "parenting", "name": "Parenting Course", "category": "family support", "tags": "parenting", "involves_children": "no", "lat": 53 + 0.5 * KM},
    {"id": "stay-play", "name": "Stay and Play", "category": "community centre", "tags": "family;meet people", "involves_children": "yes", "lat": 53 + 2 * KM},
    {"id": "gym", "name": "City Gym", "category": "gym", "tags": "gym;fitness", "lat": 53 + 0.1 * KM},
    # venues named for a school or an academy, used by adult clubs; and clubs for children
    {"id": "academy-site", "name": "Co-Op Academy Leeds", "category": "sports club", "tags": "football;sport", "lat": 53 + 0.4 * KM},
    {"id": "school-site", "name": "Parkside School Sports Centre", "category": "sports club", "tags": "football;sport", "description": "Community use of the sports hall and pitches on weekday evenings", "lat": 53 + 0.5 * KM},
    {"id": "boxing-academy", "name": "Elite Boxing Academy", "category": "sports club", "tags": "boxing;sport", "lat": 53 + 0.6 * KM},
    {"id": "boys-school", "name": "Kings Heath Boys School", "category": "sports club", "tags": "football;sport", "lat": 53 + 0.7 * KM},
    {"id": "after-school", "name": "Hillside Sports", "category": "sports club", "tags": "football;sport", "description": "An after-school club, Tuesdays", "lat": 53 + 0.8 * KM},
    {"id": "juniors", "name": "Trafford Juniors FC", "category": "sports club", "tags": "football;sport", "lat": 53 + 0.9 * KM},
]  # fmt: skip


@pytest.fixture
def db(tmp_path):
    return db_path(tmp_path / "life.db", ROWS)


def near(cli, db, *args):
    result = cli("--db", str(db), "near", HERE, *args, "--format", "json", "--limit", "10", "--verbose")  # fmt: skip
    return json.loads(result.stdout), result


def test_a_food_parcel_is_a_foodbank_before_an_allotment_tagged_food(cli, db):
    found, _ = near(cli, db, "--goal", "needs a food parcel")
    assert found[0]["id"] == "foodbank"  # though the allotment is 3 km nearer


def test_no_money_till_payday_still_finds_a_foodbank_and_prefers_free_without_requiring_it(cli, db):
    # There is no money advice here; the foodbank 3.6 km away (its cost not recorded) is found.
    found, result = near(cli, db, "--goal", "no money till payday")
    assert found and found[0]["id"] == "foodbank", result.stderr
    assert "free places first (--free for only free ones" in result.stderr


def test_ex_forces_with_ptsd_shows_the_veterans_service_first(cli, db):
    found, result = near(cli, db, "--goal", "ex-forces, PTSD")
    ids = [r["id"] for r in found]
    assert ids[0] == "veterans", result.stderr  # 4 km away, beyond three mental health places
    assert {"mind-0", "mind-1", "mind-2"} <= set(ids)  # still shown, after it


def test_a_toddler_alone_is_a_situation_not_a_need(cli, db):
    found, result = near(cli, db, "--goal", "has a toddler")
    said = " ".join(result.stderr.split())
    assert found[0]["id"] == "stay-play", said  # every kind near, places for families first
    assert "read as family" not in said and "loosely as family" not in said
    assert "'has a toddler' names no kind of place: every kind is searched" in said
    assert "'toddler': places for families first" in said
    # said beside a need, the need decides the kind and the toddler the order
    found, _ = near(cli, db, "--goal", "has a toddler, needs parenting support")
    assert [r["id"] for r in found] == ["stay-play", "parenting"]


def test_school_or_academy_in_a_venue_name_does_not_say_children(cli, db):
    found, result = near(cli, db, "--goal", "football", "--no-children", "--show-excluded")
    ids = {r["id"]: r for r in found}
    for adult in ("academy-site", "school-site", "boxing-academy"):
        if adult in ids:
            assert "likely involves children" not in ids[adult]["why"], ids[adult]["why"]
    assert {"academy-site", "school-site"} <= set(ids), result.stderr
    # words that say who takes part still count
    assert "boys-school" not in ids and "juniors" not in ids
    assert "likely involves children (from its description: 'after school'), check first" in ids["after-school"]["why"]  # fmt: skip
    found, result = near(cli, db, "--goal", "football", "--gender", "women", "--show-excluded")
    assert "boys-school" not in {r["id"] for r in found}
    assert "left out: Kings Heath Boys School (boys-school): for men only (from its name: 'Boys')" in result.stderr  # fmt: skip


def test_a_need_with_no_service_near_is_said_beside_the_others_found(cli, tmp_path):
    # the bundled catalogue has no veterans' service near Stretford: "ex-forces, PTSD" showed
    # mental health places and never said the veterans had nothing
    path = db_path(tmp_path / "no-veterans.db", [r for r in ROWS if r["id"] != "veterans"])
    found, result = near(cli, path, "--goal", "ex-forces, PTSD")
    assert {r["id"] for r in found} == {"mind-0", "mind-1", "mind-2"}
    said = " ".join(result.stderr.split())
    assert "'ex-forces, PTSD' read as veterans (ex forces), mental health (ptsd); nothing near for veterans" in said  # fmt: skip
    # where nothing near meets any of it, the empty message says so, not this note too
    path = db_path(tmp_path / "none.db", [r for r in ROWS if r["id"] in ("gym", "foodbank")])
    found, result = near(cli, path, "--goal", "ex-forces, PTSD")
    assert found == [] and "nothing near for" not in result.stderr
    # where there is one, nothing is said
    _found, result = near(cli, db_path(tmp_path / "all.db", ROWS), "--goal", "ex-forces, PTSD")
    assert "nothing within" not in result.stderr


def db_path(path, rows):
    cat = open_catalogue(path, seed=False)
    rows = [{"verified_on": "2026-10-01", "lon": "-2.2", **r, "lat": f"{r['lat']:.6f}"} for r in rows]  # fmt: skip
    cat.write([Asset.from_row(r, categories=cat.categories()) for r in rows])
    cat.close()
    return path


def test_a_situation_said_against_is_not_applied(cli, db):
    # "doesn't have kids" ranked places for families first; "no kids" read a family need
    for phrase in ("doesn't have kids", "no kids"):
        _found, result = near(cli, db, "--goal", phrase)
        said = " ".join(result.stderr.split())
        assert "places for families first" not in said, said
        assert "read as family" not in said, said


def test_a_stem_shared_with_another_word_does_not_carry_its_meaning():
    from assetmap.catalogue.vocab import DEFAULT_GOALS
    from assetmap.search import goals, understand

    vocabulary = [goals.Goal(*g) for g in DEFAULT_GOALS]
    # "using" and "useful" are both the stem "use": "using again" was read as giving back
    note = understand.read("using again since release", vocabulary).note()
    assert "give back" not in note and "stay sober" in note
    # the people a person loses are one class: a brother as well as a sister
    assert understand.read("lost his brother last year", vocabulary).note() == (
        "'lost his brother last year' read as bereavement (lost his brother)"
    )
    # "acts" shares its stem with acting (drama): how a person acts is read whole first
    assert understand.read("acts on impulse", vocabulary).note() == (
        "'acts on impulse' read as mentoring (acts on impulse)"
    )
    assert "creative" in understand.read("wants to act", vocabulary).note()


def test_a_school_for_young_children_in_a_name_still_says_children(cli, tmp_path):
    # reviewer2: since 'School' alone is no longer a signal (7a7e048), a sports site at a
    # primary school (the bundled catalogue's 'Chopwell Primary School', 'Oakington Manor
    # Primary School') passed --no-children as an adult venue. A school for young children
    # says who is there: primary, infant, nursery and prep schools still count.
    rows = [
        {"id": "primary", "name": "Chopwell Primary School", "category": "sports club", "tags": "football;sport", "lat": 53 + 0.2 * KM},
        {"id": "infants", "name": "St Mary's Infant School", "category": "sports club", "tags": "football;sport", "lat": 53 + 0.3 * KM},
        {"id": "prep", "name": "Mylnhurst Preparatory School", "category": "sports club", "tags": "football;sport", "lat": 53 + 0.4 * KM},
        {"id": "school-site", "name": "Parkside School Sports Centre", "category": "sports club", "tags": "football;sport", "lat": 53 + 0.5 * KM},
    ]  # fmt: skip
    found, result = near(cli, db_path(tmp_path / "schools.db", rows), "--goal", "football",
                         "--no-children", "--show-excluded")  # fmt: skip
    assert [r["id"] for r in found] == ["school-site"], result.stderr
    assert "left out: Chopwell Primary School (primary): likely involves children" in result.stderr


def test_with_no_children_a_school_or_academy_site_is_kept_with_a_caution(cli, db):
    """reviewer2: since 'School' or 'Academy' alone is no longer a children signal, a school
    or academy site passed --no-children with no word, though many licence conditions forbid
    entering school premises whoever uses the hall. With --no-children it is kept (adult clubs
    use such sites in the evening) and its why says to check; a boxing academy is a club, not
    a school site; without --no-children nothing is said."""
    found, _ = near(cli, db, "--goal", "football", "--no-children")
    why = {r["id"]: r["why"] for r in found}
    for site, word in (("school-site", "School"), ("academy-site", "Academy")):
        assert f"may be on a school site (from its name: '{word}'), check first" in why[site]
    assert "school site" not in why.get("boxing-academy", "")
    plain, _ = near(cli, db, "--goal", "football")
    assert not [r for r in plain if "school site" in r["why"]]
