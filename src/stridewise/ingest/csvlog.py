"""Manual sessions from a CSV file (one session per row) as :class:`ManualSession` objects.

Columns (header names are case-insensitive; the order does not matter):

===============  =========  ==============================================================
``date``         required   ISO date (``2025-03-14``) or date and time
                            (``2025-03-14T07:30``, ``2025-03-14 07:30``, with an optional
                            zone such as ``+01:00`` or ``Z``). A time without a zone is in
                            the athlete's time zone (the importer passes it; else this
                            computer's); a date alone is taken as noon local time, so the
                            day stays the same under any time-zone shift. Dates before 1950
                            (the typed-log floor of :data:`stridewise.core.validation.
                            DATE_FLOORS`: a log may copy an old paper diary) or in the future
                            are refused.
``type``         required   run, walk, strength, balance, impact or other
``duration``     required   minutes (``45``, ``37.5``) or ``h:mm:ss`` (``1:05:00``). Two-part
                            values like ``1:30`` are refused: minutes:seconds and
                            hours:minutes are both common, and a guess would be wrong half
                            the time.
``distance_km``  optional   kilometres; or ``distance_mi`` for miles (one per row)
``rpe``          optional   effort 0-10 (CR-10 scale)
``notes``        optional   free text
===============  =========  ==============================================================

Every value goes through :mod:`stridewise.core.validation`: duration, distance and RPE must lie
in its ``RANGES`` (a session lasts at most 48 hours and covers at most 1,000 km).

A file with any bad row is refused as a whole, with every bad row listed by its spreadsheet
row number (the header is row 1): fixing the file and importing it again is simpler and safer
than finding out which half of it went in. Blank rows are skipped. Unknown columns are refused
too, so a misspelt ``distance_kn`` cannot silently drop every distance.

Big files: rows are parsed as they stream from the CSV reader (never all split up front), a
``progress`` callback hears every ``PROGRESS_EVERY`` rows, and a file of more than ``MAX_ROWS``
sessions is refused as soon as that row is reached, with a message saying how to split it.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, tzinfo
from typing import TypeVar

from stridewise.activity import MANUAL_KINDS, ManualSession
from stridewise.core.validation import RANGES, InvalidValue, check_day, check_moment
from stridewise.errors import CorruptFileError, EmptyActivityError, FileTooLargeError

METRES_PER_MILE = 1609.344
REQUIRED_COLUMNS = ("date", "type", "duration")
OPTIONAL_COLUMNS = ("distance_km", "distance_mi", "rpe", "notes")
#: How many bad rows the error message lists before summarising the rest.
MAX_LISTED_ERRORS = 20
#: Most sessions one log may hold: three a day for 90 years. More is not a training diary
#: (a million-row file used to run for minutes and store nothing).
MAX_ROWS = 100_000
#: The progress callback hears the number of rows read every this many rows.
PROGRESS_EVERY = 10_000
_T = TypeVar("_T")
_KIND_SYNONYMS = {"running": "run", "walking": "walk", "strength training": "strength"}


class _RowError(ValueError):
    """A problem with one cell, worded for the person who typed it."""


def _parse_start(text: str, local_tz: tzinfo | None) -> datetime:
    text = text.strip()
    if not text:
        raise _RowError("date is empty")
    day: date | None = None
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time(12, 0))
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise _RowError(
            f"date {text!r} is not an ISO date like 2025-03-14 or 2025-03-14T07:30"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_tz or UTC)
    try:
        if day is not None:  # a day alone: today is fine wherever the athlete is
            check_day(day, source="typed")
            return moment.astimezone(UTC)
        return check_moment(moment, source="typed", field="date")
    except InvalidValue as exc:
        raise _RowError(f"date {text!r}: {exc.message[0].lower()}{exc.message[1:]}") from None


def _parse_duration_s(text: str) -> float:
    text = text.strip()
    if not text:
        raise _RowError("duration is empty")
    parts = text.split(":")
    if len(parts) not in (1, 3):
        raise _RowError(
            f"duration {text!r} is ambiguous: write minutes (90) or h:mm:ss (1:30:00)"
        )
    try:
        if len(parts) == 1:
            seconds = float(text) * 60.0
        else:
            hours, minutes, secs = int(parts[0]), int(parts[1]), float(parts[2])
            if not (0 <= minutes < 60 and 0 <= secs < 60 and hours >= 0):
                raise ValueError
            seconds = hours * 3600.0 + minutes * 60.0 + secs
    except ValueError:
        raise _RowError(
            f"duration {text!r} is not minutes (45) or h:mm:ss (1:05:00)"
        ) from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise _RowError(f"duration {text!r} must be more than zero")
    top = RANGES["duration_s"].high
    if seconds > top:
        raise _RowError(f"duration {text!r} is over {top / 3600:g} hours, the most one "
                        "session can last")
    return seconds


def _parse_optional_number(text: str | None, what: str) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        value = float(text.strip())
    except ValueError:
        hint = " (use a dot for decimals)" if "," in text else ""
        raise _RowError(f"{what} {text.strip()!r} is not a number{hint}") from None
    if not math.isfinite(value):
        raise _RowError(f"{what} {text.strip()!r} is not a number")
    return value


def _parse_kind(text: str) -> str:
    kind = text.strip().lower()
    kind = _KIND_SYNONYMS.get(kind, kind)
    if kind not in MANUAL_KINDS:
        shown = text.strip() or "(empty)"
        raise _RowError(f"type {shown!r} is not one of {', '.join(MANUAL_KINDS)}")
    return kind


def _collect(problems: list[str], parse: Callable[[], _T]) -> _T | None:
    """Run one cell's parser; record its problem instead of stopping at the first one."""
    try:
        return parse()
    except _RowError as exc:
        problems.append(str(exc))
        return None


def _session(row: dict[str, str], local_tz: tzinfo | None) -> ManualSession:
    problems: list[str] = []
    start = _collect(problems, lambda: _parse_start(row.get("date") or "", local_tz))
    kind = _collect(problems, lambda: _parse_kind(row.get("type") or ""))
    duration_s = _collect(problems, lambda: _parse_duration_s(row.get("duration") or ""))
    km = _collect(
        problems, lambda: _parse_optional_number(row.get("distance_km"), "distance_km")
    )
    miles = _collect(
        problems, lambda: _parse_optional_number(row.get("distance_mi"), "distance_mi")
    )
    rpe = _collect(problems, lambda: _parse_optional_number(row.get("rpe"), "rpe"))
    rpe_range = RANGES["rpe"]
    if rpe is not None and not rpe_range.low <= rpe <= rpe_range.high:
        problems.append(f"rpe {rpe:g} is outside {rpe_range.low:g}-{rpe_range.high:g} "
                        "(CR-10 scale)")
    if km is not None and miles is not None:
        problems.append("give the distance in distance_km or distance_mi, not both")
    distance_m = km * 1000.0 if km is not None else None
    if miles is not None:
        distance_m = miles * METRES_PER_MILE
    far = RANGES["distance_m"]
    if distance_m is not None and not far.low <= distance_m <= far.high:
        problems.append(f"distance {distance_m / 1000:g} km is outside {far.low / 1000:g}-"
                        f"{far.high / 1000:g} km, the most one session can cover")
    if problems or start is None or kind is None or duration_s is None:
        raise _RowError("; ".join(problems))
    try:
        return ManualSession(
            start_time_utc=start,
            kind=kind,
            duration_s=duration_s,
            distance_m=distance_m,
            rpe=rpe,
            notes=(row.get("notes") or "").strip() or None,
        )
    except ValueError as exc:
        raise _RowError(str(exc)) from None


def is_session_log_header(head: bytes) -> bool:
    """Whether ``head`` (a file's first bytes) starts with a header naming every required
    column, i.e. the file is meant as a session log. Used to pick logs out of folders and
    archives, where most CSVs are something else (Strava's activities.csv has "Activity Date"
    and "Activity Type", not "date" and "type")."""
    first_line = head.decode("utf-8-sig", errors="replace").splitlines()[:1]
    try:
        cells = next(csv.reader(first_line), [])
    except csv.Error:
        return False
    names = {cell.strip().lower() for cell in cells}
    return all(column in names for column in REQUIRED_COLUMNS)


def _check_header(fieldnames: list[str] | None, source_name: str) -> list[str]:
    if not fieldnames:
        raise EmptyActivityError("the CSV file has no header row", source=source_name)
    names = [name.strip().lower() for name in fieldnames]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    unknown = [n for n in names if n not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column(s) {', '.join(repr(u) for u in unknown)}")
        raise CorruptFileError(
            f"the CSV header has {' and '.join(parts)}; expected "
            f"{', '.join(REQUIRED_COLUMNS)} and optionally {', '.join(OPTIONAL_COLUMNS)}",
            source=source_name,
        )
    return names


def read(
    data: bytes, *, source_name: str, local_tz: tzinfo | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[ManualSession]:
    """Read a manual-session CSV; ``local_tz`` overrides this computer's zone for naive times.

    ``progress`` is called with the number of rows read so far every ``PROGRESS_EVERY`` rows.
    Raises :class:`CorruptFileError` listing every bad row (nothing is imported then),
    :class:`FileTooLargeError` past ``MAX_ROWS`` rows, and :class:`EmptyActivityError` when the
    file has no sessions.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorruptFileError(
            f"the CSV file is not UTF-8 text (byte {exc.start} is invalid); save it as UTF-8",
            source=source_name,
        ) from None
    rows = csv.reader(io.StringIO(text, newline=""))
    del text  # the reader holds it; no second copy of a big file
    try:
        names = _check_header(next(rows, None), source_name)
        sessions, errors = _read_rows(rows, names, source_name, local_tz, progress)
    except csv.Error as exc:
        raise CorruptFileError(f"the CSV file is malformed ({exc})", source=source_name) from None
    if errors:
        listed = errors[:MAX_LISTED_ERRORS]
        more = len(errors) - len(listed)
        tail = f"; and {more} more bad row(s)" if more else ""
        raise CorruptFileError(
            f"{len(errors)} row(s) have problems, so nothing was imported: "
            + "; ".join(listed) + tail,
            source=source_name,
        )
    if not sessions:
        raise EmptyActivityError("the CSV file has a header but no sessions", source=source_name)
    return sessions


def _read_rows(
    rows: Iterator[list[str]], names: list[str], source_name: str, local_tz: tzinfo | None,
    progress: Callable[[int], None] | None,
) -> tuple[list[ManualSession], list[str]]:
    sessions: list[ManualSession] = []
    errors: list[str] = []
    for row_number, cells in enumerate(rows, start=2):
        if progress is not None and (row_number - 1) % PROGRESS_EVERY == 0:
            progress(row_number - 1)
        if not any(cell.strip() for cell in cells):
            continue
        if len(sessions) + len(errors) >= MAX_ROWS:
            raise FileTooLargeError(
                f"has more than {MAX_ROWS:,} sessions (row {row_number:,} is one too many); a "
                f"session log holds at most {MAX_ROWS:,}: split it into several files and "
                "import them one by one",
                source=source_name,
            )
        if len(cells) > len(names):
            errors.append(f"row {row_number}: {len(cells)} cells but the header has "
                          f"{len(names)} columns (a comma in the notes needs quotes)")
            continue
        row = dict(zip(names, cells, strict=False))
        try:
            sessions.append(_session(row, local_tz))
        except _RowError as exc:
            errors.append(f"row {row_number}: {exc}")
    return sessions, errors
