"""The appointment summary PDF: what the patient hands a provider.

Page 1 holds what matters in two minutes (change over treatment, the PHQ-9 item 9
answers, sessions, relief after sessions, side effects, the trajectory chart); the sections
after it hold the detail. This module is light to import (the export dialog reads its
options); fpdf and matplotlib load only inside `write_report`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tracker.io.atomic import write_atomic
from tracker.io.report_data import SECTION_TITLES, SECTIONS
from tracker.journal import Journal

__all__ = ["SECTIONS", "SECTION_TITLES", "ReportOptions", "default_file_name", "write_report"]


@dataclass(frozen=True)
class ReportOptions:
    """What to put in the report; `None` dates mean from the first entry / up to today."""

    start: date | None = None
    end: date | None = None
    patient_name: str | None = None
    provider_name: str | None = None
    include_notes: bool = False
    sections: tuple[str, ...] = SECTIONS

    def __post_init__(self) -> None:
        unknown = [s for s in self.sections if s not in SECTIONS]
        if unknown:
            raise ValueError(f"unknown report sections: {', '.join(unknown)}")
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"the period starts ({self.start}) after it ends ({self.end})")


def default_file_name(day: date | None = None) -> str:
    return f"onset-summary-{(day or date.today()).isoformat()}.pdf"


def write_report(journal: Journal, out_path: Path | str, options: ReportOptions) -> None:
    """Write the summary to `out_path` atomically: the whole new PDF or the old file.

    Never over the journal, its side files or its backups (tracker.io.output)."""
    from tracker.io.output import check_output

    target = check_output(Path(out_path), journal.path)
    write_atomic(target, render_report(journal, options))


def render_report(journal: Journal, options: ReportOptions) -> bytes:
    """The summary PDF's bytes."""
    from tracker.io.report_data import gather
    from tracker.io.report_pdf import render

    content = gather(
        journal,
        start=options.start,
        end=options.end,
        patient_name=options.patient_name,
        provider_name=options.provider_name,
        include_notes=options.include_notes,
        sections=options.sections,
    )
    return render(content)
