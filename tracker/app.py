"""Entry point: a command (tracker.commands) runs headless; anything else opens the window."""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.resources import ResourceError


def _options(argv: Sequence[str]) -> list[str]:
    """The options before the first positional word (skipping --journal's value)."""
    found: list[str] = []
    skip = False
    for word in argv:
        if skip:
            skip = False
            continue
        if word == "--journal":
            skip = True
            continue
        if not word.startswith("-"):
            break
        found.append(word)
    return found


def is_command(argv: Sequence[str]) -> bool:
    """True when the first positional word (skipping --journal's value) is a CLI command."""
    from tracker.commands import COMMANDS, VALUE_OPTIONS

    skip = False
    for word in argv:
        if skip:
            skip = False
            continue
        if word in VALUE_OPTIONS:
            skip = True
            continue
        if word.startswith("-"):
            continue
        return word in COMMANDS
    return False


def installation_problem() -> ResourceError | None:
    """Why Onset's own files cannot be used, or None: checked before anything starts.

    The instruments and the side-effect catalogue are loaded (and cached) here because every
    command and the first window need them; a broken one stops Onset now with a clear
    message instead of later with a traceback or, worse, with no questionnaires.
    """
    from tracker.domain.catalogue import catalogue
    from tracker.domain.instruments import instruments
    from tracker.resources import ResourceError, check_resources

    try:
        check_resources()
        instruments()
        catalogue()
    except ResourceError as exc:
        return exc
    return None


def _say(text: str) -> None:
    # A windowed Windows program has no stderr at all.
    if sys.stderr is not None:
        print(text, file=sys.stderr)


def given_journal(argv: Sequence[str]) -> str | None:
    """The journal named by --journal PATH or --journal=PATH, if any."""
    given: str | None = None
    for index, word in enumerate(argv):
        if word == "--journal" and index + 1 < len(argv):
            given = argv[index + 1]
        elif word.startswith("--journal="):
            given = word.partition("=")[2]
    return given


def move_default_journal(argv: Sequence[str]) -> None:
    """Windows: move the journal out of the roaming profile, once (tracker.paths)."""
    if given_journal(argv) is not None:
        return
    from tracker.paths import MoveError, move_from_roaming

    try:
        moved = move_from_roaming()
    except MoveError as exc:
        _say(f"onset: {exc}; it is used where it is.")
        return
    if moved is not None:
        _say(f"onset: moved the journal and its backups from {moved.old} to {moved.new}.")
        for path in moved.left_behind:
            _say(f"onset: left in the old place (a file of that name is already there): {path}")


def cannot_start(problem: ResourceError, *, window: bool) -> int:
    """Say why Onset cannot start: on stderr, and in a message box when a window was asked."""
    _say(f"onset: {problem.message()}")
    if window:
        from PySide6.QtWidgets import QApplication, QMessageBox

        app = QApplication.instance() or QApplication(sys.argv[:1])
        box = QMessageBox(QMessageBox.Icon.Critical, "Onset", problem.message())
        box.setAccessibleName("Onset cannot start")
        box.exec()
        del app
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--version" in _options(args):
        from tracker import __version__

        print(f"onset {__version__}")
        return 0
    command = is_command(args)
    if command:
        return _run(args, command=True)
    # Start-up makes many objects and no garbage worth a collection, so the collector waits
    # until the first window is up (tracker.ui.app.launch settles it then).
    gc.disable()
    try:
        return _run(args, command=False)
    finally:
        gc.enable()


def _check_journal_ahead(args: Sequence[str]) -> None:
    """Start the journal's full check in a thread while the window's code loads
    (tracker.storage.connection.check_ahead); any trouble is left to the opening to say."""
    from pathlib import Path

    given = given_journal(args)
    try:
        from tracker.paths import default_journal
        from tracker.storage.connection import check_ahead

        check_ahead(Path(given) if given else default_journal())
    except Exception:  # never in the way of the start: the opening says what is wrong
        return


def _run(args: list[str], *, command: bool) -> int:
    problem = installation_problem()
    if problem is not None:
        return cannot_start(problem, window=not command and "--smoke" not in args)
    # After the move: the check reads the journal where it is from now on (and holds it
    # open, which on Windows would stop the move).
    move_default_journal(args)
    if not command:
        _check_journal_ahead(args)
    if command:
        from tracker.cli import main as cli_main

        return cli_main(args)
    from tracker.ui.app.launch import run_gui

    return run_gui(args)
