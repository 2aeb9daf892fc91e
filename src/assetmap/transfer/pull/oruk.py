"""An Open Referral UK API (a council's directory) as a pulled source: paged and read as
`assetmap import URL` reads it (openreferral_api.read_feed, each service mapped by the one Open
Referral mapping, transfer.hsds), and recorded so `sources update` refreshes it."""

from __future__ import annotations

from assetmap.transfer.openreferral_api import Feed, read_feed

NAME = "oruk"
TITLE = "Open Referral UK directory (API)"
LICENCE = ""  # each publisher's own: record it with the publisher's terms
ATTRIBUTION = ""
URL = ""
ENV = "ASSETMAP_ORUK_URL"
NEEDS_AREA = False
MIN_INTERVAL = 0.2


def read(client, *, url: str, area, categories, progress=None, terms=None, scope=""):
    client.base = url.rstrip("/")
    records = read_feed(client, categories, terms=terms, scope=scope)
    if area is None:
        return records
    inside = Feed(r for r in records if r[2] is None or _inside(area, r[2]))
    inside.new_categories = records.new_categories
    return inside


def _inside(area, fields) -> bool:
    try:
        return area.contains(float(fields.get("lat") or "nan"), float(fields.get("lon") or "nan"))
    except ValueError:
        return True  # placed from its postcode later: kept
