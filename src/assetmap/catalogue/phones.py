"""UK phone numbers: repaired where the damage is certain, written in the spaced form people
dial (and Excel keeps as text: "0161 234 5678" is not a number to it)."""

from __future__ import annotations

import re

_JUNK = re.compile(r"[\s()\-./]")


def digits_of(text: str) -> str | None:
    """The number's digits as dialled in the UK (+44 and 0044 become 0), or None when the
    text is not just a number (an extension, two numbers, words)."""
    squashed = _JUNK.sub("", text)
    if squashed.startswith("+44"):
        squashed = "0" + squashed[3:].removeprefix("0")
    elif squashed.startswith("0044"):
        squashed = "0" + squashed[4:].removeprefix("0")
    return squashed if squashed.isdigit() else None


def lost_leading_zero(text: str) -> bool:
    """'1782123456': a UK number whose 0 Excel dropped, reading it as a number."""
    d = digits_of(text)
    return d is not None and len(d) in (9, 10) and d[0] in "123789"


def has_letter_o(text: str) -> bool:
    """'O7872611770': a letter O typed for a zero."""
    return bool(re.search(r"[oO]", text)) and digits_of(re.sub(r"[oO]", "0", text)) is not None


def is_valid_uk(text: str) -> bool:
    d = digits_of(text)
    return d is not None and d[0] == "0" and d[1:2] in tuple("123789") and len(d) in (10, 11)


def spaced(digits: str) -> str:
    """UK digits (starting 0) in the spaced form Ofcom's plan uses."""
    if len(digits) == 11:
        if digits.startswith("02"):
            return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
        if digits.startswith(("011", "03", "08", "09")) or (digits[3] == "1" and digits[1] != "7"):
            return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
        return f"{digits[:5]} {digits[5:]}"  # 01xxx, and every 07xxx (0791 is a mobile, not 01x1)
    if len(digits) == 10:  # 0800 xxxxxx, and the few small exchanges (016977 xxxx)
        return (
            f"{digits[:4]} {digits[4:]}"
            if digits.startswith("08")
            else f"{digits[:6]} {digits[6:]}"
        )
    return digits


def normalise(text: str) -> tuple[str, str | None]:
    """(the number as stored, a warning or None). A number that lost its leading 0 gets it
    back, with a warning; a valid UK number written nationally is spaced; anything else (an
    international +44 form, an extension, words) is kept as written, and `check` reports a
    number that is not a valid UK one."""
    text = text.strip()
    if not text:
        return "", None
    if text.startswith("+"):
        return text, None  # the international form is dialled as written: kept
    warning = None
    if lost_leading_zero(text):
        text = "0" + (digits_of(text) or "")
        warning = (
            f"'{text[1:]}' looked like a UK number that lost its leading 0 (Excel does this to "
            f"numbers); stored as {spaced(text)}"
        )
    if is_valid_uk(text):
        return spaced(digits_of(text) or ""), warning
    return text, warning
