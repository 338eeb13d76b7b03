"""OpenAPI links between the JSON routes: what a created check-in, session or screening can be
read back with. Clients (and schemathesis' stateful phase) follow them: create, then read."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

#: (path, method, status, link name, target path, target method, parameter, value)
LINKS: tuple[tuple[str, str, str, str, str, str, str, str], ...] = (
    ("/api/checkins", "post", "201", "GetCheckIn", "/api/checkins/{checkin_id}", "get",
     "checkin_id", "$response.body#/id"),
    ("/api/sessions", "post", "201", "GetSession", "/api/sessions/{session_id}", "get",
     "session_id", "$response.body#/id"),
    ("/api/screenings", "post", "201", "GetScreening", "/api/screenings/{screening_id}", "get",
     "screening_id", "$response.body#/id"),
    ("/api/activities", "get", "200", "GetActivity", "/api/activities/{activity_id}", "get",
     "activity_id", "$response.body#/0/id"),
    ("/api/plan", "get", "200", "MarkPlannedSession", "/api/plan/sessions/{session_id}",
     "post", "session_id", "$response.body#/weeks/0/sessions/0/id"),
)


def add_links(app: FastAPI) -> None:
    """Wrap ``app.openapi`` so the schema it serves declares :data:`LINKS`."""
    build = app.openapi

    def openapi_with_links() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        paths = schema.get("paths", {})
        for path, method, status, name, target, target_method, parameter, value in LINKS:
            if path not in paths or target not in paths:
                continue
            operation_id = paths[target][target_method]["operationId"]
            response = paths[path][method]["responses"][status]
            response.setdefault("links", {})[name] = {
                "operationId": operation_id,
                "parameters": {parameter: value},
            }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi_with_links  # type: ignore[method-assign]
