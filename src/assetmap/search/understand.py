"""How a goal in the person's own words is read: "wants to be outside, in nature" -> be outdoors.

In order, each word read once, longest phrase first:
1. the goals vocabulary's own names and synonyms (the user's words win: `goals add`);
2. the cue lexicon (data/lexicon/cues.txt), on Snowball stems;
3. the word table, generated from WordNet, for words the lexicon does not know (weaker);
4. a typo of a lexicon word (difflib), only for a word nothing above knows ("pilates" is a word,
   so it never becomes "opiates");
5. the phrases read, the other words and the whole, as tags or categories named as typed.
A cue after "not", "never", "doesn't"... is left out. Each reading carries weights in [0, 1]: how
strongly an asset with that tag or category meets the goal.
"""

from __future__ import annotations

from assetmap.search import goals, lexicon
from assetmap.search.strength import CLEAR

TYPO = 0.8  # a typo's reading keeps this much of its weight
TYPO_CUTOFF = 0.8
LITERAL = 1.0  # a tag or category named exactly as typed
# A goal reached through the vocabulary's tags and categories counts a little less than a tag or
# category named directly: "drawing" finds an art class before music, though the default goal
# "creative" has both.
VIA_GOAL = 0.9
MAX_PHRASE = 6


class Part:
    """One piece of the reading: the words typed, where their meaning came from, and targets
    ('@goal' or a tag/category term) with weights."""

    __slots__ = ("words", "source", "targets")

    def __init__(self, words: str, source: str, targets: list[tuple[str, float]]):
        self.words = words
        self.source = source
        self.targets = targets


class Reading:
    __slots__ = ("text", "parts", "exact", "heads", "strength")

    def __init__(self, text: str, parts: list[Part], vocabulary: list[goals.Goal]):
        self.text = text
        self.parts = parts
        # canon term -> (weight, what it is read as, the words typed)
        self.exact: dict[str, tuple[float, str, str]] = {}
        by_name = {g.name: g for g in vocabulary}
        for part in parts:
            for target, weight in part.targets:
                if target.startswith("@"):
                    goal = by_name.get(target[1:])
                    terms = [*goal.tags, *goal.categories] if goal else []
                    label = target[1:]
                    weight *= VIA_GOAL
                else:
                    terms, label = [target], target
                for term in terms:
                    key = lexicon.canon(term)
                    if weight > self.exact.get(key, (0.0,))[0]:
                        self.exact[key] = (weight, label, part.words)
        # a one-word term also meets a longer tag or category it heads ("walking" -> "walking group")
        self.heads = {k: v for k, v in self.exact.items() if " " not in k}
        understood = [p for p in parts if p.source != "tag"]
        self.strength = max((w for p in understood for _t, w in p.targets), default=0.0)

    def best(self) -> float:
        """The most strongly any asset can meet this reading (meets() never gives more)."""
        return max((hit[0] for hit in self.exact.values()), default=0.0)

    def understood(self) -> bool:
        return any(p.source != "tag" for p in self.parts)

    def meets(self, tags: list[str], category: str) -> tuple[float, str, str]:
        """(strength, read as, words typed) for an asset's tags and category; strength 0 if none."""
        best = (0.0, "", "")
        for raw in (category, *tags):
            key = _canon(raw)
            hit = self.exact.get(key)
            if hit is None and " " in key:
                hit = self.heads.get(key.split(" ", 1)[0])
            if hit and hit[0] > best[0]:
                best = hit
        return best

    def label(self) -> str:
        """What the phrase is read as, for a person: 'be outdoors (outside, nature)', or 'meet
        people (lonely), stay sober (off the drink)' for a phrase that says two things."""
        totals: dict[str, float] = {}
        strongest: dict[str, float] = {}
        words: dict[str, list[str]] = {}
        goals = set()
        for part in self.parts:
            if part.source == "tag":
                continue
            for target, weight in part.targets:
                name = target.lstrip("@")
                if target.startswith("@"):
                    goals.add(name)
                totals[name] = totals.get(name, 0.0) + weight
                strongest[name] = max(strongest.get(name, 0.0), weight)
                if part.words not in words.setdefault(name, []):
                    words[name].append(part.words)
        if not totals:
            return ""
        for part in self.parts:  # the goals vocabulary's own reading names the phrase
            if "goals vocabulary" in part.source:
                totals[part.targets[0][0].lstrip("@")] += 0.01
        top = max(totals.values())
        # among the strongest, a goal of the vocabulary reads best, then the shortest name
        name = min((n for n in totals if totals[n] >= top - 1e-9),
                   key=lambda n: (n not in goals, len(n), n))  # fmt: skip
        # A phrase that says two things ("off the drink and lonely") names each goal of the
        # vocabulary read clearly from words not already named, strongest first.
        shown, said = [name], set(words[name])
        for other in sorted(goals, key=lambda n: (-totals[n], n)):
            clear = strongest[other] >= CLEAR
            if other not in shown and clear and not said & set(words[other]):
                shown.append(other)
                said.update(words[other])
        return ", ".join(f"{n} ({', '.join(words[n])})" for n in shown)

    def note(self) -> str:
        if not self.understood():
            return ""
        how = "read loosely as" if self.strength < CLEAR else "read as"
        return f"'{self.text}' {how} {self.label()}"

    def explain(self) -> list[dict]:
        rows = []
        for part in self.parts:
            for target, weight in part.targets:
                rows.append({
                    "phrase": self.text, "words": part.words, "read_as": target.lstrip("@"),
                    "kind": "goal" if target.startswith("@") else "tag or category",
                    "weight": round(weight, 3),
                    "reason": "a tag or category named as typed" if part.source == "tag" else part.source,
                })  # fmt: skip
        return rows


_CANON: dict[str, str] = {}


def _canon(text: str) -> str:
    # Catalogues repeat the same few tags; canonical forms are cached for the process.
    key = _CANON.get(text)
    if key is None:
        key = _CANON[text] = lexicon.canon(text)
    return key


def _vocabulary_phrases(vocabulary: list[goals.Goal]) -> dict[str, tuple[goals.Goal, bool]]:
    """stemmed phrase -> (goal, whether the user wrote it): a name or synonym that is not one
    of the shipped defaults (`goals add`, or a default goal's synonyms edited)."""
    from assetmap.catalogue.vocab import DEFAULT_GOALS

    shipped = {goals.stem(p) for name, _t, _c, syns in DEFAULT_GOALS for p in (name, *syns)}
    out = {}
    for goal in vocabulary:
        for phrase in goal.phrases():
            out.setdefault(phrase, (goal, phrase not in shipped))
    return out


MAX_WORDS = 60  # a pasted paragraph is read by its first 60 words
MAX_SHOWN = 80  # and shown (in notes and why) by its first 80 characters


def read(text: str, vocabulary: list[goals.Goal]) -> Reading:
    words = lexicon.tokens(text)[:MAX_WORDS]
    n = len(words)
    taken = [False] * n
    parts: list[tuple[int, Part]] = []  # (position, part), sorted by position at the end
    negated = [False] * n
    for i, w in enumerate(words):
        if w in lexicon.NEGATIONS:
            for j in range(i + 1, min(n, i + 4)):
                negated[j] = True

    def take(i: int, length: int, part: Part) -> None:
        for j in range(i, i + length):
            taken[j] = True
        if not negated[
            i
        ]:  # "not into sport"; a cue may itself hold "doesn't" ("doesn't know anyone")
            parts.append((i, part))

    # 1 and 2. The goals vocabulary (stemmed as goals.match stems it) and the cue lexicon (on
    # Snowball stems), in one pass: at each word the longest phrase of either is read, and the
    # vocabulary wins a tie, so "martial arts" is not "arts" but a user's own synonym still wins.
    phrases = _vocabulary_phrases(vocabulary)
    crude = [goals.stem(w) for w in words]
    known = lexicon.stems(words)
    stems = [known[w][0] if w in known and known[w][0] else w for w in words]
    stop = [w in lexicon.STOPWORDS or (w in known and known[w][1]) for w in words]
    starts = lexicon.cues_starting(stems)
    # The user's own phrases first, wherever they are: they win over any lexicon cue.
    for length in range(min(MAX_PHRASE, n), 0, -1):
        for i in range(n - length + 1):
            if any(taken[i : i + length]) or (length == 1 and stop[i]):
                continue
            hit = phrases.get(" ".join(crude[i : i + length]))
            if hit and hit[1]:
                said = " ".join(words[i : i + length])
                take(i, length, Part(said, "your own goals vocabulary", [("@" + hit[0].name, 1.0)]))
    i = 0
    while i < n:
        if taken[i]:
            i += 1
            continue
        best: tuple[int, Part, bool] | None = None  # (length, part, the user's own words)
        for length in range(min(MAX_PHRASE, n - i), 0, -1):
            if length == 1 and stop[i]:
                break
            hit = phrases.get(" ".join(crude[i : i + length]))
            if hit and not any(taken[i : i + length]):
                goal, users = hit
                said = " ".join(words[i : i + length])
                source = "your own goals vocabulary" if users else "the goals vocabulary"
                best = (length, Part(said, source, [("@" + goal.name, 1.0)]), users)
                break
        for key, cue, targets in starts.get(stems[i], ()):
            key_words = key.split()
            length = len(key_words)
            if (length == 1 and stop[i]) or (best and best[0] > length):
                continue
            if stems[i : i + length] == key_words and not any(taken[i : i + length]):
                said = " ".join(words[i : i + length])
                found = lexicon.parse_targets(targets)
                if best and not best[2]:  # a shipped synonym, with the lexicon's finer detail
                    best[1].targets = _best([*best[1].targets, *found])
                    best[1].source += f" and lexicon: '{cue}'"
                elif not best:  # (a synonym the user wrote wins over the lexicon outright)
                    best = (length, Part(said, f"lexicon: '{cue}'", found), False)
                break
        if best:
            take(i, best[0], best[1])
            i += best[0]
        else:
            i += 1

    # 3. The word table, for known words the lexicon does not have.
    rest = [i for i in range(n) if not taken[i] and not stop[i] and len(words[i]) > 2]
    table = lexicon.table_entries(
        [stems[i] for i in rest if words[i] in known and known[words[i]][0]]
    )
    unknown = [i for i in rest if words[i] not in known and stems[i] not in table]
    for i in rest:
        entries = table.get(stems[i])
        if not entries or words[i] not in known:
            continue
        targets, why = [], []
        for key, weight, how in entries:
            found = lexicon.cue(key)
            if found:
                targets += [(t, round(w * weight, 3)) for t, w in lexicon.parse_targets(found[1])]
                why.append(f"{how} '{found[0]}'")
        if targets:
            take(i, 1, Part(words[i], "word table (WordNet): " + "; ".join(why), _best(targets)))

    # 4. Typos, only for words nothing knows.
    for i in unknown:
        if taken[i] or len(words[i]) < 4:
            continue
        import difflib  # only when a word is unknown

        close = difflib.get_close_matches(
            words[i], lexicon.typo_candidates(words[i]), n=1, cutoff=TYPO_CUTOFF
        )
        if not close:
            continue
        fixed = lexicon.stems(close)
        stem = fixed[close[0]][0] if close[0] in fixed else close[0]
        found = lexicon.cue(stem)
        if found:
            targets = [(t, round(w * TYPO, 3)) for t, w in lexicon.parse_targets(found[1])]
            take(i, 1, Part(words[i], f"typo for '{close[0]}' (lexicon: '{found[0]}')", targets))

    # 5. Tags or categories named as typed (a partner's own tags, or a cue that is also a tag,
    #    e.g. "woodwork"): each phrase read above, each word read by no phrase, and the whole.
    read_spans = {p.words for _i, p in parts if " " in p.words}
    inside = {w for span in read_spans for w in span.split()}
    for i in range(n):
        if not stop[i] and not negated[i] and len(words[i]) > 2 and words[i] not in inside:
            parts.append((i, Part(words[i], "tag", [(words[i], LITERAL)])))
    for span in sorted(read_spans | ({" ".join(words)} if n > 1 else set())):
        parts.append((n, Part(span, "tag", [(span, LITERAL)])))
    parts.sort(key=lambda p: p[0])
    shown = " ".join(text.split())
    if len(shown) > MAX_SHOWN:
        shown = shown[: MAX_SHOWN - 3].rstrip() + "..."
    return Reading(shown, [p for _i, p in parts], vocabulary)


def _best(targets: list[tuple[str, float]]) -> list[tuple[str, float]]:
    best: dict[str, float] = {}
    for t, w in targets:
        best[t] = max(best.get(t, 0.0), w)
    return sorted(best.items(), key=lambda tw: (-tw[1], tw[0]))
