"""Start the desktop app: parse the window's arguments, open the journal, show the window.

One writer per journal: a lock file beside it (QLockFile, with stale-lock detection
when the holder has died) keeps a second window, in this process or another, from
opening the same journal; it gets a clear message instead.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QWidget

    from tracker.ui.main_window import MainWindow

VIEWS = ("today", "history", "charts", "settings")
LOCK_WAIT_MS = 200
SMOKE_LIMIT_MS = 10_000


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="onset", description="Onset journal")
    parser.add_argument("--journal", type=Path, default=None, metavar="PATH")
    parser.add_argument(
        "--smoke", action="store_true", help="open the window, wait until it is idle, quit with 0"
    )
    parser.add_argument("--view", choices=VIEWS, default="today", help="the page to open on")
    return parser.parse_args(list(argv))


def lock_path(journal: Path) -> Path:
    return journal.with_name(journal.name + ".lock")


@dataclass(frozen=True)
class OpenFailure:
    """Why a journal could not be opened in a window, in words for a message box."""

    text: str
    detail: str

    def __str__(self) -> str:
        return f"{self.text} {self.detail}"


def failure_box(parent: QWidget | None, failure: OpenFailure) -> QMessageBox:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Onset")
    box.setText(failure.text)
    box.setInformativeText(failure.detail)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    from tracker.ui.widgets import name_unnamed

    name_unnamed(box)
    return box


class Launcher:
    """Opens journals in windows, one window (and one lock) per journal file."""

    def __init__(self) -> None:
        self.windows: dict[Path, MainWindow] = {}

    def open_journal(
        self, path: Path, *, create: bool = True, demo: bool = False
    ) -> MainWindow | OpenFailure:
        from PySide6.QtCore import QLockFile

        from tracker.journal import Journal
        from tracker.storage.errors import JournalError, JournalWarning
        from tracker.ui.main_window import MainWindow
        from tracker.ui.widgets import sentence

        path = Path(path).expanduser().absolute()
        existing = self.windows.get(path)
        if existing is not None:
            existing.statusBar().showMessage("This journal is already open in this window.", 8000)
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return existing
        if not path.parent.exists() and (create or demo):
            try:
                path.parent.mkdir(mode=0o700, parents=True)
            except OSError as exc:
                return OpenFailure(
                    "Onset could not open this journal.",
                    f"{path}\n\nThe folder cannot be created ({exc.strerror}).",
                )
        lock = QLockFile(str(lock_path(path)))
        lock.setStaleLockTime(0)  # a lock is stale only when its process is gone
        if not lock.tryLock(LOCK_WAIT_MS):
            if lock.error() == QLockFile.LockError.LockFailedError:
                return OpenFailure(
                    "This journal is already open in another Onset window.",
                    f"{path}\n\nOnly one window can write to a journal at a time, so that "
                    "no entry is lost. Switch to the window that has it open, or close it "
                    "and try again.",
                )
            return OpenFailure(
                "Onset could not open this journal.",
                f"{path}\n\nIts lock file cannot be written beside it "
                f"({lock_path(path).name}); the folder may be read-only.",
            )
        try:
            # Problems that did not stop the journal opening (a backup that could not be
            # made, a damaged log set aside) come as JournalWarnings: the window shows them.
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", JournalWarning)
                if demo:
                    from tracker.ui.demo import create_demo_journal

                    journal = create_demo_journal(path)
                else:
                    journal = Journal.open(path, create=create)
        except JournalError as exc:
            lock.unlock()
            return OpenFailure(
                "Onset could not open this journal.",
                f"{exc.path}\n\n{sentence(exc.reason.rstrip('.'))}.",
            )
        notes = []
        for caught_warning in caught:
            if isinstance(caught_warning.message, JournalWarning):
                notes.append(sentence(caught_warning.message.reason.rstrip(".")) + ".")
            else:
                warnings.warn(caught_warning.message, stacklevel=2)
        window = MainWindow(journal, demo=demo, owns_journal=True, lock=lock)
        window.openJournalRequested.connect(
            lambda target, make: self.open_from(window, target, create=make)
        )
        window.demoRequested.connect(lambda: self.open_from(window, demo=True))
        window.closed.connect(lambda closed: self._forget(path, closed))
        self.windows[path] = window
        window.show()
        if notes:
            window.tell_opening_notes(notes)
        return window

    def open_from(
        self,
        parent: MainWindow,
        path: Path | None = None,
        *,
        create: bool = False,
        demo: bool = False,
    ) -> MainWindow | OpenFailure:
        """Open another journal (or the demo) from a window; a failure shows over it."""
        from tracker.paths import demo_journal

        target = demo_journal() if demo else path
        assert target is not None
        result = self.open_journal(target, create=create, demo=demo)
        if not isinstance(result, OpenFailure):
            return result
        from PySide6.QtCore import Qt

        box = failure_box(parent, result)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return result

    def _forget(self, path: Path, window: MainWindow) -> None:
        if self.windows.get(path) is window:
            del self.windows[path]

    def close_all(self) -> None:
        for window in list(self.windows.values()):
            window.close()


def start(args: argparse.Namespace, launcher: Launcher) -> MainWindow | None:
    """Open the first window as the arguments ask; None (after saying why) when it cannot."""
    from tracker.paths import default_journal

    result = launcher.open_journal(args.journal or default_journal(), create=True)
    if isinstance(result, OpenFailure):
        if args.smoke:
            print(f"onset: {result.text}\n{result.detail}", file=sys.stderr)
        else:
            failure_box(None, result).exec()
        return None
    result.show_view(args.view)
    return result


def run_gui(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Onset")
    app.setApplicationDisplayName("Onset")
    launcher = Launcher()
    window = start(args, launcher)
    if window is None:
        return 1
    if args.smoke:
        waited = {"ms": 0}

        def quit_when_shown() -> None:
            # Shown and exposed, and this runs from an idle event loop: the window is up.
            handle = window.windowHandle()
            if window.isVisible() and handle is not None and handle.isExposed():
                app.quit()
            elif waited["ms"] >= SMOKE_LIMIT_MS:
                app.exit(1)
            else:
                waited["ms"] += 10
                QTimer.singleShot(10, quit_when_shown)

        QTimer.singleShot(0, quit_when_shown)
    code = app.exec()
    launcher.close_all()
    return int(code)
