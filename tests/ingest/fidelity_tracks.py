"""Generated tracks for the import-fidelity tests (issue 12): a phone-like GPS track with a
known true path, and a noisy whole-metre GPS altitude profile with a known true climb."""

from __future__ import annotations

import numpy as np

from stridewise.summary import haversine_m

LAT0, LON0 = 47.37, 8.54
M_PER_DEG_LAT = 111_195.0


def phone_track(
    interval_s: float = 2.0, noise_m: float = 1.5, seed: int = 7
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """A 25-minute run at 3 m/s along a winding path (turns every 100-200 m, some hairpins),
    sampled every ``interval_s`` with ``noise_m`` of correlated GPS error. Returns times,
    latitudes, longitudes and the true path length in metres."""
    rng = np.random.default_rng(seed)
    dt = 0.2  # the true path is integrated finely
    n = int(25 * 60 / dt)
    heading = np.cumsum(rng.normal(0.0, 0.035, n)) + 0.6 * np.sin(np.arange(n) * dt / 40.0)
    x = np.cumsum(3.0 * dt * np.cos(heading))
    y = np.cumsum(3.0 * dt * np.sin(heading))
    step = round(interval_s / dt)
    xs, ys = x[::step], y[::step]
    # GPS error: a slowly wandering offset (AR(1), ~20 s correlation) plus white jitter.
    phi = np.exp(-interval_s / 20.0)
    err = np.zeros((xs.size, 2))
    for i in range(1, xs.size):
        err[i] = phi * err[i - 1] + np.sqrt(1 - phi**2) * rng.normal(0.0, noise_m, 2)
    xs = xs + err[:, 0] + rng.normal(0.0, 0.3, xs.size)
    ys = ys + err[:, 1] + rng.normal(0.0, 0.3, xs.size)
    lat = LAT0 + ys / M_PER_DEG_LAT
    lon = LON0 + xs / (M_PER_DEG_LAT * np.cos(np.radians(LAT0)))
    true_lat = LAT0 + y / M_PER_DEG_LAT
    true_lon = LON0 + x / (M_PER_DEG_LAT * np.cos(np.radians(LAT0)))
    true_m = float(haversine_m(true_lat[:-1], true_lon[:-1], true_lat[1:], true_lon[1:]).sum())
    t = 1.7e9 + np.arange(xs.size) * interval_s
    return t, lat, lon, true_m


def gps_altitude(
    interval_s: float = 5.0, hours: float = 2.0, seed: int = 1
) -> tuple[np.ndarray, np.ndarray, float]:
    """Rolling hills (true climb ~960 m in 2 h) as GPS altitude: 4 m of slowly wandering
    error (AR(1), 60 s) plus 1.5 m of jitter, rounded to whole metres, every ``interval_s``.
    Returns times, altitudes and the true climb in metres."""
    rng = np.random.default_rng(seed)
    t = np.arange(0.0, hours * 3600.0, interval_s)
    true = 100 + 60 * np.sin(2 * np.pi * t / 1500) + 25 * np.sin(2 * np.pi * t / 400 + 1)
    phi = np.exp(-interval_s / 60.0)
    err = np.zeros(t.size)
    for i in range(1, t.size):
        err[i] = phi * err[i - 1] + np.sqrt(1 - phi**2) * rng.normal(0.0, 4.0)
    alt = np.round(true + err + rng.normal(0.0, 1.5, t.size))
    climb = float(np.clip(np.diff(true), 0.0, None).sum())
    return 1.7e9 + t, alt, climb
