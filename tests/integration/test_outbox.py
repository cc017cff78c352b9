"""The persistent outbox against real servers on 127.0.0.1: serial per target, parallel across targets,
emergencies first, connections cut at random points, people's retry and cancel, approvals that lapse."""

# ruff: noqa: F401, F811  (the shared fixtures are imported from outbox_helpers and named as parameters)

from __future__ import annotations

import itertools
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import time as clock
from pathlib import Path

import pytest

from studio.config import DATABASE_URL, Settings
from studio.delivery.outbox import OutboxEvent
from studio.delivery.target import LOGIN_FAILED
from studio.paths import StudioPaths
from studio.services import Studio
from studio.store.outbox import Job, JobState
from studio.workflow.schedule import Slot
from tests.integration.outbox_helpers import (
    People,
    leftovers,
    make_people,
    payload,
    people,
    queue,
    runner,
    sidecar_of,
    studio,
)
from tests.servers.ftp_server import ftp_server
from tests.servers.http_receiver import running_receiver
from tests.servers.sftp_server import sftp_server

FTP_PASSWORD = "loa-xa-2024"


def _done(studio: Studio, jobs: list[Job], timeout: float = 60.0) -> list[Job]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [studio.outbox.get(job.id) for job in jobs]
        if all(job is not None and job.state is JobState.DONE for job in found):
            return [job for job in found if job is not None]
        time.sleep(0.05)
    states = [(job.id, job.state.value, job.last_error) for job in (studio.outbox.get(j.id) for j in jobs) if job]
    raise AssertionError(f"not all delivered: {states}")


def test_jobs_of_one_target_run_one_at_a_time_and_targets_run_in_parallel(
        studio: Studio, people: People, tmp_path: Path) -> None:
    station = studio.station()
    targets = []
    for name in ("loa-a", "loa-b"):
        (tmp_path / name).mkdir()
        targets.append(studio.repo.add_target(station.id, name, "folder", {"path": str(tmp_path / name)}))
    jobs = [queue(studio, people, targets[i % 2], f"Tin {i}", payload(3 << 20, i)) for i in range(6)]
    spans: dict[int, list[float]] = {}
    lock = threading.Lock()

    def listen(event: OutboxEvent) -> None:
        if event.kind == "progress":
            with lock:
                spans.setdefault(event.job_id, [time.monotonic(), 0.0])[1] = time.monotonic()
            time.sleep(0.03)  # a slow line: each job takes a while, so overlaps would show

    work = runner(studio, listen)
    work.start()
    try:
        _done(studio, jobs)
    finally:
        work.stop()
    by_target = {target.id: sorted(spans[j.id] for j in jobs if j.target_id == target.id) for target in targets}
    for intervals in by_target.values():
        for (_, end), (start, _) in itertools.pairwise(intervals):
            assert start >= end, "two jobs of one target overlapped"
    a, b = by_target.values()
    assert any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b), "the two targets never worked at once"
    for target in targets:
        folder = Path(target.config["path"])
        assert len(list(folder.glob("*.mp3"))) == 3 and leftovers(folder) == []
    history = studio.outbox.history(bulletin_id=jobs[0].bulletin_id)
    assert [event.kind for event in history] == ["queued", "started", "delivered"]
    assert studio.reviews.status(jobs[0].bulletin_id).state.value == "delivered"


def test_an_emergency_pauses_a_normal_upload_and_goes_first(studio: Studio, people: People, tmp_path: Path) -> None:
    (tmp_path / "loa").mkdir()
    target = studio.repo.add_target(studio.station().id, "loa", "folder", {"path": str(tmp_path / "loa")})
    normal = [queue(studio, people, target, f"Tin thường {i}", payload(8 << 20, i)) for i in range(2)]
    finished: list[int] = []
    started = threading.Event()

    def listen(event: OutboxEvent) -> None:
        if event.kind == "progress":
            started.set()
            time.sleep(0.05)
        if event.kind == "delivered":
            finished.append(event.job_id)

    work = runner(studio, listen, check_every=0.05)
    work.start()
    try:
        assert started.wait(20)
        flood = queue(studio, people, target, "Khẩn cấp: lũ quét", payload(1 << 20, 99), priority="emergency")
        work.wake([target.id])
        _done(studio, [*normal, flood])
    finally:
        work.stop()
    assert finished[0] == flood.id, "the emergency was not delivered first"
    kinds = [event.kind for event in studio.outbox.history(job_id=normal[0].id)]
    assert "paused" in kinds and kinds[-1] == "delivered"  # it waited for the emergency, then finished
    assert (tmp_path / "loa" / f"{normal[0].programme_id}.mp3").read_bytes() == payload(8 << 20, 0)


Arm = Callable[[int | None], None]


def _cut_randomly(arm: Arm, rounds: int, size: int, retries: Callable[[], int], stop: threading.Event,
                  seed: int) -> threading.Thread:
    """Cut the connection at a random byte of whatever upload is running, ``rounds`` times: arm the server's
    cut, wait until the outbox records the failed attempt (or a moment passes), disarm, again."""
    rng = random.Random(seed)

    def cut() -> None:
        for _ in range(rounds):
            if stop.is_set():
                return
            before = retries()
            arm(rng.randrange(1, size))
            deadline = time.monotonic() + 2.0
            while retries() == before and time.monotonic() < deadline and not stop.is_set():
                time.sleep(0.005)
            arm(None)

    thread = threading.Thread(target=cut, daemon=True)
    thread.start()
    return thread


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["ftp", "sftp", "http"])
def test_twenty_uploads_cut_at_random_points_each_arrive_exactly_once(
        kind: str, studio: Studio, people: People, tmp_path: Path) -> None:
    root = tmp_path / "controller"
    root.mkdir()
    size = 96 * 1024
    station = studio.station()
    stop = threading.Event()
    with _server(kind, root) as (config, secret, arm, publications):
        target = studio.repo.add_target(station.id, "loa", kind, config)
        studio.credentials.set("loa", secret)
        jobs = [queue(studio, people, target, f"Bản tin {i}", payload(size + i, i)) for i in range(20)]

        def retries() -> int:
            return sum(1 for job in jobs for event in studio.outbox.history(job_id=job.id) if event.kind == "retry")

        work = runner(studio)
        work.start()
        cutting = _cut_randomly(arm, 20, size, retries, stop, seed=len(kind))
        try:
            delivered = _done(studio, jobs, timeout=180)
        finally:
            stop.set()
            cutting.join(5)
            work.stop()
        folder = root if kind == "http" else root / "inbox"
        for i, job in enumerate(delivered):
            assert (folder / f"{job.programme_id}.mp3").read_bytes() == payload(size + i, i)
            assert sidecar_of(folder, job.programme_id)["audio"]["sha256"] == job.package_sha256  # type: ignore[index]
        assert len(list(folder.glob("*.mp3"))) == 20 and leftovers(folder) in ([], [".studio-controller"])
        assert sum(job.attempts for job in delivered) >= 30, "the uploads were hardly cut"
        assert publications() == 20  # each programme was published once, never twice
        for job in delivered:  # the outbox shows the truth: every failed attempt, then one delivery
            kinds = [event.kind for event in studio.outbox.history(job_id=job.id)]
            assert kinds.count("delivered") == 1 and kinds[-1] == "delivered"
            assert kinds.count("retry") == job.attempts - 1


@contextmanager
def _server(kind: str, root: Path) -> Iterator[tuple[dict[str, object], str, Arm, Callable[[], int]]]:
    """A real server of ``kind`` on 127.0.0.1: its target settings, password, a cut switch (bytes from now,
    None to disarm) and how many programmes it published (sidecars renamed into place)."""
    if kind == "http":
        with running_receiver(root) as receiver:
            faults = receiver.faults

            def arm_http(value: int | None) -> None:
                with faults.lock:
                    faults.audio_bytes = 0
                    faults.cut_after_audio_bytes = value

            published = _count_sidecar_renames(receiver.store)
            yield {"url": receiver.url}, receiver.token, arm_http, lambda: len(published)
        return
    (root / "inbox").mkdir()
    if kind == "ftp":
        with ftp_server(root) as ftp:
            def arm_ftp(value: int | None) -> None:
                ftp.cut_after_bytes = value

            def ftp_renames() -> int:
                return sum(1 for line in list(ftp.commands) if line.startswith("RNTO") and line.endswith(".json"))

            yield ({"host": ftp.host, "port": ftp.port, "username": ftp.user, "folder": "/inbox"}, ftp.password,
                   arm_ftp, ftp_renames)
        return
    with sftp_server(root) as sftp:
        def arm_sftp(value: int | None) -> None:
            with sftp.lock:
                sftp.cut_after_bytes = None if value is None else sftp.bytes_written + value

        def sftp_renames() -> int:
            return sum(1 for _, _, new in list(sftp.renamed) if new.endswith(".json"))

        yield ({"host": sftp.host, "port": sftp.port, "username": sftp.user, "folder": "/inbox",
                "host_key": sftp.fingerprint}, sftp.password, arm_sftp, sftp_renames)


def _count_sidecar_renames(store: object) -> list[str]:
    """Record every programme the reference receiver publishes (a verified upload moved into its folder)."""
    published: list[str] = []
    original = store._finish  # type: ignore[attr-defined]

    def counting(*args: object, **kwargs: object) -> object:
        published.append(str(args[0]) if args else "")
        return original(*args, **kwargs)

    store._finish = counting  # type: ignore[attr-defined]
    return published


def test_a_wrong_password_waits_for_a_person_and_retry_now_sends_it(
        studio: Studio, people: People, tmp_path: Path) -> None:
    (tmp_path / "ftp" / "inbox").mkdir(parents=True)
    with ftp_server(tmp_path / "ftp") as server:
        target = studio.repo.add_target(studio.station().id, "loa", "ftp", {
            "host": server.host, "port": server.port, "username": server.user, "folder": "/inbox"})
        studio.credentials.set("loa", "sai mật khẩu")
        job = queue(studio, people, target, "Thông báo", payload(50_000, 1))
        work = runner(studio)
        work.start()
        try:
            [failed] = work.wait_for([job.id], 30, until=lambda j: j.state is JobState.FAILED)
            assert failed.state is JobState.FAILED and failed.next_attempt_at is None  # no automatic retry
            error = failed.error_message()
            assert error is not None and error.text == LOGIN_FAILED
            studio.credentials.set("loa", FTP_PASSWORD)
            studio.outbox.retry_now(job.id, actor="lan")
            work.wake([target.id])
            _done(studio, [job])
        finally:
            work.stop()
    assert (tmp_path / "ftp" / "inbox" / f"{job.programme_id}.mp3").read_bytes() == payload(50_000, 1)


def test_an_unreachable_share_backs_off_and_delivers_when_it_is_back(
        studio: Studio, people: People, tmp_path: Path) -> None:
    share = tmp_path / "share-not-mounted"
    target = studio.repo.add_target(studio.station().id, "loa", "folder", {"path": str(share)})
    job = queue(studio, people, target, "Thông báo", payload(10_000, 2))
    work = runner(studio)
    work.start()
    try:
        [waiting] = work.wait_for([job.id], 20, until=lambda j: j.attempts >= 2 and j.state is JobState.WAITING)
        assert waiting.next_attempt_at is not None and "cannot be reached" in waiting.last_error
        share.mkdir()
        _done(studio, [job])
    finally:
        work.stop()
    kinds = [event.kind for event in studio.outbox.history(job_id=job.id)]
    assert kinds.count("retry") >= 2 and kinds[-1] == "delivered"


def test_a_programme_whose_approval_lapsed_is_not_sent(studio: Studio, people: People, tmp_path: Path) -> None:
    (tmp_path / "loa").mkdir()
    target = studio.repo.add_target(studio.station().id, "loa", "folder", {"path": str(tmp_path / "loa")})
    job = queue(studio, people, target, "Thông báo", payload(10_000, 3))
    draft = studio.repo.load(job.bulletin_id)
    assert draft.schedule is not None
    extra = Slot(clock(11, 0), days=(0,))
    moved = replace(draft.schedule, slots=(*draft.schedule.slots, extra))
    studio.save_bulletin(replace(draft, schedule=moved))  # a new slot after approval: the approval is void
    work = runner(studio)
    work.start()
    try:
        [cancelled] = work.wait_for([job.id], 20)
    finally:
        work.stop()
    assert cancelled.state is JobState.CANCELLED and list((tmp_path / "loa").iterdir()) == []
    assert "approval no longer covers" in studio.outbox.history(job_id=job.id)[-1].detail


def test_cancel_and_withdraw(studio: Studio, people: People, tmp_path: Path) -> None:
    share = tmp_path / "loa"
    target = studio.repo.add_target(studio.station().id, "loa", "folder", {"path": str(share)})
    kept = queue(studio, people, target, "Giữ lại", payload(10_000, 4))
    dropped = queue(studio, people, target, "Huỷ", payload(10_000, 5))
    studio.outbox.cancel(dropped.id, actor="lan")
    share.mkdir()
    work = runner(studio)
    work.start()
    try:
        _done(studio, [kept])
        assert studio.outbox.get(dropped.id).state is JobState.CANCELLED  # type: ignore[union-attr]
        assert not (share / f"{dropped.programme_id}.mp3").exists()
        [withdraw] = studio.withdraw_programme(kept.bulletin_id)
        work.wake([target.id])
        _done(studio, [withdraw])
    finally:
        work.stop()
    assert list(share.iterdir()) == []
    kinds = [event.kind for event in studio.outbox.history(bulletin_id=kept.bulletin_id)]
    assert kinds == ["queued", "started", "delivered", "queued", "started", "withdrawn"]


@pytest.mark.postgres
def test_two_studios_sharing_postgresql_never_send_a_job_twice(studio_paths: StudioPaths, postgres_url: str,
                                                               tmp_path: Path) -> None:
    settings = Settings(studio_paths.config / "settings.json")
    settings.set(DATABASE_URL, postgres_url)
    first, second = Studio.open(studio_paths, settings), Studio.open(studio_paths, settings)
    try:
        first.ensure_station()
        crew = make_people(first)
        share = tmp_path / "loa"
        share.mkdir()
        target = first.repo.add_target(first.station().id, "loa", "folder", {"path": str(share)})
        jobs = [queue(first, crew, target, f"Tin {i}", payload(200_000, i)) for i in range(10)]
        workers = [runner(first), runner(second)]  # two PCs sending the same outbox
        for work in workers:
            work.start()
        try:
            _done(first, jobs)
        finally:
            for work in workers:
                work.stop()
        for job in jobs:
            kinds = [event.kind for event in first.outbox.history(job_id=job.id)]
            assert kinds == ["queued", "started", "delivered"], kinds
        assert len(list(share.glob("*.mp3"))) == 10 and leftovers(share) == []
    finally:
        first.close()
        second.close()
