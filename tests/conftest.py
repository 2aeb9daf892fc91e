"""Shared fixtures: every test gets its own ASSETMAP_HOME; the gazetteer index (a derived,
rebuildable cache) is built once per session and shared.

The bundled catalogue (7,612 assets) is seeded once per session, by a real first run, and a
copy put in each test's ASSETMAP_HOME: seeding it again took 0.6-0.8 s a test. A test of the
first run itself (an empty home) is marked `first_run` and gets no copy.

Markers: `slow` for a test that starts a process (the real console script, cron, a browser),
measures time, or checks the whole bundled catalogue where a spread of it is checked in the
quick loop too; `pytest -n auto -m "not slow"` is the quick loop, and CI runs everything. A test that
starts a process without the mark fails, saying so.

Property tests (Hypothesis) try a tenth of their examples in the quick loop (the profile
`quick`; tests/hypothesis_budget.py) and all of them in the whole suite. HYPOTHESIS_PROFILE or
--hypothesis-profile chooses another profile (`default`, or `ci` as Hypothesis loads on CI)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from assetmap.cli.full_app import app

SEED_COUNT_MIN = 300

settings.register_profile("quick", max_examples=10)


def pytest_configure(config):
    """The quick loop (`-m "not slow"`) loads the Hypothesis profile `quick`, unless a profile
    is chosen (--hypothesis-profile, which Hypothesis' plugin loads, or HYPOTHESIS_PROFILE)."""
    if config.getoption("hypothesis_profile", None):
        return
    chosen = os.environ.get("HYPOTHESIS_PROFILE")
    if chosen:
        settings.load_profile(chosen)
    elif " ".join(config.getoption("markexpr", "").split()) == "not slow":
        settings.load_profile("quick")


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
    isolate(monkeypatch, tmp_path, shared_cache)
    if request.node.get_closest_marker("slow") is None:
        monkeypatch.setattr(subprocess.Popen, "__init__", _refuse_process(request.node.nodeid))
    return home


def isolate(mp: pytest.MonkeyPatch, folder: Path, shared_cache: Path) -> None:
    """The environment every test runs in: ASSETMAP_HOME is folder/home, nothing of the real
    user's. A module- or session-scoped fixture uses it with `pytest.MonkeyPatch.context()`."""
    mp.setenv("ASSETMAP_HOME", str(folder / "home"))
    mp.setenv("ASSETMAP_CACHE_DIR", str(shared_cache))
    # The casework key goes in the config directory: never the real one from a test.
    mp.setenv("ASSETMAP_CONFIG_DIR", str(folder / "config"))
    for var in (
        "ASSETMAP_DB", "ASSETMAP_GEOCODER", "NO_COLOR", "ASSETMAP_CASEWORK",
        "ASSETMAP_CASEWORK_KEY", "ASSETMAP_FOLLOW_UPS", "ASSETMAP_CASEWORK_RETENTION",
    ):  # fmt: skip
        mp.delenv(var, raising=False)
    # Rich tables are only drawn on a terminal; keep any rich output wide and plain.
    mp.setenv("COLUMNS", "200")


def seeded_copy(seeded_catalogue: Path, folder: Path) -> Path:
    """A copy of the session's seeded catalogue in folder/home, for a fixture wider than one
    test (tests' own homes get theirs from `isolated_env`)."""
    home = folder / "home"
    home.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(seeded_catalogue, home / seeded_catalogue.name))


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
