"""People, single-use links, sessions, login throttling, API tokens, grants and the audit, all
in the database (PostgreSQL in production) so that every server process sees the same state.

Secrets handed out (session cookies, invitation and reset links, API tokens) are random
256-bit values stored only as their SHA-256; passwords are argon2id hashes (pwdlib).
Every function takes an open SQLAlchemy session (``store.transaction().session``) and raises
:class:`AccountError` with a sentence a person can read when it refuses.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pwdlib import PasswordHash
from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from stridewise import clock
from stridewise.store import models as m
from stridewise.store import models_server as ms
from stridewise.store.core import unit_open

#: How long a signed-in browser stays signed in.
SESSION_LIFETIME = timedelta(days=14)
#: How long an invitation or a reset link can be used.
LINK_LIFETIME = timedelta(days=3)
#: Failed sign-ins are counted over this window ...
THROTTLE_WINDOW = timedelta(minutes=15)
#: ... and refused beyond this many for one account ...
MAX_FAILURES_PER_ACCOUNT = 5
#: ... or this many from one client address (a shared NAT holds several people).
MAX_FAILURES_PER_ADDRESS = 30
#: Shortest password accepted (NIST SP 800-63B asks for at least 8).
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1000
#: A session's ``last_seen`` is written at most this often (not on every request).
LAST_SEEN_EVERY = timedelta(minutes=5)
TOKEN_SCOPES = ("read", "write")
TOKEN_PREFIX = "sw_"

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHash.recommended()
#: Verified against when the account does not exist, so both cost the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A refusal to show the person (wrong password, expired link, ...)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normal_email(email: str) -> str:
    email = email.strip().lower()
    if len(email) > 254 or not EMAIL.match(email):
        raise AccountError("Please give an email address such as name@example.org.")
    return email


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError("That password is too long.")
    return password


def hash_password(password: str) -> str:
    return _hasher.hash(check_password(password))


def _now() -> datetime:
    return clock.now_utc()


# -- accounts ------------------------------------------------------------------------------
def user_by_email(session: Session, email: str) -> ms.AppUser | None:
    return session.scalar(select(ms.AppUser).where(ms.AppUser.email == email.strip().lower()))


def create_user(session: Session, email: str, password: str, role: str) -> ms.AppUser:
    """A new account; an athlete gets their own (empty) athlete record."""
    email = normal_email(email)
    if role not in ms.ROLES:
        raise AccountError(f"Unknown role {role!r}: one of {', '.join(ms.ROLES)}.")
    if user_by_email(session, email) is not None:
        raise AccountError("An account with this email address exists already.", 409)
    user = ms.AppUser(email=email, password_hash=hash_password(password), role=role)
    if role == "athlete":
        athlete = m.Athlete(name=f"account {secrets.token_hex(8)}")
        session.add(athlete)
        session.flush()
        user.athlete_id = athlete.id
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: ms.AppUser, new_password: str) -> None:
    """Change the password, sign out every browser of this account and revoke its API tokens
    (a token made by whoever held the old password must not outlive it)."""
    user.password_hash = hash_password(new_password)
    session.execute(delete(ms.WebSession).where(ms.WebSession.user_id == user.id))
    for token in session.scalars(select(ms.ApiToken).where(
            ms.ApiToken.user_id == user.id, ms.ApiToken.revoked_at.is_(None))):
        token.revoked_at = _now()


def verify_password(password: str, password_hash: str) -> bool:
    return bool(_hasher.verify(password[:MAX_PASSWORD_LENGTH], password_hash))


def change_password(session: Session, user: ms.AppUser, current: str, new: str) -> None:
    if not _hasher.verify(current, user.password_hash):
        raise AccountError("The current password is not right.", 403)
    set_password(session, user, new)


# -- single-use links (invitations and resets) ----------------------------------------------
#: Who may invite whom from the web (the owner role only from the command line).
INVITABLE: dict[str, tuple[str, ...]] = {
    "owner": ("athlete", "coach", "clinician", "admin"),
    "admin": ("athlete", "coach", "clinician", "admin"),
    "coach": ("athlete",),
    "clinician": ("athlete",),
    "athlete": (),
}


def invite(session: Session, email: str, role: str, invited_by: ms.AppUser | None) -> str:
    """A new invitation; returns the secret for the link (shown once). ``invited_by`` None is
    the command line, which may invite any role."""
    email = normal_email(email)
    if role not in ms.ROLES:
        raise AccountError(f"Unknown role {role!r}: one of {', '.join(ms.ROLES)}.")
    if invited_by is not None and role not in INVITABLE[invited_by.role]:
        raise AccountError(f"A {invited_by.role} cannot invite a {role}.", 403)
    if user_by_email(session, email) is not None:
        raise AccountError("An account with this email address exists already.", 409)
    return _new_link(session, "invitation", email, role, invited_by)


def issue_reset(session: Session, user: ms.AppUser, issued_by: ms.AppUser | None) -> str:
    """A single-use link that sets a new password for ``user`` (an admin's or the owner's;
    an owner's password is reset only from the command line)."""
    if issued_by is not None:
        if issued_by.role not in ("admin", "owner"):
            raise AccountError("Only an admin can issue a reset link.", 403)
        if user.role in ("owner", "admin") and issued_by.role != "owner":
            raise AccountError("An admin's or owner's password is reset only by the owner.",
                               403)
    secret = _new_link(session, "reset", user.email, user.role, issued_by)
    # A reset link lets its holder sign in as this person: the person sees it on their
    # audit page (who issued it, and when it was used).
    record(session, issued_by.id if issued_by else None, user.athlete_id,
           "password reset link issued", f"/admin/users/{user.id}/reset", None)
    return secret


def _new_link(session: Session, purpose: str, email: str, role: str,
              by: ms.AppUser | None) -> str:
    secret = secrets.token_urlsafe(32)
    session.add(ms.Invitation(token_hash=digest(secret), purpose=purpose, email=email,
                              role=role, invited_by=by.id if by else None,
                              expires_at=_now() + LINK_LIFETIME))
    session.flush()
    return secret


def open_link(session: Session, secret: str, purpose: str) -> ms.Invitation:
    """The unused, unexpired link, else an AccountError (404: says nothing more)."""
    link = session.scalar(select(ms.Invitation).where(
        ms.Invitation.token_hash == digest(secret), ms.Invitation.purpose == purpose))
    if link is None or link.used_at is not None or link.expires_at <= _now():
        raise AccountError("This link is not valid: it may have been used already or have "
                           "expired. Ask for a new one.", 404)
    return link


def accept_invitation(session: Session, secret: str, password: str) -> ms.AppUser:
    link = open_link(session, secret, "invitation")
    user = create_user(session, link.email, password, link.role)
    link.used_at = _now()
    return user


def use_reset(session: Session, secret: str, password: str) -> ms.AppUser:
    link = open_link(session, secret, "reset")
    user = user_by_email(session, link.email)
    if user is None:
        raise AccountError("This link is not valid. Ask for a new one.", 404)
    set_password(session, user, password)
    link.used_at = _now()
    record(session, user.id, user.athlete_id, "password reset link used", "/reset", None)
    return user


# -- signing in ------------------------------------------------------------------------------
def _failures(session: Session, key: str, since: datetime) -> int:
    return int(session.scalar(select(func.count()).select_from(ms.LoginAttempt).where(
        ms.LoginAttempt.key == key, ms.LoginAttempt.at > since)) or 0)


def authenticate(session: Session, email: str, password: str, address: str) -> ms.AppUser:
    """The account for this email and password, else AccountError: 401 for a wrong pair
    (the same words whether or not the account exists), 429 when throttled."""
    now = _now()
    since = now - THROTTLE_WINDOW
    email = email.strip().lower()[:254]
    keys = (f"account:{email}", f"address:{address}")
    if session.get_bind().dialect.name == "postgresql":
        # Several server processes count the same failures: hold a lock per key (always in
        # the same order) until this transaction ends, so parallel attempts are counted one
        # after another instead of all reading the old count.
        for key in sorted(keys):
            session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
    if (_failures(session, keys[0], since) >= MAX_FAILURES_PER_ACCOUNT
            or _failures(session, keys[1], since) >= MAX_FAILURES_PER_ADDRESS):
        raise AccountError("Too many failed sign-ins. Please wait 15 minutes and try again.",
                           429)
    user = user_by_email(session, email)
    ok = _hasher.verify(password[:MAX_PASSWORD_LENGTH],
                        user.password_hash if user else _DUMMY_HASH)
    if user is None or not ok or user.disabled:
        session.execute(delete(ms.LoginAttempt).where(ms.LoginAttempt.at <= since))
        session.add_all([ms.LoginAttempt(key=key, at=now) for key in keys])
        raise AccountError("The email address or the password is not right.", 401)
    return user


def start_session(session: Session, user: ms.AppUser) -> str:
    """A new server-side session; returns the cookie value."""
    secret = secrets.token_urlsafe(32)
    now = _now()
    session.add(ms.WebSession(id=digest(secret), user_id=user.id, created_at=now,
                              expires_at=now + SESSION_LIFETIME, last_seen=now))
    session.flush()
    return secret


def end_session(session: Session, secret: str) -> None:
    session.execute(delete(ms.WebSession).where(ms.WebSession.id == digest(secret)))


def session_user(session: Session, secret: str) -> ms.AppUser | None:
    """The signed-in, enabled account of this cookie, else None."""
    # One query for both rows: this runs on every request.
    found = session.execute(select(ms.WebSession, ms.AppUser).join(
        ms.AppUser, ms.AppUser.id == ms.WebSession.user_id).where(
        ms.WebSession.id == digest(secret))).first()
    now = _now()
    if found is None:
        return None
    row, user = found
    if row.expires_at <= now or user.disabled:
        return None
    if now - row.last_seen > LAST_SEEN_EVERY:
        row.last_seen = now
    return user


# -- API tokens ------------------------------------------------------------------------------
def create_token(session: Session, user: ms.AppUser, scopes: set[str], name: str = "") -> str:
    unknown = scopes - set(TOKEN_SCOPES)
    if not scopes or unknown:
        raise AccountError(f"A token's scopes are one or more of {', '.join(TOKEN_SCOPES)}.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ms.ApiToken(token_hash=digest(secret), user_id=user.id, name=name[:100],
                            scopes=" ".join(sorted(scopes))))
    session.flush()
    return secret


def revoke_token(session: Session, user: ms.AppUser, token_id: int) -> None:
    token = session.get(ms.ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise AccountError("No such token.", 404)
    token.revoked_at = token.revoked_at or _now()


def token_user(session: Session, secret: str) -> tuple[ms.AppUser, frozenset[str]] | None:
    token = session.scalar(select(ms.ApiToken).where(ms.ApiToken.token_hash == digest(secret)))
    if token is None or token.revoked_at is not None:
        return None
    user = session.get(ms.AppUser, token.user_id)
    if user is None or user.disabled:
        return None
    return user, frozenset(token.scopes.split())


# -- grants ----------------------------------------------------------------------------------
def grant(session: Session, athlete_user: ms.AppUser, grantee_email: str,
          scope: str) -> ms.CareGrant:
    """The athlete lets a coach or clinician see them (replacing any earlier grant to them)."""
    if athlete_user.athlete_id is None:
        raise AccountError("Only an account with its own running data can share it.", 403)
    if scope not in ms.CARE_SCOPES:
        raise AccountError(f"Unknown scope {scope!r}: one of {', '.join(ms.CARE_SCOPES)}.")
    grantee = user_by_email(session, grantee_email)
    if grantee is None or grantee.role not in ("coach", "clinician") or grantee.disabled:
        raise AccountError("There is no coach or clinician with this email address here.",
                           404)
    if scope == "clinical" and grantee.role != "clinician":
        raise AccountError("Screening answers and the doctor summary can be shared only with "
                           "a clinician.")
    revoke_grants_to(session, athlete_user.athlete_id, grantee.id)
    row = ms.CareGrant(athlete_id=athlete_user.athlete_id, grantee_user_id=grantee.id,
                       scope=scope)
    session.add(row)
    session.flush()
    return row


def revoke_grants_to(session: Session, athlete_id: int, grantee_user_id: int) -> None:
    for row in session.scalars(select(ms.CareGrant).where(
            ms.CareGrant.athlete_id == athlete_id,
            ms.CareGrant.grantee_user_id == grantee_user_id,
            ms.CareGrant.revoked_at.is_(None))):
        row.revoked_at = _now()


def revoke_grant(session: Session, athlete_user: ms.AppUser, grant_id: int) -> None:
    row = session.get(ms.CareGrant, grant_id)
    if row is None or row.athlete_id != athlete_user.athlete_id or athlete_user.athlete_id is None:
        raise AccountError("No such grant.", 404)
    row.revoked_at = row.revoked_at or _now()


def active_scope(session: Session, athlete_id: int, grantee_user_id: int) -> str | None:
    """The scope of the unrevoked grant from this athlete to this person, else None."""
    return session.scalar(select(ms.CareGrant.scope).where(
        ms.CareGrant.athlete_id == athlete_id,
        ms.CareGrant.grantee_user_id == grantee_user_id,
        ms.CareGrant.revoked_at.is_(None)).order_by(ms.CareGrant.id.desc()).limit(1))


def active_scopes(session: Session, athlete_ids: Sequence[int],
                  grantee_user_id: int) -> dict[int, str]:
    """:func:`active_scope` for several athletes in one query (athletes without an unrevoked
    grant to this person are left out)."""
    rows = session.execute(select(ms.CareGrant.athlete_id, ms.CareGrant.scope).where(
        ms.CareGrant.athlete_id.in_(list(athlete_ids)),
        ms.CareGrant.grantee_user_id == grantee_user_id,
        ms.CareGrant.revoked_at.is_(None)).order_by(ms.CareGrant.id))
    # Ordered by id: each athlete's newest grant is the last one written, as active_scope.
    return {athlete_id: scope for athlete_id, scope in rows}


def grants_of_athlete(session: Session, athlete_id: int) -> list[tuple[ms.CareGrant, str]]:
    """Every grant this athlete ever gave, newest first, with the grantee's email."""
    rows = session.execute(select(ms.CareGrant, ms.AppUser.email).join(
        ms.AppUser, ms.AppUser.id == ms.CareGrant.grantee_user_id).where(
        ms.CareGrant.athlete_id == athlete_id).order_by(ms.CareGrant.id.desc()))
    return [(g, email) for g, email in rows]


def athletes_granted_to(session: Session, user_id: int) -> list[tuple[int, str, str]]:
    """(athlete id, email, scope) of every athlete sharing with this person now."""
    rows = session.execute(select(ms.CareGrant.athlete_id, ms.AppUser.email,
                                  ms.CareGrant.scope).join(
        ms.AppUser, ms.AppUser.athlete_id == ms.CareGrant.athlete_id).where(
        ms.CareGrant.grantee_user_id == user_id, ms.CareGrant.revoked_at.is_(None)))
    return [(a, e, s) for a, e, s in rows]


def research_grant(session: Session, athlete_user: ms.AppUser, study: str) -> None:
    study = study.strip()
    if athlete_user.athlete_id is None:
        raise AccountError("Only an account with its own running data can share it.", 403)
    if not study or len(study) > 200:
        raise AccountError("Please name the study (up to 200 characters).")
    session.add(ms.ResearchGrant(athlete_id=athlete_user.athlete_id, study=study))


def revoke_research_grant(session: Session, athlete_user: ms.AppUser, grant_id: int) -> None:
    row = session.get(ms.ResearchGrant, grant_id)
    if row is None or row.athlete_id != athlete_user.athlete_id or athlete_user.athlete_id is None:
        raise AccountError("No such grant.", 404)
    row.revoked_at = row.revoked_at or _now()


# -- audit -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    route: str
    client_address: str | None


def audit_may_lag(session: Session) -> None:
    """For a transaction that writes only bookkeeping (audit rows, a session's last use) and
    no health data: its commit does not wait for the disk (PostgreSQL's
    ``synchronous_commit = off`` for this transaction only). Under the load test a coach's
    roster waited behind other writers' disk flushes. What this risks: if the database
    server itself crashes, such rows of the last fraction of a second (3 x
    ``wal_writer_delay``, 0.6 s by default) may be missing, never part of a transaction.
    A change of someone's data is committed by the page afterwards, waiting for the disk,
    and that flush takes the audit row written before it along (the log is written in
    order). docs/server.md says so."""
    if unit_open():  # a store.transaction() inside a unit joins it: that commit must wait
        raise RuntimeError("audit rows that may lag belong in a transaction of their own")
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))


def record(session: Session, actor_user_id: int | None, athlete_id: int | None, action: str,
           route: str, client_address: str | None) -> None:
    """Append one audit row (rows are never changed or deleted by the server)."""
    session.add(ms.AuditEvent(at=_now(), actor_user_id=actor_user_id, athlete_id=athlete_id,
                              action=action[:40], route=route[:300],
                              client_address=(client_address or "")[:64] or None))


def audit_of_athlete(session: Session, athlete_id: int, limit: int = 500) -> list[AuditEntry]:
    rows = session.execute(select(ms.AuditEvent, ms.AppUser.email).outerjoin(
        ms.AppUser, ms.AppUser.id == ms.AuditEvent.actor_user_id).where(
        ms.AuditEvent.athlete_id == athlete_id).order_by(ms.AuditEvent.id.desc()).limit(limit))
    return [AuditEntry(e.at, email or f"account #{e.actor_user_id}", e.action, e.route,
                       e.client_address) for e, email in rows]
