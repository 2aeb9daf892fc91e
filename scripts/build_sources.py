"""Build the bundled sources (src/assetmap/data/sources/: one CSV of stored rows per source, and
sources.json with each one's provenance) from the open datasets in ../shared/data (a developer
tool; the installed package never runs it and never reads ../shared). From the repository root:

    python scripts/build_sources.py ../shared/data

Every record is validated here, once, through Asset.from_row, and placed with the project's own
gazetteer; a new catalogue then loads the rows as they are (catalogue.seed), which keeps the
first run fast.

Mapping is deliberately conservative: a field the source does not state stays blank (unknown).
Nothing in open data says an asset welcomes people with convictions, so that stays `unknown`;
verified_on stays blank (the source's date is kept on the source). Hand-written examples cover
kinds the open data lacks; they are a source of their own ("examples"), their names end in
"[example]" and their postcodes are real so distances are realistic.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from assetmap.catalogue import phones, schedule  # noqa: E402
from assetmap.catalogue.models import COLUMNS, DEFAULT_CATEGORIES, Asset, is_email, slug  # noqa: E402
from assetmap.catalogue.seed import SOURCES_DIR, STORED_COLUMNS  # noqa: E402
from assetmap.catalogue.store import _db_values  # noqa: E402
from assetmap.errors import InvalidValue  # noqa: E402
from assetmap.places.distance import distance_km  # noqa: E402
from assetmap.places.gazetteer import open_gazetteer  # noqa: E402
from assetmap.places.resolve import locate_asset  # noqa: E402
from assetmap.transfer.givefood import needs_voucher  # noqa: E402

OGL = "Open Government Licence v3.0"
# name -> provenance. Order matters: where two sources list the same place, the first keeps it.
SOURCES = {
    "gm-libraries": dict(
        title="Greater Manchester public libraries", licence=OGL,
        attribution="DCMS list amended by the Greater Manchester councils, via Trafford Data Lab; contains public sector information licensed under the OGL v3.0",
        retrieved="2019", origin="https://github.com/traffordDataLab/open_data (libraries/)"),
    "gm-foodbanks": dict(
        title="Greater Manchester food banks (2018)", licence=OGL,
        attribution="GM Poverty Action via Trafford Data Lab",
        retrieved="2018", origin="https://github.com/traffordDataLab/open_data (food_banks/)"),
    "trafford-sports-clubs": dict(
        title="Trafford sports clubs (2018)", licence=OGL, attribution="Trafford Council via Trafford Data Lab",
        retrieved="2018", origin="https://github.com/traffordDataLab/open_data (sports_clubs/)"),
    "trafford-gyms": dict(
        title="Trafford gyms (Sport England Active Places)", licence="CC BY 4.0",
        attribution="Contains data © Sport England (Active Places), via Trafford Data Lab",
        retrieved="2019", origin="https://github.com/traffordDataLab/open_data (sport_facilities/)"),
    "gm-worship": dict(
        title="Greater Manchester places of worship (OS Open Map Local, 2018)", licence=OGL,
        attribution="Contains OS data © Crown copyright and database right 2018, via Trafford Data Lab",
        retrieved="2018", origin="https://github.com/traffordDataLab/open_data (places_of_worship/)"),
    "givefood": dict(
        title="Give Food food banks (a sample)", licence="Public domain (Unlicense)",
        attribution="Give Food, https://www.givefood.org.uk",
        retrieved="2024-06", origin="https://github.com/givefood/data (foodbanks.csv)"),
    "libraries": dict(
        title="UK public libraries (DCMS 2023 for England; the UK library list elsewhere)",
        licence=OGL,
        attribution="Contains public sector information from DCMS (public libraries in England, 2023); Libraries Hacked and the UK's public library services",
        retrieved="2025-04-28",
        origin="https://github.com/LibrariesHacked/librarydata-db (data/libraries_england_2023.csv, data/schemas/libraries.csv)"),
    "active-places": dict(
        title="Sport England Active Places: named leisure sites open to the public",
        licence="Sport England Active Places open data licence (attribution)",
        attribution="Contains data © Sport England (Active Places, data version 2024-07-01)",
        retrieved="2024-07-01", origin="https://www.activeplacespower.com (via github.com/kbuksa/volleyball-courts)"),
    "examples": dict(
        title="Hand-written examples (not real organisations)", licence="MIT (part of assetmap)",
        attribution="assetmap; names and details invented, postcodes real",
        retrieved="2026-11-01", origin="scripts/build_sources.py", examples=True),
}  # fmt: skip
# Councils whose libraries the Greater Manchester list already holds (amended by them).
GM_COUNCILS = {"Bolton", "Bury", "Manchester", "Oldham", "Rochdale", "Salford", "Stockport",
               "Tameside", "Trafford", "Wigan"}  # fmt: skip
LIBRARY_TAGS = "books;reading;computers;learning"


def clean(v: str | None) -> str:
    v = (v or "").strip()
    return "" if v in ("NA", "Not known", "Not relevant", "N/A") else v


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def first_email(text: str) -> str:
    """The first e-mail address in the text, without the '<...>' or '(...)' round it (41 of the
    published addresses came wrapped; the record's validation would unwrap them,
    but the bundled rows are loaded as stored)."""
    m = re.search(r"[^@\s:<>()\[\],;\"]+@[\w-]+(?:\.[\w-]+)+", text or "")
    if not m:
        return ""
    email = m.group(0).replace(".@", "@")  # 'centre.@thurrock.gov.uk': a stray dot
    return email if is_email(email) else ""  # 'tim.cheprasov...tim@': which address is meant?


def first_url(text: str) -> str:
    for token in (text or "").split():
        if "." in token and "@" not in token and token.lower() not in ("not", "known", "none"):
            return token
    return ""


def uk_phone(text: str) -> str:
    """The published number, repaired where the damage is certain: a letter O typed for a
    zero, a leading 0 lost to a spreadsheet. Spaced as people dial it."""
    text = clean(text)
    if phones.has_letter_o(text):
        text = re.sub(r"[oO]", "0", text)
    digits = phones.digits_of(text) or ""
    if digits and (len(digits) < 9 or not digits.strip("0")):
        return ""  # '07', '00000 000000': a placeholder, not a number
    return phones.normalise(text)[0]


_DAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*"


def schedule_text(text: str) -> str:
    """Published opening text, tidied so the schedule parser reads it as meant."""
    t = re.sub(r"^\s*open\s+", "", text, flags=re.I).strip().rstrip(".")
    t = t.replace("&", ",").replace(" and ", ", ").replace("\u2013", "-").replace("\u2014", "-")
    t = re.sub(r"\b12\s+noon\b", "12noon", t, flags=re.I)
    # "2-4pm": the pm belongs to both times (else it reads as 02:00-16:00).
    t = re.sub(
        r"\b(\d{1,2}(?:[.:]\d{2})?)\s*-\s*(\d{1,2}(?:[.:]\d{2})?)\s*pm\b",
        lambda m: f"{m.group(1)}pm-{m.group(2)}pm" if _pm_both(m.group(1), m.group(2)) else m.group(0),
        t, flags=re.I,
    )  # fmt: skip
    # "Monday 1-3pm, Thursday 2-4pm": a comma after a time, before a day, starts a session.
    t = re.sub(rf"(?<=[\dmn])\s*,\s*(?={_DAY}\s+\d)", "; ", t, flags=re.I)
    return t


def _pm_both(start: str, end: str) -> bool:
    s, e = int(re.split(r"[.:]", start)[0]), int(re.split(r"[.:]", end)[0])
    return s < 12 and e < 12 and (s < e or e == 12)


def try_schedule(text: str) -> tuple[str, str]:
    """(schedule, leftover note): the text as a schedule when it parses, else as a note."""
    text = clean(text)
    if not text:
        return "", ""
    try:
        return schedule.normalise(schedule_text(text)), ""
    except InvalidValue:
        pass
    # Keep the parts that read as sessions; the whole text stays in the notes.
    parsed = []
    for part in re.split(r"[;\n]", schedule_text(text)):
        try:
            parsed.append(schedule.normalise(part.strip().rstrip(".")))
        except InvalidValue:
            continue
    return "; ".join(parsed), f"Opening times as published: {text}"


def charge_in(text: str) -> bool:
    """Text that asks for money: '£2.50 membership', '£10/week'."""
    return bool(re.search(r"£\s*\d", text))


def referral_from(text: str) -> str:
    t = text.lower()
    if any(w in t for w in ("voucher", "referral", "assessment", "refer")) and "self" not in t:
        return "referral-needed"
    if "member" in t:
        return "membership"
    if "self" in t and "refer" in t:
        return "self-referral"
    if any(w in t for w in ("open door", "first come", "no evidence")):
        return "drop-in"
    return ""


def row(**kw) -> dict[str, str]:
    out = dict.fromkeys(COLUMNS, "")
    out.update({k: "" if v is None else str(v) for k, v in kw.items()})
    return out


def gm_food_banks(base: Path):
    for r in read_csv(base / "trafford_gm/gm_food_banks_2018.csv"):
        sched, note = try_schedule(r["opening_times"])
        how = clean(r["referral_method"])
        notes = "; ".join(x for x in (note, f"How to get help: {how}" if how else "") if x)
        status = "closed" if "no longer open" in how.lower() else "active"
        yield row(
            name=r["name"], category="foodbank", tags="food;foodbank", address=r["address"],
            postcode=r["postcode"], area=r["area_name"], lat=r["lat"], lon=r["lon"],
            website=first_url(r["website"]), email=first_email(r["contact"]),
            phone="" if "@" in r["contact"] else uk_phone(r["contact"][:40]),
            schedule=sched, cost="low" if charge_in(f"{how} {r['opening_times']}") else "free",
            referral=referral_from(how),
            capital="bonding", status=status, source="gm-foodbanks", notes=notes,
        )  # fmt: skip


def gm_libraries(base: Path):
    for r in read_csv(base / "trafford_gm/gm_libraries.csv"):
        yield row(
            name=r["name"], category="library", tags=LIBRARY_TAGS,
            description=r["type"], address=r["address"], postcode=r["postcode"],
            area=r["area_name"], lat=r["lat"], lon=r["lon"], email=first_email(r["email"]),
            website=first_url(r["website"]), cost="free", referral="drop-in", capital="bridging",
            source="gm-libraries",
        )  # fmt: skip


def trafford_clubs(base: Path):
    for r in read_csv(base / "trafford_gm/trafford_sports_clubs_2018.csv"):
        sports = [s.strip().lower() for s in r["category"].split(",")]
        football = "football" in sports and "gaelic football" not in sports
        yield row(
            name=r["name"], category="football team" if football else "sports club",
            tags=";".join([*sports, "sport", "team"]), description=r["category"],
            address=r["address"], postcode=r["postcode"], area="Trafford", lat=r["lat"],
            lon=r["lon"], capital="bridging", source="trafford-sports-clubs",
        )  # fmt: skip


def trafford_gyms(base: Path):
    access = {"Pay and Play": ("paid", "drop-in"), "Free Public Access": ("free", "drop-in"),
              "Registered Membership use": ("paid", "membership"),
              "Sports Club / Community Association": ("", "membership")}  # fmt: skip
    for r in read_csv(base / "trafford_gm/trafford_sport_facilities_activeplaces.csv"):
        if (
            r["facility_type"] != "Health and fitness gym stations"
            or r["access_type"] not in access
        ):
            continue
        cost, referral = access[r["access_type"]]
        step_free = r["disability_finding_reaching_entrance"] == "Yes"
        yield row(
            name=r["site_name"], category="gym", tags="gym;fitness;exercise",
            description=f"Health and fitness gym ({r['access_type']})",
            address=", ".join(x for x in (clean(r["street"]), clean(r["town"])) if x),
            postcode=r["postcode"], area="Trafford", lat=r["lat"], lon=r["lon"],
            phone=uk_phone(r["telephone"]), email=first_email(r["email"]), website=first_url(r["website"]),
            cost=cost, referral=referral, accessibility="step-free entrance" if step_free else "",
            capital="bridging", source="trafford-gyms",
        )  # fmt: skip


FAITH_WORDS = {"mosque": "islam", "masjid": "islam", "synagogue": "judaism",
               "gurdwara": "sikhism", "mandir": "hinduism", "temple": "", "church": "christianity",
               "chapel": "christianity", "cathedral": "christianity", "methodist": "christianity",
               "baptist": "christianity", "quaker": "christianity", "kingdom hall": "",
               "buddhist": "buddhism"}  # fmt: skip


def gm_worship(base: Path, per_area: int = 8):
    taken: dict[str, int] = {}
    for r in read_csv(base / "trafford_gm/gm_places_of_worship_osopenmaplocal.csv"):
        if r["name"] in ("Unknown", "") or taken.get(r["area_name"], 0) >= per_area:
            continue
        taken[r["area_name"]] = taken.get(r["area_name"], 0) + 1
        lower = r["name"].lower()
        faiths = [f for w, f in FAITH_WORDS.items() if w in lower and f]
        yield row(
            name=r["name"], category="faith group", tags=";".join(["faith", "worship", *faiths[:1]]),
            area=r["area_name"], lat=r["lat"], lon=r["lon"], cost="free", capital="bonding",
            source="gm-worship",
        )  # fmt: skip


def givefood(base: Path):
    for r in read_csv(base / "givefood/givefood_foodbanks_sample.csv"):
        if r["closed"] == "True" or not r["latt_long"]:
            continue
        lat, lon = r["latt_long"].split(",")
        trussell = needs_voucher(r["network"])  # the data says "Trussell Trust"
        yield row(
            name=r["name"], category="foodbank", tags="food;foodbank", address=r["address"],
            postcode=r["postcode"], area=r["district"], lat=lat, lon=lon, phone=uk_phone(r["phone"]),
            email=first_email(r["email"]), website=first_url(r["url"]), cost="free",
            referral="referral-needed" if trussell else "",
            description="Trussell Trust food bank: a voucher from a referral agency is needed" if trussell else "",
            capital="bonding", source="givefood",
        )  # fmt: skip


DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def staffed_hours(r: dict) -> str:
    """'Mon 09:00-17:00; Tue ...' from the UK list's per-day staffed hours."""
    parts = []
    for day in DAYS:
        for span in filter(None, (r.get(f"{day} staffed hours") or "").split(",")):
            m = re.fullmatch(r"(\d{2}:\d{2})-(\d{2}:\d{2})", span.strip())
            if m and "06:00" <= m.group(1) < m.group(2):  # '10:00-00:00' is a slip: left out
                parts.append(f"{day[:3]} {span.strip()}")
    return "; ".join(parts)


def library_name(name: str) -> str:
    name = " ".join(name.split())
    return name if re.search(r"librar|llyfrgell|leabharlann", name, re.I) else f"{name} Library"


def libraries(base: Path):
    """England from DCMS 2023 (open static libraries, outside Greater Manchester, whose own
    list is already bundled); hours, website and the other nations from the UK list."""
    lib = base / "assets/national/libraries"
    uk = [r for r in read_csv(lib / "libraries_uk_schema.csv") if not clean(r["Year closed"])]
    by_postcode = defaultdict(list)
    for r in uk:
        by_postcode[r["Postcode"].replace(" ", "").upper()].append(r)
    england_postcodes = set()
    for r in read_csv(lib / "libraries_england_2023_dcms.csv"):
        kind = r["type"].lower()
        if clean(r["closed"]) or "static" not in kind or r["authority"] in GM_COUNCILS:
            continue
        pc = r["postcode"].replace(" ", "").upper()
        england_postcodes.add(pc)
        twins = by_postcode.get(pc, [])
        twin = next((t for t in twins if slug(t["Library name"])[:8] == slug(r["name"])[:8]), None)
        twin = twin or (twins[0] if len(twins) == 1 else {})
        address = ", ".join(x for x in (clean(r["address1"]), clean(r["address2"]), clean(r["address3"])) if x)  # fmt: skip
        yield row(
            name=library_name(r["name"]), category="library", tags=LIBRARY_TAGS,
            description=f"Public library ({r['authority']})", address=address,
            postcode=r["postcode"], email=first_email(r["email"]) or first_email(twin.get("Email address", "")),
            website=first_url(twin.get("URL", "")), schedule=staffed_hours(twin),
            cost="free", referral="drop-in", capital="bridging", source="libraries",
        )  # fmt: skip
    for r in uk:
        pc = r["Postcode"].replace(" ", "").upper()
        if pc in england_postcodes:
            continue
        address = ", ".join(x for x in (clean(r["Address 1"]), clean(r["Address 2"]), clean(r["Address 3"])) if x)  # fmt: skip
        yield row(
            name=library_name(r["Library name"]), category="library", tags=LIBRARY_TAGS,
            description=f"Public library ({r['Local authority']})", address=address,
            postcode=r["Postcode"], email=first_email(r["Email address"]),
            website=first_url(r["URL"]), schedule=staffed_hours(r), cost="free",
            referral="drop-in", capital="bridging", source="libraries", notes="england-check",
        )  # fmt: skip


FACILITIES = {  # Active Places file -> (what a person asks for, tags)
    "healthandfitnessgym.csv": ("a gym", "gym;fitness;exercise"),
    "swimmingpools.csv": ("a swimming pool", "swimming;fitness;exercise"),
    "studios.csv": ("a studio for classes", "fitness;exercise;classes"),
    "sportshalls.csv": ("a sports hall", "sport;fitness"),
}
# Most open first: a site is described by the most open way in among its facilities.
ACCESS = {"Free Public Access": ("free", "drop-in", "free public access"),
          "Pay and Play": ("paid", "drop-in", "pay and play"),
          "Registered Membership use": ("paid", "membership", "membership"),
          "Sports Club / Community Association": ("", "membership", "through a club or community association")}  # fmt: skip
OPERATIONAL = "3"  # Active Places' operational status code for "Operational"


def title(name: str) -> str:
    """'DAVID LLOYD (CHESHIRE OAKS)' -> 'David Lloyd (Cheshire Oaks)'."""
    return re.sub(r"[A-Za-z][A-Za-z']*", lambda m: m.group(0).capitalize(), name.strip())


def active_places(base: Path):
    """Sites with a name a person could ask for (the site list that names them) and at least
    one operational gym, pool, studio or sports hall open to the public."""
    ap = base / "assets/national/active_places_2024"
    sites = {r["Site ID"]: r for r in read_csv(ap / "volleyball_courts_with_site_names.csv")}
    found: dict[str, dict] = defaultdict(lambda: {"has": [], "tags": [], "access": set()})
    for file, (what, tags) in FACILITIES.items():
        for r in read_csv(ap / file):
            sid = r["Site ID"]
            access = r["Accessibility Type (Text)"]
            if sid not in sites or r["Operational Status"] != OPERATIONAL or access not in ACCESS:
                continue
            f = found[sid]
            if what not in f["has"]:
                f["has"].append(what)
                f["tags"] += tags.split(";")
            f["access"].add(access)
            if r["Disability: Finding and reaching the entrance"] == "1":
                f["step_free"] = True
    for sid, f in found.items():
        s = sites[sid]
        if s["Access Type"] != "Public Access":
            continue
        best = next(a for a in ACCESS if a in f["access"])
        cost, referral, how = ACCESS[best]
        has = f["has"]
        listed = has[0] if len(has) == 1 else ", ".join(has[:-1]) + " and " + has[-1]
        yield row(
            name=title(s["Site Name"]), category="gym" if "a gym" in has else "leisure centre",
            tags=";".join(dict.fromkeys([*f["tags"], "sport"])),
            description=f"Sports site with {listed}; open to the public ({how})",
            address=title(s["Town"]), postcode=s["Postcode"], lat=s["lat"], lon=s["long"],
            cost=cost, referral=referral,
            accessibility="step-free entrance" if f.get("step_free") else "",
            capital="bridging", source="active-places",
        )  # fmt: skip


# Hand-written examples: (name, category, tags, postcode, schedule, cost, referral,
#   welcomes_convictions, dbs_required, involves_children, gender, min_age, capital, description)
EXAMPLES = [
    # Stoke-on-Trent and Staffordshire
    ("Hanley Park Walking Group", "walking group", "walking;outdoors;fitness;meet people", "ST1 3EB", "Sat 10:00-12:00; Wed 18:30-20:00", "free", "drop-in", "yes", "no", "no", "any", 18, "bridging", "Gentle two-mile walks round Hanley Park; meet at the pavilion."),
    ("Potteries Parkrun Volunteers", "running group", "running;fitness;outdoors;volunteering", "ST4 4BP", "Sat 08:30-10:00", "free", "drop-in", "yes", "no", "unknown", "any", 16, "bridging", "Run, walk or marshal on a Saturday morning."),
    ("Stoke Reading Circle", "book club", "books;reading;meet people", "ST4 1HL", "Thu 18:00-19:30", "free", "drop-in", "yes", "no", "no", "any", 18, "bridging", "Monthly book choice; books lent free."),
    ("Longton Second Chances Peer Group", "peer support", "peer support;mental health;talking;meet people", "ST3 1EW", "Tue 13:00-15:00", "free", "self-referral", "yes", "no", "no", "any", 18, "bonding", "Led by people with lived experience of the justice system."),
    ("Burslem Recovery Café", "recovery group", "recovery;sobriety;alcohol;drugs;peer support", "ST6 3AA", "Mon 18:00-20:00; Fri 12:00-14:00", "free", "drop-in", "yes", "no", "no", "any", 18, "bonding", "Alcohol- and drug-free café with mutual-aid meetings."),
    ("Trent and Mersey Canal Volunteers", "volunteering", "volunteering;outdoors;canal;conservation;practical skills", "ST4 7GA", "Wed 10:00-15:00", "free", "self-referral", "yes", "no", "no", "any", 18, "bridging;linking", "Towpath clearing and lock painting; tools and training given."),
    ("Ford Green Community Garden", "gardening", "gardening;outdoors;growing;food;volunteering", "ST6 1HG", "Tue,Thu 10:00-13:00", "free", "drop-in", "yes", "no", "unknown", "any", 16, "bridging", "Growing vegetables on shared plots; produce shared."),
    ("Meir Community Boxing Gym", "gym", "boxing;fitness;gym;exercise", "ST3 5HS", "Mon,Wed,Fri 18:00-20:00", "low", "drop-in", "yes", "no", "yes", "any", 14, "bonding", "Boxing fitness; junior sessions run on the same evenings."),
    ("Fenton Women's Circle", "peer support", "women;peer support;meet people;talking", "ST4 2JP", "Thu 10:00-12:00", "free", "self-referral", "yes", "no", "no", "women", 18, "bonding", "A women-only group for coffee, talk and practical help."),
    ("Stoke Job Club", "employment support", "work;jobs;cv;skills;employment", "ST1 5DS", "Mon-Fri 09:30-16:00", "free", "drop-in", "yes", "no", "no", "any", 16, "linking", "Help with CVs, disclosure letters and applications."),
    ("Potteries Adult Learning Hub", "education", "learning;english;maths;computers;skills", "ST1 1AF", "Tue,Wed 09:30-12:30", "free", "self-referral", "unknown", "no", "no", "any", 19, "linking", "Free English, maths and digital skills courses."),
    ("Tunstall Sunday League Football", "football team", "football;sport;team;fitness", "ST6 5AB", "Sun 10:00-12:00", "low", "membership", "yes", "no", "no", "men", 18, "bonding", "Adult Sunday league side; new players welcome at training."),
    ("Bentilee Community Centre", "community centre", "meet people;food;advice;community", "ST2 8DY", "Mon-Fri 09:00-17:00", "free", "drop-in", "yes", "no", "unknown", "any", 0, "bridging", "Lunch club, advice surgeries and a warm space."),
    ("Newcastle Mentoring Project", "mentoring", "mentoring;talking;support;work", "ST5 1EH", "Mon-Fri 10:00-16:00", "free", "referral-needed", "yes", "yes", "no", "any", 18, "linking", "One-to-one volunteer mentors for people leaving prison."),
    ("Stoke Clay Arts Workshop", "arts and culture", "art;pottery;creative;craft", "ST4 7LX", "Wed 13:00-16:00", "low", "self-referral", "yes", "no", "no", "any", 18, "bridging", "Throwing and glazing classes in a working pottery."),
    ("Hanley Youth Football Coaching Volunteers", "volunteering", "volunteering;football;coaching;sport", "ST1 5LG", "Sat 09:00-12:00", "free", "referral-needed", "unknown", "yes", "yes", "any", 18, "bridging", "Coach junior teams (a DBS check is required)."),
    ("Stafford Riverside Walkers", "walking group", "walking;outdoors;meet people", "ST16 2AS", "Sun 10:00-12:30", "free", "drop-in", "unknown", "no", "no", "any", 18, "bridging", "Walks along the River Sow."),
    ("Leek Moorlands Rambling Club", "walking group", "walking;outdoors;hills;fitness", "ST13 5DQ", "Sun 09:30-15:00", "low", "membership", "unknown", "no", "no", "any", 18, "bridging", "Longer walks in the Staffordshire Moorlands."),
    ("Stone Canal Restoration Group", "volunteering", "volunteering;outdoors;canal;conservation", "ST15 8BD", "Thu 09:30-15:30", "free", "self-referral", "yes", "no", "no", "any", 18, "bridging", "Practical work parties on the Trent and Mersey Canal."),
    ("Longton Faith Foodbank", "foodbank", "food;foodbank;faith", "ST3 1AH", "Tue,Fri 10:00-13:00", "free", "referral-needed", "yes", "no", "unknown", "any", 0, "bonding", "Food parcels with a voucher from an agency."),
    ("Shelton Recovery Running", "running group", "running;recovery;fitness;sobriety", "ST1 5SH", "Wed 18:00-19:00", "free", "drop-in", "yes", "no", "no", "any", 18, "bonding", "Couch-to-5k for people in recovery."),
    ("Abbey Hulton Men's Shed", "community centre", "men;practical skills;woodwork;meet people;talking", "ST2 8JU", "Tue,Thu 10:00-15:00", "free", "drop-in", "yes", "no", "no", "men", 18, "bonding", "Woodwork and repairs; tea and talk."),
    ("Kidsgrove Five-a-side Drop-in", "sports club", "football;sport;fitness", "ST7 1AB", "Thu 19:00-20:00", "low", "drop-in", "unknown", "no", "no", "any", 16, "bridging", "Pay on the night, teams picked on the day."),
    ("Cheadle Library Writers", "book club", "writing;reading;creative;books", "ST10 1DY", "Mon 14:00-16:00", "free", "drop-in", "unknown", "no", "no", "any", 18, "bridging", "Creative writing circle at the library."),
    ("Stoke Volunteer Drivers", "volunteering", "volunteering;driving;helping others", "ST4 2BX", "Mon-Fri 09:00-17:00", "free", "referral-needed", "unknown", "yes", "unknown", "any", 21, "linking", "Drive older people to appointments (DBS check required)."),
    ("Etruria Industrial Museum Volunteers", "volunteering", "volunteering;history;heritage;practical skills", "ST4 7GA", "Sat 10:00-16:00", "free", "self-referral", "yes", "no", "no", "any", 18, "bridging", "Help run the steam engines and welcome visitors."),
    # Greater Manchester
    ("Stockport Mersey Vale Walkers", "walking group", "walking;outdoors;meet people", "SK4 1BS", "Sat 10:00-12:00", "free", "drop-in", "yes", "no", "no", "any", 18, "bridging", "Flat walks along the Mersey valley."),
    ("Manchester Second Chance Book Club", "book club", "books;reading;meet people", "M1 1AD", "Wed 18:00-19:30", "free", "drop-in", "yes", "no", "no", "any", 18, "bridging", "Book club hosted with a local library."),
    ("Salford Lived Experience Network", "peer support", "peer support;talking;mental health;meet people", "M6 5BY", "Thu 13:00-15:00", "free", "self-referral", "yes", "no", "no", "any", 18, "bonding", "Peer support run by people with convictions."),
    ("Trafford Recovery Community", "recovery group", "recovery;sobriety;alcohol;drugs", "M32 0TJ", "Mon,Thu 18:30-20:00", "free", "drop-in", "yes", "no", "no", "any", 18, "bonding", "Mutual aid and social events in recovery."),
    ("Bridgewater Canal Volunteers", "volunteering", "volunteering;outdoors;canal;conservation", "M33 7AB", "Tue 10:00-15:00", "free", "self-referral", "yes", "no", "no", "any", 18, "bridging", "Towpath and hedge work along the Bridgewater Canal."),
    ("Moss Side Community Allotment", "gardening", "gardening;growing;outdoors;food", "M14 4HY", "Sat 10:00-13:00", "free", "drop-in", "yes", "no", "unknown", "any", 16, "bridging", "Shared allotment beds; no experience needed."),
    ("Wythenshawe Women's Fitness", "gym", "women;fitness;gym;exercise", "M22 5RX", "Tue,Thu 10:00-11:30", "low", "drop-in", "yes", "no", "no", "women", 16, "bonding", "Women-only circuit classes with a crèche next door."),
    ("Oldham Job and Skills Club", "employment support", "work;jobs;skills;cv", "OL1 1HD", "Mon-Thu 10:00-15:00", "free", "drop-in", "yes", "no", "no", "any", 16, "linking", "Job search help, including disclosing a conviction."),
    ("Altrincham Parkrun Volunteers", "running group", "running;fitness;outdoors;volunteering", "WA14 2PX", "Sat 08:30-10:00", "free", "drop-in", "unknown", "no", "unknown", "any", 11, "bridging", "Weekly 5k; marshals always wanted."),
    ("Stretford Mentoring Circle", "mentoring", "mentoring;talking;support", "M32 8BS", "Wed 17:00-19:00", "free", "referral-needed", "yes", "no", "no", "any", 18, "linking", "Group and one-to-one mentoring on release."),
]  # fmt: skip


def examples(gaz):
    for (name, cat, tags, pc, sched, cost, referral, conv, dbs, kids, gender, min_age, capital,
         desc) in EXAMPLES:  # fmt: skip
        if not gaz.postcode(pc.replace(" ", "")) and not gaz.postcode(pc):
            raise SystemExit(f"example postcode {pc} is not in the gazetteer; choose another")
        yield row(
            name=f"{name} [example]", category=cat, tags=tags, description=desc, postcode=pc,
            schedule=sched, cost=cost, referral=referral, welcomes_convictions=conv,
            dbs_required=dbs, involves_children=kids, gender=gender, min_age=min_age or "",
            capital=capital, verified_on="2026-11-01", source="examples",
        )  # fmt: skip


def council_code(gaz, postcode: str) -> str:
    sector = gaz.sector(postcode[:-2]) if len(postcode) > 4 else None
    return sector["council"] if sector else ""


def merge_parts(assets: list[Asset]) -> tuple[list[Asset], int]:
    """A record whose address starts with the name of another record of the source at the
    same postcode, of the same category and with no hours of its own, is part of that place
    (the Norfolk Heritage Centre, 'The Norfolk and Norwich Millennium Library, The Forum', NR2
    1AW): it is left out, and the place's notes name it.
    Returns the assets kept and how many were merged."""

    def key(name: str) -> str:  # 'The Norfolk and Norwich ...' is 'Norfolk & Norwich ...'
        return slug(name).removeprefix("the-").replace("-and-", "-")

    by_place = {(key(a.name), a.postcode): a for a in assets if a.postcode}
    merged: set[int] = set()
    for a in assets:
        first = key(a.address.split(",")[0].split("\n")[0])
        home = by_place.get((first, a.postcode))
        # A service of its own there (its own category or hours: a food bank's voucher
        # session at a church) is not a part of the place.
        same = (
            home is not None and home.category == a.category and a.schedule in ("", home.schedule)
        )
        if same and home is not a:
            home.notes = "; ".join(x for x in (home.notes, f"Includes {a.name}") if x)
            merged.add(id(a))
    return [a for a in assets if id(a) not in merged], len(merged)


def main(shared_data: str) -> None:
    base = Path(shared_data)
    assets = base / "assets"
    gaz = open_gazetteer()
    makers = {
        "gm-libraries": gm_libraries(assets), "gm-foodbanks": gm_food_banks(assets),
        "trafford-sports-clubs": trafford_clubs(assets), "trafford-gyms": trafford_gyms(assets),
        "gm-worship": gm_worship(assets), "givefood": givefood(assets),
        "libraries": libraries(base), "active-places": active_places(base),
        "examples": examples(gaz),
    }  # fmt: skip
    assert list(makers) == list(SOURCES)
    categories = {c: c for c in [*DEFAULT_CATEGORIES, "leisure centre"]}
    seen: set[str] = set()
    places: dict[str, list[tuple[float, float]]] = {}
    out_dir = Path(__file__).resolve().parents[1] / "src" / "assetmap" / SOURCES_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = {}
    for name, rows in makers.items():
        kept, unplaced, twins = [], 0, 0
        for r in rows:
            r["postcode"] = re.sub(r"\s+", " ", r["postcode"].strip().upper())
            if not re.search(r"[A-Za-z]", r["name"]):
                continue  # OS Open Map Local names some buildings by number only ("79 81")
            england_check = r["notes"] == "england-check"
            r["notes"] = "" if england_check else r["notes"]
            asset = Asset.from_row(r, categories=categories)
            if asset.lat is None or not asset.area:
                locate_asset(asset, gaz)
            if asset.lat is None:
                unplaced += 1
                continue
            if england_check and council_code(gaz, asset.postcode).startswith("E"):
                continue  # an English library that DCMS lists as closed, or one in GM's list
            # Lists repeat places (same name and postcode, or within 200 m): the first keeps it.
            near_twin = any(
                distance_km(asset.lat, asset.lon, lat, lon) <= 0.2
                for lat, lon in places.get(slug(asset.name), [])
            )
            if asset.id in seen or near_twin:
                twins += 1
                continue
            seen.add(asset.id)
            places.setdefault(slug(asset.name), []).append((asset.lat, asset.lon))
            kept.append(asset)
        kept, parts = merge_parts(kept)
        twins += parts
        kept = [[stored[c] for c in STORED_COLUMNS] for stored in map(_db_values, kept)]
        file = f"{name}.csv.gz"
        # mtime=0: the same data gives the same bytes, so a rebuild shows no change in git.
        with gzip.GzipFile(out_dir / file, "wb", mtime=0) as fh:
            fh.write(_csv_text(kept).encode("utf-8"))
        manifest[name] = {**SOURCES[name], "file": file, "assets": len(kept)}
        print(f"{name}: {len(kept)} assets ({unplaced} not placed, {twins} repeats left out)")
    (out_dir / "sources.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    notice = ["Bundled sources, built by scripts/build_sources.py from open datasets.", ""]
    for name, m in manifest.items():
        notice += [f"{name}.csv.gz: {m['title']} ({m['assets']} assets, {m['retrieved']})",
                   f"  {m['attribution']}", f"  Licence: {m['licence']}", f"  From {m['origin']}", ""]  # fmt: skip
    (out_dir / "NOTICE").write_text("\n".join(notice))


def _csv_text(rows: list[list]) -> str:
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(STORED_COLUMNS)
    writer.writerows(["" if v is None else v for v in r] for r in rows)
    return buf.getvalue()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
