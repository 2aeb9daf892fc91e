"""Docs that cannot drift: every command has help and is named in the README."""

import re
from pathlib import Path

import typer

from assetmap.cli.full_app import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


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


def test_readme_crontab_lines_really_work(tmp_path):
    """Run each cron line of the README as cron would (sh, the crontab's variables), with the
    paths moved into a temporary directory."""
    import os
    import subprocess
    import sys

    block = re.search(r"```cron\n(.*?)```", README, re.S).group(1)
    env_lines = [ln for ln in block.splitlines() if re.match(r"^[A-Z_]+=", ln)]
    jobs = [ln for ln in block.splitlines() if ln and ln[0].isdigit()]
    assert len(jobs) == 3
    srv = tmp_path / "srv" / "assetmap"
    (srv / "feeds").mkdir(parents=True)
    (srv / "backups").mkdir()
    (srv / "feeds" / "council.csv").write_text("name,category,postcode\nCouncil Gym,gym,M1 1AD\n")
    env = {**os.environ}
    for line in env_lines:
        key, value = line.split("=", 1)
        env[key] = value.replace("/srv/assetmap", str(srv))
    for job in jobs:
        command = " ".join(job.split()[5:])
        command = command.replace(
            "/opt/assetmap/.venv/bin/assetmap", f"'{sys.executable}' -m assetmap"
        )
        command = command.replace("/srv/assetmap", str(srv)).replace("\\%", "%")
        proc = subprocess.run(["sh", "-c", command], env=env, capture_output=True, timeout=120)
        assert proc.returncode == 0, (command, proc.stderr)
    assert list((srv / "backups").glob("catalogue-*.db"))
    assert (srv / "catalogue.db").exists()
