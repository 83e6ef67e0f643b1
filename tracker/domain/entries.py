"""The four kinds of journal entry and every rule that decides whether one can be kept.

The rules live in one table (`FIELDS`) that both the JSON import and the GUI forms go
through, so a value the import refuses is refused by the forms too, with the same words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timedelta
from typing import Any, ClassVar, Literal, TypeVar

from tracker.domain.catalogue import SEVERITIES, effect_problem
from tracker.domain.errors import Problem, ValidationError
from tracker.domain.instruments import instrument, instruments
from tracker.domain.times import format_at, parse_at, type_name

ROUTES = ("iv", "im", "subcutaneous", "intranasal", "oral", "sublingual", "other")
ROUTE_LABELS = {
    "iv": "Intravenous infusion",
    "im": "Intramuscular",
    "subcutaneous": "Subcutaneous",
    "intranasal": "Intranasal (esketamine)",
    "oral": "Oral",
    "sublingual": "Sublingual (lozenge/troche)",
    "other": "Other",
}
MAX_NOTE = 20_000
MAX_CLINIC = 200
# A recorded dose may differ from mg/kg × weight by rounding; beyond this it is a typo.
DOSE_TOLERANCE_MG = 1.0
DOSE_TOLERANCE_FRACTION = 0.05
FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_AHEAD = timedelta(days=1)
# Larger than any field allows by far; a bigger integer is refused before any arithmetic.
_FAR_TOO_LARGE = 10**15


@dataclass(frozen=True)
class Rule:
    """How one field is checked: its type, whether it is required, and its range."""

    kind: Literal["at", "int", "num", "text", "choice", "bp", "answers", "effect", "levels"]
    required: bool = False
    low: float | None = None
    high: float | None = None
    low_exclusive: bool = False
    unit: str = ""
    choices: tuple[str, ...] = ()
    max_len: int = 0


def _scale() -> Rule:
    return Rule("int", low=0, high=10)


CHECKIN_RULES = {
    "at": Rule("at", required=True),
    "anxiety": Rule("int", required=True, low=0, high=10),
    "mood": _scale(),
    "sleep_hours": Rule("num", low=0, high=24, unit=" h"),
    "note": Rule("text", max_len=MAX_NOTE),
}
ASSESSMENT_RULES = {
    "instrument": Rule("choice", required=True),
    "at": Rule("at", required=True),
    "answers": Rule("answers", required=True),
    "difficulty": Rule("int", low=0, high=3),
}
SESSION_RULES = {
    "at": Rule("at", required=True),
    "route": Rule("choice", required=True, choices=ROUTES),
    "dose_mg": Rule("num", low=0, high=1000, low_exclusive=True, unit=" mg"),
    "dose_mg_per_kg": Rule("num", low=0, high=5, low_exclusive=True, unit=" mg/kg"),
    "weight_kg": Rule("num", low=20, high=400, unit=" kg"),
    "duration_min": Rule("int", low=0, high=1440, unit=" min"),
    "bp_before": Rule("bp"),
    "bp_after": Rule("bp"),
    "heart_rate_before": Rule("int", low=20, high=250, unit=" bpm"),
    "heart_rate_after": Rule("int", low=20, high=250, unit=" bpm"),
    "anxiety_before": _scale(),
    "anxiety_after": _scale(),
    "dissociation": _scale(),
    "clinic": Rule("text", max_len=MAX_CLINIC),
    "notes": Rule("text", max_len=MAX_NOTE),
}
SIDE_EFFECT_RULES = {
    "at": Rule("at", required=True),
    "effect": Rule("effect", required=True),
    "severity": Rule("choice", required=True, choices=SEVERITIES),
    "duration_min": Rule("int", low=0, high=43_200, unit=" min"),
    "session_at": Rule("at"),
    "note": Rule("text", max_len=MAX_NOTE),
}
# A "levels" rule: one of these for each question named in the rule's `choices`.
LEVELS = ("none", "mild", "moderate", "severe")
BP_SYSTOLIC = (50, 300)
BP_DIASTOLIC = (20, 200)


def _num_text(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return f"{value:g}"


def _range_problem(rule: Rule, value: float) -> str | None:
    assert rule.low is not None and rule.high is not None
    below = value <= rule.low if rule.low_exclusive else value < rule.low
    if below or value > rule.high:
        if rule.low_exclusive:
            span = f"above {_num_text(rule.low)} and at most {_num_text(rule.high)}{rule.unit}"
            return f"{_num_text(value)}{rule.unit} must be {span}"
        span = f"{_num_text(rule.low)}–{_num_text(rule.high)}{rule.unit}"
        return f"{_num_text(value)}{rule.unit.strip() and rule.unit} is outside {span}"
    return None


def year_problem(at: datetime) -> str | None:
    """Times are kept between 1900 and 2100 (journal-format.md): beyond that a date is a
    typo, and date arithmetic near year 1 or 9999 would fail."""
    if not FIRST_YEAR <= at.year <= LAST_YEAR:
        return f"{format_at(at)} is outside {FIRST_YEAR}–{LAST_YEAR}"
    return None


def future_problems(entry: Entry, now: datetime | None = None) -> list[Problem]:
    """An entry more than a day after `now` (local wall clock) is refused on import."""
    limit = (now or datetime.now()).replace(tzinfo=None) + MAX_AHEAD
    at = entry.at_value.replace(tzinfo=None)
    if at > limit:
        return [Problem("at", f"{format_at(entry.at_value)} is more than a day in the future")]
    return []


def _bp_problems(value: tuple[int, int]) -> list[str]:
    systolic, diastolic = value
    out = []
    if not BP_SYSTOLIC[0] <= systolic <= BP_SYSTOLIC[1]:
        out.append(f"systolic {systolic} is outside {BP_SYSTOLIC[0]}–{BP_SYSTOLIC[1]}")
    if not BP_DIASTOLIC[0] <= diastolic <= BP_DIASTOLIC[1]:
        out.append(f"diastolic {diastolic} is outside {BP_DIASTOLIC[0]}–{BP_DIASTOLIC[1]}")
    if not out and systolic <= diastolic:
        out.append(f"systolic {systolic} must be above diastolic {diastolic}")
    return out


def _coerce(rule: Rule, raw: Any) -> tuple[Any, str | None]:
    """Turn a JSON value into the field's Python value, or say why it cannot be."""
    if rule.kind == "at":
        try:
            return parse_at(raw), None
        except ValueError as exc:
            return None, str(exc)
    if rule.kind in ("int", "num") and type(raw) is int and abs(raw) > _FAR_TOO_LARGE:
        # Beyond every range here, and too large even to become a float for the message.
        return None, "is far too large a number"
    if rule.kind == "int":
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            return None, f"must be a whole number, not {type_name(raw)}"
        if isinstance(raw, float):
            if not math.isfinite(raw) or not raw.is_integer():
                return None, f"must be a whole number, not {raw!r}"
            raw = int(raw)
        return raw, None
    if rule.kind == "num":
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            return None, f"must be a number, not {type_name(raw)}"
        if not math.isfinite(raw):
            return None, "must be a finite number"
        return float(raw), None
    if rule.kind in ("text", "choice", "effect"):
        if not isinstance(raw, str):
            return None, f"must be text, not {type_name(raw)}"
        if not raw.isascii():
            try:
                raw.encode("utf-8")  # a lone surrogate (from a JSON "\ud800") cannot be stored
            except UnicodeEncodeError:
                return None, "contains a broken character (a lone surrogate)"
        return raw, None
    if rule.kind == "bp":
        if (
            not isinstance(raw, list | tuple)
            or len(raw) != 2
            or any(isinstance(v, bool) or not isinstance(v, int) for v in raw)
        ):
            return None, "must be [systolic, diastolic], two whole numbers in mmHg"
        return (int(raw[0]), int(raw[1])), None
    if rule.kind == "answers":
        if not isinstance(raw, list | tuple):
            return None, f"must be a list of item answers, not {type_name(raw)}"
        if any(isinstance(v, bool) or not isinstance(v, int) for v in raw):
            return None, "every answer must be a whole number"
        return tuple(raw), None
    if rule.kind == "levels":
        return _coerce_levels(rule, raw)
    raise AssertionError(rule.kind)


def _coerce_levels(rule: Rule, raw: Any) -> tuple[Any, str | None]:
    """An object answering each question of `rule.choices` with a level, as a tuple in order."""
    if not isinstance(raw, dict):
        return None, f"must be an object of answers, not {type_name(raw)}"
    wrong = [f"{key!r} is not a question here" for key in raw if key not in rule.choices]
    wrong += [f"{key} is missing" for key in rule.choices if key not in raw]
    for key in rule.choices:
        value = raw.get(key)
        if key in raw and (not isinstance(value, str) or value not in LEVELS):
            shown = repr(value) if isinstance(value, str) else type_name(value)
            wrong.append(f"{key}: {shown} is not one of {', '.join(LEVELS)}")
    if wrong:
        return None, "; ".join(wrong)
    return tuple(raw[key] for key in rule.choices), None


def _value_problems(rules: Mapping[str, Rule], values: Mapping[str, Any]) -> list[Problem]:
    """Range and membership checks on already-typed values (None means absent)."""
    problems: list[Problem] = []
    for name, rule in rules.items():
        value = values.get(name)
        if value is None:
            if rule.required:
                problems.append(Problem(name, "is required"))
            continue
        message: str | None = None
        if rule.kind == "at":
            message = year_problem(value)
        elif rule.kind in ("int", "num"):
            message = _range_problem(rule, value)
        elif rule.kind == "text":
            if len(value) > rule.max_len:
                message = f"is longer than {rule.max_len} characters"
        elif rule.kind == "choice" and rule.choices and value not in rule.choices:
            message = f"{value!r} is not one of {', '.join(rule.choices)}"
        elif rule.kind == "effect":
            message = effect_problem(value)
        elif rule.kind == "bp":
            problems.extend(Problem(name, m) for m in _bp_problems(value))
        elif rule.kind == "levels" and (
            len(value) != len(rule.choices) or any(v not in LEVELS for v in value)
        ):
            levels, count = ", ".join(LEVELS), len(rule.choices)
            message = f"needs one of {levels} for each of the {count} questions"
        if message:
            problems.append(Problem(name, message))
    return problems


E = TypeVar("E", bound="Entry")


@dataclass(frozen=True)
class Entry:
    """Common behaviour of every entry: checking, and the interchange form."""

    KIND: ClassVar[str]
    SECTION: ClassVar[str]
    RULES: ClassVar[Mapping[str, Rule]]

    # Keyword-only so that each kind lists its own fields first; None until stored.
    id: int | None = field(default=None, kw_only=True)

    def values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "id"}

    def problems(self) -> list[Problem]:
        return _value_problems(self.RULES, self.values()) + self.extra_problems()

    def extra_problems(self) -> list[Problem]:
        return []

    def check(self: E) -> E:
        """Return self, or raise ValidationError listing every problem."""
        problems = self.problems()
        if problems:
            raise ValidationError(problems)
        return self

    def with_id(self: E, entry_id: int | None) -> E:
        return replace(self, id=entry_id)

    @property
    def at_value(self) -> datetime:
        return getattr(self, "at")  # noqa: B009 - every entry kind has `at`

    @classmethod
    def from_json(cls: type[E], data: object, place: str = "") -> E:
        """Build an entry from interchange JSON, or raise every problem with its place."""
        if not isinstance(data, dict):
            raise ValidationError([Problem(place, f"must be an object, not {type_name(data)}")])
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for name, rule in cls.RULES.items():
            raw = data.get(name)
            if raw is None:
                values[name] = None
                continue
            value, message = _coerce(rule, raw)
            if message:
                problems.append(Problem(name, message))
                values[name] = _UNREADABLE
            else:
                values[name] = value
        readable = {k: v for k, v in values.items() if v is not _UNREADABLE}
        problems += _value_problems({k: r for k, r in cls.RULES.items() if k in readable}, readable)
        problems += cls._json_problems(data, readable)
        # The cross-field checks run too whenever the core values could be read, so one
        # entry's problems are all listed at once (a field already named is not repeated).
        core_read = all(readable.get(n) is not None for n, r in cls.RULES.items() if r.required)
        entry = cls._build(readable) if core_read else None
        if entry is not None:
            named = {p.place for p in problems}
            problems += [p for p in entry.extra_problems() if p.place not in named]
        if problems or entry is None:
            raise ValidationError(problems).within(place)
        return entry

    @classmethod
    def _build(cls: type[E], values: dict[str, Any]) -> E:
        return cls(id=None, **values)

    @classmethod
    def _json_problems(cls, data: dict[str, Any], values: dict[str, Any]) -> list[Problem]:
        return []

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in self.values().items():
            if isinstance(value, datetime):
                value = format_at(value)
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out


_UNREADABLE = object()


@dataclass(frozen=True)
class Checkin(Entry):
    """A daily check-in: the single-item anxiety rating, mood, sleep and a note."""

    KIND: ClassVar[str] = "checkin"
    SECTION: ClassVar[str] = "checkins"
    RULES: ClassVar[Mapping[str, Rule]] = CHECKIN_RULES

    at: datetime
    anxiety: int
    mood: int | None = None
    sleep_hours: float | None = None
    note: str | None = None


@dataclass(frozen=True)
class Assessment(Entry):
    """A GAD-7 or PHQ-9 questionnaire; total and severity always come from the answers."""

    KIND: ClassVar[str] = "assessment"
    SECTION: ClassVar[str] = "assessments"
    RULES: ClassVar[Mapping[str, Rule]] = ASSESSMENT_RULES

    instrument: str
    at: datetime
    answers: tuple[int, ...]
    difficulty: int | None = None

    @property
    def total(self) -> int:
        return instrument(self.instrument).score(self.answers)

    @property
    def severity(self) -> str:
        return instrument(self.instrument).severity(self.total)

    def extra_problems(self) -> list[Problem]:
        if self.instrument not in instruments():
            known = ", ".join(instruments())
            return [Problem("instrument", f"{self.instrument!r} is not one of {known}")]
        definition = instrument(self.instrument)
        problems = []
        if len(self.answers) != len(definition.items):
            problems.append(
                Problem(
                    "answers",
                    f"{self.instrument} has {len(definition.items)} items, "
                    f"got {len(self.answers)} answers",
                )
            )
        top = definition.max_answer
        for index, answer in enumerate(self.answers):
            if not 0 <= answer <= top:
                problems.append(Problem(f"answers[{index}]", f"{answer} is outside 0–{top}"))
        return problems

    @classmethod
    def _json_problems(cls, data: dict[str, Any], values: dict[str, Any]) -> list[Problem]:
        # The written total and severity must agree with what the answers add up to.
        name, answers = values.get("instrument"), values.get("answers")
        if name not in instruments() or answers is None:
            return []
        definition = instrument(name)
        try:
            total = definition.score(list(answers))
        except ValueError:
            return []
        problems = []
        written_total = data.get("total")
        if written_total is not None and written_total != total:
            problems.append(
                Problem("total", f"says {written_total!r} but the answers add up to {total}")
            )
        written_severity = data.get("severity")
        if written_severity is not None and written_severity != definition.severity(total):
            problems.append(
                Problem(
                    "severity",
                    f"says {written_severity!r} but a total of {total} is "
                    f"{definition.severity(total)!r}",
                )
            )
        return problems

    def to_json(self) -> dict[str, Any]:
        out = {
            "instrument": self.instrument,
            "at": format_at(self.at),
            "answers": list(self.answers),
            "difficulty": self.difficulty,
        }
        out["total"] = self.total
        out["severity"] = self.severity
        return out


@dataclass(frozen=True)
class TreatmentSession(Entry):
    """One ketamine treatment session as the patient logged it."""

    KIND: ClassVar[str] = "session"
    SECTION: ClassVar[str] = "sessions"
    RULES: ClassVar[Mapping[str, Rule]] = SESSION_RULES

    at: datetime
    route: str
    dose_mg: float | None = None
    dose_mg_per_kg: float | None = None
    weight_kg: float | None = None
    duration_min: int | None = None
    bp_before: tuple[int, int] | None = None
    bp_after: tuple[int, int] | None = None
    heart_rate_before: int | None = None
    heart_rate_after: int | None = None
    anxiety_before: int | None = None
    anxiety_after: int | None = None
    dissociation: int | None = None
    clinic: str | None = None
    notes: str | None = None

    @property
    def effective_dose_mg(self) -> float | None:
        """The dose in mg as entered, else derived from mg/kg and weight."""
        if self.dose_mg is not None:
            return self.dose_mg
        if self.dose_mg_per_kg is not None and self.weight_kg is not None:
            return round(self.dose_mg_per_kg * self.weight_kg, 2)
        return None

    @property
    def effective_dose_mg_per_kg(self) -> float | None:
        """The dose in mg/kg as entered, else derived from mg and weight."""
        if self.dose_mg_per_kg is not None:
            return self.dose_mg_per_kg
        if self.dose_mg is not None and self.weight_kg:
            return round(self.dose_mg / self.weight_kg, 3)
        return None

    def extra_problems(self) -> list[Problem]:
        mg, per_kg, weight = self.dose_mg, self.dose_mg_per_kg, self.weight_kg
        if mg is None or per_kg is None or weight is None:
            return []
        expected = per_kg * weight
        if abs(mg - expected) > max(DOSE_TOLERANCE_MG, DOSE_TOLERANCE_FRACTION * expected):
            return [
                Problem(
                    "dose_mg",
                    f"{_num_text(mg)} mg does not match {_num_text(per_kg)} mg/kg × "
                    f"{_num_text(weight)} kg = {_num_text(round(expected, 1))} mg",
                )
            ]
        return []

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        out["dose_mg"] = self.effective_dose_mg
        out["dose_mg_per_kg"] = self.effective_dose_mg_per_kg
        # A derived value outside what may be entered (300 mg oral at 55 kg is 5.45 mg/kg)
        # is left out, so that every export imports back.
        for name in ("dose_mg", "dose_mg_per_kg"):
            if out[name] is not None and _range_problem(SESSION_RULES[name], out[name]):
                out[name] = getattr(self, name)
        return out


@dataclass(frozen=True)
class SideEffect(Entry):
    """A side effect with its severity, optionally linked to the session it followed."""

    KIND: ClassVar[str] = "side_effect"
    SECTION: ClassVar[str] = "side_effects"
    RULES: ClassVar[Mapping[str, Rule]] = SIDE_EFFECT_RULES

    at: datetime
    effect: str
    severity: str
    duration_min: int | None = None
    session_at: datetime | None = None
    note: str | None = None


ENTRY_TYPES: tuple[type[Entry], ...] = (Checkin, Assessment, TreatmentSession, SideEffect)
BY_KIND: dict[str, type[Entry]] = {t.KIND: t for t in ENTRY_TYPES}
BY_SECTION: dict[str, type[Entry]] = {t.SECTION: t for t in ENTRY_TYPES}
