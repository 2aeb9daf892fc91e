"""UK postcode text: normalise to the Royal Mail form ("ST4 7AA") and split into parts."""

from __future__ import annotations

import re

from assetmap.errors import InvalidValue

# Outward code: area letters + district; inward code: sector digit + unit letters.
_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_OUTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_SECTOR = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9])$")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def normalise(text: str) -> str:
    """'st47qb' -> 'ST4 7QB'. Raises InvalidValue naming the expected form."""
    raw = squash(text)
    m = _FULL.match(raw)
    if not m:
        shown = text.strip() or "(blank)"
        raise InvalidValue(
            f"'{shown}' is not a full UK postcode; write it like 'ST4 7QB' "
            "(outward code, space, digit and two letters)"
        )
    return f"{m.group(1)} {m.group(2)}"


def is_full(text: str) -> bool:
    return bool(_FULL.match(squash(text)))


def is_outcode(text: str) -> bool:
    return bool(_OUTCODE.match(squash(text)))


def as_sector(text: str) -> str | None:
    """'st4 7' / 'ST47' -> 'ST4 7'; None when the text has no sector's shape. Without the
    space the text may also be a district ('M13'): resolve.py decides which it is."""
    m = _SECTOR.match(text.strip().upper())
    if not m:
        return None
    return f"{m.group(1)} {m.group(2)}"


def has_space(text: str) -> bool:
    return " " in " ".join(text.split())


def looks_like_postcode(text: str) -> bool:
    """Text with a postcode's shape but maybe malformed: starts with letters then a digit,
    and is short. Used to give a postcode error instead of 'unknown town'."""
    raw = squash(text)
    return bool(re.match(r"^[A-Z]{1,2}[0-9][A-Z0-9]{0,4}$", raw)) and len(raw) <= 8
