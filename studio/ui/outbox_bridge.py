"""The outbox's workers, heard on the GUI thread: one bridge per window session.

:class:`~studio.delivery.outbox.OutboxRunner` reports from its worker threads through a plain callback.
Widgets must only be touched on the GUI thread, so the bridge — a ``QObject`` living there — turns each
report into a private signal emitted from the worker; Qt queues it to the GUI thread, where the public
signals fire. Progress is thinned out in the worker (at most :data:`PROGRESS_PER_SECOND` reports per
job, plus the last one), so a fast local copy never floods the GUI thread's event queue.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal, Slot

from studio.delivery.outbox import OutboxEvent, OutboxRunner
from studio.services import Studio

log = logging.getLogger(__name__)

PROGRESS_PER_SECOND = 10
STOP_SECONDS = 3.0  # how long quitting waits for uploads to put their jobs back in the queue


class OutboxBridge(QObject):
    """Owns the studio's :class:`OutboxRunner` and re-emits its events as Qt signals on the GUI thread.

    ``jobChanged(job_id)`` fires when a job's state may have changed (started, failed, released, finished),
    ``progress(job_id, done, total, speed)`` while bytes flow (speed in bytes per second), ``delivered(job)``
    when a programme arrived, and ``emergencyDelivered(job)`` in addition when it was an emergency.
    """

    jobChanged = Signal(int)
    # job id, bytes done, bytes in all, bytes per second ("qint64": a Python int maps to a 32-bit C++ int)
    progress = Signal(int, "qint64", "qint64", float)  # type: ignore[arg-type]
    delivered = Signal(object)  # Job
    emergencyDelivered = Signal(object)  # Job

    # Emitted from worker threads; this object lives in the GUI thread, so the connection is queued.
    _heard = Signal(object)

    def __init__(self, studio: Studio, parent: QObject | None = None, *,
                 progress_per_second: float = PROGRESS_PER_SECOND) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner: OutboxRunner = studio.outbox_runner(listener=self._from_worker)
        self._min_gap = 1.0 / progress_per_second if progress_per_second > 0 else 0.0
        self._last_progress: dict[int, float] = {}
        self._lock = threading.Lock()
        self._closed = False
        self._heard.connect(self._on_heard)

    # --- control (GUI thread) --------------------------------------------------------------------
    def start(self) -> None:
        """Start workers for every target with unfinished work (reading the queue off the GUI thread)."""
        self.wake()

    def wake(self, target_ids: Iterable[int] | None = None) -> None:
        """Look at the queues again (after queueing, "Retry now", cancel or withdraw). Without ``target_ids``
        the database says which targets have work; that read happens in a short-lived thread."""
        if self._closed:
            return
        if target_ids is not None:
            self.runner.wake(list(target_ids))
            return
        threading.Thread(target=self._wake_all, name="outbox-wake", daemon=True).start()

    def _wake_all(self) -> None:
        try:
            self.runner.wake()
        except Exception:  # the database may be away; the next wake or the window's refresh tries again
            log.exception("outbox: cannot look for work")

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        """Stop the workers (on quit). Waits at most ``timeout`` seconds: an upload stopped at its next
        progress report goes back to the queue and resumes next time; one stuck in a network call is
        left to its daemon thread, and its job is taken over at the next start (its process has ended)."""
        self._closed = True
        self.runner.stop(timeout)

    @property
    def closed(self) -> bool:
        return self._closed

    # --- reports (worker threads) ----------------------------------------------------------------
    def _from_worker(self, event: OutboxEvent) -> None:
        if self._closed:
            return
        if event.kind == "progress":
            now = time.monotonic()
            finished = event.total > 0 and event.done >= event.total
            with self._lock:
                last = self._last_progress.get(event.job_id)
                if last is not None and now - last < self._min_gap and not finished:
                    return
                self._last_progress[event.job_id] = now
        else:
            with self._lock:
                self._last_progress.pop(event.job_id, None)
        with contextlib.suppress(RuntimeError):  # the application (and this object) may be gone already
            self._heard.emit(event)

    # --- reports (GUI thread) --------------------------------------------------------------------
    @Slot(object)
    def _on_heard(self, event: OutboxEvent) -> None:
        if event.kind == "progress":
            self.progress.emit(event.job_id, event.done, event.total, event.speed)
            return
        self.jobChanged.emit(event.job_id)
        if event.kind == "delivered" and event.job is not None:
            self.delivered.emit(event.job)
            if event.job.kind == "deliver" and event.job.priority == "emergency":
                self.emergencyDelivered.emit(event.job)
