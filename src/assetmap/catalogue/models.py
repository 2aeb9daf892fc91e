"""The asset record: its fields, their vocabularies, and validation of a raw row into an Asset.

Every way in (CSV import, `add`, `edit`, the seed catalogue) goes through `Asset.from_row`, so
there is one definition of what a valid asset is. Raw values are strings, as in a spreadsheet.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

from assetmap.catalogue import phones, schedule
from assetmap.catalogue.schedule import Session
from assetmap.catalogue.vocab import (  # noqa: F401 (re-exported for callers)
    CAPITAL,
    COLUMNS,
    COST,
    DEFAULT_CATEGORIES,
    FLAG,
    FLAG_FIELDS,
    GENDER,
    PARTNERSHIP,
    REFERRAL,
    ROUTE,
    STAFF_ONLY,
    STATUS,
)
from assetmap.errors import FieldProblem, InvalidRecord, InvalidValue
from assetmap.places import postcodes

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
# An address as mail software writes it: no spaces, brackets or quotes, no dot at either end
# of the name or two together, a host with a dot.
_EMAIL = re.compile(
    r"^[^\s@<>()\[\],;:\".]+(?:\.[^\s@<>()\[\],;:\".]+)*"
    r"@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+$"
)
# '<x@y.uk>', '(x@y.uk)', 'mailto:x@y.uk': an address as a web page or mail header wraps it.
_WRAPPED_EMAIL = re.compile(r"^(?:mailto:)?\s*([<(\[])?\s*(.*?)\s*([>)\]])?$", re.I)


@dataclass
class Asset:
    id: str
    name: str
    category: str
    tags: list[str] = field(default_factory=list)
    description: str = ""
    address: str = ""
    postcode: str = ""
    area: str = ""
    lat: float | None = None
    lon: float | None = None
    phone: str = ""
    email: str = ""
    website: str = ""
    schedule: str = ""
    cost: str = ""
    min_age: int | None = None
    max_age: int | None = None
    gender: str = "any"
    accessibility: str = ""
    referral: str = ""
    welcomes_convictions: str = "unknown"
    dbs_required: str = "unknown"
    involves_children: str = "unknown"
    capital: list[str] = field(default_factory=list)
    status: str = "active"
    verified_on: str = ""
    source: str = ""
    notes: str = ""
    partnership_status: str = ""
    contact_name: str = ""
    contact_role: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    referral_route: str = ""
    referral_details: str = ""
    welcomes_mentor: str = "unknown"
    last_contact: str = ""
    next_contact: str = ""
    staff_notes: str = ""
    # Not a CSV column: how precise lat/lon are ("given" when the row carried them).
    geo_precision: str = ""

    @property
    def sessions(self) -> list[Session]:
        return schedule.parse(self.schedule)

    def to_row(self) -> dict[str, str]:
        """The record as CSV text cells, in COLUMNS order (the inverse of from_row)."""
        return {col: cell_text(getattr(self, col)) for col in COLUMNS}

    def to_json(self) -> dict:
        d = {col: getattr(self, col) for col in COLUMNS}
        d["geo_precision"] = self.geo_precision or None
        return d

    @classmethod
    def from_row(
        cls,
        row: Mapping[str, str | None],
        *,
        categories: dict[str, str],
        today: dt.date | None = None,
    ) -> Asset:
        """Validate and normalise one raw row. `categories` maps lower-case name -> name.

        Raises InvalidRecord listing every problem in the row, each naming its column.
        """
        problems: list[FieldProblem] = []
        # Start from every column's blank value and check only the cells the row has: a
        # spreadsheet usually fills a few of the columns, and this runs once per imported row.
        values: dict[str, Any] = dict(_BLANKS)
        for name in _LIST_COLUMNS:
            values[name] = []  # a fresh list per asset
        for name, raw in row.items():
            entry = _CHECKS.get(name)
            if entry is None:
                continue
            text = raw.strip() if type(raw) is str else "" if raw is None else str(raw).strip()
            check, blank = entry
            if not text and blank is not _REQUIRED:
                continue  # a blank cell: its value is fixed, no parsing needed
            try:
                values[name] = check(text, categories) if name == "category" else check(text)
            except InvalidValue as exc:
                problems.append(FieldProblem(name, str(exc)))
                values.pop(name, None)  # unknown, so no cross-field check below uses it
        for name in _REQUIRED_COLUMNS:
            if name not in row:
                problems.append(FieldProblem(name, "is required"))
        if len(problems) > 1:
            problems.sort(key=lambda p: _CHECK_ORDER[p.column])  # the columns' usual order
        for name in ("verified_on", "last_contact"):  # dates of things that have happened
            if values.get(name):
                try:
                    values[name] = _not_future(values[name], today or dt.date.today())
                except InvalidValue as exc:
                    problems.append(FieldProblem(name, str(exc)))
                    del values[name]

        lat, lon = values.get("lat"), values.get("lon")
        if "lat" in values and "lon" in values and (lat is None) != (lon is None):
            missing = "lon" if lon is None else "lat"
            problems.append(FieldProblem(missing, "give both lat and lon, or neither"))
        if (
            "postcode" in values
            and "lat" in values
            and not values["postcode"]
            and lat is None
            and lon is None
        ):
            problems.append(
                FieldProblem(
                    "postcode", "give a postcode or lat and lon, so the asset can be found"
                )
            )
        lo, hi = values.get("min_age"), values.get("max_age")
        if lo is not None and hi is not None and lo > hi:
            problems.append(FieldProblem("max_age", f"{hi} is below min_age {lo}"))
        if problems:
            raise InvalidRecord(problems)
        if not values["id"]:
            values["id"] = make_id(values["name"], values["postcode"], lat, lon)
        precision = str(row.get("geo_precision") or "").strip()
        values["geo_precision"] = precision or ("given" if lat is not None else "")
        return cls(**values)


ASSET_FIELDS = [f.name for f in fields(Asset)]


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


_REQUIRED = object()
_EMPTY_LIST: list = []  # the blank value of list columns (copied, never handed out)


def _text(v: str) -> str:
    # Collapse runs of spaces but keep line breaks (addresses have them).
    if "  " not in v and "\t" not in v and "\n" not in v and "\r" not in v:
        return v  # already stripped: the common case, without a regex
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in v.splitlines()).strip()


def _required_text(v: str) -> str:
    if not v:
        raise InvalidValue("is required")
    return _text(v)


def _id(v: str) -> str:
    if v and not _ID.match(v):
        raise InvalidValue(
            f"'{v}' is not a usable id; use letters, digits, '.', '_' or '-' (at most 80)"
        )
    return v


def _category(v: str, categories: dict[str, str]) -> str:
    if not v:
        raise InvalidValue("is required")
    key = " ".join(v.lower().split())
    if key not in categories:
        known = ", ".join(sorted(categories.values()))
        raise InvalidValue(
            f"'{v}' is not a known category; use one of: {known} "
            "(or add it with `assetmap categories add`)"
        )
    return categories[key]


def split_tags(v: str) -> list[str]:
    """'Gym; Fitness ;gym' -> ['gym', 'fitness']: trimmed, lower case, no repeats, order kept."""
    out: list[str] = []
    for part in re.split(r"[;,]", v or ""):
        tag = " ".join(part.split()).lower()
        if tag and tag not in out:
            out.append(tag)
    return out


def _enum(v: str, allowed: tuple[str, ...], *, blank: str) -> str:
    if not v:
        return blank
    key = v.strip().lower().replace("_", "-")
    if key not in allowed:
        raise InvalidValue(f"'{v}' is not one of {', '.join(allowed)}")
    return key


def _enum_list(v: str, allowed: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for part in re.split(r"[;,]", v):
        if part.strip():
            item = _enum(part, allowed, blank="")
            if item not in out:
                out.append(item)
    return out


def _coordinate(v: str, lo: float, hi: float) -> float | None:
    if not v:
        return None
    # European Excel's decimal comma ('53,48'): a coordinate has no thousands to separate.
    number = v.replace(",", ".", 1) if re.fullmatch(r"[-+]?\d{1,3},\d+", v) else v
    try:
        x = float(number)
    except ValueError:
        raise InvalidValue(f"'{v}' is not a number; write it like 53.48") from None
    if not (lo <= x <= hi) or x != x:
        raise InvalidValue(f"{v} is outside {lo:g} to {hi:g}")
    return round(x, 6)


def _age(v: str) -> int | None:
    if not v:
        return None
    try:
        n = int(float(v)) if re.fullmatch(r"\d+(\.0+)?", v) else int(v)
    except ValueError:
        raise InvalidValue(f"'{v}' is not a whole number of years") from None
    if not 0 <= n <= 120:
        raise InvalidValue(f"{n} is not an age between 0 and 120")
    return n


def parse_date(v: str) -> dt.date:
    """ISO (2026-11-23) or UK (23/11/2026, 23-11-2026, 23.11.26) dates."""
    v = v.strip()
    with contextlib.suppress(ValueError):
        return dt.date.fromisoformat(v)
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})", v)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        with contextlib.suppress(ValueError):
            return dt.date(year + 2000 if year < 100 else year, month, day)
    raise InvalidValue(f"'{v}' is not a date; write 2026-11-23 or 23/11/2026")


def _date(v: str) -> str:
    return parse_date(v).isoformat()


def _not_future(iso: str, today: dt.date) -> str:
    if iso > _latest_allowed(today):  # ISO dates sort as text
        raise InvalidValue(f"{iso} is in the future")
    return iso


@lru_cache(maxsize=4)
def _latest_allowed(today: dt.date) -> str:
    # The latest verified_on accepted: tomorrow (a day of grace).
    return (today + dt.timedelta(days=1)).isoformat()


def _referral(v: str) -> str:
    try:
        return _enum(v, REFERRAL, blank="")
    except InvalidValue:
        if v.strip().lower() in ROUTE:  # "phone": how to refer, not who may come
            raise InvalidValue(
                f"'{v}' is not one of {', '.join(REFERRAL)}; how to refer (phone, email, a form) "
                "goes in referral_route"
            ) from None
        raise


def is_email(v: str) -> bool:
    return bool(_EMAIL.match(v))


def _email(v: str) -> str:
    """An e-mail address; one wrapped as a page or header writes it ('<x@y.uk>') is
    unwrapped, since what it means is certain."""
    if not v or _EMAIL.match(v):
        return v
    m = _WRAPPED_EMAIL.match(v)
    if m and (m.group(1) is None) == (m.group(3) is None) and _EMAIL.match(m.group(2)):
        return m.group(2)
    raise InvalidValue(f"'{v}' is not an email address")


# A host name with a dot (labels of letters, digits and hyphens), then a path, query or port:
# "=HYPERLINK(...)" pasted into a spreadsheet's website column has a dot but no host.
_WEB_ADDRESS = re.compile(
    r"^(?:https?://)?[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+\.?(?::\d+)?(?:[/?#]\S*)?$",
    re.I,
)


def is_web_address(v: str) -> bool:
    return bool(_WEB_ADDRESS.match(v)) and bool(re.match(r"^https?://", v, re.I))


def _website(v: str) -> str:
    if not v:
        return ""
    if not _WEB_ADDRESS.match(v):
        raise InvalidValue(f"'{v}' is not a web address")
    return v if re.match(r"^https?://", v, re.I) else f"https://{v}"


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    if not text.isascii():  # accents off: 'Café' -> 'cafe'
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def make_id(name: str, postcode: str, lat: float | None, lon: float | None) -> str:
    """A readable id that is the same every time the same asset is imported."""
    where = slug(postcode) if postcode else slug(f"{lat:.3f} {lon:.3f}")
    return f"{slug(name)[:48].strip('-') or 'asset'}-{where}"[:80]


def match_key(name: str, postcode: str, lat: float | None = None, lon: float | None = None) -> str:
    """Normalised name + postcode (or, without one, position to ~100 m): how rows without an
    id find the asset they describe."""
    if postcode or lat is None or lon is None:
        return f"{slug(name)}|{postcode.replace(' ', '').upper()}"
    return f"{slug(name)}|{lat:.3f},{lon:.3f}"


def _cached(fn):
    """Memoise a validator of a column whose values repeat (categories of flags, dates,
    tag lists, postcodes): an import of many rows then checks each distinct value once."""
    return lru_cache(maxsize=8192)(fn)


_tags = _cached(lambda v: tuple(split_tags(v)))
_capital = _cached(lambda v: tuple(_enum_list(v, CAPITAL)))

# Column -> (validator, value of a blank cell). _REQUIRED: a blank cell is an error.
_CHECKS = {
    "name": (_required_text, _REQUIRED),
    "category": (_category, _REQUIRED),
    "id": (_id, ""),
    "tags": (lambda v: list(_tags(v)), _EMPTY_LIST),
    **{n: (_text, "") for n in ("description", "address", "area", "accessibility", "source", "notes")},
    "phone": (_cached(lambda v: phones.normalise(_text(v))[0]), ""),
    "email": (_email, ""),
    "website": (_website, ""),
    "postcode": (_cached(postcodes.normalise), ""),
    "lat": (lambda v: _coordinate(v, -90, 90), None),
    "lon": (lambda v: _coordinate(v, -180, 180), None),
    "schedule": (schedule.normalise, ""),
    "cost": (_cached(lambda v: _enum(v, COST, blank="")), ""),
    "gender": (_cached(lambda v: _enum(v, GENDER, blank="any")), "any"),
    "referral": (_cached(_referral), ""),
    **{f: (_cached(lambda v: _enum(v, FLAG, blank="unknown")), "unknown") for f in FLAG_FIELDS},
    "capital": (lambda v: list(_capital(v)), _EMPTY_LIST),
    "status": (_cached(lambda v: _enum(v, STATUS, blank="active")), "active"),
    "min_age": (_age, None),
    "max_age": (_age, None),
    "verified_on": (_cached(_date), ""),
    "partnership_status": (_cached(lambda v: _enum(v, PARTNERSHIP, blank="")), ""),
    **{n: (_text, "") for n in ("contact_name", "contact_role", "contact_phone", "referral_details", "staff_notes")},
    "contact_email": (_email, ""),
    "referral_route": (_cached(lambda v: _enum(v, ROUTE, blank="")), ""),
    "welcomes_mentor": (_cached(lambda v: _enum(v, FLAG, blank="unknown")), "unknown"),
    "last_contact": (_cached(_date), ""),
    "next_contact": (_cached(_date), ""),
}  # fmt: skip
# Every column's value when its cell is blank or absent (lists are copied per row).
_BLANKS = {name: blank for name, (_check, blank) in _CHECKS.items() if blank is not _REQUIRED}
_REQUIRED_COLUMNS = [name for name, (_check, blank) in _CHECKS.items() if blank is _REQUIRED]
_LIST_COLUMNS = [name for name, (_check, blank) in _CHECKS.items() if blank is _EMPTY_LIST]
_CHECK_ORDER = {name: i for i, name in enumerate(_CHECKS)}
