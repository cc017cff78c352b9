"""The jingle library with real files: shipped jingles, imports through the real ffmpeg, and refusals."""

from __future__ import annotations

import json
import subprocess
import wave
from collections.abc import Callable
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

from studio.audio import jingles
from studio.audio.codec import CANNOT_READ, INCOMPLETE, decode, encode_wav
from studio.audio.jingles import JingleLibrary
from studio.audio.pcm import Pcm
from studio.messages import StudioError
from studio.paths import assets_dir

SHIPPED = assets_dir() / "jingles"


def tone(seconds: float, rate: int = 44100, channels: int = 1, freq: float = 660.0) -> Pcm:
    t = np.arange(round(seconds * rate)) / rate
    mono = (0.4 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    return Pcm(np.ascontiguousarray(np.tile(mono[:, None], (1, channels))), rate)


def make_mp3(path: Path, seconds: float, rate: int = 48000, channels: int = 2) -> Path:
    """A real MP3 from ffmpeg's sine source, written with the bundled binary (not through the studio)."""
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "lavfi",
         "-i", f"sine=frequency=523:sample_rate={rate}:duration={seconds}", "-ac", str(channels),
         "-c:a", "libmp3lame", "-b:a", "128k", "-y", str(path)],
        check=True,
    )  # fmt: skip
    return path


def station_state(station: Path) -> list[tuple[str, bytes]]:
    if not station.exists():
        return []
    return sorted((str(p.relative_to(station)), p.read_bytes()) for p in station.rglob("*") if p.is_file())


class CountingDecode:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, path: Path) -> Pcm:
        self.calls += 1
        return decode(path)


@pytest.fixture
def counting() -> CountingDecode:
    return CountingDecode()


@pytest.fixture
def library(tmp_path: Path, counting: CountingDecode) -> JingleLibrary:
    return JingleLibrary(SHIPPED, tmp_path / "station", decode_fn=counting)


def test_shipped_jingles_are_listed_by_category(library: JingleLibrary) -> None:
    listed = {j.category: j for j in library.list()}
    assert set(listed) == {"opening", "closing", "stinger", "bed"}
    assert listed["opening"].duration == pytest.approx(7.0, abs=0.01)
    assert listed["bed"].duration == pytest.approx(30.0, abs=0.01)
    assert all(j.shipped and j.rate == 44100 and j.channels == 1 for j in listed.values())
    assert [j.category for j in library.list("stinger")] == ["stinger"]
    assert library.path_of(listed["closing"].id) == SHIPPED / "closing.wav"


def test_imported_wav_is_kept_and_listed_with_the_name_typed(library: JingleLibrary, tmp_path: Path) -> None:
    original = tone(2.5, rate=22050)
    source = encode_wav(original, tmp_path / "chuông.wav")
    jingle = library.import_file(source, "stinger", "Chuông ngắt tin đầu giờ")

    assert jingle.name == "Chuông ngắt tin đầu giờ" and not jingle.shipped
    assert (jingle.rate, jingle.channels) == (22050, 1)
    assert jingle.duration == pytest.approx(2.5, abs=1e-3)
    assert jingle.path.parent == library.station / "stinger"
    assert jingle.path.name == f"{jingle.sha256[:16]}-chuong-ngat-tin-dau-gio.wav"
    kept = decode(jingle.path)
    np.testing.assert_allclose(kept.samples, original.samples, atol=1.0 / 32768)

    # the next session (a new library on the same folder) sees the same jingle
    again = JingleLibrary(SHIPPED, library.station)
    assert [j.id for j in again.list("stinger") if not j.shipped] == [jingle.id]
    assert again.path_of(jingle.id) == jingle.path
    index = json.loads(library.index_path.read_text("utf-8"))
    assert index["jingles"][0]["name"] == "Chuông ngắt tin đầu giờ"
    assert index["jingles"][0]["imported_at"]


def test_imported_mp3_keeps_its_rate_and_channels(library: JingleLibrary, tmp_path: Path) -> None:
    jingle = library.import_file(make_mp3(tmp_path / "intro.mp3", 4.0), "opening", "Nhạc hiệu mới")
    assert (jingle.rate, jingle.channels) == (48000, 2)
    assert jingle.duration == pytest.approx(4.0, abs=0.05)
    with wave.open(str(jingle.path)) as stored:
        assert (stored.getframerate(), stored.getnchannels(), stored.getsampwidth()) == (48000, 2, 2)


def test_the_same_file_imported_twice_is_one_jingle(
    library: JingleLibrary, tmp_path: Path, counting: CountingDecode
) -> None:
    source = encode_wav(tone(2.0), tmp_path / "a.wav")
    first = library.import_file(source, "closing", "Kết thúc")
    second = library.import_file(source, "closing", "Kết thúc (lần 2)")
    assert second == first and counting.calls == 1
    assert len([j for j in library.list("closing") if not j.shipped]) == 1


def _corrupt(path: Path) -> None:
    path.write_bytes(np.random.default_rng(7).integers(0, 256, 50_000, dtype=np.uint8).tobytes())


def _truncated(path: Path) -> None:
    full = make_mp3(path.with_name("full.mp3"), 20.0).read_bytes()
    path.write_bytes(full[: len(full) // 3])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _text(path: Path) -> None:
    path.write_text("Bản tin sáng nay gồm các mục sau đây...\n" * 50, "utf-8")


@pytest.mark.parametrize(
    ("make", "template"),
    [(_corrupt, CANNOT_READ), (_truncated, INCOMPLETE), (_empty, CANNOT_READ), (_text, CANNOT_READ)],
    ids=["random-bytes", "truncated-mp3", "empty", "text-named-mp3"],
)
def test_unreadable_files_are_refused_and_the_library_is_unchanged(
    library: JingleLibrary, tmp_path: Path, make: Callable[[Path], None], template: str
) -> None:
    source = tmp_path / "bad.mp3"
    make(source)
    before = station_state(library.station)
    with pytest.raises(StudioError) as caught:
        library.import_file(source, "opening", "Hỏng")
    assert caught.value.text == template and "bad.mp3" in str(caught.value)
    assert station_state(library.station) == before
    assert all(j.shipped for j in library.list())


def six_hour_wav(path: Path) -> Path:
    """A valid 6-hour 8 kHz mono 16-bit WAV as a sparse file: a header, then 345 MB of (unwritten) silence."""
    frames = 6 * 3600 * 8000
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.setnframes(frames)
        out.writeframesraw(b"")
    with path.open("r+b") as handle:
        handle.truncate(44 + frames * 2)
    return path


def test_six_hour_file_is_refused_without_decoding_it(
    library: JingleLibrary, tmp_path: Path, counting: CountingDecode
) -> None:
    source = six_hour_wav(tmp_path / "ghi âm cả ngày.wav")
    with pytest.raises(StudioError) as caught:
        library.import_file(source, "bed", "Cả ngày")
    assert caught.value.text == jingles.TOO_LONG
    assert "21600.0 s" in str(caught.value) and "at most 900 s" in str(caught.value)
    assert counting.calls == 0
    assert station_state(library.station) == []


def test_zero_second_wav_is_refused_naming_the_limit(library: JingleLibrary, tmp_path: Path) -> None:
    source = encode_wav(Pcm.silence(0.0, 44100), tmp_path / "empty.wav")
    with pytest.raises(StudioError) as caught:
        library.import_file(source, "stinger", "Trống")
    assert caught.value.text == jingles.TOO_SHORT and "at least 0.2 s" in str(caught.value)
    assert station_state(library.station) == []


@pytest.mark.parametrize(
    ("category", "seconds", "template", "limit"),
    [
        ("stinger", 16.0, jingles.TOO_LONG, "at most 15 s"),
        ("bed", 3.0, jingles.TOO_SHORT, "at least 5 s"),
        ("opening", 0.5, jingles.TOO_SHORT, "at least 1 s"),
        ("closing", 61.0, jingles.TOO_LONG, "at most 60 s"),
    ],
)
def test_duration_limits_per_category(
    library: JingleLibrary, tmp_path: Path, category: str, seconds: float, template: str, limit: str
) -> None:
    source = encode_wav(tone(seconds, rate=8000), tmp_path / "clip.wav")
    with pytest.raises(StudioError) as caught:
        library.import_file(source, category, "Đoạn nhạc")
    assert caught.value.text == template and limit in str(caught.value)


def test_eight_channels_are_refused(library: JingleLibrary, tmp_path: Path) -> None:
    source = encode_wav(tone(2.0, channels=8), tmp_path / "surround.wav")
    with pytest.raises(StudioError) as caught:
        library.import_file(source, "opening", "Vòm")
    assert caught.value.text == jingles.TOO_MANY_CHANNELS and "8 channels" in str(caught.value)


def test_too_low_a_sample_rate_is_refused(library: JingleLibrary, tmp_path: Path) -> None:
    source = encode_wav(tone(2.0, rate=4000, freq=300), tmp_path / "phone.wav")
    with pytest.raises(StudioError) as caught:
        library.import_file(source, "opening", "Điện thoại")
    assert caught.value.text == jingles.BAD_RATE and "4000 Hz" in str(caught.value)


def test_remove_deletes_imports_but_never_shipped_jingles(library: JingleLibrary, tmp_path: Path) -> None:
    jingle = library.import_file(encode_wav(tone(1.0), tmp_path / "s.wav"), "stinger", "Ngắt")
    library.remove(jingle.id)
    assert not jingle.path.exists()
    assert jingle.id not in [j.id for j in library.list()]
    with pytest.raises(KeyError):
        library.path_of(jingle.id)

    shipped = library.list("opening")[0]
    with pytest.raises(StudioError) as caught:
        library.remove(shipped.id)
    assert caught.value.text == jingles.SHIPPED_READ_ONLY
    assert shipped.path.is_file() and shipped.id in [j.id for j in library.list()]


def test_damaged_index_is_reported(library: JingleLibrary) -> None:
    library.station.mkdir(parents=True)
    library.index_path.write_text("{not json", "utf-8")
    with pytest.raises(StudioError) as caught:
        library.list()
    assert caught.value.text == jingles.INDEX_DAMAGED


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.wav")), ids=lambda path: path.stem)
def test_shipped_jingles_read_from_their_headers_agree_with_ffmpeg(path: Path) -> None:
    """The window reads the shipped jingles' headers at start instead of running ffmpeg: same answer."""
    header = jingles._wav_header(path)
    assert header is not None
    by_ffmpeg = jingles.probe(path)
    assert (header.rate, header.channels) == (by_ffmpeg.rate, by_ffmpeg.channels)
    assert by_ffmpeg.declared is not None and header.declared == pytest.approx(by_ffmpeg.declared, abs=0.02)


def test_a_file_that_is_not_pcm_wav_is_left_to_ffmpeg(tmp_path: Path) -> None:
    mp3 = make_mp3(tmp_path / "opening.mp3", 1.0)
    assert jingles._wav_header(mp3) is None
    assert jingles._wav_header(tmp_path / "missing.wav") is None
