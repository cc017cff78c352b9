"""Reading and writing audio files through the real bundled ffmpeg."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from studio.audio import codec
from studio.audio.codec import CANNOT_READ, decode, decode_bytes, encode_mp3, encode_wav
from studio.audio.ffmpeg import run_ffmpeg
from studio.audio.pcm import Pcm
from studio.messages import DISK_FULL, NOT_WRITABLE, Cancelled, StudioError
from studio.tasks import CancelToken


def tone(seconds: float, rate: int = 44100, freq: float = 440.0, amplitude: float = 0.5) -> Pcm:
    t = np.arange(round(seconds * rate)) / rate
    return Pcm.from_mono(amplitude * np.sin(2 * np.pi * freq * t), rate)


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


def test_wav_round_trip_is_sample_exact_to_16_bits(tmp_path: Path) -> None:
    original = tone(1.234, rate=48000)
    path = encode_wav(original, tmp_path / "take.wav")
    decoded = decode(path)
    assert (decoded.rate, decoded.channels, decoded.frames) == (48000, 1, original.frames)
    np.testing.assert_allclose(decoded.samples, original.samples, atol=1.0 / 32768)


def test_mp3_round_trip_keeps_rate_and_length(tmp_path: Path) -> None:
    original = tone(3.0, rate=44100)
    path = encode_mp3(original, tmp_path / "bulletin.mp3")
    decoded = decode(path)
    assert decoded.rate == 44100 and decoded.channels == 1
    assert decoded.duration == pytest.approx(3.0, abs=0.05)  # LAME's Info frame lets ffmpeg trim the delay
    # 128 kbps constant bitrate: the size is the duration times the bitrate (plus one Info frame)
    assert os.path.getsize(path) == pytest.approx(3.0 * 128_000 / 8, rel=0.05)


@pytest.mark.parametrize("name", ["Bản tin sáng thứ Hai.mp3", "-leading dash.wav", "a:b.mp3"])
def test_file_names_an_officer_may_choose_work(tmp_path: Path, name: str) -> None:
    audio = tone(0.5)
    path = encode_mp3(audio, tmp_path / name) if name.endswith(".mp3") else encode_wav(audio, tmp_path / name)
    assert path.exists() and decode(path).duration == pytest.approx(0.5, abs=0.05)


def test_six_channel_audio_decodes(tmp_path: Path) -> None:
    surround = Pcm(np.tile(tone(0.5).samples, (1, 6)), 44100)
    decoded = decode(encode_wav(surround, tmp_path / "51.wav"))
    assert decoded.channels == 6 and decoded.frames == surround.frames


def test_tts_rate_speech_is_encoded_at_the_delivery_rate(tmp_path: Path) -> None:
    speech = tone(2.0, rate=24000, freq=1000)
    decoded = decode(encode_mp3(speech, tmp_path / "s.mp3", rate=44100))
    assert decoded.rate == 44100
    assert decoded.duration == pytest.approx(2.0, abs=0.05)


def test_decode_can_resample_and_remix(tmp_path: Path) -> None:
    path = encode_wav(tone(2.0, rate=44100), tmp_path / "a.wav")
    decoded = decode(path, rate=16000, channels=2)
    assert (decoded.rate, decoded.channels) == (16000, 2)
    assert decoded.frames == pytest.approx(32000, abs=2)
    middle = decoded.samples[4000:-4000]
    np.testing.assert_array_equal(middle[:, 0], middle[:, 1])
    assert rms(middle) == pytest.approx(0.5 / np.sqrt(2), rel=0.01)  # mono spread at full level, not -3 dB


def test_stereo_mp3_from_mono_speech_is_as_loud_on_both_channels(tmp_path: Path) -> None:
    decoded = decode(encode_mp3(tone(2.0), tmp_path / "st.mp3", channels=2))
    assert decoded.channels == 2
    left, right = rms(decoded.samples[22050:-22050, 0]), rms(decoded.samples[22050:-22050, 1])
    assert left == pytest.approx(right, rel=0.01)
    assert 20 * np.log10(left / (0.5 / np.sqrt(2))) > -1.0  # within MP3 level loss, not ffmpeg's -3 dB


def test_decode_folds_stereo_to_mono_by_the_mean(tmp_path: Path) -> None:
    left = tone(1.0).samples
    stereo = Pcm(np.concatenate([left, np.zeros_like(left)], axis=1), 44100)
    decoded = decode(encode_wav(stereo, tmp_path / "lr.wav"), channels=1)
    np.testing.assert_allclose(decoded.samples[:, 0], left[:, 0] / 2, atol=2.0 / 32768)


def test_mp3_has_no_tags_yet_and_mutagen_can_add_id3v23(tmp_path: Path) -> None:
    from mutagen.id3 import ID3, TIT2
    from mutagen.mp3 import MP3, BitrateMode

    path = encode_mp3(tone(2.0), tmp_path / "tagme.mp3")
    head = path.read_bytes()[:200]
    assert not head.startswith(b"ID3") and head[:2] == b"\xff\xfb"  # an MPEG-1 Layer III frame first
    assert b"Info" in head  # the LAME/Xing header of a CBR file: gapless length for players
    info = MP3(path)
    assert info.info.bitrate_mode == BitrateMode.CBR
    assert info.info.bitrate == pytest.approx(128_000, rel=0.001)
    assert info.info.sample_rate == 44100 and info.info.channels == 1
    tags = ID3()
    tags.add(TIT2(encoding=3, text="Bản tin xã"))
    tags.save(path, v2_version=3)
    assert ID3(path).version[:2] == (2, 3)
    assert decode(path).duration == pytest.approx(2.0, abs=0.05)


def test_same_audio_gives_the_same_mp3_bytes(tmp_path: Path) -> None:
    audio = tone(1.0)
    first = encode_mp3(audio, tmp_path / "1.mp3").read_bytes()
    second = encode_mp3(audio, tmp_path / "2.mp3").read_bytes()
    assert first == second  # content-addressed storage and sidecar hashes depend on it


RANDOM_BYTES = np.random.default_rng(7).bytes(20_000)
TEXT = "Thông báo lịch tiêm chủng cho trẻ em dưới 5 tuổi\n"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda d: _write(d / "noise.mp3", RANDOM_BYTES), id="random-bytes"),
        pytest.param(lambda d: _write(d / "empty.mp3", b""), id="empty"),
        pytest.param(lambda d: _write(d / "notes.mp3", TEXT.encode() * 50), id="text-renamed-mp3"),
        pytest.param(lambda d: _write(d / "cut.mp3", (d / "good.mp3").read_bytes()[:300]), id="truncated-head"),
    ],
)
def test_unreadable_files_give_a_clear_message(tmp_path: Path, make: Callable[[Path], Path]) -> None:
    encode_mp3(tone(5.0), tmp_path / "good.mp3")
    bad = make(tmp_path)
    with pytest.raises(StudioError) as caught:
        decode(bad)
    assert caught.value.text == codec.CANNOT_READ
    assert bad.name in str(caught.value) and "cannot be read" in str(caught.value)
    assert "Traceback" not in str(caught.value) and "ffmpeg" not in str(caught.value)


def test_an_mp3_cut_short_while_copying_is_reported_as_incomplete(tmp_path: Path) -> None:
    whole = encode_mp3(tone(6.0), tmp_path / "whole.mp3").read_bytes()
    cut = _write(tmp_path / "cut.mp3", whole[: len(whole) // 2])
    with pytest.raises(StudioError) as caught:
        decode(cut)
    assert caught.value.text == codec.INCOMPLETE
    assert "cut.mp3" in str(caught.value) and "6.0" in str(caught.value)


def test_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(StudioError) as caught:
        decode(tmp_path / "nowhere.mp3")
    assert caught.value.text == codec.NOT_FOUND


def test_output_folder_that_does_not_exist_is_a_studio_error(tmp_path: Path) -> None:
    with pytest.raises(StudioError) as caught:
        encode_mp3(tone(0.5), tmp_path / "missing" / "out.mp3")
    assert caught.value.text == NOT_WRITABLE


def test_output_path_under_a_file_is_a_studio_error(tmp_path: Path) -> None:
    blocker = _write(tmp_path / "a-file", b"x")
    with pytest.raises(StudioError) as caught:
        encode_wav(tone(0.5), blocker / "out.wav")
    assert caught.value.text == NOT_WRITABLE


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_ffmpeg_running_out_of_disk_gives_the_disk_full_message() -> None:
    # /dev/full fails every write with ENOSPC: the real ffmpeg error text is mapped, not the exit code.
    with pytest.raises(StudioError) as caught:
        codec._run_encoder(tone(3.0), ["-c:a", "libmp3lame", "-f", "mp3"], "file:/dev/full", Path("b"), None)
    assert caught.value.text == DISK_FULL


def test_cancelling_a_long_encode_leaves_no_file(tmp_path: Path) -> None:
    long = Pcm(np.zeros((44100 * 300, 1), dtype=np.float32), 44100)  # five minutes
    long.samples[::50] = 0.1
    previous = _write(tmp_path / "bulletin.mp3", b"the previous render")
    token = CancelToken()
    timer = threading.Timer(0.3, token.cancel)
    timer.start()
    started = time.monotonic()
    try:
        with pytest.raises(Cancelled):
            encode_mp3(long, previous, cancel=token)
    finally:
        timer.cancel()
    assert time.monotonic() - started < 2.0  # killed promptly, not run to the end
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bulletin.mp3"]
    assert previous.read_bytes() == b"the previous render"  # the old file is untouched


def test_cancel_before_start_writes_nothing(tmp_path: Path) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        encode_wav(tone(1.0), tmp_path / "x.wav", cancel=token)
    assert list(tmp_path.iterdir()) == []


def test_cancelled_decode_raises_cancelled(tmp_path: Path) -> None:
    path = encode_wav(tone(1.0), tmp_path / "a.wav")
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        decode(path, cancel=token)


def test_mp3_bytes_decode_in_memory_like_a_file(tmp_path: Path) -> None:
    """The online voice's MP3 arrives as bytes: same samples as decoding the same bytes from a file."""
    data = encode_mp3(tone(1.5, rate=24000), tmp_path / "speech.mp3", bitrate_kbps=48, rate=24000).read_bytes()
    from_memory = decode_bytes(data, input_format="mp3")
    assert (from_memory.rate, from_memory.channels) == (24000, 1)
    assert from_memory.duration == pytest.approx(1.5, abs=0.05)
    from_file = decode(tmp_path / "speech.mp3")
    np.testing.assert_array_equal(from_memory.samples[: from_file.frames], from_file.samples)
    assert 0 <= from_memory.frames - from_file.frames < 1152  # a pipe cannot seek to trim the encoder padding
    half = decode_bytes(data[: len(data) // 2], rate=16000, channels=2)  # a cut stream is simply shorter
    assert (half.rate, half.channels) == (16000, 2) and half.duration == pytest.approx(0.75, abs=0.1)


def test_bytes_that_are_not_audio_give_the_cannot_read_message() -> None:
    with pytest.raises(StudioError) as raised:
        decode_bytes(b"<html>503 Service Unavailable</html>" * 20, name="online speech")
    assert raised.value.text == CANNOT_READ and "online speech" in str(raised.value)


def test_run_ffmpeg_streams_large_pipes_both_ways_without_deadlock() -> None:
    data = np.random.default_rng(3).standard_normal(8_000_000).astype("<f4").tobytes()  # 32 MB
    chunks = (data[i : i + (1 << 20)] for i in range(0, len(data), 1 << 20))
    args = ["-f", "f32le", "-ar", "44100", "-ac", "1", "-i", "pipe:0", "-f", "f32le", "pipe:1"]
    outcome = run_ffmpeg(args, stdin=chunks, timeout=60)
    assert outcome.ok and outcome.stdout == data
    assert outcome.seconds > 0


def test_run_ffmpeg_reports_failure_with_the_stderr_tail() -> None:
    outcome = run_ffmpeg(["-f", "lavfi", "-i", "nosuchfilter", "-f", "null", "-"])
    assert not outcome.ok
    assert outcome.stderr_tail and len(outcome.stderr_tail.splitlines()) <= 20


def test_run_ffmpeg_timeout_stops_the_process() -> None:
    started = time.monotonic()
    with pytest.raises(StudioError):
        run_ffmpeg(["-re", "-f", "lavfi", "-i", "anullsrc", "-f", "null", "-"], timeout=0.5)
    assert time.monotonic() - started < 3.0
