"""`assetmap sources pull` and `sources update`: open data online, for an area, tested against a
loopback server that speaks Overpass, Give Food's API and dump, an OpenActive RPDE feed and
Open Referral UK (tests/pull_server.py, tests/test_feed_http.py). No test goes online."""

import hashlib
import json
import re
import sqlite3
import time
from pathlib import Path

import pytest
from pull_server import DATA, PullServer
from test_feed_http import feed  # noqa: F401 (the Open Referral UK loopback feed)


@pytest.fixture(autouse=True)
def unspaced(monkeypatch):
    """The loopback servers need no spacing between requests: ASSETMAP_PULL_INTERVAL=0, as for
    a server of your own (each source's own spacing: test_requests_to_a_source_are_spaced)."""
    monkeypatch.setenv("ASSETMAP_PULL_INTERVAL", "0")


@pytest.fixture
def server(monkeypatch):
    s = PullServer().start()
    for key, value in s.env().items():
        monkeypatch.setenv(key, value)
    yield s
    s.stop()


def _json(cli, *args):
    return json.loads(cli(*args, "--format", "json").stdout)


def _digest(db_file) -> str:
    """Everything a pull could change: assets, sources, pulls, sessions."""
    conn = sqlite3.connect(db_file)
    try:
        h = hashlib.sha256()
        for table in ("assets", "sources", "pulls", "sessions"):
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        conn.close()


def _assets(cli, db) -> dict:
    return {a["name"]: a for a in _json(cli, *db, "list", "--limit", "1000")}


def test_osm_maps_worship_community_places_hours_and_contacts(cli, db_file, server):
    db = ["--db", str(db_file)]
    out = cli(*db, "sources", "pull", "osm", "--around", "Plymouth@10km")
    assert re.search(r"sources pull: 15 added, 0 updated, 0 unchanged, 0 closed", out.stderr)
    # Overpass's usage policy: one query, a timeout in it, out center, a User-Agent naming us.
    assert [h[:2] for h in server.hits] == [("POST", "/api/interpreter")]
    assert server.hits[0][2].startswith("assetmap/")
    from urllib.parse import parse_qs

    query = parse_qs(server.bodies[0])["data"][0]
    assert "[out:json][timeout:" in query and query.rstrip().endswith("out center tags;")
    assert "(around:10000," in query and '["name"]' in query
    assets = _assets(cli, db)
    mosque, gurdwara = assets["Plymouth Mosque"], assets["Guru Nanak Gurdwara"]
    assert mosque["category"] == "faith group" and {"islam", "mosque"} <= set(mosque["tags"])
    assert {"sikhism", "gurdwara"} <= set(gurdwara["tags"])
    cathedral = assets["Cathedral Church of St Mary and St Boniface"]  # a way: its centre
    assert {"christianity", "roman catholic", "cathedral"} <= set(cathedral["tags"])
    assert (cathedral["lat"], cathedral["postcode"]) == (50.3727, "PL1 5HW")
    assert cathedral["accessibility"] == "wheelchair accessible"
    assert cathedral["website"] == "https://www.plymouthcathedral.co.uk"
    assert assets["Central Park"]["category"] == "park"  # a relation: its centre
    assert assets["Higher Compton Allotments"]["category"] == "gardening"
    assert assets["Freedom Fields Community Garden"]["category"] == "gardening"
    assert assets["Plymouth Men's Shed"]["category"] == "community centre"
    assert "men's shed" in assets["Plymouth Men's Shed"]["tags"]
    assert assets["Devonport Soup Run"]["category"] == "foodbank"
    assert assets["Plymouth Nightstop Shelter"]["category"] == "housing support"
    assert assets["Stoke Albion FC"]["category"] == "football team"
    assert "swimming" in assets["Plymouth Life Centre"]["tags"]
    # opening_hours: read into the schedule where it parses, the raw text kept where not.
    assert assets["St Andrew's Minster Church"]["schedule"] == "Mon-Fri 09:00-16:00; Sun 10:00-12:30"  # fmt: skip
    library = assets["Plymouth Central Library"]
    assert library["schedule"] == ""
    assert "Mo-Fr 09:00-18:00; Sa 09:00-16:00; PH off" in library["description"]
    assert library["accessibility"] == "limited wheelchair access"
    assert mosque["phone"] == "+44 1752 000 123"
    assert assets["Mutley Community Centre"]["email"] == "hello@mutley.example.org"
    # An invalid cell leaves the feature in without it, and says so; unnamed ones never come.
    assert assets["Plymouth Nightstop Shelter"]["website"] == ""
    assert "left out of node/4409912309: website" in out.stderr
    assert all(a["area"] == "Plymouth" for a in assets.values())
    listed = {s["name"]: s for s in _json(cli, *db, "sources")}
    osm = listed["osm"]
    assert (osm["licence"], osm["attribution"], osm["kind"]) == ("ODbL 1.0", "© OpenStreetMap contributors", "pull")  # fmt: skip
    assert osm["retrieved"] == time.strftime("%Y-%m-%d", time.gmtime())
    assert osm["origin"] == f"{server.url}/api/interpreter"
    conn = sqlite3.connect(db_file)
    (query_text,) = conn.execute("SELECT query FROM pulls WHERE source = 'osm'").fetchone()
    assert "Plymouth" in query_text and "10 km" in query_text


def test_osm_reads_a_recorded_overpass_answer_whole(cli, db_file, server):
    """The Isle of Man's places of worship as Overpass returns them (OpenStreetMap data,
    tests/data/pull/overpass_isle_of_man.json): every named one comes in; the 3 unnamed and
    the charity offices (not a kind asked for) do not."""
    recorded = json.loads((DATA / "overpass_isle_of_man.json").read_text())
    server.overpass = recorded
    worship = [e for e in recorded["elements"] if e["tags"].get("amenity") == "place_of_worship" and e["tags"].get("name")]  # fmt: skip
    assert len(worship) == 94
    cli("--db", str(db_file), "sources", "pull", "osm", "--around", "54.2,-4.5@40km")
    assets = _json(cli, "--db", str(db_file), "list", "--limit", "1000")
    assert len(assets) == len(worship)
    assert {a["category"] for a in assets} == {"faith group"}
    agneash = next(a for a in assets if a["name"] == "Agneash Methodist Church")
    assert "methodist" in agneash["tags"] and agneash["id"].endswith("-osm-w791496844")


def test_givefood_marks_trussell_trust_food_banks_as_needing_a_voucher(cli, db_file, server):
    db = ["--db", str(db_file)]
    out = cli(*db, "sources", "pull", "givefood")
    assert "38 added" in out.stderr  # 36 food banks (one closed) and 2 locations
    assets = _assets(cli, db)
    trussell = [a for a in assets.values() if a["referral"] == "referral-needed"]
    assert len(trussell) == 21  # 20 Trussell Trust food banks and North Plymouth's location
    assert all("voucher" in a["description"] for a in trussell)
    ernesettle = assets["Ernesettle Community Centre (North Plymouth)"]
    assert ernesettle["referral"] == "referral-needed" and ernesettle["postcode"] == "PL5 2SA"
    assert assets["St Thomas Church Hall (St Thomas)"]["referral"] == ""
    assert assets["Caister Community Larder"]["referral"] == ""
    found = _json(cli, *db, "near", "PL6 7LF", "--goal", "needs food", "--within", "10km")
    why = {r["name"]: r["why"] for r in found}
    assert "voucher needed" in why["North Plymouth"]
    listed = {s["name"]: s for s in _json(cli, *db, "sources")}
    assert listed["givefood"]["licence"] == "public domain (Unlicense)"


def test_givefood_for_an_area_keeps_only_what_lies_in_it(cli, db_file, server):
    db = ["--db", str(db_file)]
    cli(*db, "sources", "pull", "givefood", "--area", "Plymouth")
    assert sorted(_assets(cli, db)) == ["Ernesettle Community Centre (North Plymouth)", "North Plymouth"]  # fmt: skip


def test_the_give_food_daily_dump_is_imported(cli, db_file, tmp_path):
    """Give Food's current daily dump (55 quoted columns in gfdumps' dump.py; a row per food
    bank and one per location), refused before as unknown columns."""
    db = ["--db", str(db_file)]
    out = cli(*db, "import", str(DATA / "givefood_dump_foodbanks.csv"))
    assert "recognised Give Food's daily dump" in out.stderr
    assert "36 added" in out.stderr  # 35 open food banks and North Plymouth's location
    assets = _assets(cli, db)
    assert assets["North Plymouth"]["referral"] == "referral-needed"
    assert assets["Ernesettle Community Centre (North Plymouth)"]["referral"] == "referral-needed"
    assert assets["Himmah"]["referral"] == "" and assets["Himmah"]["area"] == "Nottingham"
    assert sum(a["referral"] == "referral-needed" for a in assets.values()) == 21


def test_the_bundled_give_food_sample_marks_its_trussell_trust_food_banks(cli, tmp_path):
    """Regression: the network test compared with 'Trussell' where the data says 'Trussell
    Trust', so none of the 20 in the bundled sample needed a voucher, and near said Free."""
    db = ["--db", str(tmp_path / "seed.db")]
    cli(*db, "init")
    rows = [a for a in _json(cli, *db, "list", "--category", "foodbank", "--limit", "5000") if a["source"] == "givefood"]  # fmt: skip
    marked = {a["name"] for a in rows if a["referral"] == "referral-needed"}
    assert len(marked) == 20 and "North Plymouth" in marked
    assert all("voucher" in a["description"] for a in rows if a["name"] in marked)


def test_update_keeps_local_edits_and_closes_what_the_source_dropped(cli, db_file, server):
    db = ["--db", str(db_file)]
    cli(*db, "sources", "pull", "osm", "--around", "Plymouth@10km")
    cli(*db, "edit", "plymouth-mosque-osm-n4409912301", "--phone", "01752 111222")
    cli(*db, "verify", "plymouth-mosque-osm-n4409912301")
    verified = _json(cli, *db, "show", "plymouth-mosque-osm-n4409912301")["verified_on"]
    assert verified
    # Nothing changed at the source: update is quiet (cron mails nothing).
    quiet = cli(*db, "sources", "update")
    assert quiet.stdout == "" and quiet.stderr == ""
    # The source drops the gym, renames nothing, and changes the mosque's phone and hours.
    elements = server.overpass["elements"]
    server.overpass = {**server.overpass, "elements": [e for e in elements if e["tags"].get("name") != "Peverell Gym"]}  # fmt: skip
    for e in server.overpass["elements"]:
        if e["tags"].get("name") == "Plymouth Mosque":
            e["tags"] = {
                **e["tags"],
                "phone": "+44 1752 999 999",
                "opening_hours": "Fr 12:00-14:00",
            }
    out = cli(*db, "sources", "update")
    lines = [ln for ln in out.stderr.splitlines() if ln.startswith("sources pull:")]
    assert len(lines) == 1 and "1 updated" in lines[0] and "1 closed" in lines[0]
    mosque = _json(cli, *db, "show", "plymouth-mosque-osm-n4409912301")
    assert mosque["phone"] == "01752 111222"  # the local edit is kept
    assert mosque["schedule"] == "Fri 12:00-14:00"  # the source's own change is taken
    assert mosque["verified_on"] == verified
    gym = _json(cli, *db, "show", "peverell-gym-osm-n4409912305")
    assert gym["status"] == "closed"  # closed, not deleted
    assert "Peverell Gym" not in {r["name"] for r in _json(cli, *db, "near", "Plymouth", "--tag", "gym")}  # fmt: skip


def test_update_refreshes_every_pulled_source_and_reports_one_that_fails(cli, db_file, server):
    db = ["--db", str(db_file)]
    cli(*db, "sources", "pull", "osm", "--around", "Plymouth@10km")
    cli(*db, "sources", "pull", "givefood", "--area", "Plymouth")
    server.fault["/api/interpreter"] = "500"
    server.locations[0]["phone"] = "01752 000777"
    before = _json(cli, *db, "show", "peverell-gym-osm-n4409912305")
    out = cli(*db, "sources", "update", "--retries", "0", code=1)
    assert "givefood" in out.stderr and "1 updated" in out.stderr
    assert re.search(r"1 of 2 pulls failed", out.stderr)
    assert "500 Internal Server Error" in out.stderr and "Traceback" not in out.stderr
    assert _json(cli, *db, "show", "peverell-gym-osm-n4409912305") == before


FAILURES = [
    # (puller args, path, fault, what the one line says)
    (
        ["osm", "--around", "Plymouth@10km"],
        "/api/interpreter",
        "remark",
        "Overpass could not finish the query (runtime error: Query timed out",
    ),  # fmt: skip
    (
        ["osm", "--around", "Plymouth@10km", "--timeout", "0.3"],
        "/api/interpreter",
        "slow",
        "(timed out) after 1 try",
    ),  # fmt: skip
    (
        ["osm", "--around", "Plymouth@10km"],
        "/api/interpreter",
        "truncated",
        "(the answer was cut short) after 1 try",
    ),  # fmt: skip
    (["givefood"], "/api/2/foodbanks/", "invalid", "did not answer with JSON"),
    (["givefood"], "/api/2/foodbanks/", "429-long", "asks to wait 3600 s"),
    (
        ["openactive", "{url}/feeds/session-series"],
        "/feeds/session-series",
        "loop",
        "the feed's pages loop",
    ),  # fmt: skip
]


@pytest.mark.parametrize(("args", "path", "fault", "says"), FAILURES, ids=[f[2] for f in FAILURES])
def test_a_failed_pull_says_why_in_one_line_and_changes_nothing(cli, db_file, server, args, path, fault, says):  # fmt: skip
    db = ["--db", str(db_file)]
    cli(*db, "sources", "pull", "osm", "--around", "Plymouth@3km")  # something to keep
    before = _digest(db_file)
    server.fault[path] = fault
    args = [a.replace("{url}", server.url) for a in args]
    out = cli(*db, "sources", "pull", *args, "--retries", "0", code=1)
    errors = [ln for ln in out.stderr.splitlines() if ln.startswith("Error:")]
    assert len(errors) == 1 and says in errors[0], out.stderr
    assert "nothing was written" in errors[0] and "Traceback" not in out.stderr
    assert _digest(db_file) == before


@pytest.mark.slow
def test_a_429_with_retry_after_is_waited_out_and_retried(cli, db_file, server):
    server.fault["/api/2/foodbanks/"] = "429"
    start = time.monotonic()
    out = cli("--db", str(db_file), "sources", "pull", "givefood")
    assert time.monotonic() - start >= 1.0  # Retry-After: 1
    assert "38 added" in out.stderr
    assert [p for _, p, _ in server.hits].count("/api/2/foodbanks/") == 2


def test_openactive_follows_the_feed_to_its_end_and_honours_deletions(cli, db_file, server):
    db = ["--db", str(db_file)]
    feed_url = f"{server.url}/feeds/session-series"
    out = cli(*db, "sources", "pull", "openactive", feed_url)
    assert "5 added" in out.stderr
    pages = [p for _, p, _ in server.hits if p == "/feeds/session-series"]
    assert len(pages) == 4  # 2 + 2 + 1 items, then the empty last page
    assets = _assets(cli, db)
    football = assets["Walking Football"]
    assert football["category"] == "sports club" and "walking football" in football["tags"]
    assert football["schedule"] == "Tue 10:00-11:00" and football["cost"] == "low"
    assert assets["Gentle Swim"]["schedule"] == "Mon,Wed 07:00-08:30"
    assert assets["Gentle Swim"]["category"] == "leisure centre" and "swimming" in assets["Gentle Swim"]["tags"]  # fmt: skip
    assert assets["Park Yoga"]["cost"] == "free" and "yoga" in assets["Park Yoga"]["tags"]
    assert assets["Buggy Walk"]["category"] == "walking group"
    assert assets["Circuits"]["cost"] == "paid" and assets["Circuits"]["category"] == "gym"
    source = next(s for s in _json(cli, *db, "sources") if s["name"].startswith("openactive-"))
    assert source["licence"] == "CC BY 4.0"
    found = _json(cli, *db, "near", "PL2 3DQ", "--goal", "fancies a kickabout", "--day", "tue")
    assert found[0]["name"] == "Walking Football"
    # The feed deletes the yoga session: an update closes it.
    server.deleted = ["3"]
    server.sessions = [s for s in server.sessions if s["name"] != "Park Yoga"]
    out = cli(*db, "sources", "update")
    assert "1 closed" in out.stderr
    assert _assets(cli, db)["Park Yoga"]["status"] == "closed"


def test_oruk_pull_makes_a_council_directory_a_source_that_update_refreshes(cli, db_file, feed):  # noqa: F811
    db = ["--db", str(db_file)]
    out = cli(*db, "sources", "pull", "oruk", feed.url)
    host = feed.url.removeprefix("http://")
    assert "7 added" in out.stderr and f"(source {host};" in out.stderr
    del feed.services["svc-4"]
    feed.services["svc-2"]["description"] = "Now on Saturdays too"
    again = cli(*db, "sources", "update")
    assert "1 updated" in again.stderr and "1 closed" in again.stderr
    assert _json(cli, *db, "show", "svc-4")["status"] == "closed"
    assert _json(cli, *db, "show", "svc-2")["description"] == "Now on Saturdays too"


def test_bad_requests_are_one_line_errors(cli, db_file, server):
    db = ["--db", str(db_file)]
    cases = [
        (["sources", "pull", "osmm", "--area", "Leeds"], "did you mean osm"),
        (["sources", "pull", "osm"], "osm needs an area"),
        (["sources", "pull", "osm", "--around", "Leeds"], "has no radius"),
        (["sources", "pull", "osm", "--around", "Leeds@200km"], "at most 50 km"),
        (["sources", "pull", "oruk"], "oruk needs a URL"),
        (["sources", "pull", "oruk", "ftp://x"], "is not an http(s) URL"),
        (["sources", "pull", "osm", "--area", "Nowhereville Xyz"], "--area 'Nowhereville Xyz'"),
    ]
    for args, says in cases:
        out = cli(*db, *args, code=1)
        assert says in out.stderr and "Traceback" not in out.stderr, (args, out.stderr)
    assert server.hits == []


def test_a_new_user_fills_plymouth_and_finds_faith_food_and_community(cli, tmp_path, server):
    """Tried as a new user would: a fresh catalogue has no faith groups, foodbanks or
    community places in Plymouth; after pulling OSM and Give Food it has, vouchers marked."""
    db = ["--db", str(tmp_path / "new.db")]
    cli(*db, "init")
    cli(*db, "sources", "pull", "osm", "--area", "Plymouth")
    cli(*db, "sources", "pull", "givefood", "--area", "Plymouth")
    faith = _json(cli, *db, "near", "Plymouth", "--goal", "wants to go to church")
    assert {"Plymouth Mosque", "St Andrew's Minster Church"} <= {r["name"] for r in faith}
    food = _json(cli, *db, "near", "Plymouth", "--goal", "can't afford to eat", "--within", "10km")
    names = {r["name"]: r for r in food}
    assert "North Plymouth" in names and "voucher needed" in names["North Plymouth"]["why"]
    lonely = _json(cli, *db, "near", "Plymouth", "--goal", "lonely since release")
    assert {"Mutley Community Centre", "Plymouth Men's Shed"} & {r["name"] for r in lonely}


def _online_examples() -> list[str]:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    blocks = re.findall(r"```bash online\n(.*?)```", readme, re.S)
    return [ln.split("  #")[0].strip() for b in blocks for ln in b.splitlines() if ln.startswith("assetmap")]  # fmt: skip


@pytest.mark.slow
def test_the_readme_pull_examples_run_against_the_local_servers(tmp_path, server, feed):  # noqa: F811
    """Each `sources pull` example in the README runs, offline, against the loopback servers
    (the URLs are the environment's, or the example's own moved to the loopback feed)."""
    import os
    import shlex
    import subprocess
    import sys

    examples = _online_examples()
    pulled = {shlex.split(e)[3] for e in examples if shlex.split(e)[1:3] == ["sources", "pull"]}
    assert pulled == {"osm", "givefood", "openactive", "oruk"}, examples
    env = {**os.environ, **server.env(), "ASSETMAP_DB": str(tmp_path / "c.db")}
    subprocess.run([sys.executable, "-m", "assetmap", "init"], env=env, capture_output=True, check=True)  # fmt: skip
    for example in examples:
        example = example.replace("https://api.example-council.gov.uk/oruk", feed.url)
        example = example.replace("https://example.org/openactive/session-series", f"{server.url}/feeds/session-series")  # fmt: skip
        words = shlex.split(example)
        proc = subprocess.run([sys.executable, "-m", "assetmap", *words[1:]], env=env,
                              capture_output=True, timeout=120, text=True)  # fmt: skip
        assert proc.returncode == 0, (example, proc.stderr)
        assert "added" in proc.stderr or proc.stdout.strip() or words[2] == "update", example


def test_an_empty_answer_says_what_is_missing_and_how_to_get_it(cli, tmp_path, server):
    """Honest emptiness: the kinds a goal needs have no record within 25 km (and the source
    that would add them), the nearest that fits is beyond the radius (the radius that finds
    it), or the filters left them out. Never a wider radius that cannot help."""
    db = ["--db", str(tmp_path / "c.db")]
    cli(*db, "init", "--empty")
    cli(*db, "sources", "add", "libraries")
    said = cli(*db, "near", "Plymouth", "--goal", "can't afford to eat", "--within", "50km").stderr  # fmt: skip
    # The radius searched is named (it said 25 km after --within 50km), and the place once
    # (it said 'Plymouth, Plymouth').
    assert re.search(r"no foodbanks within 50 km of Plymouth in this catalogue; `assetmap sources pull givefood --area Plymouth`", said), said  # fmt: skip
    assert "wider" not in said and "--within" not in said
    said = cli(*db, "near", "Plymouth", "--goal", "can't afford to eat").stderr  # 5 km
    assert "no foodbanks within 25 km of Plymouth" in said, said  # what the catalogue holds
    said = cli(*db, "near", "Plymouth", "--goal", "wants to go to church").stderr
    assert "no faith groups within 25 km" in said and "assetmap sources pull osm" in said
    cli(*db, "sources", "pull", "osm", "--area", "Plymouth")
    cli(*db, "sources", "pull", "givefood", "--area", "Plymouth")
    # The nearest food bank is beyond 2 km: the radius that reaches it is named.
    said = cli(*db, "near", "PL4 8AA", "--goal", "food", "--within", "500m").stderr
    assert re.search(r"nothing that fits within 500m of PL4 8AA; the nearest is \d+\.\d km away: --within \d+km finds it", said), said  # fmt: skip
    wider = re.search(r"--within (\d+km) finds it", said).group(1)
    found = _json(cli, *db, "near", "PL4 8AA", "--goal", "food", "--within", wider)
    assert found
    # Food banks lie within the radius, but --women-only leaves them out.
    said = cli(*db, "near", "PL4 8AA", "--goal", "food", "--within", "10km", "--women-only").stderr
    assert re.search(r"\d+ that fit lie within 10km of PL4 8AA, but the filters left them out: --show-excluded says why", said), said  # fmt: skip
    assert "wider" not in said
    assert _json(cli, *db, "near", "PL4 8AA", "--goal", "food", "--within", "10km", "--women-only") == []  # fmt: skip


def test_coverage_lists_per_goal_what_lies_within_5_10_and_25_km(cli, tmp_path, server):
    db = ["--db", str(tmp_path / "c.db")]
    cli(*db, "init", "--empty")
    before = {r["goal"]: r for r in _json(cli, *db, "sources", "--coverage", "Plymouth")}
    assert before["food"]["within_25km"] == 0 and before["food"]["add"] == "givefood, osm"
    assert before["find faith"]["add"] == "osm"
    cli(*db, "sources", "pull", "osm", "--around", "Plymouth@10km")
    cli(*db, "sources", "pull", "givefood", "--area", "Plymouth")
    rows = {r["goal"]: r for r in _json(cli, *db, "sources", "--coverage", "Plymouth")}
    assert rows["find faith"]["within_5km"] == 4 and rows["find faith"]["add"] == ""
    food = rows["food"]
    # The soup run within 5 km; North Plymouth and its location 6-7 km out.
    assert (food["within_5km"], food["within_10km"], food["within_25km"]) == (1, 3, 3)
    assert set(rows) >= {"get fit", "meet people", "be outdoors", "learn"}
    table = cli(*db, "sources", "--coverage", "Plymouth")
    assert "within_5km" in table.stdout and "sources pull NAME --area" in table.stderr
    bad = cli(*db, "sources", "--coverage", "Nowhereville Xyz", code=1)
    assert bad.stderr.startswith("Error:") and "Traceback" not in bad.stderr


def test_a_pulled_source_never_records_a_password_or_key():
    from assetmap.transfer.pull import safe_url

    url = "https://me:secret@api.example.org/oruk?api_key=k123&page_size=50&token=t"
    assert safe_url(url) == "https://api.example.org/oruk?page_size=50"


def test_openactive_reads_the_session_feeds_a_dataset_site_lists(cli, db_file, server):
    """An OpenActive dataset site (HTML with its Dataset in JSON-LD): its SessionSeries feed is
    followed to the end; its FacilityUse feed (bookable slots, not sessions) is not read."""
    db = ["--db", str(db_file)]
    out = cli(*db, "sources", "pull", "openactive", f"{server.url}/openactive/dataset-site")
    assert "5 added" in out.stderr
    paths = [p for _, p, _ in server.hits]
    assert paths.count("/feeds/session-series") == 4 and "/feeds/facility-uses" not in paths
    assert _assets(cli, db)["Walking Football"]["schedule"] == "Tue 10:00-11:00"
    server.fault["/openactive/dataset-site"] = "invalid"
    bad = cli(*db, "sources", "pull", "openactive", f"{server.url}/openactive/dataset-site", code=1)  # fmt: skip
    assert "is neither an RPDE feed nor an OpenActive dataset site" in bad.stderr


def test_a_failed_pull_never_shows_a_key_in_its_error(cli, db_file, server):
    """A feed URL that carries a key (`?api_key=...`) fails: the one line says which feed and
    why, and never the key (it goes to stderr and a cron mail), as the recorded source never
    holds it either."""
    server.fault["/feeds/session-series"] = "500"
    url = f"{server.url}/feeds/session-series?api_key=SECRET123&afterId=0"
    out = cli("--db", str(db_file), "sources", "pull", "openactive", url, "--retries", "0", code=1)
    assert "500" in out.stderr and "/feeds/session-series" in out.stderr, out.stderr
    assert "SECRET123" not in out.stderr, out.stderr


def test_a_pulled_feature_the_catalogue_already_holds_from_another_source_is_not_added_twice(
    cli, tmp_path, server
):
    """OpenStreetMap lists Plymouth Central Library, which the bundled UK libraries list
    already holds 330 m away (its postcode's point): a practitioner must not see it twice.
    The pull leaves it out and says which record holds it; the rest come in."""
    db = ["--db", str(tmp_path / "new.db")]
    cli(*db, "init")
    out = cli(*db, "sources", "pull", "osm", "--around", "Plymouth@10km")
    assert "sources pull: 14 added" in out.stderr
    assert (
        "1 already in the catalogue from another source, left out: Plymouth Central Library "
        "(way/135790001, held as plymouth-central-library-pl1-1hz)" in out.stderr
    )
    found = _json(cli, *db, "search", "Plymouth Central Library")
    assert [r["id"] for r in found if r["name"] == "Plymouth Central Library"] == [
        "plymouth-central-library-pl1-1hz"
    ]
    # Pulled again, the same: never added, and nothing of the source's is closed for it.
    again = cli(*db, "sources", "pull", "osm", "--around", "Plymouth@10km")
    assert "0 added" in again.stderr and "0 closed" in again.stderr


@pytest.mark.slow
def test_requests_to_a_source_are_spaced_by_its_own_interval_or_the_setting(cli, db_file, server, monkeypatch):  # fmt: skip
    """Give Food asks for two pages (food banks, locations): 1 s apart by default, as its own
    spacing says, and 1.5 s apart with ASSETMAP_PULL_INTERVAL=1.5."""
    db = ["--db", str(db_file)]
    for setting, least in ((None, 1.0), ("1.5", 1.5)):
        if setting is None:
            monkeypatch.delenv("ASSETMAP_PULL_INTERVAL")
        else:
            monkeypatch.setenv("ASSETMAP_PULL_INTERVAL", setting)
        server.hits.clear()
        start = time.monotonic()
        cli(*db, "sources", "pull", "givefood", "--area", "Plymouth")
        assert time.monotonic() - start >= least, setting
        assert len(server.hits) == 2


@pytest.mark.parametrize("setting", ["soon", "-1", "nan", "inf"])
def test_a_pull_interval_that_is_not_seconds_is_a_one_line_error(cli, db_file, server, monkeypatch, setting):  # fmt: skip
    monkeypatch.setenv("ASSETMAP_PULL_INTERVAL", setting)
    before = _digest(db_file)
    out = cli("--db", str(db_file), "sources", "pull", "givefood", "--area", "Plymouth", code=1)
    assert out.stderr.strip() == (
        f"Error: ASSETMAP_PULL_INTERVAL: '{setting}' is not a setting it takes; give seconds "
        "between requests, e.g. 1.0"
    )
    assert server.hits == [] and _digest(db_file) == before


def test_a_pulled_feature_written_without_its_apostrophe_elsewhere_is_still_held(
    cli, db_file, server
):
    """reviewer2: _name_key says "St. Mary's" and "Saint Marys" are one name, but the
    apostrophe split the word ('st mary s' against 'st marys'), so OpenStreetMap's "Saint
    George's" was added beside a partner's "St Georges" 30 m away: one church twice."""
    server.overpass = json.loads((DATA / "overpass_isle_of_man.json").read_text())
    db = ["--db", str(db_file)]
    cli(*db, "add", "--name", "St Georges", "--category", "faith group", "--lat", "54.14945",
        "--lon", "-4.48340")  # fmt: skip
    out = cli(*db, "sources", "pull", "osm", "--around", "54.2,-4.5@40km")
    assert "left out: Saint George's (way/71118163, held as st-georges" in out.stderr, out.stderr
    names = [a["name"] for a in _json(cli, *db, "list", "--limit", "1000")]
    assert "Saint George's" not in names and "St Georges" in names


def test_a_feature_pulled_before_is_never_closed_because_another_source_now_holds_it(
    cli, db_file, server
):
    """reviewer2: once a partner's record of the same place came in, the next pull left out
    the feature it had pulled before and closed its record as 'gone from osm', which was
    untrue, and any partnership details on that record were hidden with it. Only a feature new
    to the catalogue is left out as held; one this source already has is updated as before."""
    db = ["--db", str(db_file)]
    cli(*db, "sources", "pull", "osm", "--around", "Plymouth@10km")
    library = "plymouth-central-library-osm-w135790001"
    cli(*db, "edit", library, "--partnership-status", "known")
    cli(*db, "add", "--name", "Plymouth Central Library", "--category", "library",
        "--postcode", "PL1 1HZ", "--source", "partners")  # fmt: skip
    out = cli(*db, "sources", "update")
    assert "closed (gone from osm)" not in out.stderr
    kept = _json(cli, *db, "show", library)
    assert kept["status"] == "active" and kept["partnership_status"] == "known"
