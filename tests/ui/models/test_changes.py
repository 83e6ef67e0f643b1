"""One change path: the journal's announcement, one Qt adapter, pages that keep up."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
import shiboken6
from PySide6.QtCore import SIGNAL
from PySide6.QtWidgets import QApplication

from tests.core_support import sample_document
from tracker.io.journal_json import read_document
from tracker.journal import Journal, JournalChange
from tracker.ui.app.main_window import MainWindow
from tracker.ui.models.changes import changes_of
from tracker.ui.pages.history import HistoryView


def test_an_import_through_the_facade_reaches_every_page(qtbot, window, journal) -> None:
    history = window.page("history")
    assert isinstance(history, HistoryView)
    window.show_view("today")
    assert history.model.total() == 0
    # An import made by code outside the window, straight through the Journal.
    placed = read_document(sample_document(), journal_sessions=journal.session_fingerprints())
    report = journal.import_entries(placed)
    assert report.total_added > 0
    # Today is on screen: it refreshed at once. History is hidden: it waits for its show.
    assert window.today.title.isVisible()
    session = journal.history_page(("session",), limit=1)
    assert session and window.today.session_label.text().startswith("Last session: ")
    assert history.model.total() == 0 and history._changes.stale
    window.show_view("history")
    assert history.model.total() == journal.history_count() == report.total_added
    assert history.count.text() == f"{report.total_added} entries"


def test_one_adapter_per_journal_and_destroyed_pages_are_dropped(qtbot, journal) -> None:
    adapter = changes_of(journal)
    assert changes_of(journal) is adapter
    signal = SIGNAL("changed(PyObject)")
    before = adapter.receivers(signal)
    window = MainWindow(journal)
    qtbot.addWidget(window)
    window.page("history")
    assert adapter.receivers(signal) == before + 2  # Today and History
    shiboken6.delete(window)
    QApplication.processEvents()
    assert adapter.receivers(signal) == before
    journal.add_checkin(datetime.now().replace(microsecond=0), anxiety=3)  # nothing trips
    assert journal.listener_count() == 1


def test_a_failing_page_cannot_undo_or_hide_a_save(
    qtbot, window, journal, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(change: JournalChange) -> None:
        raise RuntimeError("this page is broken")

    journal.subscribe(broken)
    when = datetime.now().replace(second=0, microsecond=0) - timedelta(minutes=5)
    window.today.form.anxiety.setValue(6)
    window.today.form.time.set_value(when)
    with caplog.at_level(logging.ERROR, logger="tracker.journal"):
        assert window.today.save_checkin()
    assert [c.anxiety for c in journal.checkins()] == [6]
    assert window.undo_stack.count() == 1  # it reached the undo stack
    assert "this page is broken" in caplog.text
    window.undo_stack.undo()
    assert journal.checkins() == []


def test_a_journal_is_not_kept_alive_by_its_adapter(tmp_path) -> None:
    import gc
    import weakref

    opened = Journal.open(tmp_path / "j.onset", create=True)
    changes_of(opened)
    alive = weakref.ref(opened)
    opened.close()
    del opened
    gc.collect()
    assert alive() is None
