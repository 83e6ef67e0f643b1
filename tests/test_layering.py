"""The core works without Qt, and starting the app loads nothing heavy before the window."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.core_support import REPO, finish, start_python

CORE_PACKAGES = ("domain", "storage", "io")

# Runs real work with PySide6 impossible to import, then says what it found.
WITHOUT_QT = r"""
import importlib.abc, json, sys
from pathlib import Path

class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError(f"{name} is blocked for this check")
        return None

sys.meta_path.insert(0, NoQt())
try:
    import PySide6  # noqa: F401
except ImportError:
    pass
else:
    raise SystemExit("the blocker did not block")

import tracker.domain, tracker.storage, tracker.journal
import tracker.io.journal_json, tracker.io.csv_export, tracker.io.fhir
from tracker.app import main
from tracker.journal import Journal

folder = Path(sys.argv[1])
path = folder / "journal.onset"
with Journal.open(path, create=True) as journal:
    journal.add_checkin("2026-01-05T21:10", 6)
    journal.add_assessment("GAD-7", "2026-01-05T09:00", [3, 2, 3, 2, 2, 2, 2])
    journal.add_session("2026-01-06T10:00", "iv", dose_mg=35.0)
    journal.add_side_effect("2026-01-06T11:00", "nausea", "mild", session_at="2026-01-06T10:00")
    journal.add_assessment("GAD-7", "2026-01-20T09:00", [1] * 7)
codes = [
    main(["export", "json", "--out", str(folder / "out.json"), "--journal", str(path)]),
    main(["export", "csv", "--out", str(folder / "csv"), "--journal", str(path)]),
    main(["export", "fhir", "--out", str(folder / "out.fhir.json"), "--journal", str(path)]),
    main(["import", str(folder / "out.json"), "--journal", str(folder / "copy.onset")]),
    main(["summary", "--json", "--journal", str(folder / "copy.onset")]),
]
with Journal.open(folder / "copy.onset") as copy:
    kinds = ("checkin", "assessment", "session", "side_effect")
    copied = {kind: copy.count(kind) for kind in kinds}
    change = copy.change("GAD-7").change
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(json.dumps({"codes": codes, "copied": copied, "change": change, "qt": loaded}))
"""

HEAVY = """
import json, sys
import tracker.app
first = sorted({m.split(".")[0] for m in sys.modules} & {"matplotlib", "numpy", "fpdf", "PySide6"})
tracker.app.is_command(["summary"])
from tracker.app import main
main(["summary", "--journal", sys.argv[1]])
after = sorted({m.split(".")[0] for m in sys.modules} & {"matplotlib", "numpy", "fpdf", "PySide6"})
print(json.dumps({"import": first, "summary": after}))
"""


def test_the_core_and_the_commands_work_with_qt_blocked(tmp_path: Path) -> None:
    import json

    child = start_python(WITHOUT_QT, str(tmp_path))
    report = json.loads(finish(child).splitlines()[-1])
    assert report["codes"] == [0, 0, 0, 0, 0]
    assert report["copied"] == {"checkin": 1, "assessment": 2, "session": 1, "side_effect": 1}
    assert report["change"] == -9
    assert report["qt"] == []
    assert (tmp_path / "out.fhir.json").stat().st_size > 0
    assert len(list((tmp_path / "csv").glob("*.csv"))) == 9  # one per kind of entry


def test_importing_the_app_loads_no_charts_pdf_or_qt(tmp_path: Path) -> None:
    import json

    from tracker.journal import Journal

    Journal.open(tmp_path / "j.onset", create=True).close()
    child = start_python(HEAVY, str(tmp_path / "j.onset"))
    report = json.loads(finish(child).splitlines()[-1])
    assert report == {"import": [], "summary": []}


def test_the_core_source_never_imports_qt() -> None:
    offenders = []
    for package in CORE_PACKAGES:
        for path in sorted((REPO / "tracker" / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                else:
                    continue
                if any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names):
                    offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert offenders == []
    for name in ("journal.py", "cli.py", "paths.py", "app.py"):
        text = (REPO / "tracker" / name).read_text(encoding="utf-8")
        top_level = [n for n in ast.parse(text).body if isinstance(n, ast.Import | ast.ImportFrom)]
        assert not any("PySide6" in ast.dump(n) for n in top_level), name


def test_telling_a_command_from_the_app_loads_neither_the_cli_nor_the_journal() -> None:
    code = (
        "import json, sys\n"
        "import tracker.app\n"
        "words = [tracker.app.is_command(a) for a in (['summary'], ['--journal', 'x'])]\n"
        "loaded = sorted(m for m in ('tracker.cli', 'tracker.journal', 'argparse') "
        "if m in sys.modules)\n"
        "print(json.dumps({'words': words, 'loaded': loaded}))\n"
    )
    import json

    report = json.loads(finish(start_python(code)).splitlines()[-1])
    assert report == {"words": [True, False], "loaded": []}
