"""Every export by its name, written once for the command line and the window.

`write_export(journal, "json" | "csv" | "fhir" | "pdf", target, ...)`: JSON and FHIR are one
file each, CSV a folder of files, PDF the appointment summary (ReportOptions). Each is
written atomically by its module, so a failure leaves the old file or none.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.io.report import ReportOptions
    from tracker.journal import Journal

EXPORTS = ("json", "csv", "fhir", "pdf")


def write_export(
    journal: Journal,
    kind: str,
    target: Path,
    start: date | None = None,
    end: date | None = None,
    *,
    report: ReportOptions | None = None,
    name: str | None = None,
    excel: bool = False,
) -> None:
    """Write one export of the days `start`..`end` (inclusive; None = no bound) to `target`.

    `name` is the patient's name in a FHIR bundle; `excel` starts each CSV file with the
    byte-order mark Excel needs; `report` says what goes into the PDF.
    """
    from tracker.io.output import check_output

    # Never over the journal, its side files or its backups; a symlink is written through.
    target = check_output(target, journal.path, folder=kind == "csv")
    if kind == "csv":
        from tracker.io.csv_export import export_csv

        export_csv(journal, target, start, end, excel=excel)
        return
    data = export_data(journal, kind, start, end, report=report, name=name)
    from tracker.io.atomic import write_atomic

    write_atomic(target, data)


def export_data(
    journal: Journal,
    kind: str,
    start: date | None = None,
    end: date | None = None,
    *,
    report: ReportOptions | None = None,
    name: str | None = None,
) -> str | bytes:
    """A one-file export (JSON, FHIR, PDF) as text or bytes, for a file or standard output."""
    if kind == "json":
        from tracker.io.journal_json import dumps, export_document

        return dumps(export_document(journal, start, end))
    if kind == "fhir":
        from tracker.io.fhir import export_bundle

        bundle = export_bundle(journal, start, end, name=name)
        return json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"
    if kind == "pdf":
        from dataclasses import replace

        from tracker.io.report import ReportOptions, render_report

        options = replace(report or ReportOptions(), start=start, end=end)
        return render_report(journal, options)
    raise ValueError(f"no export called {kind!r}; choose one of {', '.join(EXPORTS)}")
