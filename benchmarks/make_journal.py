"""Write a realistic Onset journal in the interchange format (version 1) for benchmarks.

    python benchmarks/make_journal.py --years 10 --out journal-10y.json [--seed N] [--end D]

The journal reads like a real one: a few weeks of check-ins before treatment, then ketamine
sessions twice a week for three weeks and every two to four weeks after; anxiety that drops
after a session and drifts back; weekly GAD-7, fortnightly PHQ-9; side effects linked to
most sessions. The same seed and end date always give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESOURCES = REPO / "resources"
DEFAULT_END = date(2026, 3, 1)
DEFAULT_SEED = 7
BASELINE_DAYS = 28

CHECKIN_NOTES = (
    "tense day at work",
    "walked by the river, felt lighter",
    "slept badly, racing thoughts",
    "good talk with my sister",
    "skipped lunch, jittery in the afternoon",
    "calm evening",
    "presentation tomorrow, on edge",
    "integration session helped",
    "heavy chest most of the morning",
    "read for an hour without worrying",
)
SESSION_NOTES = (
    "felt calm afterwards",
    "music helped during the session",
    "some nausea on the way home",
    "talked through the integration plan",
    "floaty for an hour, then fine",
)
# Acute effects people most often log after a session, with how often each is picked.
AFTER_SESSION = {
    "dissociation": 10,
    "dizziness": 7,
    "nausea": 6,
    "fatigue": 6,
    "increased_blood_pressure": 4,
    "headache": 4,
    "altered_perception": 4,
    "blurred_vision": 2,
    "increased_heart_rate": 2,
    "cognitive_disturbance": 1,
    "vomiting": 1,
}


def _at(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _bands() -> dict[str, list[dict[str, Any]]]:
    """Severity bands per instrument, read from the same resource files the app scores with."""
    found = {}
    for path in sorted((RESOURCES / "instruments").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        found[data["id"]] = data["bands"]
    return found


def _catalogue() -> set[str]:
    data = json.loads((RESOURCES / "side_effects.json").read_text(encoding="utf-8"))
    return {effect["id"] for effect in data["effects"]}


def _years_before(end: date, years: int) -> date:
    try:
        return end.replace(year=end.year - years)
    except ValueError:  # 29 February
        return end.replace(year=end.year - years, day=28)


@dataclass
class Patient:
    """The hidden state behind the entries: how anxious this person is, day by day."""

    rng: random.Random
    level: float = 6.8  # today's underlying anxiety, 0–10
    set_point: float = 6.8  # where anxiety drifts back to between sessions
    weight_kg: float = 74.0
    life_bump: float = 0.0  # a hard stretch of life (a move, a loss) that fades over weeks

    def next_day(self, treatment_days: int | None) -> None:
        rng = self.rng
        if treatment_days is not None:
            # Treatment lowers the set point over the first months, with a slow wobble after.
            settled = 4.3 + 0.7 * math.sin(treatment_days / 400.0)
            self.set_point += (settled - self.set_point) * 0.02
        if rng.random() < 1 / 240:
            self.life_bump = rng.uniform(1.0, 2.5)
        self.life_bump *= 0.97
        target = self.set_point + self.life_bump
        self.level += (target - self.level) * 0.09 + rng.gauss(0, 0.3)
        self.level = _clamp(self.level, 0.5, 9.8)
        self.weight_kg = _clamp(self.weight_kg + rng.gauss(0, 0.05), 60.0, 90.0)

    def session(self) -> tuple[float, float]:
        """A session lowers anxiety for a while; return the levels before and after."""
        before = self.level
        self.level = _clamp(before - self.rng.uniform(1.5, 3.5), 0.5, 9.8)
        return before, self.level

    def rating(self, spread: float = 0.8) -> int:
        return round(_clamp(self.level + self.rng.gauss(0, spread), 0, 10))


@dataclass
class Writer:
    """Collects the four sections of the interchange document."""

    bands: dict[str, list[dict[str, Any]]]
    checkins: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    side_effects: list[dict[str, Any]] = field(default_factory=list)

    def assessment(
        self, instrument: str, at: datetime, answers: list[int], difficulty: int
    ) -> None:
        total = sum(answers)
        severity = next(
            b["severity"] for b in self.bands[instrument] if b["min"] <= total <= b["max"]
        )
        self.assessments.append(
            {
                "instrument": instrument,
                "at": _at(at),
                "answers": answers,
                "difficulty": difficulty,
                "total": total,
                "severity": severity,
            }
        )


def _session_days(start: date, end: date, rng: random.Random) -> Iterator[date]:
    """Twice a week (Monday, Thursday) for three weeks, then every two to four weeks."""
    first = start + timedelta(days=(7 - start.weekday()) % 7)  # the next Monday
    induction = [
        first + timedelta(days=week * 7 + offset) for week in range(3) for offset in (0, 3)
    ]
    yield from (day for day in induction if day <= end)
    day = induction[-1]
    while True:
        day += timedelta(days=rng.choice((14, 14, 21, 21, 21, 28)))
        if day > end:
            return
        yield day


def _route_for(session_index: int, total: int) -> str:
    """Most of the record is infusions; later years switch route, as people's care does."""
    share = session_index / max(total, 1)
    if share < 0.55:
        return "iv"
    if share < 0.8:
        return "im"
    return "intranasal"


def _add_session(
    writer: Writer, patient: Patient, at: datetime, route: str, catalogue: set[str]
) -> None:
    rng = patient.rng
    before, after = patient.session()
    weight = round(patient.weight_kg, 1)
    session: dict[str, Any] = {"at": _at(at), "route": route}
    if route == "intranasal":
        session |= {"dose_mg": rng.choice((56.0, 84.0)), "duration_min": 120}
        dissociation = rng.randint(2, 6)
    else:
        per_kg = 0.5 if route == "iv" else rng.choice((0.5, 0.75))
        session |= {
            "dose_mg": round(per_kg * weight, 1),
            "dose_mg_per_kg": per_kg,
            "weight_kg": weight,
            "duration_min": 40 if route == "iv" else 60,
        }
        dissociation = rng.randint(4, 9)
    systolic, diastolic = rng.randint(112, 134), rng.randint(70, 86)
    heart_rate = rng.randint(62, 82)
    session |= {
        "bp_before": [systolic, diastolic],
        "bp_after": [systolic + rng.randint(8, 26), diastolic + rng.randint(4, 13)],
        "heart_rate_before": heart_rate,
        "heart_rate_after": heart_rate + rng.randint(4, 16),
        "anxiety_before": round(_clamp(before + rng.gauss(0, 0.6), 0, 10)),
        "anxiety_after": round(_clamp(after + rng.gauss(0, 0.6), 0, 10)),
        "dissociation": dissociation,
        "clinic": "Riverside Ketamine Clinic",
        "notes": rng.choice(SESSION_NOTES) if rng.random() < 0.3 else "",
    }
    writer.sessions.append(session)

    if rng.random() < 0.8:  # side effects after most sessions
        names = [n for n in AFTER_SESSION if n in catalogue]
        weights = [AFTER_SESSION[n] for n in names]
        picked: list[str] = []
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            name = rng.choices(names, weights)[0]
            if name not in picked:
                picked.append(name)
        if rng.random() < 0.05:
            picked.append("other:metallic taste")
        for offset, name in enumerate(picked):
            severity = rng.choices(("mild", "moderate", "severe"), (75, 22, 3))[0]
            writer.side_effects.append(
                {
                    "at": _at(at + timedelta(minutes=session["duration_min"] + 10 * offset + 5)),
                    "effect": name,
                    "severity": severity,
                    "duration_min": rng.choice((15, 20, 30, 45, 60, 90, 120, 180)),
                    "session_at": _at(at),
                    "note": "",
                }
            )


def _answers(rng: random.Random, level: float, items: int, scale: float) -> list[int]:
    """Item answers 0–3 whose sum follows the anxiety level, item by item noisy."""
    mean = _clamp(level / 10 * 3 * scale, 0, 3)
    return [round(_clamp(mean + rng.gauss(0, 0.6), 0, 3)) for _ in range(items)]


def make_journal(years: int, seed: int = DEFAULT_SEED, end: date = DEFAULT_END) -> dict[str, Any]:
    """The interchange document for `years` years of journaling ending on `end`."""
    if years < 1:
        raise ValueError("years must be at least 1")
    rng = random.Random(f"onset-benchmark:{seed}")
    start = _years_before(end, years)
    writer = Writer(_bands())
    catalogue = _catalogue()
    patient = Patient(rng)
    treatment_start = start + timedelta(days=BASELINE_DAYS)
    session_days = list(_session_days(treatment_start, end, rng))
    sessions_by_day = {day: index for index, day in enumerate(session_days)}

    day = start
    while day <= end:
        started = session_days[0] if session_days else None
        treatment_days = (day - started).days if started and day >= started else None
        patient.next_day(treatment_days)

        if day in sessions_by_day:
            at = datetime.combine(day, time(10, 0))
            route = _route_for(sessions_by_day[day], len(session_days))
            _add_session(writer, patient, at, route, catalogue)

        if rng.random() < 0.15:  # some mornings too
            at = datetime.combine(day, time(7, 0)) + timedelta(minutes=rng.randint(0, 150))
            writer.checkins.append({"at": _at(at), "anxiety": patient.rating()})
        if rng.random() < 0.95:  # an evening check-in on most days
            at = datetime.combine(day, time(20, 0)) + timedelta(minutes=rng.randint(0, 179))
            mood = round(_clamp(9.5 - 0.75 * patient.level + rng.gauss(0, 0.9), 0, 10))
            sleep = _clamp(7.6 - 0.25 * patient.level + rng.gauss(0, 0.8), 2.0, 11.0)
            checkin: dict[str, Any] = {"at": _at(at), "anxiety": patient.rating(), "mood": mood}
            if rng.random() < 0.9:
                checkin["sleep_hours"] = round(sleep * 2) / 2
            if rng.random() < 0.08:
                checkin["note"] = rng.choice(CHECKIN_NOTES)
            writer.checkins.append(checkin)

        days_in = (day - start).days
        if day.weekday() == 6:  # GAD-7 every Sunday morning
            at = datetime.combine(day, time(9, 30))
            answers = _answers(rng, patient.level, 7, 1.0)
            writer.assessment("GAD-7", at, answers, min(3, sum(answers) // 6))
        if days_in % 14 == 0:  # PHQ-9 every two weeks
            at = datetime.combine(day, time(9, 45))
            answers = _answers(rng, patient.level, 8, 0.75)
            answers.append(1 if rng.random() < 0.03 else 0)  # item 9 is nearly always 0
            writer.assessment("PHQ-9", at, answers, min(3, sum(answers) // 7))
        day += timedelta(days=1)

    return {
        "format": "onset-journal",
        "version": 2,
        "exported_at": f"{end.isoformat()}T18:00:00+01:00",
        "checkins": writer.checkins,
        "assessments": writer.assessments,
        "sessions": writer.sessions,
        "side_effects": writer.side_effects,
        **_treatment_around(start, end, session_days, seed),
    }


def _treatment_around(
    start: date, end: date, session_days: list[date], seed: int
) -> dict[str, list[dict[str, Any]]]:
    """Other medicines, their doses and the plan, from a random stream of their own (the
    entries above stay exactly as they were before medicines were added).

    Sertraline daily throughout, its dose raised after the first year; lorazepam as
    needed, most often early on; zolpidem as needed for a year; a plan for most sessions,
    a few plans missed.
    """
    rng = random.Random(f"onset-benchmark-medicines:{seed}")
    raised = min(start + timedelta(days=365), end)
    medications: list[dict[str, Any]] = [
        {"name": "sertraline", "class": "antidepressant", "dose_mg": 50.0,
         "schedule": "regular", "times_per_day": 1, "started": start.isoformat(),
         "stopped": (raised - timedelta(days=1)).isoformat(), "note": None},
        {"name": "sertraline", "class": "antidepressant", "dose_mg": 100.0,
         "schedule": "regular", "times_per_day": 1, "started": raised.isoformat(),
         "stopped": None, "note": None},
        {"name": "lorazepam", "class": "benzodiazepine", "dose_mg": 1.0,
         "schedule": "as_needed", "times_per_day": None, "started": start.isoformat(),
         "stopped": None, "note": "for panic"},
    ]  # fmt: skip
    zolpidem = None
    if (end - start).days > 2 * 365:
        first = start + timedelta(days=365)
        zolpidem = (first, first + timedelta(days=364))
        medications.append(
            {
                "name": "zolpidem",
                "class": "z_drug",
                "dose_mg": 5.0,
                "schedule": "as_needed",
                "times_per_day": None,
                "started": first.isoformat(),
                "stopped": zolpidem[1].isoformat(),
                "note": None,
            }
        )
    doses: list[dict[str, Any]] = []
    day = start
    while day <= end:
        early = (day - start).days < 180
        if rng.random() < (0.3 if early else 0.12):
            at = datetime.combine(day, time(21, 0)) + timedelta(minutes=rng.randint(0, 120))
            doses.append({"at": _at(at), "medication": "lorazepam", "dose_mg": 1.0, "note": None})
        if zolpidem and zolpidem[0] <= day <= zolpidem[1] and rng.random() < 0.2:
            at = datetime.combine(day, time(23, 0)) + timedelta(minutes=rng.randint(0, 50))
            doses.append({"at": _at(at), "medication": "zolpidem", "dose_mg": 5.0, "note": None})
        day += timedelta(days=1)
    plans = []
    for session_day in session_days:
        if rng.random() < 0.8:
            plans.append({"at": _at(datetime.combine(session_day, time(10, 0))),
                          "route": "iv", "note": None, "dismissed": False})  # fmt: skip
        if rng.random() < 0.05:  # a plan with no session that day
            missed = session_day + timedelta(days=3)
            if missed <= end and missed not in session_days:
                plans.append({"at": _at(datetime.combine(missed, time(10, 0))),
                              "route": "iv", "note": None,
                              "dismissed": rng.random() < 0.5})  # fmt: skip
    return {"medications": medications, "medication_doses": doses, "planned_sessions": plans}


def write_journal(
    path: Path, years: int, seed: int = DEFAULT_SEED, end: date = DEFAULT_END
) -> dict[str, int]:
    """Write the document to `path`; return how many entries of each section it holds."""
    document = make_journal(years, seed, end)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return {k: len(v) for k, v in document.items() if isinstance(v, list)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, required=True, help="how many years of journaling")
    parser.add_argument("--out", type=Path, required=True, help="the JSON file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--end", type=date.fromisoformat, default=DEFAULT_END, help="last day (YYYY-MM-DD)"
    )
    args = parser.parse_args(argv)
    if args.years < 1:
        parser.error("--years must be at least 1")
    counts = write_journal(args.out, args.years, args.seed, args.end)
    print(f"wrote {args.out}: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
