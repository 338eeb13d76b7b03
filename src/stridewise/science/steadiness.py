"""Apple Walking Steadiness: when the phone says it is low, a gentle prompt to answer the falls
questions again and to talk to a doctor. Never a falls-risk classification of its own.

What it is. iPhone (iOS 15+) estimates walking steadiness from its motion sensors while it is
carried near the waist (walking speed, step length, double support time, asymmetry), as a
percentage, and files it in Apple Health as ``HKQuantityTypeIdentifierAppleWalkingSteadiness``
(a fraction with unit ``%`` in ``export.xml``). Apple classifies the value as **OK**, **Low**
or **Very Low** (HealthKit ``HKAppleWalkingSteadinessClassification``;
https://developer.apple.com/documentation/healthkit/hkapplewalkingsteadinessclassification),
and describes Low as a gait "below normal" and Very Low as "considerably below normal"
(``HKCategoryValueAppleWalkingSteadinessEvent``); Apple presents a lower class as a higher
risk of falling over the next 12 months (Apple, *Measuring Walking Quality Through iPhone
Mobility Metrics*, May 2021, on the mobility metrics; the steadiness model was built by Apple
on the Apple Heart and Movement Study, over 100,000 participants; the 12-month horizon is as
secondary sources report Apple's Health app).

Boundaries. Apple's documentation gives the boundaries only through HealthKit functions
(``HKAppleWalkingSteadinessMinimumQuantityForClassification``), not as printed numbers; the
Health app's ranges, as commonly reported and used by apps that mirror them, are
**Very Low below 20 %, Low from 20 % to below 40 %, OK from 40 %**.

Evidence grade: **[S]** for the boundaries (secondary sources: Apple's classification names are
primary, its numeric cut-offs reach us only through software that mirrors them); the link to
falls is Apple's own validation, not independently replicated: **[S]**. That is why stridewise
uses it only to suggest answering the screening's falls questions again (the STEADI and World
Falls Guidelines questions of :mod:`stridewise.science.falls`, which set the plan), never to
change the falls risk or the plan by itself.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

#: Below this Apple calls walking steadiness Very Low (percent). Grade [S].
VERY_LOW_STEADINESS_PCT = 20.0
#: Below this (and from 20 %) Apple calls walking steadiness Low (percent). Grade [S].
LOW_STEADINESS_PCT = 40.0

#: A reading older than this is not acted on: Apple updates steadiness about weekly, so four
#: weeks without one means the phone has stopped measuring it [U: our choice].
STEADINESS_RECENT_D = 28

OK, LOW, VERY_LOW = "ok", "low", "very_low"


def steadiness_class(pct: npt.ArrayLike) -> npt.NDArray[np.str_]:
    """Apple's class of each walking steadiness percentage: ``ok``, ``low``, ``very_low``
    (NaN: ``""``, not measured). Vectorised."""
    value = np.asarray(pct, dtype=np.float64)
    out = np.where(value < VERY_LOW_STEADINESS_PCT, VERY_LOW,
                   np.where(value < LOW_STEADINESS_PCT, LOW, OK))
    return np.where(np.isfinite(value), out, "")


def steadiness_text(level: str, pct: float, when: str) -> str | None:
    """The one sentence for a Low or Very Low reading on ``when`` (words, e.g. "12 March");
    None when steadiness is OK. Kind, specific, no diagnosis, and says when to see a doctor."""
    if level not in (LOW, VERY_LOW):
        return None
    words = "very low" if level == VERY_LOW else "low"
    doctor = ("Please talk to your doctor soon about your balance and walking."
              if level == VERY_LOW else
              "It is worth mentioning to your doctor at your next visit.")
    return (f"Your iPhone rated your walking steadiness {words} ({pct:.0f}% on {when}). It is "
            "not a diagnosis, but it can go with a higher chance of falling. Please answer the "
            "falls questions of the screening again (stridewise screen, or the Start page), so "
            f"your plan fits how steady you feel now. {doctor}")
