"""The plan: for each chosen asset, what the person needs to go there, in plain words.

Built from catalogue records only (the public fields: never the team's named contact or staff
notes), the distance from the place given, and the plan's date. Holds no case reference.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from assetmap.catalogue.schedule import DAY_NAMES, fmt_time
from assetmap.places.distance import distance_km
from assetmap.plan import walking
from assetmap.plan.area import PersonArea

NEXT_DATES = 3
MORE_DATES = 5  # when the page has room (one or two places)
WHAT_CHARS = 200  # a long description would push the plan onto a second page
FULL_WHAT_CHARS = 500  # ... unless the page has room for it
LOOK_AHEAD_DAYS = 35  # five weeks: MORE_DATES of a weekly session

# What the person reads under "Good to know".
FLAG_WORDS = {
    "welcomes_convictions": {"yes": "Welcomes people with convictions."},
    "dbs_required": {"yes": "Needs a DBS check.", "no": "No DBS check needed."},
    "involves_children": {
        "yes": "Children are there or take part.",
        "no": "No contact with children.",
    },
}
# What the practitioner checks before handing the plan over: said on stderr and in the
# Markdown copy for case notes, never on the person's own sheet (a public library's plan said
# "Not known whether it welcomes people with convictions: check first" to the person).
CAVEAT_WORDS = {
    "welcomes_convictions": {
        "no": "not marked as welcoming people with convictions",
        "unknown": "not known whether it welcomes people with convictions",
    },
    "dbs_required": {"unknown": "not known whether a DBS check is needed"},
    "involves_children": {"unknown": "not known whether children are there"},
}
# One sentence when neither times nor a contact is recorded, not two "unknown" lines.
ASK_THERE = "Ask at the desk: no times or contact recorded."
REFERRAL_WORDS = {
    "drop-in": "Just turn up.",
    "self-referral": "Get in touch yourself first.",
    "referral-needed": "Needs a referral or voucher: your worker can arrange it.",
    "membership": "Needs a membership.",
}
COST_WORDS = {"free": "Free", "low": "Low cost", "paid": "Paid"}
MENTOR_WORDS = {
    "yes": "Yes: a peer mentor or worker can come with you the first time.",
    "no": "They ask that you come on your own.",
    "unknown": "Ask them whether someone can come with you the first time.",
}
# Unknown, and no contact recorded to ask: someone the person can ask.
MENTOR_NO_CONTACT = "Not known: your worker can find out before you go."
# Once they have been (`plan --case`): 'the first time' is past.
MENTOR_AGAIN = {
    "yes": "Yes: a peer mentor or worker can come with you.",
    "unknown": "Ask them whether someone can come with you again.",
}


# Who went along to the introduction (from the casework file, with `plan --case`).
WENT_WORDS = {
    "peer-mentor": "a peer mentor",
    "practitioner": "your worker",
    "volunteer": "a volunteer",
    "nobody": "nobody: you went on your own",
}


class PlanItem:
    """One asset as the plan shows it."""

    __slots__ = ("number", "asset", "distance_km", "walk", "next_dates", "when_note", "flags", "caveats",
                 "cost", "referral", "going_along", "contact", "status_note", "what",
                 "went_along", "bearing", "more_dates", "full_what")  # fmt: skip

    def __init__(self, number: int, asset, origin: tuple[float, float], today: dt.date) -> None:
        self.number = number
        self.asset = asset
        self.what = clamp(asset.description, WHAT_CHARS)
        self.full_what = clamp(asset.description, FULL_WHAT_CHARS)
        self.bearing = ""
        if asset.lat is None:
            self.distance_km = None
            self.walk = "distance not known (no position recorded)"
        else:
            self.distance_km = distance_km(origin[0], origin[1], asset.lat, asset.lon)
            self.walk = walking.describe(self.distance_km)
            self.bearing = compass(origin, (asset.lat, asset.lon))
        self.more_dates = next_dates(asset.sessions, today, MORE_DATES)
        self.next_dates = self.more_dates[:NEXT_DATES]
        self.when_note = "" if self.next_dates else "Times not recorded: get in touch first."
        values = {f: getattr(asset, f) or "unknown" for f in FLAG_WORDS}
        self.flags = [FLAG_WORDS[f][v] for f, v in values.items() if v in FLAG_WORDS[f]]
        self.caveats = [CAVEAT_WORDS[f][v] for f, v in values.items() if v in CAVEAT_WORDS[f]]
        self.cost = COST_WORDS.get(asset.cost, "Cost not known")
        self.referral = REFERRAL_WORDS.get(asset.referral, "")
        if asset.referral_details:
            self.referral = f"{self.referral} {asset.referral_details}".strip()
        self.contact = [c for c in (asset.phone, asset.email, asset.website) if c]
        mentor = asset.welcomes_mentor or "unknown"
        self.going_along = MENTOR_WORDS[mentor]
        if mentor == "unknown" and not self.contact:
            self.going_along = MENTOR_NO_CONTACT
        self.went_along = ""
        self.status_note = (
            "Temporarily closed when last checked: get in touch before going."
            if asset.status == "temporarily-closed"
            else ""
        )

    @property
    def distance_text(self) -> str:
        if self.distance_km is None:
            return ""
        if self.bearing and self.distance_km >= 0.1:
            return f"{self.distance_km:.1f} km in a straight line to the {self.bearing}"
        return f"{self.distance_km:.1f} km in a straight line"

    def to_bring(self) -> list[str]:
        """What the record says to bring: a voucher or referral, a membership, money."""
        a = self.asset
        out = []
        if a.referral == "referral-needed":
            out.append("your voucher" if a.category == "foodbank" else "your referral")
        if a.referral == "membership":
            out.append("your membership card")
        if a.cost in ("low", "paid"):
            out.append("money for the fee (ask how much first)")
        return out


# Eight points of the compass, from north, clockwise.
COMPASS = ("north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west")


def compass(origin: tuple[float, float], to: tuple[float, float]) -> str:
    """Which way `to` lies from `origin` (lat, lon), to the nearest of eight points: the way
    to set off, on a plan whose map shows north up."""
    import math

    (lat0, lon0), (lat1, lon1) = origin, to
    east = (lon1 - lon0) * math.cos(math.radians((lat0 + lat1) / 2))
    north = lat1 - lat0
    degrees = math.degrees(math.atan2(east, north)) % 360
    return COMPASS[round(degrees / 45) % 8]


class Plan:
    __slots__ = ("items", "area", "from_words", "made_on", "by", "names_in")

    def __init__(self, items, area: PersonArea, from_words: str, made_on: dt.date, by: str):
        self.items = items
        self.area = area
        self.from_words = from_words
        self.made_on = made_on
        self.by = by
        # (min_lon, min_lat, max_lon, max_lat) -> [(name, lon, lat)]: the names the map labels
        # (the gazetteer's wards and neighbourhoods; none unless make_plan gives them).
        self.names_in: Callable[[tuple], list] = lambda box: []

    def caveats(self) -> list[str]:
        """'1. Central Library: not known whether it welcomes people with convictions', one a
        place: what the practitioner checks before handing the plan over."""
        return [
            f"{i.number}. {i.asset.name}: {'; '.join(i.caveats)}" for i in self.items if i.caveats
        ]

    @property
    def date_text(self) -> str:
        return long_date(self.made_on)


def build(assets, origin: tuple[float, float], area: PersonArea, from_words: str,
          made_on: dt.date, by: str = "", went_with: dict | None = None) -> Plan:  # fmt: skip
    items = [PlanItem(i, a, origin, made_on) for i, a in enumerate(assets, 1)]
    went = went_with or {}
    for item in items:
        if item.asset.id in went:
            role, on = went[item.asset.id]
            day = dt.date.fromisoformat(on)
            item.went_along = f"Went along: {WENT_WORDS[role]} ({day.day} {day:%b %Y})."
            mentor = item.asset.welcomes_mentor or "unknown"
            if mentor in MENTOR_AGAIN and item.going_along != MENTOR_NO_CONTACT:
                item.going_along = MENTOR_AGAIN[mentor]
    return Plan(items, area, from_words, made_on, by.strip())


def next_dates(sessions, today: dt.date, n: int = NEXT_DATES) -> list[str]:
    """The next `n` sessions from today on, as 'Wed 3 Dec, 18:00-19:00'."""
    found = []
    for offset in range(LOOK_AHEAD_DAYS):
        day = today + dt.timedelta(days=offset)
        for s in sorted(sessions, key=lambda s: s.start):
            if s.day == day.weekday():
                found.append(f"{DAY_NAMES[s.day].title()} {day.day} {day:%b}, "
                             f"{fmt_time(s.start)}-{fmt_time(s.end)}")  # fmt: skip
                if len(found) == n:
                    return found
    return found


def long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def clamp(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(",;:. ") + "…"
