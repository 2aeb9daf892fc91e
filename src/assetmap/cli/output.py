"""Everything the CLI prints. Data goes to stdout in the chosen format; messages to stderr.

Rich is imported only to draw a table on a terminal; pipes and files get plain text, JSON,
NDJSON or CSV, with no colour or markup. Each format's module is imported when it is used:
start-up time is paid on every search.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import Any

from assetmap.errors import one_line, readable  # quoted values: cut short, kept on one line

FORMATS = ("table", "json", "csv", "ndjson")


def stdout_is_tty() -> bool:
    return sys.stdout.isatty()


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()


def color_allowed(stream) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


class Messages:
    """Messages for people, on stderr. `quiet` keeps only errors. `lines` counts the lines
    said (as a terminal shows them), so a command can tell what room is left on the screen."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.lines = 0

    def _say(self, text: str) -> None:
        text = _on_screen(text)
        self.lines += text.count("\n") + 1
        print(text, file=sys.stderr)

    def info(self, text: str, *, even_if_quiet: bool = False) -> None:
        if even_if_quiet or not self.quiet:
            self._say(readable(text))

    def warn(self, text: str) -> None:
        if not self.quiet:
            self._say(f"warning: {one_line(readable(text))}")

    def error(self, text: str, details: Sequence[str] = ()) -> None:
        self._say(f"Error: {one_line(readable(text))}")
        for line in details:
            self._say(one_line(readable(line)))


def _on_screen(text: str) -> str:
    """A message as a terminal shows it: wrapped between words to its width, where the
    terminal itself would cut a word in two ('(' / 'off the drink)'). Logs and cron mail get
    the line as it is."""
    if not stderr_is_tty():
        return text
    width = _stderr_width()
    return "\n".join("\n".join(_wrap(line, width) or [""]) for line in text.split("\n"))


def _terminal_cell(column: str, value: Any) -> str:
    """A cell as a terminal table draws it: a web address in the contact column is its site
    ('cardiff.gov.uk/…'), since a long one folds into pieces nobody can read or copy (`show`
    has it whole)."""
    text = _cell(value)
    if column == "contact" and text.startswith(("http://", "https://")):
        site, _, path = text.split("://", 1)[1].partition("/")
        site = site.removeprefix("www.")
        return f"{site}/…" if path.strip("/") else site
    if column == "summary":  # an introduction's follow-ups, one a line: '4w due 2026-12-18'
        return text.replace("; ", "\n")
    return text


def _cell(value: Any) -> str:
    """A value as text for people (tables and plain text)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def emit_records(
    records: Sequence[dict[str, Any]],
    fmt: str,
    *,
    columns: Sequence[str],
    table_columns: Sequence[str] | None = None,
    title: str | None = None,
    tty_columns: Sequence[str] | None = None,
    blocks: Blocks | None = None,
    quiet: bool = False,
) -> int | None:
    """Print records: the one way commands print a list. JSON/NDJSON/GeoJSON carry every key,
    exact; CSV and tables show `columns` (`tty_columns`, when given, for a table on a terminal,
    where width is short; `blocks`, when given, on a terminal narrower than `blocks.below`).
    CSV goes through `assetmap.transfer.safecsv`, so every cell is
    formula-safe: a new command that prints CSV calls this (or emit_object), never csv.writer.

    Under --quiet (`quiet`), nothing found prints nothing in CSV or a table, not a bare header:
    cron mails whatever a job prints, so a weekly `stale -q --format csv` mails only when
    there is something to act on. JSON still prints `[]` (and GeoJSON an empty collection):
    a program reading it needs a document.

    Returns the number of lines drawn as blocks on a terminal (None otherwise), so a command
    can tell whether a hint beneath them still fits the screen."""
    if quiet and not records and fmt in ("csv", "table"):
        return None
    out = sys.stdout
    if fmt == "geojson":
        from assetmap.transfer.exporter import write_geojson

        write_geojson(records, out)
    elif fmt == "json":
        import json

        json.dump(list(records), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "ndjson":
        import json

        for r in records:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        from assetmap.transfer import safecsv

        writer = safecsv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([r.get(c) for c in columns] for r in records)
    else:
        if blocks and stdout_is_tty() and blocks.fits(_console().width):
            return blocks.draw(records, _console())
        emit_table(records, table_columns or columns, title=title, tty_columns=tty_columns)
    return None


def _console():
    from rich.console import Console

    return Console(no_color=not color_allowed(sys.stdout))


class Blocks:
    """Results as two lines each, for a terminal narrower than `below` columns, where a table
    squeezes `why` to a few words a line (13 lines a result at 80 columns), so that ten results
    and what is said before them fit a standard 80x24 screen:

        nrg  Nrg Gym (Stretford Manchester) · gym                                0.2 km
            fits "get fit"; paid; never verified · manchester1@nrggym.com

    The ref, name and category on the first line, with `right` (the distance) at its end; then
    `why` and the contact. Nothing wraps to a third line: what does not fit is left off and
    the line ends with '…' (`show REF` has it all). The least telling parts of `why` go first
    (never verified, cost unknown, times not recorded), then the end of the line; a name is cut
    before its category. A ref, a phone number and an email are whole, so each can be copied;
    a web address is its site ('cardiff.gov.uk/…'), as in the table. `extra` columns (such as
    near --with-outcomes') come first on the second line, named.
    """

    def __init__(self, *, right: str = "", unit: str = "", extra=(), below: int = 100):
        self.right, self.unit, self.extra, self.below = right, unit, tuple(extra), below

    def fits(self, width: int) -> bool:
        return width < self.below

    def lines(
        self, record: dict[str, Any], width: int, right_width: int = 0, said_by_all: str = ""
    ) -> list[tuple[str, str]]:
        """(ref, rest) per line: the ref only on the first, so it can be drawn bold.
        `said_by_all`: the part of `why` every result starts with, left off."""
        ref = _cell(record.get("ref")) or _cell(record.get("id"))
        right = _cell(record.get(self.right)) if self.right else ""
        right = f"{right}{self.unit}" if right else ""
        name, category = _cell(record.get("name")), _cell(record.get("category"))
        indent = "    "
        room = max(width - len(ref) - 2 - (max(len(right), right_width) + 2 if right else 0), 12)
        first = _title(name, category, room)
        if right:
            first = first.ljust(room) + "  " + right.rjust(right_width)
        out = [(ref, "  " + first)]
        why = why_without(_cell(record.get("why")), right)
        why = shorter_goals(why, record.get("goals_met") or [], said_by_all)
        extras = [
            f"{c.replace('_', ' ')} {_cell(record.get(c))}" for c in self.extra
            if _cell(record.get(c))
        ]  # fmt: skip
        parts = [*extras, *why.split("; ")] if why else extras
        room = width - len(indent)
        contact = _terminal_cell("contact", record.get("contact"))
        if contact and contact != _cell(record.get("phone")):
            # A long email or site gives way to what decides whether the person can go
            # ('voucher needed'): `show` has it whole. A phone number is always whole.
            needed = len("; ".join(p for p in parts if not p.startswith(_LEAST_TELLING)))
            contact = _cut(contact, max(room - needed - 4, 24, room // 3))
        tail = f" · {contact}" if contact else ""
        words = _fitted(parts, room - len(tail))
        below = (words + tail).removeprefix(" · ")
        return out + ([("", indent + below)] if below else [])

    def draw(self, records: Sequence[dict[str, Any]], console) -> int:
        """Draw the blocks; the number of lines drawn."""
        from rich.text import Text

        right_width = max(
            (len(_cell(r.get(self.right)) + self.unit) for r in records if _cell(r.get(self.right))),
            default=0,
        ) if self.right else 0  # fmt: skip
        # 'fits "food"' on every line says nothing a search for food does not: left off
        # when each result fits the one goal the same way ('loosely fits' is still said).
        firsts = {_cell(r.get("why")).split("; ")[0] for r in records}
        said_by_all = firsts.pop() if len(records) > 1 and len(firsts) == 1 else ""
        if not (said_by_all.startswith('fits "') and said_by_all.endswith('"')):
            said_by_all = ""
        drawn = 0
        for record in records:
            for ref, rest in self.lines(record, console.width, right_width, said_by_all):
                line = Text(ref, style="bold")
                line.append(rest)
                console.print(line, soft_wrap=True)
                drawn += 1
        return drawn


# Parts of `why` a block leaves off first when its line is full: `show` still has them.
_LEAST_TELLING = ("never verified", "not verified since ", "cost unknown", "times not recorded")


def _fitted(parts: list[str], room: int) -> str:
    """`parts` joined with '; ' in at most `room` characters: the least telling left off
    first, then parts from the end (a part too long alone is cut at a word); '…' says
    something was."""
    parts = [p for p in parts if p]
    text = "; ".join(parts)
    if len(text) <= room:
        return text
    for least in _LEAST_TELLING:
        parts = [p for p in parts if not p.startswith(least) or p == NO_TIMES_CAUTION]
        if len("; ".join(parts)) + 1 <= room:
            return "; ".join(parts) + "…"
    if not parts:  # only the least telling, and no room even for '…' (a narrow terminal)
        return ""
    # Then where a caution came from, never the caution: "likely involves children (from its
    # name: 'Junior'), check first" is kept as "likely involves children, check first".
    parts = [_EVIDENCE.sub("", p) for p in parts]
    if len("; ".join(parts)) + 1 <= room:
        return "; ".join(parts) + "…"
    # Whole parts, not half of one: 'DBS…' could be read as either way.
    while len(parts) > 1 and len("; ".join(parts)) + 1 > room:
        parts.pop()
    return "; ".join(parts) + "…" if len(parts[0]) < room else _cut(parts[0], room)


_EVIDENCE = re.compile(r" \(from its (?:name|description): '[^']*'\)")
NO_TIMES_CAUTION = "times not recorded, check first"  # asked for times: a caution, kept


def _cut(text: str, room: int) -> str:
    """`text` in `room` characters, cut at a word with '…' when longer."""
    if len(text) <= room:
        return text
    cut = text.rfind(" ", 0, room)
    cut = cut if cut > room // 2 else room - 1
    return text[:cut].rstrip(" ;,·") + "…"


def _title(name: str, category: str, room: int) -> str:
    """'Name · category' in `room` characters: the name whole when it fits (the category cut,
    or left off), else cut, keeping its '[example]' mark."""
    title = " · ".join(p for p in (name, category) if p)
    if len(title) <= room:
        return title
    if len(name) <= room:
        left = room - len(name) - 3
        return f"{name} · {_cut(category, left)}" if category and left >= 6 else name
    mark = " [example]" if name.endswith(" [example]") else ""
    return _cut(name.removesuffix(mark), room - len(mark)) + mark


def shorter_goals(why: str, goals: Sequence[str], said_by_all: str = "") -> str:
    """`why` with 'fits "walking, football, meet people" -> meet people' said as 'fits meet
    people' (how the phrase was read is in the note above the results), and without
    `said_by_all`, the same 'fits "food"' every result's `why` starts with."""
    if said_by_all and why.split("; ")[0] == said_by_all:
        why = why[len(said_by_all) :].removeprefix("; ")
    for goal in goals:
        why = why.replace(f'"{goal}" -> ', "")
    return why


def _wrap(text: str, width: int) -> list[str]:
    """Word-wrapped, never breaking a word: an id, a phone (its spaces made hard) or an email
    is longer than the room only on a very narrow terminal, and then it runs on whole."""
    import textwrap

    return textwrap.wrap(text, max(width, 20), break_long_words=False, break_on_hyphens=False)


def why_without(why: str, distance: str) -> str:
    """`why` without the distance the block's first line already gives ('0.2 km')."""
    if not distance:
        return why
    parts = why.split("; ")
    if distance in parts:
        parts.remove(distance)
    return "; ".join(parts)


# Cells a person copies into another command or a phone: never folded across lines.
NO_WRAP_COLUMNS = frozenset({"ref", "id", "phone", "contact_phone", "source"})
# Words a person reads keep room to be read when the table is squeezed; a phone number fits
# its contact column whole (an email may fold).
MIN_WIDTHS = {
    "name": 14, "why": 16, "name / why": 20, "contact": 13, "status": 15, "summary": 19,
}  # fmt: skip
RATIOS = {"name": 1, "why": 2, "name / why": 3, "contact": 1}
# Left off a terminal table when no row has one, so the words get the room (machine formats
# keep every column).
DROPPED_WHEN_EMPTY = frozenset({"contact"})


def _terminal_table(records, columns: Sequence[str], title, width: int):
    """A rich Table for a terminal `width` wide. Headers are in words, so a squeezed one wraps
    between them ('next contact', not 'next_c' over 'ontact'). Refs, ids and phones (copied
    whole) and columns of short single words (dates, counts, statuses: '2026-1' over '2-01'
    reads as nothing) are never folded, their headers a word a line; but only as many as
    leave the others room: a table with too many kept whole had the rest squeezed out of
    sight. So the words' minimum widths go first, then the short words are folded, then
    everything."""
    from rich import box
    from rich.console import Console
    from rich.measure import Measurement
    from rich.table import Table
    from rich.text import Text

    cells = {c: [_cell(r.get(c)) for r in records] for c in columns}
    words = {c for c in columns if all(len(v) <= 12 and " " not in v for v in cells[c])}
    copied = NO_WRAP_COLUMNS & set(columns)
    # Measured unbounded: a measurement within the screen is clamped to it, hiding the overflow.
    measuring = Console(width=10_000)
    # Each try gives the words less room, until the table fits (rich crops what does not).
    tries = [(copied | words, True), (copied | words, False), (copied, False), (set(), False)]
    shown = [[_terminal_cell(c, r.get(c)) for c in columns] for r in records]
    # The rows that set the columns' widths (each one's longest cell and longest word): drawn
    # alone, they show whether the whole table would crop a cell kept whole.
    widest: set[int] = set()
    for i in range(len(columns)) if shown else ():
        widest.add(max(range(len(shown)), key=lambda n: len(shown[n][i])))
        widest.add(max(range(len(shown)), key=lambda n: _longest_word(shown[n][i])))

    def drawn(rows, whole, room):
        # No vertical rules: at 80 columns every character goes to the data.
        table = Table(title=title, show_lines=False, header_style="bold", box=box.SIMPLE_HEAD)
        for c in columns:
            table.add_column(
                c.replace("_", "\n" if c in whole else " "), overflow="fold",
                no_wrap=c in whole, min_width=MIN_WIDTHS.get(c) if room else None,
                ratio=RATIOS.get(c),
            )  # fmt: skip
        for row in rows:
            # Text, not str: data such as "Walkers [example]" must not be read as markup.
            table.add_row(*[Text(v) for v in row])
        return table

    for whole, room in tries:
        table = drawn(shown, whole, room)
        # With room for the words, it must measure as fitting. Without, it fits when drawing
        # it cuts no cell kept whole, though it may measure wider: a long word such as
        # 'Stoke-on-Trent' is measured whole, and folds.
        if room and Measurement.get(measuring, measuring.options, table).minimum > width:
            continue
        # Measured to fit, a table can still be cropped: rich squeezes the columns that wrap
        # as it chooses, not down to their minimum widths, then crops the last column
        # ('07700 9001' for 07700 900123). Then the next try gives the words less room.
        kept = [i for i, c in enumerate(columns) if c in (whole & copied if room else whole)]
        probe = [shown[n] for n in sorted(widest)]
        if not kept or not _crops(drawn(probe, whole, room), probe, kept, width):
            break
    return table


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def _crops(table, rows, kept: list[int], width: int) -> bool:
    """Whether `table` of `rows`, drawn `width` wide, cuts a cell of the `kept` columns."""
    import io

    from rich.console import Console

    screen = io.StringIO()
    Console(file=screen, width=width, no_color=True, color_system=None).print(table)
    return any(row[i] not in screen.getvalue() for row in rows for i in kept)


def emit_table(
    records: Sequence[dict[str, Any]], columns: Sequence[str], title=None, tty_columns=None
) -> None:
    if stdout_is_tty():
        columns = [
            c for c in tty_columns or columns
            if c not in DROPPED_WHEN_EMPTY or any(_cell(r.get(c)) for r in records)
        ]  # fmt: skip
        from rich.console import Console

        console = Console(no_color=not color_allowed(sys.stdout))
        table = _terminal_table(records, columns, title, console.width)
        console.print(table)
        return
    # Plain text for pipes and files: one line per record, columns separated by two spaces,
    # multi-line cells folded onto one line.
    rows = [[_cell(r.get(c)).replace("\n", ", ") for c in columns] for r in records]
    widths = [max([len(c)] + [len(row[i]) for row in rows]) for i, c in enumerate(columns)]
    if title:
        print(title)
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for row in rows:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def emit_object(obj: dict[str, Any], fmt: str) -> None:
    """One record: JSON object, or 'field: value' lines for people."""
    if fmt in ("json", "ndjson"):
        import json

        indent = 2 if fmt == "json" else None
        print(json.dumps(obj, ensure_ascii=False, indent=indent))
    elif fmt == "csv":
        from assetmap.transfer import safecsv  # formula-safe, as every CSV assetmap writes

        writer = safecsv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(list(obj))
        writer.writerow(obj.values())
    else:
        width = max(len(k) for k in obj)
        for k, v in obj.items():
            text = _cell(v).replace("\n", "\n" + " " * (width + 2))
            print(f"{k.ljust(width)}  {text}")


class StepProgress:
    """A progress bar on stderr for a few-second job, drawn only on a terminal."""

    def __init__(self, description: str, quiet: bool = False):
        self.description = description
        self.enabled = stderr_is_tty() and not quiet
        self._progress: Any = None  # rich.progress.Progress, made on first use
        self._task: Any = None

    def __call__(self, label: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            console = Console(stderr=True, no_color=not color_allowed(sys.stderr))
            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[step]}"),
                TimeElapsedColumn(), console=console, transient=True,
            )  # fmt: skip
            self._progress.start()
            self._task = self._progress.add_task(self.description, total=total, step=label)
        self._progress.update(self._task, completed=done, step=label)
        if done >= total:
            self._progress.stop()


MIN_NOTE_START = 20  # characters of a cut note worth showing


def fold_notes(
    notes: Sequence[str], *, verbose: bool = False, width: int = 0, lead: str = ""
) -> list[str]:
    """What a command says before its results, in at most two lines of the terminal: `lead`
    (near's "Near ... showing 10 of 47" on a terminal), the warnings, then the notes, joined
    with ' · ' on one line, as many notes whole as fit in two widths, then how many more
    `--verbose` shows. The lead and the warnings are never folded away, even past two lines.
    A search said four to six lines before its table. One line, never broken by hand, so a
    note can still be found with grep; with `verbose`, every note on a line of its own."""
    notes = [" ".join(n.split()) for n in notes if n.strip()]
    warnings = [n.removeprefix("warning: ") for n in notes if n.startswith("warning: ")]
    others = [n for n in notes if not n.startswith("warning: ")]
    if verbose or not notes:
        return ([lead] if lead else []) + [f"warning: {w}" for w in warnings] + [
            f"note: {n}" for n in others
        ]  # fmt: skip
    room = 2 * (width or _stderr_width()) - 1
    said = "warning: " + " · ".join(warnings) if warnings else ""
    said = " · ".join(p for p in (lead, said) if p)
    for shown in range(len(others), 0 if others else -1, -1):  # down to one whole note
        more = len(others) - shown
        parts = [said] if said else []
        if shown:
            parts.append("note: " + " · ".join(others[:shown]))
        text = " · ".join(parts) + (f" (+{more} more: --verbose)" if more else "")
        if len(text) <= room and len(_wrap(text, room // 2)) <= 2:  # two lines between words
            return [text]
    if said and others:
        # Beside the lead (a terminal) the phrase was typed on the command line just above:
        # how it was read, and what nothing near meets, are the words kept ("read as housing
        # (sofa surfing), football; nothing near for housing"), not the phrase said back.
        others = [_unquoted(n) for n in others]
        for shown in range(len(others), 0, -1):
            more = len(others) - shown
            text = f"{said} · note: " + " · ".join(others[:shown])
            text += f" (+{more} more: --verbose)" if more else ""
            if len(text) <= room and len(_wrap(text, room // 2)) <= 2:
                return [text]
        # Not even the first note fits whole beside the lead: its start, cut at a word, so how
        # the person's words were read is still seen ('read as stay sober (off the drink), …').
        left = len(others) - 1
        suffix = f" … (+{left} more: --verbose)" if left else " … (--verbose)"
        start = f"{said} · note: "
        note = others[0]
        cut = note.rfind(" ", 0, max(room - len(start) - len(suffix), 0))
        while cut >= MIN_NOTE_START:
            text = start + note[:cut] + suffix
            if len(_wrap(text, room // 2)) <= 2:
                return [text]
            cut = note.rfind(" ", 0, cut)
    if said:  # too long even alone: the lead and every warning still whole
        return [f"{said} (+{len(others)} more: --verbose)" if others else said]
    # The first note alone is longer than two lines: cut at a word.
    text = "note: " + others[0]
    suffix = " … (--verbose)"
    cut = text.rfind(" ", 0, room - len(suffix))
    return [text[: cut if cut > 0 else room - len(suffix)] + suffix]


def _unquoted(note: str) -> str:
    """A goal's note without the phrase said back: "'sofa surfing since release' read as
    housing (sofa surfing)" -> "read as housing (sofa surfing)"; any other note as it is."""
    for said in ("' read as ", "' read loosely as "):
        at = note.find(said)
        if note.startswith("'") and at > 0:
            return note[at + 2 :]
    return note


def _stderr_width() -> int:
    """The terminal's width when stderr is one; 80 for a log or a cron mail."""
    if stderr_is_tty():
        import shutil

        return shutil.get_terminal_size((80, 24)).columns
    return 80
