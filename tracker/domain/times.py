"""Entry times are local wall-clock times.

An entry belongs to the calendar day written in its time, whatever time zone the machine
is in: 23:30 is that day, never the next. A UTC offset, when given, is kept so that an
export reads back exactly, but it never moves an entry to another day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

# Spelled out rather than taken from the C locale, which Qt may switch to the system's
# language: the journal's own words stay in one language on screen and in the report.
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_at(value: object) -> datetime:
    """Parse `YYYY-MM-DDTHH:MM[:SS][offset]`; raise ValueError with a readable reason."""
    if not isinstance(value, str):
        raise ValueError(f"must be a time written YYYY-MM-DDTHH:MM, not {type_name(value)}")
    if not _AT.match(value):
        raise ValueError(f"{value!r} is not a time written YYYY-MM-DDTHH:MM")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date and time") from None


def format_at(at: datetime) -> str:
    """The interchange form: minutes, seconds only when there are some, offset when known."""
    at = at.replace(microsecond=0)
    return at.isoformat(timespec="seconds" if at.second else "minutes")


def wall_clock(at: datetime) -> datetime:
    """The local wall-clock reading, with any offset dropped (never converted)."""
    return at.replace(tzinfo=None, microsecond=0)


def sort_key(at: datetime) -> str:
    """A text key that sorts by wall-clock time; its first ten characters are the day."""
    return wall_clock(at).isoformat(timespec="seconds")


def day_of(at: datetime) -> date:
    return wall_clock(at).date()


def parse_day(value: str) -> date:
    if not _DAY.match(value):
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None


def day_bounds(start: date | None, end: date | None) -> tuple[str | None, str | None]:
    """Sort-key bounds for an inclusive day range: [start 00:00, day after end 00:00)."""
    low = start.isoformat() if start else None
    high = None
    if end and end < date.max:  # the day after 9999-12-31 does not exist; nothing is later
        high = (end + timedelta(days=1)).isoformat()
    return low, high


def type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
