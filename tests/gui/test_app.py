"""Start-up: first launch, the login while the library opens, a database that cannot be opened, and the crash
dialog."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import isValid

from studio.first_run import FirstRunSetup, needs_first_run, set_up
from studio.opening import StudioOpening
from studio.paths import StudioPaths
from studio.services import DEMO_TITLE, Studio
from studio.ui import app as app_module
from studio.ui import player as player_module
from studio.ui.collector import GuiThreadCollector
from studio.ui.crash import CrashHandler
from studio.ui.first_run_wizard import FirstRunWizard
from studio.ui.login import CHECKING, LOGIN, LoginDialog
from studio.ui.main_window import MainWindow
from studio.ui.splash import StartSplash
from studio.ui.tasks import TaskRunner
from studio.workflow.accounts import BAD_LOGIN, BAD_LOGIN_HINT
from tests.bundles import tone
from tests.gui.conftest import NO_SOUND_SERVER

ADMIN, PASSWORD = "quantri", "mat-khau-xa"


def set_up_home(home: Path) -> None:
    """A studio set up by its wizard: a station and its administrator, whose name the next start remembers."""
    studio = Studio.open(StudioPaths.under(home))
    try:
        set_up(studio, FirstRunSetup("Đài xã", admin_username=ADMIN, admin_password=PASSWORD,
                                     admin_password_again=PASSWORD))
    finally:
        studio.close()


@pytest.fixture
def held_opening(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The studio's opening waits (its thread, up to 30 s) until the test sets the event: what the officer sees
    while a slow PC is still opening the library."""
    release = threading.Event()
    real_open = StudioOpening._open

    def held(self: StudioOpening) -> None:
        release.wait(30)
        real_open(self)

    monkeypatch.setattr(StudioOpening, "_open", held)
    return release


def unopenable_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The studio's database URL names a folder (English messages); returns the critical messages shown."""
    not_a_file = tmp_path / "db-is-a-folder"
    not_a_file.mkdir()
    monkeypatch.setenv("STUDIO_DATABASE_URL", f"sqlite:///{not_a_file}")
    monkeypatch.setenv("STUDIO_LANG", "en")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda _parent, title, text: shown.append((title, text)))
    return shown


def no_start_up_card(monkeypatch: pytest.MonkeyPatch) -> list[StartSplash]:
    shown: list[StartSplash] = []
    show_now = StartSplash.show_now
    monkeypatch.setattr(StartSplash, "show_now", staticmethod(lambda: shown.append(show_now()) or shown[-1]))
    return shown


def every_20_ms(step: Callable[[], bool]) -> None:
    """Call ``step`` on the event loop until it returns True (the test waits in run_gui meanwhile)."""
    def again() -> None:
        if not step():
            QTimer.singleShot(20, again)

    QTimer.singleShot(0, again)


def test_first_launch_sets_up_the_station_then_opens_the_sample_bulletin(qtbot, qapp: QApplication, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             restore_app_state: None) -> None:
    monkeypatch.setenv("STUDIO_LANG", "vi")
    monkeypatch.delenv("STUDIO_DATABASE_URL", raising=False)
    (tmp_path / "home" / "config").mkdir(parents=True)
    (tmp_path / "home" / "config" / "settings.json").write_text('{"ui.font_size": 14}', encoding="utf-8")
    seen: dict[str, object] = {}
    splashes: list[StartSplash] = []
    show_now = StartSplash.show_now

    def record_splash() -> StartSplash:
        splash = show_now()
        seen.update(splash=(splash.isVisible(), splash.title, splash.message))
        splashes.append(splash)
        return splash

    monkeypatch.setattr(StartSplash, "show_now", staticmethod(record_splash))
    warm_ups: list[QTimer] = []
    settle_memory = app_module.settle_memory

    def record_settle(runner: object) -> QTimer:
        warm_ups.append(settle_memory(runner))
        return warm_ups[-1]

    monkeypatch.setattr(app_module, "settle_memory", record_settle)

    def inspect_then_quit() -> None:
        wizard = qapp.activeModalWidget()
        if isinstance(wizard, FirstRunWizard):  # a new studio: the set-up wizard comes first
            if wizard.task is None:
                splash_up = any(isValid(splash) and splash.isVisible() for splash in splashes)
                seen.update(wizard=wizard.windowTitle(), splash_gone=not splash_up)
                wizard.station.name.setText("Đài truyền thanh xã Tân Lập")
                wizard.account.username.setText("quan.tri")
                wizard.account.password.setText("mat-khau-xa")
                wizard.account.again.setText("mat-khau-xa")
                while wizard.currentPage() is not wizard.finish:
                    wizard.next()
                wizard.accept()
            QTimer.singleShot(20, inspect_then_quit)
            return
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or windows[0].editor.bulletin_id is None:
            QTimer.singleShot(20, inspect_then_quit)
            return
        window = windows[0]
        seen.update(collector=[c.active for c in qapp.findChildren(GuiThreadCollector)])
        seen.update(title=window.editor.title.text(), action=window.render_action.text(),
                    font=qapp.font().pointSize(), caption=window.windowTitle(), actor=window.studio.actor.username)
        window.close()

    QTimer.singleShot(0, inspect_then_quit)
    sys.setswitchinterval(0.005)
    assert app_module.run_gui(data_dir=tmp_path / "home") == 0
    assert sys.getswitchinterval() == pytest.approx(app_module.GUI_SWITCH_INTERVAL_S)  # the window gets the lock sooner
    assert seen == {"splash": (True, "Phòng thu Đài truyền thanh xã", "Đang mở thư viện…"), "splash_gone": True,
                    "wizard": "Thiết lập Phòng thu Đài truyền thanh xã",
                    "title": DEMO_TITLE, "action": "Tạo tệp âm thanh", "font": 14,
                    "caption": "Phòng thu Đài truyền thanh xã — quan.tri", "actor": "quan.tri",
                    "collector": [True]}  # garbage is collected by the window's thread only
    assert not any(c.active for c in qapp.findChildren(GuiThreadCollector))
    # The window closed before the background warm-up: it does not start later, in whatever runs next.
    assert len(warm_ups) == 1 and not warm_ups[0].isActive()
    assert (tmp_path / "home" / "logs" / "studio.log").is_file()
    # run_gui leaves the application as it found it (translators removed, hooks restored)
    assert QApplication.translate("MainWindow", "Create audio file") == "Create audio file"


def test_quit_in_the_wizard_or_at_the_login_ends_the_studio_cleanly(qtbot, qapp: QApplication, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, restore_app_state: None) -> None:
    monkeypatch.setenv("STUDIO_LANG", "en")
    monkeypatch.delenv("STUDIO_DATABASE_URL", raising=False)
    seen: list[str] = []

    def quit_at_the_first_question() -> None:
        dialog = qapp.activeModalWidget()
        if isinstance(dialog, FirstRunWizard):
            seen.append("wizard")
            dialog.reject()
        elif isinstance(dialog, LoginDialog) and dialog.mode != CHECKING:
            seen.append(dialog.mode)
            dialog.quit_button.click()
        else:
            QTimer.singleShot(20, quit_at_the_first_question)

    home = tmp_path / "home"
    QTimer.singleShot(0, quit_at_the_first_question)
    assert app_module.run_gui(data_dir=home) == 0  # quit in the set-up wizard: nothing is created …
    studio = Studio.open(StudioPaths.under(home))
    try:
        assert needs_first_run(studio)  # … and the next start asks again
    finally:
        studio.close()
    set_up_home(home)
    QTimer.singleShot(0, quit_at_the_first_question)
    assert app_module.run_gui(data_dir=home) == 0  # a studio set up: the login, and Quit there
    assert seen == ["wizard", LOGIN]
    assert not any(isinstance(w, MainWindow) and w.isVisible() for w in qapp.topLevelWidgets())


def test_a_returning_officer_logs_in_while_the_library_is_still_opening(
        qtbot, qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_app_state: None,
        held_opening: threading.Event) -> None:
    monkeypatch.setenv("STUDIO_LANG", "en")
    monkeypatch.delenv("STUDIO_DATABASE_URL", raising=False)
    home = tmp_path / "home"
    set_up_home(home)
    cards = no_start_up_card(monkeypatch)
    seen: list[tuple[object, ...]] = []

    def step() -> bool:
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows and windows[0].editor.bulletin_id is not None:
            seen.append(("window", windows[0].studio.actor.username, windows[0].windowTitle()))
            windows[0].close()
            return True
        dialog = qapp.activeModalWidget()
        if not isinstance(dialog, LoginDialog) or dialog.busy:
            return False
        if not seen:  # the library is not open yet, and the dialog asks already
            seen.append(("login", dialog.mode, dialog.name_edit.text(), held_opening.is_set()))
            dialog.password_edit.setText("not-the-password")
            dialog.primary_button.click()
            held_opening.set()
        elif len(seen) == 1 and dialog.message.isVisible():
            seen.append(("refused", dialog.message.text()))
            dialog.password_edit.setText(PASSWORD)
            dialog.primary_button.click()
        return False

    every_20_ms(step)
    assert app_module.run_gui(data_dir=home) == 0
    assert seen == [("login", LOGIN, ADMIN, False), ("refused", f"{BAD_LOGIN}\n{BAD_LOGIN_HINT}"),
                    ("window", ADMIN, f"Commune Radio Studio — {ADMIN}")]
    assert cards == []  # the login was the first window



def test_quit_at_the_login_before_the_library_began_to_open_ends_the_studio_at_once(
        qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_app_state: None) -> None:
    monkeypatch.setenv("STUDIO_LANG", "en")
    monkeypatch.delenv("STUDIO_DATABASE_URL", raising=False)
    home = tmp_path / "home"
    set_up_home(home)
    # The officer is quicker than the first paint: the opening has not begun when Quit is pressed, and the
    # login's count of the accounts waits for it on a worker thread.
    monkeypatch.setattr(StudioOpening, "start", lambda self: None)
    quit_pressed: list[float] = []

    def step() -> bool:
        dialog = qapp.activeModalWidget()
        if not isinstance(dialog, LoginDialog):
            return False
        quit_pressed.append(time.monotonic())
        dialog.quit_button.click()
        return True

    every_20_ms(step)
    assert app_module.run_gui(data_dir=home) == 0
    # The count gave up (Cancelled): the runner's threads ended, the process can end (it used to wait 10 s,
    # then keep a thread waiting for ever, and never exit).
    assert quit_pressed and time.monotonic() - quit_pressed[0] < 5


def test_a_library_that_fails_behind_the_login_closes_it_and_is_explained(
        qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_app_state: None,
        held_opening: threading.Event) -> None:
    home = tmp_path / "home"
    monkeypatch.delenv("STUDIO_DATABASE_URL", raising=False)
    set_up_home(home)  # a library someone logged in to …
    shown = unopenable_library(tmp_path, monkeypatch)  # … that cannot be opened today
    logins: list[str] = []

    def step() -> bool:
        dialog = qapp.activeModalWidget()
        if isinstance(dialog, LoginDialog):
            logins.append(dialog.mode)
            dialog.name_edit.setText("someone.else")  # typing meanwhile: the failure wins
            held_opening.set()
            return True
        return False

    every_20_ms(step)
    assert app_module.run_gui(data_dir=tmp_path / "home") == 1
    assert logins == [LOGIN]
    assert [title for title, _ in shown] == ["The studio cannot start"]
    assert shown[0][1].startswith("The studio's database cannot be opened")


def test_a_remembered_name_over_a_new_library_gives_way_to_the_set_up_wizard(
        qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_app_state: None,
        held_opening: threading.Event) -> None:
    """The settings say someone logged in here, but the library is new (its database was moved away): the
    login shows, then the wizard takes over once the opening has found out."""
    monkeypatch.setenv("STUDIO_LANG", "en")
    monkeypatch.delenv("STUDIO_DATABASE_URL", raising=False)
    (tmp_path / "home" / "config").mkdir(parents=True)
    (tmp_path / "home" / "config" / "settings.json").write_text(f'{{"ui.last_user": "{ADMIN}"}}', encoding="utf-8")
    seen: list[str] = []

    def step() -> bool:
        dialog = qapp.activeModalWidget()
        if isinstance(dialog, LoginDialog) and not seen:
            seen.append(f"login {dialog.name_edit.text()}")
            held_opening.set()
        elif isinstance(dialog, FirstRunWizard):
            seen.append("wizard")
            dialog.reject()
            return True
        return False

    every_20_ms(step)
    assert app_module.run_gui(data_dir=tmp_path / "home") == 0
    assert seen == [f"login {ADMIN}", "wizard"]


def test_database_that_cannot_be_opened_is_explained(qapp: QApplication, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     restore_app_state: None) -> None:
    shown = unopenable_library(tmp_path, monkeypatch)
    assert app_module.run_gui(data_dir=tmp_path / "home") == 1
    assert len(shown) == 1
    assert shown[0][0] == "The studio cannot start"
    assert shown[0][1].startswith("The studio's database cannot be opened")


def test_crash_dialog_shows_copyable_details_and_log_path(qtbot, tmp_path: Path) -> None:
    log_path = tmp_path / "studio.log"
    handler = CrashHandler(log_path)
    try:
        raise RuntimeError("something impossible")
    except RuntimeError:
        exc_info = sys.exc_info()
    with qtbot.waitSignal(handler.dialog_shown) as blocker:
        handler.handle(*exc_info)
    dialog = blocker.args[0]
    details = dialog.details.toPlainText()
    assert "RuntimeError: something impossible" in details
    assert str(log_path) in details
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == details
    handler.handle(*exc_info)  # a second crash while the dialog is open adds to it
    assert dialog.details.toPlainText().count("RuntimeError: something impossible") == 2
    dialog.close()



def test_the_first_window_shows_before_the_heavy_modules_load() -> None:
    """What the studio imports before its first window (the login, or the start-up card) is on screen: no
    database, audio or SSH library (each costs a tenth of a second or more on a modest PC;
    benchmarks/bench_startup.py measures the whole)."""
    import subprocess

    code = ("import sys, studio.cli, studio.ui.app, studio.ui.splash, studio.ui.login, studio.ui.crash, "
            "studio.opening, studio.ui.single_instance; "
            "print(' '.join(sorted(m for m in ('sqlalchemy', 'alembic', 'numpy', 'scipy', 'paramiko', 'pydub', "
            "'mutagen', 'edge_tts', 'aiohttp', 'keyring', 'studio.services', 'studio.ui.main_window', "
            "'studio.ui.crash_dialog', 'PySide6.QtNetwork') "
            "if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == []


def test_the_warm_up_imports_in_the_background_then_starts_the_media_backend(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "warm_probe_for_settle.py").write_text(
        "import threading\nON_GUI_THREAD = threading.current_thread() is threading.main_thread()\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "warm_probe_for_settle", raising=False)
    started: list[bool] = []
    monkeypatch.setattr(player_module, "prepare_media",
                        lambda: started.append(threading.current_thread() is threading.main_thread()))
    runner = TaskRunner()
    try:
        # A module that cannot be imported is only logged: the others and the media backend still come.
        timer = app_module.settle_memory(runner, warm_up_ms=0,
                                         modules=("no_such_module_for_settle", "warm_probe_for_settle"))
        qtbot.waitUntil(lambda: bool(started), timeout=20_000)
    finally:
        runner.shutdown()
    assert not timer.isActive()
    assert sys.modules["warm_probe_for_settle"].ON_GUI_THREAD is False  # imported in the background
    assert started == [True]  # QtMultimedia's backend starts on the window's thread, after the imports


@pytest.mark.qt_log_ignore(*NO_SOUND_SERVER)
def test_a_player_made_after_the_media_backend_was_prepared_plays_to_the_end(qtbot, tmp_path: Path) -> None:
    from PySide6.QtCore import QObject, QUrl
    from PySide6.QtMultimedia import QMediaPlayer

    player_module.prepare_media()  # its own player and audio output are gone at once
    holder = QObject()
    player, _audio = player_module.new_media_player(holder)
    player.setSource(QUrl.fromLocalFile(str(tone(tmp_path / "tone.wav", 440, 0.4))))
    with qtbot.waitSignal(player.mediaStatusChanged, timeout=10_000,
                          check_params_cb=lambda status: status == QMediaPlayer.MediaStatus.EndOfMedia):
        player.play()
    assert player.error() == QMediaPlayer.Error.NoError


def test_a_pc_without_qtmultimedia_gets_a_log_line_from_the_warm_up_not_a_crash(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)  # importing it raises ImportError
    player_module.prepare_media()
    assert "QtMultimedia cannot be loaded" in caplog.text
