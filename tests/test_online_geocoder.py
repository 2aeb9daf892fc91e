"""Online geocoding through geopy, against a Nominatim look-alike on 127.0.0.1."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

ANSWERS = {
    "10 piccadilly gardens, manchester": [
        {
            "place_id": 1, "licence": "Data © OpenStreetMap contributors, ODbL 1.0.",
            "osm_type": "node", "osm_id": 42, "lat": "53.4808", "lon": "-2.2369",
            "class": "building", "type": "yes", "place_rank": 30, "importance": 0.1,
            "addresstype": "building", "name": "", "display_name":
            "10, Piccadilly Gardens, Manchester, Greater Manchester, England, M1 1RG, United Kingdom",
            "boundingbox": ["53.4807", "53.4809", "-2.2370", "-2.2368"],
        }
    ],
}  # fmt: skip


class FakeNominatim(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        url = urlsplit(self.path)
        q = parse_qs(url.query).get("q", [""])[0].lower()
        FakeNominatim.requests.append(q)
        if url.path != "/search":
            self.send_error(404)
        elif q == "stockport":
            self.send_error(500, "Internal Server Error")
        elif q == "leek":
            time.sleep(1.5)  # longer than the client's timeout
            self._json([])
        else:
            self._json(ANSWERS.get(q, []))

    def _json(self, body):
        data = json.dumps(body).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def nominatim(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNominatim)
    server.block_on_close = False  # server_close() would wait out 'leek''s 1.5 s sleep
    # shutdown() waits for serve_forever's next poll: 0.5 s by default, at every test's end.
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    FakeNominatim.requests = []
    monkeypatch.setenv("ASSETMAP_GEOCODER", "nominatim")
    monkeypatch.setenv("ASSETMAP_GEOCODER_URL", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("ASSETMAP_GEOCODER_DELAY", "0")
    monkeypatch.setenv("ASSETMAP_GEOCODER_TIMEOUT", "0.5")
    monkeypatch.setenv("ASSETMAP_GEOCODER_RETRIES", "0")
    yield FakeNominatim
    server.shutdown()
    server.server_close()


def test_online_answer_is_used_and_cached(cli, nominatim):
    first = json.loads(cli("locate", "10 Piccadilly Gardens, Manchester", "-f", "json").stdout)
    assert first["lat"] == pytest.approx(53.4808) and first["source"] == "nominatim"
    assert first["area"] == "Manchester"
    assert first["radius_km"] < 0.1
    second = json.loads(cli("locate", "10 piccadilly gardens,  Manchester", "-f", "json").stdout)
    assert second["lat"] == first["lat"] and "cached" in second["source"]
    assert nominatim.requests == ["10 piccadilly gardens, manchester"]  # asked once


def test_cache_keeps_no_query_text(cli, nominatim, home):
    import sqlite3

    cli("locate", "10 Piccadilly Gardens, Manchester", "-f", "json")
    conn = sqlite3.connect(home / "catalogue.db")
    assert conn.execute("SELECT count(*) FROM geocode_cache").fetchone() == (1,)
    dump = "\n".join(conn.iterdump()).lower()
    assert "piccadilly" not in dump  # neither the query nor the answer's address is kept


def test_server_error_falls_back_offline_with_a_warning(cli, nominatim):
    result = cli("locate", "Stockport", "-f", "json")
    assert json.loads(result.stdout)["source"] == "offline: GeoNames town"
    assert "did not answer" in result.stderr


def test_timeout_falls_back_offline_with_a_warning(cli, nominatim):
    result = cli("locate", "Leek", "-f", "json")
    assert json.loads(result.stdout)["precision"] in ("place", "council")
    assert "did not answer" in result.stderr
    # ASSETMAP_GEOCODER_RETRIES=0: asked once. geopy's requests adapter (used where requests is
    # installed) retried a timeout twice more on its own, whatever the setting said.
    assert nominatim.requests == ["leek"]


def test_empty_answer_then_unknown_offline_is_a_clear_error(cli, nominatim):
    result = cli("locate", "Nowhere Land Xyz", code=1)
    assert "found nothing" in result.stderr
    assert "not a known postcode, town or council" in result.stderr
    # The empty answer is cached too: asking again does not ask the server again.
    cli("locate", "Nowhere Land Xyz", code=1)
    assert nominatim.requests.count("nowhere land xyz") == 1


def test_live_postcodes_never_leave_the_machine(cli, nominatim):
    out = json.loads(cli("locate", "ST4 7QB", "-f", "json").stdout)
    assert out["precision"] == "postcode"
    assert nominatim.requests == []


def test_postcode_districts_and_sectors_are_answered_offline(cli, nominatim):
    # An online geocoder may read 'M16' as anything; an --avoid M16 must be the district.
    for text, precision in (("M16", "district"), ("m1 3", "sector"), ("M139", "sector")):
        assert json.loads(cli("locate", text, "-f", "json").stdout)["precision"] == precision
    assert nominatim.requests == []


def test_geocode_fills_missing_coordinates_and_is_idempotent(cli, db_file, nominatim):
    import sqlite3

    db = ["--db", str(db_file)]
    cli(*db, "--geocoder", "offline", "add", "--name", "Far Away", "--category", "gym", "--postcode", "ZZ9 9ZZ")  # fmt: skip
    conn = sqlite3.connect(db_file)
    conn.execute("UPDATE assets SET lat = NULL, lon = NULL, postcode = '', address = '10 Piccadilly Gardens, Manchester'")  # fmt: skip
    conn.commit()
    first = cli(*db, "geocode")
    assert "1 placed" in first.stderr
    row = conn.execute("SELECT lat, lon, geo_precision FROM assets").fetchone()
    assert row[0] == pytest.approx(53.4808) and row[2] == "place"
    updated = conn.execute("SELECT updated_at FROM assets").fetchone()
    again = cli(*db, "geocode")
    assert "0 placed, 0 could not be placed" in again.stderr
    assert conn.execute("SELECT updated_at FROM assets").fetchone() == updated
    assert nominatim.requests == ["10 piccadilly gardens, manchester"]


@pytest.mark.slow
def test_retries_log_no_traceback_and_no_query(cli, nominatim, monkeypatch):
    """Regression: geopy's RateLimiter logged 'Called with (*('<the query>',)...' and a
    traceback to stderr on every retry: query text must never be logged."""
    from conftest import run_process

    # A real process: pytest's own log capture would hide what a user's terminal shows.
    monkeypatch.setenv("ASSETMAP_GEOCODER_RETRIES", "1")
    proc = run_process("locate", "Stockport", "-f", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["source"] == "offline: GeoNames town"
    stderr = proc.stderr.decode()
    assert "Traceback" not in stderr
    assert "stockport" not in stderr.lower()
    assert nominatim.requests == ["stockport", "stockport"]  # it did retry


def test_a_postcode_not_in_the_bundled_data_never_leaves_the_machine(cli, nominatim):
    # A new-build or mistyped postcode is still where a person may live: it falls back to its
    # sector offline, with a warning, and is never sent (nor cached under a plain hash).
    result = cli("locate", "ST4 7ZZ", "-f", "json")
    assert json.loads(result.stdout)["precision"] == "sector"
    assert "not a live postcode" in result.stderr
    cli("near", "ST4 7ZZ", "--avoid", "ST4 7ZY", "-f", "json")
    assert nominatim.requests == []


@pytest.mark.parametrize(
    "variable, value",
    [("ASSETMAP_GEOCODER_DELAY", "abc"), ("ASSETMAP_GEOCODER_RETRIES", "x"),
     ("ASSETMAP_GEOCODER_TIMEOUT", "-1"), ("ASSETMAP_GEOCODER_RETRIES", "1.5")],
)  # fmt: skip
def test_a_bad_geocoder_setting_is_one_line_naming_the_variable(
    cli, nominatim, monkeypatch, variable, value
):
    monkeypatch.setenv(variable, value)
    result = cli("locate", "10 Piccadilly Gardens, Manchester", code=1)
    said = [ln for ln in result.stderr.splitlines() if not ln.startswith("assetmap: ")]
    assert len(said) == 1 and said[0].startswith(f"Error: {variable}: '{value}'"), said
    assert nominatim.requests == []
