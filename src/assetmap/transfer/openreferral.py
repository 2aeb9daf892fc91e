"""Open Referral UK 3.0 / HSDS 3.0 tabular data packages, out and in.

Export writes a Frictionless Data Package (datapackage.json and the CSVs it names). Each asset
is one organisation, one service, one location (with its address) and, where known, a phone,
schedules and a cost option. assetmap's own fields that HSDS has no column for
(welcomes_convictions, dbs_required, involves_children, capital, tags, category, ...) are
attributes against an `assetmap` taxonomy, so a round trip gives back the same catalogue.

Import reads such a package, or a folder of Open Referral CSVs from elsewhere (plural or
singular table names, no datapackage.json), maps what it can and reports what it cannot.
"""

from __future__ import annotations

import csv
import json
import os
from collections import defaultdict
from pathlib import Path

from assetmap import tempfiles
from assetmap.catalogue import schedule
from assetmap.catalogue.models import COLUMNS
from assetmap.catalogue.vocab import STAFF_ONLY
from assetmap.errors import InvalidValue
from assetmap.transfer import safecsv

TAXONOMY_ID = "assetmap"
# assetmap fields carried as attributes (those with no HSDS column that keeps them exactly).
ATTRIBUTE_FIELDS = [
    "category", "tags", "address", "area", "schedule", "cost", "gender", "accessibility", "referral",
    "welcomes_convictions", "dbs_required", "involves_children", "capital", "source", "notes",
    "partnership_status", "referral_route", "referral_details", "welcomes_mentor", "last_contact",
    "next_contact", "staff_notes",
]  # fmt: skip
# The work contact (contact_name, _role, _email, _phone) is an HSDS contact of the service,
# with its phone in phones.csv (contact_id set).
LIST_FIELDS = ("tags", "capital")
STATUS_OUT = {"active": "active", "temporarily-closed": "temporarily closed", "closed": "defunct"}
STATUS_IN = {"active": "active", "temporarily closed": "temporarily-closed",
             "inactive": "temporarily-closed", "defunct": "closed"}  # fmt: skip
BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

# table -> [(field, frictionless type, required)]
TABLES: dict[str, list[tuple[str, str, bool]]] = {
    "organizations": [("id", "string", True), ("name", "string", True), ("description", "string", False),
                      ("email", "string", False), ("website", "string", False)],
    "services": [("id", "string", True), ("organization_id", "string", True), ("name", "string", True),
                 ("description", "string", False), ("url", "string", False), ("email", "string", False),
                 ("status", "string", True), ("fees_description", "string", False),
                 ("minimum_age", "integer", False), ("maximum_age", "integer", False),
                 ("assured_date", "date", False)],
    "locations": [("id", "string", True), ("location_type", "string", True), ("name", "string", False),
                  ("latitude", "number", False), ("longitude", "number", False)],
    "service_at_location": [("id", "string", True), ("service_id", "string", True), ("location_id", "string", True)],
    "addresses": [("id", "string", True), ("location_id", "string", True), ("address_1", "string", False),
                  ("city", "string", False), ("state_province", "string", False),
                  ("postal_code", "string", False), ("country", "string", True), ("address_type", "string", True)],
    "phones": [("id", "string", True), ("service_id", "string", True), ("contact_id", "string", False),
               ("number", "string", True)],
    "contacts": [("id", "string", True), ("service_id", "string", True), ("name", "string", False),
                 ("title", "string", False), ("email", "string", False)],
    "schedules": [("id", "string", True), ("service_id", "string", True), ("freq", "string", False),
                  ("byday", "string", False), ("opens_at", "string", False), ("closes_at", "string", False),
                  ("description", "string", False)],
    "cost_options": [("id", "string", True), ("service_id", "string", True), ("option", "string", False),
                     ("amount", "number", False), ("currency", "string", False)],
    "taxonomies": [("id", "string", True), ("name", "string", True), ("description", "string", True),
                   ("uri", "string", False), ("version", "string", False)],
    "taxonomy_terms": [("id", "string", True), ("code", "string", False), ("name", "string", True),
                       ("description", "string", True), ("taxonomy_id", "string", False)],
    "attributes": [("id", "string", True), ("link_id", "string", True), ("taxonomy_term_id", "string", True),
                   ("link_type", "string", False), ("link_entity", "string", True), ("value", "string", False)],
}  # fmt: skip


# -- export --------------------------------------------------------------------------------
def _rows_for(asset, public: bool = False) -> dict[str, list[dict]]:
    a, sid = asset, asset.id
    out: dict[str, list[dict]] = defaultdict(list)
    out["organizations"].append({"id": f"org-{sid}", "name": a.name, "description": a.description,
                                 "email": a.email, "website": a.website})  # fmt: skip
    out["services"].append({
        "id": sid, "organization_id": f"org-{sid}", "name": a.name, "description": a.description,
        "url": a.website, "email": a.email, "status": STATUS_OUT[a.status],
        "fees_description": a.cost, "minimum_age": a.min_age, "maximum_age": a.max_age,
        "assured_date": a.verified_on,
    })  # fmt: skip
    out["locations"].append({"id": f"loc-{sid}", "location_type": "physical", "name": a.name,
                             "latitude": a.lat, "longitude": a.lon})  # fmt: skip
    out["service_at_location"].append({"id": f"sal-{sid}", "service_id": sid, "location_id": f"loc-{sid}"})  # fmt: skip
    if a.address or a.postcode:
        out["addresses"].append({
            "id": f"addr-{sid}", "location_id": f"loc-{sid}", "address_1": a.address.replace("\n", ", "),
            "city": a.area, "state_province": a.area, "postal_code": a.postcode, "country": "GB",
            "address_type": "physical",
        })  # fmt: skip
    if a.phone:
        out["phones"].append({"id": f"phone-{sid}", "service_id": sid, "number": a.phone})
    if not public and (a.contact_name or a.contact_role or a.contact_email or a.contact_phone):
        out["contacts"].append({"id": f"contact-{sid}", "service_id": sid, "name": a.contact_name,
                                "title": a.contact_role, "email": a.contact_email})  # fmt: skip
        if a.contact_phone:
            out["phones"].append({"id": f"contact-phone-{sid}", "service_id": sid,
                                  "contact_id": f"contact-{sid}", "number": a.contact_phone})  # fmt: skip
    by_time: dict[tuple[int, int], list[int]] = defaultdict(list)
    for s in a.sessions:
        by_time[(s.start, s.end)].append(s.day)
    for n, ((start, end), days) in enumerate(by_time.items()):
        out["schedules"].append({
            "id": f"sch-{sid}-{n}", "service_id": sid, "freq": "WEEKLY",
            "byday": ",".join(BYDAY[d] for d in sorted(set(days))),
            "opens_at": schedule.fmt_time(start) + ":00", "closes_at": schedule.fmt_time(end) + ":00",
            "description": a.schedule,
        })  # fmt: skip
    if a.cost:
        out["cost_options"].append({"id": f"cost-{sid}", "service_id": sid, "option": a.cost,
                                    "amount": 0 if a.cost == "free" else None,
                                    "currency": "GBP"})  # fmt: skip
    for field in _attribute_fields(public):
        value = getattr(a, field)
        values = value if field in LIST_FIELDS else [value]
        for i, v in enumerate(values):
            if v in ("", None):
                continue
            out["attributes"].append({
                "id": f"attr-{sid}-{field}-{i}", "link_id": sid, "taxonomy_term_id": f"assetmap-{field}",
                "link_type": "service", "link_entity": "service", "value": v,
            })  # fmt: skip
    return out


def _attribute_fields(public: bool) -> list[str]:
    return [f for f in ATTRIBUTE_FIELDS if f not in STAFF_ONLY] if public else ATTRIBUTE_FIELDS


def export_package(cat, directory: str, *, public: bool = False, **filters) -> int:
    """Write the package into `directory` (created if missing). Files are written whole and
    moved into place. Returns the number of services. `public` leaves out the staff-only
    fields: no contacts, and no attributes for them."""
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise InvalidValue(f"{directory} is a file; give a folder for the Open Referral package")
    if not target.resolve().parent.is_dir():
        raise InvalidValue(
            f"the directory {target.resolve().parent} does not exist; create it first"
        )
    target.mkdir(exist_ok=True)
    writers, handles, tmp_paths = {}, {}, {}
    try:
        for table, fields in TABLES.items():
            fd, tmp = tempfiles.create(target, "export")
            handles[table] = os.fdopen(fd, "w", encoding="utf-8", newline="")
            tmp_paths[table] = tmp
            writers[table] = safecsv.dict_writer(handles[table], fieldnames=[f for f, _, _ in fields],
                                                 lineterminator="\r\n")  # fmt: skip
            writers[table].writeheader()
        writers["taxonomies"].writerow({"id": TAXONOMY_ID, "name": "assetmap",
            "description": "assetmap's own fields: what matters when referring people on probation",
            "uri": "https://github.com/assetmap", "version": "1"})  # fmt: skip
        for field in _attribute_fields(public):
            writers["taxonomy_terms"].writerow({"id": f"assetmap-{field}", "code": field, "name": field,
                "description": f"assetmap field '{field}' (value in the attribute)",
                "taxonomy_id": TAXONOMY_ID})  # fmt: skip
        n = 0
        for asset in cat.iter_assets(**filters):
            for table, rows in _rows_for(asset, public).items():
                writers[table].writerows(rows)
            n += 1
        for h in handles.values():
            h.close()
        for table, tmp in tmp_paths.items():
            tempfiles.replace(tmp, target / f"{table}.csv")
    except BaseException:
        for h in handles.values():
            h.close()
        for tmp in tmp_paths.values():
            Path(tmp).unlink(missing_ok=True)
        raise
    package = {
        "name": "assetmap-openreferral-uk",
        "title": "Community assets exported by assetmap (Open Referral UK 3.0 / HSDS 3.0 tables)",
        "profile": "tabular-data-package",
        "resources": [
            {
                "name": table, "path": f"{table}.csv", "profile": "tabular-data-resource",
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "schema": {
                    "fields": [{"name": f, "type": t, **({"constraints": {"required": True}} if req else {})}
                               for f, t, req in fields],
                    "primaryKey": ["id"],
                },
            }
            for table, fields in TABLES.items()
        ],
    }  # fmt: skip
    (target / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
    return n


# -- import --------------------------------------------------------------------------------
def _read_table(folder: Path, *names: str) -> list[dict]:
    """The first of `names` (plural, then singular) that exists, as dicts."""
    for name in names:
        path = folder / f"{name}.csv"
        if path.exists():
            with path.open(encoding="utf-8-sig", newline="") as fh:
                # Undo the formula escaping every assetmap CSV has (safecsv).
                return [
                    {k: safecsv.uninert(v) if type(v) is str else v for k, v in r.items()}
                    for r in csv.DictReader(fh)
                ]
    return []


def _number(rows: list[dict] | None) -> str:
    return ((rows or [{}])[0].get("number") or "").strip('"')


def _schedule_text(rows: list[dict]) -> str:
    parts = []
    for r in rows:
        days = [BYDAY.index(d.strip().upper()) for d in (r.get("byday") or "").split(",") if d.strip().upper() in BYDAY]  # fmt: skip
        opens, closes = (r.get("opens_at") or "")[:5], (r.get("closes_at") or "")[:5]
        if days and opens and closes:
            parts.append(
                f"{','.join(schedule.DAY_NAMES[d].title() for d in days)} {opens}-{closes}"
            )
    return "; ".join(parts)


def read_package(path: str, categories: dict[str, str]):
    """Yield import records (label, raw, fields, problems) from an Open Referral folder. A
    service that cannot be mapped is reported with every problem it has, not just the first."""
    folder = Path(path)
    if folder.name == "datapackage.json":
        folder = folder.parent
    if not folder.is_dir():
        raise InvalidValue(f"{path} is not a folder of Open Referral tables")
    services = _read_table(folder, "services", "service")
    if not services:
        raise InvalidValue(f"{path} has no services.csv: nothing to import")
    orgs = {r.get("id"): r for r in _read_table(folder, "organizations", "organization")}
    locations = {r.get("id"): r for r in _read_table(folder, "locations", "location")}
    addresses = defaultdict(list)
    for r in _read_table(folder, "addresses", "address"):
        addresses[r.get("location_id")].append(r)
    sal = defaultdict(list)
    for r in _read_table(folder, "service_at_location"):
        sal[r.get("service_id")].append(r.get("location_id"))
    contacts = {r.get("id"): r for r in _read_table(folder, "contacts", "contact")}
    service_contact = {}
    for r in contacts.values():
        service_contact.setdefault(r.get("service_id"), r)
    phones, contact_phones = defaultdict(list), defaultdict(list)
    for r in _read_table(folder, "phones", "phone"):
        if r.get("contact_id"):
            contact_phones[r.get("contact_id")].append(r)
        else:
            phones[r.get("service_id")].append(r)
    schedules = defaultdict(list)
    for r in _read_table(folder, "schedules", "schedule"):
        schedules[r.get("service_id")].append(r)
    costs = defaultdict(list)
    for r in _read_table(folder, "cost_options", "cost_option"):
        costs[r.get("service_id")].append(r)
    terms = {r.get("id"): r for r in _read_table(folder, "taxonomy_terms", "taxonomy_term")}
    attributes = defaultdict(lambda: defaultdict(list))
    for r in _read_table(folder, "attributes", "attribute"):
        term = terms.get(r.get("taxonomy_term_id")) or {}
        code = term.get("code") or ""
        if term.get("taxonomy_id") == TAXONOMY_ID and code in ATTRIBUTE_FIELDS:
            attributes[r.get("link_id")][code].append(r.get("value") or "")

    for n, s in enumerate(services, start=2):
        label = f"services.csv row {n}"
        sid = s.get("id") or ""
        loc = next((locations[i] for i in sal.get(sid, []) if i in locations), {})
        addr = (addresses.get(loc.get("id")) or [{}])[0]
        org = orgs.get(s.get("organization_id"), {})
        cost_rows = costs.get(sid, [])
        contact = service_contact.get(sid) or {}
        contact_phone = _number(contact_phones.get(contact.get("id")))
        # The service's own phone. Some publishers link the main number to a contact only
        # (no service_id): it stands in. assetmap links a contact's phone to both.
        phone = _number(phones.get(sid)) or _number(
            [p for c in contacts.values() if c.get("service_id") == sid
             for p in contact_phones.get(c.get("id"), []) if not p.get("service_id")]
        )  # fmt: skip
        fields = {
            "id": sid, "name": s.get("name") or org.get("name") or "",
            "description": s.get("description") or "",
            "website": s.get("url") or org.get("website") or "", "email": s.get("email") or "",
            "status": STATUS_IN.get((s.get("status") or "active").lower(), ""),
            "min_age": s.get("minimum_age") or "", "max_age": s.get("maximum_age") or "",
            "verified_on": s.get("assured_date") or "",
            "lat": loc.get("latitude") or "", "lon": loc.get("longitude") or "",
            "postcode": addr.get("postal_code") or "",
            "address": ", ".join(x for x in (addr.get("address_1"), addr.get("address_2")) if x),
            "phone": phone,
            "schedule": _schedule_text(schedules.get(sid, [])),
            "cost": "free" if cost_rows and all((c.get("amount") or "") in ("0", "0.0") for c in cost_rows) else "",
        }  # fmt: skip
        if contact:
            fields.update(contact_name=contact.get("name") or "", contact_role=contact.get("title") or "",
                          contact_email=contact.get("email") or "", contact_phone=contact_phone)  # fmt: skip
        for field, values in attributes.get(sid, {}).items():
            fields[field] = ";".join(values) if field in LIST_FIELDS else values[0]
        raw = {c: fields.get(c, "") for c in COLUMNS}
        problems = _problems(label, fields, categories)
        yield label, raw, (None if problems else fields), problems


def _problems(label: str, fields: dict, categories: dict[str, str]) -> list:
    from assetmap.catalogue.models import Asset
    from assetmap.errors import InvalidRecord
    from assetmap.transfer.problems import RowProblem

    try:
        Asset.from_row(fields, categories=categories)
    except InvalidRecord as exc:
        out = []
        for p in exc.problems:
            message = p.message
            if p.column == "category" and not fields.get("category"):
                message = ("the service has no assetmap category attribute; add one "
                           "(e.g. 'peer support') to import it")  # fmt: skip
            out.append(RowProblem(label, p.column, message))
        return out
    return []
