"""Data freshness and quality for the people who keep the catalogue: stale, check, stats."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict

from assetmap.catalogue import schedule
from assetmap.catalogue.models import Asset, is_email, is_web_address, parse_date, slug
from assetmap.errors import InvalidValue
from assetmap.places.distance import distance_km

COARSE = ("district", "place", "council")
DUPLICATE_WITHIN_KM = 0.2
# A phone number or website shared by assets far apart is a central switchboard or a
# council's page, not a duplicate: only pairs this close are reported.
SHARED_CONTACT_WITHIN_KM = 1.0


def parse_age(text: str) -> dt.timedelta:
    """'12m' (months), '6w', '30d', '1y' -> a timedelta."""
    m = re.fullmatch(r"\s*(\d+)\s*([dwmy])\s*", text.lower())
    if not m:
        raise InvalidValue(f"'{text}' is not an age; write 30d, 6w, 12m or 1y")
    n, unit = int(m.group(1)), m.group(2)
    days = n * {"d": 1, "w": 7, "m": 30.44, "y": 365.25}[unit]
    if days > 36_525:  # beyond a hundred years, date arithmetic overflows
        raise InvalidValue(f"'{text}' is more than 100 years; write 30d, 6w, 12m or 1y")
    return dt.timedelta(days=days)


# Never-verified assets of a bundled open-data source: nobody here has taken them on yet.
_UNCLAIMED_BUNDLED = (
    "verified_on = '' AND source IN (SELECT name FROM sources WHERE kind = 'bundled')"
)


def stale(
    cat, older_than: str, today: dt.date, *, include_closed: bool = False, area: str | None = None,
    sources: list[str] | None = None, include_bundled: bool = False,
) -> tuple[list[dict], int]:  # fmt: skip
    """Assets never verified, or verified before the limit: never-verified first, then oldest.
    Closed assets are left out (nobody needs to check them) unless include_closed. So are the
    never-verified assets of bundled open data (thousands of libraries and sports sites that
    would fill every weekly mail) unless include_bundled or `sources` names their source; a
    bundled asset someone has verified is kept up to date like any other.
    Returns the rows and how many unclaimed bundled assets were left out."""
    try:
        cutoff = (today - parse_age(older_than)).isoformat()
    except InvalidValue as exc:
        raise InvalidValue(f"--older-than: {exc}") from None
    where = "(verified_on = '' OR verified_on < ?)"
    params: list = [cutoff]
    if not include_closed:
        where += " AND status != 'closed'"
    if area:
        where += " AND area = ? COLLATE NOCASE"
        params.append(" ".join(area.split()))
    if sources:
        where += f" AND source IN ({', '.join('?' * len(sources))})"
        params.extend(sources)
    left_out = 0
    if not include_bundled and not sources:
        left_out = cat.conn.execute(
            f"SELECT count(*) FROM assets WHERE {where} AND {_UNCLAIMED_BUNDLED}", params
        ).fetchone()[0]
        where += f" AND NOT ({_UNCLAIMED_BUNDLED})"
    sql = (
        "SELECT id, name, category, area, verified_on, phone, email, website, status "
        f"FROM assets WHERE {where} ORDER BY verified_on, id"
    )
    return [dict(r) for r in cat.conn.execute(sql, params).fetchall()], left_out


def verify(cat, asset_id: str, on: str | None, today: dt.date) -> str:
    """Record that someone confirmed the details; nothing else changes (not even the
    last-edited time: a confirmation is not an edit)."""
    day = parse_date(on).isoformat() if on else today.isoformat()
    if day > (today + dt.timedelta(days=1)).isoformat():
        raise InvalidValue(f"--on {day} is in the future")
    from assetmap.catalogue import ownership

    with cat.transaction() as conn:
        cat.get(asset_id)  # inside the lock: an asset removed meanwhile is not "verified"
        conn.execute("UPDATE assets SET verified_on = ? WHERE id = ?", (day, asset_id))
        ownership.mark(conn, asset_id, ["verified_on"], ownership.VERIFY)
    return day


def _phone_key(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    return digits if len(digits) >= 9 else ""


def _site_key(website: str) -> str:
    site = re.sub(r"^https?://(www\.)?", "", website.lower()).rstrip("/")
    return site if "." in site else ""


# A partner nobody has spoken to for longer than this is reported by `check`.
PARTNER_CONTACT_WITHIN_DAYS = 365


def check(cat, today: dt.date | None = None) -> list[dict]:
    """Problems worth a look: no coordinates, coarse coordinates, likely duplicates,
    closed-sounding assets still active, schedules that do not parse, partners with no
    contact or not contacted for over a year."""
    problems: list[dict] = []
    today = today or dt.date.today()
    contact_since = (today - dt.timedelta(days=PARTNER_CONTACT_WITHIN_DAYS)).isoformat()

    def add(kind, asset: Asset, detail):
        problems.append({"problem": kind, "id": asset.id, "name": asset.name, "detail": detail})

    by_name = defaultdict(list)
    by_phone, by_site = defaultdict(list), defaultdict(list)
    for a in cat.iter_assets():
        if a.lat is None:
            add("no coordinates", a, "not shown by near; fix the postcode or run assetmap geocode")
        elif a.geo_precision in COARSE:
            add("coarse coordinates", a, f"placed at {a.geo_precision} level only")
        text = f"{a.notes} {a.description}".lower()
        if a.status == "active" and re.search(r"\b(closed|no longer (open|running))\b", text):
            add("may be closed", a, "status is active but its notes say it has closed")
        try:
            schedule.parse(a.schedule)
        except InvalidValue as exc:
            add("invalid schedule", a, str(exc))
        if a.partnership_status == "partner":
            if not (a.contact_name or a.contact_phone or a.contact_email):
                add("partner without a contact", a,
                    "no contact name, phone or email; add one with assetmap edit")  # fmt: skip
            if not a.last_contact:
                add("partner not contacted", a, "no contact on record; assetmap partners log records one")  # fmt: skip
            elif a.last_contact < contact_since:
                add("partner not contacted", a, f"last contact {a.last_contact}, over a year ago")  # fmt: skip
        for kind, detail in record_problems(a):
            add(kind, a, detail)
        by_name[slug(a.name)].append(a)
        if key := _phone_key(a.phone):
            by_phone[key].append(a)
        if key := _site_key(a.website):
            by_site[key].append(a)
    for r in cat.conn.execute(
        "SELECT id, name, local_edits FROM assets WHERE status = 'active' "
        "AND local_edits LIKE '%!status=closed%' ORDER BY id"
    ):
        problems.append({"problem": "source says closed", "id": r["id"], "name": r["name"],
                         "detail": "its source now says closed; the status was kept as changed here "
                                   "(check, then edit --status closed)"})  # fmt: skip
    reported: set[tuple[str, str]] = set()

    def pair(kind, a, b, detail):
        key = tuple(sorted((a.id, b.id)))
        if key not in reported:
            reported.add(key)
            add(kind, a, f"{detail} as {b.id}")

    for group in by_name.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.lat is not None and b.lat is not None:
                    d = distance_km(a.lat, a.lon, b.lat, b.lon)
                    if d <= DUPLICATE_WITHIN_KM:
                        pair("likely duplicate", a, b, f"same name {d * 1000:.0f} m away")
    for label, groups in (("phone", by_phone), ("website", by_site)):
        for group in groups.values():
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    if a.lat is None or b.lat is None:
                        continue
                    d = distance_km(a.lat, a.lon, b.lat, b.lon)
                    if d <= SHARED_CONTACT_WITHIN_KM:
                        pair("likely duplicate", a, b, f"same {label}, {d * 1000:.0f} m away,")
    return problems


# Money asked for: '£2.50', '50p', 'a membership fee' ('5 days a week' is not a charge).
_CHARGE = re.compile(r"£\s*\d|\b\d+(\.\d\d)?p\b|\b(membership fee|small charge|charge of)\b", re.I)
_TIMES_IN_TEXT = re.compile(
    r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\b.{0,40}?\b\d{1,2}([:.]\d{2})?\s*(am|pm|noon)?\s*[-\u2013]",
    re.I | re.S,
)
EARLIEST = 6 * 60  # sessions before 06:00 are more often a misread pm time than a real one


def record_problems(a: Asset) -> list[tuple[str, str]]:
    """Problems one record shows on its own: odd times, times left in the notes, a `free`
    asset whose text asks for money, a phone that is not a UK number."""
    from assetmap.catalogue import phones

    out = []
    try:
        sessions = schedule.parse(a.schedule)
    except InvalidValue:
        sessions = []
    for s in sessions:
        # A late session may run past midnight (22:00-02:00); one that runs on past 06:00
        # the next day (20:00-08:00), or starts in the small hours, was probably misread.
        if s.start < EARLIEST or s.end > schedule.DAY + EARLIEST:
            why = (
                "starts before 06:00"
                if s.start < EARLIEST
                else "runs past midnight into the morning"
            )
            out.append(("odd times", f"{s} {why}: a '2-4pm' read as 02:00-16:00? write 14:00-16:00"))  # fmt: skip
            break
    if not a.schedule and _TIMES_IN_TEXT.search(a.notes):
        out.append(("times in notes", "the notes give opening times but schedule is blank; copy them into schedule"))  # fmt: skip
    if a.cost == "free" and _CHARGE.search(f"{a.name} {a.description} {a.notes}"):
        out.append(("free but charges", "cost is free but its text mentions a charge; low or paid?"))  # fmt: skip
    for field in ("email", "contact_email"):
        if (v := getattr(a, field)) and not is_email(v):
            out.append(("bad email", f"{field} '{v[:80]}' is not an e-mail address; fix it with assetmap edit"))  # fmt: skip
    if a.website and not is_web_address(a.website):
        out.append(("bad website", f"'{a.website[:80]}' is not a web address; fix it with assetmap edit"))  # fmt: skip
    if a.phone:
        if phones.has_letter_o(a.phone):
            out.append(("bad phone", f"'{a.phone}' has a letter O where a 0 should be"))
        elif not phones.is_valid_uk(a.phone):
            out.append(("bad phone", f"'{a.phone}' is not a valid UK phone number"))
    return out


def stats(cat, today: dt.date) -> dict:
    conn = cat.conn
    total = conn.execute("SELECT count(*) FROM assets").fetchone()[0]
    ages: Counter = Counter()
    for (verified_on,) in conn.execute("SELECT verified_on FROM assets"):
        if not verified_on:
            ages["never"] += 1
            continue
        days = (today - dt.date.fromisoformat(verified_on)).days
        ages["under 1 year" if days <= 365 else "1-2 years" if days <= 730 else "over 2 years"] += 1

    def counts(column):
        rows = conn.execute(
            f"SELECT {column}, count(*) FROM assets GROUP BY {column} ORDER BY count(*) DESC, {column}"
        )
        return {(k or "(blank)"): n for k, n in rows}

    partner_rows = conn.execute(
        "SELECT area, count(*) FROM assets WHERE partnership_status = 'partner' "
        "GROUP BY area ORDER BY count(*) DESC, area"
    )
    return {
        "assets": total,
        "by_category": counts("category"),
        "by_area": counts("area"),  # the council: coverage at a glance
        "by_source": counts("source"),
        "by_status": counts("status"),
        "by_partnership_status": counts("partnership_status"),
        "partners_by_area": {(k or "(blank)"): n for k, n in partner_rows},
        "by_verification_age": {k: ages[k] for k in ("never", "under 1 year", "1-2 years", "over 2 years")},
        "without_coordinates": conn.execute("SELECT count(*) FROM assets WHERE lat IS NULL").fetchone()[0],
    }  # fmt: skip
