"""`python tests/racer.py ARGS`: a real assetmap process (`assetmap ARGS`) that says on stderr,
"racer: taking the write lock", when it first asks SQLite for the write lock (BEGIN
IMMEDIATE). The race tests (tests/test_faults.py) and benchmarks/fault_campaign.py release a
held lock only once every racer has said so, so what each racer read before that moment is
what it read: no sleeps, no timing."""

import sqlite3
import sys

MARK = "racer: taking the write lock"
_connect = sqlite3.connect
_said = []


class _Marked(sqlite3.Connection):
    def execute(self, sql, *args):
        if sql.lstrip().upper().startswith("BEGIN IMMEDIATE") and not _said:
            _said.append(1)
            sys.stderr.write(MARK + "\n")
            sys.stderr.flush()
        return super().execute(sql, *args)


def _connect_marked(*args, **kwargs):
    kwargs.setdefault("factory", _Marked)
    return _connect(*args, **kwargs)


if __name__ == "__main__":
    sqlite3.connect = _connect_marked
    sys.argv = ["assetmap", *sys.argv[1:]]
    from assetmap.launch import main

    main()
