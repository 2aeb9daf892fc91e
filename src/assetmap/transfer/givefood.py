"""Give Food's food banks (givefood.org.uk), public domain: its published food bank CSV (name,
slug, url, phone, email, address, postcode, district, closed, latt_long, network, ...), its
daily dump CSV (id, organisation_name, ..., location_name, ..., lat_lng, ..., network, ...: one
row per food bank and one per location), and its API's JSON, each recognised and mapped to
assets. A Trussell Trust food bank needs a voucher from a referral agency."""

from __future__ import annotations

import re

# Columns only Give Food's layouts have together: the food bank CSV, and the daily dump.
SIGNATURE = {"slug", "latt_long", "network", "closed"}
DUMP_SIGNATURE = {"organisation_name", "organisation_slug", "location_name", "lat_lng", "network"}
VOUCHER = "Trussell Trust food bank: a voucher from a referral agency (Citizens Advice, a GP, a support worker) is needed"


RECOGNISED = (
    "recognised Give Food's food bank layout: each row is a foodbank (Trussell Trust ones "
    "need a voucher: referral-needed; closed ones are closed)"
)
RECOGNISED_DUMP = (
    "recognised Give Food's daily dump: each row is a food bank or one of its locations "
    "(Trussell Trust ones need a voucher: referral-needed)"
)


def matches(header: list[str]) -> bool:
    names = {h.strip().lower() for h in header}
    return names >= SIGNATURE or names >= DUMP_SIGNATURE


def is_dump(header: list[str]) -> bool:
    return {h.strip().lower() for h in header} >= DUMP_SIGNATURE


def needs_voucher(network: str) -> bool:
    """Give Food writes the network 'Trussell Trust' (older lists: 'Trussell')."""
    return "trussell" in (network or "").lower()


def to_fields(raw: dict) -> dict[str, str]:
    """One Give Food row (the food bank CSV or the daily dump) as asset fields (text,
    validated like any other row)."""
    r = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if isinstance(k, str)}
    if "organisation_name" in r:  # the daily dump
        location = r.get("location_name", "")
        name = f"{location} ({r['organisation_name']})" if location else r["organisation_name"]
        return _fields(
            name=name, network=r.get("network", ""), latlng=r.get("lat_lng", ""),
            address=r.get("address", ""), postcode=r.get("postcode", ""),
            district=r.get("district", ""), phone=r.get("phone_number", ""),
            email=r.get("email", ""), url=r.get("url", ""), closed=False,
        )  # fmt: skip
    return _fields(
        name=r.get("name", ""), network=r.get("network", ""), latlng=r.get("latt_long", ""),
        address=r.get("address", ""), postcode=r.get("postcode", ""),
        district=r.get("district", ""), phone=r.get("phone", ""), email=r.get("email", ""),
        url=r.get("url", ""), closed=r.get("closed", "").lower() == "true",
    )  # fmt: skip


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def api_fields(item: dict, networks: dict[str, str]) -> dict[str, str]:
    """One food bank or location of Give Food's API (/api/2/foodbanks/, /api/2/locations/)."""
    foodbank = item.get("foodbank") if isinstance(item.get("foodbank"), dict) else None
    politics = _dict(item.get("politics"))
    urls = _dict(item.get("urls"))
    name = str(item.get("name") or "").strip()
    if foodbank is not None:  # a location: named with its food bank, which has the network
        network = foodbank.get("network") or networks.get(foodbank.get("slug"), "")
        name = f"{name} ({foodbank.get('name')})" if foodbank.get("name") else name
        homepage = ""
    else:
        network = item.get("network") or ""
        homepage = urls.get("homepage") or ""
    return _fields(
        name=name, network=str(network), latlng=str(item.get("lat_lng") or item.get("latt_long") or ""),
        address=str(item.get("address") or ""), postcode=str(item.get("postcode") or ""),
        district=str(politics.get("district") or ""), phone=str(item.get("phone") or ""),
        email=str(item.get("email") or ""), url=str(homepage),
        closed=item.get("closed") is True,
    )  # fmt: skip


def _fields(*, name, network, latlng, address, postcode, district, phone, email, url, closed):
    lat, _, lon = latlng.partition(",")
    voucher = needs_voucher(network)
    found = re.search(r"[^@\s]+@[^@\s]+\.[^@\s]+", email)
    return {
        "name": name, "category": "foodbank", "tags": "food;foodbank",
        "address": address,
        "postcode": postcode, "area": district, "lat": lat.strip(), "lon": lon.strip(),
        "phone": phone, "email": found.group(0) if found else "", "website": url,
        "cost": "free", "referral": "referral-needed" if voucher else "",
        "description": VOUCHER if voucher else "",
        "status": "closed" if closed else "active", "capital": "bonding",
    }  # fmt: skip
