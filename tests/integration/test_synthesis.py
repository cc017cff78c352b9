"""A render's speech through the Synthesizer: cache, concurrency and the fall back to the offline voice,
with the real edge-tts client against the local protocol server and the real eSpeak NG."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from studio.messages import Cancelled, StudioError
from studio.speech.cache import SynthesisCache
from studio.speech.edge import BLOCKED, BLOCKED_TEXT, OFFLINE_TEXT, THROTTLED_TEXT, EdgeEngine
from studio.speech.engine import SpeechEngine, VoiceParams
from studio.speech.espeak import EspeakEngine
from studio.speech.synthesis import READING, NoVoiceLeft, SynthesisRequest, Synthesizer
from studio.tasks import CancelToken
from tests.edge_server import EdgeServer, edge_server, unreachable_service

HOAIMY = VoiceParams("vi-VN-HoaiMyNeural", rate=10)
NORTHERN = VoiceParams("vi", rate=10)
SENTENCES = [
    "Xin chào bà con, đây là Đài truyền thanh xã.",
    "Ủy ban nhân dân xã thông báo lịch tiêm chủng.",
    "Trạm y tế mở cửa từ bảy giờ sáng.",
    "Đề nghị các gia đình đưa trẻ đến đúng giờ.",
    "Hội Nông dân xã tổ chức tập huấn trồng lúa.",
    "Bà con chú ý phòng chống rét cho trâu bò.",
    "Đoàn Thanh niên ra quân làm đường giao thông.",
    "Cảm ơn bà con đã lắng nghe.",
]


def online(texts: list[str], fallback: bool = True, first: int = 1) -> list[SynthesisRequest]:
    chain = (("espeak", NORTHERN),) if fallback else ()
    return [SynthesisRequest(number, text, "edge", HOAIMY, chain) for number, text in enumerate(texts, first)]


@pytest.fixture
def server() -> Iterator[EdgeServer]:
    with edge_server() as server:
        yield server
        assert server.protocol_errors == []


@pytest.fixture
def edge() -> Iterator[EdgeEngine]:
    with EdgeEngine(backoff=0.01, connect_timeout=2, receive_timeout=2) as engine:
        yield engine


@pytest.fixture
def engines(edge: EdgeEngine) -> dict[str, SpeechEngine]:
    return {"edge": edge, "espeak": EspeakEngine()}


@pytest.fixture
def cache(tmp_path: Path) -> SynthesisCache:
    return SynthesisCache(tmp_path / "speech", 200 << 20)


def test_online_speech_in_request_order(server: EdgeServer, engines: dict[str, SpeechEngine]) -> None:
    requests = online(SENTENCES[:3])
    requests.insert(1, SynthesisRequest(9, "Phần này đọc bằng giọng ngoại tuyến.", "espeak", NORTHERN))
    outcomes = Synthesizer(engines, None).synthesize_all(requests)
    assert [o.number for o in outcomes] == [1, 9, 2, 3]
    assert [(o.engine_used, o.voice_used, o.fell_back, o.cached) for o in outcomes] == [
        ("edge", "vi-VN-HoaiMyNeural", False, False), ("espeak", "vi", False, False),
        ("edge", "vi-VN-HoaiMyNeural", False, False), ("edge", "vi-VN-HoaiMyNeural", False, False)]
    assert [o.pcm.rate for o in outcomes] == [24000, 22050, 24000, 24000]
    assert all(o.pcm.duration > 1.0 and np.abs(o.pcm.samples).max() > 0.1 for o in outcomes)
    assert len(server.speech_requests) == 3


def test_an_unchanged_bulletin_rerenders_without_the_network(server: EdgeServer, engines: dict[str, SpeechEngine],
                                                            cache: SynthesisCache) -> None:
    synthesizer = Synthesizer(engines, cache)
    first = synthesizer.synthesize_all(online(SENTENCES))
    assert server.connections == len(SENTENCES)
    second = synthesizer.synthesize_all(online(SENTENCES))
    assert server.connections == len(SENTENCES)  # zero requests
    assert all(o.cached and not o.fell_back and o.engine_used == "edge" for o in second)
    for a, b in zip(first, second, strict=True):
        assert (a.number, a.pcm.rate, a.pcm.frames) == (b.number, b.pcm.rate, b.pcm.frames)
        # the cache keeps 16-bit samples: equal to that precision (MP3 decoding may overshoot full scale)
        np.testing.assert_allclose(np.clip(a.pcm.samples, -1, 1), b.pcm.samples, atol=2 / 32768)
    changed = online(SENTENCES)
    changed[2] = SynthesisRequest(3, SENTENCES[2], "edge", VoiceParams("vi-VN-HoaiMyNeural", rate=20),
                                  changed[2].fallback)
    third = synthesizer.synthesize_all(changed)
    assert server.connections == len(SENTENCES) + 1  # only the segment whose voice changed
    assert [o.cached for o in third] == [True, True, False, True, True, True, True, True]


def test_403_falls_back_to_the_offline_voice_and_says_why(server: EdgeServer, engines: dict[str, SpeechEngine],
                                                          cache: SynthesisCache) -> None:
    server.fail("forbidden")
    synthesizer = Synthesizer(engines, cache, max_concurrency=1)
    outcomes = synthesizer.synthesize_all(online(SENTENCES))
    assert all(o.fell_back and o.engine_used == "espeak" and o.voice_used == "vi" for o in outcomes)
    assert {o.reason for o in outcomes} == {BLOCKED_TEXT}
    assert all(o.pcm.rate == 22050 and o.pcm.duration > 1.0 for o in outcomes)
    assert server.connections == 2  # the first segment only (with edge-tts's clock-corrected retry)

    server.clear_faults()  # the service is back: the fallback audio did not hide under the online key
    again = synthesizer.synthesize_all(online(SENTENCES[1:], first=2))
    assert all(o.engine_used == "edge" and not o.fell_back and not o.cached for o in again)

    server.fail("forbidden")  # blocked again: segment 1's offline audio of last time is still in the cache
    cached = synthesizer.synthesize_all(online([SENTENCES[0]]))
    assert cached[0].fell_back and cached[0].cached and cached[0].engine_used == "espeak"


def test_no_internet_costs_one_segments_attempts_not_twenty_timeouts(engines: dict[str, SpeechEngine]) -> None:
    texts = [f"{SENTENCES[n % len(SENTENCES)]} Tin số {n}." for n in range(20)]
    edge = engines["edge"]
    assert isinstance(edge, EdgeEngine)
    with unreachable_service():
        started = time.monotonic()
        outcomes = Synthesizer(engines, None).synthesize_all(online(texts))
        elapsed = time.monotonic() - started
    assert all(o.fell_back and o.reason == OFFLINE_TEXT for o in outcomes)
    assert edge.requests <= 4 * edge.attempts  # the segments already under way; 60 without the give-up
    assert elapsed < 10


def test_a_stalled_service_is_waited_for_once_per_worker(server: EdgeServer) -> None:
    server.fail("hang")
    texts = [f"{SENTENCES[n % len(SENTENCES)]} Tin số {n}." for n in range(20)]
    with EdgeEngine(connect_timeout=0.3, receive_timeout=0.3) as edge:
        started = time.monotonic()
        outcomes = Synthesizer({"edge": edge, "espeak": EspeakEngine()}, None).synthesize_all(online(texts))
        elapsed = time.monotonic() - started
    assert all(o.fell_back and o.reason == OFFLINE_TEXT for o in outcomes)
    assert server.connections <= 4
    assert elapsed < 0.6 * 20 / 2  # far below one timeout per segment


def test_throttling_falls_back_for_that_segment_only(server: EdgeServer, engines: dict[str, SpeechEngine]) -> None:
    server.fail("throttled", times=3)  # all three attempts of the first segment
    outcomes = Synthesizer(engines, None, max_concurrency=1).synthesize_all(online(SENTENCES[:3]))
    assert [(o.fell_back, o.engine_used) for o in outcomes] == [(True, "espeak"), (False, "edge"), (False, "edge")]
    assert outcomes[0].reason == THROTTLED_TEXT


def test_without_a_fallback_the_segment_fails_with_the_reason(server: EdgeServer,
                                                              engines: dict[str, SpeechEngine]) -> None:
    server.fail("forbidden")
    requests = [SynthesisRequest(1, SENTENCES[0], "espeak", NORTHERN), *online(SENTENCES[1:3], False, first=2)]
    with pytest.raises(NoVoiceLeft) as raised:
        Synthesizer(engines, None).synthesize_all(requests)
    assert raised.value.number in (2, 3) and raised.value.reason == BLOCKED
    assert "Microsoft has changed" in str(raised.value)


def test_an_error_no_voice_can_absorb_stops_the_run(server: EdgeServer, engines: dict[str, SpeechEngine]) -> None:
    requests = [*online(SENTENCES[:2]), SynthesisRequest(3, "Xin chào.", "cloud", HOAIMY)]
    with pytest.raises(StudioError, match="cloud"):
        Synthesizer(engines, None).synthesize_all(requests)


def test_concurrent_requests_overlap_on_the_network(engines: dict[str, SpeechEngine]) -> None:
    with edge_server(latency=0.3) as server:
        Synthesizer(engines, None, max_concurrency=4).synthesize_all(online(SENTENCES))
        assert 3 <= server.max_active <= 4
    with edge_server(latency=0.3) as server:
        Synthesizer(engines, None, max_concurrency=1).synthesize_all(online(SENTENCES[:3]))
        assert server.max_active == 1


def test_progress_names_segments_and_reaches_the_end(server: EdgeServer, engines: dict[str, SpeechEngine],
                                                     cache: SynthesisCache) -> None:
    reports: list[tuple[float, str, object, str]] = []

    def progress(fraction: float, label: str, /, **args: object) -> None:
        reports.append((fraction, label, args.get("number"), threading.current_thread().name))

    synthesizer = Synthesizer(engines, cache)
    synthesizer.synthesize_all(online(SENTENCES[:2]))  # half of it cached
    synthesizer.synthesize_all(online(SENTENCES[:4]), progress=progress)
    fractions = [r[0] for r in reports]
    assert fractions[0] == 0.5 and fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert {r[1] for r in reports} == {READING}
    assert {r[2] for r in reports} <= {1, 2, 3, 4} and reports[0][2] == 3
    assert {r[3] for r in reports} == {threading.current_thread().name}  # reported from the caller's thread


def test_cancel_stops_the_whole_run_promptly(engines: dict[str, SpeechEngine]) -> None:
    with edge_server(latency=10) as server:
        cancel = CancelToken()
        outcome: list[BaseException] = []

        def work() -> None:
            try:
                Synthesizer(engines, None).synthesize_all(online(SENTENCES), cancel=cancel)
            except BaseException as exc:
                outcome.append(exc)

        thread = threading.Thread(target=work)
        thread.start()
        deadline = time.monotonic() + 5
        while len(server.speech_requests) < 4:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        cancelled_at = time.monotonic()
        cancel.cancel()
        thread.join(timeout=3)
        assert time.monotonic() - cancelled_at < 0.5
        assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)
        assert len(server.speech_requests) == 4  # nothing new started after the cancel
