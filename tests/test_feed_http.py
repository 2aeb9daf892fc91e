"""`assetmap import URL`: an Open Referral UK API over HTTP, tested against a loopback server
that serves the Open Referral UK example JSON (tests/data/openreferral_uk_examples/json),
paged, with faults on demand."""

import copy
import json
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

EXAMPLES = Path(__file__).parent / "data" / "openreferral_uk_examples" / "json"
POSTCODES = ["ST4 7QB", "ST1 3EB", "M1 1AD", "B6 4AA", "BS5 0AA", "TR1 2SJ", "ST6 1HG"]


def _services() -> dict[str, dict]:
    """Seven full service records made from the example, placed at real UK postcodes."""
    full = json.loads((EXAMPLES / "service_full.json").read_text())
    out = {}
    for i, postcode in enumerate(POSTCODES):
        s = copy.deepcopy(full)
        s["id"] = f"svc-{i}"
        s["name"] = f"Community Counselling {i}"
        loc = s["service_at_locations"][0]["location"]
        loc["latitude"] = loc["longitude"] = None  # the example's 100, 101 are not on Earth
        loc["addresses"][0].update(postal_code=postcode, country="GB", address_type="physical")
        if i == 6:
            # A publisher's own taxonomy: its term names one of our categories.
            s["attributes"][0]["taxonomy_term"]["name"] = "Peer support"
        else:
            s["attributes"] = [{"id": f"a{i}", "value": "peer support", "taxonomy_term": {
                "id": "t", "name": "category", "taxonomy": "assetmap", "code": "category"}}]  # fmt: skip
        out[s["id"]] = s
    return out


class Feed:
    def __init__(self):
        self.services = _services()
        self.hits: list[str] = []
        self.fail_once: set[str] = set()  # paths answered 503 the first time
        self.always_fail: set[str] = set()  # paths answered 500 every time
        self.slow: set[str] = set()  # paths answered after 2 s
        self.page_items = None  # service -> its item on a page (default: the example's summary)
        self.max_per_page = 0  # a per_page above this is answered 400 (0: any is served)
        self.gzip = False  # answer gzipped to a client that asks for it
        self.accepted: list[str] = []  # each request's Accept-Encoding


@pytest.fixture
def feed():
    state = Feed()
    listing = json.loads((EXAMPLES / "service_list.json").read_text())

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            url = urlsplit(self.path)
            state.hits.append(url.path)
            state.accepted.append(self.headers.get("Accept-Encoding") or "")
            key = url.path + ("?" + url.query if url.query else "")
            if url.path in state.slow:
                time.sleep(2)
            if url.path in state.always_fail or key in state.always_fail:
                return self._send(500, {"error": "broken"})
            if key in state.fail_once or url.path in state.fail_once:
                state.fail_once.discard(key)
                state.fail_once.discard(url.path)
                return self._send(503, {"error": "busy"})
            if url.path == "/services":
                q = parse_qs(url.query)
                if state.max_per_page and int(q.get("per_page", ["50"])[0]) > state.max_per_page:
                    return self._send(400, {"error": "per_page is too large"})
                page, size = int(q.get("page", ["1"])[0]), 3  # a small page: several pages
                ids = list(state.services)
                part = ids[(page - 1) * size : page * size]
                pages = (len(ids) + size - 1) // size
                body = {**listing, "total_items": len(ids), "total_pages": pages,
                        "page_number": page, "size": size, "first_page": page == 1,
                        "last_page": page >= pages, "empty": not part,
                        "contents": [state.page_items(state.services[i]) if state.page_items else
                                     {**listing["contents"][0], "id": i,
                                      "name": state.services[i]["name"]} for i in part]}  # fmt: skip
                return self._send(200, body)
            if url.path.startswith("/services/"):
                sid = url.path.rsplit("/", 1)[1]
                if sid in state.services:
                    return self._send(200, state.services[sid])
            return self._send(404, {"error": "not found"})

        def _send(self, code, body):
            data = json.dumps(body).encode()
            self.send_response(code)
            if state.gzip and "gzip" in (self.headers.get("Accept-Encoding") or ""):
                import gzip

                data = gzip.compress(data)
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    # shutdown() waits for serve_forever's next poll: 0.5 s by default, at every test's end.
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


FAST = ["--rate", "200"]


def _count(db_file) -> int:
    conn = sqlite3.connect(db_file)
    try:
        return conn.execute("SELECT count(*) FROM assets").fetchone()[0]
    finally:
        conn.close()


def test_a_feed_is_paged_read_in_full_and_becomes_a_source(cli, db_file, feed):
    db = ["--db", str(db_file)]
    out = cli(*db, "import", feed.url, *FAST)
    assert "7 added" in out.stderr
    host = feed.url.removeprefix("http://")
    assert f"(source {host})" in out.stderr
    assert feed.hits.count("/services") == 3  # pages of 3, 3 and 1
    assert sorted(h for h in feed.hits if h.startswith("/services/")) == [f"/services/svc-{i}" for i in range(7)]  # fmt: skip
    shown = json.loads(cli(*db, "show", "svc-0", "--format", "json").stdout)
    # Only the full record has these: schedules, cost options, the nested location.
    assert shown["schedule"] == "Thu,Fri 10:00-18:00"
    assert shown["cost"] == "paid"
    assert shown["postcode"] == "ST4 7QB" and shown["lat"] is not None
    assert shown["category"] == "peer support" and shown["source"] == host
    assert json.loads(cli(*db, "show", "svc-6", "--format", "json").stdout)["category"] == "peer support"  # fmt: skip
    listed = {s["name"]: s for s in json.loads(cli(*db, "sources", "--format", "json").stdout)}
    assert listed[host]["kind"] == "feed" and listed[host]["origin"] == feed.url


def test_a_nightly_feed_over_http_keeps_local_edits(cli, db_file, feed):
    db = ["--db", str(db_file)]
    cli(*db, "import", feed.url, *FAST)
    cli(*db, "edit", "svc-1", "--phone", "01782 123456")
    feed.services["svc-2"]["description"] = "Now on Saturdays too"
    again = cli(*db, "import", feed.url, *FAST)
    assert "1 updated" in again.stderr
    assert json.loads(cli(*db, "show", "svc-1", "--format", "json").stdout)["phone"] == "01782 123456"  # fmt: skip
    assert json.loads(cli(*db, "show", "svc-2", "--format", "json").stdout)["description"] == "Now on Saturdays too"  # fmt: skip


def test_a_passing_failure_is_retried(cli, db_file, feed):
    feed.fail_once = {"/services?page=2&per_page=500&full=true", "/services/svc-3"}
    out = cli("--db", str(db_file), "import", feed.url, *FAST)
    assert "7 added" in out.stderr
    assert feed.hits.count("/services/svc-3") == 2


def test_a_feed_that_keeps_failing_writes_nothing(cli, db_file, feed):
    db = ["--db", str(db_file)]
    feed.always_fail = {"/services/svc-5"}
    out = cli(*db, "import", feed.url, *FAST, "--retries", "1", code=1)
    assert f"could not read {feed.url}/services/svc-5 (500 Internal Server Error) after 2 tries; nothing was written" in out.stderr  # fmt: skip
    assert "Traceback" not in out.stderr
    assert _count(db_file) == 0  # svc-0..4 were read fine, and still not written
    assert feed.url.removeprefix("http://") not in cli(*db, "sources", "--format", "json").stdout


@pytest.mark.slow
def test_a_slow_feed_times_out(cli, db_file, feed):
    feed.slow = {"/services"}
    start = time.monotonic()
    out = cli("--db", str(db_file), "import", feed.url, *FAST, "--timeout", "0.3", "--retries", "0", code=1)  # fmt: skip
    assert "timed out" in out.stderr and "nothing was written" in out.stderr
    assert time.monotonic() - start < 2


def test_a_missing_feed_is_not_retried(cli, db_file, feed):
    out = cli("--db", str(db_file), "import", feed.url + "/nowhere", *FAST, code=1)
    assert "answered 404" in out.stderr
    assert len(feed.hits) == 1


@pytest.mark.slow
def test_requests_are_spaced_by_the_rate_limit(cli, db_file, feed):
    start = time.monotonic()
    cli("--db", str(db_file), "import", feed.url, "--rate", "20")
    # 3 pages and 7 services: 10 requests, at least 9 gaps of 1/20 s.
    assert time.monotonic() - start >= 9 / 20
    assert len(feed.hits) == 10


def test_a_feed_source_never_records_a_password_or_key():
    from assetmap.transfer import openreferral_api as api

    url = "https://me:secret@api.example.org/oruk?api_key=k123"
    assert api.source_name(url) == "api.example.org"
    assert api.public_url(url) == "https://api.example.org/oruk"


def test_a_cost_that_is_not_a_number_is_a_row_problem_not_a_traceback(cli, db_file, feed):
    """'£5' in a feed's cost_options crashed the import with a 40-line traceback."""
    db = ["--db", str(db_file)]
    feed.services["svc-3"]["cost_options"][0]["amount"] = "£5"
    out = cli(*db, "import", feed.url, *FAST, code=1)
    assert "service svc-3, column cost: cost_options amount '£5' is not a number" in out.stderr
    assert "Traceback" not in out.stderr and _count(db_file) == 0
    lenient = cli(*db, "import", feed.url, *FAST, "--skip-invalid", code=3)
    assert "6 added" in lenient.stderr


def test_a_feeds_contacts_and_phones_are_kept_public_and_unquoted(cli, db_file, feed):
    """The API import dropped contacts and kept literal quotes in phones."""
    db = ["--db", str(db_file)]
    feed.services["svc-0"]["contacts"][0]["phones"] = [{"id": "p1", "number": '"+44 1234 234567"'}]
    cli(*db, "import", feed.url, *FAST)
    shown = json.loads(cli(*db, "show", "svc-0", "--format", "json").stdout)
    assert shown["phone"] == "+44 1234 234567" and shown["contact_phone"] == ""
    assert "Contact: Ann Persona, Reception Manager" in shown["notes"]
    assert "per 1 hour session" in shown["notes"] and "induction loops" in shown["accessibility"]


def _details(feed) -> list[str]:
    return sorted(h for h in feed.hits if h.startswith("/services/"))


def test_pages_that_carry_whole_services_are_read_without_a_request_each(cli, db_file, feed):
    """A pull of another assetmap (7,612 services) made a /services/{id} request per service:
    26 minutes at 5 a second. Pages asked with full=true that carry the whole service are read
    as they are, after one service is checked against its own /services/{id}."""
    db = ["--db", str(db_file)]
    feed.page_items = copy.deepcopy
    out = cli(*db, "import", feed.url, *FAST)
    assert "7 added" in out.stderr
    assert feed.hits.count("/services") == 3 and _details(feed) == ["/services/svc-0"]
    shown = json.loads(cli(*db, "show", "svc-4", "--format", "json").stdout)
    assert shown["schedule"] == "Thu,Fri 10:00-18:00" and shown["cost"] == "paid"
    assert shown["postcode"] == "BS5 0AA" and "induction loops" in shown["accessibility"]


def test_pages_that_carry_part_of_a_service_are_not_trusted(cli, db_file, feed):
    """A publisher whose list items nest some records but not all (here no schedules): the
    check against /services/{id} differs, so every service is read by id, as before."""
    db = ["--db", str(db_file)]
    feed.page_items = lambda s: {k: copy.deepcopy(v) for k, v in s.items() if k != "schedules"}
    out = cli(*db, "import", feed.url, *FAST)
    assert "7 added" in out.stderr
    assert _details(feed) == [f"/services/svc-{i}" for i in range(7)]
    assert json.loads(cli(*db, "show", "svc-4", "--format", "json").stdout)["schedule"] == "Thu,Fri 10:00-18:00"  # fmt: skip


def test_a_publisher_that_refuses_a_large_page_is_asked_for_the_usual_one(cli, db_file, feed):
    feed.max_per_page = 100
    out = cli("--db", str(db_file), "import", feed.url, *FAST)
    assert "7 added" in out.stderr
    assert feed.hits.count("/services") == 4  # the refused page, then 3 of the usual 50
    assert _details(feed) == [f"/services/svc-{i}" for i in range(7)]


def test_a_category_of_the_publishers_own_assetmap_is_added_not_refused(cli, db_file, feed):
    """Another assetmap's curator added 'men's group' (categories add) and served it: the
    whole pull was refused ('1 of 7 rows is invalid; nothing was written ... not a known
    category'). The category comes with the feed, named by its assetmap attribute."""
    db = ["--db", str(db_file)]
    feed.services["svc-1"]["attributes"][0]["value"] = "Men's  Group"
    out = cli(*db, "import", feed.url, *FAST)
    assert "7 added" in out.stderr and "added the category 'men's group'" in out.stderr
    assert json.loads(cli(*db, "show", "svc-1", "--format", "json").stdout)["category"] == "men's group"  # fmt: skip
    assert "men's group" in cli(*db, "categories").stdout
    again = cli(*db, "import", feed.url, *FAST)
    assert "7 unchanged" in again.stderr and "added the category" not in again.stderr


def test_another_publishers_unknown_term_is_still_a_problem_not_a_category(cli, db_file, feed):
    """Only an assetmap's own category attribute is taken as a category: a council's term
    that maps to none is reported, as before (map it, or give --category)."""
    feed.services["svc-6"]["attributes"][0]["taxonomy_term"]["name"] = "Widgets"
    out = cli("--db", str(db_file), "import", feed.url, *FAST, code=1)
    assert "service svc-6, column category" in out.stderr and "added the category" not in out.stderr
    assert "widgets" not in cli("--db", str(db_file), "categories").stdout


def test_a_feed_answered_gzipped_is_read(cli, db_file, feed):
    """The pull asks for gzip (a page of 500 whole services is megabytes) and reads it."""
    feed.gzip = True
    feed.page_items = copy.deepcopy
    out = cli("--db", str(db_file), "import", feed.url, *FAST)
    assert "7 added" in out.stderr
    assert all("gzip" in a for a in feed.accepted)
    shown = json.loads(cli("--db", str(db_file), "show", "svc-4", "--format", "json").stdout)
    assert shown["schedule"] == "Thu,Fri 10:00-18:00"


def test_a_dry_run_says_it_would_add_the_feeds_category_and_adds_nothing(cli, db_file, feed):
    db = ["--db", str(db_file)]
    feed.services["svc-1"]["attributes"][0]["value"] = "men's group"
    out = cli(*db, "import", feed.url, *FAST, "--dry-run")
    assert "7 would be added" in out.stderr and "would add the category 'men's group'" in out.stderr
    assert "men's group" not in cli(*db, "categories").stdout and _count(db_file) == 0
