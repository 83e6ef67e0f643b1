"""Start the desktop app: parse the window's arguments, open the journal, show the window.

One writer per journal: the journal's lock (tracker.storage.lock, also held by the
command line's import and restore) keeps a second window, in this process or another, from
opening the same journal; it gets a clear message instead. A journal that cannot be opened
(damaged, not a journal, from a newer Onset, missing) gets the recovery dialog
(tracker.ui.dialogs.recovery), and backups are restored here, with no window holding the file.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tracker.ui.app.views import VIEWS

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

    from tracker.storage.backup import BackupInfo
    from tracker.storage.errors import JournalError
    from tracker.storage.lock import JournalLock
    from tracker.ui.app.main_window import MainWindow
    from tracker.ui.dialogs.recovery import RecoveryDialog
    from tracker.ui.pages.backups import RestoreRequest

LOCK_WAIT_MS = 200
ALL_VIEWS = "all"
SMOKE_LIMIT_MS = 10_000


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="onset", description="Onset journal")
    parser.add_argument("--journal", type=Path, default=None, metavar="PATH")
    parser.add_argument(
        "--smoke", action="store_true", help="open the window, wait until it is idle, quit with 0"
    )
    parser.add_argument(
        "--view",
        choices=(*VIEWS, ALL_VIEWS),
        default="today",
        help=f"the page to open on; with --smoke, '{ALL_VIEWS}' shows each page in turn",
    )
    # Answered by tracker.app before anything else loads; listed here for --help.
    parser.add_argument("--version", action="store_true", help="print the version and quit")
    parser.add_argument(
        "--tray", action="store_true", help="start in the tray, without a window (at login)"
    )
    return parser.parse_args(list(argv))


def lock_path(journal: Path) -> Path:
    from tracker.storage.lock import lock_path as beside

    return beside(journal)


class OpenFailure(NamedTuple):
    """Why a journal could not be opened in a window, in words for a message box."""

    text: str
    detail: str
    # The journal file's own problem (damaged, missing…): the recovery dialog offers a way on.
    error: JournalError | None = None

    def __str__(self) -> str:
        return f"{self.text} {self.detail}"


def failure_box(parent: QWidget | None, failure: OpenFailure) -> QMessageBox:
    from tracker.ui.dialogs.messages import message_box

    return message_box(parent, failure.text, failure.detail)


class Launcher:
    """Opens journals in windows, one window (and one lock) per journal file.

    It also mends: a journal that cannot be opened gets the recovery dialog, and a backup
    is restored here, under the journal's lock, with no window holding the file open.
    """

    def __init__(self) -> None:
        self.windows: dict[Path, MainWindow] = {}
        self.opened_any = False
        # Set while the first window opens in the tray (--tray, at login).
        self.start_hidden = False
        self.interactive = True  # False under --smoke: never wait for a person
        self.asking: QDialog | None = None  # the passphrase dialog while it is shown

    def _passphrase_known(self, path: Path, parent: QWidget | None = None) -> bool:
        """For an encrypted journal: a passphrase that opens it, in memory. From one given
        before in this process, ONSET_PASSPHRASE, or asked for (checked before the dialog
        closes; a wrong one is said calmly). False when none was given."""
        import os

        from tracker.storage import crypto

        if not path.exists() or not crypto.could_be_encrypted(path):
            return True
        known = list(crypto._keyring.passphrases)
        given = os.environ.get("ONSET_PASSPHRASE")
        for candidate in [*known, *([given] if given else [])]:
            if crypto.opens_with(path, candidate):
                crypto.remember(candidate)
                return True
        if not self.interactive:
            return False
        from tracker.ui.dialogs.passphrase import OpenPassphraseDialog

        dialog = OpenPassphraseDialog(
            path.name, lambda typed: crypto.opens_with(path, typed), parent
        )
        self.asking = dialog
        try:
            if dialog.exec() != OpenPassphraseDialog.DialogCode.Accepted or not dialog.passphrase:
                return False
            crypto.remember(dialog.passphrase)
            dialog.passphrase = None
            return True
        finally:
            self.asking = None
            dialog.deleteLater()

    def _lock(self, path: Path) -> JournalLock | OpenFailure:
        from tracker.storage.errors import JournalBusy, JournalWriteError
        from tracker.storage.lock import JournalLock

        try:
            return JournalLock(path).acquire(LOCK_WAIT_MS)
        except JournalBusy:
            return OpenFailure(
                "This journal is already open in another Onset window.",
                f"{path}\n\nOnly one window (or one import or restore) can write to a journal "
                "at a time, so that no entry is lost. Switch to the window that has it open, "
                "or close it and try again.",
            )
        except JournalWriteError:
            return OpenFailure(
                "Onset could not open this journal.",
                f"{path}\n\nIts lock file cannot be written beside it "
                f"({lock_path(path).name}); the folder may be read-only.",
            )

    def open_journal(
        self,
        path: Path,
        *,
        create: bool = True,
        demo: bool = False,
        lock: JournalLock | None = None,
    ) -> MainWindow | OpenFailure:
        """Open a journal in a new window (or bring its window forward).

        `lock` is the journal's lock when the caller already holds it (after a restore).
        """
        from tracker.journal import Journal
        from tracker.storage.errors import JournalError, JournalWarning
        from tracker.ui.app.main_window import MainWindow
        from tracker.ui.widgets.layout import sentence

        path = Path(path).expanduser().absolute()
        existing = self.windows.get(path)
        if existing is not None:
            if lock is not None:
                lock.release()
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
        if lock is None:
            held = self._lock(path)
            if isinstance(held, OpenFailure):
                return held
            lock = held
        if not demo and not self._passphrase_known(path):
            lock.release()
            return OpenFailure(
                "The journal was not opened.",
                f"{path}\n\nIt is encrypted, and its passphrase was not given.",
            )
        try:
            # Problems that did not stop the journal opening (a backup that could not be
            # made, a damaged log set aside) come as JournalWarnings: the window shows them.
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", JournalWarning)
                if demo:
                    from tracker.demo import create_demo_journal

                    journal = create_demo_journal(path)
                else:
                    journal = Journal.open(path, create=create)
        except JournalError as exc:
            lock.release()
            return OpenFailure(
                "Onset could not open this journal.",
                f"{exc.path}\n\n{sentence(exc.reason.rstrip('.'))}.",
                None if demo else exc,
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
        self.opened_any = True
        if not self.start_hidden:
            window.show()
        if notes:
            window.tell_opening_notes(notes)
        return window

    def open_from(
        self,
        parent: MainWindow,
        path: object = None,
        *,
        create: bool = False,
        demo: bool = False,
    ) -> MainWindow | OpenFailure | None:
        """Open another journal (or the demo) from a window; a failure shows over it.

        `path` may also be a RestoreRequest from Settings → Backups: the window's own journal
        is then replaced by the backup and opened again.
        """
        from tracker.paths import demo_journal
        from tracker.ui.pages.backups import RestoreRequest

        if isinstance(path, RestoreRequest):
            return self.restore_in_window(parent, path)
        target = demo_journal() if demo else path
        assert isinstance(target, Path)
        result = self.open_journal(target, create=create, demo=demo)
        if not isinstance(result, OpenFailure):
            return result
        if result.error is not None:
            self.recover(result, parent=parent)
            return result
        from PySide6.QtCore import Qt

        box = failure_box(parent, result)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return result

    # -- restoring and recovering -------------------------------------------------------

    def restore_and_open(
        self, path: Path, backup: Path
    ) -> tuple[MainWindow | OpenFailure, Path | None]:
        """Put a backup in place of a journal no window has open, then open it.

        Returns the window (or why not) and the copy kept of the file as it was.
        """
        from tracker.storage.backup import restore_backup
        from tracker.storage.errors import JournalError
        from tracker.ui.widgets.layout import sentence

        path = Path(path).expanduser().absolute()
        if path in self.windows:
            return OpenFailure(
                "The backup was not restored.",
                f"{path}\n\nThe journal is open in a window; close it first.",
            ), None
        held = self._lock(path)
        if isinstance(held, OpenFailure):
            return OpenFailure("The backup was not restored.", held.detail), None
        try:
            kept = restore_backup(path, backup)
        except JournalError as exc:
            held.release()
            return OpenFailure(
                "The backup was not restored.",
                f"{exc.path}\n\n{sentence(exc.reason.rstrip('.'))}.",
            ), None
        return self.open_journal(path, create=False, lock=held), kept

    def recover(
        self, failure: OpenFailure, *, parent: MainWindow | None = None, view: str = "today"
    ) -> RecoveryDialog:
        """Show the recovery dialog for a journal that could not be opened (never blocks)."""
        from PySide6.QtCore import Qt

        from tracker.ui.dialogs.recovery import RecoveryDialog

        assert failure.error is not None
        dialog = RecoveryDialog(failure.error, in_app=parent is not None, parent=parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restoreRequested.connect(lambda info: self._restore_for(dialog, info, view))
        dialog.openAnotherRequested.connect(lambda chosen: self._open_for(dialog, chosen, view))
        dialog.retryRequested.connect(
            lambda: self._open_for(dialog, dialog.error.path, view, create=parent is None)
        )
        if parent is None:
            dialog.show()
        else:
            dialog.open()
        return dialog

    def _restore_for(self, dialog: RecoveryDialog, info: BackupInfo, view: str) -> None:
        from tracker.ui.dialogs.recovery import made_words

        result, kept = self.restore_and_open(dialog.error.path, info.path)
        if isinstance(result, OpenFailure):
            dialog.show_problem(str(result))
            return
        result.show_view(view)
        result.statusBar().showMessage(f"Restored the backup from {made_words(info)}.", 15_000)
        dialog.show_restored(info, kept)
        dialog.raise_()
        dialog.activateWindow()

    def _open_for(
        self, dialog: RecoveryDialog, path: Path, view: str, *, create: bool = False
    ) -> None:
        result = self.open_journal(path, create=create)
        if isinstance(result, OpenFailure):
            if result.error is not None:
                dialog.set_error(result.error)
            else:
                dialog.show_problem(str(result))
            return
        result.show_view(view)
        dialog.accept()

    def restore_in_window(self, window: MainWindow, request: RestoreRequest) -> MainWindow | None:
        """Settings → Restore: close the window (and its journal), put the backup in place,
        open the journal again in a new window, and say what happened."""
        from PySide6.QtCore import Qt

        from tracker.ui.dialogs.recovery import made_words
        from tracker.ui.pages.settings import SettingsView

        path = window.journal.path
        place, size, maximized = window.pos(), window.size(), window.isMaximized()
        window.close()
        if window.isVisible():  # the window would not close: nothing was touched
            request.outcome = "The window could not close, so the backup was not restored."
            return None
        result, kept = self.restore_and_open(path, request.backup.path)
        restored = not isinstance(result, OpenFailure)
        if isinstance(result, OpenFailure):
            refusal = result
            # The journal is as it was: open it again and say why nothing changed.
            result = self.open_journal(path, create=False)
            if isinstance(result, OpenFailure):
                box = failure_box(None, refusal)
                box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                box.show()
                request.outcome = str(refusal)
                return None
            text, detail = refusal.text, refusal.detail
        else:
            text = f"Restored the backup from {made_words(request.backup)}."
            detail = (
                f"The journal as it was just before is kept as a backup made before a "
                f"restore ({kept.name if kept else 'none'}), so this can be undone by "
                "restoring that one."
            )
        # The new window takes the old one's place on screen.
        result.resize(size)
        result.move(place)
        if maximized:
            result.showMaximized()
        result.show_view("settings")
        page = result.page("settings")
        if isinstance(page, SettingsView):
            page.backups.show_message(f"{text} {detail}", error=not restored)
        result.statusBar().showMessage(text, 15_000)
        from tracker.ui.dialogs.messages import tell

        tell(result, text, detail, warning=not restored)
        request.outcome = text
        return result

    def _forget(self, path: Path, window: MainWindow) -> None:
        if self.windows.get(path) is window:
            del self.windows[path]

    def close_all(self) -> None:
        for window in list(self.windows.values()):
            window.close()


def start(args: argparse.Namespace, launcher: Launcher) -> MainWindow | RecoveryDialog | None:
    """Open the first window as the arguments ask; a journal that cannot be opened gets the
    recovery dialog; None (after saying why) when there is no way on."""
    from tracker.paths import default_journal

    if args.tray and not args.smoke:
        from tracker.ui.app.tray import tray_available

        # Without a tray there is nowhere to wait: the window opens as usual.
        launcher.start_hidden = tray_available()
    launcher.interactive = not args.smoke
    result = launcher.open_journal(args.journal or default_journal(), create=True)
    hidden, launcher.start_hidden = launcher.start_hidden, False
    if isinstance(result, OpenFailure):
        if args.smoke:
            print(f"onset: {result.text}\n{result.detail}", file=sys.stderr)
            return None
        if result.error is not None:
            return launcher.recover(result, view=_first_view(args))
        failure_box(None, result).exec()
        return None
    result.show_view(_first_view(args))
    if hidden:
        result.start_tray()
    return result


def _first_view(args: argparse.Namespace) -> str:
    return VIEWS[0] if args.view == ALL_VIEWS else str(args.view)


def settle_collector() -> None:
    import gc

    gc.freeze()
    gc.enable()


def run_gui(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Onset")
    app.setApplicationDisplayName("Onset")
    # Wayland matches the window to the menu entry (packaging/onset.desktop) by this name.
    app.setDesktopFileName("onset")
    launcher = Launcher()
    window = start(args, launcher)
    # The collector was paused for start-up (tracker.app): what start-up made lives as long
    # as the window, so it is set aside (frozen) and later collections skip it.
    QTimer.singleShot(0, settle_collector)
    if window is None:
        return 1
    if args.smoke:
        assert isinstance(window, QMainWindow)
        waited = {"ms": 0}
        # `--view all`: every page is built and shown in turn before quitting.
        still_to_show = list(VIEWS[1:]) if args.view == ALL_VIEWS else []

        def quit_when_shown() -> None:
            # Shown and exposed, and this runs from an idle event loop: the window is up.
            handle = window.windowHandle()
            if window.isVisible() and handle is not None and handle.isExposed():
                if still_to_show:
                    from tracker.ui.app.main_window import MainWindow

                    assert isinstance(window, MainWindow)
                    window.show_view(still_to_show.pop(0))
                    QTimer.singleShot(0, quit_when_shown)
                    return
                app.quit()
            elif waited["ms"] >= SMOKE_LIMIT_MS:
                app.exit(1)
            else:
                waited["ms"] += 10
                QTimer.singleShot(10, quit_when_shown)

        QTimer.singleShot(0, quit_when_shown)
    code = app.exec()
    launcher.close_all()
    # Leaving from the recovery dialog without opening a journal is not a success.
    return int(code) if launcher.opened_any else 1
