"""Moving a local single-user database into a server account, end to end on PostgreSQL: the
demo's local database (plus phone measures and brain-health answers, so every athlete table
has rows) moved by `stridewise server import-local`, then the server account's Today, series,
brain-health profile and original files equal the local ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from server_world import PASSWORD
from sqlalchemy import func, select
from typer.testing import CliRunner

from stridewise import clock
from stridewise.cli import app as cli
from stridewise.core.app import Core
from stridewise.science import brain as brain_science
from stridewise.server import accounts
from stridewise.server.move import MoveError, athlete_tables, move_local
from stridewise.server.rights import raw_files_of
from stridewise.store import Store, open_store
from stridewise.store import models_server as ms

NOW = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


def _local_demo(folder: Path) -> Path:
    """The demo's local database, as `stridewise demo` builds it, plus the tables the demo
    leaves empty (phone daily measures, sleep and brisk intervals, brain answers)."""
    done = CliRunner().invoke(cli, ["demo", "--dir", str(folder), "--report",
                                    str(folder.parent / "demo-report.html")])
    assert done.exit_code == 0, done.output
    db = folder / "demo.db"
    with open_store(f"sqlite:///{db}") as store:
        core = Core(store)
        ctx = core.context()
        question = brain_science.BRAIN_QUESTIONS[0]
        core.answer_brain(ctx, {question.id: question.choices[0][0]})
        with store.write_transaction(ctx.athlete_id) as tx:
            days = {ctx.today - timedelta(days=d): {"steps": 6000.0 + d, "resting_hr_bpm": 61.0}
                    for d in range(1, 15)}
            tx.upsert_days(ctx.athlete_id, "apple_health", days)
            night = NOW - timedelta(days=2, hours=10)
            tx.add_sleep_intervals(ctx.athlete_id, "apple_health", [
                (night, night + timedelta(hours=7), "asleep", "Watch", 0),
                (night - timedelta(minutes=20), night + timedelta(hours=7, minutes=30),
                 "in_bed", "Watch", 0)])
            walk = NOW - timedelta(days=3, hours=5)
            tx.put_brisk_intervals(ctx.athlete_id, "apple_health", {
                (walk.date()): [(walk, walk + timedelta(minutes=12), "moderate")]})
    return db


def _counts(store: Store, athlete_id: int) -> dict[str, int]:
    from stridewise.server.move import _owner_rows

    with store.transaction() as tx:
        return {t.name: len(_owner_rows(tx.session, t, athlete_id)) for t in athlete_tables()}


@pytest.mark.postgres
def test_a_local_database_moves_into_a_server_account(
        pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with clock.use_clock(clock.FixedClock(NOW)):
        local_db = _local_demo(tmp_path / "local")
        monkeypatch.setenv("STRIDEWISE_RAW_DIR", str(tmp_path / "server-raw"))
        with open_store(pg_url) as server, server.write_transaction() as tx:
            for name in ("ann", "bea", "cat"):
                accounts.create_user(tx.session, f"{name}@example.org", PASSWORD, "athlete")
            accounts.create_user(tx.session, "coach@example.org", PASSWORD, "coach")
        runner = CliRunner()
        moved = runner.invoke(cli, ["server", "import-local", "--db", pg_url, "--from",
                                    str(local_db), "--email", "Ann@Example.org"])
        assert moved.exit_code == 0, moved.output
        assert "Moved into ann@example.org" in moved.output
        assert "original files copied, 0 already on the server" in moved.output

        with open_store(f"sqlite:///{local_db}") as local, open_store(pg_url) as server:
            local_core, server_core = Core(local), Core(server)
            local_ctx = local_core.context()
            with server.transaction() as tx:
                ann = accounts.user_by_email(tx.session, "ann@example.org")
                assert ann is not None and ann.athlete_id is not None
                audit = accounts.audit_of_athlete(tx.session, ann.athlete_id)
            server_ctx = server_core.context(ann.athlete_id)
            assert (server_ctx.zone, server_ctx.today) == (local_ctx.zone, local_ctx.today)
            # Every athlete table came over, none of them empty in this test.
            counts = _counts(local, local_ctx.athlete_id)
            assert all(counts.values()), counts
            assert _counts(server, server_ctx.athlete_id) == counts
            # Today and the series are the same answers.
            mine, theirs = local_core.advice(local_ctx), server_core.advice(server_ctx)
            assert theirs.advice == mine.advice
            assert [(w.id, w.text) for w in theirs.warnings] == \
                [(w.id, w.text) for w in mine.warnings]
            pd.testing.assert_frame_equal(server_core.series(server_ctx),
                                          local_core.series(local_ctx))
            assert server_core.brain(server_ctx) == local_core.brain(local_ctx)
            assert server_core.age(server_ctx) == local_core.age(local_ctx)
            # The original files are the account's, byte for byte.
            with local.transaction() as ltx, server.transaction() as stx:
                digests = raw_files_of(ltx.session, local_ctx.athlete_id)
                assert digests and digests == raw_files_of(stx.session, server_ctx.athlete_id)
                for digest in digests:
                    assert stx.get_raw_file(server_ctx.athlete_id, digest) == \
                        ltx.get_raw_file(local_ctx.athlete_id, digest)
            assert audit and audit[0].action == "local database moved into this account"

            # Again into the same account: refused, nothing changed.
            again = runner.invoke(cli, ["server", "import-local", "--db", pg_url,
                                        "--from", str(local_db), "--email", "ann@example.org"])
            assert again.exit_code != 0 and "already holds data" in again.output
            assert _counts(server, server_ctx.athlete_id) == counts
            # Into a second account: the original files on the server are reused, not copied.
            files_before = sorted(p.name for p in (tmp_path / "server-raw").rglob("*")
                                  if p.is_file())
            report = move_local(local, server, "bea@example.org")
            assert report.files_copied == 0 and report.files_reused == len(digests)
            assert sorted(p.name for p in (tmp_path / "server-raw").rglob("*")
                          if p.is_file()) == files_before
            # No account, or not an athlete's: refused.
            for email in ("nobody@example.org", "coach@example.org"):
                with pytest.raises(MoveError, match="no athlete account"):
                    move_local(local, server, email)
            with server.transaction() as tx:
                assert tx.session.scalar(select(func.count()).select_from(ms.AppUser)) == 4


def test_a_failed_move_leaves_the_account_empty(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """One transaction: a failure half way (here, while copying check-ins) leaves nothing."""
    from stridewise.server import move

    with clock.use_clock(clock.FixedClock(NOW)):
        local_db = _local_demo(tmp_path / "local")
        monkeypatch.setenv("STRIDEWISE_RAW_DIR", str(tmp_path / "server-raw"))
        with open_store(f"sqlite:///{tmp_path / 'server.db'}") as server, \
                open_store(f"sqlite:///{local_db}",
                           raw_dir=tmp_path / "local" / "demo-raw") as local:
            with server.write_transaction() as tx:
                ann = accounts.create_user(tx.session, "ann@example.org", PASSWORD, "athlete")
                assert ann.athlete_id is not None
                ann_id = ann.athlete_id
            real = move._owner_rows

            def broken(session: object, table: object, athlete_id: int) -> list[dict[str, object]]:
                rows = real(session, table, athlete_id)  # type: ignore[arg-type]
                if getattr(table, "name", "") == "checkin":
                    rows[0]["pain_score"] = 99  # breaks the table's check constraint
                return rows

            monkeypatch.setattr(move, "_owner_rows", broken)
            with pytest.raises(Exception, match=r"(?i)constraint"):
                move_local(local, server, "ann@example.org")
            monkeypatch.setattr(move, "_owner_rows", real)
            assert not any(_counts(server, ann_id).values())
            with server.transaction() as tx:
                athlete = tx.get_athlete(ann_id)
                assert athlete is not None and athlete.birth_year is None
            # ... and the move then succeeds.
            assert move_local(local, server, "ann@example.org").rows["activity"] > 0
