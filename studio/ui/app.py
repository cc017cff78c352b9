"""The GUI's composition root: paths, logging, language, the Studio's services, the login, then the window.

Everything the window needs is built here once and passed in; tests skip :func:`run_gui` and call
:func:`build_main_window` with a :class:`~studio.services.Studio` of their own (nobody logs in there:
while the database has no account, the studio acts as itself).
"""

from __future__ import annotations

import gc
import importlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLocale,
    QLoggingCategory,
    QObject,
    QSize,
    Qt,
    QTimer,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from studio.config import UI_FONT_SIZE, UI_LANGUAGE, UI_LAST_USER, Settings
from studio.log import setup_logging, shutdown_logging
from studio.messages import StudioError
from studio.paths import StudioPaths, assets_dir
from studio.ui.collector import GuiThreadCollector
from studio.ui.i18n import install_translators, qt_translate
from studio.ui.import_scan import spare_source_scans

spare_source_scans()  # before the window's modules load

if TYPE_CHECKING:  # the window's modules load after the first window is up (see run_gui)
    from studio.opening import StudioOpening
    from studio.services import Studio
    from studio.ui.crash import CrashHandler
    from studio.ui.main_window import MainWindow
    from studio.ui.outbox_bridge import OutboxBridge
    from studio.ui.single_instance import InstanceLock, Request
    from studio.ui.tasks import ExcInfo, TaskRunner

log = logging.getLogger(__name__)

APP_NAME = "Commune Radio Studio"
LANG_ENV = "STUDIO_LANG"

WARM_UP_MS = 1500
# How long a Python thread may keep the interpreter lock while another wants it (CPython's default: 5 ms).
# With a render, two read-alouds and three uploads running, the window waited up to 70 ms for the lock at
# 5 ms and at most 37 ms at 2 ms (benchmarks/bench_gui_stall.py, quiet machine); the render is no slower:
# its heavy work runs in numpy, scipy and ffmpeg, outside the lock.
GUI_SWITCH_INTERVAL_S = 0.002
# Imported where first used (start-up time), then in the background a moment after start: the audio libraries
# a render needs (scipy's signal and ndimage, ~1 s), QtMultimedia (the first Listen or Play) and the controller
# transports (the first upload). An import on first use holds the interpreter lock in stretches the window
# waits for: loading QtMultimedia for the first Listen while a render ran stalled it for 180 ms
# (benchmarks/bench_gui_stall.py --trace, run 1).
WARM_MODULES = ("scipy.signal", "scipy.ndimage", "PySide6.QtMultimedia", "studio.delivery.folder",
                "studio.delivery.ftp", "studio.delivery.http", "studio.delivery.sftp")

# QtMultimedia looks for PipeWire and falls back to PulseAudio; the miss is not a problem worth a warning.
QUIET_CATEGORIES = "qt.multimedia.symbolsresolver.warning=false"


def choose_language(setting: str, environ: Mapping[str, str] | None = None,
                    system_locale: QLocale | None = None) -> str:
    """``"vi"`` or ``"en"``: ``STUDIO_LANG`` wins, then the ``ui.language`` setting, then the locale."""
    environ = os.environ if environ is None else environ
    wanted = environ.get(LANG_ENV, "").strip().lower()[:2]
    if wanted in ("vi", "en"):
        return wanted
    if setting in ("vi", "en"):
        return setting
    locale = system_locale if system_locale is not None else QLocale.system()
    return "vi" if locale.language() == QLocale.Language.Vietnamese else "en"


def apply_language(app: QApplication, lang: str) -> list[QTranslator]:
    """Install the catalogues and the matching locale (dates, decimal comma). Keep the result alive."""
    if lang == "vi":
        QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    return list(install_translators(app, lang))


def apply_font_size(app: QApplication, points: int) -> None:
    """The officer's chosen text size (setting ``ui.font_size``) for every widget."""
    font = app.font()
    font.setPointSize(points)
    app.setFont(font)


def build_main_window(studio: Studio, *, language: str = "en", runner: TaskRunner | None = None,
                      crash_handler: CrashHandler | None = None,
                      autosave_ms: int | None = None, bridge: OutboxBridge | None = None) -> MainWindow:
    """The main window over ``studio``; ``language`` picks preset names (Vietnamese or English)."""
    from studio.ui.fonts import register_bundled_fonts
    from studio.ui.main_window import MainWindow

    register_bundled_fonts()
    return MainWindow(studio, language=language, runner=runner, crash_handler=crash_handler,
                      autosave_ms=autosave_ms, bridge=bridge)


def settle_memory(runner: TaskRunner, warm_up_ms: int = WARM_UP_MS,
                  modules: Sequence[str] = WARM_MODULES) -> QTimer:
    """Keep Python's full garbage collections short once the window is up, and warm up what a first use needs.

    A full collection holds the interpreter lock from start to end (100–250 ms on a shared modest PC with the
    ~200 000 objects a started studio has); when a render's worker thread starts one, the window cannot
    repaint meanwhile. Everything alive after start-up lives as long as the studio, so it is frozen out of
    the collector's scans (``gc.freeze``). The ``modules`` the window does not need at start
    (:data:`WARM_MODULES`) are then imported in the background a moment later, and frozen too, so the first
    render, listen or upload neither waits for them nor collects them; then QtMultimedia's backend starts on
    this thread (:func:`~studio.ui.player.prepare_media`) while nothing else runs. Returns the warm-up's timer:
    a window closed before it fires stops it.
    """
    gc.freeze()

    def warm_up() -> None:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception:  # only a head start: the first use imports it again and reports
                log.warning("could not import %s ahead of its first use", name, exc_info=True)
        gc.freeze()  # in the task itself: a studio already closed when the task ends has nothing frozen later

    def warmed() -> None:
        from studio.ui.player import prepare_media

        prepare_media()

    timer = QTimer(runner)
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: runner.call("warm up", warm_up).succeeded.connect(warmed))
    timer.start(warm_up_ms)
    return timer


@contextmanager
def crash_reports(runner: TaskRunner, crash_handler: CrashHandler | None) -> Iterator[None]:
    """Bugs in background tasks go to the crash dialog while a step before the window runs (the main window
    connects its own reporting later)."""
    if crash_handler is not None:
        runner.crashed.connect(crash_handler.show_exc_info)
    try:
        yield
    finally:
        if crash_handler is not None:
            runner.crashed.disconnect(crash_handler.show_exc_info)


def log_in(studio: Studio, runner: TaskRunner, crash_handler: CrashHandler | None = None) -> bool:
    """The step before the window: someone logs in (or creates the first administrator account).

    True to go on to the main window, False when the officer chose Quit (the studio then ends normally).
    """
    from studio.ui.login import login_at_start

    with crash_reports(runner, crash_handler):
        return login_at_start(studio, runner)


def studio_icon() -> QIcon:
    """The studio's icon (``assets/icon``, drawn by ``scripts/make_icons.py``) in every size it was drawn in;
    Qt reads a size only when a window first shows it. An empty icon (logged) when the files are missing."""
    icon = QIcon()
    try:
        drawn = sorted((assets_dir() / "icon").glob("studio-*.png"))
    except FileNotFoundError:
        drawn = []
    for path in drawn:
        size = int(path.stem.rsplit("-", 1)[1])
        icon.addFile(str(path), QSize(size, size))
    if icon.isNull():
        log.warning("the studio's icon files are missing; the windows show the system's default icon")
    return icon


def open_application(paths: StudioPaths, argv: list[str]) -> tuple[QApplication, Settings, str, list[QTranslator]]:
    """The ``QApplication`` with its names, the settings, the language and its catalogues (keep them alive),
    and the officer's text size: what the start-up card needs (benchmarks/bench_startup.py times it too)."""
    QLoggingCategory.setFilterRules(QUIET_CATEGORIES)
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("CommuneRadio")
    app.setWindowIcon(studio_icon())  # every window, the taskbar and Alt+Tab
    settings = Settings(paths.config / "settings.json")
    language = choose_language(settings.get(UI_LANGUAGE))
    translators = apply_language(app, language)
    apply_font_size(app, settings.get(UI_FONT_SIZE))
    return app, settings, language, translators


WINDOW_MODULES = ("studio.ui.outbox_bridge", "studio.ui.main_window")  # imported while the officer logs in
# :func:`log_in_early`'s answer when the login gave way to the opening: it failed, or found a new studio.
OPENING_DECIDES = 2
# How long after the login dialog is shown the opening starts if the window system never paints it.
PAINT_FALLBACK_MS = 500


class _Opened(QObject):
    """Brings the end of a :class:`~studio.opening.StudioOpening` (on its own thread) to the GUI thread."""

    arrived = Signal()

    def __init__(self, opening: StudioOpening, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.callbacks: list[Callable[[], None]] = []
        self.arrived.connect(self._relay, Qt.ConnectionType.QueuedConnection)
        opening.when_done(self.arrived.emit)

    @Slot()
    def _relay(self) -> None:
        callbacks, self.callbacks = self.callbacks, []
        for callback in callbacks:
            callback()


class _OnFirstPaint(QObject):
    """Calls ``action`` once ``watched`` has painted (or after ``fallback_ms``, whichever comes first);
    ``watched`` may be the application: then the first paint of any of its windows."""

    def __init__(self, watched: QObject, action: Callable[[], None], fallback_ms: int = PAINT_FALLBACK_MS) -> None:
        super().__init__(watched)
        self.action: Callable[[], None] | None = action
        watched.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self.fire)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.action is not None:
            QTimer.singleShot(0, self, self.fire)  # after the paint has reached the screen
        return False

    def fire(self) -> None:
        action = self.cancel()
        if action is not None:
            action()

    def cancel(self) -> Callable[[], None] | None:
        """Call nothing (the window closed first); returns the action it would have called."""
        action, self.action = self.action, None
        if action is not None:
            watched = self.parent()
            if watched is not None:
                watched.removeEventFilter(self)
            self.deleteLater()
        return action


def wait_for(opening: StudioOpening, opened: _Opened) -> None:
    """Run the event loop (windows stay painted and answer) until ``opening`` has ended."""
    if opening.done:
        return
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    opened.callbacks.append(loop.quit)
    opening.start()
    if not opening.done:  # it may have ended before the loop could hear of it
        loop.exec()


def log_in_early(opening: StudioOpening, opened: _Opened, runner: TaskRunner,
                 crash_handler: CrashHandler | None = None) -> int | bool:
    """The login dialog at once, over the studio that ``opening`` opens meanwhile (started once the dialog
    has painted, so that its imports do not slow the first paint down).

    True once someone is signed in; False on Quit; :data:`OPENING_DECIDES` when the opening failed (its
    error is for the caller to show) or found a new studio (the set-up wizard's turn).
    """
    from studio.opening import LateStudio
    from studio.ui.login import LoginDialog

    dialog = LoginDialog(cast("Studio", LateStudio(opening)), runner, expect_accounts=True)

    def decide() -> None:
        if opening.error is not None or opening.wait().first_run:
            log.info("the login gives way: %s", "the studio did not open" if opening.error else "a new studio")
            dialog.done(OPENING_DECIDES)

    opened.callbacks.append(decide)
    _OnFirstPaint(dialog, opening.start)
    try:
        with crash_reports(runner, crash_handler):
            result = dialog.exec()
    finally:
        if decide in opened.callbacks:
            opened.callbacks.remove(decide)
        dialog.deleteLater()
    if result == OPENING_DECIDES:
        return OPENING_DECIDES
    return result == QDialog.DialogCode.Accepted


def cannot_start(exc_info: ExcInfo, crash_handler: CrashHandler) -> None:
    """What the officer sees when the studio cannot open its library: the reason, or the crash dialog."""
    from PySide6.QtWidgets import QMessageBox

    exc = exc_info[1]
    if isinstance(exc, StudioError):
        log.error("the studio cannot start: %s", exc)
        QMessageBox.critical(None, QCoreApplication.translate("App", "The studio cannot start"),
                             exc.translated(qt_translate))
        return
    crash_handler.show_crash(*exc_info)
    if crash_handler.dialog is not None:
        crash_handler.dialog.exec()


def bring_forward(app: QApplication) -> QWidget | None:
    """Show the studio's foremost window (a dialog it waits on, else the main window) to the officer:
    un-minimised, raised and active. Returns it (None when no window is open)."""
    from PySide6.QtWidgets import QMainWindow

    shown = [widget for widget in app.topLevelWidgets() if widget.isVisible()]
    window = app.activeModalWidget() or next((w for w in shown if isinstance(w, QMainWindow)), None) or (
        shown[0] if shown else None)
    if window is None:
        return None
    if window.isMinimized():
        window.showNormal()
    window.raise_()
    window.activateWindow()
    return window


def hand_over_or_go_on(paths: StudioPaths, lock: InstanceLock, open_file: Path | None) -> int | None:
    """This start found another studio over the same data folder: give it the request (come forward, import
    ``open_file``) and return the exit code, or None when that studio ended meanwhile and this one goes on."""
    from studio.ui.single_instance import FIRST, HANDED_OVER, Request, hand_over

    holder = lock.holder_host()
    if holder and holder != lock.host():
        log.warning("the data folder %s is in use by the studio on %s", paths.data, holder)
        show_refusal(QCoreApplication.translate(
            "App", "The studio's data folder ({folder}) is in use by the studio on the computer “{host}”. "
                   "Close the studio there first, then start it here again.").format(folder=paths.data, host=holder))
        return 1
    outcome = hand_over(lock, Request(open_file))
    if outcome == HANDED_OVER:
        return 0
    if outcome == FIRST:
        return None
    show_refusal(QCoreApplication.translate(
        "App", "The studio is already open on this computer but does not answer. Close it (or restart the "
               "computer), then start the studio again."))
    return 1


def show_refusal(text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(None, QCoreApplication.translate("App", "The studio cannot start"), text)


def run_gui(data_dir: str | os.PathLike[str] | None = None, argv: Sequence[str] | None = None,
            open_file: str | os.PathLike[str] | None = None) -> int:
    """Open the studio window; returns the process exit code (0, or 1 when the studio cannot start).

    ``open_file``: a bulletin file (``.bantin``) to import once the window is up (``studio open FILE``, what the
    Windows file association runs).

    Someone who logged in at this PC before sees the login dialog at once and types while the library opens
    in the background (:mod:`studio.opening`); otherwise a start-up card shows until it is open, then the
    set-up wizard (a new studio) or the login.
    """
    paths = StudioPaths.resolve(data_dir)
    try:
        paths.ensure()
        log_path = setup_logging(paths.logs)
    except OSError as exc:
        print(f"The studio cannot create its folders under {paths.data}: {exc}", file=sys.stderr)
        return 1
    app, settings, language, translators = open_application(paths, list(argv) if argv is not None else sys.argv)
    file_to_open = Path(open_file).expanduser().absolute() if open_file is not None else None
    from studio.ui.single_instance import InstanceLock, InstanceServer

    lock = InstanceLock(paths)
    if not lock.acquire():  # a studio runs over this folder already: it comes forward instead
        handed = hand_over_or_go_on(paths, lock, file_to_open)
        if handed is not None:
            for translator in translators:
                app.removeTranslator(translator)
            shutdown_logging()
            return handed

    from studio.opening import StudioOpening
    from studio.ui.crash import CrashHandler
    from studio.ui.tasks import TaskRunner

    crash_handler = CrashHandler(log_path)
    crash_handler.install()
    log.info("starting the window (language %s, data in %s)", language, paths.data)
    early = bool(settings.get(UI_LAST_USER))  # someone logged in here before: the studio has accounts
    # The window's modules are imported ahead only behind the early login: the wizard and the later login
    # import their own modules on this thread, which must not meet the opening's imports halfway.
    opening = StudioOpening(paths, settings, warm=WINDOW_MODULES if early else ())
    opened = _Opened(opening)

    def relanguage(code: str) -> None:  # chosen on the wizard's first page
        nonlocal translators, language
        for translator in translators:
            app.removeTranslator(translator)
        translators, language = apply_language(app, code), code
        settings.remember(UI_LANGUAGE, code)

    collector = GuiThreadCollector(app)  # from the first worker thread on (see studio.ui.collector)
    collector.start()
    runner = TaskRunner()  # the login's, then the window's: one runner, one database thread
    bridge: OutboxBridge | None = None
    warm_up: QTimer | None = None
    window: MainWindow | None = None
    to_import = [file_to_open] if file_to_open is not None else []

    def later_start(request: Request) -> None:  # someone started the studio again, or opened a bulletin file
        bring_forward(app)
        if request.open_file is None:
            return
        if window is not None:
            window.import_bundle(request.open_file)
        else:
            to_import.append(request.open_file)  # imported once the window is up

    instances = InstanceServer(lock.server_name())
    instances.requested.connect(later_start)
    listen_soon = _OnFirstPaint(app, instances.listen)  # QtNetwork after the first window, not before it
    code = 1
    try:
        answer: int | bool = OPENING_DECIDES
        if early:
            answer = log_in_early(opening, opened, runner, crash_handler)
            if answer is False:
                log.info("closed at the login")
                return 0
        if answer == OPENING_DECIDES:
            if not opening.done:
                from studio.ui.splash import StartSplash

                splash = StartSplash.show_now()  # a window at once; the library takes longer
                wait_for(opening, opened)
                splash.close()
            if opening.error is not None:
                cannot_start(opening.error, crash_handler)
                return 1
            studio = opening.wait().studio
            if opening.wait().first_run:
                from studio.ui.first_run_wizard import run_first_run
                from studio.ui.fonts import register_bundled_fonts

                register_bundled_fonts()  # the area's languages are shown in their scripts
                with crash_reports(runner, crash_handler):
                    if not run_first_run(studio, runner, language, relanguage):
                        log.info("closed in the set-up wizard")
                        return 0
            elif not log_in(studio, runner, crash_handler):
                log.info("closed at the login")
                return 0
        studio = opening.wait().studio
        opening.join_warm_up()  # its imports and this thread's must not meet halfway (per-module locks)
        from studio.ui.outbox_bridge import OutboxBridge

        bridge = OutboxBridge(studio)  # the outbox sends in the background while the window is open
        window = build_main_window(studio, language=language, runner=runner, crash_handler=crash_handler,
                                   bridge=bridge)
        window.show()
        bridge.start()
        warm_up = settle_memory(runner)
        for path in to_import:
            window.import_bundle(path)
        to_import.clear()
        code = app.exec()
    finally:
        listen_soon.cancel()
        instances.close()
        if to_import:
            log.info("closed before the window opened; not imported: %s", ", ".join(map(str, to_import)))
        if bridge is not None:
            bridge.stop()  # an upload goes back to the queue and resumes at the next start
        if warm_up is not None:
            warm_up.stop()
        opening.cancel()  # a login's task still waiting for the library gives up (the runner waits for it)
        runner.shutdown()
        opening.close()  # waits a moment for an opening still under way, closes the studio
        opened.deleteLater()
        collector.stop()
        collector.deleteLater()
        crash_handler.uninstall()
        for translator in translators:
            app.removeTranslator(translator)
        lock.release()
        shutdown_logging()
    return code
