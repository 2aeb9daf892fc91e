"""The generated parts of the docs, for cog: the command table and the module tree in README.md
and the full command reference in docs/commands.md.

Regenerate after changing a command's help or a module's docstring:

    .venv/bin/cog -r -I scripts README.md docs/commands.md

`.ci/run` runs `cog --check` on both, so the docs cannot drift from the code.
"""

from __future__ import annotations

import ast
import os
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "assetmap"
# Help is drawn the same whatever the shell generating it: no colour, a fixed width.
HELP_ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def _commands():
    """[(words, click command)] for every command and subcommand, in the app's order."""
    import typer

    from assetmap.cli.full_app import app

    top = typer.main.get_command(app)
    found = []

    def walk(group, words):
        for name in group.list_commands(None):
            command = group.get_command(None, name)
            if command is None or command.hidden:
                continue
            found.append(([*words, name], command))
            if hasattr(command, "list_commands"):
                walk(command, [*words, name])

    walk(top, [])
    return found


def _summary(command) -> str:
    """The first paragraph of a command's help, on one line."""
    text = (command.help or "").split("\b")[0]
    return " ".join(text.strip().split("\n\n")[0].split())


def _usage(words, command) -> str:
    parts = ["assetmap", *words]
    for param in command.params:
        if param.param_type_name != "argument":
            continue
        name = (param.metavar or param.name or "").upper()
        if param.nargs == -1:
            name = name if name.endswith("...") else f"{name} ..."
        parts.append(name if param.required else f"[{name}]")
    if hasattr(command, "list_commands"):
        parts.append("[COMMAND]")
    return " ".join(parts)


def commands_table() -> str:
    """The README's table: every command, its arguments and the first paragraph of its help."""
    rows = ["| command | what it does |", "|---|---|"]
    for words, command in _commands():
        summary = _summary(command).replace("|", "\\|")
        rows.append(f"| `{_usage(words, command)}` | {summary} |")
    return "\n".join(rows) + "\n"


def command_reference() -> str:
    """docs/commands.md: the `--help` of every command, as a terminal shows it."""
    from typer.testing import CliRunner

    from assetmap.cli.full_app import app

    runner = CliRunner()
    out = []
    for words in [[], *(w for w, _c in _commands())]:
        result = runner.invoke(
            app, [*words, "--help"], env=HELP_ENV, color=False, prog_name="assetmap"
        )
        assert result.exit_code == 0, result.output
        title = " ".join(["assetmap", *words])
        out.append(f"## {title}\n\n```\n{result.stdout.rstrip()}\n```\n")
    return "\n".join(out)


def _first_sentence(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    text = " ".join(doc.split("\n\n")[0].split())
    end = text.find(". ")
    while 0 <= end < 40:  # "Distances." says too little: take the next sentence too
        end = text.find(". ", end + 2)
    return text if end < 0 else text[: end + 1]


def module_tree() -> str:
    """The README's module tree: each package and module with its docstring's first sentence."""
    lines = ["src/assetmap/"]

    def entry(depth: int, name: str, about: str) -> None:
        indent = "  " * depth
        head = f"{indent}{name:<{max(24 - len(indent), len(name) + 1)}}"
        wrapped = textwrap.wrap(about, 100 - len(head)) or [""]
        lines.append((head + wrapped[0]).rstrip())
        lines.extend(" " * len(head) + more for more in wrapped[1:])

    def walk(folder: Path, depth: int) -> None:
        for path in sorted(folder.iterdir()):
            if path.is_dir() and (path / "__init__.py").exists():
                entry(depth, f"{path.name}/", _first_sentence(path / "__init__.py"))
                walk(path, depth + 1)
            elif path.suffix == ".py" and path.name != "__init__.py":
                entry(depth, path.name, _first_sentence(path))

    walk(PACKAGE, 1)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    os.environ.update(HELP_ENV)
    print(commands_table())
    print(module_tree())
