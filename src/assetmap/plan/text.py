"""The words both renderings share: each place's facts in order, and the plan's small print."""

from __future__ import annotations

from assetmap.plan import walking
from assetmap.plan.model import ASK_THERE

PRIVACY = "This plan holds no case reference."
MAP_PRIVACY = (
    "The map shows your area as a circle round the centre of your postcode sector, not your "
    "address."
)
ATTRIBUTION = (
    "Maps and places: Contains OS data © Crown copyright and database right 2025; Contains "
    "National Statistics data © Crown copyright and database right 2025 (OGL v3); Wales and "
    'Northern Ireland boundaries: "GeoJSON and TopoJSON UK Boundary Data", Martin Chorley, '
    "CC BY 4.0."
)


# Where to plan a journey by bus or train anywhere in Great Britain (Traveline, the public
# transport operators' own journey planner), said for a place beyond a comfortable walk.
JOURNEY_PLANNER = "By bus or train: plan the journey at traveline.info."


def facts(item, full: bool = False) -> list[tuple[str, str, bool]]:
    """(label, text, spans both columns) for one place, in the order the plan shows them.
    `full` (a page with room, and the case-notes copy): more dates, how to get there by bus
    when it is beyond a walk, who it is for, access and what to bring, where recorded."""
    a = item.asset
    when = "; ".join(item.more_dates if full else item.next_dates) or item.when_note
    unreachable = not item.next_dates and not item.contact
    if unreachable:
        when = ASK_THERE
    if item.status_note:
        when = f"{item.status_note} {when}"
    where = postal_address(a.address, a.postcode) or a.area or "Address not recorded"
    how_far = "; ".join(p for p in (item.distance_text, item.walk) if p)
    contact = " · ".join(_short_web(c) for c in item.contact) or "No contact details recorded"
    cost = " ".join(p for p in (f"{item.cost}.", item.referral) if p)
    rows = [
        ("When", when, True),
        ("Where", where, False),
        ("How far", how_far, False),
        *([] if unreachable else [("Contact", contact, True)]),
        ("Cost", cost, False),
        (
            "Can someone go with you",
            " ".join(p for p in (item.went_along, item.going_along) if p),
            False,
        ),
        ("Good to know", " ".join(item.flags), True),
    ]
    if full:
        far = item.distance_km is not None and walking.walking_minutes(item.distance_km) is None
        rows[3:3] = [("Getting there", JOURNEY_PLANNER, True)] if far else []
        rows += [
            ("Who it is for", who_for(a), False),
            ("Access", " ".join(a.accessibility.split()), False),
            ("What to bring", _sentence(item.to_bring()), True),
        ]
    return [fact for fact in rows if fact[1]]  # nothing to say: no line


def who_for(a) -> str:
    """'Women, 18 and over'; '' for anyone."""
    lo, hi = a.min_age, a.max_age
    ages = (
        f"{lo} to {hi}" if lo is not None and hi is not None
        else f"{lo} and over" if lo is not None
        else f"up to {hi}" if hi is not None
        else ""
    )  # fmt: skip
    who = {"women": "Women", "men": "Men"}.get(a.gender or "", "")
    return ", ".join(p for p in (who, ages) if p)


def _sentence(items: list[str]) -> str:
    if not items:
        return ""
    text = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return text[0].upper() + text[1:] + "."


COUNTRIES = frozenset({"england", "scotland", "wales", "united kingdom", "uk", "great britain"})


def postal_address(address: str | None, postcode: str | None) -> str:
    """The address on one line, then the postcode once: Give Food's addresses end with the
    postcode (and often 'England'), so adding the postcode field printed it twice."""
    key = "".join((postcode or "").split()).upper()
    parts = [p.strip() for p in (address or "").replace("\n", ",").split(",")]
    parts = [p for p in parts if p and "".join(p.split()).upper() != key]
    while parts and parts[-1].lower() in COUNTRIES:
        parts.pop()
    return ", ".join([*parts, postcode] if postcode else parts)


def _short_web(contact: str) -> str:
    """A web address as a person types it: without 'https://' and 'www.'."""
    for prefix in ("https://", "http://", "www."):
        if contact.startswith(prefix):
            contact = contact[len(prefix) :]
    return contact.rstrip("/")
