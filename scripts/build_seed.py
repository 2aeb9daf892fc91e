"""Build data/seed_assets.csv from the open datasets in ../shared/data/assets (a developer tool;
the installed package never runs it). Run from the repository root:

    python scripts/build_seed.py ../shared/data

Mapping is deliberately conservative: a field the source does not state stays blank (unknown).
Hand-written examples cover kinds the open data lacks; their source says so and their names end
in "[example]"; their postcodes are real so distances are realistic.
"""

from __future__ import annotations

import csv
import gzip
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from assetmap.catalogue import schedule  # noqa: E402
from assetmap.catalogue.models import COLUMNS, DEFAULT_CATEGORIES, Asset, slug  # noqa: E402
from assetmap.errors import InvalidValue  # noqa: E402
from assetmap.places.distance import distance_km  # noqa: E402

EXAMPLE_SOURCE = "example: hand-written, not a real organisation"


def clean(v: str | None) -> str:
    v = (v or "").strip()
    return "" if v in ("NA", "Not known", "Not relevant") else v


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def first_email(text: str) -> str:
    m = re.search(r"[^@\s]+@[^@\s]+\.[^@\s]+", text or "")
    return m.group(0) if m else ""


def first_url(text: str) -> str:
    for token in (text or "").split():
        if "." in token and "@" not in token and token.lower() not in ("not", "known", "none"):
            return token
    return ""


def try_schedule(text: str) -> tuple[str, str]:
    """(schedule, leftover note): the text as a schedule when it parses, else as a note."""
    text = clean(text)
    if not text:
        return "", ""
    try:
        return schedule.normalise(text), ""
    except InvalidValue:
        return "", f"Opening times as published: {text}"


def referral_from(text: str) -> str:
    t = text.lower()
    if "member" in t:
        return "membership"
    if "self" in t and "refer" in t:
        return "self-referral"
    if any(w in t for w in ("voucher", "referral", "assessment", "refer")):
        return "referral-needed"
    if any(w in t for w in ("open door", "first come", "no evidence")):
        return "drop-in"
    return ""


def row(**kw) -> dict[str, str]:
    out = dict.fromkeys(COLUMNS, "")
    out.update({k: "" if v is None else str(v) for k, v in kw.items()})
    return out


def gm_food_banks(base: Path):
    src = "GM food banks 2018, GM Poverty Action via Trafford Data Lab (OGL v3)"
    for r in read_csv(base / "trafford_gm/gm_food_banks_2018.csv"):
        sched, note = try_schedule(r["opening_times"])
        how = clean(r["referral_method"])
        notes = "; ".join(x for x in (note, f"How to get help: {how}" if how else "") if x)
        status = "closed" if "no longer open" in how.lower() else "active"
        yield row(
            name=r["name"], category="foodbank", tags="food;foodbank", address=r["address"],
            postcode=r["postcode"], area=r["area_name"], lat=r["lat"], lon=r["lon"],
            website=first_url(r["website"]), email=first_email(r["contact"]),
            phone="" if "@" in r["contact"] else clean(r["contact"])[:40],
            schedule=sched, cost="free", referral=referral_from(how), capital="bonding",
            status=status, source=src, notes=notes,
        )  # fmt: skip


def gm_libraries(base: Path):
    src = "GM libraries, DCMS list amended by GM councils via Trafford Data Lab (OGL v3)"
    for r in read_csv(base / "trafford_gm/gm_libraries.csv"):
        yield row(
            name=r["name"], category="library", tags="books;reading;computers;learning",
            description=r["type"], address=r["address"], postcode=r["postcode"],
            area=r["area_name"], lat=r["lat"], lon=r["lon"], email=first_email(r["email"]),
            website=first_url(r["website"]), cost="free", referral="drop-in", capital="bridging",
            source=src,
        )  # fmt: skip


def trafford_clubs(base: Path):
    src = "Trafford sports clubs 2018, Trafford Council via Trafford Data Lab (OGL v3)"
    for r in read_csv(base / "trafford_gm/trafford_sports_clubs_2018.csv"):
        sports = [s.strip().lower() for s in r["category"].split(",")]
        football = "football" in sports and "gaelic football" not in sports
        yield row(
            name=r["name"], category="football team" if football else "sports club",
            tags=";".join([*sports, "sport", "team"]), description=r["category"],
            address=r["address"], postcode=r["postcode"], area="Trafford", lat=r["lat"],
            lon=r["lon"], capital="bridging", source=src,
        )  # fmt: skip


def trafford_gyms(base: Path):
    src = "Active Places, Contains Data © Sport England (CC BY 4.0), via Trafford Data Lab"
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
            phone=clean(r["telephone"]), email=first_email(r["email"]), website=first_url(r["website"]),
            cost=cost, referral=referral, accessibility="step-free entrance" if step_free else "",
            capital="bridging", verified_on=r["site_last_updated_date"], source=src,
        )  # fmt: skip


FAITH_WORDS = {"mosque": "islam", "masjid": "islam", "synagogue": "judaism",
               "gurdwara": "sikhism", "mandir": "hinduism", "temple": "", "church": "christianity",
               "chapel": "christianity", "cathedral": "christianity", "methodist": "christianity",
               "baptist": "christianity", "quaker": "christianity", "kingdom hall": "",
               "buddhist": "buddhism"}  # fmt: skip


def gm_worship(base: Path, per_area: int = 8):
    src = "OS Open Map Local places of worship 2018, via Trafford Data Lab (OGL v3; Contains OS data © Crown copyright and database right 2018)"  # noqa: E501
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
            source=src,
        )  # fmt: skip


def givefood(base: Path):
    src = "Give Food (givefood.org.uk), about mid-2024, public domain"
    for r in read_csv(base / "givefood/givefood_foodbanks_sample.csv"):
        if r["closed"] == "True" or not r["latt_long"]:
            continue
        lat, lon = r["latt_long"].split(",")
        yield row(
            name=r["name"], category="foodbank", tags="food;foodbank", address=r["address"],
            postcode=r["postcode"] if not r["postcode"].startswith("BT") else r["postcode"],
            area=r["district"], lat=lat, lon=lon, phone=clean(r["phone"]),
            email=first_email(r["email"]), website=first_url(r["url"]), cost="free",
            referral="referral-needed" if r["network"] == "Trussell" else "",
            capital="bonding", source=src,
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


def load_postcodes(geo: Path, wanted: set[str]) -> dict[str, tuple[str, str]]:
    found = {}
    with gzip.open(geo / "gb_postcodes_live.csv.gz", "rt") as fh:
        for r in csv.DictReader(fh):
            if r["postcode"] in wanted:
                found[r["postcode"]] = (r["lat"], r["lon"])
    return found


def district_councils(geo: Path) -> dict[str, str]:
    names = {r["lad_code"]: r["name"] for r in read_csv(geo / "gb_lad_centroids_gss.csv")}
    return {
        r["outcode"]: names.get(r["lad_code"], "")
        for r in read_csv(geo / "gb_postcode_districts.csv")
    }  # noqa: E501


def examples(geo: Path):
    wanted = {e[3] for e in EXAMPLES}
    points = load_postcodes(geo, wanted)
    councils = district_councils(geo)
    for (name, cat, tags, pc, sched, cost, referral, conv, dbs, kids, gender, min_age, capital,
         desc) in EXAMPLES:  # fmt: skip
        if pc not in points:
            # Pick the first live postcode in the same sector instead, so examples stay real.
            raise SystemExit(f"example postcode {pc} is not a live postcode; choose another")
        lat, lon = points[pc]
        yield row(
            name=f"{name} [example]", category=cat, tags=tags, description=desc, postcode=pc,
            area=councils.get(pc.split()[0], ""), lat=lat, lon=lon, schedule=sched, cost=cost,
            referral=referral, welcomes_convictions=conv, dbs_required=dbs,
            involves_children=kids, gender=gender, min_age=min_age or "", capital=capital,
            verified_on="2026-11-01", source=EXAMPLE_SOURCE,
        )  # fmt: skip


def main(shared_data: str) -> None:
    base = Path(shared_data)
    assets, geo = base / "assets", base / "geo"
    rows = [
        *examples(geo), *gm_food_banks(assets), *gm_libraries(assets), *trafford_clubs(assets),
        *trafford_gyms(assets), *gm_worship(assets), *givefood(assets),
    ]  # fmt: skip
    categories = {c: c for c in DEFAULT_CATEGORIES}
    unique, seen, places = [], set(), {}
    for r in rows:
        r["postcode"] = re.sub(r"\s+", " ", r["postcode"].strip().upper())
        if not re.search(r"[A-Za-z]", r["name"]):
            continue  # OS Open Map Local names some buildings by number only ("79 81")
        # The source lists repeat some places (same name and postcode, or within 200 m).
        asset = Asset.from_row(r, categories=categories)
        near_twin = any(
            distance_km(asset.lat, asset.lon, lat, lon) <= 0.2
            for lat, lon in places.get(slug(asset.name), [])
        )
        if asset.id not in seen and not near_twin:
            seen.add(asset.id)
            places.setdefault(slug(asset.name), []).append((asset.lat, asset.lon))
            unique.append(r)
    rows = unique
    out = Path(__file__).resolve().parents[1] / "data" / "seed_assets.csv"
    with open(out, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} assets to {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
