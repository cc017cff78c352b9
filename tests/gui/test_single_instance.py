"""One studio per data folder: a second start (a double-click, a bulletin file opened from Explorer) hands its
request to the studio already running and ends. Real processes, a real lock file and a real local socket."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from studio.bundle.transfer import export_bundle
from studio.paths import StudioPaths
from studio.services import Studio
from studio.ui import app as app_module
from studio.ui import single_instance
from studio.ui.login import LOGIN, LoginDialog
from studio.ui.main_window import MainWindow
from studio.ui.single_instance import (
    FIRST,
    HANDED_OVER,
    SILENT,
    InstanceLock,
    InstanceServer,
    Request,
    hand_over,
    server_name,
)
from tests.gui.test_app import ADMIN, PASSWORD, set_up_home

ROOT = Path(__file__).resolve().parents[2]


def holding_process(home: Path, *, listen: bool = False) -> subprocess.Popen[str]:
    """Another process that takes the folder's lock (and, with ``listen``, answers requests as a studio does,
    printing each one); it prints ``ready`` once it holds the lock."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from studio.paths import StudioPaths\n"
        "from studio.ui.single_instance import InstanceLock, InstanceServer\n"
        "app = QCoreApplication([])\n"
        "lock = InstanceLock(StudioPaths.under(Path(sys.argv[1])).ensure())\n"
        "assert lock.acquire()\n"
        "server = InstanceServer(lock.server_name())\n"
        "server.requested.connect(lambda r: print('heard', r.open_file, flush=True))\n"
        "assert sys.argv[2] == 'quiet' or server.listen()\n"
        "print('ready', flush=True)\n"
        "app.exec()\n")
    process = subprocess.Popen([sys.executable, "-c", code, str(home), "listen" if listen else "quiet"], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True, encoding="utf-8")
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    return process


def stop(process: subprocess.Popen[str]) -> str:
    """End ``process`` (killed if it still runs); what it printed and nobody read yet."""
    if process.poll() is None:
        process.kill()
    return process.communicate(timeout=10)[0] or ""


def test_the_lock_has_one_holder_and_is_taken_over_when_its_studio_died(tmp_path: Path) -> None:
    paths = StudioPaths.under(tmp_path / "home").ensure()
    holder = holding_process(tmp_path / "home")
    try:
        lock = InstanceLock(paths)
        assert not lock.acquire()
        assert f"pid {holder.pid} on " in lock.holder() and lock.holder_host() == lock.host()
        os.kill(holder.pid, signal.SIGKILL)  # a crash or a power cut: the lock file stays behind
        holder.wait(10)
        assert (paths.data / "studio.lock").exists()
        assert lock.acquire()  # its process is gone: the lock is this start's now
        assert not InstanceLock(paths).acquire()  # and nobody else's
        lock.release()
        assert InstanceLock(paths).acquire()
    finally:
        stop(holder)


def test_another_folder_or_person_has_its_own_socket_name(tmp_path: Path) -> None:
    one, other = StudioPaths.under(tmp_path / "one"), StudioPaths.under(tmp_path / "other")
    assert server_name(one) == server_name(StudioPaths.under(tmp_path / "one"))
    assert server_name(one) != server_name(other)
    assert server_name(one).startswith("commune-radio-studio-")
    (tmp_path / "one").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "one")  # a shortcut's --data-dir through a link, or relative
    linked = tmp_path / "link"
    through_link = StudioPaths(data=linked / "data", cache=linked / "cache", config=linked / "config",
                               logs=linked / "logs")
    assert server_name(through_link) == server_name(one)


def test_a_later_start_hands_its_request_to_the_studio_that_listens(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = holding_process(home, listen=True)
    try:
        lock = InstanceLock(StudioPaths.under(home))
        assert not lock.acquire()
        wanted = tmp_path / "Tải về" / "Bản tin 25-11.bantin"
        assert hand_over(lock, Request(wanted), wait_s=10) == HANDED_OVER
        assert hand_over(lock, Request(), wait_s=10) == HANDED_OVER
        assert first.stdout is not None
        assert first.stdout.readline().strip() == f"heard {wanted}"
        assert first.stdout.readline().strip() == "heard None"
    finally:
        stop(first)


def test_a_holder_that_never_answers_is_reported_and_one_that_ends_lets_the_start_go_on(tmp_path: Path) -> None:
    home = tmp_path / "home"
    silent = holding_process(home)  # holds the lock, never listens (hung while starting)
    try:
        lock = InstanceLock(StudioPaths.under(home))
        assert not lock.acquire()
        assert hand_over(lock, Request(), wait_s=0.6) == SILENT

        threading.Timer(0.5, silent.terminate).start()  # it ends while this start is waiting
        assert hand_over(lock, Request(), wait_s=20) == FIRST
        assert not InstanceLock(StudioPaths.under(home)).acquire()  # this start holds the lock now
        lock.release()
    finally:
        stop(silent)


def second_start(qtbot, home: Path, sent: bytes | None = None) -> str:
    """Another process that sends ``sent`` to the studio's socket as a second start would (``None``: the real
    :func:`hand_over` of a plain start) while this one's event loop runs; what it printed."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from PySide6.QtNetwork import QLocalSocket\n"
        "from studio.paths import StudioPaths\n"
        "from studio.ui.single_instance import InstanceLock, Request, hand_over\n"
        "app = QCoreApplication([])\n"
        "lock = InstanceLock(StudioPaths.under(Path(sys.argv[1])))\n"
        "if sys.argv[2] == 'start':\n"
        "    print(hand_over(lock, Request(), wait_s=5))\n"
        "    raise SystemExit\n"
        "socket = QLocalSocket()\n"
        "socket.connectToServer(lock.server_name())\n"
        "assert socket.waitForConnected(2000)\n"
        "socket.write(bytes.fromhex(sys.stdin.read()))\n"
        "socket.waitForBytesWritten(2000)\n"
        "reply = b''\n"
        "while socket.waitForReadyRead(2000):\n"
        "    reply += bytes(socket.readAll().data())\n"
        "print(repr(reply))\n")
    process = subprocess.Popen([sys.executable, "-c", code, str(home), "start" if sent is None else "send"],
                               cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdin is not None
    process.stdin.write(sent.hex() if sent is not None else "")
    process.stdin.close()
    try:
        qtbot.waitUntil(lambda: process.poll() is not None, timeout=20_000)
    finally:
        process.stdin = None  # closed above: communicate() must not flush it
        output = stop(process)
    return output.strip()


NOT_REQUESTS = [b"{not json\n", b"[1, 2]\n", b'{"open": 3}\n', b'{"open": "/a\\u0000b"}\n', b'{"open": ""}\n',
                '{"open": "Tải về/ban tin.bantin"}\n'.encode(),  # a relative name: relative to what?
                b"\xff\xfe\n", b"x" * 70_000]


@pytest.mark.parametrize("sent", NOT_REQUESTS)
def test_what_is_not_a_request_is_refused_and_the_studio_goes_on_listening(qtbot, tmp_path: Path,
                                                                            sent: bytes) -> None:
    home = tmp_path / "home"
    lock = InstanceLock(StudioPaths.under(home).ensure())
    assert lock.acquire()
    server = InstanceServer(lock.server_name())
    assert server.listen()
    heard: list[Request] = []
    server.requested.connect(heard.append)
    try:
        assert second_start(qtbot, home, sent) == "b''"  # hung up without an answer
        assert heard == []
        assert second_start(qtbot, home) == HANDED_OVER
        assert heard == [Request()]
    finally:
        server.close()
        lock.release()


def test_request_lines_round_trip() -> None:
    wanted = Request(Path.home() / "Tải về" / "Bản tin 25-11.bantin")
    assert Request.decode(wanted.encode().rstrip(b"\n")) == wanted
    assert Request.decode(Request().encode().rstrip(b"\n")) == Request()


def test_starting_the_studio_again_brings_it_forward_and_a_bulletin_file_opened_meanwhile_is_imported(
        qtbot, qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_app_state: None) -> None:
    """The real thing: ``studio open FILE`` while the studio waits at its login, then ``studio`` again while its
    window is open. Both later starts end by themselves; the file is imported once the officer has logged in."""
    monkeypatch.setenv("STUDIO_LANG", "en")
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.delenv("STUDIO_DATABASE_URL", raising=False)
    home = tmp_path / "home"
    set_up_home(home)
    library = Studio.open(StudioPaths.under(home))
    try:
        library.login(ADMIN, PASSWORD)
        [summary] = library.repo.list_bulletins()
        bundle = export_bundle(library, summary.id, tmp_path / "Tải về" / "ban tin").path
    finally:
        library.close()
    forward: list[str] = []  # the window the studio brought forward, each time it was started again
    real_bring_forward = app_module.bring_forward

    def bring_forward(app: QApplication) -> QWidget | None:
        window = real_bring_forward(app)
        forward.append(type(window).__name__)
        return window

    monkeypatch.setattr(app_module, "bring_forward", bring_forward)
    later: dict[str, subprocess.Popen[str]] = {}
    seen: dict[str, object] = {}

    def start_again(*args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "studio", "--data-dir", str(home), *args], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def step() -> None:
        login = qapp.activeModalWidget()
        if isinstance(login, LoginDialog) and login.mode == LOGIN and not login.busy:
            if "open" not in later:  # the officer double-clicks a bulletin file while the login asks
                later["open"] = start_again("open", str(bundle))
            elif later["open"].poll() is not None and "login" not in seen:
                seen["login"] = later["open"].returncode
                login.password_edit.setText(PASSWORD)
                login.primary_button.click()
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and "imported as bulletin No." in windows[0].banner.text:
            if "again" not in later:
                seen["imported"] = windows[0].editor.bulletin_id
                later["again"] = start_again()  # and then starts the studio again
            elif later["again"].poll() is not None:
                seen["again"] = later["again"].returncode
                windows[0].close()
                return
        QTimer.singleShot(20, step)

    def give_up() -> None:  # a later start that opened a studio of its own never ends: fail, do not hang
        seen["gave up"] = True
        for widget in qapp.topLevelWidgets():
            widget.close()

    QTimer.singleShot(0, step)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(give_up)
    guard.start(120_000)
    try:
        assert app_module.run_gui(data_dir=home) == 0
    finally:
        guard.stop()
        outputs = {key: stop(process) for key, process in later.items()}
    assert "gave up" not in seen and (seen["login"], seen["again"]) == (0, 0), outputs
    assert forward == ["LoginDialog", "MainWindow"]
    library = Studio.open(StudioPaths.under(home))
    try:
        ids = sorted(b.id for b in library.repo.list_bulletins())
        assert len(ids) == 2 and seen["imported"] == ids[-1]  # imported once, and shown
    finally:
        library.close()
    assert InstanceLock(StudioPaths.under(home)).acquire()  # released when the studio closed


def refusals(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, title, text: shown.append((title, text)))
    return shown


def test_a_studio_that_holds_the_folder_and_never_answers_is_explained(
        qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_app_state: None) -> None:
    monkeypatch.setenv("STUDIO_LANG", "vi")
    monkeypatch.setattr(single_instance, "HANDOVER_WAIT_S", 0.5)
    shown = refusals(monkeypatch)
    silent = holding_process(tmp_path / "home")
    try:
        assert app_module.run_gui(data_dir=tmp_path / "home") == 1
    finally:
        stop(silent)
    assert shown == [("Không thể mở Phòng thu", "Phòng thu đã mở trên máy tính này nhưng không phản hồi. Hãy đóng "
                      "Phòng thu (hoặc khởi động lại máy tính), rồi mở lại.")]
    assert qapp.topLevelWidgets() == [] or not any(w.isVisible() for w in qapp.topLevelWidgets())


def test_a_data_folder_in_use_by_another_computer_is_explained_at_once(
        qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_app_state: None) -> None:
    """A data folder on a network share, held by the studio of another PC: no waiting for an answer that
    cannot come, and the lock stays that PC's."""
    monkeypatch.setenv("STUDIO_LANG", "en")
    shown = refusals(monkeypatch)
    paths = StudioPaths.under(tmp_path / "home").ensure()
    held = b"4242\nCommuneRadioStudio\nxa-tan-lap-may-2\n0f5e0c2d9b1e4c7a8d3f6a1b2c3d4e5f\nboot\n"  # QLockFile's format
    (paths.data / "studio.lock").write_bytes(held)
    assert app_module.run_gui(data_dir=tmp_path / "home") == 1
    assert shown == [("The studio cannot start", f"The studio's data folder ({paths.data}) is in use by the studio on "
                      "the computer “xa-tan-lap-may-2”. Close the studio there first, then start it here again.")]
    assert (paths.data / "studio.lock").read_bytes() == held


def test_bringing_the_studio_forward_restores_a_minimised_window_or_shows_the_dialog_it_waits_on(
        qtbot, qapp: QApplication) -> None:
    from PySide6.QtWidgets import QDialog, QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    assert app_module.bring_forward(qapp) is window
    qtbot.waitUntil(lambda: not window.isMinimized())

    dialog = QDialog(window)
    dialog.setModal(True)
    dialog.show()
    qtbot.waitUntil(lambda: qapp.activeModalWidget() is dialog)
    assert app_module.bring_forward(qapp) is dialog
    dialog.close()
    window.close()
    assert app_module.bring_forward(qapp) is None
