"""Change over treatment for one instrument: baseline, latest, response, remission, MCID."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

from tracker.domain.entries import Assessment, TreatmentSession
from tracker.domain.thresholds import (
    JUDGED_FROM_BASELINE,
    MCID_POINTS,
    REMISSION_BELOW,
    RESPONSE_REDUCTION,
)
from tracker.domain.times import format_at, wall_clock


@dataclass(frozen=True)
class Change:
    instrument: str
    baseline: Assessment
    baseline_before_treatment: bool
    latest: Assessment

    @property
    def change(self) -> int:
        return self.latest.total - self.baseline.total

    @property
    def percent_change(self) -> float | None:
        """Change as a percent of baseline, one decimal (half to even); None at baseline 0."""
        if self.baseline.total == 0:
            return None
        exact = Fraction(self.change * 100, self.baseline.total)
        rounded = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_EVEN
        )
        return float(rounded)

    @property
    def judged(self) -> bool:
        """Response and remission apply only from a baseline at or above the cut-point:
        GAD-7 3 → 1 is not a response, PHQ-9 0 → 3 not a remission."""
        return self.baseline.total >= JUDGED_FROM_BASELINE

    @property
    def response(self) -> bool | None:
        """None when not judged (baseline below the cut-point)."""
        if not self.judged:
            return None
        base = self.baseline.total
        return Fraction(base - self.latest.total, base) >= RESPONSE_REDUCTION

    @property
    def remission(self) -> bool | None:
        """None when not judged (baseline below the cut-point)."""
        if not self.judged:
            return None
        return self.latest.total < REMISSION_BELOW

    @property
    def mcid_met(self) -> bool:
        return self.baseline.total - self.latest.total >= MCID_POINTS[self.instrument]

    def to_json(self) -> dict[str, Any]:
        def point(a: Assessment) -> dict[str, Any]:
            return {"at": format_at(a.at), "total": a.total, "severity": a.severity}

        return {
            "baseline": point(self.baseline),
            "baseline_before_treatment": self.baseline_before_treatment,
            "latest": point(self.latest),
            "change": self.change,
            "percent_change": self.percent_change,
            "judged": self.judged,
            "response": self.response,
            "remission": self.remission,
            "mcid_met": self.mcid_met,
        }


def first_session_start(sessions: Iterable[TreatmentSession]) -> datetime | None:
    starts = [wall_clock(s.at) for s in sessions]
    return min(starts) if starts else None


def change_over_treatment(
    instrument: str,
    assessments: Iterable[Assessment],
    sessions: Iterable[TreatmentSession],
    until: datetime | None = None,
) -> Change | None:
    """Baseline and latest for `instrument`, or None when it was never taken.

    Baseline is the last assessment before the first session started; without one, the
    earliest assessment. With no sessions at all nothing has started yet, so the earliest
    assessment is the baseline and it counts as before treatment. `until` limits which
    assessment counts as the latest (a report's period end); the baseline never moves.
    """
    taken: Sequence[Assessment] = sorted(
        (a for a in assessments if a.instrument == instrument), key=lambda a: wall_clock(a.at)
    )
    if not taken:
        return None
    start = first_session_start(sessions)
    if start is None:
        baseline, before = taken[0], True
    else:
        earlier = [a for a in taken if wall_clock(a.at) < start]
        baseline, before = (earlier[-1], True) if earlier else (taken[0], False)
    candidates = [a for a in taken if until is None or wall_clock(a.at) <= until]
    latest = candidates[-1] if candidates else baseline
    if wall_clock(latest.at) < wall_clock(baseline.at):
        latest = baseline
    return Change(instrument, baseline, before, latest)
