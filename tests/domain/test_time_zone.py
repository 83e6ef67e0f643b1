"""The journal's time zone: kept at creation, changeable, never trusted blindly."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracker.domain.times import (
    ZONE_SETTING,
    elapsed_hours,
    instant,
    machine_zone_name,
    zone_named,
)
from tracker.journal import Journal


def test_a_new_journal_keeps_the_machine_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    assert machine_zone_name() == "America/New_York"
    with Journal.open(tmp_path / "j.onset", create=True) as journal:
        assert journal.setting(ZONE_SETTING) == "America/New_York"
    # Opened later on a machine elsewhere, it keeps its own zone.
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    with Journal.open(tmp_path / "j.onset") as journal:
        assert journal.time_zone_name() == "America/New_York"
        journal.set_time_zone("Europe/Berlin")
    with Journal.open(tmp_path / "j.onset") as journal:
        assert journal.time_zone_name() == "Europe/Berlin"


def test_a_zone_that_is_not_one_is_refused_and_a_damaged_one_is_not_used(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    for bad in ("Mars/Olympus", "", "../../etc/passwd", "x" * 200, "Europe/Berlin\x00"):
        with pytest.raises(ValueError, match="time zone"):
            journal.set_time_zone(bad)
    # A hostile file's stored value: ignored, the machine's zone is used instead.
    journal.set_setting(ZONE_SETTING, "../../etc/passwd")
    monkeypatch.setenv("TZ", "Europe/Berlin")
    assert journal.time_zone_name() == "Europe/Berlin"


def test_a_journal_from_before_time_zones_reads_in_the_machine_zone(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal.connection.execute("DELETE FROM settings WHERE key = ?", (ZONE_SETTING,))
    monkeypatch.setenv("TZ", "America/New_York")
    assert journal.time_zone_name() == "America/New_York"


def test_relief_hours_follow_the_journal_zone(journal: Journal) -> None:
    # 28 March 2026 20:00 → 29 March 08:00: 11 real hours in Berlin (spring forward), 12
    # in New York (its change was three weeks earlier).
    journal.add_session("2026-03-28T20:00", "iv", anxiety_before=8)
    journal.add_checkin("2026-03-29T08:00", 3)
    later = datetime(2027, 1, 1, tzinfo=UTC)
    journal.set_time_zone("Europe/Berlin")
    assert journal.relief(later).per_session[0].hours_to_relief == pytest.approx(11)
    journal.set_time_zone("America/New_York")
    assert journal.relief(later).per_session[0].hours_to_relief == pytest.approx(12)


def test_a_time_skipped_or_repeated_by_a_clock_change() -> None:
    berlin = zone_named("Europe/Berlin")
    # 02:30 on 29 March 2026 never happened in Berlin: read with the offset before the
    # change (+01:00), it is 01:30 UTC, the same moment as 03:30 summer time.
    assert instant(datetime(2026, 3, 29, 2, 30), berlin) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # 02:30 on 25 October happened twice: the first (summer time, +02:00) is taken.
    assert instant(datetime(2026, 10, 25, 2, 30), berlin) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
    assert elapsed_hours(datetime(2026, 10, 25, 0, 0), datetime(2026, 10, 25, 4, 0), berlin) == 5
