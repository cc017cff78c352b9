"""Loudness and mastering, checked against an independent meter: ffmpeg's ``ebur128`` filter.

The oracle runs the bundled ffmpeg binary directly (not through studio code) and reads the summary it
prints, so a mistake shared by our meter and our encoder cannot hide itself.
"""

from __future__ import annotations

import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from scipy.signal import butter, lfilter, sosfilt

from studio.audio.codec import encode_mp3
from studio.audio.loudness import (
    SILENCE_DBTP,
    SILENCE_LUFS,
    integrated_loudness,
    loudness_range,
    measure,
    true_peak,
)
from studio.audio.master import ENCODE_HEADROOM_DB, limiter_gain_db, master, master_mp3
from studio.audio.pcm import Pcm
from studio.messages import Cancelled
from studio.tasks import CancelToken

TARGET = -16.0
CEILING = -1.0


# ---------------------------------------------------------------- independent oracle


@dataclass(frozen=True)
class Ebur128:
    integrated: float
    true_peak: float
    lra: float


def _ebur128(input_args: list[str], data: bytes | None = None) -> Ebur128:
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-nostats", *input_args]
    command += ["-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"]
    result = subprocess.run(command, input=data, capture_output=True, check=True, timeout=120)
    summary = result.stderr.decode("utf-8", "replace").rsplit("Summary:", 1)[1]

    def value(label: str) -> float:
        match = re.search(rf"{label}:\s+(-?[\d.]+|-inf)", summary)
        assert match, summary
        return float(match[1])

    return Ebur128(integrated=value("I"), true_peak=value("Peak"), lra=value("LRA"))


def ebur128_file(path: Path) -> Ebur128:
    return _ebur128(["-i", str(path)])


def ebur128_pcm(pcm: Pcm) -> Ebur128:
    raw = np.ascontiguousarray(pcm.samples, dtype="<f4").tobytes()
    return _ebur128(["-f", "f32le", "-ar", str(pcm.rate), "-ac", str(pcm.channels), "-i", "pipe:0"], raw)


# ---------------------------------------------------------------- test material


def _resonator(freq: float, bandwidth: float, rate: int) -> tuple[list[float], list[float]]:
    r = math.exp(-math.pi * bandwidth / rate)
    return [1 - r], [1.0, -2 * r * math.cos(2 * math.pi * freq / rate), r * r]


def speech_like(seconds: float, rate: int = 44100, seed: int = 0) -> Pcm:
    """Syllables of a pitched, formant-filtered pulse train (and hiss for fricatives), words, pauses.

    Peaky like a voice (peak-to-loudness ~18 dB), so the limiter has real work to do.
    """
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    envelope = np.zeros(n)
    voiced = np.zeros(n, dtype=bool)
    t = 0.2
    while t < seconds - 0.5:
        for _ in range(rng.integers(2, 5)):
            length = rng.uniform(0.12, 0.3)
            a, b = int(t * rate), min(n, int((t + length) * rate))
            envelope[a:b] = np.hanning(b - a) ** 0.5 * rng.uniform(0.3, 1.0)
            voiced[a:b] = rng.random() < 0.8
            t += length + rng.uniform(0.02, 0.08)
        t += rng.uniform(0.25, 0.7)
    time = np.arange(n) / rate
    f0 = 140 + 40 * np.sin(2 * np.pi * 0.3 * time) + 20 * np.sin(2 * np.pi * 1.7 * time)
    pulses = np.diff(np.floor(np.cumsum(f0 / rate)), prepend=0.0)
    source = lfilter([1.0], [1.0, -0.95], pulses)
    voice = sum(
        gain * lfilter(*_resonator(freq, bw, rate), source)
        for freq, bw, gain in ((600, 80, 1.0), (1400, 120, 0.6), (2600, 200, 0.3))
    )
    hiss = 0.05 * sosfilt(butter(4, 2500, "highpass", fs=rate, output="sos"), rng.standard_normal(n))
    x = np.where(voiced, voice, hiss) * envelope + 1e-4 * rng.standard_normal(n)
    return Pcm.from_mono(0.5 * x / np.abs(x).max(), rate)


def scaled_to(pcm: Pcm, lufs: float) -> Pcm:
    gain = 10 ** ((lufs - integrated_loudness(pcm)) / 20)
    return Pcm((pcm.samples * gain).astype(np.float32), pcm.rate)


def sine(freq: float, seconds: float, rate: int, amplitude: float) -> Pcm:
    t = np.arange(round(seconds * rate)) / rate
    return Pcm.from_mono(amplitude * np.sin(2 * np.pi * freq * t), rate)


def hot_clipped(pcm: Pcm) -> Pcm:
    """+20 dB into a recorder that clips: flat-topped waveforms."""
    return Pcm(np.clip(pcm.samples * 10, -1, 1).astype(np.float32), pcm.rate)


# ---------------------------------------------------------------- meter agrees with the oracle

NOISE_48K = (0.05 * np.random.default_rng(9).standard_normal((480_000, 1))).astype(np.float32)


def test_one_khz_sine_reads_as_bs1770_says() -> None:
    # BS.1770: a 0 dBFS 1 kHz sine in one channel reads -3.01 LKFS; so -20 dBFS reads -23.01.
    assert integrated_loudness(sine(1000, 5, 48000, 0.1)) == pytest.approx(-23.01, abs=0.05)


@pytest.mark.parametrize(
    "pcm",
    [
        pytest.param(speech_like(15, 44100, 1), id="speech-44k"),
        pytest.param(speech_like(15, 24000, 2), id="speech-24k"),
        pytest.param(sine(100, 5, 44100, 0.3), id="sine-100Hz"),
        pytest.param(Pcm(np.hstack([speech_like(10, 48000, 3).samples, NOISE_48K]), 48000), id="stereo"),
    ],
)
def test_our_meter_agrees_with_ffmpeg_ebur128(pcm: Pcm) -> None:
    oracle = ebur128_pcm(pcm)
    assert integrated_loudness(pcm) == pytest.approx(oracle.integrated, abs=0.2)
    assert true_peak(pcm) == pytest.approx(oracle.true_peak, abs=0.3)


def test_loudness_range_agrees_with_ffmpeg_ebur128() -> None:
    rng = np.random.default_rng(5)
    rate = 44100
    steps = np.repeat(10 ** (-np.array([0, 4, 8, 12, 2, 6, 10, 1]) / 20), 3 * rate)  # 3 s per level
    pcm = Pcm.from_mono(0.1 * rng.standard_normal(steps.size) * steps, rate)
    assert loudness_range(pcm) == pytest.approx(ebur128_pcm(pcm).lra, abs=0.5)
    assert loudness_range(sine(1000, 10, rate, 0.2)) == pytest.approx(0.0, abs=0.1)


def test_true_peak_finds_peaks_between_samples() -> None:
    # fs/4 at 45 degrees: every sample sits at 0.707 of the real peak (-3 dB sample peak error)
    rate = 48000
    t = np.arange(rate) / rate
    pcm = Pcm.from_mono(0.5 * np.sin(2 * np.pi * rate / 4 * t + np.pi / 4) * np.hanning(rate), rate)
    assert np.abs(pcm.samples).max() < 0.36
    assert true_peak(pcm) == pytest.approx(20 * math.log10(0.5), abs=0.1)


def test_silence_and_very_short_audio_have_defined_values() -> None:
    silence = Pcm.silence(2.0, 44100)
    assert integrated_loudness(silence) == SILENCE_LUFS
    assert true_peak(silence) == SILENCE_DBTP
    assert measure(silence).loudness_range_lu == 0.0
    assert integrated_loudness(Pcm.silence(0.0, 44100)) == SILENCE_LUFS
    blip = sine(1000, 0.2, 48000, 0.1)  # shorter than one 400 ms gating block
    assert integrated_loudness(blip) == pytest.approx(-23.01, abs=0.3)


def test_report_carries_replaygain_relative_to_minus_18() -> None:
    report = measure(scaled_to(speech_like(8), -20.0))
    assert report.integrated_lufs == pytest.approx(-20.0, abs=0.05)
    assert report.replaygain_db == pytest.approx(2.0, abs=0.05)


# ---------------------------------------------------------------- the limiter on its own


def test_limiter_gain_anticipates_a_peak_and_recovers_slowly() -> None:
    rate = 44100
    peaks = np.full(rate, 0.1, dtype=np.float32)
    peaks[rate // 2] = 2.0  # one +6 dBFS peak
    gain = limiter_gain_db(peaks, rate, -1.0)
    need = -1.0 - 20 * math.log10(2.0)
    assert gain[rate // 2] <= need + 1e-9
    assert np.all(gain <= 0.0) and np.all(20 * np.log10(peaks.astype(np.float64)) + gain <= -1.0 + 1e-9)
    first_drop = int(np.flatnonzero(gain < -0.01)[0])
    assert 0.003 * rate < rate // 2 - first_drop < 0.012 * rate  # look-ahead of ~5 ms: no click
    assert np.max(np.abs(np.diff(gain))) < 0.2  # dB per sample: a smooth envelope, not a step
    recovered = int(np.flatnonzero(gain[rate // 2 :] > -0.01)[0])
    assert 0.1 * rate < recovered < 0.3 * rate  # ~7 dB back at 40 dB/s after a 10 ms hold


# ---------------------------------------------------------------- mastering, checked on the delivered MP3


def _cases() -> list[object]:
    speech = speech_like(20, 44100, 0)
    return [
        pytest.param(speech, id="speech"),
        pytest.param(hot_clipped(speech), id="hot-clipping"),
        pytest.param(scaled_to(speech, -40.0), id="quiet--40LUFS"),
        pytest.param(speech_like(20, 24000, 4), id="tts-rate-24k"),
    ]


@pytest.mark.parametrize("pcm", _cases())
def test_master_then_mp3_meets_target_and_ceiling_by_independent_meter(pcm: Pcm, tmp_path: Path) -> None:
    mastered, report = master(pcm, target_lufs=TARGET, true_peak_ceiling=CEILING)
    assert mastered.frames == pcm.frames and mastered.rate == pcm.rate
    # the report describes the mastered PCM ...
    assert report.integrated_lufs == pytest.approx(TARGET, abs=0.3)
    assert report.true_peak_dbtp <= CEILING - ENCODE_HEADROOM_DB + 0.01
    assert report.integrated_lufs == pytest.approx(integrated_loudness(mastered), abs=1e-6)
    # ... and the headroom keeps the encoded file under the ceiling, by ffmpeg's meter
    oracle = ebur128_file(encode_mp3(mastered, tmp_path / "m.mp3", bitrate_kbps=128, rate=44100))
    assert oracle.true_peak <= CEILING
    assert oracle.integrated == pytest.approx(TARGET, abs=1.0)  # LAME 128k measures ~0.45 LU quieter


@pytest.mark.parametrize("pcm", _cases())
def test_master_mp3_delivers_the_target_in_the_file(pcm: Pcm, tmp_path: Path) -> None:
    path = tmp_path / "bulletin.mp3"
    report = master_mp3(pcm, path, target_lufs=TARGET, true_peak_ceiling=CEILING)
    oracle = ebur128_file(path)
    assert oracle.integrated == pytest.approx(TARGET, abs=0.3)
    assert oracle.true_peak <= CEILING
    # the report (for the tags) describes this very file
    assert report.integrated_lufs == pytest.approx(oracle.integrated, abs=0.2)
    assert report.true_peak_dbtp == pytest.approx(oracle.true_peak, abs=0.3)
    assert [p.name for p in tmp_path.iterdir()] == ["bulletin.mp3"]


def test_master_honours_other_station_settings() -> None:
    mastered, report = master(speech_like(15, 48000, 6), target_lufs=-23.0, true_peak_ceiling=-2.0)
    assert report.integrated_lufs == pytest.approx(-23.0, abs=0.3)
    assert true_peak(mastered) <= -2.0 - ENCODE_HEADROOM_DB + 0.01


def test_master_links_stereo_channels() -> None:
    left = speech_like(10, 44100, 7).samples[:, 0]
    pcm = Pcm(np.stack([left, 0.5 * left], axis=1), 44100)
    mastered, _ = master(pcm)
    np.testing.assert_allclose(mastered.samples[:, 1], 0.5 * mastered.samples[:, 0], atol=1e-6)


def test_master_leaves_silence_alone() -> None:
    silence = Pcm.silence(3.0, 44100)
    mastered, report = master(silence)
    np.testing.assert_array_equal(mastered.samples, silence.samples)
    assert report.integrated_lufs == SILENCE_LUFS


def test_cancelled_master_mp3_leaves_no_file(tmp_path: Path) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        master_mp3(speech_like(3), tmp_path / "b.mp3", cancel=token)
    assert list(tmp_path.iterdir()) == []
