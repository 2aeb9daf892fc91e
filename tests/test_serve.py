"""`assetmap publish` and `assetmap serve`: the catalogue as an Open Referral UK API, served by
the real command on 127.0.0.1 and read over HTTP."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from serving import STAFF_VALUES, Server, assetmap, env, team_catalogue

# Every test here runs the real `assetmap serve` (or datasette, or schemathesis) in a process.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def team(tmp_path_factory, shared_cache):
    folder = tmp_path_factory.mktemp("team")
    environ = env(folder / "home", shared_cache)
    db = team_catalogue(folder, environ)
    published = folder / "published"
    done = assetmap("--db", str(db), "publish", str(published), environ=environ)
    return {"db": db, "dir": published, "env": environ, "publish": done, "folder": folder}


@pytest.fixture(scope="module")
def server(team):
    served = Server("serve", str(team["dir"]), environ=team["env"])
    try:
        yield served
    finally:
        served.stop()


def test_publish_writes_an_immutable_public_snapshot(team):
    folder = team["dir"]
    assert sorted(p.name for p in folder.iterdir()) == [
        "catalogue.db",
        "metadata.json",
        "publish.json",
    ]
    manifest = json.loads((folder / "publish.json").read_text())
    assert manifest["services"] == manifest["assets"] == 6
    assert len(manifest["sha256"]) == 64
    assert "6 services" in team["publish"].stderr
    # Read-only on disk, one file (no -wal), and no staff value anywhere in its bytes.
    assert (folder / "catalogue.db").stat().st_mode & 0o222 == 0
    data = (folder / "catalogue.db").read_bytes()
    for secret in STAFF_VALUES:
        assert secret.encode() not in data, secret
    conn = sqlite3.connect(f"file:{folder / 'catalogue.db'}?immutable=1", uri=True)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    # The public details are all there.
    assert conn.execute("SELECT count(*) FROM assets WHERE phone != ''").fetchone()[0] == 5
    metadata = json.loads((folder / "metadata.json").read_text())
    assert metadata["plugins"] == {"assetmap": {"database": "catalogue"}}


def test_publish_refuses_a_folder_that_holds_a_snapshot(team):
    again = assetmap("--db", str(team["db"]), "publish", str(team["dir"]), environ=team["env"], check=False)  # fmt: skip
    assert again.returncode == 1
    assert "is not empty" in again.stderr and "--force" in again.stderr
    assert "Traceback" not in again.stderr


def test_root_says_what_the_api_is(server):
    status, headers, body = server.get("/")
    assert status == 200
    assert body["version"] == "HSDS-UK-3.0"
    assert body["openapi_url"].endswith("openapi.json")
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_services_are_paged_with_the_uk_page_fields(server):
    status, headers, first = server.get("/services?per_page=4")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert {k: first[k] for k in first if k != "contents"} == {
        "total_items": 6, "total_pages": 2, "page_number": 1, "size": 4,
        "first_page": True, "last_page": False, "empty": False,
    }  # fmt: skip
    _, _, second = server.get("/services?per_page=4&page=2")
    assert second["size"] == 2 and second["last_page"] and not second["first_page"]
    names = [s["name"] for s in first["contents"] + second["contents"]]
    assert sorted(names) == sorted(set(names)) and len(names) == 6
    _, _, beyond = server.get("/services?per_page=4&page=9")
    assert beyond["contents"] == [] and beyond["size"] == 0 and beyond["total_items"] == 6


def test_a_service_is_served_whole_and_without_staff_fields(server):
    _, _, page = server.get("/services?text=runners")
    assert [s["name"] for s in page["contents"]] == ["Shelton Recovery Runners"]
    sid = page["contents"][0]["id"]
    status, headers, service = server.get(f"/services/{sid}")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert service["id"] == sid and service["name"] == "Shelton Recovery Runners"
    assert service["service_at_locations"], "the full record nests its locations"
    text = json.dumps(service)
    for secret in STAFF_VALUES:
        assert secret not in text, secret


def test_postcode_and_proximity_find_what_is_near_nearest_first(server):
    status, _, page = server.get("/services?postcode=ST4%207QB&proximity=5000")
    assert status == 200
    names = [s["name"] for s in page["contents"]]
    # The Stoke assets, nearest first; nothing from Manchester (55 km away).
    assert names[0] == "Shelton Recovery Runners"
    assert set(names) == {
        "Shelton Recovery Runners", "Hanley Park Walkers", "Stoke Boxing Club", "Burslem Book Club",
    }  # fmt: skip
    _, _, close = server.get("/services?postcode=ST4%207QB&proximity=300")
    assert [s["name"] for s in close["contents"]] == ["Shelton Recovery Runners"]


def test_taxonomies_and_terms_filter_services(server):
    _, _, taxonomies = server.get("/taxonomies")
    assert taxonomies["total_items"] >= 1
    _, _, terms = server.get("/taxonomy_terms?per_page=1000")
    assert terms["total_items"] == len(terms["contents"]) >= 1
    by_name = {t["name"]: t for t in terms["contents"]}
    # The mapping's terms are assetmap's fields (the value is the attribute's); only the
    # runners have referral details, and nobody's staff fields are terms.
    assert "category" in by_name and "staff_notes" not in by_name
    term = by_name["referral_details"]
    _, _, found = server.get(f"/services?taxonomy_term_id={term['id']}")
    assert [s["name"] for s in found["contents"]] == ["Shelton Recovery Runners"]
    status, _, one = server.get(f"/taxonomy_terms/{term['id']}")
    assert status == 200 and one["name"] == "referral_details"
    taxonomy_id = term["taxonomy_id"]
    _, _, in_taxonomy = server.get(f"/services?taxonomy_id={taxonomy_id}")
    assert in_taxonomy["total_items"] == 6
    _, _, none = server.get("/services?taxonomy_id=no-such-taxonomy")
    assert none["total_items"] == 0 and none["empty"] and none["contents"] == []


@pytest.mark.parametrize(
    "query, says",
    [
        ("page=abc", "page: 'abc' is not a whole number"),
        ("page=0", "page: 0 is out of range"),
        ("per_page=-5", "per_page: -5 is out of range"),
        ("per_page=100000", "per_page: 100000 is out of range"),
        ("postcode=ST4%207QB&proximity=far", "proximity: 'far' is not a distance"),
        ("postcode=ST4%207QB&proximity=-1", "proximity: '-1' is not a distance"),
        ("proximity=5000", "proximity: give a postcode too"),
        ("postcode=ZZ99%209ZZ&proximity=5000", "postcode:"),
        ("postcode=nowhere-at-all-xyz", "postcode:"),
        ("minimum_age=old", "minimum_age: 'old' is not a number"),
        ("maximum_age=nan", "maximum_age: 'nan' is not a finite number"),
        ("start_time=25:99", "start_time: '25:99' is not a time"),
        ("page=1&page=2", "page: given 2 times"),
        ("full=maybe", "full: 'maybe' is not true or false"),
    ],
)
def test_bad_parameters_are_a_400_with_a_json_error(server, query, says):
    status, headers, body = server.get(f"/services?{query}")
    assert status == 400, body
    assert headers["Content-Type"].startswith("application/json")
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert says in body["error"] and body["status"] == 400
    assert "\n" not in body["error"]


def test_unknown_ids_are_a_404_with_a_json_error(server):
    for path in ("/services/nope", "/taxonomies/nope", "/taxonomy_terms/nope", "/service_at_locations/nope"):  # fmt: skip
        status, headers, body = server.get(path)
        assert status == 404 and body["status"] == 404, path
        assert headers["Access-Control-Allow-Origin"] == "*"


def test_datasette_browses_the_same_public_rows(server):
    status, headers, table = server.get("/catalogue/assets.json?_shape=array&_size=100")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert len(table) == 6
    text = json.dumps(table)
    for secret in STAFF_VALUES:
        assert secret not in text
    status, _, page = server.get("/catalogue")
    assert status == 200 and "assets" in page


def test_serve_without_datasette_says_what_to_install(team):
    # Datasette hidden from this process: exactly as if the extra was not installed.
    code = (
        "import sys; sys.modules['datasette'] = None; sys.argv = ['assetmap', *sys.argv[1:]]; "
        "from assetmap.launch import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "--db", str(team["db"]), "serve", str(team["dir"])],
        capture_output=True, text=True, env=team["env"], timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "Error: assetmap serve needs Datasette, the optional extra: "
        "pip install 'assetmap[serve]' (publish works without it)"
    )


def test_serve_refuses_a_folder_that_is_not_a_snapshot(team, tmp_path):
    done = assetmap("serve", str(tmp_path), "--port", "0", environ=team["env"], check=False)
    assert done.returncode == 1
    assert "not a published snapshot" in done.stderr and "assetmap publish" in done.stderr
    assert "Traceback" not in done.stderr


def test_near_does_not_load_the_server():
    code = (
        "import sys; from assetmap.cli.app import load_commands; load_commands('near'); "
        "print(sorted(m for m in sys.modules if m.startswith(('datasette', 'assetmap.serve', "
        "'uvicorn', 'schemathesis'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


NEAR_STAFF = ("partnership_status", "contact_name", "contact_phone")


@pytest.mark.parametrize(
    "query, args",
    [
        (
            "place=ST4%207QB&goal=get%20fit&goal=meet%20people",
            ["ST4 7QB", "--goal", "get fit", "--goal", "meet people"],
        ),  # fmt: skip
        (
            "place=ST4%207QB&within=2km&sort=distance",
            ["ST4 7QB", "--within", "2km", "--sort", "distance"],
        ),  # fmt: skip
        (
            "place=M14%204HY&goal=be%20outdoors&no_dbs=true&day=sun",
            ["M14 4HY", "--goal", "be outdoors", "--no-dbs", "--day", "sun"],
        ),  # fmt: skip
        (
            "place=Hanley%2C%20Stoke-on-Trent&goal=off%20the%20drink%20and%20lonely&limit=2",
            ["Hanley, Stoke-on-Trent", "--goal", "off the drink and lonely", "--limit", "2"],
        ),  # fmt: skip
    ],
)
def test_near_gives_the_same_answer_as_the_cli(server, team, query, args):
    status, headers, served = server.get(f"/near?{query}")
    assert status == 200, served
    assert headers["Access-Control-Allow-Origin"] == "*"
    snapshot = str(team["dir"] / "catalogue.db")
    cli = assetmap("--db", snapshot, "--read-only", "near", *args, "--format", "json", environ=team["env"])  # fmt: skip
    expected = json.loads(cli.stdout)
    for record in expected + served:
        for field in NEAR_STAFF:
            assert field not in record  # near carries no staff field unasked, nor does /near
    assert served == expected
    assert served, "the examples find something"


@pytest.mark.parametrize(
    "query, says",
    [
        ("goal=get%20fit", "place: give a place"),
        ("place=ST4%207QB&within=far", "within:"),
        ("place=ST4%207QB&day=someday", "day:"),
        ("place=ST4%207QB&sort=best", "sort: 'best' is not one of score, distance"),
        ("place=ST4%207QB&no_dbs=perhaps", "no_dbs: 'perhaps' is not true or false"),
        ("place=ST4%207QB&limit=0", "limit: 0 is out of range"),
        ("place=ST4%207QB&goals=get%20fit", "goals: not a parameter of /near"),
        ("place=ST4%207QB&avoid_zone=/etc/passwd", "avoid_zone: not a parameter of /near"),
        ("place=ST4%207QB&partners_only=true", "partners_only: not a parameter of /near"),
        ("place=Nowhereville%20Xyz", "place:"),
        ("place=ST4%207QB&goal=%20", "goal: an empty goal"),
    ],
)
def test_near_bad_parameters_are_a_400_naming_the_parameter(server, query, says):
    status, _, body = server.get(f"/near?{query}")
    assert status == 400, body
    assert says in body["error"], body
    assert "--" not in body["error"]


def test_the_readme_examples_publish_serve_and_pull(team, tmp_path):
    """The README's block for sharing the catalogue, run: publish, serve (on 127.0.0.1, a
    free port, in place of the example's public address), then a practitioner's pull."""
    import re
    import shlex
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Sharing the catalogue", 1)[1].split("\n## ", 1)[0]
    block = re.findall(r"```sh\n(.*?)```", section, re.S)[0]
    lines = [re.sub(r"\s+#.*$", "", ln).strip() for ln in block.splitlines() if ln.strip()]
    assert lines[0] == "pip install 'assetmap[serve]'"
    publish, serve, pull = (shlex.split(ln) for ln in lines[1:])
    assert publish[:2] == ["assetmap", "publish"] and serve[:2] == ["assetmap", "serve"]
    environ = {**team["env"], "ASSETMAP_DB": str(team["db"])}
    done = subprocess.run([sys.executable, "-m", *publish], cwd=tmp_path, env=environ, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / publish[2] / "publish.json").exists()
    local = [w.replace("0.0.0.0", "127.0.0.1") for w in serve[1:]]
    served = Server(*local, environ=environ, cwd=tmp_path)
    try:
        assert served.url.startswith("http://127.0.0.1:")
        assert pull[:2] == ["assetmap", "import"] and pull[2].startswith("http")
        second = tmp_path / "practitioner.db"
        pulled = assetmap("--db", str(second), "--create", *pull[1:2], served.url, *pull[3:], "--rate", "100", environ=team["env"])  # fmt: skip
        assert "6 added" in pulled.stderr, pulled.stderr
    finally:
        served.stop()


def test_another_assetmap_pulls_the_served_catalogue_with_identical_public_fields(server, team, tmp_path):  # fmt: skip
    second = tmp_path / "practitioner.db"
    environ = team["env"]
    assetmap("--db", str(second), "init", "--empty", environ=environ)
    pulled = assetmap("--db", str(second), "import", server.url, "--source", "team-api", "--rate", "100", environ=environ)  # fmt: skip
    assert "6 added" in pulled.stderr, pulled.stderr

    def public(db):
        out = assetmap("--db", str(db), "export", "--public", "--format", "json", environ=environ).stdout  # fmt: skip
        rows = {r["name"]: r for r in json.loads(out)}
        for r in rows.values():
            r.pop("source", None)  # the team's file here, the API there
            # How the point was found: HSDS carries the point, not that (a postcode's centre
            # here); the import says 'given'. Not a field of the mapping (see the report).
            r.pop("geo_precision", None)
        return rows

    mine, theirs = public(team["db"]), public(second)
    assert sorted(theirs) == sorted(mine)
    for name, row in mine.items():
        assert theirs[name] == row, name
    # Pulled again (as `sources update` does nightly): nothing changes.
    again = assetmap("--db", str(second), "import", server.url, "--source", "team-api", "--rate", "100", environ=environ)  # fmt: skip
    assert "0 added, 0 updated, 6 unchanged" in again.stderr, again.stderr


def test_plain_datasette_serves_the_same_api_through_the_entry_point(team, server):
    """`datasette DIR/catalogue.db -m DIR/metadata.json` (and so `datasette publish`) loads the
    plugin from assetmap's `datasette` entry point: the same answers as `assetmap serve`."""
    import re
    import threading
    from pathlib import Path

    datasette = Path(sys.executable).with_name("datasette")
    folder = team["dir"]
    proc = subprocess.Popen(
        [str(datasette), str(folder / "catalogue.db"), "-i", str(folder / "catalogue.db"),
         "-m", str(folder / "metadata.json"), "-h", "127.0.0.1", "-p", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=team["env"],
    )  # fmt: skip
    found: list[str] = []
    ready = threading.Event()

    def read():
        for line in proc.stdout:
            m = re.search(r"running on (http://127\.0\.0\.1:\d+)", line)
            if m:
                found.append(m.group(1) + "/")
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        assert ready.wait(120) and found, "datasette did not start"
        plain = type(server).__new__(type(server))
        plain.url = found[0]
        for path in ("/", "/services?per_page=3", "/taxonomy_terms", "/near?place=ST4%207QB"):
            assert plain.get(path)[2] == server.get(path)[2], path
        assert plain.get("/services")[1]["Access-Control-Allow-Origin"] == "*"
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_serve_without_a_folder_serves_a_snapshot_taken_now(team, tmp_path):
    tmp_path = tmp_path / "tmp"
    tmp_path.mkdir()
    environ = {**team["env"], "TMPDIR": str(tmp_path)}
    served = Server("--db", str(team["db"]), "serve", environ=environ)
    try:
        assert any("snapshot of the catalogue taken now" in line for line in served.lines)
        assert [p.name.startswith("assetmap-serve-") for p in tmp_path.iterdir()] == [True]
        _, _, page = served.get("/services")
        assert page["total_items"] == 6
        assert "SECRET" not in json.dumps(served.get("/catalogue/assets.json?_shape=array")[2])
    finally:
        served.stop()
    # Stopped (SIGTERM, as a service manager stops it): exit 0, and no snapshot left behind.
    assert served.proc.returncode == 0
    assert list(tmp_path.iterdir()) == []


def test_serve_refuses_a_snapshot_whose_file_is_not_the_one_published(team, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(team["dir"], copy)
    (copy / "catalogue.db").chmod(0o644)
    with (copy / "catalogue.db").open("r+b") as fh:  # a copy cut short
        fh.truncate(4096)
    done = assetmap("serve", str(copy), "--port", "0", environ=team["env"], check=False, timeout=60)  # fmt: skip
    assert done.returncode == 1
    assert "is not the file that was published" in done.stderr and "copy the folder again" in done.stderr  # fmt: skip
    assert "Traceback" not in done.stderr


def test_a_pull_reads_every_page_and_a_nightly_pull_keeps_local_edits(tmp_path, shared_cache):
    """A practitioner's nightly pull of the team's API (`import URL`): 60 services, two of the
    server's default pages (the pull asks for one page of 500 whole services; paging across
    pages is tested in test_feed_http.py); pulled again after a local edit, the edit is kept."""
    environ = env(tmp_path / "home", shared_cache)
    rows = "".join(
        f"Walking Group {n:02d},walking group,walking,ST4 7QB,,,free,01782 {n:06d}\n"
        for n in range(60)
    )
    csv = tmp_path / "many.csv"
    csv.write_text("name,category,tags,postcode,lat,lon,cost,phone\n" + rows, encoding="utf-8")
    team_db, mine = tmp_path / "team.db", tmp_path / "mine.db"
    for db in (team_db, mine):
        assetmap("--db", str(db), "init", "--empty", environ=environ)
    assetmap("--db", str(team_db), "import", str(csv), "--source", "team", environ=environ)
    assetmap("--db", str(team_db), "publish", str(tmp_path / "snapshot"), environ=environ)
    served = Server("serve", str(tmp_path / "snapshot"), environ=environ)
    try:
        _, _, first = served.get("/services")
        assert first["total_pages"] == 2 and first["size"] == 50
        pull = ("--db", str(mine), "import", served.url, "--source", "team", "--rate", "200")
        assert "60 added" in assetmap(*pull, environ=environ).stderr
        listed = json.loads(assetmap("--db", str(mine), "list", "--format", "json", environ=environ).stdout)  # fmt: skip
        assert sorted(a["name"] for a in listed) == [f"Walking Group {n:02d}" for n in range(60)]
        asset = next(a["id"] for a in listed if a["name"] == "Walking Group 07")
        assetmap("--db", str(mine), "edit", asset, "--phone", "01782 999888", environ=environ)
        again = assetmap(*pull, environ=environ)
        assert "kept 1 local change" in again.stderr, again.stderr
        shown = json.loads(assetmap("--db", str(mine), "show", asset, "--format", "json", environ=environ).stdout)  # fmt: skip
        assert shown["phone"] == "01782 999888"
    finally:
        served.stop()


def test_sources_pull_oruk_subscribes_and_sources_update_refreshes_keeping_local_edits(tmp_path, shared_cache):  # fmt: skip
    """The practitioner subscribes with `sources pull oruk URL`; the curator publishes a new
    snapshot and the server is restarted on it, at the same address; the nightly `sources
    update` brings the change in and keeps the practitioner's own edit."""
    environ = env(tmp_path / "home", shared_cache)
    team_db = team_catalogue(tmp_path, environ)
    mine = tmp_path / "mine.db"
    assetmap("--db", str(mine), "init", "--empty", environ=environ)
    assetmap("--db", str(team_db), "publish", str(tmp_path / "monday"), environ=environ)
    served = Server("serve", str(tmp_path / "monday"), environ=environ)
    try:
        pulled = assetmap("--db", str(mine), "sources", "pull", "oruk", served.url, environ=environ)  # fmt: skip
        assert "6 added" in pulled.stderr + pulled.stdout, pulled.stderr
        listed = json.loads(assetmap("--db", str(mine), "list", "--format", "json", environ=environ).stdout)  # fmt: skip
        walkers = next(a["id"] for a in listed if a["name"] == "Hanley Park Walkers")
        assetmap("--db", str(mine), "edit", walkers, "--phone", "01782 999888", environ=environ)
    finally:
        served.stop()
    port = int(served.url.rsplit(":", 1)[1].strip("/"))
    team_walkers = next(
        a["id"]
        for a in json.loads(
            assetmap("--db", str(team_db), "list", "--format", "json", environ=environ).stdout
        )  # fmt: skip
        if a["name"] == "Hanley Park Walkers"
    )
    assetmap("--db", str(team_db), "edit", team_walkers, "--description", "Gentle walks round Hanley Park, all welcome", "--phone", "01782 000111", environ=environ)  # fmt: skip
    assetmap("--db", str(team_db), "publish", str(tmp_path / "tuesday"), environ=environ)
    served = Server("serve", str(tmp_path / "tuesday"), environ=environ, port=port)
    try:
        updated = assetmap("--db", str(mine), "sources", "update", environ=environ)
        assert "1 updated" in updated.stdout + updated.stderr, updated.stdout + updated.stderr
    finally:
        served.stop()
    shown = json.loads(assetmap("--db", str(mine), "show", walkers, "--format", "json", environ=environ).stdout)  # fmt: skip
    assert shown["description"] == "Gentle walks round Hanley Park, all welcome"
    assert shown["phone"] == "01782 999888"  # the practitioner's edit is kept


def test_full_pages_carry_each_service_as_its_own_address_serves_it(server):
    """`/services?full=true` (the UK profile's `full` parameter): each item is the whole
    nested service, byte for byte what /services/{id} gives, so a pull needs no request per
    service. Without it, an item has the list endpoint's one-to-one fields only."""
    _, _, summaries = server.get("/services?per_page=4")
    assert not any(isinstance(v, list) for s in summaries["contents"] for v in s.values())
    status, _, full = server.get("/services?per_page=4&full=true")
    assert status == 200 and full["total_items"] == 6 and full["size"] == 4
    assert [s["id"] for s in full["contents"]] == [s["id"] for s in summaries["contents"]]
    for item in full["contents"]:
        assert item == server.get(f"/services/{item['id']}")[2]
        assert item["service_at_locations"] and item["attributes"]
    _, _, near = server.get("/services?postcode=ST4%207QB&proximity=300&full=1")
    assert [s["name"] for s in near["contents"]] == ["Shelton Recovery Runners"]
    assert near["contents"][0]["service_at_locations"]
    for secret in STAFF_VALUES:
        assert secret not in json.dumps(full), secret


def test_a_service_at_location_carries_its_services_summary(server):
    _, _, page = server.get("/service_at_locations?text=runners")
    [item] = page["contents"]
    assert item["service"]["name"] == "Shelton Recovery Runners"
    assert item["service"]["id"] == item["service_id"]
    assert not any(isinstance(v, list) for v in item["service"].values())


def test_the_snapshot_of_the_bundled_catalogue_is_a_few_times_its_size(seeded_catalogue, tmp_path, shared_cache):  # fmt: skip
    """The snapshot was 163.7 MB for the 6.6 MB bundled catalogue (12 KB of JSON per
    service, and text ids linking every service to every term): each night's rsync to N
    servers copied all of it. Services are now stored compressed, terms linked by number."""
    import shutil

    environ = env(tmp_path / "home", shared_cache)
    db = tmp_path / "catalogue.db"
    shutil.copy(seeded_catalogue, db)
    done = assetmap("--db", str(db), "publish", str(tmp_path / "snapshot"), environ=environ)
    manifest = json.loads((tmp_path / "snapshot" / "publish.json").read_text())
    assert manifest["services"] > 7000, done.stderr
    size = (tmp_path / "snapshot" / "catalogue.db").stat().st_size
    assert size < 6 * db.stat().st_size, (size, db.stat().st_size)
    served = Server("serve", str(tmp_path / "snapshot"), environ=environ)
    try:
        _, _, page = served.get("/services?text=library&per_page=3&full=true")
        assert page["size"] == 3
        for item in page["contents"]:
            assert served.get(f"/services/{item['id']}")[2] == item
    finally:
        served.stop()


def test_serve_refuses_a_snapshot_published_by_an_older_assetmap(team, tmp_path):
    import shutil

    copy = tmp_path / "old"
    shutil.copytree(team["dir"], copy)
    manifest = json.loads((copy / "publish.json").read_text())
    del manifest["format"]
    (copy / "publish.json").write_text(json.dumps(manifest))
    done = assetmap("serve", str(copy), "--port", "0", environ=team["env"], check=False, timeout=60)  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "published by an older assetmap" in done.stderr and "publish it again" in done.stderr


MENS_GROUP = """\
name,category,tags,description,postcode,phone,schedule,verified_on,partnership_status,contact_name
Fenton Men's Shed,men's group,woodwork;men,Woodwork and a brew,ST4 2RS,01782 444555,Thu 10:00-14:00,2026-11-01,partner,SECRET Pat
"""


def test_a_curators_own_category_is_pulled_and_a_nightly_update_keeps_a_local_edit(tmp_path, shared_cache):  # fmt: skip
    """The curator adds a category of their own (`categories add "men's group"`), a partner
    uses it, the team's catalogue is published and served. A practitioner's pull into a
    catalogue made with `init --empty` was refused whole ('1 of 7 rows is invalid; nothing
    was written ... not a known category'); now it brings the category in, with identical
    public fields, in two requests (a page of full services and one check), and the nightly
    `sources update` keeps the practitioner's own edit."""
    environ = env(tmp_path / "home", shared_cache)
    team_db = team_catalogue(tmp_path, environ)
    assetmap("--db", str(team_db), "categories", "add", "men's group", environ=environ)
    partner = tmp_path / "shed.csv"
    partner.write_text(MENS_GROUP, encoding="utf-8")
    assetmap("--db", str(team_db), "import", str(partner), "--source", "team", environ=environ)
    assetmap("--db", str(team_db), "publish", str(tmp_path / "snapshot"), environ=environ)
    mine = tmp_path / "mine.db"
    assetmap("--db", str(mine), "init", "--empty", environ=environ)
    served = Server("serve", str(tmp_path / "snapshot"), environ=environ)
    try:
        pulled = assetmap("--db", str(mine), "sources", "pull", "oruk", served.url, environ=environ)  # fmt: skip
        said = pulled.stdout + pulled.stderr
        assert "7 added" in said and "added the category 'men's group'" in said, said
        assert "2 requests" in said, said

        def public(db):
            out = assetmap("--db", str(db), "export", "--public", "--format", "json", environ=environ).stdout  # fmt: skip
            rows = {r["name"]: r for r in json.loads(out)}
            for r in rows.values():
                r.pop("source", None)  # the team's file there, the API's host here
            return rows

        mine_rows, team_rows = public(mine), public(team_db)
        assert sorted(mine_rows) == sorted(team_rows)
        for name, row in team_rows.items():
            assert mine_rows[name] == row, name
        assert mine_rows["Fenton Men's Shed"]["category"] == "men's group"
        shed = mine_rows["Fenton Men's Shed"]["id"]
        assetmap("--db", str(mine), "edit", shed, "--phone", "01782 999888", environ=environ)
        updated = assetmap("--db", str(mine), "sources", "update", environ=environ)
        assert "Error" not in updated.stderr and "added the category" not in updated.stderr
    finally:
        served.stop()
    shown = json.loads(assetmap("--db", str(mine), "show", shed, "--format", "json", environ=environ).stdout)  # fmt: skip
    assert shown["phone"] == "01782 999888" and shown["category"] == "men's group"
    cats = assetmap("--db", str(mine), "categories", environ=environ).stdout
    assert "men's group" in cats


def test_the_readmes_practitioner_cron_line_brings_the_teams_changes_in(tmp_path, shared_cache):
    """The README's practitioner crontab, run as cron runs it (sh, the crontab's variables,
    a bare PATH), after the subscription it describes: the curator's next snapshot comes in,
    the practitioner's edit is kept, and the line says what changed (cron mails it)."""
    import re
    import shlex
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Sharing the catalogue", 1)[1].split("\n## ", 1)[0]
    [block] = re.findall(r"```cron\n(.*?)```", section, re.S)
    lines = block.splitlines()
    [job] = [ln for ln in lines if ln[:1].isdigit()]
    variables = dict(ln.split("=", 1) for ln in lines if re.match(r"^[A-Z_]+=", ln))
    subscribe = re.search(r"`(assetmap sources pull oruk \S+)`", section).group(1)
    team = env(tmp_path / "team", shared_cache)
    environ = env(tmp_path / "laptop", shared_cache)  # the practitioner's default catalogue
    team_db = team_catalogue(tmp_path, team)
    assetmap("--db", str(team_db), "publish", str(tmp_path / "monday"), environ=team)
    served = Server("serve", str(tmp_path / "monday"), environ=team)
    try:
        words = shlex.split(subscribe)
        assert words[:4] == ["assetmap", "sources", "pull", "oruk"]
        assetmap("init", "--empty", environ=environ)
        pulled = assetmap(*words[1:4], served.url, environ=environ)
        assert "6 added" in pulled.stderr, pulled.stderr
        listed = json.loads(assetmap("list", "--format", "json", environ=environ).stdout)
        walkers = next(a["id"] for a in listed if a["name"] == "Hanley Park Walkers")
        assetmap("edit", walkers, "--phone", "01782 999888", environ=environ)
    finally:
        served.stop()
    port = int(served.url.rsplit(":", 1)[1].strip("/"))
    [team_walkers] = [
        a["id"]
        for a in json.loads(
            assetmap("--db", str(team_db), "list", "--format", "json", environ=team).stdout
        )  # fmt: skip
        if a["name"] == "Hanley Park Walkers"
    ]
    assetmap("--db", str(team_db), "edit", team_walkers, "--description", "Walks round Hanley Park, all welcome", environ=team)  # fmt: skip
    assetmap("--db", str(team_db), "publish", str(tmp_path / "tuesday"), environ=team)
    served = Server("serve", str(tmp_path / "tuesday"), environ=team, port=port)
    try:
        command = " ".join(job.split()[5:])
        program = re.match(r"(\S+/assetmap) ", command).group(1)
        command = command.replace(program, f"'{sys.executable}' -m assetmap")
        cron = {k: environ[k] for k in ("HOME", "ASSETMAP_HOME", "ASSETMAP_CACHE_DIR")}
        cron |= {"PATH": "/usr/bin:/bin", "SHELL": "/bin/sh", **variables}
        ran = subprocess.run(["sh", "-c", command], env=cron, capture_output=True, text=True, timeout=300)  # fmt: skip
        assert ran.returncode == 0, ran.stderr
        assert "1 updated" in ran.stderr and ran.stdout == "", ran.stderr
        quiet = subprocess.run(["sh", "-c", command], env=cron, capture_output=True, text=True, timeout=300)  # fmt: skip
        assert quiet.returncode == 0 and quiet.stdout == quiet.stderr == "", quiet.stderr
    finally:
        served.stop()
    shown = json.loads(assetmap("show", walkers, "--format", "json", environ=environ).stdout)
    assert shown["description"] == "Walks round Hanley Park, all welcome"
    assert shown["phone"] == "01782 999888"


def test_pages_are_gzipped_for_a_client_that_asks(server):
    """A page of 500 whole services is about 7 MB of JSON; over a practitioner's broadband each
    night, gzip (asked with Accept-Encoding, as browsers and the pull do) makes it a tenth."""
    import gzip
    import urllib.request

    path = "services?per_page=6&full=true"
    _, _, plain = server.get(path)
    request = urllib.request.Request(server.url + path, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers["Vary"]
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        body = response.read()
    assert json.loads(gzip.decompress(body)) == plain
    assert len(body) * 3 < len(json.dumps(plain))
    status, headers, _ = server.get("/", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] is None  # too small to be worth it
