"""What the appointment summary says, gathered from the journal and put into words.

Plain Python (no fpdf, no matplotlib): the PDF only lays these out, so the figures and
sentences can be tested without rendering anything. Every number comes from the domain
(change over treatment, onset analysis, instrument scoring); nothing is recomputed here.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from tracker.domain.between import FollowUp, Reflection
from tracker.domain.catalogue import SEVERITIES, effect_label
from tracker.domain.change import Change
from tracker.domain.entries import (
    ROUTE_LABELS,
    Assessment,
    Checkin,
    SideEffect,
    TreatmentSession,
)
from tracker.domain.instruments import Instrument, instrument, instruments
from tracker.domain.onset import ReliefAnalysis
from tracker.domain.thresholds import JUDGED_FROM_BASELINE, PRE_LEVEL_MEAN_HOURS
from tracker.domain.times import day_of, wall_clock
from tracker.formatting import (
    date_time,
    days_text,
    hours_text,
    long_date,
    number,
    plural,
    short_date,
    signed,
)
from tracker.io.report_between import reflection_notes
from tracker.journal import Journal

# Date and number words come from tracker.formatting, the one place for them; these names
# stay importable from here for the PDF's layout code.
__all__ = [
    "date_time",
    "days_text",
    "hours_text",
    "long_date",
    "number",
    "plural",
    "short_date",
    "signed",
]

FOOTER_LINE = "A patient-kept record, not a clinical assessment."
TITLE = "Appointment summary"
# The order and words of the optional parts after page 1 (page 1 is always there).
SECTIONS = ("onset", "sessions", "medicines", "side_effects", "questionnaires")
SECTION_TITLES = {
    "onset": "Relief after each session",
    "sessions": "Treatment sessions",
    "medicines": "Other medicines",
    "side_effects": "Side effects by session and severity",
    "questionnaires": "Questionnaires, item by item",
}
# Footnote markers on page 1, in the order the definitions are printed.
MARKS = {"baseline": "¹", "response": "²", "remission": "³", "mcid": "⁴", "relief": "⁵"}
_MAX_LISTED = 3
# The key-figures table on page 1: one row per instrument.
KEY_HEADINGS = (
    "",
    "Baseline" + MARKS["baseline"],
    "Latest",
    "Change",
    "Response" + MARKS["response"],
    "Remission" + MARKS["remission"],
    "Minimal important difference" + MARKS["mcid"],
)


# -- words for doses ------------------------------------------------------------------------


def dose_text(session: TreatmentSession) -> str:
    mg, per_kg = session.effective_dose_mg, session.effective_dose_mg_per_kg
    if mg is None and per_kg is None:
        return "—"
    parts = []
    if mg is not None:
        parts.append(f"{number(mg)} mg")
    if per_kg is not None:
        parts.append(f"{number(per_kg)} mg/kg")
    return parts[0] if len(parts) == 1 else f"{parts[0]} ({parts[1]})"


def _span(values: list[float], unit: str) -> str:
    low, high = min(values), max(values)
    if low == high:
        return f"{number(low)} {unit}"
    return f"{number(low)}–{number(high)} {unit}"


# -- the gathered content ---------------------------------------------------------------------


@dataclass(frozen=True)
class SafetyAnswer:
    """A safety item (PHQ-9 item 9) answered above 'Not at all'."""

    instrument: str
    at: datetime
    item: int
    item_text: str
    answer: str

    def statement(self) -> str:
        text = self.item_text[:1].lower() + self.item_text[1:]
        return (
            f"{self.instrument} item {self.item} ({text}) answered “{self.answer}” "
            f"on {long_date(self.at)}."
        )


@dataclass(frozen=True)
class EffectTally:
    effect: str
    label: str
    by_severity: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_severity.values())


@dataclass
class ReportContent:
    """Everything the report shows for one period, already computed."""

    start: date
    end: date
    made: datetime
    patient_name: str | None
    provider_name: str | None
    sections: tuple[str, ...]
    include_notes: bool
    empty: bool
    changes: dict[str, Change | None] = field(default_factory=dict)
    checkins: list[Checkin] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    sessions: list[TreatmentSession] = field(default_factory=list)
    side_effects: list[SideEffect] = field(default_factory=list)
    sessions_total: int = 0
    first_session: datetime | None = None
    onset: ReliefAnalysis | None = None
    safety_answers: list[SafetyAnswer] = field(default_factory=list)
    trajectory: Any = None
    followups: list[FollowUp] = field(default_factory=list)
    reflections: list[Reflection] = field(default_factory=list)  # only with notes
    # Per session (in `sessions` order): classes of medicine taken in the 24 h before it.
    session_classes: list[tuple[str, ...]] = field(default_factory=list)
    medicines: Any = None  # tracker.io.report_medicines.MedicinesPart

    # -- page 1 wording ----------------------------------------------------------------------

    @property
    def period_text(self) -> str:
        return f"{long_date(self.start)} – {long_date(self.end)}"

    @property
    def title(self) -> str:
        return f"{TITLE}, {self.period_text}"

    def empty_text(self) -> str:
        return (
            f"Nothing was recorded in this period ({self.period_text}): no check-ins, "
            "questionnaires, sessions or side effects."
        )

    def key_rows(self) -> list[list[str]]:
        """One row per instrument under KEY_HEADINGS: baseline, latest, change, thresholds.

        True for any period: when the baseline (the last before the first session) lies
        after the period, the row says what was taken in the period instead of a change.
        """
        rows = []
        for name, found in self.changes.items():
            taken = [a for a in self.assessments if a.instrument == name]
            if found is None:
                rows.append([name, "not taken up to the end of this period", *[""] * 5])
                continue
            if wall_clock(found.baseline.at) > end_of(self.end):
                rows.append([name, *self._before_baseline_cells(found, taken)])
                continue
            rows.append(
                [
                    name,
                    _baseline_cell(found),
                    _latest_cell(found, self.start),
                    _change_cell(found),
                    _judged(found, found.response),
                    _judged(found, found.remission),
                    _reached(found, found.mcid_met),
                ]
            )
        return rows

    def _before_baseline_cells(self, change: Change, taken: list[Assessment]) -> list[str]:
        baseline = f"{_total(change.baseline)}\n{long_date(change.baseline.at)}, after this period"
        if taken:
            last = taken[-1]
            latest = (
                f"{_total(last)}\n{long_date(last.at)}"
                f"\n({plural(len(taken), 'questionnaire')} in this period, before the baseline)"
            )
        else:
            latest = "none in this period"
        return [baseline, latest, "—", "—", "—", "—"]

    def session_lines(self) -> list[str]:
        if not self.sessions:
            since = (
                f" ({plural(self.sessions_total, 'session')} since the start)"
                if self.sessions_total
                else ""
            )
            return [f"No treatment sessions in this period{since}."]
        first, last = self.sessions[0], self.sessions[-1]
        lines = [
            f"Sessions in this period: {len(self.sessions)} "
            f"(first {short_date(first.at)}, last {short_date(last.at)}). "
            f"Since the start: {self.sessions_total}"
            + (f" (first session {short_date(self.first_session)})." if self.first_session else ".")
        ]
        by_route: dict[str, list[TreatmentSession]] = {}
        for session in self.sessions:
            by_route.setdefault(session.route, []).append(session)
        for route, sessions in by_route.items():
            mg = [s.effective_dose_mg for s in sessions if s.effective_dose_mg is not None]
            per_kg = [
                s.effective_dose_mg_per_kg
                for s in sessions
                if s.effective_dose_mg_per_kg is not None
            ]
            dose = _span(mg, "mg") if mg else "dose not recorded"
            if per_kg:
                dose += f" ({_span(per_kg, 'mg/kg')})"
            lines.append(
                f"{ROUTE_LABELS.get(route, route)}: {plural(len(sessions), 'session')}, {dose}."
            )
        return lines

    def onset_line(self, marked: bool = True) -> str:
        """The Relief view's headline for the sessions of this period, in its words."""
        from tracker.charts.relief import headline

        mark = MARKS["relief"] if marked else ""
        if self.onset is None or not self.sessions:
            return "Relief after sessions: no sessions in this period."
        return f"Relief after sessions{mark}: {headline(self.onset)}"

    def onset_counts(self) -> str:
        from tracker.charts.relief import counts

        return "" if self.onset is None else counts(self.onset)

    def effect_tallies(self) -> list[EffectTally]:
        counts: dict[str, Counter[str]] = {}
        for effect in self.side_effects:
            counts.setdefault(effect.effect, Counter())[effect.severity] += 1
        tallies = [
            EffectTally(name, effect_label(name), {s: c[s] for s in SEVERITIES})
            for name, c in counts.items()
        ]
        return sorted(tallies, key=lambda t: (-t.total, t.label.lower()))

    def side_effect_lines(self) -> list[str]:
        if not self.side_effects:
            return ["No side effects recorded in this period."]
        tallies = self.effect_tallies()
        top = tallies[0].total
        frequent = [t for t in tallies if t.total == top]
        words = ", ".join(t.label for t in frequent[:_MAX_LISTED])
        if len(frequent) > _MAX_LISTED:
            words += f" and {len(frequent) - _MAX_LISTED} more"
        lines = [
            f"Side effects in this period: {len(self.side_effects)} recorded. "
            f"Most frequent: {words} ({plural(top, 'time')}"
            + (" each)." if len(frequent) > 1 else ").")
        ]
        worst = max(SEVERITIES.index(e.severity) for e in self.side_effects)
        level = SEVERITIES[worst]
        at_level = [e for e in self.side_effects if e.severity == level]
        if len(at_level) == 1:
            only = at_level[0]
            lines.append(
                f"Most severe: {effect_label(only.effect)} ({level}) on {short_date(only.at)}."
            )
            return lines
        named = ", ".join(
            f"{effect_label(e.effect)} on {short_date(e.at)}" for e in at_level[:_MAX_LISTED]
        )
        if len(at_level) > _MAX_LISTED:
            named += f" and {len(at_level) - _MAX_LISTED} more"
        lines.append(f"Most severe ({level}): {named}.")
        return lines

    def safety_lines(self) -> list[str]:
        """Every safety-item answer above 'Not at all', or what was answered instead."""
        if self.safety_answers:
            return [a.statement() for a in self.safety_answers]
        lines = []
        for definition in instruments().values():
            for item in definition.safety_items:
                taken = [a for a in self.assessments if a.instrument == definition.id]
                text = definition.items[item - 1].text
                text = text[:1].lower() + text[1:]
                if taken:
                    lines.append(
                        f"{definition.id} item {item} ({text}) answered "
                        f"“{definition.option_label(0)}” in "
                        + (
                            f"the one {definition.id} of this period."
                            if len(taken) == 1
                            else f"all {len(taken)} {definition.id}s of this period."
                        )
                    )
                else:
                    lines.append(f"No {definition.id} was taken in this period.")
        return lines

    def definitions(self) -> list[tuple[str, str]]:
        from tracker.domain.thresholds import DEFINITIONS, ONSET_DEFINITIONS

        out = [(MARKS[key], DEFINITIONS[key]) for key in ("baseline", "response", "remission")]
        out.append((MARKS["mcid"], DEFINITIONS["mcid"]))
        out.append((MARKS["relief"], ONSET_DEFINITIONS["relief"]))
        return out

    # -- later sections ------------------------------------------------------------------

    def session_label(self, at: datetime | None) -> str:
        return "not linked to a session" if at is None else f"Session {date_time(at)}"

    def notes(self) -> list[tuple[datetime, str, str]]:
        """(time, where it was written, note) for every note in the period, in time order."""
        found: list[tuple[datetime, str, str]] = []
        for checkin in self.checkins:
            if checkin.note and checkin.note.strip():
                found.append((checkin.at, f"Check-in (anxiety {checkin.anxiety})", checkin.note))
        for session in self.sessions:
            if session.notes and session.notes.strip():
                found.append((session.at, "Session", session.notes))
        for effect in self.side_effects:
            if effect.note and effect.note.strip():
                found.append(
                    (effect.at, f"Side effect: {effect_label(effect.effect)}", effect.note)
                )
        found += reflection_notes(self.reflections)
        return sorted(found, key=lambda n: wall_clock(n[0]))


def _baseline_cell(change: Change) -> str:
    text = f"{_total(change.baseline)}\n{long_date(change.baseline.at)}"
    if not change.baseline_before_treatment:
        text += "\n(not taken before treatment)"
    return text


def _only_baseline(change: Change) -> bool:
    return change.latest is change.baseline or change.latest.at == change.baseline.at


def _latest_cell(change: Change, period_start: date) -> str:
    if _only_baseline(change):
        return "only the baseline so far"
    text = f"{_total(change.latest)}\n{long_date(change.latest.at)}"
    if day_of(change.latest.at) < period_start:
        text += "\n(before this period)"
    return text


def _change_cell(change: Change) -> str:
    if _only_baseline(change):
        return "—"
    percent = change.percent_change
    text = f"{signed(change.change)} points"
    if percent is not None:
        text += f" ({percent:+.1f}%)" if percent else " (0.0%)"
    return text


def _reached(change: Change, value: bool) -> str:
    if _only_baseline(change):
        return "—"
    return "reached" if value else "not reached"


def _judged(change: Change, value: bool | None) -> str:
    """Response and remission: not applicable from a baseline below the cut-point."""
    if value is None:
        return f"not applicable (baseline below {JUDGED_FROM_BASELINE})"
    return _reached(change, value)


def _total(assessment: Assessment) -> str:
    definition = instrument(assessment.instrument)
    return f"total {assessment.total} ({definition.band(assessment.total).label} range)"


def safety_answers(assessments: list[Assessment]) -> list[SafetyAnswer]:
    found = []
    for assessment in assessments:
        definition: Instrument = instrument(assessment.instrument)
        for item in definition.safety_items:
            value = assessment.answers[item - 1]
            if value > 0:
                found.append(
                    SafetyAnswer(
                        assessment.instrument,
                        assessment.at,
                        item,
                        definition.items[item - 1].text,
                        definition.option_label(value),
                    )
                )
    return found


def resolve_period(journal: Journal, start: date | None, end: date | None) -> tuple[date, date]:
    """Open ends become the first entry's day and the later of today and the last entry."""
    today = date.today()
    if end is None:
        last = journal.history_page(descending=True, limit=1)
        end = max(today, day_of(last[0].at_value)) if last else today
    if start is None:
        first = journal.history_page(descending=False, limit=1)
        start = min(day_of(first[0].at_value), end) if first else end
    if start > end:
        raise ValueError(f"the period starts ({start}) after it ends ({end})")
    return start, end


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59))


def gather(
    journal: Journal,
    *,
    start: date | None,
    end: date | None,
    patient_name: str | None,
    provider_name: str | None,
    include_notes: bool,
    sections: tuple[str, ...],
    made: datetime | None = None,
) -> ReportContent:
    """Read the period from the journal and compute every figure the report shows."""
    first_day, last_day = resolve_period(journal, start, end)
    content = ReportContent(
        start=first_day,
        end=last_day,
        made=made or datetime.now().astimezone(),
        patient_name=(patient_name or "").strip() or None,
        provider_name=(provider_name or "").strip() or None,
        sections=tuple(s for s in SECTIONS if s in sections),
        include_notes=include_notes,
        empty=journal.history_count(start=first_day, end=last_day) == 0,
    )
    if content.empty:
        return content
    until = end_of(last_day)
    for name in instruments():
        found = journal.change(name, until=until)
        # A baseline after the period: the row says what the period holds, and only "not
        # taken" when nothing was taken up to its end.
        after = found is not None and wall_clock(found.baseline.at) > until
        if after and not journal.assessments(None, last_day, instrument=name):
            found = None
        content.changes[name] = found
    # Pre-session levels may reach back before the period's first day: one read of the
    # check-ins serves the period and the onset analysis, one of the sessions serves the
    # period and the count since the start.
    reach_back = first_day - timedelta(days=math.ceil(PRE_LEVEL_MEAN_HOURS / 24))
    around = journal.checkins(reach_back, last_day)
    content.checkins = [c for c in around if day_of(c.at) >= first_day]
    content.assessments = journal.assessments(first_day, last_day)
    every_session = journal.sessions(None, last_day)
    content.sessions = [s for s in every_session if day_of(s.at) >= first_day]
    content.side_effects = journal.side_effects(first_day, last_day)
    content.sessions_total = len(every_session)
    content.first_session = every_session[0].at if every_session else None
    # Relief is worked out over the whole journal, so each session reads as on the Charts
    # page (its window may run past the period); the period keeps its own sessions.
    relief = journal.relief(content.made)
    content.onset = relief.only(
        [s for s in relief.per_session if first_day <= day_of(s.session_at) <= last_day]
    )
    content.safety_answers = safety_answers(content.assessments)
    content.followups = journal.followups(first_day, last_day)
    if include_notes:
        content.reflections = journal.reflections(first_day, last_day)
    from tracker.io.report_medicines import MedicinesPart

    content.session_classes = journal.medication_classes(content.sessions)
    content.medicines = MedicinesPart(
        first_day,
        last_day,
        journal.medications(first_day - timedelta(days=7), last_day),
        journal.medication_doses(first_day, last_day),
    )
    from tracker.charts.data import trajectory_data

    content.trajectory = trajectory_data(journal, first_day, last_day)
    return content
