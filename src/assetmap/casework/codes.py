"""The only things casework records about a person's introduction, as codes: who went along,
the follow-up outcome and why someone stopped. No free text, so no names or notes can slip in."""

from __future__ import annotations

import datetime as dt
import os
import re

from assetmap.errors import InvalidValue

ROLES = ("peer-mentor", "practitioner", "volunteer", "nobody")
OUTCOMES = ("attended", "did-not-attend", "still-going", "stopped")
REASONS = ("moved", "did-not-suit", "licence-conditions", "found-something-else", "other")
# Outcomes that mean the person went at least once (stopped: went, then stopped).
WENT = ("attended", "still-going", "stopped")

DEFAULT_FOLLOW_UPS = "4w,12w"
DEFAULT_RETENTION = "24m"

# Letters and digits with - / _ . inside; 3 to 32 characters; at least one digit. The digit
# rule keeps names out: a case reference is the number a service already uses, never a name.
_REF = re.compile(r"[A-Z0-9][A-Z0-9/_.-]{1,30}[A-Z0-9]")


def _code(text: str, allowed: tuple[str, ...], what: str, option: str) -> str:
    code = "-".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    if code not in allowed:
        raise InvalidValue(f"{option}: '{text}' is not a {what}; use one of {', '.join(allowed)}")
    return code


def role(text: str) -> str:
    """'peer mentor', 'Peer-Mentor', 'peer_mentor' -> 'peer-mentor'."""
    return _code(text, ROLES, "role", "--with")


def outcome(text: str) -> str:
    return _code(text, OUTCOMES, "follow-up outcome", "--outcome")


def reason(text: str) -> str:
    return _code(text, REASONS, "reason", "--reason")


def case_ref(text: str, given_as: str = "--case") -> str:
    """The case reference as stored and hashed: spaces removed, upper case. The value itself is
    never repeated in a message, which names where it was given (`--case`, or `REF`)."""
    ref = "".join(text.split()).upper()
    if not _REF.fullmatch(ref) or not any(c.isdigit() for c in ref):
        raise InvalidValue(
            f"{given_as}: not a case reference; give the reference your service already uses "
            "(3-32 letters and digits, at least one digit, - / _ . inside), never a name"
        )
    return ref


def follow_up_weeks(text: str | None = None) -> list[int]:
    """'4w,12w' (or $ASSETMAP_FOLLOW_UPS) -> [4, 12]: weeks after the introduction."""
    text = text or os.environ.get("ASSETMAP_FOLLOW_UPS") or DEFAULT_FOLLOW_UPS
    weeks = []
    for part in text.split(","):
        m = re.fullmatch(r"\s*(\d{1,3})\s*w?\s*", part.lower())
        if not m or not 1 <= int(m.group(1)) <= 104:
            raise InvalidValue(
                f"--follow-ups: '{text}' is not a list of weeks; write e.g. 4w,12w (1 to 104 weeks)"
            )
        weeks.append(int(m.group(1)))
    return sorted(set(weeks))


def period(text: str, option: str):
    """'7d', '2w', '24m', '1y' given to `option` -> a timedelta."""
    from assetmap.catalogue.quality import parse_age

    try:
        return parse_age(text)
    except InvalidValue as exc:
        raise InvalidValue(f"{option}: {exc}") from None


def retention() -> str:
    """How long introductions are kept: $ASSETMAP_CASEWORK_RETENTION, else 24 months."""
    return os.environ.get("ASSETMAP_CASEWORK_RETENTION") or DEFAULT_RETENTION


def day(text: str | None, today: dt.date, option: str = "--on") -> str:
    """A date given on the command line (default today), as ISO; never in the future."""
    from assetmap.catalogue.models import parse_date

    if not text:
        return today.isoformat()
    try:
        when = parse_date(text)
    except InvalidValue as exc:
        raise InvalidValue(f"{option}: {exc}") from None
    if when > today:
        raise InvalidValue(
            f"{option}: {when.isoformat()} is in the future; give the day it happened"
        )
    return when.isoformat()
