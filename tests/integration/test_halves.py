"""A long programme encoded as two halves at once and joined in the middle (studio.audio.mp3splice and
finish's ``_encode_halves``), checked against ffmpeg: its decoder, its meter and its own one-piece encode."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import studio.audio.finish as finishing
from studio.audio.codec import decode
from studio.audio.ffmpeg import run_ffmpeg
from studio.audio.finish import OutputFormat, _encoder_args, finish
from studio.audio.loudness import measure
from studio.audio.mp3splice import (
    FRAME_SAMPLES,
    find_join,
    gapless,
    joined,
    read_frames,
    with_gapless,
)
from studio.audio.pcm import Pcm
from studio.messages import Cancelled
from studio.tasks import CancelToken
from tests.integration.test_mastering import CEILING, TARGET, ebur128_file, speech_like

RATE = 44100
BED = Path(__file__).resolve().parents[2] / "assets" / "jingles" / "bed.wav"


def programme(seconds: float, channels: int = 1, rate: int = RATE) -> Pcm:
    """Speech over the studio's own music bed (drums and all: short windows happen), as a render mixes it."""
    voice = speech_like(seconds, rate, 3).samples[:, 0]
    bed = decode(BED, rate=rate, channels=1).samples[:, 0]
    bed = np.resize(bed, voice.size)  # looped to length
    mono = (voice + 0.25 * bed).astype(np.float32)
    return Pcm(np.repeat(mono[:, np.newaxis], channels, axis=1), rate)


def encode(pcm: Pcm, fmt: OutputFormat, out: Path, *, info_frame: bool) -> bytes:
    raw = np.ascontiguousarray(pcm.samples, dtype="<f4").tobytes()
    outcome = run_ffmpeg(_encoder_args(pcm, fmt, out, info_frame=info_frame), stdin=raw)
    assert outcome.ok, outcome.stderr_tail
    return out.read_bytes()


def decoded(data: bytes, tmp_path: Path, name: str, channels: int) -> np.ndarray:
    path = tmp_path / name
    path.write_bytes(data)
    return decode(path, channels=channels).samples


def frame_snr(reference: np.ndarray, decoded_audio: np.ndarray, frames: range, delay: int) -> list[float]:
    """Signal-to-error ratio of each decoded frame (no gapless trimming: shifted by ``delay``) in dB."""
    out = []
    for index in frames:
        ref = reference[index * FRAME_SAMPLES - delay : (index + 1) * FRAME_SAMPLES - delay]
        got = decoded_audio[index * FRAME_SAMPLES : (index + 1) * FRAME_SAMPLES]
        out.append(float(10 * np.log10(np.sum(ref**2) / max(float(np.sum((ref - got) ** 2)), 1e-20))))
    return out


@pytest.mark.parametrize("fmt", [OutputFormat(), OutputFormat("mp3", 192, 48000, 2)], ids=str)
def test_two_halves_joined_decode_as_each_half_does_and_the_join_is_no_worse_than_one_encode(
        fmt: OutputFormat, tmp_path: Path) -> None:
    pcm = programme(24.0, fmt.channels, fmt.rate)
    middle = pcm.frames // 2 // FRAME_SAMPLES
    overlap = 24  # shorter than the studio's: the encoders have not always settled, so borrowed bytes differ
    shift = middle - overlap
    first = encode(Pcm(pcm.samples[: (middle + overlap) * FRAME_SAMPLES], pcm.rate), fmt, tmp_path / "a.mp3",
                   info_frame=False)
    second = encode(Pcm(pcm.samples[shift * FRAME_SAMPLES :], pcm.rate), fmt, tmp_path / "b.mp3", info_frame=False)
    first_frames, second_frames = read_frames(first), read_frames(second)
    channel = 0
    a, b = (decoded(data, tmp_path, f"{name}.mp3", fmt.channels)[:, channel] for name, data in
            (("a-dec", first), ("b-dec", second)))
    reference = pcm.samples[:, channel]
    delay = 1105  # LAME's 576 plus the decoder's 529: the raw streams are decoded without gapless trimming
    joins = [k for k in range(middle - 16, middle + 17)
             if find_join(first_frames, second_frames, shift, range(k, k + 1)) is not None]
    assert len(joins) >= 3
    repacked = 0
    for join in joins:
        result = b"".join(joined(first, first_frames, second, second_frames, join, shift))
        assert len(read_frames(result)) == shift + len(second_frames)
        j = decoded(result, tmp_path, "joined-dec.mp3", fmt.channels)[:, channel]
        cut = join * FRAME_SAMPLES
        # A decoder looks only backwards: up to the join the file is the first half, sample for sample ...
        assert np.array_equal(j[:cut], a[:cut])
        # ... and a few frames after it, the second half (its decoder has forgotten what came before).
        after = (join + 4) * FRAME_SAMPLES
        assert np.array_equal(j[after:], b[after - shift * FRAME_SAMPLES :])
        # Between, each frame's coding error is no worse than one of the two encoders makes there: the join
        # adds none of its own.
        near = range(join - 3, join + 4)
        joined_snr = frame_snr(reference, j, near, delay)
        halves_snr = [min(x, y) for x, y in zip(frame_snr(reference, a, near, delay), frame_snr(
            reference[shift * FRAME_SAMPLES :], b, range(near.start - shift, near.stop - shift), delay), strict=True)]
        assert all(x >= y - 1.0 for x, y in zip(joined_snr, halves_snr, strict=True)), (join, joined_snr, halves_snr)
        # Without the borrowed bytes, the second half's first frame decodes the first half's bytes instead.
        naive = first[: first_frames[join].offset] + second[second_frames[join - shift].offset :]
        naive_audio = decoded(naive, tmp_path, "naive.mp3", fmt.channels)[:, channel]
        if not np.array_equal(naive_audio[cut:after], j[cut:after]):  # (unless they hold the same data there)
            repacked += 1
            naive_snr = frame_snr(reference, naive_audio, near, delay)
            assert min(naive_snr) < min(halves_snr) - 6.0, (join, naive_snr, halves_snr)  # heard as a burst
    assert repacked  # the material exercised the copying of borrowed bytes


def test_the_info_frame_is_rewritten_as_ffmpeg_writes_it(tmp_path: Path) -> None:
    data = encode(programme(6.0), OutputFormat(), tmp_path / "a.mp3", info_frame=True)
    info = read_frames(data, stop=1)[0]
    frame = data[: info.size]
    declared = gapless(frame)
    assert declared is not None and declared[0] == 576  # LAME's encoder delay
    # Writing back what is there reproduces ffmpeg's bytes, its tag checksum included.
    assert with_gapless(frame, *declared) == frame
    changed = with_gapless(frame, 576, 1000, frames=12345, size=678910)
    assert gapless(changed) == (576, 1000)
    assert changed != frame and with_gapless(changed, *declared, frames=len(read_frames(data)) - 1,
                                             size=len(data)) == frame
    with pytest.raises(ValueError):
        with_gapless(data[info.size : info.size * 2], 576, 0)  # an audio frame has no tag
    with pytest.raises(ValueError):
        read_frames(b"ID3\x04" + data)


@pytest.fixture
def halves(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short programmes are encoded in halves too, so the tests stay quick."""
    monkeypatch.setattr(finishing, "HALVES_MIN_SECONDS", 5.0)


@pytest.mark.usefixtures("halves")
@pytest.mark.parametrize(("fmt", "measured"), [
    (OutputFormat(), "by their own decoders"),
    (OutputFormat("mp3", 192, 48000, 2), "by their own decoders"),
    (OutputFormat("mp3", 64, 44100, 1), "by their own decoders"),  # the reservoir reaches 3 frames back
    (OutputFormat(), "from the file"),  # the join's neighbourhood did not decode as the halves did
    (OutputFormat(), "all of it"),  # an ffmpeg without a loopback decoder
], ids=str)
def test_a_programme_finished_in_halves_is_the_whole_programme_and_the_report_describes_it(
        fmt: OutputFormat, measured: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    if measured == "from the file":
        monkeypatch.setattr(finishing, "_around_join", lambda *args: None)
    if measured == "all of it":
        monkeypatch.setattr(finishing, "_loopback_supported", False)
    pcm = programme(30.0, fmt.channels, fmt.rate)
    path = tmp_path / "bulletin.mp3"
    with caplog.at_level(logging.DEBUG, logger="studio.audio.finish"):
        report = finish(pcm, path, fmt, target_lufs=TARGET, true_peak_ceiling=CEILING)
    assert "halves of bulletin.mp3 joined" in caplog.text
    assert ("measured by their own decoders" in caplog.text) == (measured == "by their own decoders")
    audio = decode(path)
    assert audio.frames == pcm.frames  # gapless: ffmpeg trims exactly the delay and padding the tag declares
    heard = measure(audio)
    assert report.integrated_lufs == pytest.approx(heard.integrated_lufs, abs=1e-4)
    assert report.true_peak_dbtp == pytest.approx(heard.true_peak_dbtp, abs=1e-4)
    oracle = ebur128_file(path)
    assert oracle.integrated == pytest.approx(TARGET, abs=0.5)
    assert oracle.true_peak <= CEILING
    assert [p.name for p in tmp_path.iterdir()] == ["bulletin.mp3"]  # no half left behind
    data = path.read_bytes()
    frames = read_frames(data)
    assert int.from_bytes(data[frames[0].offset + 4 + (17 if fmt.channels == 1 else 32) + 8 :][:4], "big") \
        == len(frames) - 1  # the Info frame counts the joined file's frames


@pytest.mark.usefixtures("halves")
def test_halves_that_cannot_be_joined_are_encoded_in_one_piece(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(finishing, "find_join", lambda *args: None)
    pcm = programme(12.0)
    path = tmp_path / "b.mp3"
    with caplog.at_level(logging.WARNING, logger="studio.audio.finish"):
        report = finish(pcm, path)
    assert "cannot be joined" in caplog.text
    audio = decode(path)
    assert abs(audio.frames - pcm.frames) < FRAME_SAMPLES
    assert report.integrated_lufs == pytest.approx(measure(audio).integrated_lufs, abs=1e-3)
    assert [p.name for p in tmp_path.iterdir()] == ["b.mp3"]


@pytest.mark.usefixtures("halves")
def test_cancelling_while_the_halves_encode_leaves_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    token = CancelToken()
    feeding = threading.Event()
    original = finishing._gained_chunks

    def watched(*args: Any, **kwargs: Any) -> Iterator[bytes]:
        feeding.set()  # an encoder is being fed: cancel now
        yield from original(*args, **kwargs)

    monkeypatch.setattr(finishing, "_gained_chunks", watched)
    threading.Thread(target=lambda: feeding.wait(30) and token.cancel(), daemon=True).start()
    with pytest.raises(Cancelled):
        finish(programme(60.0), tmp_path / "b.mp3", cancel=token)
    assert feeding.is_set()
    assert list(tmp_path.iterdir()) == []
