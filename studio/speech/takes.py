"""Recorded takes: import a recording made elsewhere (a phone, a handheld recorder) and describe a take.

Most minority-language items are read aloud by an announcer; often the recording is made on a phone and
copied over. :func:`import_take` turns whatever the officer picked into the take format every later stage
assumes — 48 kHz, mono, float32 — or refuses it with a message that says what is wrong with *this* file:
empty, silent, cut off while copying (and how much of it plays), too short, too long, too big, damaged, or
not a recording at all (a script document picked by mistake). :func:`take_stats` gives the figures the
booth shows and the take store keeps (peak, RMS, clipping, noise floor, how much is speech).

The checks mirror the jingle importer (:mod:`studio.audio.jingles`) and reuse its cheap probe: a file
declared clearly longer than allowed is refused before it is decoded into memory. Decoding goes through
:func:`studio.audio.codec.decode`, which already refuses damaged files and MP3/FLAC copies that end before
their declared length. Two cut-off cases it cannot see are checked here from the container itself: a WAV
whose data chunk promises more bytes than the file holds (ffmpeg just plays what is there), and an M4A
whose index (the ``moov`` box, written last by phones) never arrived, so none of it can be played.

Clean-up (high-pass, noise reduction, trimming, levelling) is in :mod:`studio.speech.cleanup`.
"""

from __future__ import annotations

import logging
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from studio.audio.codec import (
    CANNOT_READ,
    INCOMPLETE,
    INCOMPLETE_HINT,
    NO_SOUND,
    NOT_FOUND,
    decode,
)
from studio.audio.jingles import probe
from studio.audio.loudness import SILENCE_DBTP
from studio.audio.pcm import Pcm
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, StudioError
from studio.tasks import CancelToken

log = logging.getLogger(__name__)

TAKE_RATE = 48_000  # the take format: what the booth records and every clean-up stage expects
TAKE_CHANNELS = 1  # one announcer, one microphone: stereo only doubles the size
MIN_TAKE_SECONDS = 0.5
MAX_TAKE_SECONDS = 30 * 60.0
MAX_TAKE_BYTES = 500 * 1024 * 1024  # "500 MB" as Windows Explorer counts it
SILENT_PEAK_DBFS = -60.0  # a take whose loudest sample is below this holds no usable sound
#: What the import dialog lists; anything else ffmpeg decodes is accepted too.
TAKE_FILE_PATTERNS = ("*.mp3", "*.wav", "*.m4a", "*.ogg", "*.flac")

TAKE_EMPTY = QT_TRANSLATE_NOOP(CONTEXT, "The recording {name} is empty: it holds no sound at all.")
TAKE_EMPTY_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "The recorder may have stopped before saving. Copy the file again, or record the take again."
)
TAKE_SILENT = QT_TRANSLATE_NOOP(CONTEXT, "The recording {name} is silent: the microphone picked up nothing.")
TAKE_SILENT_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Check that the microphone is plugged in, switched on and not muted, then record the take again."
)
TAKE_TOO_SHORT = QT_TRANSLATE_NOOP(
    CONTEXT, "The recording {name} lasts {duration} s; a take must last at least {limit} s."
)
TAKE_TOO_SHORT_HINT = QT_TRANSLATE_NOOP(CONTEXT, "Record the whole sentence again.")
TAKE_TOO_LONG = QT_TRANSLATE_NOOP(
    CONTEXT, "The recording {name} lasts {minutes} minutes; a take may last at most {limit} minutes."
)
TAKE_TOO_LONG_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Cut it into shorter parts in an audio program, one part per segment, and import each part."
)
TAKE_TOO_BIG = QT_TRANSLATE_NOOP(CONTEXT, "The file {name} is {size} MB; a recording may be at most {limit} MB.")
TAKE_TOO_BIG_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Export it again as MP3 or M4A, which are much smaller, or cut it into shorter parts."
)
TAKE_CUT_OFF = QT_TRANSLATE_NOOP(
    CONTEXT, "The recording {name} is incomplete: the end of the file is missing, and none of it can be played."
)
TAKE_NOT_AUDIO = QT_TRANSLATE_NOOP(
    CONTEXT, "The file {name} is not a sound recording: it looks like a document or a picture."
)
TAKE_NOT_AUDIO_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Choose the recording itself: an MP3, WAV, M4A, OGG or FLAC file from the recorder or phone."
)

# A declared length may be an estimate (MP3 without an Info frame): refuse before decoding only when it is
# clearly over the limit; the decoded length is checked exactly afterwards in any case.
_DECLARED_MARGIN = 1.02
# A WAV may end this much before its header says before we call it cut off (codec.decode's tolerance).
_TRUNCATION_TOLERANCE_S = 0.5
_TRUNCATION_TOLERANCE_FRACTION = 0.02
_SNIFF_BYTES = 4096
# Files an officer picks by mistake; only consulted once ffmpeg has refused the file.
_DOCUMENT_MAGIC = (
    b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"{\\rtf",  # PDF, Word/Excel (zip), old Office, RTF
    b"\x89PNG", b"\xff\xd8\xff", b"GIF8",  # pictures
)  # fmt: skip

WINDOW_S = 0.05  # analysis window of the level statistics: long enough to hold a pitch period, short enough for gaps
NOISE_PERCENTILE = 10.0
CLIP_LEVEL = 0.999  # −0.009 dBFS
CLIP_RUN = 3  # samples held at full scale in a row: a recorder out of headroom, not a peak that touches 0 dBFS
SPEECH_ABOVE_FLOOR_DB = 10.0
SPEECH_WITHIN_LOUDEST_DB = 20.0
SPEECH_MIN_DBFS = -60.0
_CHUNK_FRAMES = 1 << 20

Levels = npt.NDArray[np.float64]


@dataclass(frozen=True)
class TakeStats:
    """What the booth shows under a take and the take store keeps with it.

    Levels are dBFS with a full-scale *square* at 0 dB (a full-scale sine has an RMS of −3 dBFS), floored at
    :data:`~studio.audio.loudness.SILENCE_DBTP` for digital silence.
    """

    duration_s: float
    peak_dbfs: float
    rms_dbfs: float
    clipped: bool  # the recorder ran out of headroom somewhere: suggest recording again, further from the mic
    noise_floor_dbfs: float  # level of the quietest tenth of the take: the room, the hiss, the hum
    speech_seconds: float  # how much of the take is louder than its noise floor


@dataclass(frozen=True)
class ImportedTake:
    """An imported recording in the take format, with the facts about the original file."""

    pcm: Pcm  # TAKE_RATE Hz, mono, float32
    stats: TakeStats
    source_rate: int
    source_channels: int
    source_bytes: int


def _db(mean_square: float) -> float:
    return max(SILENCE_DBTP, 10.0 * math.log10(mean_square)) if mean_square > 0 else SILENCE_DBTP


def _window_energies(pcm: Pcm) -> tuple[Levels, int]:
    """Mean square over all channels of each whole :data:`WINDOW_S` window, and the window length in frames.

    Audio shorter than one window is measured as one window of its own length.
    """
    size = max(1, round(WINDOW_S * pcm.rate))
    count = pcm.frames // size
    if pcm.frames == 0:
        return np.zeros(0, dtype=np.float64), size
    if count == 0:
        size, count = pcm.frames, 1
    rows = pcm.samples[: count * size].reshape(count, size * pcm.channels)
    energies = np.einsum("ij,ij->i", rows, rows, dtype=np.float64) / (size * pcm.channels)
    return energies, size


def window_levels_db(pcm: Pcm) -> Levels:
    """Level in dBFS of each whole :data:`WINDOW_S` window (the tail shorter than a window is left out).

    The shared raw material of the statistics, of trimming and of the noise reduction's noise estimate.
    """
    energies, _ = _window_energies(pcm)
    with np.errstate(divide="ignore"):
        levels = 10.0 * np.log10(energies)
    return np.maximum(levels, SILENCE_DBTP)


def noise_floor_db(levels: Levels) -> float:
    """The level of the quietest tenth of the windows: the room between words and before the first one.

    A take read without any pause has no real noise-only part, so this is then the level of its quietest
    sounds; the consumers allow for that (speech within 20 dB of the loudest always counts as speech).
    """
    return float(np.percentile(levels, NOISE_PERCENTILE)) if levels.size else SILENCE_DBTP


def _is_clipped(pcm: Pcm) -> bool:
    """True if :data:`CLIP_RUN` consecutive frames reach :data:`CLIP_LEVEL` on some channel (chunked: flat memory)."""
    overlap = CLIP_RUN - 1
    for start in range(0, pcm.frames, _CHUNK_FRAMES):
        chunk = pcm.samples[max(0, start - overlap) : start + _CHUNK_FRAMES]
        hot = np.flatnonzero(((chunk >= CLIP_LEVEL) | (chunk <= -CLIP_LEVEL)).any(axis=1))
        if hot.size >= CLIP_RUN and bool(np.any(hot[overlap:] - hot[:-overlap] == overlap)):
            return True
    return False


def take_stats(pcm: Pcm) -> TakeStats:
    """Peak, RMS, clipping, noise floor and speech time of ``pcm`` (any rate and channel count)."""
    energies, size = _window_energies(pcm)
    tail = pcm.samples[energies.size * size :]
    total = float(energies.sum()) * size * pcm.channels + float(np.einsum("ij,ij->", tail, tail, dtype=np.float64))
    rms_dbfs = _db(total / (pcm.frames * pcm.channels)) if pcm.frames else SILENCE_DBTP
    peak = max(float(pcm.samples.max()), -float(pcm.samples.min())) if pcm.frames else 0.0
    peak_dbfs = max(SILENCE_DBTP, 20.0 * math.log10(peak)) if peak > 0 else SILENCE_DBTP
    levels = window_levels_db(pcm)
    floor = noise_floor_db(levels)
    speech = 0.0
    if levels.size:
        loudest = float(levels.max())
        threshold = max(SPEECH_MIN_DBFS, min(floor + SPEECH_ABOVE_FLOOR_DB, loudest - SPEECH_WITHIN_LOUDEST_DB))
        speech = int(np.count_nonzero(levels >= threshold)) * size / pcm.rate
    return TakeStats(
        duration_s=pcm.duration, peak_dbfs=peak_dbfs, rms_dbfs=rms_dbfs, clipped=_is_clipped(pcm),
        noise_floor_dbfs=floor, speech_seconds=speech,
    )  # fmt: skip


# -- reading the container before ffmpeg does -----------------------------------------------------------


def _wav_shortfall(path: Path, size: int) -> tuple[float, float] | None:
    """(declared, present) seconds of a RIFF WAV whose data chunk runs past the end of the file, else None.

    A data size of 0 or 0xFFFFFFFF is what a recorder that never finished the header writes: all the audio
    there is, is there, so that is not a cut-off copy.
    """
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    pos, frame_bytes, rate = 12, 0, 0
    while len(head) >= pos + 8:
        chunk_id, chunk_size = head[pos : pos + 4], int.from_bytes(head[pos + 4 : pos + 8], "little")
        if chunk_id == b"fmt " and len(head) >= pos + 24:
            rate = int.from_bytes(head[pos + 12 : pos + 16], "little")
            frame_bytes = int.from_bytes(head[pos + 20 : pos + 22], "little")
        elif chunk_id == b"data":
            if chunk_size in (0, 0xFFFFFFFF) or frame_bytes <= 0 or rate <= 0:
                return None
            present = max(0, size - (pos + 8))
            if chunk_size <= present:
                return None
            return chunk_size / frame_bytes / rate, present / frame_bytes / rate
        pos += 8 + chunk_size + (chunk_size & 1)
    return None


def _mp4_cut_off(path: Path, size: int) -> bool:
    """True if ``path`` is an MP4/M4A whose last top-level box runs past the end of the file."""
    with path.open("rb") as handle:
        head = handle.read(12)
        if len(head) < 12 or head[4:8] != b"ftyp":
            return False
        pos = 0
        while pos + 8 <= size:
            handle.seek(pos)
            header = handle.read(16)
            box = int.from_bytes(header[:4], "big")
            if box == 1 and len(header) == 16:
                box = int.from_bytes(header[8:16], "big")
            elif box == 0:
                return False  # "extends to the end of the file": nothing to compare
            if box < 8:
                return False  # not a box structure we understand: leave the verdict to ffmpeg
            pos += box
        return pos > size


def _looks_like_document(path: Path) -> bool:
    """True for text (a script saved as .mp3), PDF, Office files and pictures: the usual wrong picks."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    if head.startswith(_DOCUMENT_MAGIC):
        return True
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text (Notepad's "Unicode")
        return True
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # only a character cut at the end of the sniffed bytes
    return True


# -- import ----------------------------------------------------------------------------------------------


def _too_long(name: str, seconds: float) -> StudioError:
    return StudioError(TAKE_TOO_LONG, hint=TAKE_TOO_LONG_HINT, name=name, minutes=f"{seconds / 60:.1f}",
                       limit=f"{MAX_TAKE_SECONDS / 60:g}")  # fmt: skip


def import_take(source: str | os.PathLike[str], *, cancel: CancelToken | None = None) -> ImportedTake:
    """Read a recording made elsewhere as a take: 48 kHz mono float32, with its statistics.

    Anything ffmpeg decodes is accepted (MP3, WAV, M4A/AAC from a phone, OGG, FLAC…); stereo is folded to
    mono by averaging (:func:`~studio.audio.mix.to_channels`), other rates are resampled by ffmpeg. The file
    itself is not changed: the caller keeps it as the raw take. Raises :class:`StudioError` naming the file
    when it is missing, empty, larger than :data:`MAX_TAKE_BYTES`, damaged, cut off (saying how much of it
    plays), not a recording, shorter than :data:`MIN_TAKE_SECONDS`, longer than :data:`MAX_TAKE_SECONDS`
    or silent; :class:`~studio.messages.Cancelled` when ``cancel`` fires during decoding.
    """
    path = Path(source)
    if not path.is_file():
        raise StudioError(NOT_FOUND, path=path)
    name = path.name
    size = path.stat().st_size
    if size == 0:
        raise StudioError(TAKE_EMPTY, hint=TAKE_EMPTY_HINT, name=name)
    if size > MAX_TAKE_BYTES:
        raise StudioError(TAKE_TOO_BIG, hint=TAKE_TOO_BIG_HINT, name=name, size=f"{size / 2**20:.0f}",
                          limit=f"{MAX_TAKE_BYTES / 2**20:.0f}")  # fmt: skip
    shortfall = _wav_shortfall(path, size)
    if shortfall is not None:
        expected, present = shortfall
        if present < expected - max(_TRUNCATION_TOLERANCE_S, _TRUNCATION_TOLERANCE_FRACTION * expected):
            log.warning("%s: WAV holds %.2f s of a declared %.2f s", path, present, expected)
            raise StudioError(INCOMPLETE, hint=INCOMPLETE_HINT, name=name, expected=f"{expected:.1f}",
                              actual=f"{present:.1f}")  # fmt: skip

    try:
        info = probe(path)
    except StudioError as exc:
        if exc.text != CANNOT_READ:
            raise
        if _mp4_cut_off(path, size):
            raise StudioError(TAKE_CUT_OFF, hint=INCOMPLETE_HINT, name=name) from exc
        if _looks_like_document(path):
            raise StudioError(TAKE_NOT_AUDIO, hint=TAKE_NOT_AUDIO_HINT, name=name) from exc
        raise
    if info.declared is not None and info.declared > MAX_TAKE_SECONDS * _DECLARED_MARGIN:
        raise _too_long(name, info.declared)  # clearly too long: refuse without decoding it all

    try:
        pcm = decode(path, rate=TAKE_RATE, channels=TAKE_CHANNELS, cancel=cancel)
    except StudioError as exc:
        if exc.text == NO_SOUND:
            raise StudioError(TAKE_EMPTY, hint=TAKE_EMPTY_HINT, name=name) from exc
        raise
    if pcm.duration < MIN_TAKE_SECONDS:
        raise StudioError(TAKE_TOO_SHORT, hint=TAKE_TOO_SHORT_HINT, name=name, duration=f"{pcm.duration:.2f}",
                          limit=f"{MIN_TAKE_SECONDS:g}")  # fmt: skip
    if pcm.duration > MAX_TAKE_SECONDS:
        raise _too_long(name, pcm.duration)
    stats = take_stats(pcm)
    if stats.peak_dbfs < SILENT_PEAK_DBFS:
        raise StudioError(TAKE_SILENT, hint=TAKE_SILENT_HINT, name=name)
    log.info("imported take %s: %.2f s, %d Hz × %d → %d Hz mono, peak %.1f dBFS%s", name, pcm.duration,
             info.rate, info.channels, TAKE_RATE, stats.peak_dbfs, ", clipped" if stats.clipped else "")  # fmt: skip
    return ImportedTake(pcm=pcm, stats=stats, source_rate=info.rate, source_channels=info.channels,
                        source_bytes=size)  # fmt: skip
