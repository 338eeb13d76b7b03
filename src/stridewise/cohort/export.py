"""A cohort dataset from stores: a folder of single-user SQLite files, the multi-user server's
PostgreSQL (only athletes with an active research grant for the study), or a folder of raw
activity files per participant (one subfolder each, imported by the normal importer).

De-identification (docs/cohort.md says why each step is needed; a keyed hash alone is not
enough):

- participant ids are ``HMAC-SHA256(key, study:source id)``, the key in a file that stays with
  the data owner (without it nobody can link a pseudonym back, or forward from a known id);
- every date and time moves back by a keyed whole number of weeks (7-364 days) per
  participant, so weekdays stay, intervals stay, and calendar dates do not leave;
- birth years become 5-year bands;
- no location streams, activity names, notes or answers leave: only the summary fields the
  kernels read, the check-ins' pain/sleep/wellbeing fields and screening *levels*.

Each SQLite file is copied and opened through :func:`stridewise.store.open_store`, which checks
its schema and migrates the copy to the current one (the owner's file is never changed).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import inspect, text

from stridewise import clock
from stridewise.core.app import Core
from stridewise.science.screening import ScreeningResult
from stridewise.series.frames import load_frames
from stridewise.store import RawFileStore, Store, open_store
from stridewise.store.engine import make_engine

from . import dataset as ds

#: Dates move back by a keyed whole number of weeks, 1 to this many.
SHIFT_MAX_WEEKS = 52
#: A key shorter than this is refused (HMAC-SHA256 wants a key of 32 random bytes).
MIN_KEY_BYTES = 16
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


class ExportRefused(Exception):
    """The export cannot go ahead (no consent table, no key...): the message says why."""


def read_key(path: Path, *, create: bool = False) -> bytes:
    """The pseudonymisation key from ``path``; ``create`` writes a new random one (mode 0600)
    when the file does not exist."""
    path = Path(path)
    if not path.exists():
        if not create:
            raise ExportRefused(
                f"no key file at {path}. Create one with --create-key (keep it with the data "
                "owner, never with the dataset: whoever holds it can re-identify pseudonyms).")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32) + "\n")
        path.chmod(0o600)
    key = path.read_bytes().strip()
    if len(key) < MIN_KEY_BYTES:
        raise ExportRefused(f"the key in {path} is too short ({len(key)} bytes; at least "
                            f"{MIN_KEY_BYTES}): use --create-key on a new file")
    return key


def pseudonym(key: bytes, study: str, source_id: str) -> str:
    """``HMAC-SHA256(key, "study:source")``, first 20 hex digits (80 bits)."""
    return hmac.new(key, f"{study}:{source_id}".encode(), hashlib.sha256).hexdigest()[:20]


def date_shift(key: bytes, study: str, source_id: str) -> timedelta:
    """How far back this participant's dates move: a keyed 1-52 whole weeks."""
    digest = hmac.new(key, f"shift:{study}:{source_id}".encode(), hashlib.sha256).digest()
    return timedelta(weeks=1 + int.from_bytes(digest[:8], "big") % SHIFT_MAX_WEEKS)


@dataclass
class ExportReport:
    participants: int = 0
    partitions: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)


def _utc(values: Any, shift: timedelta) -> pd.Series:
    series = pd.to_datetime(pd.Series(values, dtype=object), utc=True)
    return (series - shift).dt.as_unit("us")


def athlete_tables(store: Store, athlete_id: int, pid: str, shift: timedelta
                   ) -> dict[str, pd.DataFrame]:
    """One athlete's de-identified rows of every dataset table."""
    frames = load_frames(store, athlete_id)
    with store.transaction() as tx:
        athlete = tx.get_athlete(athlete_id)
        checkins = tx.list_checkins(athlete_id)
        screenings = tx.list_screenings(athlete_id)
    assert athlete is not None
    zone = athlete.time_zone
    through = clock.today(zone) - shift
    acts = frames.activities.copy()
    acts["start_time_utc"] = _utc(acts["start_time_utc"], shift)
    acts.insert(0, "pid", pid)
    manual = frames.manual.copy()
    manual["start_time_utc"] = _utc(manual["start_time_utc"], shift)
    manual.insert(0, "pid", pid)
    check = pd.DataFrame([{
        "pid": pid, "at_utc": c.at_utc, "pain_score": c.pain_score,
        "pain_timing": c.pain_timing, "pain_site": c.pain_site,
        "pain_localised_bone": bool(c.pain_localised_bone), "fell": bool(c.fell),
        "doctor_cleared": bool(c.doctor_cleared), "sleep_hours": c.sleep_hours,
        "who5_raw": float(sum(c.who5)) if c.who5 else None,
    } for c in checkins], columns=ds.SCHEMAS["checkins"].names)
    check["at_utc"] = _utc(check["at_utc"], shift)
    measures = frames.measures.copy()
    measures["date"] = [d - shift for d in measures["date"]]
    measures.insert(0, "pid", pid)
    screened = []
    for row in screenings:
        result = ScreeningResult.from_dict(row.result)
        screened.append({"pid": pid, "taken_at_utc": row.taken_at_utc,
                         "impact_level": result.permitted_impact.value,
                         "can_start": result.can_start,
                         "falls_risk": result.falls_result.risk.value})
    screen = pd.DataFrame(screened, columns=ds.SCHEMAS["screenings"].names)
    screen["taken_at_utc"] = _utc(screen["taken_at_utc"], shift)
    participant = pd.DataFrame([{
        "pid": pid, "time_zone": zone, "sex": athlete.sex,
        "birth_year_band": ds.birth_year_band(athlete.birth_year),
        "resting_hr_bpm": athlete.resting_hr_bpm,
        "resting_hr_estimated": bool(athlete.resting_hr_estimated),
        "max_hr_bpm": athlete.max_hr_bpm, "max_hr_estimated": bool(athlete.max_hr_estimated),
        "through": through, "group": None,
    }])
    return {"participants": participant, "activities": acts, "manual": manual,
            "checkins": check, "measures": measures, "screenings": screen}


class _Writer:
    """Collects participants' tables and writes a partition every ``size`` participants."""

    def __init__(self, out: Path, size: int) -> None:
        self.out, self.size = out, size
        self.pending: dict[str, list[pd.DataFrame]] = {t: [] for t in ds.TABLES}
        self.count = 0
        self.parts = 0

    def add(self, tables: dict[str, pd.DataFrame]) -> None:
        for name in ds.TABLES:
            self.pending[name].append(tables[name])
        self.count += 1
        if self.count % self.size == 0:
            self.flush()

    def flush(self) -> None:
        if not self.pending["participants"]:
            return
        for name in ds.TABLES:
            frames = [f for f in self.pending[name] if len(f)]
            frame = (pd.concat(frames, ignore_index=True) if frames
                     else ds.SCHEMAS[name].empty_table().to_pandas())
            ds.write_table(self.out, name, self.parts, frame)
            self.pending[name] = []
        self.parts += 1


def _sqlite_stores(folder: Path, work: Path, report: ExportReport
                   ) -> Iterator[tuple[str, Store]]:
    for path in sorted(p for p in Path(folder).iterdir() if p.suffix in SQLITE_SUFFIXES):
        copy = work / path.name
        shutil.copy2(path, copy)
        try:
            store = open_store(f"sqlite:///{copy}", raw_dir=work / "raw")  # checks + migrates
        except Exception as exc:
            report.skipped.append({"source": path.name,
                                   "reason": f"not a stridewise store ({type(exc).__name__})"})
            continue
        try:
            yield path.name, store
        finally:
            store.close()


def _granted(url: str, study: str) -> tuple[Store, list[int]]:
    engine = make_engine(url)
    if "research_grant" not in inspect(engine).get_table_names():
        engine.dispose()
        raise ExportRefused(
            "this database has no research_grant table (it comes with migration "
            "0006_server_accounts). Without recorded research consent nothing is exported.")
    now = clock.now_utc().astimezone(UTC).replace(tzinfo=None)
    with engine.connect() as conn:
        ids = [int(r[0]) for r in conn.execute(text(
            "SELECT DISTINCT athlete_id FROM research_grant WHERE study = :study "
            "AND granted_at <= :now AND (revoked_at IS NULL OR revoked_at > :now) "
            "ORDER BY athlete_id"), {"study": study, "now": now})]
    raw = Path(tempfile.mkdtemp(prefix="stridewise-export-raw-"))
    return Store(engine, url, RawFileStore(raw)), ids


def export(out: Path, *, study: str, key_file: Path, sqlite_folder: Path | None = None,
           postgres_url: str | None = None, activity_folder: Path | None = None,
           create_key: bool = False, partition_size: int = 250,
           activity_zone: str = "UTC") -> ExportReport:
    """Write a dataset from exactly one source (see the module docstring)."""
    sources = [s for s in (sqlite_folder, postgres_url, activity_folder) if s is not None]
    if len(sources) != 1:
        raise ExportRefused("give exactly one of --from-sqlite-folder, --from-postgres, "
                            "--from-activity-folder")
    if not study.strip():
        raise ExportRefused("--study needs a name (research grants are given per study)")
    key = read_key(key_file, create=create_key)
    out = Path(out)
    if (out / "dataset.json").exists():
        raise ExportRefused(f"{out} already holds a dataset; choose a new folder")
    report = ExportReport()
    writer = _Writer(out, partition_size)

    def add(source_id: str, store: Store, athlete_id: int) -> None:
        tables = athlete_tables(store, athlete_id, pseudonym(key, study, source_id),
                                date_shift(key, study, source_id))
        writer.add(tables)

    with tempfile.TemporaryDirectory(prefix="stridewise-export-") as tmp:
        work = Path(tmp)
        if sqlite_folder is not None:
            if not Path(sqlite_folder).is_dir():
                raise ExportRefused(f"{sqlite_folder} is not a folder")
            for name, store in _sqlite_stores(Path(sqlite_folder), work, report):
                with store.transaction() as tx:
                    ids = [a.id for a in tx.list_athletes()]
                for athlete_id in ids:
                    add(f"{name}/{athlete_id}", store, athlete_id)
        elif postgres_url is not None:
            store, ids = _granted(postgres_url, study)
            try:
                for athlete_id in ids:
                    add(f"server/{athlete_id}", store, athlete_id)
            finally:
                store.close()
        else:
            assert activity_folder is not None
            if not Path(activity_folder).is_dir():
                raise ExportRefused(f"{activity_folder} is not a folder")
            for sub in sorted(p for p in Path(activity_folder).iterdir() if p.is_dir()):
                with open_store(f"sqlite:///{work / (sub.name + '.db')}",
                                raw_dir=work / "raw" / sub.name) as store:
                    core = Core(store)
                    ctx = core.context()
                    with store.write_transaction(ctx.athlete_id) as tx:
                        tx.update_athlete(ctx.athlete_id, time_zone=activity_zone)
                    try:
                        core.import_paths(core.context(), [sub])
                    except Exception as exc:
                        report.skipped.append({"source": sub.name, "reason": str(exc)})
                        continue
                    add(f"files/{sub.name}", store, ctx.athlete_id)
    writer.flush()
    report.participants, report.partitions = writer.count, writer.parts
    source = ("sqlite folder" if sqlite_folder is not None else
              "postgresql (active research grants)" if postgres_url is not None else
              "activity files")
    ds.write_info(out, ds.DatasetInfo(writer.parts, source,
                                      "shifted back by a keyed 1-52 weeks per participant",
                                      {"study": study, "partition_size": partition_size,
                                       "skipped": report.skipped}))
    (out / "export_report.json").write_text(json.dumps(
        {"participants": report.participants, "skipped": report.skipped}, indent=2))
    return report
