"""OpenActive: sessions (SessionSeries, and events and courses of the same shape) from an
RPDE feed (Realtime Paged Data Exchange 1.0), open data under CC BY. A feed is read page by
page, following `next` to the end (a page with no items); a later item replaces an earlier
one of the same id and a `deleted` item takes it out. Each session becomes an asset with its
real days, times and price, and the OpenActive activity list's labels become its tags."""

from __future__ import annotations

import json
import re
import urllib.parse
import zlib

from assetmap.errors import FeedError

NAME = "openactive"
TITLE = "OpenActive sessions (RPDE feed)"
LICENCE = "CC BY 4.0"
ATTRIBUTION = "OpenActive data publishers, via the feed named in origin"
URL = ""  # a feed URL is always given: each publisher has its own
ENV = "ASSETMAP_OPENACTIVE_URL"
NEEDS_AREA = False
MIN_INTERVAL = 0.2
MAX_PAGES = 5_000
KINDS = {"sessionseries", "event", "courseinstance", "eventseries", "headlineevent", "course"}

# Words in an activity's label -> (category, extra tags), first match wins.
ACTIVITY = [
    ("walking football", "sports club", ["football", "walking football", "sport"]),
    ("football", "sports club", ["football", "sport", "team"]),
    ("swim", "leisure centre", ["swimming", "fitness"]), ("aqua", "leisure centre", ["swimming", "fitness"]),
    ("walk", "walking group", ["walking", "outdoors"]), ("nordic", "walking group", ["walking", "outdoors"]),
    ("run", "running group", ["running", "fitness"]), ("jog", "running group", ["running", "fitness"]),
    ("yoga", "gym", ["yoga", "fitness", "exercise"]), ("pilates", "gym", ["pilates", "fitness", "exercise"]),
    ("gym", "gym", ["gym", "fitness"]), ("fitness", "gym", ["fitness", "exercise"]),
    ("circuit", "gym", ["fitness", "exercise"]), ("spin", "gym", ["cycling", "fitness"]),
    ("cycl", "gym", ["cycling", "fitness"]), ("box", "gym", ["boxing", "fitness"]),
    ("zumba", "gym", ["dance", "fitness"]), ("dance", "gym", ["dance", "fitness"]),
    ("aerobic", "gym", ["fitness", "exercise"]), ("strength", "gym", ["fitness", "exercise"]),
]  # fmt: skip
DAYS = {"monday": "Mon", "tuesday": "Tue", "wednesday": "Wed", "thursday": "Thu",
        "friday": "Fri", "saturday": "Sat", "sunday": "Sun"}  # fmt: skip


def read(client, *, url: str, area, categories, progress=None):
    if not url:
        raise FeedError("openactive needs the feed's URL: assetmap sources pull openactive URL")
    feeds, first = feed_urls(client, url)
    items: dict[str, dict] = {}
    for feed in feeds:
        found = read_feed(client, feed, progress, first=first if feed == url else None)
        # Ids are the publisher's per feed: two feeds of one dataset site may share one.
        items.update(found if len(feeds) == 1 else {f"{feed}#{k}": v for k, v in found.items()})
    records: list[tuple[str, dict, dict, list]] = []
    for item_id, item in items.items():
        fields = to_fields(item_id, item.get("data") or {})
        if fields is None:
            continue
        if area is not None and not area.contains(_float(fields["lat"]), _float(fields["lon"])):
            continue
        records.append((f"item {item_id}", fields, fields, []))
    return records


def feed_urls(client, url: str) -> tuple[list[str], dict | None]:
    """The session feeds a URL gives: itself when it is an RPDE feed (with its first page, read
    already), or those an OpenActive dataset site lists (its JSON-LD Dataset's distribution:
    DataDownloads whose additionalType is a session kind)."""
    body = client.fetch(url, accept="application/json, application/ld+json, text/html")
    text = body.decode("utf-8", "replace")
    data = None
    try:
        data = json.loads(text)
    except ValueError:
        found = re.search(r'<script[^>]*type=["\']application/ld\+json["\'][^>]*>(.*?)</script>', text, re.S | re.I)  # fmt: skip
        if found:
            try:
                data = json.loads(found.group(1))
            except ValueError:
                data = None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        return [url], data
    if not isinstance(data, dict) or not isinstance(data.get("distribution"), list):
        raise FeedError(f"{url} is neither an RPDE feed nor an OpenActive dataset site; nothing was written")  # fmt: skip
    feeds = []
    for d in data["distribution"]:
        if not isinstance(d, dict) or not d.get("contentUrl"):
            continue
        kind = str(d.get("additionalType") or d.get("name") or "").rsplit("/", 1)[-1].lower()
        if kind in KINDS:
            feeds.append(urllib.parse.urljoin(url, str(d["contentUrl"])))
    if not feeds:
        raise FeedError(f"the dataset site {url} lists no session feeds (SessionSeries, Event, CourseInstance); nothing was written")  # fmt: skip
    return list(dict.fromkeys(feeds)), None


def read_feed(client, url: str, progress=None, first: dict | None = None) -> dict[str, dict]:
    """Every live item of the feed by id, after following it to the end."""
    live: dict[str, dict] = {}
    seen_pages: set[str] = set()
    page_url = url
    for page in range(1, MAX_PAGES + 1):
        data = first if page == 1 and first is not None else client.json(page_url)
        if not isinstance(data, dict) or not isinstance(data.get("items"), list):
            raise FeedError(f"{page_url} is not an RPDE page (no items list); nothing was written")  # fmt: skip
        for item in data["items"]:
            if not isinstance(item, dict) or item.get("id") is None:
                continue
            key = str(item["id"])
            if str(item.get("state", "")).lower() == "deleted":
                live.pop(key, None)
            elif str(item.get("kind", "")).lower() in KINDS:
                live[key] = item
        seen_pages.add(page_url)
        nxt = data.get("next")
        if progress:
            progress(f"page {page}: {len(live)} sessions so far")
        if not data["items"] or not nxt:
            return live  # RPDE: the last page has no items (and points to itself)
        nxt = urllib.parse.urljoin(page_url, str(nxt))
        if nxt in seen_pages:  # a page with items must lead on, never back
            raise FeedError(f"the feed's pages loop ({nxt} again after page {page}); nothing was written")  # fmt: skip
        page_url = nxt
    raise FeedError(f"the feed did not end within {MAX_PAGES} pages; nothing was written")


def to_fields(item_id: str, data: dict) -> dict[str, str] | None:
    if not isinstance(data, dict):
        return None
    name = str(data.get("name") or "").strip()
    # Any part of an item may have any shape (found by fuzzing this mapping): what is not the
    # shape OpenActive gives is left out, never a traceback.
    location = data.get("location") or _dict(data.get("superEvent")).get("location") or {}
    if not isinstance(location, dict):
        return None
    geo = _dict(location.get("geo"))
    address = location.get("address") or {}
    if isinstance(address, str):
        address = {"streetAddress": address}
    address = _dict(address)
    lat, lon = geo.get("latitude"), geo.get("longitude")
    postcode = str(address.get("postalCode") or "")
    if not name or ((lat is None or lon is None) and not postcode):
        return None
    labels = [str(a.get("prefLabel") or "") for a in _list(data.get("activity")) if isinstance(a, dict)]  # fmt: skip
    labels = [x for x in labels if x] or [name]
    category, tags = "sports club", []
    for label in labels:
        tags.append(label.lower())
    for label in labels:
        found = next(((c, t) for word, c, t in ACTIVITY if word in label.lower()), None)
        if found:
            category, extra = found
            tags += extra
            break
    venue = str(location.get("name") or "")
    street = ", ".join(str(x) for x in (venue, address.get("streetAddress"), address.get("addressLocality")) if x)  # fmt: skip
    organizer = data.get("organizer") or {}
    from assetmap.catalogue.models import make_id

    ref = f"oa{zlib.crc32(item_id.encode()):08x}"
    lat_f, lon_f = _float(lat), _float(lon)
    placed = lat_f is not None and lon_f is not None  # one of them alone places nothing
    base = make_id(name, postcode, lat_f, lon_f) if (postcode or placed) else name
    return {
        "id": f"{base[: 79 - len(ref)].rstrip('-')}-{ref}",
        "name": name, "category": category, "tags": ";".join(dict.fromkeys(tags)),
        "description": _text(data.get("description"))[:500] or (f"Run by {organizer.get('name')}" if isinstance(organizer, dict) and organizer.get("name") else ""),
        "address": street, "postcode": postcode,
        "lat": "" if lat_f is None else str(lat_f), "lon": "" if lon_f is None else str(lon_f),
        "website": str(data.get("url") or ""),
        "schedule": schedule(_list(data.get("eventSchedule"))),
        "cost": cost(_list(data.get("offers"))),
        "notes": f"OpenActive item {item_id}",
    }  # fmt: skip


def schedule(schedules: list) -> str:
    """'Mon,Wed 20:15-20:45' from a PartialSchedule (byDay, startTime, endTime)."""
    out = []
    for s in schedules:
        if not isinstance(s, dict):
            continue
        days = [DAYS.get(str(d).rsplit("/", 1)[-1].lower()) for d in _list(s.get("byDay"))]
        start, end = str(s.get("startTime") or "")[:5], str(s.get("endTime") or "")[:5]
        if all(days) and days and re.fullmatch(r"\d\d:\d\d", start) and re.fullmatch(r"\d\d:\d\d", end):  # fmt: skip
            out.append(f"{','.join(d for d in days if d)} {start}-{end}")
    return "; ".join(out)


def cost(offers: list) -> str:
    prices = []
    for o in offers:
        try:
            prices.append(float(o.get("price")))
        except (TypeError, ValueError, AttributeError):
            continue
    if not prices:
        return ""
    low = min(prices)
    return "free" if low == 0 else "low" if low <= 5 else "paid"


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _text(value) -> str:
    return re.sub(r"<[^>]+>", " ", str(value or "")).strip()


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
