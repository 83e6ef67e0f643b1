"""Entry times are local wall-clock times.

An entry belongs to the calendar day written in its time, whatever time zone the machine
is in: 23:30 is that day, never the next. A UTC offset, when given, is kept so that an
export reads back exactly, but it never moves an entry to another day.

Elapsed time between two entries is real time: a time with an offset is converted with
it, one without is read in the journal's time zone (an IANA name kept in the journal), so
a night across a daylight-saving change is an hour shorter or longer.
"""

from __future__ import annotations

import contextlib
import os
import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


# -- time zones and real elapsed time --------------------------------------------------------

# The journal setting that holds its IANA time zone.
ZONE_SETTING = "time_zone"
_ZONEINFO_MARK = "zoneinfo/"


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone of that name; ValueError with a readable reason when there is none."""
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        raise ValueError("a time zone is written as an IANA name such as Europe/Berlin")
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"{name!r} is not a time zone this computer knows") from None


def is_zone_name(name: str) -> bool:
    try:
        zone_named(name)
    except ValueError:
        return False
    return True


def machine_zone_name() -> str | None:
    """The machine's IANA time zone name, or None when it cannot be told.

    TZ first (as the C library reads it), then the /etc/localtime link and /etc/timezone.
    """
    candidates: list[str] = []
    env = os.environ.get("TZ", "").lstrip(":")
    if env:
        candidates.append(env.split(_ZONEINFO_MARK)[-1])
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        target = ""
    if _ZONEINFO_MARK in target:
        candidates.append(target.split(_ZONEINFO_MARK)[-1])
    with contextlib.suppress(OSError, UnicodeDecodeError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        if name and is_zone_name(name):
            return name
    return None


def instant(at: datetime, zone: tzinfo | None) -> datetime:
    """The moment an entry's time names, in UTC.

    With an offset it is converted with it; without, it is read in `zone` (None: the
    machine's local time). A time that a clock change skipped or repeated is read with the
    offset in force before the change (fold 0).
    """
    try:
        if at.tzinfo is not None and at.utcoffset() is not None:
            return at.astimezone(UTC)
        if zone is None:
            return at.replace(tzinfo=None).astimezone(UTC)
        return at.replace(tzinfo=zone, fold=0).astimezone(UTC)
    except (OverflowError, ValueError, OSError):
        # At the very ends of the calendar (year 1, year 9999) there is no room for the
        # offset: the written time is read as UTC rather than refused.
        return at.replace(tzinfo=UTC)


def elapsed_hours(start: datetime, end: datetime, zone: tzinfo | None) -> float:
    """Real hours from `start` to `end` (entry times, read as `instant` reads them)."""
    return (instant(end, zone) - instant(start, zone)).total_seconds() / 3600
