"""Language presets: which language, script, engine and voice a segment is spoken with.

Each preset is one JSON file (``assets/presets/*.json`` shipped, plus a station's own folder); the
schema is documented in ``assets/presets/README.md``. Files are validated strictly — an unknown key,
mode or engine, a synthesised preset without a voice, a record preset with one — because a typo in a
preset would otherwise surface only as a wrong voice on air. A broken file is logged and skipped so one
bad preset cannot stop the studio; a station's folder, loaded after the shipped one, overrides by id.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.text.normalize import Dialect

log = logging.getLogger(__name__)

MODES = ("tts", "respell-tts", "record")
SYNTHESISED_MODES = ("tts", "respell-tts")
ENGINES = ("edge", "espeak")
OFFLINE_ENGINES = frozenset({"espeak"})

# Scripts written without spaces between words (Khmer, Han) or often typed that way (Tai Viet): their
# reading time is counted in letters of the script, at ``chars_per_minute``. Ranges are Unicode blocks.
_CJK = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
UNSPACED_SCRIPTS: Mapping[str, tuple[tuple[int, int], ...]] = {
    "Khmr": ((0x1780, 0x17FF), (0x19E0, 0x19FF)),
    "Tavt": ((0xAA80, 0xAADF),),
    "Hani": _CJK,
    "Hans": _CJK,
    "Hant": _CJK,
}

# ID3 TLAN wants ISO 639-2. Languages without their own 639-2 code are written with their 639-2
# collective code (Tai, Mon-Khmer, Austronesian) or the macrolanguage (Hmong); Mien has neither: "mis".
_ISO639_2B: Mapping[str, str] = {
    "vie": "vie", "khm": "khm", "yue": "chi",
    "mtq": "mkh", "bdq": "mkh", "sed": "mkh", "kpm": "mkh", "ktv": "mkh", "cmo": "mkh", "bru": "mkh",
    "pac": "mkh",
    "blt": "tai", "twh": "tai", "tyz": "tai", "nut": "tai", "pcc": "tai",
    "hnj": "hmn", "mww": "hmn",
    "rad": "map", "jra": "map", "cjm": "map",
    "ium": "mis",
}

_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_ISO639_3 = re.compile(r"[a-z]{3}")
_ISO15924 = re.compile(r"[A-Z][a-z]{3}")
_BCP47 = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_KEYS = frozenset({
    "id", "name_vi", "name_en", "language", "bcp47", "script", "orthography", "font", "mode", "engine",
    "voice", "fallbacks", "rate", "pitch", "volume", "dialect", "words_per_minute", "chars_per_minute",
    "lexicon", "normalize", "iso639_2", "order", "comment",
})
# Same bounds as VoiceParams: rate and volume are percent changes, pitch is in Hz.
_RANGES = {"rate": (-50, 100), "pitch": (-50, 50), "volume": (-50, 100),
           "words_per_minute": (30, 400), "chars_per_minute": (50, 1500), "order": (0, 100_000)}


class PresetError(ValueError):
    """A preset file that does not follow the schema; the message names the offending key."""


@dataclass(frozen=True)
class VoiceStep:
    """One engine and voice in a preset's fallback chain."""

    engine: str
    voice: str

    @property
    def offline(self) -> bool:
        return self.engine in OFFLINE_ENGINES


@dataclass(frozen=True)
class Preset:
    """How a segment in this language is turned into sound, and what the editor needs to show it.

    ``fallbacks`` are tried in order when the primary voice fails (typically: the online voice is
    unreachable). A synthesised preset with no offline step cannot speak without the network: its
    segments must then be recorded. ``lexicon`` is resolved to an absolute path at load time.
    """

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
    script: str = "Latn"  # ISO 15924
    font: str = ""  # family name; "" means the UI font
    bcp47: str = ""
    orthography: str = ""
    fallbacks: tuple[VoiceStep, ...] = ()
    chars_per_minute: int = 0  # 0: count words only
    lexicon: Path | None = None
    normalize: bool = True  # run the Vietnamese normaliser before synthesis
    iso639_2: str = ""  # override for ID3 TLAN; "" uses the built-in table
    order: int = 1000  # position in pickers: lower first

    @property
    def id639_2(self) -> str:
        """ISO 639-2 code for ID3 TLAN (bibliographic or collective codes where 639-3 has no 639-2 twin)."""
        return self.iso639_2 or _ISO639_2B.get(self.language, self.language)

    @property
    def synthesised(self) -> bool:
        return self.mode in SYNTHESISED_MODES

    @property
    def speaks_offline(self) -> bool:
        """True when some step of the chain works without the network."""
        return any(step.offline for step in self._steps())

    def name(self, language: str) -> str:
        return self.name_vi if language.startswith("vi") else self.name_en

    def fallback_chain(self) -> list[tuple[str, str]]:
        """``(engine, voice)`` pairs to try in order, the primary first; empty for record presets."""
        return [(step.engine, step.voice) for step in self._steps()]

    def _steps(self) -> tuple[VoiceStep, ...]:
        if not self.synthesised:
            return ()
        return (VoiceStep(self.engine, self.voice), *self.fallbacks)

    def estimate_seconds(self, text: str) -> float:
        """Reading time of ``text`` in this preset, for duration estimates before rendering.

        Words are whitespace-separated tokens holding a letter or digit, read at ``words_per_minute``.
        For scripts in :data:`UNSPACED_SCRIPTS` (when ``chars_per_minute`` is set) the letters and digits
        of that script are counted instead, at ``chars_per_minute`` — combining marks are not counted —
        and other tokens in the text (Latin names, numbers) still count as words. A synthesised preset's
        ``rate`` speeds the voice up or slows it down by that percentage. Pass normalised text for the
        closest estimate: digits expand into several words when read.
        """
        text = unicodedata.normalize("NFC", text)
        ranges = UNSPACED_SCRIPTS.get(self.script) if self.chars_per_minute else None
        script_chars = 0
        words = 0
        for token in text.split():
            in_script = sum(1 for ch in token if ranges and _in_ranges(ord(ch), ranges) and _letter_or_digit(ch))
            if in_script:
                script_chars += in_script
            elif any(_letter_or_digit(ch) for ch in token):
                words += 1
        minutes = words / self.words_per_minute
        if script_chars:
            minutes += script_chars / self.chars_per_minute
        speed = 1 + self.rate / 100 if self.synthesised else 1.0
        return minutes * 60 / speed

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], base: Path | None = None) -> Preset:
        """Validate one preset's JSON object; ``base`` is the folder relative lexicon paths start from.

        Raises :class:`PresetError` (a ``ValueError``) naming the first problem found.
        """
        if not isinstance(data, Mapping):
            raise PresetError("a preset file must hold one JSON object")
        unknown = sorted(set(data) - _KEYS)
        if unknown:
            raise PresetError(f"unknown key(s) {', '.join(unknown)}")
        mode = _choice(data, "mode", MODES, "tts")
        language = _matching(data, "language", _ISO639_3, "an ISO 639-3 code such as 'vie'")
        fields: dict[str, Any] = {
            "id": _matching(data, "id", _ID, "lower-case letters, digits and '-', at most 64"),
            "name_vi": _text(data, "name_vi"),
            "name_en": _text(data, "name_en"),
            "language": language,
            "mode": mode,
            "script": _matching(data, "script", _ISO15924, "an ISO 15924 code such as 'Latn'", "Latn"),
            "bcp47": _matching(data, "bcp47", _BCP47, "a BCP 47 tag such as 'vi-VN'", language),
            "orthography": _text(data, "orthography", ""),
            "font": _text(data, "font", ""),
            "dialect": Dialect(_choice(data, "dialect", tuple(d.value for d in Dialect), Dialect.NORTH.value)),
            "words_per_minute": _int(data, "words_per_minute", None),
            "chars_per_minute": _int(data, "chars_per_minute", 0),
            "normalize": _bool(data, "normalize", language == "vie" and mode != "record"),
            "iso639_2": _matching(data, "iso639_2", _ISO639_3, "an ISO 639-2 code such as 'vie'", ""),
            "order": _int(data, "order", 1000),
        }
        if fields["script"] in UNSPACED_SCRIPTS and not fields["chars_per_minute"]:
            raise PresetError(f"script {fields['script']} is written without spaces: give chars_per_minute")
        fields.update(_voice_fields(data, mode))
        fields["lexicon"] = _lexicon(data, mode, base)
        return cls(**fields)


def _voice_fields(data: Mapping[str, Any], mode: str) -> dict[str, Any]:
    voice_keys = ("engine", "voice", "fallbacks", "rate", "pitch", "volume")
    if mode == "record":
        given = [key for key in voice_keys if key in data]
        if given:
            raise PresetError(f"a record preset is read by a person: remove {', '.join(given)}")
        if data.get("normalize"):
            raise PresetError("a record preset has nothing to normalise: set normalize to false")
        return {"engine": "", "voice": ""}
    engine = _choice(data, "engine", ENGINES, None)
    voice = _text(data, "voice")
    _check_voice(engine, voice, data.get("bcp47"), "voice")
    raw = data.get("fallbacks", [])
    if not isinstance(raw, list):
        raise PresetError("fallbacks must be a list of {engine, voice} objects")
    steps: list[VoiceStep] = []
    for index, item in enumerate(raw):
        where = f"fallbacks[{index}]"
        if not isinstance(item, Mapping) or set(item) != {"engine", "voice"}:
            raise PresetError(f"{where} must be an object with exactly engine and voice")
        step = VoiceStep(_choice(item, "engine", ENGINES, None, where), _text(item, "voice", where=where))
        _check_voice(step.engine, step.voice, None, where)
        if step in steps or step == VoiceStep(engine, voice):
            raise PresetError(f"{where} repeats {step.engine}:{step.voice}")
        steps.append(step)
    return {"engine": engine, "voice": voice, "fallbacks": tuple(steps),
            **{key: _int(data, key, 0) for key in ("rate", "pitch", "volume")}}


def _check_voice(engine: str, voice: str, bcp47: object, where: str) -> None:
    """Edge voice names carry their locale ("vi-VN-HoaiMyNeural"); a mismatch is a copy-paste slip."""
    if engine != "edge":
        return
    if not re.fullmatch(r"[a-z]{2,3}-[A-Z]{2}-\w+Neural", voice):
        raise PresetError(f"{where}: {voice!r} is not an edge voice name such as 'vi-VN-HoaiMyNeural'")
    if where == "voice" and isinstance(bcp47, str) and not voice.lower().startswith(bcp47.lower() + "-"):
        raise PresetError(f"voice {voice!r} does not belong to bcp47 {bcp47!r}")


def _lexicon(data: Mapping[str, Any], mode: str, base: Path | None) -> Path | None:
    raw = data.get("lexicon")
    if raw is None:
        if mode == "respell-tts":
            raise PresetError("a respell-tts preset needs a lexicon")
        return None
    if mode != "respell-tts":
        raise PresetError("only respell-tts presets use a lexicon")
    if not isinstance(raw, str) or not raw or Path(raw).is_absolute() or "\\" in raw:
        raise PresetError("lexicon must be a relative path with '/' separators")
    path = ((base or Path.cwd()) / raw).resolve()
    if not path.is_file():
        raise PresetError(f"lexicon file {raw!r} not found (looked for {path})")
    return path


def _text(data: Mapping[str, Any], key: str, default: str | None = None, where: str = "") -> str:
    value = data.get(key, default)
    label = f"{where}.{key}" if where else key
    if value is None:
        raise PresetError(f"{label} is missing")
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise PresetError(f"{label} must be a non-empty string")
    return unicodedata.normalize("NFC", value)


def _matching(data: Mapping[str, Any], key: str, pattern: re.Pattern[str], what: str,
              default: str | None = None) -> str:
    value = _text(data, key, default)
    if value == default == "":
        return value
    if not pattern.fullmatch(value):
        raise PresetError(f"{key} {value!r} is not {what}")
    return value


def _choice(data: Mapping[str, Any], key: str, choices: tuple[str, ...], default: str | None,
            where: str = "") -> str:
    value = _text(data, key, default, where)
    if value not in choices:
        raise PresetError(f"{where + '.' if where else ''}{key} {value!r} is not one of {', '.join(choices)}")
    return value


def _int(data: Mapping[str, Any], key: str, default: int | None) -> int:
    value = data.get(key, default)
    if value is None:
        raise PresetError(f"{key} is missing")
    if isinstance(value, bool) or not isinstance(value, int):
        raise PresetError(f"{key} must be a whole number")
    low, high = _RANGES.get(key, (0, 0))
    if value != default and not low <= value <= high:
        raise PresetError(f"{key} {value} is outside {low}…{high}")
    return value


def _bool(data: Mapping[str, Any], key: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise PresetError(f"{key} must be true or false")
    return value


def _in_ranges(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _letter_or_digit(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def load_presets(folders: Iterable[Path]) -> dict[str, Preset]:
    """Presets by id, in picker order (``order``, then id); later folders override earlier ones by id.

    A missing folder is fine (a station without its own presets). Invalid files are logged and skipped;
    within one folder the first file claiming an id wins and the duplicate is reported.
    """
    presets: dict[str, Preset] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        seen: set[str] = set()
        for path in sorted(folder.glob("*.json")):
            try:
                preset = Preset.from_dict(json.loads(path.read_text(encoding="utf-8")), base=path.parent)
            except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
                log.warning("skipping preset %s: %s", path, exc)
                continue
            if preset.id in seen:
                log.warning("skipping preset %s: id %r is already defined in %s", path, preset.id, folder)
                continue
            seen.add(preset.id)
            if preset.id in presets:
                log.info("preset %s from %s overrides the earlier one", preset.id, path)
            presets[preset.id] = preset
    return dict(sorted(presets.items(), key=lambda item: (item[1].order, item[0])))
