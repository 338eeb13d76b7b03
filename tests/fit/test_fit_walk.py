"""The compiled header walk (numba) and the Python reference walk give identical tables on
every sample FIT file and on interleaved files written by the project's encoder; the
interleaved files themselves decode to the values written (checked against garmin-fit-sdk)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from fit_oracles import garmin_records

from stridewise.fit import walk
from stridewise.fit.decode import FitData, FitFormatError, decode
from stridewise.fit.encode import encode_interleaved_activity

START_S = 1_700_000_000.0


def _run(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "time_s": START_S + np.arange(n, dtype=np.float64),
        "lat_deg": 47.0 + np.cumsum(rng.normal(0, 1e-5, n)),
        "lon_deg": 8.0 + np.cumsum(rng.normal(0, 1e-5, n)),
        "distance_m": np.arange(n) * 3.1,
        "speed_mps": np.full(n, 3.1),
        "altitude_m": 400.0 + np.round(np.sin(np.arange(n) / 50.0) * 20.0, 1),
        "heart_rate_bpm": rng.integers(110, 175, n).astype(np.float64),
        "cadence_spm": rng.integers(80, 90, n) * 2.0,
    }


def _assert_same(a: FitData, b: FitData, where: str) -> None:
    assert a.segment_count == b.segment_count, where
    assert a.segment_file_types == b.segment_file_types, where
    assert sorted(a.messages) == sorted(b.messages), where
    for name, ta in a.messages.items():
        tb = b.messages[name]
        np.testing.assert_array_equal(ta.position, tb.position, err_msg=f"{where} {name}")
        np.testing.assert_array_equal(ta.segment, tb.segment, err_msg=f"{where} {name}")
        assert sorted(ta.columns) == sorted(tb.columns), f"{where} {name}"
        for col, va in ta.columns.items():
            vb = tb.columns[col]
            assert va.dtype == vb.dtype and va.shape == vb.shape, f"{where} {name}.{col}"
            if va.dtype == object:
                assert va.tolist() == vb.tolist(), f"{where} {name}.{col}"
            else:
                np.testing.assert_array_equal(va, vb, err_msg=f"{where} {name}.{col}")


def _both(data: bytes) -> tuple[FitData | str, FitData | str]:
    out: list[FitData | str] = []
    for mode in ("compiled", "reference"):
        try:
            out.append(decode(data, walk=mode))
        except FitFormatError as exc:
            out.append(f"FitFormatError: {exc}")
    return out[0], out[1]


def test_numba_is_installed_and_compiles_the_walk() -> None:
    assert walk.kernel() is not None


@pytest.mark.samples
def test_compiled_and_reference_walks_agree_on_every_sample(samples_dir: Path) -> None:
    files = sorted((samples_dir / "fit").glob("*.fit"))
    assert len(files) >= 30
    for path in files:
        compiled, reference = _both(path.read_bytes())
        if isinstance(reference, str) or isinstance(compiled, str):
            assert compiled == reference, path.name  # the same error, word for word
        else:
            _assert_same(compiled, reference, path.name)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_compiled_and_reference_walks_agree_on_interleaved_files(seed: int) -> None:
    data = encode_interleaved_activity(_run(700, seed), seed=seed, pause_every_s=200,
                                       device_info_every_s=150)
    compiled, reference = _both(data)
    assert not isinstance(compiled, str) and not isinstance(reference, str)
    _assert_same(compiled, reference, f"seed {seed}")
    # Damage: every cut point inside the file is refused the same way by both walks.
    for cut in (len(data) // 3, len(data) // 2 + 7, len(data) - 3):
        a, b = _both(data[:cut])
        assert isinstance(a, str) and a == b


def test_interleaved_file_decodes_to_what_was_written() -> None:
    run = _run(600, 5)
    data = encode_interleaved_activity(run, seed=5, pause_every_s=200, device_info_every_s=150,
                                       lap_every_m=500)
    fit = decode(data, walk="compiled")
    record, hrv = fit.table("record"), fit.table("hrv")
    assert len(record) == 600 and len(hrv) == 600
    # A record follows every hrv message except the first: types change at every message.
    assert np.all(np.diff(np.sort(np.concatenate([record.position, hrv.position]))) > 0)
    assert np.all(record.position[1:] > hrv.position[:-1])
    np.testing.assert_array_equal(record.get("heart_rate"), run["heart_rate_bpm"])
    np.testing.assert_array_equal(record.get("timestamp") + 631_065_600, run["time_s"])
    # 25 % of records are written without position (a second record definition).
    missing = np.isnan(record.get("position_lat"))
    assert 0.15 < missing.mean() < 0.35
    hrv_time = hrv.get("time")
    assert hrv_time.shape == (600, 5)
    assert np.all((hrv_time[:, 0] >= 0.35) & (hrv_time[:, 0] <= 0.65))
    assert len(fit.table("lap")) == 3  # 1860 m at 500 m laps
    assert len(fit.table("event")) == 2 + 2 * 2 + 3  # start/stop, two pauses, three laps
    assert len(fit.table("field_description")) == 2
    # The Garmin SDK reads the same records, developer fields and all.
    sdk = garmin_records(data)
    assert sdk is not None
    np.testing.assert_array_equal(sdk["heart_rate"], run["heart_rate_bpm"])
    np.testing.assert_array_equal(np.isnan(sdk["position_lat"]), missing)


def test_auto_walk_compiles_only_after_the_python_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(walk, "_kernel", None)
    monkeypatch.setattr(walk, "_tried", False)
    monkeypatch.setattr(walk, "_python_walk_s", 0.0)
    data = encode_interleaved_activity(_run(50, 9), seed=9)
    decode(data)
    assert walk._kernel is None  # one small file: numba is not even imported for it
    assert walk._python_walk_s > 0.0
    monkeypatch.setattr(walk, "_python_walk_s", walk.COMPILE_AFTER_S)
    assert walk.worth_compiling()
    decode(data)
    assert walk._kernel is not None


def test_a_one_file_process_never_imports_numba(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "run.fit"
    path.write_bytes(encode_interleaved_activity(_run(300, 4), seed=4))
    code = ("import sys; from stridewise.fit.decode import decode; "
            f"decode(open({str(path)!r}, 'rb').read()); print('numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
