"""Access to the app's store and the (single, local) athlete from a request, and the one way
form numbers are read."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import FormData

from stridewise.core.app import AthleteContext, Core
from stridewise.store import Store


def core_of(request: Request) -> Core:
    """The application core every route calls (one per app, built with the store)."""
    core: Core = request.app.state.core
    return core


def context_of(request: Request) -> AthleteContext:
    """The athlete this request acts for, with their zone and today."""
    return core_of(request).context(athlete_id_of(request))


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def athlete_id_of(request: Request) -> int:
    athlete_id: int = request.app.state.athlete_id
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
