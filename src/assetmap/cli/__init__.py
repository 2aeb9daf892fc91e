"""The command line: the Typer app and its global options, one module per job in commands/,
shared options, output writers for people and machines, and `about`."""
