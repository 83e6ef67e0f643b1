"""Exports are written whole or not at all: a failed write leaves the old file as it was, no
temporary file behind, and a message naming the file that was asked for."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.core_support import run_cli
from tracker.io import atomic
from tracker.io.atomic import atomic_open, write_atomic
from tracker.io.csv_export import FILES
from tracker.journal import Journal

OLD = b"the good export from last week\n"


def no_space(*_: object, **__: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_write_replaces_the_whole_file_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    target.write_bytes(OLD)
    write_atomic(target, "new ✓\n")
    assert target.read_text(encoding="utf-8") == "new ✓\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    write_atomic(target, b"\x00bytes")
    assert target.read_bytes() == b"\x00bytes" and leftovers(tmp_path) == []


def _while_writing(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    with atomic_open(target, "w", encoding="utf-8") as handle:
        handle.write("half of the new content")
        no_space()


def _failing(module: object, name: str) -> Callable[[pytest.MonkeyPatch, Path], None]:
    def write(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
        monkeypatch.setattr(module, name, no_space)
        write_atomic(target, "new content")

    return write


FAILURES: dict[str, Callable[[pytest.MonkeyPatch, Path], None]] = {
    "while writing": _while_writing,
    "at fsync": _failing(atomic.os, "fsync"),
    "at the rename": _failing(atomic.os, "replace"),
    "making the temporary file": _failing(atomic.tempfile, "mkstemp"),
}


@pytest.mark.parametrize("where", FAILURES)
def test_a_full_disk_leaves_the_old_file_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    target = tmp_path / "export.json"
    target.write_bytes(OLD)
    with pytest.raises(OSError) as caught:
        FAILURES[where](monkeypatch, target)
    monkeypatch.undo()
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(target)
    assert target.read_bytes() == OLD and leftovers(tmp_path) == []


def test_an_interrupted_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_bytes(OLD)
    with pytest.raises(KeyboardInterrupt), atomic_open(target, "w") as handle:
        handle.write("partial")
        raise KeyboardInterrupt
    assert target.read_bytes() == OLD and leftovers(tmp_path) == []


@pytest.fixture
def filled(journal_path: Path) -> Path:
    with Journal.open(journal_path, create=True, backups=False) as journal:
        journal.add_checkin("2026-01-05T21:10", 6, note="tense day")
        journal.add_assessment("GAD-7", "2026-01-05T09:00", [2, 1, 3, 0, 1, 2, 1])
        journal.add_session("2026-01-06T10:00", "iv", dose_mg=35.0)
    return journal_path


EXPORTS = {"json": "out.json", "csv": "out", "fhir": "out.fhir.json", "pdf": "out.pdf"}


@pytest.mark.parametrize("kind", EXPORTS)
def test_every_export_path_keeps_the_old_file_when_the_disk_is_full(
    filled: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kind: str,
) -> None:
    out = tmp_path / "exports" / EXPORTS[kind]
    files = [out / name for name in FILES.values()] if kind == "csv" else [out]
    for path in files:  # what an earlier export left there
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(OLD)
    command = ["export", kind, "--out", str(out), "--journal", str(filled)]

    monkeypatch.setattr(atomic.os, "fsync", no_space)
    failed = run_cli(command, capsys)
    monkeypatch.undo()

    assert failed.code == 1
    assert failed.err.startswith("onset: ") and "the disk is full" in failed.err
    assert f"{out}" in failed.err and ".part" not in failed.err
    assert all(path.read_bytes() == OLD for path in files)
    for folder in {path.parent for path in files}:
        assert leftovers(folder) == []
