"""OpenAPI links between the JSON routes: what a created check-in, session or screening can be
read back with. Clients (and schemathesis' stateful phase) follow them: create, then read."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

#: (operation that creates, its status, link name, operation that reads, its id parameter)
LINKS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("/api/checkins", "post", "201", "GetCheckIn", "/api/checkins/{checkin_id}", "checkin_id"),
    ("/api/sessions", "post", "201", "GetSession", "/api/sessions/{session_id}", "session_id"),
    ("/api/screenings", "post", "201", "GetScreening", "/api/screenings/{screening_id}",
     "screening_id"),
)


def add_links(app: FastAPI) -> None:
    """Wrap ``app.openapi`` so the schema it serves declares :data:`LINKS`."""
    build = app.openapi

    def openapi_with_links() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        paths = schema.get("paths", {})
        for path, method, status, name, target, parameter in LINKS:
            if path not in paths or target not in paths:
                continue
            operation_id = paths[target]["get"]["operationId"]
            response = paths[path][method]["responses"][status]
            response.setdefault("links", {})[name] = {
                "operationId": operation_id,
                "parameters": {parameter: "$response.body#/id"},
            }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi_with_links  # type: ignore[method-assign]
