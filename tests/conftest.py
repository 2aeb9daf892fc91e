"""Shared fixtures: every test gets its own ASSETMAP_HOME; the gazetteer index (a derived,
rebuildable cache) is built once per session and shared.

The bundled catalogue (7,612 assets) is seeded once per session, by a real first run, and a
copy put in each test's ASSETMAP_HOME: seeding it again took 0.6-0.8 s a test. A test of the
first run itself (an empty home) is marked `first_run` and gets no copy.

Markers: `slow` for a test that starts a process (the real console script, cron, a browser) or
measures time; `pytest -m "not slow"` is the quick loop, and CI runs everything. A test that
starts a process without the mark fails, saying so."""

from __future__ import annotations

import os
import shutil
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


@pytest.fixture(scope="session")
def seeded_catalogue(tmp_path_factory, shared_cache) -> Path:
    """The catalogue a first run makes in an empty home (the bundled sources and the
    examples, as `State.catalogue` opens it), made once; tests get a copy (`isolated_env`)."""
    from assetmap.catalogue.opening import open_catalogue
    from assetmap.config import CATALOGUE_FILENAME

    path = tmp_path_factory.mktemp("seeded-home") / CATALOGUE_FILENAME
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ASSETMAP_CACHE_DIR", str(shared_cache))
        cat = open_catalogue(path, named=False)
        assert cat.created and cat.seeded >= SEED_COUNT_MIN
        cat.close()
    # Closed, so the file is whole on its own: no -wal or -shm beside it to copy.
    assert [p.name for p in path.parent.iterdir()] == [CATALOGUE_FILENAME]
    return path


@pytest.fixture(autouse=True)
def isolated_env(request, tmp_path, monkeypatch, shared_cache):
    home = tmp_path / "home"
    if request.node.get_closest_marker("first_run") is None:
        home.mkdir()
        seeded = request.getfixturevalue("seeded_catalogue")
        shutil.copyfile(seeded, home / seeded.name)
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
    if request.node.get_closest_marker("slow") is None:
        monkeypatch.setattr(subprocess.Popen, "__init__", _refuse_process(request.node.nodeid))
    return home


def _refuse_process(nodeid: str):
    """Popen for a test not marked slow: it fails, naming the fix, so the quick loop
    (`pytest -m "not slow"`) stays quick."""

    def init(self, *args, **kwargs):
        raise AssertionError(
            f"{nodeid} starts a process: mark it @pytest.mark.slow (see tests/conftest.py)"
        )

    return init


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
