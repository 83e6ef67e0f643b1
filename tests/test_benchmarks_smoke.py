"""The benchmark journals are real journals: a generated year imports cleanly, every time."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO


def _make_journal_module(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """benchmarks/ is not a package: load the script as a module (dataclasses need it named)."""
    spec = importlib.util.spec_from_file_location(
        "make_journal", REPO / "benchmarks" / "make_journal.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_journal", module)
    spec.loader.exec_module(module)
    return module


def test_a_generated_year_imports_cleanly_and_is_deterministic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, target = tmp_path / "year.json", tmp_path / "year.onset"
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    made = subprocess.run(
        [sys.executable, "benchmarks/make_journal.py", "--years", "1", "--out", str(source)],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr

    document = json.loads(source.read_text(encoding="utf-8"))
    assert document == _make_journal_module(monkeypatch).make_journal(1), "same seed, same journal"
    sessions = {s["at"] for s in document["sessions"]}
    assert len(document["sessions"]) >= 6 + 52 // 4
    assert all(e["session_at"] in sessions for e in document["side_effects"])
    phq9 = [a for a in document["assessments"] if a["instrument"] == "PHQ-9"]
    assert sum(1 for a in phq9 if a["answers"][8] == 0) >= 0.9 * len(phq9)
    entries = sum(len(v) for v in document.values() if isinstance(v, list))
    assert len(document["medication_doses"]) > 30 and document["planned_sessions"]

    imported = subprocess.run(
        [sys.executable, "main.py", "import", str(source), "--journal", str(target)],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith(f"imported {entries} entries")
    assert imported.stdout.rstrip().endswith("; 0 already in the journal")
