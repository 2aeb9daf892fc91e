"""Publishers' taxonomy terms -> our categories: the `category_terms` table an Open Referral
import reads ('Food banks' means foodbank), edited with `assetmap categories map`."""

from __future__ import annotations

from assetmap.errors import InvalidValue


def _key(term: str) -> str:
    return " ".join(term.lower().split())


def mapping(conn) -> dict[str, str]:
    """lower-case term -> category."""
    return {_key(t): c for t, c in conn.execute("SELECT term, category FROM category_terms")}


def listing(conn) -> list[dict]:
    rows = conn.execute("SELECT term, category FROM category_terms ORDER BY category, term")
    return [{"term": t, "category": c} for t, c in rows]


def map_term(cat, term: str, category: str) -> tuple[str, str]:
    """Map `term` to `category` (one of the vocabulary); returns them as stored."""
    key = _key(term)
    if not key:
        raise InvalidValue("give the publisher's term, e.g. assetmap categories map 'Food banks' foodbank")  # fmt: skip
    name = cat.category_named(category, "CATEGORY")
    with cat.transaction() as conn:
        conn.execute(
            "INSERT INTO category_terms(term, category) VALUES (?, ?) "
            "ON CONFLICT(term) DO UPDATE SET category = excluded.category",
            (key, name),
        )
    return key, name


def unmap_term(cat, term: str) -> None:
    with cat.transaction() as conn:
        gone = conn.execute("DELETE FROM category_terms WHERE term = ?", (_key(term),)).rowcount
    if not gone:
        raise InvalidValue(f"'{term}' is not a mapped term; `assetmap categories terms` lists them")
