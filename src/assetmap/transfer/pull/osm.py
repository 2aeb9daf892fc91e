"""OpenStreetMap through the Overpass API: the named places a practitioner asks for (worship,
community centres, food banks and shelters, allotments and community gardens, sports clubs and
centres, gyms, pools, parks and nature reserves, youth centres, men's sheds, libraries) within
a circle, as nodes, ways and relations (`out center`: a way or relation is placed at its centre).

Overpass's usage policy: one query at a time, a [timeout:] in the query, a User-Agent naming
the client. Overpass reports a failed query (timed out, out of memory) inside a 200 answer, as
a `remark`: that is a failure here, never "nothing found".
"""

from __future__ import annotations

import re

from assetmap.errors import FeedError

NAME = "osm"
TITLE = "OpenStreetMap (Overpass API)"
LICENCE = "ODbL 1.0"
ATTRIBUTION = "© OpenStreetMap contributors"
URL = "https://overpass-api.de/api/interpreter"
ENV = "ASSETMAP_OVERPASS_URL"
NEEDS_AREA = True
MIN_INTERVAL = 1.0  # Overpass: one query at a time, and not in a tight loop
QUERY_TIMEOUT_S = 90

# (key, values) asked for; every one must also carry a name.
WANTED = [
    ("amenity", "place_of_worship|community_centre|social_facility|library|social_centre"),
    (
        "leisure",
        "sports_centre|fitness_centre|swimming_pool|park|nature_reserve|sports_club|garden",
    ),
    ("landuse", "allotments"),
    ("club", "sport|mens_shed"),
    ("community_centre", "youth_centre|mens_shed"),
]

# religion -> the tags a goal reads (find faith: christianity, islam, ...) and the building's
# everyday name where OSM's building tag does not say it.
RELIGION = {
    "christian": ["christianity", "church"], "muslim": ["islam", "mosque"],
    "sikh": ["sikhism", "gurdwara"], "jewish": ["judaism", "synagogue"],
    "hindu": ["hinduism", "mandir", "temple"], "buddhist": ["buddhism", "temple"],
    "quaker": ["christianity", "quaker", "meeting house"],
}  # fmt: skip
WHEELCHAIR = {
    "yes": "wheelchair accessible", "designated": "wheelchair accessible",
    "limited": "limited wheelchair access", "no": "not wheelchair accessible",
}  # fmt: skip


def query(area, timeout: int = QUERY_TIMEOUT_S) -> str:
    """The Overpass QL for the area: named features of the wanted kinds, with their centres."""
    around = f"(around:{round(area.radius_km * 1000)},{area.lat:.6f},{area.lon:.6f})"
    parts = [f'nwr["{k}"~"^({v})$"]["name"]{around};' for k, v in WANTED]
    return f"[out:json][timeout:{timeout}];\n(\n  " + "\n  ".join(parts) + "\n);\nout center tags;"


def read(client, *, url: str, area, categories, progress=None):
    """Records (label, raw, fields, problems) for the area's features, and the query's words."""
    if area is None:
        raise FeedError("osm needs an area: give --area PLACE or --around PLACE@RADIUS")
    data = client.json(url, data={"data": query(area)})
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        raise FeedError(f"{url} did not answer with Overpass JSON (no elements); nothing was written")  # fmt: skip
    remark = str(data.get("remark") or "")
    if re.search(r"error|timed out|out of memory", remark, re.I):
        raise FeedError(f"Overpass could not finish the query ({remark.strip()}); nothing was written; try a smaller --around or later")  # fmt: skip
    if progress:
        progress(f"{len(data['elements'])} features read")
    records: list[tuple[str, dict, dict, list]] = []
    for element in data["elements"]:
        fields = to_fields(element)
        if fields is None:
            continue
        label = f"{element.get('type')}/{element.get('id')}"
        records.append((label, fields, fields, []))
    return records


def to_fields(element: dict) -> dict[str, str] | None:
    """One Overpass element as asset fields; None for a feature left out (unnamed, no
    position, or not a kind a person asks for)."""
    if not isinstance(element, dict):
        return None
    # Overpass gives tags as text: anything else in an answer (broken or hostile) is left out,
    # never a traceback (found by fuzzing this mapping).
    raw_tags = element.get("tags")
    tags = {k: v for k, v in raw_tags.items() if isinstance(v, str)} if isinstance(raw_tags, dict) else {}  # fmt: skip
    name = (tags.get("name") or "").strip()
    center = element.get("center")
    centre = center if isinstance(center, dict) else element
    lat, lon = centre.get("lat"), centre.get("lon")
    if not name or lat is None or lon is None:
        return None
    kind = classify(tags)
    if kind is None:
        return None
    category, kind_tags, extra = kind
    schedule, raw_hours = opening_hours(tags.get("opening_hours", ""))
    description = [extra] if extra else []
    if raw_hours:
        description.append(f"Opening hours as OpenStreetMap has them: {raw_hours}")
    if tags.get("description"):
        description.append(tags["description"].strip())
    address = ", ".join(
        x for x in (" ".join(filter(None, (tags.get("addr:housenumber"), tags.get("addr:street")))),
                    tags.get("addr:city") or tags.get("addr:town") or "") if x
    )  # fmt: skip
    fee = (tags.get("fee") or "").lower()
    return {
        "id": osm_id(name, element),
        "name": name, "category": category, "tags": ";".join(dict.fromkeys(kind_tags)),
        "description": " ".join(description), "address": address,
        "postcode": tags.get("addr:postcode", ""), "lat": str(lat), "lon": str(lon),
        "phone": _first(tags.get("phone") or tags.get("contact:phone") or ""),
        "email": _first(tags.get("email") or tags.get("contact:email") or ""),
        "website": _first(tags.get("website") or tags.get("contact:website") or ""),
        "schedule": schedule, "accessibility": WHEELCHAIR.get(tags.get("wheelchair", ""), ""),
        "cost": "free" if fee == "no" else "paid" if fee == "yes" else "",
        "notes": f"OpenStreetMap {element.get('type')} {element.get('id')}",
    }  # fmt: skip


def osm_id(name: str, element: dict) -> str:
    """A readable id that stays with the OpenStreetMap feature when it moves or is re-mapped:
    its name and its OSM type and number ('st-marys-church-osm-w12345')."""
    from assetmap.catalogue.models import slug

    ref = f"osm-{str(element.get('type', 'x'))[:1]}{element.get('id')}"
    return f"{slug(name)[: 79 - len(ref)].strip('-') or 'asset'}-{ref}"


def classify(tags: dict) -> tuple[str, list[str], str] | None:
    """(category, tags, a line of description) for the kinds of place a practitioner asks for."""
    amenity, leisure = tags.get("amenity", ""), tags.get("leisure", "")
    sports = [s.strip().replace("_", " ") for s in tags.get("sport", "").split(";") if s.strip()]
    if tags.get("club") == "mens_shed" or tags.get("community_centre") == "mens_shed":
        return "community centre", ["men's shed", "men", "practical skills", "meet people", "community"], "Men's shed"  # fmt: skip
    if tags.get("community_centre") == "youth_centre":
        return "community centre", ["youth", "young people", "community", "social"], "Youth centre"  # fmt: skip
    if amenity == "place_of_worship":
        religion = tags.get("religion", "")
        denomination = tags.get("denomination", "").replace("_", " ")
        words = ["faith", "worship", *RELIGION.get(religion, [religion] if religion else [])]
        if denomination:
            words.append(denomination)
        building = tags.get("building", "")
        if building in ("church", "mosque", "gurdwara", "synagogue", "temple", "chapel", "cathedral"):  # fmt: skip
            words.append(building)
        line = " ".join(x for x in (denomination, religion) if x).strip()
        return "faith group", words, f"Place of worship ({line})" if line else "Place of worship"
    if amenity == "social_facility":
        facility = tags.get("social_facility", "")
        if facility == "food_bank":
            return "foodbank", ["food", "foodbank"], "Food bank"
        if facility == "soup_kitchen":
            return "foodbank", ["food", "meals", "soup kitchen"], "Soup kitchen"
        if facility == "shelter":
            return "housing support", ["shelter", "housing", "homeless"], "Shelter"
        return None  # care homes, day centres for other groups: not asked for here
    if amenity in ("community_centre", "social_centre"):
        return "community centre", ["community", "social", "meet people"], ""
    if amenity == "library":
        return "library", ["books", "reading", "learning", "computers"], ""
    if leisure == "fitness_centre":
        return "gym", ["gym", "fitness", "exercise"], ""
    if leisure == "swimming_pool":
        if tags.get("access") in ("private", "no", "customers") and not tags.get("opening_hours"):
            return None  # a hotel's or a garden's pool
        return "leisure centre", ["swimming", "fitness", "exercise"], "Swimming pool"
    if leisure == "sports_centre":
        words = ["sport", "fitness", *sports]
        if "swimming" in sports:
            words.append("swimming")
        return "leisure centre", words, ""
    if leisure == "sports_club" or tags.get("club") == "sport":
        words = ["sport", "team", *sports]
        return ("football team" if sports == ["soccer"] else "sports club"), words, ""
    if leisure in ("park", "nature_reserve"):
        return "park", ["outdoors", "nature", "walking", "green space"], ("Nature reserve" if leisure == "nature_reserve" else "")  # fmt: skip
    if tags.get("landuse") == "allotments":
        return "gardening", ["gardening", "growing", "allotment", "outdoors"], "Allotments"
    if leisure == "garden" and tags.get("garden:type") == "community":
        return "gardening", ["gardening", "growing", "community garden", "outdoors", "community"], "Community garden"  # fmt: skip
    return None


_OSM_DAYS = {"Mo": "Mon", "Tu": "Tue", "We": "Wed", "Th": "Thu", "Fr": "Fri", "Sa": "Sat", "Su": "Sun"}  # fmt: skip
_RULE = re.compile(r"^((?:Mo|Tu|We|Th|Fr|Sa|Su)(?:\s*[-,]\s*(?:Mo|Tu|We|Th|Fr|Sa|Su))*)\s+(\d\d:\d\d-\d\d:\d\d(?:\s*,\s*\d\d:\d\d-\d\d:\d\d)*)$")  # fmt: skip


def opening_hours(text: str) -> tuple[str, str]:
    """OSM opening_hours as a schedule ('Mo-Fr 09:00-17:00; Sa 10:00-12:00' ->
    'Mon-Fri 09:00-17:00; Sat 10:00-12:00'), or ('', the raw text) when it does not parse
    (public holidays, months, 'off', '24/7', comments)."""
    from assetmap.catalogue import schedule

    text = " ".join((text or "").split())
    if not text:
        return "", ""
    sessions = []
    for rule in (r.strip() for r in re.split(r";|,\s*(?=(?:Mo|Tu|We|Th|Fr|Sa|Su)\b)", text)):
        if not rule:
            continue
        m = _RULE.match(rule)
        if not m:
            return "", text
        days = re.sub(r"Mo|Tu|We|Th|Fr|Sa|Su", lambda d: _OSM_DAYS[d.group(0)], m.group(1))
        days = re.sub(r"\s+", "", days)
        sessions += [f"{days} {t.strip()}" for t in m.group(2).split(",")]
    out = "; ".join(sessions)
    try:
        schedule.parse(out)
    except Exception:  # noqa: BLE001 (any unparseable text is kept raw, never lost)
        return "", text
    return out, ""


def _first(value: str) -> str:
    """OSM separates several values with ';': the first one."""
    return value.split(";")[0].strip()
