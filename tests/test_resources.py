"""Onset's own files: found in a checkout, all of them checked at start, and a missing or
broken one stops Onset with a message that names it (never an empty questionnaire list)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.core_support import REPO, python_env
from tracker import resources
from tracker.resources import (
    REQUIRED,
    ResourceError,
    check_resources,
    read_resource,
    resource_files,
    resources_root,
)


@pytest.fixture
def fake_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of resources/ that the test may break; the caches are emptied around it."""
    from tracker.domain.catalogue import catalogue
    from tracker.domain.instruments import instruments

    root = tmp_path / "resources"
    shutil.copytree(REPO / "resources", root)
    monkeypatch.setattr(resources, "resources_root", lambda: root)
    instruments.cache_clear()
    catalogue.cache_clear()
    yield root
    instruments.cache_clear()
    catalogue.cache_clear()


def test_a_checkout_reads_the_top_level_resources_folder() -> None:
    from importlib.resources import files

    assert resources_root() == REPO / "resources"
    # The package's place is the one importlib.resources gives; the wheel test checks the
    # installed case (tracker/_resources).
    assert Path(str(files("tracker"))).parent / "resources" == resources_root()


def test_every_shipped_file_is_checked_at_start() -> None:
    shipped = {
        p.relative_to(REPO / "resources").as_posix()
        for p in (REPO / "resources").rglob("*")
        if p.is_file() and p.suffix != ".md"  # notes for people, not read by Onset
    }
    assert set(REQUIRED) == shipped, "tracker.resources.REQUIRED lists every file in resources/"
    check_resources()


def test_a_missing_file_is_named(fake_root: Path) -> None:
    (fake_root / "styles" / "onset.qss").unlink()
    with pytest.raises(ResourceError) as caught:
        check_resources()
    assert caught.value.path == fake_root / "styles" / "onset.qss"
    assert "missing" in caught.value.reason
    message = caught.value.message()
    assert str(fake_root / "styles" / "onset.qss") in message
    assert "journal has not been touched" in message
    assert "Install Onset again" in message


def test_an_unreadable_file_is_named(fake_root: Path) -> None:
    # A folder where a file should be cannot be opened, even by root.
    (fake_root / "icons" / "today.svg").unlink()
    (fake_root / "icons" / "today.svg").mkdir()
    with pytest.raises(ResourceError, match="cannot be read"):
        check_resources()
    with pytest.raises(ResourceError, match="cannot be read"):
        read_resource("icons", "today.svg")


def test_no_instruments_is_an_error_not_an_empty_list(fake_root: Path) -> None:
    from tracker.domain.instruments import instruments

    for path in (fake_root / "instruments").glob("*.json"):
        path.unlink()
    with pytest.raises(ResourceError, match=r"no \*\.json files"):
        resource_files("instruments", "*.json")
    with pytest.raises(ResourceError):
        instruments()


def test_garbage_instrument_and_catalogue_files_are_resource_errors(fake_root: Path) -> None:
    from tracker.domain.catalogue import catalogue
    from tracker.domain.instruments import instruments

    (fake_root / "instruments" / "phq9.json").write_bytes(b"\xff\xfe not json")
    with pytest.raises(ResourceError, match="not UTF-8"):
        instruments()
    (fake_root / "instruments" / "phq9.json").write_text("{", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"phq9\.json"):
        instruments()
    (fake_root / "instruments" / "phq9.json").write_text('{"id": "PHQ-9"}', encoding="utf-8")
    with pytest.raises(ResourceError, match="malformed definition"):
        instruments()
    # A second file defining GAD-7 again would double every GAD-7 figure.
    shutil.copy(fake_root / "instruments" / "gad7.json", fake_root / "instruments" / "x.json")
    (fake_root / "instruments" / "phq9.json").unlink()
    with pytest.raises(ResourceError, match="second definition of GAD-7"):
        instruments()
    (fake_root / "side_effects.json").write_text('{"effects": [{"id": 1}]}', encoding="utf-8")
    with pytest.raises(ResourceError, match="not a catalogue"):
        catalogue()


def _broken_checkout(tmp_path: Path, remove: str) -> Path:
    """A copy of the code and resources with one resource file removed."""
    copy = tmp_path / "checkout"
    copy.mkdir()
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "tracker", copy / "tracker", ignore=ignore)
    shutil.copytree(REPO / "resources", copy / "resources")
    shutil.copy(REPO / "pyproject.toml", copy)
    shutil.copy(REPO / "main.py", copy)
    (copy / "resources" / remove).unlink()
    return copy


def _run(copy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = python_env(PYTHONPATH=str(copy), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("removed", ["instruments/gad7.json", "icons/onset.svg"])
def test_removing_a_resource_stops_onset_with_a_clear_message(tmp_path: Path, removed: str) -> None:
    copy = _broken_checkout(tmp_path, removed)
    journal = tmp_path / "journal.onset"
    missing = copy / "resources" / removed
    for args in (["summary", "--json"], ["--smoke"], ["import", str(tmp_path / "x.json")]):
        done = _run(copy, *args, "--journal", str(journal))
        assert done.returncode == 1, done.stderr
        assert done.stdout == "", "no summary without the questionnaires"
        assert "Traceback" not in done.stderr
        assert "one of its own files is missing or damaged" in done.stderr
        assert str(missing) in done.stderr
        assert "Install Onset again" in done.stderr
    assert not journal.exists(), "nothing is created when Onset cannot start"


def test_the_start_up_box_says_the_same(
    qtbot: object, monkeypatch: pytest.MonkeyPatch, fake_root: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tracker.app import cannot_start, installation_problem

    (fake_root / "instruments" / "gad7.json").unlink()
    problem = installation_problem()
    assert problem is not None
    shown: list[tuple[str, str]] = []

    def exec_(box: QMessageBox) -> int:
        shown.append((box.text(), box.accessibleName()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    assert cannot_start(problem, window=True) == 1
    assert shown == [(problem.message(), "Onset cannot start")]
    assert str(fake_root / "instruments" / "gad7.json") in shown[0][0]


VERSION_WITHOUT_QT = """
import sys
from tracker.app import main
code = main(sys.argv[1:])
loaded = [m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "matplotlib")]
print("loaded:", loaded, "code:", code)
"""


@pytest.mark.parametrize("args", [["--version"], ["--journal", "x.onset", "--version"]])
def test_version_prints_the_version_and_loads_no_qt(args: list[str]) -> None:
    from tracker import __version__

    done = subprocess.run(
        [sys.executable, "-c", VERSION_WITHOUT_QT, *args],
        cwd=REPO,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"onset {__version__}", "loaded: [] code: 0"]


def test_one_version_and_the_mit_licence_in_the_package_metadata() -> None:
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in config["project"]["dynamic"]
    assert config["tool"]["hatch"]["version"]["path"] == "tracker/__init__.py"
    assert config["project"]["license"] == "MIT"
    licence = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n")
    assert 'THE SOFTWARE IS PROVIDED "AS IS"' in licence
