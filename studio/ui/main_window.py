"""The studio's first window: the library on the left, the open bulletin on the right, listening below.

The window wires the panels together and runs the officer's main job — write, save, make the audio
file, listen — with every slow step in the task runner. Problems appear in the message banner in the
officer's language; only bugs reach the crash dialog.
"""

from __future__ import annotations

import contextlib
import logging
import string
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from studio.bulletin import BulletinDraft
from studio.messages import Notice, StudioError
from studio.render import RenderResult
from studio.services import Studio
from studio.store.repo import RenderInfo
from studio.ui.banner import MessageBanner
from studio.ui.crash import CrashHandler
from studio.ui.editor import EditorPanel
from studio.ui.i18n import qt_translate
from studio.ui.jingle_dialog import JingleDialog
from studio.ui.lexicon_dialog import LexiconDialog
from studio.ui.library import LibraryPanel
from studio.ui.player import PlayerWidget
from studio.ui.render_bar import RenderBar
from studio.ui.saving import SaveController
from studio.ui.tasks import Task, TaskRunner
from studio.ui.timeline_view import TimelineView

log = logging.getLogger(__name__)


class _Blank(dict[str, Any]):
    """Format arguments that leave out placeholders the reporter did not fill."""

    def __missing__(self, key: str) -> str:
        return ""


def progress_text(label: str, args: Mapping[str, object] | None) -> str:
    """Translate a core progress label (context "Progress") and fill in its arguments."""
    text = QCoreApplication.translate("Progress", label)
    with contextlib.suppress(ValueError, IndexError):
        text = string.Formatter().vformat(text, (), _Blank({k: str(v) for k, v in (args or {}).items()}))
    return " ".join(text.split())


class MainWindow(QMainWindow):
    """Library, editor, render bar and player in one window, sharing one task runner."""

    render_finished = Signal(object)  # RenderInfo
    render_ended = Signal(str)  # "ok" | "error" | "cancelled" | "crash"
    bulletin_loaded = Signal(object)  # BulletinDraft

    def __init__(self, studio: Studio, *, language: str = "en", runner: TaskRunner | None = None,
                 crash_handler: CrashHandler | None = None, autosave_ms: int | None = None) -> None:
        super().__init__()
        self.studio = studio
        self.language = language
        self.runner = runner or TaskRunner(self)
        self.crash_handler = crash_handler
        if crash_handler is not None:
            self.runner.crashed.connect(crash_handler.show_exc_info)
        self.render_task: Task | None = None
        self.render_info: RenderInfo | None = None
        self.lexicon_dialog: LexiconDialog | None = None
        self.jingle_dialog: JingleDialog | None = None

        self.setWindowTitle(self.tr("Commune Radio Studio"))
        # An explicit minimum also stops layouts from resizing the window's limits while it is shown.
        self.setMinimumSize(760, 480)
        self.resize(1180, 760)
        self.banner = MessageBanner(self)
        self.library = LibraryPanel(studio, self.runner, self)
        self.editor = EditorPanel(studio, self.runner, language, self)
        kwargs = {} if autosave_ms is None else {"delay_ms": autosave_ms}
        self.saver = SaveController(studio, self.runner, self.editor, self, **kwargs)
        self.render_bar = RenderBar(self)
        self.player = PlayerWidget(self)
        self.timeline = TimelineView(self.runner, studio.waveform, self)
        self.timeline.set_bed_choice(self._bed_choice)
        self.save_state = QLabel(self)

        self._build_actions()
        self._build_layout()
        self._connect()
        self._update_actions()
        self.library.refresh()

    # --- construction --------------------------------------------------------------------------
    def _build_actions(self) -> None:
        style = self.style()
        self.new_action = QAction(self.tr("New bulletin"), self)
        self.new_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self.new_action.triggered.connect(self.library.create_bulletin)
        self.save_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton),
                                   self.tr("Save"), self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.setToolTip(self.tr("Save the bulletin (Ctrl+S)"))
        self.save_action.triggered.connect(lambda: self.saver.save_now())
        self.render_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_MediaVolume),
                                     self.tr("Create audio file"), self)
        self.render_action.setShortcut(QKeySequence("Ctrl+R"))
        self.render_action.setToolTip(
            self.tr("Read the bulletin aloud into a broadcast-ready MP3 file (Ctrl+R)"))
        self.render_action.triggered.connect(self.render)
        self.lexicon_action = QAction(self.tr("Pronunciation rules…"), self)
        self.lexicon_action.setToolTip(self.tr("How the voice says local names and words at this station"))
        self.lexicon_action.triggered.connect(self.open_lexicon_dialog)
        self.jingle_action = QAction(self.tr("Jingles and music…"), self)
        self.jingle_action.setToolTip(self.tr("The station's jingles and music bed, and importing its own"))
        self.jingle_action.triggered.connect(self.open_jingle_dialog)
        for action in (self.new_action, self.save_action, self.render_action):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)

    def _build_layout(self) -> None:
        toolbar = QToolBar(self.tr("Main"), self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(20, 20))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.save_action)
        toolbar.addAction(self.render_action)
        toolbar.addSeparator()
        toolbar.addAction(self.lexicon_action)
        toolbar.addAction(self.jingle_action)
        self.addToolBar(toolbar)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.editor, 1)
        right_layout.addWidget(self.render_bar)
        right_layout.addWidget(self.timeline)
        right_layout.addWidget(self.player)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.library)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([340, 840])

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.statusBar().addPermanentWidget(self.save_state)

    def _connect(self) -> None:
        self.library.bulletin_selected.connect(self.open_bulletin)
        self.library.deleted.connect(self._on_deleted)
        self.library.problem.connect(self.show_error)
        self.saver.state_changed.connect(self._on_save_state)
        self.saver.saved.connect(self._on_saved)
        self.saver.conflict.connect(self._on_conflict)
        self.saver.problem.connect(self.show_error)
        self.editor.edited.connect(self._on_edited)
        self.render_bar.cancel_requested.connect(self.cancel_render)
        self._connect_timeline()
        self.player.problem.connect(lambda text: self.banner.show_message("warning", text))
        self.editor.problem.connect(self.show_error)
        self.editor.notices.connect(self.show_notices)
        listener = self.editor.listener
        listener.problem.connect(lambda text: self.banner.show_message("warning", text))
        # One sound at a time: the bulletin's player and a segment being listened to.
        self.player.playing_changed.connect(lambda playing: playing and listener.stop())
        listener.state_changed.connect(lambda _owner, state: state != "idle" and self.player.is_playing()
                                       and self.player.toggle())

    def _connect_timeline(self) -> None:
        """The timeline asks; the editor changes the bulletin, which saves it and dates the render."""
        timeline, editor = self.timeline, self.editor
        timeline.seekRequested.connect(self.player.play_from)
        self.player.position_changed.connect(timeline.set_position)
        timeline.moveRequested.connect(editor.move_segment_to)
        timeline.gapChanged.connect(editor.set_gap)
        timeline.crossfadeChanged.connect(editor.set_crossfade)
        timeline.bedChanged.connect(editor.set_bed)

    def _bed_choice(self, number: int) -> bool | None:
        segment = self.editor.segment_at(number)
        return segment.bed if segment is not None else None

    # --- messages ------------------------------------------------------------------------------
    def show_error(self, exc: StudioError) -> None:
        self.banner.show_message("error", exc.translated(qt_translate))

    def show_notices(self, notices: tuple[Notice, ...]) -> None:
        if notices:
            self.banner.show_message("info", "\n".join(n.translated(qt_translate) for n in notices))

    # --- opening bulletins ---------------------------------------------------------------------
    def open_bulletin(self, bulletin_id: int) -> None:
        """Show ``bulletin_id`` in the editor, after saving what the officer typed in the current one."""
        current = self.editor.bulletin_id
        if current == bulletin_id:
            return
        if current is not None and (self.editor.is_dirty() or self.saver.busy):
            self.saver.save_now(on_saved=lambda _stored: self._load(bulletin_id),
                                on_failed=lambda _exc: self.library.select(current))
            return
        self._load(bulletin_id)

    def _load(self, bulletin_id: int) -> None:
        studio = self.studio

        def load() -> tuple[BulletinDraft, RenderInfo | None, str]:
            draft = studio.repo.load(bulletin_id)
            default_preset = studio.repo.station(draft.station_id).default_preset
            return draft, studio.current_render_of(draft), default_preset

        task = self.runner.call("open bulletin", load, pool="db")
        task.succeeded.connect(self._on_loaded)
        task.failed.connect(self.show_error)

    def _on_loaded(self, loaded: tuple[BulletinDraft, RenderInfo | None, str]) -> None:
        draft, render_info, default_preset = loaded
        self.editor.set_draft(draft, default_preset)
        self.saver.reset()
        self._on_save_state(self.saver.state)
        self.banner.clear()  # messages were about the bulletin that was open before
        self._show_render(render_info)
        self._update_actions()
        self.bulletin_loaded.emit(draft)

    def _on_deleted(self, bulletin_id: int) -> None:
        if self.editor.bulletin_id == bulletin_id:
            self.editor.set_draft(None)
            self.saver.reset()
            self._show_render(None)
            self._update_actions()

    # --- saving --------------------------------------------------------------------------------
    def _on_edited(self) -> None:
        if self.render_info is not None:
            self.timeline.set_outdated(True)
            if not self.render_bar.busy:
                self.render_bar.show_render(self.render_info, outdated=True)

    def _on_saved(self, stored: BulletinDraft) -> None:
        self.library.refresh()

    def _on_save_state(self, state: str) -> None:
        self.save_state.setText({
            "clean": self.tr("All changes saved"),
            "dirty": self.tr("Unsaved changes"),
            "saving": self.tr("Saving…"),
            "conflict": self.tr("Not saved: changed by someone else"),
            "failed": self.tr("Not saved"),
        }.get(state, ""))

    def _on_conflict(self, exc: StudioError) -> None:
        self.banner.show_message("warning", exc.translated(qt_translate), (
            (self.tr("Keep my text"), self.saver.keep_mine),
            (self.tr("Show their version"), self._reload_current),
        ))

    def _reload_current(self) -> None:
        bulletin_id = self.editor.bulletin_id
        if bulletin_id is not None:
            self.editor.set_draft(None)
            self._load(bulletin_id)

    # --- rendering -----------------------------------------------------------------------------
    def render(self) -> None:
        """Save, then make the audio file in the background. The officer may keep editing meanwhile."""
        if self.render_task is not None or self.editor.bulletin_id is None:
            return
        self.render_action.setEnabled(False)
        self.render_bar.start()
        self.saver.save_now(on_saved=self._start_render, on_failed=self._render_not_started)

    def _render_not_started(self, _exc: StudioError) -> None:
        self.render_bar.show_idle(
            self.tr("The audio file was not made because the bulletin could not be saved."))
        self._update_actions()
        self.render_ended.emit("error")

    def _start_render(self, saved: BulletinDraft) -> None:
        bulletin_id = saved.id
        assert bulletin_id is not None
        studio = self.studio
        task = self.runner.run("render", lambda progress, cancel: studio.render_bulletin(
            bulletin_id, progress=progress, cancel=cancel))
        self.render_task = task
        task.progress.connect(lambda fraction, label, args: self.render_bar.set_progress(
            fraction, progress_text(label, args)))
        task.succeeded.connect(self._on_rendered)
        task.failed.connect(self._on_render_failed)
        task.cancelled.connect(self._on_render_cancelled)
        task.crashed.connect(
            lambda _exc_info: self._render_done("crash", self.tr("The audio file was not made.")))
        self._update_actions()

    def cancel_render(self) -> None:
        if self.render_task is not None:
            self.render_task.cancel()

    def _on_rendered(self, outcome: tuple[RenderInfo, RenderResult]) -> None:
        info, result = outcome
        self.render_task = None
        if info.bulletin_id == self.editor.bulletin_id:
            self._show_render(info, outdated=self.editor.is_dirty())
        else:  # the officer opened another bulletin meanwhile; the finished one keeps its file
            self._show_render(self.render_info)
        self.show_notices(tuple(result.notices))
        self._render_done("ok", None)
        self.render_finished.emit(info)

    def _on_render_failed(self, exc: StudioError) -> None:
        self.show_error(exc)
        self._render_done("error", self.tr("The audio file was not made."))

    def _on_render_cancelled(self) -> None:
        self._render_done("cancelled", self.tr("Cancelled. No audio file was made."))

    def _render_done(self, outcome: str, text: str | None) -> None:
        self.render_task = None
        if text is not None:
            self.render_bar.show_idle(text)
        self._update_actions()
        self.render_ended.emit(outcome)

    def _show_render(self, info: RenderInfo | None, *, outdated: bool = False) -> None:
        """Offer ``info`` (the open bulletin's newest audio file, or None) in the render bar and player."""
        self.render_info = info
        if self.render_task is None:
            self.render_bar.show_render(info, outdated=outdated)
        if info is None:
            self.player.set_source(None)
            self.timeline.set_programme(None, None)
        else:
            audio = self.studio.render_file(info)
            if self.player.source != audio:
                self.player.set_source(audio, info.duration_ms)
            self.timeline.set_programme(self.studio.layout_of(info), audio)
        self.timeline.set_outdated(info is not None and outdated)

    def _update_actions(self) -> None:
        has_bulletin = self.editor.bulletin_id is not None
        self.save_action.setEnabled(has_bulletin)
        self.render_action.setEnabled(has_bulletin and self.render_task is None)

    # --- station settings ---------------------------------------------------------------------
    def open_lexicon_dialog(self) -> LexiconDialog:
        """Show the station's pronunciation rules (one editor at a time; a closed one is rebuilt fresh)."""
        dialog = self.lexicon_dialog
        if dialog is not None and dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        if dialog is not None:
            dialog.deleteLater()
        dialog = self.lexicon_dialog = LexiconDialog(self.studio, self.runner, self.editor.default_preset, self)
        # One sound at a time: the bulletin's player, a segment, or the rules' sample.
        dialog.listener.state_changed.connect(self._on_sample_listen)
        self.player.playing_changed.connect(dialog.hush)
        self.editor.listener.state_changed.connect(dialog.hush)
        dialog.saved.connect(self._on_rules_saved)
        dialog.show()
        return dialog

    def open_jingle_dialog(self) -> JingleDialog:
        """Show the jingle library and the station's choices (one at a time; a closed one is rebuilt fresh)."""
        dialog = self.jingle_dialog
        if dialog is not None and dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        if dialog is not None:
            dialog.deleteLater()
        dialog = self.jingle_dialog = JingleDialog(self.studio, self.runner, self)
        # One sound at a time: the bulletin's player, a segment, or a jingle.
        dialog.playing_changed.connect(lambda playing: playing and self._on_sample_listen(dialog, "playing"))
        self.player.playing_changed.connect(dialog.hush)
        self.editor.listener.state_changed.connect(dialog.hush)
        dialog.show()
        return dialog

    def _on_sample_listen(self, _owner: object, state: str) -> None:
        if state != "idle":
            self.editor.listener.stop()
            if self.player.is_playing():
                self.player.toggle()

    def _on_rules_saved(self) -> None:
        for card in self.editor.cards:  # their spoken previews were made with the old rules
            card.analyser.schedule(0)
        self.statusBar().showMessage(self.tr("Pronunciation rules saved."), 5000)

    # --- closing -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the last keystrokes before the window goes; never drop unsaved text without asking."""
        unsaved = self.editor.is_dirty() or self.saver.busy
        if unsaved and self.saver.state not in ("conflict", "failed"):
            event.ignore()  # close again once the save has landed
            self.saver.save_now(on_saved=lambda _stored: self.close())
            return
        if unsaved and not self.confirm_discard():
            event.ignore()
            return
        self.player.set_source(None)
        self.editor.listener.stop()
        self.runner.shutdown()
        super().closeEvent(event)

    def confirm_discard(self) -> bool:
        """Ask before closing with text that could not be saved (a separate method so tests can answer)."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Close without saving?"),
                          self.tr("Your latest changes to “{title}” are not saved. Close anyway and lose them?")
                          .format(title=self.editor.title.text()), QMessageBox.StandardButton.NoButton, self)
        close = box.addButton(self.tr("Close and lose the changes"), QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton(self.tr("Keep the window open"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.exec()
        return box.clickedButton() is close
