"""Shared test set-up: Qt offscreen, a throwaway journal, and a folder for screenshots."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never let a test touch the user's real journal.
os.environ.pop("ONSET_JOURNAL", None)

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def output_folder() -> Path:
    """Where screenshots and rendered pages go for a person to look at."""
    folder = Path(os.environ.get("ONSET_TEST_OUTPUT") or REPO / "test-output")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path_factory.mktemp("xdg-data")
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
    if "PySide6.QtCore" in sys.modules:
        # What the window remembers (tracker.ui.remembered) goes to a fresh folder for
        # each test, never to the user's own settings.
        from PySide6.QtCore import QSettings

        folder = str(tmp_path_factory.mktemp("qsettings"))
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(QSettings.Format.IniFormat, scope, folder)


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.onset"


@pytest.fixture
def journal(journal_path: Path) -> Iterator[object]:
    from tracker.journal import Journal

    with Journal.open(journal_path, create=True) as opened:
        yield opened


@pytest.fixture(scope="session")
def shots_dir() -> Path:
    folder = output_folder() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    folder = output_folder()
    if any(folder.rglob("*.png")) or any(folder.rglob("*.pdf")):
        terminalreporter.write_line(f"screenshots and rendered pages: {folder}")
