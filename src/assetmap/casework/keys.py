"""The casework key: encrypts case references (AES-256-GCM) and keys their look-up hash
(HMAC-SHA256). It lives in the user's config directory, apart from the casework file and the
catalogue, mode 0600, created on first use. The cryptography is the `cryptography` package's;
this module only stores and uses the key. Imported by casework commands only (it costs ~50 ms)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path
from typing import cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from assetmap.casework.files import check_private, make_private
from assetmap.errors import CaseworkError, counted

_HEADER = "assetmap-casework-key-1"
_AAD = b"assetmap case reference"
_NONCE = 12


class Key:
    """Two 32-byte halves: one for AES-GCM, one for HMAC, so neither use weakens the other."""

    def __init__(self, secret: bytes, path: Path):
        self._aead = AESGCM(secret[:32])
        self._mac_key = secret[32:]
        self.path = path

    def lookup(self, ref: str) -> bytes:
        """The keyed hash a case is found by: without the key, a short reference cannot be
        recovered from it by trying every possible one."""
        return hmac.new(self._mac_key, ref.encode(), hashlib.sha256).digest()

    def encrypt(self, ref: str) -> bytes:
        nonce = secrets.token_bytes(_NONCE)
        return nonce + self._aead.encrypt(nonce, ref.encode(), _AAD)

    def decrypt(self, blob: bytes) -> str:
        try:
            return self._aead.decrypt(blob[:_NONCE], blob[_NONCE:], _AAD).decode()
        except InvalidTag:
            raise CaseworkError(
                f"a case reference could not be decrypted with the key {self.path}; the casework "
                "file was changed or mixed with another one: restore both from the same backup"
            ) from None

    def fingerprint(self) -> str:
        """Stored in the casework file to tell the right key from another one; reveals nothing."""
        return hmac.new(self._mac_key, b"assetmap key check", hashlib.sha256).hexdigest()[:32]


def load(path: Path) -> Key | None:
    """The key at `path`, or None when there is none."""
    if not path.exists():
        return None
    check_private(path, "casework key")
    try:
        header, text = path.read_text(encoding="ascii").split()
        secret = base64.urlsafe_b64decode(text)
    except (ValueError, UnicodeDecodeError):
        header, secret = "", b""
    if header != _HEADER or len(secret) != 64:
        raise CaseworkError(
            f"{path} is not an assetmap casework key; restore it from your backup of the key"
        )
    return Key(secret, path)


def create_key(path: Path) -> tuple[Key, bool]:
    """Make a new key, mode 0600 whatever the umask, written whole or not at all; when another
    process made one meanwhile, that one is used. Returns the key and whether it is new."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise CaseworkError(
            f"could not create {path.parent} for the casework key: {exc.strerror}"
        ) from None
    secret = secrets.token_bytes(64)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    tmp = Path(name)
    try:
        make_private(fd)
        os.write(fd, f"{_HEADER} {base64.urlsafe_b64encode(secret).decode()}\n".encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # fails if a key appeared meanwhile: never replace a key
    except FileExistsError:
        return cast(Key, load(path)), False  # the key that appeared meanwhile
    finally:
        tmp.unlink(missing_ok=True)
    return Key(secret, path), True


def unlock(cw, path: Path, *, create: bool, info=None) -> Key | None:
    """The key for the casework file `cw`, checked against the fingerprint stored in it.

    With no key yet: a new one when `create` (saying so through `info`), else None. A file that
    holds introductions is never given a new key: without its own key it cannot be read.
    """
    # The file first, then the key: a key is always written before the fingerprint that names
    # it, so a process starting alongside a first use never sees a fingerprint without its key.
    stored = cw.meta("key_fingerprint")
    held = cw.count() if stored else 0
    key = load(path)
    if key is None:
        if held:
            raise CaseworkError(
                f"the casework key {path} is missing, and the casework file {cw.path} needs it "
                f"for its {counted(held, 'introduction')}: restore the key from your backup of it (to {path}, "
                f"mode 0600), or start anew by deleting {cw.path}"
            )
        if not create:
            return None
        key, made = create_key(path)
        if made and info:
            info(
                f"assetmap: created the casework key {path}; back it up apart from the casework "
                "file: without it the case references cannot be read"
            )
    if stored != key.fingerprint():
        if held:
            raise CaseworkError(
                f"the casework key {path} is not the one the casework file {cw.path} was made "
                f"with: restore that key from your backup, or start anew by deleting {cw.path}"
            )
        cw.set_meta("key_fingerprint", key.fingerprint())
    return key
