"""The window's pages, in navigation order, with their titles: shared by the command line
(`--view`) and the main window, so neither has to import the other."""

from __future__ import annotations

VIEWS = ("today", "history", "charts", "treatment", "settings")
VIEW_TITLES = {
    "today": "Today",
    "history": "History",
    "charts": "Charts",
    "treatment": "Treatment",
    "settings": "Settings",
}
