"""`near` reads the R*Tree in rings and stops once the best are certain. These tests hold it to
a brute-force scan of the whole catalogue (every asset, the exact geodesic, every filter): the
same assets, in the same order, with the same distances, scores and reasons."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from assetmap.catalogue.opening import open_catalogue
from assetmap.places.distance import distance_km
from assetmap.places.resolve import Place
from assetmap.places.zones import CircleZone
from assetmap.search import engine, filters, ranking
from assetmap.search.filters import Filters
from assetmap.search.query import Query
from assetmap.search.why import why as why_words

TODAY = dt.date(2026, 12, 1)
CATEGORIES = ["gym", "walking group", "book club", "library", "community centre"]
TAGS = [
    "gym",
    "fitness",
    "walking",
    "books",
    "social",
    "woodwork",
    "pottery",
    "nature",
    "craft",
    "fishing",
]
SCHEDULES = ["", "Sat 10:00-12:00", "Mon-Fri 09:00-17:00", "Wed 18:30-20:00", "Sun 22:00-23:30"]
COLUMNS = ("id, name, category, tags, description, lat, lon, cost, status, verified_on, "
           "schedule, gender, min_age, max_age, welcomes_convictions, dbs_required, "
           "involves_children, accessibility, referral, capital, created_at, updated_at, "
           "partnership_status")  # fmt: skip


@pytest.fixture(scope="module")
def conn(tmp_path_factory):
    cat = open_catalogue(tmp_path_factory.mktemp("fast") / "fast.db", seed=False)
    cat.conn.execute("PRAGMA synchronous = OFF")  # thousands of small catalogues: no fsync
    yield cat.conn
    cat.close()


def fill(conn, rows: list[tuple]) -> None:
    conn.execute("DELETE FROM assets")
    marks = ", ".join("?" * len(COLUMNS.split(",")))
    conn.executemany(f"INSERT INTO assets ({COLUMNS}) VALUES ({marks})", rows)
    conn.commit()


def offset(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """A point about km away (flat earth is close enough: the scan measures the truth)."""
    b = math.radians(bearing)
    return (lat + km * math.cos(b) / 111.2,
            lon + km * math.sin(b) / (111.2 * math.cos(math.radians(lat))))  # fmt: skip


def brute_force(conn, q: Query):
    """Every asset in the catalogue, exact distances, the engine's own rules for each asset,
    sorted by the engine's key: what `near` must give."""
    f = q.filters
    plan = engine.read_goals(conn, q.goals)
    known, readings, free_text = plan.known, plan.readings, plan.free_text
    hits = {t: set(engine.fts_pks(conn, t)) for t in free_text}
    fresh_since = (q.today - dt.timedelta(days=ranking.STALE_AFTER_DAYS)).isoformat()
    kept, excluded = [], []
    for row in conn.execute("SELECT * FROM assets"):
        d = distance_km(q.place.lat, q.place.lon, row["lat"], row["lon"])
        if d > f.within_km:
            continue
        tags = row["tags"].split(";")
        if any(t not in tags for t in f.tags) or (f.categories and row["category"] not in f.categories):  # fmt: skip
            continue
        if not f.include_closed and row["status"] != "active":
            continue
        if f.partners_only and row["partnership_status"] != "partner":
            continue
        met = engine.goals_met(row, known, readings, free_text, hits)
        if q.goals and not met:
            continue
        reason, cautions = filters.left_out(row, f)
        if reason:
            excluded.append((row["id"], row["name"], reason))
            continue
        fresh = row["verified_on"] >= fresh_since
        points = ranking.goal_points(met)
        score = ranking.score(q, d, points, fresh, row["partnership_status"] == "partner")
        why = why_words(row, met, d, cautions, fresh)
        names = [m[0] for m in met]
        kept.append((ranking.key(q, row, d, points, fresh), row["id"], d, score, names, why))
    kept.sort(key=lambda k: k[0])
    return [k[1:] for k in kept], sorted(excluded)


def assert_same(conn, q: Query):
    out = engine.near(conn, q)
    expected, excluded = brute_force(conn, q)
    got = [(r.row["id"], r.distance_km, r.score, r.goals_met, r.why()) for r in out.results]
    assert got == expected[: q.limit]
    if out.complete:
        assert out.total == len(expected)
    else:
        assert q.limit <= out.total <= len(expected)
    if out.all_excluded:
        assert out.excluded == excluded
    else:
        assert set(out.excluded) <= set(excluded)
    assert out.all_excluded or not q.complete
    return out


class Digits:
    """Reads choices one by one out of a single drawn integer: far quicker for Hypothesis to
    draw than a dictionary of strategies for each of thousands of assets (and 0 shrinks to the
    first choice of each)."""

    def __init__(self, n: int):
        self.n = n

    def pick(self, choices):
        self.n, i = divmod(self.n, len(choices))
        return choices[i]


def make_asset(drawn, *, crowd: bool = False) -> dict:
    kind, x, bearing, seed = drawn
    d = Digits(seed)
    tags = [d.pick(TAGS) for _ in range(d.pick([0, 1, 2, 3, 4] if crowd else [0, 1, 2, 3]))]
    asset = {
        # Where: km out (often inside the first rings, where they stop), a share of the radius
        # (often right on its edge), or a copy of an earlier asset's point (ties broken by id).
        "where": [
            ("km", x * 0.06 / 10_000),
            ("km", x * 0.4 / 10_000),
            ("share", x * 1.2 / 10_000),
            ("share", 0.99 + x * 0.02 / 10_000),
            ("copy", 1 + x % 3),
        ][kind],
        "bearing": bearing,
        "category": d.pick(CATEGORIES),
        "tags": list(dict.fromkeys(tags)),
        "cost": d.pick(["free", "paid", ""]),
        "status": d.pick(["active", "active", "active", "closed", "temporarily-closed"]),
        "verified_on": d.pick(["2026-10-01", "2025-12-01", "2025-11-30", "2019-01-01", ""]),
        "schedule": d.pick(SCHEDULES),
        "gender": d.pick(["any", "any", "women", "men"]),
        "ages": d.pick([(None, None), (18, None), (None, 17), (25, 65)]),
        "flags": tuple(d.pick(["yes", "no", "unknown"]) for _ in range(3)),
        # Any term the score gains (a partner's boost) must be in the bound too: vary it.
        "partnership": d.pick(["", "", "partner", "known", "lapsed"]),
        "accessibility": d.pick(["ramp", "", " "]),
        "referral": d.pick(["drop-in", "self-referral", "referral-needed", ""]),
        "capital": d.pick(["bonding", "bridging;linking", ""]),
    }
    if crowd:  # one that most filters keep
        asset.update(status="active", cost="free", gender="any", ages=(None, None),
                     flags=("yes", "no", "no"))  # fmt: skip
    return asset


drawn = st.tuples(
    st.integers(0, 4), st.integers(0, 10_000), st.integers(0, 359), st.integers(0, 2**64)
)
asset = drawn.map(make_asset)
crowd_asset = drawn.map(lambda t: make_asset(t, crowd=True))

query = st.fixed_dictionaries({
    "lat": st.one_of(st.floats(49.9, 58.7), st.floats(-75, 75)),
    "lon": st.one_of(st.floats(-7.6, 1.8), st.floats(-170, 170)),
    "radius": st.sampled_from([0.03, 0.2, 1.0, 5.0, 30.0, 150.0]),
    "goals": st.lists(st.sampled_from(["get fit", "meet people", "woodwork", "pottery", "be outdoors", "wants to be outside, in nature", "oak trees", "fretwork", "used to fish"]), max_size=2, unique=True),
    "tags": st.one_of(st.just([]), st.lists(st.sampled_from(["gym", "walking", "social"]), max_size=1)),
    "categories": st.one_of(st.just([]), st.lists(st.sampled_from(CATEGORIES), max_size=3, unique=True)),
    "free": st.booleans(),
    "time": st.sampled_from([{}, {}, {}, {"day": 5}, {"at": 600}, {"after": 1080}, {"day": 2, "at": 1140}]),
    "who": st.sampled_from([{}, {}, {}, {"age": 16}, {"gender": "women"}, {"welcomes_convictions": True},
                            {"no_dbs": True}, {"no_children": True, "strict_flags": True},
                            {"women_only": True}, {"accessible": True},
                            {"referral": ["drop-in", "self-referral"]}, {"capital": ["linking"]},
                            {"welcomes_convictions": True, "age": 30, "no_dbs": True}]),
    "include_closed": st.booleans(),
    "zone": st.one_of(st.none(), st.tuples(st.floats(0, 1), st.floats(0, 360), st.floats(0.05, 0.8))),
    "sort": st.sampled_from(["score", "score", "distance"]),
    "limit": st.one_of(st.integers(1, 3), st.integers(1, 12)),
    "partners_only": st.sampled_from([False, False, False, True]),
})  # fmt: skip


@settings(max_examples=examples(2000), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    q=query,
    assets=st.lists(asset, min_size=1, max_size=30),
    # A crowd of like assets right at the place, so the rings often stop early, with the
    # other assets as rivals further out that the bound must not miss.
    crowd=st.one_of(st.none(), st.tuples(crowd_asset, st.integers(5, 20), st.floats(0.001, 0.03))),
)
def test_near_gives_what_a_full_scan_gives(conn, q, assets, crowd):
    radius = q["radius"]
    rows, points = [], []
    if crowd:
        like, n, spread_km = crowd
        assets = [{**like, "where": ("km", spread_km * (i / n) ** 0.5), "bearing": i * 137.5}
                  for i in range(n)] + assets  # fmt: skip
    for i, a in enumerate(assets):
        how, x = a["where"]
        if how == "copy":
            lat, lon = points[-x] if len(points) >= x else (q["lat"], q["lon"])
        else:
            lat, lon = offset(
                q["lat"], q["lon"], x * (radius if how == "share" else 1), a["bearing"]
            )
        points.append((lat, lon))
        gender, (lo, hi), (conv, dbs, kids) = a["gender"], a["ages"], a["flags"]
        rows.append((
            f"a{i:02d}", f"Asset {i}", a["category"], ";".join(a["tags"]), f"about {' '.join(a['tags'])}",
            lat, lon, a["cost"], a["status"], a["verified_on"], a["schedule"], gender, lo, hi,
            conv, dbs, kids, a["accessibility"], a["referral"], a["capital"], "2026-01-01", "2026-01-01",
            a["partnership"],
        ))  # fmt: skip
    fill(conn, rows)
    zones = []
    if q["zone"]:
        share, bearing, zone_km = q["zone"]
        z_lat, z_lon = offset(q["lat"], q["lon"], share * radius, bearing)
        zones.append(CircleZone("z", z_lat, z_lon, zone_km * radius))
    filters = Filters(
        within_km=radius, tags=q["tags"], categories=q["categories"], free=q["free"],
        include_closed=q["include_closed"], zones=zones, partners_only=q["partners_only"],
        **q["time"], **q["who"],
    )  # fmt: skip
    place = Place("p", q["lat"], q["lon"], "coordinates", 0.0, "", "coordinates", "p")
    for complete in (False, True):
        query_ = Query(place, goals=q["goals"], filters=filters, sort=q["sort"],
                              limit=q["limit"], today=TODAY, complete=complete)  # fmt: skip
        out = assert_same(conn, query_)
        if complete:
            assert out.complete and out.all_excluded
        else:
            event("stopped early" if not out.complete else "read the whole circle")


def test_rings_stop_early_where_assets_are_dense_and_say_so(conn, cli, tmp_path):
    """300 assets within 100 m and one far out that a filter leaves out: the best ten come
    from the first rings, the count says '+', and --show-excluded still reads everything."""
    lat, lon = 51.5246, -0.1120
    rows = []
    for i in range(300):
        p = offset(lat, lon, 0.1 * (i / 300) ** 0.5, i * 137.5)
        rows.append((f"n{i:03d}", f"Near {i}", "gym", "gym", "", *p, "paid", "active",
                     "2026-10-01", "", "any", None, None, "yes", "no", "no", "", "", "",
                     "2026-01-01", "2026-01-01", ""))  # fmt: skip
    far = offset(lat, lon, 4.0, 90)
    rows.append(("far", "Far away", "gym", "gym", "", *far, "paid", "active", "2026-10-01",
                 "", "any", 25, None, "yes", "no", "no", "", "", "", "2026-01-01", "2026-01-01", ""))  # fmt: skip
    fill(conn, rows)
    place = Place("p", lat, lon, "coordinates", 0.0, "", "coordinates", "p")
    q = Query(place, filters=Filters(age=18), today=TODAY)
    out = assert_same(conn, q)
    assert not out.complete and out.total < 300
    assert out.excluded == []
    full = assert_same(conn, Query(place, filters=Filters(age=18), today=TODAY, complete=True))  # fmt: skip
    assert full.complete and full.total == 300
    assert full.excluded == [("far", "Far away", "ages 25-")]

    db = str(conn.execute("PRAGMA database_list").fetchone()[2])
    shown = cli("--db", db, "near", f"{lat},{lon}", "--age", "18")
    assert "showing 10 of" in shown.stderr and "+" in shown.stderr.split("showing 10 of")[1]
    explained = cli("--db", db, "near", f"{lat},{lon}", "--age", "18", "--show-excluded")
    assert "showing 10 of 300" in explained.stderr
    assert "left out: Far away (far): ages 25-" in explained.stderr
    # Filters tested in SQL on the fast path: when nothing is found, the hint cannot count
    # what they left out, so it says where to look; --show-excluded counts and lists it all.
    nothing = cli("--db", db, "near", f"{lat},{lon}", "--women-only")
    assert "but the filters left them out: --show-excluded says why" in nothing.stderr
    counted = cli("--db", db, "near", f"{lat},{lon}", "--women-only", "--show-excluded")
    assert "that fit lie within 5km" in counted.stderr and "each is listed above" in counted.stderr
    assert "left out: Far away (far): not women-only" in counted.stderr
    as_json = json.loads(cli("--db", db, "near", f"{lat},{lon}", "--format", "json").stdout)
    assert [r["id"] for r in as_json] == [r[0] for r in brute_force(conn, q)[0][:10]]


def test_rings_do_not_stop_before_a_partner_the_boost_lifts_into_the_top(conn):
    """300 assets within 100 m, and one partner 250 m out: its boost (0.1) lifts it above the
    tenth nearest, so the rings must not stop where they would without partners."""
    lat, lon = 51.5246, -0.1120
    rows = []
    for i in range(300):
        p = offset(lat, lon, 0.1 * (i / 300) ** 0.5, i * 137.5)
        rows.append((f"n{i:03d}", f"Near {i}", "gym", "gym", "", *p, "paid", "active",
                     "2026-10-01", "", "any", None, None, "yes", "no", "no", "", "", "",
                     "2026-01-01", "2026-01-01", ""))  # fmt: skip
    p = offset(lat, lon, 0.25, 45)
    rows.append(("partner", "Partner", "gym", "gym", "", *p, "paid", "active", "2026-10-01",
                 "", "any", None, None, "yes", "no", "no", "", "", "", "2026-01-01", "2026-01-01",
                 "partner"))  # fmt: skip
    fill(conn, rows)
    place = Place("p", lat, lon, "coordinates", 0.0, "", "coordinates", "p")
    out = assert_same(conn, Query(place, today=TODAY))
    assert out.results[0].row["id"] == "partner"
    only = assert_same(conn, Query(place, filters=Filters(partners_only=True), today=TODAY))  # fmt: skip
    assert [r.row["id"] for r in only.results] == ["partner"]


def test_a_goal_in_own_words_stops_early_unless_a_stronger_match_lies_further_out(conn):
    """ "used to fish" meets a walking group loosely and a fishing club clearly. With only
    walkers about, the rings stop early (no asset here could meet it clearly); a fishing club
    400 m out, its strong term second among its tags, still comes first."""
    lat, lon = 52.0, -1.5
    rows = []
    for i in range(40):
        p = offset(lat, lon, 0.03 * (i / 40) ** 0.5 + (2.0 if i >= 30 else 0), i * 137.5)
        rows.append((f"w{i:02d}", f"Walkers {i}", "walking group", "walking", "", *p, "free",
                     "active", "2026-10-01", "", "any", None, None, "yes", "no", "no", "", "",
                     "", "2026-01-01", "2026-01-01", ""))  # fmt: skip
    fill(conn, rows)
    place = Place("p", lat, lon, "coordinates", 0.0, "", "coordinates", "p")
    q = Query(place, goals=["used to fish"], limit=5, today=TODAY)
    out = assert_same(conn, q)
    assert not out.complete
    fishing = offset(lat, lon, 0.4, 45)
    rows.append(("fish", "Anglers", "community centre", "books;fishing", "", *fishing, "paid",
                 "active", "2019-01-01", "", "any", None, None, "yes", "no", "no", "", "", "",
                 "2026-01-01", "2026-01-01", ""))  # fmt: skip
    fill(conn, rows)
    out = assert_same(conn, q)
    assert out.results[0].row["id"] == "fish"
