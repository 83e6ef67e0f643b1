"""How every number, duration and date reads, on screen, in the charts and in the PDF.

One place, so the same 50 hours reads the same everywhere. No Qt, no matplotlib. Month
and day names are spelled out (tracker.domain.times) rather than taken from the C locale,
which Qt may have switched to the system's language.
"""

from __future__ import annotations

from datetime import date, datetime

from tracker.domain.times import DAY_NAMES, MONTH_NAMES, wall_clock

# Hours below this read in minutes.
_MINUTES_BELOW_HOURS = 1


def number(value: float, places: int = 3) -> str:
    """A number with at most `places` decimals and no pointless zeros: 7, 6.5, 0.35."""
    text = f"{float(value):.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def one_decimal(value: float) -> str:
    """A measured time or mean: one decimal, '.0' dropped (4.46 → '4.5', 11.0 → '11')."""
    return number(value, 1)


def signed(value: int) -> str:
    return f"{value:+d}" if value else "0"


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


# -- durations -----------------------------------------------------------------------------


def hours_text(hours: float) -> str:
    """A time after a session's start in hours: '40 minutes', '1 hour', '9.5 hours', '50 hours'.

    Always hours (never switched to days), so times to relief compare at a glance.
    """
    minutes = max(1, round(hours * 60))
    if minutes < 60 * _MINUTES_BELOW_HOURS:
        return plural(minutes, "minute")
    text = one_decimal(hours)
    return f"{text} hour" if text == "1" else f"{text} hours"


def days_text(days: float) -> str:
    """'1 day', '4.5 days'."""
    text = one_decimal(days)
    return f"{text} day" if text == "1" else f"{text} days"


def days_or_hours(days: float) -> str:
    """A span in days, or in hours when under a day ('4.5 days', '8 hours'): never '0 days'."""
    return hours_text(days * 24) if days < 1 else days_text(days)


def day_after(days: float) -> str:
    """When after a session's start: 'day 4.5', or '8 hours after the start' within the
    first day (never 'day 0')."""
    if days < 1:
        return f"{hours_text(days * 24)} after the start"
    return f"day {one_decimal(days)}"


def at_least_days(days: float) -> str:
    """A lower bound: '≥ 4.5 days', '≥ 8 hours'."""
    return f"≥ {days_or_hours(days)}"


def minutes_text(minutes: int | None) -> str:
    """A recorded duration: '40 min', '1 h 30 min', '2 d 3 h'; '—' when not recorded."""
    if minutes is None:
        return "—"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} d")
    if hours:
        parts.append(f"{hours} h")
    if mins or not parts:
        parts.append(f"{mins} min")
    return " ".join(parts)


# -- dates -----------------------------------------------------------------------------------


def long_date(day: date | datetime) -> str:
    """'12 March 2026', the same whatever locale the machine runs in."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def day_month(day: date | datetime, with_year: bool = True) -> str:
    """'4 March 2026', or '4 March' without the year."""
    text = f"{day.day} {MONTH_NAMES[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def short_date(day: date | datetime) -> str:
    """'12 Mar 2026'."""
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


def date_time(at: datetime) -> str:
    """'12 Mar 2026 10:00' (the entry's own wall-clock time)."""
    return f"{short_date(at)} {wall_clock(at):%H:%M}"


def long_day(day: date) -> str:
    """'Tuesday 6 January 2026'."""
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def short_day(day: date, today: date | None = None) -> str:
    """'Tue 6 Jan', with the year only when it is not this year."""
    text = f"{DAY_NAMES[day.weekday()][:3]} {day.day} {MONTH_NAMES[day.month - 1][:3]}"
    if today is None or day.year != today.year:
        text += f" {day.year}"
    return text


def when(at: datetime, today: date | None = None) -> str:
    """'Tue 6 Jan 2026, 10:00'."""
    return f"{short_day(at.date(), today)}, {wall_clock(at):%H:%M}"
