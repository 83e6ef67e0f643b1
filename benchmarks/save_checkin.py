"""Child process for the "saving one check-in" row: open a journal, save check-ins, report.

    python benchmarks/save_checkin.py JOURNAL [--saves N]

Each save goes through Journal.add, the call the Today view makes. Every SQL statement of
a save is recorded with sqlite3's trace callback (to count transactions), and each save is
bracketed by two marker system calls (access() on a path that does not exist) so that
strace, watching from outside, can count the fsyncs of exactly that save. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tracker.domain.entries import Checkin
from tracker.journal import Journal

MARKER = "/onset-benchmark-marker"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("journal", type=Path)
    parser.add_argument("--saves", type=int, default=2)
    args = parser.parse_args()

    saves = []
    with Journal.open(args.journal) as journal:
        when = datetime(2030, 1, 1, 21, 0)
        for number in range(args.saves):
            statements: list[str] = []
            journal.connection.set_trace_callback(statements.append)
            os.access(f"{MARKER}/begin-{number}", os.F_OK)
            journal.add(Checkin(at=when + timedelta(days=number), anxiety=4, mood=6, note="x"))
            os.access(f"{MARKER}/end-{number}", os.F_OK)
            journal.connection.set_trace_callback(None)
            saves.append(statements)
    print(json.dumps({"saves": saves}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
