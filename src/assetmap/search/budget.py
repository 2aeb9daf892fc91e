"""Bounds on the work one search does: the words a free-text goal is searched for, and the
time its SQLite queries may take, with Ctrl-C honoured inside them.

A goal of many short words ("a a a ...") made the full-text query grow steeply (400 words: 8.8 s)
and, running in C, it never saw Ctrl-C (47.6 s at 1,000 words). Now the words are cleaned and
capped before they reach FTS5, and a progress handler stops any query on Ctrl-C or when the
time budget is spent."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from assetmap.errors import AssetmapError

# The words of a free-text goal searched for, at most: more only slow the query down (every
# word must match) without finding anything a few of them do not.
MAX_WORDS = 8
# Words that say nothing about a place: left out of full-text searches, as one-letter words are.
STOP_WORDS = frozenset(
    """about after all am an and any are as at be been but by can could did do does for from
    had has have he her him his how i if in into is it its just me my no not of on or our out
    over she so some than that the their them then there these they this those to too up us
    very was we were what when where which who will with would you your""".split()  # noqa: SIM905
)
# The longest a search's queries may run (ASSETMAP_SEARCH_SECONDS overrides it).
SEARCH_SECONDS = 10.0
# SQLite calls the progress handler every this many virtual-machine steps: about every
# 30 ms in a heavy full-text query on a loaded 2-core machine (Ctrl-C within 0.5 s).
PROGRESS_STEPS = 1000


class SearchTooLong(AssetmapError):
    """A search ran past its time budget and was stopped."""


def search_words(text: str) -> tuple[list[str], bool]:
    """The words of `text` worth a full-text search: lower case, letters and digits, without
    one-letter words and stop-words, each once, at most MAX_WORDS. Returns (words, whether
    some were left out by the cap)."""
    words: dict[str, None] = {}
    for word in "".join(c if c.isalnum() else " " for c in text.lower()).split():
        if len(word) > 1 and word not in STOP_WORDS:
            words[word] = None
    kept = list(words)
    return kept[:MAX_WORDS], len(kept) > MAX_WORDS


def budget_seconds() -> float:
    text = os.environ.get("ASSETMAP_SEARCH_SECONDS", "")
    try:
        seconds = float(text) if text else SEARCH_SECONDS
    except ValueError:
        return SEARCH_SECONDS
    return seconds if seconds >= 0 else SEARCH_SECONDS


@contextmanager
def bounded(conn: sqlite3.Connection, seconds: float | None = None) -> Iterator[None]:
    """Run a search's queries under a time budget, with Ctrl-C stopping a query at once.

    Python runs a signal handler only between its own instructions, never inside a query
    (SQLite's C code). A progress handler is Python called from inside the query: a Ctrl-C
    that lands there stops the query (SQLite: 'interrupted'), and then the usual Ctrl-C
    handler runs (exit 130, quietly). A budget spent stops it too, with one line."""
    import signal

    seconds = budget_seconds() if seconds is None else seconds
    deadline = time.monotonic() + seconds
    state = {"interrupted": False, "expired": False}

    def progress() -> int:
        if state["interrupted"]:
            return 1
        if time.monotonic() > deadline:
            state["expired"] = True
            return 1
        return 0

    def on_sigint(signum, frame):
        if previous == signal.SIG_IGN:
            return
        if frame is not None and frame.f_code is progress.__code__:
            state["interrupted"] = True  # inside a query: stop it, then act as usual below
        elif callable(previous):
            previous(signum, frame)
        else:
            raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread: no signal handler of ours
        previous = None
    conn.set_progress_handler(progress, PROGRESS_STEPS)
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "interrupted" not in str(exc) or state["interrupted"]:
            raise
        if state["expired"]:
            raise SearchTooLong(
                f"the search was stopped after {seconds:g} s; give fewer or more precise "
                "goals, a smaller --within, or more time (ASSETMAP_SEARCH_SECONDS)"
            ) from None
        raise
    finally:
        conn.set_progress_handler(None, 0)
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
        if state["interrupted"]:
            signal.raise_signal(signal.SIGINT)  # the usual Ctrl-C: exit 130, quietly
