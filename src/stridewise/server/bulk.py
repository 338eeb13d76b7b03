"""Bulk plan assignment from the roster: a coach or clinician chooses one plan template (goal,
days, minutes: what the athlete's own "make a plan" takes) and applies it to several athletes.

Nothing here decides. For each athlete chosen, the one policy (:func:`policy.can`, through
:func:`stridewise.server.app.decide`, which writes the audit row of a plan edit in the same
transaction) says whether this person may change that athlete's plan, and the core's
:meth:`Core.make_plan` makes it through that athlete's own guards (screening, permitted
impact, pain and falls rules, age) or refuses with its plain reason. The result page lists,
per athlete, the plan made or the refusal in those words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from stridewise.core.validation import bounds
from stridewise.plan import PlanUnavailableError
from stridewise.present.plan_view import GOAL_WORDS, active_plan_view
from stridewise.server import accounts
from stridewise.server.app import client_address, decide, refusal_page
from stridewise.server.pages import _who, templates
from stridewise.server.policy import Action
from stridewise.store import Store
from stridewise.web.deps import MAX_DB_ID
from stridewise.web.today_plan import DEFAULT_MINUTES, DEFAULT_WEEKDAYS, WEEKDAY_NAMES

#: What the person sees when the policy refuses (its reasons are for the logs): 404 says
#: nothing about whether the athlete exists.
REFUSAL_WORDS = {
    404: "Not changed: this athlete does not share their data with you.",
    403: "Not changed: this athlete shares their pages with you, but not changes to their "
         "plan. They can give that on their Account page.",
    401: "Not changed: please sign in again.",
}
ROUTE = "POST /roster/plans"


@dataclass(frozen=True)
class Outcome:
    """One athlete's line on the result page."""

    label: str
    made: bool
    words: str
    notes: tuple[str, ...] = ()
    athlete_id: int | None = None  # set when the plan was made: a link to it


def _athlete_ids(values: list[str]) -> list[int]:
    """The ids chosen, in order, once each; anything that is not an id is left out."""
    ids: list[int] = []
    for value in values:
        if value.isdecimal() and 1 <= int(value) <= MAX_DB_ID and int(value) not in ids:
            ids.append(int(value))
    return ids


def create_bulk_router(dashboard: FastAPI, store: Store) -> APIRouter:
    router = APIRouter()

    def choices(request: Request) -> list[tuple[int, str, str]]:
        """(athlete id, email, scope) of the athletes sharing with this person, by email."""
        who = _who(request)
        if who.actor is None:
            return []
        with store.transaction() as tx:
            granted = accounts.athletes_granted_to(tx.session, who.actor.user_id)
        return sorted(granted, key=lambda g: g[1])

    def refusal(request: Request) -> Response | None:
        """The page is for a signed-in browser (as the account pages: tokens are for the
        API); which athletes may be changed is the policy's, asked per athlete."""
        who = _who(request)
        if who.actor is None:
            return RedirectResponse("/login?next=/roster/plans", status_code=303)
        if who.actor.token_scopes is not None:
            return refusal_page(request, 403)
        return None

    def form_page(request: Request, status_code: int = 200, **context: Any) -> Response:
        who = _who(request)
        context.setdefault("chosen", [])
        context.setdefault("goal", GOAL_WORDS[0][0])
        context.setdefault("weekdays_chosen", list(DEFAULT_WEEKDAYS))
        context.setdefault("minutes", DEFAULT_MINUTES)
        return templates.TemplateResponse(request, "bulk_plan.html", {
            "user": who.user, "title": "A plan for several athletes", "active": "roster",
            "athletes": choices(request), "goals": GOAL_WORDS, "weekdays": WEEKDAY_NAMES,
            "minutes_limits": bounds("plan_minutes_per_day"),
            "access_words": {"view": "read-only", "plan_edit": "plan edit",
                             "clinical": "clinical"}, **context}, status_code=status_code)

    @router.get("/roster/plans", response_class=HTMLResponse)
    def bulk_plan_form(request: Request) -> Response:
        return refusal(request) or form_page(request)

    @router.post("/roster/plans", response_class=HTMLResponse)
    async def bulk_plan_apply(request: Request) -> Response:
        refused = refusal(request)
        if refused is not None:
            return refused
        form = await request.form()
        chosen = _athlete_ids([str(v) for v in form.getlist("athlete")])
        goal = str(form.get("goal") or GOAL_WORDS[0][0])
        weekdays = [int(str(v)) for v in form.getlist("weekday") if str(v).isdecimal()]
        if not weekdays:
            weekdays = list(DEFAULT_WEEKDAYS)  # as the athlete's own Plan form
        minutes_raw = str(form.get("minutes_per_day") or DEFAULT_MINUTES)
        minutes = int(minutes_raw) if minutes_raw.isdecimal() else 0
        kept: dict[str, Any] = {"chosen": chosen, "goal": goal,
                                "weekdays_chosen": weekdays, "minutes": minutes_raw}
        if not chosen:
            return form_page(request, status_code=422,
                             error="Please choose at least one athlete.", **kept)
        # The core's work (and the database's) runs off the event loop.
        outcomes = await run_in_threadpool(apply_plan, request, chosen, goal, weekdays,
                                           minutes)
        return form_page(request, outcomes=outcomes, **kept)

    def apply_plan(request: Request, chosen: list[int], goal: str, weekdays: list[int],
                   minutes: int) -> list[Outcome]:
        who = _who(request)
        names = {athlete_id: email for athlete_id, email, _ in choices(request)}
        core = dashboard.state.core
        outcomes = []
        for athlete_id in chosen:
            label = names.get(athlete_id, f"Athlete {athlete_id}")
            decision = decide(store, who, Action.PLAN_EDIT, athlete_id, ROUTE,
                              client_address(request.scope))
            if not decision.allowed:
                outcomes.append(Outcome(label, False, REFUSAL_WORDS.get(
                    decision.status, REFUSAL_WORDS[404])))
                continue
            try:
                core.make_plan(core.context(athlete_id), goal, weekdays, minutes)
            except PlanUnavailableError as unavailable:
                outcomes.append(Outcome(label, False, f"Not made: {unavailable.reason}"))
                continue
            except ValueError as invalid:  # core.validation.InvalidValue among them
                outcomes.append(Outcome(label, False, f"Not made: {invalid}"))
                continue
            plan = active_plan_view(store, athlete_id)
            outcomes.append(Outcome(
                label, True, f"Made: {plan.goal_words if plan else 'a new plan'}.",
                plan.notes if plan else (), athlete_id))
        return outcomes

    return router
