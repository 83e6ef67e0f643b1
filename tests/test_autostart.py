"""The start-at-login entry on each system: its content, where it goes, written and removed."""

from __future__ import annotations

import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tracker import autostart
from tracker.autostart import (
    AutostartError,
    desktop_entry,
    disable,
    enable,
    entry_path,
    is_enabled,
    launch_agent,
    launch_command,
    windows_startup,
)

ODD = ["/opt/my apps/python3", "-m", "tracker", "--tray", "--journal", '/home/a/50% "$x" \\ `y`']


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("APPDATA", raising=False)
    return tmp_path / "home"


def validate(path: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate (desktop-file-utils) is not installed")
    found = subprocess.run([tool, str(path)], capture_output=True, text=True, check=False)
    assert found.returncode == 0 and not found.stdout.strip(), found.stdout + found.stderr


def test_the_linux_entry_is_written_valid_and_removed(home: Path) -> None:
    command = launch_command(Path("/home/a/my journal.onset"))
    assert command[1:] == ["-m", "tracker", "--tray", "--journal", "/home/a/my journal.onset"]
    assert not is_enabled("linux", home)
    path = enable(command, "linux", home)
    assert path == home / ".config" / "autostart" / "onset.desktop"
    assert is_enabled("linux", home)
    validate(path)
    text = path.read_text(encoding="utf-8")
    assert "Exec=" in text and '"/home/a/my journal.onset"' in text
    assert disable("linux", home) == path
    assert not path.exists() and not is_enabled("linux", home)
    assert disable("linux", home) is None  # removing what is not there is fine


def test_the_exec_line_quotes_and_escapes_as_the_desktop_entry_spec_says(
    home: Path, tmp_path: Path
) -> None:
    line = next(x for x in desktop_entry(ODD).splitlines() if x.startswith("Exec="))
    # Quoted for the spaces; %, then " $ ` \\ escaped inside the quotes; then every
    # backslash doubled because the value is itself a desktop-file string.
    assert line == (
        'Exec="/opt/my apps/python3" -m tracker --tray --journal '
        '"/home/a/50%% \\\\"\\\\$x\\\\" \\\\\\\\ \\\\`y\\\\`"'
    )
    path = enable(ODD, "linux", home)
    validate(path)


def test_xdg_config_home_is_followed_when_absolute(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert entry_path("linux", home) == tmp_path / "cfg" / "autostart" / "onset.desktop"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/cfg")  # the spec says: ignore it
    assert entry_path("linux", home) == home / ".config" / "autostart" / "onset.desktop"


def test_the_macos_launch_agent_starts_onset_once_at_login(home: Path) -> None:
    data = plistlib.loads(launch_agent(ODD))
    assert data == {
        "Label": "org.onset.journal",
        "ProgramArguments": ODD,
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }
    path = enable(ODD, "darwin", home)
    assert path == home / "Library" / "LaunchAgents" / "org.onset.journal.plist"
    assert plistlib.loads(path.read_bytes())["ProgramArguments"] == ODD
    assert disable("darwin", home) == path and not path.exists()


def test_the_windows_startup_file_starts_onset_and_closes(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    command = [r"C:\Program Files\Python311\pythonw.exe", "-m", "tracker", "--tray"]
    command += ["--journal", r"C:\Users\a\100% mine.onset"]
    assert windows_startup(command) == (
        "@echo off\r\nchcp 65001 >nul\r\n"
        'start "" "C:\\Program Files\\Python311\\pythonw.exe" "-m" "tracker" "--tray" '
        '"--journal" "C:\\Users\\a\\100%% mine.onset"\r\n'
    )
    with pytest.raises(AutostartError, match="quote"):
        windows_startup(['C:\\a"b'])
    monkeypatch.setenv("APPDATA", str(home / "Roaming"))
    path = enable(command, "win32", home)
    assert (
        path
        == (home / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup")
        / "Onset.cmd"
    )
    assert path.read_bytes().startswith(b"@echo off\r\n")
    assert disable("win32", home) == path and not path.exists()


def test_a_read_only_folder_or_a_symlink_is_refused_in_plain_words(
    home: Path, tmp_path: Path
) -> None:
    folder = home / ".config" / "autostart"
    folder.mkdir(parents=True)
    (folder / "onset.desktop").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(AutostartError, match="not a plain file"):
        enable(ODD, "linux", home)
    assert not (tmp_path / "elsewhere").exists()
    (folder / "onset.desktop").unlink()
    folder.chmod(0o500)
    try:
        if _can_write(folder):
            pytest.skip("running as a user who may write anywhere")
        with pytest.raises(AutostartError, match=r"onset\.desktop"):
            enable(ODD, "linux", home)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_a_file_where_the_folder_should_be_is_refused_in_plain_words(home: Path) -> None:
    (home / ".config").mkdir(parents=True)
    (home / ".config" / "autostart").write_text("not a folder", encoding="utf-8")
    with pytest.raises(AutostartError, match="autostart"):
        enable(ODD, "linux", home)
    assert (home / ".config" / "autostart").read_text(encoding="utf-8") == "not a folder"


def _can_write(folder: Path) -> bool:
    try:
        (folder / "probe").write_text("x")
    except OSError:
        return False
    (folder / "probe").unlink()
    return True


def test_the_default_command_runs_this_python_on_the_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert launch_command() == [sys.executable, "-m", "tracker", "--tray"]
    monkeypatch.setattr(autostart.sys, "platform", "win32")
    assert launch_command()[0] in (
        sys.executable,
        str(Path(sys.executable).with_name("pythonw.exe")),
    )
