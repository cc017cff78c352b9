"""Online neural voices through Microsoft Edge's read-aloud service (edge-tts), made dependable.

edge-tts is asyncio, so one event loop runs in one daemon thread for all network speech of the process
that owns the engine; :meth:`EdgeEngine.synthesize` is a blocking call usable from any worker thread, and
an ``asyncio.Semaphore`` on that loop bounds how many requests are in flight whoever asks.

The service is free, unofficial and unreliable in known ways, each handled here:

* long text silently loses chunks: text goes out sentence by sentence (at most ``chunk_chars``), and the
  decoded audio is checked against the boundary metadata the service sends with it and against the
  end of the turn (a stream that stops without ``turn.end`` is incomplete); short audio is fetched again;
* the connection is flaky: transient failures are retried with exponential backoff;
* edge-tts's own receive timeout does not cover websocket reads (a stalled service hangs it forever):
  every request runs under our own deadline, pushed back by each message received;
* Microsoft changes its token scheme from time to time (403), throttles (429), or is simply not there:
  each becomes an :class:`OnlineSpeechUnavailable` with a ``reason``, so that the synthesizer can hand
  the segment to the offline voice and tell the officer why.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import math
import re
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from studio.audio.codec import decode_bytes
from studio.audio.pcm import Pcm
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import Cancelled, StudioError
from studio.speech.engine import VoiceInfo, VoiceParams
from studio.speech.espeak import NOTHING_TO_READ, NOTHING_TO_READ_HINT
from studio.speech.voices import VOICE_CACHE_NAME, load_voices
from studio.tasks import CancelToken
from studio.text.chunks import split_for_synthesis
from studio.text.speakable import has_speakable_text

if TYPE_CHECKING:
    import edge_tts

# edge_tts and aiohttp are imported where the service is spoken to: together they take a few tenths of a
# second to import, and the studio's window (which builds this engine) opens without speaking.

log = logging.getLogger(__name__)

T = TypeVar("T")

SAMPLE_RATE = 24_000  # the service's audio-24khz-48kbitrate-mono-mp3
CHUNK_CHARS = 300  # per request: a sentence or two; the service loses parts of long requests
_TICKS_PER_SECOND = 10_000_000  # boundary offsets and durations are in 100 ns ticks
_POLL_SECONDS = 0.05
_VOICE_NAME = re.compile(r"^[a-z]{2,}-[A-Z]{2,}-\w+Neural$")

# Why the online voice could not read a text (OnlineSpeechUnavailable.reason).
BLOCKED, THROTTLED, OFFLINE, INCOMPLETE, FAILED = "blocked", "throttled", "offline", "incomplete", "failed"
#: Reasons that will not go away within one render: stop asking the service for the rest of it.
LASTING = frozenset({BLOCKED, OFFLINE})

# The texts have no placeholders, so a caller can keep just the template as a translatable reason.
BLOCKED_TEXT = QT_TRANSLATE_NOOP(
    "Messages", "Microsoft's online voice refused the request: Microsoft has changed how the service is accessed."
)
BLOCKED_HINT = QT_TRANSLATE_NOOP(
    "Messages", "The offline voice reads instead where the preset has one. Update Commune Radio Studio to use "
    "the online voice again.",
)
THROTTLED_TEXT = QT_TRANSLATE_NOOP(
    "Messages", "Microsoft's online voice received too many requests from this computer."
)
THROTTLED_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Wait a few minutes, then render again. The offline voice reads instead where the preset has one."
)
OFFLINE_TEXT = QT_TRANSLATE_NOOP(
    "Messages", "Microsoft's online voice cannot be reached: there is no internet connection, or it is too slow."
)
OFFLINE_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Check the internet connection, then render again. The offline voice reads instead where the "
    "preset has one.",
)
INCOMPLETE_TEXT = QT_TRANSLATE_NOOP(
    "Messages", "Microsoft's online voice kept sending incomplete audio, even after several attempts."
)
FAILED_TEXT = QT_TRANSLATE_NOOP(
    "Messages", "Microsoft's online voice answered in a way the studio does not understand."
)
LATER_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Render again later; if it keeps happening, update Commune Radio Studio. The offline voice reads "
    "instead where the preset has one.",
)
UNKNOWN_VOICE = QT_TRANSLATE_NOOP("Messages", "“{voice}” is not the name of an online voice.")
UNKNOWN_VOICE_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Online voice names look like vi-VN-HoaiMyNeural. Choose one in the language preset."
)

_MESSAGES = {
    BLOCKED: (BLOCKED_TEXT, BLOCKED_HINT),
    THROTTLED: (THROTTLED_TEXT, THROTTLED_HINT),
    OFFLINE: (OFFLINE_TEXT, OFFLINE_HINT),
    INCOMPLETE: (INCOMPLETE_TEXT, LATER_HINT),
    FAILED: (FAILED_TEXT, LATER_HINT),
}


class OnlineSpeechUnavailable(StudioError):
    """The online voice could not read a text. ``reason`` is one of BLOCKED, THROTTLED, OFFLINE, INCOMPLETE,
    FAILED; ``lasting`` says whether asking again within the same render is pointless."""

    def __init__(self, reason: str) -> None:
        text, hint = _MESSAGES[reason]
        super().__init__(text, hint=hint)
        self.reason = reason

    @property
    def lasting(self) -> bool:
        return self.reason in LASTING


class _Failure(Exception):
    """One failed request, inside the engine: whether another attempt may help."""

    def __init__(self, reason: str, retry: bool, detail: object) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.retry = retry


@dataclass(frozen=True)
class Boundary:
    """A sentence (or word) the service says it spoke, in seconds from the start of its audio."""

    offset: float
    duration: float
    text: str


@dataclass(frozen=True)
class _Received:
    mp3: bytes
    boundaries: tuple[Boundary, ...]
    turn_ended: bool | None  # None: this edge-tts version does not let us tell


def _classify(exc: BaseException) -> _Failure:
    """Map what edge-tts and aiohttp raise to a reason, and whether retrying makes sense."""
    import aiohttp
    from edge_tts.exceptions import EdgeTTSException, NoAudioReceived, SkewAdjustmentError

    if isinstance(exc, TimeoutError):  # includes aiohttp's; already cost a full timeout: not retried
        return _Failure(OFFLINE, False, exc)
    if isinstance(exc, aiohttp.ClientResponseError):
        if exc.status == 403:  # edge-tts has already retried once with a corrected clock
            return _Failure(BLOCKED, False, exc)
        if exc.status == 429:
            return _Failure(THROTTLED, True, exc)
        return _Failure(FAILED, True, exc)
    if isinstance(exc, SkewAdjustmentError):
        return _Failure(BLOCKED, False, exc)
    if isinstance(exc, aiohttp.ClientError | OSError):  # refused, reset, DNS failure, disconnected
        return _Failure(OFFLINE, True, exc)
    if isinstance(exc, NoAudioReceived):
        return _Failure(INCOMPLETE, True, exc)
    if isinstance(exc, EdgeTTSException | ValueError | KeyError):  # a protocol the client no longer understands
        return _Failure(FAILED, True, exc)
    raise exc


def _turn_ended(communicate: edge_tts.Communicate, received: int) -> bool | None:
    """Whether the service sent ``turn.end`` (edge-tts 7 moves the byte count into its total only then)."""
    state = getattr(communicate, "state", None)
    if not isinstance(state, dict) or "chunk_audio_bytes" not in state or "cumulative_audio_bytes" not in state:
        return None
    return bool(state["chunk_audio_bytes"] == 0 and state["cumulative_audio_bytes"] == received)


class EdgeEngine:
    """Microsoft Edge's neural voices (``vi-VN-HoaiMyNeural`` …) as a :class:`~studio.speech.engine.SpeechEngine`.

    Thread-safe; the network loop starts on first use and stops with :meth:`close`. ``attempts``,
    ``backoff`` (seconds before the 2nd attempt, doubling after) and the timeouts are parameters so that
    tests run fast. Audio is mono float32 at 24 kHz. ``voice_cache_dir`` keeps the last voice list fetched
    (``edge-voices.json``, see :mod:`studio.speech.voices`).
    """

    def __init__(self, *, voice_cache_dir: Path | None = None, max_concurrency: int = 4, attempts: int = 3,
                 backoff: float = 0.5, connect_timeout: float = 10.0, receive_timeout: float = 20.0,
                 chunk_chars: int = CHUNK_CHARS, shortfall_fraction: float = 0.15,
                 shortfall_seconds: float = 0.7) -> None:
        if max_concurrency < 1 or attempts < 1:
            raise ValueError("max_concurrency and attempts must be at least 1")
        self.voice_cache = None if voice_cache_dir is None else voice_cache_dir / VOICE_CACHE_NAME
        self.max_concurrency = max_concurrency
        self.attempts = attempts
        self.backoff = backoff
        self.connect_timeout = connect_timeout
        self.receive_timeout = receive_timeout
        self.chunk_chars = chunk_chars
        self.shortfall_fraction = shortfall_fraction
        self.shortfall_seconds = shortfall_seconds
        self.requests = 0  # requests sent to the service (each try counts): for logs, tests and benchmarks
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._semaphore: asyncio.Semaphore | None = None

    @property
    def engine_id(self) -> str:
        return "edge"

    def version(self) -> str:
        """The client's version: a new client may speak differently, so it is part of the cache key."""
        import edge_tts

        return f"edge-tts {edge_tts.__version__}"

    def voices(self) -> list[VoiceInfo]:
        """The live voice list (cached for offline use), else the cached one, else the built-in defaults.

        Network I/O: call it from a worker thread, not the GUI thread.
        """
        return load_voices(self._fetch_voice_list, self.voice_cache)

    def _fetch_voice_list(self) -> list[dict[str, Any]]:
        import edge_tts

        async def fetch() -> list[dict[str, Any]]:
            try:
                async with asyncio.timeout(self.connect_timeout + self.receive_timeout):
                    return [dict(voice) for voice in await edge_tts.list_voices()]
            except Exception as exc:
                failure = _classify(exc)
                raise OnlineSpeechUnavailable(failure.reason) from exc

        return self._wait(self._submit(fetch()), CancelToken())

    # --- the loop -------------------------------------------------------------------------------------

    def _ensure_loop(self) -> tuple[asyncio.AbstractEventLoop, asyncio.Semaphore]:
        with self._lock:
            if self._loop is None or self._semaphore is None:
                loop = asyncio.new_event_loop()
                thread = threading.Thread(target=loop.run_forever, name="edge-tts", daemon=True)
                thread.start()
                self._loop, self._thread = loop, thread
                self._semaphore = asyncio.Semaphore(self.max_concurrency)  # binds to the loop on first use
            return self._loop, self._semaphore

    def close(self) -> None:
        """Cancel what is in flight, stop the loop and its thread. A later call starts a new loop."""
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = self._semaphore = None
        if loop is None or thread is None:
            return

        async def cancel_all() -> None:
            tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await loop.shutdown_asyncgens()

        with contextlib.suppress(concurrent.futures.TimeoutError, RuntimeError):
            asyncio.run_coroutine_threadsafe(cancel_all(), loop).result(timeout=5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        if not thread.is_alive():
            loop.close()

    def __enter__(self) -> EdgeEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _submit(self, coro: Coroutine[Any, Any, T], loop: asyncio.AbstractEventLoop | None = None
                ) -> concurrent.futures.Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, loop or self._ensure_loop()[0])

    def _wait(self, future: concurrent.futures.Future[T], cancel: CancelToken) -> T:
        """Block until ``future`` is done; on cancel, cancel its task (which closes the connection)."""
        try:
            while not future.done():
                concurrent.futures.wait([future], timeout=_POLL_SECONDS)
                if cancel.cancelled:
                    raise Cancelled()
        except BaseException:
            future.cancel()
            raise
        return future.result()

    # --- speech ---------------------------------------------------------------------------------------

    def synthesize(self, text: str, params: VoiceParams, cancel: CancelToken | None = None) -> Pcm:
        """Read ``text`` with an online voice: chunked, checked, retried. Blocks; callable from any thread.

        Raises :class:`OnlineSpeechUnavailable` when the service cannot deliver complete audio,
        :class:`StudioError` for a voice name that cannot exist or a text with nothing to read, and
        :class:`Cancelled` promptly when ``cancel`` fires.
        """
        token = cancel if cancel is not None else CancelToken()
        token.raise_if_cancelled()
        if not has_speakable_text(text):
            raise StudioError(NOTHING_TO_READ, hint=NOTHING_TO_READ_HINT)
        if not _VOICE_NAME.match(params.voice):
            raise StudioError(UNKNOWN_VOICE, hint=UNKNOWN_VOICE_HINT, voice=params.voice)
        chunks = split_for_synthesis(text, self.chunk_chars)
        pieces: dict[int, Pcm] = {}
        pending = list(range(len(chunks)))
        last: _Failure | None = None
        for attempt in range(self.attempts):
            if attempt:
                self._pause(self.backoff * 2 ** (attempt - 1), token)
            loop, semaphore = self._ensure_loop()
            futures = {index: self._submit(self._request(chunks[index], params, semaphore), loop)
                       for index in pending}
            try:
                for index, future in futures.items():
                    try:
                        pieces[index] = self._checked(self._wait(future, token), token)
                    except _Failure as failure:
                        log.info("online voice, chunk %d of %d, attempt %d: %s", index + 1, len(chunks),
                                 attempt + 1, failure)
                        if not failure.retry:
                            raise OnlineSpeechUnavailable(failure.reason) from failure
                        last = failure
            except BaseException:
                for future in futures.values():
                    future.cancel()
                raise
            pending = [index for index in pending if index not in pieces]
            if not pending:
                samples = np.concatenate([pieces[index].samples for index in range(len(chunks))])
                return Pcm(samples, SAMPLE_RATE)
        assert last is not None
        log.warning("online voice gave up after %d attempts: %s", self.attempts, last)
        raise OnlineSpeechUnavailable(last.reason) from last

    @staticmethod
    def _pause(seconds: float, cancel: CancelToken) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            cancel.raise_if_cancelled()
            time.sleep(min(left, _POLL_SECONDS))
        cancel.raise_if_cancelled()

    def _checked(self, received: _Received, cancel: CancelToken) -> Pcm:
        """Decode one chunk's MP3; raise a retryable :class:`_Failure` if it is shorter than announced."""
        if received.turn_ended is False:
            raise _Failure(INCOMPLETE, True, "the stream stopped before turn.end")
        try:
            pcm = decode_bytes(received.mp3, input_format="mp3", rate=SAMPLE_RATE, channels=1, cancel=cancel)
        except StudioError as exc:
            raise _Failure(FAILED, True, exc) from exc
        if received.boundaries:
            announced = max(b.offset + b.duration for b in received.boundaries)
            allowed = min(self.shortfall_fraction * announced, self.shortfall_seconds)
            if pcm.duration < announced - allowed:
                raise _Failure(INCOMPLETE, True, f"{pcm.duration:.2f} s of audio, {announced:.2f} s announced")
        return pcm

    async def _request(self, text: str, params: VoiceParams, semaphore: asyncio.Semaphore) -> _Received:
        """One websocket request for one chunk, under the shared semaphore and our own deadline."""
        import edge_tts

        async with semaphore:
            self.requests += 1
            communicate = edge_tts.Communicate(
                text, params.voice, rate=f"{params.rate:+d}%", volume=f"{params.volume:+d}%",
                pitch=f"{params.pitch:+d}Hz", boundary="SentenceBoundary",
                connect_timeout=max(1, math.ceil(self.connect_timeout)),
                receive_timeout=max(1, math.ceil(self.receive_timeout)),
            )
            audio = bytearray()
            boundaries: list[Boundary] = []
            loop = asyncio.get_running_loop()
            try:
                async with asyncio.timeout(self.connect_timeout + self.receive_timeout) as deadline:
                    async with contextlib.aclosing(communicate.stream()) as stream:
                        async for message in stream:
                            deadline.reschedule(loop.time() + self.receive_timeout)
                            if message["type"] == "audio":
                                audio += message["data"]
                            else:
                                boundaries.append(Boundary(message["offset"] / _TICKS_PER_SECOND,
                                                           message["duration"] / _TICKS_PER_SECOND,
                                                           message.get("text", "")))
            except Exception as exc:
                raise _classify(exc) from exc
        return _Received(bytes(audio), tuple(boundaries), _turn_ended(communicate, len(audio)))
