"""The journal's change announcements as one Qt signal, and pages that keep up with it.

`changes_of(journal)` is the single adapter per journal: it subscribes to the journal (a
weak subscription, tracker.journal) and re-emits each committed JournalChange as
`changed`. A page keeps itself current with a PageRefresh: it refreshes at once when the
page is on screen, or marks it stale and refreshes when it is next shown. Because the
PageRefresh is a child of its page, Qt drops its connection when the page is destroyed.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from tracker.journal import Journal, JournalChange

_adapters: weakref.WeakKeyDictionary[Journal, JournalChanges] = weakref.WeakKeyDictionary()


class JournalChanges(QObject):
    """`changed(JournalChange)`, once for every change committed to one journal."""

    changed = Signal(object)

    def __init__(self, journal: Journal):
        super().__init__()
        # Held weakly by the journal, and holding nothing of it: the adapter lives exactly
        # as long as its journal (see changes_of).
        journal.subscribe(self._heard)

    def _heard(self, change: JournalChange) -> None:
        self.changed.emit(change)


def changes_of(journal: Journal) -> JournalChanges:
    """The one Qt adapter of a journal's changes, made on first use."""
    adapter = _adapters.get(journal)
    if adapter is None:
        adapter = _adapters[journal] = JournalChanges(journal)
    return adapter


class PageRefresh(QObject):
    """Calls `refresh` after each change of the given kinds: now if the page is on screen,
    else when it is next shown (the page calls `shown()` from its showEvent)."""

    def __init__(
        self,
        page: QWidget,
        journal: Journal,
        refresh: Callable[[], None],
        kinds: Iterable[str] | None = None,
    ):
        super().__init__(page)
        self._page = page
        self._refresh = refresh
        self._kinds = None if kinds is None else frozenset(kinds)
        self.stale = False
        changes_of(journal).changed.connect(self._heard)

    def _heard(self, change: JournalChange) -> None:
        if self._kinds is not None and not change.kinds & self._kinds:
            return
        if self._page.isVisible():
            self.stale = False
            self._refresh()
        else:
            self.stale = True

    def shown(self) -> None:
        if self.stale:
            self.stale = False
            self._refresh()
