"""A loopback server speaking the online sources' formats, for `sources pull` tests and the
benchmark: Overpass (POST /api/interpreter, a recorded JSON answer), Give Food's API
(/api/2/foodbanks/, /api/2/locations/) and daily dump (/dumps/foodbanks.csv), an OpenActive
RPDE feed (/feeds/session-series, paged) and faults on demand. The recorded answers are
under tests/data/pull/ (where each came from: README, "Pulling open data online")."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

DATA = Path(__file__).parent / "data" / "pull"
RPDE_LICENSE = "https://creativecommons.org/licenses/by/4.0/"


def session(i: int, name: str, activity: str, lat: float, lon: float, postcode: str, days,
            start: str, end: str, price: float) -> dict:  # fmt: skip
    """One SessionSeries in the shape of OpenActive's published examples (Modelling
    Opportunity Data 2.0: Place with PostalAddress and GeoCoordinates, activity Concepts from
    the OpenActive activity list, a PartialSchedule, Offers)."""
    return {
        "@context": ["https://openactive.io/", "https://openactive.io/ns-beta"],
        "type": "SessionSeries", "id": f"https://example.org/session-series/{i}",
        "url": f"https://example.org/session-series/{i}", "name": name,
        "description": f"<p>{name}: all welcome.</p>",
        "location": {"type": "Place", "id": f"https://example.org/place/{i % 3}",
                     "name": ["Plymouth Life Centre", "Central Park Pavilion", "Devonport Guildhall"][i % 3],
                     "address": {"type": "PostalAddress", "streetAddress": "Central Park",
                                 "addressLocality": "Plymouth", "postalCode": postcode,
                                 "addressCountry": "GB"},
                     "geo": {"type": "GeoCoordinates", "latitude": lat, "longitude": lon}},
        "activity": [{"type": "Concept", "id": "https://openactive.io/activity-list#" + activity[:8],
                      "inScheme": "https://openactive.io/activity-list", "prefLabel": activity}],
        "eventSchedule": [{"type": "PartialSchedule", "repeatFrequency": "P7D",
                           "startTime": start, "endTime": end,
                           "byDay": [f"https://schema.org/{d}" for d in days]}],
        "organizer": {"type": "Organization", "name": "Plymouth Active Leisure"},
        "offers": [{"type": "Offer", "id": f"https://example.org/offer/{i}", "price": price,
                    "priceCurrency": "GBP"}],
    }  # fmt: skip


SESSIONS = [
    session(1, "Walking Football", "Walking Football", 50.3868, -4.1450, "PL2 3DQ", ["Tuesday"], "10:00:00", "11:00:00", 3.5),
    session(2, "Gentle Swim", "Swimming", 50.3868, -4.1450, "PL2 3DQ", ["Monday", "Wednesday"], "07:00:00", "08:30:00", 4.2),
    session(3, "Park Yoga", "Yoga", 50.3880, -4.1480, "PL2 3DQ", ["Saturday"], "09:00:00", "10:00:00", 0),
    session(4, "Buggy Walk", "Walking", 50.3880, -4.1480, "PL2 3DQ", ["Thursday"], "13:00:00", "14:00:00", 0),
    session(5, "Circuits", "Circuit Training", 50.3700, -4.1500, "PL1 1DS", ["Friday"], "18:00:00", "19:00:00", 6.0),
]  # fmt: skip


# An OpenActive dataset site as the dataset-site-template publishes one: an HTML page with its
# Dataset in JSON-LD, whose distribution lists each RPDE feed (DataDownload).
DATASET_SITE = """<!DOCTYPE html><html><head><title>Plymouth Active Leisure Open Data</title>
<script type="application/ld+json">
{"@context": ["https://schema.org/", "https://openactive.io/"], "@type": "Dataset",
 "@id": "{url}/openactive/dataset-site", "name": "Plymouth Active Leisure Sessions",
 "license": "https://creativecommons.org/licenses/by/4.0/",
 "publisher": {"@type": "Organization", "name": "Plymouth Active Leisure"},
 "distribution": [
  {"@type": "DataDownload", "name": "SessionSeries", "additionalType": "https://openactive.io/SessionSeries",
   "encodingFormat": "application/vnd.openactive.rpde+json; version=1", "contentUrl": "{url}/feeds/session-series"},
  {"@type": "DataDownload", "name": "FacilityUse", "additionalType": "https://openactive.io/FacilityUse",
   "encodingFormat": "application/vnd.openactive.rpde+json; version=1", "contentUrl": "{url}/feeds/facility-uses"}
 ]}
</script></head><body><h1>Plymouth Active Leisure Open Data</h1></body></html>
"""


class _Quiet(ThreadingHTTPServer):
    """A client that hangs up (a timeout, a body cut short) is no error of the server's: its
    traceback would land in the stderr of the command under test."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


class PullServer:
    def __init__(self):
        self.overpass = json.loads((DATA / "overpass_plymouth.json").read_text())
        self.foodbanks = json.loads((DATA / "givefood_foodbanks.json").read_text())
        self.locations = json.loads((DATA / "givefood_locations.json").read_text())
        self.dump = (DATA / "givefood_dump_foodbanks.csv").read_bytes()
        self.sessions = list(SESSIONS)
        self.deleted: list[str] = []  # session ids whose last page says deleted
        self.page_size = 2
        self.fault: dict[str, str] = {}  # path -> 429|slow|truncated|invalid|remark|loop|500
        self.hits: list[tuple[str, str, str]] = []  # (method, path, user agent)
        self.bodies: list[str] = []
        self._server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def env(self) -> dict[str, str]:
        return {
            "ASSETMAP_OVERPASS_URL": f"{self.url}/api/interpreter",
            "ASSETMAP_GIVEFOOD_URL": f"{self.url}/api/2/",
        }

    def rpde(self, after: int) -> dict:
        items = [{"state": "updated", "kind": "SessionSeries", "id": s["id"].rsplit("/", 1)[1],
                  "modified": 1000 + i, "data": s} for i, s in enumerate(self.sessions)]  # fmt: skip
        items += [{"state": "deleted", "kind": "SessionSeries", "id": d, "modified": 5000 + n}
                  for n, d in enumerate(self.deleted)]  # fmt: skip
        part = items[after : after + self.page_size]
        nxt = f"{self.url}/feeds/session-series?afterId={after + len(part)}"
        return {"next": nxt, "items": part, "license": RPDE_LICENSE}

    def start(self):
        state = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                state.bodies.append(self.rfile.read(length).decode())
                self._answer("POST")

            def do_GET(self):
                self._answer("GET")

            def _answer(self, method):
                url = urlsplit(self.path)
                state.hits.append((method, url.path, self.headers.get("User-Agent", "")))
                fault = state.fault.get(url.path, "")
                if fault == "429":
                    state.fault.pop(url.path)  # once
                    return self._send(429, b"Too Many Requests", "text/plain", {"Retry-After": "1"})
                if fault == "429-long":
                    return self._send(
                        429, b"Too Many Requests", "text/plain", {"Retry-After": "3600"}
                    )
                if fault == "500":
                    return self._send(500, b"broken", "text/plain")
                if fault == "slow":
                    time.sleep(1.5)
                if fault == "invalid":
                    return self._send(200, b"<html>Service Unavailable</html>", "application/json")
                if url.path == "/api/interpreter":
                    body = dict(state.overpass)
                    if fault == "remark":
                        body = {**body, "elements": body["elements"][:2],
                                "remark": 'runtime error: Query timed out in "query" at line 3 after 91 seconds.'}  # fmt: skip
                    return self._json(body, truncated=fault == "truncated")
                if url.path == "/api/2/foodbanks/":
                    return self._json(state.foodbanks, truncated=fault == "truncated")
                if url.path == "/api/2/locations/":
                    return self._json(state.locations)
                if url.path == "/dumps/foodbanks.csv":
                    return self._send(200, state.dump, "text/csv")
                if url.path == "/openactive/dataset-site":
                    site = DATASET_SITE.replace("{url}", state.url)
                    return self._send(200, site.encode(), "text/html; charset=utf-8")
                if url.path == "/feeds/session-series":
                    after = int(parse_qs(url.query).get("afterId", ["0"])[0])
                    page = state.rpde(after)
                    if fault == "loop" and after >= 2:
                        page["next"] = f"{state.url}/feeds/session-series?afterId=2"
                    return self._json(page)
                return self._send(404, b"not found", "text/plain")

            def _json(self, body, truncated=False):
                self._send(200, json.dumps(body).encode(), "application/json", truncated=truncated)

            def _send(self, code, data, ctype, headers=None, truncated=False):
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                if truncated:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data[: len(data) // 2] if truncated else data)
                if truncated:
                    self.close_connection = True

        self._server = _Quiet(("127.0.0.1", 0), Handler)
        # shutdown() waits for serve_forever's next poll: 0.5 s by default, at every test's end.
        threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True).start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
