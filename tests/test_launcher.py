"""The console script registers only the command it runs (start-up speed). These tests make
sure that shortcut never changes what a user sees."""

import pytest
import typer
from conftest import run_process

from assetmap.cli import app as app_module
from assetmap.cli.full_app import app


def test_every_command_is_in_the_module_map_under_the_module_that_defines_it():
    registered = {}
    for info in app.registered_commands:
        name = info.name or info.callback.__name__.replace("_", "-")
        registered[name] = info.callback.__module__
    for info in app.registered_groups:
        group = info.typer_instance
        first = group.registered_callback or group.registered_commands[0]
        registered[info.name] = first.callback.__module__
    expected = {n: f"assetmap.cli.commands.{m}" for n, m in app_module.COMMAND_MODULES.items()}
    assert registered == expected


def test_global_options_that_take_a_value_are_all_known_to_the_launcher():
    root = typer.main.get_command(app)
    with_value = {opt for p in root.params if not p.is_flag and p.name != "help" for opt in p.opts}
    assert with_value == set(app_module.GLOBAL_OPTIONS_WITH_VALUE)


def test_the_command_word_is_found_after_global_options_and_their_values():
    find = app_module.invoked_command
    assert find(["near", "ST4 7QB"]) == "near"
    # A catalogue file called "near" is the --db value, not the command.
    assert find(["--db", "near", "-q", "goals", "add", "x"]) == "goals"
    assert find(["--db=near", "--geocoder", "offline", "list"]) == "list"
    assert find(["--help"]) is None
    assert find(["--help", "near"]) is None  # the app's help, which lists every command
    assert find(["near", "--help"]) == "near"
    assert find([]) is None


@pytest.mark.slow
def test_a_lone_command_runs_with_global_options_in_a_real_process(tmp_path):
    db = tmp_path / "near"  # named like a command, on purpose
    proc = run_process(
        "--db", str(db), "--create", "-q", "near", "ST4 7QB", "--format", "json", "-n", "1"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().lstrip().startswith("[")


@pytest.mark.slow
def test_help_in_a_real_process_lists_every_command():
    for args in (["--help"], ["--help", "near"], ["-q", "--help", "goals"]):
        proc = run_process(*args, env={"COLUMNS": "200"})
        assert proc.returncode == 0
        listed = proc.stdout.decode()
        for name in app_module.COMMAND_MODULES:
            assert f"  {name} " in listed, (args, name)


@pytest.mark.slow
def test_a_mistyped_command_still_gets_a_suggestion_in_a_real_process():
    proc = run_process("nera", "ST4 7QB")
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert "No such command 'nera'" in err and "near" in err
    assert "Traceback" not in err


@pytest.mark.slow
def test_a_subcommand_of_a_group_runs_in_a_real_process(tmp_path):
    db = str(tmp_path / "c.db")
    proc = run_process("--db", db, "--create", "goals", "add", "play chess", "--tags", "chess")
    assert proc.returncode == 0, proc.stderr
    proc = run_process("--db", db, "goals", "--format", "csv")
    assert "play chess" in proc.stdout.decode()
