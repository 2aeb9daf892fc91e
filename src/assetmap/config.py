"""Where assetmap keeps its files. One function per location, each with an env override."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "assetmap"
CATALOGUE_FILENAME = "catalogue.db"


def _platform_dir(kind: str) -> Path:
    """The per-user data or cache directory, without importing platformdirs or click."""
    home = Path.home()
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / APP_NAME / ("Cache" if kind == "cache" else "")
    if kind == "cache":
        return Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / APP_NAME
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / APP_NAME


def home_dir() -> Path:
    """The data directory: $ASSETMAP_HOME, else the user data directory."""
    env = os.environ.get("ASSETMAP_HOME")
    return Path(env).expanduser() if env else _platform_dir("data")


def default_db_path() -> Path:
    return home_dir() / CATALOGUE_FILENAME


def resolve_db_path(explicit: str | None) -> tuple[Path, bool]:
    """The catalogue path and whether the user named it (--db / $ASSETMAP_DB).

    A named path's directory must exist; the default one is created on first use.
    """
    if explicit:
        return Path(explicit).expanduser(), True
    return default_db_path(), False


def cache_dir() -> Path:
    """Where derived, rebuildable files live (the gazetteer index): $ASSETMAP_CACHE_DIR,
    else $ASSETMAP_HOME/cache when that is set, else the user cache directory."""
    env = os.environ.get("ASSETMAP_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    if os.environ.get("ASSETMAP_HOME"):
        return home_dir() / "cache"
    return _platform_dir("cache")


def config_dir() -> Path:
    """Where the user's settings and secrets live: $ASSETMAP_CONFIG_DIR, else the user config
    directory (~/.config/assetmap on Linux). Deliberately not under $ASSETMAP_HOME: the casework
    key must not travel with the files it protects."""
    env = os.environ.get("ASSETMAP_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    if os.name == "nt":
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / APP_NAME
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / APP_NAME


def casework_key_path() -> Path:
    """The casework key: $ASSETMAP_CASEWORK_KEY, else casework.key in the config directory."""
    env = os.environ.get("ASSETMAP_CASEWORK_KEY")
    return Path(env).expanduser() if env else config_dir() / "casework.key"


def casework_path(catalogue: Path) -> Path:
    """The casework file: $ASSETMAP_CASEWORK, else beside the catalogue, named after it
    (catalogue.db -> catalogue.casework.db), so each catalogue has its own."""
    env = os.environ.get("ASSETMAP_CASEWORK")
    if env:
        return Path(env).expanduser()
    return catalogue.with_name(f"{catalogue.stem}.casework.db")
