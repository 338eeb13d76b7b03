"""Access to the app's store and the (single, local) athlete from a request, and the one way
form numbers are read."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.datastructures import FormData

from stridewise.core.app import AthleteContext, Core
from stridewise.store import Store


def core_of(request: Request) -> Core:
    """The application core every route calls (one per app, built with the store)."""
    core: Core = request.app.state.core
    return core


def context_of(request: Request) -> AthleteContext:
    """The athlete this request acts for, with their zone and today: read once per request
    (it holds no data that a write in the same request could change; the core reads the
    athlete's revision afresh for every answer)."""
    found: AthleteContext | None = getattr(request.state, "athlete_context", None)
    if found is None:
        athlete_id = athlete_id_of(request)
        given = request.scope.get(CONTEXT_SCOPE_KEY)
        found = given if isinstance(given, AthleteContext) and given.athlete_id == athlete_id \
            else core_of(request).context(athlete_id)
        request.state.athlete_context = found
    return found


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


#: Where the multi-user server's gate puts that athlete's context (zone and today), read in
#: the transaction that decided the request: a page need not read it again.
CONTEXT_SCOPE_KEY = "stridewise.athlete_context"

#: Where the multi-user server (``stridewise.server``) puts the athlete a request acts for,
#: after its policy allowed it; the local dashboard leaves it unset (its one athlete).
ATHLETE_SCOPE_KEY = "stridewise.athlete_id"


def athlete_id_of(request: Request) -> int:
    chosen = request.scope.get(ATHLETE_SCOPE_KEY)
    if chosen is not None:
        return int(chosen)
    athlete_id: int | None = request.app.state.athlete_id
    if athlete_id is None:
        # The multi-user server has no default athlete: nothing is served without a choice.
        raise HTTPException(status_code=404, detail="No such page.")
    return athlete_id


def units_of(request: Request) -> str:
    """The athlete's distance unit, ``km`` or ``mi``."""
    with store_of(request).transaction() as tx:
        athlete = tx.get_athlete(athlete_id_of(request))
    return athlete.units if athlete is not None and athlete.units else "km"


def form_number(form: FormData, name: str, what: str) -> float | None:
    """An optional number typed into a form (a decimal comma accepted); ``what`` names the
    field in the error a person reads."""
    raw = str(form.get(name) or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{what} should be a number.") from exc


#: The largest id a database row can have (SQLite and PostgreSQL BIGINT: 2**63 - 1).
MAX_DB_ID = 2**63 - 1


def existing_id(value: int, what: str = "item") -> int:
    """``value`` if a row could have it, else a 404: an id outside 1..2**63-1 names nothing,
    and handing it to the database would overflow its integer (a 500)."""
    if not 1 <= value <= MAX_DB_ID:
        raise HTTPException(status_code=404, detail=f"No such {what}.")
    return value


def invalid_value(error: ValueError, *, where: str = "body",
                  sent: Mapping[str, Any] | None = None) -> RequestValidationError:
    """A refused value as the 422 FastAPI documents: ``detail`` a list of ``{type, loc, msg,
    input}`` naming the field, the problem and the value refused.
    :class:`~stridewise.core.validation.InvalidValue` names its field; ``sent`` (the body as
    received) gives the value as it was sent. An error of no one field is the body's, and
    echoes the whole body."""
    field = getattr(error, "field", None)
    loc: tuple[str, ...] = (where, field) if field else (where,)
    message = getattr(error, "message", None) or str(error)
    if field and sent is not None and field in sent:
        value: Any = sent[field]
    elif field:
        value = getattr(error, "value", None)
    else:
        value = dict(sent) if sent is not None else None
    return RequestValidationError([{"type": "value_error", "loc": loc, "msg": message,
                                    "input": jsonable_encoder(value)}])


class ErrorOut(BaseModel):
    """Every error but a 422: ``{"detail": "what went wrong, in plain words"}``."""

    detail: str


#: Documented on every JSON route (422 is FastAPI's HTTPValidationError: ``detail`` a list).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "Host header not allowed (DNS-rebinding guard)"},
    403: {"model": ErrorOut, "description": "Refused: cross-site request or missing form "
                                            "token"},
    404: {"model": ErrorOut, "description": "No such item"},
    413: {"model": ErrorOut, "description": "Request body too large"},
}
