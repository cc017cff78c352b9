"""The limiter computes its gain only around the peaks that need it: same curve as computing it everywhere."""

from __future__ import annotations

import numpy as np
import pytest

from studio.audio.master import _dense_limiter_gain_db, _limiter_reach, _parallel_dense, limiter_gain_db


def _needed(peaks: np.ndarray, ceiling: float) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.minimum(0.0, ceiling - 20.0 * np.log10(peaks.astype(np.float64)))


@pytest.mark.parametrize("seed", range(12))
def test_region_by_region_gain_equals_the_dense_computation(seed: int) -> None:
    rng = np.random.default_rng(seed)
    frames = int(rng.integers(2_000, 300_000))
    peaks = (np.abs(rng.standard_normal(frames)) * 0.05).astype(np.float32)
    loud = rng.integers(0, frames, int(rng.integers(1, 60)))
    peaks[loud] = rng.uniform(0.5, 4.0, loud.size)
    if seed % 3 == 0:  # reductions at both ends: regions clipped by the signal's edges
        peaks[:3], peaks[-2:] = 3.0, 2.0
        loud = np.concatenate((loud, [0, 1, 2, frames - 2, frames - 1]))
    rate = float(rng.choice([4000.0, 44100.0 / 11]))
    sparse = limiter_gain_db(peaks, rate, -1.0)
    dense = _dense_limiter_gain_db(_needed(peaks, -1.0), rate)
    assert np.max(np.abs(sparse - dense)) < 1e-6
    assert sparse.min() < -5.0  # the loud points really were limited
    far = np.abs(np.arange(frames)[:, None] - loud[None, :]).min(axis=1) > 3_000
    assert np.all(np.abs(sparse[far]) < 1e-9)  # 0 dB away from the peaks


def test_dense_signals_take_the_dense_path_and_agree() -> None:
    peaks = np.full(10_000, 2.0, dtype=np.float32)
    gain = limiter_gain_db(peaks, 4000.0, -1.0)
    assert gain[5_000] == pytest.approx(-1.0 - 20 * np.log10(2.0), abs=1e-9)


@pytest.mark.parametrize("seed", range(3))
def test_limiter_computed_in_parallel_parts_equals_one_pass(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dense material (every syllable near the ceiling) is cut in parts with overlap: same curve."""
    monkeypatch.setattr("studio.audio.master.os.cpu_count", lambda: 4)  # two parts even on a 1-core runner
    rng = np.random.default_rng(100 + seed)
    frames = (1 << 21) + int(rng.integers(0, 50_000))  # over two parts' minimum
    peaks = (np.abs(rng.standard_normal(frames)) * 0.4).astype(np.float32)
    peaks[rng.integers(0, frames, 200)] = 8.0  # deep reductions: long release reach across part edges
    peaks[frames // 2 - 3 : frames // 2 + 3] = 9.0  # right on the middle part boundary
    needed = _needed(peaks, -1.0)
    whole = _dense_limiter_gain_db(needed, 4000.0)
    parts = _parallel_dense(needed, 4000.0, _limiter_reach(float(needed.min()), 4000.0))
    assert whole.min() < -18.0
    assert np.max(np.abs(parts - whole)) < 1e-9
