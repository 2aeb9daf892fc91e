"""`near` against a small hand-made catalogue whose distances are computed here with geopy."""

import csv
import io
import json

import pytest
from geopy.distance import geodesic
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from assetmap.catalogue.models import Asset
from assetmap.catalogue.opening import open_catalogue

CENTRE = (53.0, -2.2)  # searches are made from "53.0,-2.2"
HERE = "53.0,-2.2"


def point(km: float, bearing: float) -> tuple[float, float]:
    p = geodesic(kilometers=km).destination(CENTRE, bearing)
    return round(p.latitude, 6), round(p.longitude, 6)


def dist(lat, lon) -> float:
    return geodesic(CENTRE, (lat, lon)).km


# id -> (km, bearing, fields)
ASSETS = {
    "gym-near": (0.5, 0, {"category": "gym", "tags": "gym;fitness", "cost": "paid", "schedule": "Mon-Fri 06:00-22:00", "welcomes_convictions": "yes", "dbs_required": "no", "involves_children": "no", "accessibility": "step-free", "referral": "membership", "capital": "bridging", "verified_on": "2026-10-01"}),
    "walk-both": (1.0, 90, {"category": "walking group", "tags": "walking;outdoors;meet people", "cost": "free", "schedule": "Sat 10:00-12:00", "welcomes_convictions": "yes", "dbs_required": "no", "involves_children": "no", "referral": "drop-in", "capital": "bridging", "verified_on": "2026-10-01"}),
    "book-club": (2.0, 180, {"category": "book club", "tags": "books;reading", "cost": "free", "schedule": "Wed 18:30-20:00", "welcomes_convictions": "unknown", "dbs_required": "unknown", "involves_children": "no", "min_age": "18", "referral": "drop-in", "capital": "bonding", "verified_on": "2026-10-01"}),
    "youth-coach": (1.5, 270, {"category": "volunteering", "tags": "volunteering;football;coaching", "cost": "free", "schedule": "Sat 09:00-12:00", "welcomes_convictions": "yes", "dbs_required": "yes", "involves_children": "yes", "referral": "referral-needed", "capital": "linking", "verified_on": "2026-10-01"}),
    "women-circle": (3.0, 45, {"category": "peer support", "tags": "peer support;talking", "cost": "free", "schedule": "Thu 10:00-12:00", "gender": "women", "welcomes_convictions": "yes", "dbs_required": "no", "involves_children": "unknown", "referral": "self-referral", "capital": "bonding", "verified_on": "2026-10-01"}),
    "men-shed": (3.0, 135, {"category": "community centre", "tags": "meet people;woodwork", "description": "Fretwork, tools and a brew.", "cost": "low", "schedule": "Tue 10:00-15:00", "gender": "men", "welcomes_convictions": "yes", "dbs_required": "no", "involves_children": "no", "capital": "bonding", "verified_on": "2026-10-01"}),
    "closed-gym": (0.7, 10, {"category": "gym", "tags": "gym;fitness", "status": "closed", "verified_on": "2026-10-01"}),
    "edge-in": (4.995, 200, {"category": "library", "tags": "books", "cost": "free", "verified_on": "2026-10-01"}),
    "edge-out": (5.005, 200, {"category": "library", "tags": "books", "cost": "free", "verified_on": "2026-10-01"}),
    "stale-gym": (0.5, 0, {"category": "gym", "tags": "gym;fitness", "cost": "paid", "verified_on": "2019-01-01"}),
    "twin-a": (2.5, 300, {"category": "gardening", "tags": "gardening", "cost": "free", "verified_on": "2026-10-01"}),
    "twin-b": (2.5, 300, {"category": "gardening", "tags": "gardening", "cost": "free", "verified_on": "2026-10-01"}),
}  # fmt: skip


@pytest.fixture
def catalogue(tmp_path):
    path = tmp_path / "near.db"
    cat = open_catalogue(path, seed=False)
    cats = cat.categories()
    assets = []
    for asset_id, (km, bearing, fields) in ASSETS.items():
        lat, lon = point(km, bearing)
        row = {"id": asset_id, "name": asset_id.replace("-", " ").title(), "lat": str(lat), "lon": str(lon), "area": "Test", **fields}  # fmt: skip
        assets.append(Asset.from_row(row, categories=cats))
    cat.write(assets)
    cat.close()
    return path


@pytest.fixture
def near(cli, catalogue):
    def run(*args, code=0):
        result = cli("--db", str(catalogue), "near", HERE, *args, "--format", "json", code=code)
        return json.loads(result.stdout) if result.stdout.strip() else None, result

    return run


def ids(results):
    return [r["id"] for r in results]


def test_distances_are_geodesic_and_radius_edges_are_exact(near):
    results, _ = near("--sort", "distance", "--limit", "50")
    by_id = {r["id"]: r for r in results}
    assert "edge-in" in by_id and "edge-out" not in by_id
    for r in results:
        assert r["distance_km"] == pytest.approx(dist(r["lat"], r["lon"]), abs=0.0005)
    assert [r["distance_km"] for r in results] == sorted(r["distance_km"] for r in results)
    wider, _ = near("--within", "5.01km", "--limit", "50")
    assert "edge-out" in ids(wider)
    miles, _ = near("--within", "3mi", "--limit", "50")  # 4.828 km
    assert "edge-in" not in ids(miles) and "women-circle" in ids(miles)
    metres, _ = near("--within", "800m", "--limit", "50")
    assert set(ids(metres)) == {"gym-near", "stale-gym"}


def test_required_json_fields(near):
    results, _ = near()
    required = {"id", "name", "category", "tags", "distance_km", "score", "why", "postcode",
                "lat", "lon", "schedule", "phone", "website", "verified_on"}  # fmt: skip
    for r in results:
        assert required <= r.keys()
        assert isinstance(r["tags"], list) and isinstance(r["distance_km"], float)


def test_goal_synonyms_and_stemming(near):
    # gym category, walking-group category, football tag
    expected = {"gym-near", "stale-gym", "walk-both", "youth-coach"}
    for phrase in ("get fit", "fitness", "keep fit", "Exercise", "keeping fit"):
        results, result = near("--goal", phrase, "--limit", "50")
        assert set(ids(results)) == expected, phrase


def test_ored_goals_rank_assets_meeting_more_first(near):
    results, _ = near("--goal", "get fit", "--goal", "meet people", "--limit", "50")
    assert results[0]["id"] == "walk-both"  # meets both, though further than the gym
    assert results[0]["goals_met"] == ["get fit", "meet people"]
    assert results[0]["why"].startswith('fits "get fit" and "meet people"; ')
    assert {"gym-near", "men-shed", "book-club"} <= set(ids(results))


def test_unknown_goal_falls_back_to_full_text_and_says_so(near):
    # "fretwork" is a word the lexicon and the word table know but cannot read as a goal
    results, result = near("--goal", "fretwork")
    assert ids(results) == ["men-shed"]
    assert "the lexicon does not read it; searching names, descriptions and tags" in result.stderr


def test_a_cue_word_that_is_also_a_tag_meets_it(near):
    results, result = near("--goal", "woodwork")
    assert ids(results)[0] == "men-shed"
    assert "note: 'woodwork' read as " in result.stderr


def test_freshness_breaks_a_tie_between_equal_assets(near):
    results, _ = near("--goal", "get fit", "--limit", "50")
    order = ids(results)
    assert order.index("gym-near") < order.index("stale-gym")
    stale = next(r for r in results if r["id"] == "stale-gym")
    assert "not verified since 2019-01-01" in stale["why"]


def test_ties_break_by_id(near):
    results, _ = near("--tag", "gardening")
    assert ids(results) == ["twin-a", "twin-b"]
    results, _ = near("--tag", "gardening", "--sort", "distance")
    assert ids(results) == ["twin-a", "twin-b"]


def test_closed_assets_are_hidden_unless_asked(near):
    assert "closed-gym" not in ids(near("--limit", "50")[0])
    shown, _ = near("--include-closed", "--limit", "50")
    closed = next(r for r in shown if r["id"] == "closed-gym")
    assert "CLOSED" in closed["why"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--free"], {"walk-both", "book-club", "youth-coach", "women-circle", "edge-in", "twin-a", "twin-b"}),
        (["--day", "sat", "--strict-times"], {"walk-both", "youth-coach"}),
        (["--day", "Saturday", "--at", "11:30", "--strict-times"], {"walk-both", "youth-coach"}),
        (["--day", "sat", "--at", "09:30", "--strict-times"], {"youth-coach"}),
        (["--after", "19:00", "--strict-times"], {"gym-near", "book-club"}),
        (["--age", "17"], {"gym-near", "walk-both", "youth-coach", "women-circle", "men-shed", "edge-in", "stale-gym", "twin-a", "twin-b"}),
        (["--gender", "men"], {"gym-near", "walk-both", "book-club", "youth-coach", "men-shed", "edge-in", "stale-gym", "twin-a", "twin-b"}),
        (["--women-only"], {"women-circle"}),
        (["--accessible"], {"gym-near"}),
        (["--referral", "drop-in"], {"walk-both", "book-club"}),
        (["--referral", "drop-in", "--referral", "membership"], {"walk-both", "book-club", "gym-near"}),
        (["--welcomes-convictions"], {"gym-near", "walk-both", "youth-coach", "women-circle", "men-shed"}),
        (["--capital", "linking"], {"youth-coach"}),
        (["--tag", "gym", "--tag", "fitness"], {"gym-near", "stale-gym"}),
        (["--category", "Book Club"], {"book-club"}),
    ],
)  # fmt: skip
def test_each_filter(near, args, expected):
    results, _ = near(*args, "--limit", "50")
    assert set(ids(results)) == expected


def test_dbs_and_children_flags_keep_unknown_marked_unless_strict(near):
    results, _ = near("--no-dbs", "--limit", "50")
    assert "youth-coach" not in ids(results)
    book = next(r for r in results if r["id"] == "book-club")
    assert "DBS check: unknown, check first" in book["why"]
    strict, _ = near("--no-dbs", "--strict-flags", "--limit", "50")
    assert "book-club" not in ids(strict) and "gym-near" in ids(strict)
    kids, _ = near("--no-children", "--limit", "50")
    assert "youth-coach" not in ids(kids)
    circle = next(r for r in kids if r["id"] == "women-circle")
    assert "contact with children: unknown, check first" in circle["why"]
    kids_strict, _ = near("--no-children", "--strict-flags", "--limit", "50")
    assert "women-circle" not in ids(kids_strict)


def test_avoid_radius_zone_excludes_an_asset_exactly_on_its_edge(near):
    lat, lon = point(1.0, 90)  # walk-both
    # A zone centred 1 km east of walk-both whose radius is exactly the distance to it.
    zlat, zlon = geodesic(kilometers=1.0).destination((lat, lon), 90)[:2]
    radius = geodesic((zlat, zlon), (lat, lon)).km
    results, result = near("--avoid", f"{zlat},{zlon}@{radius!r}km", "--limit", "50", "--show-excluded")  # fmt: skip
    assert "walk-both" not in ids(results)
    assert "left out: Walk Both (walk-both): inside avoided zone" in result.stderr
    smaller, _ = near("--avoid", f"{zlat},{zlon}@{radius * 0.999}km", "--limit", "50")
    assert "walk-both" in ids(smaller)
    metres, _ = near("--avoid", f"{CENTRE[0]},{CENTRE[1]}@800m", "--limit", "50")
    assert "gym-near" not in ids(metres) and "walk-both" in ids(metres)


def test_avoid_place_without_radius_uses_the_place_extent(cli, tmp_path):
    # With the seed catalogue: avoiding ST4 (a district) removes what lies in it.
    all_near, _ = _seed_near(cli, "ST4 7QB", "--within", "3km")
    avoided, _ = _seed_near(cli, "ST4 7QB", "--within", "3km", "--avoid", "ST4 7QB@1km")
    assert len(avoided) < len(all_near)
    assert all(r["distance_km"] > 1.0 for r in avoided)


def _seed_near(cli, *args):
    result = cli("near", *args, "--format", "json", "--limit", "100")
    return json.loads(result.stdout), result


def test_avoid_polygon_zone_inside_and_on_edge(near, tmp_path):
    glat, glon = point(0.5, 0)  # gym-near and stale-gym
    wlat, wlon = point(1.0, 90)  # walk-both
    square = [[glon - 0.001, glat - 0.001], [glon + 0.001, glat - 0.001], [glon + 0.001, glat + 0.001], [glon - 0.001, glat + 0.001], [glon - 0.001, glat - 0.001]]  # fmt: skip
    # walk-both sits exactly on the western edge of this one.
    edge = [[wlon, wlat - 0.001], [wlon + 0.002, wlat - 0.001], [wlon + 0.002, wlat + 0.001], [wlon, wlat + 0.001], [wlon, wlat - 0.001]]  # fmt: skip
    zone = tmp_path / "zone.geojson"
    zone.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon", "coordinates": [[square], [edge]]}},
    ]}))  # fmt: skip
    results, _ = near("--avoid-zone", str(zone), "--limit", "50")
    assert not {"gym-near", "stale-gym", "walk-both"} & set(ids(results))
    assert "book-club" in ids(results)


def test_bad_zone_file_and_bad_options_are_one_line_errors(cli, catalogue, tmp_path):
    db = ["--db", str(catalogue)]
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    cases = [
        (["--avoid-zone", str(bad)], "not GeoJSON"),
        (["--avoid-zone", str(tmp_path / "missing.geojson")], "could not read zone file"),
        (["--within", "far"], "--within: 'far' is not a distance"),
        (["--day", "someday"], "--day: 'someday' is not a day"),
        (["--at", "25:99"], "--at:"),
        (["--avoid", "B6 4@lots"], "--avoid: 'lots' is not a distance"),
        (["--referral", "walk-in"], "--referral: 'walk-in' is not one of"),
        (["--sort", "name"], "--sort"),
    ]
    for args, message in cases:
        result = cli(*db, "near", HERE, *args, code=1)
        assert message in result.stderr, (args, result.stderr)
        assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr


def test_formats(cli, catalogue):
    db = ["--db", str(catalogue), "near", HERE, "--goal", "get fit"]
    table = cli(*db).stdout
    assert "Gym Near" in table and "why" in table.splitlines()[0]
    rows = list(csv.DictReader(io.StringIO(cli(*db, "--format", "csv").stdout)))
    assert rows[0]["id"] == "gym-near" and float(rows[0]["distance_km"]) == pytest.approx(
        0.5, abs=0.001
    )
    lines = cli(*db, "--format", "ndjson").stdout.splitlines()
    assert [json.loads(x)["id"] for x in lines][:1] == ["gym-near"]


def test_nothing_found(cli, catalogue):
    db = ["--db", str(catalogue), "near", HERE, "--tag", "nonexistent"]
    empty = cli(*db, "--format", "json")
    assert empty.stdout.strip() == "[]"
    table = cli(*db)
    # Nothing carries the tag within 25 km: no wider radius is suggested, since none helps.
    assert table.stdout == "" and "no assets tagged nonexistent within 25 km" in table.stderr
    assert "--within" not in table.stderr
    cli(*db, "--fail-if-empty", "--format", "json", code=1)


def test_coarse_place_says_how_uncertain_distances_are(cli):
    result = cli("near", "ST4", "--format", "json")
    assert "may be out by up to" in result.stderr
    assert json.loads(result.stdout)


def test_limit(near):
    results, _ = near("--limit", "2")
    assert len(results) == 2


def test_search_text(cli, catalogue):
    out = json.loads(cli("--db", str(catalogue), "search", "woodwork", "--format", "json").stdout)
    assert ids(out) == ["men-shed"]
    assert cli("--db", str(catalogue), "search", "zzzz", "--format", "json").stdout.strip() == "[]"
    injection = cli(
        "--db", str(catalogue), "search", '" OR 1=1; DROP TABLE assets; --', "--format", "json"
    )
    assert json.loads(injection.stdout) == []


def test_goals_vocabulary_is_editable(cli, catalogue):
    db = ["--db", str(catalogue)]
    goals = json.loads(cli(*db, "goals", "--format", "json").stdout)
    names = {g["goal"] for g in goals}
    assert {"get fit", "meet people", "be outdoors", "find faith", "food", "learn", "work skills",
            "give back", "talk to someone", "stay sober", "creative"} <= names  # fmt: skip
    cli(*db, "goals", "add", "grow food", "--tags", "gardening", "--synonyms", "allotment;growing")
    results = json.loads(cli(*db, "near", HERE, "--goal", "allotments", "--format", "json").stdout)
    assert set(ids(results)) == {"twin-a", "twin-b"}
    dup = cli(*db, "goals", "add", "fitness", "--tags", "gym", code=1)
    assert "already means the goal 'get fit'" in dup.stderr
    cli(*db, "goals", "remove", "grow food")
    cli(*db, "goals", "remove", "grow food", code=1)


@settings(max_examples=examples(400), deadline=None)
@given(
    lat=st.floats(49.0, 61.0),
    lon=st.floats(-8.5, 2.0),
    radius=st.floats(0.01, 100.0),
    fraction=st.one_of(st.just(1 - 1e-9), st.floats(0.0, 1.0)),  # often right on the edge
    bearing=st.floats(0.0, 360.0),
    jitter=st.tuples(st.floats(-5e-6, 5e-6), st.floats(-5e-6, 5e-6)),
)
def test_the_circle_prefilter_never_drops_a_point_inside_the_radius(
    lat, lon, radius, fraction, bearing, jitter
):
    """The R*Tree-side circle test is a cheap lower bound: every point whose WGS84 distance
    (geopy) is within the radius passes it, with the R*Tree's 32-bit rounding (jitter)."""
    from assetmap.places.distance import bbox, circle_prefilter

    target = geodesic(kilometers=radius * fraction).destination((lat, lon), bearing)
    t_lat, t_lon = target.latitude + jitter[0], target.longitude + jitter[1]
    assume(geodesic((lat, lon), (target.latitude, target.longitude)).km <= radius)
    p_lat, p_lat2, ky2, p_lon, p_lon2, kx2, r2 = circle_prefilter(
        lat, lon, bbox(lat, lon, radius), radius
    )
    assert (t_lat - p_lat) * (t_lat - p_lat2) * ky2 + (t_lon - p_lon) * (t_lon - p_lon2) * kx2 <= r2


def test_the_circle_prefilter_is_not_used_for_huge_circles_or_near_the_poles():
    from assetmap.places.distance import bbox, circle_prefilter

    assert circle_prefilter(52.0, -1.0, bbox(52.0, -1.0, 150), 150) is None
    assert circle_prefilter(85.0, 0.0, bbox(85.0, 0.0, 5), 5) is None


def test_search_matches_whole_words_before_other_forms_and_prefixes(cli, tmp_path):
    path = tmp_path / "words.db"
    cat = open_catalogue(path, seed=False)
    rows = [
        {"id": "porch-boxes", "name": "Porch Boxes", "category": "foodbank", "tags": "food;boxes", "description": "Food boxes left in porches for anyone who needs them; boxes boxes boxes."},
        {"id": "boxing-club", "name": "Longsight Fight Club", "category": "sports club", "tags": "boxing;fitness", "description": "Amateur club."},
        {"id": "boxercise", "name": "Boxercise", "category": "gym", "tags": "fitness", "description": "A class."},
    ]  # fmt: skip
    cat.write([Asset.from_row({**r, "lat": "53.0", "lon": "-2.2"}, categories=cat.categories()) for r in rows])  # fmt: skip
    cat.close()

    def search(text):
        out = cli("--db", str(path), "search", text, "--format", "json").stdout
        return ids(json.loads(out))

    assert search("boxing")[0] == "boxing-club"  # "Porch Boxes" stems to "box" too: after it
    assert "boxercise" not in search("boxing")  # a prefix only when no word matches
    assert search("boxes")[0] == "porch-boxes"
    assert search("boxerc") == ["boxercise"]  # no whole word: prefixes


def test_a_radius_without_a_unit_is_said_in_km(cli, catalogue):
    # `--within 10` (README: "--within 5 / 5km") printed "within 10: showing ..." and
    # "nothing that fits within 1 of ...": ten what, one what? The unit it was read in is said.
    db = ["--db", str(catalogue), "near", HERE]
    found = cli(*db, "--within", "10", "--tag", "gym")
    assert "within 10km: showing" in found.stderr
    empty = cli(*db, "--within", "1", "--tag", "books")  # the nearest is 2 km away
    assert "nothing that fits within 1km of" in empty.stderr, empty.stderr
