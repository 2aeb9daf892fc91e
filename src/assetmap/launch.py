"""Where `assetmap` (the console script) and `python -m assetmap` start. Its first instruction
makes Ctrl-C exit 130 quietly, before anything heavy is imported, so an interrupt while the CLI
is still loading (the first ~100 ms) never prints a traceback. Then it loads and runs the CLI."""

import signal as _signal  # built in, already loaded: nothing runs before the handler but this


def _interrupted(signum, frame):
    # SystemExit, not KeyboardInterrupt: nothing prints it, and every `finally` and
    # `except BaseException` still runs, so an import in progress is rolled back.
    raise SystemExit(130)


_signal.signal(_signal.SIGINT, _interrupted)


def main() -> None:
    try:
        from assetmap.cli.app import main as run

        run()
    finally:
        # On the way out, a late Ctrl-C must not interrupt the last flush with a traceback.
        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
