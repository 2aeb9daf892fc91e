"""Give Food's published food bank CSV (givefood.org.uk: name, slug, url, phone, email,
address, postcode, district, closed, latt_long, network, ...), recognised by its header and
mapped to assets. A Trussell Trust food bank needs a voucher from a referral agency."""

from __future__ import annotations

import re

# Columns only Give Food's layout has together.
SIGNATURE = {"slug", "latt_long", "network", "closed"}
TRUSSELL = "Trussell"
VOUCHER = "Trussell Trust food bank: a voucher from a referral agency (Citizens Advice, a GP, a support worker) is needed"


RECOGNISED = (
    "recognised Give Food's food bank layout: each row is a foodbank (Trussell Trust ones "
    "need a voucher: referral-needed; closed ones are closed)"
)


def matches(header: list[str]) -> bool:
    return {h.strip().lower() for h in header} >= SIGNATURE


def to_fields(raw: dict) -> dict[str, str]:
    """One Give Food row as asset fields (text, validated like any other row)."""
    r = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if isinstance(k, str)}
    lat, _, lon = r.get("latt_long", "").partition(",")
    trussell = r.get("network", "").lower() == TRUSSELL.lower()
    email = re.search(r"[^@\s]+@[^@\s]+\.[^@\s]+", r.get("email", ""))
    return {
        "name": r.get("name", ""), "category": "foodbank", "tags": "food;foodbank",
        "address": r.get("address", ""), "postcode": r.get("postcode", ""),
        "area": r.get("district", ""), "lat": lat.strip(), "lon": lon.strip(),
        "phone": r.get("phone", ""), "email": email.group(0) if email else "",
        "website": r.get("url", ""), "cost": "free",
        "referral": "referral-needed" if trussell else "",
        "description": VOUCHER if trussell else "",
        "status": "closed" if r.get("closed", "").lower() == "true" else "active",
        "capital": "bonding",
    }  # fmt: skip
