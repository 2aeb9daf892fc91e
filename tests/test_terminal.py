"""What a person sees in a real terminal (a pseudo-terminal 80 columns wide)."""

import os
import pty
import re
import subprocess
import sys


def on_a_terminal(*args: str, columns: int = 80) -> str:
    """Run assetmap with stdout on a pseudo-terminal, as in a practitioner's shell."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "50", "TERM": "xterm", "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "assetmap", *args], stdout=follower, stderr=subprocess.PIPE,
        env=env, timeout=120,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal has no more to give
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.returncode == 0, proc.stderr.decode()
    text = b"".join(chunks).decode().replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;]*m", "", text)  # bold headers: what is seen is the text


def add(cli, db, name, **fields):
    extra = [x for k, v in fields.items() for x in (f"--{k}", v)]
    cli("--db", str(db), "add", "--name", name, "--category", "walking group",
        "--lat", "53.45", "--lon", "-2.24", *extra)  # fmt: skip


def test_a_contact_column_with_nothing_in_it_gives_its_room_to_the_words(cli, db_file):
    add(cli, db_file, "Moss Side Striders")
    add(cli, db_file, "Alexandra Park Walkers")
    shown = on_a_terminal("--db", str(db_file), "near", "53.45,-2.24", "--goal", "walking")
    header = next(line for line in shown.splitlines() if "name / why" in line)
    assert "contact" not in header
    assert all(len(line) <= 80 for line in shown.splitlines())
    # With a contact to show, the column is there, and the phone number is whole.
    add(cli, db_file, "Hulme Walkers", phone="0161 000 1234")
    shown = on_a_terminal("--db", str(db_file), "near", "53.45,-2.24", "--goal", "walking")
    header = next(line for line in shown.splitlines() if "name / why" in line)
    assert "contact" in header and "0161 000 1234" in shown
