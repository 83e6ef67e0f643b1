"""The journal's schema as an ordered list of steps.

Each step runs together with its `PRAGMA user_version` bump in one transaction, so a
journal is always exactly at one version. CHECK constraints mirror the domain's rules,
so not even a buggy caller can store a value the import would refuse.
"""

from __future__ import annotations

# 'ONST': marks a SQLite file as an Onset journal (PRAGMA application_id).
APPLICATION_ID = 0x4F4E5354

_TIME = "GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'"


def _scale(column: str, low: int = 0, high: int = 10) -> str:
    return (
        f"{column} INTEGER CHECK ({column} IS NULL OR "
        f"(typeof({column}) = 'integer' AND {column} BETWEEN {low} AND {high}))"
    )


def _bp(prefix: str) -> str:
    s, d = f"{prefix}_systolic", f"{prefix}_diastolic"
    return f"{_scale(s, 50, 300)},\n    {_scale(d, 20, 200)}"


def _bp_pair(prefix: str) -> str:
    s, d = f"{prefix}_systolic", f"{prefix}_diastolic"
    return f"CHECK (({s} IS NULL) = ({d} IS NULL) AND ({s} IS NULL OR {s} > {d}))"


V1 = f"""
CREATE TABLE checkins (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    sort_at TEXT NOT NULL CHECK (sort_at {_TIME}),
    anxiety INTEGER NOT NULL CHECK (typeof(anxiety) = 'integer' AND anxiety BETWEEN 0 AND 10),
    {_scale("mood")},
    sleep_hours REAL CHECK (sleep_hours IS NULL OR sleep_hours BETWEEN 0 AND 24),
    note TEXT,
    fingerprint TEXT NOT NULL
);
CREATE INDEX checkins_by_time ON checkins (sort_at);
CREATE INDEX checkins_by_fingerprint ON checkins (fingerprint);

CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    instrument TEXT NOT NULL CHECK (length(instrument) BETWEEN 1 AND 40),
    at TEXT NOT NULL,
    sort_at TEXT NOT NULL CHECK (sort_at {_TIME}),
    answers TEXT NOT NULL CHECK (json_valid(answers) AND json_type(answers) = 'array'),
    difficulty INTEGER CHECK (difficulty IS NULL OR difficulty BETWEEN 0 AND 3),
    total INTEGER NOT NULL CHECK (total >= 0),
    fingerprint TEXT NOT NULL
);
CREATE INDEX assessments_by_time ON assessments (sort_at);
CREATE INDEX assessments_by_fingerprint ON assessments (fingerprint);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    sort_at TEXT NOT NULL UNIQUE CHECK (sort_at {_TIME}),
    route TEXT NOT NULL CHECK (route IN
        ('iv', 'im', 'subcutaneous', 'intranasal', 'oral', 'sublingual', 'other')),
    dose_mg REAL CHECK (dose_mg IS NULL OR (dose_mg > 0 AND dose_mg <= 1000)),
    dose_mg_per_kg REAL CHECK (dose_mg_per_kg IS NULL OR
        (dose_mg_per_kg > 0 AND dose_mg_per_kg <= 5)),
    weight_kg REAL CHECK (weight_kg IS NULL OR weight_kg BETWEEN 20 AND 400),
    {_scale("duration_min", 0, 1440)},
    {_bp("bp_before")},
    {_bp("bp_after")},
    {_scale("heart_rate_before", 20, 250)},
    {_scale("heart_rate_after", 20, 250)},
    {_scale("anxiety_before")},
    {_scale("anxiety_after")},
    {_scale("dissociation")},
    clinic TEXT,
    notes TEXT,
    fingerprint TEXT NOT NULL,
    {_bp_pair("bp_before")},
    {_bp_pair("bp_after")}
);
CREATE INDEX sessions_by_fingerprint ON sessions (fingerprint);

CREATE TABLE side_effects (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    sort_at TEXT NOT NULL CHECK (sort_at {_TIME}),
    effect TEXT NOT NULL CHECK (length(effect) BETWEEN 1 AND 100),
    severity TEXT NOT NULL CHECK (severity IN ('mild', 'moderate', 'severe')),
    {_scale("duration_min", 0, 43200)},
    session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
    note TEXT,
    fingerprint TEXT NOT NULL
);
CREATE INDEX side_effects_by_time ON side_effects (sort_at);
CREATE INDEX side_effects_by_session ON side_effects (session_id);
CREATE INDEX side_effects_by_fingerprint ON side_effects (fingerprint);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

_DAY = "GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
_CLASSES = (
    "'benzodiazepine', 'z_drug', 'stimulant', 'maoi', 'lamotrigine', 'naltrexone', "
    "'antidepressant', 'antipsychotic', 'lithium', 'opioid', 'other'"
)
_ROUTES = "'iv', 'im', 'subcutaneous', 'intranasal', 'oral', 'sublingual', 'other'"
_IN_RANGE = "BETWEEN '1900-01-01' AND '2100-12-31T23:59:59'"


def _dose(column: str) -> str:
    return f"{column} REAL CHECK ({column} IS NULL OR ({column} > 0 AND {column} <= 10000))"


def _name(column: str) -> str:
    return f"{column} TEXT NOT NULL CHECK (length(trim({column})) BETWEEN 1 AND 100)"


# Version 2: the clinic's per-session record, other medicines and their doses, the plan.
# Added columns can carry only column checks; they may name the row's other columns.
V2 = f"""
ALTER TABLE sessions ADD COLUMN devices INTEGER CHECK (devices IS NULL OR
    (typeof(devices) = 'integer' AND devices BETWEEN 1 AND 3 AND route = 'intranasal'));
ALTER TABLE sessions ADD COLUMN {_scale("bp_mid_systolic", 50, 300)};
ALTER TABLE sessions ADD COLUMN bp_mid_diastolic INTEGER CHECK (
    (bp_mid_diastolic IS NULL AND bp_mid_systolic IS NULL) OR
    (typeof(bp_mid_diastolic) = 'integer' AND bp_mid_diastolic BETWEEN 20 AND 200
     AND bp_mid_systolic > bp_mid_diastolic));
ALTER TABLE sessions ADD COLUMN bp_mid_min INTEGER CHECK (bp_mid_min IS NULL OR
    (typeof(bp_mid_min) = 'integer' AND bp_mid_min BETWEEN 1 AND 240
     AND bp_mid_systolic IS NOT NULL));
ALTER TABLE sessions ADD COLUMN {_scale("sleepiness")};
ALTER TABLE sessions ADD COLUMN {_scale("ready_after_min", 0, 600)};
ALTER TABLE sessions ADD COLUMN intention TEXT;

CREATE TABLE medications (
    id INTEGER PRIMARY KEY,
    {_name("name")},
    name_key TEXT NOT NULL CHECK (length(name_key) >= 1),
    class TEXT NOT NULL CHECK (class IN ({_CLASSES})),
    {_dose("dose_mg")},
    schedule TEXT NOT NULL CHECK (schedule IN ('regular', 'as_needed')),
    times_per_day INTEGER CHECK (times_per_day IS NULL OR (typeof(times_per_day) = 'integer'
        AND times_per_day BETWEEN 1 AND 24 AND schedule = 'regular')),
    started TEXT NOT NULL CHECK (started {_DAY} AND started {_IN_RANGE}),
    stopped TEXT CHECK (stopped IS NULL OR
        (stopped {_DAY} AND stopped {_IN_RANGE} AND stopped >= started)),
    sort_at TEXT NOT NULL CHECK (sort_at = started || 'T00:00:00'),
    note TEXT,
    fingerprint TEXT NOT NULL
);
CREATE INDEX medications_by_name ON medications (name_key, started);
CREATE INDEX medications_by_fingerprint ON medications (fingerprint);

-- Two periods of one medicine never share a day (a dose must belong to one of them).
CREATE TRIGGER medications_periods_apart_on_insert BEFORE INSERT ON medications
WHEN EXISTS (SELECT 1 FROM medications m WHERE m.name_key = NEW.name_key
    AND m.started <= coalesce(NEW.stopped, '9999-12-31')
    AND NEW.started <= coalesce(m.stopped, '9999-12-31'))
BEGIN
    SELECT RAISE(ABORT, 'medication periods overlap');
END;
CREATE TRIGGER medications_periods_apart_on_update BEFORE UPDATE ON medications
WHEN EXISTS (SELECT 1 FROM medications m WHERE m.name_key = NEW.name_key AND m.id != OLD.id
    AND m.started <= coalesce(NEW.stopped, '9999-12-31')
    AND NEW.started <= coalesce(m.stopped, '9999-12-31'))
BEGIN
    SELECT RAISE(ABORT, 'medication periods overlap');
END;

CREATE TABLE medication_doses (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    sort_at TEXT NOT NULL CHECK (sort_at {_TIME} AND sort_at {_IN_RANGE}),
    {_name("medication")},
    medication_key TEXT NOT NULL CHECK (length(medication_key) >= 1),
    {_dose("dose_mg")},
    note TEXT,
    fingerprint TEXT NOT NULL
);
CREATE INDEX medication_doses_by_time ON medication_doses (sort_at);
CREATE INDEX medication_doses_by_medication ON medication_doses (medication_key, sort_at);
CREATE INDEX medication_doses_by_fingerprint ON medication_doses (fingerprint);

CREATE TABLE planned_sessions (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    sort_at TEXT NOT NULL CHECK (sort_at {_TIME} AND sort_at {_IN_RANGE}),
    route TEXT NOT NULL CHECK (route IN ({_ROUTES})),
    note TEXT,
    dismissed INTEGER NOT NULL DEFAULT 0 CHECK (dismissed IN (0, 1)),
    fingerprint TEXT NOT NULL
);
CREATE INDEX planned_sessions_by_time ON planned_sessions (sort_at);
CREATE INDEX planned_sessions_by_fingerprint ON planned_sessions (fingerprint);
"""


def _level(column: str) -> str:
    return f"{column} TEXT NOT NULL CHECK ({column} IN ('none', 'mild', 'moderate', 'severe'))"


_PROMPT = "IN ('what_came_up', 'still_with_you', 'feels_different')"

# Reflections, the follow-up check, and the reflection prompts the patient dismissed.
# A reflection and a dismissal name their session by its time (the session's sort_at):
# deleting the session leaves the text in place and undoing the delete links it again,
# and a session moved to another time takes its reflections and dismissals along.
BETWEEN_SESSIONS = f"""
CREATE TABLE reflections (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    sort_at TEXT NOT NULL CHECK (sort_at {_TIME}),
    session_key TEXT CHECK (session_key IS NULL OR session_key {_TIME}),
    prompt TEXT CHECK (prompt IS NULL OR prompt {_PROMPT}),
    text TEXT NOT NULL CHECK (length(trim(text)) > 0),
    fingerprint TEXT NOT NULL,
    CHECK (prompt IS NULL OR session_key IS NOT NULL)
);
CREATE INDEX reflections_by_time ON reflections (sort_at);
CREATE INDEX reflections_by_session ON reflections (session_key);
CREATE INDEX reflections_by_fingerprint ON reflections (fingerprint);

CREATE TABLE followups (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    sort_at TEXT NOT NULL CHECK (sort_at {_TIME}),
    {_level("bladder_pain")},
    {_level("urgency")},
    {_level("frequency")},
    {_level("blood_in_urine")},
    {_level("memory")},
    {_level("concentration")},
    {_level("craving")},
    {_level("use_outside_treatment")},
    note TEXT,
    fingerprint TEXT NOT NULL
);
CREATE INDEX followups_by_time ON followups (sort_at);
CREATE INDEX followups_by_fingerprint ON followups (fingerprint);

CREATE TABLE dismissed_prompts (
    session_key TEXT NOT NULL CHECK (session_key {_TIME}),
    prompt TEXT NOT NULL CHECK (prompt {_PROMPT}),
    dismissed_at TEXT NOT NULL,
    PRIMARY KEY (session_key, prompt)
);

CREATE TRIGGER sessions_take_their_reflections AFTER UPDATE OF sort_at ON sessions
WHEN OLD.sort_at <> NEW.sort_at
BEGIN
    UPDATE reflections SET session_key = NEW.sort_at WHERE session_key = OLD.sort_at;
    DELETE FROM dismissed_prompts WHERE session_key = NEW.sort_at;
    UPDATE dismissed_prompts SET session_key = NEW.sort_at WHERE session_key = OLD.sort_at;
END;
"""

# MIGRATIONS[n - 1] takes a journal from version n - 1 to version n.
MIGRATIONS: list[str] = [V1, V2, BETWEEN_SESSIONS]
SCHEMA_VERSION = len(MIGRATIONS)
