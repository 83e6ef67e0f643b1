"""A conversion killed at any moment leaves a whole journal: the plain one or the encrypted
one, never half of each and never nothing."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.core_support import REPO, python_env
from tracker.domain.entries import Checkin
from tracker.journal import Journal
from tracker.storage import crypto

ROUNDS = 20
ENTRIES = 300
OLD, NEW = "old passphrase", "new passphrase"

# Imports first, says "ready", waits for a line, then converts: the kill lands in the work.
CONVERTER = """
import sys
from tracker.storage import crypto, encryption
what, path = sys.argv[1], sys.argv[2]
print("ready", flush=True)
sys.stdin.readline()
if what == "encrypt":
    encryption.encrypt(path, "new passphrase")
elif what == "decrypt":
    crypto.remember("old passphrase")
    encryption.decrypt(path)
else:
    crypto.remember("old passphrase")
    encryption.change_passphrase(path, "new passphrase")
print("done", flush=True)
"""


def _start(what: str, path: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", CONVERTER, what, str(path)],
        cwd=REPO,
        env=python_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    return child


def _convert(what: str, path: Path) -> None:
    from tracker.storage import encryption

    crypto.remember(OLD)
    if what == "encrypt":
        encryption.encrypt(path, NEW)
    elif what == "decrypt":
        encryption.decrypt(path)
    else:
        encryption.change_passphrase(path, NEW)


def _fork_converting(what: str, path: Path) -> int:
    """A child of this process, its modules already loaded, converting at once: a kill can
    land anywhere in the conversion, not in an interpreter's start."""
    pid = os.fork()
    if pid == 0:  # the child: convert, then leave without running any of pytest's teardown
        code = 1
        try:
            _convert(what, path)
            code = 0
        finally:
            os._exit(code)
    return pid


def _state(path: Path) -> str:
    """Which whole journal is at `path`: 'plain', 'old' or 'new' (fails on anything else)."""
    state = "plain"
    if crypto.could_be_encrypted(path):
        # Keys stay cached per salt between rounds: the test spends its time on kills.
        found = next((p for p in (NEW, OLD) if crypto.opens_with(path, p)), None)
        assert found is not None, "an encrypted file that neither passphrase opens"
        crypto.remember(found)
        state = "old" if found == OLD else "new"
    with Journal.open(path, backups=False) as journal:  # every check of an open
        assert journal.count("checkin") == ENTRIES
        assert journal.checkins()[-1].note == f"evening {ENTRIES - 1}"
    return state


@pytest.fixture(autouse=True)
def _keys() -> Iterator[None]:
    yield
    crypto.forget_all()


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("originals")
    plain = folder / "plain.onset"
    start = datetime(2025, 1, 1, 20, 0)
    with Journal.open(plain, create=True, backups=False) as journal:
        journal.add_many(
            [
                Checkin(at=start + timedelta(days=n), anxiety=n % 11, note=f"evening {n}")
                for n in range(ENTRIES)
            ]
        )
    encrypted = folder / "old.onset"
    shutil.copyfile(plain, encrypted)
    from tracker.storage.encryption import encrypt

    encrypt(encrypted, OLD)
    crypto.forget_all()
    return {"plain": plain, "old": encrypted}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("what", "start", "end"),
    [("encrypt", "plain", "new"), ("decrypt", "old", "plain"), ("change", "old", "new")],
)
def test_a_kill_at_any_moment_of_a_conversion_leaves_a_whole_journal(
    tmp_path: Path, originals: dict[str, Path], what: str, start: str, end: str
) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    # How long a whole conversion takes here, so that kills spread over all of it.
    path = tmp_path / "timing" / "journal.onset"
    path.parent.mkdir()
    shutil.copyfile(originals[start], path)
    began = time.monotonic()
    _, status = os.waitpid(_fork_converting(what, path), 0)
    took = time.monotonic() - began
    assert status == 0 and _state(path) == end

    seen = {start: 0, end: 0}
    for run in range(ROUNDS):
        path = tmp_path / f"run{run}" / "journal.onset"
        path.parent.mkdir()
        shutil.copyfile(originals[start], path)
        # Half the kills spread over the whole conversion, half over its second half and
        # beyond, where the new file is synced, kept and swapped in.
        delay = rng.uniform(0, took) if run % 2 else rng.uniform(took * 0.5, took * 1.5)
        pid = _fork_converting(what, path)
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        state = _state(path)
        assert state in seen, f"seed {seed}, run {run}: {state}"
        seen[state] += 1
        # Whatever was left, the next conversion of a journal in this state completes and
        # clears what a killed one left behind.
        if state == start and run % 5 == 0:
            finisher = _start(what, path)
            finisher.communicate("go\n", timeout=60)
            assert finisher.returncode == 0, f"seed {seed}, run {run}"
            assert _state(path) == end
            assert not list(path.parent.glob(".*converting*"))
    # Kills landed both before and after the swap (the seed reproduces a failure).
    assert seen[start] and seen[end], f"seed {seed}: {seen}"
