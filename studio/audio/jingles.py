"""The jingle library: the studio's shipped jingles plus the ones a station imports, by category.

Shipped jingles are the WAV files in ``assets/jingles`` (category from the file stem, e.g. ``opening.wav``);
they are read-only. A station's imports are kept under ``station/<category>/<sha256[:16]>-<safe name>.wav``
as 16-bit WAV at the file's own rate and channel count, with ``station/index.json`` listing each one (the
name as the officer typed it, duration, rate, channels, sha256 of the original file, import time). The
audio file is written before the index and both are written atomically, so a failed import leaves the
library as it was.

Before decoding, a short ffmpeg probe reads the declared length, rate and channel count: a six-hour file
is refused without decoding six hours into memory. The full decode then confirms the file is readable and
complete, and its exact length is checked against the same limits.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
import wave
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from studio.audio.codec import CANNOT_READ, CANNOT_READ_HINT, NO_SOUND, NOT_FOUND, decode, encode_wav
from studio.audio.ffmpeg import run_ffmpeg
from studio.audio.pcm import Pcm
from studio.fileio import sha256_of, write_bytes_atomically
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, StudioError

log = logging.getLogger(__name__)

CATEGORIES = ("opening", "closing", "stinger", "bed")

#: (shortest, longest) length in seconds an imported jingle of each category may have.
DURATION_LIMITS: dict[str, tuple[float, float]] = {
    "opening": (1.0, 60.0),
    "closing": (1.0, 60.0),
    "stinger": (0.2, 15.0),
    "bed": (5.0, 15 * 60.0),
}
MIN_RATE, MAX_RATE = 8_000, 192_000
MAX_CHANNELS = 2

TOO_SHORT = QT_TRANSLATE_NOOP(
    CONTEXT, "The jingle {name} lasts {duration} s; a {category} jingle must last at least {limit} s."
)
TOO_LONG = QT_TRANSLATE_NOOP(
    CONTEXT, "The jingle {name} lasts {duration} s; a {category} jingle may last at most {limit} s."
)
BAD_RATE = QT_TRANSLATE_NOOP(
    CONTEXT, "The jingle {name} has a sample rate of {rate} Hz; the studio accepts {low} to {high} Hz."
)
TOO_MANY_CHANNELS = QT_TRANSLATE_NOOP(
    CONTEXT, "The jingle {name} has {channels} channels; the studio accepts mono or stereo only."
)
AUDIO_HINT = QT_TRANSLATE_NOOP(CONTEXT, "Edit or export it again in an audio program, then import it again.")
SHIPPED_READ_ONLY = QT_TRANSLATE_NOOP(CONTEXT, "The jingle {name} comes with the studio and cannot be removed.")
INDEX_DAMAGED = QT_TRANSLATE_NOOP(CONTEXT, "The station's jingle list {path} is damaged.")
INDEX_DAMAGED_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Restore it from a backup, or move it away to start a new list (the jingle files stay)."
)

_INDEX_VERSION = 1
_DURATION = re.compile(r"^\s*Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_PROBE_SECONDS = "0.1"
# A declared length may be an estimate (MP3 without an Info frame): only refuse before decoding when it is
# clearly over the limit; the exact decoded length is checked afterwards in any case.
_PROBE_MARGIN = 1.05


@dataclass(frozen=True)
class Jingle:
    """One jingle as the library lists it. ``imported_at`` is ``None`` for the studio's shipped jingles."""

    id: str
    name: str
    category: str
    duration: float
    rate: int
    channels: int
    sha256: str
    path: Path
    shipped: bool
    imported_at: datetime | None = None


@dataclass(frozen=True)
class _Probe:
    rate: int
    channels: int
    declared: float | None  # seconds, from the container header; None when ffmpeg did not say



def safe_name(name: str, limit: int = 40) -> str:
    """An ASCII file-name fragment for ``name`` (Vietnamese letters lose their marks, đ becomes d)."""
    text = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text[:limit].strip("-") or "jingle"


def _wav_fmt(data: bytes) -> tuple[int, int] | None:
    """(rate, channels) from the ``fmt `` chunk of a WAV stream, or ``None`` if there is none."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    pos = 12
    while len(data) >= pos + 8:
        chunk_id, size = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        if chunk_id == b"fmt " and size >= 16 and len(data) >= pos + 24:
            channels = int.from_bytes(data[pos + 10 : pos + 12], "little")
            rate = int.from_bytes(data[pos + 12 : pos + 16], "little")
            return rate, channels
        if chunk_id == b"data":
            return None
        pos += 8 + size + (size & 1)
    return None


def probe(path: Path) -> _Probe:
    """Rate, channels and declared length of ``path`` from a 0.1 s decode: cheap whatever the file's length."""
    declared: list[float] = []

    def on_line(line: str) -> None:
        if not declared and (match := _DURATION.match(line)):
            declared.append(int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3]))

    args = ["-i", "file:" + str(path.absolute()), "-map", "0:a:0", "-t", _PROBE_SECONDS]
    args += ["-c:a", "pcm_s16le", "-f", "wav", "pipe:1"]
    outcome = run_ffmpeg(args, stderr_line=on_line, loglevel="info")
    fmt = _wav_fmt(outcome.stdout) if outcome.ok else None
    if fmt is None or fmt[0] <= 0 or fmt[1] <= 0:
        raise StudioError(CANNOT_READ, hint=CANNOT_READ_HINT, name=path.name, path=path)
    return _Probe(rate=fmt[0], channels=fmt[1], declared=declared[0] if declared else None)


def _wav_header(path: Path) -> _Probe | None:
    """Rate, channels and length from a PCM WAV file's header (Python's ``wave``), or None for any other file.

    The studio's own jingles are PCM WAV files that the main window needs at start (a programme's fingerprint
    names them): reading four headers takes a millisecond where four ffmpeg runs took 0.2 s. ``probe``
    still checks anything else (imported jingles, float WAV)."""
    try:
        with wave.open(str(path), "rb") as reader:
            rate, channels, frames = reader.getframerate(), reader.getnchannels(), reader.getnframes()
    except (wave.Error, EOFError, OSError):
        return None
    if rate <= 0 or channels <= 0:
        return None
    return _Probe(rate=rate, channels=channels, declared=frames / rate)


def check_duration(name: str, category: str, duration: float) -> None:
    """Raise :class:`StudioError` naming the limit if a jingle of ``category`` may not last ``duration`` s."""
    low, high = DURATION_LIMITS[category]
    if duration < low:
        raise StudioError(TOO_SHORT, hint=AUDIO_HINT, name=name, duration=f"{duration:.1f}",
                          category=category, limit=f"{low:g}")  # fmt: skip
    if duration > high:
        raise StudioError(TOO_LONG, hint=AUDIO_HINT, name=name, duration=f"{duration:.1f}",
                          category=category, limit=f"{high:g}")  # fmt: skip


def check_format(name: str, rate: int, channels: int) -> None:
    """Raise :class:`StudioError` naming the limit if the sample rate or channel count is not accepted."""
    if not MIN_RATE <= rate <= MAX_RATE:
        raise StudioError(BAD_RATE, hint=AUDIO_HINT, name=name, rate=rate, low=MIN_RATE, high=MAX_RATE)
    if channels > MAX_CHANNELS:
        raise StudioError(TOO_MANY_CHANNELS, hint=AUDIO_HINT, name=name, channels=channels)


def _check_category(category: str) -> None:
    if category not in CATEGORIES:
        raise ValueError(f"unknown jingle category {category!r}")  # a bug in the caller, not a user problem


class JingleLibrary:
    """Shipped jingles (read-only) plus a station's imported ones, listed by category.

    ``shipped`` is the studio's ``assets/jingles`` folder; ``station`` a folder in the data directory that
    the library owns. Jingle ids are ``shipped-<stem>`` and ``<category>-<sha256[:16]>``: the same file
    imported twice into a category is one jingle.
    """

    def __init__(self, shipped: Path, station: Path, *, decode_fn: Callable[[Path], Pcm] = decode) -> None:
        self.shipped = shipped
        self.station = station
        self._decode = decode_fn
        self._shipped_cache: list[Jingle] | None = None

    @property
    def index_path(self) -> Path:
        return self.station / "index.json"

    # -- reading ---------------------------------------------------------------------------------------

    def _shipped_jingles(self) -> list[Jingle]:
        if self._shipped_cache is None:
            found: list[Jingle] = []
            for path in sorted(self.shipped.glob("*.wav")):
                category = re.split(r"[-_ ]", path.stem, maxsplit=1)[0].lower()
                if category not in CATEGORIES:
                    continue
                info = _wav_header(path) or probe(path)
                found.append(Jingle(
                    id=f"shipped-{path.stem}", name=path.stem, category=category,
                    duration=info.declared or 0.0, rate=info.rate, channels=info.channels,
                    sha256=sha256_of(path), path=path, shipped=True,
                ))  # fmt: skip
            self._shipped_cache = found
        return list(self._shipped_cache)

    def _read_index(self) -> list[dict[str, Any]]:
        try:
            raw = self.index_path.read_bytes()
        except FileNotFoundError:
            return []
        try:
            document = json.loads(raw)
            entries = document["jingles"]
            if not isinstance(entries, list):
                raise TypeError("jingles is not a list")
            for entry in entries:
                self._to_jingle(entry)
        except (ValueError, KeyError, TypeError) as exc:
            log.error("jingle index %s is damaged: %s", self.index_path, exc)
            raise StudioError(INDEX_DAMAGED, hint=INDEX_DAMAGED_HINT, path=self.index_path) from exc
        return entries

    def _write_index(self, entries: list[dict[str, Any]]) -> None:
        document = {"version": _INDEX_VERSION, "jingles": entries}
        data = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
        self.station.mkdir(parents=True, exist_ok=True)
        write_bytes_atomically(self.index_path, data)

    def _to_jingle(self, entry: dict[str, Any]) -> Jingle:
        return Jingle(
            id=str(entry["id"]), name=str(entry["name"]), category=str(entry["category"]),
            duration=float(entry["duration"]), rate=int(entry["rate"]), channels=int(entry["channels"]),
            sha256=str(entry["sha256"]), path=self.station / str(entry["file"]), shipped=False,
            imported_at=datetime.fromisoformat(str(entry["imported_at"])),
        )  # fmt: skip

    def list(self, category: str | None = None) -> list[Jingle]:
        """Shipped jingles first, then the station's in import order; only ``category`` if given."""
        if category is not None:
            _check_category(category)
        everything = self._shipped_jingles() + [self._to_jingle(e) for e in self._read_index()]
        return [j for j in everything if category is None or j.category == category]

    def get(self, jingle_id: str) -> Jingle:
        """The jingle with this id; ``KeyError`` if there is none (ids come from :meth:`list`)."""
        for jingle in self.list():
            if jingle.id == jingle_id:
                return jingle
        raise KeyError(jingle_id)

    def path_of(self, jingle_id: str) -> Path:
        return self.get(jingle_id).path

    # -- changing --------------------------------------------------------------------------------------

    def import_file(self, path: Path, category: str, name: str) -> Jingle:
        """Check ``path`` and add it to ``category``; the existing jingle if this file is already there.

        Raises :class:`StudioError` (library unchanged) for a missing, unreadable, damaged or cut-off file,
        or one whose length, sample rate or channel count is outside the limits for ``category``.
        """
        _check_category(category)
        path = Path(path)
        if not path.is_file():
            raise StudioError(NOT_FOUND, path=path)
        name = name.strip() or path.stem
        sha = sha256_of(path)
        jingle_id = f"{category}-{sha[:16]}"
        entries = self._read_index()
        for entry in entries:
            if entry["id"] == jingle_id and (self.station / str(entry["file"])).is_file():
                return self._to_jingle(entry)
        entries = [e for e in entries if e["id"] != jingle_id]  # a listed file that went missing: re-import

        info = probe(path)
        check_format(name, info.rate, info.channels)
        low, high = DURATION_LIMITS[category]
        if info.declared is not None and not low / _PROBE_MARGIN <= info.declared <= high * _PROBE_MARGIN:
            check_duration(name, category, info.declared)  # clearly outside: refuse without decoding it all
        try:
            pcm = self._decode(path)
        except StudioError as exc:
            if exc.text == NO_SOUND:
                check_duration(name, category, 0.0)
            raise
        check_format(name, pcm.rate, pcm.channels)
        check_duration(name, category, pcm.duration)

        relative = f"{category}/{sha[:16]}-{safe_name(name)}.wav"
        target = self.station / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        encode_wav(pcm, target)
        entry = {
            "id": jingle_id, "name": name, "category": category, "duration": round(pcm.duration, 6),
            "rate": pcm.rate, "channels": pcm.channels, "sha256": sha, "file": relative,
            "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }  # fmt: skip
        try:
            self._write_index([*entries, entry])
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        log.info("imported jingle %s (%s) from %s", jingle_id, name, path)
        return self._to_jingle(entry)

    def remove(self, jingle_id: str) -> None:
        """Forget an imported jingle and delete its file; shipped jingles raise :class:`StudioError`."""
        jingle = self.get(jingle_id)
        if jingle.shipped:
            raise StudioError(SHIPPED_READ_ONLY, name=jingle.name)
        self._write_index([e for e in self._read_index() if e["id"] != jingle_id])
        jingle.path.unlink(missing_ok=True)
