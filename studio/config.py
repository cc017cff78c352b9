"""Settings, each declared once: name, type, default, translatable label, allowed values.

Values live in ``settings.json`` in the config directory. Unknown keys are kept (a newer version may
have written them), malformed values fall back to the default and are reported, never raised: a bad
settings file must not stop an officer from opening the studio. The GUI builds its settings page
from :data:`SETTINGS`.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from studio.fileio import write_bytes_atomically
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import StudioError

log = logging.getLogger(__name__)

T = TypeVar("T", bool, int, float, str)


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One declared setting. ``choices`` restricts the value; ``minimum``/``maximum`` bound numbers."""

    key: str
    kind: type[T]
    default: T
    label: str
    choices: tuple[T, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    env: str | None = None  # an environment variable that overrides the stored value

    def coerce(self, raw: object) -> T:
        """Return ``raw`` as a valid value of this setting or raise ``ValueError``."""
        if self.kind is bool:
            if not isinstance(raw, bool):
                raise ValueError(f"{self.key}: expected true/false")
            value: Any = raw
        elif self.kind is int:
            if isinstance(raw, bool) or not isinstance(raw, int | str):
                raise ValueError(f"{self.key}: expected a whole number")
            try:
                value = int(raw)
            except ValueError:
                raise ValueError(f"{self.key}: {raw!r} is not a whole number") from None
        elif self.kind is float:
            if isinstance(raw, bool) or not isinstance(raw, int | float | str):
                raise ValueError(f"{self.key}: expected a number")
            try:
                value = float(raw)
            except ValueError:
                raise ValueError(f"{self.key}: {raw!r} is not a number") from None
        else:
            if not isinstance(raw, str):
                raise ValueError(f"{self.key}: expected text")
            value = raw
        if self.choices and value not in self.choices:
            raise ValueError(f"{self.key}: {value!r} is not one of {self.choices}")
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"{self.key}: {value} is below {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"{self.key}: {value} is above {self.maximum}")
        return cast(T, value)


UI_LANGUAGE = Setting("ui.language", str, "auto", QT_TRANSLATE_NOOP("Settings", "Interface language"),
                      choices=("auto", "vi", "en"))
UI_FONT_SIZE = Setting("ui.font_size", int, 11, QT_TRANSLATE_NOOP("Settings", "Font size"),
                       minimum=8, maximum=28)
DATABASE_URL = Setting("database.url", str, "", QT_TRANSLATE_NOOP("Settings", "Shared database address"),
                       env="STUDIO_DATABASE_URL")
LOUDNESS_TARGET = Setting("render.loudness_target", float, -16.0,
                          QT_TRANSLATE_NOOP("Settings", "Loudness target (LUFS)"), minimum=-31.0, maximum=-9.0)
TRUE_PEAK_LIMIT = Setting("render.true_peak_limit", float, -1.0,
                          QT_TRANSLATE_NOOP("Settings", "True-peak ceiling (dBTP)"), minimum=-9.0, maximum=0.0)
AUDIO_FORMAT = Setting("render.format", str, "mp3", QT_TRANSLATE_NOOP("Settings", "File format"),
                       choices=("mp3", "wav"))
MP3_BITRATE = Setting("render.mp3_bitrate", int, 128, QT_TRANSLATE_NOOP("Settings", "MP3 bit rate (kbps)"),
                      choices=(64, 96, 128, 192))  # only for MP3: a WAV is 16-bit PCM whatever it says
SAMPLE_RATE = Setting("render.sample_rate", int, 44100, QT_TRANSLATE_NOOP("Settings", "Sample rate (Hz)"),
                      choices=(22050, 44100, 48000))
CHANNELS = Setting("render.channels", int, 1, QT_TRANSLATE_NOOP("Settings", "Channels"), choices=(1, 2))
SEGMENT_GAP = Setting("render.segment_gap", float, 0.7,
                      QT_TRANSLATE_NOOP("Settings", "Pause between segments (seconds)"), minimum=0.0, maximum=10.0)
JINGLE_GAP = Setting("render.jingle_gap", float, 0.4,
                     QT_TRANSLATE_NOOP("Settings", "Pause after and before jingles (seconds)"),
                     minimum=0.0, maximum=10.0)

VOICE_PROCESSING = Setting("render.voice_processing", str, "horn",
                           QT_TRANSLATE_NOOP("Settings", "Voice processing (horn loudspeakers or neutral)"),
                           choices=("horn", "neutral"))
SPEECH_CACHE_MB = Setting("speech.cache_mb", int, 1024,
                          QT_TRANSLATE_NOOP("Settings", "Speech cache size (MB)"), minimum=50, maximum=100_000)
UI_LAST_USER = Setting("ui.last_user", str, "", QT_TRANSLATE_NOOP("Settings", "User name last logged in"))
RECORDING_DEVICE = Setting("recording.device", str, "", QT_TRANSLATE_NOOP("Settings", "Microphone"))  # "": the default
RECORDING_COUNT_IN = Setting("recording.count_in", bool, True,
                             QT_TRANSLATE_NOOP("Settings", "Count 3-2-1 before recording"))
RECORDING_DENOISE = Setting("recording.denoise", bool, False,
                            QT_TRANSLATE_NOOP("Settings", "Reduce background noise in new takes"))
PROMPTER_POINT_SIZE = Setting("recording.prompter_size", int, 26,
                              QT_TRANSLATE_NOOP("Settings", "Text size in the recording booth (points)"),
                              minimum=12, maximum=72)

SETTINGS: tuple[Setting[Any], ...] = (
    UI_LANGUAGE, UI_FONT_SIZE, DATABASE_URL, LOUDNESS_TARGET, TRUE_PEAK_LIMIT, AUDIO_FORMAT, MP3_BITRATE,
    SAMPLE_RATE, CHANNELS, SEGMENT_GAP, JINGLE_GAP, SPEECH_CACHE_MB, VOICE_PROCESSING, UI_LAST_USER,
    RECORDING_DEVICE, RECORDING_COUNT_IN, RECORDING_DENOISE, PROMPTER_POINT_SIZE,
)


class Settings:
    """Typed access to the declared settings, persisted as JSON (written atomically)."""

    def __init__(self, path: Path | None, environ: Mapping[str, str] | None = None) -> None:
        self._path = path
        self._environ = os.environ if environ is None else environ
        self._values: dict[str, Any] = {}
        self.problems: list[str] = []
        if path is not None and path.exists():
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            self.problems.append(f"{path}: {exc}")
            log.warning("settings file %s unreadable, using defaults: %s", path, exc)
            return
        if not isinstance(data, dict):
            self.problems.append(f"{path}: not a JSON object")
            return
        self._values = data
        for setting in SETTINGS:
            if setting.key in data:
                try:
                    setting.coerce(data[setting.key])
                except ValueError as exc:
                    self.problems.append(str(exc))
                    log.warning("ignoring bad setting: %s", exc)

    def get(self, setting: Setting[T]) -> T:
        if setting.env and self._environ.get(setting.env):
            try:
                return setting.coerce(self._environ[setting.env])
            except ValueError as exc:
                log.warning("ignoring %s: %s", setting.env, exc)
        if setting.key in self._values:
            try:
                return setting.coerce(self._values[setting.key])
            except ValueError:
                pass
        return setting.default

    def set(self, setting: Setting[T], value: T) -> None:
        """Store ``value``: in the file first, then in memory, so a failed write (full disk) changes nothing."""
        previous = dict(self._values)
        self._values[setting.key] = setting.coerce(value)
        try:
            self.save()
        except BaseException:
            self._values = previous
            raise

    def remember(self, setting: Setting[T], value: T) -> bool:
        """Store a choice the person made for next time (a microphone, a text size): a file that cannot be
        written (full disk, read-only profile) is logged, not raised; the choice still applies where the
        caller holds it. True when stored."""
        try:
            self.set(setting, value)
        except (OSError, StudioError) as exc:  # the atomic write reports its OSError as a StudioError
            log.warning("cannot remember %s: %s", setting.key, exc)
            return False
        return True

    def __iter__(self) -> Iterator[tuple[Setting[Any], Any]]:
        for setting in SETTINGS:
            yield setting, self.get(setting)

    def save(self) -> None:
        if self._path is None:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(self._values, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        write_bytes_atomically(self._path, text.encode("utf-8"))
