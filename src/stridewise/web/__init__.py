"""The local web dashboard (``stridewise serve``): FastAPI, Jinja2 templates, HTMX."""

from __future__ import annotations

from stridewise.web.app import create_app

__all__ = ["create_app"]
