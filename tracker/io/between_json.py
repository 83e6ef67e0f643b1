"""The version-2 lists `reflections` and `followups` of the interchange format.

Kept beside journal_json, which calls these for its version-2 document.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tracker.domain.between import BETWEEN_TYPES, Reflection
from tracker.domain.entries import Entry
from tracker.domain.errors import Problem, ValidationError
from tracker.domain.times import type_name
from tracker.journal import Journal

SECTIONS: dict[str, type[Entry]] = {t.SECTION: t for t in BETWEEN_TYPES}


def export_between(
    journal: Journal, start: date | None = None, end: date | None = None
) -> dict[str, list[dict[str, Any]]]:
    """`reflections` and `followups` of the journal (or the inclusive day range)."""
    return {
        "reflections": [r.to_json() for r in journal.reflections(start, end)],
        "followups": [f.to_json() for f in journal.followups(start, end)],
    }


def linked_sessions(
    journal: Journal, start: date | None = None, end: date | None = None
) -> list[datetime]:
    """The sessions the reflections in the range are about (a ranged export brings them)."""
    return [r.session_at for r in journal.reflections(start, end) if r.session_at is not None]


def read_between(data: dict[str, Any]) -> tuple[list[tuple[str, Entry]], list[Problem]]:
    """Every reflection and follow-up of a parsed document with its place, and every problem."""
    placed: list[tuple[str, Entry]] = []
    problems: list[Problem] = []
    for section, entry_type in SECTIONS.items():
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
    return placed, problems


def session_links(placed: list[tuple[str, Entry]]) -> list[tuple[str, datetime]]:
    """(place of the link, session time) of every reflection that names a session."""
    return [
        (f"{place}.session_at", entry.session_at)
        for place, entry in placed
        if isinstance(entry, Reflection) and entry.session_at is not None
    ]
