"""Where a journal lives by default: the platform's per-user data folder (no Qt needed)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_FOLDER = "Onset"
JOURNAL_NAME = "journal.onset"


def data_folder() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
        return base / APP_FOLDER
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_FOLDER
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_FOLDER.lower()


def default_journal() -> Path:
    """$ONSET_JOURNAL when set, else the per-user data folder's journal."""
    override = os.environ.get("ONSET_JOURNAL")
    return Path(override).expanduser() if override else data_folder() / JOURNAL_NAME


def demo_journal() -> Path:
    """The sample-data journal: its own file, never mixed into the real one."""
    return data_folder() / "demo.onset"
