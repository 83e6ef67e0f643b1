"""Unsaved input kept inside the journal while it is typed, so a crash loses none of it.

A DraftKeeper writes a form's fields into the journal itself (Journal.keep_draft: the
settings table, one transaction, announced to no one) about a second after the last
change, and forgets them when the form is saved, emptied or discarded. Because the draft
lives in the journal, an encrypted journal keeps it encrypted and it goes nowhere else.
At the next open the form asks `kept()` and puts the fields back, saying so.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, QTimer

from tracker.domain.times import DAY_NAMES
from tracker.formatting import short_day
from tracker.journal import Journal
from tracker.storage.errors import JournalError

log = logging.getLogger(__name__)

DRAFT_DELAY_MS = 1000
DIALOG_DRAFTS = "dialog:"  # the draft names of entry forms in dialogs start with this
_VERSION = 1


class Draft(NamedTuple):
    kept_at: datetime  # local wall time of the last write
    fields: dict[str, Any]


def restored_words(kept_at: datetime, today: date | None = None) -> str:
    """'Restored what you were typing on Tuesday at 21:10 — not saved yet'."""
    today = today or date.today()
    day = kept_at.date()
    if day == today:
        said = "today"
    elif day == today - timedelta(days=1):
        said = "yesterday"
    elif today - timedelta(days=6) <= day < today:
        said = f"on {DAY_NAMES[day.weekday()]}"
    else:
        said = f"on {short_day(day, today)}"
    return f"Restored what you were typing {said} at {kept_at:%H:%M} — not saved yet"


def read_draft(journal: Journal, form: str) -> Draft | None:
    """The draft of `form` kept in the journal, or None (none, or not one this version
    reads: logged, and left as it is)."""
    try:
        text = journal.draft(form)
    except (JournalError, sqlite3.Error, OSError) as exc:
        log.warning("The kept draft could not be read: %s", exc)
        return None
    return None if text is None else _parsed(text, form)


def _parsed(text: str, form: str) -> Draft | None:
    try:
        data = json.loads(text)
        kept_at = datetime.fromisoformat(data["kept_at"])
        fields = data["fields"]
        if data.get("version") != _VERSION or not isinstance(fields, dict):
            raise ValueError("not a draft this version reads")
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("The kept draft of %s is unreadable: %s", form, exc)
        return None
    return Draft(kept_at.replace(tzinfo=None), fields)


class DraftKeeper(QObject):
    """Keeps one form's unsaved fields in the journal while they are typed.

    `read()` returns the form's fields as JSON-able values, or None when it holds nothing;
    call `changed()` after every change made by the person. A draft that cannot be written
    (a full disk, a journal closed under it) is logged and left: the questions asked on
    closing still guard the input.
    """

    def __init__(
        self,
        journal: Journal,
        form: str,
        read: Callable[[], dict[str, Any] | None],
        parent: QObject | None = None,
        delay_ms: int = DRAFT_DELAY_MS,
    ):
        super().__init__(parent)
        self._journal = journal
        self._form = form
        self._read = read
        self._written: dict[str, Any] | None = None
        self._stored = True  # whether the journal may hold a draft of this form
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.write_now)

    def kept(self) -> Draft | None:
        """The draft left in the journal, or None (none, or not one this version reads)."""
        try:
            text = self._journal.draft(self._form)
        except (JournalError, sqlite3.Error, OSError) as exc:
            log.warning("The kept draft could not be read: %s", exc)
            return None
        if text is None:
            self._stored = False
            return None
        draft = _parsed(text, self._form)
        if draft is not None:
            self._written = draft.fields
        return draft

    def changed(self) -> None:
        """The person changed something: write the draft once they pause."""
        self.timer.start()

    def pending(self) -> bool:
        return self.timer.isActive()

    def write_now(self) -> None:
        self.timer.stop()
        fields = self._read()
        if fields == self._written:
            return
        text = None
        if fields is not None:
            kept_at = datetime.now().isoformat(timespec="seconds")
            text = json.dumps({"version": _VERSION, "kept_at": kept_at, "fields": fields})
        self._keep(text, fields)

    def forget(self) -> None:
        """Saved or discarded: no draft any more."""
        self.timer.stop()
        if self._stored:
            self._keep(None, None)

    def stop(self) -> None:
        self.timer.stop()

    def _keep(self, text: str | None, fields: dict[str, Any] | None) -> None:
        try:
            self._journal.keep_draft(self._form, text)
        except (JournalError, sqlite3.Error, OSError) as exc:
            log.warning("The draft of %s was not kept: %s", self._form, exc)
            return
        self._written = fields
        self._stored = text is not None
