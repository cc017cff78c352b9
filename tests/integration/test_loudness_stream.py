"""The streaming meter against the whole-signal one: the render pipeline measures the programme chunk by
chunk as it goes to the encoder, and the tags must say what :func:`measure` says of the whole.

Chunks come in sizes the pipeline never promises to avoid: a frame at a time, shorter than a 100 ms hop,
shorter than the interpolator's ±10-frame reach, empty, and all at once.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pytest
from scipy.signal import resample_poly

from studio.audio.loudness import SILENCE_DBTP, SILENCE_LUFS, LoudnessMeter, LoudnessReport, hop_energies, measure
from studio.audio.pcm import Pcm
from studio.speech.engine import VoiceParams
from studio.speech.espeak import NORTHERN, EspeakEngine

TEXT = "Thông báo của Ủy ban nhân dân xã: từ ngày mai, bà con đến nhà văn hóa thôn để tiêm phòng cho gia súc."
EXACT = 1e-6  # LU and dB
# A true peak is one float32 sample of the oversampled signal: computed in other slices it may differ in the last
# bit (numpy's vector loops depend on where a slice starts in memory), about 1.0e-6 dB at most.
PEAK_EXACT = 20 * math.log10(1 + 2 * float(np.finfo(np.float32).eps))


@pytest.fixture(scope="module")
def speech() -> Pcm:
    return EspeakEngine().synthesize(TEXT, VoiceParams(NORTHERN))


def _programme(speech: Pcm, rate: int, channels: int, repeats: int = 2) -> Pcm:
    """Speech at ``rate`` with pauses of room noise, clipped hot in places so true peaks rise between samples;
    a second channel is the first delayed and quieter."""
    voice = speech.samples[:, 0]
    if rate != speech.rate:
        divisor = np.gcd(rate, speech.rate)
        voice = resample_poly(voice, rate // divisor, speech.rate // divisor)
    rng = np.random.default_rng(rate + channels)
    pause = 10 ** (-50 / 20) * rng.standard_normal(round(0.7 * rate))
    hot = np.clip(voice * 3.0, -0.99, 0.99)
    mono = np.concatenate([pause, voice, pause, hot, *([pause, voice] * (repeats - 1))]).astype(np.float32)
    if channels == 1:
        return Pcm.from_mono(mono, rate)
    right = 0.5 * np.roll(mono, round(0.02 * rate))
    return Pcm(np.ascontiguousarray(np.stack([mono, right], axis=1), dtype=np.float32), rate)


def _chunks(pcm: Pcm, sizes: Iterator[int]) -> Iterator[np.ndarray]:
    at = 0
    while at < pcm.frames:
        size = next(sizes)
        yield pcm.samples[at : at + size]
        at += size


def _random_sizes(seed: int, largest: int) -> Iterator[int]:
    rng = np.random.default_rng(seed)
    while True:
        yield int(rng.integers(0, largest + 1))


def _streamed(pcm: Pcm, sizes: Iterator[int]) -> LoudnessReport:
    meter = LoudnessMeter(pcm.rate, pcm.channels)
    for chunk in _chunks(pcm, sizes):
        meter.feed(chunk)
    return meter.report()


def _assert_same(streamed: LoudnessReport, whole: LoudnessReport) -> None:
    assert streamed.integrated_lufs == pytest.approx(whole.integrated_lufs, abs=EXACT)
    assert streamed.loudness_range_lu == pytest.approx(whole.loudness_range_lu, abs=EXACT)
    assert streamed.true_peak_dbtp == pytest.approx(whole.true_peak_dbtp, abs=PEAK_EXACT)
    assert streamed.replaygain_db == pytest.approx(whole.replaygain_db, abs=EXACT)


@pytest.mark.parametrize("rate", [22050, 44100, 48000])
@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("split", ["random", "under-a-hop", "hops", "whole"])
def test_streamed_chunks_measure_like_the_whole(speech: Pcm, rate: int, channels: int, split: str) -> None:
    pcm = _programme(speech, rate, channels)
    whole = measure(pcm)
    assert whole.loudness_range_lu > 1.0 and whole.true_peak_dbtp > -3.0  # figures worth comparing
    hop = round(rate / 10)
    sizes = {
        "random": _random_sizes(rate + channels, 3 * hop),
        "under-a-hop": _random_sizes(channels, hop - 1),
        "hops": iter(lambda: 7 * hop, None),
        "whole": iter(lambda: pcm.frames, None),
    }[split]
    _assert_same(_streamed(pcm, sizes), whole)


def test_chunks_of_a_few_frames(speech: Pcm) -> None:
    """Shorter than the interpolator's reach and than a peak block: context must carry over many chunks."""
    pcm = Pcm(_programme(speech, 22050, 2).samples[: 3 * 22050], 22050)
    _assert_same(_streamed(pcm, _random_sizes(5, 12)), measure(pcm))


def test_long_programme_measured_in_parallel_parts_streams_the_same(speech: Pcm) -> None:
    """Past a minute, :func:`measure` filters parts in threads; the stream filters in one pass."""
    pcm = _programme(speech, 22050, 1, repeats=14)
    assert pcm.duration > 65.0
    _assert_same(_streamed(pcm, _random_sizes(9, 50_000)), measure(pcm))
    # hop by hop: the first 59 s, too short to be cut in parts, span where the long one is cut
    head = hop_energies(Pcm(pcm.samples[: 59 * pcm.rate], pcm.rate))
    np.testing.assert_allclose(hop_energies(pcm)[: head.size], head, rtol=1e-12, atol=1e-24)


@pytest.mark.parametrize("seconds", [0.01, 0.25, 0.39])
def test_audio_shorter_than_a_gating_block(speech: Pcm, seconds: float) -> None:
    pcm = Pcm(speech.samples[speech.rate : speech.rate + round(seconds * speech.rate)], speech.rate)
    whole = measure(pcm)
    assert whole.integrated_lufs > SILENCE_LUFS
    _assert_same(_streamed(pcm, _random_sizes(1, 700)), whole)


def test_silence_and_nothing_report_the_floors() -> None:
    empty = LoudnessMeter(44100, 2).report()
    floors = (SILENCE_LUFS, SILENCE_DBTP, 0.0)
    assert (empty.integrated_lufs, empty.true_peak_dbtp, empty.loudness_range_lu) == floors
    meter = LoudnessMeter(44100, 1)
    meter.feed(np.zeros((5 * 44100, 1), dtype=np.float32))
    silent = meter.report()
    assert (silent.integrated_lufs, silent.true_peak_dbtp, silent.loudness_range_lu) == floors


def test_a_report_midway_changes_nothing(speech: Pcm) -> None:
    """The render log may show the loudness so far; the final report still covers everything."""
    pcm = _programme(speech, 44100, 1)
    meter = LoudnessMeter(pcm.rate, pcm.channels)
    half = pcm.frames // 2 + 17
    meter.feed(pcm.samples[:half])
    _assert_same(meter.report(), measure(Pcm(pcm.samples[:half], pcm.rate)))
    meter.feed(pcm.samples[half:])
    _assert_same(meter.report(), measure(pcm))


def test_chunks_of_the_wrong_shape_are_refused() -> None:
    meter = LoudnessMeter(44100, 2)
    with pytest.raises(ValueError):
        meter.feed(np.zeros((100, 1), dtype=np.float32))
    with pytest.raises(ValueError):
        meter.feed(np.zeros(100, dtype=np.float32))
    with pytest.raises(ValueError):
        LoudnessMeter(0, 1)


@pytest.mark.parametrize("channels", [1, 2])
def test_two_meters_joined_at_a_hop_measure_like_one(speech: Pcm, channels: int) -> None:
    """A long render measures its two halves as they are encoded at once (studio.audio.finish): the second
    meter is warmed with what comes before its part, the first hands it over at a whole hop."""
    pcm = _programme(speech, 44100, channels)
    hop = round(pcm.rate / 10)
    # The loudest moment lies between samples, astride a hop: a quarter-rate burst at 45 degrees, whose
    # samples are 0.71 of its true peak; both meters need the other's frames to find it.
    at = pcm.frames // 2 // hop * hop
    burst = np.sin(np.pi / 2 * np.arange(-6, 6) + np.pi / 4).astype(np.float32)
    samples = pcm.samples.copy()
    samples[at - 6 : at + 6] = burst[:, np.newaxis]
    pcm = Pcm(samples, pcm.rate)
    whole = measure(pcm)
    assert whole.true_peak_dbtp > -0.5
    for join in (at, at - hop, at + hop, 5 * hop):
        first, later = LoudnessMeter(pcm.rate, channels), LoudnessMeter(pcm.rate, channels)
        for chunk in _chunks(Pcm(pcm.samples[:join], pcm.rate), _random_sizes(join, 3 * hop)):
            first.feed(chunk)
        later.warm(pcm.samples[max(0, join - 3 * hop) : join])
        for chunk in _chunks(Pcm(pcm.samples[join:], pcm.rate), _random_sizes(join + 1, 3 * hop)):
            later.feed(chunk)
        _assert_same(first.followed_by(later), whole)
    unfinished = LoudnessMeter(pcm.rate, channels)
    unfinished.feed(pcm.samples[: hop + 1])
    with pytest.raises(ValueError):
        unfinished.followed_by(LoudnessMeter(pcm.rate, channels))
    with pytest.raises(ValueError):
        unfinished.warm(pcm.samples[:10])  # already fed
