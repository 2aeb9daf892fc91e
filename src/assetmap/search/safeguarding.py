"""Safeguarding signals in an asset's name and description, for when its source says nothing:
"Kings Heath Boys School", "Trafford Juniors FC", "U12s training", "Youth Club", "Girls'
Brigade", "an after-school club" are likely to involve children, and a Boys or Girls one is
for one gender. Used by --no-children and --gender (search.filters) and the why column.

The words say who takes part, not where: "School" or "Academy" alone names a venue (a sports
centre on a school site let to adult clubs in the evening, a boxing academy, a football
academy for adults; half of Active Places' sites), so they are no signal on their own; a
primary, infant, nursery or prep school is. With --no-children such a site is still said to
be a school site (a licence condition may forbid school premises), as a caution to check."""

from __future__ import annotations

_CHILDREN = frozenset(
    ("junior", "juniors", "youth", "boys", "girls", "kids", "children", "childrens", "toddlers",
     "tots")
)  # fmt: skip
# Two words that say children together: "after-school club", "under-fives", and a school
# whose pupils are all young children ("Chopwell Primary School": a site with children on it).
_CHILDREN_PAIRS = {
    ("after", "school"), ("under", "fives"), ("primary", "pupils"), ("primary", "school"),
    ("infant", "school"), ("infants", "school"), ("nursery", "school"), ("preparatory", "school"),
    ("prep", "school"),
}  # fmt: skip
_GENDER = {"boys": "men", "girls": "women"}


def _words(text: str) -> list[str]:
    """The words of `text` as written ("Boys'" -> "Boys", "Under-12s" -> "Under", "12s"). No
    regular expressions: this runs for every result `near` shows, in every process."""
    return "".join(c if c.isalnum() else " " for c in text or "").split()


def _said(words: list[str], wanted) -> int | None:
    """The index of the first word in `wanted` (lower case) not after "Old" ("Old Boys" are an
    alumni club of adults)."""
    for i, word in enumerate(words):
        if word.lower() in wanted and not (i and words[i - 1].lower() == "old"):
            return i
    return None


def children_word(text: str) -> str | None:
    """The word of `text` that says children are likely to take part, as written: "Juniors",
    "U12s", "Under 12s"; None."""
    words = _words(text)
    for i, word in enumerate(words):
        low = word.lower()
        age = low[1:].removesuffix("s")
        if low[0] == "u" and 1 <= len(age) <= 2 and age.isdigit():  # U12, U12s
            return word
        if low == "under" and i + 1 < len(words):  # Under 12s, Under-16s
            after = words[i + 1].lower()
            if after.endswith("s") and after[:-1].isdigit() and len(after) <= 3:
                return f"{word} {words[i + 1]}"
    at = _said(words, _CHILDREN)
    if at is not None:
        return words[at]
    for i in range(len(words) - 1):
        if (words[i].lower(), words[i + 1].lower()) in _CHILDREN_PAIRS:
            return f"{words[i]} {words[i + 1]}"
    return None


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


# "Boxing Academy", "Football Academy": a club named for what it teaches, not a school site.
_CLUB_ACADEMY = frozenset(
    ("boxing", "football", "dance", "karate", "judo", "kickboxing", "martial", "fitness",
     "tennis", "golf", "cricket", "rugby", "gymnastics", "drama", "stage", "mma", "swim")
)  # fmt: skip


def school_site(row) -> str | None:
    """'School' or 'Academy' as the asset's name writes it, when the name says it is on a
    school site and its source says nothing of children: not a sign that children take part
    (adult clubs use such halls in the evening), but a licence condition may forbid school
    premises, so --no-children says to check."""
    if row["involves_children"] != "unknown":
        return None
    words = _words(row["name"])
    for i, word in enumerate(words):
        low = word.lower()
        if low in ("school", "schools") or (
            low == "academy" and not (i and words[i - 1].lower() in _CLUB_ACADEMY)
        ):
            return word
    return None


def school_caution(word: str) -> str:
    return f"may be on a school site (from its name: '{word}'), check first"


def gender_signal(row) -> tuple[str, str] | None:
    """('men', 'Boys') or ('women', 'Girls') when the asset's name says it is for one gender and
    its source says any."""
    if row["gender"] != "any":
        return None
    words = _words(row["name"])
    i = _said(words, _GENDER)
    if i is None:
        return None
    return _GENDER[words[i].lower()], words[i]


def children_caution(where: str, word: str) -> str:
    return f"likely involves children (from its {where}: '{word}'), check first"
