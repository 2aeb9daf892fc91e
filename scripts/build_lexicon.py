"""Build src/assetmap/data/lexicon/lexicon.db: the cue lexicon, stemmed, and the word table.

    apt-get install wordnet-base          # WordNet 3.0 (Debian package 1:3.0-37), read from
                                          # /usr/share/wordnet
    pip install "snowballstemmer==3.1.1"  # the same stemmer the runtime uses for unknown words
    python scripts/build_lexicon.py [--wordnet /usr/share/wordnet]

Sources and what is taken from each:
- src/assetmap/data/lexicon/cues.txt: the hand-written British cue lexicon (this project's own).
- WordNet 3.0 (Princeton University; licence in NOTICE): lemmas, their inflections (from the
  .exc files and regular endings), synonyms, hypernyms, derivations and glosses. A word the
  lexicon does not know gets the targets of the cues its senses lead to, at a lower weight.
- src/assetmap/data/lexicon/deny.txt: reviewed senses never to follow ("yoga" as Hinduism).
- snowballstemmer (English, i.e. Porter2): every word form's stem is stored, so the runtime
  need not stem words the file knows.

The output holds no text of WordNet's beyond single words, and is deterministic: the same
sources give the same file (a test checks the file matches cues.txt and deny.txt).
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from assetmap.search import lexicon  # noqa: E402  (tokens, canon, STOPWORDS: one definition)

DATA = ROOT / "src" / "assetmap" / "data" / "lexicon"
POS = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}
SENSES = {"noun": (1.0, 0.75, 0.55), "verb": (0.9, 0.6), "adj": (0.8, 0.55)}
RELATIONS = {"syn": 0.9, "deriv": 0.8, "hyper": 0.7, "hyper2": 0.5, "gloss": 0.3}
TABLE_MAX = 0.7  # word-table readings stay below a lexicon hit (a clear reading is >= 0.75)
TABLE_MIN = 0.15
TABLE_KEEP = 0.4  # a word whose best link is weaker than this is left out


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_cues(path: Path) -> list[tuple[str, dict[str, float]]]:
    """[(cue as written, {target: weight})] from cues.txt; one entry per cue and block. A
    block's cues run to the next block, separated by commas; a line break is a space."""
    entries: list[tuple[str, dict[str, float]]] = []
    blocks: list[tuple[dict[str, float], list[str]]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            targets = {}
            for part in line.strip("[]").split(","):
                m = re.fullmatch(r"\s*([@!]?[a-z' -]+?)\s*([0-9.]+)?\s*", part)
                if not m:
                    sys.exit(f"cues.txt line {n}: bad target '{part}'")
                targets[m.group(1)] = float(m.group(2) or 1)
            blocks.append((targets, []))
            continue
        if not blocks:
            sys.exit(f"cues.txt line {n}: cues before any [targets]")
        blocks[-1][1].append(line)
    for targets, lines in blocks:
        for cue in " ".join(lines).split(","):
            cue = " ".join(cue.split())
            if not cue:
                continue
            scale = 1.0
            if "*" in cue:
                cue, _, factor = cue.partition("*")
                scale = float(factor)
            entries.append((cue.strip(), {t: round(w * scale, 3) for t, w in targets.items()}))
    return entries


def read_deny(path: Path) -> list[tuple[str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            word, _, fragment = line.partition("|")
            out.append((word.strip().lower(), fragment.strip().lower()))
    return out


class WordNet:
    """Just enough of the WordNet 3.0 database files: synsets, pointers, index, exceptions."""

    def __init__(self, root: Path):
        self.synsets: dict[tuple[str, str], tuple[list[str], list[tuple[str, str, str]], str]] = {}
        self.index: dict[tuple[str, str], list[str]] = {}
        self.exceptions: dict[str, set[str]] = defaultdict(set)  # lemma -> irregular forms
        for pos in ("noun", "verb", "adj"):
            for line in (root / f"data.{pos}").open(encoding="latin-1"):
                if line.startswith("  "):
                    continue
                head, _, gloss = line.partition("|")
                f = head.split()
                offset, n_words = f[0], int(f[3], 16)
                words = [f[4 + 2 * i].lower() for i in range(n_words)]
                words = [re.sub(r"\(.*\)$", "", w) for w in words]
                i = 4 + 2 * n_words
                n_ptrs = int(f[i])
                ptrs = [
                    (f[i + 1 + 4 * k], f[i + 2 + 4 * k], POS[f[i + 3 + 4 * k]])
                    for k in range(n_ptrs)
                ]
                self.synsets[(pos, offset)] = (words, ptrs, gloss.strip())
            for line in (root / f"index.{pos}").open(encoding="latin-1"):
                if line.startswith("  "):
                    continue
                f = line.split()
                n_syn = int(f[2])
                self.index[(f[0], pos)] = f[-n_syn:]
            for line in (root / f"{pos}.exc").open(encoding="latin-1"):
                f = line.split()
                if len(f) >= 2:
                    for lemma in f[1:]:
                        self.exceptions[lemma].add(f[0])

    def lemmas(self):
        return self.index.keys()


def inflections(word: str) -> set[str]:
    """Regular English endings, so the runtime finds 'walks', 'walked', 'walking' as 'walk'."""
    out = {word, word + "s", word + "es", word + "ed", word + "ing", word + "er", word + "ers"}
    if word.endswith("e"):
        out |= {word[:-1] + "ing", word + "d", word + "r", word + "rs"}
    if word.endswith("y") and len(word) > 2:
        out |= {word[:-1] + "ies", word[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgmnprt]$", word):
        out |= {word + word[-1] + "ing", word + word[-1] + "ed", word + word[-1] + "er"}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wordnet", default="/usr/share/wordnet")
    parser.add_argument("--out", default=str(DATA / "lexicon.db"))
    args = parser.parse_args()
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("english")

    from functools import cache

    @cache
    def stem_word(word: str) -> str:
        return stemmer.stemWord(word)

    @cache
    def stem_phrase(text: str) -> str:
        # "~read": the cue "read" said as a need ("can't read"), kept apart from "read"
        need = "~" if text.startswith("~") else ""
        return need + " ".join(stem_word(w) for w in lexicon.tokens(text))

    cues_path, deny_path = DATA / "cues.txt", DATA / "deny.txt"
    cue_entries = read_cues(cues_path)
    deny = read_deny(deny_path)

    # The cues, merged on their stemmed key (the strongest weight for each target wins).
    cues: dict[str, tuple[str, dict[str, float]]] = {}
    for cue, targets in cue_entries:
        key = stem_phrase(cue)
        if not key:
            continue
        written, merged = cues.get(key, (cue, {}))
        for t, w in targets.items():
            merged[t] = max(merged.get(t, 0.0), w)
        cues[key] = (written, merged)

    wn = WordNet(Path(args.wordnet))
    denied_stems = {stem_word(w) for w, frag in deny if frag == "*"}

    def cue_for(lemma: str) -> str | None:
        key = stem_phrase(lemma.replace("_", " "))
        return key if key in cues and key not in lexicon.STOPWORDS else None

    def denied(word: str, synset) -> bool:
        words, _ptrs, gloss = synset
        text = " ".join(words).replace("_", " ") + " | " + gloss.lower()
        return any(w == word and (frag == "*" or frag in text) for w, frag in deny)

    # The word table: for a word the lexicon does not have, follow its commonest senses to
    # the cues they lead to. Stored as references to cues (at most two), not their targets, so
    # editing a cue's targets needs no rebuild of the table's meaning.
    table: dict[str, list[tuple[str, float, str]]] = {}
    lemma_words = sorted({lemma for lemma, _pos in wn.lemmas()})
    for lemma in lemma_words:
        if "_" in lemma or not lemma.isalpha() or len(lemma) < 3 or lemma in lexicon.STOPWORDS:
            continue
        stem = stem_word(lemma)
        if stem in cues or stem in denied_stems:
            continue  # the lexicon already reads it, or the word is denied outright
        best: dict[str, tuple[float, str]] = {}  # cue key -> (weight, how)

        def add(cue_key: str, weight: float, how: str, best=best) -> None:
            if weight > best.get(cue_key, (0.0, ""))[0]:
                best[cue_key] = (weight, how)

        for pos in ("noun", "verb", "adj"):
            offsets = wn.index.get((lemma, pos), [])
            for sense_weight, offset in zip(SENSES[pos], offsets, strict=False):
                synset = wn.synsets[(pos, offset)]
                if denied(lemma, synset):
                    continue
                words, ptrs, gloss = synset
                for w in words:
                    if w != lemma and (key := cue_for(w)):
                        add(key, sense_weight * RELATIONS["syn"], "means")
                for sym, off, p in ptrs:
                    if sym not in ("@", "@i", "+", "&", "^"):
                        continue
                    rel = "hyper" if sym.startswith("@") else "deriv"
                    target = wn.synsets.get((p, off))
                    if not target:
                        continue
                    for w in target[0]:
                        if key := cue_for(w):
                            add(
                                key,
                                sense_weight * RELATIONS[rel],
                                "a kind of" if rel == "hyper" else "related to",
                            )
                    if rel == "hyper":
                        for sym2, off2, p2 in target[1]:
                            if sym2 in ("@", "@i") and (up := wn.synsets.get((p2, off2))):
                                for w in up[0]:
                                    if key := cue_for(w):
                                        add(key, sense_weight * RELATIONS["hyper2"], "a kind of")
                definition = gloss.split(";")[0].lower() if sense_weight == 1.0 else ""
                for w in lexicon.tokens(definition):
                    if len(w) >= 4 and w not in lexicon.STOPWORDS and (key := cue_for(w)):
                        add(key, sense_weight * RELATIONS["gloss"], "described with")
        if not best:
            continue
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
        top = ranked[0][1][0]
        factor = min(1.0, TABLE_MAX / top)
        kept = [
            (k, round(w * factor, 2), how) for k, (w, how) in ranked if w * factor >= TABLE_MIN
        ][:2]
        if kept and top >= TABLE_KEEP and (stem not in table or kept[0][1] > table[stem][0][1]):
            table[stem] = kept

    # Word forms: every WordNet word and cue word is known (so a real word is never "corrected"
    # into a cue: "pilates" is not "opiates"), with its stem when the stem leads somewhere and ""
    # when it does not. Regular endings are not stored: the runtime strips them (lexicon.py).
    useful = set(table) | {w for k in cues for w in k.split()}
    forms: dict[str, tuple[str, int]] = {}
    base = {
        lemma for lemma in lemma_words if "_" not in lemma and lemma.isalpha() and len(lemma) <= 24
    }
    cue_words = {w for cue, _t in cue_entries for w in lexicon.tokens(cue)}
    irregular = {form for forms_ in wn.exceptions.values() for form in forms_ if form.isalpha()}
    for word in sorted(base | cue_words | irregular):
        stem = stem_word(word)
        forms[word] = (stem if stem in useful else "", 0)
    for lemma, forms_ in wn.exceptions.items():  # "ran" is "run", "children" is "child"
        stem = stem_word(lemma)
        for form in forms_:
            # a word a cue is written with keeps its own stem: "lost" in "lost his mum" is
            # not "lose" (the cue's key is stemmed as written)
            if form.isalpha() and stem in useful and form not in cue_words:
                forms[form] = (stem, 0)
    for w in lexicon.STOPWORDS:
        forms[w] = (stem_word(w), 1)
    # Typos are corrected only into the lexicon's own words (a few thousand), so looking for
    # the nearest costs about a millisecond.
    typo_words = sorted({w for w in cue_words if len(w) >= 4 and w not in lexicon.STOPWORDS})

    out = Path(args.out)
    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript(
        """
        PRAGMA page_size = 4096;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE cues (key TEXT PRIMARY KEY, first TEXT NOT NULL, cue TEXT NOT NULL,
                           targets TEXT NOT NULL) WITHOUT ROWID;
        CREATE INDEX cues_first ON cues(first);
        CREATE TABLE words (stem TEXT PRIMARY KEY, cues TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE forms (word TEXT PRIMARY KEY, stem TEXT NOT NULL, stop INTEGER NOT NULL)
            WITHOUT ROWID;
        CREATE TABLE typos (first TEXT NOT NULL, len INTEGER NOT NULL, word TEXT NOT NULL,
                            PRIMARY KEY (first, len, word)) WITHOUT ROWID;
        """
    )

    def fmt(targets: dict[str, float]) -> str:
        return ";".join(
            f"{t}:{w:g}" for t, w in sorted(targets.items(), key=lambda x: (-x[1], x[0]))
        )

    db.executemany(
        "INSERT INTO cues VALUES (?, ?, ?, ?)",
        [(k, k.split()[0], c, fmt(t)) for k, (c, t) in sorted(cues.items())],
    )
    db.executemany(
        "INSERT INTO words VALUES (?, ?)",
        [
            (s, "|".join(f"{k}:{w:g}:{how}" for k, w, how in kept))
            for s, kept in sorted(table.items())
        ],
    )
    db.executemany(
        "INSERT INTO forms VALUES (?, ?, ?)", [(f, s, st) for f, (s, st) in sorted(forms.items())]
    )
    db.executemany("INSERT INTO typos VALUES (?, ?, ?)", [(w[0], len(w), w) for w in typo_words])
    db.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [
            ("cues_sha256", file_hash(cues_path)),
            ("deny_sha256", file_hash(deny_path)),
            ("wordnet", "WordNet 3.0 (Debian wordnet-base 1:3.0-37)"),
            (
                "snowballstemmer",
                snowballstemmer.__version__ if hasattr(snowballstemmer, "__version__") else "3.1.1",
            ),
            ("cues", str(len(cues))),
            ("words", str(len(table))),
        ],
    )
    db.commit()
    db.execute("VACUUM")
    db.close()
    tmp.replace(out)
    print(f"{out}: {len(cue_entries)} cues written ({len(cues)} after stemming), "
          f"{len(table)} words in the table, {len(forms)} word forms, {len(typo_words)} typo targets, "
          f"{out.stat().st_size / 1e6:.1f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
