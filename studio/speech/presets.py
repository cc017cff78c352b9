"""Language presets: which language, script, engine and voice a segment is spoken with.

Each preset is one JSON file (``assets/presets/*.json`` shipped, plus a station's own folder). A
broken file is reported and skipped so one bad preset cannot stop the studio.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.text.normalize import Dialect

log = logging.getLogger(__name__)

MODES = ("tts", "respell-tts", "record")


@dataclass(frozen=True)
class Preset:
    """How a segment in this language is turned into sound."""

    id: str
    name_vi: str
    name_en: str
    language: str  # ISO 639-3, e.g. "vie"
    mode: str = "tts"
    engine: str = "espeak"
    voice: str = "vi"
    rate: int = 0
    pitch: int = 0
    volume: int = 0
    dialect: Dialect = Dialect.NORTH
    words_per_minute: int = 150
    script: str = "Latn"
    font: str = ""

    @property
    def id639_2(self) -> str:
        """ISO 639-2 code for ID3 TLAN (bibliographic codes where they differ)."""
        return _ISO639_2B.get(self.language, self.language)

    def name(self, language: str) -> str:
        return self.name_vi if language.startswith("vi") else self.name_en

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Preset:
        fields = dict(data)
        fields["dialect"] = Dialect(fields.get("dialect", "north"))
        if fields.get("mode", "tts") not in MODES:
            raise ValueError(f"unknown mode {fields.get('mode')!r}")
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in fields.items() if k in known})


_ISO639_2B = {"khm": "khm", "yue": "chi", "vie": "vie"}


def load_presets(folders: Iterable[Path]) -> dict[str, Preset]:
    """Presets by id; later folders override earlier ones (a station may redefine a shipped preset)."""
    presets: dict[str, Preset] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.json")):
            try:
                preset = Preset.from_dict(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError, KeyError) as exc:
                log.warning("skipping preset %s: %s", path, exc)
                continue
            presets[preset.id] = preset
    return presets
