"""Every change the window makes goes through the Editor, so each can be undone and redone.

The change is made first (so a refusal reaches the form that asked for it), and only then
recorded on the QUndoStack. Undo of an add deletes; redo restores the same entries with
their ids; undo of a delete puts the entry back with its links (Journal.restore).
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
from tracker.wording import KIND_LABELS

E = TypeVar("E", bound=Entry)


def _what(entries: Sequence[Entry]) -> str:
    kinds = {e.KIND for e in entries}
    if len(entries) == 1 or len(kinds) > 1:
        return KIND_LABELS[entries[0].KIND].lower()
    return f"{len(entries)} {KIND_LABELS[entries[0].KIND].lower()}s"


class _Command(QUndoCommand):
    """A change already made once; the first redo() (done by QUndoStack.push) is skipped.

    When the journal refuses an undo or redo for a passing reason (disk full, read-only,
    locked), nothing was changed, so the step stays where it was and can be tried again.
    When the entry itself changed under us (another program), the step is dropped.
    """

    def __init__(self, editor: Editor, text: str):
        super().__init__(text)
        self.editor = editor
        self._skip_redo = True
        self._skip_undo = False

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        if not self._guarded(self.do, "redo"):
            self._skip_undo = True  # the stack steps forward; stepping it back does nothing
            self.editor._step_back("undo")

    def undo(self) -> None:
        if self._skip_undo:
            self._skip_undo = False
            return
        if not self._guarded(self.revert, "undo"):
            self._skip_redo = True
            self.editor._step_back("redo")

    def _guarded(self, action: Callable[[], None], direction: str) -> bool:
        """Run the change; False when the journal refused it and left everything as it was."""
        try:
            action()
        except JournalError as exc:
            self.editor.failed.emit(
                f"Could not {direction} “{self.text()}”: {exc.reason.rstrip('.')}. "
                f"The journal was not changed; {direction.capitalize()} can be tried again "
                f"once that is resolved.\n\nJournal file: {exc.path}"
            )
            return False
        except (ValidationError, KeyError, ValueError) as exc:
            # The journal changed under us (another program): say so, drop the step.
            self.setObsolete(True)
            self.editor.failed.emit(f"Could not {self.text().lower()}: {exc}")
        return True

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
        # One transaction for all of them: a failure part-way leaves none deleted.
        self.removals = self.editor.journal.delete_many(list(reversed(self.stored)))

    def do(self) -> None:
        self.editor.journal.restore_many(list(reversed(self.removals)))


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
        self._pending_step: str | None = None
        self.stack.indexChanged.connect(self._index_changed)

    def _step_back(self, direction: str) -> None:
        """After a refused undo/redo, move the stack back to where it was, changing nothing.

        QUndoStack moves its index once the command returns; the move back happens from its
        indexChanged signal, by then the stack is consistent again (the command skips it).
        """
        self._pending_step = direction

    def _index_changed(self, _index: int) -> None:
        direction, self._pending_step = self._pending_step, None
        if direction == "undo":
            self.stack.undo()
        elif direction == "redo":
            self.stack.redo()

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
