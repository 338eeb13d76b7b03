"""The one clock: every "now" and "today" in stridewise comes from here.

The rule (docs/design.md, "Time"):

- Instants are UTC (``now_utc``). Nothing else in the package reads the system clock; ruff's
  ``DTZ`` and banned-API rules enforce that outside this module.
- An athlete's "today" is the calendar date in the athlete's stored time zone
  (``today(zone)``). The zone is stored when the athlete is created (the machine's zone as the
  default, read once by ``machine_zone_name``) and the machine's zone is never read after that.
- Tests swap the clock with ``use_clock(FixedClock(...))``; a whole process can also be moved in
  time with libfaketime, since the system clock is read in exactly one place.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FALLBACK_ZONE = "UTC"


class Clock(Protocol):
    def now_utc(self) -> datetime: ...


class SystemClock:
    """The machine's clock (the only call to it in the package)."""

    def now_utc(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock standing at one instant (aware; naive values are taken as UTC); ``advance``
    moves it on, as a test needs."""

    at: datetime
    _at_utc: datetime = field(init=False)

    def __post_init__(self) -> None:
        self.set(self.at)

    def set(self, at: datetime) -> None:
        self._at_utc = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._at_utc += delta

    def now_utc(self) -> datetime:
        return self._at_utc


_current: Clock = SystemClock()


def now_utc() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return _current.now_utc()


def as_zone(zone: tzinfo | str | None) -> tzinfo:
    """A zone from its IANA name; unknown or empty names fall back to UTC."""
    if zone is None or zone == "":
        return UTC
    if isinstance(zone, tzinfo):
        return zone
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def now_in(zone: tzinfo | str | None) -> datetime:
    """The current instant as wall-clock time in ``zone`` (aware)."""
    return now_utc().astimezone(as_zone(zone))


def today(zone: tzinfo | str | None) -> date:
    """Today's date in ``zone`` (an athlete's stored zone): the one definition of "today"."""
    return now_in(zone).date()


def monotonic_s() -> float:
    """Seconds on a monotonic clock, for measuring durations (never a date)."""
    return time.monotonic()


def current() -> Clock:
    """The clock in use (passed to worker processes, which then share it)."""
    return _current


def install(clock: Clock) -> None:
    """Use ``clock`` from now on in this process (a worker's initializer)."""
    global _current
    _current = clock


@contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    """Run a block with another clock (tests)."""
    global _current
    previous, _current = _current, clock
    try:
        yield clock
    finally:
        _current = previous


def machine_zone_name() -> str:
    """The machine's IANA zone name, read once when an athlete is created (never afterwards).

    Order: ``$TZ`` if it names a known zone, ``/etc/timezone``, the ``/etc/localtime`` link;
    UTC when none of them names a zone."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    timezone_file = Path("/etc/timezone")
    if timezone_file.is_file():
        candidates.append(timezone_file.read_text(encoding="utf-8", errors="replace").strip())
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if not name or name.startswith("/"):
            continue
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return FALLBACK_ZONE
