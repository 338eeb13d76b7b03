"""Optional mail: invitation and reset links sent by SMTP when the server is told how.

No mail server is assumed: every link is shown on the page that made it and printed by the
command line, and that stays so with mail configured (a mail that does not arrive must not
leave someone locked out). Configured by two environment variables, read at start-up:

``STRIDEWISE_SMTP_URL``
    ``smtp://host[:port]`` (plain, e.g. a relay on the same machine, port 25),
    ``smtp+starttls://user:password@host[:port]`` (port 587) or
    ``smtps://user:password@host[:port]`` (TLS from the start, port 465). A user name or
    password with special characters is percent-encoded.
``STRIDEWISE_MAIL_FROM``
    The sender address, e.g. ``stridewise@club.example``.

Python's ``smtplib`` and ``ssl`` (certificates checked against the system's authorities).
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import unquote, urlsplit

SMTP_URL_ENV = "STRIDEWISE_SMTP_URL"
MAIL_FROM_ENV = "STRIDEWISE_MAIL_FROM"
#: Seconds to wait for the mail server before giving up (the link is on the page anyway).
SMTP_TIMEOUT_S = 10.0
_SCHEMES = {"smtp": ("plain", 25), "smtp+starttls": ("starttls", 587), "smtps": ("ssl", 465)}


class MailSettingsError(ValueError):
    """A mail setting that cannot work (the message names the variable and the problem)."""


class MailError(Exception):
    """A mail could not be sent (the message says why, in plain words)."""


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str  # "plain", "starttls" or "ssl"
    sender: str
    user: str | None = None
    password: str | None = None

    @classmethod
    def parse(cls, url: str, sender: str) -> MailSettings:
        """Settings from an ``STRIDEWISE_SMTP_URL`` and a sender; MailSettingsError naming
        the problem."""
        parts = urlsplit(url.strip())
        if parts.scheme not in _SCHEMES:
            raise MailSettingsError(f"{SMTP_URL_ENV} must start with smtp://, smtp+starttls:// or "
                             f"smtps://, not {parts.scheme or 'nothing'}://")
        if not parts.hostname:
            raise MailSettingsError(f"{SMTP_URL_ENV} names no mail server host")
        security, default_port = _SCHEMES[parts.scheme]
        try:
            port = parts.port or default_port
        except ValueError as error:
            raise MailSettingsError(f"{SMTP_URL_ENV} has a port that is not a number") from error
        _, address = parseaddr(sender)
        if "@" not in address:
            raise MailSettingsError(f"{MAIL_FROM_ENV} must be the sender's address, "
                             "e.g. stridewise@club.example")
        if parts.username and security == "plain" and parts.hostname not in (
                "localhost", "127.0.0.1", "::1"):
            raise MailSettingsError(f"{SMTP_URL_ENV}: a password is sent only over TLS "
                             "(smtp+starttls:// or smtps://), except to this machine")
        return cls(host=parts.hostname, port=port, security=security, sender=address,
                   user=unquote(parts.username) if parts.username else None,
                   password=unquote(parts.password) if parts.password else None)

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> MailSettings | None:
        """The configured settings, or None when ``STRIDEWISE_SMTP_URL`` is not set."""
        url = env.get(SMTP_URL_ENV, "").strip()
        if not url:
            return None
        return cls.parse(url, env.get(MAIL_FROM_ENV, ""))


def send(settings: MailSettings, to: str, subject: str, body: str) -> None:
    """One plain-text mail; MailError when the server refuses it or cannot be reached."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.sender, to, subject
    message.set_content(body)
    context = ssl.create_default_context()
    try:
        smtp: smtplib.SMTP
        if settings.security == "ssl":
            smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=SMTP_TIMEOUT_S,
                                    context=context)
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_S)
        with smtp:
            if settings.security == "starttls":
                smtp.starttls(context=context)
            if settings.user is not None:
                smtp.login(settings.user, settings.password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"the mail server at {settings.host}:{settings.port} did not take "
                        f"it ({type(error).__name__}: {error})") from error


def invitation(link: str, role: str) -> tuple[str, str]:
    """Subject and text of an invitation mail."""
    return ("Your invitation to stridewise", (
        f"You have been invited to stridewise as {'an' if role[:1] in 'aeiou' else 'a'} "
        f"{role}.\n\nOpen this link to choose your password and sign in:\n\n{link}\n\n"
        "It works once, for 3 days. If you did not expect this mail, you can ignore it.\n\n"
        "stridewise is not a medical device.\n"))


def reset(link: str) -> tuple[str, str]:
    """Subject and text of a password reset mail."""
    return ("Set a new stridewise password", (
        f"An administrator made a link for you to set a new password:\n\n{link}\n\n"
        "It works once, for 3 days. If you did not ask for it, tell your administrator.\n"))


def deliver(settings: MailSettings | None, to: str, subject: str, body: str) -> str | None:
    """Send it when mail is configured; what to tell the person who made the link (None
    without mail: the page shows the link, as always)."""
    if settings is None:
        return None
    try:
        send(settings, to, subject, body)
    except MailError as error:
        return f"The mail to {to} could not be sent ({error}); send the link yourself."
    return f"It was also mailed to {to}."
