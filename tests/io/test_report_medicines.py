"""The PDF's Other medicines section and the monitoring table of the sessions, read back
as text; and no advice anywhere in the app's or the PDF's words."""

from __future__ import annotations

import ast
import json
import re
from datetime import date
from pathlib import Path

import pytest

from tests.io.test_report import needs_pdftoppm, page_texts, render_pages
from tracker.io.journal_json import read_document
from tracker.io.report import ReportOptions, write_report
from tracker.journal import Journal

REPO = Path(__file__).resolve().parents[2]


def fill(journal: Journal) -> None:
    document = {
        "format": "onset-journal",
        "version": 2,
        "checkins": [{"at": f"2026-01-{d:02d}T21:00", "anxiety": 6} for d in range(1, 29)],
        "sessions": [
            {"at": "2026-01-06T10:00", "route": "intranasal", "devices": 2, "bp_before": [128, 82],
             "bp_mid": [150, 95], "bp_after": [134, 84], "ready_after_min": 110,
             "sleepiness": 4},
            {"at": "2026-01-13T10:00", "route": "intranasal", "devices": 3,
             "bp_mid": [146, 90], "bp_mid_min": 35},
            {"at": "2026-01-20T10:00", "route": "intranasal", "devices": 3},
        ],
        "medications": [
            {"name": "Sertraline", "class": "antidepressant", "dose_mg": 50.0,
             "schedule": "regular", "times_per_day": 1, "started": "2025-06-01",
             "stopped": "2026-01-09"},
            {"name": "sertraline", "class": "antidepressant", "dose_mg": 100.0,
             "schedule": "regular", "times_per_day": 1, "started": "2026-01-10"},
            {"name": "Lorazepam", "class": "benzodiazepine", "dose_mg": 1.0,
             "schedule": "as_needed", "started": "2025-11-01"},
            {"name": "Phenelzine", "class": "maoi", "dose_mg": 15.0, "schedule": "regular",
             "times_per_day": 2, "started": "2025-10-01", "stopped": "2026-01-16"},
            {"name": "Zolpidem", "class": "z_drug", "dose_mg": 5.0, "schedule": "as_needed",
             "started": "2026-01-18"},
        ],
        "medication_doses": [
            {"at": "2026-01-05T22:00", "medication": "lorazepam"},
            {"at": "2026-01-07T22:00", "medication": "lorazepam"},
            {"at": "2026-01-19T23:00", "medication": "zolpidem"},
            {"at": "2026-01-19T23:30", "medication": "lorazepam"},
        ],
    }  # fmt: skip
    journal.import_entries(read_document(document))


@pytest.fixture
def made(journal: Journal, tmp_path: Path) -> tuple[Path, list[str]]:
    fill(journal)
    out = tmp_path / "summary.pdf"
    write_report(journal, out, ReportOptions(date(2026, 1, 1), date(2026, 1, 28)))
    return out, page_texts(out)


def test_the_medicines_section(made: tuple[Path, list[str]]) -> None:
    text = " ".join(made[1][1:])
    assert "Other medicines" in text
    # Current on 28 Jan: the second sertraline period, lorazepam, zolpidem; phenelzine
    # ended on 16 Jan and the first sertraline period on 9 Jan.
    assert "Current on 28 Jan 2026" in text
    assert "sertraline Antidepressant 100 mg 1× a day 10 Jan 2026" in text
    assert "Lorazepam Benzodiazepine 1 mg as needed 1 Nov 2025" in text
    assert "Zolpidem Z-drug (sleep) 5 mg as needed 18 Jan 2026" in text
    assert (
        "Phenelzine MAOI" not in text.split("Started, ended or changed")[0].split("Current on")[1]
    )
    # The 50 → 100 mg step reads as one change, not an end and a start.
    assert "10 Jan 2026: sertraline changed from 50 mg 1× a day to 100 mg 1× a day." in text
    assert "last day of Sertraline" not in text
    assert "16 Jan 2026: last day of Phenelzine." in text
    assert "18 Jan 2026: started Zolpidem (Z-drug (sleep), 5 mg as needed)." in text
    # Weeks from 1 Jan: 1–7 Jan two lorazepam doses; 8–14 none; 15–21 one of each;
    # 22–28 none.
    assert "1 Jan 2026 – 7 Jan 2026 2 Lorazepam 2" in text
    assert "8 Jan 2026 – 14 Jan 2026 0 —" in text
    assert "15 Jan 2026 – 21 Jan 2026 2 Lorazepam 1, Zolpidem 1" in text


def test_the_session_table_has_the_monitoring_and_the_classes(made: tuple[Path, list[str]]) -> None:
    text = " ".join(made[1][1:])
    assert "Monitoring and other medicines" in text
    # 6 Jan: lorazepam 12 h before; sertraline (first period) and phenelzine that day.
    assert (
        "6 Jan 2026 10:00 128/82 150/95 at 40 min 134/84 1 h 50 min 4 "
        "benzodiazepine, MAOI, antidepressant"
    ) in text
    # 13 Jan: no dose in the 24 h; sertraline's second period and phenelzine.
    assert "13 Jan 2026 10:00 — 146/90 at 35 min — — — MAOI, antidepressant" in text
    # 20 Jan: zolpidem and lorazepam the night before; phenelzine ended on 16 Jan.
    assert "20 Jan 2026 10:00 — — — — — benzodiazepine, Z-drug (sleep), antidepressant" in text


@needs_pdftoppm
def test_the_medicines_pages_render(made: tuple[Path, list[str]], shots_dir: Path) -> None:
    pages = render_pages(made[0], shots_dir, "report-medicines")
    assert len(pages) >= 2


# -- recorded, never advised ---------------------------------------------------------------

ADVICE = re.compile(
    r"\b(stop|stops|stopping|avoid|avoids|avoiding|reduce|reduces|reducing|should)\b", re.I
)


def app_strings() -> list[tuple[str, str]]:
    """Every string literal of the app (docstrings aside) and of its resources, with where it
    is; the questionnaires' own item texts are left out: they are the instruments' words."""
    found: list[tuple[str, str]] = []
    for path in sorted((REPO / "tracker").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = set()
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            first = body[0] if isinstance(body, list) and body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
        for node in ast.walk(tree):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and id(node) not in docstrings:
                found.append((f"{path.relative_to(REPO)}:{node.lineno}", node.value))
    for path in sorted((REPO / "resources").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for where, text in _strings(data, path.name):
            if not re.search(r"items\[\d+\]\.text$", where):
                found.append((where, text))
    return found


def _strings(data: object, where: str) -> list[tuple[str, str]]:
    if isinstance(data, str):
        return [(where, data)]
    if isinstance(data, list):
        return [s for i, v in enumerate(data) for s in _strings(v, f"{where}[{i}]")]
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in _strings(v, f"{where}.{k}")]
    return []


def test_no_string_of_the_app_gives_advice() -> None:
    strings = app_strings()
    assert len(strings) > 500, "the reader found the app's strings"
    assert any("Took a dose" in text for _, text in strings)
    advice = [f"{where}: {text!r}" for where, text in strings if ADVICE.search(text)]
    assert advice == []


def test_the_reader_would_see_advice(tmp_path: Path) -> None:
    """The check itself can fail: the same words in a string it reads are caught."""
    assert ADVICE.search("You should take less")
    assert ADVICE.search("Stop lorazepam before")
    assert not ADVICE.search("Stopped on 3 Jan; a stopwatch")


def test_no_page_of_the_pdf_gives_advice(made: tuple[Path, list[str]]) -> None:
    pages = made[1]
    assert len(pages) >= 3
    # The questionnaires' own item texts are the instruments' words, not advice.
    from tracker.domain.instruments import instruments

    items = [item.text for i in instruments().values() for item in i.items]
    for page in pages:
        for text in items:
            page = page.replace(" ".join(text.split()), "")
        assert not ADVICE.search(page), ADVICE.search(page)
