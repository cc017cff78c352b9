"""Settings kept in the settings file: a value that cannot be written is not used either."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.config import MP3_BITRATE, Settings


def test_a_setting_that_cannot_be_written_is_not_kept_in_memory_either(tmp_path: Path) -> None:
    """A full disk or a refused folder: renders must not use a value the settings file does not have."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    settings = Settings(blocker / "settings.json")
    with pytest.raises(OSError):
        settings.set(MP3_BITRATE, 64)
    assert settings.get(MP3_BITRATE) == 128
    written = Settings(tmp_path / "ok" / "settings.json")
    written.set(MP3_BITRATE, 64)
    assert Settings(tmp_path / "ok" / "settings.json").get(MP3_BITRATE) == 64
