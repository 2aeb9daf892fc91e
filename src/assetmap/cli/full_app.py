"""The whole command line: the Typer app with every command registered.

Tests, docs and `from assetmap.cli.full_app import app` use this. The `assetmap` console script runs
`assetmap.cli.app.main`, which registers only the command it is about to run.
"""

from assetmap.cli.app import app, load_commands, main

load_commands()

__all__ = ["app", "main"]
