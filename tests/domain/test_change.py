"""Change over treatment on hand-made journals: baseline, response, remission, MCID."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.core_support import run_cli
from tracker.cli import summary_text
from tracker.domain.change import change_over_treatment
from tracker.domain.entries import Assessment
from tracker.domain.thresholds import (
    JUDGED_FROM_BASELINE,
    MCID_POINTS,
    REMISSION_BELOW,
    RESPONSE_REDUCTION,
)
from tracker.domain.times import parse_at
from tracker.journal import Journal

ITEMS = {"GAD-7": 7, "PHQ-9": 9}


def answers(name: str, total: int) -> list[int]:
    return [min(3, max(0, total - 3 * i)) for i in range(ITEMS[name])]


def build(
    journal: Journal, name: str, totals: list[tuple[str, int]], sessions: list[str]
) -> dict[str, Any]:
    for at in sessions:
        journal.add_session(at, "iv")
    for at, total in totals:
        journal.add_assessment(name, at, answers(name, total))
    summary = journal.summary()[name]
    change = journal.change(name)
    assert (change.to_json() if change else None) == summary
    return summary


def test_thresholds_are_those_of_the_reference() -> None:
    assert RESPONSE_REDUCTION == 0.5
    assert REMISSION_BELOW == 5
    assert MCID_POINTS == {"GAD-7": 4, "PHQ-9": 5}
    assert JUDGED_FROM_BASELINE == 10


def test_baseline_is_the_last_assessment_before_the_first_session(journal: Journal) -> None:
    got = build(
        journal,
        "GAD-7",
        [
            ("2026-01-01T09:00", 18),
            ("2026-01-05T09:00", 16),
            ("2026-01-20T09:00", 7),
            ("2026-01-12T09:00", 11),
        ],
        ["2026-01-08T10:00", "2026-01-06T10:00"],
    )
    assert got == {
        "baseline": {"at": "2026-01-05T09:00", "total": 16, "severity": "severe"},
        "baseline_before_treatment": True,
        "latest": {"at": "2026-01-20T09:00", "total": 7, "severity": "mild"},
        "change": -9,
        "percent_change": -56.2,  # -56.25 written to one decimal, as journal-format.md shows
        "judged": True,
        "response": True,
        "remission": False,
        "mcid_met": True,
    }


def test_without_an_assessment_before_treatment_the_earliest_is_used(journal: Journal) -> None:
    got = build(
        journal,
        "PHQ-9",
        [("2026-01-09T09:00", 14), ("2026-01-07T09:00", 20), ("2026-01-30T09:00", 4)],
        ["2026-01-06T10:00"],
    )
    assert got["baseline"] == {"at": "2026-01-07T09:00", "total": 20, "severity": "severe"}
    assert got["baseline_before_treatment"] is False
    assert got["latest"]["total"] == 4
    assert (got["change"], got["percent_change"]) == (-16, -80.0)
    assert (got["response"], got["remission"], got["mcid_met"]) == (True, True, True)


def test_an_assessment_at_the_same_minute_as_the_first_session_is_not_before_it(
    journal: Journal,
) -> None:
    got = build(
        journal,
        "GAD-7",
        [("2026-01-06T10:00", 12), ("2026-01-06T09:59", 15), ("2026-01-10T09:00", 9)],
        ["2026-01-06T10:00"],
    )
    assert got["baseline"]["at"] == "2026-01-06T09:59"
    assert got["baseline_before_treatment"] is True

    later = change_over_treatment(
        "GAD-7",
        [Assessment("GAD-7", parse_at("2026-01-06T10:00"), tuple(answers("GAD-7", 12)))],
        journal.sessions(),
    )
    assert later is not None
    assert later.baseline_before_treatment is False


def test_without_sessions_the_earliest_assessment_is_the_baseline(journal: Journal) -> None:
    got = build(journal, "GAD-7", [("2026-01-09T09:00", 8), ("2026-01-02T09:00", 10)], [])
    assert got["baseline"]["at"] == "2026-01-02T09:00"
    assert got["baseline_before_treatment"] is True
    assert got["latest"]["at"] == "2026-01-09T09:00"


def test_a_baseline_of_zero_has_no_percent_and_nothing_judged(journal: Journal) -> None:
    # PHQ-9 0 → 3 is a worsening: below the cut-point of 10 nothing is judged, so it can
    # never read as a remission ("3 is below 5").
    got = build(
        journal, "PHQ-9", [("2026-01-01T09:00", 0), ("2026-01-20T09:00", 3)], ["2026-01-06T10:00"]
    )
    assert got["percent_change"] is None
    assert got["change"] == 3
    assert got["judged"] is False
    assert (got["response"], got["remission"], got["mcid_met"]) == (None, None, False)
    text = summary_text(journal.summary())
    assert (
        "PHQ-9: baseline 0 (minimal) on 2026-01-01; latest 3 (minimal) on 2026-01-20; "
        "change +3; response not applicable (baseline below 10), remission not applicable "
        "(baseline below 10), minimal important difference not reached"
    ) in text


def test_a_single_assessment_is_both_baseline_and_latest(journal: Journal) -> None:
    got = build(journal, "PHQ-9", [("2026-01-01T09:00", 12)], ["2026-01-06T10:00"])
    assert got["baseline"] == got["latest"]
    assert (got["change"], got["percent_change"], got["response"]) == (0, 0.0, False)


@pytest.mark.parametrize(
    ("name", "baseline", "latest", "judged", "response", "remission", "mcid"),
    [
        # Baseline 9, one below the cut-point: 9 → 2 is -78% and below 5, yet neither
        # response nor remission is judged; the 7-point fall still meets the MCID (4).
        ("GAD-7", 9, 2, False, None, None, True),
        # GAD-7 3 → 1 (-67%): not a response, not a remission: not judged at all.
        ("GAD-7", 3, 1, False, None, None, False),
        # Baseline 10, exactly the cut-point: judged. 10 → 5 is exactly 50% (response);
        # 5 is not below 5 (no remission); 5 points meets the GAD-7 MCID of 4.
        ("GAD-7", 10, 5, True, True, False, True),
        # 10 → 4: response (60%) and remission (4 < 5).
        ("PHQ-9", 10, 4, True, True, True, True),
        # 10 → 6: 40% is short of 50%; 4 points is one short of the PHQ-9 MCID of 5.
        ("PHQ-9", 10, 6, True, False, False, False),
        # Baseline 0: 0 → 0 stays at 0; nothing judged, no change.
        ("GAD-7", 0, 0, False, None, None, False),
    ],
)
def test_response_and_remission_are_judged_only_from_a_baseline_of_ten(
    journal: Journal,
    name: str,
    baseline: int,
    latest: int,
    judged: bool,
    response: bool | None,
    remission: bool | None,
    mcid: bool,
) -> None:
    got = build(
        journal,
        name,
        [("2026-01-05T09:00", baseline), ("2026-02-05T09:00", latest)],
        ["2026-01-06T10:00"],
    )
    assert got["judged"] is judged
    assert (got["response"], got["remission"], got["mcid_met"]) == (response, remission, mcid)
    assert got["change"] == latest - baseline


@pytest.mark.parametrize(
    ("name", "baseline", "latest", "response", "remission", "mcid"),
    [
        ("GAD-7", 16, 8, True, False, True),  # exactly 50%
        ("GAD-7", 16, 9, False, False, True),  # one point short of 50%
        ("PHQ-9", 10, 5, True, False, True),  # exactly 50% and exactly the MCID
        ("PHQ-9", 11, 6, False, False, True),  # exactly the MCID, one short of 50%
        ("PHQ-9", 11, 7, False, False, False),  # one point short of the MCID
        ("GAD-7", 10, 6, False, False, True),  # exactly the GAD-7 MCID (4 points)
        ("GAD-7", 10, 7, False, False, False),  # one point short of the GAD-7 MCID
        ("GAD-7", 12, 4, True, True, True),  # 4 is remission
        ("GAD-7", 12, 5, True, False, True),  # 5 is not
        ("PHQ-9", 10, 4, True, True, True),  # remission
        ("PHQ-9", 18, 4, True, True, True),
        ("PHQ-9", 14, 5, True, False, True),
        ("GAD-7", 10, 12, False, False, False),  # worse
    ],
)
def test_response_remission_and_mcid_at_their_boundaries(
    journal: Journal,
    name: str,
    baseline: int,
    latest: int,
    response: bool,
    remission: bool,
    mcid: bool,
) -> None:
    got = build(
        journal,
        name,
        [("2026-01-05T09:00", baseline), ("2026-02-05T09:00", latest)],
        ["2026-01-06T10:00"],
    )
    assert (got["response"], got["remission"], got["mcid_met"]) == (response, remission, mcid)
    assert got["change"] == latest - baseline


@pytest.mark.parametrize(
    ("baseline", "latest", "percent"),
    [(16, 7, -56.2), (16, 8, -50.0), (3, 2, -33.3), (3, 1, -66.7), (6, 7, 16.7), (8, 9, 12.5)],
)
def test_percent_change_is_written_to_one_decimal(
    journal: Journal, baseline: int, latest: int, percent: float
) -> None:
    got = build(
        journal,
        "PHQ-9",
        [("2026-01-05T09:00", baseline), ("2026-02-05T09:00", latest)],
        ["2026-01-06T10:00"],
    )
    assert got["percent_change"] == percent


def test_the_latest_can_be_limited_to_a_period_but_the_baseline_never_moves(
    journal: Journal,
) -> None:
    build(
        journal,
        "GAD-7",
        [("2026-01-05T09:00", 16), ("2026-01-12T09:00", 11), ("2026-01-20T09:00", 7)],
        ["2026-01-06T10:00"],
    )
    limited = journal.change("GAD-7", until=parse_at("2026-01-15T00:00"))
    assert limited is not None
    assert (limited.baseline.total, limited.latest.total) == (16, 11)
    early = journal.change("GAD-7", until=parse_at("2026-01-01T00:00"))
    assert early is not None
    assert early.latest == early.baseline


def test_summary_json_has_the_documented_shape(
    journal: Journal, capsys: pytest.CaptureFixture[str]
) -> None:
    for at in ("2026-01-06T10:00", "2026-01-08T10:00", "2026-01-10T10:00+02:00"):
        journal.add_session(at, "iv")
    journal.add_assessment("GAD-7", "2026-01-05T09:00", answers("GAD-7", 16))
    journal.add_assessment("GAD-7", "2026-01-20T09:00", answers("GAD-7", 7))
    path = journal.path
    journal.close()

    result = run_cli(["summary", "--json", "--journal", str(path)], capsys)
    assert result.code == 0, result.err
    summary = json.loads(result.out)
    assert {"GAD-7", "PHQ-9", "sessions"} <= set(summary)
    assert summary["PHQ-9"] is None
    assert summary["GAD-7"] == {
        "baseline": {"at": "2026-01-05T09:00", "total": 16, "severity": "severe"},
        "baseline_before_treatment": True,
        "latest": {"at": "2026-01-20T09:00", "total": 7, "severity": "mild"},
        "change": -9,
        "percent_change": -56.2,
        "judged": True,
        "response": True,
        "remission": False,
        "mcid_met": True,
    }
    assert summary["sessions"] == {
        "count": 3,
        "first": "2026-01-06T10:00",
        "last": "2026-01-10T10:00+02:00",
    }
    assert isinstance(summary["GAD-7"]["change"], int)
    # Version 2 as journal-format.md shows it: the version, the instruments, the sessions
    # and the relief block with the documented fields (more may be added, none dropped).
    assert summary["summary_version"] == 2
    assert set(summary) == {"summary_version", "GAD-7", "PHQ-9", "sessions", "onset"}
    onset = summary["onset"]
    assert {
        "sessions_analysed",
        "acute",
        "sessions_with_relief",
        "median_hours_to_relief",
        "relief_at_24h",
        "relief_lost",
        "per_session",
    } <= set(onset)
    assert set(onset["acute"]) == {"sessions_with_rating", "with_relief"}
    assert set(onset["relief_at_24h"]) == {"known", "with_relief"}
    assert {"median_days", "median_reached", "censored", "method"} <= set(onset["relief_lost"])
    assert onset["relief_lost"]["method"] == "kaplan-meier"
    assert [row["number"] for row in onset["per_session"]] == [1, 2, 3]
    assert {
        "session_at", "number", "series", "route", "pre_level", "pre_level_source",
        "analysable", "reason", "acute_after", "acute_relief", "hours_to_relief",
        "relief_at_24h", "relief_lost_after_days", "censored",
    } <= set(onset["per_session"][0])  # fmt: skip
    assert isinstance(summary["GAD-7"]["percent_change"], float)

    text = run_cli(["summary", "--journal", str(path)], capsys)
    assert text.code == 0
    assert "GAD-7: baseline 16 (severe) on 2026-01-05" in text.out
    assert summary["summary_version"] == 2
    assert "PHQ-9: not taken yet" in text.out
    # The sessions have no anxiety ratings: the relief line says so, in the view's words.
    assert (
        "relief after sessions: No session could be analysed yet: each needs an anxiety "
        "rating before it of at least 3 and ratings after it."
    ) in text.out


def test_summary_of_an_empty_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Journal.open(tmp_path / "j.onset", create=True).close()
    result = run_cli(["summary", "--json", "--journal", str(tmp_path / "j.onset")], capsys)
    assert result.code == 0
    summary = json.loads(result.out)
    assert summary["GAD-7"] is None and summary["PHQ-9"] is None
    assert summary["sessions"] == {"count": 0, "first": None, "last": None}
