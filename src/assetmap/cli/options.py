"""Shared CLI options as Annotated aliases, and the per-field options of `add` / `edit`."""

import functools
import inspect
from typing import Annotated

import typer

from assetmap.catalogue.vocab import (
    CAPITAL,
    COST,
    FLAG,
    GENDER,
    PARTNERSHIP,
    PARTNERSHIP_FIELDS,
    REFERRAL,
    ROUTE,
    STATUS,
)

FormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table (a table on a terminal, plain text otherwise), json, csv, ndjson.",
        case_sensitive=False,
    ),
]
ResultFormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table (a table on a terminal, plain text otherwise), json, csv, "
        "ndjson, geojson (the same FeatureCollection as export).",
        case_sensitive=False,
    ),
]
# One asset, as the commands that change it take it: its id, or the ref near and search print.
IdArg = Annotated[
    str,
    typer.Argument(
        metavar="ID", help="The asset: its id, or the ref near and search print (a unique start)."
    ),
]
LimitOpt = Annotated[int | None, typer.Option("--limit", "-n", min=1, help="At most N results.")]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]

# Help for each asset field, in CSV column order. `name` and `category` are required by `add`.
FIELD_HELP: dict[str, str] = {
    "id": "Stable id (letters, digits, . _ -); made from name and postcode when absent.",
    "name": "Name of the asset.",
    "category": "Category (see `assetmap categories`).",
    "tags": "Interests, separated by ';' (e.g. 'gym;fitness').",
    "description": "What happens there.",
    "address": "Street address.",
    "postcode": "UK postcode, e.g. 'ST4 7QB'.",
    "area": "Council or area name (filled from the postcode when empty).",
    "lat": "Latitude (WGS84).",
    "lon": "Longitude (WGS84).",
    "phone": "Phone number.",
    "email": "Email address.",
    "website": "Web address.",
    "schedule": "When it meets, e.g. 'Sat 10:00-12:00; Mon-Fri 09:00-17:00'.",
    "cost": f"One of {', '.join(COST)}.",
    "min_age": "Youngest age welcomed, in whole years.",
    "max_age": "Oldest age welcomed, in whole years.",
    "gender": f"One of {', '.join(GENDER)}.",
    "accessibility": "Access notes (step-free, hearing loop, ...).",
    "referral": f"One of {', '.join(REFERRAL)}.",
    "welcomes_convictions": f"Welcomes people with convictions: {', '.join(FLAG)}.",
    "dbs_required": f"A DBS check is required: {', '.join(FLAG)}.",
    "involves_children": f"Involves contact with children: {', '.join(FLAG)}.",
    "capital": f"Social capital built, ';'-separated: {', '.join(CAPITAL)}.",
    "status": f"One of {', '.join(STATUS)}.",
    "verified_on": "Date someone last confirmed the details (2026-11-23 or 23/11/2026).",
    "source": "Where the record came from.",
    "notes": "Anything else.",
    "partnership_status": f"The relationship: {', '.join(PARTNERSHIP)} (staff only).",
    "contact_name": "Who to speak to there (a work contact; staff only).",
    "contact_role": "Their role, e.g. 'volunteer coordinator' (staff only).",
    "contact_phone": "Their work phone (staff only).",
    "contact_email": "Their work email (staff only).",
    "referral_route": f"How to refer someone: {', '.join(ROUTE)}.",
    "referral_details": "The details of the route: number, address, form URL, days.",
    "welcomes_mentor": f"A peer mentor or worker may come along to an introduction: {', '.join(FLAG)}.",
    "last_contact": "Date someone last spoke to them (staff only).",
    "next_contact": "When the next contact is due (staff only).",
    "staff_notes": "Notes for practitioners, e.g. 'ask for Sam' (staff only).",
}


def option_name(field: str) -> str:
    return "--" + field.replace("_", "-")


def with_field_options(*, required: tuple[str, ...] = (), exclude: tuple[str, ...] = ()):
    """Give a command one `--FIELD VALUE` option per asset field.

    The command receives them as `fields`: a dict of the options that were given (None left
    out), as raw text, so `add`, `edit` and CSV import validate the same way.
    """

    def decorate(func):
        sig = inspect.signature(func)
        params = [p for p in sig.parameters.values() if p.name != "fields"]
        for name, help_text in FIELD_HELP.items():
            if name in exclude:
                continue
            panel = "Partnership fields" if name in PARTNERSHIP_FIELDS else "Asset fields"
            option = typer.Option(option_name(name), help=help_text, rich_help_panel=panel)
            if name in required:
                annotation, default = Annotated[str, option], inspect.Parameter.empty
            else:
                annotation, default = Annotated[str | None, option], None
            params.append(
                inspect.Parameter(
                    name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation
                )
            )

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            fields = {n: kwargs.pop(n) for n in FIELD_HELP if n in kwargs}
            return func(*args, fields={k: v for k, v in fields.items() if v is not None}, **kwargs)

        wrapper.__signature__ = sig.replace(parameters=params)
        return wrapper

    return decorate


# Exclusion zones: the same options, and so the same rules, for `near` and `plan`.
AvoidOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--avoid", help="Exclusion zone PLACE or PLACE@RADIUS, e.g. 'B6 4@1.5km' (repeatable)."
    ),
]
AvoidZoneOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--avoid-zone",
        help="Exclusion zone as a GeoJSON Polygon/MultiPolygon file (repeatable).",
    ),
]

IncludeStaffOpt = Annotated[
    bool,
    typer.Option(
        "--include-staff",
        help="Also show the staff-only fields (partnership status, the work contact's name and "
        "phone), in every format and in the why column. Without it, results carry only public "
        "fields, so output shared outside the team (a web map of the GeoJSON) leaks nothing.",
    ),
]
