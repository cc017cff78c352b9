"""The task runner delivers every outcome on the GUI thread, and cancel reaches the worker."""

from __future__ import annotations

import itertools
import os
import sys
import threading
import time

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from studio.messages import StudioError
from studio.tasks import BACKGROUND_NICE, CancelToken
from studio.ui.tasks import PROGRESS_GAP_MS, TaskRunner


def test_result_and_progress_arrive_on_the_gui_thread(qtbot, qapp: QApplication, runner: TaskRunner) -> None:
    seen: list[tuple[float, str, dict[str, object], bool]] = []
    worker_threads: list[threading.Thread] = []

    def job(progress, _cancel: CancelToken) -> int:
        worker_threads.append(threading.current_thread())
        progress(0.5, "Reading segment {number}", number=2)
        return 42

    task = runner.run("answer", job)
    task.progress.connect(lambda f, label, args: seen.append(
        (f, label, args, QThread.currentThread() is qapp.thread())))
    with qtbot.waitSignal(task.succeeded, timeout=5000) as blocker:
        pass
    assert blocker.args == [42]
    assert worker_threads and worker_threads[0] is not threading.main_thread()
    assert seen == [(0.5, "Reading segment {number}", {"number": 2}, True)]
    qtbot.waitUntil(lambda: not runner.busy)


def test_studio_error_is_delivered_not_raised(qtbot, runner: TaskRunner) -> None:
    def job(_progress, _cancel) -> None:
        raise StudioError("The disk is full while writing {path}.", path="/x")

    task = runner.run("fail", job)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], StudioError)
    assert blocker.args[0].translated() == "The disk is full while writing /x."


def test_cancel_reaches_the_worker(qtbot, runner: TaskRunner) -> None:
    started = threading.Event()

    def job(_progress, cancel: CancelToken) -> None:
        started.set()
        while True:
            cancel.raise_if_cancelled()
            QThread.msleep(5)

    task = runner.run("endless", job)
    qtbot.waitUntil(started.is_set)
    with qtbot.waitSignals([task.cancelled, task.done], timeout=5000, order="strict"):
        task.cancel()
    assert not task.running


def test_a_bug_in_a_worker_goes_to_the_crash_signal(qtbot, runner: TaskRunner) -> None:
    def job(_progress, _cancel) -> None:
        raise ZeroDivisionError("bug")

    task = runner.run("bug", job)
    with qtbot.waitSignal(runner.crashed, timeout=5000) as blocker:
        pass
    exc_type, exc, tb = blocker.args[0]
    assert exc_type is ZeroDivisionError and str(exc) == "bug" and tb is not None
    assert task.running is False


def test_database_pool_keeps_order(qtbot, runner: TaskRunner) -> None:
    order: list[int] = []
    tasks = [runner.call(f"write {i}", lambda i=i: order.append(i), pool="db") for i in range(20)]
    with qtbot.waitSignal(tasks[-1].done, timeout=5000):
        pass
    assert order == list(range(20))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")
def test_every_pool_runs_below_the_window_thread(qtbot, runner: TaskRunner) -> None:
    def nice() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    window_nice = nice()
    for pool in ("work", "db", "text", "journal"):
        task = runner.call(f"nice in {pool}", nice, pool=pool)
        with qtbot.waitSignal(task.succeeded, timeout=5000) as done:
            pass
        assert done.args == [max(window_nice, BACKGROUND_NICE)], pool
    assert nice() == window_nice


def test_a_task_deleted_while_its_job_runs_hears_nothing_and_others_go_on(qtbot, runner: TaskRunner) -> None:
    """A window closed mid-task deletes its tasks; the job, still running, reports into the application's
    mailbox, never onto the deleted task, and the tasks started afterwards are told as usual."""
    from shiboken6 import delete, isValid

    started, release = threading.Event(), threading.Event()

    def slow(progress, _cancel):  # type: ignore[no-untyped-def]
        started.set()
        release.wait(10)
        progress(0.5, "half")
        return "late"

    heard: list[object] = []
    doomed = runner.run("slow", slow)
    doomed.progress.connect(lambda *args: heard.append(args))
    doomed.succeeded.connect(heard.append)
    assert started.wait(10)
    delete(doomed)  # what deleting its window does to it, while the worker is inside ``slow``
    assert not isValid(doomed)
    release.set()
    later = runner.call("later", lambda: "on time")
    with qtbot.waitSignal(later.succeeded, timeout=10_000) as blocker:
        pass
    assert blocker.args == ["on time"] and heard == []


def test_a_flood_of_progress_reaches_the_window_ten_times_a_second_ending_with_the_latest(
        qtbot, runner: TaskRunner) -> None:
    release = threading.Event()

    def chatty(progress, _cancel):  # type: ignore[no-untyped-def]
        for step in range(1, 2001):
            progress(step / 2000, "Reading segment {number}", number=step)
            if step % 100 == 0:
                time.sleep(0.01)  # about half a second of reports
        release.wait(10)  # the last report stays on screen while the work goes on without reporting
        return "done"

    heard: list[tuple[float, float]] = []
    task = runner.run("chatty", chatty)
    task.progress.connect(lambda fraction, _label, args: heard.append((time.monotonic(), args["number"])))
    qtbot.waitUntil(lambda: bool(heard) and heard[-1][1] == 2000, timeout=10_000)
    gaps = [later[0] - earlier[0] for earlier, later in itertools.pairwise(heard)]
    assert len(heard) >= 2 and min(gaps) >= PROGRESS_GAP_MS / 1000 * 0.9  # not 2000 repaints
    assert [number for _, number in heard] == sorted(number for _, number in heard)
    release.set()
    with qtbot.waitSignal(task.succeeded, timeout=10_000):
        pass
    count = len(heard)
    qtbot.wait(2 * PROGRESS_GAP_MS)
    assert len(heard) == count  # nothing after the outcome

    def quick(progress, _cancel):  # type: ignore[no-untyped-def]
        for step in (1, 2, 3):
            progress(step / 3, "Reading segment {number}", number=step)
        return "done"

    order: list[object] = []
    task = runner.run("quick", quick)
    task.progress.connect(lambda _fraction, _label, args: order.append(args["number"]))
    task.succeeded.connect(order.append)
    with qtbot.waitSignal(task.done, timeout=10_000):
        pass
    assert order[0] == 1 and order[-2:] == [3, "done"]  # the last report is seen, just before the outcome
    qtbot.wait(2 * PROGRESS_GAP_MS)
    assert order[-1] == "done"
