"""Give Food's public API (givefood.org.uk/api/2/): every UK food bank (/foodbanks/) and each
of their distribution locations (/locations/), with the food bank's network. Public domain;
Give Food asks for a credit link. A Trussell Trust food bank needs a voucher."""

from __future__ import annotations

from assetmap.errors import FeedError
from assetmap.transfer.givefood import api_fields

NAME = "givefood"
TITLE = "Give Food: UK food banks and their locations (API)"
LICENCE = "public domain (Unlicense)"
ATTRIBUTION = "Give Food (https://www.givefood.org.uk)"
URL = "https://www.givefood.org.uk/api/2/"
ENV = "ASSETMAP_GIVEFOOD_URL"
NEEDS_AREA = False
MIN_INTERVAL = 1.0


def read(client, *, url: str, area, categories, progress=None):
    base = url if url.endswith("/") else url + "/"
    foodbanks = client.json(base + "foodbanks/")
    locations = client.json(base + "locations/")
    for what, data in (("foodbanks", foodbanks), ("locations", locations)):
        if not isinstance(data, list):
            raise FeedError(f"{base}{what}/ did not answer with Give Food's list; nothing was written")  # fmt: skip
    if progress:
        progress(f"{len(foodbanks)} food banks and {len(locations)} locations read")
    networks = {
        str(f["slug"]): str(f.get("network") or "")
        for f in foodbanks
        if isinstance(f, dict) and f.get("slug")
    }
    records: list[tuple[str, dict, dict, list]] = []
    for item in foodbanks + locations:
        if not isinstance(item, dict):
            continue
        fields = api_fields(item, networks)
        if area is not None and not _inside(area, fields):
            continue
        records.append((f"food bank {fields['name']}", fields, fields, []))
    return records


def _inside(area, fields) -> bool:
    try:
        return area.contains(float(fields["lat"]), float(fields["lon"]))
    except ValueError:
        return False
