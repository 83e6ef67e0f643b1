"""Every change the window makes goes through the Editor, so each can be undone and redone.

The change is made first (so a refusal reaches the form that asked for it), and only then
recorded on the QUndoStack. Undo of an add deletes; redo restores the same entries with
their ids; undo of a delete puts the entry back with its links (Journal.restore).
The journal's change signal is bridged to Qt once here (JournalEvents).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from tracker.domain.entries import Entry
from tracker.domain.errors import ValidationError
from tracker.journal import Journal, Removal
from tracker.storage.errors import JournalError
from tracker.ui.wording import KIND_LABELS

E = TypeVar("E", bound=Entry)


class JournalEvents(QObject):
    """The journal's change notification as a Qt signal: `changed(frozenset of kinds)`."""

    changed = Signal(object)

    def __init__(self, journal: Journal, parent: QObject | None = None):
        super().__init__(parent)
        self._unsubscribe: Callable[[], None] | None = journal.subscribe(self.changed.emit)

    def disconnect_journal(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None


def _what(entries: Sequence[Entry]) -> str:
    kinds = {e.KIND for e in entries}
    if len(entries) == 1 or len(kinds) > 1:
        return KIND_LABELS[entries[0].KIND].lower()
    return f"{len(entries)} {KIND_LABELS[entries[0].KIND].lower()}s"


class _Command(QUndoCommand):
    """A change already made once; the first redo() (done by QUndoStack.push) is skipped."""

    def __init__(self, editor: Editor, text: str):
        super().__init__(text)
        self.editor = editor
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._guarded(self.do)

    def undo(self) -> None:
        self._guarded(self.revert)

    def _guarded(self, action: Callable[[], None]) -> None:
        # The journal may have changed under us (another program): say so, drop the step.
        try:
            action()
        except (ValidationError, JournalError, KeyError, ValueError) as exc:
            self.setObsolete(True)
            self.editor.failed.emit(f"Could not {self.text().lower()}: {exc}")

    def do(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class _Add(_Command):
    def __init__(self, editor: Editor, stored: Sequence[Entry]):
        super().__init__(editor, f"Add {_what(stored)}")
        self.stored = list(stored)
        self.removals: list[Removal] = []

    def revert(self) -> None:
        self.removals = [self.editor.journal.delete(e) for e in reversed(self.stored)]

    def do(self) -> None:
        for removal in reversed(self.removals):
            self.editor.journal.restore(removal)


class _Edit(_Command):
    def __init__(self, editor: Editor, before: Entry, after: Entry):
        super().__init__(editor, f"Edit {_what([after])}")
        self.before, self.after = before, after

    def revert(self) -> None:
        self.editor.journal.update(self.before)

    def do(self) -> None:
        self.editor.journal.update(self.after)


class _Delete(_Command):
    def __init__(self, editor: Editor, removal: Removal):
        super().__init__(editor, f"Delete {_what([removal.entry])}")
        self.removal = removal

    def revert(self) -> None:
        self.editor.journal.restore(self.removal)

    def do(self) -> None:
        self.removal = self.editor.journal.delete(self.removal.entry)


class Editor(QObject):
    """Adds, edits and deletes entries, each one step on the undo stack."""

    failed = Signal(str)

    def __init__(self, journal: Journal, stack: QUndoStack | None = None):
        super().__init__()
        self.journal = journal
        self.stack = stack if stack is not None else QUndoStack(self)

    def add(self, entries: Sequence[E]) -> list[E]:
        """Store entries in one transaction; raises ValidationError/JournalError unchanged."""
        if not entries:
            return []
        stored = self.journal.add_many(entries)
        self.stack.push(_Add(self, stored))
        return stored

    def update(self, before: E, after: E) -> E:
        stored = self.journal.update(after.with_id(before.id))
        self.stack.push(_Edit(self, before, stored))
        return stored

    def delete(self, entry: Entry) -> Removal:
        removal = self.journal.delete(entry)
        self.stack.push(_Delete(self, removal))
        return removal
