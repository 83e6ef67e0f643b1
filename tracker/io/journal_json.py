"""The `onset-journal` JSON interchange format, version 1 (shared/journal-format.md)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tracker.domain.entries import BY_SECTION, ENTRY_TYPES, Entry
from tracker.domain.errors import Problem, ValidationError
from tracker.domain.times import type_name
from tracker.journal import Journal

FORMAT = "onset-journal"
VERSION = 1
MAX_IMPORT_BYTES = 512 * 1024 * 1024


def export_document(
    journal: Journal, start: date | None = None, end: date | None = None
) -> dict[str, Any]:
    """The journal (or the inclusive day range) as an interchange document."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    for entry_type in ENTRY_TYPES:
        document[entry_type.SECTION] = [
            e.to_json() for e in journal.entries(entry_type.KIND, start, end)
        ]
    return document


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def read_document(data: object) -> list[tuple[str, Entry]]:
    """Every entry of a parsed document with its place, or every problem with its place."""
    if not isinstance(data, dict):
        raise ValidationError(
            [Problem("", f"this is not an Onset journal file ({type_name(data)} at the top)")]
        )
    if data.get("format") != FORMAT:
        raise ValidationError(
            [Problem("format", f'this is not an Onset journal file (expected "{FORMAT}")')]
        )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValidationError([Problem("version", "must be a whole number of at least 1")])
    if version > VERSION:
        raise ValidationError(
            [
                Problem(
                    "version",
                    f"the file is format version {version}, written by a newer "
                    f"Onset; this version reads up to {VERSION}",
                )
            ]
        )
    placed: list[tuple[str, Entry]] = []
    problems: list[Problem] = []
    for section, entry_type in BY_SECTION.items():
        items = data.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(Problem(section, f"must be a list, not {type_name(items)}"))
            continue
        for index, item in enumerate(items):
            place = f"{section}[{index}]"
            try:
                placed.append((place, entry_type.from_json(item, place)))
            except ValidationError as exc:
                problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)
    return placed


def load_file(path: Path) -> list[tuple[str, Entry]]:
    """Read and check an interchange file; nothing touches the journal here."""
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ValidationError([Problem("", f"{path} is too large to be a journal file")])
        raw = path.read_bytes()
    except IsADirectoryError:
        raise ValidationError([Problem("", f"{path} is a folder, not a journal file")]) from None
    except FileNotFoundError:
        raise ValidationError([Problem("", f"{path} does not exist")]) from None
    except OSError as exc:
        raise ValidationError([Problem("", f"{path} cannot be read ({exc.strerror})")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError([Problem("", f"{path} is not a text file in UTF-8")]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            [
                Problem(
                    "",
                    f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                )
            ]
        ) from None
    except RecursionError:
        raise ValidationError(
            [Problem("", f"{path} is nested too deeply to be a journal file")]
        ) from None
    return read_document(data)
