"""Apple Health export.xml: a generated multi-source export checked against its truth, and the
small committed fixture (tests/fixtures/phone/apple_health_export.xml) whose structure follows
Apple's DTD and HealthKit identifiers (see its PROVENANCE.md)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from phone_exports import export_text

from stridewise import clock
from stridewise.core.validation import MEASURE_CHECKS
from stridewise.errors import IngestError
from stridewise.ingest.apple_health import read_export

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "phone" / "apple_health_export.xml"


@pytest.fixture(autouse=True)
def _today():
    with clock.use_clock(clock.FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC))):
        yield


def _read(text: str, routes: dict[str, bytes] | None = None, **kwargs):
    data = text.encode()
    return read_export(
        io.BytesIO(data), source_name="export.xml", checks=MEASURE_CHECKS,
        total_bytes=len(data),
        route=(lambda p: (routes or {}).get(p.lstrip("/"))), **kwargs,
    )


def test_generated_export_matches_its_truth() -> None:
    text, truth = export_text(date(2025, 3, 20), 20)
    out = _read(text, truth.routes)
    for day, steps in truth.steps.items():
        measures = out.days[day]
        # The Watch wins the hours both counted; the phone-only hour is added once.
        assert measures.steps == steps
        assert measures.walking_distance_m == pytest.approx(truth.distance_m[day])
        # 20 brisk minutes at 105 steps/min, plus the recorded walk's 30 at 110 on walk
        # days: the reader keeps them all, as spans with their times; the series takes out
        # the recorded sessions (tests/importer: the import order does not matter).
        walked = any(local.date() == day for local, _, _ in truth.walks)
        assert measures.steps_moderate_min == pytest.approx(50.0 if walked else 20.0)
        assert measures.steps_vigorous_min == pytest.approx(0.0)
        spans = out.brisk[day]
        assert sum(e - s for s, e, _ in spans) == pytest.approx((50 if walked else 20) * 60)
        assert not any(vigorous for _, _, vigorous in spans)
        assert measures.resting_hr_bpm == truth.resting_hr[day]
    for day, hours in truth.asleep_h.items():
        assert out.days[day].sleep_asleep_s == pytest.approx(hours * 3600)
        assert out.days[day].sleep_in_bed_s == pytest.approx(truth.in_bed_h[day] * 3600)
    assert out.days[date(2025, 3, 20)].body_mass_kg == 68.5
    assert len(out.activities) == len(truth.walks) == 10
    for activity, (local, offset_h, distance_m) in zip(out.activities, truth.walks, strict=True):
        assert activity.sport == "walk"
        assert activity.utc_offset_s == offset_h * 3600
        assert activity.start_time_utc.hour == local.hour - offset_h
        assert activity.summary.distance_m == pytest.approx(distance_m, rel=0.02)
        assert "lat_deg" in activity.records
        hr = activity.records["heart_rate_bpm"]
        assert (hr[hr == hr] == 110).all() and (hr == hr).mean() > 0.9
    # Two offsets (winter, summer) are named, each sample kept on its own local day.
    assert any("2 different UTC offsets" in n for n in out.notes)
    assert any("ActiveEnergyBurned" in n for n in out.notes)


def test_impossible_values_are_counted_and_named_never_kept() -> None:
    text, _ = export_text(date(2025, 3, 20), 4)
    out = _read(text)
    assert out.problems["heart rate records with impossible values"] == 2  # 0 and 300
    assert out.problems["step count records with impossible values"] == 1  # -5
    assert out.problems["heart rate records dated before 2007 or in the future"] == 2
    assert out.problems["records of unknown type 'FooTypeIdentifierUnknown'"] == 1
    # The missing route of each walk is counted, the walk kept without it.
    assert out.problems["workout routes missing from the export"] == 2
    assert len(out.activities) == 2


def test_broken_route_keeps_the_workout() -> None:
    text, truth = export_text(date(2025, 3, 20), 2)
    routes = {name: b"<gpx><trk><trkseg><trkpt" for name in truth.routes}
    out = _read(text, routes)
    assert out.problems["workout routes that could not be read"] == 1
    assert len(out.activities) == 1
    assert out.activities[0].summary.distance_m == pytest.approx(30 * 110 * 0.75)


def test_truncated_export_keeps_what_came_before() -> None:
    text, truth = export_text(date(2025, 3, 20), 6, noise=False)
    cut = text.index("HKQuantityTypeIdentifierDistanceWalkingRunning")
    cut = text.index("2025-03-23 17:05", cut)  # inside the fourth day's distance samples
    out = _read(text[:cut])
    assert out.truncated is not None
    assert out.days[date(2025, 3, 20)].steps == truth.steps[date(2025, 3, 20)]
    assert out.days[date(2025, 3, 22)].walking_distance_m == pytest.approx(
        truth.distance_m[date(2025, 3, 22)])
    # The day being read when the file ended is partial: left out, not half-stored.
    assert out.days[date(2025, 3, 23)].walking_distance_m is None
    assert out.activities == []


def test_not_xml_at_all_is_an_ingest_error() -> None:
    with pytest.raises(IngestError):
        _read("this is not xml")
    with pytest.raises(IngestError, match="not <HealthData>"):
        _read('<?xml version="1.0"?><gpx><trk/></gpx>')


def test_entity_expansion_bomb_is_refused_not_expanded() -> None:
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    text = ('<?xml version="1.0"?><!DOCTYPE HealthData [<!ENTITY l0 "lol">' + lol + ']>'
            '<HealthData><Record type="HKQuantityTypeIdentifierStepCount" sourceName="p" '
            'unit="count" startDate="2025-01-01 10:00:00 +0000" '
            'endDate="2025-01-01 10:01:00 +0000" value="&l9;"/></HealthData>')
    out = _read(text)
    # libxml2 stops at its amplification limit: reported as where reading stopped, nothing kept.
    assert out.truncated is not None and "amplification" in out.truncated
    assert out.days == {} and out.activities == []


def test_committed_fixture() -> None:
    out = _read(FIXTURE.read_text(encoding="utf-8"))
    day = out.days[date(2024, 5, 14)]
    # iPhone 600 + Watch 900 in hour 9: the Watch's 900 only; hour 10 the phone's 400.
    assert day.steps == 1300
    assert day.resting_hr_bpm == 58
    assert day.walking_steadiness_pct == pytest.approx(95.0)
    assert day.walking_speed_mps == pytest.approx(1.3, abs=0.01)
    assert day.body_mass_kg == pytest.approx(70.0, abs=0.01)  # 154.32 lb
    night = out.days[date(2024, 5, 15)]
    assert night.sleep_asleep_s == pytest.approx(6.5 * 3600)
    assert night.sleep_in_bed_s == pytest.approx(8 * 3600)
    assert [a.sport for a in out.activities] == ["walk", "run"]
    assert out.activities[1].summary.distance_m == pytest.approx(5000)
    # The blood-pressure Records inside the Correlation are copies of top-level ones: 2 not 4.
    assert out.notes == ["not read: 2 records of 2 other types (BloodPressureSystolic 1, "
                         "BloodPressureDiastolic 1, ...)"]


def test_older_and_newer_layouts_read_the_same() -> None:
    """iOS 16+ exports put workout distance in <WorkoutStatistics> (also nested in a
    <WorkoutActivity>) and give heart-rate records metadata; older ones use attributes: the
    same truth either way (bench/bench_apple_formats.py measures the parse times)."""
    outs = []
    for layout in ("older", "newer"):
        text, truth = export_text(date(2025, 3, 20), 8, layout=layout)
        outs.append(_read(text, truth.routes))
    older, newer = outs
    assert older.days == newer.days
    assert [a.summary.distance_m for a in older.activities] == pytest.approx(
        [a.summary.distance_m for a in newer.activities])
    assert len(newer.activities) == 4
    assert all(a.summary.distance_m == pytest.approx(truth.walks[0][2], rel=0.02)
               for a in newer.activities)


class _Trickle(io.BytesIO):
    """A stream that returns at most 997 bytes a read: elements cut at every place."""

    def read(self, size: int | None = -1) -> bytes:
        return super().read(997)


def test_children_cut_between_reads_are_still_read_whole() -> None:
    text, truth = export_text(date(2025, 3, 20), 3, layout="newer")
    data = text.encode()
    whole = read_export(io.BytesIO(data), source_name="export.xml", checks=MEASURE_CHECKS,
                        route=lambda p: truth.routes.get(p.lstrip("/")))
    cut = read_export(_Trickle(data), source_name="export.xml", checks=MEASURE_CHECKS,
                      route=lambda p: truth.routes.get(p.lstrip("/")))
    assert cut.truncated is None and whole.truncated is None
    assert cut.days == whole.days and len(cut.activities) == len(whole.activities) == 2
    assert cut.problems == whole.problems
