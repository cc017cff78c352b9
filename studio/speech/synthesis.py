"""All the speech of one render: cached, concurrent, and falling back to the offline voice when it must.

The renderer hands over every segment at once as :class:`SynthesisRequest` values and gets one
:class:`SynthesisOutcome` per request, in the same order. What this adds over calling engines one by one:

* the cache first: an unchanged bulletin re-renders with no network request and no CPU for speech;
* misses run concurrently (online speech is mostly waiting for the network; eSpeak serialises itself);
* when the online voice is unavailable, the request's fallback chain reads the segment instead and the
  outcome says so and why; after a *lasting* failure (blocked, offline) the online engine is not asked
  again in this run, so twenty segments do not each wait for a timeout;
* audio is cached under the engine that actually produced it: fallback audio never hides under the
  online key, so the next render tries the online voice again.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from studio.audio.pcm import Pcm
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import StudioError
from studio.speech.cache import SynthesisCache, cache_key, stored
from studio.speech.edge import OnlineSpeechUnavailable
from studio.speech.engine import SpeechEngine, VoiceParams
from studio.tasks import CancelToken, ProgressCallback, no_progress, worker_initializer

log = logging.getLogger(__name__)

READING = QT_TRANSLATE_NOOP("Progress", "Reading segment {number}")
NO_ENGINE = QT_TRANSLATE_NOOP("Messages", "The speech engine “{engine}” for segment {number} is not available.")

_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class SynthesisRequest:
    """One segment to speak. ``fallback`` lists (engine id, voice) pairs to try, in order, when the
    engine is unavailable (:class:`~studio.speech.edge.OnlineSpeechUnavailable`)."""

    number: int  # 1-based, as the officer sees it
    text: str  # normalised
    engine: str
    params: VoiceParams
    fallback: tuple[tuple[str, VoiceParams], ...] = ()


@dataclass(frozen=True)
class SynthesisOutcome:
    """The speech of one request and how it was made.

    ``reason`` is empty, or the English message template (translation context "Messages", no
    placeholders) explaining why the fallback voice was used. ``missing`` (only with
    ``allow_missing=True``): no voice could read it; ``pcm`` is empty and ``reason`` says why.
    """

    number: int
    pcm: Pcm
    engine_used: str
    voice_used: str
    fell_back: bool
    reason: str
    cached: bool
    missing: bool = False
    key: str = ""  # the speech cache key of ``pcm`` (empty without a cache): names the sound for later stages


class NoVoiceLeft(StudioError):
    """Segment ``number`` could be read neither by its online voice nor by any fallback voice.

    Carries the online voice's message (``error``), so that even uncaught it tells the officer why.
    """

    def __init__(self, number: int, error: OnlineSpeechUnavailable) -> None:
        super().__init__(error.text, hint=error.hint)
        self.number = number
        self.error = error
        self.reason = error.reason


class _Run:
    """State shared by the workers of one :meth:`Synthesizer.synthesize_all` call."""

    def __init__(self) -> None:
        self.stop = CancelToken()  # the user's cancel, or another item's error
        self._lock = threading.Lock()
        self._given_up: dict[str, OnlineSpeechUnavailable] = {}

    def given_up(self, engine_id: str) -> OnlineSpeechUnavailable | None:
        with self._lock:
            return self._given_up.get(engine_id)

    def give_up(self, engine_id: str, error: OnlineSpeechUnavailable) -> None:
        with self._lock:
            if engine_id not in self._given_up:
                log.warning("not asking %s again in this render: %s", engine_id, error.reason)
                self._given_up[engine_id] = error


class Synthesizer:
    """Turns a render's requests into audio through ``engines`` (by engine id) and ``cache``.

    Engines must be thread-safe: up to ``max_concurrency`` requests run at once on worker threads.
    One instance may serve many renders; each :meth:`synthesize_all` call is independent.
    """

    def __init__(self, engines: Mapping[str, SpeechEngine], cache: SynthesisCache | None,
                 max_concurrency: int = 4) -> None:
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        self.engines = engines
        self.cache = cache
        self.max_concurrency = max_concurrency

    def synthesize_all(self, requests: Sequence[SynthesisRequest], *, progress: ProgressCallback = no_progress,
                       cancel: CancelToken | None = None, allow_missing: bool = False) -> list[SynthesisOutcome]:
        """One outcome per request, in order. Reports ``progress(fraction, READING, number=…)`` from the
        calling thread only. Raises :class:`NoVoiceLeft` when neither a request's voice nor its fallbacks
        could read it (with ``allow_missing``, that request's outcome is ``missing`` instead and the others
        go on), the first other :class:`StudioError` (the other requests are then stopped), or
        :class:`~studio.messages.Cancelled` promptly when ``cancel`` fires."""
        token = cancel if cancel is not None else CancelToken()
        token.raise_if_cancelled()
        outcomes: list[SynthesisOutcome | None] = [None] * len(requests)
        for index, request in enumerate(requests):
            outcomes[index] = self._cached(request, request.engine, request.params)
        total = len(requests)
        waiting = [index for index, outcome in enumerate(outcomes) if outcome is None]

        def report() -> None:
            left = [requests[index].number for index in waiting]
            number = min(left) if left else (requests[-1].number if requests else 0)
            progress((total - len(left)) / total if total else 1.0, READING, number=number)

        report()
        if waiting:
            run = _Run()
            with concurrent.futures.ThreadPoolExecutor(min(self.max_concurrency, len(waiting)),
                                                       thread_name_prefix="synthesis",
                                                       initializer=worker_initializer()) as pool:
                futures = {pool.submit(self._synthesize, requests[index], run): index for index in waiting}
                try:
                    remaining = set(futures)
                    while remaining:
                        done, remaining = concurrent.futures.wait(
                            remaining, timeout=_POLL_SECONDS, return_when=concurrent.futures.FIRST_COMPLETED)
                        for future in done:
                            index = futures[future]
                            try:
                                outcomes[index] = future.result()
                            except NoVoiceLeft as exc:
                                if not allow_missing:
                                    raise
                                outcomes[index] = SynthesisOutcome(
                                    exc.number, Pcm.silence(0, 24000), "", "", True, exc.error.text, False,
                                    missing=True)
                            waiting.remove(index)
                        if done:
                            report()
                        token.raise_if_cancelled()
                except BaseException:
                    run.stop.cancel()
                    for future in futures:
                        future.cancel()
                    raise
        result = [outcome for outcome in outcomes if outcome is not None]
        assert len(result) == total
        return result

    def _engine(self, engine_id: str, number: int) -> SpeechEngine:
        engine = self.engines.get(engine_id)
        if engine is None:
            raise StudioError(NO_ENGINE, engine=engine_id, number=number)
        return engine

    def _key(self, request: SynthesisRequest, engine_id: str, params: VoiceParams) -> str:
        return cache_key(request.text, engine_id, self._engine(engine_id, request.number).version(), params)

    def _cached(self, request: SynthesisRequest, engine_id: str, params: VoiceParams,
                reason: str = "") -> SynthesisOutcome | None:
        if self.cache is None:
            return None
        key = self._key(request, engine_id, params)
        pcm = self.cache.get(key)
        if pcm is None:
            return None
        return SynthesisOutcome(request.number, pcm, engine_id, params.voice, bool(reason), reason, True, key=key)

    def _speak(self, request: SynthesisRequest, engine_id: str, params: VoiceParams, run: _Run,
               reason: str = "") -> SynthesisOutcome:
        pcm = self._engine(engine_id, request.number).synthesize(request.text, params, run.stop)
        key = ""
        if self.cache is not None:
            key = self._key(request, engine_id, params)
            self.cache.put(key, pcm)
            pcm = stored(pcm)  # what a later cache hit returns: the first render and the next sound the same
        return SynthesisOutcome(request.number, pcm, engine_id, params.voice, bool(reason), reason, False, key=key)

    def _synthesize(self, request: SynthesisRequest, run: _Run) -> SynthesisOutcome:
        """On a worker: the request's own engine (its cache entry already missed), then the fallbacks."""
        run.stop.raise_if_cancelled()
        error = run.given_up(request.engine)
        if error is None:
            try:
                return self._speak(request, request.engine, request.params, run)
            except OnlineSpeechUnavailable as exc:
                if exc.lasting:
                    run.give_up(request.engine, exc)
                error = exc
        for engine_id, params in request.fallback:
            run.stop.raise_if_cancelled()
            if engine_id not in self.engines or run.given_up(engine_id) is not None:
                continue
            outcome = self._cached(request, engine_id, params, error.text)
            if outcome is not None:
                return outcome
            try:
                outcome = self._speak(request, engine_id, params, run, error.text)
            except OnlineSpeechUnavailable as exc:
                if exc.lasting:
                    run.give_up(engine_id, exc)
                continue
            log.info("segment %d read by %s %s instead of %s: %s", request.number, engine_id, params.voice,
                     request.engine, error.reason)
            return outcome
        raise NoVoiceLeft(request.number, error)
