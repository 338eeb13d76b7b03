"""Data rights: the athlete downloads everything held about them, and deletes their account
with all data; a raw file two athletes imported stays until neither names it."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from server_world import PASSWORD, browser
from sqlalchemy import select

from stridewise.server import accounts
from stridewise.server.app import Gate, create_server_app
from stridewise.store import models as m
from stridewise.store import models_server as ms

GPX = Path(__file__).resolve().parents[2] / "src/stridewise/demo_data/run_runpandas_session.gpx"


def test_export_then_delete_counts_raw_file_references(sqlite_url: str) -> None:
    app = create_server_app(sqlite_url, allowed_hosts=["testserver"])
    assert isinstance(app, Gate)
    core = app.dashboard.state.core
    with app.store.write_transaction() as tx:
        coach = accounts.create_user(tx.session, "coach@example.org", PASSWORD, "coach")
        ann = accounts.create_user(tx.session, "ann@example.org", PASSWORD, "athlete")
        bob = accounts.create_user(tx.session, "bob@example.org", PASSWORD, "athlete")
        accounts.grant(tx.session, ann, coach.email, "view")
        sessions = {u.email: accounts.start_session(tx.session, u) for u in (ann, bob, coach)}
    for user in (ann, bob):  # both import the same bytes: stored once
        core.import_paths(core.context(user.athlete_id), [GPX])
    with app.store.transaction() as tx:
        digest = tx.session.scalar(select(m.Activity.source_sha256).where(
            m.Activity.athlete_id == ann.athlete_id))
    assert digest and app.store.raw.has(digest)
    coach_client = browser(app, sessions["coach@example.org"])
    assert coach_client.get(f"/a/{ann.athlete_id}/trends").status_code == 200

    ann_client = browser(app, sessions["ann@example.org"])
    download = ann_client.get("/account/export")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    names = set(archive.namelist())
    assert {"tables/athlete.json", "tables/activity.json", "tables/app_user.json",
            "tables/care_grant.json", "tables/audit_event.json", f"files/{digest}",
            "report.html"} <= names
    assert "password_hash" not in archive.read("tables/app_user.json").decode()
    activities = json.loads(archive.read("tables/activity.json"))
    assert [a["athlete_id"] for a in activities] == [ann.athlete_id]
    assert hashlib.sha256(archive.read(f"files/{digest}")).hexdigest() == digest
    assert "bob@example.org" not in download.content.decode("latin-1")

    refused = ann_client.post("/account/delete", data={"confirm": "delete",
                                                      "password": "not mine"})
    assert refused.status_code == 403
    gone = ann_client.post("/account/delete", data={"confirm": "delete",
                                                   "password": PASSWORD},
                           follow_redirects=False)
    assert gone.status_code == 303
    with app.store.transaction() as tx:
        assert tx.session.get(ms.AppUser, ann.id) is None
        assert tx.session.get(m.Athlete, ann.athlete_id) is None
        assert tx.session.scalars(select(m.Activity).where(
            m.Activity.athlete_id == ann.athlete_id)).all() == []
        audit = tx.session.scalars(select(ms.AuditEvent)).all()
    # The audit keeps its rows, with ids that now name nobody.
    assert audit and all(e.athlete_id == ann.athlete_id for e in audit)
    assert app.store.raw.has(digest)  # bob imported the same file
    assert ann_client.get("/api/profile").status_code == 401
    assert coach_client.get(f"/a/{ann.athlete_id}/trends").status_code == 404

    bob_client = browser(app, sessions["bob@example.org"])
    assert bob_client.post("/account/delete", data={"confirm": "delete",
                                                   "password": PASSWORD},
                           follow_redirects=False).status_code == 303
    assert not app.store.raw.has(digest)
