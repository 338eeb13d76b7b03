"""The server's own pages: sign in and out, accept an invitation, use a reset link, the
account page (grants, research use, the audit of one's data, tokens, password, invitations,
and for admins the accounts), the roster of a coach or clinician, and the audit export.

Who may do what here is the policy's (``policy.can``); these handlers parse forms and render.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from stridewise.server import accounts, policy
from stridewise.server import mail as mailing
from stridewise.server.app import (
    ACTOR_SCOPE_KEY,
    SESSION_COOKIE,
    USER_SCOPE_KEY,
    Who,
    client_address,
    decide_each_in,
    refusal_page,
)
from stridewise.server.policy import Action
from stridewise.store import Store
from stridewise.store import models_server as ms
from stridewise.web import security
from stridewise.web.deps import existing_id
from stridewise.web.render import cached_url_for

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals["url_for"] = cached_url_for
templates.env.globals["csrf_input"] = security.csrf_input

SCOPE_WORDS = {"view": "See my pages, load, pain reports and plan",
               "plan_edit": "See, and change my plan",
               "clinical": "See, plus screening answers and the doctor summary (clinicians)"}
#: Tones of the core's warnings, most urgent first; "see a doctor" ranks with a stop.
TONE_RANK = {"stop": 0, "warn": 1, "info": 2}
NOTHING_RANK = 3


def _who(request: Request) -> Who:
    return Who(request.scope.get(USER_SCOPE_KEY), request.scope.get(ACTOR_SCOPE_KEY))


def _safe_next(target: str) -> str:
    """Only a path on this server (never ``//other.example``)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def create_pages(dashboard: FastAPI, store: Store, *, public_url: str | None,
                 allowed_hosts: Any = ()) -> FastAPI:
    # The server's own forms (sign-in, grants, tokens, passwords, admin) carry the same CSRF
    # token as the dashboard's: the middleware leaves form posts to this dependency.
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=security.csrf_dependencies())
    secure_cookie = bool(public_url and public_url.lower().startswith("https://"))
    # Invitation and reset links are also mailed when SMTP is configured (MailSettingsError,
    # at start-up, for a setting that cannot work).
    mail_settings = mailing.MailSettings.from_env()
    public_urls = [public_url] if public_url else []

    def render(request: Request, template: str, status_code: int = 200,
               **context: Any) -> HTMLResponse:
        context.setdefault("user", _who(request).user)
        return templates.TemplateResponse(request, template, context, status_code=status_code)

    def set_session(response: Response, request: Request, secret: str) -> None:
        response.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="lax",
                            secure=secure_cookie or request.url.scheme == "https",
                            max_age=int(accounts.SESSION_LIFETIME.total_seconds()), path="/")

    def signed_in(request: Request) -> ms.AppUser | None:
        """The account of a browser session (API tokens do not manage accounts)."""
        who = _who(request)
        if who.actor is None or who.actor.token_scopes is not None:
            return None
        return who.user

    def refuse(request: Request) -> Response:
        who = _who(request)
        if who.actor is None:
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        return refusal_page(request, 403)

    # -- signing in ----------------------------------------------------------------------
    @app.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, next: str = "/") -> Response:
        return render(request, "login.html", title="Sign in", next=_safe_next(next), email="")

    @app.post("/login", response_class=HTMLResponse)
    async def login(request: Request) -> Response:
        form = await request.form()
        email, password = str(form.get("email") or ""), str(form.get("password") or "")
        target = _safe_next(str(form.get("next") or "/"))
        address = client_address(request.scope)

        def sign_in() -> tuple[str, accounts.AccountError | None]:
            with store.write_transaction() as tx:
                try:
                    user = accounts.authenticate(tx.session, email, password, address)
                    return accounts.start_session(tx.session, user), None
                except accounts.AccountError as error:
                    # Failed attempts are committed: they count for throttling.
                    return "", error

        # argon2 takes ~50 ms of CPU on purpose: off the event loop, so one sign-in does not
        # hold up every other request of this process.
        secret, failure = await run_in_threadpool(sign_in)
        if failure is not None:
            return render(request, "login.html", status_code=failure.status, title="Sign in",
                          next=target, email=email[:254], error=str(failure), user=None)
        response = RedirectResponse(target, status_code=303)
        set_session(response, request, secret)
        return response

    @app.post("/logout")
    def logout(request: Request) -> Response:
        secret = request.cookies.get(SESSION_COOKIE)
        if secret:
            with store.write_transaction() as tx:
                accounts.end_session(tx.session, secret)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    # -- single-use links ------------------------------------------------------------------
    def link_page(request: Request, secret: str, purpose: str) -> Response:
        title = "Join stridewise" if purpose == "invitation" else "Set a new password"
        try:
            with store.transaction() as tx:
                link = accounts.open_link(tx.session, secret, purpose)
        except accounts.AccountError as error:
            return render(request, "set_password.html", status_code=404, title=title,
                          link=None, error=str(error))
        return render(request, "set_password.html", title=title, link=link,
                      min_length=accounts.MIN_PASSWORD_LENGTH,
                      button="Create my account" if purpose == "invitation" else "Save")

    async def use_link(request: Request, secret: str, purpose: str) -> Response:
        form = await request.form()
        password = str(form.get("password") or "")

        def set_password() -> tuple[ms.AppUser, str]:
            with store.write_transaction() as tx:
                user = (accounts.accept_invitation(tx.session, secret, password)
                        if purpose == "invitation" else
                        accounts.use_reset(tx.session, secret, password))
                return user, accounts.start_session(tx.session, user)

        try:
            user, session_secret = await run_in_threadpool(set_password)  # argon2: off the loop
        except accounts.AccountError as error:
            if error.status == 404:
                return render(request, "set_password.html", status_code=404, title="Link",
                              link=None, error=str(error))
            with store.transaction() as tx:
                link = accounts.open_link(tx.session, secret, purpose)
            return render(request, "set_password.html", status_code=error.status,
                          title="Choose a password", link=link, error=str(error),
                          min_length=accounts.MIN_PASSWORD_LENGTH, button="Try again")
        response = RedirectResponse("/account" if user.athlete_id is None else "/today",
                                    status_code=303)
        set_session(response, request, session_secret)
        return response

    @app.get("/invite/{secret}", response_class=HTMLResponse)
    def invite_page(request: Request, secret: str) -> Response:
        return link_page(request, secret, "invitation")

    @app.post("/invite/{secret}")
    async def invite_accept(request: Request, secret: str) -> Response:
        return await use_link(request, secret, "invitation")

    @app.get("/reset/{secret}", response_class=HTMLResponse)
    def reset_page(request: Request, secret: str) -> Response:
        return link_page(request, secret, "reset")

    @app.post("/reset/{secret}")
    async def reset_use(request: Request, secret: str) -> Response:
        return await use_link(request, secret, "reset")

    # -- the account page ------------------------------------------------------------------
    def account_page(request: Request, user: ms.AppUser, status_code: int = 200,
                     **extra: Any) -> Response:
        with store.transaction() as tx:
            fresh = tx.session.get(ms.AppUser, user.id) or user
            context: dict[str, Any] = {
                "grants": [], "research": [], "audit": [],
                "tokens": list(tx.session.scalars(select(ms.ApiToken).where(
                    ms.ApiToken.user_id == user.id).order_by(ms.ApiToken.id.desc()))),
                "invitable": accounts.INVITABLE[fresh.role],
                "users": [],
            }
            if fresh.athlete_id is not None:
                context["grants"] = accounts.grants_of_athlete(tx.session, fresh.athlete_id)
                context["research"] = list(tx.session.scalars(select(ms.ResearchGrant).where(
                    ms.ResearchGrant.athlete_id == fresh.athlete_id).order_by(
                    ms.ResearchGrant.id.desc())))
                context["audit"] = accounts.audit_of_athlete(tx.session, fresh.athlete_id)
            if policy.can(tx.session, _who(request).actor, Action.MANAGE_ACCOUNTS).allowed:
                context["users"] = list(tx.session.scalars(
                    select(ms.AppUser).order_by(ms.AppUser.email)))
        return render(request, "account.html", status_code=status_code, title="Account",
                      active="account", user=fresh, scope_words=SCOPE_WORDS,
                      **{**context, **extra})

    @app.get("/account", response_class=HTMLResponse)
    def account(request: Request) -> Response:
        user = signed_in(request)
        return refuse(request) if user is None else account_page(request, user)

    async def mailed(done: str, mail: Any, secret: Any) -> str:
        """``done``, and what became of the mail of a link (sent once the link is stored)."""
        if not secret or mail is None:
            return done
        note = await run_in_threadpool(mail, secret)
        return f"{done} {note}" if note else done

    async def account_change(request: Request, change: Any, done: str,
                             secret_label: str = "", mail: Any = None) -> Response:
        """Run ``change(session, user, form)`` for the signed-in account; show the result
        (with ``mail(secret)``, a link also mailed after the commit)."""
        user = signed_in(request)
        if user is None:
            return refuse(request)
        form = await request.form()
        try:
            with store.write_transaction() as tx:
                fresh = tx.session.get(ms.AppUser, user.id)
                assert fresh is not None
                secret = change(tx.session, fresh, form)
        except accounts.AccountError as error:
            return account_page(request, user, status_code=error.status, error=str(error))
        done = await mailed(done, mail, secret)
        if secret:
            return account_page(request, user, message=done, new_secret=secret,
                                new_secret_label=secret_label)
        return account_page(request, user, message=done)

    @app.post("/account/grants", response_class=HTMLResponse)
    async def grant_add(request: Request) -> Response:
        return await account_change(request, lambda s, u, f: accounts.grant(
            s, u, str(f.get("email") or ""), str(f.get("scope") or "")) and None,
            "Shared. You can revoke it here at any time.")

    @app.post("/account/grants/{grant_id}/revoke", response_class=HTMLResponse)
    async def grant_revoke(request: Request, grant_id: int) -> Response:
        existing_id(grant_id, "grant")
        return await account_change(request, lambda s, u, f: accounts.revoke_grant(
            s, u, grant_id), "Revoked: they no longer see your data.")

    @app.post("/account/research", response_class=HTMLResponse)
    async def research_add(request: Request) -> Response:
        return await account_change(request, lambda s, u, f: accounts.research_grant(
            s, u, str(f.get("study") or "")), "Thank you: the study may use your data.")

    @app.post("/account/research/{grant_id}/revoke", response_class=HTMLResponse)
    async def research_revoke(request: Request, grant_id: int) -> Response:
        existing_id(grant_id, "grant")
        return await account_change(request, lambda s, u, f: accounts.revoke_research_grant(
            s, u, grant_id), "Revoked: the study no longer receives your data.")

    @app.post("/account/password", response_class=HTMLResponse)
    async def password_change(request: Request) -> Response:
        user = signed_in(request)
        if user is None:
            return refuse(request)
        form = await request.form()

        def change() -> str:
            with store.write_transaction() as tx:
                fresh = tx.session.get(ms.AppUser, user.id)
                assert fresh is not None
                accounts.change_password(tx.session, fresh, str(form.get("current") or ""),
                                         str(form.get("new") or ""))
                return accounts.start_session(tx.session, fresh)

        try:
            secret = await run_in_threadpool(change)  # argon2 twice: off the event loop
        except accounts.AccountError as error:
            return account_page(request, user, status_code=error.status, error=str(error))
        # Every other browser was signed out; this one gets a fresh session.
        response = account_page(request, user, message="Password changed; other browsers "
                                                       "were signed out.")
        set_session(response, request, secret)
        return response

    @app.post("/account/tokens", response_class=HTMLResponse)
    async def token_add(request: Request) -> Response:
        return await account_change(request, lambda s, u, f: accounts.create_token(
            s, u, {str(v) for v in f.getlist("scope")}, str(f.get("name") or "")),
            "Token created.", "Your new API token")

    @app.post("/account/tokens/{token_id}/revoke", response_class=HTMLResponse)
    async def token_revoke(request: Request, token_id: int) -> Response:
        existing_id(token_id, "token")
        return await account_change(request, lambda s, u, f: accounts.revoke_token(
            s, u, token_id), "Token revoked.")

    @app.post("/account/invite", response_class=HTMLResponse)
    async def invite_add(request: Request) -> Response:
        base = (public_url or str(request.base_url)).rstrip("/")
        invited: dict[str, str] = {}

        def change(session: Any, user: ms.AppUser, form: Any) -> str:
            invited["email"] = str(form.get("email") or "").strip().lower()
            invited["role"] = str(form.get("role") or "")
            return f"{base}/invite/" + accounts.invite(session, invited["email"],
                                                       invited["role"], user)

        return await account_change(
            request, change, "Invitation created: send this link; it works once, for 3 days.",
            "Invitation link", mail=lambda link: mailing.deliver(
                mail_settings, invited["email"], *mailing.invitation(link, invited["role"])))

    # -- data rights -----------------------------------------------------------------------
    @app.get("/account/export")
    def account_export(request: Request) -> Response:
        from stridewise.server import rights

        user = signed_in(request)
        if user is None:
            return refuse(request)
        data = rights.export_zip(store, user)
        return Response(data, media_type="application/zip", headers={
            "Content-Disposition": 'attachment; filename="stridewise-my-data.zip"'})

    @app.post("/account/delete", response_class=HTMLResponse)
    async def account_delete(request: Request) -> Response:
        from stridewise.server import rights

        user = signed_in(request)
        if user is None:
            return refuse(request)
        form = await request.form()
        if user.role == "owner":
            return account_page(request, user, status_code=403, error=(
                "The owner's account is removed from the command line, so the server is "
                "never left without one."))
        def verified() -> bool:
            with store.transaction() as tx:
                fresh = tx.session.get(ms.AppUser, user.id)
                return fresh is not None and accounts.verify_password(
                    str(form.get("password") or ""), fresh.password_hash)

        ok = await run_in_threadpool(verified)  # argon2: off the event loop
        if not ok or str(form.get("confirm") or "").strip().lower() != "delete":
            return account_page(request, user, status_code=403, error=(
                "Nothing was deleted: type delete and your current password to confirm."))
        rights.delete_account(store, user.id)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    # -- admin -----------------------------------------------------------------------------
    async def admin_change(request: Request, user_id: int, change: Any, done: str,
                           label: str = "", mail: Any = None) -> Response:
        existing_id(user_id, "account")
        user = signed_in(request)
        with store.transaction() as tx:
            allowed = policy.can(tx.session, _who(request).actor,
                                 Action.MANAGE_ACCOUNTS).allowed
        if user is None or not allowed:
            return refuse(request)
        try:
            with store.write_transaction() as tx:
                target = tx.session.get(ms.AppUser, user_id)
                admin = tx.session.get(ms.AppUser, user.id)
                if target is None or admin is None:
                    raise accounts.AccountError("No such account.", 404)
                if (target.role == "owner" and admin.role != "owner") or target.id == admin.id:
                    raise accounts.AccountError("You cannot change this account here.", 403)
                secret = change(tx.session, target, admin)
        except accounts.AccountError as error:
            return account_page(request, user, status_code=error.status, error=str(error))
        done = await mailed(done, mail, secret)
        return account_page(request, user, message=done, new_secret=secret or None,
                            new_secret_label=label)

    def _set_disabled(session: Any, target: ms.AppUser, disabled: bool) -> None:
        target.disabled = disabled

    @app.post("/admin/users/{user_id}/disable", response_class=HTMLResponse)
    async def user_disable(request: Request, user_id: int) -> Response:
        return await admin_change(request, user_id, lambda s, t, a: _set_disabled(s, t, True),
                                  "Account disabled: it can no longer sign in.")

    @app.post("/admin/users/{user_id}/enable", response_class=HTMLResponse)
    async def user_enable(request: Request, user_id: int) -> Response:
        return await admin_change(request, user_id,
                                  lambda s, t, a: _set_disabled(s, t, False),
                                  "Account enabled.")

    @app.post("/admin/users/{user_id}/reset", response_class=HTMLResponse)
    async def user_reset(request: Request, user_id: int) -> Response:
        base = (public_url or str(request.base_url)).rstrip("/")
        whose: dict[str, str] = {}

        def change(session: Any, target: ms.AppUser, admin: ms.AppUser) -> str:
            whose["email"] = target.email
            return f"{base}/reset/" + accounts.issue_reset(session, target, admin)

        return await admin_change(
            request, user_id, change, "Reset link created: it works once, for 3 days.",
            "Reset link", mail=lambda link: mailing.deliver(mail_settings, whose["email"],
                                                            *mailing.reset(link)))

    @app.get("/admin/audit.csv")
    def audit_export(request: Request) -> Response:
        user = signed_in(request)
        with store.transaction() as tx:
            if user is None or not policy.can(tx.session, _who(request).actor,
                                              Action.MANAGE_ACCOUNTS).allowed:
                return refuse(request)
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["id", "at_utc", "actor_user_id", "athlete_id", "action", "route",
                             "client_address"])
            for e in tx.session.scalars(select(ms.AuditEvent).order_by(ms.AuditEvent.id)):
                writer.writerow([e.id, e.at.isoformat(), e.actor_user_id, e.athlete_id,
                                 e.action, e.route, e.client_address or ""])
        return Response(out.getvalue(), media_type="text/csv", headers={
            "Content-Disposition": 'attachment; filename="stridewise-audit.csv"'})

    # -- the roster ------------------------------------------------------------------------
    @app.get("/roster", response_class=HTMLResponse)
    def roster(request: Request) -> Response:
        who = _who(request)
        user = signed_in(request)
        if user is None or user.role not in policy.CARE_ROLES:
            return refuse(request)
        # The grants, the policy's decisions and their audit rows: one transaction.
        with store.transaction() as tx:
            granted = accounts.athletes_granted_to(tx.session, user.id)
            decisions = decide_each_in(tx.session, who, Action.VIEW,
                                       [a for a, _e, _s in granted], "GET /roster",
                                       client_address(request.scope))
        core = dashboard.state.core
        rows = []
        answers = core.advice_of_many([a for a, _e, _s in granted
                                       if decisions[a].allowed])
        for athlete_id, email, scope in granted:
            if athlete_id not in answers:
                continue
            answer = answers[athlete_id]
            warnings = list(answer.warnings)
            rank = min([TONE_RANK.get(w.tone, NOTHING_RANK) for w in warnings],
                       default=NOTHING_RANK)
            if answer.advice.see_doctor:
                rank = 0
            first = min(warnings, key=lambda w: TONE_RANK.get(w.tone, NOTHING_RANK),
                        default=None)
            rows.append({"athlete_id": athlete_id, "email": email, "scope": scope,
                         "rank": rank, "headline": answer.advice.headline,
                         "attention": first.text if first is not None and first.tone != "info"
                         else ("" if not answer.advice.see_doctor else answer.advice.why),
                         "access": {"view": "read-only", "plan_edit": "plan edit",
                                    "clinical": "clinical"}[scope]})
        rows.sort(key=lambda r: (r["rank"], r["email"]))
        return render(request, "roster.html", title="Roster", active="roster", rows=rows)

    app.add_middleware(security.BodyLimitMiddleware, max_body_bytes=security.MAX_BODY_BYTES,
                       max_upload_bytes=security.MAX_BODY_BYTES)
    app.add_middleware(security.CsrfMiddleware, tokens=security.CsrfTokens(
        security.load_secret(security.secret_path(store.url))), trusted_origins=public_urls)
    app.add_middleware(security.HostAllowListMiddleware,
                       allowed_hosts=security.allowed_hosts([*allowed_hosts, *public_urls]))
    return app
