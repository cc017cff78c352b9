"""A station that asks for WAV gets a real 16-bit PCM WAV, mastered, tagged and described like an MP3.

Checked with tools that share no code with the studio: ffprobe (container, codec, rate, channels, tags),
ffmpeg's ebur128 filter (loudness, true peak), mutagen (the ``id3 `` chunk) and jsonschema (the sidecar).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]  # test-only oracle, no stubs installed
import pytest
from mutagen.wave import WAVE

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.config import AUDIO_FORMAT, CHANNELS, LOUDNESS_TARGET, MP3_BITRATE, SAMPLE_RATE
from studio.delivery.folder import FolderTarget
from studio.delivery.target import Package
from studio.paths import StudioPaths
from studio.services import Studio
from studio.tags.sidecar import SCHEMA_PATH, load_sidecar
from tests.oracles import ebur128, ffprobe

pytestmark = pytest.mark.slow

PRESET = "vi-north-offline"
TITLE = "Bản tin chiều: lịch tiêm phòng"
SEGMENTS = (
    SegmentDraft("Thông báo: sáng mai Trạm Y tế xã tiêm phòng cho trẻ em từ bảy giờ.", PRESET, "notice"),
    SegmentDraft("Đề nghị bà con đưa trẻ đến đúng giờ và mang theo sổ tiêm chủng.", PRESET, "news"),
)
VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


@pytest.fixture
def studio(studio_paths: StudioPaths) -> Iterator[Studio]:
    opened = Studio.open(studio_paths)
    opened.ensure_station()
    yield opened
    opened.close()


def _bulletin(studio: Studio) -> int:
    saved = studio.repo.save(BulletinDraft(TITLE, studio.station().id, SEGMENTS))
    assert saved.id is not None
    return saved.id


def test_a_wav_render_is_16_bit_pcm_mastered_tagged_described_and_delivered(studio: Studio,
                                                                            tmp_path: Path) -> None:
    studio.settings.set(AUDIO_FORMAT, "wav")
    studio.settings.set(SAMPLE_RATE, 48000)
    studio.settings.set(CHANNELS, 2)
    studio.settings.set(LOUDNESS_TARGET, -13.0)  # loud enough that the limiter holds the peaks down
    profile = studio.profile()
    assert profile.name == "wav-16bit-stereo-48000"
    bulletin_id = _bulletin(studio)

    info, result = studio.render_bulletin(bulletin_id)

    wav = result.audio
    uid = studio.repo.load(bulletin_id).uid
    assert wav.name == f"{uid}.wav" and info.relpath.endswith(".wav")
    probe = ffprobe(wav)
    stream = probe["streams"][0]
    assert probe["format"]["format_name"] == "wav"
    assert (stream["codec_name"], int(stream["sample_rate"]), stream["channels"]) == ("pcm_s16le", 48000, 2)
    assert int(stream["bits_per_sample"]) == 16
    assert float(probe["format"]["duration"]) == pytest.approx(result.duration_ms / 1000, abs=0.01)

    integrated, peak = ebur128(wav)
    assert abs(integrated - profile.loudness_target) <= 0.5
    assert peak <= profile.true_peak_ceiling

    tags = WAVE(wav).tags
    assert tags is not None and tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == TITLE
    assert str(tags["TPE1"]) == studio.station().name
    probed_tags = {key.lower(): value for key, value in probe["format"].get("tags", {}).items()}
    assert probed_tags.get("title") == TITLE  # ffmpeg reads the same chunk

    sidecar = load_sidecar(result.sidecar_path)
    VALIDATOR.validate(sidecar)
    assert sidecar == result.sidecar == info.sidecar
    data = wav.read_bytes()
    assert sidecar["audio"] == {
        "file": f"{uid}.wav", "format": "wav", "bitrate_kbps": 48000 * 2 * 16 // 1000, "sample_rate": 48000,
        "channels": 2, "size_bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(),
    }

    exported = studio.export(result, tmp_path / "export" / "chieu.mp3")  # the officer's habit: .mp3
    assert exported == tmp_path / "export" / "chieu.wav"
    assert sorted(p.name for p in exported.parent.iterdir()) == ["chieu.json", "chieu.wav"]
    assert exported.read_bytes() == data

    # what Studio.deliver hands a target once the bulletin is approved (approval is tested elsewhere)
    stored = studio.media.path(info.relpath)
    share = tmp_path / "share"
    receipt = FolderTarget(share, create=True).deliver(
        Package(uid, stored, result.sidecar_path, info.sha256, stored.stat().st_size))
    assert receipt.location == str(share / f"{uid}.wav")
    assert sorted(p.name for p in share.iterdir()) == [f"{uid}.json", f"{uid}.wav"]
    assert (share / f"{uid}.wav").read_bytes() == data


def test_switching_the_station_to_wav_makes_the_mp3_render_out_of_date(studio: Studio) -> None:
    bulletin_id = _bulletin(studio)
    mp3_render, result = studio.render_bulletin(bulletin_id)
    assert result.audio.suffix == ".mp3"
    assert studio.current_render(bulletin_id) == mp3_render

    studio.settings.set(AUDIO_FORMAT, "wav")
    assert studio.current_render(bulletin_id) is None
    wav_render, result = studio.render_bulletin(bulletin_id)
    assert result.audio.suffix == ".wav" and result.sidecar["audio"]["format"] == "wav"
    assert studio.current_render(bulletin_id) == wav_render

    studio.settings.set(MP3_BITRATE, 64)  # a WAV has no bit rate to choose: still current
    assert studio.current_render(bulletin_id) == wav_render
    studio.settings.set(MP3_BITRATE, 128)
    studio.settings.set(AUDIO_FORMAT, "mp3")  # back to the old profile: the old MP3 is current again
    assert studio.current_render(bulletin_id) == mp3_render


def test_a_render_refuses_a_file_name_that_contradicts_its_format(studio: Studio, tmp_path: Path) -> None:
    studio.settings.set(AUDIO_FORMAT, "wav")
    draft = studio.repo.load(_bulletin(studio))
    with pytest.raises(ValueError, match=r"\.wav"):
        studio.render_draft(draft, tmp_path / "out" / "programme.mp3")
    assert not (tmp_path / "out").exists()  # refused before any work, nothing half-made
