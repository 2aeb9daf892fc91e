"""Real councils' Open Referral UK feeds, as they served them, read by the one mapping
(transfer/hsds.py): Buckinghamshire's ORUK v1 feed (Outpost) and Bristol's ORUK 3.0 feed
(Placecube Open Place Directory), recorded (tests/data/openreferral_real/NOTES.md says where
from) and served on 127.0.0.1 in their own page shapes."""

import json
import re
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assetmap.catalogue.models import DEFAULT_CATEGORIES
from assetmap.transfer import hsds

DATA = Path(__file__).parent / "data" / "openreferral_real"
BUCKS = json.loads((DATA / "buckinghamshire" / "services.json").read_text(encoding="utf-8"))
BRISTOL_PAGE = json.loads((DATA / "bristol" / "services_page_1.json").read_text(encoding="utf-8"))
BRISTOL_1625 = json.loads(
    (DATA / "bristol" / "service_2a3483ea-8966-4f50-9dc3-7bafa1e5c623.json").read_text(encoding="utf-8")
)  # fmt: skip
CATEGORIES = {c.lower(): c for c in DEFAULT_CATEGORIES}
FAST = ["--rate", "200"]
BUCKS_PAGE = 5  # the test server's largest page: 14 services are 3 pages


@pytest.fixture(scope="module")
def feeds():
    """One loopback server: /bucks/api/v1 (ORUK v1 pages, as Outpost serves them) and
    /bristol/o/OpenReferralService/v3 (HSDS 3.0 pages and details, as Placecube serves them)."""
    hits: list[str] = []
    bristol_detail = {s["id"]: s for s in BRISTOL_PAGE["contents"]}
    bristol_detail[BRISTOL_1625["id"]] = BRISTOL_1625

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            url = urlsplit(self.path)
            hits.append(self.path)
            q = parse_qs(url.query)
            page = int(q.get("page", ["1"])[0])
            if url.path == "/bucks/api/v1/services":
                size = min(int(q.get("per_page", ["50"])[0]), BUCKS_PAGE)
                pages = (len(BUCKS) + size - 1) // size
                return self._send({"number": page, "size": size, "totalPages": pages,
                                   "totalElements": len(BUCKS), "first": page == 1,
                                   "last": page >= pages,
                                   "content": BUCKS[(page - 1) * size : page * size]})  # fmt: skip
            if url.path.startswith("/bucks/api/v1/services/"):
                sid = url.path.rsplit("/", 1)[1]
                for s in BUCKS:
                    if str(s["id"]) == sid:
                        return self._send(s)
            if url.path == "/bristol/o/OpenReferralService/v3/services":
                n = len(BRISTOL_PAGE["contents"])
                return self._send({**BRISTOL_PAGE, "total_items": n, "total_pages": 1,
                                   "last_page": True, "size": n})  # fmt: skip
            if url.path.startswith("/bristol/o/OpenReferralService/v3/services/"):
                sid = url.path.rsplit("/", 1)[1]
                if sid in bristol_detail:
                    return self._send(bristol_detail[sid])
            if url.path == "/odd/services":  # a page in no Open Referral shape
                return self._send({"items": BUCKS[:2], "total": 2})
            if url.path == "/empty/services":  # a directory with nothing in it yet
                return self._send({"total_items": 0, "total_pages": 0, "page_number": 1,
                                   "size": 0, "first_page": True, "last_page": True,
                                   "empty": True, "contents": []})  # fmt: skip
            return self._send({"error": "not found"}, 404)

        def _send(self, body, code=200):
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield {"bucks": f"{base}/bucks/api/v1", "bristol": f"{base}/bristol/o/OpenReferralService/v3",
           "odd": f"{base}/odd", "empty": f"{base}/empty", "hits": hits}  # fmt: skip
    server.shutdown()
    server.server_close()


def _count(db_file) -> int:
    conn = sqlite3.connect(db_file)
    try:
        return conn.execute("SELECT count(*) FROM assets").fetchone()[0]
    finally:
        conn.close()


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def _located(s: dict) -> bool:
    return bool(s["locations"])


def _map_bucks_terms(cli, db):
    for term, category in (("Sports and fitness", "sports club"),
                           ("Education and learning", "education"),
                           ("Homelessness and housing", "housing support")):  # fmt: skip
        cli(*db, "categories", "map", term, category)


@pytest.fixture
def bucks_catalogue(cli, db_file, feeds):
    db = ["--db", str(db_file)]
    _map_bucks_terms(cli, db)
    out = cli(*db, "import", feeds["bucks"], "--source", "bucks-fis", "--category",
              "community centre", "--skip-invalid", *FAST, code=3)  # fmt: skip
    return db, out


def _shown(cli, db, sid) -> dict:
    return json.loads(cli(*db, "show", str(sid), "--format", "json").stdout)


def test_buckinghamshires_v1_feed_is_paged_and_every_located_service_imports(bucks_catalogue, feeds, db_file):  # fmt: skip
    """Its pages say content/totalPages/last, not contents/total_pages/last_page: the import
    read no page past the first and found no service."""
    _, out = bucks_catalogue
    located = [s for s in BUCKS if _located(s)]
    assert f"{len(located)} added" in out.stderr
    assert _count(db_file) == len(located) == 12
    # A masked address ('HP7', a point rounded to it) is kept, at district level.
    assert "skipped service 1460" not in out.stderr
    pages = [h for h in feeds["hits"] if h.startswith("/bucks/api/v1/services?")]
    assert len(pages) >= 3  # 14 services in pages of 5


def test_buckinghamshires_categories_come_from_its_terms_and_the_default(cli, bucks_catalogue):
    db, _ = bucks_catalogue
    assert (
        _shown(cli, db, "bucks-fis-9097")["category"] == "sports club"
    )  # Sports and fitness, mapped
    assert (
        _shown(cli, db, "bucks-fis-5603")["category"] == "education"
    )  # Education and learning, mapped
    walking = _shown(cli, db, "bucks-fis-6378")  # Staying active: no term maps it, so --category
    assert walking["category"] == "community centre"
    assert "staying active" in walking["tags"]
    assert _shown(cli, db, "bucks-fis-4538")["status"] == "temporarily-closed"


def test_no_public_phone_email_website_or_address_of_buckinghamshire_is_lost(cli, bucks_catalogue):
    db, _ = bucks_catalogue
    for s in filter(_located, BUCKS):
        shown = _shown(cli, db, f"bucks-fis-{s['id']}")
        said = " ".join(str(shown[k] or "") for k in ("phone", "email", "website", "notes", "address", "postcode", "accessibility"))  # fmt: skip
        for c in s["contacts"]:
            if _digits(c.get("phone")):
                assert _digits(c["phone"]) in _digits(said), (s["id"], c["phone"])
            if (c.get("email") or "").strip():
                assert c["email"].strip() in said, (s["id"], c["email"])
        for link in s["links"] + [{"url": s["url"]}]:
            if link.get("url"):
                assert link["url"] in said, (s["id"], link["url"])
        first, *others = s["locations"]
        if first["name"]:  # the venue: 'Amersham & Wycombe College', Spring Lane (it was lost)
            assert first["name"] in shown["address"], (s["id"], first["name"])
        if first["mask_exact_address"]:  # 'HP7' and a point rounded to the district
            assert first["postal_code"] in shown["address"] and shown["postcode"] == ""
            assert shown["geo_precision"] == "district"
        else:
            assert shown["postcode"] == first["postal_code"].strip()
        assert shown["lat"] == pytest.approx(first["geometry"]["coordinates"][1])
        for loc in others:
            assert loc["postal_code"] in said, (s["id"], loc["postal_code"])
        for a in (x for loc in s["locations"] for x in loc["accessibilities"]):
            assert a["name"] in shown["accessibility"], (s["id"], a["name"])


def test_buckinghamshires_costs_ages_schedules_and_audiences_are_kept(cli, bucks_catalogue):
    db, _ = bucks_catalogue
    football = _shown(cli, db, "bucks-fis-9097")
    assert football["cost"] == "paid" and "£4.00 per session (Adults)" in football["notes"]
    assert (football["min_age"], football["max_age"]) == (30, 100)
    assert football["schedule"].startswith("Tue 19:00-20:00")
    colts = _shown(
        cli, db, "bucks-fis-8810"
    )  # five options, one of them 0.00 for Ukrainian children
    assert colts["cost"] == "paid" and "£0.00 (All Ukrainian Children)" in colts["notes"]
    assert _shown(cli, db, "bucks-fis-9029")["cost"] == "free"  # free: true, no amounts
    adhd = _shown(cli, db, "bucks-fis-7167")
    assert (
        "Older people" in adhd["notes"] and "Autism" in adhd["notes"]
    )  # suitabilities, send needs
    assert _shown(cli, db, "bucks-fis-6378")["min_age"] == 18


def test_buckinghamshires_rows_without_a_place_are_reported_and_nothing_is_half_written(cli, db_file, feeds):  # fmt: skip
    db = ["--db", str(db_file)]
    out = cli(*db, "import", feeds["bucks"], "--source", "bucks-fis", "--category",
              "community centre", *FAST, code=1)  # fmt: skip
    assert "service 9302, column postcode" in out.stderr  # Young Minds: a helpline, no location
    assert "service 1520, column postcode" in out.stderr
    assert "Traceback" not in out.stderr and _count(db_file) == 0


def test_a_saved_v1_page_imports_as_the_feed_does(cli, db_file, tmp_path):
    page = tmp_path / "bucks_page.json"
    page.write_text(json.dumps({"number": 1, "size": 50, "totalPages": 1, "totalElements": len(BUCKS),
                                "first": True, "last": True, "content": BUCKS}))  # fmt: skip
    db = ["--db", str(db_file)]
    out = cli(*db, "import", str(page), "--category", "community centre", "--skip-invalid", code=3)
    assert "12 added" in out.stderr and "2 invalid rows were skipped" in out.stderr


def test_bristols_v3_service_keeps_every_phone_and_reads_its_audience(tmp_path):
    """Bristol's detail: two phones (the second labelled), HTML description, ages -1 for none,
    audience in pc_targetAudience, no location."""
    fields, problems = hsds.service_fields(BRISTOL_1625, categories=CATEGORIES,
                                           terms={"homeless": "housing support"})  # fmt: skip
    assert problems == []
    assert fields["category"] == "housing support"  # its audience 'Homeless', mapped
    assert fields["phone"] == "0800 0354213"
    assert "Bristol Youth MAPS: 0117 332 7111" in fields["notes"]
    assert (
        fields["email"] == "enquiries@1625ip.co.uk" and fields["website"] == "http://1625ip.co.uk"
    )
    assert fields["min_age"] == fields["max_age"] == ""
    assert "<p>" not in fields["description"] and "&nbsp;" not in fields["description"]
    assert fields["description"].startswith("About Us\n")
    assert "homeless" in fields["tags"] and "care leavers" in fields["tags"]
    assert "Areas: Bristol, South Gloucestershire" in fields["notes"]
    assert fields["verified_on"] == "2025-09-02"


def test_bristols_feed_without_locations_is_reported_per_service_and_writes_nothing(cli, db_file, feeds):  # fmt: skip
    db = ["--db", str(db_file)]
    cli(*db, "categories", "map", "Homeless", "housing support")
    out = cli(*db, "import", feeds["bristol"], "--source", "bristol-opd", "--category",
              "peer support", *FAST, code=1)  # fmt: skip
    for s in BRISTOL_PAGE["contents"]:
        assert f"service {s['id']}, column postcode" in out.stderr
    assert "Traceback" not in out.stderr and _count(db_file) == 0
    assert "/bristol/o/OpenReferralService/v3/services/2a3483ea-8966-4f50-9dc3-7bafa1e5c623" in feeds["hits"]  # fmt: skip


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=12,
)  # fmt: skip
_ITEMS = st.lists(st.dictionaries(st.sampled_from(
    ["name", "phone", "email", "number", "weekday", "opens_at", "closes_at", "amount", "cost_type",
     "option", "postal_code", "address_1", "geometry", "accessibilities", "physical_addresses",
     "audienceType", "url", "label", "taxonomy", "service_area", "language"]), _JSON, max_size=5),
    max_size=3) | _JSON  # fmt: skip
_V1_SERVICE = st.dictionaries(st.sampled_from(
    ["locations", "contacts", "regular_schedules", "cost_options", "taxonomies", "service_taxonomys",
     "suitabilities", "send_needs", "pc_targetAudience", "service_areas", "links", "languages",
     "organisation", "free", "min_age", "max_age", "description", "minimum_age"]), _ITEMS, max_size=8)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(service=_V1_SERVICE)
def test_the_v1_and_vendor_shapes_never_crash_the_mapping(service):
    """The ORUK v1 and vendor fields read here (Outpost's locations, contacts' phone, weekday
    schedules, cost_type, free; Placecube's pc_targetAudience; service_areas, links), in any
    shape: an asset or problems naming columns, never a traceback."""
    asset, problems = hsds.service_to_asset({"name": "Fuzz", "postcode": "x", **service})
    assert (asset is None) == bool(problems)
    assert all(p.column for p in problems), problems


def test_a_council_feed_pulled_as_a_source_uses_the_term_table(cli, db_file, feeds):
    """`sources pull oruk URL` read the feed without the catalogue's term table, so a
    council's own terms mapped with `categories map` gave no category and every service of
    Buckinghamshire's feed was skipped."""
    db = ["--db", str(db_file)]
    _map_bucks_terms(cli, db)
    cli(*db, "categories", "map", "Staying active", "walking group")
    cli(*db, "categories", "map", "Things to do", "community centre")
    cli(*db, "categories", "map", "Advice and support", "peer support")
    out = cli(*db, "sources", "pull", "oruk", feeds["bucks"], code=None)
    assert "Traceback" not in out.stderr
    pulled = {a["name"]: a for a in json.loads(cli(*db, "list", "--format", "json").stdout)}
    assert pulled["Female Walking Football"]["category"] == "sports club"  # Sports and fitness
    assert pulled["Weekday Walking Group"]["category"] == "walking group"  # Staying active
    assert _count(db_file) == 12  # every located service; the two with no place are reported


def test_a_page_in_no_open_referral_shape_is_an_error_not_an_empty_import(cli, db_file, feeds):
    """Buckinghamshire's v1 pages were read as no services at all: '0 added', exit 0. A page
    that has neither 'contents' (HSDS 3.0) nor 'content' (ORUK v1) is said to be one, and
    nothing is written; a directory with no services yet still imports nothing quietly."""
    db = ["--db", str(db_file)]
    out = cli(*db, "import", feeds["odd"], "--source", "odd", *FAST, code=1)
    err = out.stderr.strip().splitlines()[-1]
    assert err.startswith("Error: ") and "/services" in err and "contents" in err, err
    assert "Traceback" not in out.stderr and _count(db_file) == 0
    empty = cli(*db, "import", feeds["empty"], "--source", "empty", *FAST)
    assert "0 added" in empty.stderr


def test_a_councils_numbered_services_never_overwrite_another_sources_records(cli, db_file, feeds, tmp_path):  # fmt: skip
    """ORUK v1 ids are row numbers (Buckinghamshire's 6378): imported as the asset's id, the
    next publisher's 6378 (another council's feed, a partner's list) overwrote the Weekday
    Walking Group with its own place, keeping Buckinghamshire as the source. A number is
    only unique within its publisher, so it is kept under the source's name."""
    db = ["--db", str(db_file)]
    cli(*db, "import", feeds["bucks"], "--source", "bucks-fis", "--category", "community centre",
        "--skip-invalid", *FAST, code=3)  # fmt: skip
    walking = _shown(cli, db, "bucks-fis-6378")
    assert walking["name"] == "Weekday Walking Group"
    other = tmp_path / "other.csv"
    other.write_text("id,name,category,postcode\n6378,Other Council Foodbank,foodbank,M1 1AD\n")
    cli(*db, "import", str(other), "--source", "other-council")
    assert _shown(cli, db, "bucks-fis-6378")["name"] == "Weekday Walking Group"
    assert _shown(cli, db, "6378")["source"] == "other-council"
    again = cli(*db, "import", feeds["bucks"], "--source", "bucks-fis", "--category",
                "community centre", "--skip-invalid", *FAST, code=3)  # fmt: skip
    assert "0 added" in again.stderr  # the same feed again: the same records


def test_an_address_whose_first_line_ends_with_the_town_says_the_town_once(cli, bucks_catalogue):
    # reviewer2: Outpost's address_1 often ends with the town its city then gives again:
    # 'Friends Meeting House, 9 Rickfords Hill, Aylesbury' and 'Aylesbury' were shown (and
    # printed on the plan) as '..., Aylesbury, Aylesbury'.
    db, _out = bucks_catalogue
    for s in filter(_located, BUCKS):
        parts = [p.strip().lower() for p in _shown(cli, db, f"bucks-fis-{s['id']}")["address"].split(",")]  # fmt: skip
        assert all(a != b for a, b in zip(parts, parts[1:], strict=False)), (s["id"], parts)
    shown = _shown(cli, db, "bucks-fis-4527")["address"]
    assert shown == "Friends Meeting House, 9 Rickfords Hill, Aylesbury", shown
