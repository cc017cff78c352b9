"""GUI fixtures: a studio library in a temp folder, the main window over it, the Vietnamese catalogue."""

from __future__ import annotations

import gc
import logging
import sys
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

import studio.render as render_module
from studio.log import shutdown_logging
from studio.paths import StudioPaths
from studio.services import Studio
from studio.speech.synthesis import READING
from studio.ui.app import apply_language, build_main_window
from studio.ui.main_window import MainWindow
from studio.ui.tasks import TaskRunner


@pytest.fixture
def studio(studio_paths: StudioPaths) -> Iterator[Studio]:
    """An opened, migrated studio with the demo station and sample bulletin (what a first launch makes)."""
    opened = Studio.open(studio_paths)
    opened.ensure_library()
    yield opened
    opened.close()


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[TaskRunner]:
    """A task runner of its own (dialogs tested without the main window), stopped after the test."""
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()
    tasks.deleteLater()


# What QtMultimedia logs on a machine without PipeWire or without a sound server (playback goes on silently).
NO_SOUND_SERVER = (r"Couldn't (load|resolve) pipewire", r"PulseAudioService", r"No audio device detected")


@pytest.fixture
def vietnamese(qapp: QApplication) -> Iterator[None]:
    """The window speaks Vietnamese for this test (catalogues installed, Vietnamese locale)."""
    previous = QLocale()
    translators = apply_language(qapp, "vi")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    QLocale.setDefault(previous)


def open_window(qtbot, studio: Studio, *, language: str = "en", autosave_ms: int | None = None) -> MainWindow:
    gc.freeze()  # as run_gui does once the studio has started (``settle_memory``); undone after the test
    window = build_main_window(studio, language=language, autosave_ms=autosave_ms)
    qtbot.addWidget(window, before_close_func=lambda w: w.runner.shutdown())
    window.show()
    qtbot.waitUntil(lambda: window.editor.bulletin_id is not None, timeout=10_000)
    return window


@pytest.fixture
def window(qtbot, studio: Studio) -> Iterator[MainWindow]:
    """The main window showing the demo bulletin (English interface)."""
    main = open_window(qtbot, studio)
    yield main
    main.close()
    main.runner.shutdown()


@pytest.fixture
def window_vi(qtbot, studio: Studio, vietnamese: None) -> Iterator[MainWindow]:
    """The main window in Vietnamese, showing the demo bulletin."""
    main = open_window(qtbot, studio, language="vi")
    yield main
    main.close()
    main.runner.shutdown()


@pytest.fixture(autouse=True)
def no_unexpected_modal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that closes a window with unsaveable text without answering the question fails instead of
    hanging on a modal box no one will click (tests that expect the question patch it themselves)."""

    def unexpected(self: MainWindow) -> bool:
        raise AssertionError("the window asked whether to discard unsaved text; the test did not expect it")

    monkeypatch.setattr(MainWindow, "confirm_discard", unexpected)


@pytest.fixture(autouse=True)
def unfreeze_memory() -> Iterator[None]:
    """Objects a test froze out of the garbage collector (``open_window``) are collectable again after it."""
    yield
    gc.unfreeze()


@pytest.fixture
def restore_app_state(qapp: QApplication) -> Iterator[None]:
    """run_gui sets up logging, a locale, a font, a crash hook and the interpreter's switch interval; put them
    back for the next test."""
    locale, font, hook, level = QLocale(), qapp.font(), sys.excepthook, logging.getLogger().level
    interval = sys.getswitchinterval()
    yield
    sys.setswitchinterval(interval)
    QLocale.setDefault(locale)
    qapp.setFont(font)
    assert sys.excepthook is hook
    shutdown_logging()
    logging.getLogger().setLevel(level)


@pytest.fixture
def speech_held_until_cancelled(monkeypatch: pytest.MonkeyPatch) -> None:
    """A render reports a fraction, then waits (up to 30 s) for the cancel before reading the speech. The demo
    bulletin renders in about a second, so without the hold a fast machine finishes before a test's click; if
    the cancel never reaches the worker, the render goes on after 30 s and ends "ok", failing the test."""
    real = render_module.synthesize_items

    def held(items, synthesizer, *, progress=render_module.no_progress, cancel=None):  # type: ignore[no-untyped-def]
        progress(0.1, READING, number=1)
        deadline = time.monotonic() + 30
        while cancel is not None and not cancel.cancelled and time.monotonic() < deadline:
            time.sleep(0.01)
        return real(items, synthesizer, progress=progress, cancel=cancel)

    monkeypatch.setattr(render_module, "synthesize_items", held)
