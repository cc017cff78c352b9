"""Recorded segments in a programme: a take chosen for a segment plays instead of a synthetic voice (also in
languages no voice can read), the approval covers the exact take, and every take is kept."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

from studio.audio.codec import decode
from studio.bulletin import BulletinDraft, SegmentDraft
from studio.messages import StudioError
from studio.paths import StudioPaths
from studio.render import NEEDS_RECORDING, TAKE_MISSING
from studio.services import Studio
from studio.store.takes import TakeInfo
from studio.workflow.accounts import Role
from studio.workflow.states import Action

pytestmark = pytest.mark.slow
PASSWORD = "mật khẩu đủ dài"


@pytest.fixture
def studio(studio_paths: StudioPaths) -> Iterator[Studio]:
    opened = Studio.open(studio_paths)
    opened.ensure_station()
    yield opened
    opened.close()


def _tone(path: Path, frequency: int, seconds: float) -> Path:
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-v", "error", "-f", "lavfi", "-i",
                    f"sine=frequency={frequency}:duration={seconds}:sample_rate=48000", "-ac", "1",
                    "-c:a", "pcm_s16le", str(path)], check=True)
    return path


def _take(studio: Studio, bulletin_id: int, key: str, frequency: int, tmp_path: Path) -> TakeInfo:
    """A take as the booth stores it: raw and cleaned audio in the media library, a row naming both."""
    wav = _tone(tmp_path / f"take-{frequency}.wav", frequency, 1.5)
    sha, relpath, _ = studio.media.put(wav, ".wav")
    return studio.takes.add(bulletin_id=bulletin_id, segment_key=key, sha256=sha, relpath=relpath,
                            raw_sha256=sha, raw_relpath=relpath, duration_ms=1500, peak_dbfs=-1.0, rms_dbfs=-4.0,
                            clipped=False, source="import", cleanup={}, actor="lan")


def _bulletin(studio: Studio) -> BulletinDraft:
    station = studio.station()
    return studio.save_bulletin(BulletinDraft("Thông báo song ngữ", station.id, (
        SegmentDraft("Kính thưa bà con, sau đây là thông báo bằng tiếng Mông.", "vi-north-offline", "notice"),
        SegmentDraft("Nyob zoo txhua tus neeg.", "hnj-rpa-record", "notice"),
    )))


def _dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[int(np.argmax(spectrum))])


def test_a_segment_no_voice_can_read_is_played_from_its_chosen_take(studio: Studio, tmp_path: Path) -> None:
    draft = _bulletin(studio)
    assert draft.id is not None
    with pytest.raises(StudioError) as caught:
        studio.render_bulletin(draft.id)
    assert caught.value.text == NEEDS_RECORDING
    key = draft.segments[1].key
    assert key and draft.segments[0].key != key
    take = _take(studio, draft.id, key, 440, tmp_path)
    chosen = studio.choose_take(draft.id, key, take.sha256)
    assert chosen.segments[1].take == take.sha256 and chosen.segments[1].key == key  # the key survives saves

    _, result = studio.render_bulletin(draft.id)
    recorded = result.sidecar["segments"][1]
    assert (recorded["source"], recorded["language"]) == ("recorded", "hnj")
    assert result.sidecar["segments"][0]["source"] == "tts"
    assert 1400 <= recorded["duration_ms"] <= 1600
    pcm = decode(result.audio, rate=48000, channels=1)
    start = int((recorded["start_ms"] + 200) * 48)
    middle = pcm.samples[start:start + 48000, 0] if pcm.samples.ndim == 2 else pcm.samples[start:start + 48000]
    assert abs(_dominant_hz(middle, 48000) - 440) < 3  # the announcer's recording, not a synthetic voice
    assert result.sidecar["languages"] == ["vie", "hmn"]  # ISO 639-2 has one code for the Hmong languages


def test_the_approval_covers_the_chosen_take_and_takes_are_kept(studio: Studio, tmp_path: Path) -> None:
    admin = studio.reviews.create_user("quantri", PASSWORD, Role.ADMIN).actor()
    officer = studio.reviews.create_user("lan", PASSWORD, Role.OFFICER, actor=admin).actor()
    reviewer = studio.reviews.create_user("hung", PASSWORD, Role.REVIEWER, actor=admin).actor()
    studio.signed_in = officer
    draft = _bulletin(studio)
    assert draft.id is not None
    key = draft.segments[1].key
    first = _take(studio, draft.id, key, 440, tmp_path)
    second = _take(studio, draft.id, key, 660, tmp_path)
    assert [t.sha256 for t in studio.takes.of_segment(draft.id, key)] == [second.sha256, first.sha256]
    chosen = studio.choose_take(draft.id, key, first.sha256)
    studio.review(draft.id, Action.SUBMIT, version=chosen.version)
    studio.signed_in = reviewer
    studio.review(draft.id, Action.APPROVE, version=chosen.version)
    studio.signed_in = officer
    assert studio.approval_is_current(draft.id)
    studio.choose_take(draft.id, key, second.sha256)  # the better take, after approval
    assert not studio.approval_is_current(draft.id)
    assert studio.reviews.status(draft.id).state.value == "draft"
    assert len(studio.takes.of_segment(draft.id, key)) == 2  # nothing recorded is ever lost
    with pytest.raises(StudioError):
        studio.choose_take(draft.id, "another-segment", first.sha256)


def test_a_chosen_take_missing_from_the_library_is_named(studio: Studio, tmp_path: Path) -> None:
    draft = _bulletin(studio)
    assert draft.id is not None
    take = _take(studio, draft.id, draft.segments[1].key, 440, tmp_path)
    studio.choose_take(draft.id, draft.segments[1].key, take.sha256)
    studio.media.path(take.relpath).unlink()
    with pytest.raises(StudioError) as caught:
        studio.render_bulletin(draft.id)
    assert caught.value.text == TAKE_MISSING and caught.value.args_map["number"] == "2"


def test_a_bilingual_bulletin_plays_in_the_stations_order(studio: Studio, tmp_path: Path) -> None:
    """Two items in Vietnamese, each recorded in H'Mông too: item by item, or Vietnamese then H'Mông."""
    station = studio.station()
    vi = [SegmentDraft("Thôn Một mất điện chiều nay.", "vi-north-offline", "notice", key="vi1"),
          SegmentDraft("Ngày mai tiêm phòng cho trẻ.", "vi-north-offline", "notice", key="vi2")]
    mong = [SegmentDraft("Zos Ib tsis muaj hluav taws xob.", "hnj-rpa-record", "notice", key="hm1", version_of="vi1"),
            SegmentDraft("Tag kis txhaj tshuaj.", "hnj-rpa-record", "notice", key="hm2", version_of="vi2")]
    draft = studio.save_bulletin(BulletinDraft("Thông báo hai thứ tiếng", station.id, (vi[0], mong[0], vi[1], mong[1])))
    assert draft.id is not None
    for key, frequency in (("hm1", 440), ("hm2", 660)):
        take = _take(studio, draft.id, key, frequency, tmp_path)
        studio.choose_take(draft.id, key, take.sha256)
    _, interleaved = studio.render_bulletin(draft.id)
    assert [s["position"] for s in interleaved.sidecar["segments"]] == [1, 2, 3, 4]
    studio.repo.set_bilingual_order(station.id, "blocks")
    assert studio.current_render(draft.id) is None  # the order is part of what was approved and rendered
    _, blocks = studio.render_bulletin(draft.id)
    assert [(s["position"], s["language"]) for s in blocks.sidecar["segments"]] == [
        (1, "vie"), (3, "vie"), (2, "hnj"), (4, "hnj")]


def test_a_phone_recording_is_imported_kept_as_it_was_cleaned_and_played(studio: Studio, tmp_path: Path) -> None:
    from studio.audio.loudness import integrated_loudness

    draft = _bulletin(studio)
    assert draft.id is not None
    key = draft.segments[1].key
    phone = tmp_path / "ghi-am.m4a"  # 44.1 kHz stereo AAC with a second of room noise around the voice
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-v", "error", "-f", "lavfi", "-i",
                    "anoisesrc=amplitude=0.002:duration=4:sample_rate=44100", "-f", "lavfi", "-i",
                    "sine=frequency=300:duration=2:sample_rate=44100", "-filter_complex",
                    "[1]volume=0.05,adelay=1000|1000[v];[0][v]amix=inputs=2:normalize=0", "-ac", "2",
                    "-c:a", "aac", str(phone)], check=True)
    bad = tmp_path / "not-audio.m4a"
    bad.write_text("biên bản họp thôn", encoding="utf-8")
    with pytest.raises(StudioError):
        studio.add_take(bad, bulletin_id=draft.id, segment_key=key, origin="import")
    assert studio.takes.of_segment(draft.id, key) == []  # nothing half-stored

    take = studio.add_take(phone, bulletin_id=draft.id, segment_key=key, origin="import")
    assert studio.media.path(take.raw_relpath).read_bytes() == phone.read_bytes()  # the original, untouched
    cleaned = decode(studio.media.path(take.relpath))
    assert (cleaned.rate, cleaned.channels) == (48000, 1)
    assert 2000 <= take.duration_ms <= 2600  # the silence around the voice was trimmed (margins kept)
    assert abs(integrated_loudness(cleaned) - (-20.0)) < 0.6 and take.cleanup["level_lufs"] == -20.0
    studio.choose_take(draft.id, key, take.sha256)
    _, result = studio.render_bulletin(draft.id)
    assert result.sidecar["segments"][1]["source"] == "recorded"
