# mypy: disable-error-code="no-untyped-call"
# (mutagen ships py.typed but leaves most functions unannotated.)
"""ID3v2.3 tags for finished programmes, written with mutagen: at the head of an MP3, or in the ``id3 ``
chunk of a WAV (where ffmpeg and mutagen look for it), so the same metadata travels with either file.

Why v2.3 and not v2.4: Windows Explorer, many car radios and several broadcast controllers read v2.3
only. v2.3 has no UTF-8, so every text frame is UTF-16 (with BOM): Vietnamese diacritics and
minority-language letters survive, and Explorer shows them.

What ends up in the file (checked by the tests against mutagen and ffmpeg as independent readers):

* the date is given to mutagen as a v2.4 ``TDRC`` and converted by ``update_to_v23()`` into
  ``TYER`` (``"2026"``) and ``TDAT`` (``"2211"``, *day then month*); no ``TDRC`` is left. Readers merge
  them back: mutagen (default ``translate=True``) shows ``TDRC 2026-11-22``, ffmpeg ``date=2026-11-22``.
* several languages in ``TLAN`` are one string joined with ``"/"`` (``"vie/khm"``); v2.3 has no
  multi-value frames.
* measured loudness travels as ``TXXX`` frames (ReplayGain 2.0 spellings plus integrated loudness, true
  peak and loudness range), so playout systems can level programmes without measuring again.

Saving is crash-safe: mutagen edits files in place, so the tag is written to a copy next to the file
and the copy replaces the original only once it is complete (``os.replace``). A power cut leaves
either the old file or the new one, never a half-written programme.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType

from mutagen import MutagenError
from mutagen.id3 import (
    APIC,
    COMM,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TLEN,
    TPE1,
    TXXX,
    Encoding,
    ID3NoHeaderError,
    ID3v1SaveOptions,
    PictureType,
)
from mutagen.mp3 import MP3
from mutagen.wave import WAVE

from studio.bulletin import PRIORITIES
from studio.fileio import replacing
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, StudioError, os_error

AUDIO_MISSING = QT_TRANSLATE_NOOP(CONTEXT, "The audio file {path} does not exist.")
NOT_MP3 = QT_TRANSLATE_NOOP(CONTEXT, "{path} is not an MP3 file the studio can tag.")
NOT_MP3_HINT = QT_TRANSLATE_NOOP(CONTEXT, "Render the programme again to get a fresh MP3 file.")
NOT_WAV = QT_TRANSLATE_NOOP(CONTEXT, "{path} is not a WAV file the studio can tag.")
NOT_WAV_HINT = QT_TRANSLATE_NOOP(CONTEXT, "Render the programme again to get a fresh audio file.")
READ_ONLY = QT_TRANSLATE_NOOP(CONTEXT, "The file {path} is read-only, so its tags cannot be written.")
READ_ONLY_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Clear the read-only box in the file's Properties, or render the programme again."
)

DEFAULT_GENRE = "Bản tin"
COMMENT_LANGUAGE = "vie"

_LANGUAGE_CODE = re.compile(r"[a-z]{3}")
# TXXX descriptions the studio writes itself; ``ProgrammeTags.extra`` may not reuse them.
RESERVED_TXXX = frozenset(
    {
        "PRIORITY",
        "REPLAYGAIN_TRACK_GAIN",
        "REPLAYGAIN_TRACK_PEAK",
        "LOUDNESS_INTEGRATED",
        "TRUE_PEAK",
        "LOUDNESS_RANGE",
        "SCHEDULE",
        "APPROVAL",
        "PROGRAMME_ID",
    }
)
MAX_PICTURE_BYTES = 1 << 20
"""A station logo larger than this is not embedded (it would travel with every programme)."""


def picture_mime(data: bytes) -> str | None:
    """``image/png`` or ``image/jpeg`` by the file's signature; None for anything else (not embedded)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


@dataclass(frozen=True)
class ProgrammeTags:
    """Everything the studio puts into a programme's ID3 tag.

    ``artist`` is the station's name and ``album`` the programme series, so a controller or a media
    player groups bulletins per station and series. ``languages`` are three-letter ISO 639-2 (B or T)
    codes such as ``"vie"`` or ``"khm"``; ISO 639-3 codes (``"mtq"`` for Mường) have the same shape and
    are accepted, because ISO 639-2 has no code for most of Vietnam's minority languages.
    ``length_ms`` of ``None`` means "measure the file" (for an MP3 less exact: see :func:`audio_length_ms`).
    The loudness figures are those measured on the master (``studio.audio.loudness.LoudnessReport``);
    each one that is given becomes a ``TXXX`` frame. ``extra`` adds free ``TXXX`` frames.
    """

    title: str
    artist: str
    album: str
    date: date
    languages: tuple[str, ...] = ("vie",)
    genre: str = DEFAULT_GENRE
    comment: str = ""
    length_ms: int | None = None
    priority: str = "normal"
    integrated_lufs: float | None = None
    true_peak_dbtp: float | None = None
    loudness_range_lu: float | None = None
    replaygain_db: float | None = None
    extra: Mapping[str, str] = field(default_factory=dict, hash=False)
    schedule: str = ""
    approval: str = ""
    programme_id: str = ""
    picture: bytes | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.languages:
            raise ValueError("a programme needs at least one language")
        for code in self.languages:
            if not _LANGUAGE_CODE.fullmatch(code):
                raise ValueError(f"language {code!r} is not a three-letter lowercase ISO 639 code")
        if self.priority not in PRIORITIES:
            raise ValueError(f"unknown priority {self.priority!r}")
        if self.length_ms is not None and self.length_ms < 0:
            raise ValueError("length_ms cannot be negative")
        clashes = RESERVED_TXXX.intersection(key.upper() for key in self.extra)
        if clashes:
            raise ValueError(f"extra TXXX frames reuse reserved names: {sorted(clashes)}")
        object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)))
        if self.picture is not None and (len(self.picture) > MAX_PICTURE_BYTES or picture_mime(self.picture) is None):
            raise ValueError("the picture must be a PNG or JPEG of at most 1 MiB")


def build_id3(tags: ProgrammeTags, length_ms: int) -> ID3:
    """The ID3 frames for ``tags``, already converted to v2.3 (no file is touched)."""
    utf16 = Encoding.UTF16
    id3 = ID3()
    id3.add(TIT2(encoding=utf16, text=tags.title))
    id3.add(TPE1(encoding=utf16, text=tags.artist))
    id3.add(TALB(encoding=utf16, text=tags.album))
    id3.add(TDRC(encoding=utf16, text=tags.date.isoformat()))
    id3.add(TLAN(encoding=utf16, text=list(tags.languages)))
    id3.add(TCON(encoding=utf16, text=tags.genre))
    if tags.comment:
        id3.add(COMM(encoding=utf16, lang=COMMENT_LANGUAGE, desc="", text=tags.comment))
    id3.add(TLEN(encoding=utf16, text=str(length_ms)))
    txxx = {"PRIORITY": tags.priority}
    # the customary ReplayGain spellings ("-1.96 dB", a linear peak): players that level by them parse these
    if tags.replaygain_db is not None:
        txxx["REPLAYGAIN_TRACK_GAIN"] = f"{tags.replaygain_db:.2f} dB"
    if tags.true_peak_dbtp is not None:
        txxx["REPLAYGAIN_TRACK_PEAK"] = f"{10.0 ** (tags.true_peak_dbtp / 20.0):.6f}"
        txxx["TRUE_PEAK"] = f"{tags.true_peak_dbtp:.1f} dBTP"
    if tags.integrated_lufs is not None:
        txxx["LOUDNESS_INTEGRATED"] = f"{tags.integrated_lufs:.1f} LUFS"
    if tags.loudness_range_lu is not None:
        txxx["LOUDNESS_RANGE"] = f"{tags.loudness_range_lu:.1f} LU"
    for desc, value in (("SCHEDULE", tags.schedule), ("APPROVAL", tags.approval),
                        ("PROGRAMME_ID", tags.programme_id)):
        if value:
            txxx[desc] = value
    txxx |= dict(tags.extra)
    for desc, value in txxx.items():
        id3.add(TXXX(encoding=utf16, desc=desc, text=value))
    if tags.picture is not None:
        id3.add(APIC(encoding=utf16, mime=picture_mime(tags.picture), type=PictureType.COVER_FRONT,
                     desc="", data=tags.picture))
    # TDRC -> TYER + TDAT; also drops any other v2.4-only frame.
    id3.update_to_v23()
    return id3


def write_id3(path: Path, tags: ProgrammeTags) -> None:
    """Replace the ID3 tag of the MP3 or WAV at ``path`` with ``tags`` (ID3v2.3, UTF-16), crash-safely.

    Any earlier ID3v2 tag (e.g. the encoder's) and any ID3v1 tag (which cannot hold Vietnamese) are
    removed; the MPEG audio frames, or the WAV's other chunks, are not touched. Raises
    :class:`StudioError` when the file is missing, read-only, neither an MP3 nor a WAV, or the disk
    refuses the write.
    """
    path = Path(path)
    audio = open_audio(path)
    if not os.stat(path).st_mode & stat.S_IWUSR:
        raise StudioError(READ_ONLY, hint=READ_ONLY_HINT, path=path)
    length_ms = tags.length_ms if tags.length_ms is not None else audio_length_ms(audio)
    id3 = build_id3(tags, length_ms)

    try:
        with replacing(path) as tmp, tmp.open("r+b") as copy, path.open("rb") as original:
            shutil.copyfileobj(original, copy)
            copy.seek(0)  # mutagen looks for the old tag where the file object stands
            if isinstance(audio, WAVE):
                wave = WAVE(copy)
                if wave.tags is None:
                    wave.add_tags()
                assert wave.tags is not None
                wave.tags.clear()
                for frame in id3.values():
                    wave.tags.add(frame)
                copy.seek(0)
                wave.tags.save(copy, v2_version=3, v23_sep="/")
            else:
                id3.save(copy, v2_version=3, v23_sep="/", v1=ID3v1SaveOptions.REMOVE)
            copy.flush()
            shutil.copymode(path, tmp)
    except MutagenError as exc:
        if isinstance(exc.__cause__, OSError):
            raise os_error(exc.__cause__, path) from exc
        raise


def read_id3(path: Path) -> dict[str, str]:
    """The raw ID3 frames of ``path`` (an MP3, or a WAV's ``id3 `` chunk) as text, keyed like mutagen
    (``"TIT2"``, ``"TXXX:PRIORITY"``).

    Frames are read *as stored* (no v2.4 translation), so a v2.3 file shows ``TYER``/``TDAT``.
    ``"version"`` holds the tag version (``"2.3.0"``). A file without an ID3 tag gives ``{}``.
    """
    path = Path(path)
    if not path.is_file():
        raise StudioError(AUDIO_MISSING, path=path)
    wave = _is_wave(path)
    try:
        found = WAVE(path, translate=False).tags if wave else ID3(path, translate=False)
    except ID3NoHeaderError:
        return {}
    except MutagenError as exc:
        raise _unreadable(exc, path, wave) from exc
    if found is None:
        return {}
    id3: ID3 = found
    frames = {"version": ".".join(str(part) for part in id3.version)}
    for key, frame in id3.items():
        text = getattr(frame, "text", None)
        frames[key] = "/".join(str(item) for item in text) if text is not None else str(frame)
    return frames


def open_audio(path: Path) -> MP3 | WAVE:
    """Load an MP3's or a WAV's headers with mutagen; a missing file, or one that is neither, is a
    :class:`StudioError`. Which of the two the file must be, its suffix says (``.wav``: WAV)."""
    if not path.is_file():
        raise StudioError(AUDIO_MISSING, path=path)
    wave = _is_wave(path)
    try:
        audio = WAVE(path) if wave else MP3(path)
    except MutagenError as exc:
        raise _unreadable(exc, path, wave) from exc
    if audio.info is None:
        raise StudioError(NOT_WAV if wave else NOT_MP3, hint=NOT_WAV_HINT if wave else NOT_MP3_HINT, path=path)
    return audio


def audio_length_ms(audio: MP3 | WAVE) -> int:
    """Playing time of a loaded MP3 or WAV in whole milliseconds, as mutagen reads it from the headers.

    Exact for a WAV. For an MP3, mutagen subtracts the encoder delay and padding only when it recognises
    a LAME header; it does not recognise the one ffmpeg writes, so ffmpeg's MP3s read a few tens of
    milliseconds long (2037 ms for a 2 s tone at 44.1 kHz). Prefer the exact length of the PCM that was
    encoded when it is known.
    """
    if audio.info is None:
        return 0
    return round(float(audio.info.length) * 1000)


def _is_wave(path: Path) -> bool:
    """The name says what a programme file is: a WAV inside ``x.mp3`` is refused, not tagged."""
    return path.suffix.lower() in (".wav", ".wave")


def _unreadable(exc: MutagenError, path: Path, wave: bool) -> StudioError:
    if isinstance(exc.__cause__, OSError):
        return os_error(exc.__cause__, path)
    if wave:
        return StudioError(NOT_WAV, hint=NOT_WAV_HINT, path=path)
    return StudioError(NOT_MP3, hint=NOT_MP3_HINT, path=path)
