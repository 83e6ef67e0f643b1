"""The Journal: one patient's record, usable from a plain script, the GUI and the CLI.

    with Journal.open("my.onset", create=True) as journal:
        journal.add_checkin(at="2026-01-05T21:10", anxiety=6)

Every method that changes anything runs as one transaction and then, once it is
committed, announces it once to subscribers (a JournalChange: what was done, to which
kinds and which entries), so windows refresh from that single announcement.
"""

from __future__ import annotations

import logging
import sqlite3
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from tracker.domain.between import FollowUp, Reflection
from tracker.domain.entries import (
    Assessment,
    Checkin,
    Entry,
    Medication,
    MedicationDose,
    PlannedSession,
    SideEffect,
    TreatmentSession,
)
from tracker.domain.errors import Problem, ValidationError
from tracker.domain.instruments import instruments
from tracker.domain.times import (
    ZONE_SETTING,
    format_at,
    is_zone_name,
    machine_zone_name,
    parse_at,
    sort_key,
    wall_clock,
    zone_named,
)
from tracker.storage import between_rows
from tracker.storage.connection import (
    MigrationHook,
    connect,
    connect_read_only,
    describe_error,
    transaction,
    writable,
)
from tracker.storage.repository import Repository, Unreadable, fingerprint

if TYPE_CHECKING:
    from tracker.domain.change import Change
    from tracker.domain.medicines import PlanView
    from tracker.domain.onset import ReliefAnalysis

E = TypeVar("E", bound=Entry)
# The `summary --json` document's version (journal-format.md).
SUMMARY_VERSION = 2
KINDS = ("checkin", "assessment", "session", "side_effect")
# What surrounds the sessions: other medicines, their doses, the plan (format version 2).
TREATMENT_KINDS = ("medication", "medication_dose", "planned_session")
# Written between sessions (tracker.domain.between); kept out of KINDS, whose tables every
# journal and backup of every version holds.
BETWEEN_KINDS = ("reflection", "followup")
ALL_KINDS = KINDS + TREATMENT_KINDS + BETWEEN_KINDS
# Sessions and medicines go first so that side effects, doses and reflections can link to them.
IMPORT_ORDER = (
    "session",
    "medication",
    "checkin",
    "assessment",
    "side_effect",
    "medication_dose",
    "planned_session",
    *BETWEEN_KINDS,
)
# Kinds whose identical twin in one file is one entry, not two.
_ONE_OF_A_KIND = ("session", "medication")

DRAFT_PREFIX = "draft."  # settings keys holding unsaved input (Journal.keep_draft)


class JournalChange(NamedTuple):
    """One committed change, announced once: what was done, to which kinds of entry, and
    which entries (kind, id), as far as they are known ("import" names only the kinds)."""

    action: str  # "add", "update", "delete", "restore", "import" or "settings"
    kinds: frozenset[str]
    entries: tuple[tuple[str, int], ...] = ()


Listener = Callable[[JournalChange], None]
_log = logging.getLogger(__name__)


def _ids(entries: Iterable[Entry]) -> tuple[tuple[str, int], ...]:
    return tuple((e.KIND, e.id) for e in entries if e.id is not None)


class Removal(NamedTuple):
    """What a delete took away, enough to put it back exactly (undo)."""

    entry: Entry
    unlinked_side_effects: tuple[int, ...] = ()


@dataclass
class ImportReport:
    added: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ALL_KINDS, 0))
    already_present: int = 0

    @property
    def total_added(self) -> int:
        return sum(self.added.values())


def _time(value: datetime | str) -> datetime:
    return value if isinstance(value, datetime) else parse_at(value)


class Journal:
    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self._conn = conn
        self._repo = Repository(conn)
        # Bound methods are held weakly (a page that is gone is dropped); plain functions
        # are held until unsubscribed.
        self._listeners: list[Callable[[], Listener | None]] = []

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        create: bool = False,
        before_migration: MigrationHook | None = None,
        backups: bool = True,
        read_only: bool = False,
    ) -> Journal:
        """Open a journal file; `create=True` makes a new one when none is there.

        With `backups` a copy goes into backups/ beside it before its format is updated and
        on the first open of each day (tracker.storage.backup); problems that do not stop
        it opening come as a JournalWarning.
        """
        path = Path(path).expanduser().absolute()
        if read_only and not writable(path):
            # Reading needs nothing written: a journal on a read-only folder or disk can
            # still be summarised and exported.
            return cls(path, connect_read_only(path))
        made = create and not path.exists()
        if not backups:
            journal = cls(path, connect(path, create=create, before_migration=before_migration))
            if made:
                journal._keep_machine_zone()
            return journal
        from tracker.storage import backup

        hook = backup.guard_opening(path, before_migration)
        journal = cls(path, connect(path, create=create, before_migration=hook))
        try:
            if made:
                journal._keep_machine_zone()
            backup.daily_backup(journal.connection, path)
        except BaseException:  # a warning filtered into an error must not leak the file
            journal.close()
            raise
        return journal

    def close(self) -> None:
        self._conn.close()

    def reopen(self) -> None:
        """Open the file again after it was replaced while closed (encrypted, decrypted)."""
        self._conn = connect(self.path)
        self._repo = Repository(self._conn)

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """The raw connection, for backups and diagnostics only."""
        return self._conn

    # -- change notification ---------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Hear every committed change; returns the way to stop.

        A bound method is held by a weak reference, so its object can go away without
        unsubscribing; a listener that raises is logged and never undoes or hides the save.
        """
        ref: Callable[[], Listener | None]
        if hasattr(listener, "__self__") and hasattr(listener, "__func__"):
            ref = weakref.WeakMethod(listener)
        else:
            ref = lambda: listener  # noqa: E731
        self._listeners.append(ref)

        def unsubscribe() -> None:
            if ref in self._listeners:
                self._listeners.remove(ref)

        return unsubscribe

    def listener_count(self) -> int:
        """How many listeners are still alive (for tests and diagnostics)."""
        return sum(1 for ref in self._listeners if ref() is not None)

    def _changed(self, action: str, kinds: Iterable[str], entries: Iterable[Entry] = ()) -> None:
        change = JournalChange(action, frozenset(kinds), _ids(entries))
        if not change.kinds:
            return
        for ref in list(self._listeners):
            listener = ref()
            if listener is None:
                self._listeners.remove(ref)
                continue
            try:
                listener(change)
            except Exception:
                # The change is committed: a listener's failure is not the save's.
                _log.exception("a listener failed on %s of %s", action, sorted(change.kinds))

    def _transaction(self) -> Any:
        return transaction(self._conn, self.path)

    # -- adding, editing, deleting -----------------------------------------------------------

    def add(self, entry: E) -> E:
        """Store a new entry (one transaction); return it with its id."""
        return self.add_many([entry])[0]

    def add_many(self, entries: Sequence[E]) -> list[E]:
        """Store several entries in one transaction: all of them or none."""
        stored = []
        with self._transaction():
            for entry in entries:
                stored.append(entry.with_id(self._repo.insert(entry.with_id(None))))
        self._changed("add", (e.KIND for e in entries), stored)
        return stored

    def add_checkin(self, at: datetime | str, anxiety: int, **fields: Any) -> Checkin:
        return self.add(Checkin(at=_time(at), anxiety=anxiety, **fields))

    def add_assessment(
        self, instrument: str, at: datetime | str, answers: Sequence[int], **fields: Any
    ) -> Assessment:
        return self.add(Assessment(instrument, _time(at), tuple(answers), **fields))

    def add_session(self, at: datetime | str, route: str, **fields: Any) -> TreatmentSession:
        return self.add(TreatmentSession(at=_time(at), route=route, **fields))

    def add_side_effect(
        self, at: datetime | str, effect: str, severity: str, **fields: Any
    ) -> SideEffect:
        if isinstance(fields.get("session_at"), str):
            fields["session_at"] = parse_at(fields["session_at"])
        return self.add(SideEffect(at=_time(at), effect=effect, severity=severity, **fields))

    def add_medication(
        self, name: str, medication_class: str, schedule: str, started: date | str, **fields: Any
    ) -> Medication:
        if isinstance(started, str):
            started = date.fromisoformat(started)
        if isinstance(fields.get("stopped"), str):
            fields["stopped"] = date.fromisoformat(fields["stopped"])
        return self.add(Medication(name, medication_class, schedule, started, **fields))

    def add_medication_dose(
        self, at: datetime | str, medication: str, **fields: Any
    ) -> MedicationDose:
        return self.add(MedicationDose(at=_time(at), medication=medication, **fields))

    def add_planned_session(self, at: datetime | str, route: str, **fields: Any) -> PlannedSession:
        return self.add(PlannedSession(at=_time(at), route=route, **fields))

    def update(self, entry: E) -> E:
        """Replace a stored entry (same id) with new values."""
        with self._transaction():
            self._repo.update(entry)
        # A session's side effects show its time; a medicine's doses follow its name.
        also = {"session": {"side_effect"}, "medication": {"medication_dose"}}
        self._changed("update", {entry.KIND} | also.get(entry.KIND, set()), [entry])
        return entry

    def delete(self, entry: Entry) -> Removal:
        if entry.id is None:
            raise ValueError("only a stored entry can be deleted")
        with self._transaction():
            removed, unlinked = self._repo.delete(entry.KIND, entry.id)
        self._changed("delete", {entry.KIND} | ({"side_effect"} if unlinked else set()), [removed])
        return Removal(removed, unlinked)

    def restore(self, removal: Removal) -> Entry:
        """Put a deleted entry back with its old id and links (undo of a delete)."""
        entry = removal.entry
        with self._transaction():
            self._repo.insert(entry, keep_id=True)
            if removal.unlinked_side_effects:
                assert entry.id is not None
                self._repo.relink(entry.id, removal.unlinked_side_effects)
        linked = {"side_effect"} if removal.unlinked_side_effects else set()
        self._changed("restore", {entry.KIND} | linked, [entry])
        return entry

    def delete_many(self, entries: Sequence[Entry]) -> list[Removal]:
        """Delete several entries in one transaction (undo of a multi-entry add): all or none."""
        if any(entry.id is None for entry in entries):
            raise ValueError("only a stored entry can be deleted")
        removals = []
        with self._transaction():
            for entry in entries:
                assert entry.id is not None
                removals.append(Removal(*self._repo.delete(entry.KIND, entry.id)))
        unlinked = {"side_effect"} if any(r.unlinked_side_effects for r in removals) else set()
        removed = [r.entry for r in removals]
        self._changed("delete", {e.KIND for e in removed} | unlinked, removed)
        return removals

    def restore_many(self, removals: Sequence[Removal]) -> list[Entry]:
        """Put several deleted entries back in one transaction (redo of a multi-entry add)."""
        with self._transaction():
            for removal in removals:
                self._repo.insert(removal.entry, keep_id=True)
                if removal.unlinked_side_effects:
                    assert removal.entry.id is not None
                    self._repo.relink(removal.entry.id, removal.unlinked_side_effects)
        unlinked = {"side_effect"} if any(r.unlinked_side_effects for r in removals) else set()
        restored = [r.entry for r in removals]
        self._changed("restore", {e.KIND for e in restored} | unlinked, restored)
        return restored

    # -- reading ---------------------------------------------------------------------------

    def get(self, kind: str, entry_id: int) -> Entry | None:
        return self._repo.get(kind, entry_id)

    def entries(self, kind: str, start: date | None = None, end: date | None = None) -> list[Entry]:
        """Entries of one kind in time order; `start`/`end` are inclusive local days."""
        return self._repo.list_entries(kind, start, end)

    def checkins(self, start: date | None = None, end: date | None = None) -> list[Checkin]:
        return [e for e in self._repo.list_entries("checkin", start, end) if isinstance(e, Checkin)]

    def assessments(
        self, start: date | None = None, end: date | None = None, instrument: str | None = None
    ) -> list[Assessment]:
        found = self._repo.list_entries("assessment", start, end)
        return [
            e
            for e in found
            if isinstance(e, Assessment) and (instrument is None or e.instrument == instrument)
        ]

    def sessions(
        self, start: date | None = None, end: date | None = None
    ) -> list[TreatmentSession]:
        return [
            e
            for e in self._repo.list_entries("session", start, end)
            if isinstance(e, TreatmentSession)
        ]

    def side_effects(self, start: date | None = None, end: date | None = None) -> list[SideEffect]:
        return [
            e
            for e in self._repo.list_entries("side_effect", start, end)
            if isinstance(e, SideEffect)
        ]

    def medications(self, start: date | None = None, end: date | None = None) -> list[Medication]:
        """Medicines whose period shares a day with the inclusive range, by start date."""
        return self._repo.medications_between(start, end)

    def medication_doses(
        self, start: date | None = None, end: date | None = None
    ) -> list[MedicationDose]:
        found = self._repo.list_entries("medication_dose", start, end)
        return [e for e in found if isinstance(e, MedicationDose)]

    def planned_sessions(
        self, start: date | None = None, end: date | None = None
    ) -> list[PlannedSession]:
        found = self._repo.list_entries("planned_session", start, end)
        return [e for e in found if isinstance(e, PlannedSession)]

    def medication_classes(self, sessions: Sequence[TreatmentSession]) -> list[tuple[str, ...]]:
        """For each session, the classes of medicine taken in the 24 h before it."""
        from tracker.domain.medicines import classes_by_session

        if not sessions:
            return []
        days = [wall_clock(s.at).date() for s in sessions]
        # Two days back: a dose written with another zone's offset may be that far apart.
        first, last = min(days) - timedelta(days=2), max(days) + timedelta(days=1)
        medicines = self.medications(first, last)
        doses = self.medication_doses(first, last) if medicines else []
        return classes_by_session(sessions, medicines, doses, self.time_zone())

    def plans(self, now: datetime | None = None) -> list[PlanView]:
        """Every planned session with its state (tracker.domain.medicines.PlanView)."""
        from tracker.domain.medicines import plan_states

        plans = self.planned_sessions()
        if not plans:
            return []
        days = [wall_clock(p.at).date() for p in plans]
        sessions = self.sessions(min(days), max(days))
        return plan_states(plans, sessions, now or datetime.now())

    def upcoming_plan(self, today: date) -> PlannedSession | None:
        """The earliest plan from today on with no session logged on its day (Today page:
        one bounded query, the same rule as plans())."""
        found = self._plans_where("p.sort_at >= ?", (today.isoformat(),), "ASC", 1)
        return found[0] if found else None

    def missed_plans(self, today: date) -> list[PlannedSession]:
        """Plans before today, not dismissed, with no session logged on their day; latest first."""
        return self._plans_where(
            "p.sort_at < ? AND p.dismissed = 0", (today.isoformat(),), "DESC", 1000
        )

    def _plans_where(
        self, where: str, params: tuple[str, ...], order: str, limit: int
    ) -> list[PlannedSession]:
        rows = self._conn.execute(
            f"SELECT p.id FROM planned_sessions p WHERE {where} AND NOT EXISTS ("
            "SELECT 1 FROM sessions s WHERE s.sort_at >= substr(p.sort_at, 1, 10) "
            "AND s.sort_at < date(substr(p.sort_at, 1, 10), '+1 day')) "
            f"ORDER BY p.sort_at {order}, p.id {order} LIMIT ?",
            (*params, limit),
        ).fetchall()
        found = self._repo.get_many("planned_session", [int(r[0]) for r in rows])
        plans = [found[int(r[0])] for r in rows if int(r[0]) in found]
        return [p for p in plans if isinstance(p, PlannedSession)]

    def count(self, kind: str, start: date | None = None, end: date | None = None) -> int:
        return self._repo.count(kind, start, end)

    def is_empty(self) -> bool:
        return all(self.count(kind) == 0 for kind in ALL_KINDS)

    def history_count(
        self, kinds: Iterable[str] = KINDS, start: date | None = None, end: date | None = None
    ) -> int:
        return self._repo.history_count(kinds, start, end)

    def history_page(
        self,
        kinds: Iterable[str] = KINDS,
        start: date | None = None,
        end: date | None = None,
        *,
        descending: bool = True,
        limit: int = 200,
        offset: int = 0,
    ) -> list[Entry]:
        return self._repo.history_page(
            kinds, start, end, descending=descending, limit=limit, offset=offset
        )

    def unreadable(self) -> list[Unreadable]:
        """Damaged rows met so far by the reads above (each one left out of what they gave)."""
        return sorted(
            self._repo.unreadable.values(), key=lambda u: (ALL_KINDS.index(u.kind), u.entry_id)
        )

    def scan_unreadable(self) -> list[Unreadable]:
        """Read every stored entry once; return every row that cannot be read."""
        return self._repo.scan_unreadable()

    def delete_unreadable(self, found: Sequence[Unreadable]) -> int:
        """Delete damaged rows in one transaction; return how many were deleted. The caller
        makes a backup first: nothing of these rows can be undone or restored from here."""
        deleted = 0
        with self._transaction():
            for item in found:
                deleted += self._repo.delete_row(item.kind, item.entry_id)
        for item in found:
            self._repo.unreadable.pop((item.kind, item.entry_id), None)
        self._changed("delete", {item.kind for item in found} | {"side_effect"})
        return deleted

    # -- between sessions ------------------------------------------------------------------

    def reflections(self, start: date | None = None, end: date | None = None) -> list[Reflection]:
        found = self._repo.list_entries("reflection", start, end)
        return [e for e in found if isinstance(e, Reflection)]

    def followups(self, start: date | None = None, end: date | None = None) -> list[FollowUp]:
        return [
            e for e in self._repo.list_entries("followup", start, end) if isinstance(e, FollowUp)
        ]

    def dismiss_prompt(self, session_at: datetime, prompt: str, now: datetime) -> None:
        """Close a reflection prompt about a session without writing anything."""
        with self._transaction():
            between_rows.dismiss(self._conn, session_at, prompt, now)
        self._changed("update", {"dismissed_prompt"})

    def dismissed_prompts(self) -> list[tuple[datetime, str]]:
        return between_rows.dismissed(self._conn)

    def answered_prompts(self) -> list[tuple[datetime, str]]:
        return between_rows.answered(self._conn)

    def due_context(self, now: datetime, recent: timedelta) -> between_rows.DueContext:
        """What the due computation needs at `now`, in a few bounded queries (Today)."""
        return between_rows.due_context(self._conn, now, recent)

    # -- change over treatment ---------------------------------------------------------------

    def change(self, instrument: str, until: datetime | None = None) -> Change | None:
        from tracker.domain.change import change_over_treatment

        return change_over_treatment(
            instrument, self.assessments(instrument=instrument), self.sessions(), until
        )

    def relief(self, now: datetime | None = None) -> ReliefAnalysis:
        """Relief after every session (clinical-reference.md), in the journal's time zone."""
        from tracker.domain.onset import analyse_relief

        return analyse_relief(self.sessions(), self.checkins(), self.time_zone(), now)

    def summary(self, now: datetime | None = None) -> dict[str, Any]:
        """The `summary --json` document of journal-format.md, version 2."""
        out: dict[str, Any] = {"summary_version": SUMMARY_VERSION}
        for instrument_id in instruments():
            found = self.change(instrument_id)
            out[instrument_id] = found.to_json() if found else None
        sessions = self.sessions()
        out["sessions"] = {
            "count": len(sessions),
            "first": format_at(sessions[0].at) if sessions else None,
            "last": format_at(sessions[-1].at) if sessions else None,
        }
        out["onset"] = self.relief(now).to_json()
        # Per session, the classes of other medicines taken in the 24 h before it.
        classes = {
            format_at(s.at): list(found)
            for s, found in zip(sessions, self.medication_classes(sessions), strict=True)
        }
        for row in out["onset"].get("per_session", []):
            row["medication_classes_24h"] = classes.get(row["session_at"], [])
        return out

    # -- time zone -------------------------------------------------------------------------

    def time_zone_name(self) -> str | None:
        """The journal's IANA time zone: the one kept in it, else the machine's (None when
        neither is known: times are then read in the machine's local time)."""
        kept = self.setting(ZONE_SETTING)
        if kept is not None and is_zone_name(kept):
            return kept
        return machine_zone_name()

    def time_zone(self) -> tzinfo | None:
        name = self.time_zone_name()
        return None if name is None else zone_named(name)

    def set_time_zone(self, name: str) -> None:
        """Keep another IANA zone in the journal; ValueError for a name that is not one."""
        zone_named(name)
        self.set_setting(ZONE_SETTING, name.strip())

    def _keep_machine_zone(self) -> None:
        """A new journal keeps the machine's zone, so its times read the same elsewhere."""
        name = machine_zone_name()
        if name is not None and self.setting(ZONE_SETTING) is None:
            self.set_setting(ZONE_SETTING, name)

    # -- settings --------------------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self._conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        with self._transaction():
            self._conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
        self._changed("settings", {"settings"})

    # -- drafts ----------------------------------------------------------------------------

    def draft(self, form: str) -> str | None:
        """What was typed into a form and not saved yet, as kept by keep_draft()."""
        return self.setting(DRAFT_PREFIX + form)

    def draft_forms(self, prefix: str) -> list[str]:
        """The forms whose names start with `prefix` that hold a kept draft, oldest first."""
        start = DRAFT_PREFIX + prefix
        rows = self._conn.execute(
            "SELECT key FROM settings WHERE substr(key, 1, ?) = ? ORDER BY key",
            (len(start), start),
        )
        return [str(row[0])[len(DRAFT_PREFIX) :] for row in rows]

    def keep_draft(self, form: str, text: str | None) -> None:
        """Keep a form's unsaved input inside the journal (None forgets it), so a crash
        does not lose it and an encrypted journal keeps it encrypted.

        One transaction, announced to no one: a draft is not a change to the record (pages
        do not refresh for it) and nothing to undo. Never exported.
        """
        key = DRAFT_PREFIX + form
        with self._transaction():
            if text is None:
                self._conn.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                self._conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, text),
                )

    # -- import ----------------------------------------------------------------------------

    def import_entries(self, placed: Sequence[tuple[str, Entry]]) -> ImportReport:
        """Add entries from an interchange file: all of them or none, in one transaction.

        Entries already in the journal (same kind, same content) are skipped, so importing
        the same file twice adds nothing the second time. Every refusal is collected with
        its place before anything is given up.
        """
        report = ImportReport()
        problems: list[Problem] = []
        ordered = sorted(placed, key=lambda pe: IMPORT_ORDER.index(pe[1].KIND))
        try:
            with self._transaction():
                # Read inside the write transaction: another import of the same file that
                # committed a moment ago must be seen, or everything would be added twice.
                present = {kind: self._repo.fingerprints(kind) for kind in ALL_KINDS}
                for place, entry in ordered:
                    digest = fingerprint(entry)
                    if digest in present[entry.KIND]:
                        report.already_present += 1
                        continue
                    if entry.KIND in _ONE_OF_A_KIND:
                        # The same session (or medicine) twice in one file is one.
                        present[entry.KIND].add(digest)
                    try:
                        self._repo.insert(entry.with_id(None))
                    except ValidationError as exc:
                        problems.extend(exc.within(place).problems)
                        continue
                    report.added[entry.KIND] = report.added.get(entry.KIND, 0) + 1
                if problems:
                    raise ValidationError(problems)
        except sqlite3.Error as exc:
            raise describe_error(self.path, exc) from None
        self._changed("import", (kind for kind, n in report.added.items() if n))
        return report

    def session_at(self, at: datetime) -> TreatmentSession | None:
        """The session at that wall-clock time, if there is one (times are unique)."""
        found = self._repo.session_id_at(sort_key(at))
        session = None if found is None else self.get("session", found)
        return session if isinstance(session, TreatmentSession) else None

    def session_fingerprints(self) -> dict[str, str]:
        """Each session's time (sort key) and content digest: what an import checks against."""
        rows = self._conn.execute("SELECT sort_at, fingerprint FROM sessions")
        return {str(key): str(digest) for key, digest in rows}

    def first_session_start(self) -> datetime | None:
        sessions = self.sessions()
        return wall_clock(sessions[0].at) if sessions else None

    def latest_assessment(self, instrument: str) -> Assessment | None:
        """The most recent assessment of one instrument, in one bounded query (Today view)."""
        row = self._conn.execute(
            "SELECT id FROM assessments WHERE instrument = ? ORDER BY sort_at DESC, id DESC "
            "LIMIT 1",
            (instrument,),
        ).fetchone()
        found = None if row is None else self.get("assessment", int(row[0]))
        return found if isinstance(found, Assessment) else None
