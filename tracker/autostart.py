"""The opt-in "Start Onset at login, in the tray": one small file the system reads at login.

- Linux and other XDG desktops: `onset.desktop` in `$XDG_CONFIG_HOME/autostart/`
  (usually `~/.config/autostart/`), a Desktop Entry of the freedesktop.org specification.
- macOS: a LaunchAgent, `~/Library/LaunchAgents/org.onset.journal.plist`.
- Windows: `Onset.cmd` in the user's Startup folder.

Turning the option off removes the file. No Qt here: the files are plain text written
atomically, and nothing outside the one file is touched.
"""

from __future__ import annotations

import os
import plistlib
import sys
from collections.abc import Sequence
from pathlib import Path

from tracker.io.atomic import write_atomic

TRAY_OPTION = "--tray"
LAUNCH_AGENT_LABEL = "org.onset.journal"
DESKTOP_NAME = "onset.desktop"
WINDOWS_NAME = "Onset.cmd"


class AutostartError(Exception):
    """The entry could not be written or removed; the message says why, in plain words."""


def launch_command(journal: Path | None = None) -> list[str]:
    """How the system starts Onset at login: in the tray, on this journal when not the default.

    On Windows the windowless Python (pythonw.exe) is used when it is there.
    """
    python = Path(sys.executable)
    if sys.platform == "win32":
        windowless = python.with_name("pythonw.exe")
        python = windowless if windowless.exists() else python
    command = [str(python), "-m", "tracker", TRAY_OPTION]
    if journal is not None:
        command += ["--journal", str(journal)]
    return command


# -- the files' contents -------------------------------------------------------------------------

_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def _exec_argument(argument: str) -> str:
    """One argument of a Desktop Entry's Exec key, quoted and escaped as the spec requires."""
    if not argument:
        return '""'
    if "\n" in argument or "\r" in argument:
        raise AutostartError("a path with a line break cannot go in the start-up entry")
    text = argument.replace("%", "%%")
    if set(text) & _EXEC_RESERVED:
        for special in ("\\", '"', "`", "$"):
            text = text.replace(special, "\\" + special)
        text = f'"{text}"'
    # The value as a whole is a desktop-file string, where a backslash is written twice.
    return text.replace("\\", "\\\\")


def desktop_entry(command: Sequence[str]) -> str:
    """The XDG autostart entry starting `command` (valid per desktop-file-validate)."""
    exec_line = " ".join(_exec_argument(a) for a in command)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Onset\n"
        "Comment=Open Onset in the tray at login\n"
        f"Exec={exec_line}\n"
        "Terminal=false\n"
        "NoDisplay=true\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def launch_agent(command: Sequence[str]) -> bytes:
    """The macOS LaunchAgent property list starting `command` once at login."""
    return plistlib.dumps(
        {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",
        }
    )


def _cmd_argument(argument: str) -> str:
    if '"' in argument or "\n" in argument or "\r" in argument:
        raise AutostartError("a path with a quote or line break cannot go in the start-up entry")
    # In a batch file a percent sign starts a variable; doubled, it is itself.
    return f'"{argument.replace("%", "%%")}"'


def windows_startup(command: Sequence[str]) -> str:
    """The Startup-folder batch file: starts `command` and closes at once (CRLF lines).

    It is UTF-8, and switches the console to UTF-8 first so a path in any script reads right.
    """
    arguments = " ".join(_cmd_argument(a) for a in command)
    return f'@echo off\r\nchcp 65001 >nul\r\nstart "" {arguments}\r\n'


# -- where the file goes, writing and removing ------------------------------------------------


def entry_path(platform: str | None = None, home: Path | None = None) -> Path:
    """The file that makes the system start Onset at login on `platform`."""
    platform = platform or sys.platform
    home = home or Path.home()
    if platform == "win32":
        appdata = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
        startup = appdata / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "Startup"
        return startup / WINDOWS_NAME
    if platform == "darwin":
        return home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"
    config = os.environ.get("XDG_CONFIG_HOME")
    base = Path(config) if config and Path(config).is_absolute() else home / ".config"
    return base / "autostart" / DESKTOP_NAME


def entry_content(command: Sequence[str], platform: str | None = None) -> bytes:
    platform = platform or sys.platform
    if platform == "win32":
        return windows_startup(command).encode("utf-8")
    if platform == "darwin":
        return launch_agent(command)
    try:
        return desktop_entry(command).encode("utf-8")
    except UnicodeEncodeError:
        raise AutostartError(
            "the path to Onset or the journal is not valid UTF-8, which a start-up entry "
            "needs; move it to a folder with a plainer name"
        ) from None


def is_enabled(platform: str | None = None, home: Path | None = None) -> bool:
    return entry_path(platform, home).is_file()


def enable(
    command: Sequence[str] | None = None, platform: str | None = None, home: Path | None = None
) -> Path:
    """Write the entry (replacing an older one); return where it went."""
    path = entry_path(platform, home)
    content = entry_content(command or launch_command(), platform)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise AutostartError(f"{path} is not a plain file; it was left as it is")
        write_atomic(path, content)
    except OSError as exc:
        raise AutostartError(f"{exc.filename or path}: {exc.strerror or exc}") from None
    return path


def disable(platform: str | None = None, home: Path | None = None) -> Path | None:
    """Remove the entry; return the path removed, or None when there was none."""
    path = entry_path(platform, home)
    if not path.is_file() and not path.is_symlink():
        return None
    try:
        path.unlink()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise AutostartError(f"{path}: {exc.strerror or exc}") from None
    return path
