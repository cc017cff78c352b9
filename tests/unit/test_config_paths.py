"""Settings declared once, stored safely; every folder redirected by one switch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.config import DATABASE_URL, LOUDNESS_TARGET, MP3_BITRATE, SETTINGS, UI_LANGUAGE, Settings
from studio.paths import StudioPaths, assets_dir


def test_defaults_without_a_file(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json", environ={})
    assert settings.get(LOUDNESS_TARGET) == -16.0
    assert settings.get(MP3_BITRATE) == 128
    assert settings.get(UI_LANGUAGE) == "auto"


def test_values_round_trip_and_file_is_valid_json(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "settings.json"
    Settings(path, environ={}).set(LOUDNESS_TARGET, -23.0)
    assert json.loads(path.read_text(encoding="utf-8")) == {"render.loudness_target": -23.0}
    assert Settings(path, environ={}).get(LOUDNESS_TARGET) == -23.0


def test_invalid_values_are_refused_on_set_and_ignored_on_load(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings(path, environ={})
    with pytest.raises(ValueError):
        settings.set(MP3_BITRATE, 100)
    with pytest.raises(ValueError):
        settings.set(LOUDNESS_TARGET, 5.0)
    path.write_text('{"render.mp3_bitrate": "loud", "render.loudness_target": -20}', encoding="utf-8")
    reloaded = Settings(path, environ={})
    assert reloaded.get(MP3_BITRATE) == 128
    assert reloaded.get(LOUDNESS_TARGET) == -20.0
    assert any("mp3_bitrate" in problem for problem in reloaded.problems)


def test_a_corrupt_settings_file_does_not_stop_the_studio(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b"\xff\xfe{ not json")
    settings = Settings(path, environ={})
    assert settings.get(LOUDNESS_TARGET) == -16.0
    assert settings.problems


def test_environment_overrides_the_database_url(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json", environ={"STUDIO_DATABASE_URL": "postgresql://pc1/studio"})
    assert settings.get(DATABASE_URL) == "postgresql://pc1/studio"


def test_every_setting_has_a_label_and_a_valid_default() -> None:
    keys = [s.key for s in SETTINGS]
    assert len(keys) == len(set(keys))
    for setting in SETTINGS:
        assert setting.label
        assert setting.coerce(setting.default) == setting.default


def test_data_dir_redirects_every_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STUDIO_HOME", raising=False)
    paths = StudioPaths.resolve(tmp_path / "portable").ensure()
    for folder in (paths.data, paths.cache, paths.config, paths.logs, paths.media, paths.renders):
        assert folder.is_dir() and tmp_path in folder.parents
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "env"))
    assert StudioPaths.resolve().data == (tmp_path / "env" / "data").resolve()
    assert StudioPaths.resolve(tmp_path / "flag").data == (tmp_path / "flag" / "data").resolve()


def test_assets_are_found() -> None:
    assert (assets_dir() / "presets" / "vi-north-offline.json").is_file()
    assert (assets_dir() / "jingles" / "opening.wav").is_file()
