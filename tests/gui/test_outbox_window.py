"""The outbox window, the send dialog and the emergency notice over a real studio, real folder targets and a
real FTP server on 127.0.0.1: what the officer sees while programmes travel, and what their buttons do."""

# ruff: noqa: F811  (the shared fixture ``people`` is imported from outbox_helpers and named as a parameter)

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QThread, QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from studio.delivery.outbox import Backoff
from studio.delivery.target import LOGIN_FAILED
from studio.messages import StudioError
from studio.services import Studio
from studio.store.outbox import Job, JobState
from studio.store.repo import TargetInfo
from studio.ui.emergency_notice import EmergencyNotifier
from studio.ui.i18n import qt_translate
from studio.ui.outbox_bridge import OutboxBridge
from studio.ui.outbox_history import EVENT_LABELS, HISTORY_CONTEXT
from studio.ui.outbox_model import ERROR, NEXT_ATTEMPT, PROGRESS, STATE, STATE_LABELS, WITHDRAW_LABELS, size_text
from studio.ui.outbox_window import OutboxWindow
from studio.ui.send_dialog import SendDialog
from studio.ui.tasks import TaskRunner
from studio.workflow.states import NOT_APPROVED
from tests.integration.outbox_helpers import (
    FAST,
    People,
    approved_bulletin,
    payload,
    people,  # noqa: F401  (fixture)
    queue,
)
from tests.servers.ftp_server import ftp_server

WAIT_MS = 30_000


@pytest.fixture
def bridge(qapp: QApplication, studio: Studio) -> Iterator[OutboxBridge]:
    made = OutboxBridge(studio)
    made.runner.backoff = FAST
    made.runner.idle_poll = 0.2
    yield made
    made.stop()
    made.deleteLater()


def folder_target(studio: Studio, tmp_path: Path, name: str, *, create: bool = True) -> TargetInfo:
    folder = tmp_path / name
    if create:
        folder.mkdir()
    return studio.repo.add_target(studio.station().id, name, "folder", {"path": str(folder)})


def open_outbox(qtbot, studio: Studio, runner: TaskRunner, bridge: OutboxBridge) -> OutboxWindow:
    window = OutboxWindow(studio, runner, bridge)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.refreshed, timeout=WAIT_MS):
        window.show()
    return window


def state_words(state: JobState, kind: str = "deliver") -> str:
    label = WITHDRAW_LABELS.get(state) if kind == "withdraw" else None
    return QCoreApplication.translate("OutboxWindow", label or STATE_LABELS[state])


def shows(window: OutboxWindow, job: Job, state: JobState) -> bool:
    shown = window.model.job(job.id)
    return shown is not None and shown.state is state and window.model.text(job.id, STATE) == state_words(state)


def click(qtbot, button) -> None:
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_bridge_reports_on_the_gui_thread_and_the_window_shows_progress_then_delivered(
        qtbot, qapp: QApplication, studio: Studio, people: People, runner: TaskRunner, bridge: OutboxBridge,
        tmp_path: Path) -> None:
    target = folder_target(studio, tmp_path, "loa-thon-1")
    data = payload(6 << 20, 1)
    job = queue(studio, people, target, "Lịch tiêm chủng", data)
    window = open_outbox(qtbot, studio, runner, bridge)
    assert window.model.text(job.id, STATE) == state_words(JobState.QUEUED)
    on_gui_thread: list[bool] = []
    seen: list[tuple[str, float]] = []

    def on_progress(job_id: int, done: int, total: int, speed: float) -> None:
        on_gui_thread.append(QThread.currentThread() is qapp.thread())
        index = window.model.index(window.model.row_of(job_id), PROGRESS)
        seen.append((window.model.text(job_id, PROGRESS), index.data(Qt.ItemDataRole.UserRole)))

    # Direct connections run the slots in the emitting thread: the bridge itself must emit on the GUI thread.
    direct = Qt.ConnectionType.DirectConnection
    bridge.progress.connect(on_progress, direct)
    bridge.jobChanged.connect(lambda _job_id: on_gui_thread.append(QThread.currentThread() is qapp.thread()), direct)
    bridge.delivered.connect(lambda _job: on_gui_thread.append(QThread.currentThread() is qapp.thread()), direct)
    with qtbot.waitSignal(bridge.delivered, timeout=WAIT_MS) as delivered:
        bridge.start()
    assert delivered.args[0].id == job.id
    qtbot.waitUntil(lambda: shows(window, job, JobState.DONE), timeout=WAIT_MS)
    assert on_gui_thread and all(on_gui_thread), "a signal arrived on a worker thread"
    assert seen, "no progress was shown"
    assert all(f" {size_text(len(data))}" in text for text, _fraction in seen)  # "… of 6.0 MiB"
    assert all(0 < fraction <= 1 for _text, fraction in seen)
    assert window.model.text(job.id, PROGRESS) == size_text(len(data))
    assert (tmp_path / "loa-thon-1" / f"{job.programme_id}.mp3").read_bytes() == data


def test_a_wrong_ftp_password_shows_the_translated_login_error_and_retry_now_delivers(
        qtbot, vietnamese: None, studio: Studio, people: People, runner: TaskRunner, bridge: OutboxBridge,
        tmp_path: Path) -> None:
    (tmp_path / "ftp" / "inbox").mkdir(parents=True)
    data = payload(80_000, 2)
    with ftp_server(tmp_path / "ftp") as server:
        target = studio.repo.add_target(studio.station().id, "loa-ftp", "ftp", {
            "host": server.host, "port": server.port, "username": server.user, "folder": "/inbox"})
        studio.credentials.set("loa-ftp", "sai mật khẩu")
        job = queue(studio, people, target, "Thông báo mất điện", data)
        window = open_outbox(qtbot, studio, runner, bridge)
        bridge.start()
        qtbot.waitUntil(lambda: shows(window, job, JobState.FAILED), timeout=WAIT_MS)
        failed = window.model.job(job.id)
        assert failed is not None and failed.next_attempt_at is None  # it waits for a person
        error = failed.error_message()
        assert error is not None and error.text == LOGIN_FAILED
        expected = error.translated(qt_translate)
        assert "không chấp nhận tên đăng nhập hoặc mật khẩu" in expected  # Vietnamese, not the English source
        index = window.model.index(window.model.row_of(job.id), ERROR)
        assert index.data(Qt.ItemDataRole.ToolTipRole) == expected
        assert window.model.text(job.id, ERROR) == expected.split("\n")[0]

        assert window.select_job(job.id)
        assert not window.withdraw_button.isEnabled()
        studio.credentials.set("loa-ftp", server.password)
        with qtbot.waitSignal(window.acted, timeout=WAIT_MS):
            click(qtbot, window.retry_button)
        qtbot.waitUntil(lambda: shows(window, job, JobState.DONE), timeout=WAIT_MS)
        assert window.model.text(job.id, ERROR) == ""
    assert (tmp_path / "ftp" / "inbox" / f"{job.programme_id}.mp3").read_bytes() == data
    assert [event.actor for event in studio.outbox.history(job_id=job.id) if event.kind == "retry now"] == ["lan"]


def test_cancel_on_a_waiting_job_marks_it_cancelled_and_nothing_is_written(
        qtbot, studio: Studio, people: People, runner: TaskRunner, bridge: OutboxBridge, tmp_path: Path) -> None:
    share = tmp_path / "loa-chua-gan"
    target = folder_target(studio, tmp_path, share.name, create=False)  # the share is not mounted
    job = queue(studio, people, target, "Thông báo thu thuế", payload(10_000, 3))
    bridge.runner.backoff = Backoff(base=120.0, cap=120.0)  # the job stays waiting while the test looks
    window = open_outbox(qtbot, studio, runner, bridge)
    bridge.start()
    qtbot.waitUntil(lambda: shows(window, job, JobState.WAITING), timeout=WAIT_MS)
    assert window.model.text(job.id, NEXT_ATTEMPT) != ""
    assert "cannot be reached" in window.model.text(job.id, ERROR)
    assert window.select_job(job.id)
    with qtbot.waitSignal(window.acted, timeout=WAIT_MS):
        click(qtbot, window.cancel_button)
    qtbot.waitUntil(lambda: shows(window, job, JobState.CANCELLED), timeout=WAIT_MS)
    assert not window.cancel_button.isEnabled() and not window.retry_button.isEnabled()

    share.mkdir()  # the share is back: a later programme goes out, the cancelled one never does
    later = queue(studio, people, target, "Thông báo họp dân", payload(10_000, 4))
    bridge.wake([target.id])
    qtbot.waitUntil(lambda: shows(window, later, JobState.DONE), timeout=WAIT_MS)
    assert sorted(path.name for path in share.iterdir()) == sorted(
        [f"{later.programme_id}.mp3", f"{later.programme_id}.json"])
    assert studio.outbox.history(job_id=job.id)[-1].kind == "cancelled"
    assert len(window.model.jobs()) == 2
    window.finished_check.setChecked(False)  # only what still needs sending or a person
    qtbot.waitUntil(lambda: window.model.jobs() == [] and not window.refreshing, timeout=WAIT_MS)


def test_withdraw_removes_the_programme_from_the_folder_and_history_shows_each_step(
        qtbot, studio: Studio, people: People, runner: TaskRunner, bridge: OutboxBridge, tmp_path: Path) -> None:
    target = folder_target(studio, tmp_path, "loa-thon-2")
    job = queue(studio, people, target, "Thông báo đã hết hạn", payload(20_000, 5))
    window = open_outbox(qtbot, studio, runner, bridge)
    bridge.start()
    qtbot.waitUntil(lambda: shows(window, job, JobState.DONE), timeout=WAIT_MS)
    folder = tmp_path / "loa-thon-2"
    assert (folder / f"{job.programme_id}.mp3").exists()
    assert window.select_job(job.id)
    assert not window.cancel_button.isEnabled()
    with qtbot.waitSignal(window.acted, timeout=WAIT_MS):
        click(qtbot, window.withdraw_button)
    qtbot.waitUntil(lambda: list(folder.iterdir()) == [], timeout=WAIT_MS)
    withdrawn = state_words(JobState.DONE, "withdraw")
    qtbot.waitUntil(lambda: any(window.model.text(other.id, STATE) == withdrawn for other in window.model.jobs()
                                if other.kind == "withdraw"), timeout=WAIT_MS)

    assert window.select_job(job.id)
    click(qtbot, window.history_button)
    qtbot.waitUntil(lambda: window.history_dialog is not None and window.history_dialog.isVisible(), timeout=WAIT_MS)
    assert window.history_dialog is not None
    words = [QCoreApplication.translate(HISTORY_CONTEXT, EVENT_LABELS[kind])
             for kind in ("queued", "started", "delivered", "queued", "started", "withdrawn")]
    assert window.history_dialog.event_texts() == words


def test_an_emergency_delivered_is_announced_through_the_fallback_without_a_tray(
        qtbot, studio: Studio, people: People, bridge: OutboxBridge, tmp_path: Path) -> None:
    assert not QSystemTrayIcon.isSystemTrayAvailable()  # offscreen: no tray, so the fallback is used
    heard: list[str] = []
    notifier = EmergencyNotifier(bridge, heard.append)
    normal = queue(studio, people, folder_target(studio, tmp_path, "loa-a"), "Tin thường", payload(5_000, 6))
    flood = queue(studio, people, folder_target(studio, tmp_path, "loa-b"), "Cảnh báo lũ quét", payload(5_000, 7),
                  priority="emergency")
    delivered: list[int] = []
    bridge.delivered.connect(lambda job: delivered.append(job.id))
    with qtbot.waitSignal(notifier.notified, timeout=WAIT_MS):
        bridge.start()
    qtbot.waitUntil(lambda: sorted(delivered) == sorted([normal.id, flood.id]), timeout=WAIT_MS)
    assert heard == ["Emergency programme “Cảnh báo lũ quét” was delivered to loa-b."]


def test_send_dialog_queues_an_approved_bulletin_for_the_ticked_targets_only(
        qtbot, studio: Studio, people: People, runner: TaskRunner, bridge: OutboxBridge, tmp_path: Path) -> None:
    targets = [folder_target(studio, tmp_path, name) for name in ("loa-a", "loa-b")]
    draft = approved_bulletin(studio, people, "Thông báo lịch họp dân")
    assert draft.id is not None

    def open_send() -> SendDialog:
        dialog = SendDialog(studio, runner, bridge, draft.id)
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
            dialog.show()
        return dialog

    dialog = open_send()
    assert sorted(dialog.ticked()) == ["loa-a", "loa-b", "outbox"]  # every enabled target, ticked
    assert dialog.priority_label.text() == "Normal"
    assert "Mon–Sat" in dialog.schedule_label.text()  # the editor's summary of the station's usual times
    dialog.set_ticked(["loa-a", "loa-b"])
    steps: list[int] = []
    dialog.progress.valueChanged.connect(steps.append)
    with qtbot.waitSignal(dialog.ended, timeout=60_000) as ended:
        click(qtbot, dialog.send_button)  # no audio file yet: it is made first
    assert ended.args == ["ok"], dialog.banner.text
    assert steps, "making the audio file showed no progress"
    assert dialog.report.text().splitlines() == ["loa-a: queued", "loa-b: queued"]
    jobs = studio.outbox.jobs(bulletin_id=draft.id)
    assert sorted(job.target_name for job in jobs) == ["loa-a", "loa-b"]
    qtbot.waitUntil(lambda: all(studio.outbox.get(job.id).state is JobState.DONE for job in jobs),  # type: ignore[union-attr]
                    timeout=WAIT_MS)  # the dialog woke the workers
    for target in targets:
        assert (Path(target.config["path"]) / f"{draft.uid}.mp3").is_file()

    again = open_send()
    again.set_ticked(["loa-a", "loa-b"])
    with qtbot.waitSignal(again.ended, timeout=WAIT_MS) as ended:
        click(qtbot, again.send_button)
    assert ended.args == ["ok"]
    assert again.report.text().splitlines() == ["loa-a: already delivered", "loa-b: already delivered"]


def test_send_dialog_refuses_an_unapproved_bulletin_with_the_translated_reason(
        qtbot, vietnamese: None, studio: Studio, people: People, runner: TaskRunner, bridge: OutboxBridge) -> None:
    demo = studio.repo.list_bulletins()[0]  # the sample bulletin, a draft
    dialog = SendDialog(studio, runner, bridge, demo.id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT_MS):
        dialog.show()
    with qtbot.waitSignal(dialog.ended, timeout=WAIT_MS) as ended:
        click(qtbot, dialog.send_button)
    assert ended.args == ["error"]
    expected = StudioError(NOT_APPROVED, title=demo.title).translated(qt_translate)
    assert "chưa được phê duyệt" in expected
    assert dialog.banner.text == expected
    assert studio.outbox.jobs(bulletin_id=demo.id) == []
    assert dialog.send_button.isEnabled()  # the officer may try again once it is approved


def test_the_gui_thread_keeps_ticking_during_a_large_delivery(
        qtbot, studio: Studio, people: People, runner: TaskRunner, bridge: OutboxBridge, tmp_path: Path) -> None:
    target = folder_target(studio, tmp_path, "loa-lon")
    job = queue(studio, people, target, "Chương trình dài", payload(20 << 20, 8))
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    reports: list[float] = []
    bridge.progress.connect(lambda _job_id, _done, _total, _speed: reports.append(time.monotonic()))
    timer.start()  # from opening the window, through the delivery, to the window's last read and the history
    try:
        window = open_outbox(qtbot, studio, runner, bridge)
        with qtbot.waitSignal(bridge.delivered, timeout=60_000):
            bridge.start()
        qtbot.waitUntil(lambda: shows(window, job, JobState.DONE), timeout=WAIT_MS)
        assert window.select_job(job.id)
        click(qtbot, window.history_button)
        qtbot.waitUntil(lambda: window.history_dialog is not None, timeout=WAIT_MS)
    finally:
        timer.stop()
    assert len(ticks) >= 3
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert max(gaps) < 0.25, f"the GUI thread stalled for {max(gaps):.3f} s"
    # Twenty 1 MiB chunks, but progress reaches the GUI at most about ten times a second (plus the last report).
    assert reports and len(reports) <= 3 + 10 * (reports[-1] - reports[0])


def test_the_task_panel_shows_an_upload_while_it_runs(qtbot, studio: Studio, people: People, runner: TaskRunner,
                                                     bridge: OutboxBridge, tmp_path: Path) -> None:
    from studio.ui.task_panel import UPLOAD, TaskPanel

    panel = TaskPanel(studio, runner, bridge)
    qtbot.addWidget(panel)
    target = folder_target(studio, tmp_path, "loa-lon")
    job = queue(studio, people, target, "Chương trình dài", payload(20 << 20, 8))
    seen: list[tuple[list[str], float | None]] = []
    bridge.progress.connect(lambda *_args: seen.append((panel.row_texts(), panel.rows[("upload", job.id)].fraction)))
    with qtbot.waitSignal(bridge.delivered, timeout=60_000):
        bridge.start()
    assert seen and seen[0][0] == [UPLOAD.format(job=job.id)]
    assert all(value is not None and 0 <= value <= 1 for _texts, value in seen) and seen[-1][1] == 1.0
    qtbot.waitUntil(lambda: not panel.rows, timeout=WAIT_MS)  # delivered: the row goes
    assert panel.isHidden()
