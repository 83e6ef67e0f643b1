"""Entries to rows and back. Plain sqlite3; every method runs inside the caller's transaction."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from tracker.domain.between import BETWEEN_TYPES, Reflection
from tracker.domain.entries import (
    BY_KIND,
    Assessment,
    Checkin,
    Entry,
    SideEffect,
    TreatmentSession,
)
from tracker.domain.errors import Problem, ValidationError
from tracker.domain.times import day_bounds, format_at, parse_at, sort_key, wall_clock
from tracker.storage import between_rows

TABLES = {
    "checkin": "checkins",
    "assessment": "assessments",
    "session": "sessions",
    "side_effect": "side_effects",
}

_COLUMNS: dict[str, tuple[str, ...]] = {
    "checkin": ("at", "sort_at", "anxiety", "mood", "sleep_hours", "note"),
    "assessment": ("instrument", "at", "sort_at", "answers", "difficulty", "total"),
    "session": (
        "at",
        "sort_at",
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
    ),
    "side_effect": ("at", "sort_at", "effect", "severity", "duration_min", "session_id", "note"),
}
# Every kind's table; TABLES alone is what journals and backups of every version hold.
ALL_TABLES = TABLES | between_rows.TABLES
_COLUMNS |= between_rows.COLUMNS


def fingerprint(entry: Entry) -> str:
    """A digest of everything an entry says; an import skips entries already present."""
    data = entry.to_json()
    if isinstance(entry, SideEffect) and entry.session_at is not None:
        # The link is to the session at that wall-clock time; writing the time with or
        # without the session's offset must not make the same side effect look new.
        data["session_at"] = format_at(wall_clock(entry.session_at))
    if isinstance(entry, Reflection):
        # The words, their time and prompt make a reflection; its link follows the session.
        data.pop("session_at")
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{entry.KIND}:{text}".encode()).hexdigest()


def _pair(value: tuple[int, int] | None) -> tuple[int | None, int | None]:
    return (value[0], value[1]) if value else (None, None)


def _unpair(first: int | None, second: int | None) -> tuple[int, int] | None:
    return None if first is None or second is None else (first, second)


class Repository:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    # -- writing -------------------------------------------------------------------------

    def _row(self, entry: Entry) -> dict[str, Any]:
        base = {"at": format_at(entry.at_value), "sort_at": sort_key(entry.at_value)}
        if isinstance(entry, BETWEEN_TYPES):
            return base | between_rows.row(self.conn, entry)
        if isinstance(entry, Checkin):
            return base | {
                "anxiety": entry.anxiety,
                "mood": entry.mood,
                "sleep_hours": entry.sleep_hours,
                "note": entry.note,
            }
        if isinstance(entry, Assessment):
            return base | {
                "instrument": entry.instrument,
                "answers": json.dumps(entry.answers),
                "difficulty": entry.difficulty,
                "total": entry.total,
            }
        if isinstance(entry, TreatmentSession):
            before, after = _pair(entry.bp_before), _pair(entry.bp_after)
            return base | {
                "route": entry.route,
                "dose_mg": entry.dose_mg,
                "dose_mg_per_kg": entry.dose_mg_per_kg,
                "weight_kg": entry.weight_kg,
                "duration_min": entry.duration_min,
                "bp_before_systolic": before[0],
                "bp_before_diastolic": before[1],
                "bp_after_systolic": after[0],
                "bp_after_diastolic": after[1],
                "heart_rate_before": entry.heart_rate_before,
                "heart_rate_after": entry.heart_rate_after,
                "anxiety_before": entry.anxiety_before,
                "anxiety_after": entry.anxiety_after,
                "dissociation": entry.dissociation,
                "clinic": entry.clinic,
                "notes": entry.notes,
            }
        if isinstance(entry, SideEffect):
            return base | {
                "effect": entry.effect,
                "severity": entry.severity,
                "duration_min": entry.duration_min,
                "session_id": self._session_id(entry),
                "note": entry.note,
            }
        raise TypeError(f"not an entry: {entry!r}")

    def _session_id(self, entry: SideEffect) -> int | None:
        if entry.session_at is None:
            return None
        found = self.session_id_at(sort_key(entry.session_at))
        if found is None:
            raise ValidationError(
                [Problem("session_at", f"there is no session at {format_at(entry.session_at)}")]
            )
        return found

    def session_id_at(self, key: str) -> int | None:
        row = self.conn.execute("SELECT id FROM sessions WHERE sort_at = ?", (key,)).fetchone()
        return None if row is None else int(row[0])

    def insert(self, entry: Entry, *, keep_id: bool = False) -> int:
        entry.check()
        row = self._row(entry) | {"fingerprint": fingerprint(entry)}
        if keep_id and entry.id is not None:
            row["id"] = entry.id
        names = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        sql = f"INSERT INTO {ALL_TABLES[entry.KIND]} ({names}) VALUES ({marks})"
        cursor = self._write(entry, sql, row)
        return int(cursor.lastrowid) if cursor.lastrowid is not None else int(row["id"])

    def update(self, entry: Entry) -> None:
        if entry.id is None:
            raise ValueError("an entry needs its id to be updated")
        entry.check()
        row = self._row(entry) | {"fingerprint": fingerprint(entry)}
        assignments = ", ".join(f"{name} = :{name}" for name in row)
        sql = f"UPDATE {ALL_TABLES[entry.KIND]} SET {assignments} WHERE id = :id"
        cursor = self._write(entry, sql, row | {"id": entry.id})
        if cursor.rowcount != 1:
            raise KeyError(f"no {entry.KIND} with id {entry.id}")
        if isinstance(entry, TreatmentSession):
            self._refresh_linked_fingerprints(entry.id)

    def _write(self, entry: Entry, sql: str, row: dict[str, Any]) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, row)
        except sqlite3.IntegrityError as exc:
            if "sessions.sort_at" in str(exc):
                when = format_at(entry.at_value)
                raise ValidationError(
                    [Problem("at", f"there is already a session at {when}")]
                ) from None
            raise ValidationError(
                [Problem("", f"the journal refused this entry ({exc})")]
            ) from None

    def _refresh_linked_fingerprints(self, session_id: int) -> None:
        # A side effect's fingerprint includes its session's time, which may have moved.
        for effect in self._side_effects_where("s.session_id = ?", (session_id,)):
            self.conn.execute(
                "UPDATE side_effects SET fingerprint = ? WHERE id = ?",
                (fingerprint(effect), effect.id),
            )

    def delete(self, kind: str, entry_id: int) -> tuple[Entry, tuple[int, ...]]:
        """Delete one entry; return it and the side effects that pointed at it (sessions)."""
        entry = self.get(kind, entry_id)
        if entry is None:
            raise KeyError(f"no {kind} with id {entry_id}")
        linked: tuple[int, ...] = ()
        if kind == "session":
            linked = tuple(
                r[0]
                for r in self.conn.execute(
                    "SELECT id FROM side_effects WHERE session_id = ? ORDER BY id", (entry_id,)
                )
            )
        self.conn.execute(f"DELETE FROM {ALL_TABLES[kind]} WHERE id = ?", (entry_id,))
        if linked:
            self._refresh_fingerprints_of(linked)
        return entry, linked

    def relink(self, session_id: int, side_effect_ids: Iterable[int]) -> None:
        ids = tuple(side_effect_ids)
        self.conn.executemany(
            "UPDATE side_effects SET session_id = ? WHERE id = ?", [(session_id, i) for i in ids]
        )
        self._refresh_fingerprints_of(ids)

    def _refresh_fingerprints_of(self, ids: Sequence[int]) -> None:
        for effect_id in ids:
            effect = self.get("side_effect", effect_id)
            if effect is not None:
                self.conn.execute(
                    "UPDATE side_effects SET fingerprint = ? WHERE id = ?",
                    (fingerprint(effect), effect_id),
                )

    # -- reading -------------------------------------------------------------------------

    def get(self, kind: str, entry_id: int) -> Entry | None:
        found = self._select(kind, "x.id = ?", (entry_id,))
        return found[0] if found else None

    def get_many(self, kind: str, ids: Sequence[int]) -> dict[int, Entry]:
        out: dict[int, Entry] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            for entry in self._select(kind, f"x.id IN ({marks})", tuple(chunk)):
                assert entry.id is not None
                out[entry.id] = entry
        return out

    def list_entries(
        self, kind: str, start: date | None = None, end: date | None = None
    ) -> list[Entry]:
        where, params = _range_clause(start, end)
        return self._select(kind, where, params)

    def count(self, kind: str, start: date | None = None, end: date | None = None) -> int:
        where, params = _range_clause(start, end, alias="")
        sql = f"SELECT count(*) FROM {ALL_TABLES[kind]} WHERE {where}"
        return int(self.conn.execute(sql, params).fetchone()[0])

    def fingerprints(self, kind: str) -> set[str]:
        return {r[0] for r in self.conn.execute(f"SELECT fingerprint FROM {ALL_TABLES[kind]}")}

    def _select(self, kind: str, where: str, params: Sequence[Any]) -> list[Entry]:
        if kind == "side_effect":
            return list(self._side_effects_where(where.replace("x.", "s."), params))
        if kind == "reflection":
            return between_rows.select_reflections(self.conn, where.replace("x.", "r."), params)
        columns = ", ".join(f"x.{c}" for c in ("id", *_COLUMNS[kind]))
        sql = f"SELECT {columns} FROM {ALL_TABLES[kind]} x WHERE {where} ORDER BY x.sort_at, x.id"
        return [_from_row(kind, row) for row in self.conn.execute(sql, params)]

    def _side_effects_where(self, where: str, params: Sequence[Any]) -> list[Entry]:
        sql = (
            "SELECT s.id, s.at, s.effect, s.severity, s.duration_min, t.at, s.note "
            "FROM side_effects s LEFT JOIN sessions t ON t.id = s.session_id "
            f"WHERE {where} ORDER BY s.sort_at, s.id"
        )
        return [
            SideEffect(
                at=parse_at(row[1]),
                effect=row[2],
                severity=row[3],
                duration_min=row[4],
                session_at=parse_at(row[5]) if row[5] else None,
                note=row[6],
                id=row[0],
            )
            for row in self.conn.execute(sql, params)
        ]

    def history_count(
        self, kinds: Iterable[str], start: date | None = None, end: date | None = None
    ) -> int:
        sql, params = _history_union(kinds, start, end)
        if not sql:
            return 0
        return int(self.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])

    def history_page(
        self,
        kinds: Iterable[str],
        start: date | None = None,
        end: date | None = None,
        *,
        descending: bool = True,
        limit: int = 200,
        offset: int = 0,
    ) -> list[Entry]:
        """One page of every kind of entry merged in time order, for a lazily filled table."""
        sql, params = _history_union(kinds, start, end)
        if not sql:
            return []
        order = "DESC" if descending else "ASC"
        keys = self.conn.execute(
            f"SELECT kind, id FROM ({sql}) ORDER BY sort_at {order}, kind {order}, id {order} "
            "LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
        by_kind: dict[str, list[int]] = {}
        for kind, entry_id in keys:
            by_kind.setdefault(kind, []).append(entry_id)
        fetched = {kind: self.get_many(kind, ids) for kind, ids in by_kind.items()}
        return [fetched[kind][entry_id] for kind, entry_id in keys]


def _range_clause(
    start: date | None, end: date | None, alias: str = "x."
) -> tuple[str, tuple[str, ...]]:
    low, high = day_bounds(start, end)
    clauses: list[str] = ["1"]
    params: list[str] = []
    if low:
        clauses.append(f"{alias}sort_at >= ?")
        params.append(low)
    if high:
        clauses.append(f"{alias}sort_at < ?")
        params.append(high)
    return " AND ".join(clauses), tuple(params)


def _history_union(
    kinds: Iterable[str], start: date | None, end: date | None
) -> tuple[str, tuple[str, ...]]:
    parts: list[str] = []
    params: list[str] = []
    for kind in kinds:
        where, part_params = _range_clause(start, end, alias="")
        parts.append(f"SELECT '{kind}' AS kind, id, sort_at FROM {ALL_TABLES[kind]} WHERE {where}")
        params.extend(part_params)
    return " UNION ALL ".join(parts), tuple(params)


def _from_row(kind: str, row: sqlite3.Row | tuple[Any, ...]) -> Entry:
    entry_id, values = row[0], dict(zip(_COLUMNS[kind], row[1:], strict=True))
    at = parse_at(values["at"])
    if kind == "checkin":
        return Checkin(
            at=at,
            anxiety=values["anxiety"],
            mood=values["mood"],
            sleep_hours=values["sleep_hours"],
            note=values["note"],
            id=entry_id,
        )
    if kind == "assessment":
        return Assessment(
            instrument=values["instrument"],
            at=at,
            answers=tuple(json.loads(values["answers"])),
            difficulty=values["difficulty"],
            id=entry_id,
        )
    if kind == "session":
        return TreatmentSession(
            at=at,
            route=values["route"],
            dose_mg=values["dose_mg"],
            dose_mg_per_kg=values["dose_mg_per_kg"],
            weight_kg=values["weight_kg"],
            duration_min=values["duration_min"],
            bp_before=_unpair(values["bp_before_systolic"], values["bp_before_diastolic"]),
            bp_after=_unpair(values["bp_after_systolic"], values["bp_after_diastolic"]),
            heart_rate_before=values["heart_rate_before"],
            heart_rate_after=values["heart_rate_after"],
            anxiety_before=values["anxiety_before"],
            anxiety_after=values["anxiety_after"],
            dissociation=values["dissociation"],
            clinic=values["clinic"],
            notes=values["notes"],
            id=entry_id,
        )
    if kind == "followup":
        return between_rows.followup_from_row(entry_id, values)
    raise KeyError(kind)


__all__ = ["BY_KIND", "TABLES", "Repository", "fingerprint"]
