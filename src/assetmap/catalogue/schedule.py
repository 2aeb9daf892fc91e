"""Parse the `schedule` field ("Sat 10:00-12:00; Mon-Fri 09:00-17:00") into sessions.

A session is (day, start, end): day 0 = Monday, times in minutes after midnight. Days and times
are written the way people write them in a spreadsheet: "Saturday", "sat", "Tue-Thu",
"Mon,Wed", "daily"; "18:30", "6.30pm", "10am", "12noon". An evening session that runs past
midnight ("Fri 22:00-02:00") ends after 24:00 (end > 1440) on the day it starts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from assetmap.errors import InvalidValue

DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_DAY_ALIASES = {
    **{d: i for i, d in enumerate(DAY_NAMES)},
    **{
        n: i
        for i, n in enumerate(
            ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        )
    },
    **{n: i for i, n in enumerate(["mo", "tu", "we", "th", "fr", "sa", "su"])},
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
FORMAT_HINT = "write sessions like 'Sat 10:00-12:00; Mon-Fri 09:00-17:00'"


class Session(NamedTuple):
    day: int
    start: int
    end: int

    def __str__(self) -> str:
        return f"{DAY_NAMES[self.day].title()} {fmt_time(self.start)}-{fmt_time(self.end)}"


DAY = 24 * 60


def fmt_time(minutes: int) -> str:
    """Clock time; a session's end past midnight shows as the next day's clock ('02:00')."""
    if minutes > DAY:
        minutes -= DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_day(text: str) -> int:
    key = text.strip().lower().rstrip(".")
    if key.endswith("s") and key[:-1] in _DAY_ALIASES:  # "Saturdays"
        key = key[:-1]
    if key not in _DAY_ALIASES:
        raise InvalidValue(
            f"'{text.strip()}' is not a day; use mon, tue, wed, thu, fri, sat or sun"
        )
    return _DAY_ALIASES[key]


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|noon|midday)?$")


def parse_time(text: str) -> int:
    """'18:30', '6.30pm', '10am', '12noon' -> minutes after midnight."""
    t = text.strip().lower().replace(" ", "")
    if t in ("noon", "midday"):
        return 12 * 60
    m = _TIME.match(t)
    if not m:
        raise InvalidValue(f"'{text.strip()}' is not a time; use 24-hour HH:MM, e.g. 18:30")
    hour, minute, suffix = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if suffix == "pm" and hour < 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise InvalidValue(f"'{text.strip()}' is not a time of day; use 24-hour HH:MM, e.g. 18:30")
    return hour * 60 + minute


def parse_days(text: str) -> list[int]:
    """'Mon-Fri', 'mon,wed', 'weekdays', 'weekend', 'daily', 'Fri-Mon' -> day numbers."""
    text = text.strip().lower()
    if text in ("daily", "every day", "everyday", "mon-sun", "any", "all"):
        return list(range(7))
    if text in ("weekdays", "weekday"):
        return list(range(5))
    if text in ("weekends", "weekend"):
        return [5, 6]
    days: list[int] = []
    for part in re.split(r"\s*(?:,|&|\band\b)\s*", text):
        if not part:
            continue
        if "-" in part or "–" in part:
            a, b = re.split(r"\s*[-–]\s*", part, maxsplit=1)
            start, end = parse_day(a), parse_day(b)
            span = range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)]
            days.extend(span)
        else:
            days.append(parse_day(part))
    if not days:
        raise InvalidValue(f"no day given; {FORMAT_HINT}")
    return days


_ENTRY = re.compile(
    r"^(?P<days>[A-Za-z][A-Za-z ,&\-–]*?)\s+(?P<start>[0-9][0-9:.]*\s*(?:am|pm|noon)?|noon)"
    r"\s*[-–]\s*(?P<end>[0-9][0-9:.]*\s*(?:am|pm|noon)?|noon)$",
    re.IGNORECASE,
)


def parse(text: str | None) -> list[Session]:
    """Parse a whole schedule; raise InvalidValue naming the entry that could not be read."""
    if text is None or not text.strip():
        return []
    return list(_parse(text))


# Read an end before the start as "past midnight" only for evening-into-night sessions; any
# other backwards time ("Sat 12:00-10:00") is far likelier a typing slip, and stays an error.
_OVERNIGHT_START, _OVERNIGHT_END = 16 * 60, 8 * 60


@lru_cache(maxsize=4096)  # catalogues repeat the same few schedules many times
def _parse(text: str) -> tuple[Session, ...]:
    sessions: list[Session] = []
    for entry in re.split(r"\s*;\s*", text.strip()):
        if not entry:
            continue
        m = _ENTRY.match(entry.strip())
        if not m:
            raise InvalidValue(f"could not read '{entry}'; {FORMAT_HINT}")
        try:
            days = parse_days(m.group("days"))
            start, end = _twelve_hour_times(entry, m.group("start"), m.group("end"))
        except InvalidValue as exc:
            raise InvalidValue(f"in '{entry}': {exc}") from None
        if end <= start and start >= _OVERNIGHT_START and end <= _OVERNIGHT_END:
            end += DAY  # an evening that runs past midnight, e.g. "Fri 22:00-02:00"
        elif end <= start:
            raise InvalidValue(
                f"in '{entry}': the session ends before it starts (a session past midnight "
                "starts from 16:00 and ends by 08:00, e.g. 'Fri 22:00-02:00')"
            )
        sessions.extend(Session(d, start, end) for d in days)
    return tuple(sessions)


HALF_DAY = 12 * 60
# A time a 12-hour clock could have written: no am/pm and an hour of 1-12 with no leading zero
# ('7', '7.30'); a time with a colon ('7:30', '07:00', '19:00') is read on the 24-hour clock.
_TWELVE_HOUR = re.compile(r"\s*(?:[1-9]|1[0-2])(?:\.\d{2})?\s*")
# The latest start that an evening reading of a 12-hour session could have: "7-9" may be
# 19:00-21:00, but nobody writes "10-12" for 22:00-24:00.
_LATEST_EVENING_START = 20 * 60


def _twelve_hour_times(entry: str, start_text: str, end_text: str) -> tuple[int, int]:
    """A session's start and end, reading times written on a 12-hour clock as people mean
    them: '7-9pm' is 19:00-21:00, '9-5' is 09:00-17:00, '10-2' is 10:00-14:00. A session both
    of whose times could be morning or evening ('Wed 7-9': 07:00-09:00 or 19:00-21:00) is
    refused, naming both: stored as 07:00-09:00 without a word, it was never found by an
    evening search."""
    start, end = parse_time(start_text), parse_time(end_text)
    start_12, end_12 = _TWELVE_HOUR.fullmatch(start_text), _TWELVE_HOUR.fullmatch(end_text)
    if start_12 and end_text.strip().lower().endswith("pm") and start + HALF_DAY < end:
        return start + HALF_DAY, end  # "7-9pm"
    if end_12 and end <= start < end + HALF_DAY:
        return start, end + HALF_DAY  # "9-5", "7pm-9", "12-2"
    if start_12 and end_12 and start < end and start + HALF_DAY <= _LATEST_EVENING_START:
        days = entry[: entry.index(start_text.strip())].strip()
        am = f"{fmt_time(start)}-{fmt_time(end)}"
        pm = f"{fmt_time(start + HALF_DAY)}-{fmt_time(end + HALF_DAY)}"
        raise InvalidValue(
            f"'{start_text.strip()}-{end_text.strip()}' could be {am} or {pm}; write the one "
            f"meant in 24-hour time, e.g. '{days} {pm}'"
        )
    return start, end


@lru_cache(maxsize=4096)
def normalise(text: str | None) -> str:
    """Canonical text for a schedule: 'saturday 10am-12noon' -> 'Sat 10:00-12:00'.
    Days with the same times are grouped back into ranges ('Mon-Fri 09:00-17:00')."""
    sessions = parse(text)
    by_time: dict[tuple[int, int], list[int]] = {}
    for s in sessions:
        days = by_time.setdefault((s.start, s.end), [])
        if s.day not in days:
            days.append(s.day)
    parts = []
    for (start, end), days in by_time.items():
        parts.append(f"{_fmt_days(sorted(days))} {fmt_time(start)}-{fmt_time(end)}")
    return "; ".join(parts)


def _fmt_days(days: list[int]) -> str:
    runs: list[list[int]] = []
    for d in days:
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    out = []
    for run in runs:
        if len(run) >= 3:
            out.append(f"{DAY_NAMES[run[0]].title()}-{DAY_NAMES[run[-1]].title()}")
        else:
            out.extend(DAY_NAMES[d].title() for d in run)
    return ",".join(out)
