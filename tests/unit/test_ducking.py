"""Ducking: a bed of steady noise under tone-burst "speech" goes down by the set depth, at the set speed."""

from __future__ import annotations

import numpy as np
import pytest

from studio.audio.ducking import DuckingSettings, duck_gain
from studio.audio.pcm import Pcm
from studio.audio.timeline import Bed, TimelineItem, mix

RATE = 8000


def bursts(spans: list[tuple[float, float]], seconds: float, amplitude: float = 0.3) -> np.ndarray:
    """A 300 Hz tone switched on during each (start, stop) span, in seconds."""
    signal = np.zeros(round(seconds * RATE))
    t = np.arange(signal.size) / RATE
    for start, stop in spans:
        on = (t >= start) & (t < stop)
        signal[on] = amplitude * np.sin(2 * np.pi * 300 * t[on])
    return signal


def bed_noise(seconds: float) -> Pcm:
    return Pcm.from_mono(np.random.default_rng(7).normal(0.0, 0.2, round(seconds * RATE)), RATE)


def rms_db(samples: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.square(samples.astype(np.float64)))))


def ducked_bed(speech: np.ndarray, settings: DuckingSettings) -> tuple[np.ndarray, np.ndarray]:
    """Mix speech over a steady noise bed; return (programme, gain the bed got = (programme − speech) / bed)."""
    seconds = speech.size / RATE
    bed = bed_noise(seconds)
    out = mix([TimelineItem("speech", Pcm.from_mono(speech, RATE))], [Bed(bed, 0, 0, gain_db=0.0)], RATE, 1, settings)
    heard = out.samples[:, 0].astype(np.float64) - speech.astype(np.float32)
    return out.samples[:, 0], heard / bed.samples[:, 0]


@pytest.mark.parametrize("depth", [-6.0, -12.0, -20.0])
def test_bed_is_ducked_by_the_set_depth_during_speech(depth: float) -> None:
    speech = bursts([(3.0, 7.0)], 10.0)
    out = mix(
        [TimelineItem("speech", Pcm.from_mono(speech, RATE))],
        [Bed(bed_noise(10.0), 0, 0, gain_db=0.0)],
        RATE,
        1,
        DuckingSettings(depth_db=depth),
    ).samples[:, 0]
    bed_only = out[: 2 * RATE]
    under_speech = out[3 * RATE : 7 * RATE] - speech[3 * RATE : 7 * RATE].astype(np.float32)
    assert rms_db(under_speech) - rms_db(bed_only) == pytest.approx(depth, abs=1.0)


def test_bed_without_speech_stays_at_full_level() -> None:
    silent = np.zeros(5 * RATE)
    out = mix(
        [TimelineItem("speech", Pcm.from_mono(silent, RATE))],
        [Bed(bed_noise(5.0), 0, 0, gain_db=0.0)],
        RATE,
        1,
        DuckingSettings(),
    )
    assert rms_db(out.samples) == pytest.approx(rms_db(bed_noise(5.0).samples), abs=0.1)
    np.testing.assert_array_equal(duck_gain(silent, RATE, DuckingSettings()), 1.0)


def test_speech_below_the_threshold_does_not_duck() -> None:
    faint = bursts([(1.0, 3.0)], 4.0, amplitude=10 ** (-55 / 20))
    assert duck_gain(faint, RATE, DuckingSettings(threshold_db=-45.0)).min() == 1.0


def test_short_pauses_keep_the_bed_down_and_long_pauses_let_it_up() -> None:
    settings = DuckingSettings(depth_db=-12.0, attack=0.3, release=0.3, hold=1.0)
    speech = bursts([(1.0, 3.0), (3.6, 5.0), (8.0, 9.0)], 10.0)  # a 0.6 s pause, then a 3 s pause
    gain_db = 20 * np.log10(duck_gain(speech, RATE, settings))
    short_pause = gain_db[round(3.0 * RATE) : round(3.6 * RATE)]
    assert np.max(short_pause) == pytest.approx(-12.0, abs=0.01)
    long_pause = gain_db[round(5.5 * RATE) : round(7.5 * RATE)]
    assert np.max(long_pause) == pytest.approx(0.0, abs=0.01)
    # measured on the bed itself, not only on the curve
    _, heard = ducked_bed(speech, settings)
    assert 20 * np.log10(np.median(np.abs(heard[round(3.1 * RATE) : round(3.5 * RATE)]))) == pytest.approx(
        -12.0, abs=0.5
    )
    assert 20 * np.log10(np.median(np.abs(heard[round(6.0 * RATE) : round(7.0 * RATE)]))) == pytest.approx(0.0, abs=0.5)


def ramp_time(gain: np.ndarray, depth_db: float) -> float:
    """10–90 % transition time of a monotonic ramp in dB, scaled to the full ramp (÷ 0.8)."""
    fraction = (20 * np.log10(gain)) / depth_db  # 0 = full level, 1 = fully ducked
    if fraction[-1] < fraction[0]:
        fraction = fraction[::-1]  # a release: time-reverse it into a fall
    begins = np.flatnonzero(fraction >= 0.1)[0]
    ends = np.flatnonzero(fraction >= 0.9)[0]
    return float((ends - begins) / RATE / 0.8)


@pytest.mark.parametrize(("attack", "release"), [(0.5, 0.5), (1.0, 0.25), (0.2, 1.5)])
def test_ramps_take_the_attack_and_release_times(attack: float, release: float) -> None:
    settings = DuckingSettings(depth_db=-12.0, attack=attack, release=release)
    speech = bursts([(3.0, 6.0)], 10.0)
    gain = duck_gain(speech, RATE, settings)
    assert ramp_time(gain[: round(3.0 * RATE)], -12.0) == pytest.approx(attack, rel=0.2)
    assert ramp_time(gain[round(6.0 * RATE) :], -12.0) == pytest.approx(release, rel=0.2)
    # the bed is fully down by the time the voice starts and starts rising only when it stops
    assert 20 * np.log10(gain[round(3.0 * RATE)]) == pytest.approx(-12.0, abs=0.3)
    assert 20 * np.log10(gain[round(5.99 * RATE)]) == pytest.approx(-12.0, abs=0.01)


def test_duck_gain_has_one_float32_value_per_sample_over_minutes() -> None:
    speech = bursts([(60.0, 120.0)], 600.0)  # ten minutes
    gain = duck_gain(speech, RATE, DuckingSettings())
    assert gain.shape == speech.shape and gain.dtype == np.float32


def test_settings_reject_a_positive_depth() -> None:
    with pytest.raises(ValueError, match="depth"):
        DuckingSettings(depth_db=3.0)
