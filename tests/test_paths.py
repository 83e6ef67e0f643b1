"""Where the journal lives by default, and the one-time move on Windows from the roaming
%APPDATA% to %LOCALAPPDATA%: all or nothing, never over a file already there."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.core_support import Result, run_cli, sample_document, write_json
from tracker import paths
from tracker.paths import JOURNAL_NAME, MoveError, move_journal_folder


@pytest.fixture
def windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """tracker.paths plays Windows (only it: locks and the rest stay on this system);
    %APPDATA% and %LOCALAPPDATA% are folders of the test's."""
    roaming, local = tmp_path / "Roaming", tmp_path / "Local"
    monkeypatch.setattr(paths, "_on_windows", lambda: True)
    monkeypatch.setenv("APPDATA", str(roaming))
    monkeypatch.setenv("LOCALAPPDATA", str(local))
    monkeypatch.delenv("ONSET_JOURNAL", raising=False)
    return roaming / "Onset", local / "Onset"


def old_journal(folder: Path) -> dict[str, bytes]:
    """A journal folder as Onset 0.1 left it: the journal, backups, the demo journal."""
    files = {
        JOURNAL_NAME: b"SQLite format 3\x00" + os.urandom(5000),
        "backups/journal-2026-01-05-daily.onset": os.urandom(3000),
        "backups/journal-2026-01-06-manual.onset": os.urandom(3000),
        "demo.onset": os.urandom(100),
    }
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return files


def contents(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_windows_keeps_the_journal_in_local_app_data(windows: tuple[Path, Path]) -> None:
    roaming, local = windows
    assert paths.data_folder() == local
    assert paths.roaming_folder() == roaming
    assert paths.default_journal() == local / JOURNAL_NAME
    assert paths.demo_journal() == local / "demo.onset"


def test_a_journal_not_moved_yet_is_used_where_it_is(windows: tuple[Path, Path]) -> None:
    roaming, local = windows
    old_journal(roaming)
    assert paths.default_journal() == roaming / JOURNAL_NAME, "never an empty journal beside it"
    (local / JOURNAL_NAME).parent.mkdir(parents=True)
    (local / JOURNAL_NAME).write_bytes(b"x")
    assert paths.default_journal() == local / JOURNAL_NAME


def test_the_move_takes_the_journal_and_its_backups(windows: tuple[Path, Path]) -> None:
    roaming, local = windows
    before = old_journal(roaming)
    moved = paths.move_from_roaming()
    assert moved is not None
    assert (moved.old, moved.new, moved.files, moved.left_behind) == (roaming, local, 4, ())
    assert contents(local) == before
    assert not roaming.exists(), "no copy of the journal stays in the roaming profile"
    assert paths.default_journal() == local / JOURNAL_NAME
    assert paths.move_from_roaming() is None, "once"
    if sys.platform != "win32":
        assert (local / JOURNAL_NAME).stat().st_mode & 0o777 == 0o600


def test_nothing_moves_on_other_systems_or_with_onset_journal_set(
    windows: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    roaming, _local = windows
    before = old_journal(roaming)
    monkeypatch.setenv("ONSET_JOURNAL", str(tmp_path / "mine.onset"))
    assert paths.move_from_roaming() is None
    monkeypatch.delenv("ONSET_JOURNAL")
    monkeypatch.setattr(paths, "_on_windows", lambda: False)
    assert paths.move_from_roaming() is None
    assert contents(roaming) == before


@pytest.mark.parametrize("suffix", [".lock", "-wal", "-shm", "-journal"])
def test_a_journal_in_use_is_not_moved(windows: tuple[Path, Path], suffix: str) -> None:
    roaming, local = windows
    old_journal(roaming)
    (roaming / (JOURNAL_NAME + suffix)).write_bytes(b"busy")
    before = contents(roaming)
    with pytest.raises(MoveError, match="open in another Onset"):
        paths.move_from_roaming()
    assert contents(roaming) == before
    assert not local.exists()
    assert paths.default_journal() == roaming / JOURNAL_NAME


def test_a_failed_copy_leaves_everything_where_it_was(
    windows: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    roaming, local = windows
    before = old_journal(roaming)
    real_replace = os.replace

    def disk_full_at_the_journal(src: str, dst: str) -> None:
        if Path(dst).name == JOURNAL_NAME:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(paths.os, "replace", disk_full_at_the_journal)
    with pytest.raises(MoveError, match="No space left"):
        paths.move_from_roaming()
    assert contents(roaming) == before, "the originals are untouched"
    assert not (local / JOURNAL_NAME).exists()
    assert not [p for p in local.rglob("*.moving")], "no half-copied file is left"
    assert paths.default_journal() == roaming / JOURNAL_NAME
    # The next start tries again; the backups copied last time are recognised, not doubled.
    monkeypatch.setattr(paths.os, "replace", real_replace)
    moved = paths.move_from_roaming()
    assert moved is not None and moved.left_behind == ()
    assert contents(local) == before
    assert not roaming.exists()


def test_a_copy_that_differs_is_refused(
    windows: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    roaming, local = windows
    before = old_journal(roaming)
    real_digest = paths._digest

    def flipped(path: Path) -> str:
        # The copy of the journal reads back differently (a failing disk).
        return "bad" if path.name == JOURNAL_NAME + ".moving" else real_digest(path)

    monkeypatch.setattr(paths, "_digest", flipped)
    with pytest.raises(MoveError, match="differs from the original"):
        paths.move_from_roaming()
    assert contents(roaming) == before
    assert not (local / JOURNAL_NAME).exists()
    assert not [p for p in local.rglob("*.moving")]


def test_a_file_already_at_the_new_place_is_never_overwritten(
    windows: tuple[Path, Path],
) -> None:
    roaming, local = windows
    before = old_journal(roaming)
    local.mkdir(parents=True)
    (local / "demo.onset").write_bytes(b"the new demo")
    moved = paths.move_from_roaming()
    assert moved is not None
    assert moved.left_behind == (roaming / "demo.onset",)
    assert (local / "demo.onset").read_bytes() == b"the new demo"
    assert (roaming / "demo.onset").read_bytes() == before["demo.onset"]
    assert (local / JOURNAL_NAME).read_bytes() == before[JOURNAL_NAME]
    assert contents(roaming) == {"demo.onset": before["demo.onset"]}


def test_links_in_the_old_folder_are_not_followed(tmp_path: Path) -> None:
    old, new, elsewhere = tmp_path / "old", tmp_path / "new", tmp_path / "elsewhere"
    old_journal(old)
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text("not Onset's", encoding="utf-8")
    (old / "linked").symlink_to(elsewhere)
    (old / "file-link").symlink_to(elsewhere / "secret.txt")
    moved = move_journal_folder(old, new)
    assert moved is not None
    assert not (new / "linked").exists() and not (new / "file-link").exists()
    assert (elsewhere / "secret.txt").read_text(encoding="utf-8") == "not Onset's"
    assert (old / "linked").is_symlink(), "a folder still holding links is left alone"


def test_a_journal_that_is_a_link_is_not_moved(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    real = tmp_path / "real.onset"
    real.write_bytes(b"data")
    old.mkdir()
    (old / JOURNAL_NAME).symlink_to(real)
    assert move_journal_folder(old, new) is None
    assert not new.exists()


def test_the_command_line_moves_the_journal_before_it_opens_it(
    windows: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roaming, local = windows
    source = write_json(tmp_path / "in.json", sample_document())
    roaming.mkdir(parents=True)
    imported = run_cli(["import", str(source), "--journal", str(roaming / JOURNAL_NAME)], capsys)
    assert imported.code == 0, imported.err
    done: Result = run_cli(["summary", "--json"], capsys)
    assert done.code == 0, done.err
    assert f"moved the journal and its backups from {roaming} to {local}" in done.err
    assert (local / JOURNAL_NAME).is_file() and not (roaming / JOURNAL_NAME).exists()
    assert "GAD-7" in done.out
