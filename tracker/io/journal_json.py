"""The `onset-journal` JSON interchange format, version 2 (shared/journal-format.md).

Version 1 files still import: version 2 only adds fields and lists.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tracker.domain.entries import (
    BY_SECTION,
    ENTRY_TYPES,
    Entry,
    Medication,
    MedicationDose,
    SideEffect,
    TreatmentSession,
    future_problems,
)
from tracker.domain.errors import Problem, ValidationError
from tracker.domain.times import format_at, sort_key, type_name
from tracker.io import between_json
from tracker.journal import Journal
from tracker.storage.repository import fingerprint

FORMAT = "onset-journal"
VERSION = 2
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
        if entry_type is Medication:
            # A medicine belongs to a range when its period shares a day with it.
            document[entry_type.SECTION] = [e.to_json() for e in journal.medications(start, end)]
            continue
        document[entry_type.SECTION] = [
            e.to_json() for e in journal.entries(entry_type.KIND, start, end)
        ]
    document.update(between_json.export_between(journal, start, end))
    if start or end:
        # A side effect in the range whose session lies outside it brings that session
        # along, so that a ranged export still imports on its own.
        sessions = journal.sessions(start, end)
        exported = {sort_key(s.at) for s in sessions}
        wanted = {
            sort_key(e.session_at): e.session_at
            for e in journal.side_effects(start, end)
            if e.session_at is not None
        }
        wanted |= {sort_key(at): at for at in between_json.linked_sessions(journal, start, end)}
        missing = [journal.session_at(at) for key, at in wanted.items() if key not in exported]
        if any(missing):
            sessions += [s for s in missing if s is not None]
            sessions.sort(key=lambda s: sort_key(s.at))
            document["sessions"] = [s.to_json() for s in sessions]
    return document


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def link_problems(
    placed: Sequence[tuple[str, Entry]],
    journal_sessions: Mapping[str, str],
    journal_medications: Sequence[Medication] = (),
) -> list[Problem]:
    """Problems only the whole file and the journal together can show, found before writing.

    `journal_sessions` maps each session time already in the journal (its sort key) to
    that session's fingerprint. A session may not take a time another, different session
    holds; a side effect must point at a session in the file or in the journal.
    """
    problems: list[Problem] = []
    in_file: dict[str, tuple[str, str]] = {}
    for place, entry in placed:
        if not isinstance(entry, TreatmentSession):
            continue
        key, print_ = sort_key(entry.at), fingerprint(entry)
        when = format_at(entry.at)
        if key in in_file and in_file[key][1] != print_:
            problems.append(
                Problem(f"{place}.at", f"{in_file[key][0]} is another session at {when}")
            )
        elif key in journal_sessions and journal_sessions[key] != print_:
            problems.append(
                Problem(f"{place}.at", f"the journal already has a different session at {when}")
            )
        in_file.setdefault(key, (place, print_))
    links = [
        (f"{place}.session_at", entry.session_at)
        for place, entry in placed
        if isinstance(entry, SideEffect) and entry.session_at is not None
    ]
    for link_place, at in links + between_json.session_links(list(placed)):
        key = sort_key(at)
        if key not in in_file and key not in journal_sessions:
            problems.append(
                Problem(
                    link_place,
                    f"there is no session at {format_at(at)} in this file or the journal",
                )
            )
    problems.extend(_medicine_problems(placed, journal_medications))
    return problems


def _medicine_problems(
    placed: Sequence[tuple[str, Entry]], journal_medications: Sequence[Medication]
) -> list[Problem]:
    """Periods of one medicine that overlap; doses no medicine's period holds."""
    from tracker.domain.medicines import overlap_problems

    medicines = [(place, e) for place, e in placed if isinstance(e, Medication)]
    problems = overlap_problems(medicines, journal_medications)
    known = [m for _, m in medicines] + list(journal_medications)
    for place, entry in placed:
        if isinstance(entry, MedicationDose) and entry.taken_of(known) is None:
            problems.append(
                Problem(
                    f"{place}.medication",
                    f"no medicine named {entry.medication} is recorded as taken on "
                    f"{entry.at.date().isoformat()}, in this file or the journal",
                )
            )
    return problems


def check_header(data: object) -> None:
    """Refuse what is not an `onset-journal` document of a version this Onset reads."""
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


def read_document(
    data: object,
    journal_sessions: Mapping[str, str] | None = None,
    journal_medications: Sequence[Medication] = (),
    *,
    now: datetime | None = None,
) -> list[tuple[str, Entry]]:
    """Every entry of a parsed document with its place, or every problem with its place.

    With `journal_sessions` (see link_problems) the links between entries are checked too,
    so that an import lists every problem at once before the journal is touched.
    An entry too far ahead of `now` (the time of the import) is refused.
    """
    now = now or datetime.now()
    check_header(data)
    assert isinstance(data, dict)
    placed: list[tuple[str, Entry]] = []
    problems: list[Problem] = []
    # Reflections and follow-up checks are read with the rest, after them in import order.
    for section, entry_type in (BY_SECTION | between_json.SECTIONS).items():
        items = data.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(Problem(section, f"must be a list, not {type_name(items)}"))
            continue
        for index, item in enumerate(items):
            place = f"{section}[{index}]"
            try:
                entry = entry_type.from_json(item, place)
            except ValidationError as exc:
                problems.extend(exc.problems)
                continue
            ahead = future_problems(entry, now)
            if ahead:
                problems.extend(ValidationError(ahead).within(place).problems)
                continue
            placed.append((place, entry))
    if journal_sessions is not None:
        problems.extend(link_problems(placed, journal_sessions, journal_medications))
    if problems:
        raise ValidationError(problems)
    return placed


def load_file(
    path: Path, journal_sessions: Mapping[str, str] | None = None
) -> list[tuple[str, Entry]]:
    """Read and check an interchange file; nothing touches the journal here."""
    return read_document(read_json_file(path), journal_sessions)


def read_json_file(path: Path) -> dict[str, Any]:
    """The parsed file when it is an interchange document at all; its entries are unchecked."""
    try:
        raw = _read_capped(path)
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
        data = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_unique_keys)
    except _NotStrictJson as exc:
        raise ValidationError([Problem("", f"{path} {exc}")]) from None
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
    except ValueError:  # an integer longer than Python will convert (4300 digits)
        raise ValidationError([Problem("", f"{path} holds a number too long to read")]) from None
    check_header(data)
    assert isinstance(data, dict)
    return data


def _read_capped(path: Path) -> bytes:
    """The bytes of a regular file no larger than MAX_IMPORT_BYTES. A device (/dev/zero says
    it is 0 bytes long and never ends), a pipe nobody writes to or a socket is refused at
    once: opening without blocking, and checking what was opened rather than the name."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(mode):
            raise ValidationError(
                [Problem("", f"{path} is a device, pipe or socket, not a journal file")]
            )
        raw = handle.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise ValidationError([Problem("", f"{path} is too large to be a journal file")])
    return raw


class _NotStrictJson(ValueError):
    """Text Python's parser would accept but that is not plain, unambiguous JSON."""


def _refuse_constant(name: str) -> Any:
    raise _NotStrictJson(f"is not valid JSON: it holds {name}, which JSON does not allow")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object; one that names a key twice is refused, since either value could be meant."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _NotStrictJson(
                    f'has the key "{key}" twice in one object; which value is meant is unclear'
                )
            seen.add(key)
    return data
