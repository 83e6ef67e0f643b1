"""One wording for every number, duration and date: the app, the charts and the PDF."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tracker import formatting, wording
from tracker.charts import data as chart_data
from tracker.io import report_data


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        (0.004, "1 minute"),  # never "0 minutes"
        (0.5, "30 minutes"),
        (0.999, "1 hour"),  # 59.94 minutes rounds to an hour, not "60 minutes"
        (1, "1 hour"),
        (9.5, "9.5 hours"),
        (11.0, "11 hours"),
        (50, "50 hours"),  # the same 50 hours everywhere, never "2.1 days" elsewhere
    ],
)
def test_hours(hours: float, text: str) -> None:
    assert formatting.hours_text(hours) == text


@pytest.mark.parametrize(
    ("days", "after", "at_least"),
    [
        (0.01, "14 minutes after the start", "≥ 14 minutes"),  # never "day 0" or "0.0 days"
        (0.35, "8.4 hours after the start", "≥ 8.4 hours"),
        (1.0, "day 1", "≥ 1 day"),
        (4.46, "day 4.5", "≥ 4.5 days"),
    ],
)
def test_days(days: float, after: str, at_least: str) -> None:
    assert formatting.day_after(days) == after
    assert formatting.at_least_days(days) == at_least


def test_numbers() -> None:
    assert [formatting.number(v) for v in (7, 6.5, 0.35, 0.125, 2.0, -0.0)] == [
        "7",
        "6.5",
        "0.35",
        "0.125",
        "2",
        "0",
    ]
    assert formatting.signed(-3) == "-3" and formatting.signed(0) == "0"


def test_the_app_the_charts_and_the_pdf_use_the_same_words() -> None:
    at = datetime(2026, 3, 4, 21, 5)
    assert wording.num is not None and wording.num(0.125) == report_data.number(0.125)
    assert wording.when(at) == formatting.when(at) == "Wed 4 Mar 2026, 21:05"
    assert report_data.long_date(at) == chart_data.day_text(at) == "4 March 2026"
    assert report_data.hours_text is formatting.hours_text
    assert report_data.date_time(at) == "4 Mar 2026 21:05"
    assert wording.long_day(date(2026, 1, 6)) == "Tuesday 6 January 2026"


def test_recorded_durations() -> None:
    assert [formatting.minutes_text(m) for m in (None, 0, 40, 90, 120, 1500)] == [
        "—",
        "0 min",
        "40 min",
        "1 h 30 min",
        "2 h",
        "1 d 1 h",
    ]
