"""Open Referral UK over HTTP: read a publisher's API (HSDS 3.0 / ORUK 3.0) into import
records. Giving `assetmap import` a URL is the opt-in to the network; nothing else here runs.

Pages through /services, then reads each service's full record (/services/{id}, with its
service_at_locations nested). Requests are spaced (a rate limit), time out, and are retried on
a dropped connection, a timeout, 429 or 5xx. Every record is read before anything is written: a
feed that fails part-way raises FeedError and the catalogue is left as it was.
"""

from __future__ import annotations

import urllib.parse

from assetmap.errors import FeedError, InvalidValue, counted
from assetmap.transfer.http import Client

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


def read_feed(client: Client, categories: dict[str, str], *, terms: dict[str, str] | None = None,
              default_category: str = ""):  # fmt: skip
    """Every service of the feed, read in full, as import records (label, raw, fields,
    problems). Reads the whole feed before returning, so a failure writes nothing."""
    from assetmap.transfer.openreferral import record

    ids = []
    for page in range(1, MAX_PAGES + 1):
        data = client.get("/services", page=page, per_page=PAGE_SIZE)
        if not isinstance(data, dict):
            raise FeedError(f"{client.base}/services did not answer with a page of services; nothing was written")  # fmt: skip
        # HSDS 3.0 pages say contents, last_page, total_pages; ORUK v1 pages (Outpost,
        # Placecube's v2 API) content, last, totalPages.
        contents = [s for s in _first(data, "contents", "content") or [] if isinstance(s, dict)]
        ids += [s.get("id") for s in contents if s.get("id") not in (None, "")]
        if client.progress:
            client.progress(f"{counted(len(ids), 'service')} listed")
        last = _first(data, "last_page", "last")
        if last is True or not contents or page >= _int(_first(data, "total_pages", "totalPages"), page):  # fmt: skip
            break
    records = []
    for n, sid in enumerate(dict.fromkeys(ids), start=1):
        full = client.get(f"/services/{urllib.parse.quote(str(sid), safe='')}")
        if client.progress and n % 10 == 0:
            client.progress(f"{n} of {len(ids)} services read")
        records.append(record(f"service {sid}", full, categories, terms, default_category))
    return records


def _first(data: dict, *keys: str):
    """The value of the first of `keys` the page has (HSDS 3.0's name, then ORUK v1's)."""
    return next((data[k] for k in keys if data.get(k) is not None), None)


def _int(v, default: int) -> int:
    """A page count as the feed gives it; anything not a whole number is ignored."""
    try:
        return int(v)
    except (TypeError, ValueError, OverflowError):
        return default
