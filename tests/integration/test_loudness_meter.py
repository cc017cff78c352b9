"""Our BS.1770-4 meter against two independent ones: ``pyloudnorm`` and ffmpeg's ``ebur128`` filter.

Issue 4: integrated loudness within 0.1 LU of both on speech, music and silence-heavy material, mono and
stereo, at the rates the studio meets (22.05 kHz eSpeak, 44.1 kHz jingles and MP3s, 48 kHz imports).
ffmpeg prints 0.1 LU resolution, so it is allowed 0.1 LU plus half a printed step.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample_poly

from studio.audio.codec import decode, encode_wav
from studio.audio.loudness import SILENCE_LUFS, integrated_loudness
from studio.audio.pcm import Pcm
from studio.speech.engine import VoiceParams
from studio.speech.espeak import NORTHERN, EspeakEngine
from tests.oracles import ebur128

JINGLES = Path(__file__).resolve().parents[2] / "assets" / "jingles"
RATES = (22050, 44100, 48000)
TEXT = ("Thông báo của Ủy ban nhân dân xã. Từ ngày mai, bà con đến nhà văn hóa thôn để tiêm phòng cho gia "
        "súc. Mọi thắc mắc xin liên hệ cán bộ thú y xã.")
PYLOUDNORM_LU = 0.1
EBUR128_LU = 0.1 + 0.05


@pytest.fixture(scope="module")
def speech() -> Pcm:
    return EspeakEngine().synthesize(TEXT, VoiceParams(NORTHERN))


def _at_rate(pcm: Pcm, rate: int) -> Pcm:
    if rate == pcm.rate:
        return pcm
    divisor = np.gcd(rate, pcm.rate)
    samples = resample_poly(pcm.samples, rate // divisor, pcm.rate // divisor, axis=0)
    return Pcm(np.ascontiguousarray(samples, dtype=np.float32), rate)


def _with_pauses(pcm: Pcm, seconds: float) -> Pcm:
    """The speech three times, with long pauses before, between and after (a sparse announcement).

    The pauses hold room noise at −50 dBFS: above the absolute gate, so only the relative gate keeps it out.
    """
    noise = np.random.default_rng(7).standard_normal((round(seconds * pcm.rate), pcm.channels))
    gap = (noise * 10 ** (-50 / 20)).astype(np.float32)
    return Pcm(np.concatenate([gap, pcm.samples, gap, gap, pcm.samples, gap, pcm.samples, gap]), pcm.rate)


def _stereo(pcm: Pcm) -> Pcm:
    """Left the material, right the same delayed 30 ms and 6 dB down: channels that differ."""
    delay = round(0.03 * pcm.rate)
    right = np.concatenate([np.zeros(delay, dtype=np.float32), pcm.samples[:-delay, 0] * 0.5])
    return Pcm(np.ascontiguousarray(np.stack([pcm.samples[:, 0], right], axis=1)), pcm.rate)


def _material(kind: str, speech: Pcm) -> Pcm:
    if kind == "speech":
        return speech
    if kind == "silence-heavy":
        return _with_pauses(speech, 4.0)
    return decode(JINGLES / f"{kind}.wav")


def _pyloudnorm(pcm: Pcm) -> float:
    return float(pyloudnorm.Meter(pcm.rate, filter_class="DeMan").integrated_loudness(pcm.samples))


@pytest.mark.parametrize("rate", RATES)
@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("kind", ["speech", "silence-heavy", "opening", "bed"])
def test_integrated_loudness_agrees_with_pyloudnorm_and_ffmpeg(
    speech: Pcm, kind: str, channels: int, rate: int, tmp_path: Path
) -> None:
    pcm = _at_rate(_material(kind, speech), rate)
    if channels == 2:
        pcm = _stereo(pcm)
    ours = integrated_loudness(pcm)
    assert ours == pytest.approx(_pyloudnorm(pcm), abs=PYLOUDNORM_LU)
    # The WAV is 16-bit, as ffmpeg reads it: measure what ffmpeg measures.
    path = encode_wav(pcm, tmp_path / "material.wav")
    written = decode(path)
    assert written.rate == rate and written.channels == channels
    assert integrated_loudness(written) == pytest.approx(ebur128(path)[0], abs=EBUR128_LU)
    assert integrated_loudness(written) == pytest.approx(ours, abs=0.01)


@pytest.mark.parametrize("rate", RATES)
def test_full_scale_minus_20_dbfs_1_khz_sine_reads_minus_23_lufs(rate: int) -> None:
    t = np.arange(5 * rate) / rate
    pcm = Pcm.from_mono(10 ** (-20 / 20) * np.sin(2 * np.pi * 1000 * t), rate)
    assert integrated_loudness(pcm) == pytest.approx(-23.0, abs=0.05)


def test_speech_in_a_long_silence_is_as_loud_as_the_speech_alone(speech: Pcm) -> None:
    """The relative gate keeps noisy pauses from pulling a sparse announcement down."""
    sparse = _with_pauses(speech, 20.0)
    assert integrated_loudness(sparse) == pytest.approx(integrated_loudness(speech), abs=0.3)
    ungated = -0.691 + 10 * np.log10(np.mean(sparse.samples.astype(np.float64) ** 2))
    assert integrated_loudness(sparse) > ungated + 3.0


def test_silence_and_short_audio_keep_their_floors(speech: Pcm) -> None:
    assert integrated_loudness(Pcm.silence(3.0, 44100)) == SILENCE_LUFS
    assert integrated_loudness(Pcm.silence(0.0, 44100)) == SILENCE_LUFS
    quiet = Pcm.from_mono(np.full(44100, 1e-6), 44100)
    assert integrated_loudness(quiet) == SILENCE_LUFS
    short = Pcm(speech.samples[speech.rate : speech.rate + speech.rate // 4], speech.rate)
    assert SILENCE_LUFS < integrated_loudness(short) < 0.0
