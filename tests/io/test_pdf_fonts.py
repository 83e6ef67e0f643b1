"""Characters the report's font lacks (Chinese, Japanese, Korean) or that are control
characters are marked on the page and named, never dropped silently."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from tracker.io import pdf_fonts
from tracker.io.report import ReportOptions, render_report
from tracker.journal import Journal


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.fixture
def no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_fonts, "cjk_font_files", lambda: ())


def test_a_name_no_font_can_show_is_marked_and_named_on_the_page(
    journal_path: Path, no_cjk_font: None
) -> None:
    with Journal.open(journal_path, create=True, backups=False) as journal:
        journal.add_checkin("2026-01-05T21:10", 6, note="bell\x07 rang; 山田さん called")
        journal.add_session("2026-01-06T10:00", "iv", dose_mg=35.0)
        options = ReportOptions(patient_name="김민지 (Kim)", include_notes=True)
        text = _text(render_report(journal, options))
    # Before: "김민지" and "山田さん" vanished and the bell character with them, unsaid.
    assert "□□□ (Kim)" in text
    assert "rang; □□□□ called" in text
    assert "bell� rang" in text
    assert "Not every character could be shown" in text
    assert "U+AE40" in text and "U+5C71" in text and "U+0007" in text


def test_a_report_with_only_what_the_font_has_says_nothing_more(
    journal_path: Path, no_cjk_font: None
) -> None:
    with Journal.open(journal_path, create=True, backups=False) as journal:
        journal.add_checkin("2026-01-05T21:10", 6, note="Café with Zoë — Dissoc\u00adiation")
        text = _text(render_report(journal, ReportOptions(include_notes=True)))
    assert "Not every character" not in text and "Zoë" in text


def test_fontconfig_fonts_that_lack_the_script_are_not_used(
    journal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import matplotlib

    dejavu = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSerif.ttf"
    monkeypatch.setattr(pdf_fonts, "cjk_font_files", lambda: (dejavu,))
    with Journal.open(journal_path, create=True, backups=False) as journal:
        journal.add_checkin("2026-01-05T21:10", 6)
        text = _text(render_report(journal, ReportOptions(patient_name="山田")))
    assert "□□" in text and "Not every character could be shown" in text


def test_the_installed_cjk_fonts_are_found_through_fontconfig() -> None:
    pdf_fonts.cjk_font_files.cache_clear()
    found = pdf_fonts.cjk_font_files()
    assert all(p.suffix.lower() in pdf_fonts.SUFFIXES and p.is_file() for p in found)
