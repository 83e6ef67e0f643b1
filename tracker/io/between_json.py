"""The version-2 lists `reflections` and `followups` of the interchange format.

Kept beside journal_json, which calls these for its version-2 document.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tracker.domain.between import BETWEEN_TYPES, Reflection
from tracker.domain.entries import Entry
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


def session_links(placed: list[tuple[str, Entry]]) -> list[tuple[str, datetime]]:
    """(place of the link, session time) of every reflection that names a session."""
    return [
        (f"{place}.session_at", entry.session_at)
        for place, entry in placed
        if isinstance(entry, Reflection) and entry.session_at is not None
    ]
