"""Open Referral UK over HTTP: read a publisher's API (HSDS 3.0 / ORUK 3.0) into import
records. Giving `assetmap import` a URL is the opt-in to the network; nothing else here runs.

Pages through /services, then reads each service's full record (/services/{id}, with its
service_at_locations nested). Requests are spaced (a rate limit), time out, and are retried on
a dropped connection, a timeout, 429 or 5xx. Every record is read before anything is written: a
feed that fails part-way raises FeedError and the catalogue is left as it was.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request

from assetmap.catalogue.models import COLUMNS
from assetmap.errors import FeedError, InvalidValue, counted
from assetmap.transfer.openreferral import (
    ATTRIBUTE_FIELDS,
    LIST_FIELDS,
    STATUS_IN,
    TAXONOMY_ID,
    _problems,
    _schedule_text,
)

USER_AGENT = "assetmap (Open Referral UK import; https://github.com/assetmap)"
PAGE_SIZE = 50
MAX_PAGES = 10_000  # a feed that never says it has ended is a fault, not a reason to loop


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def source_name(url: str) -> str:
    """A feed's source is named after its host (and port): the same feed is the same source."""
    host = urllib.parse.urlsplit(url).netloc.lower().rpartition("@")[2]  # never a password
    if not host:
        raise InvalidValue(
            f"'{url}' has no host; give the Open Referral API's address, e.g. "
            "https://api.example.org/oruk"
        )
    return host


def public_url(url: str) -> str:
    """The URL as recorded on the source: no user, password or query (an API key)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(
        (parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", "")
    )


class Client:
    """GET JSON with a rate limit, a timeout and retries."""

    def __init__(self, base: str, *, timeout: float = 20.0, retries: int = 3,
                 min_interval: float = 0.2, backoff: float = 1.0, progress=None):  # fmt: skip
        self.base = base.rstrip("/")
        self.timeout, self.retries = timeout, retries
        self.min_interval, self.backoff = min_interval, backoff
        self.progress = progress
        self.requests = 0
        self._last = 0.0

    def get(self, path: str, **params) -> dict:
        url = f"{self.base}{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        problem = ""
        for attempt in range(self.retries + 1):
            wait = self._last + self.min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()
            self.requests += 1
            request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"})  # fmt: skip
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body = response.read()
            except urllib.error.HTTPError as exc:
                if exc.code != 429 and exc.code < 500:
                    raise FeedError(f"{url} answered {exc.code} {exc.reason}; nothing was written") from None  # fmt: skip
                problem = f"{exc.code} {exc.reason}"
                retry_after = exc.headers.get("Retry-After", "") if exc.headers else ""
                delay = float(retry_after) if retry_after.isdigit() else self.backoff * 2**attempt
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                reason = getattr(exc, "reason", exc)
                problem = "timed out" if isinstance(reason, TimeoutError) or "timed out" in str(reason) else str(reason)  # fmt: skip
                delay = self.backoff * 2**attempt
            else:
                try:
                    return json.loads(body)
                except ValueError:
                    raise FeedError(f"{url} did not answer with JSON; nothing was written") from None  # fmt: skip
            if attempt < self.retries:
                time.sleep(min(delay, 30.0))
        tries = self.retries + 1
        raise FeedError(
            f"could not read {url} ({problem}) after {tries} {'try' if tries == 1 else 'tries'}; "
            "nothing was written"
        )


def read_feed(client: Client, categories: dict[str, str]):
    """Every service of the feed, read in full, as import records (label, raw, fields,
    problems). Reads the whole feed before returning, so a failure writes nothing."""
    ids = []
    for page in range(1, MAX_PAGES + 1):
        data = client.get("/services", page=page, per_page=PAGE_SIZE)
        contents = data.get("contents") or []
        ids += [s.get("id") for s in contents if s.get("id")]
        if client.progress:
            client.progress(f"{counted(len(ids), 'service')} listed")
        if data.get("last_page") or not contents or page >= int(data.get("total_pages") or page):
            break
    records = []
    for n, sid in enumerate(dict.fromkeys(ids), start=1):
        full = client.get(f"/services/{urllib.parse.quote(str(sid), safe='')}")
        if client.progress and n % 10 == 0:
            client.progress(f"{n} of {len(ids)} services read")
        records.append(_record(full, categories))
    return records


def _record(s: dict, categories: dict[str, str]):
    sid = str(s.get("id") or "")
    label = f"service {sid}"
    sal = s.get("service_at_locations") or []
    loc = next((x.get("location") or {} for x in sal if x.get("location")), {})
    addresses = loc.get("addresses") or []
    addr = next((a for a in addresses if a.get("address_type") == "physical"), addresses[0] if addresses else {})  # fmt: skip
    org = s.get("organization") or {}
    phones = s.get("phones") or [p for c in s.get("contacts") or [] for p in c.get("phones") or []]
    costs = s.get("cost_options") or []
    fields = {
        "id": sid, "name": s.get("name") or org.get("name") or "",
        "description": s.get("description") or "",
        "website": s.get("url") or org.get("website") or "", "email": s.get("email") or "",
        "status": STATUS_IN.get(str(s.get("status") or "active").lower(), ""),
        "min_age": _text(s.get("minimum_age")), "max_age": _text(s.get("maximum_age")),
        "verified_on": _text(s.get("assured_date")),
        "lat": _text(loc.get("latitude")), "lon": _text(loc.get("longitude")),
        "postcode": addr.get("postal_code") or "",
        "address": ", ".join(x for x in (addr.get("address_1"), addr.get("address_2"), addr.get("city")) if x),
        "phone": str((phones[0] if phones else {}).get("number") or ""),
        "schedule": _schedule_text(s.get("schedules") or []),
        "cost": _cost(costs),
    }  # fmt: skip
    terms = []
    for attribute in s.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        code = term.get("code") or term.get("term") or ""
        if (
            term.get("taxonomy") or term.get("taxonomy_id")
        ) == TAXONOMY_ID and code in ATTRIBUTE_FIELDS:
            value = str(attribute.get("value") or "")
            if code in LIST_FIELDS and fields.get(code):
                fields[code] += ";" + value
            else:
                fields[code] = value
        terms.append(str(term.get("name") or ""))
    if not fields.get("category"):
        # A publisher's own taxonomy term that names one of our categories ('Foodbank').
        fields["category"] = next((t for t in terms if t.lower() in categories), "")
    raw = {c: fields.get(c, "") for c in COLUMNS}
    problems = _problems(label, fields, categories)
    return label, raw, (None if problems else fields), problems


def _text(v) -> str:
    return "" if v is None else str(v)


def _cost(costs: list[dict]) -> str:
    amounts = [c.get("amount") for c in costs if c.get("amount") not in (None, "")]
    if not amounts:
        return ""
    return "free" if all(float(a) == 0 for a in amounts) else "paid"
