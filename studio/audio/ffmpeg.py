"""The one way the studio runs ffmpeg: typed outcome, cancellable, no pipe deadlocks, no console window.

Every decode and encode goes through :func:`run_ffmpeg`. It streams stdin from an iterable of chunks (so a
long bulletin is never held twice in memory as bytes), drains stdout and stderr on their own threads (a child
that fills one pipe while we block on another never finishes), polls a :class:`~studio.tasks.CancelToken`,
and kills the child on cancel or timeout. The binary comes from ``imageio-ffmpeg`` (bundled with the
installer; ``IMAGEIO_FFMPEG_EXE`` overrides it); there is no ffprobe, so callers learn about a file from the
data ffmpeg writes and, when needed, from its log lines (see ``stderr_line``).
"""

from __future__ import annotations

import collections
import contextlib
import io
import logging
import subprocess
import sys
import threading
import time
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO

from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, Cancelled, StudioError
from studio.tasks import CancelToken

log = logging.getLogger(__name__)

FFMPEG_MISSING = QT_TRANSLATE_NOOP(CONTEXT, "The studio's audio tool (ffmpeg) is missing or cannot start.")
FFMPEG_MISSING_HINT = QT_TRANSLATE_NOOP(CONTEXT, "Reinstall Commune Radio Studio.")
FFMPEG_TIMEOUT = QT_TRANSLATE_NOOP(CONTEXT, "Processing the audio took longer than {seconds} s and was stopped.")

STDERR_TAIL_LINES = 20
_POLL_SECONDS = 0.05
_READ_SIZE = 1 << 20  # as much as the widened pipe holds: fewer, larger pieces for the sink

#: What a caller may feed to ffmpeg's stdin: all at once, or lazily chunk by chunk.
StdinData = bytes | Iterable[bytes]


@dataclass(frozen=True)
class FfmpegOutcome:
    """What one ffmpeg run produced. ``stdout`` is empty when the caller passed a ``stdout_sink``."""

    returncode: int
    stdout: bytes
    stderr_tail: str  # the last STDERR_TAIL_LINES lines, newline-separated: enough to explain a failure
    seconds: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def ffmpeg_exe() -> str:
    """Path of the bundled ffmpeg; a :class:`StudioError` the officer understands if it is not there."""
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError, OSError) as exc:
        log.error("ffmpeg not found: %s", exc)
        raise StudioError(FFMPEG_MISSING, hint=FFMPEG_MISSING_HINT) from exc


def _popen_flags() -> int:
    """On Windows a console child would flash a black window over the studio: hide it."""
    if sys.platform == "win32":
        return subprocess.CREATE_NO_WINDOW
    return 0


class _Pumps:
    """The pipe threads of one run. An error in the caller's feeder or sink stops ffmpeg and is re-raised."""

    def __init__(
        self,
        proc: subprocess.Popen[bytes],
        stdin: StdinData | None,
        stdout_sink: Callable[[bytes], None] | None,
        stderr_line: Callable[[str], None] | None,
    ) -> None:
        self.proc = proc
        self.stop = threading.Event()
        self.error: BaseException | None = None
        self.stdout_chunks: list[bytes] = []
        self.tail: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL_LINES)
        self._sink = stdout_sink
        self._stderr_line = stderr_line
        self._stdin = stdin
        self.threads = [
            threading.Thread(target=self._read_stdout, name="ffmpeg-stdout", daemon=True),
            threading.Thread(target=self._read_stderr, name="ffmpeg-stderr", daemon=True),
        ]
        if stdin is not None:
            self.threads.append(threading.Thread(target=self._write_stdin, name="ffmpeg-stdin", daemon=True))
        for thread in self.threads:
            thread.start()

    def _fail(self, exc: BaseException) -> None:
        if self.error is None:
            self.error = exc
        self.stop.set()
        self.proc.kill()

    def _write_stdin(self) -> None:
        pipe = self.proc.stdin
        assert pipe is not None
        chunks: Iterable[bytes] = [self._stdin] if isinstance(self._stdin, bytes) else (self._stdin or [])
        try:
            for chunk in chunks:
                if self.stop.is_set():
                    break
                pipe.write(chunk)
        except OSError:
            # ffmpeg stopped reading (EPIPE here, EINVAL on Windows): it failed or was killed, and its exit
            # code and stderr say why, which is what the caller must see, not this write error.
            pass
        except BaseException as exc:  # the caller's feeder raised (e.g. Cancelled)
            self._fail(exc)
        finally:
            with contextlib.suppress(OSError):
                pipe.close()

    def _read_stdout(self) -> None:
        pipe = typing.cast(io.BufferedReader, self.proc.stdout)
        try:
            while chunk := pipe.read1(_READ_SIZE):  # whatever has arrived, without waiting for a full buffer
                if self._sink is None:
                    self.stdout_chunks.append(chunk)
                else:
                    self._sink(chunk)
        except BaseException as exc:
            self._fail(exc)
            _drain(pipe)

    def _read_stderr(self) -> None:
        pipe = self.proc.stderr
        assert pipe is not None
        for raw in pipe:
            line = raw.decode("utf-8", errors="replace").rstrip()
            if not line:
                continue
            self.tail.append(line)
            if self._stderr_line is not None:
                try:
                    self._stderr_line(line)
                except BaseException as exc:
                    self._fail(exc)

    def join(self) -> None:
        """Wait for the pipe threads, then close what they used (an unclosed pipe leaks a descriptor)."""
        for thread in self.threads:
            thread.join()
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


_PIPE_BYTES = 1 << 20


def _widen_pipes(proc: subprocess.Popen[bytes]) -> None:
    """Give the audio pipes 1 MiB (Linux) instead of 64 KiB.

    The MP3 encoder drains 64 KiB of float32 in ~2 ms; whenever our feeding thread waits that long for the
    GIL (the loudness meter holds it in short bursts), the encoder sits idle. 1 MiB is ~30 ms of slack.
    Elsewhere, or when the system refuses, the default size stays: slower, never wrong.
    """
    if not sys.platform.startswith("linux"):
        return
    import fcntl

    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            with contextlib.suppress(OSError):
                fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)


def _drain(pipe: IO[bytes]) -> None:
    try:
        while pipe.read(_READ_SIZE):
            pass
    except OSError:
        pass


def run_ffmpeg(
    args: Sequence[str],
    *,
    stdin: StdinData | None = None,
    stdout_sink: Callable[[bytes], None] | None = None,
    stderr_line: Callable[[str], None] | None = None,
    cancel: CancelToken | None = None,
    timeout: float | None = None,
    loglevel: str = "error",
) -> FfmpegOutcome:
    """Run ffmpeg with ``args`` (everything after the global options) and wait for it.

    ``stdin`` is written on a thread, chunk by chunk (a generator keeps memory flat); ``stdout_sink``
    receives output chunks as they arrive instead of collecting them; ``stderr_line`` sees every log line
    (``loglevel`` decides how many there are). A non-zero exit is *returned*, not raised: only the caller
    knows what it means for the user. Raises :class:`Cancelled` when ``cancel`` fires (the child is killed
    first), :class:`StudioError` on ``timeout`` or a missing binary, and re-raises whatever a feeder or sink
    raised.
    """
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-loglevel", loglevel, *args]
    log.debug("ffmpeg: %s", subprocess.list2cmdline(command))
    if cancel is not None:
        cancel.raise_if_cancelled()
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            creationflags=_popen_flags(),
        )
    except OSError as exc:
        log.error("cannot start ffmpeg: %s", exc)
        raise StudioError(FFMPEG_MISSING, hint=FFMPEG_MISSING_HINT) from exc

    _widen_pipes(proc)
    pumps = _Pumps(proc, stdin, stdout_sink, stderr_line)
    deadline = None if timeout is None else started + timeout
    stopped_by: BaseException | None = None
    try:
        while True:
            try:
                proc.wait(timeout=_POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                pass
            if cancel is not None and cancel.cancelled:
                stopped_by = Cancelled()
            elif deadline is not None and time.monotonic() > deadline:
                stopped_by = StudioError(FFMPEG_TIMEOUT, seconds=f"{timeout:g}")
            if stopped_by is not None:
                pumps.stop.set()
                proc.kill()
                proc.wait()
                break
    except BaseException:  # KeyboardInterrupt and friends: never leave an orphan ffmpeg behind
        pumps.stop.set()
        proc.kill()
        proc.wait()
        pumps.join()
        raise
    pumps.join()
    elapsed = time.monotonic() - started
    if stopped_by is not None:
        log.info("ffmpeg stopped after %.1f s: %s", elapsed, type(stopped_by).__name__)
        raise stopped_by
    if pumps.error is not None:
        raise pumps.error
    outcome = FfmpegOutcome(
        returncode=proc.returncode,
        stdout=b"".join(pumps.stdout_chunks),
        stderr_tail="\n".join(pumps.tail),
        seconds=elapsed,
    )
    if not outcome.ok:
        log.warning("ffmpeg exited with %d after %.1f s:\n%s", proc.returncode, elapsed, outcome.stderr_tail)
    return outcome
