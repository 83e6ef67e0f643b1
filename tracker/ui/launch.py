"""Start the desktop app: parse the window's arguments, open the journal, show the window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="onset", description="Onset journal")
    parser.add_argument("--journal", type=Path, default=None, metavar="PATH")
    parser.add_argument(
        "--smoke", action="store_true", help="open the window, wait until it is idle, quit with 0"
    )
    return parser.parse_args(list(argv))


def run_gui(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox

    from tracker.journal import Journal
    from tracker.paths import default_journal
    from tracker.storage.errors import JournalError

    app = QApplication.instance() or QApplication(sys.argv[:1])
    path = args.journal or default_journal()
    try:
        journal = Journal.open(path, create=True)
    except JournalError as exc:
        if args.smoke:
            print(f"onset: {exc}", file=sys.stderr)
            return 1
        QMessageBox.critical(None, "Onset", str(exc))
        return 1
    window = QMainWindow()
    window.setWindowTitle("Onset")
    window.setCentralWidget(QLabel(f"Journal: {journal.path}"))
    window.resize(900, 600)
    window.show()
    if args.smoke:
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    journal.close()
    return int(code)
