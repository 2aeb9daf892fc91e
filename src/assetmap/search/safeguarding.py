"""Safeguarding signals in an asset's name and description, for when its source says nothing:
"Kings Heath Boys School", "Trafford Juniors FC", "U12s training", "Youth Club", "Girls'
Brigade", "Football Academy" are likely to involve children, and a Boys or Girls one is for
one gender. Used by --no-children and --gender (search.filters) and the why column."""

from __future__ import annotations

import re

# Words that say children take part. "Old Boys" (an alumni club of adults) is not one.
_CHILDREN = re.compile(
    r"\b(?<!old )(junior|juniors|youth|boys|girls|schools?|academy|academies"
    r"|u ?\d{1,2}s?|under[ -]?\d{1,2}s)\b",
    re.IGNORECASE,
)
_GENDER = re.compile(r"\b(?<!old )(boys|girls)\b", re.IGNORECASE)


def children_word(text: str) -> str | None:
    """The word of `text` that says children are likely to take part, as written; None."""
    m = _CHILDREN.search(text or "")
    return m.group(0) if m else None


def children_signal(row) -> tuple[str, str] | None:
    """(where, word) when the asset's name, else its description, says children are likely to
    take part and its source says nothing either way: ('name', 'Juniors')."""
    if row["involves_children"] != "unknown":
        return None
    for where in ("name", "description"):
        word = children_word(row[where])
        if word:
            return where, word
    return None


def gender_signal(row) -> tuple[str, str] | None:
    """('men', 'Boys') or ('women', 'Girls') when the asset's name says it is for one gender and
    its source says any."""
    if row["gender"] != "any":
        return None
    m = _GENDER.search(row["name"] or "")
    if not m:
        return None
    return ("men" if m.group(1).lower() == "boys" else "women"), m.group(0)


def children_caution(where: str, word: str) -> str:
    return f"likely involves children (from its {where}: '{word}'), check first"
