"""Entries to rows and back. Plain sqlite3; every method runs inside the caller's transaction."""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from tracker.domain.between import BETWEEN_TYPES, Reflection
from tracker.domain.catalogue import effect_problem
from tracker.domain.entries import (
    ATTRIBUTES,
    BY_KIND,
    FIRST_YEAR,
    LAST_YEAR,
    LEVELS,
    Assessment,
    Checkin,
    Entry,
    Medication,
    MedicationDose,
    PlannedSession,
    Rule,
    SideEffect,
    TreatmentSession,
    _bp_problems,
    name_key,
    year_problem,
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
# Every kind's table; TABLES alone is what journals and backups of every version hold.
ALL_TABLES = _TABLES | between_rows.TABLES
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


class Unreadable(NamedTuple):
    """A stored row that does not make a valid entry: its kind, its place and what is wrong."""

    kind: str
    entry_id: int
    at: str  # the stored time as far as it can be shown, or "" when there is none
    problem: str

    @property
    def place(self) -> str:
        return f"{ALL_TABLES[self.kind]} row {self.entry_id}"

    def __str__(self) -> str:
        when = f" at {self.at}" if self.at else ""
        return f"{KIND_NAMES[self.kind]}{when} ({self.place}): {self.problem}"


KIND_NAMES = {
    "checkin": "check-in",
    "assessment": "questionnaire",
    "session": "session",
    "side_effect": "side effect",
    "medication": "medicine",
    "medication_dose": "dose taken",
    "planned_session": "planned session",
    "reflection": "reflection",
    "followup": "follow-up check",
}


class Undecodable(str):
    """Stored text that is not valid UTF-8, decoded with its bad bytes kept as surrogates."""


def _fits(rule: Rule) -> Callable[[Any], bool]:
    """A quick test of one stored value against its field's rule (None is tested apart)."""
    low, high = rule.low, rule.high
    if rule.kind == "at":
        return lambda v: type(v) is datetime and FIRST_YEAR <= v.year <= LAST_YEAR
    if rule.kind == "day":
        return lambda v: type(v) is date and FIRST_YEAR <= v.year <= LAST_YEAR
    if rule.kind == "bool":
        return lambda v: type(v) is bool
    if rule.kind == "int":
        assert low is not None and high is not None
        return lambda v: type(v) is int and low <= v <= high
    if rule.kind == "num":
        assert low is not None and high is not None
        if rule.low_exclusive:
            return lambda v: type(v) in (int, float) and low < v <= high
        return lambda v: type(v) in (int, float) and low <= v <= high
    if rule.kind == "text":
        return lambda v: type(v) is str and len(v) <= rule.max_len
    if rule.kind == "choice":
        choices = frozenset(rule.choices)
        return lambda v: type(v) is str and (not choices or v in choices)
    if rule.kind == "effect":
        return lambda v: type(v) is str and effect_problem(v) is None
    if rule.kind == "levels":
        count = len(rule.choices)
        return lambda v: (
            type(v) is tuple and len(v) == count and all(type(a) is str and a in LEVELS for a in v)
        )
    if rule.kind == "bp":
        return lambda v: (
            type(v) is tuple
            and len(v) == 2
            and type(v[0]) is int
            and type(v[1]) is int
            and not _bp_problems(v)
        )
    return lambda v: type(v) is tuple and all(type(a) is int for a in v)


_QUICK = {
    kind: tuple((name, rule.required, _fits(rule)) for name, rule in entry_type.RULES.items())
    for kind, entry_type in (BY_KIND | {t.KIND: t for t in BETWEEN_TYPES}).items()
}


def _whole(entry: Entry) -> bool:
    """Every field of a stored entry holds what its rule allows: the common case, tested
    quickly (a full read of ten years runs this for each of its entries)."""
    for name, required, fits in _QUICK[entry.KIND]:
        value = getattr(entry, ATTRIBUTES.get(name, name))
        if value is None:
            if required:
                return False
        elif not fits(value):
            return False
    return not entry.extra_problems()


def stored_problem(entry: Entry) -> str | None:
    """Why a stored entry is not one Onset could have written, or None when it is fine."""
    if _whole(entry):
        return None
    for name, rule in entry.RULES.items():
        value = getattr(entry, ATTRIBUTES.get(name, name))
        if value is not None and not _typed(rule.kind, value):
            return f"{name} holds {_what(value)}"
    problems = entry.problems()
    if problems:
        return "; ".join(str(p) for p in problems)
    return "it holds a value Onset never writes"


def _typed(kind: str, value: Any) -> bool:
    if kind == "at":
        return isinstance(value, datetime)
    if kind == "day":
        return type(value) is date
    if kind == "bool":
        return type(value) is bool
    if kind == "int":
        return type(value) is int
    if kind == "num":
        return type(value) in (int, float) and math.isfinite(value)
    if kind in ("text", "choice", "effect"):
        return isinstance(value, str) and _encodable(value)
    if kind == "levels":
        return isinstance(value, tuple) and all(isinstance(v, str) for v in value)
    return isinstance(value, tuple) and all(type(v) is int for v in value)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _what(value: Any) -> str:
    if isinstance(value, str):
        return "text that is not valid UTF-8"
    if isinstance(value, bytes):
        return "raw bytes"
    return f"{type(value).__name__} {value!r:.40}"


def _describe_damage(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return "its answers are not readable"
    text = str(exc) or type(exc).__name__
    return text if len(text) < 160 else text[:157] + "..."


def _shown_time(value: Any) -> str:
    if isinstance(value, str) and _encodable(value) and value.isprintable():
        return value[:40]
    return ""


def decode_text(raw: bytes) -> str:
    """SQLite text as str; bytes that are not UTF-8 are kept as lone surrogates (which the
    read checks report) instead of stopping every row after them from being read."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return Undecodable(raw.decode("utf-8", "surrogateescape"))


class Repository:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        # Damaged rows met while reading, by (kind, id); a row read whole again leaves it.
        self.unreadable: dict[tuple[str, int], Unreadable] = {}

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
        if isinstance(entry, BETWEEN_TYPES):
            return base | between_rows.row(self.conn, entry)
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
        return [
            m for m in self._readable("medication", rows, _from_row) if isinstance(m, Medication)
        ]

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
        return [
            m for m in self._readable("medication", rows, _from_row) if isinstance(m, Medication)
        ]

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
        sql = f"INSERT INTO {ALL_TABLES[entry.KIND]} ({names}) VALUES ({marks})"
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
        self.conn.execute(f"DELETE FROM {ALL_TABLES[kind]} WHERE id = ?", (entry_id,))
        if linked:
            self._refresh_fingerprints_of(linked)
        return entry, linked

    def delete_row(self, kind: str, entry_id: int) -> int:
        """Delete a stored row whatever it holds (a damaged one cannot be read first);
        side effects linked to a deleted session lose the link."""
        linked: list[int] = []
        if kind == "session":
            linked = [
                r[0]
                for r in self.conn.execute(
                    "SELECT id FROM side_effects WHERE session_id = ?", (entry_id,)
                )
            ]
            self.conn.execute(
                "UPDATE side_effects SET session_id = NULL WHERE session_id = ?", (entry_id,)
            )
        cursor = self.conn.execute(f"DELETE FROM {ALL_TABLES[kind]} WHERE id = ?", (entry_id,))
        self._refresh_fingerprints_of(linked)
        return cursor.rowcount

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
            rows = self.conn.execute(
                between_rows.reflections_sql(where.replace("x.", "r.")), params
            )
            return self._readable(kind, rows, between_rows.reflection_from_row)
        columns = ", ".join(f"x.{c}" for c in ("id", *_COLUMNS[kind]))
        sql = f"SELECT {columns} FROM {ALL_TABLES[kind]} x WHERE {where} ORDER BY x.sort_at, x.id"
        return self._readable(kind, self.conn.execute(sql, params), _from_row)

    def _side_effects_where(self, where: str, params: Sequence[Any]) -> list[Entry]:
        sql = (
            "SELECT s.id, s.at, s.effect, s.severity, s.duration_min, t.at, s.note "
            "FROM side_effects s LEFT JOIN sessions t ON t.id = s.session_id "
            f"WHERE {where} ORDER BY s.sort_at, s.id"
        )
        return self._readable("side_effect", self.conn.execute(sql, params), _side_effect)

    def _readable(
        self, kind: str, rows: Iterable[Sequence[Any]], build: Callable[[str, Any], Entry]
    ) -> list[Entry]:
        """The rows that make whole, valid entries; each other one is noted as unreadable.

        A damaged row (bytes that are not text, a NULL or garbage time, an unknown
        questionnaire, a value out of range) must never stop the rest from being read.
        """
        out: list[Entry] = []
        for row in rows:
            entry_id = row[0]
            try:
                entry = build(kind, row)
                problem = stored_problem(entry)
            except Exception as exc:  # any damage at all makes the row unreadable
                problem = _describe_damage(exc)
            if problem is None:
                if self.unreadable:
                    self.unreadable.pop((kind, entry_id), None)
                out.append(entry)
            else:
                at = row[2] if kind == "assessment" else row[1]
                self.unreadable[(kind, entry_id)] = Unreadable(
                    kind, entry_id, _shown_time(at), problem
                )
        return out

    def scan_unreadable(self) -> list[Unreadable]:
        """Read every stored row once; return the ones that cannot be read, in table order."""
        for kind in ALL_TABLES:
            self._select(kind, "1", ())
        return sorted(
            self.unreadable.values(), key=lambda u: (list(ALL_TABLES).index(u.kind), u.entry_id)
        )

    def history_count(
        self, kinds: Iterable[str], start: date | None = None, end: date | None = None
    ) -> int:
        sql, params = _history_union(kinds, start, end, self._known_unreadable())
        if not sql:
            return 0
        return int(self.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])

    def _known_unreadable(self) -> dict[str, list[int]]:
        known: dict[str, list[int]] = {}
        for kind, entry_id in self.unreadable:
            known.setdefault(kind, []).append(entry_id)
        return known

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
        """One page of every kind of entry merged in time order, for a lazily filled table.

        Unreadable rows are left out of the count and the pages alike (they are listed
        apart, to be deleted): a page that meets a new one is read again without it, so
        `offset` keeps counting readable entries only.
        """
        kinds = tuple(kinds)
        order = "DESC" if descending else "ASC"
        while True:
            known = len(self.unreadable)
            sql, params = _history_union(kinds, start, end, self._known_unreadable())
            if not sql:
                return []
            keys = self.conn.execute(
                f"SELECT kind, id FROM ({sql}) ORDER BY sort_at {order}, kind {order}, "
                f"id {order} LIMIT ? OFFSET ?",
                (*params, limit, offset),
            ).fetchall()
            by_kind: dict[str, list[int]] = {}
            for kind, entry_id in keys:
                by_kind.setdefault(kind, []).append(entry_id)
            fetched = {kind: self.get_many(kind, ids) for kind, ids in by_kind.items()}
            if len(self.unreadable) == known or all(i in fetched[kind] for kind, i in keys):
                return [fetched[kind][i] for kind, i in keys if i in fetched[kind]]


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
    kinds: Iterable[str],
    start: date | None,
    end: date | None,
    leave_out: dict[str, list[int]] | None = None,
) -> tuple[str, tuple[str, ...]]:
    parts: list[str] = []
    params: list[str] = []
    for kind in kinds:
        where, part_params = _range_clause(start, end, alias="")
        skipped = (leave_out or {}).get(kind)
        if skipped:  # ids are integers from the table's own primary key
            where += f" AND id NOT IN ({', '.join(str(int(i)) for i in skipped)})"
        table = ALL_TABLES[kind]
        parts.append(f"SELECT '{kind}' AS kind, id, sort_at FROM {table} WHERE {where}")
        params.extend(part_params)
    return " UNION ALL ".join(parts), tuple(params)


def _side_effect(kind: str, row: Sequence[Any]) -> Entry:
    linked = row[5]
    try:
        session_at = parse_at(linked) if linked else None
    except ValueError:  # the session's own time is damaged: that row is reported by itself
        session_at = None
    if session_at is not None and year_problem(session_at):
        session_at = None
    return SideEffect(
        at=parse_at(row[1]),
        effect=row[2],
        severity=row[3],
        duration_min=row[4],
        session_at=session_at,
        note=row[6],
        id=row[0],
    )


def _from_row(kind: str, row: Sequence[Any]) -> Entry:
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
    if kind == "followup":
        return between_rows.followup_from_row(entry_id, values)
    raise KeyError(kind)


def _medication_from_row(row: Sequence[Any]) -> Medication:
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
