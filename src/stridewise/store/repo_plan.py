"""Screenings, plans, planned sessions and plan changes (used by the plan and screening work).

Every method takes the athlete id. Planned sessions and plan changes belong to the athlete
through their plan, so their reads join the plan and filter on its owner; another athlete's
row is answered exactly as a missing one (None, or the same ``LookupError``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from stridewise.store import models as m


class PlanRepo:
    session: Session

    # -- screening ------------------------------------------------------------------------------
    def add_screening(
        self,
        athlete_id: int,
        answers: dict[str, Any],
        result: dict[str, Any],
        taken_at_utc: datetime | None = None,
    ) -> m.Screening:
        row = m.Screening(athlete_id=athlete_id, answers=answers, result=result)
        if taken_at_utc is not None:
            row.taken_at_utc = taken_at_utc
        self.session.add(row)
        self.session.flush()
        return row

    # -- brain-health answers (issue 14) --------------------------------------------------------
    def add_brain_answers(self, athlete_id: int, answers: dict[str, Any],
                          taken_at_utc: datetime | None = None) -> m.BrainAnswers:
        row = m.BrainAnswers(athlete_id=athlete_id, answers=answers)
        if taken_at_utc is not None:
            row.taken_at_utc = taken_at_utc
        self.session.add(row)
        self.session.flush()
        return row

    def latest_brain_answers(self, athlete_id: int) -> m.BrainAnswers | None:
        q = (select(m.BrainAnswers).where(m.BrainAnswers.athlete_id == athlete_id)
             .order_by(m.BrainAnswers.taken_at_utc.desc(), m.BrainAnswers.id.desc()).limit(1))
        return self.session.scalars(q).first()

    def get_screening(self, athlete_id: int, screening_id: int) -> m.Screening | None:
        """The athlete's screening (which the doctor summary is made from); None when missing
        or another athlete's."""
        q = select(m.Screening).where(
            m.Screening.id == screening_id, m.Screening.athlete_id == athlete_id
        )
        return self.session.scalar(q)

    def list_screenings(self, athlete_id: int) -> list[m.Screening]:
        q = select(m.Screening).where(m.Screening.athlete_id == athlete_id)
        return list(self.session.scalars(q.order_by(m.Screening.taken_at_utc, m.Screening.id)))

    # -- plans ------------------------------------------------------------------------------------
    def add_plan(
        self, athlete_id: int, goal: str, params: dict[str, Any], *, active: bool = True
    ) -> m.Plan:
        """A new plan; making it active deactivates the athlete's other plans."""
        if active:
            self.session.execute(
                update(m.Plan).where(m.Plan.athlete_id == athlete_id).values(active=False)
            )
        row = m.Plan(athlete_id=athlete_id, goal=goal, params=params, active=active)
        self.session.add(row)
        self.session.flush()
        return row

    def get_plan(self, athlete_id: int, plan_id: int) -> m.Plan | None:
        """The athlete's plan; None when missing or another athlete's."""
        q = select(m.Plan).where(m.Plan.id == plan_id, m.Plan.athlete_id == athlete_id)
        return self.session.scalar(q)

    def _own_plan(self, athlete_id: int, plan_id: int) -> m.Plan:
        """The athlete's plan, else the same ``LookupError`` as for a missing one. (Looked up
        by primary key: usually already in the session, so adding many sessions costs no
        query each.)"""
        plan = self.session.get(m.Plan, plan_id)
        if plan is None or plan.athlete_id != athlete_id:
            raise LookupError(f"no plan with id {plan_id}")
        return plan

    def list_plans(self, athlete_id: int) -> list[m.Plan]:
        q = select(m.Plan).where(m.Plan.athlete_id == athlete_id)
        return list(self.session.scalars(q.order_by(m.Plan.id)))

    def active_plan(self, athlete_id: int) -> m.Plan | None:
        q = select(m.Plan).where(m.Plan.athlete_id == athlete_id, m.Plan.active.is_(True))
        return self.session.scalar(q.order_by(m.Plan.id.desc()).limit(1))

    # -- planned sessions -------------------------------------------------------------------------
    def add_planned_session(
        self,
        athlete_id: int,
        plan_id: int,
        on: date,
        kind: str,
        *,
        slot: int = 0,
        duration_s: float | None = None,
        distance_m: float | None = None,
        details: dict[str, Any] | None = None,
        status: str = "planned",
        reason: str | None = None,
    ) -> m.PlannedSession:
        _check_status(status)
        self._own_plan(athlete_id, plan_id)
        row = m.PlannedSession(
            plan_id=plan_id, date=on, slot=slot, kind=kind, duration_s=duration_s,
            distance_m=distance_m, details=details or {}, status=status, reason=reason,
        )
        self.session.add(row)
        self.session.flush()
        return row

    def get_planned_session(
        self, athlete_id: int, planned_session_id: int
    ) -> m.PlannedSession | None:
        """The planned session, if it is in one of the athlete's plans; else None."""
        q = (
            select(m.PlannedSession)
            .join(m.Plan, m.Plan.id == m.PlannedSession.plan_id)
            .where(m.PlannedSession.id == planned_session_id, m.Plan.athlete_id == athlete_id)
        )
        return self.session.scalar(q)

    def list_planned_sessions(
        self, athlete_id: int, plan_id: int, since: date | None = None, until: date | None = None
    ) -> list[m.PlannedSession]:
        """The sessions of the athlete's plan ``plan_id`` (none for another athlete's plan)."""
        q = (
            select(m.PlannedSession)
            .join(m.Plan, m.Plan.id == m.PlannedSession.plan_id)
            .where(m.PlannedSession.plan_id == plan_id, m.Plan.athlete_id == athlete_id)
        )
        if since is not None:
            q = q.where(m.PlannedSession.date >= since)
        if until is not None:
            q = q.where(m.PlannedSession.date < until)
        order = (m.PlannedSession.date, m.PlannedSession.slot, m.PlannedSession.id)
        return list(self.session.scalars(q.order_by(*order)))

    def set_planned_status(
        self, athlete_id: int, planned_session_id: int, status: str, reason: str | None = None
    ) -> m.PlannedSession:
        _check_status(status)
        row = self.get_planned_session(athlete_id, planned_session_id)
        if row is None:
            raise LookupError(f"no planned session with id {planned_session_id}")
        row.status = status
        row.reason = reason
        self.session.flush()
        return row

    # -- plan changes -----------------------------------------------------------------------------
    def add_plan_change(
        self, athlete_id: int, plan_id: int, reason: str, details: dict[str, Any] | None = None
    ) -> m.PlanChange:
        self._own_plan(athlete_id, plan_id)
        row = m.PlanChange(plan_id=plan_id, reason=reason, details=details or {})
        self.session.add(row)
        self.session.flush()
        return row

    def list_plan_changes(self, athlete_id: int, plan_id: int) -> list[m.PlanChange]:
        """The changes of the athlete's plan ``plan_id`` (none for another athlete's plan)."""
        q = (
            select(m.PlanChange)
            .join(m.Plan, m.Plan.id == m.PlanChange.plan_id)
            .where(m.PlanChange.plan_id == plan_id, m.Plan.athlete_id == athlete_id)
        )
        return list(self.session.scalars(q.order_by(m.PlanChange.at_utc, m.PlanChange.id)))


def _check_status(status: str) -> None:
    if status not in m.PLANNED_STATUSES:
        raise ValueError(f"status must be one of {', '.join(m.PLANNED_STATUSES)}, got {status!r}")
