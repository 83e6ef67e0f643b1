"""What the trajectory chart shows, gathered from the journal as plain data.

No matplotlib here: the Charts view, the PDF report and the tests all read the same
`TrajectoryData`, and a chart test can check the numbers before anything is drawn.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from tracker.domain.catalogue import SEVERITIES, effect_label
from tracker.domain.change import change_over_treatment
from tracker.domain.entries import (
    ROUTE_LABELS,
    Assessment,
    Checkin,
    Entry,
    SideEffect,
    TreatmentSession,
)
from tracker.domain.instruments import instrument, instruments
from tracker.domain.thresholds import (
    JUDGED_FROM_BASELINE,
    ONSET_DEFINITIONS,
    REMISSION_BELOW,
    RESPONSE_REDUCTION,
)
from tracker.domain.times import wall_clock
from tracker.formatting import day_month, number, one_decimal, plural

if TYPE_CHECKING:
    from tracker.journal import Journal

ROLLING_DAYS = 7
# fmt: off
# fmt: on


@dataclass(frozen=True)
class BandLevel:
    """One severity band of an instrument, as totals `low`–`high` inclusive."""

    low: int
    high: int
    label: str
    severity: str


@dataclass
class AssessmentSeries:
    """One instrument's totals in the range, with its bands and reference levels.

    The baseline is that of the whole journal (it never moves with the range).
    `response_level`: totals at or below it are a 50% reduction from the baseline.
    `remission_below`: totals below it count as remission. Both only when `judged` (a
    baseline at or above the cut-point of 10).
    """

    instrument: str
    name: str
    max_total: int
    bands: list[BandLevel]
    entries: list[Assessment] = field(default_factory=list)
    times: list[datetime] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    taken_ever: bool = False
    baseline: int | None = None
    baseline_before_treatment: bool = True
    response_level: float | None = None
    remission_below: int = REMISSION_BELOW
    # Response and remission apply only from a baseline at or above the cut-point.
    judged: bool = False

    def band_of(self, total: int) -> BandLevel:
        for band in self.bands:
            if band.low <= total <= band.high:
                return band
        raise ValueError(f"{self.instrument} total {total} is outside 0–{self.max_total}")


@dataclass
class AnxietySeries:
    """Every check-in's anxiety rating, and the mean of the last 7 days at each day's noon.

    `rolling_mean` holds None on days with no check-in in the 7 days ending that day, so
    the line breaks over long gaps instead of drawing across them.
    """

    entries: list[Checkin] = field(default_factory=list)
    times: list[datetime] = field(default_factory=list)
    values: list[int] = field(default_factory=list)
    rolling_times: list[datetime] = field(default_factory=list)
    rolling_mean: list[float | None] = field(default_factory=list)


@dataclass
class TrajectoryData:
    """Everything the trajectory chart draws for the days `start`–`end` (inclusive)."""

    start: date
    end: date
    series: dict[str, AssessmentSeries]
    anxiety: AnxietySeries
    sessions: list[TreatmentSession]
    session_times: list[datetime]
    session_routes: list[str]
    side_effects: list[SideEffect]
    side_effect_times: list[datetime]
    side_effect_severities: list[str]
    side_effect_labels: list[str]
    # Planned sessions not held (ahead, or missed and not dismissed): hollow markers.
    planned_times: list[datetime] = field(default_factory=list)
    planned_missed: list[bool] = field(default_factory=list)
    # Sessions with a benzodiazepine taken in the 24 h before them (marked, not judged).
    benzodiazepine_times: list[datetime] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.anxiety.times
            or self.session_times
            or self.side_effect_times
            or any(s.times for s in self.series.values())
        )

    @property
    def shown_series(self) -> list[AssessmentSeries]:
        """Instruments that were ever taken (each gets its own panel)."""
        return [s for s in self.series.values() if s.taken_ever]


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12))


def rolling_mean(
    checkins: list[tuple[datetime, int]], first: date, last: date, days: int = ROLLING_DAYS
) -> tuple[list[datetime], list[float | None]]:
    """Mean rating of the `days` calendar days ending on each day `first`–`last`."""
    per_day: dict[date, list[int]] = {}
    for at, value in checkins:
        per_day.setdefault(at.date(), []).append(value)
    out_times: list[datetime] = []
    out_values: list[float | None] = []
    window_sum, window_count = 0, 0
    day = first - timedelta(days=days - 1)
    # Slide the window one day at a time: add the new day, drop the day that fell out.
    while day < first:
        found = per_day.get(day, ())
        window_sum += sum(found)
        window_count += len(found)
        day += timedelta(days=1)
    while day <= last:
        found = per_day.get(day, ())
        window_sum += sum(found)
        window_count += len(found)
        dropped = per_day.get(day - timedelta(days=days), ())
        window_sum -= sum(dropped)
        window_count -= len(dropped)
        out_times.append(_noon(day))
        out_values.append(window_sum / window_count if window_count else None)
        day += timedelta(days=1)
    return out_times, out_values


def trajectory_data(journal: Journal, start: date | None, end: date | None) -> TrajectoryData:
    """Gather the chart's data for the inclusive days `start`–`end` (None: the journal's
    first or last entry day)."""
    all_assessments = journal.assessments()
    all_sessions = journal.sessions()
    if start is None or end is None:
        first, last = _extent(journal, all_assessments, all_sessions)
        start = start or first
        end = end or last
    if end < start:
        start, end = end, start

    def within(at: datetime) -> bool:
        return start <= wall_clock(at).date() <= end

    series: dict[str, AssessmentSeries] = {}
    for instrument_id, definition in instruments().items():
        taken = [a for a in all_assessments if a.instrument == instrument_id]
        shown = [a for a in taken if within(a.at)]
        bands = [BandLevel(b.min, b.max, b.label, b.severity) for b in definition.bands]
        one = AssessmentSeries(
            instrument=instrument_id,
            name=definition.name,
            max_total=definition.max_total,
            bands=bands,
            entries=shown,
            times=[wall_clock(a.at) for a in shown],
            totals=[a.total for a in shown],
            taken_ever=bool(taken),
        )
        change = change_over_treatment(instrument_id, taken, all_sessions)
        if change is not None:
            one.baseline = change.baseline.total
            one.baseline_before_treatment = change.baseline_before_treatment
            one.judged = change.judged
            if change.judged:
                one.response_level = float(one.baseline * (1 - RESPONSE_REDUCTION))
        series[instrument_id] = one

    # Check-ins from the 6 days before the range too, so the first 7-day mean is whole.
    fetched = journal.checkins(start - timedelta(days=ROLLING_DAYS - 1), end)
    pairs = [(wall_clock(c.at), c.anxiety) for c in fetched]
    shown_checkins = [c for c, (at, _) in zip(fetched, pairs, strict=True) if at.date() >= start]
    # No mean for days still to come (a range may reach a planned session ahead).
    mean_end = min(end, date.today())
    rolling_times, rolling_values = (
        rolling_mean(pairs, start, mean_end) if pairs and start <= mean_end else ([], [])
    )
    anxiety = AnxietySeries(
        entries=shown_checkins,
        times=[wall_clock(c.at) for c in shown_checkins],
        values=[c.anxiety for c in shown_checkins],
        rolling_times=rolling_times,
        rolling_mean=rolling_values,
    )
    sessions = [s for s in all_sessions if within(s.at)]
    effects = journal.side_effects(start, end)
    from tracker.domain.medicines import plan_states

    # A plan's state needs only the sessions of its own day, all of which are in range.
    plans = [
        v
        for v in plan_states(journal.planned_sessions(start, end), sessions, datetime.now())
        if v.state in ("ahead", "missed")
    ]
    classes = journal.medication_classes(sessions)
    return TrajectoryData(
        start=start,
        end=end,
        series=series,
        anxiety=anxiety,
        sessions=sessions,
        session_times=[wall_clock(s.at) for s in sessions],
        session_routes=[s.route for s in sessions],
        side_effects=effects,
        side_effect_times=[wall_clock(e.at) for e in effects],
        side_effect_severities=[e.severity for e in effects],
        side_effect_labels=[effect_label(e.effect) for e in effects],
        planned_times=[wall_clock(v.plan.at) for v in plans],
        planned_missed=[v.state == "missed" for v in plans],
        benzodiazepine_times=[
            wall_clock(s.at)
            for s, found in zip(sessions, classes, strict=True)
            if "benzodiazepine" in found
        ],
    )


def _extent(
    journal: Journal, assessments: list[Assessment], sessions: list[TreatmentSession]
) -> tuple[date, date]:
    """First and last day with any entry (today when the journal is empty)."""
    days: list[date] = [wall_clock(e.at).date() for e in (assessments[:1] + assessments[-1:])]
    days += [wall_clock(e.at).date() for e in (sessions[:1] + sessions[-1:])]
    for kind in ("checkin", "side_effect"):
        # history_page is ordered by time: one row from each end is enough.
        for descending in (False, True):
            page = journal.history_page((kind,), descending=descending, limit=1)
            days += [wall_clock(e.at_value).date() for e in page]
    # Sessions planned and not yet held widen the range, so that "all" shows them.
    ahead = journal.planned_sessions(date.today(), None)
    days += [wall_clock(p.at).date() for p in ahead[-1:]]
    if not days:
        today = date.today()
        return today, today
    return min(days), max(days)


# -- words -------------------------------------------------------------------------------


def day_text(day: date | datetime, with_year: bool = True) -> str:
    """'4 March 2026' (month names in words: never ambiguous between countries)."""
    return day_month(day, with_year)


def relief_rule_text() -> str:
    """The rules and thresholds of the relief figures, as the view and the PDF print them."""
    return " ".join(ONSET_DEFINITIONS.values())


def describe_entry(entry: Entry) -> str:
    """One line naming an entry, for the chart's hover text."""
    at = wall_clock(entry.at_value)
    when = f"{day_text(at)}, {at:%H:%M}"
    if isinstance(entry, Assessment):
        return f"{instrument(entry.instrument).describe(entry.total)}\n{when}"
    if isinstance(entry, Checkin):
        text = f"Check-in: anxiety {entry.anxiety}/10"
        if entry.mood is not None:
            text += f", mood {entry.mood}/10"
        return f"{text}\n{when}"
    if isinstance(entry, TreatmentSession):
        text = f"Session: {ROUTE_LABELS.get(entry.route, entry.route)}"
        dose = entry.effective_dose_mg
        if dose is not None:
            text += f", {number(dose)} mg"
        if entry.anxiety_before is not None and entry.anxiety_after is not None:
            text += f"\nanxiety {entry.anxiety_before} before, {entry.anxiety_after} after"
        return f"{text}\n{when}"
    if isinstance(entry, SideEffect):
        return f"Side effect: {effect_label(entry.effect)} ({entry.severity})\n{when}"
    return when


def describe_trajectory(data: TrajectoryData) -> str:
    """The trajectory in sentences, for the label under the chart and screen readers."""
    span_years = data.start.year != data.end.year
    parts: list[str] = [f"From {day_text(data.start, span_years)} to {day_text(data.end)}."]
    if data.is_empty:
        parts.append("Nothing was recorded in this range.")
        return " ".join(parts)
    for one in data.series.values():
        if not one.times:
            if one.taken_ever:
                parts.append(f"No {one.instrument} in this range.")
            continue
        years = one.times[0].year != one.times[-1].year
        first, last = one.totals[0], one.totals[-1]
        if len(one.times) == 1:
            parts.append(
                f"{one.instrument} total {first} ({one.band_of(first).label} range) "
                f"on {day_text(one.times[0])}."
            )
        else:
            parts.append(
                f"{one.instrument} total went from {first} ({one.band_of(first).label} range) "
                f"on {day_text(one.times[0], years)} to {last} "
                f"({one.band_of(last).label} range) on {day_text(one.times[-1])}; "
                f"{plural(len(one.times), 'questionnaire')}."
            )
        if one.baseline is not None:
            when = (
                "before treatment"
                if one.baseline_before_treatment
                else ("not taken before treatment")
            )
            levels = f"Baseline {one.baseline} ({when})"
            if one.judged and one.response_level is not None:
                levels += f"; 50% response level {one_decimal(one.response_level)}"
                levels += f"; remission below {one.remission_below}"
            else:
                levels += (
                    "; response and remission not applicable (baseline below "
                    f"{JUDGED_FROM_BASELINE})"
                )
            parts.append(f"{levels}.")
    anxiety = data.anxiety
    if anxiety.values:
        means = [m for m in anxiety.rolling_mean if m is not None]
        text = f"Daily anxiety: {plural(len(anxiety.values), 'check-in')}"
        if means:
            text += (
                f"; 7-day mean {means[0]:.1f} at the start of the range and "
                f"{means[-1]:.1f} at the end"
            )
        parts.append(text + ".")
    else:
        parts.append("No daily check-ins in this range.")
    if data.sessions:
        routes = Counter(data.session_routes)
        by_route = ", ".join(
            f"{ROUTE_LABELS.get(route, route).lower()} × {count}" for route, count in routes.items()
        )
        parts.append(f"{plural(len(data.sessions), 'session')}: {by_route}.")
    else:
        parts.append("No sessions in this range.")
    if data.side_effects:
        counts = Counter(data.side_effect_severities)
        by_severity = ", ".join(f"{counts[s]} {s}" for s in SEVERITIES if counts[s])
        parts.append(f"{plural(len(data.side_effects), 'side effect')}: {by_severity}.")
    return " ".join(parts)


# -- item by item --------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSeries:
    """One instrument's answers item by item, in the range, from its instrument data."""

    instrument: str
    stem: str
    items: list[str]
    options: list[str]
    max_answer: int
    times: list[datetime]
    # One row per assessment, one answer per item, in item order.
    answers: list[tuple[int, ...]]
    ids: list[int | None] = field(default_factory=list)


@dataclass(frozen=True)
class ItemsData:
    start: date
    end: date
    instruments: list[ItemSeries]

    @property
    def is_empty(self) -> bool:
        return not any(one.times for one in self.instruments)


def items_data(data: TrajectoryData) -> ItemsData:
    """The item-by-item chart's data for the same range as the trajectory chart."""
    found = []
    for one in data.shown_series:
        definition = instrument(one.instrument)
        found.append(
            ItemSeries(
                instrument=one.instrument,
                stem=definition.stem,
                items=[item.text for item in definition.items],
                options=[option.label for option in definition.options],
                max_answer=definition.max_answer,
                times=list(one.times),
                answers=[tuple(a.answers[: len(definition.items)]) for a in one.entries],
                ids=[a.id for a in one.entries],
            )
        )
    return ItemsData(data.start, data.end, found)


def describe_items(data: ItemsData) -> str:
    """The item-by-item chart in sentences: each item's first and last answer in range."""
    if data.is_empty:
        return "No questionnaire in this range, so no items to show."
    parts = []
    for one in data.instruments:
        if not one.times:
            continue
        first, last = one.answers[0], one.answers[-1]
        moved = [
            f"item {n + 1} {a} → {b}" for n, (a, b) in enumerate(zip(first, last, strict=True))
        ]
        span = (
            f"on {day_text(one.times[0])}"
            if len(one.times) == 1
            else f"from {day_text(one.times[0])} to {day_text(one.times[-1])}"
        )
        parts.append(
            f"{one.instrument}, {plural(len(one.times), 'questionnaire')} {span}; answers "
            f"0–{one.max_answer} ({', '.join(f'{i} {w}' for i, w in enumerate(one.options))}): "
            + ", ".join(moved)
            + "."
        )
    return " ".join(parts)
