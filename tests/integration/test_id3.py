"""ID3v2.3 tagging of real MP3 and WAV files, read back by mutagen and, independently, by ffmpeg."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import imageio_ffmpeg
import jsonschema  # type: ignore[import-untyped]  # test-only oracle, no stubs installed
import pytest
from mutagen.id3 import ID3, Encoding
from mutagen.wave import WAVE

from studio.audio.loudness import LoudnessReport
from studio.messages import DISK_FULL, StudioError
from studio.store.repo import StationInfo
from studio.tags.id3 import AUDIO_MISSING, NOT_MP3, NOT_WAV, READ_ONLY, ProgrammeTags, read_id3, write_id3
from studio.tags.sidecar import SCHEMA_PATH, build_sidecar, probe_audio

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
STATION = "Đài truyền thanh xã Hòa Bình"
TAGS = ProgrammeTags(
    title="Bản tin sáng thứ Hai: phòng chống bão số 9",
    artist=STATION,
    album="Thời sự xã Hòa Bình",
    date=date(2026, 11, 22),
    languages=("vie", "khm"),
    comment="Phát lúc 5 giờ 30 — đề nghị bà con chú ý lắng nghe",
    priority="emergency",
    integrated_lufs=-16.04,
    true_peak_dbtp=-1.23,
    loudness_range_lu=5.6,
    replaygain_db=-1.96,
    extra={"STATION_ID": "hoa-binh-01"},
)


def ffmpeg(*args: str) -> bytes:
    done = subprocess.run([FFMPEG, "-hide_banner", "-v", "error", *args], capture_output=True, check=True)
    return done.stdout


@pytest.fixture
def mp3(tmp_path: Path) -> Path:
    """Two seconds of a 440 Hz tone, encoded by LAME as ffmpeg does it (with an ffmpeg ID3v2.4 tag)."""
    path = tmp_path / "programme.mp3"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2:sample_rate=44100",
           "-ac", "1", "-c:a", "libmp3lame", "-b:a", "64k", str(path))
    return path


@pytest.fixture
def wav(tmp_path: Path) -> Path:
    """Two seconds of a 440 Hz tone as ffmpeg writes a 16-bit PCM WAV (no tags)."""
    path = tmp_path / "programme.wav"
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2:sample_rate=44100",
           "-ac", "1", "-c:a", "pcm_s16le", "-fflags", "+bitexact", str(path))
    return path


def decoded_sha256(path: Path) -> str:
    return hashlib.sha256(ffmpeg("-i", str(path), "-f", "s16le", "-")).hexdigest()


def audio_after_tag(path: Path) -> bytes:
    """The bytes after the ID3v2 tag: the MPEG frames themselves."""
    data = path.read_bytes()
    if data[:3] != b"ID3":
        return data
    size = 0
    for byte in data[6:10]:  # syncsafe integer: 7 bits per byte
        size = size << 7 | byte
    return data[10 + size:]


def ffmetadata(path: Path) -> dict[str, str]:
    lines = ffmpeg("-i", str(path), "-f", "ffmetadata", "-").decode("utf-8").splitlines()
    assert lines[0] == ";FFMETADATA1"
    return dict(line.split("=", 1) for line in lines[1:] if "=" in line)


def test_tag_is_id3v23_utf16_with_every_frame(mp3: Path) -> None:
    write_id3(mp3, TAGS)

    assert mp3.read_bytes()[:4] == b"ID3\x03"
    raw = ID3(mp3, translate=False)  # as stored, no v2.4 upgrade on load
    assert raw.version == (2, 3, 0)
    assert raw["TIT2"].text == ["Bản tin sáng thứ Hai: phòng chống bão số 9"]
    assert raw["TPE1"].text == [STATION]
    assert raw["TALB"].text == ["Thời sự xã Hòa Bình"]
    # v2.3 has no TDRC: the date is TYER (year) + TDAT (DDMM)
    assert raw["TYER"].text == ["2026"]
    assert raw["TDAT"].text == ["2211"]
    assert "TDRC" not in raw
    assert raw["TLAN"].text == ["vie/khm"]
    assert raw["TCON"].text == ["Bản tin"]
    comment = raw.getall("COMM")
    assert len(comment) == 1 and comment[0].lang == "vie"
    assert comment[0].text == ["Phát lúc 5 giờ 30 — đề nghị bà con chú ý lắng nghe"]
    assert 1950 <= int(raw["TLEN"].text[0]) <= 2100  # measured from the file: about 2 s
    txxx = {frame.desc: frame.text[0] for frame in raw.getall("TXXX")}
    assert txxx == {
        "PRIORITY": "emergency",
        "REPLAYGAIN_TRACK_GAIN": "-1.96 dB",
        "REPLAYGAIN_TRACK_PEAK": "0.867961",
        "LOUDNESS_INTEGRATED": "-16.0 LUFS",
        "TRUE_PEAK": "-1.2 dBTP",
        "LOUDNESS_RANGE": "5.6 LU",
        "STATION_ID": "hoa-binh-01",
    }
    assert all(frame.encoding == Encoding.UTF16 for frame in raw.values())
    assert not mp3.read_bytes()[-128:].startswith(b"TAG")  # no ID3v1: it would garble Vietnamese

    # mutagen's default reader merges the v2.3 date frames into a v2.4 timestamp
    assert str(ID3(mp3)["TDRC"].text[0]) == "2026-11-22"


def test_read_id3_reports_the_stored_frames(mp3: Path) -> None:
    write_id3(mp3, TAGS)
    frames = read_id3(mp3)
    assert frames["version"] == "2.3.0"
    assert frames["TPE1"] == STATION
    assert frames["TYER"] == "2026"
    assert frames["TLAN"] == "vie/khm"
    assert frames["TXXX:PRIORITY"] == "emergency"
    assert frames["COMM::vie"].startswith("Phát lúc")


def test_ffmpeg_reads_the_same_tags(mp3: Path) -> None:
    write_id3(mp3, TAGS)
    meta = ffmetadata(mp3)
    assert meta["title"] == TAGS.title
    assert meta["artist"] == STATION
    assert meta["album"] == "Thời sự xã Hòa Bình"
    assert meta["date"] == "2026-11-22"  # ffmpeg joins TYER and TDAT
    assert meta["genre"] == "Bản tin"
    assert meta["language"] == "vie/khm"
    assert meta["comment"] == TAGS.comment
    assert meta["PRIORITY"] == "emergency"
    assert meta["REPLAYGAIN_TRACK_GAIN"] == "-1.96 dB"
    assert meta["LOUDNESS_INTEGRATED"] == "-16.0 LUFS"
    assert meta["STATION_ID"] == "hoa-binh-01"


def test_audio_is_untouched_by_tagging(mp3: Path) -> None:
    frames_before, decoded_before = audio_after_tag(mp3), decoded_sha256(mp3)
    write_id3(mp3, TAGS)
    assert audio_after_tag(mp3) == frames_before
    assert decoded_sha256(mp3) == decoded_before


def test_retagging_replaces_the_old_tag_and_leaves_no_temp_files(mp3: Path) -> None:
    write_id3(mp3, TAGS)
    write_id3(mp3, ProgrammeTags(title="Bản tin chiều", artist=STATION, album="", date=date(2027, 1, 5)))
    raw = ID3(mp3, translate=False)
    assert raw["TIT2"].text == ["Bản tin chiều"]
    assert (raw["TYER"].text, raw["TDAT"].text) == (["2027"], ["0501"])
    assert raw["TLAN"].text == ["vie"]
    assert "COMM::vie" not in raw and "TXXX:TRUE_PEAK" not in raw
    assert raw["TXXX:PRIORITY"].text == ["normal"]
    assert [p.name for p in mp3.parent.iterdir()] == [mp3.name]


def test_tagging_keeps_the_file_permissions(mp3: Path) -> None:
    mp3.chmod(0o640)
    write_id3(mp3, TAGS)
    assert stat.S_IMODE(mp3.stat().st_mode) == 0o640


def test_missing_file_is_a_studio_error(tmp_path: Path) -> None:
    with pytest.raises(StudioError) as caught:
        write_id3(tmp_path / "nowhere.mp3", TAGS)
    assert caught.value.text == AUDIO_MISSING
    with pytest.raises(StudioError):
        read_id3(tmp_path / "nowhere.mp3")


@pytest.mark.parametrize("kind", ["text", "wav", "empty"])
def test_not_an_mp3_is_a_studio_error_and_stays_untouched(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "programme.mp3"
    if kind == "text":
        path.write_text("Đây không phải tệp âm thanh\n" * 50, encoding="utf-8")
    elif kind == "wav":
        ffmpeg("-f", "lavfi", "-i", "sine=duration=1", "-f", "wav", str(path))
    else:
        path.write_bytes(b"")
    before = path.read_bytes()
    with pytest.raises(StudioError) as caught:
        write_id3(path, TAGS)
    assert caught.value.text == NOT_MP3
    assert path.read_bytes() == before


def test_read_only_file_is_a_studio_error_and_stays_untouched(mp3: Path) -> None:
    before = mp3.read_bytes()
    mp3.chmod(0o444)
    try:
        with pytest.raises(StudioError) as caught:
            write_id3(mp3, TAGS)
    finally:
        mp3.chmod(0o644)
    assert caught.value.text == READ_ONLY
    assert mp3.read_bytes() == before


def test_failure_while_saving_leaves_the_original_intact(mp3: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = mp3.read_bytes()
    real_save = ID3.save

    def save_then_disk_full(self: ID3, filething: object, **kwargs: object) -> None:
        real_save(self, filething, **kwargs)  # the copy is now half-changed...
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))  # ...and then the disk fills up

    monkeypatch.setattr(ID3, "save", save_then_disk_full)
    with pytest.raises(StudioError) as caught:
        write_id3(mp3, TAGS)
    assert caught.value.text == DISK_FULL
    assert mp3.read_bytes() == before
    assert [p.name for p in mp3.parent.iterdir()] == [mp3.name]


def test_sidecar_describes_the_tagged_file(mp3: Path) -> None:
    """The render's real types (store's StationInfo, audio's LoudnessReport) fit the sidecar's API."""
    write_id3(mp3, TAGS)
    facts = probe_audio(mp3)
    assert facts.sha256 == hashlib.sha256(mp3.read_bytes()).hexdigest()
    assert facts.size_bytes == mp3.stat().st_size
    assert (facts.sample_rate, facts.channels, facts.bitrate_kbps) == (44100, 1, 64)
    station = StationInfo(
        id=1, name=STATION, commune="Hòa Bình", province="Hòa Bình", series=TAGS.album,
        default_preset="vi-north-offline", opening_jingle="opening", closing_jingle="closing",
    )
    report = LoudnessReport(
        integrated_lufs=-16.04, true_peak_dbtp=-1.23, loudness_range_lu=5.6, replaygain_db=-1.96
    )
    data = build_sidecar(
        programme_id="programme",
        title=TAGS.title,
        station=station,
        series=station.series,
        languages=TAGS.languages,
        duration_ms=2000,
        audio=facts,
        loudness=report,
        target_lufs=-16.0,
        priority=TAGS.priority,
        created_at=datetime(2026, 11, 22, 3, 0, tzinfo=UTC),
    )
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))).validate(data)
    assert data["loudness"]["replaygain_db"] == -1.96
    assert data["station"] == {"name": STATION, "commune": "Hòa Bình", "province": "Hòa Bình"}
    assert data["audio"]["file"] == mp3.name


def test_probe_refuses_what_is_not_an_mp3(tmp_path: Path) -> None:
    path = tmp_path / "x.mp3"
    path.write_text("không phải mp3", encoding="utf-8")
    with pytest.raises(StudioError):
        probe_audio(path)


def test_invalid_tags_are_refused_before_touching_anything() -> None:
    with pytest.raises(ValueError):
        ProgrammeTags(title="t", artist="a", album="", date=date(2026, 1, 1), languages=("vi",))
    with pytest.raises(ValueError):
        ProgrammeTags(title="t", artist="a", album="", date=date(2026, 1, 1), priority="urgent")
    with pytest.raises(ValueError):
        ProgrammeTags(title="t", artist="a", album="", date=date(2026, 1, 1), extra={"priority": "x"})


def test_a_wav_carries_the_same_tag_in_its_id3_chunk(wav: Path, mp3: Path) -> None:
    """The WAV's metadata travels inside the file, frame for frame what the MP3 gets; the sound is not touched."""
    decoded_before = decoded_sha256(wav)
    write_id3(wav, TAGS)
    write_id3(mp3, TAGS)
    data = wav.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE" and data.count(b"id3 ") == 1
    tags = WAVE(wav, translate=False).tags
    assert tags is not None and tags.version == (2, 3, 0)
    assert tags["TIT2"].text == [TAGS.title] and tags["TPE1"].text == [STATION]
    assert all(frame.encoding == Encoding.UTF16 for frame in tags.values())
    wav_frames, mp3_frames = read_id3(wav), read_id3(mp3)
    assert wav_frames.pop("TLEN") == "2000"  # a WAV's length is exact, an MP3's header adds padding
    mp3_frames.pop("TLEN")
    assert wav_frames == mp3_frames
    meta = ffmetadata(wav)
    assert (meta["title"], meta["artist"], meta["PRIORITY"]) == (TAGS.title, STATION, "emergency")
    assert decoded_sha256(wav) == decoded_before


def test_retagging_a_wav_replaces_its_chunk(wav: Path) -> None:
    write_id3(wav, TAGS)
    write_id3(wav, ProgrammeTags(title="Bản tin chiều", artist=STATION, album="", date=date(2027, 1, 5)))
    assert wav.read_bytes().count(b"id3 ") == 1
    frames = read_id3(wav)
    assert frames["TIT2"] == "Bản tin chiều" and "TXXX:TRUE_PEAK" not in frames
    assert [p.name for p in wav.parent.iterdir()] == [wav.name]


def test_probe_measures_a_wav(wav: Path) -> None:
    write_id3(wav, TAGS)
    facts = probe_audio(wav)
    assert facts.format == "wav"
    assert facts.sha256 == hashlib.sha256(wav.read_bytes()).hexdigest()
    assert facts.size_bytes == wav.stat().st_size
    assert (facts.sample_rate, facts.channels, facts.bitrate_kbps) == (44100, 1, 706)  # 44100 × 1 × 16 bits


@pytest.mark.parametrize("kind", ["text", "mp3", "empty"])
def test_not_a_wav_is_a_studio_error_and_stays_untouched(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "programme.wav"
    if kind == "text":
        path.write_text("Đây không phải tệp âm thanh\n" * 50, encoding="utf-8")
    elif kind == "mp3":
        ffmpeg("-f", "lavfi", "-i", "sine=duration=1", "-f", "mp3", str(path))
    else:
        path.write_bytes(b"")
    before = path.read_bytes()
    with pytest.raises(StudioError) as caught:
        write_id3(path, TAGS)
    assert caught.value.text == NOT_WAV
    with pytest.raises(StudioError) as caught:
        probe_audio(path)
    assert caught.value.text == NOT_WAV
    assert path.read_bytes() == before
