"""Damaged entries: stored rows that cannot be read are listed, and can be deleted.

A row that is not valid text, has an impossible time (year 9999) or an unknown
questionnaire is left out of every page and export. The patient sees which ones, with
their time and what is wrong, and may delete them: a backup of the whole journal is made
first, so nothing is lost for good.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from tracker.journal import Journal
from tracker.storage.errors import JournalError
from tracker.storage.repository import Unreadable
from tracker.ui.accessibility import name_unnamed

SHOWN = 15
DELETE = "Back up, then delete them"
KEEP = "Keep them for now"


def listing(found: Sequence[Unreadable]) -> str:
    lines = [f"• {item}" for item in found[:SHOWN]]
    if len(found) > SHOWN:
        lines.append(f"…and {len(found) - SHOWN} more.")
    return "\n".join(lines)


def offer_to_delete(
    parent: QWidget,
    journal: Journal,
    found: Sequence[Unreadable],
    done: Callable[[str], None],
) -> QMessageBox:
    """Say which entries are damaged and offer to delete them after a backup; `done` is
    told what happened, in words. Opened, not blocking."""
    count = len(found)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Onset")
    box.setText(
        f"{count} {'entry' if count == 1 else 'entries'} in your journal "
        f"{'is' if count == 1 else 'are'} damaged and cannot be shown."
    )
    box.setInformativeText(
        "Everything else is shown and exported as usual. These cannot be read:\n\n"
        f"{listing(found)}\n\nYou can delete them. A backup of the whole journal, these "
        "entries included, is made first."
    )
    delete = box.addButton(DELETE, QMessageBox.ButtonRole.DestructiveRole)
    delete.setAccessibleName(DELETE)
    keep = box.addButton(KEEP, QMessageBox.ButtonRole.RejectRole)
    keep.setAccessibleName(KEEP)
    box.setDefaultButton(keep)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    delete.clicked.connect(lambda: done(delete_after_backup(journal, found)))
    name_unnamed(box)
    box.open()
    return box


def delete_after_backup(journal: Journal, found: Sequence[Unreadable]) -> str:
    """Back the journal up, then delete the damaged rows; what happened, in words."""
    from tracker.storage.backup import make_backup

    try:
        kept = make_backup(journal)
    except JournalError as exc:
        return f"Nothing was deleted: the backup could not be made ({exc.reason})."
    try:
        deleted = journal.delete_unreadable(found)
    except JournalError as exc:
        return f"Nothing was deleted ({exc.reason}). The backup is {kept.name}."
    return (
        f"{deleted} damaged {'entry' if deleted == 1 else 'entries'} deleted; "
        f"the journal as it was is kept in {kept}."
    )
