"""Files shared by the dashboard and the report: the stylesheet, scripts and partial templates."""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
#: Partials both the dashboard and the report include (plan weeks, warnings, the disclaimer).
SHARED_TEMPLATES_DIR = Path(__file__).parent / "templates"
