"""Starting the app: --smoke without matplotlib, numpy or fpdf; --view; one window per
journal (a lock file, stale locks ignored); a journal that cannot be opened is named with
the reason."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.conftest import REPO
from tracker.journal import Journal
from tracker.paths import default_journal
from tracker.storage.lock import JournalLock
from tracker.ui.app.launch import Launcher, OpenFailure, failure_box, lock_path, parse_args, start
from tracker.ui.app.main_window import MainWindow

HEAVY = ("matplotlib", "numpy", "fpdf", "sqlcipher3")


def run_app(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def imported_modules(importtime_stderr: str) -> set[str]:
    names = set()
    for line in importtime_stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def test_smoke_opens_the_window_without_heavy_imports(tmp_path: Path) -> None:
    journal = tmp_path / "j.onset"
    done = run_app("-X", "importtime", "main.py", "--journal", str(journal), "--smoke")
    assert done.returncode == 0, done.stderr[-2000:]
    modules = imported_modules(done.stderr)
    assert "tracker.ui.app.main_window" in modules, "the window was really built"
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert not heavy, f"imported before the first window: {heavy[:5]}"
    assert journal.exists()
    assert not lock_path(journal).exists(), "the lock is given back on quitting"


def test_a_second_instance_is_refused_with_a_clear_message(qtbot, tmp_path: Path) -> None:
    journal = tmp_path / "j.onset"
    Journal.open(journal, create=True).close()
    held = JournalLock(journal).acquire(0)
    try:
        done = run_app("main.py", "--journal", str(journal), "--smoke")
    finally:
        held.release()
    assert done.returncode == 1
    assert "already open in another Onset window" in done.stderr
    assert str(journal) in done.stderr


def test_a_stale_lock_from_a_crashed_app_is_ignored(qtbot, tmp_path: Path) -> None:
    journal = tmp_path / "j.onset"
    crash = (
        "import os, sys; from tracker.storage.lock import JournalLock; "
        "JournalLock(sys.argv[1]).acquire(0); os._exit(0)"
    )
    run_app("-c", crash, str(journal))
    assert lock_path(journal).exists(), "a crash leaves the lock file behind"
    launcher = Launcher()
    window = launcher.open_journal(journal)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    window.close()


def test_one_window_per_journal_in_this_process(qtbot, tmp_path: Path) -> None:
    launcher = Launcher()
    first = launcher.open_journal(tmp_path / "j.onset")
    assert isinstance(first, MainWindow)
    qtbot.addWidget(first)
    assert launcher.open_journal(tmp_path / "j.onset") is first, "the open window comes forward"
    assert first.statusBar().currentMessage() == "This journal is already open in this window."

    other = Launcher()  # as if another program: only the lock file knows
    refused = other.open_journal(tmp_path / "j.onset")
    assert isinstance(refused, OpenFailure)
    assert refused.text == "This journal is already open in another Onset window."
    first.close()
    assert launcher.windows == {}
    again = other.open_journal(tmp_path / "j.onset")
    assert isinstance(again, MainWindow), "closing the window gives the journal back"
    qtbot.addWidget(again)
    again.close()


def test_a_journal_that_cannot_be_opened_is_named_with_the_reason(qtbot, tmp_path: Path) -> None:
    bad = tmp_path / "notes.onset"
    bad.write_text("not a journal", encoding="utf-8")
    failure = Launcher().open_journal(bad)
    assert isinstance(failure, OpenFailure)
    assert failure.text == "Onset could not open this journal."
    assert str(bad) in failure.detail
    assert "not an Onset journal" in failure.detail
    box = failure_box(None, failure)
    qtbot.addWidget(box)
    assert box.text() == failure.text and str(bad) in box.informativeText()
    assert not lock_path(bad).exists(), "a refused journal leaves no lock behind"


def test_smoke_on_a_bad_journal_says_why_and_exits_1(qtbot, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "notes.onset"
    bad.write_bytes(b"")
    assert start(parse_args(["--journal", str(bad), "--smoke"]), Launcher()) is None
    err = capsys.readouterr().err
    assert "could not open this journal" in err and "empty" in err


@pytest.mark.parametrize("view", ["today", "history", "settings"])
def test_view_opens_on_that_page(qtbot, tmp_path: Path, view: str) -> None:
    window = start(parse_args(["--journal", str(tmp_path / "j.onset"), "--view", view]), Launcher())
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert window.current_view() == view
    assert window.pages.currentWidget() is window.page(view)
    window.close()


def test_view_must_be_a_page(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        parse_args(["--view", "nowhere"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_default_journal_is_in_the_per_user_data_folder(qtbot) -> None:
    window = start(parse_args([]), Launcher())
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert window.journal.path == default_journal().absolute()
    assert str(default_journal()) in window.journal_label.text()
    window.close()


def test_a_warning_while_opening_is_shown_in_the_window(qtbot, tmp_path: Path, monkeypatch) -> None:
    import warnings

    from tracker.storage.errors import JournalWarning

    real_open = Journal.open

    def open_with_a_warning(path, **options):  # type: ignore[no-untyped-def]
        problem = JournalWarning(path, "today's backup could not be made: disk full")
        warnings.warn(problem, stacklevel=2)
        return real_open(path, **options)

    monkeypatch.setattr(Journal, "open", open_with_a_warning)
    window = Launcher().open_journal(tmp_path / "j.onset")
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    [box] = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert "Today's backup could not be made: disk full." in box.informativeText()
    assert str(tmp_path / "j.onset") in box.informativeText()
    window.close()
