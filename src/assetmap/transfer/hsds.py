"""The one Open Referral mapping: an asset <-> a nested HSDS 3.0 / Open Referral UK service.

`asset_to_service(asset)` gives the service as an API's `/services/{id}` returns it: the
organisation, the location with its address and accessibility, phones, schedules, cost options
and attributes nested inside. Its ids are UUIDs derived from the asset's id (uuid5), so an
export made twice has the same ids. Only public fields, unless `include_staff`: then the work
contact is a contact marked by an `assetmap` attribute, and the staff-only fields are
attributes, so the team's own export round-trips.

`service_to_asset(service)` reads one such service, from us or any publisher, into an asset and
the problems that stop it. The folder import joins its tables into this shape first (see
openreferral.py), the API import reads it as served, and the tabular export flattens it.

assetmap's own fields that HSDS has no exact field for (category, tags, flags, capital, ...)
are attributes against an `assetmap` taxonomy. Another publisher's taxonomy terms give the
category (by name, through the catalogue's term table, or the import's --category default) and
the tags; what HSDS says that assetmap has no field for (cost amounts, languages, eligibility,
how to apply) is kept in the notes.
"""

from __future__ import annotations

import functools
import hashlib
import html
import math
import re
import uuid
from collections.abc import Iterable

from assetmap.catalogue import schedule
from assetmap.catalogue.vocab import PARTNERSHIP_FIELDS, STAFF_ONLY
from assetmap.errors import FieldProblem

# uuid5 namespace of every id assetmap writes (itself uuid5(NAMESPACE_URL, "assetmap.hsds")).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/assetmap/assetmap/hsds")
_NAMESPACE_BYTES = NAMESPACE.bytes
TAXONOMY = "assetmap"  # the name of our taxonomy (and its id in packages written before UUIDs)
TAXONOMY_ID = str(uuid.uuid5(NAMESPACE, "taxonomy:assetmap"))
TAXONOMY_DESCRIPTION = "assetmap's own fields: what matters when referring people on probation"
# assetmap fields carried as attributes (those with no HSDS field that keeps them exactly).
ATTRIBUTE_FIELDS = [
    "id", "category", "tags", "address", "area", "schedule", "cost", "gender", "accessibility",
    "referral", "welcomes_convictions", "dbs_required", "involves_children", "capital", "source",
    "notes", "partnership_status", "referral_route", "referral_details", "welcomes_mentor",
    "last_contact", "next_contact", "staff_notes", "geo_precision",
]  # fmt: skip
# How precise a point is (geo_precision): a point placed only at district level stays coarse.
PRECISIONS = ("given", "coordinates", "postcode", "sector", "district", "place", "council")
LIST_FIELDS = ("tags", "capital")
# The attribute on a contact that makes it the team's work contact (staff only).
STAFF_CONTACT = "staff_contact"
STATUS_OUT = {"active": "active", "temporarily-closed": "temporarily closed", "closed": "defunct"}
STATUS_IN = {"active": "active", "temporarily closed": "temporarily-closed",
             "temporarily-closed": "temporarily-closed", "inactive": "temporarily-closed",
             "defunct": "closed", "closed": "closed"}  # fmt: skip
BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
REFERRAL_TEXT = {"drop-in": "Drop in", "self-referral": "Self-referral",
                 "referral-needed": "Referral needed", "membership": "Membership"}  # fmt: skip


def uid(kind: str, key: str) -> str:
    """The stable UUID of one part of an asset's service (`kind`) or of a taxonomy term:
    str(uuid.uuid5(NAMESPACE, f"{kind}:{key}")), made without a UUID object (an export of the
    bundled catalogue makes 200,000 of them; this takes a third of the time)."""
    h = bytearray(hashlib.sha1(_NAMESPACE_BYTES + f"{kind}:{key}".encode()).digest()[:16])
    h[6] = h[6] & 0x0F | 0x50  # version 5
    h[8] = h[8] & 0x3F | 0x80  # the RFC 4122 variant
    x = h.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


@functools.cache
def term_id(field: str) -> str:
    # One per field, asked for by each of every service's attributes: an export of the bundled
    # catalogue made 280,000 UUIDs of some 30 fields (a third of its time).
    return uid("term", field)


def taxonomy_term(field: str) -> dict:
    return {
        "id": term_id(field), "code": field, "name": field,
        "description": f"assetmap field '{field}' (its value is the attribute's value)",
        "taxonomy": TAXONOMY, "taxonomy_id": TAXONOMY_ID,
        "taxonomy_detail": {"id": TAXONOMY_ID, "name": TAXONOMY, "description": TAXONOMY_DESCRIPTION,
                            "uri": "https://github.com/assetmap/assetmap", "version": "2"},
    }  # fmt: skip


def attribute_fields(include_staff: bool) -> list[str]:
    return (
        ATTRIBUTE_FIELDS if include_staff else [f for f in ATTRIBUTE_FIELDS if f not in STAFF_ONLY]
    )


# -- asset -> service ------------------------------------------------------------------------
def asset_to_service(asset, *, include_staff: bool = False) -> dict:
    """One asset as a nested HSDS 3.0 service (public fields only unless include_staff)."""
    a, key = asset, asset.id
    sid, oid, lid = uid("service", key), uid("organization", key), uid("location", key)
    description = a.description or a.name
    service: dict = {
        "id": sid, "organization_id": oid, "name": a.name, "description": a.description,
        "url": a.website, "email": a.email, "status": STATUS_OUT.get(a.status, "active"),
        "application_process": _application_process(a),
        "fees_description": {"free": "Free", "low": "Low cost", "paid": "Paid"}.get(a.cost, ""),
        "eligibility_description": _eligibility(a),
        "minimum_age": a.min_age, "maximum_age": a.max_age, "assured_date": a.verified_on,
    }  # fmt: skip
    service = {k: v for k, v in service.items() if v not in ("", None)}
    service["organization"] = _drop_blank({
        "id": oid, "name": a.name, "description": description, "email": a.email,
        "website": a.website,
    })  # fmt: skip
    location = _drop_blank({"id": lid, "location_type": "physical", "name": a.name,
                            "latitude": a.lat, "longitude": a.lon})  # fmt: skip
    if a.postcode or a.address:
        location["addresses"] = [_address(a, lid)]
    if a.accessibility:
        location["accessibility"] = [{"id": uid("accessibility", key), "location_id": lid,
                                      "description": a.accessibility}]  # fmt: skip
    service["service_at_locations"] = [{"id": uid("service_at_location", key), "service_id": sid,
                                        "location_id": lid, "location": location}]  # fmt: skip
    contacts = []
    if a.phone:
        # HSDS links a phone to the service; the UK profile only to a contact: one phone, both.
        cid = uid("contact", key)
        phone = {"id": uid("phone", key), "service_id": sid, "contact_id": cid, "number": a.phone}
        service["phones"] = [phone]
        contacts.append({"id": cid, "service_id": sid, "title": "Enquiries", "phones": [phone]})
    if include_staff and any(getattr(a, f) for f in ("contact_name", "contact_role", "contact_email", "contact_phone")):  # fmt: skip
        contacts.append(_staff_contact(a, sid))
    if contacts:
        service["contacts"] = contacts
    service["schedules"] = _schedules(a, sid)
    if a.cost:
        service["cost_options"] = [_drop_blank({
            "id": uid("cost_option", key), "service_id": sid, "option": service["fees_description"],
            "currency": "GBP", "amount": 0 if a.cost == "free" else None,
        })]  # fmt: skip
    service["attributes"] = _attributes(a, sid, include_staff)
    return {k: v for k, v in service.items() if v != []}


# The fields HSDS 3.0 requires that an asset may not give (the rest are always filled).
_REQUIRED_ADDRESS = ("address_1", "city", "state_province", "postal_code")


def missing_required(service: dict) -> list[str]:
    """The required HSDS fields `service` (from asset_to_service) leaves blank, e.g.
    'address city' for an asset with no area; [] for a complete one."""
    out = []
    for sal in service.get("service_at_locations", []):
        for address in sal["location"].get("addresses", []):
            out += [f"address {f}" for f in _REQUIRED_ADDRESS if not address.get(f)]
    return out


def _drop_blank(d: dict) -> dict:
    return {k: v for k, v in d.items() if v not in ("", None)}


def _address(a, lid: str) -> dict:
    lines = [x.strip() for x in re.split(r"[\n,]", a.address) if x.strip()]
    return {
        "id": uid("address", a.id), "location_id": lid,
        # HSDS requires a first line: a building known by its name is addressed by it.
        "address_1": lines[0] if lines else a.name,
        "address_2": ", ".join(lines[1:]), "city": a.area, "state_province": a.area,
        "postal_code": a.postcode, "country": "GB", "address_type": "physical",
    }  # fmt: skip


def _application_process(a) -> str:
    parts = [REFERRAL_TEXT.get(a.referral, "")]
    if a.referral_route:
        parts.append(f"refer by {a.referral_route}")
    if a.referral_details:
        parts.append(a.referral_details)
    return "; ".join(p for p in parts if p)


def _eligibility(a) -> str:
    parts = []
    if a.gender in ("women", "men"):
        parts.append(f"{a.gender.title()} only")
    if a.min_age is not None and a.max_age is not None:
        parts.append(f"ages {a.min_age} to {a.max_age}")
    elif a.min_age is not None:
        parts.append(f"ages {a.min_age} and over")
    elif a.max_age is not None:
        parts.append(f"ages up to {a.max_age}")
    return "; ".join(parts)


def _staff_contact(a, sid: str) -> dict:
    cid = uid("staff_contact", a.id)
    contact = _drop_blank({"id": cid, "service_id": sid, "name": a.contact_name,
                           "title": a.contact_role, "email": a.contact_email})  # fmt: skip
    if a.contact_phone:
        contact["phones"] = [{"id": uid("staff_phone", a.id), "contact_id": cid,
                              "number": a.contact_phone}]  # fmt: skip
    contact["attributes"] = [{
        "id": uid("staff_contact_attribute", a.id), "link_id": cid, "link_type": "contact",
        "link_entity": "contact", "taxonomy_term_id": term_id(STAFF_CONTACT),
        "taxonomy_term": taxonomy_term(STAFF_CONTACT), "value": "yes",
    }]  # fmt: skip
    return contact


def _schedules(a, sid: str) -> list[dict]:
    by_time: dict[tuple[int, int], list[int]] = {}
    for s in a.sessions:
        by_time.setdefault((s.start, s.end), []).append(s.day)
    out = []
    for n, ((start, end), days) in enumerate(by_time.items()):
        out.append({
            "id": uid("schedule", f"{a.id}:{n}"), "service_id": sid, "freq": "WEEKLY",
            "byday": ",".join(BYDAY[d] for d in sorted(set(days))),
            "opens_at": schedule.fmt_time(start) + ":00", "closes_at": schedule.fmt_time(end) + ":00",
            "description": a.schedule,
        })  # fmt: skip
    return out


def _attributes(a, sid: str, include_staff: bool) -> list[dict]:
    out = []
    for field in attribute_fields(include_staff):
        value = getattr(a, field)
        values = value if field in LIST_FIELDS else [value]
        for i, v in enumerate(values):
            if v in ("", None):
                continue
            out.append({
                "id": uid("attribute", f"{a.id}:{field}:{i}"), "link_id": sid,
                "link_type": "service", "link_entity": "service", "taxonomy_term_id": term_id(field),
                "taxonomy_term": taxonomy_term(field), "value": str(v),
            })  # fmt: skip
    return out


# -- service -> asset ------------------------------------------------------------------------
def service_to_asset(service, *, categories: dict[str, str] | None = None,
                     terms: dict[str, str] | None = None, default_category: str = ""):  # fmt: skip
    """(Asset, []) for a service that maps, else (None, problems): every problem the service
    has, each a FieldProblem naming the asset's column. `categories` maps a lower-case name to
    the category (default: the bundled vocabulary), `terms` a publisher's lower-case taxonomy
    term to a category, and `default_category` is for a service none of its terms maps."""
    from assetmap.catalogue.models import DEFAULT_CATEGORIES, Asset
    from assetmap.errors import InvalidRecord

    if categories is None:
        categories = {c.lower(): c for c in DEFAULT_CATEGORIES}
    fields, problems = service_fields(service, categories=categories, terms=terms,
                                      default_category=default_category)  # fmt: skip
    try:
        asset = Asset.from_row(fields, categories=categories)
    except InvalidRecord as exc:
        problems = problems + [
            p for p in exc.problems if p.column not in {q.column for q in problems}
        ]
        asset = None
    return (None, problems) if problems else (asset, [])


def service_fields(service, *, categories: dict[str, str], terms: dict[str, str] | None = None,
                   default_category: str = "", scope: str = "") -> tuple[dict[str, str], list[FieldProblem]]:  # fmt: skip
    """The asset's raw cells (as a CSV row would give them) read from one nested service, and
    the problems found reading it (a cost that is not a number, a category none of its terms
    gives). Never raises on a malformed service: any shape is read as far as it goes.
    `scope` (the source's name) keeps a publisher's numbered id apart from every other
    publisher's: ORUK v1's 6378 from source bucks is the asset bucks-6378."""
    s = _dict(service)
    ours, theirs = _service_attributes(s)
    locations = _locations(s)
    location = locations[0] if locations else {}
    problems: list[FieldProblem] = []
    fields = {**_service_cells(s, location), **_address_fields(location)}
    public, staff, staff_ids = _contacts(s, _is_legacy(s))
    phones = _public_phones(s, location, public, staff_ids)
    fields["phone"] = phones[0] if phones else ""
    emails = [e for c in public if (e := _text(c.get("email")))]
    if not fields["email"]:
        fields["email"] = next((e for e in emails if _EMAILISH.search(e)), "")
    if staff is not None:
        fields.update(staff)
    fields["cost"], amounts, problem = _cost(_list(s.get("cost_options")), s.get("free") is True)
    if problem:
        problems.append(problem)
    fields["accessibility"] = _sentences(dict.fromkeys(
        t for loc in locations for a in _accessibility(loc)
        for t in (_text(a.get("description")) or _text(a.get("accessibility")) or _text(a.get("name")),
                  _text(a.get("details")))
    ))  # fmt: skip
    names = [t for t in theirs if t] + _their_terms(s)
    audiences = _audiences(s)
    if names or audiences:
        fields["tags"] = "; ".join(dict.fromkeys(n.lower() for n in names + audiences))
    if "id" in ours:
        # Our own export (it names the asset's id): the fields it carries as attributes come
        # from them alone (a field without one was blank), not from what HSDS approximates;
        # its notes too, whole.
        fields.update({f: "" for f in attribute_fields(include_staff=False) if f not in PARTNERSHIP_FIELDS})  # fmt: skip
    else:
        fields["description"] = _plain(fields["description"])
        also = {
            "phones": phones[1:], "emails": [e for e in dict.fromkeys(emails) if e != fields["email"]],
            "places": [_place_text(loc) for loc in locations[1:]],
            "links": [x for x in _links(s) if x != fields["website"]],
        }  # fmt: skip
        fields["notes"] = _notes(s, public, amounts, also)
    for field, values in ours.items():
        fields[field] = ";".join(values) if field in LIST_FIELDS else values[0]
    if fields.get("geo_precision") not in PRECISIONS or not fields["lat"]:
        fields.pop("geo_precision", None)  # unknown, or no point: the point is as given
    if "id" not in ours or not fields.get("id"):
        fields["id"] = scoped_id(_text(s.get("id")), scope)
    if "category" not in ours:
        fields["category"] = (
            _category(names + audiences, categories, terms or {}) or default_category
        )
        if not fields["category"]:
            problems.append(_no_category(names + audiences))
    return fields, problems


def scoped_id(sid: str, scope: str) -> str:
    """A publisher's id as the asset's: a bare number (an ORUK v1 row number, unique only
    within its publisher) is kept under the source's name; any other id as given."""
    if not scope or not sid.isascii() or not sid.isdigit():
        return sid
    prefix = re.sub(r"[^A-Za-z0-9._-]+", "-", scope).strip("-.")[: 79 - len(sid)].rstrip("-.")
    return f"{prefix}-{sid}" if prefix else sid


def _service_cells(s: dict, location: dict) -> dict[str, str]:
    """The cells HSDS has a field for, as text (a bad value as written, for validation)."""
    # ORUK v1 feeds (Outpost) spell it organisation, give min_age/max_age and a GeoJSON point.
    org = _dict(s.get("organization")) or _dict(s.get("organisation"))
    lon_lat = _dict(location.get("geometry")).get("coordinates")
    lon_lat = lon_lat if isinstance(lon_lat, list) and len(lon_lat) == 2 else [None, None]
    return {
        "id": _text(s.get("id")), "name": _text(s.get("name")) or _text(org.get("name")),
        "description": _text(s.get("description")),
        "website": _text(s.get("url")) or _text(org.get("website")) or _text(org.get("url")),
        "email": _text(s.get("email")) or _text(org.get("email")),
        "status": STATUS_IN.get(_text(s.get("status")).lower() or "active", _text(s.get("status"))),
        "min_age": _age(s.get("minimum_age", s.get("min_age"))),
        "max_age": _age(s.get("maximum_age", s.get("max_age"))),
        "verified_on": _text(s.get("assured_date"))[:10],
        "lat": _number_text(location.get("latitude", lon_lat[1])),
        "lon": _number_text(location.get("longitude", lon_lat[0])),
        "schedule": _schedule_text(_list(s.get("schedules")) + _list(s.get("regular_schedules")) + [
            x for sal in _list(s.get("service_at_locations"))
            for x in _list(sal.get("schedules")) + _list(sal.get("regular_schedules"))]),
    }  # fmt: skip


def _is_legacy(s: dict) -> bool:
    """A package assetmap wrote before the work contact was marked (our taxonomy's version
    1): its contact was the work contact."""
    return any(
        _text(_dict(_dict(a.get("taxonomy_term")).get("taxonomy_detail")).get("version")) == "1"
        and _is_ours(_dict(a.get("taxonomy_term")))
        for a in _list(s.get("attributes"))
    )


def _no_category(names: list[str]) -> FieldProblem:
    shown = ", ".join(f"'{n}'" for n in names[:5])
    said = f"none of its taxonomy terms ({shown}) is" if names else "it has no taxonomy term naming"
    return FieldProblem("category", (
        f"{said} an assetmap category; map a term with `assetmap categories map TERM CATEGORY`, "
        "or give `import --category CATEGORY` for services none maps"))  # fmt: skip


def _dict(x) -> dict:
    return x if isinstance(x, dict) else {}


def _list(x) -> list[dict]:
    return [i for i in x if isinstance(i, dict)] if isinstance(x, list) else []


def _text(v) -> str:
    if v is None or isinstance(v, dict | list):
        return ""
    return str(v).strip()


def _number_text(v) -> str:
    """A number's text for validation: a JSON number, or whatever text was there (so a bad
    value is reported as written). Booleans and NaN are not numbers."""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return _text(v)


def _service_attributes(s: dict) -> tuple[dict[str, list[str]], list[str]]:
    """(our attributes: field -> values, the publisher's term names in order)."""
    ours: dict[str, list[str]] = {}
    theirs: list[str] = []
    for attribute in _list(s.get("attributes")):
        term = _dict(attribute.get("taxonomy_term"))
        code = _text(term.get("code")) or _text(term.get("term")) or _text(term.get("name"))
        if _is_ours(term) and code in ATTRIBUTE_FIELDS:
            ours.setdefault(code, []).append(_text(attribute.get("value")))
        elif not _is_ours(term):
            theirs.append(_text(term.get("name")) or _text(term.get("term")) or code)
    return ours, theirs


def category_attributes(service) -> list[str]:
    """The categories a service's `assetmap` attributes name: another assetmap's own."""
    return _service_attributes(_dict(service))[0].get("category", [])


def _is_ours(term: dict) -> bool:
    taxonomy = _text(term.get("taxonomy")) or _text(_dict(term.get("taxonomy_detail")).get("name"))
    return taxonomy == TAXONOMY or _text(term.get("taxonomy_id")) in (TAXONOMY, TAXONOMY_ID)


def _category(names: list[str], categories: dict[str, str], terms: dict[str, str]) -> str:
    for name in names:
        key = " ".join(name.lower().split())
        if key in categories:
            return categories[key]
        if key in terms:
            return terms[key]
    return ""


def _locations(s: dict) -> list[dict]:
    """The service's locations: nested in service_at_locations (HSDS 3.0, ORUK v1), or listed
    on the service with the address inline (ORUK v1 as Outpost serves it)."""
    nested = [x for x in (_dict(sal.get("location")) for sal in _list(s.get("service_at_locations"))) if x]  # fmt: skip
    return nested + _list(s.get("locations"))


def _addresses(location: dict) -> list[dict]:
    """A location's addresses: HSDS 3.0's addresses, ORUK v1's physical_addresses, or the
    location itself when it holds the address (Outpost)."""
    found = _list(location.get("addresses")) or _list(location.get("physical_addresses"))
    if not found and (_text(location.get("postal_code")) or _text(location.get("address_1"))):
        found = [location]
    return found


def _accessibility(location: dict) -> list[dict]:
    """HSDS 3.0's accessibility, ORUK v1's accessibility_for_disabilities, Outpost's
    accessibilities (a name each)."""
    return (_list(location.get("accessibility")) + _list(location.get("accessibility_for_disabilities"))
            + _list(location.get("accessibilities")))  # fmt: skip


def _place_text(location: dict) -> str:
    """Another location of the service, as one line for the notes."""
    address = _address_fields(location)  # with the venue's name
    return ", ".join(x for x in (address["address"], address["postcode"]) if x)


def _address_fields(location: dict) -> dict[str, str]:
    addresses = _addresses(location)
    addr = next((a for a in addresses if _text(a.get("address_type")).lower() == "physical"),
                addresses[0] if addresses else {})  # fmt: skip
    lines: list[str] = []
    for line in (_text(addr.get(k)) for k in ("address_1", "address_2", "city")):
        # A line that says again what the one before ends with: Outpost's address_1 often
        # ends with the town its city gives too ('9 Rickfords Hill, Aylesbury', 'Aylesbury').
        if line and not (lines and line.lower() == lines[-1].rsplit(",", 1)[-1].strip().lower()):
            lines.append(line)
    venue = _text(location.get("name"))
    if venue and venue.lower() not in ", ".join(lines).lower():
        lines.insert(0, venue)  # the building people go to: 'Amersham & Wycombe College'
    postcode = _text(addr.get("postal_code"))
    if _OUTWARD.match(postcode):
        # Only the district (Outpost's mask_exact_address gives 'HP7' and a point rounded to
        # it): the district is part of the address, and the point is at district level.
        return {"postcode": "", "address": ", ".join(x for x in [*lines, postcode.upper()] if x),
                "geo_precision": "district"}  # fmt: skip
    return {"postcode": postcode, "address": ", ".join(x for x in lines if x)}


def _contacts(s: dict, legacy: bool = False) -> tuple[list[dict], dict[str, str] | None, set[str]]:
    """(the public contacts, the work contact's fields or None, the work contacts' ids). The
    work contact is the one our own export marks staff-only; every other contact is
    published, so public."""
    public, staff, staff_ids = [], None, set()
    contacts = _list(s.get("contacts")) + [
        c for sal in _list(s.get("service_at_locations")) for c in _list(sal.get("contacts"))]  # fmt: skip
    for c in contacts:
        marked = any(
            _is_ours(_dict(a.get("taxonomy_term")))
            and (_text(_dict(a.get("taxonomy_term")).get("code")) or _text(_dict(a.get("taxonomy_term")).get("name"))) == STAFF_CONTACT
            for a in _list(c.get("attributes"))
        )  # fmt: skip
        marked = marked or legacy
        if marked:
            staff_ids.add(_text(c.get("id")))
        if marked and staff is None:
            staff = {"contact_name": _text(c.get("name")), "contact_role": _text(c.get("title")),
                     "contact_email": _text(c.get("email")),
                     "contact_phone": _clean_number(next(iter(_list(c.get("phones"))), {}).get("number"))}  # fmt: skip
        elif not marked:
            public.append(c)
    return public, staff, staff_ids


def _sentences(texts: Iterable[str]) -> str:
    """Texts joined as prose: 'a.' and 'b' make 'a. b'; 'a' and 'b' make 'a; b'."""
    out = ""
    for t in texts:
        if t:
            out = t if not out else f"{out}{' ' if out[-1] in '.!?;:' else '; '}{t}"
    return out


def _clean_number(v) -> str:
    return _text(v).strip("\"'").strip()


def _public_phones(s: dict, location: dict, public_contacts: list[dict], staff_ids: set[str]) -> list[str]:  # fmt: skip
    """The service's public phones, first the one it is called on: its own, its location's,
    then its public contacts' (as a list of phones, or one `phone` on the contact as ORUK v1
    feeds give it); never the work contact's (a table may link that phone to the service too).
    The same number written twice is one phone."""
    candidates = (
        _list(s.get("phones")) + _list(location.get("phones"))
        + [p for sal in _list(s.get("service_at_locations")) for p in _list(sal.get("phones"))]
        + [p for c in public_contacts
           for p in _list(c.get("phones")) + [{"number": c.get("phone")}]]
    )  # fmt: skip
    out: dict[str, str] = {}
    for p in candidates:
        number = _clean_number(p.get("number")).rstrip(".").strip()
        key = re.sub(r"\D", "", number) or number
        if number and _text(p.get("contact_id")) not in staff_ids and key not in out:
            out[key] = number
    return list(out.values())


_AMOUNT = re.compile(r"^\d+(\.\d+)?$")
_OUTWARD = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?$", re.I)  # a postcode district alone: 'HP7'
_EMAILISH = re.compile(r"\S@\S+\.\S")  # a contact's e-mail, not its 'via website'


def _cost(options: list[dict], free: bool = False) -> tuple[str, list[str], FieldProblem | None]:
    """(free, paid or '', the amounts as text for the notes, a problem or None). `free` is
    an ORUK v1 feed's own flag (Outpost's `free: true`), for a service with no amounts."""
    amounts: list[float] = []
    described: list[str] = []
    zeros: list[str] = []
    for c in options:
        raw = c.get("amount")
        if raw in (None, ""):
            text = _text(c.get("option")) or _text(c.get("amount_description"))
            if text:
                described.append(text)
            continue
        if isinstance(raw, bool) or not (
            isinstance(raw, int | float) or (isinstance(raw, str) and _AMOUNT.match(raw.strip()))
        ):
            shown = str(raw)[:40]
            return "", [], FieldProblem(
                "cost", f"cost_options amount '{shown}' is not a number; write the amount alone "
                "(5 or 5.50), with the currency in currency")  # fmt: skip
        value = float(raw)
        if not math.isfinite(value) or value < 0:
            return "", [], FieldProblem("cost", f"cost_options amount {raw} is not an amount")
        amounts.append(value)
        currency = _text(c.get("currency")).upper()
        money = f"£{value:.2f}" if currency in ("", "GBP") else f"{value:.2f} {currency}"
        # Outpost (ORUK v1) says what an amount is for in cost_type ("per session").
        per = _text(c.get("amount_description")) or _text(c.get("cost_type"))
        who = _text(c.get("option"))
        text = " ".join(x for x in (money, per, f"({who})" if who else "") if x)
        (described if value else zeros).append(text)
    if not amounts:
        return ("free" if free else ""), [d for d in described if d], None
    cost = "free" if all(x == 0 for x in amounts) else "paid"
    # A zero among paid options is who goes free ("£0.00 (All Ukrainian Children)").
    return cost, [d for d in described + (zeros if cost == "paid" else []) if d], None


def _notes(s: dict, public_contacts: list[dict], costs: list[str], also: dict[str, list[str]] | None = None) -> str:  # fmt: skip
    """What the service says that assetmap has no field for, one line each: costs, fees,
    eligibility, how to apply, languages, who it is for, its areas, its named contacts, and
    (`also`) the public phones, e-mails, places and links beyond the one each field holds."""
    also = also or {}
    lines = []
    if costs:
        lines.append("Cost: " + "; ".join(costs))
    for field, label in (("fees_description", "Fees"), ("eligibility_description", "Eligibility"),
                         ("application_process", "How to apply"), ("wait_time", "Wait"),
                         ("interpretation_services", "Interpreting")):  # fmt: skip
        if text := _text(s.get(field)):
            lines.append(f"{label}: {text}")
    languages = [_text(x.get("name")) or _text(x.get("language")) or _text(x.get("code"))
                 for x in _list(s.get("languages"))]  # fmt: skip
    if languages := [x for x in languages if x]:
        lines.append("Languages: " + ", ".join(dict.fromkeys(languages)))
    for label, items in (("For", _audiences(s, send=False)), ("Special needs", _send_needs(s)),
                         ("Areas", _areas(s))):  # fmt: skip
        if items:
            lines.append(f"{label}: " + ", ".join(dict.fromkeys(items)))
    for c in public_contacts:
        who = ", ".join(x for x in (_text(c.get("name")), _text(c.get("title"))) if x)
        if who and who != "Enquiries":
            lines.append(f"Contact: {who}")
    for label, key in (("Also call", "phones"), ("Also e-mail", "emails"), ("Also at", "places"),
                       ("Links", "links")):  # fmt: skip
        if items := [x for x in also.get(key, []) if x]:
            lines.append(f"{label}: " + "; ".join(dict.fromkeys(items)))
    return "\n".join(lines)


def _their_terms(s: dict) -> list[str]:
    """A publisher's taxonomy terms given on the service itself rather than as attributes:
    ORUK v1's service_taxonomys (each with its taxonomy), Outpost's taxonomies, and
    taxonomy_terms."""
    terms = [_dict(x.get("taxonomy")) or x for x in _list(s.get("service_taxonomys"))]
    terms += _list(s.get("taxonomies")) + _list(s.get("taxonomy_terms"))
    # The most specific first: a term another of the service's terms names as its parent
    # ('Things to do', parent of 'Sports and fitness') comes after its children, so the
    # category is the child's when both are mapped.
    parents = {_text(t.get("parent_id")) or _text(t.get("parent")) for t in terms} - {""}
    terms.sort(key=lambda t: _text(t.get("id")) in parents)
    return [n for t in terms if (n := _text(t.get("name")) or _text(t.get("term")))]


def _send_needs(s: dict) -> list[str]:
    return [n for x in _list(s.get("send_needs")) if (n := _text(x.get("name")))]


def _audiences(s: dict, *, send: bool = True) -> list[str]:
    """Who the service is for, as feeds say it beside HSDS: Placecube's pc_targetAudience,
    Outpost's suitabilities (and its send_needs, with `send`)."""
    out = [_text(x.get("audienceType")) or _text(x.get("name"))
           for x in _list(s.get("pc_targetAudience")) + _list(s.get("suitabilities"))]  # fmt: skip
    return [x for x in out if x] + (_send_needs(s) if send else [])


def _areas(s: dict) -> list[str]:
    return [n for x in _list(s.get("service_areas"))
            if (n := _text(x.get("name")) or _text(x.get("service_area")))]  # fmt: skip


def _links(s: dict) -> list[str]:
    """The web addresses a feed gives beside the service's own: its organisation's, and
    Outpost's links (a label and a URL each)."""
    org = _dict(s.get("organization")) or _dict(s.get("organisation"))
    out = [_text(org.get("website")) or _text(org.get("url"))]
    out += [" ".join(x for x in (_text(link.get("label")), _text(link.get("url"))) if x)
            for link in _list(s.get("links")) if _text(link.get("url"))]  # fmt: skip
    return [x for x in dict.fromkeys(out) if x]


_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|ul|ol|tr|table|blockquote)\s*>", re.I)
_HTML = re.compile(r"</?(?:p|br|div|span|h[1-6]|a|ul|ol|li|strong|em|b|i|u|table|tr|td|blockquote)\b[^>]*>|&(?:nbsp|amp|lt|gt|quot|#\d+);", re.I)  # fmt: skip


def _plain(text: str) -> str:
    """A description written in HTML (HSDS allows it; Placecube's feeds send it) as plain
    text: paragraphs and headings become lines, links their text, entities characters.
    Text without HTML is left exactly as it was."""
    if not _HTML.search(text):
        return text
    out = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    out = _BLOCK_END.sub("\n\n", out)
    out = re.sub(r"<li\b[^>]*>", "- ", out, flags=re.I)
    out = html.unescape(re.sub(r"<[^>]+>", "", out)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in out.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _age(v) -> str:
    """An age as text; a negative one is a feed's way of saying none (Placecube's -1)."""
    text = _number_text(v)
    try:
        return "" if float(text) < 0 else text
    except ValueError:
        return text


def _schedule_text(rows: Iterable[dict]) -> str:
    """HSDS 3.0 schedules (byday) and ORUK v1 regular_schedules (weekday by name:
    "Monday"), as assetmap's schedule text."""
    parts = []
    for r in rows:
        byday = _text(r.get("byday")) or _text(r.get("weekday"))[:2]
        days = [
            BYDAY.index(d.strip().upper()) for d in byday.split(",") if d.strip().upper() in BYDAY
        ]
        opens, closes = _text(r.get("opens_at"))[:5], _text(r.get("closes_at"))[:5]
        if days and opens and closes:
            text = f"{','.join(schedule.DAY_NAMES[d].title() for d in days)} {opens}-{closes}"
            if text not in parts:
                parts.append(text)
    return "; ".join(parts)
