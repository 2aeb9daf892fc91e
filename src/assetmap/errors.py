"""One error hierarchy. Each error carries its exit code; the CLI edge turns it into one line.

Exit codes (documented in the README and `assetmap --help`):
  0  success (an empty result is still success)
  1  an error: bad value, unknown id, unusable catalogue, nothing found with --fail-if-empty
  2  usage error (unknown option, missing argument): raised by Typer itself
  3  partial success: an import skipped invalid rows (--skip-invalid)
"""

from __future__ import annotations


class AssetmapError(Exception):
    """Base class: a problem the user can fix, reported as one line (and its details, if any)."""

    exit_code = 1

    def __init__(self, *args, details: list[str] | tuple[str, ...] = ()):
        super().__init__(*args)
        # Lines under the message, each kept to one line too: an import's problems, one a line.
        self.details = tuple(details)


class InvalidValue(AssetmapError):
    """A value given on the command line or in a file is not valid."""


class NotFound(AssetmapError):
    """An asset id, place or vocabulary entry does not exist."""


class CatalogueError(AssetmapError):
    """The catalogue file cannot be used (missing directory, not SQLite, newer schema, read-only)."""


class PlaceError(AssetmapError):
    """A place could not be turned into a point."""


class NeedsConfirmation(AssetmapError):
    """A destructive command was run without a terminal and without --yes."""


class EmptyResult(AssetmapError):
    """Nothing matched and the caller asked for that to fail (--fail-if-empty)."""


class FeedError(AssetmapError):
    """An online feed could not be read in full (nothing of it was written)."""

    status: int | None = None  # the HTTP status that refused it, if one did


class PartialImport(AssetmapError):
    """Some rows were skipped; the rest were written."""

    exit_code = 3


class FieldProblem(AssetmapError):
    """One field of one record is wrong. `column` names the CSV column / CLI option."""

    def __init__(self, column: str, message: str):
        super().__init__(f"{column}: {message}")
        self.column = column
        self.message = message


class InvalidRecord(InvalidValue):
    """A record has one or more field problems; all are reported together."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.column}: {p.message}" for p in problems))


class CaseworkError(AssetmapError):
    """The casework file or its key cannot be used (too readable, missing key, another key)."""


QUOTE_LIMIT = 80  # characters of a quoted value a message repeats
LINE_LIMIT = 2000  # and of any one line of a message


def readable(text: str) -> str:
    """Messages quote the value they are about; a huge cell (one import had a 50 MB one) is
    cut to QUOTE_LIMIT characters and an ellipsis, so the message stays one readable line."""
    if len(text) <= QUOTE_LIMIT:
        return text
    import re

    lines = []
    for line in text.split("\n"):
        if len(line) > QUOTE_LIMIT:
            line = re.sub(
                # A quote opens after a space or bracket and closes before one: the
                # apostrophe in "place's" is neither.
                rf"(?<![\w])'([^'\n]{{{QUOTE_LIMIT + 1},}})'(?![\w])",
                lambda m: f"'{m.group(1)[:QUOTE_LIMIT]}…'",
                line,
            )
        if len(line) > LINE_LIMIT:
            line = f"{line[: LINE_LIMIT // 2]}…{line[-LINE_LIMIT // 2 :]}"
        lines.append(line)
    return "\n".join(lines)


# Control characters and line separators, shown as escapes ('\n', '\x1b'): a value quoted in a
# message cannot break it over lines or send a terminal escape.
_CONTROLS = {i: ascii(chr(i))[1:-1] for i in (*range(32), *range(127, 160), 0x2028, 0x2029)}


def one_line(text: str) -> str:
    """An error or warning as one line, whatever the value it quotes holds."""
    return text.translate(_CONTROLS)


def counted(n: int, noun: str, nouns: str = "") -> str:
    """'1 place', '2 places', '7,612 assets' ('1 follow-up', '2 follow-ups'): a count as a
    message reads. Every message that counts something says it with this, so none reads
    '1 assets' or '1 problems'. Here, at the bottom of the layers, so the library's own
    messages (casework, places, transfer) use it as the CLI's do."""
    return f"{n:,} {noun if n == 1 else nouns or noun + 's'}"


def listed(items: list[str], most: int, sep: str = "; ") -> str:
    """The first `most` items and how many are left: 'a; b; c and 4 more'. A message that
    lists what it found says it with this, so every long list is cut the same way."""
    more = f" and {len(items) - most:,} more" if len(items) > most else ""
    return sep.join(items[:most]) + more
