"""Training plans: goals, the pure progression engine, guards, adaptation, today, exports.

``build_plan(PlanInputs) -> Plan`` is the core; it reads nothing but its arguments.
"""

from stridewise.plan.engine import PlanGuardError, build_plan
from stridewise.plan.inputs import PlanInputs, PlanUnavailableError, ScreeningFacts
from stridewise.plan.model import Availability, Goal, PastSession, Plan, PlannedSession, Profile

__all__ = [
    "Availability", "Goal", "PastSession", "Plan", "PlanGuardError", "PlanInputs",
    "PlanUnavailableError", "PlannedSession", "Profile", "ScreeningFacts", "build_plan",
]
