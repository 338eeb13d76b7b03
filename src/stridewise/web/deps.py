"""Access to the app's store and the (single, local) athlete from a request."""

from __future__ import annotations

from fastapi import Request

from stridewise.store import Store


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
