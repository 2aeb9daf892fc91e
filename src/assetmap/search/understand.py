"""How a goal in the person's own words is read: "wants to be outside, in nature" -> be outdoors.

`read` runs these passes in order, each word read once, longest phrase first:
1. marks: the words after "not", "never", "doesn't", "hates"... are said against (avoided);
   the words after "can't", "struggles with", "poor", "little"... are said as a need ("can't
   read" is literacy, "likes reading" is books);
2. the user's own names and synonyms of the goals vocabulary (`goals add`), wherever they are;
3. the shipped goals vocabulary and the cue lexicon (data/lexicon/cues.txt) together, on
   Snowball stems, longest phrase first, so "sofa surfing" and "universal credit" are read whole
   before any word alone; a cue said as a need ("~read") wins over the same words' plain cue;
4. the word table, generated from WordNet, for words the lexicon does not know (weaker);
5. a typo of a lexicon word (difflib), only for a word nothing above knows ("pilates" is a word,
   so it never becomes "opiates");
6. the guard: a word-table hop that leads to a kind unrelated to what the phrase clearly says
   ("playing" -> drama beside "rugby") is dropped, and said so in `goals explain`;
7. the phrases read, the other words and the whole, as tags or categories named as typed.
A cue's targets are goals ('@goal'), tags or categories with weights in [0, 1], and situations
('!free', '!family', '!evening', '!weekend') that shape the search rather than name a kind.

The reading then has senses: each piece read names the goal or term it most strongly means, and
pieces meaning the same are one sense ("be outdoors (outside, nature)"). The note and every
result's `why` name these senses in the same words.
"""

from __future__ import annotations

from assetmap.catalogue.vocab import NEED_GOALS
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
MARK_WINDOW = 3  # a negation or need marker reaches this many words on
MAX_WORDS = 60  # a pasted paragraph is read by its first 60 words
MAX_SHOWN = 80  # and shown (in notes and why) by its first 80 characters
TABLE = "word table (WordNet)"
# What each situation does to a search (search.request applies them; --no-situations does not).
SITUATIONS = {
    "free": "a situation: free places first",
    "family": "a situation: places for families first",
    "evening": "a situation: meets in the evening, as --evening",
    "weekend": "a situation: meets at the weekend, as --day weekend",
}
# The word table's hops followed: a synonym ("means"). A derivation ("related to": 'manage' ->
# coaching) or a word of a definition ("described with") led to the wrong kind of place more
# often than the right one, and so did a kind ("a kind of": 'tour' a kind of journey, 'two' a
# kind of digit): on the first held-out needs set the kinds put a wrong kind first for 4.4
# points more phrases and a right one for 2.2 points fewer, and on the second held-out set
# (sourced wording) for 5.6 points more (benchmarks/results_goals.md). The interests lose one
# dev phrase ("oak" is a kind of tree).
HOPS = ("means",)
# In a phrase that says a need (housing, money, veterans...) beside something else, a place for
# the need comes first: "ex-forces, PTSD" is the veterans' service before mental health ones.
# The other senses count this much less (one level: search.strength), and are still shown.
BESIDE_A_NEED = 0.1


class Part:
    """One piece of the reading: the words typed, where their meaning came from, and targets
    ('@goal' or a tag/category term) with weights."""

    __slots__ = ("words", "source", "targets")

    def __init__(self, words: str, source: str, targets: list[tuple[str, float]]):
        self.words = words
        self.source = source
        self.targets = targets

    def strength(self) -> float:
        return max((w for _t, w in self.targets), default=0.0)


class Sense:
    """What one or more pieces are read as, named the same way in the note and in every why:
    'be outdoors (outside, nature)'."""

    __slots__ = ("name", "words", "strength")

    def __init__(self, name: str):
        self.name = name
        self.words: list[str] = []
        self.strength = 0.0

    def said(self) -> str:
        return ", ".join(self.words)

    def text(self) -> str:
        """'be outdoors (outside, nature)'; 'meet people' for the words 'meet people'."""
        said = self.said()
        return self.name if said in ("", self.name) else f"{self.name} ({said})"


def _unwanted_terms(part: Part, by_name: dict[str, goals.Goal]) -> list[str]:
    """The tags and categories a piece said against names: among its strongest targets, the
    ones its own words name ('gyms' is gym, not fitness or weights), else all of them ('church'
    is faith and faith group); a goal only when nothing else is named (a user's own goal)."""
    top = part.strength()
    direct = [t for t, w in part.targets if w >= top and not t.startswith("@")]
    said = set(lexicon.canon(part.words).split())
    own = [t for t in direct if said & set(lexicon.canon(t).split())]
    if own or direct:
        return own or direct
    out: list[str] = []
    for target, _w in part.targets:
        goal = by_name.get(target[1:])
        if goal:
            out += [*goal.tags, *goal.categories]
    return out


def _head(targets: list[tuple[str, float]]) -> str:
    """The name a piece most strongly means: its heaviest target; among equals a goal of the
    vocabulary, then the shortest name ('sport' before 'sports club')."""
    top = max(w for _t, w in targets)
    best = min(
        (t for t, w in targets if w >= top - 1e-9),
        key=lambda t: (not t.startswith("@"), len(t), t),
    )
    return best.lstrip("@")


class Reading:
    __slots__ = (
        "text", "parts", "avoided", "situations", "dropped", "senses", "exact", "heads",
        "strength", "unwanted", "against_terms", "second",
    )  # fmt: skip

    def __init__(
        self,
        text: str,
        parts: list[Part],
        vocabulary: list[goals.Goal],
        avoided: list[Part] | None = None,
        situations: dict[str, list[str]] | None = None,
        dropped: list[tuple[Part, str]] | None = None,
    ):
        self.text = text
        self.parts = parts
        self.avoided = avoided or []  # pieces said against: "doesn't want church"
        self.situations = situations or {}  # situation -> the words that said it
        self.dropped = dropped or []  # (piece, why) left out by the guard
        by_name = {g.name: g for g in vocabulary}
        # The senses: one per name the pieces mean, in the order they were said.
        self.senses: list[Sense] = []
        sense_of: dict[int, Sense] = {}
        named: dict[str, Sense] = {}
        for part in parts:
            if part.source == "tag":
                sense = Sense(part.words)  # named as typed: 'polish (polish)'
                sense.words.append(part.words)
                sense_of[id(part)] = sense
                continue
            name = _head(part.targets)
            sense = named.get(name)
            if sense is None:
                sense = named[name] = Sense(name)
                self.senses.append(sense)
            if part.words not in sense.words:
                sense.words.append(part.words)
            sense.strength = max(sense.strength, part.strength())
            sense_of[id(part)] = sense
        # canon term -> (weight, the sense it meets)
        self.exact: dict[str, tuple[float, Sense]] = {}
        for part in parts:
            for target, weight in part.targets:
                if target.startswith("@"):
                    goal = by_name.get(target[1:])
                    terms = [*goal.tags, *goal.categories] if goal else []
                    weight *= VIA_GOAL
                else:
                    terms = [target]
                for term in terms:
                    key = lexicon.canon(term)
                    if weight > self.exact.get(key, (0.0,))[0]:
                        self.exact[key] = (weight, sense_of[id(part)])
        # a one-word term also meets a longer tag or category it heads ("walking" -> "walking group")
        self.heads = {k: v for k, v in self.exact.items() if " " not in k}
        self.strength = max((s.strength for s in self.senses), default=0.0)
        # The senses that come second, when the phrase clearly says a need beside them.
        clear = [s for s in self.senses if s.strength >= CLEAR]
        needs = [s for s in clear if s.name in NEED_GOALS]
        self.second = (
            frozenset(id(s) for s in self.senses if s.name not in NEED_GOALS)
            if needs and len(needs) < len(clear)
            else frozenset()
        )
        # Said against ("doesn't want church", "hates gyms"): the kind each piece names most
        # strongly, as a sense; an asset of that kind is left out (against()).
        self.unwanted: list[Sense] = []
        self.against_terms: dict[str, Sense] = {}
        for part in self.avoided:
            terms = _unwanted_terms(part, by_name)
            name = (
                terms[0]
                if terms and not part.source.startswith("your own")
                else _head(part.targets)
            )
            sense = next((u for u in self.unwanted if u.name == name), None)
            if sense is None:
                sense = Sense(name)
                self.unwanted.append(sense)
            sense.words.append(part.words)
            for term in terms:
                self.against_terms.setdefault(lexicon.canon(term), sense)

    def best(self) -> float:
        """The most strongly any asset can meet this reading (meets() never gives more)."""
        return max((hit[0] for hit in self.exact.values()), default=0.0)

    def understood(self) -> bool:
        return bool(self.senses)

    def shapes(self) -> bool:
        """Whether the phrase says something that shapes the search besides kinds of place:
        something said against, or a situation (no money, a toddler, evenings)."""
        return bool(self.unwanted or self.situations)

    def against(self, tags: list[str], category: str) -> Sense | None:
        """The sense said against that an asset's category or tags are, if any."""
        if not self.against_terms:
            return None
        for raw in (category, *tags):
            sense = self.against_terms.get(_canon(raw))
            if sense is not None:
                return sense
        return None

    def _hits(self, tags: list[str], category: str):
        """(weight, sense) for each of an asset's category and tags that a sense meets. An
        asset of a need's own kind (housing support...) is met only as that kind."""
        own = _NEED_TERMS.get(_canon(category)) if category else None
        for raw in (category, *tags):
            key = _canon(raw)
            if own is not None and key not in own:
                continue
            hit = self.exact.get(key)
            if hit is None and " " in key:
                hit = self.heads.get(key.split(" ", 1)[0])
            if hit is not None:
                yield hit

    def meets(self, tags: list[str], category: str) -> tuple[float, str, str]:
        """(strength, sense, words typed) for an asset's tags and category; strength 0 if none."""
        best: tuple[float, str, str] = (0.0, "", "")
        for strength, sense in self._hits(tags, category):
            weight = strength - BESIDE_A_NEED if id(sense) in self.second else strength
            if weight > best[0]:
                best = (weight, sense.name, sense.said())
        return best

    def senses_met(self, tags: list[str], category: str) -> set[str]:
        """The names of every sense an asset's tags and category meet (meets() gives the
        strongest only)."""
        return {sense.name for _strength, sense in self._hits(tags, category)}

    def clear(self) -> list[Sense]:
        """The senses read clearly, strongest first (then as said)."""
        return sorted((s for s in self.senses if s.strength >= CLEAR), key=lambda s: -s.strength)

    def loose(self) -> list[Sense]:
        return sorted((s for s in self.senses if s.strength < CLEAR), key=lambda s: -s.strength)

    def label(self) -> str:
        """What the phrase is read as, for a person: 'be outdoors (outside, nature)', or 'stay
        sober (off the drink), meet people (lonely)' for a phrase that says two things; the
        loose senses follow ('...; loosely as be outdoors (oak)')."""
        clear, loose = self.clear(), self.loose()
        text = ", ".join(s.text() for s in clear or loose)
        if clear and loose:
            text += "; loosely as " + ", ".join(s.text() for s in loose)
        return text

    def note(self) -> str:
        """How the phrase was read: its senses, and what it says against. The situations it
        says are told by the search that uses them (search.request)."""
        said = []
        if self.understood():
            said.append(("read as " if self.clear() else "read loosely as ") + self.label())
        if self.unwanted:
            said.append("said against " + ", ".join(u.text() for u in self.unwanted))
        return f"'{self.text}' " + "; ".join(said) if said else ""

    def explain(self) -> list[dict]:
        rows = []

        def row(part: Part, target: str, weight: float, reason: str) -> dict:
            return {
                "phrase": self.text, "words": part.words, "read_as": target.lstrip("@"),
                "kind": "goal" if target.startswith("@") else "tag or category",
                "weight": round(weight, 3), "reason": reason,
            }  # fmt: skip

        for part in self.parts:
            for target, weight in part.targets:
                reason = "a tag or category named as typed" if part.source == "tag" else part.source
                rows.append(row(part, target, weight, reason))
        for part in self.avoided:
            for target, _weight in part.targets:
                rows.append(row(part, target, 0.0, f"said against: {part.source}"))
        for part, why in self.dropped:
            for target, _weight in part.targets:
                rows.append(row(part, target, 0.0, f"left out, {why}: {part.source}"))
        for name, said in self.situations.items():
            for words in said:
                rows.append({
                    "phrase": self.text, "words": words, "read_as": name, "kind": "situation",
                    "weight": 0.0, "reason": SITUATIONS.get(name, name),
                })  # fmt: skip
        return rows


_CANON: dict[str, str] = {}


def _canon(text: str) -> str:
    # Catalogues repeat the same few tags; canonical forms are cached for the process.
    key = _CANON.get(text)
    if key is None:
        key = _CANON[text] = lexicon.canon(text)
    return key


def _need_terms() -> dict[str, frozenset[str]]:
    from assetmap.catalogue.vocab import NEED_KINDS

    return {
        lexicon.canon(kind): frozenset(lexicon.canon(t) for t in (kind, *terms))
        for kind, terms in NEED_KINDS.items()
    }


_NEED_TERMS = _need_terms()


def _vocabulary_phrases(vocabulary: list[goals.Goal]) -> dict[str, tuple[goals.Goal, bool]]:
    """stemmed phrase -> (goal, whether the user wrote it): a name or synonym that is not one
    of the shipped defaults (`goals add`, or a default goal's synonyms edited)."""
    from assetmap.catalogue.vocab import DEFAULT_GOALS

    # Most of a vocabulary is the shipped defaults as written: only a phrase written otherwise
    # is stemmed against them (stemming them all cost half of a reading's time).
    written = {" ".join(p.lower().split()) for n, _t, _c, syns in DEFAULT_GOALS for p in (n, *syns)}
    shipped: set[str] | None = None
    out: dict[str, tuple[goals.Goal, bool]] = {}
    for goal in vocabulary:
        for text in (goal.name, *goal.synonyms):
            phrase = goals.stem(text)
            if phrase in out:
                continue
            users = False
            if " ".join(text.lower().split()) not in written:
                if shipped is None:
                    shipped = {goals.stem(p) for p in written}
                users = phrase not in shipped
            out[phrase] = (goal, users)
    return out


_CLAUSE = str.maketrans(dict.fromkeys(",.;:!?()", "\n"))


class _Words:
    """The phrase being read: its words, their stems, the marks on them and what each pass has
    taken. A word is read by one piece only."""

    def __init__(self, text: str):
        # A comma or a full stop ends what a negation or a need marker reaches: "no
        # qualifications, left school at 15" says nothing against school.
        self.words, self.breaks = [], set()
        for clause in text.translate(_CLAUSE).split("\n"):
            if self.words:
                self.breaks.add(len(self.words))
            self.words += lexicon.tokens(clause)
        self.words = self.words[:MAX_WORDS]
        self.n = n = len(self.words)
        self.taken = [False] * n
        self.negated = [False] * n
        self.negator = [0] * n  # the negation word that marked each negated word
        self.needed = [False] * n
        self.parts: list[tuple[int, Part]] = []  # (position, piece), sorted at the end
        self.avoided: list[tuple[int, Part]] = []
        self.dropped: list[tuple[Part, str]] = []
        self.situations: dict[str, list[str]] = {}
        self.crude = [goals.stem(w) for w in self.words]
        self.known = lexicon.stems(self.words)
        known = self.known
        self.stems = [known[w][0] if w in known and known[w][0] else w for w in self.words]
        # Stop words, and the words that mark what follows ("hates", "struggles"): never read
        # as a kind of place on their own.
        self.stop = [
            w in lexicon.STOPWORDS or w in lexicon.NEGATIONS or (w in known and known[w][1])
            for w in self.words
        ]

    def said(self, i: int, length: int) -> str:
        return " ".join(self.words[i : i + length])

    def free(self, i: int, length: int) -> bool:
        """Whether words i.. are unread and one clause: a comma ends a phrase ("walking,
        football" is two goals, not walking football)."""
        if any(j in self.breaks for j in range(i + 1, i + length)):
            return False
        return not any(self.taken[i : i + length])

    def take(self, i: int, length: int, part: Part, need: bool = False) -> None:
        for j in range(i, i + length):
            self.taken[j] = True
        # A negation a cue holds ("no money", "doesn't know anyone") negates nothing after it:
        # "no money till payday" says nothing against payday.
        negated = self.negated[i] and not self.taken[self.negator[i]]
        situations = [(t, w) for t, w in part.targets if t.startswith("!")]
        if situations and negated:
            situations = []  # "doesn't have kids", "not in the evenings": no situation said
        for target, _w in situations:
            self.situations.setdefault(target[1:], []).append(part.words)
        part.targets = [(t, w) for t, w in part.targets if not t.startswith("!")]
        if not part.targets:
            return
        # "not into sport": said against. A cue may itself hold "doesn't" ("doesn't know
        # anyone"), and a need is a need however it is said ("never learned to read", "no
        # bank account").
        if negated and not need and _head(part.targets) not in NEED_GOALS:
            if part.source.startswith(TABLE) or part.strength() < CLEAR:
                # only a clear reading is said against: "no settled address" says nothing
                # against fitness ('settled', loosely)
                self.dropped.append((part, "said against, but read only loosely"))
            else:
                self.avoided.append((i, part))
        else:
            self.parts.append((i, part))


def _mark(w: _Words) -> None:
    """Pass 1: the words a negation or a need marker reaches."""
    for i, word in enumerate(w.words):
        for marker, marks in ((lexicon.NEGATIONS, w.negated), (lexicon.NEED_MARKERS, w.needed)):
            if word in marker:
                for j in range(i + 1, min(w.n, i + 1 + MARK_WINDOW)):
                    if j in w.breaks:
                        break
                    if marks is w.negated and not marks[j]:
                        w.negator[j] = i
                    marks[j] = True


def _users_own(w: _Words, phrases: dict) -> None:
    """Pass 2: the user's own phrases first, wherever they are: they win over any lexicon cue."""
    for length in range(min(MAX_PHRASE, w.n), 0, -1):
        for i in range(w.n - length + 1):
            if not w.free(i, length) or (length == 1 and w.stop[i]):
                continue
            hit = phrases.get(" ".join(w.crude[i : i + length]))
            if hit and hit[1]:
                part = Part(
                    w.said(i, length), "your own goals vocabulary", [("@" + hit[0].name, 1.0)]
                )
                w.take(i, length, part)


def _vocabulary_at(w: _Words, i: int, phrases: dict) -> tuple[int, Part, bool] | None:
    """The longest phrase of the goals vocabulary starting at word i (stemmed as goals.match
    stems): (length, piece, the user's own words)."""
    for length in range(min(MAX_PHRASE, w.n - i), 0, -1):
        if length == 1 and w.stop[i]:
            break
        hit = phrases.get(" ".join(w.crude[i : i + length]))
        if hit and w.free(i, length):
            goal, users = hit
            source = "your own goals vocabulary" if users else "the goals vocabulary"
            return length, Part(w.said(i, length), source, [("@" + goal.name, 1.0)]), users
    return None


def _cue_at(w: _Words, i: int, starts: dict, need: bool) -> tuple[int, Part] | None:
    """The longest lexicon cue starting at word i; with `need`, only the cues said as a need."""
    first = ("~" + w.stems[i]) if need else w.stems[i]
    for key, cue, targets in starts.get(first, ()):
        key_words = key.lstrip("~").split()
        length = len(key_words)
        if length == 1 and w.stop[i] and not need:
            continue
        if w.stems[i : i + length] == key_words and w.free(i, length):
            source = f"lexicon: '{cue}'" + (" (said as a need)" if need else "")
            return length, Part(w.said(i, length), source, lexicon.parse_targets(targets))
    return None


def _phrases(w: _Words, phrases: dict, starts: dict) -> None:
    """Pass 3: the shipped goals vocabulary and the cue lexicon in one walk: at each word the
    longest phrase of either is read, and the vocabulary wins a tie, so "martial arts" is not
    "arts". A cue said as a need ("can't read") wins over both at its length."""
    i = 0
    while i < w.n:
        if w.taken[i]:
            i += 1
            continue
        need = _cue_at(w, i, starts, need=True) if w.needed[i] else None
        vocab = _vocabulary_at(w, i, phrases)
        cue = _cue_at(w, i, starts, need=False)
        if need and (not vocab or need[0] >= vocab[0]) and (not cue or need[0] >= cue[0]):
            w.take(i, need[0], need[1], need=True)
            i += need[0]
            continue
        if vocab and cue and cue[0] == vocab[0] and not vocab[2]:
            # a shipped synonym, with the lexicon's finer detail
            length, part, _users = vocab
            part.targets = _best([*part.targets, *cue[1].targets])
            part.source += " and " + cue[1].source
            w.take(i, length, part)
            i += length
        elif vocab and (not cue or cue[0] <= vocab[0]):
            w.take(i, vocab[0], vocab[1])  # (a synonym the user wrote wins over the lexicon)
            i += vocab[0]
        elif cue:
            w.take(i, cue[0], cue[1])
            i += cue[0]
        else:
            i += 1


def _word_table(w: _Words) -> list[int]:
    """Pass 4: the word table, for known words the lexicon does not have. Returns the words no
    pass so far knows (for the typos)."""
    rest = [
        i
        for i in range(w.n)
        if not w.taken[i] and not w.stop[i] and len(w.words[i]) > 2
        and w.words[i] not in lexicon.NEED_MARKERS  # "poor" (WordNet: people) marks a need
    ]  # fmt: skip
    known = w.known
    table = lexicon.table_entries(
        [w.stems[i] for i in rest if w.words[i] in known and known[w.words[i]][0]]
    )
    unknown = [i for i in rest if w.words[i] not in known and w.stems[i] not in table]
    for i in rest:
        entries = table.get(w.stems[i])
        if not entries or w.words[i] not in known:
            continue
        targets, why = [], []
        for key, weight, how in entries:
            if how not in HOPS:
                continue
            found = lexicon.cue(key)
            if found:
                targets += [
                    (t, round(wt * weight, 3))
                    for t, wt in lexicon.parse_targets(found[1])
                    if not t.startswith("!")  # a situation is said, never inferred
                ]
                why.append(f"{how} '{found[0]}'")
        if targets:
            w.take(i, 1, Part(w.words[i], f"{TABLE}: " + "; ".join(why), _best(targets)))
    return unknown


def _typos(w: _Words, unknown: list[int]) -> None:
    """Pass 5: typos, only for words nothing knows."""
    for i in unknown:
        word = w.words[i]
        if w.taken[i] or len(word) < 4:
            continue
        import difflib  # only when a word is unknown

        close = difflib.get_close_matches(
            word, lexicon.typo_candidates(word), n=1, cutoff=TYPO_CUTOFF
        )
        if not close:
            continue
        fixed = lexicon.stems(close)
        stem = fixed[close[0]][0] if close[0] in fixed else close[0]
        found = lexicon.cue(stem)
        if found:
            targets = [(t, round(wt * TYPO, 3)) for t, wt in lexicon.parse_targets(found[1])]
            w.take(i, 1, Part(word, f"typo for '{close[0]}' (lexicon: '{found[0]}')", targets))


KIND_MIN = 0.5  # a target this strong says what kind of place a piece means


def _kinds(part: Part, goals_of: dict[str, set[str]]) -> set[str]:
    """The kinds a piece means: its strong targets, as goals (a tag or category stands for
    itself and for the goals it serves)."""
    out = set()
    for target, weight in part.targets:
        if weight < KIND_MIN * part.strength():
            continue
        if target.startswith("@"):
            out.add(target[1:])
        else:
            key = lexicon.canon(target)
            out |= goals_of.get(key, set()) | {"=" + key}
    return out


def _weak(part: Part) -> bool:
    """A word-table hop, or a cue read only loosely ("dad" is family, loosely)."""
    return part.source.startswith(TABLE) or part.strength() < CLEAR


def _guard(w: _Words, vocabulary: list[goals.Goal]) -> None:
    """Pass 6: a word-table hop never crosses into a kind unrelated to what the phrase says
    clearly. "likes playing rugby" is rugby: 'playing' (WordNet: drama) is left out; with no
    clear reading the hop stays, read loosely."""
    hops = [p for _i, p in w.parts if _weak(p)]
    clear = [p for _i, p in w.parts if not p.source.startswith(TABLE) and p.strength() >= CLEAR]
    if not hops or not clear:
        return
    goals_of: dict[str, set[str]] = {}
    for goal in vocabulary:
        for term in (*goal.tags, *goal.categories):
            goals_of.setdefault(lexicon.canon(term), set()).add(goal.name)
    said = set().union(*(_kinds(p, goals_of) for p in clear))
    kept = []
    for i, part in w.parts:
        if _weak(part) and not _kinds(part, goals_of) & said:
            w.dropped.append((part, "unrelated to what the phrase says clearly"))
        else:
            kept.append((i, part))
    w.parts = kept


def _literal(w: _Words) -> None:
    """Pass 7: tags or categories named as typed (a partner's own tags, or a cue that is also a
    tag): each phrase read above, each word read by no phrase, and the whole. A word or phrase
    a piece has read counts as a tag no more strongly than that piece reads it: "struggles with
    reading" does not meet the libraries' `reading` tag at full strength."""
    pieces = {p.words: p for _i, p in w.parts}
    inside = {x for words in pieces if " " in words for x in words.split()}

    def named(i: int, words: str) -> None:
        piece = pieces.get(words)
        if piece is None:
            w.parts.append((i, Part(words, "tag", [(words, LITERAL)])))
        elif not any(lexicon.canon(t) == lexicon.canon(words) for t, _w in piece.targets):
            w.parts.append(
                (i, Part(words, "tag", [(words, round(piece.strength() * VIA_GOAL, 3))]))
            )

    for i, word in enumerate(w.words):
        if not w.stop[i] and not w.negated[i] and len(word) > 2 and word not in inside:
            named(i, word)
    # The whole phrase too, when it is one clause ("walking, football" names no such tag).
    whole = {" ".join(w.words)} if w.n > 1 and not w.breaks else set()
    for span in sorted({x for x in pieces if " " in x} | whole):
        named(w.n, span)


def read(text: str, vocabulary: list[goals.Goal]) -> Reading:
    w = _Words(text)
    _mark(w)
    phrases = _vocabulary_phrases(vocabulary)
    _users_own(w, phrases)
    firsts = [*w.stems, *("~" + s for s, needed in zip(w.stems, w.needed, strict=True) if needed)]
    _phrases(w, phrases, lexicon.cues_starting(firsts))
    _typos(w, _word_table(w))
    _guard(w, vocabulary)
    _literal(w)
    w.parts.sort(key=lambda p: p[0])
    shown = " ".join(text.split())
    if len(shown) > MAX_SHOWN:
        shown = shown[: MAX_SHOWN - 3].rstrip() + "..."
    return Reading(
        shown, [p for _i, p in w.parts], vocabulary, [p for _i, p in w.avoided],
        w.situations, w.dropped,
    )  # fmt: skip


def _best(targets: list[tuple[str, float]]) -> list[tuple[str, float]]:
    best: dict[str, float] = {}
    for t, w in targets:
        best[t] = max(best.get(t, 0.0), w)
    return sorted(best.items(), key=lambda tw: (-tw[1], tw[0]))
