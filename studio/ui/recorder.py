"""Recording a take from the microphone: a WAV written as the sound arrives, and a level meter.

The announcer's reading is the one thing the studio cannot make again, so the file is written while
recording, not at the end: the header goes out first with "length unknown" sizes (readers then take
everything up to the end of the file), every chunk of sound is handed to the operating system as it
arrives, and the sizes are filled in when the take stops. If the studio crashes or the PC loses power
mid-take, the file is still a readable WAV up to the last chunk written.

Sound arrives through ``QAudioSource`` in push mode: its ``readyRead`` fires on the GUI thread about a
hundred times a second. Each chunk is appended to the file (about 100 KB a second) and measured with
numpy — work proportional to the chunk, nothing that grows with the take — so the window never waits.

Three problems end a take early and the take is kept each time: the microphone is unplugged (or stops
sending sound), the disk fills up, or the file cannot be written. ``stopped`` reports the take, then
``failed`` says what happened in words an officer understands. An unplugged microphone shows in one of
three ways, depending on the sound system: an error, no more sound at all, or (PulseAudio, which moves
the take to another source and tells Qt nothing) seconds of exact digital silence, which are cut off.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import math
import os
import struct
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QObject, QTimer, Signal

from studio.config import RECORDING_DEVICE, Settings
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, StudioError, os_error
from studio.ui.player import clock_text

if TYPE_CHECKING:  # QtMultimedia itself is imported on first use: loading it probes the sound system
    from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSource, QMediaDevices

log = logging.getLogger(__name__)

NO_MICROPHONE = QT_TRANSLATE_NOOP(CONTEXT, "No microphone is connected to this computer.")
NO_MICROPHONE_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Plug in the microphone (or the USB sound card it is connected to), wait a few seconds and "
    "press Record again. Everything else in the studio works without a microphone."
)
MICROPHONE_UNAVAILABLE = QT_TRANSLATE_NOOP(CONTEXT, "The microphone “{device}” could not be opened.")
MICROPHONE_UNAVAILABLE_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "It may have been unplugged, or another program is using it. Plug it in again or choose "
    "another microphone, then press Record again."
)
MICROPHONE_LOST = QT_TRANSLATE_NOOP(
    CONTEXT, "The microphone “{device}” stopped sending sound during the take. The take was kept with "
    "what was recorded until then ({duration})."
)
MICROPHONE_LOST_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Check that the microphone is plugged in, then record the rest of the text as a new take."
)

Int16Samples = npt.NDArray[np.int16]

PREFERRED_RATE = 48000
FULL_SCALE = 32768.0  # dBFS reference: a 16-bit sample of -32768 is 0 dBFS
SILENCE_DBFS = -120.0  # what digital silence reads as (instead of minus infinity)
CLIP_LEVEL = 32767 * 10 ** (-0.1 / 20)  # within 0.1 dB of full scale
CLIP_RUN = 3  # that many samples in a row at CLIP_LEVEL or above: the converter ran out of range
METER_WINDOW_S = 0.05  # one level reading per 50 ms of sound: 20 a second
STALL_TIMEOUT_S = 1.0  # a working microphone always sends samples, silence included
# A live microphone's noise never reads exactly zero for this long. PulseAudio moves a take whose
# microphone is unplugged to another source (often the speakers' monitor: digital silence) without a
# word to Qt, so this much digital silence means no microphone is behind the take any more.
DEAD_AIR_S = 3.0
# Sound the backend holds while the GUI thread is busy. Qt's default (250 ms with PulseAudio) is dropped
# without a word when the window is busy for longer; a larger buffer does not delay the chunks.
SOURCE_BUFFER_S = 3.0
_WATCH_INTERVAL_MS = 100
# Qt 6.11's PulseAudio source lets the server hold only 1024 frames (21 ms at 48 kHz) for it: a source
# that hands over more at once (a sound card posting 25 ms periods, a busy moment) loses the rest without
# a word. libpulse's own PULSE_LATENCY_MSEC, read when a stream connects, lifts that limit (the server's
# default, seconds) and asks for chunks of this many milliseconds instead.
_PULSE_LATENCY_MS = "20"


def dbfs(magnitude: float) -> float:
    """A 16-bit magnitude (peak or RMS) in dB relative to full scale; silence is :data:`SILENCE_DBFS`."""
    if magnitude <= 0:
        return SILENCE_DBFS
    return max(SILENCE_DBFS, 20 * math.log10(magnitude / FULL_SCALE))


@dataclass(frozen=True)
class Levels:
    """One reading of the level meter: the loudest sample, the average power, and whether it clipped."""

    peak_dbfs: float
    rms_dbfs: float
    clipped: bool


@dataclass(frozen=True)
class TakeInfo:
    """A finished (or cut short) take as the recorder wrote it. Not to be confused with
    :class:`studio.store.takes.TakeInfo`, the take's row in the library once it is added there."""

    path: Path
    duration_s: float
    peak_dbfs: float
    rms_dbfs: float
    clipped: bool


class LevelMeter:
    """Peak, RMS and clipping of 16-bit mono samples fed chunk by chunk, for the meter and the take.

    Clipping is :data:`CLIP_RUN` consecutive samples at full scale (a single loud sample is not
    clipping); runs that straddle two chunks count, because the last samples of each chunk are kept.
    """

    def __init__(self, rate: int, window_s: float = METER_WINDOW_S) -> None:
        self.window_frames = max(1, round(rate * window_s))
        self._tail = np.zeros(0, dtype=bool)
        self._window = (0, 0.0, 0, False)  # peak, sum of squares, frames, clipped
        self.peak = 0
        self.sum_squares = 0.0
        self.frames = 0
        self.clipped = False

    def feed(self, samples: Int16Samples) -> Levels | None:
        """Measure ``samples``; returns a reading each time a window's worth of sound has come in."""
        if samples.size == 0:
            return None
        wide = samples.astype(np.int32)  # abs(-32768) does not fit an int16
        magnitude = np.abs(wide)
        peak = int(magnitude.max())
        as_float = wide.astype(np.float64)
        sum_squares = float(np.dot(as_float, as_float))
        hot = np.concatenate((self._tail, magnitude >= CLIP_LEVEL))
        clipped = hot.size >= CLIP_RUN and bool(
            np.lib.stride_tricks.sliding_window_view(hot, CLIP_RUN).all(axis=1).any())
        self._tail = hot[-(CLIP_RUN - 1):]

        self.peak = max(self.peak, peak)
        self.sum_squares += sum_squares
        self.frames += samples.size
        self.clipped |= clipped
        w_peak, w_squares, w_frames, w_clipped = self._window
        w_peak, w_squares, w_frames = max(w_peak, peak), w_squares + sum_squares, w_frames + samples.size
        w_clipped |= clipped
        if w_frames < self.window_frames:
            self._window = (w_peak, w_squares, w_frames, w_clipped)
            return None
        self._window = (0, 0.0, 0, False)
        return Levels(dbfs(w_peak), dbfs(math.sqrt(w_squares / w_frames)), w_clipped)

    def forget_silence(self, frames: int) -> None:
        """Leave out the last ``frames`` samples, all zero, from the take's levels (they were cut)."""
        self.frames = max(0, self.frames - frames)

    def take_levels(self) -> Levels:
        """The whole take so far."""
        rms = math.sqrt(self.sum_squares / self.frames) if self.frames else 0.0
        return Levels(dbfs(self.peak), dbfs(rms), self.clipped)


class WavWriter:
    """A 16-bit PCM WAV written incrementally: readable at every moment, finished by :meth:`close`.

    The RIFF and data sizes start as 0xFFFFFFFF ("unknown", read to the end of the file) and are
    patched on close; data goes through an unbuffered file, so each :meth:`write` reaches the
    operating system at once and a crash loses nothing already written. A write that fails (disk full)
    keeps whatever part of it reached the disk; :meth:`close` trims that to whole frames.
    """

    HEADER_BYTES = 44
    _UNKNOWN = 0xFFFFFFFF

    def __init__(self, path: Path, rate: int, channels: int = 1) -> None:
        self.path = path
        self.rate = rate
        self.channels = channels
        self.frame_bytes = 2 * channels
        self.data_bytes = 0
        self._file: BinaryIO | None = open(path, "wb", buffering=0)  # noqa: SIM115 (closed in close())
        try:
            _write_fully(self._file, self._header(self._UNKNOWN, self._UNKNOWN))
        except BaseException:
            self.discard()
            raise

    def _header(self, riff_size: int, data_size: int) -> bytes:
        return b"".join((
            b"RIFF", struct.pack("<I", riff_size), b"WAVE",
            b"fmt ", struct.pack("<IHHIIHH", 16, 1, self.channels, self.rate, self.rate * self.frame_bytes,
                                 self.frame_bytes, 16),
            b"data", struct.pack("<I", data_size),
        ))  # fmt: skip

    @property
    def frames(self) -> int:
        return self.data_bytes // self.frame_bytes

    def write(self, data: bytes) -> None:
        """Append sample bytes; raises ``OSError`` (e.g. ENOSPC) after counting what did reach the file."""
        assert self._file is not None
        view = memoryview(data)
        while view:
            written = self._file.write(view)
            if not written:
                raise OSError(errno.EIO, "short write")
            self.data_bytes += written
            view = view[written:]

    def drop_last(self, frames: int) -> None:
        """Cut the last ``frames`` off the take (done on :meth:`close`)."""
        self.data_bytes = max(0, self.data_bytes - frames * self.frame_bytes)

    def close(self) -> None:
        """Trim to whole frames and write the real sizes. Raises ``OSError`` if that fails; the file is
        closed either way and stays readable."""
        file, self._file = self._file, None
        if file is None:
            return
        try:
            self.data_bytes -= self.data_bytes % self.frame_bytes
            file.truncate(self.HEADER_BYTES + self.data_bytes)
            file.seek(0)
            data_size = min(self.data_bytes, self._UNKNOWN - 36)
            _write_fully(file, self._header(36 + data_size, data_size))
        finally:
            file.close()

    def discard(self) -> None:
        """Close and delete (a take that never started)."""
        file, self._file = self._file, None
        if file is not None:
            file.close()
        self.path.unlink(missing_ok=True)


@contextlib.contextmanager
def _pulseaudio_latency() -> Iterator[None]:
    """Set ``PULSE_LATENCY_MSEC`` while a recording stream connects (not for playback: it would shrink
    the players' buffers too), unless the user set it."""
    if not sys.platform.startswith("linux") or "PULSE_LATENCY_MSEC" in os.environ:
        yield
        return
    os.environ["PULSE_LATENCY_MSEC"] = _PULSE_LATENCY_MS
    try:
        yield
    finally:
        os.environ.pop("PULSE_LATENCY_MSEC", None)


def zero_run(samples: Int16Samples, run: int) -> int:
    """How many samples in a row are exactly zero at the end of ``samples``, continuing ``run``."""
    sounding = np.flatnonzero(samples)
    if sounding.size == 0:
        return run + samples.size
    return int(samples.size - 1 - sounding[-1])


def _write_fully(file: BinaryIO, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = file.write(view)
        if not written:
            raise OSError(errno.EIO, "short write")
        view = view[written:]


def device_key(device: QAudioDevice) -> str:
    """A device's id as text (stored in the ``recording.device`` setting)."""
    return bytes(device.id().data()).decode("utf-8", "replace")


def choose_format(device: QAudioDevice) -> QAudioFormat:
    """16-bit mono at 48 kHz, else at the device's own rate, else whatever the device prefers
    (converted to 16-bit mono as it arrives)."""
    from PySide6.QtMultimedia import QAudioFormat

    for rate in (PREFERRED_RATE, device.preferredFormat().sampleRate()):
        wanted = QAudioFormat()
        wanted.setSampleRate(rate)
        wanted.setChannelCount(1)
        wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        if rate > 0 and device.isFormatSupported(wanted):
            return wanted
    return device.preferredFormat()


def to_mono_int16(data: bytes, fmt: QAudioFormat) -> Int16Samples:
    """Whole frames of ``fmt`` as 16-bit mono samples (channels averaged)."""
    from PySide6.QtMultimedia import QAudioFormat

    kind = fmt.sampleFormat()
    if kind == QAudioFormat.SampleFormat.Int16:
        samples: npt.NDArray[Any] = np.frombuffer(data, dtype=np.int16)
    elif kind == QAudioFormat.SampleFormat.Int32:
        samples = np.right_shift(np.frombuffer(data, dtype=np.int32), 16)
    elif kind == QAudioFormat.SampleFormat.UInt8:
        samples = (np.frombuffer(data, dtype=np.uint8).astype(np.int16) - 128) * 256
    elif kind == QAudioFormat.SampleFormat.Float:
        floats = np.frombuffer(data, dtype=np.float32)
        samples = np.clip(np.round(floats * FULL_SCALE), -32768, 32767)
    else:
        raise ValueError(f"unsupported sample format {kind}")
    channels = fmt.channelCount()
    if channels > 1:
        samples = np.round(samples.reshape(-1, channels).mean(axis=1, dtype=np.float64))
    return samples.astype(np.int16, copy=False)


class Recorder(QObject):
    """Records takes from the chosen microphone into WAV files; lives on the GUI thread.

    ``start(path)`` begins a take (raises :class:`StudioError` when there is no microphone, it cannot
    be opened or the file cannot be created), ``stop()`` ends it and returns its :class:`TakeInfo`.
    While recording: ``levels(peak_dbfs, rms_dbfs, clipped)`` about 20 times a second for the meter and
    ``elapsed(seconds)``. A take that ends by itself (microphone lost, disk full) emits ``stopped`` with
    what was kept, then ``failed`` with the reason; ``stopped`` also follows every ``stop()``.
    """

    levels = Signal(float, float, bool)
    elapsed = Signal(float)
    failed = Signal(object)  # StudioError
    stopped = Signal(object)  # TakeInfo
    devices_changed = Signal()  # a microphone was plugged in or out

    def __init__(self, settings: Settings | None = None, parent: QObject | None = None, *,
                 stall_timeout_s: float = STALL_TIMEOUT_S, dead_air_s: float = DEAD_AIR_S) -> None:
        super().__init__(parent)
        self._settings = settings
        self._device_id = settings.get(RECORDING_DEVICE) if settings is not None else ""
        self._stall_timeout_s = stall_timeout_s
        self._dead_air_s = dead_air_s
        self._media: QMediaDevices | None = None
        self._source: QAudioSource | None = None
        self._io: Any = None  # the QIODevice QAudioSource.start() returns; owned and deleted by the source
        self._device: QAudioDevice | None = None
        self._format: QAudioFormat | None = None
        self._native = True  # the device delivers 16-bit mono: its bytes go to the file as they are
        self._writer: WavWriter | None = None
        self._meter: LevelMeter | None = None
        self._partial = b""  # bytes of an incomplete frame, until the rest arrives
        self._last_sound = 0.0
        self._zero_run = 0  # exact-zero samples in a row at the end of the take so far
        self._cut_frames = 0  # digital silence to cut off when the take ends (the microphone was gone)
        self._failure: StudioError | None = None
        self._last_take: TakeInfo | None = None
        # PySide6 cannot deliver QAudioSource.stateChanged (its QAudio::State argument does not convert)
        # and the PulseAudio backend keeps reporting "active" when the server kills the stream: a watch
        # on the sound itself notices a microphone that is gone, whatever the backend.
        self._watch = QTimer(self)
        self._watch.setInterval(_WATCH_INTERVAL_MS)
        self._watch.timeout.connect(self._check_source)

    # -- devices ---------------------------------------------------------------------------------

    def devices(self) -> list[tuple[str, str]]:
        """``(id, description)`` of every microphone, the system's default first."""
        from PySide6.QtMultimedia import QMediaDevices

        self._media_devices()
        default = device_key(QMediaDevices.defaultAudioInput())
        found: dict[str, str] = {}
        for device in QMediaDevices.audioInputs():
            found.setdefault(device_key(device), device.description())
        return sorted(found.items(), key=lambda item: item[0] != default)

    @property
    def device_id(self) -> str:
        """The chosen microphone's id; empty for the system's default."""
        return self._device_id

    def select_device(self, device_id: str) -> None:
        """Record from ``device_id`` (empty: the system's default) from the next take on, and remember it."""
        self._device_id = device_id
        if self._settings is not None:
            self._settings.remember(RECORDING_DEVICE, device_id)

    def _media_devices(self) -> QMediaDevices:
        from PySide6.QtMultimedia import QMediaDevices

        if self._media is None:
            self._media = QMediaDevices(self)
            self._media.audioInputsChanged.connect(self._on_inputs_changed)
        return self._media

    def _resolve_device(self) -> QAudioDevice:
        from PySide6.QtMultimedia import QMediaDevices

        self._media_devices()
        inputs = QMediaDevices.audioInputs()
        if not inputs:
            raise StudioError(NO_MICROPHONE, hint=NO_MICROPHONE_HINT)
        if self._device_id:
            for device in inputs:
                if device_key(device) == self._device_id:
                    return device
            log.info("microphone %r is not connected; recording from the default one", self._device_id)
        default = QMediaDevices.defaultAudioInput()
        return inputs[0] if default.isNull() else default

    # -- recording -------------------------------------------------------------------------------

    @property
    def is_recording(self) -> bool:
        return self._source is not None

    @property
    def elapsed_s(self) -> float:
        """Seconds of sound in the current (or last) take's file."""
        return self._writer.frames / self._writer.rate if self._writer is not None else 0.0

    @property
    def sample_rate(self) -> int:
        """The current (or last) take's sample rate; 0 before the first take."""
        return self._format.sampleRate() if self._format is not None else 0

    def start(self, path: Path) -> None:
        """Start recording a take into a new 16-bit PCM WAV at ``path``."""
        from PySide6.QtMultimedia import QAudioFormat, QAudioSource, QtAudio

        if self.is_recording:
            raise RuntimeError("already recording")
        device = self._resolve_device()
        fmt = choose_format(device)
        path = Path(path)
        try:
            writer = WavWriter(path, fmt.sampleRate())
        except OSError as exc:
            raise os_error(exc, path) from exc
        source = QAudioSource(device, fmt, self)
        source.setBufferSize(fmt.bytesForDuration(round(SOURCE_BUFFER_S * 1_000_000)))
        with _pulseaudio_latency():
            io = source.start()
        if io is None or source.error() != QtAudio.Error.NoError:
            log.warning("cannot open microphone %s: %s", device.description(), source.error())
            source.stop()
            source.deleteLater()
            writer.discard()
            raise StudioError(MICROPHONE_UNAVAILABLE, hint=MICROPHONE_UNAVAILABLE_HINT,
                              device=device.description())
        log.info("recording from %s (%d Hz, %s) into %s", device.description(), fmt.sampleRate(),
                 fmt.sampleFormat().name, path)
        self._source, self._io, self._device, self._format = source, io, device, fmt
        self._native = fmt.sampleFormat() == QAudioFormat.SampleFormat.Int16 and fmt.channelCount() == 1
        self._writer, self._meter = writer, LevelMeter(fmt.sampleRate())
        self._partial, self._failure, self._last_sound = b"", None, time.monotonic()
        self._zero_run = self._cut_frames = 0
        io.readyRead.connect(self._read)
        self._watch.start()

    def stop(self) -> TakeInfo:
        """End the take (keeping sound still buffered) and return it; after a take ended by itself,
        return that take."""
        if self.is_recording:
            return self._finish()
        if self._last_take is None:
            raise RuntimeError("nothing was recorded")
        return self._last_take

    def _read(self) -> None:
        if self._io is None or self._failure is not None:
            return
        data: bytes = self._io.readAll().data()
        if data:
            self._consume(data)

    def _consume(self, data: bytes) -> None:
        assert self._writer is not None and self._meter is not None and self._format is not None
        self._last_sound = time.monotonic()
        frame_bytes = self._format.bytesPerFrame()
        if self._partial:
            data, self._partial = self._partial + data, b""
        extra = len(data) % frame_bytes
        if extra:
            data, self._partial = data[:-extra], data[-extra:]
        if not data:
            return
        samples = to_mono_int16(data, self._format)
        try:
            self._writer.write(data if self._native else samples.tobytes())
        except OSError as exc:
            log.warning("writing %s failed: %s", self._writer.path, exc)
            self._fail(os_error(exc, self._writer.path))
            return
        reading = self._meter.feed(samples)
        if reading is not None:
            self.levels.emit(reading.peak_dbfs, reading.rms_dbfs, reading.clipped)
            self.elapsed.emit(self.elapsed_s)
        self._zero_run = zero_run(samples, self._zero_run)
        if self._zero_run >= self._dead_air_s * self._writer.rate:
            log.warning("%.1f s of digital silence: the microphone is gone", self._zero_run / self._writer.rate)
            self._cut_frames = self._zero_run
            self._lose_device()

    def _check_source(self) -> None:
        from PySide6.QtMultimedia import QtAudio

        if self._source is None or self._failure is not None:
            return
        self._read()  # sound waiting after a busy moment is not a silent microphone
        if self._failure is not None:
            return
        error = self._source.error()
        silent_for = time.monotonic() - self._last_sound
        if error != QtAudio.Error.NoError or silent_for > self._stall_timeout_s:
            log.warning("microphone lost (error %s, no sound for %.1f s)", error, silent_for)
            self._lose_device()

    def _on_inputs_changed(self) -> None:
        from PySide6.QtMultimedia import QMediaDevices

        self.devices_changed.emit()
        if self._device is None or self._source is None:
            return
        if device_key(self._device) not in {device_key(d) for d in QMediaDevices.audioInputs()}:
            log.warning("microphone %s was unplugged", self._device.description())
            self._lose_device()

    def _lose_device(self) -> None:
        assert self._device is not None and self._writer is not None
        kept_s = (self._writer.frames - self._cut_frames) / self._writer.rate
        self._fail(StudioError(MICROPHONE_LOST, hint=MICROPHONE_LOST_HINT, device=self._device.description(),
                               duration=clock_text(round(kept_s * 1000))))

    def _fail(self, error: StudioError) -> None:
        """End the take because of ``error``: from the event loop, not from inside the source's signal
        (stopping the source deletes the device that is emitting)."""
        if self._failure is None:
            self._failure = error
            QTimer.singleShot(0, self, self._finish_after_failure)

    def _finish_after_failure(self) -> None:
        if self.is_recording:
            self._finish()

    def _finish(self) -> TakeInfo:
        assert self._source is not None and self._writer is not None and self._meter is not None
        self._watch.stop()
        self._read()  # what is still buffered belongs to the take
        source, self._source, self._io = self._source, None, None
        source.stop()
        source.deleteLater()
        writer = self._writer
        if self._cut_frames:
            writer.drop_last(self._cut_frames)
            self._meter.forget_silence(self._cut_frames)
        try:
            writer.close()
        except OSError as exc:
            log.warning("finishing %s failed: %s", writer.path, exc)
            if self._failure is None:
                self._failure = os_error(exc, writer.path)
        levels = self._meter.take_levels()
        take = TakeInfo(writer.path, writer.frames / writer.rate, levels.peak_dbfs, levels.rms_dbfs,
                        levels.clipped)
        self._last_take = take
        error, self._failure = self._failure, None
        log.info("take %s: %.2f s, peak %.1f dBFS%s", take.path, take.duration_s, take.peak_dbfs,
                 f", ended early: {error}" if error else "")
        self.stopped.emit(take)
        if error is not None:
            self.failed.emit(error)
        return take
