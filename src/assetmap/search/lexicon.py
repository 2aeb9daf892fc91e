"""The cue lexicon and word table: a small read-only SQLite file (data/lexicon/lexicon.db) built
ahead of time by scripts/build_lexicon.py from the hand-written cues.txt and from WordNet.

Opened lazily, only when a goal is not a phrase of the goals vocabulary, and needs neither
source (WordNet, the Snowball stemmer) at run time: the Snowball stem of every word it knows is
stored, and regular endings ('walking', 'hobbies') are stripped here to find the word.
"""

from __future__ import annotations

import re
import sqlite3
from functools import cache
from pathlib import Path

PATH = Path(__file__).resolve().parents[1] / "data" / "lexicon" / "lexicon.db"
_WORD = re.compile(r"[a-z0-9]+")

# Words that say how the person feels about a thing, not what the thing is: never read as cues
# on their own, never typo-corrected into one. The build script stores them as known words.
_STOPWORDS = """
a an the and or but if so to of in on at by for with from into onto about as than then that this
these those there here he she they him her them his hers their theirs i me my we us our you your
it its is are was were be been being am do does did doing have has had having will would shall
should can could may might must not no nor never very really quite just too also still again
ever even only much many more most some any all each every other such own same both few lot lots
bit get gets got getting go goes going gone went want wants wanted wanting wish wishes would like
likes liked liking love loves loved loving enjoy enjoys enjoyed keen fancy fancies fancied
interested interest interests into used use say says said tell told think thinks thought feel
feels felt seem seems need needs needed try tries tried trying maybe perhaps something anything
everything nothing someone anyone somebody anybody thing things stuff way ways kind sort time
times day days week weeks year years since after before when while where who what which why how
again now back up down out off over under yes ok okay please thanks mr mrs ms miss
person guy bloke lad girl man woman young old new good bad better best well make makes made
making take takes took start starts started starting stop stops stopped keep keeps kept
help helps helped cant cannot s t d ll re ve m
"""
STOPWORDS = frozenset(_STOPWORDS.split())
# "can't" is not here: "can't read", "can't sleep", "can't afford food" say what is needed.
_NEGATIONS = "not no never dont doesnt didnt isnt wont hates hate avoid without nor"
NEGATIONS = frozenset(_NEGATIONS.split())
# Words that make what follows a need: "can't read", "struggles with maths", "very little
# English", "never learned to read". A cue written "~read" in cues.txt is read only after one.
_NEED_MARKERS = """
cant cannot couldnt never no poor weak limited little basic barely struggles struggle
struggling struggled difficulty difficulties problem problems trouble unable help improve
improving learn learning learned learnt illiterate
"""
NEED_MARKERS = frozenset(_NEED_MARKERS.split())


def tokens(text: str) -> list[str]:
    """Lower-case words; an apostrophe joins ("men's" -> "mens", "doesn't" -> "doesnt");
    accents are dropped ("café" -> "cafe")."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    if not text.isascii():
        import unicodedata

        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _WORD.findall(text)


def canon(text: str) -> str:
    """A tag, category or target term as compared: words, a plural 's' folded ('Men's Groups'
    -> 'men group'), so a partner's own spelling of a tag still matches."""
    out = []
    for w in tokens(text):
        if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        out.append(w)
    return " ".join(out)


@cache
def connect() -> sqlite3.Connection:
    # immutable: no locking or journal checks on a file that ships read-only in the package
    return sqlite3.connect(f"file:{PATH}?mode=ro&immutable=1", uri=True, check_same_thread=False)


_ENDINGS = ("ies", "ied", "ing", "ers", "es", "ed", "er", "s", "d", "r")


def _bases(word: str) -> list[str]:
    """Forms a word may be an ending of: 'walking' -> walk; 'swimming' -> swim; 'cycling' ->
    cycle; 'hobbies' -> hobby. The file stores words, not their regular endings."""
    out = []
    for end in _ENDINGS:
        if word.endswith(end) and len(word) - len(end) >= 2:
            base = word[: -len(end)]
            if end in ("ies", "ied"):
                out.append(base + "y")
                continue
            out += [base, base + "e"]
            if len(base) > 3 and base[-1] == base[-2]:
                out.append(base[:-1])
    return out


def stems(words: list[str]) -> dict[str, tuple[str, bool]]:
    """word -> (Snowball stem, is a stop word) for the words the file knows, directly or as a
    regular ending of a word it knows. The stem is '' for a known word that leads nowhere."""
    wanted = {w: [w, *_bases(w)] for w in set(words)}
    every = sorted({f for forms in wanted.values() for f in forms})
    if not every:
        return {}
    found: dict = {}
    for i in range(0, len(every), 500):  # SQLite's limit on parameters
        chunk = every[i : i + 500]
        found.update(
            (w, (stem, bool(stop)))
            for w, stem, stop in connect().execute(
                f"SELECT word, stem, stop FROM forms WHERE word IN ({','.join('?' * len(chunk))})",
                chunk,
            )
        )
    out = {}
    for word, forms in wanted.items():
        hits = [found[f] for f in forms if f in found]
        if hits:  # the word itself first; else the first base that leads somewhere
            out[word] = hits[0] if forms[0] in found else max(hits, key=lambda h: h[0] != "")
    return out


def cues_starting(first_stems: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    """first stem -> [(stemmed key, cue as written, targets)], longest key first."""
    out: dict[str, list] = {}
    keys = sorted(set(first_stems))
    if not keys:
        return out
    rows = connect().execute(
        f"SELECT first, key, cue, targets FROM cues WHERE first IN ({','.join('?' * len(keys))})",
        keys,
    )
    for first, key, cue, targets in rows:
        out.setdefault(first, []).append((key, cue, targets))
    for entries in out.values():
        entries.sort(key=lambda e: -len(e[0].split()))
    return out


def table_entries(stems_: list[str]) -> dict[str, list[tuple[str, float, str]]]:
    """stem -> [(cue key, weight, how WordNet links them)] from the word table."""
    unique = sorted(set(stems_))
    if not unique:
        return {}
    rows = connect().execute(
        f"SELECT stem, cues FROM words WHERE stem IN ({','.join('?' * len(unique))})", unique
    )
    out = {}
    for stem, text in rows:
        entries = []
        for part in text.split("|"):
            key, weight, how = part.split(":")
            entries.append((key, float(weight), how))
        out[stem] = entries
    return out


def cue(key: str) -> tuple[str, str] | None:
    """(cue as written, targets) for a stemmed key."""
    return connect().execute("SELECT cue, targets FROM cues WHERE key = ?", (key,)).fetchone()


def typo_candidates(word: str) -> list[str]:
    """Known words a misspelling may stand for: same first letter, about the same length."""
    rows = connect().execute(
        "SELECT word FROM typos WHERE first = ? AND len BETWEEN ? AND ?",
        (word[0], len(word) - 2, len(word) + 2),
    )
    return [r[0] for r in rows]


def parse_targets(text: str) -> list[tuple[str, float]]:
    """'@be outdoors:1;nature:0.6' -> [('@be outdoors', 1.0), ('nature', 0.6)]."""
    out = []
    for part in text.split(";"):
        if part:
            name, _, weight = part.rpartition(":")
            out.append((name, float(weight)))
    return out


def meta() -> dict[str, str]:
    return dict(connect().execute("SELECT key, value FROM meta"))
