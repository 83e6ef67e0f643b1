"""The Journal API over SQLite: what is stored reads back exactly, by day, with undo."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from tracker.domain.entries import Checkin, SideEffect, TreatmentSession
from tracker.domain.errors import ValidationError
from tracker.domain.times import parse_at
from tracker.journal import Journal

DAY = date(2026, 1, 5)


def test_every_kind_reads_back_exactly_as_it_was_added(journal: Journal) -> None:
    session = journal.add_session(
        "2026-01-06T10:00+01:00",
        "iv",
        dose_mg_per_kg=0.5,
        weight_kg=70.0,
        bp_before=(128, 82),
        heart_rate_before=72,
        anxiety_before=7,
        anxiety_after=3,
        dissociation=6,
        notes="ok",
    )
    added = [
        journal.add_checkin("2026-01-05T21:10:30", 6, mood=4, sleep_hours=6.5, note="tense ✓"),
        journal.add_assessment("PHQ-9", "2026-01-05T09:00", [1] * 9, difficulty=0),
        session,
        journal.add_side_effect(
            "2026-01-06T11:00", "nausea", "mild", session_at="2026-01-06T10:00+01:00"
        ),
    ]
    for entry in added:
        assert entry.id is not None
        assert journal.get(entry.KIND, entry.id) == entry
    reopened = Journal.open(journal.path)
    try:
        assert [reopened.get(e.KIND, e.id) for e in added if e.id] == added
    finally:
        reopened.close()


def test_entries_come_in_time_order_and_a_day_is_midnight_to_midnight(journal: Journal) -> None:
    for at in (
        "2026-01-06T00:00",
        "2026-01-05T23:59:59",
        "2026-01-05T00:00",
        "2026-01-04T23:59",
        "2026-01-05T12:00+14:00",
        "2026-01-05T12:00-12:00",
    ):
        journal.add_checkin(at, 1)
    on_day = [c.at.isoformat() for c in journal.checkins(DAY, DAY)]
    assert on_day == [
        "2026-01-05T00:00:00",
        "2026-01-05T12:00:00+14:00",
        "2026-01-05T12:00:00-12:00",
        "2026-01-05T23:59:59",
    ]
    assert journal.count("checkin", DAY, DAY) == 4
    assert journal.count("checkin", DAY, None) == 5
    assert journal.count("checkin", None, DAY) == 5
    assert journal.history_count(start=DAY, end=DAY) == 4
    page = journal.history_page(start=DAY, end=DAY, descending=False, limit=2, offset=1)
    assert [e.at_value.isoformat()[:19] for e in page] == [
        "2026-01-05T12:00:00",
        "2026-01-05T12:00:00",
    ]


def test_history_merges_kinds_newest_first_in_pages(journal: Journal) -> None:
    journal.add_checkin("2026-01-05T08:00", 1)
    journal.add_session("2026-01-05T10:00", "oral", dose_mg=200.0)
    journal.add_assessment("GAD-7", "2026-01-05T09:00", [0] * 7)
    journal.add_side_effect("2026-01-05T11:00", "headache", "mild")
    assert journal.history_count() == 4
    kinds = [e.KIND for e in journal.history_page(limit=3)]
    assert kinds == ["side_effect", "session", "assessment"]
    assert [e.KIND for e in journal.history_page(limit=3, offset=3)] == ["checkin"]
    assert journal.history_count(kinds=("session", "checkin")) == 2


def test_delete_and_restore_a_session_keeps_its_side_effects_linked(journal: Journal) -> None:
    session = journal.add_session("2026-01-06T10:00", "iv")
    effect = journal.add_side_effect(
        "2026-01-06T11:00", "dizziness", "moderate", session_at="2026-01-06T10:00"
    )
    removal = journal.delete(session)
    assert journal.count("session") == 0
    unlinked = journal.side_effects()
    assert [e.session_at for e in unlinked] == [None]
    restored = journal.restore(removal)
    assert restored.id == session.id
    assert journal.side_effects() == [effect]
    assert journal.sessions() == [session]


def test_an_edit_replaces_the_entry_and_moves_linked_side_effects_with_it(
    journal: Journal,
) -> None:
    session = journal.add_session("2026-01-06T10:00", "iv")
    journal.add_side_effect("2026-01-06T11:00", "nausea", "mild", session_at="2026-01-06T10:00")
    moved = TreatmentSession(at=parse_at("2026-01-06T10:30"), route="im", id=session.id)
    journal.update(moved)
    assert journal.sessions() == [moved]
    assert journal.side_effects()[0].session_at == parse_at("2026-01-06T10:30")
    with pytest.raises(KeyError):
        journal.update(Checkin(at=parse_at("2026-01-06T10:30"), anxiety=1, id=999))


def test_listeners_hear_which_kinds_changed(journal: Journal) -> None:
    heard: list[frozenset[str]] = []
    stop = journal.subscribe(lambda change: heard.append(change.kinds))
    checkin = journal.add_checkin("2026-01-05T21:10", 6)
    journal.set_setting("cadence", "7")
    journal.delete(checkin)
    stop()
    journal.add_checkin("2026-01-05T21:10", 6)
    assert heard == [frozenset({"checkin"}), frozenset({"settings"}), frozenset({"checkin"})]
    assert journal.setting("cadence") == "7"
    assert journal.setting("missing", "fallback") == "fallback"


def test_a_refused_entry_stores_nothing_and_says_why(journal: Journal) -> None:
    journal.add_session("2026-01-06T10:00", "iv")
    with pytest.raises(ValidationError, match="already a session at 2026-01-06T10:00"):
        journal.add_session("2026-01-06T10:00:00", "im")
    with pytest.raises(ValidationError, match="no session at 2026-01-07T10:00"):
        journal.add_side_effect("2026-01-07T11:00", "nausea", "mild", session_at="2026-01-07T10:00")
    with pytest.raises(ValidationError, match="anxiety: 11 is outside 0–10"):
        journal.add_many(
            [
                Checkin(at=parse_at("2026-01-05T08:00"), anxiety=1),
                Checkin(at=parse_at("2026-01-05T09:00"), anxiety=11),
            ]
        )
    assert (journal.count("session"), journal.count("checkin"), journal.count("side_effect")) == (
        1,
        0,
        0,
    )


@pytest.mark.parametrize(
    ("sql", "values"),
    [
        (
            "INSERT INTO checkins (at, sort_at, anxiety, fingerprint) VALUES (?, ?, ?, 'x')",
            ("2026-01-05T21:10", "2026-01-05T21:10:00", 11),
        ),
        (
            "INSERT INTO checkins (at, sort_at, anxiety, fingerprint) VALUES (?, ?, ?, 'x')",
            ("2026-01-05T21:10", "2026-01-05T21:10:00", "six"),
        ),
        (
            "INSERT INTO checkins (at, sort_at, anxiety, fingerprint) VALUES (?, ?, ?, 'x')",
            ("2026-01-05T21:10", "2026-01-05 21:10", 6),
        ),
        (
            "INSERT INTO sessions (at, sort_at, route, bp_before_systolic, bp_before_diastolic, "
            "fingerprint) VALUES (?, ?, 'iv', ?, ?, 'x')",
            ("2026-01-06T10:00", "2026-01-06T10:00:00", 80, 120),
        ),
        (
            "INSERT INTO side_effects (at, sort_at, effect, severity, fingerprint) "
            "VALUES (?, ?, 'nausea', ?, 'x')",
            ("2026-01-06T10:00", "2026-01-06T10:00:00", "extreme"),
        ),
    ],
)
def test_the_schema_refuses_what_the_rules_refuse_even_from_a_buggy_caller(
    journal: Journal, sql: str, values: tuple[object, ...]
) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        journal.connection.execute(sql, values)


def test_add_many_is_all_or_nothing_across_kinds(journal: Journal) -> None:
    effect = SideEffect(at=parse_at("2026-01-06T11:00"), effect="not_an_effect", severity="mild")
    with pytest.raises(ValidationError):
        journal.add_many([Checkin(at=parse_at("2026-01-05T08:00"), anxiety=1), effect])
    assert journal.is_empty()
