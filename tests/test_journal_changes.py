"""The journal announces each committed change once, and a listener cannot spoil a save."""

from __future__ import annotations

import gc
import logging

import pytest

from tracker.journal import Journal, JournalChange


def test_each_change_is_announced_once_with_its_kind_and_entries(journal: Journal) -> None:
    heard: list[JournalChange] = []
    journal.subscribe(heard.append)
    session = journal.add_session("2026-01-06T10:00", "iv", dose_mg=35.0)
    effect = journal.add_side_effect(
        "2026-01-06T11:00", "nausea", "mild", session_at="2026-01-06T10:00"
    )
    removal = journal.delete(session)
    journal.restore(removal)
    assert session.id is not None and effect.id is not None
    assert heard == [
        JournalChange("add", frozenset({"session"}), (("session", session.id),)),
        JournalChange("add", frozenset({"side_effect"}), (("side_effect", effect.id),)),
        # The side effect lost its link: its kind changed too.
        JournalChange("delete", frozenset({"session", "side_effect"}), (("session", session.id),)),
        JournalChange("restore", frozenset({"session", "side_effect"}), (("session", session.id),)),
    ]


def test_a_failing_listener_is_logged_and_the_save_stands(
    journal: Journal, caplog: pytest.LogCaptureFixture
) -> None:
    after: list[JournalChange] = []

    def broken(change: JournalChange) -> None:
        raise RuntimeError("a page could not redraw")

    journal.subscribe(broken)
    journal.subscribe(after.append)
    with caplog.at_level(logging.ERROR, logger="tracker.journal"):
        stored = journal.add_checkin("2026-01-05T21:10", 6)  # does not raise
    assert stored.id is not None and journal.checkins() == [stored]
    assert [c.action for c in after] == ["add"]  # later listeners still hear it
    assert "a listener failed on add" in caplog.text and "a page could not redraw" in caplog.text


def test_a_listener_that_is_gone_is_dropped(journal: Journal) -> None:
    class Page:
        def __init__(self) -> None:
            self.heard = 0

        def changed(self, change: JournalChange) -> None:
            self.heard += 1

    page = Page()
    journal.subscribe(page.changed)
    journal.add_checkin("2026-01-05T21:10", 6)
    assert page.heard == 1 and journal.listener_count() == 1
    del page
    gc.collect()
    assert journal.listener_count() == 0
    journal.add_checkin("2026-01-05T22:10", 5)  # nobody left to call, nothing fails


def test_unsubscribing_stops_a_plain_function(journal: Journal) -> None:
    heard: list[JournalChange] = []
    stop = journal.subscribe(heard.append)
    journal.set_setting("cadence", "7")
    stop()
    stop()  # twice is harmless
    journal.set_setting("cadence", "14")
    assert [c.kinds for c in heard] == [frozenset({"settings"})]


def test_an_import_that_adds_nothing_announces_nothing(journal: Journal) -> None:
    heard: list[JournalChange] = []
    journal.subscribe(heard.append)
    journal.import_entries([])
    assert heard == []
