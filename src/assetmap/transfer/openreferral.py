"""Open Referral UK 3.0 / HSDS 3.0 tabular data packages, out and in, through the one mapping
(transfer/hsds.py).

Export flattens each asset's nested service (hsds.asset_to_service) into the HSDS 3.0 tables,
with the official tables' columns in their order, and writes a Frictionless Data Package
(datapackage.json and the CSVs it names). Import reads such a package, or a folder of Open
Referral CSVs from elsewhere (plural or singular table names, no datapackage.json), joins the
tables into nested services as an API would serve them, and reads each with
hsds.service_fields, as the API import does.
"""

from __future__ import annotations

import csv
import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

from assetmap import tempfiles
from assetmap.catalogue.vocab import COLUMNS
from assetmap.errors import InvalidValue, listed
from assetmap.transfer import hsds, safecsv

# The HSDS 3.0 tables written, with the official columns in order ("name:type", "!" required),
# as the specification's datapackage.json has them (tests check the export against it).
_TABLES = {
    "organizations": "id! name! alternate_name description! email website tax_status tax_id year_incorporated:number legal_status logo uri parent_organization_id",
    "services": "id! organization_id! program_id name! alternate_name description url email status! interpretation_services application_process fees_description wait_time fees accreditations eligibility_description minimum_age:number maximum_age:number assured_date:date assurer_email licenses alert last_modified:datetime",
    "locations": "id! location_type! url organization_id name alternate_name description transportation latitude:number longitude:number external_identifier external_identifier_type",
    "service_at_location": "id! service_id! location_id! description",
    "addresses": "id! location_id attention address_1! address_2 city! region state_province! postal_code! country! address_type!",
    "accessibility": "id! location_id description details url",
    "contacts": "id! organization_id service_id service_at_location_id location_id name title department email",
    "phones": "id! location_id service_id organization_id contact_id service_at_location_id number! extension:number type description",
    "schedules": "id! service_id location_id service_at_location_id valid_from:date valid_to:date dtstart:date timezone:number until:date count:number wkst freq interval:number byday byweekno bymonthday byyearday description opens_at:time closes_at:time schedule_link attending_type notes",
    "cost_options": "id! service_id! valid_from:date valid_to:date option currency amount:number amount_description",
    "languages": "id! service_id location_id phone_id name code note",
    "taxonomies": "id! name! description! uri version",
    "taxonomy_terms": "id! code name! description! parent_id taxonomy language taxonomy_id term_uri",
    "attributes": "id! link_id! taxonomy_term_id! link_type link_entity! value",
}  # fmt: skip
# table -> [(field, frictionless type, required)]
TABLES: dict[str, list[tuple[str, str, bool]]] = {
    table: [(n.rstrip("!").partition(":")[0], n.rstrip("!").partition(":")[2] or "string", n.endswith("!"))
            for n in spec.split()]
    for table, spec in _TABLES.items()
}  # fmt: skip


# -- export --------------------------------------------------------------------------------
def flatten(service: dict) -> dict[str, list[dict]]:
    """One nested service as rows of the HSDS tables (phones once, however often nested)."""
    out: dict[str, list[dict]] = defaultdict(list)
    seen: set[str] = set()

    def add(table: str, row: dict, **links) -> None:
        if row["id"] not in seen:
            seen.add(row["id"])
            out[table].append({**row, **links})

    add("services", service)
    add("organizations", service["organization"])
    for sal in service.get("service_at_locations", []):
        add("service_at_location", sal)
        location = sal["location"]
        add("locations", location)
        for address in location.get("addresses", []):
            add("addresses", address)
        for access in location.get("accessibility", []):
            add("accessibility", access)
    for phone in service.get("phones", []):
        add("phones", phone)
    for contact in service.get("contacts", []):
        add("contacts", contact)
        for phone in contact.get("phones", []):
            add("phones", phone)
        for attribute in contact.get("attributes", []):
            add("attributes", attribute)
    for table in ("schedules", "cost_options", "languages", "attributes"):
        for row in service.get(table, []):
            add(table, row)
    return out


def export_package(cat, directory: str, *, public: bool = False, warn=None, **filters) -> int:
    """Write the package into `directory` (created if missing). Files are written whole and
    moved into place. Returns the number of services. `public` leaves out the staff-only
    fields: no work contact, and no attributes for them. `warn(text)` is told which required
    HSDS fields some services leave blank (an address with no area or postcode)."""
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
            writers[table] = safecsv.dict_writer(
                handles[table], fieldnames=[f for f, _, _ in fields], lineterminator="\r\n",
            )  # fmt: skip
            writers[table].writeheader()
        writers["taxonomies"].writerow(_taxonomy_row())
        for field in [*hsds.attribute_fields(include_staff=not public), *([] if public else [hsds.STAFF_CONTACT])]:  # fmt: skip
            writers["taxonomy_terms"].writerow(hsds.taxonomy_term(field))
        n = 0
        missing: dict[str, list[str]] = defaultdict(list)
        for asset in cat.iter_assets(**filters):
            service = hsds.asset_to_service(asset, include_staff=not public)
            for field in hsds.missing_required(service):
                missing[field].append(asset.id)
            for table, rows in flatten(service).items():
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
    (target / "datapackage.json").write_text(json.dumps(_descriptor(), indent=2) + "\n", encoding="utf-8")  # fmt: skip
    for field, ids in missing.items():
        if warn is not None:
            warn(f"{len(ids)} of {n} services have no {field}, which HSDS 3.0 requires "
                 f"({listed(ids, 3, ', ')}); fill the assets' area and postcode with assetmap edit")  # fmt: skip
    return n


def _taxonomy_row() -> dict:
    detail = hsds.taxonomy_term("category")["taxonomy_detail"]
    return {k: detail[k] for k in ("id", "name", "description", "uri", "version")}


def _descriptor() -> dict:
    return {
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


# -- import --------------------------------------------------------------------------------
def read_package(path: str, categories: dict[str, str], *, terms: dict[str, str] | None = None,
                 default_category: str = "", scope: str = ""):  # fmt: skip
    """Yield import records (label, raw, fields, problems) from an Open Referral folder. A
    service that cannot be mapped is reported with every problem it has, not just the first.
    A .json file (not datapackage.json) holds services as the API serves them: a page of
    /services (as `export --format openreferral-json` writes), a list, or one service."""
    if path.lower().endswith(".json") and Path(path).name != "datapackage.json":
        for n, service in enumerate(_json_services(path), start=1):
            label = f"service {service.get('id')}" if service.get("id") else f"service {n}"
            yield record(label, service, categories, terms, default_category, scope)
        return
    tables = load_tables(_folder(path))
    if not tables["services"]:
        raise InvalidValue(f"{path} has no services.csv: nothing to import")
    for n, service in enumerate(nest(tables), start=2):
        yield record(f"services.csv row {n}", service, categories, terms, default_category, scope)


def record(label: str, service: dict, categories: dict[str, str], terms=None, default_category="",
           scope=""):  # fmt: skip
    """One service as an import record (label, raw, fields or None, problems). `scope` is
    the source's name (hsds.scoped_id)."""
    from assetmap.transfer.problems import RowProblem

    fields, found = hsds.service_fields(service, categories=categories, terms=terms,
                                        default_category=default_category, scope=scope)  # fmt: skip
    problems = [RowProblem(label, p.column, p.message) for p in found]
    problems += [p for p in _problems(label, fields, categories) if p.column not in {q.column for q in problems}]  # fmt: skip
    raw = {c: fields.get(c, "") for c in COLUMNS}
    return label, raw, (None if problems else fields), problems


def _json_services(path: str) -> list[dict]:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise InvalidValue(f"could not open {path}: {exc.strerror}") from None
    except (ValueError, RecursionError) as exc:
        raise InvalidValue(f"{path} is not JSON ({str(exc)[:80]}); give the services as the Open Referral API serves them") from None  # fmt: skip
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    elif isinstance(data, dict) and isinstance(data.get("content"), list):
        data = data["content"]  # an ORUK v1 page (Outpost, Placecube's v2 API)
    elif isinstance(data, dict) and "name" in data:
        data = [data]
    if not isinstance(data, list) or not all(isinstance(s, dict) for s in data):
        raise InvalidValue(f"{path} holds no Open Referral services: give a page of /services (with 'contents'), a list of services, or one service")  # fmt: skip
    if not data:
        raise InvalidValue(f"{path} holds no services: nothing to import")
    return data


def _folder(path: str) -> Path:
    folder = Path(path)
    if folder.name == "datapackage.json":
        folder = folder.parent
    if not folder.is_dir():
        raise InvalidValue(f"{path} is not a folder of Open Referral tables")
    return folder


# table -> the file names publishers use for it, plural first
_NAMES = {
    "services": ("services", "service"), "organizations": ("organizations", "organization"),
    "locations": ("locations", "location"), "addresses": ("addresses", "address"),
    "service_at_location": ("service_at_location", "service_at_locations"),
    "accessibility": ("accessibility", "accessibilities"), "contacts": ("contacts", "contact"),
    "phones": ("phones", "phone"), "schedules": ("schedules", "schedule"),
    "cost_options": ("cost_options", "cost_option"), "languages": ("languages", "language"),
    "taxonomies": ("taxonomies", "taxonomy"), "taxonomy_terms": ("taxonomy_terms", "taxonomy_term"),
    "attributes": ("attributes", "attribute"),
}  # fmt: skip


def load_tables(folder: Path) -> dict[str, list[dict]]:
    """Every table the folder has, as dicts (a missing one is empty)."""
    return {table: _read_table(folder, *names) for table, names in _NAMES.items()}


def _read_table(folder: Path, *names: str) -> list[dict]:
    """The first of `names` (plural, then singular) that exists, as dicts."""
    for name in names:
        path = folder / f"{name}.csv"
        if path.exists():
            with path.open(encoding="utf-8-sig", newline="") as fh:
                # Undo the formula escaping every assetmap CSV has (safecsv).
                return [
                    {k: safecsv.uninert(v) if type(v) is str else v for k, v in r.items() if k}
                    for r in csv.DictReader(fh)
                ]
    return []


def _by(rows: list[dict], key: str) -> dict[Any, list[dict]]:
    out: dict[Any, list[dict]] = defaultdict(list)
    for r in rows:
        if r.get(key):
            out[r[key]].append(r)
    return out


def nest(tables: dict[str, list[dict]]):
    """The services of the tables, each nested as /services/{id} serves it."""
    attributes = _attributes_by_link(tables)
    phones = {key: _by(tables["phones"], key) for key in ("service_id", "contact_id", "location_id")}  # fmt: skip
    addresses, access = _by(tables["addresses"], "location_id"), _by(tables["accessibility"], "location_id")  # fmt: skip
    locations = {
        r.get("id"): {**r, "addresses": addresses.get(r.get("id"), []),
                      "accessibility": access.get(r.get("id"), []),
                      "phones": phones["location_id"].get(r.get("id"), []),
                      "attributes": attributes.get(r.get("id"), [])}
        for r in tables["locations"]
    }  # fmt: skip
    orgs = {r.get("id"): r for r in tables["organizations"]}
    sal = _by(tables["service_at_location"], "service_id")
    contacts = _by(tables["contacts"], "service_id")
    related = {t: _by(tables[t], "service_id") for t in ("schedules", "cost_options", "languages")}
    for s in tables["services"]:
        sid = s.get("id") or ""
        yield {
            **s,
            "organization": orgs.get(s.get("organization_id"), {}),
            "service_at_locations": [
                {**x, "location": locations.get(x.get("location_id"), {})} for x in sal.get(sid, [])
            ],
            "phones": phones["service_id"].get(sid, []),
            "contacts": [
                {**c, "phones": phones["contact_id"].get(c.get("id"), []),
                 "attributes": attributes.get(c.get("id"), [])}
                for c in contacts.get(sid, [])
            ],
            **{t: rows.get(sid, []) for t, rows in related.items()},
            "attributes": attributes.get(sid, []),
        }  # fmt: skip


def _attributes_by_link(tables) -> dict[Any, list[dict]]:
    """Attributes by the id they link to, each with its taxonomy term (and the term's
    taxonomy) nested, as the API serves them."""
    taxonomies = {r.get("id"): r for r in tables["taxonomies"]}
    terms = {
        r.get("id"): {**r, "taxonomy_detail": taxonomies.get(r.get("taxonomy_id"), {})}
        for r in tables["taxonomy_terms"]
    }
    out: dict[str, list[dict]] = defaultdict(list)
    for r in tables["attributes"]:
        out[r.get("link_id") or ""].append({**r, "taxonomy_term": terms.get(r.get("taxonomy_term_id"), {})})  # fmt: skip
    return out


def _problems(label: str, fields: dict, categories: dict[str, str]) -> list:
    from assetmap.catalogue.models import Asset
    from assetmap.errors import InvalidRecord
    from assetmap.transfer.problems import RowProblem

    try:
        Asset.from_row(fields, categories=categories)
    except InvalidRecord as exc:
        return [RowProblem(label, p.column, p.message) for p in exc.problems]
    return []
