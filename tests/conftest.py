"""Shared fixtures: every test gets its own ASSETMAP_HOME; the gazetteer index (a derived,
rebuildable cache) is built once per session and shared."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assetmap.cli.full_app import app

SEED_COUNT_MIN = 300


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("assetmap-cache")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch, shared_cache):
    home = tmp_path / "home"
    monkeypatch.setenv("ASSETMAP_HOME", str(home))
    monkeypatch.setenv("ASSETMAP_CACHE_DIR", str(shared_cache))
    # The casework key goes in the config directory: never the real one from a test.
    monkeypatch.setenv("ASSETMAP_CONFIG_DIR", str(tmp_path / "config"))
    for var in (
        "ASSETMAP_DB", "ASSETMAP_GEOCODER", "NO_COLOR", "ASSETMAP_CASEWORK",
        "ASSETMAP_CASEWORK_KEY", "ASSETMAP_FOLLOW_UPS", "ASSETMAP_CASEWORK_RETENTION",
    ):  # fmt: skip
        monkeypatch.delenv(var, raising=False)
    # Rich tables are only drawn on a terminal; keep any rich output wide and plain.
    monkeypatch.setenv("COLUMNS", "200")
    return home


@pytest.fixture
def home(isolated_env) -> Path:
    return isolated_env


class Cli:
    """Runs the real Typer app in-process; `run` asserts the exit code."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, code: int | None = 0):
        result = self.runner.invoke(app, list(args), input=input)
        if code is not None:
            assert result.exit_code == code, (
                f"exit {result.exit_code} != {code}\nstdout: {result.stdout}\n"
                f"stderr: {result.stderr}\nexception: {result.exception!r}"
            )
        return result


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def db_file(tmp_path) -> Path:
    """An explicit --db path for a catalogue with no assets (vocabularies only)."""
    path = tmp_path / "test.db"
    Cli()("--db", str(path), "init", "--empty")
    return path


def run_process(*args: str, input: bytes | None = None, env: dict | None = None, timeout=120):
    """Run assetmap in a real subprocess (python -m assetmap), as cron would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "assetmap", *args],
        input=input,
        capture_output=True,
        env=full_env,
        timeout=timeout,
    )
