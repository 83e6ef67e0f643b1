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
