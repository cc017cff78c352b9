"""The outbox in the database: delivery jobs that survive a crash, a restart and a second PC.

Every change of a job is one short transaction guarded by compare-and-set on its state and lease, so two
workers (two studio windows, or a window and ``studio outbox run``) never send the same job at once, and
a worker that died (its process is gone, or its lease ran out) leaves a job that the next worker resumes.
Each target's queue is ordered by rank (emergency first) and age. Every step is written to the job's
history (:class:`DeliveryEvent`), which the outbox window and ``studio outbox list`` show.
"""

from __future__ import annotations

import enum
import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import Session

from studio.messages import StudioError
from studio.store.db import Database
from studio.store.models import Bulletin, Delivery, DeliveryEvent, DeliveryTarget, Render, utcnow
from studio.store.repo import Repository
from studio.store.review import ReviewStore
from studio.workflow.states import State

RANKS = {"emergency": 0, "priority": 1, "normal": 2}
PRIORITY_OF_RANK = {rank: name for name, rank in RANKS.items()}
DELIVERABLE_STATES = (State.APPROVED.value, State.RENDERED.value, State.DELIVERED.value)


class JobState(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    WAITING = "waiting"  # backing off after a failure a later attempt may cure
    DONE = "done"
    FAILED = "failed"  # a person must act (password, host key, refused); "Retry now" queues it again
    CANCELLED = "cancelled"


ACTIVE = (JobState.QUEUED.value, JobState.SENDING.value, JobState.WAITING.value)


@dataclass(frozen=True)
class Job:
    id: int
    kind: str  # deliver | withdraw
    target_id: int
    target_name: str
    bulletin_id: int
    title: str
    render_id: int
    programme_id: str
    rank: int
    state: JobState
    attempts: int
    bytes_done: int
    size_bytes: int
    package_sha256: str
    package_relpath: str
    sidecar_text: str
    approval_hash: str
    last_error: str
    error: dict[str, Any] | None
    next_attempt_at: datetime | None
    created_at: datetime
    completed_at: datetime | None
    created_by: str

    @property
    def priority(self) -> str:
        return PRIORITY_OF_RANK.get(self.rank, "normal")

    @property
    def active(self) -> bool:
        return self.state.value in ACTIVE

    def error_message(self) -> StudioError | None:
        """The last failure as a translatable message (None when the job has none)."""
        if not self.error:
            return None
        return StudioError(str(self.error.get("text", "")), hint=str(self.error.get("hint", "")),
                           **{str(k): v for k, v in dict(self.error.get("args", {})).items()})


@dataclass(frozen=True)
class JobEvent:
    at: datetime
    kind: str
    detail: str
    actor: str
    job_id: int
    target_name: str


def new_owner() -> str:
    """A worker's identity in leases: host and process (a dead process's jobs are taken over at once)."""
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(4).hex()}"


def owner_is_dead(owner: str) -> bool:
    """Whether the worker ``owner`` was on this computer and its process has ended."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    return not _pid_alive(int(pid_text))


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would *send* CTRL_C_EVENT on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return bool(code.value == 259)  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _job(row: Delivery, target: DeliveryTarget, bulletin: Bulletin) -> Job:
    return Job(row.id, row.kind, row.target_id, target.name, bulletin.id, bulletin.title, row.render_id,
               row.programme_id, row.rank, JobState(row.state), row.attempts, row.bytes_done, row.size_bytes,
               row.package_sha256, row.package_relpath, row.sidecar_text, row.approval_hash, row.last_error,
               dict(row.error) if row.error else None, row.next_attempt_at, row.created_at, row.completed_at,
               row.created_by)


def _joined() -> Any:
    return (select(Delivery, DeliveryTarget, Bulletin)
            .join(DeliveryTarget, DeliveryTarget.id == Delivery.target_id)
            .join(Render, Render.id == Delivery.render_id)
            .join(Bulletin, Bulletin.id == Render.bulletin_id))


class OutboxStore:
    """Delivery jobs in the database (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- reading ------------------------------------------------------------------------
    def get(self, job_id: int) -> Job | None:
        with self.db.session() as s:
            found = s.execute(_joined().where(Delivery.id == job_id)).first()
            return _job(*found) if found else None

    def jobs(self, *, states: Iterable[str] | None = None, bulletin_id: int | None = None,
             limit: int = 500) -> list[Job]:
        """Newest first; active ones before finished ones."""
        query = _joined()
        if states is not None:
            query = query.where(Delivery.state.in_(list(states)))
        if bulletin_id is not None:
            query = query.where(Bulletin.id == bulletin_id)
        query = query.order_by(Delivery.id.desc()).limit(limit)
        with self.db.session() as s:
            jobs = [_job(*row) for row in s.execute(query).all()]
        return sorted(jobs, key=lambda job: (not job.active, job.rank if job.active else 0, -job.id))

    def history(self, *, bulletin_id: int | None = None, job_id: int | None = None) -> list[JobEvent]:
        query = (select(DeliveryEvent, DeliveryTarget.name)
                 .join(Delivery, Delivery.id == DeliveryEvent.delivery_id)
                 .join(DeliveryTarget, DeliveryTarget.id == Delivery.target_id)
                 .join(Render, Render.id == Delivery.render_id))
        if bulletin_id is not None:
            query = query.where(Render.bulletin_id == bulletin_id)
        if job_id is not None:
            query = query.where(Delivery.id == job_id)
        with self.db.session() as s:
            rows = s.execute(query.order_by(DeliveryEvent.id)).all()
            return [JobEvent(e.at, e.kind, e.detail, e.actor, e.delivery_id, name) for e, name in rows]

    def targets_with_work(self) -> set[int]:
        with self.db.session() as s:
            return set(s.scalars(select(Delivery.target_id).where(Delivery.state.in_(ACTIVE)).distinct()))

    # --- queueing -----------------------------------------------------------------------
    def enqueue(self, *, render_id: int, target_id: int, programme_id: str, rank: int, approval_hash: str,
                package_sha256: str, package_relpath: str, size_bytes: int, sidecar_text: str,
                actor: str) -> tuple[Job, bool]:
        """Queue a package for a target; returns (job, created). The same package already queued, sending or
        delivered there is that job (nothing is sent twice). An older, still unsent version of the same
        programme for that target is cancelled: only the newest approved content goes out."""
        with self.db.session() as s:
            _lock_target(s, target_id)
            same = s.scalars(select(Delivery).where(
                Delivery.target_id == target_id, Delivery.programme_id == programme_id, Delivery.kind == "deliver",
                Delivery.package_sha256 == package_sha256,
                Delivery.state.in_((*ACTIVE, JobState.DONE.value)))).first()
            if same is not None:
                if same.state == JobState.DONE.value and self._withdrawn_after(s, same):
                    same = None
                else:
                    s.flush()
                    return self._load(s, same.id), False
            for older in s.scalars(select(Delivery).where(
                    Delivery.target_id == target_id, Delivery.programme_id == programme_id,
                    Delivery.kind == "deliver", Delivery.state.in_(ACTIVE))):
                if older.state != JobState.SENDING.value:
                    older.state = JobState.CANCELLED.value
                    _event(s, older.id, "superseded", "a newer approved version was queued", actor)
            row = Delivery(render_id=render_id, target_id=target_id, kind="deliver", programme_id=programme_id,
                           rank=rank, state=JobState.QUEUED.value, approval_hash=approval_hash,
                           package_sha256=package_sha256, package_relpath=package_relpath, size_bytes=size_bytes,
                           sidecar_text=sidecar_text, created_by=actor)
            s.add(row)
            s.flush()
            _event(s, row.id, "queued", f"priority {PRIORITY_OF_RANK.get(rank, 'normal')}", actor)
            Repository._audit(s, actor, "delivery.queued", f"programme:{programme_id}",
                              {"target": target_id, "sha256": package_sha256, "job": row.id})
            return self._load(s, row.id), True

    @staticmethod
    def _withdrawn_after(s: Session, done: Delivery) -> bool:
        return s.scalars(select(Delivery.id).where(
            Delivery.target_id == done.target_id, Delivery.programme_id == done.programme_id,
            Delivery.kind == "withdraw", Delivery.id > done.id,
            Delivery.state != JobState.CANCELLED.value)).first() is not None

    def enqueue_withdraw(self, *, render_id: int, target_id: int, programme_id: str, rank: int,
                         actor: str) -> Job:
        """Queue the removal of a programme from a target; unsent deliveries of it there are cancelled."""
        with self.db.session() as s:
            _lock_target(s, target_id)
            for older in s.scalars(select(Delivery).where(
                    Delivery.target_id == target_id, Delivery.programme_id == programme_id,
                    Delivery.kind == "deliver", Delivery.state.in_((JobState.QUEUED.value, JobState.WAITING.value,
                                                                   JobState.FAILED.value)))):
                older.state = JobState.CANCELLED.value
                _event(s, older.id, "cancelled", "withdrawn before it was sent", actor)
            row = Delivery(render_id=render_id, target_id=target_id, kind="withdraw", programme_id=programme_id,
                           rank=rank, state=JobState.QUEUED.value, created_by=actor)
            s.add(row)
            s.flush()
            _event(s, row.id, "queued", "withdraw", actor)
            Repository._audit(s, actor, "delivery.withdraw", f"programme:{programme_id}", {"target": target_id})
            return self._load(s, row.id)

    # --- the worker's side --------------------------------------------------------------
    def claim(self, target_id: int, owner: str, *, lease: timedelta, now: datetime | None = None) -> Job | None:
        """Take the next job of ``target_id``'s queue for ``owner``: the lowest rank, then the oldest, among
        queued jobs, backed-off jobs that are due, and jobs whose worker died. A deliver job whose bulletin
        lost its approval (edited, withdrawn) meanwhile is cancelled instead of sent."""
        now = now or utcnow()
        for _ in range(20):
            with self.db.session() as s:
                candidates = s.execute(
                    select(Delivery, Bulletin).join(Render, Render.id == Delivery.render_id)
                    .join(Bulletin, Bulletin.id == Render.bulletin_id)
                    .where(Delivery.target_id == target_id, Delivery.state.in_(ACTIVE))
                    .order_by(Delivery.rank, Delivery.id)).all()
                chosen = None
                for row, bulletin in candidates:
                    due = (row.state == JobState.QUEUED.value
                           or (row.state == JobState.WAITING.value
                               and (row.next_attempt_at is None or row.next_attempt_at <= now))
                           or (row.state == JobState.SENDING.value
                               and (row.lease_until is None or row.lease_until <= now
                                    or owner_is_dead(row.lease_owner))))
                    if due:
                        chosen = (row, bulletin)
                        break
                if chosen is None:
                    return None
                row, bulletin = chosen
                if row.kind == "deliver" and (bulletin.state not in DELIVERABLE_STATES
                                              or bulletin.approved_hash != row.approval_hash):
                    if _cas(s, row, state=JobState.CANCELLED.value, lease_owner=""):
                        _event(s, row.id, "cancelled", "the bulletin's approval no longer covers this programme",
                               "system")
                    continue
                resumed = row.state == JobState.SENDING.value
                attempt = row.attempts + 1
                if not _cas(s, row, state=JobState.SENDING.value, lease_owner=owner, lease_until=now + lease,
                            attempts=attempt, updated_at=now):
                    continue
                _event(s, row.id, "resumed" if resumed else "started", f"attempt {attempt}", owner)
                return self._load(s, row.id)
        return None

    def renew(self, job_id: int, owner: str, *, bytes_done: int, lease: timedelta) -> bool:
        """Record progress and extend the lease. False when the job is no longer this worker's (cancelled
        by a person, or taken over): the worker must stop sending it."""
        with self.db.session() as s:
            done = s.execute(update(Delivery).where(
                Delivery.id == job_id, Delivery.lease_owner == owner, Delivery.state == JobState.SENDING.value)
                .values(bytes_done=bytes_done, lease_until=utcnow() + lease, updated_at=utcnow())
                .execution_options(synchronize_session=False))
            return cast(CursorResult[Any], done).rowcount == 1

    def finish(self, job_id: int, owner: str, *, detail: str) -> bool:
        """Record the job as done. A delivered programme of the content its bulletin is approved with makes the
        bulletin "delivered" in the same transaction: a crash between two would leave a programme on the
        controller whose bulletin never says so."""
        with self.db.session() as s:
            row = s.get(Delivery, job_id)
            if row is None or not _cas(s, row, owner=owner, state=JobState.DONE.value, lease_owner="",
                                       completed_at=utcnow(), bytes_done=row.size_bytes, error=None,
                                       last_error="", next_attempt_at=None):
                return False
            bulletin = _mark_delivered(s, row) if row.kind == "deliver" else None
            _event(s, job_id, "withdrawn" if row.kind == "withdraw" else "delivered", detail, owner)
            Repository._audit(s, row.created_by or "system", f"delivery.{row.kind}.done",
                              f"programme:{row.programme_id}", {"target": row.target_id, "job": job_id})
            if bulletin is not None:
                Repository._audit(s, "system", "bulletin.delivered", f"bulletin:{bulletin.uid}", {})
            return True

    def fail(self, job_id: int, owner: str, error: StudioError, *, retry_at: datetime | None) -> bool:
        """Record a failed attempt: back off until ``retry_at``, or (None) wait for a person."""
        with self.db.session() as s:
            row = s.get(Delivery, job_id)
            state = JobState.WAITING if retry_at is not None else JobState.FAILED
            payload = {"text": error.text, "hint": error.hint, "args": error.args_map}
            if row is None or not _cas(s, row, owner=owner, state=state.value, lease_owner="", error=payload,
                                       last_error=str(error), next_attempt_at=retry_at, updated_at=utcnow()):
                return False
            _event(s, job_id, "retry" if retry_at is not None else "failed", str(error), owner)
            return True

    def release(self, job_id: int, owner: str, *, reason: str) -> bool:
        """Put a job back in the queue without counting the attempt (an emergency went first)."""
        with self.db.session() as s:
            row = s.get(Delivery, job_id)
            if row is None or not _cas(s, row, owner=owner, state=JobState.QUEUED.value, lease_owner="",
                                       attempts=max(0, row.attempts - 1)):
                return False
            _event(s, job_id, "paused", reason, owner)
            return True

    # --- people's actions ---------------------------------------------------------------
    def cancel(self, job_id: int, *, actor: str) -> Job | None:
        """Cancel an unfinished job (a sending worker stops at its next progress report)."""
        with self.db.session() as s:
            row = s.get(Delivery, job_id)
            if row is None or row.state not in (*ACTIVE, JobState.FAILED.value):
                return self._load(s, job_id) if row else None
            if _cas(s, row, state=JobState.CANCELLED.value, lease_owner=""):
                _event(s, job_id, "cancelled", "", actor)
                Repository._audit(s, actor, "delivery.cancel", f"programme:{row.programme_id}", {"job": job_id})
            return self._load(s, job_id)

    def retry_now(self, job_id: int, *, actor: str) -> Job | None:
        """Queue a backing-off or failed job again at once."""
        with self.db.session() as s:
            row = s.get(Delivery, job_id)
            if row is None or row.state not in (JobState.WAITING.value, JobState.FAILED.value):
                return self._load(s, job_id) if row else None
            if _cas(s, row, state=JobState.QUEUED.value, next_attempt_at=None):
                _event(s, job_id, "retry now", "", actor)
            return self._load(s, job_id)

    def next_due(self, target_id: int) -> datetime | None:
        """When the earliest backed-off job of the target is due (None: nothing is waiting)."""
        with self.db.session() as s:
            return s.scalars(select(Delivery.next_attempt_at).where(
                Delivery.target_id == target_id, Delivery.state == JobState.WAITING.value)
                .order_by(Delivery.next_attempt_at).limit(1)).first()

    def has_urgent(self, target_id: int, than_rank: int) -> bool:
        """Whether a job more urgent than ``than_rank`` is ready in the target's queue."""
        with self.db.session() as s:
            return s.scalars(select(Delivery.id).where(
                Delivery.target_id == target_id, Delivery.rank < than_rank,
                or_(Delivery.state == JobState.QUEUED.value,
                    (Delivery.state == JobState.WAITING.value) & (Delivery.next_attempt_at <= utcnow())))
                .limit(1)).first() is not None

    def _load(self, s: Session, job_id: int) -> Job:
        s.flush()
        found = s.execute(_joined().where(Delivery.id == job_id)).first()
        assert found is not None
        return _job(*found)


def _cas(s: Session, row: Delivery, *, owner: str | None = None, **values: Any) -> bool:
    """Update ``row`` only if its state (and lease owner) are still what was read: another worker or person
    may have moved it meanwhile."""
    where = [Delivery.id == row.id, Delivery.state == row.state]
    if owner is not None:
        where.append(Delivery.lease_owner == owner)
    done = s.execute(update(Delivery).where(*where).values(**values).execution_options(synchronize_session=False))
    s.flush()
    s.expire(row)
    return cast(CursorResult[Any], done).rowcount == 1


def _mark_delivered(s: Session, job: Delivery) -> Bulletin | None:
    """Move the job's bulletin to "delivered" if it is approved (or rendered) with the content the job carried;
    returns the bulletin when it moved. Locked before the audit log, as everywhere (see Repository._audit)."""
    query = select(Bulletin).join(Render, Render.bulletin_id == Bulletin.id).where(Render.id == job.render_id)
    if s.bind is not None and s.bind.dialect.name == "postgresql":
        query = query.with_for_update(of=Bulletin)
    bulletin = s.scalars(query).first()
    if (bulletin is None or bulletin.state not in (State.APPROVED.value, State.RENDERED.value)
            or bulletin.approved_hash != job.approval_hash):
        return None
    return bulletin if ReviewStore._move(s, bulletin, {"state": State.DELIVERED.value}) else None


def _event(s: Session, job_id: int, kind: str, detail: str, actor: str) -> None:
    s.add(DeliveryEvent(delivery_id=job_id, kind=kind, detail=detail[:2000], actor=actor[:100]))


def _lock_target(s: Session, target_id: int) -> None:
    """Serialise queueing per target (PostgreSQL: a row lock; SQLite: writes are serial anyway)."""
    if s.bind is not None and s.bind.dialect.name == "postgresql":
        s.execute(select(DeliveryTarget.id).where(DeliveryTarget.id == target_id).with_for_update())
