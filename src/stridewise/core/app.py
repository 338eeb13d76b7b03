"""The core object: a store, a clock, and the product's actions for one athlete at a time.

Faces build one :class:`Core` (the dashboard keeps it on ``app.state``; the CLI makes one per
command), ask it for an :class:`AthleteContext`, and call its methods. The methods hold the
rules that decide; the faces only parse input and render output. The core is the only caller
of :mod:`stridewise.plan.service`, the series and the report builder from a face.

Layers (docs/design.md draws them): ``science`` (pure kernels) and ``store`` (persistence) at
the bottom; ``series``, ``plan``, ``monitor`` and ``ingest`` on top of them; ``core`` above all
of those; ``present`` (view models and formatters) beside the core; the faces (``cli``, ``web``,
``report``) on top. Nothing imports upward.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pandas as pd

from stridewise import clock
from stridewise.activity import ManualSession
from stridewise.core import validation
from stridewise.core.derived_cache import DerivedCache
from stridewise.monitor import zone_named, zone_of
from stridewise.plan import service
from stridewise.plan.persist import athlete_age
from stridewise.science import brain as brain_science
from stridewise.science import questionnaires
from stridewise.science.pain import PainDecision
from stridewise.science.screening import BoneInputs, ParqAnswers, ScreeningResult
from stridewise.series.frames import SeriesFrames, load_frames
from stridewise.store import CheckInInput, Store

T = TypeVar("T")
_log = logging.getLogger(__name__)
#: Derived values worked out inside :meth:`Core._write_and_answer`'s transaction, kept once
#: it commits (None outside one).
_DEFERRED: ContextVar[list[tuple[int, Hashable, tuple[Any, int], Any]] | None] = ContextVar(
    "stridewise_core_deferred", default=None)

@dataclass(frozen=True)
class AthleteContext:
    """Who the core acts for, and the day it is for them (in their own time zone)."""

    athlete_id: int
    zone: ZoneInfo
    today: date


@dataclass(frozen=True)
class CheckInOutcome:
    row: Any
    decision: PainDecision | None
    changes: tuple[str, ...]


@dataclass(frozen=True)
class ProfileFill:
    """What a screening's answers add to the profile: only what the profile lacks (sex, birth
    year) or a body weight that differs from the latest weighing. None means nothing to add."""

    sex: str | None = None
    birth_year: int | None = None
    body_mass_kg: float | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.sex, self.birth_year, self.body_mass_kg))

    def words(self) -> str:
        """``sex female, birth year 1958, weight 55 kg``."""
        parts = []
        if self.sex is not None:
            parts.append(f"sex {self.sex}")
        if self.birth_year is not None:
            parts.append(f"birth year {self.birth_year}")
        if self.body_mass_kg is not None:
            parts.append(f"weight {self.body_mass_kg:g} kg")
        return ", ".join(parts)


def profile_fill(bone: BoneInputs, today: date, *, sex: str | None, birth_year: int | None,
                 latest_mass_kg: float | None) -> ProfileFill:
    """The rule "what the screening learned fills the profile" (issue 17), as a pure function.

    Sex and birth year fill only an empty profile field: the profile keeps no birthday, so a
    year worked out from an age (``today.year - age``, the inverse of
    :func:`stridewise.plan.persist.age_on`) may be a year off and must not replace one the
    person typed. A weight is a new weighing today when it differs from the latest. A value
    outside the validation ranges is left out, not stored.
    """
    new_sex = str(bone.sex.value) if sex is None and bone.sex is not None else None
    new_year: int | None = None
    if birth_year is None and bone.age_years:
        try:
            new_year = validation.check_birth_year(today.year - bone.age_years, today)
        except validation.InvalidValue:
            new_year = None
    new_mass: float | None = None
    if bone.body_mass_kg is not None and bone.body_mass_kg != latest_mass_kg:
        try:
            new_mass = validation.check_range("body_mass_kg", bone.body_mass_kg)
        except validation.InvalidValue:
            new_mass = None
    return ProfileFill(new_sex, new_year, new_mass)


@dataclass(frozen=True)
class ScreeningOutcome:
    row: Any
    result: ScreeningResult
    changes: tuple[str, ...]
    profile_filled: ProfileFill = ProfileFill()


class Core:
    """The application core. Built from a store (and the process's clock, see
    :mod:`stridewise.clock`); one per process or request is fine, it keeps only a cache."""

    def __init__(self, store: Store, *, answer_after_writes: bool = False) -> None:
        """``answer_after_writes`` (the dashboards and the server): after each change the
        core makes for an athlete, work out that athlete's advice again at once, so the
        next page (or a coach's roster) finds it ready instead of working it out while
        someone waits. A command-line run, which ends after one action, leaves it off."""
        self.store = store
        self._derived = DerivedCache()
        self._answer_after_writes = answer_after_writes

    def _keep(self, athlete_id: int, what: Hashable, stamp: tuple[Any, int],
              compute: Callable[[], T]) -> T:
        """The derived value kept for ``what`` at ``stamp``, else computed now and kept; inside
        :meth:`_deferring` kept only once the transaction has committed."""
        deferred = _DEFERRED.get()
        if deferred is None:
            return self._derived.get(athlete_id, what, stamp, compute)
        found, value = self._derived.peek(athlete_id, what, stamp)
        if found:
            return value
        value = compute()
        deferred.append((athlete_id, what, stamp, value))
        return value

    def _kept(self, athlete_id: int, what: Hashable, stamp: tuple[Any, int],
              value: Any) -> None:
        deferred = _DEFERRED.get()
        if deferred is None:
            self._derived.put(athlete_id, what, stamp, value)
        else:
            deferred.append((athlete_id, what, stamp, value))

    def _write_and_answer(self, ctx: AthleteContext, write: Callable[[], T]) -> T:
        """``write()`` and, with ``answer_after_writes``, the advice after it, in one
        transaction (one view of the rows: the reads the write's pain rules made are not made
        again). What is worked out is kept only after the commit: a revision number read
        inside an uncommitted transaction could be given to someone else's change after a
        rollback. The advice runs in a savepoint, so its failure leaves the write standing
        (logged; the next page meets the error)."""
        if not self._answer_after_writes:
            return write()
        deferred: list[tuple[int, Hashable, tuple[Any, int], Any]] = []
        token = _DEFERRED.set(deferred)
        try:
            with self.store.unit(ctx.athlete_id) as tx:
                result = write()
                try:
                    with tx.session.begin_nested():
                        self.advice(ctx)
                except Exception:  # the write stands; the page that asks next reports it
                    _log.exception("working out the advice after a change failed")
                    deferred.clear()
        finally:
            _DEFERRED.reset(token)
        for athlete_id, what, stamp, value in deferred:
            self._derived.put(athlete_id, what, stamp, value)
        return result

    def _answer_again(self, ctx: AthleteContext) -> None:
        """The advice after a change, computed now (see ``answer_after_writes``). The change
        is committed: a failure here is logged, not raised, and the next page that asks
        for the advice meets it again."""
        if not self._answer_after_writes:
            return
        try:
            self.advice(ctx)
        except Exception:  # the write stands; the page that asks next reports the error
            _log.exception("working out the advice after a change failed")

    # -- who and when --------------------------------------------------------------------
    def context(self, athlete_id: int | None = None) -> AthleteContext:
        """The athlete (default: the single local user) with their zone and today."""
        athlete_id = self.store.default_athlete_id() if athlete_id is None else athlete_id
        zone = zone_of(self.store, athlete_id)
        return AthleteContext(athlete_id, zone, clock.today(zone))

    @staticmethod
    def context_in(athlete_id: int, zone_name: str | None) -> AthleteContext:
        """:meth:`context` for an athlete whose stored zone name the caller has just read
        (the server's gate reads it with the access decision, a roster with the revisions)."""
        zone = zone_named(zone_name)
        return AthleteContext(athlete_id, zone, clock.today(zone))

    def profile(self, ctx: AthleteContext) -> Any:
        return self.store.athlete(ctx.athlete_id)

    def age(self, ctx: AthleteContext) -> int | None:
        """The athlete's age today: from the profile's birth year, else the age the latest
        screening was answered with (plan.persist.athlete_age, the one rule the planner reads
        too); None when neither is known."""
        with self.store.transaction() as tx:
            return athlete_age(tx, ctx.athlete_id, ctx.today)

    def update_profile(self, ctx: AthleteContext, *, sex: str | None = None,
                       birth_year: int | None = None, resting_hr_bpm: float | None = None,
                       max_hr_bpm: float | None = None, units: str | None = None,
                       time_zone: str | None = None, body_mass_kg: float | None = None,
                       mass_on: date | None = None) -> Any:
        """Set the given profile fields (None leaves one as it is) and, with
        ``body_mass_kg``, a weighing on ``mass_on`` (default today). Every value is checked
        first, the heart rates also against the ones already stored (resting below maximum
        whichever was given first); one refused value stores nothing (InvalidValue or
        ValueError naming it)."""
        if birth_year is not None:
            validation.check_birth_year(birth_year, ctx.today)
        if body_mass_kg is not None:
            validation.check_range("body_mass_kg", body_mass_kg, label="body weight")
        with self.store.write_transaction(ctx.athlete_id) as tx:
            athlete = tx.get_athlete(ctx.athlete_id)
            validation.check_heart_rates(
                resting_hr_bpm, max_hr_bpm,
                stored_resting_hr_bpm=athlete.resting_hr_bpm if athlete is not None else None,
                stored_max_hr_bpm=athlete.max_hr_bpm if athlete is not None else None)
            athlete = tx.update_athlete(ctx.athlete_id, sex=sex, birth_year=birth_year,
                                        resting_hr_bpm=resting_hr_bpm, max_hr_bpm=max_hr_bpm,
                                        units=units, time_zone=time_zone)
            if body_mass_kg is not None:
                # A weighing is on the person's own day, in the zone just given if any.
                today = clock.today(athlete.time_zone)
                day = (validation.check_day(mass_on, field="mass_date", today=today)
                       if mass_on is not None else today)
                tx.add_body_mass(ctx.athlete_id, day, body_mass_kg)
        # A new zone moves today: the advice is worked out for the context the faces build
        # next, not this one.
        if time_zone is None:
            self._answer_again(ctx)
        return athlete

    def units(self, ctx: AthleteContext) -> str:
        athlete = self.profile(ctx)
        return athlete.units if athlete is not None and athlete.units else "km"

    # -- what the data says --------------------------------------------------------------
    def revision(self, ctx: AthleteContext) -> tuple[int, int]:
        """Two numbers the database's triggers move: the first whenever any row the advice
        reads changes for the athlete, the second only with the profile, activities and
        hand-logged sessions. What the series and the advice are cached under. Read once a
        request (:func:`stridewise.store.core.request_reads`)."""
        return self.store.revision(ctx.athlete_id)

    def series(self, ctx: AthleteContext, *, through: date | None = None) -> pd.DataFrame:
        """The daily series through ``through`` (default: the athlete's today), cached while
        the rows it reads are unchanged; after a check-in only the columns check-ins and
        phone measures feed are recomputed. Callers must not change the frame (it is
        shared)."""
        from stridewise.series.daily import session_days, with_checkins_and_measures

        day = through or ctx.today
        # Today's entries are replaced on the next day (the stamp holds today); others stay
        # until memory is needed.
        which = "today" if day == ctx.today else day
        revision, sessions_revision = self.revision(ctx)

        def compute() -> pd.DataFrame:
            loaded: list[SeriesFrames] = []

            def days() -> pd.DataFrame:
                loaded.append(self.frames(ctx))
                return session_days(loaded[0], through=day)

            held = self._keep(ctx.athlete_id, ("session days", which),
                                     (ctx.today, sessions_revision), days)
            frames = loaded[0] if loaded else load_frames(self.store, ctx.athlete_id,
                                                          sessions=False)
            return with_checkins_and_measures(held, frames)

        return self._keep(ctx.athlete_id, ("series", which), (ctx.today, revision),
                                 compute)

    def session_days(self, ctx: AthleteContext) -> pd.DataFrame:
        """The part of the daily series through today that the profile, activities and
        hand-logged sessions alone make (``series.daily.session_days``: the date and session
        columns), kept until one of those changes. Callers must not change the frame."""
        from stridewise.series.daily import session_days

        return self._keep(ctx.athlete_id, ("session days", "today"),
                          (ctx.today, self.revision(ctx)[1]),
                          lambda: session_days(self.frames(ctx), through=ctx.today))

    def derived_from_sessions(self, ctx: AthleteContext, what: Hashable,
                              compute: Callable[[], T]) -> T:
        """:meth:`derived` for a view made from :meth:`session_days` alone (``compute`` reads
        that and nothing else): kept until the profile, an activity or a hand-logged session
        changes, so a check-in does not make it again."""
        return self._keep(ctx.athlete_id, ("sessions view", what),
                          (ctx.today, self.revision(ctx)[1]), compute)

    def derived(self, ctx: AthleteContext, what: Hashable, compute: Callable[[], T]) -> T:
        """A face's view of the athlete's data (e.g. Trends' charts for a range), computed
        by ``compute`` and kept while the athlete's rows are unchanged, like the series.
        ``what`` names it, with every input beside the rows (range, units). ``compute`` must
        read what it needs through the core itself (``core.series(ctx)`` inside it): a value
        read before this call may be older than the revision it would be kept under."""
        return self._keep(ctx.athlete_id, ("view", what),
                                 (ctx.today, self.revision(ctx)[0]), compute)

    def frames(self, ctx: AthleteContext) -> SeriesFrames:
        """The athlete's activities, sessions, check-ins and profile as data frames: what the
        series kernels (and a cohort pipeline, which loads them elsewhere) are fed."""
        return load_frames(self.store, ctx.athlete_id)

    def advice(self, ctx: AthleteContext, day: date | None = None) -> service.TodayAnswer:
        """The one voice: what to do on ``day`` (default today), why, and every warning, after
        any re-plan the latest data calls for (for the real today only; another day is advice
        only). Every face shows this and nothing else as advice. Cached while the athlete's
        rows are unchanged. Its ``changes`` are the reasons the plan was re-made today, from
        the stored plan changes (whichever request or process re-made it)."""
        day = day or ctx.today
        validation.check_advice_day(day, ctx.today)
        return self._keep(ctx.athlete_id,
                                 ("advice", "today" if day == ctx.today else day),
                                 (ctx.today, self.revision(ctx)[0]),
                                 lambda: self._advice(ctx, day))

    def advice_of_many(self, athlete_ids: Sequence[int]) -> dict[int, service.TodayAnswer]:
        """Each athlete's :meth:`advice` for their own today (a coach's roster): every zone and
        revision number read in one query, kept answers reused, the others worked out now.
        Athletes that do not exist are left out."""
        with self.store.transaction() as tx:
            known = tx.zones_and_revisions(athlete_ids)
        answers = {}
        for athlete_id in athlete_ids:
            if athlete_id not in known:
                continue
            zone_name, revision = known[athlete_id]
            ctx = self.context_in(athlete_id, zone_name)
            answers[athlete_id] = self._keep(
                athlete_id, ("advice", "today"), (ctx.today, revision),
                lambda ctx=ctx: self._advice(ctx, ctx.today))  # type: ignore[misc]
        return answers

    def _advice(self, ctx: AthleteContext, day: date) -> service.TodayAnswer:
        # One transaction for everything the answer reads (and any re-plan it makes): the
        # rules below read the profile, plan, screenings and check-ins through many small
        # functions, each a transaction of its own when called alone.
        with self.store.unit(ctx.athlete_id) as tx:
            answer = self._advice_in_unit(ctx, day)
            tx.session.flush()
            after = tx.revision(ctx.athlete_id)[0]
        # Answering may write (today's planned session marked done, a re-plan), which moves
        # the revision: keep the answer under the number after those writes too. Made afresh
        # at that number it is the same answer (nothing is left to mark or re-plan, and the
        # plan's changes come from the stored rows), in this process or any other. Read in
        # the unit, under the athlete's lock, the number includes no one else's change.
        self._kept(ctx.athlete_id, ("advice", "today" if day == ctx.today else day),
                   (ctx.today, after), answer)
        return answer

    def _changes_made_on(self, ctx: AthleteContext, day: date) -> tuple[str, ...]:
        """Why the active plan was re-made on ``day`` (the athlete's local day), from the
        stored plan changes: every process, and every page that day, says the same. The
        change that records the plan's making is not a re-make."""
        from stridewise.store.export import local_time

        with self.store.transaction() as tx:
            plan = tx.active_plan(ctx.athlete_id)
            rows = tx.list_plan_changes(ctx.athlete_id, plan.id) if plan is not None else []
        return tuple(row.reason for row in rows[1:]
                     if local_time(row.at_utc, None, ctx.zone.key).date() == day)

    def _advice_in_unit(self, ctx: AthleteContext, day: date) -> service.TodayAnswer:
        series = self.series(ctx, through=day)
        # The WHO-5 item reads the last two weeks, which may begin before the first session.
        wellbeing = self._series_covering(
            ctx, series, day - timedelta(days=brain_science.WHO5_WINDOW_D - 1), day)
        answer = service.day_answer(self.store, ctx.athlete_id, day, series,
                                    advice_only=day != ctx.today, wellbeing_series=wellbeing)
        if day != ctx.today:
            return answer
        return replace(answer, changes=self._changes_made_on(ctx, day))

    def _series_covering(self, ctx: AthleteContext, series: pd.DataFrame, start: date,
                         through: date) -> pd.DataFrame:
        """``series`` when it already reaches back to ``start``; else the daily series from
        ``start`` to ``through``. The series begins at the first session, but check-ins
        (WHO-5, sleep) from before it still belong in the windows that read them."""
        if not series.empty and series["date"].iloc[0] <= start:
            return series
        from stridewise.series import daily_series

        return daily_series(self.frames(ctx), through=through, start=start)

    # -- what the person tells us --------------------------------------------------------
    def log_session(self, ctx: AthleteContext, session: ManualSession) -> Any:
        """Store a session logged by hand, after the one validation of its values."""
        validation.check_moment(session.start_time_utc, source="typed",
                                field="start_time_utc")
        validation.check_range("duration_s", session.duration_s, label="duration")
        if session.distance_m is not None:
            validation.check_range("distance_m", session.distance_m, label="distance")
        if session.rpe is not None:
            validation.check_range("rpe", session.rpe, label="effort (RPE)")
        if session.notes:
            validation.check_text("notes", session.notes)
        def write() -> Any:
            with self.store.write_transaction(ctx.athlete_id) as tx:
                return tx.add_manual_session(ctx.athlete_id, session)

        return self._write_and_answer(ctx, write)

    def record_checkin(self, ctx: AthleteContext, checkin: CheckInInput) -> CheckInOutcome:
        """Store a check-in, apply the pain rules and re-plan when their answer changed."""
        validation.check_moment(checkin.at_utc, source="typed", field="at_utc")
        if checkin.notes:
            validation.check_text("notes", checkin.notes)
        if checkin.pain_site:
            # One list of sites on every face (the API too), stored in its words.
            try:
                site = questionnaires.pain_site(checkin.pain_site)
            except ValueError as error:
                raise validation.InvalidValue("pain_site", str(error),
                                              checkin.pain_site) from None
            checkin = replace(checkin, pain_site=site.words)
        row, decision, changes = self._write_and_answer(
            ctx, lambda: service.record_checkin(self.store, ctx.athlete_id, checkin, ctx.today))
        return CheckInOutcome(row, decision, tuple(changes))

    def screening_profile_fill(self, ctx: AthleteContext, bone: BoneInputs) -> ProfileFill:
        """What these screening answers would add to the profile (see :func:`profile_fill`):
        the faces show it and ask the person before :meth:`submit_screening` saves it."""
        with self.store.transaction() as tx:
            athlete = tx.get_athlete(ctx.athlete_id)
            mass = tx.latest_body_mass(ctx.athlete_id)
        return profile_fill(bone, ctx.today,
                            sex=athlete.sex if athlete is not None else None,
                            birth_year=athlete.birth_year if athlete is not None else None,
                            latest_mass_kg=mass.mass_kg if mass is not None else None)

    def check_fracture_dates(self, ctx: AthleteContext, bone: BoneInputs) -> None:
        """Every dated broken bone between birth and today (InvalidValue naming the problem,
        nothing stored), read against the profile's birth year when the answers give none.
        Faces call it before showing a result; :meth:`submit_screening` calls it again."""
        athlete = self.profile(ctx)
        born = bone.birth_year or (athlete.birth_year if athlete is not None else None)
        validation.check_fracture_dates(
            [(f.year, f.month) for f in bone.fractures], today=bone.screened_on or ctx.today,
            birth_year=born, age_years=bone.age_years or None)

    def submit_screening(self, ctx: AthleteContext, parq: ParqAnswers, bone: BoneInputs, *,
                         fill_profile: bool = False) -> ScreeningOutcome:
        """Screen the answers, store them with the result, and re-plan from today. With
        ``fill_profile`` (the person said yes), what the screening learned (sex, birth year,
        weight) fills the profile first, so it is not asked again and the dated fractures are
        read against the birth year."""
        self.check_fracture_dates(ctx, bone)
        filled = self.screening_profile_fill(ctx, bone) if fill_profile else ProfileFill()
        if filled:
            with self.store.write_transaction(ctx.athlete_id) as tx:
                tx.update_athlete(ctx.athlete_id, sex=filled.sex, birth_year=filled.birth_year)
                if filled.body_mass_kg is not None:
                    tx.add_body_mass(ctx.athlete_id, ctx.today, filled.body_mass_kg)
        row, result, changes = service.record_screening(self.store, ctx.athlete_id, parq, bone,
                                                        today=ctx.today)
        self._answer_again(ctx)
        return ScreeningOutcome(row, result, tuple(changes), filled)

    # -- brain health (issue 14) -----------------------------------------------------------
    def brain(self, ctx: AthleteContext) -> brain_science.BrainProfile:
        """The brain-health profile: the latest questionnaire answers, LIBRA with physical
        inactivity from the person's own last 4 weeks once 4 weeks are recorded, WHO-5 per
        two-week window and the last 14 nights' sleep against the range for their age."""
        with self.store.transaction() as tx:
            row = tx.latest_brain_answers(ctx.athlete_id)
        answers = dict(row.answers) if row is not None else {}
        answered_on = row.taken_at_utc.astimezone(ctx.zone).date() if row is not None else None
        shown_from = ctx.today - timedelta(days=brain_science.WHO5_WINDOW_D
                                           * brain_science.WHO5_WINDOWS_SHOWN - 1)
        series = self._series_covering(ctx, self.series(ctx), shown_from, ctx.today)
        days = list(series["date"])
        minutes = series["who_equivalent_min"].to_numpy(dtype=float)
        active = [d for d, m in zip(days, minutes, strict=True) if m > 0]
        recorded_days = (ctx.today - active[0]).days + 1 if active else 0
        return brain_science.brain_profile(
            answers, answered_on=answered_on, who_equivalent_min=minutes,
            recorded_days=recorded_days, days=days,
            who5_pct=series["who5_pct"].to_numpy(dtype=float),
            sleep_hours=series["sleep_hours"].to_numpy(dtype=float),
            age_years=self.age(ctx), today=ctx.today)

    def answer_brain(self, ctx: AthleteContext, answers: dict[str, str]) -> Any:
        """Store the brain-health answers after checking every one (InvalidValue naming the
        question; nothing stored then). Questions left out are stored as "unknown"."""
        for key, value in answers.items():
            question = brain_science.QUESTIONS_BY_ID.get(key)
            if question is None:
                raise validation.InvalidValue(
                    key, f"{key!r} is not a brain-health question; the questions are: "
                    + ", ".join(brain_science.QUESTIONS_BY_ID))
            validation.check_choice(key, value, [c for c, _ in question.choices],
                                    label=f"the answer to {key.replace('_', ' ')}")
        checked = brain_science.check_answers(answers)
        with self.store.write_transaction(ctx.athlete_id) as tx:
            row = tx.add_brain_answers(ctx.athlete_id, checked)
        self._answer_again(ctx)
        return row

    # -- the plan -------------------------------------------------------------------------
    def make_plan(self, ctx: AthleteContext, goal: str, weekdays: Iterable[int],
                  minutes_per_day: int, *, start: date | None = None,
                  weeks: int | None = None) -> int:
        """Make and store a new plan, after checking its start, minutes a day and length
        (InvalidValue naming the field; nothing stored then)."""
        validation.check_plan(start or ctx.today, ctx.today, minutes_per_day=minutes_per_day,
                              weeks=weeks)
        plan_id = service.create_plan(self.store, ctx.athlete_id, goal, sorted(set(weekdays)),
                                      minutes_per_day, ctx.today, start=start, weeks=weeks)
        self._answer_again(ctx)
        return plan_id

    def adapt_plan(self, ctx: AthleteContext) -> list[str]:
        reasons = service.adapt_now(self.store, ctx.athlete_id, ctx.today)
        self._answer_again(ctx)
        return reasons

    def mark_session(self, ctx: AthleteContext, planned_session_id: int, status: str) -> Any:
        row = service.mark_session(self.store, ctx.athlete_id, planned_session_id, status)
        self._answer_again(ctx)
        return row

    # -- files ----------------------------------------------------------------------------
    def import_paths(self, ctx: AthleteContext, paths: Iterable[Path | str], *,
                     progress: Callable[..., Any] | None = None, **options: Any) -> Any:
        """Import files, folders and archives for the athlete (see :mod:`stridewise.importer`)."""
        from stridewise.importer import import_paths

        kwargs: dict[str, Any] = dict(options)
        kwargs.setdefault("checks", validation.MEASURE_CHECKS)  # phone exports' values
        if progress is not None:
            kwargs["progress"] = progress
        report = import_paths(self.store, list(paths), athlete_id=ctx.athlete_id, **kwargs)
        self._answer_again(ctx)
        return report

    def latest_screening(self, ctx: AthleteContext) -> tuple[date, ScreeningResult] | None:
        """The day (athlete's zone) and result of the latest screening, if any."""
        with self.store.transaction() as tx:
            rows = tx.list_screenings(ctx.athlete_id)
            if not rows:
                return None
            row = rows[-1]
            taken = row.taken_at_utc.astimezone(ctx.zone).date()
            return taken, ScreeningResult.from_dict(row.result)


def local_datetime(ctx: AthleteContext, day: date, hour: int, minute: int) -> datetime:
    """A wall-clock time on ``day`` in the athlete's zone."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ctx.zone)
