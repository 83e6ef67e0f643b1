"""Reflections, follow-up checks and dismissed prompts in the journal file."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from tests.core_support import FIXTURES
from tracker.domain.between import FOLLOWUP_KEYS, FollowUp, Reflection
from tracker.domain.errors import ValidationError
from tracker.journal import Journal
from tracker.storage.migrations import BETWEEN_SESSIONS, MIGRATIONS, SCHEMA_VERSION

TUESDAY = datetime(2026, 1, 6, 10, 0)
ALL_NONE = dict.fromkeys(FOLLOWUP_KEYS, "none")


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    opened = Journal.open(tmp_path / "j.onset", create=True, backups=False)
    opened.add_session(TUESDAY, "iv", dose_mg=35.0)
    yield opened
    opened.close()


def reflect(
    journal: Journal, text: str = "lighter", prompt: str | None = "what_came_up"
) -> Reflection:
    return journal.add(
        Reflection(at=datetime(2026, 1, 6, 13, 0), text=text, session_at=TUESDAY, prompt=prompt)
    )


def test_the_step_is_in_the_schema_and_a_saved_older_journal_gains_its_tables(
    tmp_path: Path,
) -> None:
    assert BETWEEN_SESSIONS in MIGRATIONS
    copy = tmp_path / "old.onset"
    shutil.copyfile(FIXTURES / "journal-v1.onset", copy)
    with Journal.open(copy, backups=False) as journal:
        assert journal.reflections() == [] and journal.followups() == []
        journal.add(Reflection(at=datetime(2026, 1, 9, 20, 0), text="first words"))
        assert [r.text for r in journal.reflections()] == ["first words"]
        assert journal.connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_reflection_and_a_followup_read_back_exactly(journal: Journal) -> None:
    stored = reflect(journal, "a wave of calm ✓\nthen tired")
    assert journal.reflections() == [stored]
    check = FollowUp.from_answers(datetime(2026, 2, 3, 9, 0), ALL_NONE | {"memory": "moderate"})
    saved = journal.add(replace(check, note="names slip"))
    assert journal.followups() == [saved]
    assert journal.followups()[0].above_none() == [("memory", "moderate")]
    assert journal.get("followup", saved.id or 0) == saved
    assert not journal.is_empty()


def test_a_reflection_must_name_a_session_that_exists(journal: Journal) -> None:
    with pytest.raises(ValidationError, match="there is no session at 2026-01-07T10:00"):
        journal.add(
            Reflection(at=datetime(2026, 1, 8, 9, 0), text="x", session_at=datetime(2026, 1, 7, 10))
        )
    assert journal.reflections() == []


def test_the_link_survives_deleting_and_restoring_the_session_and_follows_a_move(
    journal: Journal,
) -> None:
    reflect(journal, "still here")
    (session,) = journal.sessions()
    removal = journal.delete(session)
    # The words stay; while the session is gone the reflection reads as unlinked.
    (alone,) = journal.reflections()
    assert (alone.text, alone.session_at, alone.prompt) == ("still here", None, None)
    journal.restore(removal)
    assert journal.reflections()[0].session_at == TUESDAY
    assert journal.answered_prompts() == [(TUESDAY, "what_came_up")]
    # Moving the session to another time takes its reflections and dismissals with it.
    journal.dismiss_prompt(TUESDAY, "still_with_you", datetime(2026, 1, 7, 11, 0))
    moved = replace(journal.sessions()[0], at=datetime(2026, 1, 6, 11, 30))
    journal.update(moved)
    assert journal.reflections()[0].session_at == moved.at
    assert journal.dismissed_prompts() == [(moved.at, "still_with_you")]


def test_dismissing_twice_is_one_dismissal_and_a_wrong_one_is_refused(journal: Journal) -> None:
    now = datetime(2026, 1, 7, 11, 0)
    journal.dismiss_prompt(TUESDAY, "still_with_you", now)
    journal.dismiss_prompt(TUESDAY, "still_with_you", now)
    assert journal.dismissed_prompts() == [(TUESDAY, "still_with_you")]
    with pytest.raises(ValidationError, match="not one of"):
        journal.dismiss_prompt(TUESDAY, "how_was_it", now)
    with pytest.raises(ValidationError, match="no session"):
        journal.dismiss_prompt(datetime(2026, 1, 1, 10, 0), "still_with_you", now)


def test_the_same_reflection_written_twice_is_recognised_on_import(journal: Journal) -> None:
    from tracker.io.journal_json import read_document

    document = {
        "format": "onset-journal",
        "version": 2,
        "reflections": [reflect(journal).to_json()],
        "followups": [FollowUp.from_answers(datetime(2026, 2, 3, 9), ALL_NONE).to_json()],
    }
    report = journal.import_entries(read_document(document))
    assert (report.added.get("reflection", 0), report.added["followup"]) == (0, 1)
    assert report.already_present == 1
    again = journal.import_entries(read_document(document))
    assert (again.total_added, again.already_present) == (0, 2)


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO reflections (at, sort_at, text, fingerprint) "
        "VALUES ('x', '2026-01-06T13:00:00', '   ', 'f')",
        "INSERT INTO reflections (at, sort_at, prompt, text, fingerprint) "
        "VALUES ('x', '2026-01-06T13:00:00', 'what_came_up', 'words', 'f')",
        "INSERT INTO reflections (at, sort_at, session_key, prompt, text, fingerprint) "
        "VALUES ('x', '2026-01-06T13:00:00', '2026-01-06T10:00:00', 'later', 'words', 'f')",
        "INSERT INTO followups (at, sort_at, bladder_pain, urgency, frequency, blood_in_urine, "
        "memory, concentration, craving, use_outside_treatment, fingerprint) VALUES ('x', "
        "'2026-02-03T09:00:00', 'none', 'none', 'none', 'none', 'none', 'none', 'none', "
        "'some', 'f')",
        "INSERT INTO dismissed_prompts VALUES ('yesterday', 'what_came_up', 'x')",
    ],
)
def test_the_tables_refuse_what_the_domain_refuses(journal: Journal, sql: str) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        journal.connection.execute(sql)
