"""Entries to rows and back. Plain sqlite3; every method runs inside the caller's transaction."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from tracker.domain.entries import (
    BY_KIND,
    Assessment,
    Checkin,
    Entry,
    Medication,
    MedicationDose,
    PlannedSession,
    SideEffect,
    TreatmentSession,
    name_key,
)
from tracker.domain.errors import Problem, ValidationError
from tracker.domain.times import day_bounds, format_at, parse_at, sort_key, wall_clock

TABLES = {
    "checkin": "checkins",
    "assessment": "assessments",
    "session": "sessions",
    "side_effect": "side_effects",
}
# Tables of format version 2. Kept apart from TABLES, which backups count in files that
# may be of version 1, where these tables do not exist yet.
TREATMENT_TABLES = {
    "medication": "medications",
    "medication_dose": "medication_doses",
    "planned_session": "planned_sessions",
}
_TABLES = TABLES | TREATMENT_TABLES
# Fields a session gained in format version 2; left out of its fingerprint while empty, so
# a session stored before them is still recognised when its old export is imported again.
_SESSION_V2_FIELDS = (
    "devices",
    "bp_mid",
    "bp_mid_min",
    "sleepiness",
    "ready_after_min",
    "intention",
)

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
        "devices",
        "bp_mid_systolic",
        "bp_mid_diastolic",
        "bp_mid_min",
        "sleepiness",
        "ready_after_min",
        "intention",
    ),
    "side_effect": ("at", "sort_at", "effect", "severity", "duration_min", "session_id", "note"),
    "medication": (
        "name",
        "name_key",
        "class",
        "dose_mg",
        "schedule",
        "times_per_day",
        "started",
        "stopped",
        "sort_at",
        "note",
    ),
    "medication_dose": ("at", "sort_at", "medication", "medication_key", "dose_mg", "note"),
    "planned_session": ("at", "sort_at", "route", "note", "dismissed"),
}


def fingerprint(entry: Entry) -> str:
    """A digest of everything an entry says; an import skips entries already present."""
    data = entry.to_json()
    if isinstance(entry, SideEffect) and entry.session_at is not None:
        # The link is to the session at that wall-clock time; writing the time with or
        # without the session's offset must not make the same side effect look new.
        data["session_at"] = format_at(wall_clock(entry.session_at))
    if isinstance(entry, TreatmentSession):
        for name in _SESSION_V2_FIELDS:
            if data.get(name) is None:
                data.pop(name, None)
    if isinstance(entry, PlannedSession):
        # Dismissing a missed plan changes how it is shown, not which plan it is.
        data.pop("dismissed", None)
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
        if isinstance(entry, Medication):
            return {
                "name": entry.name,
                "name_key": entry.key,
                "class": entry.medication_class,
                "dose_mg": entry.dose_mg,
                "schedule": entry.schedule,
                "times_per_day": entry.times_per_day,
                "started": entry.started.isoformat(),
                "stopped": entry.stopped.isoformat() if entry.stopped else None,
                "sort_at": sort_key(entry.at_value),
                "note": entry.note,
            }
        base = {"at": format_at(entry.at_value), "sort_at": sort_key(entry.at_value)}
        if isinstance(entry, MedicationDose):
            return base | {
                "medication": entry.medication,
                "medication_key": name_key(entry.medication),
                "dose_mg": entry.dose_mg,
                "note": entry.note,
            }
        if isinstance(entry, PlannedSession):
            return base | {
                "route": entry.route,
                "note": entry.note,
                "dismissed": int(bool(entry.dismissed)),
            }
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
            before, after, mid = _pair(entry.bp_before), _pair(entry.bp_after), _pair(entry.bp_mid)
            return base | {
                "devices": entry.devices,
                "bp_mid_systolic": mid[0],
                "bp_mid_diastolic": mid[1],
                "bp_mid_min": entry.bp_mid_min,
                "sleepiness": entry.sleepiness,
                "ready_after_min": entry.ready_after_min,
                "intention": entry.intention,
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

    # -- other medicines: one period per name at a time, each dose inside one period --------

    def medications_named(self, key: str) -> list[Medication]:
        rows = self.conn.execute(
            f"SELECT id, {', '.join(_COLUMNS['medication'])} FROM medications "
            "WHERE name_key = ? ORDER BY started, id",
            (key,),
        )
        return [_medication_from_row(row) for row in rows]

    def medications_between(self, start: date | None, end: date | None) -> list[Medication]:
        """Medicines whose period shares a day with the inclusive range (all without one)."""
        clauses, params = ["1"], []
        if end is not None:
            clauses.append("started <= ?")
            params.append(end.isoformat())
        if start is not None:
            clauses.append("(stopped IS NULL OR stopped >= ?)")
            params.append(start.isoformat())
        rows = self.conn.execute(
            f"SELECT id, {', '.join(_COLUMNS['medication'])} FROM medications "
            f"WHERE {' AND '.join(clauses)} ORDER BY sort_at, id",
            params,
        )
        return [_medication_from_row(row) for row in rows]

    def _doses_within(self, medicine: Medication) -> list[int]:
        """Ids of the doses a stored medicine's period holds."""
        high = (medicine.stopped or date.max).isoformat()
        rows = self.conn.execute(
            "SELECT id FROM medication_doses WHERE medication_key = ? "
            "AND substr(sort_at, 1, 10) BETWEEN ? AND ? ORDER BY sort_at, id",
            (medicine.key, medicine.started.isoformat(), high),
        )
        return [int(r[0]) for r in rows]

    def _medication_problems(self, entry: Medication) -> list[Problem]:
        for other in self.medications_named(entry.key):
            if other.id != entry.id and entry.overlaps(other):
                return [
                    Problem(
                        "started",
                        f"{other.name} is already recorded {other.period_text()}; "
                        "two periods of one medicine cannot share a day",
                    )
                ]
        return []

    def _dose_problems(self, entry: MedicationDose) -> list[Problem]:
        if entry.taken_of(self.medications_named(name_key(entry.medication))) is not None:
            return []
        return [
            Problem(
                "medication",
                f"no medicine named {entry.medication} is recorded as taken on "
                f"{entry.at.date().isoformat()}",
            )
        ]

    def _check_links(self, entry: Entry) -> None:
        problems: list[Problem] = []
        if isinstance(entry, Medication):
            problems = self._medication_problems(entry)
        elif isinstance(entry, MedicationDose):
            problems = self._dose_problems(entry)
        if problems:
            raise ValidationError(problems)

    def _update_medication(self, entry: Medication) -> None:
        """Before a medicine changes: its doses follow a new name and must stay in its period."""
        assert entry.id is not None
        before = self.get("medication", entry.id)
        if not isinstance(before, Medication):
            raise KeyError(f"no medication with id {entry.id}")
        held = self._doses_within(before)
        if not held:
            return
        if before.name != entry.name:
            self.conn.executemany(
                "UPDATE medication_doses SET medication = ?, medication_key = ? WHERE id = ?",
                [(entry.name, entry.key, i) for i in held],
            )
            self._refresh_dose_fingerprints(held)
        outside = [
            d
            for d in self.get_many("medication_dose", held).values()
            if isinstance(d, MedicationDose) and not entry.active_on(d.at.date())
        ]
        if outside:
            days = sorted(d.at.date() for d in outside)
            late = entry.stopped is not None and days[-1] > entry.stopped
            raise ValidationError(
                [
                    Problem(
                        "stopped" if late else "started",
                        f"{len(days)} recorded dose{'s' if len(days) > 1 else ''} "
                        f"({days[0].isoformat()}"
                        + (f" to {days[-1].isoformat()}" if len(days) > 1 else "")
                        + f") would fall outside {entry.period_text()}",
                    )
                ]
            )

    def _refresh_dose_fingerprints(self, ids: Sequence[int]) -> None:
        for dose in self.get_many("medication_dose", ids).values():
            self.conn.execute(
                "UPDATE medication_doses SET fingerprint = ? WHERE id = ?",
                (fingerprint(dose), dose.id),
            )

    def insert(self, entry: Entry, *, keep_id: bool = False) -> int:
        entry.check()
        self._check_links(entry)
        row = self._row(entry) | {"fingerprint": fingerprint(entry)}
        if keep_id and entry.id is not None:
            row["id"] = entry.id
        names = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        sql = f"INSERT INTO {_TABLES[entry.KIND]} ({names}) VALUES ({marks})"
        cursor = self._write(entry, sql, row)
        return int(cursor.lastrowid) if cursor.lastrowid is not None else int(row["id"])

    def update(self, entry: Entry) -> None:
        if entry.id is None:
            raise ValueError("an entry needs its id to be updated")
        entry.check()
        self._check_links(entry)
        if isinstance(entry, Medication):
            self._update_medication(entry)
        row = self._row(entry) | {"fingerprint": fingerprint(entry)}
        assignments = ", ".join(f"{name} = :{name}" for name in row)
        sql = f"UPDATE {_TABLES[entry.KIND]} SET {assignments} WHERE id = :id"
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
        if isinstance(entry, Medication):
            held = self._doses_within(entry)
            if held:
                raise ValidationError(
                    [
                        Problem(
                            "",
                            f"{entry.name} has {len(held)} recorded "
                            f"dose{'s' if len(held) > 1 else ''}; delete "
                            f"{'them' if len(held) > 1 else 'it'} first, or record when "
                            "it was stopped instead",
                        )
                    ]
                )
        if kind == "session":
            linked = tuple(
                r[0]
                for r in self.conn.execute(
                    "SELECT id FROM side_effects WHERE session_id = ? ORDER BY id", (entry_id,)
                )
            )
        self.conn.execute(f"DELETE FROM {_TABLES[kind]} WHERE id = ?", (entry_id,))
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
        sql = f"SELECT count(*) FROM {_TABLES[kind]} WHERE {where}"
        return int(self.conn.execute(sql, params).fetchone()[0])

    def fingerprints(self, kind: str) -> set[str]:
        return {r[0] for r in self.conn.execute(f"SELECT fingerprint FROM {_TABLES[kind]}")}

    def _select(self, kind: str, where: str, params: Sequence[Any]) -> list[Entry]:
        if kind == "medication":
            columns = ", ".join(("id", *_COLUMNS[kind]))
            sql = f"SELECT {columns} FROM medications x WHERE {where} ORDER BY x.sort_at, x.id"
            return [_medication_from_row(row) for row in self.conn.execute(sql, params)]
        if kind == "side_effect":
            return list(self._side_effects_where(where.replace("x.", "s."), params))
        columns = ", ".join(f"x.{c}" for c in ("id", *_COLUMNS[kind]))
        sql = f"SELECT {columns} FROM {_TABLES[kind]} x WHERE {where} ORDER BY x.sort_at, x.id"
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
        parts.append(f"SELECT '{kind}' AS kind, id, sort_at FROM {_TABLES[kind]} WHERE {where}")
        params.extend(part_params)
    return " UNION ALL ".join(parts), tuple(params)


def _from_row(kind: str, row: sqlite3.Row | tuple[Any, ...]) -> Entry:
    if kind == "medication":
        return _medication_from_row(row)
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
            devices=values["devices"],
            bp_mid=_unpair(values["bp_mid_systolic"], values["bp_mid_diastolic"]),
            bp_mid_min=values["bp_mid_min"],
            sleepiness=values["sleepiness"],
            ready_after_min=values["ready_after_min"],
            intention=values["intention"],
            id=entry_id,
        )
    if kind == "medication_dose":
        return MedicationDose(
            at=at,
            medication=values["medication"],
            dose_mg=values["dose_mg"],
            note=values["note"],
            id=entry_id,
        )
    if kind == "planned_session":
        return PlannedSession(
            at=at,
            route=values["route"],
            note=values["note"],
            dismissed=bool(values["dismissed"]),
            id=entry_id,
        )
    raise KeyError(kind)


def _medication_from_row(row: sqlite3.Row | tuple[Any, ...]) -> Medication:
    values = dict(zip(_COLUMNS["medication"], row[1:], strict=True))
    return Medication(
        name=values["name"],
        medication_class=values["class"],
        schedule=values["schedule"],
        started=date.fromisoformat(values["started"]),
        dose_mg=values["dose_mg"],
        times_per_day=values["times_per_day"],
        stopped=date.fromisoformat(values["stopped"]) if values["stopped"] else None,
        note=values["note"],
        id=row[0],
    )


__all__ = ["BY_KIND", "TABLES", "TREATMENT_TABLES", "Repository", "fingerprint"]
