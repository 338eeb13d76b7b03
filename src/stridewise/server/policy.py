"""Who may do what to whose data: the one authorisation module of the multi-user server.

Every request to an athlete's pages or API is classified into an :class:`Action` by its route
name (:func:`action_of`) and then decided by :func:`can` before any core call; no page or API
route checks permissions itself. The rules (a small explicit module rather than pycasbin: there
are five roles and four scopes, and reading the whole policy here is the point):

* An athlete does everything to their own data.
* A coach or clinician sees an athlete only through an unrevoked ``care_grant`` from that
  athlete: ``view`` (pages, load, pain reports, the plan), ``plan_edit`` (view, and change the
  plan), ``clinical`` (clinicians only: view, plus screening answers, the doctor summary and
  the brain-health questionnaires).
* Nobody else writes an athlete's own records (check-ins, sessions, screening, imports,
  profile): those stay the athlete's words.
* An admin or the owner manages accounts but reads no health data without a grant.
* A personal API token acts for its owner within its scopes: ``read`` for views, ``write``
  for changes; accounts are never managed with a token.
* Refusals say nothing they should not: 401 when nobody is signed in, 404 when the athlete is
  not one the person may see (whether they exist is private), 403 when they may see the
  athlete but not do this, or when a token lacks the scope.

Every allowed access of another person's data is audited (``Decision.audit``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from stridewise.server import accounts


class Action(StrEnum):
    PUBLIC = "public"            # no athlete's data (static files, evidence pages, API schema)
    VIEW = "view"                # read an athlete's pages and data
    CLINICAL = "clinical"        # read screening answers, doctor summary, brain questionnaires
    PLAN_EDIT = "plan_edit"      # change the athlete's plan
    OWN_WRITE = "own_write"      # the athlete's own records: only they write them
    MANAGE_ACCOUNTS = "manage_accounts"


#: Route name -> action. A route missing here is treated as OWN_WRITE (only the athlete), so
#: a new page is private until someone decides otherwise.
ROUTE_ACTIONS: dict[str, Action] = {
    **dict.fromkeys(("openapi", "plotly_js", "api_docs", "static", "evidence_page",
                     "evidence_section", "list_evidence"), Action.PUBLIC),
    **dict.fromkeys((
        "home", "get_profile", "list_activities", "get_activity", "get_activity_stream",
        "get_series", "get_weekly", "list_checkins", "get_checkin", "list_sessions",
        "get_session", "today_page", "plan_page", "plan_ics", "plan_fit", "api_today",
        "api_plan", "activities_page", "activity_page", "trends_page"), Action.VIEW),
    **dict.fromkeys(("list_screenings", "get_screening", "onboarding_result", "doctor_summary",
                     "brain_page", "api_brain"), Action.CLINICAL),
    **dict.fromkeys(("plan_create", "plan_adapt", "plan_mark", "api_mark", "api_adapt"),
                    Action.PLAN_EDIT),
}
#: Scopes of a care grant that allow each action on someone else's data.
GRANT_ALLOWS: dict[Action, frozenset[str]] = {
    Action.VIEW: frozenset({"view", "plan_edit", "clinical"}),
    Action.PLAN_EDIT: frozenset({"plan_edit"}),
    Action.CLINICAL: frozenset({"clinical"}),
}
#: The API-token scope each action needs.
TOKEN_SCOPE_FOR: dict[Action, str] = {
    Action.VIEW: "read", Action.CLINICAL: "read", Action.PLAN_EDIT: "write",
    Action.OWN_WRITE: "write",
}
CARE_ROLES = frozenset({"coach", "clinician"})
ACCOUNT_ROLES = frozenset({"admin", "owner"})


def action_of(route_name: str | None) -> Action:
    return ROUTE_ACTIONS.get(route_name or "", Action.OWN_WRITE)


@dataclass(frozen=True)
class Actor:
    """Who is asking: the account, and the scopes of the API token used (None: a browser
    session, which carries every right of the account)."""

    user_id: int
    role: str
    athlete_id: int | None
    token_scopes: frozenset[str] | None = None


@dataclass(frozen=True)
class Decision:
    allowed: bool
    status: int          # 200 when allowed; else 401, 403 or 404
    reason: str          # for the audit and the logs; the person sees only a generic detail
    audit: bool = False  # an allowed access of someone else's data: record it


def _deny(status: int, reason: str) -> Decision:
    return Decision(False, status, reason)


def can(session: Session, actor: Actor | None, action: Action,
        athlete_id: int | None = None) -> Decision:
    """May ``actor`` do ``action`` to ``athlete_id``'s data (None: to no athlete's data)?"""
    early = _without_grant(actor, action, athlete_id)
    if early is not None:
        return early
    assert actor is not None and athlete_id is not None  # else decided above
    scope = (accounts.active_scope(session, athlete_id, actor.user_id)
             if actor.role in CARE_ROLES else None)
    return _by_grant(actor, action, scope)


def can_each(session: Session, actor: Actor | None, action: Action,
             athlete_ids: Sequence[int]) -> dict[int, Decision]:
    """:func:`can` for several athletes (a roster), the same rules, with every grant read
    in one query."""
    decisions: dict[int, Decision] = {}
    pending = []
    for athlete_id in athlete_ids:
        early = _without_grant(actor, action, athlete_id)
        if early is not None:
            decisions[athlete_id] = early
        else:
            pending.append(athlete_id)
    if pending:
        assert actor is not None
        scopes = (accounts.active_scopes(session, pending, actor.user_id)
                  if actor.role in CARE_ROLES else {})
        for athlete_id in pending:
            decisions[athlete_id] = _by_grant(actor, action, scopes.get(athlete_id))
    return decisions


def _without_grant(actor: Actor | None, action: Action,
                   athlete_id: int | None) -> Decision | None:
    """The decision when no grant needs reading, else None."""
    if action is Action.PUBLIC:
        return Decision(True, 200, "public")
    if actor is None:
        return _deny(401, "not signed in")
    if actor.token_scopes is not None:
        needed = TOKEN_SCOPE_FOR.get(action)
        if needed is None or needed not in actor.token_scopes:
            return _deny(403, f"token lacks the {needed or 'account'} scope")
    if action is Action.MANAGE_ACCOUNTS:
        return (Decision(True, 200, "account manager") if actor.role in ACCOUNT_ROLES
                else _deny(403, "not an admin"))
    if athlete_id is None:
        return _deny(404, "no athlete")
    if actor.athlete_id == athlete_id:
        return Decision(True, 200, "own data")
    return None


def _by_grant(actor: Actor, action: Action, scope: str | None) -> Decision:
    """The decision from the scope of the grant the actor holds (None: no grant)."""
    if scope is None:
        return _deny(404, "no grant")
    if scope == "clinical" and actor.role != "clinician":
        return _deny(404, "clinical grant held by a non-clinician")
    if scope not in GRANT_ALLOWS.get(action, frozenset()):
        return _deny(403, f"{scope} grant does not allow {action}")
    return Decision(True, 200, f"{scope} grant", audit=True)
