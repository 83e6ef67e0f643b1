"""What the crash drivers share: start Onset as `python main.py --journal J` does, wait for
its window, hand it to `typed`, and let `typed` kill the process once its draft is kept.

A driver is run as a script by a test (tests/ui/app/checkin_draft_driver.py,
tests/ui/dialogs/session_draft_driver.py); its process dies by SIGKILL, a crash with
nothing saved.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tracker.app import main
from tracker.ui.app.main_window import MainWindow


def die_once(kept: Callable[[], bool]) -> None:
    """SIGKILL this process as soon as `kept()` says the draft is in the journal."""

    def check() -> None:
        if not kept():
            QTimer.singleShot(50, check)
            return
        os.kill(os.getpid(), signal.SIGKILL)

    QTimer.singleShot(50, check)


def run(typed: Callable[[MainWindow], None]) -> int:
    """Start the app on the journal named by the first argument; `typed` gets its window."""

    def find_window() -> None:
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow) and window.isVisible():
                typed(window)
                return
        QTimer.singleShot(50, find_window)

    app = QApplication(sys.argv[:1])
    QTimer.singleShot(0, find_window)
    code = main(["--journal", sys.argv[1]])
    del app
    return code
