"""A saved journal from every schema version opens with all its entries; steps are atomic."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sqlite3
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.core_support import FIXTURES
from tracker.io.journal_json import export_document
from tracker.journal import Journal
from tracker.storage import connection
from tracker.storage.errors import JournalError
from tracker.storage.migrations import MIGRATIONS, SCHEMA_VERSION

SAVED = sorted(FIXTURES.glob("journal-v*.onset"))


def load_make_fixtures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKE = load_make_fixtures()


def version_in_header(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[60:64], "big")


def test_there_is_a_saved_journal_for_every_schema_version() -> None:
    versions = sorted(int(re.findall(r"\d+", p.name)[0]) for p in SAVED)
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    for path in SAVED:
        assert version_in_header(path) == int(re.findall(r"\d+", path.name)[0]), path.name


def test_saved_journals_are_checkpointed_into_one_file() -> None:
    for path in SAVED:
        for side in ("-wal", "-shm", "-journal"):
            assert not Path(f"{path}{side}").exists(), f"{path.name}{side} must not be committed"
        # immutable=1 ignores any log: every entry must be in the file itself.
        conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = conn.execute("SELECT count(*) FROM checkins").fetchone()[0]
        finally:
            conn.close()
        assert stored == len(MAKE.DOCUMENT["checkins"])


def subset(found: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """`found` cut to the fields `expected` has: later versions may add fields."""
    return {k: found.get(k, "<missing>") for k in expected}


@pytest.mark.parametrize("saved", SAVED, ids=[p.name for p in SAVED])
def test_a_saved_journal_opens_with_every_entry(saved: Path, tmp_path: Path) -> None:
    original = saved.read_bytes()
    copy = tmp_path / saved.name
    shutil.copyfile(saved, copy)
    steps: list[int] = []
    with Journal.open(copy, before_migration=lambda conn, v: steps.append(v)) as journal:
        assert steps == list(range(version_in_header(saved) + 1, SCHEMA_VERSION + 1))
        conn = journal.connection
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        exported = export_document(journal)
        for key, value in MAKE.SETTINGS.items():
            assert journal.setting(key) == value
        document = MAKE.DOCUMENTS[version_in_header(saved)]
        sections = [k for k, v in document.items() if isinstance(v, list)]
        for section in sections:
            expected = document[section]
            assert [subset(f, e) for f, e in zip(exported[section], expected, strict=True)] == (
                expected
            ), section
        # What a later version added is there and empty.
        for section in set(exported) - set(document) - {"exported_at"}:
            assert exported[section] == [], section
        assert journal.summary()["GAD-7"]["change"] == -9
        # Nothing in a saved journal may look new to a re-import of what it holds.
        from tracker.io.journal_json import read_document

        report = journal.import_entries(read_document(document))
        held = sum(len(document[section]) for section in sections)
        assert (report.total_added, report.already_present) == (0, held)
    assert saved.read_bytes() == original


def test_a_new_journal_is_made_by_every_step_in_order(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "bare.db", isolation_level=None)
    try:
        assert connection.migrate(conn) == list(range(1, SCHEMA_VERSION + 1))
        assert connection.schema_version(conn) == SCHEMA_VERSION
        assert connection.migrate(conn) == []
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"checkins", "assessments", "sessions", "side_effects", "settings"} <= tables
    finally:
        conn.close()


def _saved_copy(tmp_path: Path) -> Path:
    """A copy of the saved journal of the current version, for a step after it."""
    copy = tmp_path / "journal.onset"
    shutil.copyfile(FIXTURES / f"journal-v{SCHEMA_VERSION}.onset", copy)
    return copy


def test_a_failing_step_leaves_the_journal_at_its_old_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _saved_copy(tmp_path)
    broken = "CREATE TABLE moods (id INTEGER PRIMARY KEY);\nINSERT INTO nowhere VALUES (1);\n"
    monkeypatch.setattr(connection, "MIGRATIONS", [*MIGRATIONS, broken])
    monkeypatch.setattr(connection, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(JournalError, match="nowhere"):
        Journal.open(copy)
    monkeypatch.undo()
    with Journal.open(copy) as journal:
        conn = journal.connection
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert (
            conn.execute("SELECT count(*) FROM sqlite_master WHERE name='moods'").fetchone()[0] == 0
        )
        assert journal.count("checkin") == len(MAKE.DOCUMENT["checkins"])


def test_a_step_and_its_version_bump_apply_together_after_the_hook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = _saved_copy(tmp_path)
    step = "ALTER TABLE checkins ADD COLUMN energy INTEGER;\n"
    monkeypatch.setattr(connection, "MIGRATIONS", [*MIGRATIONS, step])
    monkeypatch.setattr(connection, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    seen: list[tuple[int, int]] = []

    def hook(conn: sqlite3.Connection, version: int) -> None:
        seen.append((version, connection.schema_version(conn)))

    with Journal.open(copy, before_migration=hook) as journal:
        columns = [r[1] for r in journal.connection.execute("PRAGMA table_info(checkins)")]
        assert "energy" in columns
        assert connection.schema_version(journal.connection) == SCHEMA_VERSION + 1
        assert journal.count("checkin") == len(MAKE.DOCUMENT["checkins"])
    # Called before the step, while the journal was still at the version before it.
    assert seen == [(SCHEMA_VERSION + 1, SCHEMA_VERSION)]


def test_a_version_1_journal_is_backed_up_then_gains_the_treatment_record(tmp_path: Path) -> None:
    """Step 2 on a saved version-1 journal: a backup first, then the new fields and lists."""
    from tracker.domain.entries import TreatmentSession
    from tracker.storage.backup import BEFORE_MIGRATION, list_backups

    copy = tmp_path / "journal.onset"
    shutil.copyfile(FIXTURES / "journal-v1.onset", copy)
    with Journal.open(copy) as journal:
        made = [b for b in list_backups(copy) if b.reason == BEFORE_MIGRATION]
        assert len(made) == 1
        # The backup is the journal as it was: still version 1, every check-in in it.
        backup = sqlite3.connect(f"file:{made[0].path}?immutable=1", uri=True)
        try:
            assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
            assert backup.execute("SELECT count(*) FROM checkins").fetchone()[0] == 4
        finally:
            backup.close()
        sessions = journal.sessions()
        assert [s.devices for s in sessions] == [None, None]
        assert journal.medications() == [] and journal.planned_sessions() == []
        # A new-style session goes in beside the old ones.
        journal.add(TreatmentSession.from_json(MAKE.DOCUMENT_V2["sessions"][2]).with_id(None))
        assert journal.sessions()[-1].bp_mid == (150, 95)


BAD_ROWS = {
    "devices on an infusion": ("UPDATE sessions SET devices = 2 WHERE route = 'iv'",),
    "a minute without a mid-session reading": (
        "UPDATE sessions SET bp_mid_min = 40 WHERE bp_mid_systolic IS NULL",
    ),
    "a mid-session reading upside down": (
        "UPDATE sessions SET bp_mid_systolic = 80, bp_mid_diastolic = 120 "
        "WHERE bp_mid_systolic IS NULL",
    ),
    "half a mid-session reading": (
        "UPDATE sessions SET bp_mid_systolic = 120 WHERE bp_mid_systolic IS NULL",
    ),
    "sleepiness 11": ("UPDATE sessions SET sleepiness = 11",),
    "stopped before started": (
        "UPDATE medications SET stopped = '2020-01-01' WHERE name = 'sertraline'",
    ),
    "an unknown class": ("UPDATE medications SET class = 'sedative'",),
    "times a day for an as-needed medicine": (
        "UPDATE medications SET times_per_day = 2 WHERE schedule = 'as_needed'",
    ),
    "two periods overlapping": ("UPDATE medications SET stopped = NULL WHERE name = 'Lorazepam'",),
    "an overlapping period added": (
        "INSERT INTO medications (name, name_key, class, schedule, started, sort_at, "
        "fingerprint) VALUES ('Sertraline', 'sertraline', 'antidepressant', 'regular', "
        "'2026-02-01', '2026-02-01T00:00:00', 'x')",
    ),
    "a year past 2100": (
        "UPDATE planned_sessions SET at = '2101-01-01T10:00', sort_at = '2101-01-01T10:00:00'",
    ),
    "a plan dismissed twice over": ("UPDATE planned_sessions SET dismissed = 2",),
    "a dose of nothing": ("UPDATE medication_doses SET dose_mg = 0",),
}


@pytest.mark.parametrize("case", BAD_ROWS)
def test_the_schema_refuses_what_the_rules_refuse(case: str, tmp_path: Path) -> None:
    copy = tmp_path / "journal.onset"
    shutil.copyfile(FIXTURES / "journal-v2.onset", copy)
    with Journal.open(copy, backups=False) as journal:
        for statement in BAD_ROWS[case]:
            with pytest.raises(sqlite3.IntegrityError):
                journal.connection.execute(statement)


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_journal_gains_what_is_written_between_sessions(
    version: int, tmp_path: Path
) -> None:
    """v1 -> 3 and v2 -> 3: every step runs in order, the entries stay, and a reflection on
    one of the old sessions and a follow-up check can be written at once."""
    from datetime import datetime

    from tracker.domain.between import FollowUp, Reflection

    copy = tmp_path / "journal.onset"
    shutil.copyfile(FIXTURES / f"journal-v{version}.onset", copy)
    steps: list[int] = []
    with Journal.open(copy, before_migration=lambda conn, v: steps.append(v)) as journal:
        assert steps == list(range(version + 1, 4)) and SCHEMA_VERSION == 3
        assert journal.count("checkin") == len(MAKE.DOCUMENT["checkins"])
        assert journal.reflections() == [] and journal.followups() == []
        session = journal.sessions()[0]
        journal.add(
            Reflection(
                at=datetime(2026, 1, 6, 21, 0),
                text="calmer than I expected",
                session_at=session.at,
                prompt="what_came_up",
            )
        )
        journal.add(
            FollowUp.from_answers(
                datetime(2026, 1, 20, 9),
                dict.fromkeys(
                    (
                        "bladder_pain",
                        "urgency",
                        "frequency",
                        "blood_in_urine",
                        "memory",
                        "concentration",
                        "craving",
                        "use_outside_treatment",
                    ),
                    "none",
                ),
            )
        )
        assert [r.text for r in journal.reflections()] == ["calmer than I expected"]
        assert journal.reflections()[0].session_at == session.at
        assert len(journal.followups()) == 1
        if version == 2:
            assert len(journal.medications()) == len(MAKE.DOCUMENT_V2["medications"])
