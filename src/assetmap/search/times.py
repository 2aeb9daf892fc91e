"""When the person can go: `--day`, `--at`, `--after`, `--before`, `--daytime`, `--evening` as
one Times filter, and whether an asset's weekly sessions fit it.

Days are 0-6 (Monday 0), times minutes after midnight. A session past midnight ("Fri
22:00-02:00") counts on Friday until midnight and on Saturday from midnight to its end.
"""

from __future__ import annotations

import datetime as dt

from assetmap.errors import InvalidValue

# Parts of the day people name, as (start, end) windows; a session fits when it overlaps one.
WINDOWS = {
    "morning": (9 * 60, 12 * 60),
    "afternoon": (12 * 60, 17 * 60),
    "daytime": (9 * 60, 17 * 60),
    "daytimes": (9 * 60, 17 * 60),
    "day": (9 * 60, 17 * 60),
    "evening": (17 * 60, 22 * 60),
    "evenings": (17 * 60, 22 * 60),
    "night": (17 * 60, 22 * 60),
}
DAY = 24 * 60
_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Times:
    """What a search asks of an asset's times; `strict` drops assets with no recorded times."""

    __slots__ = ("days", "at", "after", "before", "window", "window_name", "strict")

    def __init__(
        self, *, days: frozenset[int] | None = None, at: int | None = None,
        after: int | None = None, before: int | None = None,
        window: tuple[int, int] | None = None, window_name: str = "", strict: bool = False,
    ) -> None:  # fmt: skip
        self.days = days
        self.at = at
        self.after = after
        self.before = before
        self.window = window
        self.window_name = window_name
        self.strict = strict

    def active(self) -> bool:
        return any(
            v is not None for v in (self.days, self.at, self.after, self.before, self.window)
        )

    def fits(self, sessions) -> bool:
        """True when one session meets every condition asked (on the same day)."""
        return any(self._fits(s) for s in sessions)

    def _fits(self, s) -> bool:
        pieces: tuple[tuple[int, int, int, bool], ...]
        if s.end > DAY:  # split at midnight: the evening, then the early hours of the next day
            pieces = ((s.day, s.start, DAY, True), ((s.day + 1) % 7, 0, s.end - DAY, False))
        else:
            pieces = ((s.day, s.start, s.end, True),)
        for day, start, end, first in pieces:
            if self.days is not None and day not in self.days:
                continue
            if self.at is not None and not (start <= self.at < end):
                continue
            if self.after is not None and end <= self.after:
                continue
            # "ends by 17:00": the whole session is over by then, on the day it starts.
            if self.before is not None and not (first and s.end <= self.before):
                continue
            if self.window is not None and not (start < self.window[1] and end > self.window[0]):
                continue
            return True
        return False

    def describe(self) -> str:
        parts = []
        if self.days is not None:
            parts.append(fmt_days(self.days))
        elif self.at is not None or self.window is not None:
            parts.append("any day")
        if self.window is not None:
            parts.append(f"{self.window_name} ({_clock(self.window[0])}-{_clock(self.window[1])})")
        if self.at is not None:
            parts.append(f"running at {_clock(self.at)}")
        if self.after is not None:
            parts.append(f"still running after {_clock(self.after)}")
        if self.before is not None:
            parts.append(f"over by {_clock(self.before)}")
        return ", ".join(parts)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def fmt_days(days) -> str:
    days = sorted(days)
    if days == [0, 1, 2, 3, 4]:
        return "weekdays (Mon-Fri)"
    if days == [5, 6]:
        return "the weekend (Sat, Sun)"
    if len(days) == 7:
        return "any day"
    return ", ".join(_NAMES[d] for d in days)


def parse_days(text: str, now: dt.datetime) -> frozenset[int]:
    """'weekdays', 'weekend', 'mon-fri', 'mon,wed', 'sat', 'today', 'tomorrow'."""
    from assetmap.catalogue import schedule

    key = " ".join(text.strip().lower().split())
    if not key.strip(" ,&"):  # the schedule parser's hint is for a session, not a day
        raise InvalidValue(
            "no day given; use a day (sat), a range (mon-fri), a list (mon,wed), weekdays, "
            "weekend or today"
        )
    if key == "today":
        return frozenset({now.weekday()})
    if key == "tomorrow":
        return frozenset({(now.weekday() + 1) % 7})
    days = schedule.parse_days(key)
    return frozenset(days)


def build(
    *, day: str | None = None, at: str | None = None, after: str | None = None,
    before: str | None = None, daytime: bool = False, evening: bool = False,
    strict: bool = False, now: dt.datetime | None = None,
) -> tuple[Times, list[str]]:  # fmt: skip
    """Parse the time options into Times, and notes on how they were read. Errors name the option."""
    from assetmap.catalogue import schedule

    now = now or dt.datetime.now()
    notes: list[str] = []

    def option(name, fn, *args):
        try:
            return fn(*args)
        except InvalidValue as exc:
            raise InvalidValue(f"--{name}: {exc}") from None

    days = option("day", parse_days, day, now) if day is not None else None
    at_min, window, window_name = None, None, ""
    if at is not None:
        key = at.strip().lower()
        if key == "now":
            at_min = now.hour * 60 + now.minute
            if days is None:  # "now" is today's clock: read it as today
                days = frozenset({now.weekday()})
        elif key in WINDOWS:
            window, window_name = WINDOWS[key], key.rstrip("s")
        else:
            at_min = option("at", schedule.parse_time, at)
    if daytime and evening:
        raise InvalidValue("--daytime and --evening: choose one (or --at for a time)")
    for flag, name in ((daytime, "daytime"), (evening, "evening")):
        if flag:
            if window is not None and window_name != name:
                raise InvalidValue(f"--{name} and --at {window_name}: choose one")
            window, window_name = WINDOWS[name], name
    times = Times(
        days=days,
        at=at_min,
        after=option("after", schedule.parse_time, after) if after is not None else None,
        before=option("before", schedule.parse_time, before) if before is not None else None,
        window=window,
        window_name=window_name,
        strict=strict,
    )
    if times.at is not None and times.before is not None and times.before <= times.at:
        raise InvalidValue("--before: it must be later than --at")
    if times.active():
        if days is None and (times.at is not None or window is not None):
            notes.append("no --day given, so any day of the week counts")
        notes.append(f"times: {times.describe()}")
    return times, notes
