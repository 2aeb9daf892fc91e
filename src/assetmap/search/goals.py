"""Goals: the plain phrases practitioners use ("get fit", "meet people"), matched with synonyms
and simple stemming to the tags and categories that serve them."""

from __future__ import annotations

import re

from assetmap.errors import InvalidValue, NotFound

_SUFFIXES = ("ness", "ing", "ies", "es", "ed", "s")


def _stem_word(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            stem = word[: -len(suffix)]
            return stem + "y" if suffix == "ies" else stem
    return word


def stem(text: str) -> str:
    """'Keeping Fit!' -> 'keep fit'; 'fitness' -> 'fit'; 'exercises' -> 'exercis'."""
    words = re.sub(r"[^\w\s]", " ", text.lower()).split()
    return " ".join(_stem_word(w) for w in words)


class Goal:
    # A plain class: a dataclass costs about 1 ms to create, at every start-up.
    __slots__ = ("name", "tags", "categories", "synonyms")

    def __init__(self, name: str, tags: list[str], categories: list[str], synonyms: list[str]):
        self.name = name
        self.tags = tags
        self.categories = categories
        self.synonyms = synonyms

    def phrases(self) -> set[str]:
        return {stem(self.name), *(stem(s) for s in self.synonyms)}

    def serves(self, tags: list[str], category: str) -> bool:
        return category in self.categories or any(t in self.tags for t in tags)

    def to_json(self) -> dict:
        return {"goal": self.name, "tags": self.tags, "categories": self.categories,
                "synonyms": self.synonyms}  # fmt: skip


def _split(text: str) -> list[str]:
    return [p for p in (" ".join(x.split()).lower() for x in text.split(";")) if p]


def load(conn) -> list[Goal]:
    rows = conn.execute("SELECT name, tags, categories, synonyms FROM goals ORDER BY name")
    return [Goal(r[0], _split(r[1]), _split(r[2]), _split(r[3])) for r in rows]


def match(text: str, goals: list[Goal]) -> Goal | None:
    """The goal a phrase names, by name or synonym, after stemming; None if none does."""
    key = stem(text)
    for goal in goals:
        if key in goal.phrases():
            return goal
    return None


def add(conn, name: str, tags: str, categories: str, synonyms: str, known_categories) -> Goal:
    goal = Goal(" ".join(name.lower().split()), _split(tags), _split(categories), _split(synonyms))
    if not goal.name:
        raise InvalidValue("a goal needs a name")
    if not goal.tags and not goal.categories:
        raise InvalidValue("a goal needs --tags or --categories to know what serves it")
    unknown = [c for c in goal.categories if c not in known_categories]
    if unknown:
        raise InvalidValue(
            f"unknown categories: {', '.join(unknown)}; known: {', '.join(sorted(known_categories))}"
        )
    clash = match(goal.name, load(conn))
    if clash:
        raise InvalidValue(f"'{goal.name}' already means the goal '{clash.name}'")
    conn.execute(
        "INSERT INTO goals VALUES (?, ?, ?, ?)",
        (goal.name, ";".join(goal.tags), ";".join(goal.categories), ";".join(goal.synonyms)),
    )
    return goal


def remove(conn, name: str) -> None:
    goal = match(name, load(conn))
    if goal is None:
        raise NotFound(f"no goal '{name}'; `assetmap goals` lists them")
    conn.execute("DELETE FROM goals WHERE name = ?", (goal.name,))
