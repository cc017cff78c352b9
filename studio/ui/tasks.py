"""The one task helper: run slow work in a thread pool and hear about it on the GUI thread.

The GUI thread only paints and reacts, so anything that may take longer than a frame (rendering, the
database, files) runs as a :class:`Task`. The worker never touches widgets: it reports through Qt
signals of a ``QObject`` that lives in the GUI thread, so Qt queues every report to the GUI thread.
Outcomes are split the way the officer experiences them: a result, a problem they can fix
(:class:`~studio.messages.StudioError`), a cancel, or a bug (for the crash dialog).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot

from studio.messages import Cancelled, StudioError
from studio.tasks import CancelToken, lower_thread_priority

log = logging.getLogger(__name__)

#: ``fn(progress, cancel)``: ``progress(fraction, label, **args)`` may be called from the worker thread.
TaskFunction = Callable[[Callable[..., None], CancelToken], Any]
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class Task(QObject):
    """A handle on one piece of background work; exactly one outcome signal fires, then ``done``.

    Lives in the GUI thread. ``progress`` carries the fraction (0–1), the English source label
    (context ``"Progress"``) and the label's arguments, for the receiver to translate.
    """

    progress = Signal(float, str, object)
    succeeded = Signal(object)
    failed = Signal(object)  # StudioError
    cancelled = Signal()
    crashed = Signal(object)  # ExcInfo
    done = Signal()

    # Emitted from the worker thread; connected (queued, since this object lives in the GUI thread)
    # to the slots below that turn them into the public signals.
    _reported = Signal(float, str, object)
    _finished = Signal(str, object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.token = CancelToken()
        self.running = True
        self._reported.connect(self._on_reported)
        self._finished.connect(self._on_finished)

    def cancel(self) -> None:
        """Ask the work to stop at its next checkpoint; ``cancelled`` follows if it did."""
        self.token.cancel()

    @Slot(float, str, object)
    def _on_reported(self, fraction: float, label: str, args: object) -> None:
        if self.running:
            self.progress.emit(fraction, label, args)

    @Slot(str, object)
    def _on_finished(self, outcome: str, payload: object) -> None:
        self.running = False
        if outcome == "ok":
            self.succeeded.emit(payload)
        elif outcome == "error":
            self.failed.emit(payload)
        elif outcome == "cancelled":
            self.cancelled.emit()
        else:
            self.crashed.emit(payload)
        self.done.emit()


class _Job(QRunnable):
    """Runs the function in a pool thread and posts its outcome to the task."""

    def __init__(self, task: Task, fn: TaskFunction) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task = task
        self._fn = fn
        self._token = task.token

    def run(self) -> None:
        lower_thread_priority()  # the window's thread comes first (see studio.tasks)
        task, token = self._task, self._token

        def progress(fraction: float, label: str, /, **args: object) -> None:
            with contextlib.suppress(RuntimeError):  # the window (and the task) may be gone already
                task._reported.emit(float(fraction), label, args)

        try:
            token.raise_if_cancelled()
            outcome, payload = "ok", self._fn(progress, token)
        except Cancelled:
            outcome, payload = "cancelled", None
        except StudioError as exc:
            log.info("%s: %s", task.name, exc.translated())
            outcome, payload = "error", exc
        except Exception as exc:
            log.exception("%s failed unexpectedly", task.name)
            outcome, payload = "crash", (type(exc), exc, exc.__traceback__)
        with contextlib.suppress(RuntimeError):
            task._finished.emit(outcome, payload)


class TaskRunner(QObject):
    """Starts tasks and keeps them alive until they finish.

    Four pools: ``work`` for slow jobs that may run side by side (renders, listening to a segment),
    ``db``, a single thread, so saves and deletes reach the database in the order the officer made
    them, ``text``, for the editor's quick text checks, which must not wait behind a render, and ``journal``,
    a single thread keeping the typing on the local disk in order (never behind a slow database).
    """

    #: A task failed with an unexpected exception; the window shows the crash dialog.
    crashed = Signal(object)
    #: A task was started (the task panel shows the long ones).
    started = Signal(object)

    def __init__(self, parent: QObject | None = None, *, max_workers: int = 2) -> None:
        super().__init__(parent)
        self._pools = {name: QThreadPool(self) for name in ("work", "db", "text", "journal")}
        for threads in self._pools.values():
            threads.setThreadPriority(QThread.Priority.LowPriority)  # Windows; Linux: lower_thread_priority
        self._pools["work"].setMaxThreadCount(max_workers)
        for name in ("db", "text", "journal"):
            self._pools[name].setMaxThreadCount(1)
        self._running: set[Task] = set()

    def run(self, name: str, fn: TaskFunction, *, pool: str = "work") -> Task:
        """Start ``fn(progress, cancel)`` in the pool; connect to the returned task's signals.

        ``fn`` runs in a worker thread: it should hold what it needs (the studio, ids, values), not a widget,
        whose last reference would otherwise be dropped, and the widget destroyed, in that thread.
        """
        task = Task(name, self)
        self._running.add(task)
        task.done.connect(lambda: self._forget(task))
        task.crashed.connect(self.crashed)
        self._pools[pool].start(_Job(task, fn))
        self.started.emit(task)
        return task

    def call(self, name: str, fn: Callable[[], Any], *, pool: str = "work") -> Task:
        """Start a plain ``fn()`` that needs neither progress nor cancel (a quick database read)."""
        return self.run(name, lambda _progress, _cancel: fn(), pool=pool)

    def _forget(self, task: Task) -> None:
        self._running.discard(task)
        task.deleteLater()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def running(self) -> list[Task]:
        return list(self._running)

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Cancel everything and wait for the threads to stop (on window close). True when all stopped."""
        for task in self._running:
            task.cancel()
        return all(pool.waitForDone(timeout_ms) for pool in self._pools.values())
