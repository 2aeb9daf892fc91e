"""CSV as partnership managers' spreadsheets write it, in and out.

Reading wraps sqlite-utils' `rows_from_file` (BOM handling, extra-cell detection) with what it
does not decide for us: the encoding (UTF-8, else Windows-1252 as Excel on Windows writes it),
the delimiter (`,` or the `;` of European Excel) and stdin, which is spooled so it can be read
twice. Reading undoes what `assetmap.transfer.safecsv` (the one CSV writer) does to make cells inert.
"""

from __future__ import annotations

import codecs
import csv
import io
import shutil
import tempfile
from collections.abc import Iterator
from typing import IO, BinaryIO, cast

from assetmap.errors import InvalidValue
from assetmap.transfer.safecsv import ESCAPE, FORMULA_STARTS, inert, uninert  # noqa: F401 (the one rule)


def spool(stream: IO[bytes]) -> IO[bytes]:
    """A seekable copy of a non-seekable stream (stdin), on disk past 8 MB."""
    if stream.seekable():
        return stream
    copy = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    shutil.copyfileobj(stream, copy)
    copy.seek(0)
    return copy


def check_encoding(encoding: str) -> None:
    """An --encoding Python does not know, or one that is not for text, is one line naming
    the usual ones."""
    try:
        if not codecs.lookup(encoding)._is_text_encoding:
            raise LookupError(encoding)
    except LookupError:
        raise InvalidValue(
            f"--encoding: '{encoding}' is not an encoding; use utf-8, cp1252 or latin-1"
        ) from None


def detect_encoding(fp: IO[bytes]) -> str:
    """'utf-16' when the file starts with its byte-order mark, 'utf-8-sig' when the whole file
    decodes as UTF-8, else 'cp1252' (Excel's 'CSV (Comma delimited)' on Windows). Streams the
    file; leaves it at the start."""
    fp.seek(0)
    if fp.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        # Excel's "Unicode Text": its NUL bytes are valid UTF-8, so only the BOM tells.
        fp.seek(0)
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    fp.seek(0)
    try:
        while chunk := fp.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"
    fp.seek(0)
    return encoding


def detect_dialect(fp: IO[bytes], encoding: str) -> type[csv.Dialect]:
    """Comma, semicolon or tab: whichever the header line has most of."""
    fp.seek(0)
    head = fp.read(64 * 1024).decode(encoding, errors="replace")
    fp.seek(0)
    first_line = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
    best = max((",", ";", "\t"), key=first_line.count)

    class Dialect(csv.excel):
        delimiter = best if first_line.count(best) else ","

    return Dialect


def read_rows(fp: IO[bytes], encoding: str, dialect) -> Iterator[dict]:
    """Rows as dicts keyed by the file's own header; cells beyond the header under '_extra'."""
    from sqlite_utils.utils import Format, maximize_csv_field_size_limit, rows_from_file

    maximize_csv_field_size_limit()
    fp.seek(0)
    try:
        rows, _ = rows_from_file(
            cast(BinaryIO, fp),
            format=Format.CSV,
            dialect=dialect,
            encoding=encoding,
            extras_key="_extra",
        )
        yield from rows
    except UnicodeError as exc:
        raise _not_in(encoding, exc) from None
    except csv.Error as exc:
        raise InvalidValue(f"the file is not readable CSV ({exc})") from None


def header(fp: IO[bytes], encoding: str, dialect) -> list[str]:
    fp.seek(0)
    text = io.TextIOWrapper(fp, encoding=encoding, newline="")
    try:
        first = next(csv.reader(text, dialect=dialect), [])
    except UnicodeError as exc:
        raise _not_in(encoding, exc) from None
    except csv.Error as exc:
        raise InvalidValue(f"could not read the header row ({exc})") from None
    finally:
        text.detach()
    fp.seek(0)
    return first


def _not_in(encoding: str, exc: UnicodeError) -> InvalidValue:
    return InvalidValue(
        f"the file is not {encoding} ({getattr(exc, 'reason', exc)}); pass --encoding, "
        "e.g. --encoding utf-8 or --encoding cp1252"
    )
