"""Audio files in and out: decode anything ffmpeg reads to :class:`Pcm`, encode MP3 (delivery) and WAV.

Decoding asks ffmpeg for a float WAV on a pipe rather than raw samples, so the file's own rate and channel
count come from the WAV header ffmpeg writes, with no ffprobe and no guessing from log text; a requested
``rate``/``channels`` simply becomes ``-ar``/``-ac`` and the header still tells the truth.

Encoding streams the samples to ffmpeg's stdin in chunks and writes a temporary file next to the target,
renamed over it only when complete: a cancelled or failed render never leaves a half MP3 under the final
name (delivery and the content-addressed store rely on that).

MP3 carries no tags at all from ffmpeg (``-id3v2_version 0 -write_id3v1 0``, ``-fflags +bitexact``):
:mod:`studio.tags` adds ID3v2.3 with mutagen afterwards, the bytes before tagging are reproducible for the
same samples, and there is no Lavf ID3v2.4 header to convert. The LAME "Info" frame (``-write_xing 1``) is
kept: it carries encoder delay and padding, so decoders, ours included, return the exact length.
"""

from __future__ import annotations

import errno
import logging
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from studio.audio.ffmpeg import run_ffmpeg
from studio.audio.mix import to_channels
from studio.audio.pcm import Pcm
from studio.fileio import replacing
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, StudioError, os_error
from studio.tasks import CancelToken

log = logging.getLogger(__name__)

CANNOT_READ = QT_TRANSLATE_NOOP(
    CONTEXT, "The audio file {name} cannot be read. It may be damaged or not an audio file."
)
CANNOT_READ_HINT = QT_TRANSLATE_NOOP(CONTEXT, "Try playing it in a media player, or record or export it again.")
NOT_FOUND = QT_TRANSLATE_NOOP(CONTEXT, "The audio file {path} does not exist.")
INCOMPLETE = QT_TRANSLATE_NOOP(
    CONTEXT, "The audio file {name} is incomplete: it should last {expected} s, but only {actual} s play."
)
INCOMPLETE_HINT = QT_TRANSLATE_NOOP(CONTEXT, "It was probably cut off while copying. Copy it again.")
NO_SOUND = QT_TRANSLATE_NOOP(CONTEXT, "The audio file {name} contains no sound.")
ENCODE_FAILED = QT_TRANSLATE_NOOP(CONTEXT, "The studio could not write the audio file {name}.")
ENCODE_FAILED_HINT = QT_TRANSLATE_NOOP(CONTEXT, "The details are in the studio's log file.")

CHUNK_FRAMES = 1 << 16
_DURATION = re.compile(r"^\s*Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_ESTIMATED = "Estimating duration from bitrate"
# A file may end up to this much before the length its header declares before we call it cut off.
_TRUNCATION_TOLERANCE_S = 0.5
_TRUNCATION_TOLERANCE_FRACTION = 0.02
# ffmpeg prints strerror() text when the output cannot be written; map it back to an errno for os_error().
_OS_FAILURES = (
    ("No space left on device", errno.ENOSPC),
    ("Disk quota exceeded", errno.EDQUOT),
    ("Permission denied", errno.EACCES),
    ("Read-only file system", errno.EROFS),
)


_WAVE_FORMAT_IEEE_FLOAT = 0x0003
_WAVE_FORMAT_EXTENSIBLE = 0xFFFE  # ffmpeg's choice for more than two channels


class _WavPipeReader:
    """Collects a WAV stream from ffmpeg's stdout: header fields, then samples appended in place.

    The samples go straight into one ``bytearray`` (no header in front), so the final array is an aligned,
    writable view without a second copy of the audio. Size fields are ignored: on a pipe ffmpeg cannot
    go back to fill them in.
    """

    def __init__(self) -> None:
        self.head = bytearray()
        self.data = bytearray()
        self.in_data = False
        self.broken = False
        self.rate = 0
        self.channels = 0
        self.format_tag = 0
        self.bits = 0

    def feed(self, chunk: bytes) -> None:
        if self.in_data:
            self.data += chunk
            return
        if self.broken:
            return
        self.head += chunk
        head = self.head
        if len(head) < 12:
            return
        if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            self.broken, self.head = True, bytearray()
            return
        pos = 12
        while len(head) >= pos + 8:
            chunk_id = bytes(head[pos : pos + 4])
            size = int.from_bytes(head[pos + 4 : pos + 8], "little")
            if chunk_id == b"data":
                self.data += head[pos + 8 :]
                self.in_data = True
                self.head = bytearray()
                return
            if len(head) < pos + 8 + size:
                return  # wait for the rest of this chunk
            if chunk_id == b"fmt " and size >= 16:
                body = head[pos + 8 : pos + 24]
                self.format_tag = int.from_bytes(body[0:2], "little")
                self.channels = int.from_bytes(body[2:4], "little")
                self.rate = int.from_bytes(body[4:8], "little")
                self.bits = int.from_bytes(body[14:16], "little")
            pos += 8 + size + (size & 1)

    def pcm(self) -> Pcm | None:
        """The decoded audio, or ``None`` if ffmpeg produced no usable float WAV."""
        is_float = self.format_tag in (_WAVE_FORMAT_IEEE_FLOAT, _WAVE_FORMAT_EXTENSIBLE)
        if not self.in_data or not is_float or self.bits != 32 or self.channels <= 0 or self.rate <= 0:
            return None
        frame_bytes = 4 * self.channels
        del self.data[len(self.data) // frame_bytes * frame_bytes :]
        samples = np.frombuffer(self.data, dtype="<f4").reshape(-1, self.channels)
        return Pcm(samples.astype(np.float32, copy=False), self.rate)


def ffmpeg_path(path: Path) -> str:
    """``file:`` keeps ffmpeg from taking a name like ``-x.mp3`` for an option or ``a:b.mp3`` for a protocol."""
    return "file:" + os.fspath(path.absolute())


def decode(
    path: str | os.PathLike[str],
    *,
    rate: int | None = None,
    channels: int | None = None,
    cancel: CancelToken | None = None,
) -> Pcm:
    """Decode the first audio stream of any file ffmpeg reads (MP3, WAV, M4A, OGG, video…) to float32.

    ``rate`` and ``channels`` default to the file's own. ffmpeg resamples while decoding; channels are
    remixed by :func:`~studio.audio.mix.to_channels` (ffmpeg would put mono at −3 dB in each of two).
    A missing, empty, damaged or non-audio file, or one that ends well before the length its header
    declares (a copy cut short), raises :class:`StudioError` naming the file.
    """
    path = Path(path)
    if not path.is_file():
        raise StudioError(NOT_FOUND, path=path)
    args = ["-i", ffmpeg_path(path), "-map", "0:a:0", "-map_metadata", "-1", "-c:a", "pcm_f32le"]
    if rate is not None:
        args += ["-ar", str(rate)]
    args += ["-fflags", "+bitexact", "-f", "wav", "pipe:1"]

    declared: list[float] = []
    estimated: list[bool] = []

    def on_line(line: str) -> None:
        if match := _DURATION.match(line):
            if not declared:
                declared.append(int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3]))
        elif _ESTIMATED in line:
            estimated.append(True)

    reader = _WavPipeReader()
    outcome = run_ffmpeg(args, stdout_sink=reader.feed, stderr_line=on_line, cancel=cancel, loglevel="info")
    pcm = reader.pcm()
    if not outcome.ok or pcm is None or not _finite(pcm):
        log.info("cannot decode %s (ffmpeg exit %d)", path, outcome.returncode)
        raise StudioError(CANNOT_READ, hint=CANNOT_READ_HINT, name=path.name, path=path)
    if pcm.frames == 0:
        raise StudioError(NO_SOUND, name=path.name, path=path)
    if declared and not estimated:
        expected = declared[0]
        if pcm.duration < expected - max(_TRUNCATION_TOLERANCE_S, _TRUNCATION_TOLERANCE_FRACTION * expected):
            log.warning("%s: decoded %.2f s of a declared %.2f s", path, pcm.duration, expected)
            raise StudioError(
                INCOMPLETE,
                hint=INCOMPLETE_HINT,
                name=path.name,
                expected=f"{expected:.1f}",
                actual=f"{pcm.duration:.1f}",
            )
    return pcm if channels is None else to_channels(pcm, channels)


def decode_bytes(
    data: bytes,
    *,
    input_format: str | None = None,
    rate: int | None = None,
    channels: int | None = None,
    cancel: CancelToken | None = None,
    name: str = "speech",
) -> Pcm:
    """Decode audio held in memory (the online voice's MP3 stream) without a temporary file.

    Same contract as :func:`decode`, except that a stream has no declared length to check against:
    callers that know how long the audio should be (edge-tts boundary metadata) check that themselves. A
    pipe cannot seek, so a LAME Info frame's end padding is not trimmed (up to one MP3 frame longer).
    ``input_format`` (``"mp3"``) spares ffmpeg the probing; ``name`` only appears in error messages.
    """
    args = ["-f", input_format] if input_format else []
    args += ["-i", "pipe:0", "-map", "0:a:0", "-map_metadata", "-1", "-c:a", "pcm_f32le"]
    if rate is not None:
        args += ["-ar", str(rate)]
    args += ["-fflags", "+bitexact", "-f", "wav", "pipe:1"]
    reader = _WavPipeReader()
    outcome = run_ffmpeg(args, stdin=data, stdout_sink=reader.feed, cancel=cancel)
    pcm = reader.pcm()
    if not outcome.ok or pcm is None:
        log.info("cannot decode %d bytes of %s (ffmpeg exit %d)", len(data), name, outcome.returncode)
        raise StudioError(CANNOT_READ, hint=CANNOT_READ_HINT, name=name)
    if pcm.frames == 0:
        raise StudioError(NO_SOUND, name=name)
    return pcm if channels is None else to_channels(pcm, channels)


def _finite(pcm: Pcm) -> bool:
    """False when samples are NaN or infinite: a float WAV whose bytes were damaged decodes to them, and no
    later stage (levels, mixing, encoding) can use them. Checked in chunks: memory stays flat."""
    return all(np.isfinite(pcm.samples[start : start + CHUNK_FRAMES]).all()
               for start in range(0, pcm.frames, CHUNK_FRAMES))


def _f32le_chunks(pcm: Pcm, cancel: CancelToken | None) -> Iterator[bytes]:
    """Little-endian float32 in chunks of CHUNK_FRAMES frames: memory stays flat however long the audio."""
    for start in range(0, pcm.frames, CHUNK_FRAMES):
        if cancel is not None:
            cancel.raise_if_cancelled()
        chunk = pcm.samples[start : start + CHUNK_FRAMES]
        if not np.isfinite(chunk).all():
            raise ValueError("Pcm contains NaN or infinite samples")  # a bug upstream, not a user problem
        yield np.ascontiguousarray(chunk, dtype="<f4").tobytes()


def _run_encoder(pcm: Pcm, output_args: Sequence[str], target: str, shown: Path, cancel: CancelToken | None) -> None:
    """Run one encode of ``pcm`` to ``target``; ffmpeg's failures become messages about ``shown``."""
    args = [
        "-f", "f32le", "-ar", str(pcm.rate), "-ac", str(pcm.channels), "-i", "pipe:0",
        "-map_metadata", "-1", *output_args, "-fflags", "+bitexact", "-y", target,
    ]  # fmt: skip
    outcome = run_ffmpeg(args, stdin=_f32le_chunks(pcm, cancel), cancel=cancel)
    if not outcome.ok:
        raise encode_failure(outcome.stderr_tail, shown)


def encode_failure(stderr_tail: str, shown: Path) -> StudioError:
    """The message for a failed encode to ``shown``: a full disk or a refused folder by name, else generic."""
    for text, code in _OS_FAILURES:
        if text in stderr_tail:
            return os_error(OSError(code, os.strerror(code)), shown)
    return StudioError(ENCODE_FAILED, hint=ENCODE_FAILED_HINT, name=shown.name, path=shown)


def _encode_atomically(
    pcm: Pcm, path: str | os.PathLike[str], output_args: Sequence[str], cancel: CancelToken | None
) -> Path:
    """Encode to a hidden temporary file beside ``path``, then rename it over ``path`` in one step."""
    path = Path(path)
    with replacing(path) as temp:
        _run_encoder(pcm, output_args, ffmpeg_path(temp), path, cancel)
    return path


def encode_mp3(
    pcm: Pcm,
    path: str | os.PathLike[str],
    *,
    bitrate_kbps: int = 128,
    rate: int = 44100,
    channels: int = 1,
    cancel: CancelToken | None = None,
) -> Path:
    """Write a constant-bitrate MP3 (libmp3lame) with a LAME Info frame and no tags; returns ``path``.

    ffmpeg resamples to ``rate``; channels are remixed by :func:`~studio.audio.mix.to_channels`. MP3
    coding lowers the level (~0.45 dB at 128 kbps) and can raise true peaks a little: master with
    headroom, or use :func:`studio.audio.master.master_mp3`. Raises :class:`StudioError` when the folder
    is not writable or the disk is full, :class:`~studio.messages.Cancelled` on cancel; neither leaves a
    file, and an older file at ``path`` stays as it was.
    """
    output_args = [
        "-ar", str(rate), "-c:a", "libmp3lame", "-b:a", f"{bitrate_kbps}k",
        "-write_xing", "1", "-id3v2_version", "0", "-write_id3v1", "0", "-f", "mp3",
    ]  # fmt: skip
    return _encode_atomically(to_channels(pcm, channels), path, output_args, cancel)


def encode_wav(
    pcm: Pcm,
    path: str | os.PathLike[str],
    *,
    rate: int | None = None,
    channels: int | None = None,
    cancel: CancelToken | None = None,
) -> Path:
    """Write a 16-bit PCM WAV (for archives and controllers that want WAV); same guarantees as MP3.

    Samples beyond full scale are clipped by the conversion; master first. No dither: speech mastered to
    −16 LUFS sits ~80 dB above 16-bit quantisation noise.
    """
    output_args = ["-c:a", "pcm_s16le", "-f", "wav"]
    if rate is not None:
        output_args[:0] = ["-ar", str(rate)]
    if channels is not None:
        pcm = to_channels(pcm, channels)
    return _encode_atomically(pcm, path, output_args, cancel)
