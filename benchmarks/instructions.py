"""The first window counted in CPU instructions: a figure that does not move with the load.

    python benchmarks/instructions.py [--against DIR]

Wall time on a shared 2-CPU machine moves by 20–30 % from one minute to the next, more
than most changes to start-up. Valgrind's callgrind counts the instructions a process
executes, the same on every run of the same code and data. This runs the bare-window floor
(floors/bare_qt.py) and `main.py --smoke` on the 10-year journal of `benchmarks/run.py`
once each under callgrind and prints both counts and their ratio. `--against DIR` adds
another checkout of Onset (its own main.py and its own 10-year journal in
DIR/benchmarks/out/, made by its own run.py) for a before-and-after.

Instructions are not time: waiting on the disk costs none, and an instruction can cost more
or less than another. It answers "did start-up do more or less work", not "how long".
Runs one process at a time: two windows on one journal would meet its lock.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import FLOORS, MAIN, OUT, child_env, journal_file, prepare_journals  # noqa: E402

TIMEOUT_S = 600


def instructions(command: list[str]) -> int:
    """The instructions one process executed, as callgrind counts them."""
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={Path(folder) / 'out'}",
                *command,
            ],
            env=child_env(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"{' '.join(command)} failed under valgrind:\n{done.stderr[-2000:]}")
    return int(found[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", type=Path, help="another checkout, for a before-and-after")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    if not journal_file(10).exists():
        prepare_journals()
    python = sys.executable
    rows = [("bare PySide6 window (floor)", [python, str(FLOORS / "bare_qt.py")])]
    if args.against is not None:
        other = args.against.resolve()
        journal = other / "benchmarks" / "out" / journal_file(10).name
        if not journal.exists():
            raise SystemExit(f"no {journal}: run its own benchmarks/run.py --only smoke first")
        rows.append(
            (
                f"main.py --smoke at {other}",
                [python, str(other / "main.py"), "--journal", str(journal), "--smoke"],
            )
        )
    rows.append(
        (
            "main.py --smoke, this checkout",
            [python, str(MAIN), "--journal", str(journal_file(10)), "--smoke"],
        )
    )
    # One run first, unmeasured: compiles what changed to bytecode, as an installed app has.
    for _what, command in rows:
        subprocess.run(command, env=child_env(), capture_output=True, timeout=TIMEOUT_S)
    floor = 0
    lines = ["| what | instructions | against the floor |", "|---|---|---|"]
    for what, command in rows:
        count = instructions(command)
        floor = floor or count
        lines.append(f"| {what} | {count / 1e6:,.0f} M | {count / floor:.2f}× |")
    print("\n".join(lines))
    (OUT / "instructions.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
