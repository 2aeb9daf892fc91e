"""Docs that cannot drift: every command has help and is named in the README."""

import re
from pathlib import Path

import typer

from assetmap.cli import app

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
