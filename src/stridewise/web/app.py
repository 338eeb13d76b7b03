"""The FastAPI application: HTML pages (Jinja2 + HTMX) and the JSON API under ``/api``.

Everything the browser loads comes from this package (or, for Plotly.js, from the installed
``plotly`` package): no CDN, so the dashboard works with no network at all.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from stridewise import __version__
from stridewise.core.app import Core
from stridewise.present.assets import STATIC_DIR
from stridewise.present.charts import plotly_js_path
from stridewise.store import Store
from stridewise.store.core import request_reads
from stridewise.web import security
from stridewise.web.openapi_links import add_links

#: Routers, in the order their routes are matched. Each module exposes ``router`` (and, for
#: JSON routes that live beside their page, ``api_router``).
ROUTER_MODULES: tuple[str, ...] = (
    "stridewise.web.api",
    "stridewise.web.onboarding",
    "stridewise.web.today_plan",
    "stridewise.web.log",
    "stridewise.web.imports",
    "stridewise.web.activities",
    "stridewise.web.trends",
    "stridewise.web.brain",
    "stridewise.web.evidence",
)

API_MODULE = "stridewise.web.api"

API_DESCRIPTION = (
    "Everything the stridewise pages show, as JSON. Local and single-user: the data is the "
    "default athlete's. Not a medical device."
)


def athlete_id_by_name(store: Store, name: str | None) -> int:
    """The named athlete's id, or the single local user's when ``name`` is None."""
    if name is None:
        return store.default_athlete_id()
    with store.transaction() as tx:
        athlete = tx.get_athlete_by_name(name)
    if athlete is None:
        raise LookupError(f"no athlete named {name!r}")
    return athlete.id


class RequestReadsMiddleware:
    """Each HTTP request in its own :func:`~stridewise.store.core.request_reads`: a page's
    parts read the athlete's revision and profile once."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with request_reads():
            await self.app(scope, receive, send)


async def _error_shape(request: Request, exc: Exception) -> Response:
    """Every error body is ``{"detail": ...}``; a 422's ``detail`` is always the list of
    ``{loc, msg, type}`` FastAPI documents (HTTPValidationError), never a bare string."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 422 and not isinstance(exc.detail, list):
        exc = HTTPException(422, detail=[
            {"loc": ["body"], "msg": str(exc.detail), "type": "value_error"}], headers=exc.headers)
    return await http_exception_handler(request, exc)


def create_app(
    store_url: str | None = None,
    *,
    athlete_name: str | None = None,
    allowed_hosts: Sequence[str] = (),
    public_urls: Sequence[str] = (),
    max_body_bytes: int = security.MAX_BODY_BYTES,
    max_upload_bytes: int = security.MAX_UPLOAD_BYTES,
) -> FastAPI:
    """The dashboard for the store at ``store_url`` (else ``$STRIDEWISE_DB``, else the default
    SQLite file), showing the athlete called ``athlete_name`` (default: the single local user).
    The store is opened (and migrated) here; a missing named athlete is a LookupError.

    Requests are served only for loopback host names plus ``allowed_hosts`` and the hosts of
    ``public_urls`` (whose origins are also trusted for form posts); bodies are limited to
    ``max_body_bytes`` (``max_upload_bytes`` on the import paths). See
    :mod:`stridewise.web.security`."""
    from stridewise.store import open_store

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.store.close()

    app = FastAPI(
        title="stridewise",
        version=__version__,
        description=API_DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
        dependencies=security.csrf_dependencies(),
    )
    app.state.store = open_store(store_url)
    app.state.athlete_id = athlete_id_by_name(app.state.store, athlete_name)
    # Pages follow writes: the advice is worked out again right after each change.
    app.state.core = Core(app.state.store, answer_after_writes=True)
    tokens = security.CsrfTokens(security.load_secret(security.secret_path(app.state.store.url)))
    # Added innermost first: the Host check runs before anything else, then CSRF, then the
    # body limit (so a refused request's body is never read).
    app.add_middleware(RequestReadsMiddleware)
    app.add_middleware(security.BodyLimitMiddleware, max_body_bytes=max_body_bytes,
                       max_upload_bytes=max_upload_bytes)
    app.add_middleware(security.CsrfMiddleware, tokens=tokens, trusted_origins=public_urls)
    app.add_middleware(security.HostAllowListMiddleware,
                       allowed_hosts=security.allowed_hosts([*allowed_hosts, *public_urls]))
    app.add_exception_handler(StarletteHTTPException, _error_shape)

    @app.get("/static/plotly.min.js", include_in_schema=False, name="plotly_js")
    def plotly_js() -> FileResponse:
        return FileResponse(plotly_js_path(), media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/api/docs", include_in_schema=False, name="api_docs")
    def api_docs(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="stridewise API",
            swagger_js_url=str(request.url_for("static", path="vendor/swagger-ui-bundle.js")),
            swagger_css_url=str(request.url_for("static", path="vendor/swagger-ui.css")),
            swagger_favicon_url="data:,",
        )

    page_names: set[str] = set()
    for module_name in ROUTER_MODULES:
        module = importlib.import_module(module_name)
        # HTML pages stay out of the OpenAPI schema; JSON routes (``api_router``) go in it.
        app.include_router(module.router, include_in_schema=module_name == API_MODULE)
        page_names.update(getattr(route, "name", "") for route in module.router.routes)
        if hasattr(module, "api_router"):
            app.include_router(module.api_router)

    @app.get("/", include_in_schema=False, name="home")
    def home(request: Request) -> RedirectResponse:
        return RedirectResponse(request.url_for("today_page"), status_code=303)

    # Mounted last so that /static/plotly.min.js (above) is matched before the directory.
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # FastAPI includes routers lazily, so the page names are collected from the routers.
    app.state.route_names = frozenset(page_names)
    add_links(app)
    return app
