"""Where `assetmap` (the console script) and `python -m assetmap` start. Its first instruction
makes Ctrl-C exit 130 quietly, before anything heavy is imported, so an interrupt while the CLI
is still loading (the first ~100 ms) never prints a traceback. Then it loads and runs the CLI."""

# The C module, loaded with the interpreter: `import signal` first builds its enums, a few ms in
# which Ctrl-C still printed a traceback (tests/test_faults.py caught it). `os` is loaded too.
import _signal
import os


def _interrupted(signum, frame):
    if _importing(frame):
        # An exception raised inside an import can be swallowed ("Exception ignored in ...",
        # then the run goes on) or rewrapped (RuntimeError from __set_name__); and nothing is
        # being written yet that would need undoing. Leave at once.
        os._exit(130)
    # SystemExit, not KeyboardInterrupt: nothing prints it, and every `finally` and
    # `except BaseException` still runs, so an import in progress is rolled back.
    raise SystemExit(130)


def _importing(frame) -> bool:
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


_signal.signal(_signal.SIGINT, _interrupted)


def main() -> None:
    try:
        from assetmap.cli.app import main as run

        run()
    finally:
        # On the way out, a late Ctrl-C must not interrupt the last flush with a traceback.
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
