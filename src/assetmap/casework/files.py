"""Private files: created 0600 whatever the umask, and refused when others can read them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from assetmap.errors import CaseworkError


def make_private(fd: int) -> None:
    """Owner read/write only. Explicit, because the mode given to open() is cut by the umask
    (and a umask such as 0277 would even leave the owner unable to write)."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o600)


def check_private(path: Path, what: str) -> None:
    """Refuse a file that its group or other users can read or write."""
    if os.name == "nt":
        return  # no POSIX modes; the user's profile folder is private by default
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError as exc:
        raise CaseworkError(f"could not read the {what} {path}: {exc.strerror}") from None
    if mode & 0o077:
        raise CaseworkError(
            f"the {what} {path} can be read or changed by other users (mode {mode:04o}); "
            f"make it private with `chmod 600 {path}` and check who has seen it"
        )
