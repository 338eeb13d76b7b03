"""Dashboard page latency with ten years of daily data, against a real local server.

A store is filled with 10 years of one run or walk a day (each with a 1,200-record stream), a
daily check-in, a screening and an active plan; uvicorn serves ``create_app`` on 127.0.0.1 in a
thread; a bounded loop (a few warm-up requests, then ``N_REQUESTS`` per page over one
keep-alive connection) times every page and API call. Budget: p95 under 200 ms per page. The
static stylesheet, measured in the same run, is the floor each page is compared with.
"""

from __future__ import annotations

import socket
import statistics
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import numpy as np

from stridewise.activity import Activity, build_activity
from stridewise.store import CheckInInput, open_store

YEARS = 10
RECORDS_PER_ACTIVITY = 1_200
N_WARMUP = 3
N_REQUESTS = 40
BUDGET_P95_MS = 200.0
SEED = 20260101

PAGES = (
    "/static/stridewise.css",
    "/today", "/plan", "/log", "/import", "/activities", "/activities/{activity_id}",
    "/trends", "/trends?range=all", "/onboarding", "/evidence",
    "/api/today", "/api/plan", "/api/series", "/api/series/weekly", "/api/activities",
)


def _activity(rng: np.random.Generator, day: date, run: bool) -> Activity:
    start = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=8)
    time_s = start.timestamp() + np.arange(RECORDS_PER_ACTIVITY, dtype=float) * 2.0
    speed = (2.6 if run else 1.4) + 0.2 * rng.standard_normal(RECORDS_PER_ACTIVITY)
    records = {
        "time_s": time_s,
        "speed_mps": np.clip(speed, 0.6, 5.0),
        "distance_m": np.cumsum(np.clip(speed, 0.6, 5.0) * 2.0),
        "heart_rate_bpm": np.clip(120 + (25 if run else 0)
                                  + 5 * rng.standard_normal(RECORDS_PER_ACTIVITY), 60, 200),
        "altitude_m": 50 + np.cumsum(rng.standard_normal(RECORDS_PER_ACTIVITY)) * 0.3,
        "cadence_spm": np.full(RECORDS_PER_ACTIVITY, 164.0 if run else 112.0),
    }
    return build_activity(records, sport="run" if run else "walk", source_format="fit")


def fill_store(url: str, today: date) -> int:
    """Ten years of daily activity and check-ins, a screening and a plan; the last
    activity's id."""
    from stridewise.plan.service import create_plan
    from stridewise.science.screening import BoneInputs, ParqAnswers, Sex, screen

    rng = np.random.default_rng(SEED)
    store = open_store(url)
    athlete_id = store.default_athlete_id()
    first = today - timedelta(days=365 * YEARS)
    last_id = 0
    with store.transaction() as tx:
        tx.update_athlete(athlete_id, sex="female", birth_year=1958, units="km",
                          time_zone="UTC")
        for offset in range((today - first).days):
            day = first + timedelta(days=offset)
            row = tx.add_activity(athlete_id, _activity(rng, day, run=offset % 3 != 0))
            last_id = row.id
            tx.add_checkin(athlete_id, CheckInInput(
                at_utc=datetime.combine(day, datetime.min.time(), tzinfo=UTC)
                + timedelta(hours=20),
                pain_score=int(rng.integers(0, 3)), pain_site="Left shin",
                pain_timing="after", sleep_hours=7.0))
        answers = ParqAnswers(False, False, False, False, False, False, False, age_years=68,
                              used_to_vigorous_effort=True)
        bone = BoneInputs(sex=Sex.FEMALE, age_years=68, body_mass_kg=64.0)
        tx.add_screening(athlete_id, {"parq": answers.to_dict(), "bone": bone.to_dict()},
                         screen(answers, bone).to_dict())
    create_plan(store, athlete_id, "maintain", [0, 2, 4, 5], 60, today)
    store.close()
    return last_id


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def measure(base_url: str, paths: list[str]) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    with httpx.Client(base_url=base_url, timeout=60.0) as client:
        for path in paths:
            for _ in range(N_WARMUP):
                client.get(path).raise_for_status()
            samples = []
            for _ in range(N_REQUESTS):
                t0 = time.perf_counter()
                client.get(path).raise_for_status()
                samples.append((time.perf_counter() - t0) * 1000.0)
            timings[path] = samples
    return timings


def run() -> str:
    import uvicorn

    from stridewise.web import create_app

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        t0 = time.perf_counter()
        last_id = fill_store(url, datetime.now(UTC).date())
        fill_s = time.perf_counter() - t0
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(url), host="127.0.0.1", port=port,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        t0 = time.perf_counter()
        first_trends = httpx.get(f"http://127.0.0.1:{port}/trends", timeout=120.0)
        first_trends.raise_for_status()
        cold_ms = (time.perf_counter() - t0) * 1000.0
        paths = [p.format(activity_id=last_id) for p in PAGES]
        timings = measure(f"http://127.0.0.1:{port}", paths)
        server.should_exit = True
        thread.join(timeout=10)

    floor = statistics.median(timings[PAGES[0]])
    lines = [
        "## Web dashboard latency (bench_web)",
        "",
        f"{YEARS} years of daily data ({365 * YEARS} activities with "
        f"{RECORDS_PER_ACTIVITY}-record streams, {365 * YEARS} check-ins), SQLite, uvicorn on "
        f"127.0.0.1, one keep-alive client, {N_WARMUP} warm-up + {N_REQUESTS} timed requests "
        f"per page. Filling the store took {fill_s:.0f} s. The first Trends request after "
        f"start-up (daily series computed from the store, then cached until the data "
        f"changes) took {cold_ms:.0f} ms.",
        "",
        "| page | p50 ms | p95 ms | p50 ÷ static CSS | p95 under 200 ms |",
        "|---|---:|---:|---:|---|",
    ]
    for path, samples in timings.items():
        p50 = statistics.median(samples)
        p95 = float(np.percentile(samples, 95))
        lines.append(f"| `{path}` | {p50:.1f} | {p95:.1f} | {p50 / floor:.1f}× | "
                     f"{'yes' if p95 < BUDGET_P95_MS else '**no**'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
