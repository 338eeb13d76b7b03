"""The dashboard's import accepts an Apple Health export.zip (streamed to disk by the upload,
then read by the same importer): the walks and the days are stored, the result names it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from phone_exports import write_zip

from stridewise import clock


def test_apple_health_zip_through_the_api(client: TestClient, tmp_path: Path) -> None:
    write_zip(tmp_path / "export.zip", date(2025, 3, 20), 4)
    with clock.use_clock(clock.FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC))):
        response = client.post("/api/import", files=[
            ("files", ("export.zip", (tmp_path / "export.zip").read_bytes(),
                       "application/zip"))])
    assert response.status_code == 200
    [row] = response.json()
    assert row["status"] == "imported"
    assert row["source_name"].endswith("export.xml")
    assert len(row["activity_ids"]) == 2
