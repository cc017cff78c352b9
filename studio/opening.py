"""Opening the studio's library in the background while the first window is already up.

Importing the studio's services (numpy, SQLAlchemy, the speech engines, the delivery code) and opening and
checking the database take most of a start-up: about four times what Qt needs for an empty window on the
benchmark's machine. The officer who starts the studio first has to log in, which takes a person seconds, so
the window can ask for the name and password at once while :class:`StudioOpening` does that work on its own
thread (and then imports the main window's modules, so that the window itself is quick to build once the
password is accepted).

:class:`LateStudio` stands in for the :class:`~studio.services.Studio` until it exists: the settings and
paths (known from the start) at once; anything else waits for the opening, which is why only worker
threads may ask it for more (the login's database tasks do). No Qt here: the GUI hears of the end through
:meth:`StudioOpening.when_done`.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any

from studio.config import Settings
from studio.messages import Cancelled
from studio.paths import StudioPaths

if TYPE_CHECKING:
    from studio.services import Studio

log = logging.getLogger(__name__)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

# How long :meth:`StudioOpening.close` waits for an opening still under way. An opening takes about a second;
# one that takes longer waits for an unreachable database server (10 s before PostgreSQL's connection gives
# up), and the officer who quit should not wait for that: the opening then closes what it opens by itself.
CLOSE_WAIT_S = 3.0


@dataclass(frozen=True)
class Opened:
    """The open studio, and whether it is new (no station and no account: the set-up wizard's turn)."""

    studio: Studio
    first_run: bool


class StudioOpening:
    """Open the studio under ``paths`` on a thread of its own, then import ``warm`` (module names).

    :meth:`wait` returns the :class:`Opened` studio or raises what stopped the opening; the warm-up's
    imports are only a head start (a failure there is logged and the window imports the module itself).
    """

    def __init__(self, paths: StudioPaths, settings: Settings, *, warm: Sequence[str] = ()) -> None:
        self.paths = paths
        self.settings = settings
        self.warm = tuple(warm)
        self._opened: Opened | None = None
        self._error: ExcInfo | None = None
        self._done = threading.Event()
        self._ended = threading.Event()  # done, or given up by cancel(): what wait() waits for
        self._warmed = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []
        self._thread: threading.Thread | None = None
        self._closed = False
        self._opened_to_close: Opened | None = None  # closed once, by close() or by the opening itself

    def start(self) -> None:
        """Begin (once); does nothing after :meth:`cancel` (or :meth:`close`)."""
        with self._lock:
            if self._thread is not None or self._closed:
                return
            self._thread = threading.Thread(target=self._run, name="studio-opening", daemon=True)
            self._thread.start()

    @property
    def started(self) -> bool:
        return self._thread is not None

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def when_done(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` once the studio is open or failed to open: on the opening's thread, or at once
        on the caller's when that happened already."""
        with self._lock:
            if not self._done.is_set():
                self._callbacks.append(callback)
                return
        callback()

    def wait(self, timeout: float | None = None, *, start: bool = True) -> Opened:
        """The open studio (starting the opening if nobody did, unless ``start`` is false: then whoever starts
        it decides when); raises the opening's error. ``TimeoutError`` when ``timeout`` seconds pass first;
        :class:`~studio.messages.Cancelled` when :meth:`cancel` gave up on an opening that had not ended."""
        if start:
            self.start()
        if not self._ended.wait(timeout):
            raise TimeoutError("the studio is still opening")
        if not self._done.is_set():
            raise Cancelled()
        if self._error is not None:
            raise self._error[1].with_traceback(self._error[2])
        assert self._opened is not None
        return self._opened

    @property
    def error(self) -> ExcInfo | None:
        return self._error if self._done.is_set() else None

    def join_warm_up(self, timeout: float | None = None) -> None:
        """Wait for the warm-up's imports to end: a thread that imports the same modules meanwhile could
        deadlock with it (Python's import locks are per module)."""
        if self._thread is not None:
            self._warmed.wait(timeout)

    def cancel(self) -> None:
        """Nobody will use this opening any more (the officer quit): later :meth:`start` calls do nothing, and
        whoever waits for an opening that has not ended (a login's database task, through :class:`LateStudio`)
        gets :class:`~studio.messages.Cancelled` at once instead of waiting for it, perhaps for ever when it
        never started. A studio already open stays open, for its window's last tasks: :meth:`close` closes it."""
        with self._lock:
            self._closed = True
        self._ended.set()

    def close(self, timeout: float | None = CLOSE_WAIT_S) -> None:
        """:meth:`cancel`, then close the studio the opening opened, waiting up to ``timeout`` seconds for an
        opening still under way (past that, the opening's thread closes the studio itself when it gets there)."""
        self.cancel()
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                log.info("closing while the library is still opening (its server does not answer): not waiting")
                return
        self._close_opened()

    def _close_opened(self) -> None:
        with self._lock:
            opened, self._opened_to_close = self._opened_to_close, None
        if opened is not None:
            opened.studio.close()

    # --- the opening's thread --------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._open()
        except BaseException:  # handed to whoever waits, in full
            self._error = sys.exc_info()  # type: ignore[assignment]
            log.debug("the studio did not open", exc_info=True)
        self._finish()
        if self._closed:  # close() stopped waiting for this opening: its studio is closed here
            self._close_opened()
        elif self._error is None:
            self._warm_up()
        self._warmed.set()

    def _open(self) -> None:
        from studio.first_run import needs_first_run
        from studio.services import Studio

        studio = Studio.open(self.paths, self.settings)
        try:
            first_run = needs_first_run(studio)  # a new studio: the set-up wizard asks for the station
            if not first_run and studio.repo.first_station() is None:
                studio.ensure_library()  # accounts but no station (set-up cut short): the usual station
        except BaseException:
            studio.close()
            raise
        self._opened = self._opened_to_close = Opened(studio, first_run)

    def _finish(self) -> None:
        with self._lock:
            self._done.set()
            self._ended.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            try:
                callback()
            except Exception:  # a listener's bug must not stop the others
                log.exception("a listener of the studio's opening failed")

    def _warm_up(self) -> None:
        for name in self.warm:
            if self._closed:
                return
            try:
                importlib.import_module(name)
            except Exception:  # only a head start: the window imports it again and reports
                log.warning("could not import %s ahead of the window", name, exc_info=True)


class LateStudio:
    """The :class:`~studio.services.Studio` that ``opening`` is opening: ``settings`` and ``paths`` at once,
    everything else once it is open (so: only from worker threads while it may still be opening).

    Asking does not start the opening: the window that shows first starts it once it has painted (a worker
    thread asking as the window is built would otherwise start the opening's imports during its first paint).
    """

    def __init__(self, opening: StudioOpening) -> None:
        object.__setattr__(self, "_opening", opening)
        object.__setattr__(self, "settings", opening.settings)
        object.__setattr__(self, "paths", opening.paths)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._opening.wait(start=False).studio, name)

    def __setattr__(self, name: str, value: object) -> None:
        setattr(self._opening.wait(start=False).studio, name, value)
