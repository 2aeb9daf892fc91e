"""The commands, grouped by job. Each module registers its commands on `assetmap.cli.app.app`
when imported; `assetmap.cli.app.COMMAND_MODULES` says which module holds which command."""

from assetmap.catalogue.vocab import STAFF_ONLY
from assetmap.cli.output import shorter_goals, why_without

# The CSV columns of a search result (`near` and `search`).
RESULT_COLUMNS = [
    "id", "name", "category", "tags", "distance_km", "score", "goals_met", "why", "postcode",
    "area", "address", "lat", "lon", "schedule", "cost", "referral", "welcomes_convictions",
    "dbs_required", "involves_children", "phone", "email", "website", "status", "verified_on",
    "partnership_status", "referral_route", "referral_details", "welcomes_mentor", "contact_name",
    "contact_phone",
]  # fmt: skip

# Without --include-staff: the public ones only (no partnership status, no work contact).
RESULT_PUBLIC_COLUMNS = [c for c in RESULT_COLUMNS if c not in STAFF_ONLY]

# Search results as places: near and search also write GeoJSON, the same FeatureCollection as export.
RESULT_FORMATS = ("table", "json", "csv", "ndjson", "geojson")
# What a person reads at a terminal: a short ref to copy into `show`/`plan`, and who to call.
# At 80 columns a separate `why` column is squeezed to a letter: it goes under the name.
RESULT_TTY_COLUMNS = ["ref", "name / why", "km", "contact"]


def add_refs(records: list[dict], catalogue, key: str = "id") -> None:
    """`ref` for each record: a short unique start of the asset id in `key`, which every
    command taking an id accepts (for a terminal's table, where a whole id takes a third of 80
    columns)."""
    refs = catalogue.short_refs([r[key] for r in records])
    for r in records:
        r["ref"] = refs[r[key]]


def add_table_cells(records: list[dict], catalogue) -> None:
    """The cells only tables show: `ref`, a short unique start of the id (which `show` and
    `plan` accept), `contact` (the work contact's phone with --include-staff, else phone,
    else email, else website), `km` (1 decimal) and
    `name / why` for a terminal."""
    add_refs(records, catalogue)
    for r in records:
        # With --include-staff, the work contact's phone: `why` says 'referral by phone to
        # Sam' and this is the number (the record's only with --include-staff).
        r["contact"] = (
            r.get("contact_phone") or r.get("phone") or r.get("email") or r.get("website") or ""
        )
        d = r.get("distance_km")
        r["km"] = "" if d is None else f"{d:.1f}"
        # The km column has the distance: `why` does not say it again ('0.4 km; ...'); how a
        # phrase was read is said once, in the note above ('fits meet people').
        why = why_without(r["why"], f"{r['km']} km") if r["km"] else r["why"]
        why = shorter_goals(why, r.get("goals_met") or [])
        r["name / why"] = f"{r['name']}\n{why}"
