"""The online voice engine, through the real edge-tts client, against a local server speaking the service's
protocol (tests/edge_server.py) with real speech audio and injected faults."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from studio.audio.pcm import Pcm
from studio.messages import Cancelled, StudioError
from studio.speech.edge import (
    BLOCKED,
    BLOCKED_TEXT,
    INCOMPLETE,
    OFFLINE,
    THROTTLED,
    EdgeEngine,
    OnlineSpeechUnavailable,
)
from studio.speech.engine import VoiceParams
from studio.speech.espeak import EspeakEngine
from studio.speech.voices import DEFAULT_VOICES, VOICE_CACHE_NAME, parse_voice_list
from studio.tasks import CancelToken
from tests.edge_server import EdgeServer, edge_server, unreachable_service

HOAIMY = VoiceParams("vi-VN-HoaiMyNeural")
NOTICE = (
    "Xin chào bà con, đây là Đài truyền thanh xã. Ủy ban nhân dân xã thông báo lịch tiêm chủng cho trẻ em "
    "từ sáu đến ba mươi sáu tháng tuổi tại trạm y tế xã."
)
PARAGRAPH = (
    "Hôm nay trời nắng nhẹ. Bà con chú ý phơi lúa và giữ gìn sức khỏe. Đề nghị các gia đình đưa trẻ đến "
    "đúng giờ. Trạm y tế mở cửa từ bảy giờ sáng. Mọi thắc mắc xin liên hệ cán bộ văn hóa xã. "
)


def rms(pcm: Pcm) -> float:
    return float(np.sqrt(np.mean(np.square(pcm.samples, dtype=np.float64))))


def wait_until(condition: object, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.01)


@pytest.fixture
def server() -> Iterator[EdgeServer]:
    with edge_server() as server:
        yield server
        assert server.protocol_errors == []  # the real client spoke the protocol the server checks


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[EdgeEngine]:
    with EdgeEngine(voice_cache_dir=tmp_path / "voices", backoff=0.01, connect_timeout=2,
                    receive_timeout=2) as engine:
        yield engine


def test_vietnamese_text_becomes_real_24khz_speech(server: EdgeServer, engine: EdgeEngine) -> None:
    speech = engine.synthesize(NOTICE, HOAIMY)
    assert (speech.rate, speech.channels) == (24000, 1)
    words = len(NOTICE.split())
    assert 1.5 < words / speech.duration < 6  # a plausible speaking pace: all the audio arrived
    assert rms(speech) > 0.02
    # what the server's voice made of the same text, read directly: same length, give or take MP3 framing
    direct = EspeakEngine().synthesize(NOTICE, VoiceParams("vi"))
    assert speech.duration == pytest.approx(direct.duration, abs=0.3)
    [request] = server.speech_requests
    assert request.voice == "Microsoft Server Speech Text to Speech Voice (vi-VN, HoaiMyNeural)"
    assert request.text == NOTICE


def test_rate_pitch_and_volume_reach_the_service(server: EdgeServer, engine: EdgeEngine) -> None:
    normal = engine.synthesize(NOTICE, HOAIMY)
    faster = engine.synthesize(NOTICE, VoiceParams("vi-VN-NamMinhNeural", rate=40, pitch=-5, volume=-30))
    sent = server.speech_requests[-1]
    assert (sent.rate, sent.pitch, sent.volume) == ("+40%", "-5Hz", "-30%")
    assert sent.voice.endswith("(vi-VN, NamMinhNeural)")
    assert faster.duration < 0.85 * normal.duration
    assert rms(faster) < 0.8 * rms(normal)


def test_text_with_xml_characters_arrives_intact(server: EdgeServer, engine: EdgeEngine) -> None:
    text = "Hội Nông dân & Hội Phụ nữ xã <thông báo> họp lúc \"bảy giờ\"."
    engine.synthesize(text, HOAIMY)
    assert server.speech_requests[0].text == text


def test_long_text_goes_out_in_several_short_requests(server: EdgeServer, engine: EdgeEngine) -> None:
    once = engine.synthesize(PARAGRAPH, HOAIMY)  # five sentences, one request
    assert len(server.speech_requests) == 1
    text = PARAGRAPH * 3
    with EdgeEngine(chunk_chars=100, backoff=0.01) as short:
        speech = short.synthesize(text, HOAIMY)
    sent = [request.text for request in server.speech_requests[1:]]
    assert len(sent) >= len(text) / 100 and all(len(chunk) <= 100 for chunk in sent)
    assert Counter(" ".join(sent).split()) == Counter(text.split())  # every word, once (sent concurrently)
    assert speech.duration == pytest.approx(3 * once.duration, rel=0.1)  # and all of their audio


def test_audio_dropped_once_is_detected_and_fetched_again(server: EdgeServer, engine: EdgeEngine) -> None:
    clean = engine.synthesize(NOTICE, HOAIMY)
    server.fail("drop", times=1)
    before = server.connections
    speech = engine.synthesize(NOTICE, HOAIMY)
    assert server.connections - before == 2
    assert speech.duration == pytest.approx(clean.duration, abs=0.05)


def test_audio_that_keeps_dropping_is_reported_after_the_attempts(server: EdgeServer, engine: EdgeEngine) -> None:
    server.fail("drop")
    with pytest.raises(OnlineSpeechUnavailable) as raised:
        engine.synthesize(NOTICE, HOAIMY)
    assert raised.value.reason == INCOMPLETE and not raised.value.lasting
    assert server.connections == engine.attempts == 3


@pytest.mark.parametrize("text", [NOTICE, "Hôm nay trời nắng nhẹ."], ids=["before-last-sentence", "mid-sentence"])
def test_connection_closed_mid_stream_is_not_taken_for_the_whole_text(server: EdgeServer, engine: EdgeEngine,
                                                                      text: str) -> None:
    clean = engine.synthesize(text, HOAIMY)
    server.fail("close", times=1)
    speech = engine.synthesize(text, HOAIMY)
    assert speech.duration == pytest.approx(clean.duration, abs=0.05)
    server.fail("close")
    with pytest.raises(OnlineSpeechUnavailable) as raised:
        engine.synthesize(text, HOAIMY)
    assert raised.value.reason == INCOMPLETE


def test_403_says_microsoft_changed_access_and_is_not_retried(server: EdgeServer, engine: EdgeEngine) -> None:
    server.fail("forbidden")
    with pytest.raises(OnlineSpeechUnavailable) as raised:
        engine.synthesize(NOTICE, HOAIMY)
    error = raised.value
    assert error.reason == BLOCKED and error.lasting and error.text == BLOCKED_TEXT
    assert "Microsoft has changed" in str(error) and "Update Commune Radio Studio" in str(error)
    assert server.connections == 2  # edge-tts's own clock-corrected retry, and nothing more from us


def test_a_single_403_is_absorbed_by_the_clients_clock_correction(server: EdgeServer, engine: EdgeEngine) -> None:
    server.fail("forbidden", times=1)
    assert engine.synthesize(NOTICE, HOAIMY).duration > 3
    assert server.connections == 2


def test_429_is_retried_with_backoff_then_explained(server: EdgeServer, engine: EdgeEngine) -> None:
    server.fail("throttled", times=2)
    assert engine.synthesize(NOTICE, HOAIMY).duration > 3
    assert server.connections == 3
    server.fail("throttled")
    with pytest.raises(OnlineSpeechUnavailable) as raised:
        engine.synthesize(NOTICE, HOAIMY)
    assert raised.value.reason == THROTTLED and not raised.value.lasting
    assert "too many requests" in str(raised.value)


def test_backoff_doubles_between_attempts(server: EdgeServer) -> None:
    server.fail("throttled")
    with EdgeEngine(backoff=0.2, attempts=3) as engine:
        started = time.monotonic()
        with pytest.raises(OnlineSpeechUnavailable):
            engine.synthesize(NOTICE, HOAIMY)
    assert 0.6 <= time.monotonic() - started < 1.5  # 0.2 + 0.4


def test_no_internet_fails_fast_with_a_clear_message(engine: EdgeEngine) -> None:
    with unreachable_service():
        started = time.monotonic()
        with pytest.raises(OnlineSpeechUnavailable) as raised:
            engine.synthesize(NOTICE, HOAIMY)
    assert raised.value.reason == OFFLINE and raised.value.lasting
    assert "no internet connection" in str(raised.value)
    assert engine.requests == 3 and time.monotonic() - started < 1.0


@pytest.mark.timeout(10)  # edge-tts alone would wait forever: its receive timeout does not cover websockets
@pytest.mark.parametrize("fault", ["hang", "stall"])
def test_a_stalled_service_times_out_without_retrying(server: EdgeServer, fault: str) -> None:
    server.fail(fault)  # no answer at all, or silence after the first audio frame
    with EdgeEngine(connect_timeout=0.3, receive_timeout=0.4, backoff=0.01) as engine:
        started = time.monotonic()
        with pytest.raises(OnlineSpeechUnavailable) as raised:
            engine.synthesize(NOTICE, HOAIMY)
        elapsed = time.monotonic() - started
    assert raised.value.reason == OFFLINE
    assert 0.4 < elapsed < 1.5 and server.connections == 1


def test_cancel_stops_a_request_in_flight_promptly(tmp_path: Path) -> None:
    with edge_server(latency=10) as server, EdgeEngine() as engine:
        cancel = CancelToken()
        outcome: list[BaseException] = []

        def work() -> None:
            try:
                engine.synthesize(NOTICE, HOAIMY, cancel)
            except BaseException as exc:
                outcome.append(exc)

        thread = threading.Thread(target=work)
        thread.start()
        wait_until(lambda: server.speech_requests)
        cancelled_at = time.monotonic()
        cancel.cancel()
        thread.join(timeout=2)
        assert time.monotonic() - cancelled_at < 0.5
        assert len(outcome) == 1 and isinstance(outcome[0], Cancelled)
        wait_until(lambda: server.abandoned == 1, 2)  # the connection was closed, not left dangling


def test_concurrent_callers_share_one_loop_and_its_bound(tmp_path: Path) -> None:
    with edge_server(latency=0.3) as server, EdgeEngine(max_concurrency=2) as engine:
        threads = [threading.Thread(target=engine.synthesize, args=(f"Thông báo số {n}.", HOAIMY))
                   for n in range(6)]
        before = {thread.name for thread in threading.enumerate()}
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert len(server.speech_requests) == 6
        assert server.max_active == 2  # bounded, and actually concurrent
        loops = [t for t in threading.enumerate() if t.name == "edge-tts" and t.name not in before]
        assert len(loops) == 1
        engine.close()
        assert not [t for t in threading.enumerate() if t.name == "edge-tts"]


def test_an_impossible_voice_name_is_a_preset_error_not_a_network_one(server: EdgeServer,
                                                                      engine: EdgeEngine) -> None:
    with pytest.raises(StudioError) as raised:
        engine.synthesize(NOTICE, VoiceParams("vi"))
    assert not isinstance(raised.value, OnlineSpeechUnavailable)
    assert "vi-VN-HoaiMyNeural" in str(raised.value) and server.connections == 0


def test_version_names_the_client(engine: EdgeEngine) -> None:
    assert engine.version().startswith("edge-tts 7.")
    assert engine.engine_id == "edge"


def test_voice_list_is_fetched_cached_and_used_offline(server: EdgeServer, tmp_path: Path) -> None:
    with EdgeEngine(voice_cache_dir=tmp_path / "voices") as engine:
        live = engine.voices()
    ids = [voice.id for voice in live]
    assert "en-US-EmmaMultilingualNeural" in ids  # not a built-in default: it came from the service
    assert ids[:2] == ["vi-VN-HoaiMyNeural", "vi-VN-NamMinhNeural"]
    assert server.voice_list_requests == 1 and (tmp_path / "voices" / VOICE_CACHE_NAME).is_file()
    with unreachable_service(), EdgeEngine(voice_cache_dir=tmp_path / "voices", backoff=0.01) as offline:
        assert offline.voices() == live


def test_voice_list_never_fetched_gives_the_commune_defaults(tmp_path: Path) -> None:
    (tmp_path / "damaged").mkdir()
    (tmp_path / "damaged" / VOICE_CACHE_NAME).write_text("{not json", encoding="utf-8")
    with unreachable_service():
        for folder in (tmp_path / "empty", tmp_path / "damaged"):
            with EdgeEngine(voice_cache_dir=folder) as engine:
                assert engine.voices() == list(DEFAULT_VOICES)
    ids = {voice.id for voice in DEFAULT_VOICES}
    assert {"vi-VN-HoaiMyNeural", "km-KH-SreymomNeural", "zh-HK-WanLungNeural"} <= ids


def test_malformed_voice_entries_are_skipped() -> None:
    voices = parse_voice_list([{"ShortName": "km-KH-PisethNeural", "Locale": "km-KH", "Gender": "Male"},
                               {"Locale": "vi-VN"}, "nonsense"])  # type: ignore[list-item]
    assert [(v.id, v.name, v.language, v.gender) for v in voices] == [
        ("km-KH-PisethNeural", "Piseth", "km-KH", "male")]
