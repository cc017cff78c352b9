"""Waveform overviews: exact min/max per column, and a cache that decodes each file only once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studio.audio.pcm import Pcm
from studio.audio.waveform import WaveformCache, peaks


def test_peaks_of_a_ramp_are_exact_per_column() -> None:
    ramp = Pcm.from_mono(np.arange(100, dtype=np.float32) / 100, 8000)
    result = peaks(ramp, 10)
    assert result.shape == (10, 2) and result.dtype == np.float32
    expected_min = np.arange(0, 100, 10, dtype=np.float32) / 100
    expected_max = np.arange(9, 100, 10, dtype=np.float32) / 100
    np.testing.assert_array_equal(result[:, 0], expected_min)
    np.testing.assert_array_equal(result[:, 1], expected_max)


def test_peaks_of_a_sine_reach_full_swing_in_every_period() -> None:
    t = np.arange(8000) / 8000
    sine = Pcm.from_mono(0.5 * np.sin(2 * np.pi * 10 * t), 8000)  # 10 periods, one per column
    result = peaks(sine, 10)
    np.testing.assert_allclose(result[:, 0], -0.5, atol=1e-4)
    np.testing.assert_allclose(result[:, 1], 0.5, atol=1e-4)


def test_peaks_cover_every_channel() -> None:
    left = np.array([0.1, 0.2, 0.3, 0.4], dtype=np.float32)
    stereo = Pcm(np.stack([left, -left], axis=1), 8000)
    np.testing.assert_array_equal(peaks(stereo, 2), np.array([[-0.2, 0.2], [-0.4, 0.4]], dtype=np.float32))


def test_min_never_exceeds_max_on_noise() -> None:
    noise = Pcm(np.random.default_rng(1).uniform(-1, 1, (10_007, 2)).astype(np.float32), 44100)
    result = peaks(noise, 333)
    assert (result[:, 0] <= result[:, 1]).all()
    assert result[:, 0].min() == noise.samples.min() and result[:, 1].max() == noise.samples.max()


def test_more_columns_than_frames_stretches_the_samples() -> None:
    three = Pcm.from_mono([0.1, -0.2, 0.3], 8000)
    result = peaks(three, 7)
    assert result.shape == (7, 2)
    np.testing.assert_array_equal(result[:, 0], result[:, 1])  # one sample per column
    np.testing.assert_allclose(result[:, 0], [0.1, 0.1, 0.1, -0.2, -0.2, 0.3, 0.3])


def test_silence_and_bad_column_counts() -> None:
    np.testing.assert_array_equal(peaks(Pcm.silence(0, 8000), 4), np.zeros((4, 2)))
    with pytest.raises(ValueError):
        peaks(Pcm.silence(1, 8000), 0)


class CountingDecoder:
    def __init__(self, pcm: Pcm) -> None:
        self.pcm = pcm
        self.calls: list[Path] = []

    def __call__(self, path: Path) -> Pcm:
        self.calls.append(path)
        return self.pcm


@pytest.fixture
def audio_file(tmp_path: Path) -> Path:
    path = tmp_path / "bed.wav"
    path.write_bytes(b"stand-in bytes: the decoder below is counted, not run")
    return path


RAMP = Pcm.from_mono(np.linspace(-1, 1, 1000, dtype=np.float32), 8000)


def test_cache_decodes_each_file_once_per_column_count(tmp_path: Path, audio_file: Path) -> None:
    decoder = CountingDecoder(RAMP)
    cache = WaveformCache(tmp_path / "cache")
    first = cache.get_or_compute(audio_file, 50, decode_fn=decoder)
    second = cache.get_or_compute(audio_file, 50, decode_fn=decoder)
    assert len(decoder.calls) == 1
    np.testing.assert_array_equal(first, peaks(RAMP, 50))
    np.testing.assert_array_equal(second, first)
    # a new cache on the same folder (the next session) still does not decode
    WaveformCache(tmp_path / "cache").get_or_compute(audio_file, 50, decode_fn=decoder)
    assert len(decoder.calls) == 1
    cache.get_or_compute(audio_file, 80, decode_fn=decoder)
    assert len(decoder.calls) == 2


def test_changed_file_content_is_computed_again(tmp_path: Path, audio_file: Path) -> None:
    decoder = CountingDecoder(RAMP)
    cache = WaveformCache(tmp_path / "cache")
    cache.get_or_compute(audio_file, 50, decode_fn=decoder)
    audio_file.write_bytes(b"another recording, longer than the first one was")
    cache.get_or_compute(audio_file, 50, decode_fn=decoder)
    assert len(decoder.calls) == 2


@pytest.mark.parametrize("damage", [b"", b"not numpy at all", "wrong shape"])
def test_damaged_cache_entry_is_recomputed(tmp_path: Path, audio_file: Path, damage: bytes | str) -> None:
    decoder = CountingDecoder(RAMP)
    cache = WaveformCache(tmp_path / "cache")
    cache.get_or_compute(audio_file, 50, decode_fn=decoder)
    entry = cache.entry_path(audio_file, 50)
    if isinstance(damage, bytes):
        entry.write_bytes(damage)
    else:
        np.save(entry, np.zeros((3, 2), dtype=np.float32))
    result = cache.get_or_compute(audio_file, 50, decode_fn=decoder)
    assert len(decoder.calls) == 2
    np.testing.assert_array_equal(result, peaks(RAMP, 50))
    cache.get_or_compute(audio_file, 50, decode_fn=decoder)  # and the repaired entry is used again
    assert len(decoder.calls) == 2
