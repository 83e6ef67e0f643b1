"""One CSV per kind of entry, with a header row and ISO dates, for spreadsheets and clinics."""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from tracker.domain.between import FOLLOWUP_KEYS, FollowUp
from tracker.domain.entries import Assessment, Entry, Medication, TreatmentSession
from tracker.domain.instruments import instruments
from tracker.journal import ALL_KINDS, Journal

FILES = {
    "checkin": "checkins.csv",
    "assessment": "assessments.csv",
    "session": "sessions.csv",
    "side_effect": "side_effects.csv",
    "reflection": "reflections.csv",
    "followup": "followups.csv",
    "medication": "medications.csv",
    "medication_dose": "medication_doses.csv",
    "planned_session": "planned_sessions.csv",
}


def _max_items() -> int:
    return max(len(i.items) for i in instruments().values())


def _columns(kind: str) -> list[str]:
    if kind == "checkin":
        return ["at", "date", "anxiety", "mood", "sleep_hours", "note"]
    if kind == "assessment":
        items = [f"item_{n}" for n in range(1, _max_items() + 1)]
        return ["at", "date", "instrument", *items, "difficulty", "total", "severity"]
    if kind == "session":
        return [
            "at",
            "date",
            "route",
            "dose_mg",
            "dose_mg_per_kg",
            "weight_kg",
            "duration_min",
            "bp_before_systolic",
            "bp_before_diastolic",
            "bp_after_systolic",
            "bp_after_diastolic",
            "heart_rate_before",
            "heart_rate_after",
            "anxiety_before",
            "anxiety_after",
            "dissociation",
            "clinic",
            "notes",
            "devices",
            "bp_mid_systolic",
            "bp_mid_diastolic",
            "bp_mid_min",
            "sleepiness",
            "ready_after_min",
            "intention",
        ]
    if kind == "reflection":
        return ["at", "date", "session_at", "prompt", "text"]
    if kind == "followup":
        return ["at", "date", *FOLLOWUP_KEYS, "note"]
    if kind == "medication":
        return [
            "name",
            "class",
            "dose_mg",
            "schedule",
            "times_per_day",
            "started",
            "stopped",
            "note",
        ]
    if kind == "medication_dose":
        return ["at", "date", "medication", "dose_mg", "note"]
    if kind == "planned_session":
        return ["at", "date", "route", "note", "dismissed"]
    return ["at", "date", "effect", "severity", "duration_min", "session_at", "note"]


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...),
# +cmd|..., -2+3, @SUM, or a tab or carriage return hiding one): such text is written
# with a leading apostrophe, which spreadsheets read as "this is text".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should see it: text that could run as a formula, quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _row(entry: Entry) -> dict[str, Any]:
    row = entry.to_json()
    if "at" in row:
        row["date"] = row["at"][:10]
    if isinstance(entry, Assessment):
        answers = row.pop("answers")
        row.update({f"item_{n}": a for n, a in enumerate(answers, start=1)})
    if isinstance(entry, TreatmentSession):
        for key in ("bp_before", "bp_after", "bp_mid"):
            pair = row.pop(key) or [None, None]
            row[f"{key}_systolic"], row[f"{key}_diastolic"] = pair
    if isinstance(entry, FollowUp):
        row.update(row.pop("answers"))
    return {key: safe_cell(value) for key, value in row.items()}


def export_csv(
    journal: Journal,
    folder: Path,
    start: date | None = None,
    end: date | None = None,
    *,
    excel: bool = False,
) -> list[Path]:
    """Write one CSV file per kind into `folder` (made if missing); return their paths.

    The whole set is written and synced in a temporary folder first and only then moved
    into place, so a full disk midway leaves the files that were there before, all of them.
    `excel` starts each file with a UTF-8 byte-order mark, without which Excel reads the
    file in the system's legacy code page and garbles every accent.
    """
    encoding = "utf-8-sig" if excel else "utf-8"
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".onset-csv.", suffix=".part", dir=folder))
    try:
        for kind in ALL_KINDS:
            path = staging / FILES[kind]
            entries: list[Entry] | list[Medication]
            if kind == "medication":
                entries = journal.medications(start, end)  # those taken at some time in range
            else:
                entries = journal.entries(kind, start, end)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=_columns(kind), extrasaction="ignore")
                writer.writeheader()
                for entry in entries:
                    writer.writerow(_row(entry))
                handle.flush()
                os.fsync(handle.fileno())
        # Renames within one folder take no space: once every file is written they succeed.
        written = []
        for kind in ALL_KINDS:
            os.replace(staging / FILES[kind], folder / FILES[kind])
            written.append(folder / FILES[kind])
        _sync_folder(folder)
    except OSError as exc:  # named after the folder asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror or str(exc), str(folder)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
