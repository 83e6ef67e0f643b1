"""Every clinical threshold the journal applies, in one place.

Sources are those of shared/clinical-reference.md; the PDF summary prints these values
and their definitions so a provider can see exactly what was applied.
"""

from __future__ import annotations

from fractions import Fraction

# Response: the total fell by at least this fraction of a baseline above zero.
RESPONSE_REDUCTION = Fraction(1, 2)
# Remission: the latest total is below this (GAD-7 and PHQ-9 alike).
REMISSION_BELOW = 5
# Minimal clinically important difference, as a reduction in points.
# GAD-7: Toussaint A et al., J Affect Disord 2020;265:395–401.
# PHQ-9: Löwe B et al., Med Care 2004;42:1194–1201.
MCID_POINTS = {"GAD-7": 4, "PHQ-9": 5}

# Onset and durability of relief after a session (tracker/domain/onset.py).
# Relief: an anxiety rating (0–10) at least this fraction below the pre-session level.
RELIEF_FRACTION = Fraction(3, 10)
# Ratings count from the session's start until the next session or this many days.
RELIEF_WINDOW_DAYS = 14
# A pre-session level below this is too low for a 30% fall to be told from noise.
RELIEF_MIN_PRE_LEVEL = 3
# Without `anxiety_before`: the last check-in this many hours before the session…
PRE_LEVEL_LAST_HOURS = 24
# …else the mean of the check-ins this many hours before it.
PRE_LEVEL_MEAN_HOURS = 72

DEFINITIONS = {
    "baseline": (
        "Baseline: the last assessment taken before the first treatment session started; "
        "when there is none, the earliest assessment (and this is said)."
    ),
    "response": "Response: total reduced by at least 50% from a baseline above 0.",
    "remission": f"Remission: latest total below {REMISSION_BELOW}.",
    "mcid": (
        "Minimal clinically important difference: a reduction of at least "
        + ", ".join(f"{points} points ({name})" for name, points in MCID_POINTS.items())
        + "."
    ),
}

ONSET_DEFINITIONS = {
    "pre_level": (
        "Pre-session level: the session's own 'anxiety before' rating; else the last check-in "
        f"in the {PRE_LEVEL_LAST_HOURS} h before it; else the mean of the check-ins in the "
        f"{PRE_LEVEL_MEAN_HOURS} h before it. Below {RELIEF_MIN_PRE_LEVEL} the session is "
        "not analysed."
    ),
    "relief": (
        f"Relief: an anxiety rating at least {int(RELIEF_FRACTION * 100)}% below the "
        "pre-session level, counted from the session's start until the next session or "
        f"{RELIEF_WINDOW_DAYS} days."
    ),
    "durability": (
        "Relief ended: the first later rating that is no longer relief; when relief lasts to "
        "the last rating of the window it is open-ended (counted at that rating)."
    ),
}
