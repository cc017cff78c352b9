"""Horn voice processing, measured with sine tones: rumble cut, presence lifted, loud passages tamed."""

from __future__ import annotations

import numpy as np
import pytest

from studio.audio.pcm import Pcm
from studio.audio.voice import VoiceProcessing, process

RATE = 44100


def tone(freq: float, seconds: float, rms_dbfs: float, rate: int = RATE) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    signal: np.ndarray = np.sqrt(2) * 10 ** (rms_dbfs / 20) * np.sin(2 * np.pi * freq * t)
    return signal


def rms_db(samples: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.square(samples.astype(np.float64)))))


def response_db(freq: float, preset: VoiceProcessing, level: float = -40.0) -> float:
    """Output minus input RMS of a steady tone (the second half, after the filters settle)."""
    signal = tone(freq, 2.0, level)
    out = process(Pcm.from_mono(signal, RATE), preset).samples[:, 0]
    half = signal.size // 2
    return rms_db(out[half:]) - rms_db(signal[half:])


def test_horn_cuts_60_hz_hum_relative_to_1_khz() -> None:
    horn = VoiceProcessing.horn()
    assert response_db(1000, horn) - response_db(60, horn) >= 12.0


def test_horn_lifts_2_khz_presence_relative_to_1_khz() -> None:
    horn = VoiceProcessing.horn()
    assert 1.5 <= response_db(2000, horn) - response_db(1000, horn) <= 4.0


def test_horn_compresses_a_loud_burst_relative_to_a_quiet_passage() -> None:
    quiet = tone(1000, 2.0, -30.0)  # below the −24 dBFS threshold
    loud = tone(1000, 1.0, -18.0)  # a +12 dB burst, 6 dB over it
    signal = np.concatenate([quiet, loud, quiet])
    out = process(Pcm.from_mono(signal, RATE), VoiceProcessing.horn()).samples[:, 0]
    settle = RATE // 2
    quiet_out = rms_db(out[settle : 2 * RATE])
    loud_out = rms_db(out[2 * RATE + settle : 3 * RATE])
    # 3:1 keeps a third of the ~6.6 dB over the threshold (1 kHz sits ~0.6 dB up on the presence peak)
    assert loud_out - quiet_out == pytest.approx(12.0 - 6.6 * 2 / 3, abs=1.0)
    assert rms_db(out[-RATE:]) == pytest.approx(quiet_out, abs=0.2)  # back up after the burst


def test_horn_is_linear_below_the_threshold() -> None:
    horn = VoiceProcessing.horn()
    assert response_db(1000, horn, level=-50.0) == pytest.approx(response_db(1000, horn, level=-35.0), abs=0.1)


def test_neutral_is_identity() -> None:
    rng = np.random.default_rng(0)
    pcm = Pcm(rng.normal(0, 0.3, (RATE, 2)).astype(np.float32), RATE)
    out = process(pcm, VoiceProcessing.neutral())
    np.testing.assert_array_equal(out.samples, pcm.samples)
    assert out.rate == RATE


def test_horn_keeps_shape_rate_and_stereo_link() -> None:
    mono = tone(1000, 1.0, -20.0)
    pcm = Pcm(np.stack([mono, 0.5 * mono], axis=1).astype(np.float32), 24000)
    out = process(pcm, VoiceProcessing.horn())
    assert out.samples.shape == pcm.samples.shape and out.rate == 24000 and out.samples.dtype == np.float32
    np.testing.assert_allclose(out.samples[:, 1], 0.5 * out.samples[:, 0], atol=1e-6)  # one gain for both
