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


@pytest.mark.parametrize("blocker", ["folder in place of the file", "file in place of the folder"])
def test_a_choice_that_cannot_be_written_is_logged_not_raised(tmp_path: Path, blocker: str) -> None:
    """``remember`` (the last user name at a login, the wizard's language) never stops what the officer does:
    the atomic write reports a failed replace as a StudioError, a failed mkdir as an OSError."""
    from studio.config import UI_LAST_USER

    if blocker == "folder in place of the file":
        path = tmp_path / "settings.json"
        path.mkdir()
    else:
        (tmp_path / "config").write_text("not a folder", encoding="utf-8")
        path = tmp_path / "config" / "settings.json"
    settings = Settings(path)
    assert settings.remember(UI_LAST_USER, "quantri") is False
    assert settings.get(UI_LAST_USER) == ""  # nothing half-stored
