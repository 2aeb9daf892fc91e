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
    assert reading.label().startswith("learn")
    # a cue holding the negation itself still counts
    assert "@meet people" in targets(read("doesn't know anyone round here", vocabulary))


def test_the_word_table_reads_unknown_words_below_the_lexicon(vocabulary):
    # "oak" is no cue; WordNet says an oak is a kind of tree, and "trees" is a cue
    reading = read("oak", vocabulary)
    assert [p.source for p in reading.parts if p.source != "tag"][0].startswith(
        "word table (WordNet)"
    )
    assert 0 < reading.strength < understand.CLEAR
    assert reading.note().startswith("'oak' read loosely as be outdoors")


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
    assert walkers["why"].startswith('loosely fits "used to fish" -> be outdoors (fish)')
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
    assert f"'{phrase}' read as meet people (lonely), stay sober (off the drink)" in said
    _found, result = near(cli, small, "--goal", phrase)
    assert "read as meet people (lonely), stay sober (off the drink)" in result.stderr
    # one thing said several ways is still named once
    _found, result = near(cli, small, "--goal", "wants to be outside, in nature")
    assert "note: 'wants to be outside, in nature' read as be outdoors (outside, nature)\n" in (
        result.stderr
    )
