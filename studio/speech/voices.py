"""The online voice list: fetched live, kept on disk for offline days, with built-in defaults behind it.

Microsoft adds and retires voices, so the list is not hard-coded; but an officer setting up a preset on a
day without internet must still see the voices that serve the commune. Order of preference: the live
list (saved as JSON for next time), the last saved list, then :data:`DEFAULT_VOICES`, the voices the
domain notes name for Kinh, Khmer and Hoa listeners.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from studio.fileio import replacing
from studio.messages import StudioError
from studio.speech.engine import VoiceInfo

log = logging.getLogger(__name__)

CACHE_FORMAT = 1
VOICE_CACHE_NAME = "edge-voices.json"

DEFAULT_VOICES: tuple[VoiceInfo, ...] = (
    VoiceInfo("vi-VN-HoaiMyNeural", "HoaiMy", "vi-VN", "female"),
    VoiceInfo("vi-VN-NamMinhNeural", "NamMinh", "vi-VN", "male"),
    VoiceInfo("km-KH-SreymomNeural", "Sreymom", "km-KH", "female"),
    VoiceInfo("km-KH-PisethNeural", "Piseth", "km-KH", "male"),
    VoiceInfo("zh-HK-HiuGaaiNeural", "HiuGaai", "zh-HK", "female"),
    VoiceInfo("zh-HK-HiuMaanNeural", "HiuMaan", "zh-HK", "female"),
    VoiceInfo("zh-HK-WanLungNeural", "WanLung", "zh-HK", "male"),
)

#: Fetches the service's raw list (a JSON array of objects); raises StudioError or OSError when it cannot.
VoiceListFetcher = Callable[[], Sequence[Mapping[str, Any]]]


def parse_voice_list(data: Sequence[Mapping[str, Any]]) -> list[VoiceInfo]:
    """Voices from the service's JSON (``ShortName``, ``Locale``, ``Gender``); malformed entries are skipped.

    Vietnamese voices come first: they are the ones a commune uses most.
    """
    voices: list[VoiceInfo] = []
    for entry in data:
        if not isinstance(entry, Mapping):
            continue
        short, locale = entry.get("ShortName"), entry.get("Locale")
        if not isinstance(short, str) or not isinstance(locale, str) or not short:
            continue
        name = short.removeprefix(f"{locale}-").removesuffix("Neural") or short
        gender = entry.get("Gender")
        voices.append(VoiceInfo(short, name, locale, gender.lower() if isinstance(gender, str) else ""))
    return sorted(voices, key=lambda voice: (not voice.language.startswith("vi"), voice.language, voice.id))


def read_cached(path: Path) -> list[VoiceInfo] | None:
    """The saved list, or None when there is none or it is unreadable (then it is simply refetched later)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != CACHE_FORMAT:
            return None
        voices = parse_voice_list(document["voices"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.warning("ignoring unreadable voice list %s: %s", path, exc)
        return None
    return voices or None


def write_cache(path: Path, data: Sequence[Mapping[str, Any]]) -> None:
    """Save the raw list (raw, so a later studio can read fields this one ignores). Failing costs nothing."""
    document = {"format": CACHE_FORMAT, "fetched": datetime.now(UTC).isoformat(timespec="seconds"),
                "voices": [dict(entry) for entry in data]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with replacing(path) as temp:
            temp.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    except (OSError, StudioError) as exc:
        log.warning("could not save the voice list to %s: %s", path, exc)


def load_voices(fetch: VoiceListFetcher, cache: Path | None) -> list[VoiceInfo]:
    """Live list (and save it), else the saved list, else :data:`DEFAULT_VOICES`. Never raises for the network."""
    try:
        data = fetch()
        voices = parse_voice_list(data)
    except (StudioError, OSError) as exc:
        log.info("online voice list unavailable: %s", exc)
    else:
        if voices:
            if cache is not None:
                write_cache(cache, data)
            return voices
        log.warning("the online voice list was empty")
    cached = read_cached(cache) if cache is not None else None
    return cached if cached is not None else list(DEFAULT_VOICES)
