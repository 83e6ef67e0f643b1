"""The PDF's statements hold for any period, and its relief page says what the app says.

Small hand-made journals; the text is read back from the PDF with pypdf.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.io.test_report import needs_pdftoppm, page_texts, render_pages
from tracker.charts.relief import headline
from tracker.io.report import ReportOptions, write_report
from tracker.journal import Journal

GAD_12 = [2, 2, 2, 2, 2, 1, 1]  # total 12, moderate
GAD_14 = [2, 2, 2, 2, 2, 2, 2]  # total 14, moderate
GAD_16 = [3, 3, 2, 2, 2, 2, 2]  # total 16, severe
GAD_6 = [1, 1, 1, 1, 1, 1, 0]  # total 6, mild


def _pdf(journal: Journal, folder: Path, start: date, end: date, name: str) -> list[str]:
    path = folder / f"{name}.pdf"
    write_report(journal, path, ReportOptions(start=start, end=end))
    return page_texts(path)


@pytest.fixture
def course(journal: Journal) -> Journal:
    """Three GAD-7s in early January, the baseline on 25 January (the last before the first
    session, 1 February), sessions on 1 and 4 February, one more GAD-7 on 1 March."""
    journal.add_assessment("GAD-7", "2026-01-02T09:00", GAD_12)
    journal.add_assessment("GAD-7", "2026-01-09T09:00", GAD_14)
    journal.add_assessment("GAD-7", "2026-01-15T09:00", GAD_14)
    journal.add_assessment("GAD-7", "2026-01-25T09:00", GAD_16)
    journal.add_session("2026-02-01T10:00", "iv", anxiety_before=8)
    journal.add_session("2026-02-04T10:00", "iv", anxiety_before=8)
    journal.add_assessment("GAD-7", "2026-03-01T09:00", GAD_6)
    return journal


def test_a_period_before_treatment_lists_what_was_taken_in_it(
    course: Journal, tmp_path: Path
) -> None:
    # 1–16 January: three GAD-7s in the period; the baseline (25 January) comes after it.
    # Page 1 must not say "not taken up to the end of this period".
    pages = _pdf(course, tmp_path, date(2026, 1, 1), date(2026, 1, 16), "before")
    first, everything = pages[0], " ".join(pages)
    assert "not taken up to the end of this period" not in everything.split("PHQ-9")[0]
    assert "GAD-7 total 16 (severe range) 25 January 2026, after this period" in first
    assert (
        "total 14 (moderate range) 15 January 2026 (3 questionnaires in this period, "
        "before the baseline)"
    ) in first
    # No change, response or remission is claimed for it.
    gad_row = first.split("GAD-7", 1)[1].split("PHQ-9", 1)[0]
    assert "reached" not in gad_row and "points" not in gad_row
    assert "GAD-7: Generalized Anxiety Disorder 7 (3 in this period)" in everything
    # PHQ-9 was never taken: that statement is true.
    assert "PHQ-9 not taken up to the end of this period" in first


def test_a_period_after_the_last_questionnaire_says_the_latest_came_before_it(
    course: Journal, tmp_path: Path
) -> None:
    # 1–31 March 2027 holds only a check-in; the latest GAD-7 (1 March 2026) is earlier.
    course.add_checkin("2027-03-05T21:00", 4)
    first = _pdf(course, tmp_path, date(2027, 3, 1), date(2027, 3, 31), "after")[0]
    assert "total 6 (mild range) 1 March 2026 (before this period)" in first
    # 16 → 6 is -62.5%: a response; 6 is not below 5: no remission; -10 meets the MCID.
    assert "-10 points (-62.5%) reached not reached reached" in first


def test_a_period_during_treatment_with_the_baseline_inside_it(
    course: Journal, tmp_path: Path
) -> None:
    first = _pdf(course, tmp_path, date(2026, 1, 20), date(2026, 3, 10), "during")[0]
    assert "GAD-7 total 16 (severe range) 25 January 2026 total 6 (mild range) 1 March 2026" in (
        first
    )


def test_a_baseline_below_ten_reads_not_applicable(journal: Journal, tmp_path: Path) -> None:
    # GAD-7 3 → 1 (-66.7%) from a baseline below the cut-point: neither a response nor a
    # remission, "not applicable (baseline below 10)"; 2 points is short of the MCID (4).
    journal.add_assessment("GAD-7", "2026-01-02T09:00", [1, 1, 1, 0, 0, 0, 0])
    journal.add_session("2026-01-05T10:00", "iv")
    journal.add_assessment("GAD-7", "2026-02-02T09:00", [1, 0, 0, 0, 0, 0, 0])
    first = _pdf(journal, tmp_path, date(2026, 1, 1), date(2026, 2, 28), "low")[0]
    assert (
        "-2 points (-66.7%) not applicable (baseline below 10) not applicable (baseline "
        "below 10) not reached"
    ) in first


def test_a_session_minutes_old_is_too_early_to_tell_on_page_one(
    journal: Journal, tmp_path: Path
) -> None:
    now = datetime.now().replace(second=0, microsecond=0)
    journal.add_checkin(now - timedelta(hours=3), 7)
    journal.add_session(now - timedelta(minutes=10), "iv", anxiety_before=8, anxiety_after=3)
    pages = _pdf(journal, tmp_path, now.date() - timedelta(days=1), now.date(), "minutes")
    first = pages[0]
    said = headline(journal.relief())
    assert said.endswith("is too early to tell: no anxiety rating since it yet.")
    assert f"Relief after sessions⁵: {said}" in first
    assert "0.0 day" not in first and "0 days" not in first
    relief_page = next(p for p in pages if "Relief after each session" in p)
    assert said in relief_page
    assert "too early to tell" in relief_page.split("Held until", 1)[1]


@needs_pdftoppm
def test_relief_pages_rendered_for_a_person(
    journal: Journal, tmp_path: Path, shots_dir: Path
) -> None:
    """A first series and boosters with a known pattern; pages saved as PNG to look at."""
    start = datetime(2026, 1, 5, 10)
    journal.add_assessment("GAD-7", start - timedelta(days=2), GAD_16)
    days = (0, 3, 7, 10, 14, 17, 40, 70, 100)
    for day in days:
        journal.add_session(start + timedelta(days=day), "iv", anxiety_before=8, anxiety_after=3)
    # Relief (3) after each session for longer the later the session: 2 days after the
    # first, then half a day more each time; 7 otherwise.
    for hours in range(-20, 24 * 112, 12):
        number = sum(1 for d in days if d * 24 <= hours)
        since = hours - days[max(0, number - 1)] * 24
        held = 24 * (2 + 0.5 * (number - 1))
        journal.add_checkin(start + timedelta(hours=hours + 1), 3 if 0 <= since < held else 7)
    pdf = tmp_path / "relief.pdf"
    write_report(journal, pdf, ReportOptions(start=date(2026, 1, 1), end=date(2026, 4, 30)))
    pages = render_pages(pdf, shots_dir, "report-relief")
    assert len(pages) >= 2
