"""The appointment summary's Medicines part, as rows and sentences (no PDF here).

What was current at the end of the period, what started, ended or changed in it, and
how many as-needed doses were taken each week. Recorded, never judged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.domain.entries import (
    MEDICATION_CLASS_SHORT,
    SCHEDULE_LABELS,
    Medication,
    MedicationDose,
)
from tracker.domain.times import day_of
from tracker.formatting import short_date
from tracker.wording import class_names, num

CURRENT_HEADINGS = ("Medicine", "Class", "Usual dose", "Taken", "Since")
WEEK_HEADINGS = ("Week", "As-needed doses", "Of which")


def classes_cell(classes: Sequence[str]) -> str:
    """The classes in a table cell, lower case but for an abbreviation (MAOI)."""
    return class_names(list(classes)) or "none recorded"


def _dose(medicine: Medication) -> str:
    return "—" if medicine.dose_mg is None else f"{num(medicine.dose_mg)} mg"


def _taken(medicine: Medication) -> str:
    if medicine.schedule == "regular" and medicine.times_per_day:
        return f"{medicine.times_per_day}× a day"
    return SCHEDULE_LABELS[medicine.schedule].lower()


def _day(day: date) -> str:
    return short_date(day)


@dataclass(frozen=True)
class MedicinesPart:
    start: date
    end: date
    medicines: Sequence[Medication]  # every period that shares a day with the report's
    doses: Sequence[MedicationDose]  # doses taken in the report's period

    def current(self) -> list[Medication]:
        return [m for m in self.medicines if m.active_on(self.end)]

    def current_rows(self) -> list[list[str]]:
        return [
            [
                m.name,
                MEDICATION_CLASS_SHORT[m.medication_class],
                _dose(m),
                _taken(m),
                _day(m.started),
            ]
            for m in self.current()
        ]

    def change_lines(self) -> list[str]:
        """Started, ended or changed within the period, in time order.

        A period of a medicine that starts the day after (or within a week of) the end of
        another period of the same name reads as a change between the two.
        """
        events: list[tuple[date, str]] = []
        by_name: dict[str, list[Medication]] = {}
        for medicine in self.medicines:
            by_name.setdefault(medicine.key, []).append(medicine)
        for periods in by_name.values():
            periods.sort(key=lambda m: m.started)
            for index, medicine in enumerate(periods):
                before = periods[index - 1] if index else None
                follows = (
                    before is not None
                    and before.stopped is not None
                    and medicine.started - before.stopped <= timedelta(days=7)
                )
                if self.start <= medicine.started <= self.end:
                    if follows and before is not None:
                        events.append(
                            (
                                medicine.started,
                                f"{_day(medicine.started)}: {medicine.name} changed from "
                                f"{_dose(before)} {_taken(before)} to {_dose(medicine)} "
                                f"{_taken(medicine)}.",
                            )
                        )
                    else:
                        events.append(
                            (
                                medicine.started,
                                f"{_day(medicine.started)}: started {medicine.name} "
                                f"({class_names([medicine.medication_class])}"
                                f", {_dose(medicine)} {_taken(medicine)}).",
                            )
                        )
                stopped = medicine.stopped
                after = periods[index + 1] if index + 1 < len(periods) else None
                followed = (
                    stopped is not None
                    and after is not None
                    and after.started - stopped <= timedelta(days=7)
                    and self.start <= after.started <= self.end
                )
                if stopped is not None and self.start <= stopped <= self.end and not followed:
                    events.append((stopped, f"{_day(stopped)}: last day of {medicine.name}."))
        events.sort(key=lambda e: e[0])
        return [text for _, text in events]

    def week_rows(self) -> list[list[str]]:
        """As-needed doses per week from the period's first day; weeks with none show 0."""
        as_needed = [m for m in self.medicines if m.schedule == "as_needed"]
        if not as_needed:
            return []
        rows = []
        first = self.start
        while first <= self.end:
            last = min(first + timedelta(days=6), self.end)
            counts: dict[str, int] = {}
            for dose in self.doses:
                if not first <= day_of(dose.at) <= last:
                    continue
                medicine = dose.taken_of(as_needed)
                if medicine is not None:
                    counts[medicine.name] = counts.get(medicine.name, 0) + 1
            total = sum(counts.values())
            which = ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))
            span = f"{_day(first)} – {_day(last)}" if last != first else _day(first)
            rows.append([span, str(total), which or "—"])
            first += timedelta(days=7)
        return rows
