"""Onset never phones home: a whole desktop session and every command-line command run
with Internet sockets made to fail, and nothing even tries one.

Only AF_INET/AF_INET6 are refused: Qt and asyncio may make local socket pairs internally.
Qt's own networking would bypass Python's socket module, so QtNetwork must never load.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.conftest import choose
from tracker.cli import main as cli_main
from tracker.ui.app.launch import Launcher
from tracker.ui.app.main_window import MainWindow

INTERNET = (socket.AF_INET, socket.AF_INET6)


@pytest.fixture
def no_internet(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every attempt at an Internet socket or a name lookup is refused and recorded."""
    tried: list[str] = []
    real_init = socket.socket.__init__

    def refuse(what: str) -> OSError:
        tried.append(what)
        return OSError(f"network use in a test: {what}")

    def guarded_init(self: socket.socket, family: Any = -1, *args: Any, **kwargs: Any) -> None:
        if family in INTERNET or family == -1:
            raise refuse(f"socket(family={family})")
        real_init(self, family, *args, **kwargs)

    def guarded(name: str) -> Any:
        def refused(*args: Any, **_kwargs: Any) -> Any:
            raise refuse(f"{name}{args[:2]}")

        return refused

    monkeypatch.setattr(socket.socket, "__init__", guarded_init)
    real_connect = socket.socket.connect

    def guarded_connect(self: socket.socket, address: Any) -> None:
        if self.family in INTERNET:
            raise refuse(f"connect({address})")
        real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, name, guarded(name))
    yield tried
    assert tried == [], f"something tried the network: {tried}"
    assert "PySide6.QtNetwork" not in sys.modules


def test_the_guard_itself_refuses_internet_sockets(no_internet: list[str]) -> None:
    with pytest.raises(OSError, match="network use"):
        socket.create_connection(("example.invalid", 80))
    with pytest.raises(OSError, match="network use"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    local, other = socket.socketpair()  # local pairs (Qt, asyncio) still work
    local.close()
    other.close()
    assert len(no_internet) == 2
    no_internet.clear()


def test_a_whole_desktop_session(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_internet: list[str]
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from tracker.ui.dialogs.side_effects import SideEffectsDialog

    window = Launcher().open_journal(tmp_path / "journal.onset")
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    journal = window.journal

    choose(qtbot, window.today.form.anxiety, 6)
    qtbot.keyClicks(window.today.form.note, "tense morning")
    qtbot.mouseClick(window.today.save_button, Qt.MouseButton.LeftButton)

    questionnaire = window.open_questionnaire("GAD-7")
    for question in questionnaire.questions:
        qtbot.mouseClick(question.buttons[1], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(questionnaire.save_button, Qt.MouseButton.LeftButton)
    questionnaire.done_button.click()

    session = window.open_session()
    qtbot.keyClicks(session.dose, "35")
    qtbot.mouseClick(session.side_effects_button, Qt.MouseButton.LeftButton)
    [effects] = [d for d in window.findChildren(SideEffectsDialog) if d.isVisible()]
    assert effects.selected_session() == journal.sessions()[0].at, "linked to the session"
    effects.tick("nausea")
    qtbot.mouseClick(effects.save_button, Qt.MouseButton.LeftButton)
    counts = [journal.count(k) for k in ("checkin", "assessment", "session", "side_effect")]
    assert counts == [1, 1, 1, 1]

    for view in ("history", "charts", "settings", "today"):
        window.show_view(view)
        qtbot.waitUntil(lambda v=view: window.current_view() == v)
    window.page("settings").backups.back_up_now()

    assert window.export_to("json", tmp_path / "out.json") is not None
    assert window.export_to("csv", tmp_path / "csv") is not None
    assert window.export_to("fhir", tmp_path / "out.fhir.json") is not None
    pdf = tmp_path / "summary.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(pdf), ""))
    dialog = window.export_summary()
    assert dialog is not None
    dialog.save()
    assert pdf.stat().st_size > 1000
    dialog.close()
    window.where_is_my_data().close()
    window.close()


def test_every_command_line_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_internet: list[str]
) -> None:
    from tracker.demo import create_demo_journal

    path = tmp_path / "journal.onset"
    create_demo_journal(path).close()
    exported = tmp_path / "all.json"
    runs = [
        ["export", "json", "--out", str(exported)],
        ["export", "csv", "--out", str(tmp_path / "csv")],
        ["export", "fhir", "--out", str(tmp_path / "all.fhir.json")],
        ["export", "pdf", "--out", str(tmp_path / "all.pdf"), "--notes"],
        ["summary"],
        ["summary", "--json"],
        ["backup"],
        ["backups"],
    ]
    for args in runs:
        assert cli_main([*args, "--journal", str(path)]) == 0, capsys.readouterr().err
    assert cli_main(["import", str(exported), "--journal", str(tmp_path / "copy.onset")]) == 0
    [made] = sorted((path.parent / "backups").glob("journal-*-manual.onset"))
    assert cli_main(["restore", made.name, "--journal", str(path)]) == 0
