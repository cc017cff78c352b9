"""The offline eSpeak NG engine, with real synthesis through the shipped library."""

from __future__ import annotations

import threading
import time

import espeakng_loader
import numpy as np
import numpy.typing as npt
import pytest

from studio.audio.pcm import Pcm
from studio.messages import Cancelled, StudioError
from studio.speech.engine import SpeechEngine, VoiceParams
from studio.speech.espeak import (
    CENTRAL,
    CHUNK_CHARS,
    NORTHERN,
    NOT_INSTALLED,
    NOTHING_TO_READ,
    SOUTHERN,
    EspeakEngine,
    _Espeak,
)
from studio.tasks import CancelToken
from studio.text.chunks import split_for_synthesis

GREETING = "Xin chào bà con, đây là Đài truyền thanh xã."
PARAGRAPH = (
    "Xin chào bà con, đây là Đài truyền thanh xã. Hôm nay, Ủy ban nhân dân xã thông báo lịch tiêm chủng "
    "cho trẻ em từ sáu đến ba mươi sáu tháng tuổi tại trạm y tế xã. "
    "Đề nghị các gia đình đưa trẻ đến đúng giờ.\n\n"
)


def long_text(utf8_bytes: int) -> str:
    """The paragraph repeated until its UTF-8 encoding reaches ``utf8_bytes``."""
    return PARAGRAPH * (utf8_bytes // len(PARAGRAPH.encode("utf-8")) + 1)


@pytest.fixture(scope="module")
def engine() -> EspeakEngine:
    engine = EspeakEngine()
    engine.version()  # load the library here, not inside a test's timing
    return engine


def rms(pcm: Pcm) -> float:
    return float(np.sqrt(np.mean(np.square(pcm.samples, dtype=np.float64))))


def median_f0(pcm: Pcm) -> float:
    """Median fundamental frequency (Hz) of the loud, periodic 40 ms frames, by autocorrelation."""
    x = pcm.samples[:, 0].astype(np.float64)
    size, level = int(0.04 * pcm.rate), rms(pcm)
    low_lag, high_lag = pcm.rate // 400, pcm.rate // 60
    found = []
    for start in range(0, len(x) - size, size // 2):
        frame = x[start:start + size] - x[start:start + size].mean()
        if np.sqrt(np.mean(frame**2)) < 0.5 * level:
            continue
        corr = np.correlate(frame, frame, "full")[size - 1:]
        lag = low_lag + int(np.argmax(corr[low_lag:high_lag]))
        if corr[0] > 0 and corr[lag] / corr[0] > 0.5:
            found.append(pcm.rate / lag)
    assert len(found) > 10, "too few voiced frames to measure pitch"
    return float(np.median(found))


def spectrum_distance(a: Pcm, b: Pcm) -> float:
    """RMS difference (dB) of the level-normalised long-term average spectra: the voice's timbre."""

    def ltas(pcm: Pcm) -> npt.NDArray[np.float64]:
        n = 1024
        x = pcm.samples[: pcm.frames // n * n, 0].reshape(-1, n) * np.hanning(n)
        db = 10 * np.log10(np.mean(np.abs(np.fft.rfft(x, axis=1)) ** 2, axis=0) + 1e-12)
        return np.asarray(db - db.mean(), dtype=np.float64)

    return float(np.sqrt(np.mean((ltas(a) - ltas(b)) ** 2)))


def test_engine_meets_the_protocol_and_reports_its_version(engine: EspeakEngine) -> None:
    as_protocol: SpeechEngine = engine
    assert as_protocol.engine_id == "espeak"
    assert engine.version().startswith("1.5")  # eSpeak NG's own version, e.g. "1.52.0"


def test_vietnamese_voices_are_listed_first(engine: EspeakEngine) -> None:
    voices = engine.voices()
    assert [v.id for v in voices[:3]] == [NORTHERN, CENTRAL, SOUTHERN]
    assert [v.name for v in voices[:3]] == [
        "Vietnamese (Northern)", "Vietnamese (Central)", "Vietnamese (Southern)"
    ]
    assert voices[2].language == "vi-VN-x-south"
    ids = [v.id for v in voices]
    assert len(ids) == len(set(ids)) > 3


def test_greeting_is_spoken_at_22050_hz(engine: EspeakEngine) -> None:
    pcm = engine.synthesize(GREETING, VoiceParams(NORTHERN))
    assert pcm.rate == 22050
    assert pcm.channels == 1
    assert pcm.samples.dtype == np.float32
    assert 1.0 <= pcm.duration <= 10.0
    assert rms(pcm) > 0.02
    assert float(np.abs(pcm.samples).max()) <= 1.0


@pytest.mark.parametrize("voice", [NORTHERN, CENTRAL, SOUTHERN, "vi-VN-x-south"])
def test_each_vietnamese_voice_speaks(engine: EspeakEngine, voice: str) -> None:
    pcm = engine.synthesize(GREETING, VoiceParams(voice))
    assert 1.0 <= pcm.duration <= 10.0
    assert rms(pcm) > 0.02


def test_southern_accent_sounds_different_from_northern(engine: EspeakEngine) -> None:
    north = engine.synthesize(GREETING, VoiceParams(NORTHERN))
    north_again = engine.synthesize(GREETING, VoiceParams(NORTHERN))
    south = engine.synthesize(GREETING, VoiceParams(SOUTHERN))
    # espeak is not bit-exact from run to run, so compare against its own run-to-run variation
    noise = spectrum_distance(north, north_again)
    assert spectrum_distance(north, south) > max(2.0, 3 * noise)
    assert median_f0(north) > 1.1 * median_f0(south)  # the Northern voice file sets a higher pitch


def test_faster_rate_gives_shorter_audio(engine: EspeakEngine) -> None:
    normal = engine.synthesize(PARAGRAPH, VoiceParams(NORTHERN))
    fast = engine.synthesize(PARAGRAPH, VoiceParams(NORTHERN, rate=100))
    slow = engine.synthesize(PARAGRAPH, VoiceParams(NORTHERN, rate=-50))
    assert fast.duration < 0.7 * normal.duration
    assert slow.duration > 1.5 * normal.duration


def test_pitch_change_moves_the_voice(engine: EspeakEngine) -> None:
    base = median_f0(engine.synthesize(GREETING, VoiceParams(NORTHERN)))
    higher = median_f0(engine.synthesize(GREETING, VoiceParams(NORTHERN, pitch=30)))
    lower = median_f0(engine.synthesize(GREETING, VoiceParams(NORTHERN, pitch=-20)))
    assert higher > 1.15 * base
    assert lower < 0.9 * base


def test_volume_change_scales_the_level(engine: EspeakEngine) -> None:
    normal = rms(engine.synthesize(GREETING, VoiceParams(NORTHERN)))
    quiet = rms(engine.synthesize(GREETING, VoiceParams(NORTHERN, volume=-50)))
    assert 0.35 < quiet / normal < 0.65


@pytest.mark.parametrize("text", ["", "   \n\t ", "...", "!!! ??? — ;", "😀🎉🔊", "«»–_*"])
def test_text_without_words_is_refused(engine: EspeakEngine, text: str) -> None:
    with pytest.raises(StudioError) as caught:
        engine.synthesize(text, VoiceParams(NORTHERN))
    assert caught.value.text == NOTHING_TO_READ


def test_text_the_voice_cannot_read_is_refused_rather_than_silent(engine: EspeakEngine) -> None:
    with pytest.raises(StudioError) as caught:
        engine.synthesize("ꪀꪁꪂ ꪀꪁꪂ", VoiceParams(NORTHERN))  # Tai Viet letters
    assert "could not read" in str(caught.value)


@pytest.mark.parametrize("voice", ["vi-vn-x-hanoi", "Vietnamese (Southern)", "vi-vn", ""])
def test_unknown_voice_is_named_in_the_error(engine: EspeakEngine, voice: str) -> None:
    with pytest.raises(StudioError) as caught:
        engine.synthesize(GREETING, VoiceParams(voice))
    assert f"“{voice}”" in str(caught.value)


def test_missing_library_explains_how_to_recover() -> None:
    with pytest.raises(StudioError) as caught:
        _Espeak("/nonexistent/libespeak-ng.so", str(espeakng_loader.get_data_path()))
    assert caught.value.text == NOT_INSTALLED
    assert "reinstall" in str(caught.value).lower()


def test_text_is_split_at_sentence_ends_without_losing_anything() -> None:
    text = long_text(30_000) + "Giá 1.500.000 đồng. " + "a" * (3 * CHUNK_CHARS)
    chunks = split_for_synthesis(text, CHUNK_CHARS)
    assert all(len(chunk) <= CHUNK_CHARS for chunk in chunks)
    assert "".join(chunks) == text  # only whitespace-only chunks may be dropped; here there are none
    assert all(chunk.rstrip().endswith(".") for chunk in chunks[:5])
    assert any("1.500.000" in chunk for chunk in chunks)


@pytest.mark.slow
def test_200_kb_text_is_spoken_in_proportion_to_a_20_kb_text(engine: EspeakEngine) -> None:
    params = VoiceParams(NORTHERN, rate=100)  # fewer samples to hold; the scaling is what matters
    small_text, big_text = long_text(20_000), long_text(200_000)
    started = time.perf_counter()
    small = engine.synthesize(small_text, params)
    small_seconds = time.perf_counter() - started
    started = time.perf_counter()
    big = engine.synthesize(big_text, params)
    big_seconds = time.perf_counter() - started

    ratio = big.duration / small.duration
    expected = big_text.count(PARAGRAPH) / small_text.count(PARAGRAPH)
    assert 0.95 * expected < ratio < 1.05 * expected
    assert rms(big) > 0.02
    # A loose guard against quadratic work (which would make this ~100x), not a benchmark.
    assert big_seconds < 30 * max(small_seconds, 0.05)


def test_cancel_from_another_thread_stops_a_long_synthesis(engine: EspeakEngine) -> None:
    cancel = CancelToken()
    timer = threading.Timer(0.2, cancel.cancel)
    started = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(Cancelled):
            engine.synthesize(long_text(200_000), VoiceParams(NORTHERN, rate=-50), cancel)
    finally:
        timer.cancel()
    assert time.perf_counter() - started < 3.0  # finishing uncancelled takes far longer


def test_cancelled_token_stops_before_any_work(engine: EspeakEngine) -> None:
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        engine.synthesize(GREETING, VoiceParams(NORTHERN), cancel)


def test_engine_works_after_a_cancel(engine: EspeakEngine) -> None:
    cancel = CancelToken()
    threading.Timer(0.05, cancel.cancel).start()
    with pytest.raises(Cancelled):
        engine.synthesize(long_text(100_000), VoiceParams(NORTHERN), cancel)
    pcm = engine.synthesize(GREETING, VoiceParams(NORTHERN))
    assert 1.0 <= pcm.duration <= 10.0


def test_two_threads_synthesising_at_once_each_get_their_own_audio(engine: EspeakEngine) -> None:
    text = long_text(3 * CHUNK_CHARS)  # several chunks, so the threads really interleave
    jobs = {"slow south": VoiceParams(SOUTHERN, rate=-50), "fast north": VoiceParams(NORTHERN, rate=100)}
    expected = {name: engine.synthesize(text, params).duration for name, params in jobs.items()}
    results: dict[str, list[Pcm]] = {name: [] for name in jobs}
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(jobs))

    def work(name: str) -> None:
        try:
            barrier.wait()
            for _ in range(3):
                results[name].append(engine.synthesize(text, jobs[name]))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(name,)) for name in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert expected["slow south"] > 3 * expected["fast north"]
    for name, pcms in results.items():
        assert len(pcms) == 3
        for pcm in pcms:
            assert pcm.duration == pytest.approx(expected[name], rel=0.02)
            assert rms(pcm) > 0.02
