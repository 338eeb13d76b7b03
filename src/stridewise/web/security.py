"""The local server trusts only itself (issue 11): a Host allow-list, cross-site request
refusal (CSRF) and request size limits, as ASGI middleware around the whole app.

Why each rule exists:

* **Host allow-list** (Starlette's ``TrustedHostMiddleware``). A web page can point its own
  domain name at 127.0.0.1 (DNS rebinding) and then read the dashboard as if it were its own
  site; the browser still sends that domain in ``Host``. Only loopback names and the names the
  user configured (``--allowed-host`` / ``--public-url``) are served; anything else gets 400.
* **CSRF.** Any website can make the browser post a form to 127.0.0.1. A state-changing
  request (POST, PUT, PATCH, DELETE) is refused with 403 when ``Sec-Fetch-Site`` says
  ``cross-site`` or its ``Origin`` is present and is not the dashboard's own. JSON
  (``Content-Type: application/json``) cannot be sent cross-site without a CORS preflight,
  which this server never grants, so JSON without ``Origin`` (curl, scripts) is accepted.
  Anything else (HTML forms, multipart uploads, bodiless posts) must carry the signed
  double-submit token: the ``stridewise_csrf_<id>`` cookie, repeated in the ``csrf_token`` form
  field or the ``X-CSRF-Token`` header. The token is ``nonce.HMAC-SHA256(secret, nonce)``; the
  secret lives in a file beside the database, so several server processes agree and a cookie
  planted by another program on localhost (cookies ignore ports) cannot be forged.
* **Size limits**, counted while the body streams in (Starlette's
  ``RequestBodyLimitMiddleware``): a too-large upload is refused with 413 as soon as it passes
  the limit, before it fills the disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from markupsafe import Markup, escape
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stridewise.ingest import MAX_FILE_BYTES

#: Names a browser on this computer uses for the dashboard.
LOOPBACK_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]")
#: Addresses ``serve --host`` accepts without ``--allow-remote``.
LOOPBACK_ADDRESSES: frozenset[str] = frozenset({"127.0.0.1", "localhost", "::1"})
#: Extra allowed host names, comma-separated (the environment form of ``--allowed-host``).
ALLOWED_HOSTS_ENV = "STRIDEWISE_ALLOWED_HOSTS"

UNSAFE_METHODS: frozenset[str] = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: The token cookie's name starts so; the rest is derived from the secret, because cookies ignore
#: ports: two dashboards on one computer (two databases) must not overwrite each other's token.
CSRF_COOKIE = "stridewise_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
#: Where the middleware leaves the request's token (templates read it) and the form flag.
TOKEN_SCOPE_KEY = "stridewise.csrf_token"
FORM_CHECK_SCOPE_KEY = "stridewise.csrf_check_form"
HOST_OK_SCOPE_KEY = "stridewise.host_ok"
FORM_TYPES: frozenset[str] = frozenset({"application/x-www-form-urlencoded",
                                        "multipart/form-data"})

#: Any request body but an upload: forms and JSON are a few kilobytes.
MAX_BODY_BYTES = 1024 * 1024
#: An upload: the importer's per-file cap plus room for the multipart framing.
MAX_UPLOAD_BYTES = MAX_FILE_BYTES + MAX_BODY_BYTES
#: Paths that take file uploads (the page and the API).
UPLOAD_PATHS: frozenset[str] = frozenset({"/import", "/api/import"})


def allowed_hosts(extra: Iterable[str] = ()) -> list[str]:
    """Loopback names, the ``extra`` names and those in ``$STRIDEWISE_ALLOWED_HOSTS``;
    each given as a bare name, ``name:port`` or a URL (only the host name is kept)."""
    names = list(LOOPBACK_HOSTS)
    from_env = [n for n in os.environ.get(ALLOWED_HOSTS_ENV, "").split(",") if n.strip()]
    for raw in [*extra, *from_env]:
        name = host_of(raw)
        if name and name not in names:
            names.append(name)
    return names


def host_of(value: str) -> str:
    """The lower-case host name of ``name``, ``name:port`` or ``scheme://name:port/path``
    (IPv6 literals keep their brackets, as in a Host header)."""
    value = value.strip()
    parsed = urlsplit(value if "://" in value else f"//{value}")
    host = (parsed.hostname or "").lower()
    return f"[{host}]" if ":" in host else host


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, as a browser writes it in ``Origin``."""
    parsed = urlsplit(url.strip())
    return f"{parsed.scheme.lower()}://{parsed.netloc.lower()}"


def same_text(given: str, expected: str) -> bool:
    """Constant-time comparison of two strings of any characters (``hmac.compare_digest``
    refuses non-ASCII ``str``, which a header or form field can hold: that would be a 500)."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"),
                               expected.encode("utf-8", "surrogatepass"))


class CsrfTokens:
    """Signed double-submit tokens: ``nonce.HMAC-SHA256(secret, nonce)`` (hex)."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret
        tag = hashlib.sha256(b"stridewise cookie name\0" + secret).hexdigest()[:8]
        self.cookie_name = f"{CSRF_COOKIE}_{tag}"

    def new(self) -> str:
        nonce = secrets.token_hex(16)
        return f"{nonce}.{self._sign(nonce)}"

    def is_valid(self, token: str | None) -> bool:
        if not token or token.count(".") != 1:
            return False
        nonce, signature = token.split(".")
        return same_text(signature, self._sign(nonce))

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._secret, nonce.encode(), hashlib.sha256).hexdigest()


def load_secret(path: Path | None) -> bytes:
    """The token secret stored at ``path``, created (readable by the owner only) on first use.
    It is written to a temporary file and hard-linked into place, so a process never reads a
    half-written secret and, when several create it at once, all use the first one linked.
    ``None`` (an in-memory database) gives a secret for this process only."""
    if path is None:
        return secrets.token_bytes(32)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".csrf-")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(secrets.token_bytes(32))
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return path.read_bytes()


def secret_path(store_url: str) -> Path | None:
    """Beside a SQLite file (``<stem>-csrf.key``); the user data dir for a server database;
    None for an in-memory one."""
    from sqlalchemy.engine import make_url

    from stridewise.store.engine import data_dir, sqlite_path

    db_file = sqlite_path(store_url)
    if db_file is not None:
        return db_file.with_name(db_file.stem + "-csrf.key")
    if make_url(store_url).get_backend_name() == "sqlite":
        return None
    return data_dir() / "csrf.key"


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class CsrfMiddleware:
    """Refuses cross-site state-changing requests (see the module docstring) and gives every
    response a token cookie when the request had no valid one."""

    def __init__(self, app: ASGIApp, *, tokens: CsrfTokens,
                 trusted_origins: Iterable[str] = ()) -> None:
        self.app = app
        self.tokens = tokens
        self.trusted_origins = frozenset(origin_of(o) for o in trusted_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        cookie = _cookie(headers, self.tokens.cookie_name)
        cookie_token = cookie if self.tokens.is_valid(cookie) else None
        token = cookie_token or self.tokens.new()
        scope[TOKEN_SCOPE_KEY] = token
        set_cookie = None if cookie_token else _cookie_header(
            self.tokens.cookie_name, token, secure=scope["scheme"] == "https")

        async def send_with_cookie(message: Message) -> None:
            if set_cookie and message["type"] == "http.response.start":
                MutableHeaders(scope=message).append("set-cookie", set_cookie)
            await send(message)

        if scope["method"] in UNSAFE_METHODS:
            refusal = self._refusal(scope, headers, cookie_token)
            if refusal:
                await _refuse(send_with_cookie, 403, refusal)
                return
        await self.app(scope, receive, send_with_cookie)

    def _refusal(self, scope: Scope, headers: Headers, cookie_token: str | None) -> str | None:
        """Why a state-changing request is refused, or None to let it through."""
        if headers.get("sec-fetch-site", "").lower() == "cross-site":
            return "Refused: the request came from another website."
        origin = headers.get("origin")
        own = f"{scope['scheme']}://{headers.get('host', '').lower()}"
        if origin is not None and origin.lower() != own and origin_of(origin) not in \
                self.trusted_origins:
            return "Refused: the request came from another website."
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/json":
            return None
        header_token = headers.get(CSRF_HEADER)
        if header_token is not None:
            if cookie_token and same_text(header_token, cookie_token):
                return None
            return "Refused: the form token is missing or out of date; reload the page."
        if content_type in FORM_TYPES:
            # The token is a form field: checked by require_form_token once the form is parsed
            # (the body limit below bounds that parse).
            scope[FORM_CHECK_SCOPE_KEY] = cookie_token or ""
            return None
        return ("Refused: send JSON (Content-Type: application/json) or the page's form "
                "token.")


async def require_form_token(request: Request) -> None:
    """The form's ``csrf_token`` field must repeat the token cookie (app-wide dependency)."""
    if FORM_CHECK_SCOPE_KEY not in request.scope:
        return
    cookie_token: str = request.scope[FORM_CHECK_SCOPE_KEY]
    form = await request.form()
    submitted = form.get(CSRF_FIELD)
    if not (cookie_token and isinstance(submitted, str)
            and same_text(submitted, cookie_token)):
        raise HTTPException(status_code=403, detail="Refused: the form token is missing or out "
                                                    "of date; reload the page and try again.")


def csrf_input(request: Request) -> Markup:
    """The hidden form field every state-changing form carries."""
    token = request.scope.get(TOKEN_SCOPE_KEY, "")
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">')


class HostAllowListMiddleware:
    """Starlette's ``TrustedHostMiddleware`` deciding, with the refusal in the JSON error shape
    every other error has (``{"detail": "Invalid host header"}``, 400)."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: list[str]) -> None:
        self.app = app
        self.check = TrustedHostMiddleware(self._allowed, allowed_hosts=allowed_hosts,
                                           www_redirect=False)

    async def _allowed(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[HOST_OK_SCOPE_KEY] = True
        await self.app(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return

        async def refuse_or_pass(message: Message) -> None:
            if scope.get(HOST_OK_SCOPE_KEY):
                await send(message)
            elif message["type"] == "http.response.start":
                # The check refused the host: send our body instead of its plain text.
                await _refuse(send, 400, "Invalid host header")

        await self.check(scope, receive, refuse_or_pass)


class BodyLimitMiddleware:
    """Starlette's streaming body limit, with a larger limit on the upload paths."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int = MAX_BODY_BYTES,
                 max_upload_bytes: int = MAX_UPLOAD_BYTES) -> None:
        self.app = app
        self.limits = {True: max_upload_bytes, False: max_body_bytes}
        self.small = RequestBodyLimitMiddleware(app, max_body_size=max_body_bytes)
        self.upload = RequestBodyLimitMiddleware(app, max_body_size=max_upload_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_upload = scope["path"] in UPLOAD_PATHS
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdecimal() and int(declared) > self.limits[is_upload]:
            # Announced too large: refused before a byte of the body is read.
            await _refuse(send, 413, "Content Too Large")
            return
        await (self.upload if is_upload else self.small)(scope, receive, send)


def _cookie(headers: Headers, name: str) -> str | None:
    for header in headers.getlist("cookie"):
        for part in header.split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
    return None


def _cookie_header(name: str, token: str, *, secure: bool) -> str:
    # HttpOnly: pages get the token from the HTML, scripts never need the cookie.
    # SameSite=Strict: a cross-site request does not even carry it.
    return (f"{name}={token}; Path=/; HttpOnly; SameSite=Strict"
            + ("; Secure" if secure else ""))


def csrf_dependencies() -> list[Any]:
    from fastapi import Depends

    return [Depends(require_form_token)]
