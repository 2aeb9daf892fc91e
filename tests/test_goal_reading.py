"""Goals in the person's own words: the cue lexicon, the word table, typos, deny-listed senses,
explanations, the user's vocabulary winning, ranking by strength, and the accuracy floor."""

import hashlib
import json
import sys
from pathlib import Path

import pytest

from assetmap.catalogue.models import Asset
from assetmap.catalogue.opening import open_catalogue
from assetmap.search import goals as goals_mod
from assetmap.search import lexicon, understand

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_goals  # noqa: E402  (the accuracy evaluation the benchmark prints)


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory):
    cat = open_catalogue(tmp_path_factory.mktemp("vocab") / "v.db", seed=False)
    return goals_mod.load(cat.conn)


def read(text, vocabulary):
    return understand.read(text, vocabulary)


def targets(reading) -> dict[str, float]:
    out = {}
    for part in reading.parts:
        if part.source != "tag":
            for t, w in part.targets:
                out[t] = max(out.get(t, 0), w)
    return out


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("off the drink", "@stay sober"),
        ("loves his footie", "football"),
        ("fancies a kickabout", "football"),
        ("enjoys a natter", "@meet people"),
        ("had an allotment", "gardening"),
        ("used to fish", "angling"),
        ("went fishing every weekend", "angling"),  # stems: fishing, fished, fish are one cue
        ("likes cooking", "cooking"),
        ("lonely since release", "@meet people"),
        ("get sober", "@stay sober"),
    ],
)
def test_the_lexicon_reads_british_cues(vocabulary, text, target):
    reading = read(text, vocabulary)
    assert reading.understood()
    assert targets(reading).get(target, 0) >= understand.CLEAR


def test_longest_phrase_first(vocabulary):
    # "arts" alone is a synonym of the goal "creative"; "martial arts" is a longer cue
    reading = read("martial arts", vocabulary)
    assert "martial arts" in targets(reading)
    assert "@creative" not in targets(reading)
    assert reading.label().startswith("martial arts")


def test_a_negated_cue_is_left_out(vocabulary):
    reading = read("not into sport, likes reading", vocabulary)
    assert "sport" not in targets(reading) and "@get fit" not in targets(reading)
    # reading for pleasure: books, not the goal "learn" (literacy is a need: "can't read")
    assert reading.label() == "books (reading)"
    assert [p.words for p in reading.avoided] == ["sport"]  # said against, kept apart
    # a cue holding the negation itself still counts
    assert "@meet people" in targets(read("doesn't know anyone round here", vocabulary))


def test_the_word_table_reads_unknown_words_below_the_lexicon(vocabulary):
    # "grub" is no cue; WordNet says it means 'eat', and "eat" is a cue. (A kind of thing is not
    # followed: "oak", a kind of tree, is not read; understand.HOPS says why.)
    assert not read("oak", vocabulary).understood()
    reading = read("grub", vocabulary)
    assert [p.source for p in reading.parts if p.source != "tag"][0].startswith(
        "word table (WordNet)"
    )
    assert 0 < reading.strength < understand.CLEAR
    assert reading.note().startswith("'grub' read loosely as food")


def test_typos_are_read_only_for_unknown_words(vocabulary):
    reading = read("excercise", vocabulary)
    assert "typo for 'exercise'" in reading.parts[0].source
    assert targets(reading)["@get fit"] == pytest.approx(understand.TYPO)
    # "pilates" is a word: never "corrected" into "opiates" (which reads as recovery)
    pilates = read("pilates", vocabulary)
    assert "@get fit" in targets(pilates) and "@stay sober" not in targets(pilates)
    assert not any("typo" in p.source for p in pilates.parts)
    assert "@stay sober" in targets(read("opiates", vocabulary))


def test_deny_listed_senses_are_never_followed(vocabulary):
    # WordNet: a conviction is a kind of belief (faith); a flat is a kind of box (boxing)
    for word in ("convict", "conviction", "flat", "appeal"):
        reading = read(word, vocabulary)
        assert not reading.understood(), (word, targets(reading))
    denied = (lexicon.PATH.parent / "deny.txt").read_text()
    assert "yoga | hinduism" in denied and "numbers | book of the old testament" in denied
    yoga = targets(read("yoga", vocabulary))
    assert "@find faith" not in yoga and "@get fit" in yoga
    assert "@find faith" not in targets(read("numbers", vocabulary))


def test_the_shipped_data_file_was_built_from_the_shipped_sources():
    meta = lexicon.meta()
    for name in ("cues", "deny"):
        source = lexicon.PATH.parent / f"{name}.txt"
        assert meta[f"{name}_sha256"] == hashlib.sha256(source.read_bytes()).hexdigest(), (
            f"{name}.txt changed: rebuild with python scripts/build_lexicon.py"
        )
    assert int(meta["cues"]) >= 1000 and int(meta["words"]) >= 10000
    assert lexicon.PATH.stat().st_size < 5_000_000


def test_regular_endings_find_the_word():
    found = lexicon.stems(["walking", "swimming", "cycling", "hobbies", "djs", "zzzzqx"])
    assert found["walking"][0] == "walk" and found["swimming"][0] == "swim"
    assert found["cycling"][0] == "cycl" and found["hobbies"][0] == "hobbi"
    assert "zzzzqx" not in found


# ---- through the CLI ----------------------------------------------------------------------

HERE = "53.0,-2.2"


def _catalogue(path, rows):
    cat = open_catalogue(path, seed=False)
    for name in ("angling", "music", "women's group"):
        cat.add_category(name)
    cat.write([Asset.from_row({"verified_on": "2026-10-01", **r}, categories=cat.categories()) for r in rows])  # fmt: skip
    cat.close()
    return path


@pytest.fixture
def small(tmp_path):
    return _catalogue(tmp_path / "small.db", [
        # the angling club is far, the walking group near: "used to fish" still puts the club first
        {"id": "anglers", "name": "Anglers", "category": "angling", "tags": "fishing", "lat": "53.04", "lon": "-2.2"},
        {"id": "walkers", "name": "Walkers", "category": "walking group", "tags": "walking;outdoors", "lat": "53.0005", "lon": "-2.2"},
        {"id": "woods", "name": "Woodland Volunteers", "category": "volunteering", "tags": "conservation;trees", "lat": "53.02", "lon": "-2.2"},
        {"id": "band", "name": "Band", "category": "music", "tags": "music;band", "lat": "53.001", "lon": "-2.2"},
        {"id": "brewers", "name": "Home Brewers", "category": "community centre", "tags": "homebrew", "lat": "53.03", "lon": "-2.2"},
        {"id": "cafe", "name": "Cafe", "category": "community centre", "tags": "social;cafe", "lat": "53.0002", "lon": "-2.2"},
    ])  # fmt: skip


def near(cli, db, *args):
    result = cli("--db", str(db), "near", HERE, *args, "--format", "json", "--limit", "20")
    return json.loads(result.stdout), result


def test_the_issues_phrases_all_find_something(cli, small):
    for phrase in ("wants to be outside, in nature", "be outside", "into music", "used to fish"):
        found, result = near(cli, small, "--goal", phrase)
        assert found, phrase
        assert f"note: '{phrase}' read as" in result.stderr


def test_a_clear_reading_outranks_a_weak_one_whatever_the_distance(cli, small):
    found, result = near(cli, small, "--goal", "used to fish")
    assert [r["id"] for r in found][:1] == ["anglers"]  # 4.4 km away, the walkers 50 m
    first, walkers = found[0], next(r for r in found if r["id"] == "walkers")
    assert first["why"].startswith('fits "used to fish" -> angling (fish)')
    # the walking group loosely fits the one reading, in the note's words (issue 24)
    assert walkers["why"].startswith('loosely fits "used to fish" -> angling (fish)')
    assert first["score"] > walkers["score"]
    assert "note: 'used to fish' read as angling (fish)" in result.stderr


def test_why_is_worded_for_a_person(cli, small):
    found, _ = near(cli, small, "--goal", "meet people")
    assert found[0]["why"].startswith('fits "meet people"')
    assert not any("meets meet people" in r["why"] for r in found)


def test_the_users_own_synonyms_win_over_the_lexicon(cli, small):
    # "brew" is a lexicon cue for meeting people; this catalogue's manager says otherwise
    cli(
        "--db",
        str(small),
        "goals",
        "add",
        "home brewing",
        "--tags",
        "homebrew",
        "--synonyms",
        "brew",
    )
    found, result = near(cli, small, "--goal", "likes a brew")
    assert [r["id"] for r in found] == ["brewers"]
    assert "read as home brewing (brew)" in result.stderr


def test_goals_explain_in_every_format(cli, small):
    db = ["--db", str(small)]
    out = json.loads(
        cli(*db, "goals", "explain", "off the drink, wants to fish", "--format", "json").stdout
    )
    rows = {(r["words"], r["read_as"]): r for r in out}
    assert rows[("off the drink", "stay sober")]["kind"] == "goal"
    assert rows[("off the drink", "stay sober")]["reason"] == "lexicon: 'off the drink'"
    assert rows[("fish", "angling")]["weight"] == 1.0
    csv_out = cli(*db, "goals", "explain", "used to fish", "--format", "csv").stdout
    assert csv_out.splitlines()[0] == "phrase,words,read_as,kind,weight,reason"
    table = cli(*db, "goals", "explain", "used to fish")
    assert "angling" in table.stdout and "read as angling (fish)" in table.stderr
    ndjson = cli(*db, "goals", "explain", "excercise", "--format", "ndjson").stdout.splitlines()
    assert "typo for 'exercise'" in json.loads(ndjson[0])["reason"]
    vocab = json.loads(cli(*db, "goals", "explain", "keep fit", "--format", "json").stdout)
    assert vocab[0]["read_as"] == "get fit" and vocab[0]["reason"].startswith(
        "your goals vocabulary"
    )
    unread = cli(*db, "goals", "explain", "fretwork", "--format", "json")
    assert "is not read as any goal" in unread.stderr
    bad = cli(*db, "goals", "explain", "  ", code=1)
    assert "give a phrase to explain" in bad.stderr and "Traceback" not in bad.stderr


# ---- accuracy ------------------------------------------------------------------------------


def test_accuracy_floor_in_a_partners_catalogue(tmp_path):
    """The floors the README's figures clear: the right kind of place first for at least 80% of
    the held-out phrases (the issue's floor: 60%) and in the top 3 for at least 95% (80%)."""
    cat = bench_goals.build_catalogue(tmp_path / "partner.db")
    rows = bench_goals.evaluate(cat.conn)
    cat.close()
    assert len(rows) >= 150
    assert sum(r["split"] == "held_out" for r in rows) >= len(rows) / 3
    figures = bench_goals.figures(rows)
    for split in ("held_out", "all"):
        _n, top1, top3 = figures[split]
        assert top1 >= 0.80 and top3 >= 0.95, (split, top1, top3)


def test_bad_and_odd_goal_text(cli, small, vocabulary):
    bad = cli("--db", str(small), "near", HERE, "--goal", "   ", code=1)
    assert "--goal: an empty goal" in bad.stderr and "Traceback" not in bad.stderr
    assert targets(read("café culture", vocabulary)).get("community cafe") == 1.0
    pasted = "He said he used to fish with his grandad. " * 200
    found, result = near(cli, small, "--goal", pasted)
    assert found[0]["id"] == "anglers"
    note = next(ln for ln in result.stderr.splitlines() if "read as" in ln)
    assert len(note) < 150 and "..." in note


def test_a_phrase_that_says_two_things_is_said_to_be_read_as_both(cli, small):
    # Found in a newcomer run with the README's own example: the note said "read as meet
    # people (lonely)" only, as if "off the drink" had been ignored, though the search (and
    # `goals explain`'s rows) read it as stay sober too.
    phrase = "off the drink and lonely since release"
    said = cli("--db", str(small), "goals", "explain", phrase).stderr
    assert f"'{phrase}' read as stay sober (off the drink), meet people (lonely)" in said
    _found, result = near(cli, small, "--goal", phrase)
    assert "read as stay sober (off the drink), meet people (lonely)" in result.stderr
    # one thing said several ways is still named once
    _found, result = near(cli, small, "--goal", "wants to be outside, in nature")
    assert "note: 'wants to be outside, in nature' read as be outdoors (outside, nature)\n" in (
        result.stderr
    )


# ---- needs as goals (issue 24) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "note"),
    [
        # the issue's table: each was read as nonsense (sport, get fit, fitness, creative...)
        ("sofa surfing since release", "read as housing (sofa surfing)"),
        ("Polish, very little English", "read as learn english (polish, little english)"),
        ("can't manage his universal credit claim", "read as money (universal credit claim)"),
        ("ex-forces, PTSD", "read as veterans (ex forces), mental health (ptsd)"),
        ("practising Muslim", "read as find faith (practising muslim)"),
        ("struggles with reading", "read as literacy and numeracy (struggles with reading)"),
        ("no money till payday", "read as money (no money, till payday)"),
        # a need said with "no" or "never" is still a need, not something said against
        ("no bank account", "read as money (bank account)"),
        ("never learned to read", "read as literacy and numeracy (learned to read)"),
        ("lost his mum", "read as bereavement (lost his mum)"),
    ],
)
def test_needs_are_read_as_needs(vocabulary, text, note):
    assert read(text, vocabulary).note() == f"'{text}' {note}"


def test_needs_are_goals_of_the_default_vocabulary(vocabulary):
    by_name = {g.name: g for g in vocabulary}
    for name, category in (
        ("housing", "housing support"), ("money", "money advice"), ("family", "family support"),
        ("veterans", "veterans support"), ("bereavement", "bereavement support"),
    ):  # fmt: skip
        assert category in by_name[name].categories
    assert "esol" in by_name["learn english"].tags
    assert {"literacy", "numeracy"} <= set(by_name["literacy and numeracy"].tags)
    assert "reading" not in by_name["learn"].synonyms  # reading is literacy only as a need


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("sofa surfing since release", "sofa surfing"),
        ("can't sort his universal credit", "universal credit"),
        ("plays five-a-side", "five a side"),
        ("wants peer support", "peer support"),
        ("goes to the men's shed", "mens shed"),
    ],
)
def test_multi_word_expressions_are_read_whole(vocabulary, text, whole):
    reading = read(text, vocabulary)
    understood = [p.words for p in reading.parts if p.source != "tag"]
    assert whole in understood, understood
    assert not any(w in understood for w in whole.split())  # never a word of it alone


def test_a_word_table_hop_never_crosses_into_an_unrelated_kind(vocabulary):
    # 'playing' (WordNet: means drama) beside 'rugby': the note said "creative (playing)"
    reading = read("likes playing rugby", vocabulary)
    assert reading.note() == "'likes playing rugby' read as sports club (rugby)"
    assert "@creative" not in targets(reading)
    # 'volume' means mass (WordNet; mass is faith) and books: beside a clear reading of work
    # and debt it is left out, and goals explain says so
    reading = read("lost his job, volume of debt", vocabulary)
    assert "@find faith" not in targets(reading)
    left_out = [r for r in reading.explain() if r["reason"].startswith("left out")]
    assert left_out and {r["words"] for r in left_out} == {"volume"}
    assert all(r["weight"] == 0 for r in left_out)
    # with nothing clear beside it, a hop stays, and is said to be loose
    assert read("grub", vocabulary).note().startswith("'grub' read loosely as")


def test_words_that_mark_what_follows_are_never_read_as_kinds(vocabulary):
    # "hates" led through WordNet to faith; it says how the person feels about gyms
    reading = read("hates gyms", vocabulary)
    assert not reading.understood() and [p.words for p in reading.avoided] == ["gyms"]


def test_a_needs_service_is_only_offered_for_its_need(vocabulary):
    # a bereavement group has the tag 'talking', but is not somewhere to talk about anything
    talk = read("needs someone to talk to", vocabulary)
    assert talk.meets(["bereavement", "talking"], "bereavement support")[0] == 0
    assert talk.meets(["talking"], "peer support")[0] >= understand.CLEAR
    grief = read("lost his dad", vocabulary)
    assert grief.meets(["bereavement", "talking"], "bereavement support")[0] == 1.0
    # literacy help is a literacy class, not the libraries' `reading` tag at full strength
    reading = read("struggles with reading", vocabulary)
    assert reading.meets(["books", "reading"], "library")[0] < understand.CLEAR
    assert reading.meets(["literacy"], "education")[0] == 1.0


def test_situations_are_read_apart_from_kinds(vocabulary):
    assert read("no money till payday", vocabulary).situations == {
        "free": ["no money", "till payday"]
    }
    assert read("has a toddler", vocabulary).situations == {"family": ["toddler"]}
    # a toddler is a situation, not a need: it names no kind of place (issue 24, second pass)
    assert not read("has a toddler", vocabulary).understood()
    assert read("struggling with the kids", vocabulary).note() == (
        "'struggling with the kids' read as family (with the kids)"
    )
    evenings = read("likes swimming in the evenings", vocabulary)
    assert evenings.situations == {"evening": ["in the evenings"]}
    assert (
        evenings.note() == "'likes swimming in the evenings' read as swimming"
    )  # not 'swimming (swimming)'
    assert read("at weekends", vocabulary).situations == {"weekend": ["at weekends"]}


NEEDS_ROWS = [
    {"id": "housing", "name": "Housing Options", "category": "housing support", "tags": "housing;advice", "lat": "53.03", "lon": "-2.2"},
    {"id": "grief", "name": "Bereavement Group", "category": "bereavement support", "tags": "bereavement;talking", "lat": "53.0001", "lon": "-2.2"},
    {"id": "talk", "name": "Peer Support", "category": "peer support", "tags": "peer support;talking", "lat": "53.02", "lon": "-2.2"},
    {"id": "gym", "name": "Gym", "category": "gym", "tags": "gym;fitness", "lat": "53.001", "lon": "-2.2"},
    {"id": "rugby", "name": "Rugby Club", "category": "sports club", "tags": "rugby;sport", "lat": "53.01", "lon": "-2.2"},
    {"id": "arts", "name": "Drama Group", "category": "arts and culture", "tags": "drama;art", "lat": "53.0003", "lon": "-2.2"},
    {"id": "food", "name": "Foodbank", "category": "foodbank", "tags": "food;foodbank", "lat": "53.0004", "lon": "-2.2"},
]  # fmt: skip


@pytest.fixture
def needs_db(tmp_path):
    return _catalogue(tmp_path / "needs.db", NEEDS_ROWS)


def _said(why: str) -> str:
    """'fits "x" -> housing (sofa surfing); 3.3 km; ...' (or, for a long phrase, 'fits housing
    (sofa surfing); ...') -> 'housing (sofa surfing)'."""
    first = why.split(";", 1)[0]
    return first.split(" -> ", 1)[1] if " -> " in first else first.split("fits ", 1)[1]


@pytest.mark.parametrize(
    "phrase",
    ["likes playing rugby", "sofa surfing and lonely", "ex-forces, PTSD, lost his mum",
     "needs someone to talk to", "used to do drama and plays rugby", "grub"],
)  # fmt: skip
def test_the_note_and_every_why_tell_one_reading_in_the_same_words(cli, needs_db, phrase):
    found, result = near(cli, needs_db, "--goal", phrase)
    note = next(ln for ln in result.stderr.splitlines() if f"note: '{phrase}' read" in ln)
    for row in found:
        assert _said(row["why"]) in note, (row["why"], note)


def test_a_need_with_no_service_near_finds_nothing_rather_than_nonsense(cli, needs_db):
    # nothing here serves money; the reading must not fall back to a gym or a drama group
    found, result = near(cli, needs_db, "--goal", "bailiffs at the door")
    assert found == []
    assert "note: 'bailiffs at the door' read as money (bailiffs)" in result.stderr
    found, _ = near(cli, needs_db, "--goal", "sofa surfing since release")
    assert [r["id"] for r in found] == ["housing"]
    assert found[0]["why"].startswith('fits "sofa surfing since release" -> housing (sofa surfing)')


def test_a_catalogue_made_before_needs_gets_them(cli, tmp_path):
    import shutil

    db = tmp_path / "old.db"
    shutil.copy(ROOT / "tests" / "data" / "catalogue-schema4.db", db)
    goals = {
        g["goal"]: g for g in json.loads(cli("--db", str(db), "goals", "--format", "json").stdout)
    }
    assert goals["housing"]["categories"] == ["housing support"]
    assert "reading" not in goals["learn"]["synonyms"]  # still as shipped: brought up to date
    categories = cli("--db", str(db), "categories").stdout
    for name in ("housing support", "money advice", "veterans support", "bereavement support"):
        assert name in categories


def test_an_edited_default_goal_is_left_as_the_user_made_it(cli, tmp_path):
    import shutil
    import sqlite3

    db = tmp_path / "edited.db"
    shutil.copy(ROOT / "tests" / "data" / "catalogue-schema4.db", db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE goals SET synonyms = 'reading;books' WHERE name = 'learn'")
    conn.commit()
    conn.close()
    goals = {
        g["goal"]: g for g in json.loads(cli("--db", str(db), "goals", "--format", "json").stdout)
    }
    assert goals["learn"]["synonyms"] == ["reading", "books"]
    assert "housing" in goals


def test_accuracy_floor_on_needs_as_practitioners_record_them(tmp_path):
    """At least 300 phrases across the needs (tests/data/need_phrases.csv), written from public
    descriptions of probation (OASys needs) and social-prescribing practice. The held-out ones
    scored 51.1% / 62.8% before needs were goals; the floors are under today's figures."""
    rows = list(bench_goals.phrases(bench_goals.NEEDS))
    assert len(rows) >= 300
    assert {r["need"] for r in rows} >= {
        "housing", "money", "family", "veterans", "esol", "literacy", "drugs", "alcohol",
        "bereavement",
    }  # fmt: skip
    cat = bench_goals.build_catalogue(tmp_path / "partner.db")
    found = bench_goals.evaluate(cat.conn, bench_goals.NEEDS)
    cat.close()
    figures = bench_goals.figures(found)
    _n, top1, top3 = figures["held_out"]
    assert top1 >= 0.78 and top3 >= 0.84, (top1, top3)
    _n, top1, top3 = figures["dev"]
    assert top1 >= 0.95 and top3 >= 0.97, (top1, top3)


def test_a_second_held_out_set_with_the_source_of_its_wording(tmp_path):
    """At least 100 phrases (tests/data/need_phrases_sourced.csv) written by another hand from
    public descriptions of probation and social-prescribing practice, each naming where its
    wording came from; never used for tuning before it was first measured (73.0% / 84.9%)."""
    rows = list(bench_goals.phrases(bench_goals.SOURCED))
    assert len(rows) >= 100
    assert all(r["source"].split(" ")[0].startswith("http") or "http" in r["source"] for r in rows)
    assert {r["split"] for r in rows} == {"held_out"}
    assert {r["need"] for r in rows} >= {
        "accommodation", "ete", "finance", "relationships", "lifestyle", "drugs", "alcohol",
        "wellbeing", "thinking", "attitudes", "veterans", "esol", "literacy", "bereavement",
    }  # fmt: skip
    cat = bench_goals.build_catalogue(tmp_path / "partner.db")
    found = bench_goals.evaluate(cat.conn, bench_goals.SOURCED)
    cat.close()
    _n, top1, top3 = bench_goals.figures(found)["held_out"]
    assert top1 >= 0.78 and top3 >= 0.85, (top1, top3)
    assert bench_goals.wrong_first(found)["held_out"] <= 0.15


def test_a_long_phrase_is_not_repeated_in_every_row(cli, needs_db):
    """The person's words are in the note once; each row's why says what they were read as,
    so a long phrase does not take a line of every result (at 80 columns, ten results must
    fit one screen). A short phrase is still quoted: it reads as the practitioner typed it."""
    phrase = "lonely since release, sofa surfing at his cousin's"
    found, result = near(cli, needs_db, "--goal", phrase)
    assert f"note: '{phrase}' read as" in result.stderr
    housing = next(r for r in found if r["id"] == "housing")
    assert housing["why"].startswith("fits housing (sofa surfing); ")
    assert all(phrase not in r["why"] for r in found)
    found, _ = near(cli, needs_db, "--goal", "sofa surfing since release")
    assert found[0]["why"].startswith('fits "sofa surfing since release" -> housing (sofa surfing)')


def test_a_comma_ends_a_phrase_so_walking_comma_football_is_two_goals(cli, db_file):
    """'walking, football, meet people' (the README's own search) was read as 'walking
    football': a phrase of several words was matched across the comma, and walking was lost.
    A comma, like a full stop, ends a phrase; 'walking football' written together is one."""
    listed = json.loads(cli("--db", str(db_file), "goals", "explain", "walking, football", "-f", "json").stdout)  # fmt: skip
    assert {r["words"] for r in listed} == {"walking", "football"}
    together = json.loads(cli("--db", str(db_file), "goals", "explain", "walking football", "-f", "json").stdout)  # fmt: skip
    assert {r["words"] for r in together} == {"walking football"}
