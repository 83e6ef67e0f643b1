"""Reflections, follow-up checks and dismissed prompts as rows (schema step BETWEEN_SESSIONS).

Kept apart from the four original kinds' TABLES, which also describe journals and backups
written before these tables existed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from tracker.domain.between import FOLLOWUP_KEYS, PROMPTS, FollowUp, Reflection
from tracker.domain.entries import Entry
from tracker.domain.errors import Problem, ValidationError
from tracker.domain.times import format_at, parse_at, sort_key, wall_clock

TABLES = {"reflection": "reflections", "followup": "followups"}
COLUMNS: dict[str, tuple[str, ...]] = {
    "reflection": ("at", "sort_at", "session_key", "prompt", "text"),
    "followup": ("at", "sort_at", *FOLLOWUP_KEYS, "note"),
}


def _session_exists(conn: sqlite3.Connection, key: str) -> bool:
    return conn.execute("SELECT 1 FROM sessions WHERE sort_at = ?", (key,)).fetchone() is not None


def row(conn: sqlite3.Connection, entry: Entry) -> dict[str, Any]:
    """The columns of a reflection or follow-up beyond `at` and `sort_at`."""
    if isinstance(entry, Reflection):
        key = None if entry.session_at is None else sort_key(entry.session_at)
        if key is not None and not _session_exists(conn, key):
            assert entry.session_at is not None
            raise ValidationError(
                [Problem("session_at", f"there is no session at {format_at(entry.session_at)}")]
            )
        return {"session_key": key, "prompt": entry.prompt, "text": entry.text}
    if isinstance(entry, FollowUp):
        return dict(zip(FOLLOWUP_KEYS, entry.answers, strict=True)) | {"note": entry.note}
    raise TypeError(f"not a reflection or follow-up: {entry!r}")


def reflections_sql(where: str) -> str:
    """Reflections matching `where` (columns of alias r), each with its session's own time:
    rows of (id, at, session at, prompt, text) for reflection_from_row().

    A reflection whose session was deleted reads as unlinked until the session is back.
    """
    return (
        "SELECT r.id, r.at, t.at, r.prompt, r.text FROM reflections r "
        "LEFT JOIN sessions t ON t.sort_at = r.session_key "
        f"WHERE {where} ORDER BY r.sort_at, r.id"
    )


def reflection_from_row(_kind: str, row: Sequence[Any]) -> Entry:
    entry_id, at, session_at, prompt, text = row
    return Reflection(
        at=parse_at(at),
        text=text,
        session_at=parse_at(session_at) if session_at else None,
        # A prompt belongs to its session; while the session is away it is not shown.
        prompt=prompt if session_at else None,
        id=entry_id,
    )


def followup_from_row(entry_id: int, values: dict[str, Any]) -> FollowUp:
    return FollowUp(
        at=parse_at(values["at"]),
        answers=tuple(values[k] for k in FOLLOWUP_KEYS),
        note=values["note"],
        id=entry_id,
    )


# -- dismissed prompts --------------------------------------------------------------------------


def dismiss(conn: sqlite3.Connection, session_at: datetime, prompt: str, now: datetime) -> None:
    key = sort_key(session_at)
    if prompt not in PROMPTS:
        raise ValidationError([Problem("prompt", f"{prompt!r} is not one of {', '.join(PROMPTS)}")])
    if not _session_exists(conn, key):
        raise ValidationError([Problem("session_at", f"there is no session at {key}")])
    conn.execute(
        "INSERT INTO dismissed_prompts (session_key, prompt, dismissed_at) VALUES (?, ?, ?) "
        "ON CONFLICT (session_key, prompt) DO NOTHING",
        (key, prompt, format_at(now)),
    )


def _time(value: object) -> datetime | None:
    """A stored time, or None when the row holding it is damaged: the reads that give whole
    entries name such a row (Journal.unreadable); what is due is said without it."""
    try:
        return parse_at(value)
    except (TypeError, ValueError):
        return None


def _prompts(rows: Iterable[tuple[object, str]]) -> list[tuple[datetime, str]]:
    return [(at, prompt) for key, prompt in rows if (at := _time(key)) is not None]


def dismissed(conn: sqlite3.Connection, since: str = "") -> list[tuple[datetime, str]]:
    """(session time, prompt) of every dismissed prompt, of sessions from `since` (a key) on."""
    rows = conn.execute(
        "SELECT session_key, prompt FROM dismissed_prompts WHERE session_key >= ? "
        "ORDER BY session_key, prompt",
        (since,),
    )
    return _prompts(rows)


def answered(conn: sqlite3.Connection, since: str = "") -> list[tuple[datetime, str]]:
    """(session time, prompt) of every reflection answering a prompt, of sessions from `since`."""
    rows = conn.execute(
        "SELECT DISTINCT session_key, prompt FROM reflections "
        "WHERE session_key >= ? AND prompt IS NOT NULL ORDER BY session_key, prompt",
        (since,),
    )
    return _prompts(rows)


# -- what the due computation needs, in a few bounded queries --------------------------------


class DueContext(NamedTuple):
    """Session and follow-up times enough to say what is due at one moment.

    `sessions` holds the sessions of the last `recent` period plus the first and the last
    one up to that moment; `followups` the latest follow-up check up to then.
    """

    sessions: list[datetime]
    followups: list[datetime]
    answered: list[tuple[datetime, str]]
    dismissed: list[tuple[datetime, str]]
    # Stored times that could not be read (damaged rows), left out of the above.
    damaged: int = 0


def due_context(conn: sqlite3.Connection, now: datetime, recent: timedelta) -> DueContext:
    # Today's later sessions count as logged (a planned session that day is not due).
    until = (wall_clock(now).date() + timedelta(days=1)).isoformat()
    since = sort_key(now - recent)
    times = {
        row[0]
        for row in conn.execute(
            "SELECT at FROM sessions WHERE sort_at >= ? AND sort_at < ?", (since, until)
        )
    }
    for order in ("ASC", "DESC"):
        row = conn.execute(
            f"SELECT at FROM sessions WHERE sort_at <= ? ORDER BY sort_at {order} LIMIT 1",
            (sort_key(now),),
        ).fetchone()
        if row is not None:
            times.add(row[0])
    latest = conn.execute(
        "SELECT at FROM followups WHERE sort_at <= ? ORDER BY sort_at DESC LIMIT 1",
        (sort_key(now),),
    ).fetchone()
    read = [at for at in map(_time, times) if at is not None]
    latest_at = _time(latest[0]) if latest else None
    damaged = len(times) - len(read) + (1 if latest and latest_at is None else 0)
    return DueContext(
        sessions=sorted(read, key=sort_key),
        followups=[latest_at] if latest_at is not None else [],
        answered=answered(conn, since),
        dismissed=dismissed(conn, since),
        damaged=damaged,
    )
