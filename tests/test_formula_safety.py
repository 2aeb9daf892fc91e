"""Every CSV that assetmap writes, to a file or stdout, is formula-safe: a cell that a
spreadsheet would run as a formula (=, +, -, @, tab, CR) is written with a leading apostrophe,
and import takes it off again. JSON and NDJSON are data and stay exact."""

import csv
import io
import json
import re
from pathlib import Path

import typer
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from hypothesis_budget import examples

from assetmap.cli.full_app import app

DANGER = ("=", "+", "-", "@", "\t", "\r")
# A plain number ("-2.24", "+44") is not a formula in any spreadsheet and stays as it is.
NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
SRC = Path(__file__).resolve().parents[1] / "src" / "assetmap"


def cells_of(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def assert_inert(text: str, where: str) -> list[str]:
    cells = cells_of(text)
    for cell in cells:
        assert not (cell.startswith(DANGER) and not NUMBER.match(cell)), (where, cell)
    return cells


def formula_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


# Commands with --format csv, and how this test drives each. A new command that writes CSV
# must be added here (test_every_csv_command_is_driven fails until it is).
DRIVEN = {
    "list", "show", "near", "search", "stale", "check", "stats", "goals", "categories",
    "locate", "export", "import", "sources", "partners", "intro",
}  # fmt: skip
# Commands whose --format writes no CSV at all (plan: html or md; checked below).
NO_CSV = {"plan"}

formula = st.builds(
    lambda start, rest: start + rest,
    st.sampled_from(["=", "+", "-", "@", "=HYPERLINK(", "+44 ", "-1+", "@SUM(", "=1+1"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
).filter(lambda s: s.strip() == s and not NUMBER.match(s) and ";" not in s)


@settings(
    max_examples=examples(12),
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # each example runs ~15 commands
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=formula, text=formula, area=formula, goal=formula)
# Found by Hypothesis: a source name or area with two spaces, or a no-break space, is stored
# normalised.
@example(name="=n", text="=a  b", area="=r", goal="=g")
@example(name="=n", text="@SUM(2\xa0u", area="=r  x\xa0y", goal="=g")
def test_every_command_that_writes_csv_writes_no_live_formula(
    cli, tmp_path_factory, name, text, area, goal
):
    tmp = tmp_path_factory.mktemp("f")
    db = str(tmp / "c.db")
    cli("--db", db, "init", "--empty")
    base = {"name": name + " zebra", "category": "gym", "lat": "53.4808", "lon": "-2.2426",
            "description": text, "address": text, "area": area, "notes": text + " closed",
            "accessibility": text, "source": text, "phone": "+44 161 000 0000",
            "partnership_status": "partner", "contact_name": text, "staff_notes": text,
            "next_contact": "2020-01-06"}  # fmt: skip
    bad = {**base, "name": name, "category": "=nope"}
    rejects = tmp / "rejects.csv"
    cli("--db", db, "import", "-", "--skip-invalid", "--rejects", str(rejects),
        input=formula_csv([base, bad]), code=3)  # fmt: skip
    # " zebra": a new goal's name must not be an existing goal or synonym ('-social' is one).
    cli("--db", db, "goals", "add", "--tags", "fitness", "--", goal + " zebra")
    cli("--db", db, "categories", "add", "x" + goal)
    stored = json.loads(cli("--db", db, "list", "--format", "json").stdout)
    assert stored[0]["name"] == base["name"]  # JSON is data: exact
    asset_id = stored[0]["id"]

    outputs = {}
    for args in (
        ["list"], ["show", asset_id], ["near", "M1 1AD"], ["search", "zebra"], ["stale"],
        ["check"], ["stats"], ["goals"], ["categories"], ["locate", "--", "-33.9,151.2"],
        ["export"], ["sources"],
    ):  # fmt: skip
        result = cli("--db", db, args[0], "--format", "csv", *args[1:])
        outputs[args[0]] = assert_inert(result.stdout, args[0])
    for args in (["partners"], ["partners", "due"]):
        result = cli("--db", db, *args, "--format", "csv")
        outputs[" ".join(args)] = assert_inert(result.stdout, " ".join(args))
    # Casework listings name the asset (its name and area come from the catalogue).
    cli("--db", db, "intro", "add", asset_id, "--case", "X123456", "--on", "2026-01-05")
    for args in (["due"], ["list", "--case", "X123456"], ["report"], ["report", "--by", "area"]):
        result = cli("--db", db, "intro", args[0], "--format", "csv", *args[1:])
        outputs[" ".join(["intro", *args])] = assert_inert(result.stdout, f"intro {args}")
    cli("--db", db, "export", str(tmp / "out.csv"))
    outputs["export FILE"] = assert_inert((tmp / "out.csv").read_text("utf-8"), "export FILE")
    outputs["rejects"] = assert_inert(rejects.read_text("utf-8-sig"), "rejects")
    cli("--db", db, "export", "--format", "openreferral", str(tmp / "oruk"))
    for table in (tmp / "oruk").glob("*.csv"):
        outputs[table.name] = assert_inert(table.read_text("utf-8"), table.name)
    # Not vacuous: the formula-like values are there, made inert.
    for where in ("list", "show", "near", "search", "stale", "check", "export", "export FILE",
                  "partners", "partners due", "intro due", "intro list --case X123456",
                  "intro report"):  # fmt: skip
        assert "'" + base["name"] in outputs[where], where
    area_stored = stored[0]["area"]  # normalised on import like the source name
    assert "'" + area_stored in outputs["stats"]
    assert "'" + area_stored in outputs["intro report --by area"]
    # The row named its own source: the CSV carries it as stored (JSON is the exact data; the
    # name is normalised on import, e.g. its whitespace collapsed).
    assert stored[0]["source"] and "'" + stored[0]["source"] in outputs["sources"]
    assert any(c.startswith("'" + goal[0]) for c in outputs["goals"])  # stored lower-cased
    assert "'" + name in outputs["rejects"]
    assert "'" + base["name"] in outputs["services.csv"]

    # Import takes the apostrophes off again: a round trip changes nothing.
    db2 = str(tmp / "c2.db")
    cli("--db", db2, "init", "--empty")
    cli("--db", db2, "import", str(tmp / "out.csv"))
    again = json.loads(cli("--db", db2, "list", "--format", "json").stdout)
    assert [a["name"] for a in again] == [a["name"] for a in stored]
    assert again[0]["description"] == stored[0]["description"]  # as first stored (spaces collapsed)


def test_a_value_that_starts_with_an_apostrophe_survives_the_round_trip(cli, tmp_path):
    db, db2, out = str(tmp_path / "a.db"), str(tmp_path / "b.db"), tmp_path / "out.csv"
    cli("--db", db, "init", "--empty")
    for name in ("'=1+1", "''@x", "'plain"):
        cli("--db", db, "add", "--name", name, "--category", "gym", "--lat", "53", "--lon", "-2.2")
    cli("--db", db, "export", str(out))
    assert_inert(out.read_text("utf-8"), "export")
    cli("--db", db2, "init", "--empty")
    cli("--db", db2, "import", str(out))
    names = sorted(
        a["name"] for a in json.loads(cli("--db", db2, "list", "--format", "json").stdout)
    )
    assert names == sorted(["'=1+1", "''@x", "'plain"])


def test_cells_that_only_look_like_numbers_are_made_inert(cli, tmp_path):
    """float() accepts ' -1', '-1_0', '-inf' and '\\t5'; a spreadsheet does not read them as
    plain numbers, so they are escaped. Real numbers (lat/lon) are left alone."""
    db = str(tmp_path / "a.db")
    cli("--db", db, "init", "--empty")
    for name in ("-inf", "-1_0", "-nan", "+1e5x"):
        cli("--db", db, "add", "--name", name, "--category", "gym", "--lat", "53", "--lon", "-2.2")
    cells = assert_inert(cli("--db", db, "list", "--format", "csv").stdout, "list")
    assert {"'-inf", "'-1_0", "'-nan", "'+1e5x"} <= set(cells)
    assert "-2.2" in cells


def test_stale_csv_from_the_readme_cron_line_is_safe(cli, tmp_path):
    """The issue's repro: the README's cron line mails `stale --format csv`."""
    db = str(tmp_path / "a.db")
    cli("--db", db, "init", "--empty")
    cli("--db", db, "add", "--name", '=HYPERLINK("http://x.example","y")', "--category", "gym",
        "--lat", "53", "--lon", "-2.2")  # fmt: skip
    out = cli("--db", db, "--quiet", "stale", "--older-than", "12m", "--format", "csv").stdout
    assert '\'=HYPERLINK("http://x.example","y")' in assert_inert(out, "stale")


def test_every_csv_command_is_driven():
    root = typer.main.get_command(app)
    with_format = set()

    def walk(group, prefix=""):
        for name, cmd in group.commands.items():
            if any("--format" in p.opts for p in cmd.params):
                with_format.add((prefix + name).split()[0])
            if hasattr(cmd, "commands"):
                walk(cmd, prefix + name + " ")

    walk(root)
    if any("--format" in p.opts for p in root.params):
        with_format.add("")
    assert with_format - NO_CSV <= DRIVEN, f"add these to the formula test: {with_format - DRIVEN}"


def test_commands_said_to_write_no_csv_refuse_it(cli):
    for name in NO_CSV:
        result = cli(name, "x", "--from", "ST4 7QB", "--format", "csv", code=1)
        assert "'csv' is not one of" in result.stderr


def test_one_writer_makes_every_csv():
    """The formula rule lives in assetmap.transfer.safecsv; no other module makes a csv writer."""
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "safecsv.py":
            continue
        text = path.read_text("utf-8")
        if re.search(r"(?<![\w.])csv\.(writer|DictWriter)\(", text):
            offenders.append(str(path.relative_to(SRC)))
    assert not offenders, f"write CSV through assetmap.transfer.safecsv.writer: {offenders}"
