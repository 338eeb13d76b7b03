"""Tables of the multi-user server (issue 15): accounts, invitations, sessions, login
throttling, API tokens, the athlete's grants (care and research) and the append-only audit.

Secrets are never stored: invitation links, session cookies, reset links and API tokens are
kept as their SHA-256 (a random 256-bit token needs no slow hash). Passwords are argon2 hashes
(``stridewise.server.passwords``). The single-user mode never writes these tables.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from stridewise.store.models import Base, _one_of, utcnow

ROLES = ("athlete", "coach", "clinician", "admin", "owner")
CARE_SCOPES = ("view", "plan_edit", "clinical")
TOKEN_PURPOSES = ("invitation", "reset")


class AppUser(Base):
    """A person who signs in. ``athlete_id`` is their own data (None for a coach, clinician or
    admin who does not run with stridewise themselves)."""

    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint(_one_of("role", ROLES), name="role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    athlete_id: Mapped[int | None] = mapped_column(
        ForeignKey("athlete.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    disabled: Mapped[bool] = mapped_column(default=False)


class Invitation(Base):
    """A single-use link: an invitation to sign up (``purpose`` invitation) or an
    admin-issued password reset (``purpose`` reset, ``email`` the account's)."""

    __tablename__ = "invitation"
    __table_args__ = (CheckConstraint(_one_of("role", ROLES), name="role"),
                      CheckConstraint(_one_of("purpose", TOKEN_PURPOSES), name="purpose"))
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(16), default="invitation")
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16))
    invited_by: Mapped[int | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class WebSession(Base):
    """A signed-in browser; the cookie holds the secret, the row its SHA-256."""

    __tablename__ = "web_session"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"),
                                         index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)


class LoginAttempt(Base):
    """A failed sign-in, counted per key (``account:<email>`` and ``address:<ip>``) over a
    window, so throttling holds across every server process."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_key_at", "key", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    """A personal token for scripts: ``scopes`` is a space-separated subset of read, write."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    scopes: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class CareGrant(Base):
    """An athlete lets a coach or clinician see them: view; view and edit the plan; clinical
    (view, plus screening answers and the doctor summary; clinicians only)."""

    __tablename__ = "care_grant"
    __table_args__ = (CheckConstraint(_one_of("scope", CARE_SCOPES), name="scope"),
                      Index("ix_care_grant_grantee", "grantee_user_id", "athlete_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"),
                                            index=True)
    grantee_user_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(16))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class ResearchGrant(Base):
    """An athlete's consent that a named study may use their data; the cohort export reads
    only athletes with an unrevoked row."""

    __tablename__ = "research_grant"
    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athlete.id", ondelete="CASCADE"),
                                            index=True)
    study: Mapped[str] = mapped_column(Text)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class AuditEvent(Base):
    """Append-only: who read or changed whose data, what, when and from where. No foreign
    keys, so deleting an account leaves the rows (with ids that no longer name anyone).
    AUTOINCREMENT on SQLite: an id is never handed out twice, even after rows are removed
    (by hand, or a restore), so an exported audit CSV cannot be confused with a later one
    (migration 0007)."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_athlete_at", "athlete_id", "at"),
                      {"sqlite_autoincrement": True})
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_user_id: Mapped[int | None]
    athlete_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(40))
    route: Mapped[str] = mapped_column(String(300))
    client_address: Mapped[str | None] = mapped_column(String(64))
