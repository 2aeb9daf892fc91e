"""Docs that cannot drift: every command has help and is named in the README."""

import re
from pathlib import Path

import pytest
import typer

from assetmap.cli.full_app import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix=()):
    for name, cmd in group.commands.items():
        path = (*prefix, name)
        yield path, cmd
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, path)


def test_every_command_has_help_and_is_in_the_readme():
    root = typer.main.get_command(app)
    commands = list(_commands(root))
    assert len(commands) >= 10
    for path, cmd in commands:
        assert (cmd.help or "").strip(), f"{' '.join(path)} has no help"
        assert f"assetmap {' '.join(path)}" in README, (
            f"README does not mention `assetmap {' '.join(path)}`"
        )


def test_readme_quick_start_has_exactly_two_one_line_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    lines = [
        ln for b in blocks for ln in b.strip().splitlines() if ln.strip() and not ln.startswith("#")
    ]
    assert len(lines) == 2
    assert "assetmap" in lines[0] and "pytest" in lines[1]


@pytest.mark.slow
def test_readme_crontab_lines_really_work(tmp_path):
    """Run each cron line of the README as cron would (sh, the crontab's variables), with the
    paths moved into a temporary directory."""
    import os
    import subprocess
    import sys

    # Every cron block of the README, in order (For partnership managers, Scripts and cron,
    # Introductions and follow-ups).
    lines = [ln for block in re.findall(r"```cron\n(.*?)```", README, re.S) for ln in block.splitlines()]  # fmt: skip
    env_lines = [ln for ln in lines if re.match(r"^[A-Z_]+=", ln)]
    # The practitioner's `sources update` (Sharing the catalogue) needs a served catalogue to
    # pull: tests/test_serve.py runs that line against `assetmap serve` on 127.0.0.1.
    jobs = [ln for ln in lines if ln and ln[0].isdigit() and "sources update" not in ln]
    assert len(jobs) == 5
    jobs.sort(key=lambda job: (int(job.split()[1]), int(job.split()[0])))  # as a day runs them
    srv = tmp_path / "srv" / "assetmap"
    (srv / "feeds").mkdir(parents=True)
    (srv / "backups").mkdir()
    # The feed gives the gym a follow-up long overdue, so `partners due` has a row to mail.
    (srv / "feeds" / "council.csv").write_text(
        "name,category,postcode,next_contact\nCouncil Gym,gym,M1 1AD,2020-01-06\n"
    )
    outputs = {}
    env = {**os.environ}
    for line in env_lines:
        key, value = line.split("=", 1)
        env[key] = value.replace("/srv/assetmap", str(srv))
    # The catalogue is made once, by hand, before cron runs (as the README says).
    made = subprocess.run([sys.executable, "-m", "assetmap", "init"], env=env, capture_output=True)
    assert made.returncode == 0, made.stderr
    for job in jobs:
        command = " ".join(job.split()[5:])
        command = command.replace(
            "/opt/assetmap/.venv/bin/assetmap", f"'{sys.executable}' -m assetmap"
        )
        command = command.replace("/srv/assetmap", str(srv)).replace("\\%", "%")
        proc = subprocess.run(["sh", "-c", command], env=env, capture_output=True, timeout=120)
        assert proc.returncode == 0, (command, proc.stderr)
        command_word = re.search(r" -m assetmap (?:--quiet )?(\S+)", command).group(1)
        outputs[command_word] = proc.stdout.decode()
    assert list((srv / "backups").glob("catalogue-*.db"))
    # The mail for the partnership manager: one row, with the asset's id.
    assert [ln for ln in outputs["partners"].splitlines() if "council-gym" in ln], outputs
    assert "2020-01-06" in outputs["partners"]
    assert (srv / "catalogue.db").exists()
    # Introductions: nothing recorded yet, so a header only, and no key made for it.
    assert outputs["intro"].startswith("case,asset,name,")


# Files the README's examples name, made for the test: a partners' list to import, and an
# exclusion zone (a square around Old Trafford) to avoid.
EXAMPLE_FILES = {
    "partners.csv": "name,category,postcode,phone\nCouncil Gym,gym,M1 1AD,0161 000 0000\n",
    # The README shows this file whole, so a reader can make it.
    "zone.geojson": re.search(r"```json\n\s*(\{\"type\": \"Polygon\".*?)\n", README).group(1),
}


def readme_examples() -> list[str]:
    """Every `assetmap ...` line in the README's bash blocks (the Quick start's after its
    install step) and in `near --help` and `plan --help`, without trailing comments."""
    from assetmap.cli.commands.near import NEAR_EXAMPLES
    from assetmap.cli.commands.plan import PLAN_EXAMPLES

    lines = []
    for block in re.findall(r"```bash\n(.*?)```", README, re.S):
        for line in block.splitlines():
            found = re.search(r"(?:^|&& )(?:\.venv/bin/)?(assetmap .*)$", line.strip())
            if found:
                lines.append(found.group(1))
    for epilog in (NEAR_EXAMPLES, PLAN_EXAMPLES):
        lines += [ln.strip() for ln in epilog.splitlines() if ln.strip().startswith("assetmap")]
    return [re.sub(r"\s+#.*$", "", ln) for ln in lines]


@pytest.mark.slow
def test_every_readme_example_runs_and_prints_results(tmp_path):
    """The README cannot drift from the seed catalogue: each example runs on a fresh seeded
    catalogue, exits 0 and prints data (or writes the file it names), and no search comes
    back empty."""
    import os
    import shlex
    import subprocess
    import sys

    examples = readme_examples()
    assert len(examples) >= 10
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "assetmap"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m assetmap "$@"\n')
    wrapper.chmod(0o755)
    work = tmp_path / "work"
    work.mkdir()
    for name, text in EXAMPLE_FILES.items():
        (work / name).write_text(text)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    # As a newcomer runs them: the default catalogue, made and seeded on first use.
    env["ASSETMAP_HOME"] = str(tmp_path / "home")
    env.pop("ASSETMAP_DB", None)
    for example in examples:
        before = {p: p.stat().st_mtime_ns for p in work.iterdir()}
        proc = subprocess.run(
            ["sh", "-c", example], cwd=work, env=env, capture_output=True, timeout=120
        )
        out, err = proc.stdout.decode(), proc.stderr.decode()
        assert proc.returncode == 0, (example, err)
        written = [
            p for p in work.iterdir() if p.stat().st_size and before.get(p) != p.stat().st_mtime_ns
        ]
        assert out.strip() or written or err.strip(), f"{example}: printed nothing"
        words = shlex.split(example)
        if words[1] in ("near", "search", "list", "show"):
            assert out.strip() not in ("", "[]"), f"{example}: found nothing\n{err}"
            assert "nothing found" not in err and "nothing in the catalogue" not in err, example
        if words[1] == "import":
            assert "row " not in err, (example, err)  # no rejected rows in the example's file


def test_the_neighbourhood_counts_stated_in_the_docs_are_those_bundled():
    import csv
    from collections import Counter

    from assetmap.cli.about import ATTRIBUTIONS

    root = Path(__file__).resolve().parents[1]
    data = root / "src" / "assetmap" / "data" / "gazetteer"
    with open(data / "places.csv", encoding="utf-8", newline="") as fh:
        kinds = Counter(row["kind"] for row in csv.DictReader(fh))
    notice = (data / "NOTICE").read_text(encoding="utf-8")
    total = kinds["ward"] + kinds["area"]
    for figure in (f"{kinds['ward']:,}", f"{kinds['area']:,}"):
        assert f"{figure} from" in README and f"({figure} rows)" in notice
    assert f"{total:,} names" in README and f"{total:,} names" in ATTRIBUTIONS
    extra = f"{kinds['neighbourhood']} more"
    assert extra in README and extra in ATTRIBUTIONS


def test_the_readme_attribution_block_credits_the_neighbourhood_names():
    # Found in a newcomer run: `about` and the NOTICE credit the ward names (ONS) and the
    # census area names (Open Parliament Licence), but the README's block of attributions,
    # the one people copy, still credited only the 40 names from library and food-bank lists.
    from assetmap.cli.about import ATTRIBUTIONS

    block = " ".join(README.split("## Data licences and attribution", 1)[1].split("```")[1].split())
    about = " ".join(ATTRIBUTIONS.split())
    for phrase in ("electoral wards", "MSOA", "Open Parliament Licence v3.0", "drkane/geo-lookups"):
        assert phrase in about and phrase in block, phrase


def test_adding_a_filter_names_the_code_as_it_is():
    """The README's three places to add a `near` filter name real modules and functions, so
    the guide cannot drift from the code it points at."""
    from assetmap.search import filters, request

    section = README.split("**Adding a filter to `near`**", 1)[1].split("\n\n", 1)[0]
    for path in ("cli/commands/near.py", "search/request.py", "search/filters.py"):
        assert path in section and (ROOT / "src" / "assetmap" / path).exists(), path
    for module, name in ((request, "NearRequest"), (request, "build_filters"),
                         (filters, "Filters"), (filters, "sql_filters"),
                         (filters, "sql_exclusions"), (filters, "_exclusion")):  # fmt: skip
        assert f"`{name}`" in section and hasattr(module, name), name
    assert "partners_only" in request.NearRequest.__slots__ and "partners_only" in filters.Filters.__slots__  # fmt: skip


def test_the_exit_codes_are_one_table_with_every_code_the_program_uses():
    # A paragraph about `sources pull` sat between the rows for 3 and 130, so Markdown ended
    # the table at 3: the rows for 130 (Ctrl-C) and 141 (a closed pipe) showed as text lines
    # of pipes, with no header, under a paragraph about pulling sources.
    section = README.split("### Exit codes", 1)[1].split("\n#", 1)[0]
    lines = section.strip().splitlines()
    table = lines[: next((i for i, ln in enumerate(lines) if not ln.startswith("|")), len(lines))]
    codes = [row.split("|")[1].strip() for row in table[2:]]
    assert table[:2] == ["| code | meaning |", "|---|---|"], table
    assert codes == ["0", "1", "2", "3", "130", "141"], codes
