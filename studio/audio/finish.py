"""Finishing a programme in one pass: loudness gain, true-peak limiting, encoding and measuring the file.

A 45-minute session must render in seconds on an old 2-core PC, and the MP3 encoder is the physical floor
(issue 4: at most 1.2× the time ffmpeg alone needs to encode the same PCM). The older
:func:`~studio.audio.master.master_mp3` mastered in several full passes, encoded, decoded the file and
measured it again; on 30 minutes that was ~4× the encoder's time. Here:

1. One K-weighting pass gives the programme's 100 ms hop energies and so its integrated loudness.
2. True peaks are oversampled only where they could reach the ceiling at the highest gain that might be
   applied (:func:`~studio.audio.loudness.frame_true_peaks` with a ``floor``); the rest of the programme
   is too quiet to matter and costs a sample-peak scan.
3. The gain that reaches the target *after* limiting is solved on those numbers, without touching the
   audio again: the limiter curve (one value per 1 ms block) scales each hop's energy by its mean
   squared gain. K-weighting is linear and the gain moves slowly next to a 100 ms hop, so the estimate is
   within a few hundredths of a LU of measuring the limited audio (tests check the file itself).
4. The programme is multiplied by the gain curve chunk by chunk and streamed to one ffmpeg process that
   writes the file *and*, through a loopback decoder (``-dec``, ffmpeg ≥ 7), decodes what it encoded; the
   decoded stream is measured by a :class:`~studio.audio.loudness.LoudnessMeter` as it arrives. The
   report therefore describes the delivered file, measured while the encoder runs, at no extra wall time.
   If the file misses the target (MP3 coding lowers the level ~0.4 LU; a first guess compensates) or its
   true peak is over the ceiling, the encode is redone once with the correction: rare, and visible in the log.

Memory: the programme itself, one float32 per frame of peaks, and chunk-sized temporaries.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from studio.audio.codec import decode, encode_failure, ffmpeg_path
from studio.audio.ffmpeg import FfmpegOutcome, run_ffmpeg
from studio.audio.loudness import (
    SILENCE_LUFS,
    LoudnessMeter,
    LoudnessReport,
    _block_energies,
    integrated_from_hops,
    measure,
)
from studio.audio.master import (
    DEFAULT_TARGET_LUFS,
    DEFAULT_TRUE_PEAK_CEILING,
    ENCODE_HEADROOM_DB,
    GainDb,
    _control_block,
    _Limiter,
    _next_gain,
)
from studio.audio.mp3splice import (
    DECODER_DELAY,
    FRAME_SAMPLES,
    MPEG1_RATES,
    Frame,
    decoder_memory,
    find_join,
    gapless,
    joined,
    read_frames,
    with_gapless,
)
from studio.audio.pcm import Pcm
from studio.fileio import claim_temp_path, replacing
from studio.messages import Cancelled, os_error
from studio.tasks import CancelToken, worker_initializer

log = logging.getLogger(__name__)

MAX_BOOST_DB = 3.0  # extra gain limiting losses may call for (mastered speech: < 1 dB); raised for hot input
DELIVERED_TOLERANCE_LU = 0.2
_ESTIMATE_TOLERANCE_LU = 0.02
_MAX_STEPS = 8
_MAX_ENCODES = 2
_MAX_BOOSTS = 3
_CHUNK_FRAMES = 1 << 17
_METER_BYTES = 1 << 20
_WARM_FRAMES = 8192  # before a meter's first frame: its filters forget in far less, its interpolator needs ~10
# The decoded stream leaves ffmpeg in pieces of this many frames (the last one shorter; the samples are the
# same): the decoder's own 1152-frame pieces reached the studio as ~4.6 KB pipe reads, and reading,
# collecting and joining 76,000 of them for 33 minutes cost ~1 s of CPU (interleaved runs, 2026-11-23:
# the studio's CPU during the encode 4.1 s → 3.0 s, medians of four; ffmpeg's own unchanged).
_HEARD_FRAMES = 65536
_HOP_S = 0.1
# A programme this long or longer is encoded as two halves at once, on two cores (_encode_halves): the MP3
# encoder uses one core and is most of a render's time.
HALVES_MIN_SECONDS = 120.0
_OVERLAP_FRAMES = 64  # each half runs ~1.5 s past the middle: both encoders are well under way there
_JOIN_REACH = 16  # the join is looked for within this many frames of the middle (~0.4 s)
_loopback_supported: bool | None = None  # learnt from the first encode: ffmpeg < 7 has no -dec


@dataclass(frozen=True)
class OutputFormat:
    """The delivered file: MP3 (CBR) or 16-bit WAV, at ``rate`` with ``channels``."""

    container: Literal["mp3", "wav"] = "mp3"
    bitrate_kbps: int = 128
    rate: int = 44100
    channels: int = 1

    @property
    def suffix(self) -> str:
        return f".{self.container}"

    def codec_args(self, *, info_frame: bool = True) -> list[str]:
        """ffmpeg's output options; ``info_frame=False`` leaves out the MP3's leading Info frame (length and
        gapless data), for the second half of a programme encoded in two (see :func:`_encode_halves`)."""
        args = ["-ar", str(self.rate), "-ac", str(self.channels)]
        if self.container == "wav":
            return [*args, "-c:a", "pcm_s16le", "-f", "wav"]
        return [*args, "-c:a", "libmp3lame", "-b:a", f"{self.bitrate_kbps}k", "-write_xing", str(int(info_frame)),
                "-id3v2_version", "0", "-write_id3v1", "0", "-f", "mp3"]

    def expected_loss_db(self) -> float:
        """How much quieter the coded file measures than its input, as a first guess (measured on speech)."""
        if self.container == "wav":
            return 0.0
        return 0.45 if self.bitrate_kbps <= 160 else 0.3

    def peak_headroom_db(self) -> float:
        """Margin under the ceiling for overshoot the coding adds between samples."""
        return ENCODE_HEADROOM_DB if self.container == "mp3" else 0.05


class _Energies:
    """K-weighted energy per limiter control block, and the 100 ms hops made of them.

    The limiter reduces exactly the loudest instants of a hop, so scaling a whole hop's energy by its mean
    squared gain would overestimate what is left (by ~0.6 LU on hot speech); weighting each control block's
    own energy by its gain does not. A hop is the blocks that start in it (its edges off by < 1 block).
    """

    def __init__(self, pcm: Pcm, block: int, hop: int) -> None:
        self.blocks = _block_energies(pcm, block)
        hops = pcm.frames // hop
        self.starts = np.minimum((np.arange(hops, dtype=np.int64) * hop) // block, max(0, self.blocks.size - 1))
        self.counts = np.diff(np.append(self.starts, self.blocks.size)).clip(min=1)

    def loudness(self, curve_db: GainDb | None = None) -> float:
        """Integrated loudness, after the gain ``curve_db`` (dB per control block) if given."""
        if self.blocks.size == 0 or self.starts.size == 0:
            return SILENCE_LUFS
        weighted = self.blocks
        if curve_db is not None:
            weighted = self.blocks * np.power(10.0, curve_db[: self.blocks.size] / 10.0)
        return integrated_from_hops(np.add.reduceat(weighted, self.starts) / self.counts)


def _solve_gain(energies: _Energies, limiter: _Limiter, level: float, want: float, ceiling: float,
                max_gain: float) -> tuple[GainDb, float]:
    """The limiter curve whose result measures ``want`` LUFS (estimated), the gain capped at ``max_gain``;
    and the estimated loudness it gives."""
    gains = [min(max_gain, want - level)]
    levels: list[float] = []
    best: tuple[float, GainDb] | None = None
    for _ in range(_MAX_STEPS):
        curve = limiter.curve_db(gains[-1], ceiling)
        levels.append(energies.loudness(curve))
        if best is None or abs(levels[-1] - want) < abs(best[0] - want):
            best = (levels[-1], curve)
        if abs(levels[-1] - want) <= _ESTIMATE_TOLERANCE_LU:
            break
        following = min(max_gain, _next_gain(gains, levels, want))
        if following == gains[-1]:
            break  # at the cap: the target needs more limiting than the programme can take
        gains.append(following)
    assert best is not None
    log.debug("mastering: %d gain steps, estimate %.2f LUFS for %.2f", len(levels), best[0], want)
    return best[1], best[0]


class _MeterSink:
    """Feeds ffmpeg's decoded float32 stream to a meter in ~1 MB pieces (whole frames only).

    Pieces are joined once and read in place: 350 MB pass through here for 30 minutes of audio, and every
    extra copy is CPU taken from the encoder's neighbour core. The stream's first frame is the programme's
    frame ``start``; only frames in ``measured`` (to the end when its stop is None) reach the meter, and frames
    in ``kept`` are kept (the neighbourhood of a join: :func:`_encode_halves`). A meter that starts after
    the stream is first warmed with the last kept frames, which must reach up to its start.
    """

    def __init__(self, meter: LoudnessMeter, *, start: int = 0, measured: tuple[int, int | None] = (0, None),
                 kept: tuple[int, int] = (0, 0)) -> None:
        self.meter = meter
        self.frame_bytes = 4 * meter.channels
        self.pieces: list[bytes] = []
        self.size = 0
        self.position = start  # the programme's frame that the next decoded frame is
        self.measured = measured
        self.kept = kept
        self.kept_pieces: list[npt.NDArray[np.float32]] = []
        self._warm = start < measured[0]

    def __call__(self, chunk: bytes) -> None:
        self.pieces.append(chunk)
        self.size += len(chunk)
        if self.size >= _METER_BYTES:
            self.flush()

    def flush(self) -> None:
        joined = self.pieces[0] if len(self.pieces) == 1 else b"".join(self.pieces)
        whole = len(joined) // self.frame_bytes
        if whole:
            samples = np.frombuffer(joined, dtype="<f4", count=whole * self.meter.channels)
            self._take(samples.reshape(-1, self.meter.channels))
        rest = joined[whole * self.frame_bytes :]
        self.pieces = [rest] if rest else []
        self.size = len(rest)

    def _take(self, samples: npt.NDArray[np.float32]) -> None:
        first, last = self.position, self.position + samples.shape[0]
        self.position = last
        low, high = max(first, self.kept[0]), min(last, self.kept[1])
        if low < high:
            self.kept_pieces.append(samples[low - first : high - first].copy())
        stop = self.measured[1]
        low, high = max(first, self.measured[0]), last if stop is None else min(last, stop)
        if low < high:
            if self._warm:
                self._warm = False
                self.meter.warm(self.kept_frames()[-_WARM_FRAMES:])
            self.meter.feed(samples[low - first : high - first])

    def kept_frames(self) -> npt.NDArray[np.float32]:
        return np.concatenate([np.zeros((0, self.meter.channels), dtype=np.float32), *self.kept_pieces])


def _gained_chunks(pcm: Pcm, limiter: _Limiter | None, linear: GainDb | None,
                   cancel: CancelToken | None, first: int = 0, last: int | None = None) -> Iterator[bytes]:
    """The programme (frames ``first`` to ``last``) times its gain curve, as little-endian float32, chunk by
    chunk."""
    last = pcm.frames if last is None else last
    for start in range(first, last, _CHUNK_FRAMES):
        if cancel is not None:
            cancel.raise_if_cancelled()
        stop = min(last, start + _CHUNK_FRAMES)
        chunk = pcm.samples[start:stop]
        if limiter is not None and linear is not None:
            chunk = chunk * limiter.chunk_gain(linear, start, stop)[:, np.newaxis]
        if not np.isfinite(chunk).all():
            raise ValueError("Pcm contains NaN or infinite samples")  # a bug upstream, not a user problem
        yield np.ascontiguousarray(chunk, dtype="<f4").tobytes()


def _encoder_args(pcm: Pcm, fmt: OutputFormat, out: Path, *, info_frame: bool = True) -> list[str]:
    """ffmpeg reading the gained programme as float32 from stdin and encoding it to ``out``."""
    return ["-f", "f32le", "-ar", str(pcm.rate), "-ac", str(pcm.channels), "-i", "pipe:0",
            "-map", "0:a", "-map_metadata", "-1", *fmt.codec_args(info_frame=info_frame), "-fflags", "+bitexact",
            "-y", ffmpeg_path(out)]


def _heard(source: str, start: int = 0) -> list[str]:
    """The extra output that sends ``source`` decoded (from sample ``start`` on) to stdout as float32."""
    trim = f"atrim=start_sample={start}," if start else ""
    return ["-filter_complex", f"[{source}]{trim}asetnsamples=n={_HEARD_FRAMES}:p=0[heard]",
            "-map", "[heard]", "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"]


def _encode_measured(pcm: Pcm, limiter: _Limiter | None, linear: GainDb | None, temp: Path, shown: Path,
                     fmt: OutputFormat, cancel: CancelToken | None) -> LoudnessReport:
    """Encode the gained programme to ``temp``; return the loudness of the file as written."""
    global _loopback_supported
    if _halves_possible(pcm, fmt):
        report = _encode_halves(pcm, limiter, linear, temp, shown, fmt, cancel)
        if report is not None:
            return report
    source = _encoder_args(pcm, fmt, temp)
    if _loopback_supported is not False:
        meter = LoudnessMeter(fmt.rate, fmt.channels)
        sink = _MeterSink(meter)
        outcome = run_ffmpeg([*source, "-dec", "0:0", *_heard("dec:0")],
                             stdin=_gained_chunks(pcm, limiter, linear, cancel), stdout_sink=sink, cancel=cancel)
        if outcome.ok:
            _loopback_supported = True
            sink.flush()
            return meter.report()
        if "dec" not in outcome.stderr_tail or _loopback_supported:
            raise encode_failure(outcome.stderr_tail, shown)
        log.info("this ffmpeg has no loopback decoder; the file is measured after encoding")
        _loopback_supported = False
    outcome = run_ffmpeg(source, stdin=_gained_chunks(pcm, limiter, linear, cancel), cancel=cancel)
    if not outcome.ok:
        raise encode_failure(outcome.stderr_tail, shown)
    return measure(decode(temp, cancel=cancel))


class _Linked(CancelToken):
    """Cancelled by :meth:`cancel` (the other half failed) or by the render's own token."""

    def __init__(self, outer: CancelToken | None) -> None:
        super().__init__()
        self._outer = outer

    @property
    def cancelled(self) -> bool:
        return super().cancelled or (self._outer is not None and self._outer.cancelled)

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise Cancelled()


def _outcome_of(job: Callable[[], FfmpegOutcome]) -> FfmpegOutcome | BaseException:
    """What ``job`` returned or raised: both halves are waited for before either failure is reported."""
    try:
        return job()
    except BaseException as exc:
        return exc


def _halves_possible(pcm: Pcm, fmt: OutputFormat) -> bool:
    """Whether ``pcm`` is long enough, and the PC has the cores, to encode it as two halves at once."""
    return (fmt.container == "mp3" and fmt.rate in MPEG1_RATES and fmt.channels in (1, 2)
            and pcm.rate == fmt.rate and pcm.channels == fmt.channels
            and pcm.frames >= HALVES_MIN_SECONDS * pcm.rate and (os.cpu_count() or 1) >= 2)


def _encode_halves(pcm: Pcm, limiter: _Limiter | None, linear: GainDb | None, temp: Path, shown: Path,
                   fmt: OutputFormat, cancel: CancelToken | None) -> LoudnessReport | None:
    """Encode the gained programme to ``temp`` as two halves at once, joined in the middle; return the
    loudness of the file as written, or None when the halves could not be joined (the caller encodes the
    programme in one piece; rare, and logged).

    The first half runs to ``_OVERLAP_FRAMES`` past the middle, the second starts as far before it, on the
    same frame grid (:mod:`studio.audio.mp3splice` joins them). Each half's own decoder (``-dec``, as in one
    piece) measures the file while it is encoded: the first up to a little before the frames where the join
    may fall, the second from a little after them; both keep what they decode in between, and the file's
    decoding there is completed from an excerpt around the join (:func:`_around_join`). If that cannot be
    vouched for, the rest of the file is measured by decoding it while it is written.
    """
    global _loopback_supported
    frame = FRAME_SAMPLES
    middle = pcm.frames // 2 // frame
    shift = middle - _OVERLAP_FRAMES
    hop = round(_HOP_S * fmt.rate)
    memory = decoder_memory(fmt.bitrate_kbps, fmt.rate)
    reach = _JOIN_REACH + memory + 6  # frames either side of the middle that the join's excerpt may cover
    kept = ((middle - reach) * frame // hop * hop, -(-(middle + reach) * frame // hop) * hop)  # whole hops
    meters = (LoudnessMeter(fmt.rate, fmt.channels), LoudnessMeter(fmt.rate, fmt.channels))
    sinks = (_MeterSink(meters[0], measured=(0, kept[0]), kept=kept),
             _MeterSink(meters[1], start=shift * frame, measured=(kept[1], None), kept=kept))
    heard = _loopback_supported is not False
    parts = [claim_temp_path(temp), claim_temp_path(temp)]
    linked = _Linked(cancel)

    def half(index: int) -> FfmpegOutcome:
        first, last = (0, min(pcm.frames, (middle + _OVERLAP_FRAMES) * frame)) if index == 0 else (shift * frame, None)
        args = _encoder_args(pcm, fmt, parts[index], info_frame=index == 0)
        if heard:
            args += ["-dec", "0:0", *_heard("dec:0")]
        try:
            outcome = run_ffmpeg(args, stdin=_gained_chunks(pcm, limiter, linear, linked, first, last),
                                 stdout_sink=sinks[index] if heard else None, cancel=linked)
        except BaseException:
            linked.cancel()
            raise
        if not outcome.ok:
            linked.cancel()
        return outcome

    try:
        with ThreadPoolExecutor(1, thread_name_prefix="encode-half", initializer=worker_initializer()) as pool:
            second = pool.submit(half, 1)
            outcomes = [_outcome_of(lambda: half(0)), _outcome_of(second.result)]
        if cancel is not None:
            cancel.raise_if_cancelled()
        for outcome in outcomes:  # a half's own failure first; the other half was only stopped for it
            if isinstance(outcome, BaseException) and not isinstance(outcome, Cancelled):
                raise outcome
        for outcome in outcomes:
            if isinstance(outcome, FfmpegOutcome) and not outcome.ok:
                if heard and "dec" in outcome.stderr_tail and not _loopback_supported:
                    log.info("this ffmpeg has no loopback decoder; the file is measured after encoding")
                    _loopback_supported = False
                    return None
                raise encode_failure(outcome.stderr_tail, shown)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome  # stopped for no reason found above: never taken for a finished half
        for sink in sinks:
            sink.flush()
        if heard:
            _loopback_supported = True
        whole_halves = heard and sinks[0].position >= kept[1] and sinks[1].position == pcm.frames
        return _join(pcm, parts, temp, shown, (middle, shift, memory), meters, sinks if whole_halves else None,
                     cancel)
    finally:
        for part in parts:
            part.unlink(missing_ok=True)


def _join(pcm: Pcm, parts: list[Path], temp: Path, shown: Path, grid: tuple[int, int, int],
          meters: tuple[LoudnessMeter, LoudnessMeter], sinks: tuple[_MeterSink, _MeterSink] | None,
          cancel: CancelToken | None) -> LoudnessReport | None:
    """Join the encoded halves into ``temp``; the file's loudness from the halves' own decoders (``sinks``)
    and the decoded neighbourhood of the join, else (no such decoders, or what they heard does not match the
    file) by decoding the file from where the first half's decoder stopped.
    ``grid``: the middle frame, the second half's first frame and the frames a decoder remembers."""
    middle, shift, memory = grid
    try:
        first, second = parts[0].read_bytes(), parts[1].read_bytes()
    except OSError as exc:
        raise os_error(exc, shown) from exc
    reach = _JOIN_REACH + memory + 1
    try:
        first_frames = read_frames(first, sides=range(middle - reach + 1, middle + reach + 1))  # the Info frame first
        second_frames = read_frames(second, sides=range(middle - shift - reach, middle - shift + reach))
        info, audio = first_frames[0], first_frames[1:]
        declared = gapless(first[: info.size])
        join = find_join(audio, second_frames, shift, range(middle - _JOIN_REACH, middle + _JOIN_REACH + 1))
        if declared is None or join is None:
            raise ValueError("no frame near the middle where the halves can be joined")
        delay = declared[0]
        frames = shift + len(second_frames)
        padding = frames * FRAME_SAMPLES - delay - pcm.frames
        size = audio[join].offset + len(second) - second_frames[join - shift].offset
        header = with_gapless(first[: info.size], delay, padding, frames=frames, size=size)
        stream = itertools.chain([header], joined(first, audio, second, second_frames, join, shift, start=info.size))
    except ValueError as exc:
        log.warning("the halves of %s cannot be joined (%s); encoding it in one piece", shown.name, exc)
        return None
    halves = (first, audio, second, second_frames)
    around = None if sinks is None else _around_join(halves, join, shift, memory, delay, sinks, cancel)
    log.debug("halves of %s joined at frame %d of %d, %s", shown.name, join, frames,
              "measured by their own decoders" if around is not None else "the rest measured from the file")
    copy = ["-f", "mp3", "-i", "pipe:0", "-map", "0:a", "-c:a", "copy", "-write_xing", "1", "-id3v2_version", "0",
            "-write_id3v1", "0", "-fflags", "+bitexact", "-f", "mp3", "-y", ffmpeg_path(temp)]
    meter = meters[0]
    if around is not None:
        meter.feed(around)
        outcome = run_ffmpeg(copy, stdin=stream, cancel=cancel)
    else:
        heard_from = 0 if sinks is None else sinks[0].kept[0]
        if sinks is None:
            meter = LoudnessMeter(meter.rate, meter.channels)
        rest = _MeterSink(meter, start=heard_from, measured=(heard_from, pcm.frames))
        outcome = run_ffmpeg([*copy, *_heard("0:a", heard_from)], stdin=stream, stdout_sink=rest, cancel=cancel)
        rest.flush()
    if not outcome.ok:
        raise encode_failure(outcome.stderr_tail, shown)
    # ffmpeg's copy recounts frames, bytes and checksums, but knows neither the padding nor the encoder.
    try:
        with temp.open("r+b") as handle:
            head = handle.read(info.size)
            handle.seek(0)
            handle.write(with_gapless(head, delay, padding, encoder_of=first[: info.size]))
    except OSError as exc:
        raise os_error(exc, shown) from exc
    return meter.followed_by(meters[1]) if around is not None else meter.report()


def _around_join(halves: tuple[bytes, list[Frame], bytes, list[Frame]], join: int, shift: int, memory: int,
                 delay: int, sinks: tuple[_MeterSink, _MeterSink],
                 cancel: CancelToken | None) -> npt.NDArray[np.float32] | None:
    """The file's decoded frames over the kept stretch around the join, or None if they cannot be vouched for.

    The file is the first half up to the join, so it decodes as the first half's decoder heard it up to
    there; ``memory`` frames later its decoder has forgotten the first half and it decodes as the second
    half's did. Only the frames between are decoded here, from a few dozen frames of the joined stream (the
    first ones borrow bytes from before the excerpt and are not used); where the excerpt overlaps what the
    two decoders heard, it must match them sample for sample.
    """
    first, audio, second, second_frames = halves
    low, high = sinks[0].kept
    before, after = sinks[0].kept_frames(), sinks[1].kept_frames()
    if before.shape[0] != high - low or after.shape[0] != high - low:
        return None
    start, stop = join - 2 * memory - 4, join + memory + 4  # the excerpt, in the file's frames
    need = (audio[join].offset - audio[start].offset) + (second_frames[stop - shift].offset
                                                           - second_frames[join - shift].offset)
    pieces: list[bytes] = []
    try:
        for piece in joined(first, audio, second, second_frames, join, shift, start=audio[start].offset):
            pieces.append(piece)
            if sum(map(len, pieces)) >= need:
                break
    except ValueError:  # the join borrows from before the excerpt: cannot happen with the reach above
        return None
    outcome = run_ffmpeg(["-f", "mp3", "-i", "pipe:0", "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"],
                         stdin=b"".join(pieces)[:need], cancel=cancel)
    channels = before.shape[1]
    if not outcome.ok or len(outcome.stdout) != (stop - start) * FRAME_SAMPLES * 4 * channels:
        return None
    excerpt = np.frombuffer(outcome.stdout, dtype="<f4").reshape(-1, channels)
    lag = delay + DECODER_DELAY  # a raw excerpt is not trimmed: frame k starts this far before k * 1152
    synced, cut, settled, end = (index * FRAME_SAMPLES - lag for index in (start + memory, join, join + memory, stop))
    origin = start * FRAME_SAMPLES - lag  # the programme's frame that the excerpt's first frame is
    if not (np.array_equal(excerpt[synced - origin : cut - origin], before[synced - low : cut - low])
            and np.array_equal(excerpt[settled - origin : end - origin], after[settled - low : end - low])):
        log.info("the join's neighbourhood does not decode as the halves did; measuring the file instead")
        return None
    return np.concatenate([before[: cut - low], excerpt[cut - origin : settled - origin], after[settled - low :]])


def finish(
    pcm: Pcm,
    path: str | os.PathLike[str],
    fmt: OutputFormat = OutputFormat(),
    *,
    target_lufs: float = DEFAULT_TARGET_LUFS,
    true_peak_ceiling: float = DEFAULT_TRUE_PEAK_CEILING,
    cancel: CancelToken | None = None,
) -> LoudnessReport:
    """Master ``pcm`` to ``target_lufs`` under ``true_peak_ceiling`` and write it to ``path`` as ``fmt``.

    Returns the loudness *of the written file*. ``path`` appears only once the file is complete; cancel
    or failure (full disk, refused folder: a :class:`~studio.messages.StudioError` naming it) leaves
    nothing and an older file at ``path`` as it was. Silence is written as silence.
    """
    path = Path(path)
    energies = _Energies(pcm, _control_block(pcm.rate), round(_HOP_S * pcm.rate))
    level = energies.loudness()
    offset = fmt.expected_loss_db()
    headroom = fmt.peak_headroom_db()
    limiter: _Limiter | None = None
    max_gain = 0.0
    with replacing(path) as temp:
        for attempt in range(_MAX_ENCODES):
            linear = None
            if level > SILENCE_LUFS:
                ceiling = true_peak_ceiling - headroom
                want = target_lufs + offset
                boost = MAX_BOOST_DB
                for _ in range(_MAX_BOOSTS):
                    if limiter is None or want - level + boost > max_gain:
                        max_gain = want - level + boost
                        limiter = _Limiter(pcm.samples, pcm.rate, floor=10.0 ** ((ceiling - max_gain) / 20.0))
                    curve, estimate = _solve_gain(energies, limiter, level, want, ceiling, max_gain)
                    if estimate >= want - _ESTIMATE_TOLERANCE_LU:
                        break
                    boost += MAX_BOOST_DB  # hot material: limiting costs more than the boost allowed for
                linear = np.power(10.0, curve / 20.0)
            if cancel is not None:
                cancel.raise_if_cancelled()
            report = _encode_measured(pcm, limiter, linear, temp, path, fmt, cancel)
            miss = target_lufs - report.integrated_lufs
            excess = report.true_peak_dbtp - true_peak_ceiling
            if report.integrated_lufs <= SILENCE_LUFS or (abs(miss) <= DELIVERED_TOLERANCE_LU and excess <= 0):
                break
            log.info("encode %d of %s missed: %.2f LUFS, %.2f dBTP; correcting", attempt + 1, path.name,
                     report.integrated_lufs, report.true_peak_dbtp)
            offset += miss
            headroom += max(0.0, excess + 0.1)
    return report
