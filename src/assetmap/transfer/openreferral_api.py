"""Open Referral UK over HTTP: read a publisher's API (HSDS 3.0 / ORUK 3.0) into import
records. Giving `assetmap import URL` is the opt-in to the network; nothing else here runs.

Pages through /services asking for full records (`full=true`, a parameter of the UK profile's
OpenAPI document; another assetmap's `serve` honours it). A list item is a one-to-one summary
by the standard, and then each service's full record is read (/services/{id}, with its
service_at_locations nested), one request each. When the pages do carry nested services, the
first one is checked against its own /services/{id}: if both map to the same fields, the pages
are read as they are (a team's 7,612 services in 16 pages, not 7,612 requests); if not, every
record is read by id as before. Requests are spaced (a rate limit), time out, and are retried
on a dropped connection, a timeout, 429 or 5xx. Every record is read before anything is
written: a feed that fails part-way raises FeedError and the catalogue is left as it was.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterable

from assetmap.errors import FeedError, InvalidValue, counted
from assetmap.transfer.http import Client

PAGE_SIZE = 50  # the page asked for when a publisher refuses a larger one
FULL_PAGE_SIZE = 500  # a page of full services: few requests, each a few MB at most
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


class Feed(list):
    """The feed's services as import records, and the categories of the publisher's own
    assetmap taxonomy that they use and this catalogue lacks (a curator's `categories add`):
    the import adds those (importer.run_import's new_categories), rather than refusing them."""

    new_categories: tuple[str, ...] = ()


def read_feed(client: Client, categories: dict[str, str], *, terms: dict[str, str] | None = None,
              default_category: str = "", scope: str = "") -> Feed:  # fmt: skip
    """Every service of the feed, read in full, as import records (label, raw, fields,
    problems). Reads the whole feed before returning, so a failure writes nothing."""
    from assetmap.transfer.openreferral import record

    services = read_services(client)
    added = served_categories(services.values(), categories)
    known = {**categories, **{c: c for c in added}}
    feed = Feed(record(f"service {sid}", s, known, terms, default_category, scope) for sid, s in services.items())  # fmt: skip
    feed.new_categories = tuple(added)
    return feed


def read_services(client: Client) -> dict[str, dict]:
    """Every service of the feed by id, whole (as /services/{id} gives it), as listed."""
    items = _listed(client)
    probe = next((sid for sid, s in items.items() if _nested(s)), None)
    trusted = False
    if probe is not None:
        # One request tells whether this publisher's pages carry the whole service.
        full = _detail(client, probe)
        trusted = _same_fields(items[probe], full)
        items[probe] = full
    todo = [sid for sid, s in items.items() if sid != probe and not (trusted and _nested(s))]
    for n, sid in enumerate(todo, start=1):
        items[sid] = _detail(client, sid)
        if client.progress and n % 10 == 0:
            client.progress(f"{n} of {len(todo)} services read")
    return items


def _listed(client: Client) -> dict[str, dict]:
    """The /services pages' items by id (the first listing of an id wins)."""
    items: dict[str, dict] = {}
    size, full = FULL_PAGE_SIZE, "true"
    for page in range(1, MAX_PAGES + 1):
        try:
            data = client.get("/services", page=page, per_page=size, full=full)
        except FeedError as exc:
            if page != 1 or exc.status not in (400, 422):
                raise
            # A publisher that refuses a larger page or `full`: ask as before, the standard way.
            size, full = PAGE_SIZE, ""
            data = client.get("/services", page=page, per_page=size)
        if not isinstance(data, dict):
            raise FeedError(f"{client.base}/services did not answer with a page of services; nothing was written")  # fmt: skip
        # HSDS 3.0 pages say contents, last_page, total_pages; ORUK v1 pages (Outpost,
        # Placecube's v2 API) content, last, totalPages.
        listed = _first(data, "contents", "content")
        if not isinstance(listed, list):
            # Neither shape (it was read as no services at all: '0 added', exit 0).
            raise FeedError(
                f"{client.base}/services answered page {page} with no 'contents' (HSDS 3.0) or "
                "'content' (ORUK v1) list of services; give the Open Referral API's base "
                "address; nothing was written"
            )  # fmt: skip
        contents = [s for s in listed if isinstance(s, dict)]
        for s in contents:
            if s.get("id") not in (None, ""):
                items.setdefault(str(s["id"]), s)
        if client.progress:
            client.progress(f"{counted(len(items), 'service')} listed")
        last = _first(data, "last_page", "last")
        if last is True or not contents or page >= _int(_first(data, "total_pages", "totalPages"), page):  # fmt: skip
            break
    return items


def _detail(client: Client, sid: str):
    return client.get(f"/services/{urllib.parse.quote(str(sid), safe='')}")


def _nested(item: dict) -> bool:
    """Whether a list item carries nested records (a summary has one-to-one fields only)."""
    return any(isinstance(v, list) and v for v in item.values())


def _same_fields(item: dict, full: dict) -> bool:
    """Whether a page's item and the same service by id map to the same asset fields."""
    from assetmap.transfer.hsds import service_fields

    def fields(s):
        return service_fields(s, categories={})[0]

    return fields(item) == fields(full)


def served_categories(services: Iterable, categories: dict[str, str]) -> list[str]:
    """The categories the services' assetmap attributes name that `categories` (lower-case
    name -> name) lacks, as the publisher's assetmap writes them: another assetmap's own."""
    from assetmap.transfer.hsds import category_attributes

    new: dict[str, str] = {}
    for service in services:
        for value in category_attributes(service):
            name = " ".join(value.split()).lower()
            if name and len(name) <= MAX_CATEGORY and name not in categories:
                new.setdefault(name, name)
    return list(new)


MAX_CATEGORY = 60


def _first(data: dict, *keys: str):
    """The value of the first of `keys` the page has (HSDS 3.0's name, then ORUK v1's)."""
    return next((data[k] for k in keys if data.get(k) is not None), None)


def _int(v, default: int) -> int:
    """A page count as the feed gives it; anything not a whole number is ignored."""
    try:
        return int(v)
    except (TypeError, ValueError, OverflowError):
        return default
