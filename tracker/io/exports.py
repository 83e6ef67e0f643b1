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
    if kind == "json":
        from tracker.io.atomic import write_atomic
        from tracker.io.journal_json import dumps, export_document

        write_atomic(target, dumps(export_document(journal, start, end)))
    elif kind == "csv":
        from tracker.io.csv_export import export_csv

        export_csv(journal, target, start, end, excel=excel)
    elif kind == "fhir":
        from tracker.io.atomic import write_atomic
        from tracker.io.fhir import export_bundle

        bundle = export_bundle(journal, start, end, name=name)
        write_atomic(target, json.dumps(bundle, ensure_ascii=False, indent=2) + "\n")
    elif kind == "pdf":
        from dataclasses import replace

        from tracker.io.report import ReportOptions, write_report

        options = replace(report or ReportOptions(), start=start, end=end)
        write_report(journal, target, options)
    else:
        raise ValueError(f"no export called {kind!r}; choose one of {', '.join(EXPORTS)}")
