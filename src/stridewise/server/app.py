"""The multi-user server: a gate in front of the local dashboard's pages and API.

For every request the gate (1) finds who is asking (the session cookie, or an API token in
``Authorization: Bearer``), (2) finds whose data it is about (``/a/{athlete_id}/...`` for a
coach or clinician viewing someone; else the person's own), (3) classifies the route and asks
:func:`stridewise.server.policy.can`, (4) appends an audit row when the data is someone
else's, and only then (5) hands the request to :func:`stridewise.web.create_app`'s app with the
athlete set for that request (:data:`stridewise.web.deps.ATHLETE_SCOPE_KEY`). Pages and API
routes keep no permission checks of their own.

Sessions, throttling counters and grants live in the database, so several processes serving
one PostgreSQL database behave as one; nothing about a person is kept in process memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Receive, Scope, Send

from stridewise.core.app import Core
from stridewise.server import accounts, policy
from stridewise.server.policy import Action, Actor
from stridewise.store import Store
from stridewise.store import models_server as ms
from stridewise.web.deps import ATHLETE_SCOPE_KEY, CONTEXT_SCOPE_KEY, MAX_DB_ID

SESSION_COOKIE = "stridewise_session"
#: Where the gate leaves the signed-in account (an ``AppUser``) and the ``Actor``.
USER_SCOPE_KEY = "stridewise.user"
ACTOR_SCOPE_KEY = "stridewise.actor"
#: Paths served by the server's own pages (sign-in, account, roster, admin).
SERVER_PREFIXES: tuple[str, ...] = ("/login", "/logout", "/invite/", "/reset/", "/account",
                                    "/roster", "/admin")
ATHLETE_PREFIX = re.compile(r"^/a/(\d{1,19})(/.*)?$")


@dataclass(frozen=True)
class Who:
    user: ms.AppUser | None
    actor: Actor | None
    bad_credentials: bool = False


def _flat_routes(routes: Sequence[Any]) -> Iterator[BaseRoute]:
    for route in routes:
        original = getattr(route, "original_router", None)
        if original is not None:
            yield from _flat_routes(original.routes)
        elif isinstance(route, BaseRoute):
            yield route


def route_table(app: FastAPI) -> list[BaseRoute]:
    """Every route of the dashboard app, flattened (included routers opened)."""
    return list(_flat_routes(app.router.routes))


def route_name(routes: Sequence[BaseRoute], path: str, method: str) -> str | None:
    """The name of the route that serves ``method path`` (or serves ``path`` with another
    method: the app will say 405), else None."""
    probe = {"type": "http", "path": path, "root_path": "", "method": method,
             "headers": [], "query_string": b""}
    partial = None
    for route in routes:
        match, _ = route.matches(probe)
        if match is Match.FULL:
            return str(getattr(route, "name", "") or "")
        if match is Match.PARTIAL and partial is None:
            partial = str(getattr(route, "name", "") or "")
    return partial


def _cookie(headers: Headers, name: str) -> str | None:
    raw = headers.get("cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed Cookie header is no session
        return None
    morsel = jar.get(name)
    return morsel.value if morsel is not None else None


def client_address(scope: Scope) -> str:
    """The client's address as uvicorn gives it: a forwarded address only when the request
    came through a trusted proxy (``serve --trusted-proxy``)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def identify(store: Store, scope: Scope) -> Who:
    """Who sent this request: an API token (``Authorization: Bearer``) or a session cookie."""
    with store.transaction() as tx:
        return _identify_in(tx.session, scope)


def _identify_in(session: Any, scope: Scope) -> Who:
    headers = Headers(scope=scope)
    auth = headers.get("authorization", "")
    if auth:
        kind, _, secret = auth.partition(" ")
        found = (accounts.token_user(session, secret.strip())
                 if kind.lower() == "bearer" and secret.strip() else None)
        if found is None:
            return Who(None, None, bad_credentials=True)
        user, scopes = found
        return Who(user, Actor(user.id, user.role, user.athlete_id, scopes))
    cookie = _cookie(headers, SESSION_COOKIE)
    signed_in = accounts.session_user(session, cookie) if cookie else None
    if signed_in is None:
        return Who(None, None)
    return Who(signed_in, Actor(signed_in.id, signed_in.role, signed_in.athlete_id))


@dataclass(frozen=True)
class Admission:
    """What the gate learnt of a request in one transaction: who asks, whose data it is,
    and the policy's decision (None when no decision is to be taken: a public route, bad
    credentials, or someone without data of their own who is sent elsewhere)."""

    who: Who
    athlete_id: int | None
    decision: policy.Decision | None
    #: The athlete's stored time zone when the decision allowed the request (else None).
    zone_name: str | None = None


def admit(store: Store, scope: Scope, action: Action, chosen_id: int | None, chosen: bool,
          sends_elsewhere: Callable[[Who], bool], route: str, address: str) -> Admission:
    """:func:`identify` and :func:`decide` in one transaction (one connection, one commit):
    the two happen on every request, and each transaction costs a round trip or more."""
    with store.transaction() as tx:
        who = _identify_in(tx.session, scope)
        athlete_id = chosen_id if chosen else (who.actor.athlete_id if who.actor else None)
        if action is Action.PUBLIC or who.bad_credentials or sends_elsewhere(who):
            return Admission(who, athlete_id, None)
        decision = _decide_in(tx.session, who, action, athlete_id, route, address)
        athlete = (tx.get_athlete(athlete_id) if decision.allowed and athlete_id is not None
                   else None)
        return Admission(who, athlete_id, decision,
                         athlete.time_zone if athlete is not None else None)


def _decide_in(session: Any, who: Who, action: Action, athlete_id: int | None, route: str,
               address: str) -> policy.Decision:
    decision = policy.can(session, who.actor, action, athlete_id)
    if decision.allowed and decision.audit and who.actor is not None:
        # The gate's transaction writes no health data (a change is made and committed
        # later, by the page, and its commit flushes this row to disk with it).
        accounts.audit_may_lag(session)
        accounts.record(session, who.actor.user_id, athlete_id, str(action), route, address)
    return decision


def decide(store: Store, who: Who, action: Action, athlete_id: int | None,
           route: str, address: str) -> policy.Decision:
    """The policy's decision, with the audit row written in the same transaction."""
    with store.transaction() as tx:
        return _decide_in(tx.session, who, action, athlete_id, route, address)


def decide_each_in(session: Any, who: Who, action: Action, athlete_ids: Sequence[int],
                   route: str, address: str) -> dict[int, policy.Decision]:
    """:func:`decide` for several athletes (a roster) in the caller's transaction: the same
    policy and audit rows, every grant read in one query."""
    decisions = policy.can_each(session, who.actor, action, athlete_ids)
    if any(d.allowed and d.audit for d in decisions.values()):
        accounts.audit_may_lag(session)  # the roster's transaction writes no health data
    for athlete_id, decision in decisions.items():
        if decision.allowed and decision.audit and who.actor is not None:
            accounts.record(session, who.actor.user_id, athlete_id, str(action), route,
                            address)
    return decisions


def _wants_html(scope: Scope, path: str) -> bool:
    return scope["method"] in ("GET", "HEAD") and _is_browser(scope, path)


def _is_browser(scope: Scope, path: str) -> bool:
    """A person's browser asking for a page (any method), not a script asking the API (also
    under ``/a/{athlete_id}/api/``)."""
    chosen = ATHLETE_PREFIX.match(path)
    rest = (chosen.group(2) or "/") if chosen else path
    return not rest.startswith("/api/") and "text/html" in Headers(scope=scope).get("accept", "")


def refusal_page(request: Request, status: int, path: str = "/") -> Response:
    """The small, plain page a browser sees for a refusal: a sign-in link for 401; for 403
    and 404 "not shared with you", the same words whether or not the athlete exists."""
    from stridewise.server.pages import templates

    return templates.TemplateResponse(request, "refused.html", {
        "status": status, "title": "Please sign in" if status == 401 else "Not shared with you",
        "user": request.scope.get(USER_SCOPE_KEY),
        "sign_in": f"/login?next={quote(path, safe='/')}",
    }, status_code=status, headers={REFUSED_HEADER: "1"})


#: Set on the gate's refusals (the same for a missing and a hidden athlete: it leaks nothing),
#: so a test tells the policy's refusal from a page's own 404 or 422.
REFUSED_HEADER = "X-Stridewise-Refused"
REFUSALS = {401: "Please sign in.", 403: "You do not have access to this.",
            404: "No such page."}


class Gate:
    """ASGI app: server pages for their paths; every other request decided by the policy and
    passed to the dashboard for the athlete chosen."""

    def __init__(self, dashboard: FastAPI, pages: ASGIApp, store: Store) -> None:
        self.dashboard = dashboard
        self.pages = pages
        self.store = store
        self.routes = route_table(dashboard)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.dashboard(scope, receive, send)
            return
        path: str = scope["path"]
        server_page = path.startswith(SERVER_PREFIXES)
        chosen = ATHLETE_PREFIX.match(path)
        rest = (chosen.group(2) or "/") if chosen else path
        name = route_name(self.routes, rest, scope["method"])
        action = policy.action_of(name)
        if action is Action.PUBLIC and not server_page and not chosen \
                and name not in ("evidence_page", "evidence_section"):
            # Static files and the API schema: nobody's data, no need to know who asks.
            await self.dashboard(scope, receive, send)
            return
        if server_page:
            who = await run_in_threadpool(identify, self.store, scope)
            scope = {**scope, USER_SCOPE_KEY: who.user, ACTOR_SCOPE_KEY: who.actor}
            await self.pages(scope, receive, send)
            return
        chosen_id: int | None = None
        if chosen:
            chosen_id = int(chosen.group(1))
            if not 1 <= chosen_id <= MAX_DB_ID:
                chosen_id = None

        def sends_elsewhere(who: Who) -> bool:
            # A coach, clinician or admin without running data of their own.
            return (who.actor is not None and who.actor.athlete_id is None and not chosen
                    and (name == "home" or _wants_html(scope, path)))

        admission = await run_in_threadpool(
            admit, self.store, scope, action, chosen_id, chosen is not None, sends_elsewhere,
            f"{scope['method']} {path}", client_address(scope))
        who, athlete_id = admission.who, admission.athlete_id
        scope = {**scope, USER_SCOPE_KEY: who.user, ACTOR_SCOPE_KEY: who.actor}
        if chosen:
            scope["root_path"] = scope.get("root_path", "") + f"/a/{chosen.group(1)}"
        if action is not Action.PUBLIC:
            if who.bad_credentials:
                await self._refuse(scope, receive, send, 401, path)
                return
            if sends_elsewhere(who):
                target = "/roster" if who.actor is not None \
                    and who.actor.role in policy.CARE_ROLES else "/account"
                await RedirectResponse(target, status_code=303)(scope, receive, send)
                return
            decision = admission.decision
            assert decision is not None
            if not decision.allowed:
                await self._refuse(scope, receive, send, decision.status, path)
                return
            scope[ATHLETE_SCOPE_KEY] = athlete_id
            if athlete_id is not None and admission.zone_name is not None:
                scope[CONTEXT_SCOPE_KEY] = Core.context_in(athlete_id, admission.zone_name)
        await self.dashboard(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, status: int,
                      path: str) -> None:
        response: Response
        if status == 401 and _wants_html(scope, path):
            response = RedirectResponse(f"/login?next={quote(path, safe='/')}",
                                        status_code=303)
        elif _is_browser(scope, path):
            response = refusal_page(Request(scope, receive), status, path)
        else:
            headers = {REFUSED_HEADER: "1"}
            if status == 401:
                headers["WWW-Authenticate"] = "Bearer"
            response = JSONResponse({"detail": REFUSALS[status]}, status_code=status,
                                    headers=headers)
        await response(scope, receive, send)


def create_server_app(store_url: str, *, public_url: str | None = None,
                      allowed_hosts: Sequence[str] = ()) -> ASGIApp:
    """The multi-user server for the database at ``store_url`` (migrated here): the
    dashboard's pages and API behind the gate, plus sign-in, account, roster and admin
    pages. ``public_url`` (e.g. ``https://run.example``) is allowed as Host and Origin and,
    when https, makes the session cookie Secure."""
    from stridewise.server.bulk import create_bulk_router
    from stridewise.server.pages import create_pages
    from stridewise.web import create_app

    public_urls = [public_url] if public_url else []
    dashboard = create_app(store_url, allowed_hosts=allowed_hosts, public_urls=public_urls)
    # No default athlete: a request reaches a page only with the athlete the gate chose.
    dashboard.state.athlete_id = None
    dashboard.state.multi_user = True
    store: Store = dashboard.state.store
    pages = create_pages(dashboard, store, public_url=public_url,
                         allowed_hosts=allowed_hosts)
    pages.include_router(create_bulk_router(dashboard, store))
    return Gate(dashboard, pages, store)
