"""The appointment summary PDF: the figures the domain computes, on pages a person reads.

Text is read back with pypdf; pages are rendered to PNG with poppler's pdftoppm (when it
is installed) into the screenshots folder, for a person to look at.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.io.test_report_journal import Facts, fill_journal
from tracker.domain.instruments import instrument
from tracker.io.report import ReportOptions, write_report
from tracker.io.report_data import FOOTER_LINE, long_date
from tracker.journal import Journal

ZOE = "Zoë Ørsted-Łukasiewicz"
GREEK = "Ελένη Παπαδοπούλου"
CYRILLIC = "Анна Кузнецова"
ITEM_9 = (
    "PHQ-9 item 9 (thoughts that you would be better off dead or of hurting yourself in some "
    "way) answered “Several days” on {day}."
)


def page_texts(path: Path) -> list[str]:
    """Each page's text with runs of white space made single spaces."""
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def render_pages(pdf: Path, folder: Path, stem: str) -> list[Path]:
    """Every page as PNG via pdftoppm, for a person to look at."""
    for old in folder.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", str(pdf), str(folder / stem)], check=True, timeout=60
    )
    return sorted(folder.glob(f"{stem}-*.png"))


needs_pdftoppm = pytest.mark.skipif(
    shutil.which("pdftoppm") is None,
    reason="pdftoppm not found: install Debian's poppler-utils to render report pages to PNG",
)


@dataclass
class Made:
    journal: Journal
    facts: Facts
    pdf: Path
    pages: list[str]
    # What fpdf2 logged while drawing: an SVG feature it skips (hatching, say) or a
    # glyph missing from the font would silently drop ink from the page.
    fpdf_warnings: list[str]


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _make(
    folder: Path, days: int, options: dict[str, Any], first_day: date = date(2026, 1, 5)
) -> Iterator[Made]:
    journal = Journal.open(folder / "journal.onset", create=True)
    collect = _Collect()
    logging.getLogger("fpdf").addHandler(collect)
    try:
        facts = fill_journal(journal, first_day, days)
        pdf = folder / "summary.pdf"
        write_report(
            journal, pdf, ReportOptions(start=facts.first_day, end=facts.last_day, **options)
        )
        logging.getLogger("fpdf").removeHandler(collect)
        yield Made(journal, facts, pdf, page_texts(pdf), collect.messages)
    finally:
        logging.getLogger("fpdf").removeHandler(collect)
        journal.close()


@pytest.fixture(scope="module")
def ninety_days(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Made]:
    options = {"patient_name": ZOE, "provider_name": f"Dr {GREEK}"}
    yield from _make(tmp_path_factory.mktemp("ninety"), 90, options)


@pytest.fixture(scope="module")
def one_year(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Made]:
    options = {"patient_name": CYRILLIC, "include_notes": True}
    yield from _make(tmp_path_factory.mktemp("year"), 365, options)


def _until(day: date) -> datetime:
    return datetime.combine(day, datetime.max.time()).replace(microsecond=0)


def test_page_one_shows_the_figures_the_domain_computes(ninety_days: Made) -> None:
    journal, facts, first = ninety_days.journal, ninety_days.facts, ninety_days.pages[0]
    assert ZOE in first
    assert f"Prepared for: Dr {GREEK}" in first
    assert f"Period: {long_date(facts.first_day)} – {long_date(facts.last_day)}" in first
    assert f"Made on {long_date(date.today())}" in first
    for name in ("GAD-7", "PHQ-9"):
        change = journal.change(name, until=_until(facts.last_day))
        assert change is not None and change.percent_change is not None
        bands = instrument(name)
        baseline, latest = change.baseline, change.latest
        words = {True: "reached", False: "not reached", None: "not applicable (baseline below 10)"}
        row = " ".join(
            [
                name,
                f"total {baseline.total} ({bands.band(baseline.total).label} range)",
                long_date(baseline.at),
                f"total {latest.total} ({bands.band(latest.total).label} range)",
                long_date(latest.at),
                f"{change.change:+d} points ({change.percent_change:+.1f}%)",
                words[change.response],
                words[change.remission],
                words[change.mcid_met],
            ]
        )
        assert row in first, row
    sessions = journal.sessions(facts.first_day, facts.last_day)
    assert f"Sessions in this period: {len(sessions)} " in first
    assert "Intravenous infusion: 8 sessions, 35–52.5 mg (0.5–0.75 mg/kg)." in first
    assert "Relief after sessions⁵: Relief came within a median of" in first
    assert "Most severe: Headache (severe) on 22 Jan 2026." in first
    assert facts.item9_days
    for day in facts.item9_days:
        assert ITEM_9.format(day=long_date(day)) in first
    for footnote in ("¹ Baseline:", "² Response:", "³ Remission:", "⁴ Minimal", "⁵ Relief:"):
        assert footnote in first


def test_every_page_has_the_footer_and_its_number(ninety_days: Made, one_year: Made) -> None:
    for made in (ninety_days, one_year):
        count = len(made.pages)
        assert count >= 5
        for number, text in enumerate(made.pages, start=1):
            assert FOOTER_LINE in text
            assert text.endswith(f"Page {number} of {count}")


def test_the_detail_follows_page_one(ninety_days: Made) -> None:
    rest = " ".join(ninety_days.pages[1:])
    for title in (
        "Relief after each session",
        "Treatment sessions",
        "Side effects by session and severity",
        "Questionnaires, item by item",
    ):
        assert title in rest
    assert "15 Jan 2026 10:00 Intravenous infusion 35 mg (0.5 mg/kg) 40 min" in rest
    assert "Tingling in hands" in rest
    assert "GAD-7: Generalized Anxiety Disorder 7 (13 in this period)" in rest
    assert "Dissociation is the patient's own 0–10 rating, not the clinician-rated CADSS." in rest


def test_notes_appear_only_when_asked_for(ninety_days: Made, one_year: Made) -> None:
    without = " ".join(ninety_days.pages)
    assert not any(note in without for note in ninety_days.facts.notes)
    assert "Notes" not in ninety_days.pages[-1]
    with_notes = " ".join(one_year.pages)
    assert "The patient chose to include their notes" in with_notes
    assert "Café with Zoë, felt almost normal." in with_notes
    assert "Needed to lie down in a dark room." in with_notes


def test_charts_and_text_lose_nothing_on_the_way_into_the_pdf(
    ninety_days: Made, one_year: Made
) -> None:
    assert ninety_days.fpdf_warnings == []
    assert one_year.fpdf_warnings == []


def test_metadata_is_set(ninety_days: Made) -> None:
    from pypdf import PdfReader

    meta = PdfReader(ninety_days.pdf).metadata
    assert meta is not None
    assert meta.title == "Appointment summary, 5 January 2026 – 4 April 2026"
    assert meta.author == ZOE
    assert meta.creation_date is not None
    assert abs((meta.creation_date - datetime.now().astimezone()).total_seconds()) < 600
    assert FOOTER_LINE in str(meta.subject)


@pytest.mark.parametrize("name", [ZOE, GREEK, CYRILLIC])
def test_an_empty_period_gives_one_page_and_names_stay_intact(
    journal: Journal, tmp_path: Path, name: str
) -> None:
    journal.add_checkin(at="2026-01-05T21:00", anxiety=5, note="outside the period")
    out = tmp_path / "empty.pdf"
    options = ReportOptions(date(2026, 3, 1), date(2026, 3, 31), name, CYRILLIC, True)
    write_report(journal, out, options)
    (page,) = page_texts(out)
    assert name in page
    assert f"Prepared for: {CYRILLIC}" in page
    assert "Nothing was recorded in this period (1 March 2026 – 31 March 2026)" in page
    assert "outside the period" not in page
    assert page.endswith(f"{FOOTER_LINE} Page 1 of 1")


def test_only_the_chosen_sections_follow(journal: Journal, tmp_path: Path) -> None:
    facts = fill_journal(journal, date(2026, 1, 5), 21)
    out = tmp_path / "sessions-only.pdf"
    write_report(
        journal, out, ReportOptions(facts.first_day, facts.last_day, sections=("sessions",))
    )
    pages = page_texts(out)
    assert len(pages) == 2
    assert "Treatment sessions" in pages[1]
    assert "Questionnaires, item by item" not in pages[1]


def test_options_are_checked_and_a_failed_write_leaves_nothing(
    journal: Journal, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="unknown report sections"):
        ReportOptions(sections=("charts",))
    with pytest.raises(ValueError, match="after it ends"):
        ReportOptions(date(2026, 3, 2), date(2026, 3, 1))
    target = tmp_path / "kept.pdf"
    target.write_bytes(b"the old file")
    with pytest.raises(OSError):
        write_report(journal, tmp_path / "missing" / "x.pdf", ReportOptions())
    write_report(journal, target, ReportOptions())
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("journal")] == ["kept.pdf"]


def test_report_modules_do_not_load_matplotlib_or_fpdf_on_import() -> None:
    code = (
        "import sys, tracker.io.report, tracker.ui.dialogs.export; "
        "print(sorted(m for m in ('matplotlib', 'fpdf', 'numpy') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


@needs_pdftoppm
def test_pages_render_for_a_person_to_look_at(
    ninety_days: Made, one_year: Made, shots_dir: Path
) -> None:
    for made, stem in ((ninety_days, "report-90-days"), (one_year, "report-1-year")):
        shutil.copy(made.pdf, shots_dir / f"{stem}.pdf")
        pngs = render_pages(made.pdf, shots_dir, stem)
        assert len(pngs) == len(made.pages)
        assert all(p.stat().st_size > 10_000 for p in pngs)
