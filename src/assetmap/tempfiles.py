"""Files written whole, then moved into place (export, backup): the temp file beside the
target, its name, its mode, and sweeping up after a process that was killed before it could.

A temp file is named `.assetmap-KIND-PID-HOST-RANDOM`, so the next run into the same folder
can tell one whose process is gone (same host, PID not running, or a day old) from one that is
still being written, and remove it with SQLite's `-journal` beside it. It is created with mode
0666 less the umask, as any file a user asks for; replacing a file keeps that file's mode.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import socket
import stat
import time
from pathlib import Path

STALE_AFTER_S = 24 * 3600  # another host's temp file, or one in an older naming
_KIND = re.compile(r"[a-z]+")
_NAME = re.compile(r"\.assetmap-[a-z]+-(\d+)-([A-Za-z0-9]*)-[0-9a-f]{8}(?:-journal|-wal|-shm)?")
# What tempfile.mkstemp made before this naming (export, backup, casework backup, the
# gazetteer index): swept when a day old.
_OLD_NAME = re.compile(
    r"\.assetmap-(?:export|backup|casework)-[a-z0-9_]{8}(?:-journal)?|\.gazetteer-[a-z0-9_]{8}\.tmp"
)


def kind_of(prefix: str) -> str:
    """'.assetmap-plan-' -> 'plan' (the prefix form callers used with tempfile.mkstemp)."""
    kind = prefix.removeprefix(".assetmap-").strip("-")
    return kind if _KIND.fullmatch(kind) else "export"


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:24]


def create(folder: Path, kind: str, *, private: bool = False) -> tuple[int, Path]:
    """Sweep `folder`, then open a new temp file of `kind` there: (fd, path). `private`: mode
    0600 whatever the umask (a file about a person)."""
    assert _KIND.fullmatch(kind), kind
    sweep(folder)
    while True:
        path = folder / f".assetmap-{kind}-{os.getpid()}-{_host()}-{secrets.token_hex(4)}"
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
            fd = os.open(path, flags, 0o600 if private else 0o666)
        except FileExistsError:
            continue
        return fd, path


def replace(tmp: Path, target: Path, *, private: bool = False) -> None:
    """Move the finished temp file over `target`, keeping the mode `target` had (unless
    `private`: then it stays 0600)."""
    if not private:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
    os.replace(tmp, target)


def remove(tmp: Path) -> None:
    """Remove a temp file and anything SQLite left beside it."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.unlink(f"{tmp}{suffix}")


def sweep(folder: Path) -> list[str]:
    """Remove temp files of ours in `folder` whose process is gone; return their names."""
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    host, now = _host(), time.time()
    for entry in entries:
        m = _NAME.fullmatch(entry.name)
        if not (m or _OLD_NAME.fullmatch(entry.name)) or not _stale(m, entry, host, now):
            continue
        with contextlib.suppress(OSError):  # gone already, or not ours to remove
            os.unlink(entry.path)
            removed.append(entry.name)
    return removed


def _stale(m: re.Match | None, entry: os.DirEntry, host: str, now: float) -> bool:
    if m and m.group(2) == host:
        return not _running(int(m.group(1)))
    try:
        return now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER_S
    except OSError:
        return False


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True
