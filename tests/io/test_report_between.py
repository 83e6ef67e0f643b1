"""The summary PDF and what is written between sessions: follow-up answers on page 1,
reflections only with notes."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.io.test_report import page_texts
from tracker.domain.between import FOLLOWUP_KEYS, FollowUp, Reflection
from tracker.io.report import ReportOptions, write_report
from tracker.io.report_between import followup_lines
from tracker.journal import Journal

SECRET = "the dream about my grandmother's kitchen"
NONE = dict.fromkeys(FOLLOWUP_KEYS, "none")


@pytest.fixture
def filled(tmp_path: Path) -> Journal:
    journal = Journal.open(tmp_path / "j.onset", create=True, backups=False)
    journal.add_assessment("GAD-7", "2026-01-05T09:00", [3, 2, 3, 2, 2, 2, 2])
    for day in (6, 9, 13, 16):
        journal.add_session(f"2026-01-{day:02d}T10:00", "intranasal", dose_mg=56.0)
        journal.add_checkin(f"2026-01-{day:02d}T20:00", 4)
    journal.add(
        Reflection(
            at=datetime(2026, 1, 7, 9, 0),
            text=SECRET,
            session_at=datetime(2026, 1, 6, 10, 0),
            prompt="still_with_you",
        )
    )
    journal.add(FollowUp.from_answers(datetime(2026, 1, 20, 9, 0), NONE))
    answers = NONE | {"urgency": "mild", "concentration": "severe"}
    journal.add(FollowUp.from_answers(datetime(2026, 2, 3, 9, 0), answers))
    journal.add_assessment("GAD-7", "2026-02-03T09:05", [1] * 7)
    yield journal
    journal.close()


def report(journal: Journal, path: Path, **options: object) -> list[str]:
    write_report(journal, path, ReportOptions(**options))  # type: ignore[arg-type]
    return page_texts(path)


def test_answers_above_none_are_on_page_one_as_given(filled: Journal, tmp_path: Path) -> None:
    pages = report(filled, tmp_path / "summary.pdf")
    first = pages[0]
    assert "Follow-up checks (as answered)" in first
    assert (
        "Follow-up check of 3 February 2026: urinary urgency: mild; trouble concentrating: "
        "severe." in first
    )
    # The check of 20 January answered none throughout: not listed as if it said something.
    assert "20 January 2026:" not in first
    assert SECRET not in " ".join(pages)  # reflections are private notes


def test_reflections_appear_only_when_notes_are_included(filled: Journal, tmp_path: Path) -> None:
    pages = report(filled, tmp_path / "with-notes.pdf", include_notes=True)
    text = " ".join(pages)
    assert SECRET in text
    assert "Reflection on the session of" in text
    assert "and their reflections" in text
    assert SECRET not in pages[0]


def test_a_period_with_only_none_answers_says_so_once(tmp_path: Path) -> None:
    checks = [FollowUp.from_answers(datetime(2026, 1, d, 9, 0), NONE) for d in (6, 27)]
    assert followup_lines(checks) == [
        "All 2 follow-up checks of this period answered “none” to every question."
    ]
    assert followup_lines(checks[:1]) == [
        "The follow-up check of this period answered “none” to every question."
    ]
    assert followup_lines([]) == []


def test_a_period_without_follow_ups_has_no_such_heading(filled: Journal, tmp_path: Path) -> None:
    pages = report(filled, tmp_path / "jan.pdf", start=date(2026, 1, 1), end=date(2026, 1, 15))
    assert "Follow-up check" not in pages[0]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_page_one_renders_for_a_person_to_look_at(
    filled: Journal, tmp_path: Path, shots_dir: Path
) -> None:
    pdf = tmp_path / "summary.pdf"
    report(filled, pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "80",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(shots_dir / "between-report"),
        ],
        check=True,
        timeout=60,
    )
    assert list(shots_dir.glob("between-report-*.png"))
