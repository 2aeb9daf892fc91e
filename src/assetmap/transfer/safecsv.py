"""The one CSV writer. Every CSV that assetmap writes, to a file or stdout, goes through
`writer()` (or `dict_writer()`), which makes each cell inert in a spreadsheet.

The rule: a text cell that starts with = + - @ tab or CR (which Excel, LibreOffice and Google
Sheets would run as a formula) is written with a leading apostrophe, which spreadsheets hide.
A cell that already starts with an apostrophe followed by one of those gets a second one, so
`uninert` (applied by every import) gives back exactly what was stored. Plain numbers such as
-2.24 are left alone. JSON and NDJSON are data and are never changed.

New commands that print CSV should call `assetmap.cli.output.emit_records` (which uses this);
anything else that writes a CSV file uses `writer()` here. Never `csv.writer` directly
(tests/test_formula_safety.py fails if a module does).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
_STARTS = frozenset(FORMULA_STARTS)
_LOOK = _STARTS | {ESCAPE}  # first characters that need a closer look
# What every spreadsheet reads as a plain number. Stricter than float(), which also takes
# "-inf", "-1_0" and "\t5".
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def inert(value: str) -> str:
    """`value` as a cell no spreadsheet runs: formula-like text gets a leading apostrophe."""
    if not value:
        return value
    first = value[0]
    if first in _STARTS:
        return value if _NUMBER.fullmatch(value) else ESCAPE + value
    if first == ESCAPE and value[1:2] and (value[1] in _STARTS or value[1] == ESCAPE):
        # Already looks escaped: escape again, so that uninert() restores it exactly.
        return ESCAPE + value if _escaped(value) else value
    return value


def uninert(value: str) -> str:
    """Undo `inert` (import applies this to every cell)."""
    if value and value[0] == ESCAPE and _escaped(value):
        return value[1:]
    return value


def _escaped(value: str) -> bool:
    """True for what inert() produces: apostrophes, then a formula start that is not a
    plain number."""
    rest = value.lstrip(ESCAPE)
    return (
        bool(rest)
        and rest[0] in _STARTS
        and not (len(value) - len(rest) == 1 and _NUMBER.fullmatch(rest))
    )


def cell(value: Any) -> str:
    """A value as an inert CSV cell: None is empty, lists are ';'-joined, floats lose
    trailing zeros (as the catalogue stores them)."""
    if value is None:
        return ""
    if type(value) is str:
        return inert(value) if value and value[0] in _LOOK else value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    if isinstance(value, list | tuple):
        return inert(";".join(str(v) for v in value))
    return inert(str(value))


class SafeWriter:
    """csv.writer with every cell passed through `cell()`."""

    def __init__(self, out: TextIO, **fmtparams):
        self._writer = csv.writer(out, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(_cells(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        self._writer.writerows(map(_cells, rows))


def _cells(row: Iterable[Any]) -> list[str]:
    # Plain text is by far the most common cell: keep it off the function-call path (export
    # writes tens of millions of cells).
    return [v if type(v) is str and (not v or v[0] not in _LOOK) else cell(v) for v in row]


class SafeDictWriter:
    """csv.DictWriter's interface (header from `fieldnames`, missing keys empty) over SafeWriter."""

    def __init__(self, out: TextIO, fieldnames: Sequence[str], **fmtparams):
        self.fieldnames = list(fieldnames)
        self._writer = SafeWriter(out, **fmtparams)

    def writeheader(self) -> None:
        self._writer.writerow(self.fieldnames)

    def writerow(self, row: Mapping[str, Any]) -> None:
        self._writer.writerow([row.get(f) for f in self.fieldnames])

    def writerows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        names = self.fieldnames
        self._writer.writerows([r.get(f) for f in names] for r in rows)


def writer(out: TextIO, **fmtparams) -> SafeWriter:
    """The CSV writer for everything assetmap writes (same arguments as csv.writer)."""
    return SafeWriter(out, **fmtparams)


def dict_writer(out: TextIO, fieldnames: Sequence[str], **fmtparams) -> SafeDictWriter:
    return SafeDictWriter(out, fieldnames, **fmtparams)
