"""The demo journal (tracker.demo): plausible, valid, and made afresh each time."""

from __future__ import annotations

from datetime import date

from tracker.demo import create_demo_journal, sample_entries
from tracker.journal import KINDS


def test_sample_data_is_plausible_and_valid(tmp_path) -> None:
    today = date(2026, 3, 1)
    entries = sample_entries(today)
    assert all(not e.problems() for e in entries)
    assert max(e.at_value.date() for e in entries) < today, "it ends before today"
    with create_demo_journal(tmp_path / "demo.onset", today) as journal:
        assert sum(journal.count(k) for k in KINDS) == len(entries)
        summary = journal.summary()
        assert summary["GAD-7"]["baseline_before_treatment"] is True
        assert summary["GAD-7"]["change"] < 0
        linked = [e for e in journal.side_effects() if e.session_at is not None]
        assert linked, "side effects are linked to their sessions"
    # Made afresh each time (dates follow today), never added to the old one.
    with create_demo_journal(tmp_path / "demo.onset", today) as again:
        assert sum(again.count(k) for k in KINDS) == len(entries)
