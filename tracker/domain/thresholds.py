"""Every clinical threshold the journal applies, in one place.

Sources are those of shared/clinical-reference.md; the PDF summary prints these values
and their definitions so a provider can see exactly what was applied.
"""

from __future__ import annotations

from fractions import Fraction

# -- change over treatment ----------------------------------------------------------------

# Response: the total fell by at least this fraction of the baseline.
RESPONSE_REDUCTION = Fraction(1, 2)
# Remission: the latest total is below this (GAD-7 and PHQ-9 alike).
REMISSION_BELOW = 5
# Response and remission are judged only from a baseline at or above this cut-point (the
# usual cut-point for further evaluation, both instruments); below it they do not apply.
JUDGED_FROM_BASELINE = 10
# Minimal clinically important difference, as a reduction in points.
# GAD-7: Toussaint A et al., J Affect Disord 2020;265:395–401.
# PHQ-9: Löwe B et al., Med Care 2004;42:1194–1201.
MCID_POINTS = {"GAD-7": 4, "PHQ-9": 5}

# -- relief after a session (tracker/domain/onset.py) ----------------------------------------

# Relief: an anxiety rating (0–10) at least this fraction below the pre-session level P,
# that is at or below the limit L = P × (1 − RELIEF_FRACTION).
RELIEF_FRACTION = Fraction(3, 10)
# A pre-session level below this is too low for a 30% fall to be told from noise.
RELIEF_MIN_PRE_LEVEL = 3
# Without `anxiety_before`: the last check-in this many hours before the start…
PRE_LEVEL_LAST_HOURS = 24
# …else the mean of the check-ins this many hours before it.
PRE_LEVEL_MEAN_HOURS = 72
# Ratings count after the session's end until the next session starts or this many days
# after this one started, whichever is first.
RELIEF_WINDOW_DAYS = 14
# Relief at 24 hours: the rating nearest this many hours after the start…
RELIEF_AT_HOURS = 24
# …among those this many hours after it (both ends included).
RELIEF_AT_FROM_HOURS = 12
RELIEF_AT_TO_HOURS = 48
# Relief is lost at a rating above the limit followed by another one above it: this many
# in a row (or at the last rating in the window).
RELIEF_LOST_AFTER_RATINGS = 2
# Across sessions, relief held "until the median day" when the estimated share of
# sessions still in relief falls to this (Kaplan–Meier).
MEDIAN_SHARE = Fraction(1, 2)
# The first series: sessions from the first one while each starts within this many
# calendar days of the previous one; the later ones are boosters.
FIRST_SERIES_GAP_DAYS = 7

DEFINITIONS = {
    "baseline": (
        "Baseline: the last assessment taken before the first treatment session started; "
        "when there is none, the earliest assessment (and this is said)."
    ),
    "response": (
        f"Response: total reduced by at least {int(RESPONSE_REDUCTION * 100)}% from baseline; "
        f"judged only from a baseline of {JUDGED_FROM_BASELINE} or more."
    ),
    "remission": (
        f"Remission: latest total below {REMISSION_BELOW}; judged only from a baseline of "
        f"{JUDGED_FROM_BASELINE} or more."
    ),
    "mcid": (
        "Minimal clinically important difference: a reduction of at least "
        + ", ".join(f"{points} points ({name})" for name, points in MCID_POINTS.items())
        + "."
    ),
}

ONSET_DEFINITIONS = {
    "pre_level": (
        "Pre-session level P: the session's own 'anxiety right before'; else the last "
        f"check-in in the {PRE_LEVEL_LAST_HOURS} h before the start; else the mean of the "
        f"check-ins in the {PRE_LEVEL_MEAN_HOURS} h before it. A session with P below "
        f"{RELIEF_MIN_PRE_LEVEL}, or none, is not analysed."
    ),
    "relief": (
        f"Relief: an anxiety rating at least {int(RELIEF_FRACTION * 100)}% below P "
        f"(at or below P × {float(1 - RELIEF_FRACTION):.2f})."
    ),
    "acute": (
        "Acute effect: 'anxiety right after', rated in the clinic while the drug still acts; "
        "shown on its own and not used for the figures below."
    ),
    "window": (
        "Ratings counted: check-ins after the session's end, before the next session or "
        f"{RELIEF_WINDOW_DAYS} days after the start, whichever is first. Times are real "
        "elapsed time in the journal's time zone."
    ),
    "time_to_relief": (
        "Time to relief: hours from the start to the first relief rating; the median is "
        "over the sessions with relief."
    ),
    "relief_at_24h": (
        f"Relief at {RELIEF_AT_HOURS} h: the rating nearest to {RELIEF_AT_HOURS} h after the "
        f"start among those {RELIEF_AT_FROM_HOURS}–{RELIEF_AT_TO_HOURS} h after it (on a "
        "tie, the earlier)."
    ),
    "held_until": (
        "Held until: relief is lost at the first rating above the limit that is followed by "
        "another one above it, or that is the last rating counted; one bad evening does not "
        "end it. A session still in relief when its ratings end is shown as '≥ N days' "
        "(censored). The median day is the Kaplan–Meier estimate over the sessions with "
        "relief, counting censored sessions as censored."
    ),
    "series": (
        "First series: the sessions from the first one while each starts within "
        f"{FIRST_SERIES_GAP_DAYS} days of the one before; later sessions are boosters."
    ),
}
