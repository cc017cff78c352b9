"""The export profile: MP3 or WAV from the settings, its name, its file suffix, and what a render is bound to."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.bulletin import BulletinDraft
from studio.config import AUDIO_FORMAT, CHANNELS, SAMPLE_RATE, Settings
from studio.render import Lexicons, RenderProfile, audio_file, render_fingerprint

BULLETIN = BulletinDraft("Bản tin sáng", 1, ())


def fingerprint(profile: RenderProfile) -> str:
    return render_fingerprint(BULLETIN, {}, profile, Lexicons())


def test_the_profile_follows_the_format_setting(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json", environ={})
    assert settings.get(AUDIO_FORMAT) == "mp3"
    assert RenderProfile.from_settings(settings).name == "mp3-128k-mono-44100"  # the names stored so far
    settings.set(AUDIO_FORMAT, "wav")
    settings.set(SAMPLE_RATE, 48000)
    settings.set(CHANNELS, 2)
    profile = RenderProfile.from_settings(Settings(tmp_path / "settings.json", environ={}))
    assert (profile.container, profile.name, profile.suffix) == ("wav", "wav-16bit-stereo-48000", ".wav")
    assert profile.output_format().codec_args()[-4:] == ["-c:a", "pcm_s16le", "-f", "wav"]
    with pytest.raises(ValueError):
        settings.set(AUDIO_FORMAT, "flac")


def test_an_mp3_profile_is_bound_to_what_it_was_bound_to_before_wav_existed() -> None:
    """Renders and approvals made by earlier versions stay current after the update."""
    assert RenderProfile(bitrate_kbps=96).fingerprint_fields() == {
        "bitrate_kbps": 96, "sample_rate": 44100, "channels": 1, "loudness_target": -16.0,
        "true_peak_ceiling": -1.0, "segment_gap": 0.7, "jingle_gap": 0.4, "voice_processing": "horn",
    }


def test_the_container_shapes_the_fingerprint_and_a_wav_ignores_the_bit_rate() -> None:
    mp3, wav = RenderProfile(), RenderProfile(container="wav")
    assert fingerprint(mp3) != fingerprint(wav)
    assert fingerprint(RenderProfile(bitrate_kbps=64)) != fingerprint(mp3)
    assert fingerprint(RenderProfile(container="wav", bitrate_kbps=64)) == fingerprint(wav)
    with pytest.raises(ValueError):
        RenderProfile(container="flac")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("asked", "suffix", "written"),
    [
        ("out.mp3", ".wav", "out.wav"),
        ("out.wav", ".mp3", "out.mp3"),
        ("out.wav", ".wav", "out.wav"),
        ("out", ".wav", "out.wav"),
        ("ban-tin.2026.11.22", ".mp3", "ban-tin.2026.11.22.mp3"),
    ],
)
def test_the_written_file_is_named_for_its_format(asked: str, suffix: str, written: str) -> None:
    assert audio_file(Path("/x") / asked, suffix) == Path("/x") / written
