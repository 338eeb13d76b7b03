"""Load on the multi-user server (issue 15): many athletes and coaches, each sending one
request every 2-5 s, across several server processes on one PostgreSQL database.

A throwaway database (``$STRIDEWISE_TEST_PG``, default 127.0.0.1:5432 as user postgres) gets
``ATHLETES`` athletes with a year of data each (a logged run or walk every day and a weekly
check-in, bulk-inserted; no GPS streams) and ``COACHES`` coaches, each granted a share of the
athletes. ``PROCESSES`` ``stridewise serve --multi-user`` processes serve it on loopback. Every
simulated person is signed in before the measured window (a server-side session each); then,
for ``DURATION_S`` seconds, athletes read Today, Trends and ``/api/today`` and post check-ins,
coaches read their roster and their athletes' Today and Trends, each waiting 2-5 s between
requests, spread over the processes. Counted: errors (any status >= 400 or a failed request)
and p50/p95 latency per page. Budget: 0 errors, p95 under 300 ms for Today, Trends and the
roster.

The sizes come from the environment (``STRIDEWISE_LOAD_ATHLETES``, ``_COACHES``,
``_PROCESSES``, ``_DURATION_S``); the issue's run is 200 athletes, 10 coaches, 2 processes,
120 s (the defaults).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ATHLETES = int(os.environ.get("STRIDEWISE_LOAD_ATHLETES", "200"))
COACHES = int(os.environ.get("STRIDEWISE_LOAD_COACHES", "10"))
PROCESSES = int(os.environ.get("STRIDEWISE_LOAD_PROCESSES", "2"))
DURATION_S = float(os.environ.get("STRIDEWISE_LOAD_DURATION_S", "120"))
DAYS = 365
WAIT_S = (2.0, 5.0)
BUDGET_P95_MS = 300.0
BUDGETED = ("today", "trends", "roster")
PG_ADMIN_DSN = os.environ.get("STRIDEWISE_TEST_PG",
                              "host=127.0.0.1 port=5432 user=postgres dbname=test")
SEED = 20261203
ROOT = Path(__file__).resolve().parents[1]


def fill(url: str) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """Accounts, a year of data per athlete and grants; the session cookies of athletes and
    (cookie, athlete ids) of coaches."""
    from stridewise.server import accounts
    from stridewise.store import models as m
    from stridewise.store import open_store

    rng = random.Random(SEED)
    now = datetime.now(UTC).replace(microsecond=0)
    athlete_cookies: list[str] = []
    coaches: list[tuple[str, list[int]]] = []
    # One argon2 hash reused: hashing 210 passwords would time the hasher, not the server.
    password_hash = accounts.hash_password("load test password")
    with open_store(url) as store, store.write_transaction() as tx:
        session = tx.session
        athlete_ids = []
        for n in range(ATHLETES):
            athlete = m.Athlete(name=f"load athlete {n}", sex=rng.choice(("female", "male")),
                                birth_year=rng.randint(1950, 1995), time_zone="UTC")
            session.add(athlete)
            session.flush()
            user = accounts.ms.AppUser(email=f"a{n}@load.example", role="athlete",
                                       password_hash=password_hash, athlete_id=athlete.id)
            session.add(user)
            session.flush()
            athlete_ids.append(athlete.id)
            athlete_cookies.append(accounts.start_session(session, user))
            rows: list[object] = []
            for day in range(DAYS, 0, -1):
                start = now - timedelta(days=day, hours=rng.randint(0, 6))
                run = rng.random() < 0.5
                rows.append(m.ManualSession(
                    athlete_id=athlete.id, kind="run" if run else "walk",
                    start_time_utc=start, duration_s=rng.uniform(1200, 3600),
                    distance_m=rng.uniform(3000, 9000), rpe=float(rng.randint(2, 7))))
                if day % 7 == 0:
                    rows.append(m.CheckIn(athlete_id=athlete.id, at_utc=start,
                                          sleep_hours=rng.uniform(6, 9),
                                          pain_score=rng.choice((0, 0, 0, 2, 5))
                                          or None, pain_site=None))
            for row in rows:
                if isinstance(row, m.CheckIn) and row.pain_score:
                    row.pain_site, row.pain_timing = "left shin", "after"
            session.add_all(rows)
        for c in range(COACHES):
            coach = accounts.ms.AppUser(email=f"c{c}@load.example", role="coach",
                                        password_hash=password_hash)
            session.add(coach)
            session.flush()
            mine = athlete_ids[c::COACHES]
            for athlete_id in mine:
                session.add(accounts.ms.CareGrant(athlete_id=athlete_id,
                                                  grantee_user_id=coach.id,
                                                  scope=rng.choice(("view", "plan_edit"))))
            coaches.append((accounts.start_session(session, coach), mine))
    return athlete_cookies, coaches


def start_servers(url: str, data_home: Path) -> tuple[list[subprocess.Popen[bytes]], list[str]]:
    procs, bases = [], []
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "XDG_DATA_HOME": str(data_home)}
    for n in range(PROCESSES):
        port = 18765 + n
        procs.append(subprocess.Popen(
            [sys.executable, "-c", "from stridewise.cli import main; main()", "serve",
             "--multi-user", "--db", url, "--port", str(port), "--no-open"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        bases.append(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 60
    for base in bases:
        while True:
            try:
                httpx.get(f"{base}/static/stridewise.css", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise RuntimeError("server did not start") from None
                time.sleep(0.3)
    return procs, bases


def warm_up(bases: list[str], athletes: list[str],
            coaches: list[tuple[str, list[int]]]) -> None:
    """Before the measured window, as people who signed in and looked before: every
    process compiles its numba kernels and loads its templates once (seconds on the first
    request, not what a person waits for after), and each person's first Today (and each
    coach's roster) is asked of the process that serves them, as it was earlier in the day."""
    for n, cookie in enumerate(athletes):
        httpx.get(bases[n % len(bases)] + "/today", cookies={"stridewise_session": cookie},
                  timeout=120)
    for n, (cookie, _mine) in enumerate(coaches):
        httpx.get(bases[n % len(bases)] + "/roster", cookies={"stridewise_session": cookie},
                  timeout=120)


def client_for(base: str, cookie: str) -> httpx.AsyncClient:
    """A person's client. Idle connections are dropped after 4 s, before uvicorn's 5 s
    keep-alive timeout closes them under a request that is being sent (a client-side race,
    not a server error)."""
    return httpx.AsyncClient(base_url=base, timeout=30, cookies={"stridewise_session": cookie},
                             limits=httpx.Limits(keepalive_expiry=4.0))


async def simulate(bases: list[str], athletes: list[str],
                   coaches: list[tuple[str, list[int]]]) -> tuple[dict[str, list[float]],
                                                                  list[str]]:
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    end = time.monotonic() + DURATION_S
    rng = random.Random(SEED + 1)

    async def one(client: httpx.AsyncClient, kind: str, method: str, path: str,
                  **kwargs: object) -> None:
        t0 = time.perf_counter()
        try:
            response = await client.request(method, path, **kwargs)  # type: ignore[arg-type]
            if response.status_code >= 400:
                errors.append(f"{kind} {path}: {response.status_code}")
        except httpx.HTTPError as error:
            errors.append(f"{kind} {path}: {type(error).__name__}")
            return
        latencies.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)

    async def athlete(n: int, cookie: str) -> None:
        async with client_for(bases[n % len(bases)], cookie) as client:
            await asyncio.sleep(rng.uniform(0, WAIT_S[1]))
            while time.monotonic() < end:
                pick = rng.random()
                if pick < 0.35:
                    await one(client, "today", "GET", "/today")
                elif pick < 0.6:
                    await one(client, "trends", "GET", "/trends")
                elif pick < 0.8:
                    await one(client, "api_today", "GET", "/api/today")
                else:
                    await one(client, "checkin (write)", "POST", "/api/checkins", json={
                        "at_utc": datetime.now(UTC).isoformat(),
                        "sleep_hours": round(rng.uniform(6, 9), 1)})
                await asyncio.sleep(rng.uniform(*WAIT_S))

    async def coach(n: int, cookie: str, mine: list[int]) -> None:
        async with client_for(bases[n % len(bases)], cookie) as client:
            await asyncio.sleep(rng.uniform(0, WAIT_S[1]))
            while time.monotonic() < end:
                pick = rng.random()
                who = rng.choice(mine)
                if pick < 0.4:
                    await one(client, "roster", "GET", "/roster")
                elif pick < 0.7:
                    await one(client, "today", "GET", f"/a/{who}/today")
                else:
                    await one(client, "trends", "GET", f"/a/{who}/trends")
                await asyncio.sleep(rng.uniform(*WAIT_S))

    await asyncio.gather(*(athlete(n, c) for n, c in enumerate(athletes)),
                         *(coach(n, c, mine) for n, (c, mine) in enumerate(coaches)))
    return latencies, errors


def _postgres_cpu_s() -> float:
    """CPU seconds of the PostgreSQL server on this machine: the postmaster, the backends
    that have ended (its children's times) and those still running. The database serves only
    this test while it runs. 0 when it cannot be read (another user's processes)."""
    import psutil

    total = 0.0
    for proc in psutil.process_iter(["name", "ppid"]):
        try:
            if not (proc.info["name"] or "").startswith("postgres"):
                continue
            parent = psutil.Process(proc.info["ppid"])
            if (parent.name() or "").startswith("postgres"):
                continue  # a backend: counted through its postmaster below
            times = proc.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
            for child in proc.children():
                child_times = child.cpu_times()
                total += child_times.user + child_times.system
        except (psutil.Error, OSError):
            continue
    return total


def run() -> str:
    import tempfile

    import psutil
    import psycopg

    name = f"stridewise_load_{uuid.uuid4().hex[:8]}"
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    procs: list[subprocess.Popen[bytes]] = []
    try:
        t0 = time.perf_counter()
        athletes, coaches = fill(url)
        fill_s = time.perf_counter() - t0
        with tempfile.TemporaryDirectory() as home:
            procs, bases = start_servers(url, Path(home))
            t0 = time.perf_counter()
            warm_up(bases, athletes, coaches)
            warm_s = time.perf_counter() - t0
            servers = [psutil.Process(proc.pid) for proc in procs]
            cpu0 = sum(sum(p.cpu_times()[:2]) for p in servers)
            database0 = _postgres_cpu_s()
            own0 = sum(os.times()[:2])
            t0 = time.perf_counter()
            latencies, errors = asyncio.run(simulate(bases, athletes, coaches))
            elapsed = time.perf_counter() - t0
            server_cpu_s = sum(sum(p.cpu_times()[:2]) for p in servers) - cpu0
            database_cpu_s = _postgres_cpu_s() - database0
            client_cpu_s = sum(os.times()[:2]) - own0
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=20)
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    total = sum(len(v) for v in latencies.values())
    lines = [
        "## Multi-user server under load (bench_server)",
        "",
        f"{ATHLETES} athletes with a year of logged sessions and weekly check-ins, {COACHES} "
        f"coaches, {PROCESSES} server processes on one PostgreSQL, each person one request "
        f"every 2-5 s for {DURATION_S:.0f} s after signing in (filling took {fill_s:.0f} s; "
        f"each person's first Today and each coach's first roster, before the window, "
        f"{warm_s:.0f} s). {total} requests ({total / elapsed:.1f}/s), **{len(errors)} "
        f"errors**. The server processes used {server_cpu_s:.0f} CPU s in the window "
        f"({1000 * server_cpu_s / max(total, 1):.0f} ms a request, the cost that does not "
        f"depend on what else the machine runs; {server_cpu_s / elapsed:.2f} of the "
        f"{os.cpu_count()} cores). PostgreSQL used {database_cpu_s:.0f} CPU s "
        f"({1000 * database_cpu_s / max(total, 1):.0f} ms a request) and the load generator "
        f"(this process, httpx) {client_cpu_s:.0f} CPU s "
        f"({1000 * client_cpu_s / max(total, 1):.0f} ms a request). Load "
        f"average of the machine at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
        "cores (other work included).",
        "",
        "| Request | n | p50 ms | p95 ms | budget |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for kind in sorted(latencies):
        values = sorted(latencies[kind])
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        budget = (("met" if p95 < BUDGET_P95_MS else "**missed**") + f" (< {BUDGET_P95_MS:.0f})"
                  if kind in BUDGETED else "")
        lines.append(f"| {kind} | {len(values)} | {statistics.median(values):.0f} | "
                     f"{p95:.0f} | {budget} |")
    if errors:
        lines += ["", "First errors: " + "; ".join(errors[:5])]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run())
