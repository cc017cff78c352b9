"""The self-test's checks that need Qt: the main window builds, and Qt Multimedia opens a render.

``studio self-test`` (:mod:`studio.selftest`) calls them after the core checks; they live under ``ui`` because
the core never imports Qt.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio.selftest import CheckFailed
from studio.services import Studio

#: Qt's notes that say nothing about the outcome (which FFmpeg build Qt Multimedia uses, what a file holds).
SELF_TEST_QUIET = ("qt.multimedia.ffmpeg*.info=false",)
QT_TIMEOUT_S = 30.0  # for the window to show the bulletin, the player to open a file


def _qt_application() -> Any:
    """The running ``QApplication``, or a new one on the off-screen platform whatever the desktop: the checks
    show nothing, and so they run the same on a headless build machine and on an officer's PC."""
    from PySide6.QtCore import QLoggingCategory
    from PySide6.QtWidgets import QApplication

    from studio.ui.app import QUIET_CATEGORIES

    QLoggingCategory.setFilterRules("\n".join([QUIET_CATEGORIES, *SELF_TEST_QUIET]))
    return QApplication.instance() or QApplication(["studio-self-test", "-platform", "offscreen"])


def _wait_until(done: Callable[[], bool], seconds: float) -> bool:
    """Run Qt's event loop until ``done()`` or the time is up; whether ``done()`` came true."""
    from PySide6.QtCore import QDeadlineTimer, QEventLoop, QTimer

    loop = QEventLoop()
    deadline = QDeadlineTimer(int(seconds * 1000))

    def poll() -> None:
        if done() or deadline.hasExpired():
            loop.quit()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(20)
    if not done():
        loop.exec()
    timer.stop()
    return done()


def check_window(studio: Studio) -> str:
    """The main window builds over the library, in Vietnamese, with the bundled fonts, and shows the demo
    bulletin: the Qt libraries and platform plugins, the studio's widgets and the catalogue all load."""
    from studio.ui.app import apply_language, build_main_window
    from studio.ui.fonts import register_bundled_fonts
    from studio.ui.tasks import TaskRunner

    app = _qt_application()
    translators = apply_language(app, "vi")
    runner = TaskRunner()
    window = None
    try:
        families = register_bundled_fonts()
        window = build_main_window(studio, language="vi", runner=runner)
        editor = window.editor
        if not _wait_until(lambda: editor.bulletin_id is not None, QT_TIMEOUT_S):
            raise CheckFailed(f"the main window did not show the demo bulletin within {QT_TIMEOUT_S:.0f} s")
        label = window.new_action.text()
        if label == "New bulletin":
            raise CheckFailed("the main window is not in Vietnamese")
        return f"main window ({app.platformName()}), “{label}”, {len(families)} bundled font families"
    finally:
        if window is not None:
            window.close()
            window.deleteLater()
        runner.shutdown()
        for translator in translators:
            app.removeTranslator(translator)


def check_playback(audio: Path, expected_ms: float) -> str:
    """The window's player (Qt Multimedia and its decoding plugin) opens the render and knows its length."""
    from PySide6.QtCore import QObject, QUrl
    from PySide6.QtMultimedia import QMediaPlayer

    _qt_application()
    owner = QObject()
    player = QMediaPlayer(owner)  # no audio output: nothing is played, and no sound server is needed
    settled = (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.InvalidMedia)
    try:
        player.setSource(QUrl.fromLocalFile(str(audio)))
        _wait_until(lambda: player.mediaStatus() in settled, QT_TIMEOUT_S)
        if player.mediaStatus() != QMediaPlayer.MediaStatus.LoadedMedia:
            reason = player.errorString() or player.mediaStatus().name
            raise CheckFailed(f"the player cannot open the render: {reason}")
        duration = player.duration()
        if abs(duration - expected_ms) > 500:
            raise CheckFailed(f"the player reads {duration} ms, the render lasts {expected_ms:.0f} ms")
        return f"Qt Multimedia opens the render ({duration / 1000:.1f} s)"
    finally:
        player.setSource(QUrl())
        owner.deleteLater()
