"""Mixing arithmetic: joining parts of a bulletin at one rate, fades and edge trimming."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.audio.mix import (
    concatenate,
    fade,
    resample,
    resampled_frames,
    to_channels,
    trim_silence,
)
from studio.audio.pcm import Pcm

RATES = [8000, 16000, 22050, 24000, 44100, 48000]


def tone(freq: float, seconds: float, rate: int, amplitude: float = 0.5) -> Pcm:
    t = np.arange(round(seconds * rate)) / rate
    return Pcm.from_mono(amplitude * np.sin(2 * np.pi * freq * t), rate)


def constant(value: float, frames: int, rate: int = 44100, channels: int = 1) -> Pcm:
    return Pcm(np.full((frames, channels), value, dtype=np.float32), rate)


def level_at(pcm: Pcm, freq: float) -> float:
    """Amplitude of ``freq`` in the middle of ``pcm`` (windowed DFT), away from the edges."""
    mid = pcm.samples[pcm.frames // 4 : 3 * pcm.frames // 4, 0].astype(np.float64)
    t = np.arange(mid.size) / pcm.rate
    window = np.hanning(mid.size)
    return float(2 * abs(np.sum(mid * window * np.exp(-2j * np.pi * freq * t))) / window.sum())


def test_concatenate_places_every_part_in_order_with_exact_length() -> None:
    parts = [constant(0.1, 100), Pcm.silence(0.01, 44100), constant(0.3, 7), constant(-0.2, 1)]
    out = concatenate(parts, 44100, 1)
    assert out.frames == 100 + 441 + 7 + 1
    assert out.rate == 44100 and out.channels == 1
    np.testing.assert_array_equal(out.samples[:100, 0], 0.1 * np.ones(100, dtype=np.float32))
    np.testing.assert_array_equal(out.samples[100:541, 0], 0)
    np.testing.assert_array_equal(out.samples[541:548, 0], np.float32(0.3))
    assert out.samples[-1, 0] == np.float32(-0.2)


def test_concatenate_of_nothing_is_empty() -> None:
    out = concatenate([], 24000, 2)
    assert out.frames == 0 and out.channels == 2 and out.rate == 24000


def test_concatenate_resamples_tts_speech_to_the_programme_rate() -> None:
    speech = tone(1000, 1.0, 24000)  # edge-tts speaks at 24 kHz
    jingle = tone(440, 0.5, 44100)
    out = concatenate([speech, jingle], 44100, 1)
    assert out.frames == 44100 + 22050
    first = Pcm(out.samples[:44100], 44100)
    assert level_at(first, 1000) == pytest.approx(0.5, abs=0.01)  # same pitch, same level
    np.testing.assert_array_equal(out.samples[44100:], jingle.samples)  # already conforming: copied as is


def test_concatenate_remixes_channels() -> None:
    stereo = Pcm(np.array([[0.2, 0.6], [0.4, 0.0]], dtype=np.float32), 44100)
    mono = constant(0.5, 2)
    down = concatenate([stereo, mono], 44100, 1)
    np.testing.assert_allclose(down.samples[:, 0], [0.4, 0.2, 0.5, 0.5], rtol=1e-6)
    up = concatenate([mono], 44100, 2)
    np.testing.assert_array_equal(up.samples, np.full((2, 2), 0.5, dtype=np.float32))  # full level on both


@settings(max_examples=60, deadline=None)
@given(
    lengths=st.lists(st.integers(0, 3000), max_size=6),
    rates=st.lists(st.sampled_from(RATES), min_size=6, max_size=6),
    target=st.sampled_from(RATES),
)
def test_concatenate_length_is_the_sum_of_the_resampled_parts(
    lengths: list[int], rates: list[int], target: int
) -> None:
    parts = [constant(0.1, n, rate) for n, rate in zip(lengths, rates, strict=False)]
    out = concatenate(parts, target, 1)
    assert out.frames == sum(resampled_frames(p.frames, p.rate, target) for p in parts)
    assert out.samples.dtype == np.float32


def test_resample_keeps_duration_and_removes_what_the_new_rate_cannot_carry() -> None:
    low = tone(1000, 2.0, 44100)
    high = tone(15000, 2.0, 44100)  # above 12 kHz: must not fold back as a 9 kHz whistle
    assert resample(low, 24000).frames == 48000
    assert level_at(resample(low, 24000), 1000) == pytest.approx(0.5, abs=0.01)
    folded = resample(high, 24000)
    assert level_at(folded, 24000 - 15000) < 0.5 * 10 ** (-40 / 20)


def test_resample_to_the_same_rate_is_identity() -> None:
    pcm = tone(440, 0.1, 48000)
    assert resample(pcm, 48000) is pcm


def test_to_channels_rejects_nonsense() -> None:
    with pytest.raises(ValueError):
        to_channels(constant(0.1, 3), 0)


def test_fade_starts_and_ends_silent_and_leaves_the_middle_alone() -> None:
    pcm = constant(0.5, 44100)
    out = fade(pcm, 0.1, 0.2)
    assert abs(out.samples[0, 0]) < 0.001 and abs(out.samples[-1, 0]) < 0.001
    np.testing.assert_array_equal(out.samples[4410:-8820], pcm.samples[4410:-8820])
    assert np.all(np.diff(out.samples[:4410, 0]) >= 0)  # no click: a monotonic rise
    assert np.all(np.diff(out.samples[-8820:, 0]) <= 0)
    assert np.all(pcm.samples == 0.5)  # the input is not modified


def test_fades_longer_than_the_audio_are_shortened() -> None:
    out = fade(constant(0.5, 100), 10.0, 10.0)
    assert out.frames == 100
    assert out.samples.max() <= 0.5


def test_trim_silence_cuts_edges_but_keeps_a_margin() -> None:
    rate = 24000
    speech = np.full((rate // 2, 1), 0.3, dtype=np.float32)
    hiss = np.full((rate, 1), 10 ** (-60 / 20), dtype=np.float32)  # below -50 dBFS counts as silence
    pcm = Pcm(np.concatenate([hiss, speech, np.zeros((rate // 2, 1), np.float32)]), rate)
    out = trim_silence(pcm, threshold_db=-50, keep=0.05)
    margin = round(0.05 * rate)
    assert out.frames == speech.shape[0] + 2 * margin
    np.testing.assert_array_equal(out.samples[:margin], hiss[:margin])
    np.testing.assert_array_equal(out.samples[margin:-margin], speech)
    np.testing.assert_array_equal(out.samples[-margin:], 0)


def test_trim_silence_keeps_pauses_inside_the_speech() -> None:
    rate = 16000
    word = tone(300, 0.2, rate).samples
    pcm = Pcm(np.concatenate([word, np.zeros((rate, 1), np.float32), word]), rate)
    assert trim_silence(pcm, keep=0.0).frames >= pcm.frames - 4


def test_trim_silence_of_silence_is_empty() -> None:
    out = trim_silence(Pcm.silence(1.0, 24000, 2))
    assert out.frames == 0 and out.channels == 2
