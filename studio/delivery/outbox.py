"""The outbox's workers: one serial worker per target, targets in parallel, emergencies first.

Each worker takes its target's next job from :class:`~studio.store.outbox.OutboxStore` (emergency before
priority before normal, then oldest), sends it, and records the outcome. A failure that time may cure
(network down, connection cut, remote disk full) backs off exponentially with jitter — seconds for an
emergency, up to a quarter of an hour for a normal programme — and a failure that needs a person (wrong
password, unknown host key, refused) waits for "Retry now". While a normal upload is running, an
emergency queued for the same target pauses it: the emergency goes first and the paused upload later
resumes where it stopped (targets resume from their partial file).

Workers are plain threads (uploads are I/O); they report through one callback, which the GUI turns into
Qt signals and the CLI prints. A worker that crashes the process leaves its job "sending" with its lease;
the next worker (after a restart, or on another PC when the lease runs out) takes it over.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from studio.delivery.target import DeliveryError, Package, Receipt, Target
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, Cancelled, StudioError
from studio.store.models import utcnow
from studio.store.outbox import Job, JobState, OutboxStore, new_owner
from studio.tasks import CancelToken, lower_thread_priority

log = logging.getLogger(__name__)

UNEXPECTED = QT_TRANSLATE_NOOP(CONTEXT, "The delivery failed unexpectedly: {reason}")
UNEXPECTED_HINT = QT_TRANSLATE_NOOP(CONTEXT, "The studio will try again. If it keeps failing, send the log file "
                                             "to the installer.")
LEASE = timedelta(seconds=60)
RENEW_EVERY = 2.0  # seconds between progress records (and checks for cancel and emergencies)
IDLE_POLL = 20.0  # seconds an idle worker waits before looking again (jobs queued on another PC)


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: attempt n waits ``base × 2^(n-1)`` capped at ``cap``, times a random
    factor in [0.5, 1] so that many studios do not retry in step after the controller comes back."""

    base: float = 15.0
    cap: float = 900.0
    emergency_base: float = 3.0
    emergency_cap: float = 60.0

    def delay(self, attempts: int, rank: int, rng: random.Random | None = None) -> float:
        base, cap = (self.emergency_base, self.emergency_cap) if rank == 0 else (self.base, self.cap)
        full = min(cap, base * 2.0 ** max(0, attempts - 1))
        return full * (rng or random).uniform(0.5, 1.0)


@dataclass(frozen=True)
class OutboxEvent:
    """What the outbox reports: ``kind`` is "changed" (a job's state), "progress" (bytes, speed in bytes
    per second) or "delivered" (a deliver job is done; ``job`` holds it)."""

    kind: str
    job_id: int
    target_id: int
    done: int = 0
    total: int = 0
    speed: float = 0.0
    job: Job | None = None


TargetFactory = Callable[[int], Target]
PackageFactory = Callable[[Job], Package]
Listener = Callable[[OutboxEvent], None]


class OutboxRunner:
    """Runs one worker thread per target that has work; :meth:`wake` after queueing."""

    def __init__(self, store: OutboxStore, targets: TargetFactory, packages: PackageFactory, *,
                 listener: Listener | None = None, backoff: Backoff | None = None, lease: timedelta = LEASE,
                 idle_poll: float = IDLE_POLL, check_every: float = RENEW_EVERY) -> None:
        self.store = store
        self.targets = targets
        self.packages = packages
        self.listener = listener or (lambda event: None)
        self.backoff = backoff or Backoff()
        self.lease = lease
        self.idle_poll = idle_poll
        self.check_every = check_every
        self.owner = new_owner()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._workers: dict[int, _Worker] = {}

    def start(self) -> None:
        """Start workers for every target with unfinished jobs (those left by a crash or another PC too)."""
        self.wake()

    def wake(self, target_ids: Iterable[int] | None = None) -> None:
        """Look at the queues again now (after queueing, "Retry now" or cancel)."""
        if self._stopping.is_set():
            return
        ids = set(target_ids) if target_ids is not None else self.store.targets_with_work()
        with self._lock:
            for target_id in ids:
                worker = self._workers.get(target_id)
                if worker is None or not worker.is_alive():
                    worker = _Worker(self, target_id)
                    self._workers[target_id] = worker
                    worker.start()
                worker.poke()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop every worker; a job being sent goes back to the queue (and resumes next time)."""
        self._stopping.set()
        with self._lock:
            workers = list(self._workers.values())
        for worker in workers:
            worker.poke()
        deadline = time.monotonic() + timeout
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))

    def busy(self) -> bool:
        with self._lock:
            return any(worker.is_alive() and worker.current is not None for worker in self._workers.values())

    def wait_for(self, job_ids: Iterable[int], timeout: float | None = None,
                 until: Callable[[Job], bool] | None = None) -> list[Job]:
        """Block until the jobs are finished (or ``until`` says so); for the CLI and tests."""
        ids = list(job_ids)
        settled = until or (lambda job: job.state in (JobState.DONE, JobState.FAILED, JobState.CANCELLED))
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            jobs = [self.store.get(job_id) for job_id in ids]
            found = [job for job in jobs if job is not None]
            if all(settled(job) for job in found) or (deadline is not None and time.monotonic() > deadline):
                return found
            time.sleep(0.1)

    def emit(self, event: OutboxEvent) -> None:
        try:
            self.listener(event)
        except Exception:  # a listener's bug must not stop deliveries
            log.exception("outbox listener failed")


class _Worker(threading.Thread):
    """The serial worker of one target."""

    def __init__(self, runner: OutboxRunner, target_id: int) -> None:
        super().__init__(name=f"outbox-{target_id}", daemon=True)
        self.runner = runner
        self.target_id = target_id
        self.current: Job | None = None
        self._poke = threading.Event()

    def poke(self) -> None:
        self._poke.set()

    def run(self) -> None:
        lower_thread_priority()  # uploads never take the CPU from the window
        runner = self.runner
        while not runner._stopping.is_set():
            self._poke.clear()
            try:
                job = runner.store.claim(self.target_id, runner.owner, lease=runner.lease)
            except Exception:
                log.exception("outbox: cannot read the queue of target %d", self.target_id)
                job = None
            if job is None:
                self._poke.wait(self._idle_seconds())
                continue
            self.current = job
            try:
                self._send(job)
            finally:
                self.current = None

    def _idle_seconds(self) -> float:
        due = self.runner.store.next_due(self.target_id)
        if due is None:
            return self.runner.idle_poll
        return max(0.05, min(self.runner.idle_poll, (due - utcnow()).total_seconds()))

    def _send(self, job: Job) -> None:
        runner = self.runner
        runner.emit(OutboxEvent("changed", job.id, job.target_id, job=job))
        cancel = CancelToken()
        why_stopped: list[str] = []
        started = time.monotonic()
        first_done: list[int] = []
        last_check = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if not first_done:
                first_done.append(done)
            speed = (done - first_done[0]) / max(1e-3, now - started)
            runner.emit(OutboxEvent("progress", job.id, job.target_id, done, total, speed))
            if runner._stopping.is_set():
                why_stopped.append("stopping")
                cancel.cancel()
            if now - last_check[0] < runner.check_every:
                return
            last_check[0] = now
            if not runner.store.renew(job.id, runner.owner, bytes_done=done, lease=runner.lease):
                why_stopped.append("taken")
                cancel.cancel()
            elif job.rank > 0 and runner.store.has_urgent(job.target_id, job.rank):
                why_stopped.append("urgent")
                cancel.cancel()

        try:
            target = runner.targets(job.target_id)
            receipt: Receipt | None = None
            if job.kind == "withdraw":
                removed = target.withdraw(job.programme_id, cancel=cancel)
                detail = "removed" if removed else "was not there"
            else:
                receipt = target.deliver(runner.packages(job), progress=progress, cancel=cancel)
                detail = "already there" if receipt.already_there else receipt.location
        except Cancelled:
            reason = why_stopped[0] if why_stopped else "stopping"
            if reason == "urgent":
                runner.store.release(job.id, runner.owner, reason="an emergency programme goes first")
            elif reason == "stopping":
                runner.store.release(job.id, runner.owner, reason="the studio was closed")
            runner.emit(OutboxEvent("changed", job.id, job.target_id))
            return
        except StudioError as exc:
            retryable = exc.retryable if isinstance(exc, DeliveryError) else True
            self._failed(job, exc, retryable)
            return
        except Exception as exc:  # a bug in a transport must not kill the worker
            log.exception("outbox job %d failed unexpectedly", job.id)
            self._failed(job, StudioError(UNEXPECTED, hint=UNEXPECTED_HINT, reason=exc), True)
            return
        if runner.store.finish(job.id, runner.owner, detail=detail):
            done = runner.store.get(job.id)
            runner.emit(OutboxEvent("delivered" if job.kind == "deliver" else "changed", job.id, job.target_id,
                                    job.size_bytes, job.size_bytes, job=done))

    def _failed(self, job: Job, error: StudioError, retryable: bool) -> None:
        runner = self.runner
        retry_at = None
        if retryable:
            retry_at = utcnow() + timedelta(seconds=runner.backoff.delay(job.attempts, job.rank))
        log.warning("outbox job %d (%s to target %d) failed: %s", job.id, job.programme_id, job.target_id, error)
        runner.store.fail(job.id, runner.owner, error, retry_at=retry_at)
        runner.emit(OutboxEvent("changed", job.id, job.target_id))
