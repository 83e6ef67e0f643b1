"""Onset installed as a patient would install it: the wheel in a fresh venv, the menu entry,
install.sh / uninstall.sh into a scratch HOME, and the licence notices."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.core_support import REPO, sample_document, write_json
from tracker.about import COMPONENTS, INSTRUMENTS_ATTRIBUTION

PACKAGING = REPO / "packaging"


def _clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without anything that would find the checkout."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "ONSET_JOURNAL", "VIRTUAL_ENV", "PYTHONHOME")
    }
    env.update(extra)
    return env


# Left out of `make pytest` (pyproject's addopts): packaging/bundle-check.sh runs it.
@pytest.mark.wheel
@pytest.mark.slow
def test_the_wheel_installs_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("onset_journal-*.whl")
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    home = tmp_path / "home"
    env = _clean_env(HOME=str(home), XDG_DATA_HOME=str(home / "data"), QT_QPA_PLATFORM="offscreen")
    onset = str(target / "bin" / "onset")
    journal = elsewhere / "journal.onset"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [onset, *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"onset {' '.join(args)}:\n{done.stderr}"
        assert "Traceback" not in done.stderr
        return done

    from tracker import __version__

    assert run("--version").stdout == f"onset {__version__}\n"
    where = subprocess.run(
        [str(python), "-c", "import tracker, tracker.resources as r; print(tracker.__file__);"
         "print(r.resources_root()); from importlib.resources import files;"
         "print(files('tracker') / '_resources')"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    code_file, root, by_importlib = where.stdout.splitlines()
    assert code_file.startswith(str(target)), "the installed copy, not the checkout"
    assert root == str(Path(code_file).parent / "_resources") == by_importlib
    source = write_json(elsewhere / "in.json", sample_document())
    assert "imported 12 entries" in run("import", str(source), "--journal", str(journal)).stdout
    summary = json.loads(run("summary", "--json", "--journal", str(journal)).stdout)
    # From the sample document: GAD-7 10 → 4 (change −6), PHQ-9 a single score of 9.
    assert summary["GAD-7"]["change"] == -6
    assert summary["PHQ-9"]["baseline"]["total"] == 9
    run("--smoke", "--journal", str(journal))
    run("export", "pdf", "--out", str(elsewhere / "report.pdf"), "--journal", str(journal))
    assert (elsewhere / "report.pdf").read_bytes().startswith(b"%PDF-")


def test_the_menu_entry_is_valid() -> None:
    validate = shutil.which("desktop-file-validate")
    if validate is None:
        pytest.skip(
            "desktop-file-validate is not installed (Debian: desktop-file-utils); "
            "make bundle-check in CI runs it"
        )
    done = subprocess.run(
        [validate, str(PACKAGING / "onset.desktop")], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr


def test_the_menu_entry_names_the_command_and_icon_install_sh_rewrites() -> None:
    lines = (PACKAGING / "onset.desktop").read_text(encoding="utf-8").splitlines()
    assert "Exec=onset" in lines and "TryExec=onset" in lines and "Icon=onset" in lines
    assert (REPO / "resources" / "icons" / "onset.svg").is_file()


def _fake_unpacked(tmp_path: Path) -> Path:
    """An unpacked tarball whose program is a tiny script: install.sh needs no real bundle."""
    unpacked = tmp_path / "onset-9.9.9"
    (unpacked / "onset" / "_internal").mkdir(parents=True)
    program = unpacked / "onset" / "onset"
    program.write_text("#!/bin/sh\necho onset 9.9.9\n", encoding="utf-8")
    program.chmod(0o755)
    for name in ("install.sh", "uninstall.sh", "onset.desktop"):
        shutil.copy(PACKAGING / name, unpacked / name)
    shutil.copy(REPO / "LICENSE", unpacked)
    shutil.copy(REPO / "THIRD-PARTY-NOTICES.md", unpacked)
    shutil.copy(REPO / "resources" / "icons" / "onset.svg", unpacked)
    (unpacked / "licenses").mkdir()
    (unpacked / "licenses" / "LGPL-3.0.txt").write_text("text", encoding="utf-8")
    return unpacked


def _sh(script: Path, home: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", **extra}
    return subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True)


def test_install_and_uninstall_into_the_xdg_folders(tmp_path: Path) -> None:
    unpacked = _fake_unpacked(tmp_path)
    home = tmp_path / "home with space"
    journal = home / ".local" / "share" / "onset" / "journal.onset"
    journal.parent.mkdir(parents=True)
    journal.write_text("the journal", encoding="utf-8")
    done = _sh(unpacked / "install.sh", home)
    assert done.returncode == 0, done.stderr
    assert "Installed onset 9.9.9" in done.stdout
    assert "is not on your PATH" in done.stdout
    link = home / ".local" / "bin" / "onset"
    assert link.is_symlink() and link.resolve() == home / ".local" / "lib" / "onset" / "onset"
    ran = subprocess.run([str(link)], capture_output=True, text=True)
    assert ran.stdout == "onset 9.9.9\n"
    entry = home / ".local" / "share" / "applications" / "onset.desktop"
    # A HOME with a space: the menu entry falls back to the command on PATH.
    assert "Exec=onset" in entry.read_text(encoding="utf-8").splitlines()
    assert (home / ".local/share/icons/hicolor/scalable/apps/onset.svg").is_file()
    app = home / ".local" / "lib" / "onset"
    assert (app / "uninstall.sh").is_file() and (app / "licenses" / "LGPL-3.0.txt").is_file()
    again = _sh(unpacked / "install.sh", home)
    assert again.returncode == 0, again.stderr
    assert not list((home / ".local" / "lib").glob(".onset-*")), "no leftover of the swap"
    removed = _sh(app / "uninstall.sh", home)
    assert removed.returncode == 0, removed.stderr
    assert f"kept in {home}/.local/share/onset/" in removed.stdout
    assert not os.path.lexists(link) and not app.exists() and not entry.exists()
    assert journal.read_text(encoding="utf-8") == "the journal"


def test_install_uses_the_full_path_and_xdg_data_home(tmp_path: Path) -> None:
    unpacked = _fake_unpacked(tmp_path)
    home, data = tmp_path / "home", tmp_path / "data"
    done = _sh(unpacked / "install.sh", home, XDG_DATA_HOME=str(data))
    assert done.returncode == 0, done.stderr
    entry = (data / "applications" / "onset.desktop").read_text(encoding="utf-8").splitlines()
    assert f"Exec={home}/.local/bin/onset" in entry
    assert f"TryExec={home}/.local/bin/onset" in entry
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(
            ["desktop-file-validate", str(data / "applications" / "onset.desktop")],
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stdout
    removed = _sh(home / ".local/lib/onset/uninstall.sh", home, XDG_DATA_HOME=str(data))
    assert removed.returncode == 0, removed.stderr
    assert not (data / "applications" / "onset.desktop").exists()


def test_install_refuses_to_replace_someone_elses_command(tmp_path: Path) -> None:
    unpacked = _fake_unpacked(tmp_path)
    home = tmp_path / "home"
    theirs = home / ".local" / "bin" / "onset"
    theirs.parent.mkdir(parents=True)
    theirs.write_text("#!/bin/sh\necho another program\n", encoding="utf-8")
    done = _sh(unpacked / "install.sh", home)
    assert done.returncode == 1
    assert "is not Onset's link" in done.stderr
    assert theirs.read_text(encoding="utf-8") == "#!/bin/sh\necho another program\n"
    assert not (home / ".local" / "lib" / "onset").exists()
    # And uninstall.sh leaves it alone too.
    assert _sh(PACKAGING / "uninstall.sh", home).returncode == 0
    assert theirs.is_file()
    theirs.unlink()
    # Nor a folder of that name that is not an earlier install.
    other = home / ".local" / "lib" / "onset"
    other.mkdir(parents=True)
    (other / "onset").write_text("#!/bin/sh\n", encoding="utf-8")
    (other / "onset").chmod(0o755)
    done = _sh(unpacked / "install.sh", home)
    assert done.returncode == 1 and "is not an Onset install" in done.stderr
    assert _sh(PACKAGING / "uninstall.sh", home).returncode == 0
    assert (other / "onset").is_file()


def test_a_program_that_does_not_run_changes_nothing(tmp_path: Path) -> None:
    unpacked = _fake_unpacked(tmp_path)
    home = tmp_path / "home"
    assert _sh(unpacked / "install.sh", home).returncode == 0
    (unpacked / "onset" / "onset").write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    done = _sh(unpacked / "install.sh", home)
    assert done.returncode == 1
    assert "does not run; nothing was changed" in done.stderr
    ran = subprocess.run([str(home / ".local" / "bin" / "onset")], capture_output=True, text=True)
    assert ran.stdout == "onset 9.9.9\n", "the earlier install still works"


def test_the_notices_name_every_component_about_lists() -> None:
    notices = (REPO / "THIRD-PARTY-NOTICES.md").read_text(encoding="utf-8")
    for component in COMPONENTS[:-1]:
        first_word = component.name.split()[0]
        assert first_word.lower() in notices.lower(), component.name
    assert INSTRUMENTS_ATTRIBUTION in " ".join(notices.split())
    assert "LGPL-3.0" in notices and "replace" in notices
