"""The one task helper: run slow work in a thread pool and hear about it on the GUI thread.

The GUI thread only paints and reacts, so anything that may take longer than a frame (rendering, the
database, files) runs as a :class:`Task`. The worker never touches widgets, nor the task itself: it reports
through the signals of one ``QObject`` that lives in the GUI thread for as long as the application
(:class:`_Mailbox`), so Qt queues every report to the GUI thread, which hands it to the task if the task is
still there. (A worker that emitted the task's own signals could do so while the GUI thread was deleting
the task with its window: a crash.)
Outcomes are split the way the officer experiences them: a result, a problem they can fix
(:class:`~studio.messages.StudioError`), a cancel, or a bug (for the crash dialog).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThread, QThreadPool, QTimer, Signal, Slot
from shiboken6 import isValid

from studio.messages import Cancelled, StudioError
from studio.tasks import CancelToken, lower_thread_priority

log = logging.getLogger(__name__)

#: ``fn(progress, cancel)``: ``progress(fraction, label, **args)`` may be called from the worker thread.
TaskFunction = Callable[[Callable[..., None], CancelToken], Any]
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

# The shortest gap between two progress reports that reach the widgets. A render or a read-aloud reports
# 50 times a second or more, and each report repaints its bars and labels: while a render, two read-alouds
# and three uploads ran, that was most of the GUI thread's painting (benchmarks/bench_gui_stall.py).
# Ten a second still looks continuous.
PROGRESS_GAP_MS = 100


class Task(QObject):
    """A handle on one piece of background work; exactly one outcome signal fires, then ``done``.

    Lives in the GUI thread. ``progress`` carries the fraction (0–1), the English source label
    (context ``"Progress"``) and the label's arguments, for the receiver to translate. It fires at most every
    :data:`PROGRESS_GAP_MS`: the first report at once, the latest of those that came during a gap at its end,
    or just before the outcome when that comes first (never after it).
    """

    progress = Signal(float, str, object)
    succeeded = Signal(object)
    failed = Signal(object)  # StudioError
    cancelled = Signal()
    crashed = Signal(object)  # ExcInfo
    done = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.token = CancelToken()
        self.running = True
        self._held: tuple[float, str, object] | None = None  # the latest report, waiting for the gap's end
        self._pacer: QTimer | None = None

    def cancel(self) -> None:
        """Ask the work to stop at its next checkpoint; ``cancelled`` follows if it did."""
        self.token.cancel()

    def _on_reported(self, fraction: float, label: str, args: object) -> None:
        if not self.running:
            return
        if self._pacer is not None and self._pacer.isActive():
            self._held = (fraction, label, args)
            return
        self._report(fraction, label, args)

    def _report(self, fraction: float, label: str, args: object) -> None:
        self._held = None
        if self._pacer is None:
            self._pacer = QTimer(self)
            self._pacer.setSingleShot(True)
            self._pacer.setInterval(PROGRESS_GAP_MS)
            self._pacer.timeout.connect(self._on_gap_end)
        self._pacer.start()
        self.progress.emit(fraction, label, args)

    def _on_gap_end(self) -> None:
        if self._held is not None and self.running:
            self._report(*self._held)

    def _on_finished(self, outcome: str, payload: object) -> None:
        if self._held is not None and self.running:  # the last report is seen, before the outcome
            self._report(*self._held)
        if self._pacer is not None:
            self._pacer.stop()
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


class _Mailbox(QObject):
    """Where pool threads post their tasks' progress and outcomes; the GUI thread hands them on.

    One per application, made in the GUI thread and kept until the application goes: a worker emits only
    here, never on an object the GUI thread may delete meanwhile. The task travels as a plain Python object
    and is told only if it still exists.
    """

    reported = Signal(object, float, str, object)
    finished = Signal(object, str, object)

    def __init__(self) -> None:
        super().__init__(QCoreApplication.instance())
        self.reported.connect(self._deliver_report)
        self.finished.connect(self._deliver_outcome)

    @Slot(object, float, str, object)
    def _deliver_report(self, task: Task, fraction: float, label: str, args: object) -> None:
        if isValid(task):
            task._on_reported(fraction, label, args)

    @Slot(object, str, object)
    def _deliver_outcome(self, task: Task, outcome: str, payload: object) -> None:
        if isValid(task):
            task._on_finished(outcome, payload)


_mailbox: _Mailbox | None = None


def _the_mailbox() -> _Mailbox:
    """The application's mailbox (made on first use, in the GUI thread: the task runner's constructor)."""
    global _mailbox
    if _mailbox is None or not isValid(_mailbox):
        _mailbox = _Mailbox()
    return _mailbox


class _Job(QRunnable):
    """Runs the function in a pool thread and posts its outcome to the task (through the mailbox)."""

    def __init__(self, task: Task, fn: TaskFunction, mailbox: _Mailbox) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task = task
        self._fn = fn
        self._token = task.token
        self._mailbox = mailbox

    def run(self) -> None:
        lower_thread_priority()  # the window's thread comes first (see studio.tasks)
        task, token, mailbox = self._task, self._token, self._mailbox
        name = task.name

        def progress(fraction: float, label: str, /, **args: object) -> None:
            mailbox.reported.emit(task, float(fraction), label, args)

        try:
            token.raise_if_cancelled()
            outcome, payload = "ok", self._fn(progress, token)
        except Cancelled:
            outcome, payload = "cancelled", None
        except StudioError as exc:
            log.info("%s: %s", name, exc.translated())
            outcome, payload = "error", exc
        except Exception as exc:
            log.exception("%s failed unexpectedly", name)
            outcome, payload = "crash", (type(exc), exc, exc.__traceback__)
        mailbox.finished.emit(task, outcome, payload)


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
        self._mailbox = _the_mailbox()

    def run(self, name: str, fn: TaskFunction, *, pool: str = "work") -> Task:
        """Start ``fn(progress, cancel)`` in the pool; connect to the returned task's signals.

        ``fn`` runs in a worker thread: it should hold what it needs (the studio, ids, values), not a widget,
        whose last reference would otherwise be dropped, and the widget destroyed, in that thread.
        """
        task = Task(name, self)
        self._running.add(task)
        task.done.connect(lambda: self._forget(task))
        task.crashed.connect(self.crashed)
        self._pools[pool].start(_Job(task, fn, self._mailbox))
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
