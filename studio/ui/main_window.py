"""The studio's first window: the library on the left, the open bulletin on the right, listening below.

The window wires the panels together and runs the officer's main job — write, save, make the audio
file, listen — with every slow step in the task runner. Problems appear in the message banner in the
officer's language; only bugs reach the crash dialog.
"""

from __future__ import annotations

import contextlib
import logging
import string
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar, cast

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from studio.bulletin import SEGMENT_KIND_LABELS, BulletinDraft, SegmentDraft, check_segment_count
from studio.config import UI_FONT_SIZE, UI_LANGUAGE
from studio.journal import JournalEntry
from studio.messages import Notice, StudioError
from studio.render import RenderResult
from studio.services import Studio
from studio.store.repo import RenderInfo, StationInfo
from studio.ui.accounts_dialog import AccountsDialog
from studio.ui.audit_dialog import AuditDialog
from studio.ui.banner import MessageBanner
from studio.ui.booth import BoothDialog, BoothSubject
from studio.ui.bundle_actions import BundleActions
from studio.ui.crash import CrashHandler
from studio.ui.editor import EditorPanel
from studio.ui.emergency_notice import EmergencyNotifier
from studio.ui.guide import GuideDialog
from studio.ui.i18n import qt_translate
from studio.ui.jingle_dialog import JingleDialog
from studio.ui.lexicon_dialog import LexiconDialog
from studio.ui.library import LibraryPanel, local_time_text
from studio.ui.log_view import LogDialog
from studio.ui.login import switch_user
from studio.ui.outbox_bridge import OutboxBridge
from studio.ui.outbox_window import OutboxWindow
from studio.ui.output_settings_dialog import OutputSettingsDialog
from studio.ui.phrase_bank import PhraseBankDialog
from studio.ui.player import PlayerWidget
from studio.ui.render_bar import RenderBar
from studio.ui.review_panel import ReviewPanel
from studio.ui.saving import SaveController
from studio.ui.send_dialog import send_bulletin
from studio.ui.station_rules_dialog import StationRulesDialog
from studio.ui.station_schedule_dialog import StationScheduleDialog
from studio.ui.targets_dialog import TargetsDialog
from studio.ui.task_panel import TaskPanel
from studio.ui.tasks import Task, TaskRunner
from studio.ui.timeline_view import TimelineView
from studio.workflow.accounts import Role
from studio.workflow.merge import merge
from studio.workflow.states import Action

log = logging.getLogger(__name__)

DialogT = TypeVar("DialogT", bound=QDialog)

CHANGE_CHECK_MS = 15_000  # how often to look for changes made on another PC


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
    template_saved = Signal(object)  # TemplateInfo

    def __init__(self, studio: Studio, *, language: str = "en", runner: TaskRunner | None = None,
                 crash_handler: CrashHandler | None = None, autosave_ms: int | None = None,
                 bridge: OutboxBridge | None = None) -> None:
        super().__init__()
        self.studio = studio
        self.language = language
        self.runner = runner or TaskRunner(self)
        self.crash_handler = crash_handler
        if crash_handler is not None:
            self.runner.crashed.connect(crash_handler.show_exc_info)
        self.render_task: Task | None = None
        self.render_info: RenderInfo | None = None

        self.setWindowTitle(self.tr("Commune Radio Studio"))
        if studio.signed_in is not None:  # who is at the keyboard, always in sight
            self.setWindowTitle(self.tr("Commune Radio Studio — {user}").format(user=studio.signed_in.label))
        # An explicit minimum also stops layouts from resizing the window's limits while it is shown.
        self.setMinimumSize(760, 480)
        self.resize(1180, 760)
        self.banner = MessageBanner(self)
        self.library = LibraryPanel(studio, self.runner, self)
        self.editor = EditorPanel(studio, self.runner, language, self)
        kwargs = {} if autosave_ms is None else {"delay_ms": autosave_ms}
        self.saver = SaveController(studio, self.runner, self.editor, self, **kwargs)
        self.review = ReviewPanel(studio, self.runner, self)
        self.review.language = language
        self.render_bar = RenderBar(self)
        self.player = PlayerWidget(self)
        self.timeline = TimelineView(self.runner, studio.waveform, self)
        self.timeline.set_bed_choice(self._bed_choice)
        self.save_state = QLabel(self)
        self._owns_bridge = bridge is None  # tests build the window without one
        self.bridge = bridge or OutboxBridge(studio, self)

        self.task_panel = TaskPanel(studio, self.runner, self.bridge, self)
        self._build_actions()
        self._build_layout()
        self._connect()
        self.notifier = EmergencyNotifier(self.bridge, lambda text: self.banner.show_message("info", text), self,
                                          icon=self.windowIcon())
        self.bridge.delivered.connect(self._on_delivered)
        self._update_actions()
        self.library.refresh()
        self.library.reload_templates()
        self.runner.call("sweep leftovers", studio.sweep_leftovers)  # what a crash or a power cut left on disk
        # Several PCs share one database: look for their changes now and then and whenever the window is
        # activated (a reviewer approving at the People's Committee shows up here without a restart).
        self._marker: tuple[object, ...] | None = None
        self._checking = False
        self.change_timer = QTimer(self)
        self.change_timer.setInterval(CHANGE_CHECK_MS)
        self.change_timer.timeout.connect(self.check_for_changes)
        self.change_timer.start()
        self.unsaved: list[tuple[JournalEntry, BulletinDraft | None]] = []  # recovered text not yet decided
        QTimer.singleShot(0, self, self.recover_unsaved)

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
            self.tr("Read the bulletin aloud into a broadcast-ready audio file (Ctrl+R)"))
        self.render_action.triggered.connect(self.render)
        self.lexicon_action = QAction(self.tr("Pronunciation rules…"), self)
        self.lexicon_action.setToolTip(self.tr("How the voice says local names and words at this station"))
        self.lexicon_action.triggered.connect(self.open_lexicon_dialog)
        self.jingle_action = QAction(self.tr("Jingles and music…"), self)
        self.jingle_action.setToolTip(self.tr("The station's jingles and music bed, and importing its own"))
        self.jingle_action.triggered.connect(self.open_jingle_dialog)
        self.switch_user_action = QAction(self.tr("Switch user…"), self)
        self.switch_user_action.setToolTip(self.tr("Log in as another person (the reviewer at this PC)"))
        self.switch_user_action.triggered.connect(self.switch_user)
        self.output_action = QAction(self.tr("Output settings…"), self)
        self.output_action.triggered.connect(lambda: self._open_dialog("output"))
        self.rules_action = QAction(self.tr("Station rules…"), self)
        self.rules_action.triggered.connect(lambda: self._open_dialog("rules"))
        self.accounts_action = QAction(self.tr("Accounts…"), self)
        self.accounts_action.triggered.connect(lambda: self._open_dialog("accounts"))
        self.audit_action = QAction(self.tr("Audit log…"), self)
        self.audit_action.triggered.connect(lambda: self._open_dialog("audit"))
        self.targets_action = QAction(self.tr("Delivery targets…"), self)
        self.targets_action.setToolTip(self.tr("Where programmes go: the controller's folder, server or API"))
        self.targets_action.triggered.connect(lambda: self._open_dialog("targets"))
        self.schedule_action = QAction(self.tr("Usual broadcast times…"), self)
        self.schedule_action.setToolTip(self.tr("The station's usual broadcast times and loudspeaker zones"))
        self.schedule_action.triggered.connect(lambda: self._open_dialog("schedule"))
        self.send_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward),
                                   self.tr("Send to controller…"), self)
        self.send_action.setToolTip(self.tr("Put the approved bulletin into the outbox for the controller"))
        self.send_action.triggered.connect(self.send_to_controller)
        self.logo_action = QAction(self.tr("Station logo…"), self)
        self.logo_action.setToolTip(self.tr("A picture shown with every programme in players and file lists"))
        self.logo_action.triggered.connect(lambda: self.choose_logo())
        self.template_action = QAction(self.tr("Save as template…"), self)
        self.template_action.setToolTip(self.tr("Keep this bulletin's running order and wording for new bulletins"))
        self.template_action.triggered.connect(lambda: self.save_as_template())
        self.bundles = BundleActions(self)  # Export to file… / Import from file… (.bantin)
        self.guide_action = QAction(self.tr("User guide"), self)
        self.guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.guide_action.triggered.connect(lambda: self._single("guide", lambda: GuideDialog(self)))
        self.bigger_action = QAction(self.tr("Larger text"), self)
        self.bigger_action.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomIn))
        self.bigger_action.triggered.connect(lambda: self.set_text_size(QApplication.font().pointSize() + 1))
        self.smaller_action = QAction(self.tr("Smaller text"), self)
        self.smaller_action.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomOut))
        self.smaller_action.triggered.connect(lambda: self.set_text_size(QApplication.font().pointSize() - 1))
        self.normal_size_action = QAction(self.tr("Normal text size"), self)
        self.normal_size_action.setShortcut(QKeySequence("Ctrl+0"))
        self.normal_size_action.triggered.connect(lambda: self.set_text_size(UI_FONT_SIZE.default))
        self.language_actions: dict[str, QAction] = {}
        for code, name in (("vi", "Tiếng Việt"), ("en", "English")):
            action = QAction(name, self)
            action.setCheckable(True)
            action.setChecked(code == self.language)
            action.triggered.connect(lambda _checked=False, chosen=code: self.choose_language(chosen))
            self.language_actions[code] = action
        self.log_action = QAction(self.tr("Studio log…"), self)
        self.log_action.setToolTip(self.tr("What the studio noted while it ran, for the installer"))
        self.log_action.triggered.connect(lambda: self._single("log", lambda: LogDialog(
            self.studio.paths.logs, self.runner, self)))
        self.phrase_action = QAction(self.tr("Phrase bank…"), self)
        self.phrase_action.setToolTip(self.tr("Idents, greetings and closings recorded once in each language, "
                                              "approved once, inserted into bulletins"))
        self.phrase_action.triggered.connect(self.open_phrase_bank)
        self.outbox_action = QAction(self.tr("Outbox…"), self)
        self.outbox_action.setToolTip(self.tr("Programmes on their way to the controller, and what arrived"))
        self.outbox_action.triggered.connect(self.open_outbox)
        self.dialogs: dict[str, QDialog] = {}
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
        toolbar.addAction(self.send_action)
        toolbar.addAction(self.outbox_action)
        toolbar.addSeparator()
        toolbar.addAction(self.lexicon_action)
        toolbar.addAction(self.jingle_action)
        toolbar.addAction(self.phrase_action)
        toolbar.addSeparator()
        toolbar.addAction(self.switch_user_action)
        self.addToolBar(toolbar)
        self.sidebar = self._build_sidebar()
        self.addToolBar(Qt.ToolBarArea.LeftToolBarArea, self.sidebar)
        bulletin_menu = self.menuBar().addMenu(self.tr("&Bulletin"))
        for action in (self.new_action, self.save_action, self.render_action, self.send_action):
            bulletin_menu.addAction(action)
        bulletin_menu.addSeparator()
        bulletin_menu.addAction(self.template_action)
        bulletin_menu.addAction(self.phrase_action)
        bulletin_menu.addSeparator()
        bulletin_menu.addAction(self.bundles.export_action)
        bulletin_menu.addAction(self.bundles.import_action)
        station_menu = self.menuBar().addMenu(self.tr("&Station"))
        for action in (self.output_action, self.jingle_action, self.phrase_action, self.lexicon_action,
                       self.rules_action, self.schedule_action):
            station_menu.addAction(action)
        station_menu.addSeparator()
        station_menu.addAction(self.targets_action)
        station_menu.addAction(self.outbox_action)
        station_menu.addAction(self.logo_action)
        station_menu.addSeparator()
        station_menu.addAction(self.accounts_action)
        station_menu.addAction(self.audit_action)
        station_menu.addSeparator()
        station_menu.addAction(self.switch_user_action)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        for action in (self.bigger_action, self.smaller_action, self.normal_size_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        language_menu = view_menu.addMenu(self.tr("Language"))
        for action in self.language_actions.values():
            language_menu.addAction(action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.guide_action)
        help_menu.addAction(self.log_action)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.review)
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
        layout.addWidget(self.task_panel)
        self.setCentralWidget(central)
        self.statusBar().addPermanentWidget(self.save_state)

    def _build_sidebar(self) -> QToolBar:
        """The places of the studio, one click away: bulletins, the review queue, the outbox, the phrase bank,
        jingles and the guide."""
        style = self.style()
        sidebar = QToolBar(self.tr("Places"), self)
        sidebar.setObjectName("sidebar")
        sidebar.setMovable(False)
        sidebar.setIconSize(QSize(28, 28))
        sidebar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        self.bulletins_place = QAction(style.standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView),
                                       self.tr("Bulletins"), self)
        self.bulletins_place.setToolTip(self.tr("Every bulletin, newest first (Ctrl+1)"))
        self.bulletins_place.setShortcut(QKeySequence("Ctrl+1"))
        self.bulletins_place.triggered.connect(lambda: self.show_library(""))
        self.review_place = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton),
                                    self.tr("To review"), self)
        self.review_place.setToolTip(self.tr("Bulletins waiting for a reviewer's approval (Ctrl+2)"))
        self.review_place.setShortcut(QKeySequence("Ctrl+2"))
        self.review_place.triggered.connect(lambda: self.show_library("submitted"))
        for action in (self.bulletins_place, self.review_place):
            sidebar.addAction(action)
        sidebar.addSeparator()
        # Short names under the icons: the sidebar must stay narrow on a 1366-pixel laptop at a large font.
        for icon, text, twin in ((QStyle.StandardPixmap.SP_ArrowForward, self.tr("Outbox"), self.outbox_action),
                                 (QStyle.StandardPixmap.SP_MediaVolume, self.tr("Phrases"), self.phrase_action),
                                 (QStyle.StandardPixmap.SP_DriveCDIcon, self.tr("Jingles"), self.jingle_action),
                                 (QStyle.StandardPixmap.SP_DialogHelpButton, self.tr("Help"), self.guide_action)):
            place = QAction(style.standardIcon(icon), text, self)
            place.setToolTip(twin.toolTip() or twin.text())
            place.triggered.connect(twin.trigger)
            sidebar.addAction(place)
        return sidebar

    def show_library(self, state: str) -> None:
        """The library with every bulletin (``""``) or those in ``state``, search and filters cleared."""
        library = self.library
        for combo in (library.priority_filter, library.language_filter, library.period_filter):
            combo.setCurrentIndex(0)
        library.search.clear()
        library.state_filter.setCurrentIndex(max(0, library.state_filter.findData(state)))
        library.refresh()
        library.view.setFocus()

    def _connect(self) -> None:
        self.library.bulletin_selected.connect(self.open_bulletin)
        self.library.deleted.connect(self._on_deleted)
        self.library.save_template_requested.connect(lambda: self.save_as_template())
        self.library.problem.connect(self.show_error)
        self.saver.state_changed.connect(self._on_save_state)
        self.saver.saved.connect(self._on_saved)
        self.saver.conflict.connect(self._on_conflict)
        self.saver.problem.connect(self.show_error)
        self.editor.edited.connect(self._on_edited)
        self.render_bar.cancel_requested.connect(self.cancel_render)
        self.review.action_requested.connect(self.review_action)
        self.review.changed.connect(lambda status: self.library.refresh(status.bulletin_id))
        self.review.problem.connect(self.show_error)
        self._connect_timeline()
        self.player.problem.connect(lambda text: self.banner.show_message("warning", text))
        self.editor.problem.connect(self.show_error)
        self.editor.notices.connect(self.show_notices)
        self.editor.record_requested.connect(self.record_segment)
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

    # --- changes made elsewhere ----------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.check_for_changes()

    def check_for_changes(self) -> None:
        """Compare the library's stamp with the last one (off the GUI thread); refresh what changed."""
        if self._checking:
            return
        self._checking = True
        bulletin_id = self.editor.bulletin_id
        studio = self.studio
        task = self.runner.call("check for changes", lambda: studio.repo.change_marker(bulletin_id),
                                pool="db")
        task.succeeded.connect(lambda marker: self._on_marker(bulletin_id, marker))
        task.failed.connect(self._on_marker_failed)

    def _on_marker_failed(self, exc: StudioError) -> None:
        self._checking = False
        log.info("change check failed: %s", exc)  # the server may be away: saving says so when it matters

    def _on_marker(self, bulletin_id: int | None, marker: tuple[object, ...]) -> None:
        self._checking = False
        if self.saver.state == "failed":
            self.saver.retry()  # the database answers again: save what could not be saved
        previous, self._marker = self._marker, marker
        if previous is None or previous == marker or bulletin_id != self.editor.bulletin_id:
            return
        self.library.refresh()
        if bulletin_id is None or len(marker) < 4:
            return
        version = marker[2]
        draft = self.editor.current_draft()
        if draft is not None and version != draft.version and not self.saver.busy:
            if self.editor.is_dirty() or self.saver.state == "conflict":
                self.banner.show_message("warning", self.tr(
                    "Someone changed this bulletin on another PC while you were editing it."), (
                    (self.tr("Keep my text"), self.saver.keep_mine),
                    (self.tr("Show their version"), self._reload_current),
                ))
            else:
                self._reload_current()
                self.statusBar().showMessage(self.tr("Updated with changes made on another PC."), 8000)
                return
        self.review.refresh()

    # --- messages ------------------------------------------------------------------------------
    def show_error(self, exc: StudioError) -> None:
        self.banner.show_message("error", exc.translated(qt_translate))

    def show_notices(self, notices: tuple[Notice, ...]) -> None:
        if notices:
            self.banner.show_message("info", "\n".join(n.translated(qt_translate) for n in notices))

    # --- text a crash kept from the database ---------------------------------------------------
    def recover_unsaved(self) -> Task:
        """Look in the typing journal for text the database never got (the studio or the PC stopped before
        the save) and offer it back, one bulletin at a time. Copies identical to the database go quietly."""
        journal, studio = self.saver.journal, self.studio

        def find() -> list[tuple[JournalEntry, BulletinDraft | None]]:
            found: list[tuple[JournalEntry, BulletinDraft | None]] = []
            for entry in journal.entries():
                stored = None
                if entry.draft.id is not None:
                    with contextlib.suppress(StudioError):  # deleted meanwhile: restored as a new bulletin
                        stored = studio.repo.load(entry.draft.id)
                if stored is not None and stored.content() == entry.draft.content():
                    journal.discard(entry)
                    continue
                found.append((entry, stored))
            return found

        task = self.runner.call("look for unsaved text", find, pool="db")
        task.succeeded.connect(self._offer_recovery)
        task.failed.connect(self.show_error)
        return task

    def _offer_recovery(self, found: list[tuple[JournalEntry, BulletinDraft | None]]) -> None:
        self.unsaved = found
        if not found:
            return
        entry, _stored = found[0]
        self.banner.show_message("warning", self.tr(
            "Text of “{title}” typed at {time} was not saved before the studio stopped.").format(
            title=entry.draft.title, time=local_time_text(entry.written_at)),
            ((self.tr("Restore it"), self.restore_unsaved), (self.tr("Discard it"), self.discard_unsaved)))

    def restore_unsaved(self) -> Task | None:
        """Save the first recovered text as the bulletin's newest revision (the one it replaces stays in the
        history), then open it."""
        if not self.unsaved:
            return None
        (entry, stored), rest = self.unsaved[0], self.unsaved[1:]
        studio, journal = self.studio, self.saver.journal
        if stored is not None:
            draft = replace(entry.draft, version=stored.version, state=stored.state)
        else:
            draft = replace(entry.draft, id=None, uid="", version=0, state="draft")

        def restore() -> BulletinDraft:
            saved = studio.save_bulletin(draft)
            journal.discard(entry)
            return saved

        if self.editor.bulletin_id == draft.id:
            self.editor.set_draft(None)  # what was shown is the older text
        task = self.runner.call("restore unsaved text", restore, pool="db")
        task.succeeded.connect(lambda saved: self._restored(saved, rest))
        task.failed.connect(self.show_error)
        return task

    def _restored(self, saved: BulletinDraft, rest: list[tuple[JournalEntry, BulletinDraft | None]]) -> None:
        self.library.refresh(saved.id)
        if saved.id is not None:
            self._load(saved.id)
        self.statusBar().showMessage(self.tr("The unsaved text was restored."), 8000)
        self._offer_recovery(rest)

    def discard_unsaved(self) -> None:
        if not self.unsaved:
            return
        (entry, _stored), rest = self.unsaved[0], self.unsaved[1:]
        journal = self.saver.journal
        self.runner.call("discard unsaved text", lambda: journal.discard(entry), pool="journal")
        self._offer_recovery(rest)

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

        def load() -> tuple[BulletinDraft, RenderInfo | None, StationInfo]:
            draft = studio.repo.load(bulletin_id)
            check_segment_count(draft.title, len(draft.segments))  # thousands of cards would freeze the window
            return draft, studio.current_render_of(draft), studio.repo.station(draft.station_id)

        task = self.runner.call("open bulletin", load, pool="db")
        task.succeeded.connect(self._on_loaded)
        task.failed.connect(self.show_error)

    def _on_loaded(self, loaded: tuple[BulletinDraft, RenderInfo | None, StationInfo]) -> None:
        draft, render_info, station = loaded
        self.editor.area_presets = station.area_presets
        self.editor.set_draft(draft, station.default_preset)
        self.saver.reset()
        self._on_save_state(self.saver.state)
        self.banner.clear()  # messages were about the bulletin that was open before …
        if self.unsaved:
            self._offer_recovery(self.unsaved)  # … but text to recover still waits for a decision
        self.review.show_bulletin(draft.id, len(draft.segments))
        self._show_render(render_info)
        self._update_actions()
        self.bulletin_loaded.emit(draft)

    def _on_deleted(self, bulletin_id: int) -> None:
        if self.editor.bulletin_id == bulletin_id:
            self.editor.set_draft(None)
            self.saver.reset()
            self.review.show_bulletin(None)
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
        self.review.show_bulletin(stored.id, len(stored.segments))  # an edit may have voided an approval
        if self.render_info is not None:  # a schedule-only edit leaves the audio file current
            self._recheck_render()

    def on_user_changed(self) -> None:
        """Another person logged in at this PC: show what they may do; a reviewer starts on the review queue."""
        actor = self.studio.signed_in
        if actor is not None:
            self.setWindowTitle(self.tr("Commune Radio Studio — {user}").format(user=actor.label))
            self.library.show_state("submitted" if actor.role is Role.REVIEWER else "")
        self.library.refresh()
        self.review.refresh()

    def review_action(self, action: Action, comment: str) -> None:
        """Save what is on screen, then submit/approve/… exactly that version."""
        self.saver.save_now(on_saved=lambda stored: self.review.act(action, comment, stored))

    def _on_save_state(self, state: str) -> None:
        self.save_state.setText({
            "clean": self.tr("All changes saved"),
            "dirty": self.tr("Unsaved changes"),
            "saving": self.tr("Saving…"),
            "conflict": self.tr("Not saved: changed by someone else"),
            "failed": self.tr("Not saved"),
        }.get(state, ""))

    def _on_conflict(self, exc: StudioError) -> None:
        """Someone else saved first: offer to merge (when their changes and mine do not overlap), to keep mine,
        to look at theirs, or to keep mine as a separate copy. Nothing is overwritten without a choice."""
        message = exc.translated(qt_translate)
        choices = [(self.tr("Keep my text"), self.saver.keep_mine),
                   (self.tr("Show their version"), self._reload_current),
                   (self.tr("Save mine as a copy"), self.save_as_copy)]
        self.banner.show_message("warning", message, tuple(choices))
        mine, base, bulletin_id = self.editor.current_draft(), self.editor.saved_content, self.editor.bulletin_id
        if mine is None or base is None or bulletin_id is None:
            return
        studio = self.studio
        task = self.runner.call("load their version", lambda: studio.repo.load(bulletin_id), pool="db")

        def offer(theirs: BulletinDraft) -> None:
            merged = merge(base, mine, theirs)
            if merged is None or self.saver.state != "conflict" or self.editor.bulletin_id != bulletin_id:
                return
            self.banner.show_message("warning", message, (
                (self.tr("Combine both changes"), lambda: self._take_merged(merged, theirs)), *choices))

        task.succeeded.connect(offer)

    def _take_merged(self, merged: BulletinDraft, theirs: BulletinDraft) -> None:
        self.editor.show_merged(merged, theirs)
        self.saver.resolve()
        self.saver.save_now()
        self.banner.clear()

    def save_as_copy(self) -> None:
        """Keep the officer's text as a new bulletin and show the other person's version in the original."""
        mine = self.editor.current_draft()
        if mine is None:
            return
        copy = BulletinDraft(self.tr("{title} (copy)").format(title=mine.title), mine.station_id, mine.segments,
                             mine.priority, schedule=mine.schedule)
        studio = self.studio
        task = self.runner.call("save a copy", lambda: studio.save_bulletin(copy), pool="db")

        def saved(stored: BulletinDraft) -> None:
            self.editor.set_draft(None)
            self.saver.reset()
            self.banner.clear()
            self.library.refresh(stored.id)

        task.succeeded.connect(saved)
        task.failed.connect(self.show_error)

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
        self.review.refresh()  # an approved bulletin is now "approved and rendered"
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
        self.send_action.setEnabled(has_bulletin)

    # --- station settings ---------------------------------------------------------------------
    def _single(self, which: str, build: Callable[[], DialogT]) -> DialogT:
        """One window of a kind at a time: the open one is raised, a closed one is rebuilt fresh."""
        dialog = self.dialogs.get(which)
        if dialog is not None and dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return cast(DialogT, dialog)
        if dialog is not None:
            dialog.deleteLater()
        built = build()
        self.dialogs[which] = built
        built.show()
        return built

    @property
    def lexicon_dialog(self) -> LexiconDialog | None:
        return cast(LexiconDialog | None, self.dialogs.get("lexicon"))

    @property
    def jingle_dialog(self) -> JingleDialog | None:
        return cast(JingleDialog | None, self.dialogs.get("jingles"))

    def open_lexicon_dialog(self) -> LexiconDialog:
        """Show the station's pronunciation rules."""
        def build() -> LexiconDialog:
            dialog = LexiconDialog(self.studio, self.runner, self.editor.default_preset, self)
            # One sound at a time: the bulletin's player, a segment, or the rules' sample.
            dialog.listener.state_changed.connect(self._on_sample_listen)
            self.player.playing_changed.connect(dialog.hush)
            self.editor.listener.state_changed.connect(dialog.hush)
            dialog.saved.connect(self._on_rules_saved)
            return dialog

        return self._single("lexicon", build)

    def _open_dialog(self, which: str) -> QDialog:
        """Output settings, station rules, accounts or the audit log."""
        def build() -> QDialog:
            if which == "output":
                output = OutputSettingsDialog(self.studio, self)
                output.changed.connect(self._recheck_render)
                return output
            if which == "rules":
                return StationRulesDialog(self.studio, self.runner, self)
            if which == "targets":
                targets = TargetsDialog(self.studio, self.runner, self)
                targets.saved.connect(lambda *_: self.bridge.wake())
                return targets
            if which == "schedule":
                return StationScheduleDialog(self.studio, self.runner, self)
            if which == "accounts":
                accounts = AccountsDialog(self.studio, self.runner, self)
                accounts.changed.connect(lambda _user: self.on_user_changed())
                return accounts
            return AuditDialog(self.studio, self.runner, self)

        return self._single(which, build)

    def choose_logo(self, path: Path | None = None) -> Task | None:
        """Pick the station logo (PNG or JPEG, at most 1 MB) embedded in programmes sent from now on."""
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, self.tr("Choose the station logo"), "",
                                                  self.tr("Pictures (*.png *.jpg *.jpeg)"))
            if not name:
                return None
            path = Path(name)
        studio = self.studio
        task = self.runner.call("station logo", lambda: studio.set_station_logo(path), pool="db")
        task.succeeded.connect(lambda _none: self.statusBar().showMessage(
            self.tr("Station logo saved: programmes sent from now on carry it."), 8000))
        task.failed.connect(self.show_error)
        return task

    # --- readability and language --------------------------------------------------------------
    def set_text_size(self, points: int) -> int:
        """Every text in the studio at ``points`` (within the setting's limits), now and at the next start."""
        low, high = int(UI_FONT_SIZE.minimum or 8), int(UI_FONT_SIZE.maximum or 28)
        points = max(low, min(high, points))
        font = QApplication.font()
        font.setPointSize(points)
        QApplication.setFont(font)
        self.studio.settings.remember(UI_FONT_SIZE, points)
        self.statusBar().showMessage(self.tr("Text size: {points} points").format(points=points), 4000)
        return points

    def choose_language(self, code: str) -> None:
        """Remember the interface language; it applies at the next start (every window is built in it)."""
        for other, action in self.language_actions.items():
            action.setChecked(other == code)
        self.studio.settings.remember(UI_LANGUAGE, code)
        if code != self.language:
            self.banner.show_message("info", self.tr(
                "The studio will speak the chosen language from the next start."))

    # --- templates ---------------------------------------------------------------------------
    def save_as_template(self, name: str | None = None) -> None:
        """Save the bulletin, then keep its running order and wording as a template called ``name`` (asked)."""
        if self.editor.bulletin_id is None:
            return
        if name is None:
            name, ok = QInputDialog.getText(self, self.tr("Save as template"), self.tr(
                "Name of the template (for example: Weekly bulletin, Thái and Vietnamese):"),
                text=self.editor.title.text())
            if not ok:
                return
        studio, chosen = self.studio, name

        def keep(stored: BulletinDraft) -> None:
            task = self.runner.call("save template", lambda: studio.templates.save(
                stored.station_id, chosen, stored, actor=studio.actor), pool="db")
            task.succeeded.connect(self._template_saved)
            task.failed.connect(self.show_error)

        self.saver.save_now(on_saved=keep)

    def import_bundle(self, path: Path) -> Task | None:
        """Import a bulletin file (``studio open FILE.bantin``, a file dropped on the window) as a new draft."""
        return self.bundles.import_file(path)

    def _template_saved(self, template: object) -> None:
        self.library.reload_templates()
        self.statusBar().showMessage(self.tr("Template “{name}” saved: choose it under “From template”.").format(
            name=getattr(template, "name", "")), 8000)
        self.template_saved.emit(template)

    # --- recording ---------------------------------------------------------------------------
    @property
    def booth(self) -> BoothDialog | None:
        return cast(BoothDialog | None, self.dialogs.get("booth"))

    def record_segment(self, key: str) -> None:
        """Save (the takes belong to a stored bulletin), then open the booth for segment ``key``."""
        if self.editor.bulletin_id is None:
            return
        self.saver.save_now(on_saved=lambda stored: self._open_booth(stored, key))

    def _open_booth(self, stored: BulletinDraft, key: str) -> BoothDialog | None:
        card = self.editor.card_for(key)
        if card is None or stored.id is None or stored.id != self.editor.bulletin_id:
            return None
        segment = card.segment()
        kind = QCoreApplication.translate("Bulletin", SEGMENT_KIND_LABELS[segment.kind])
        subject = BoothSubject(self.tr("Segment {number} ({kind})").format(number=card.number_value, kind=kind),
                               segment.text, segment.preset_id, chosen=segment.take, bulletin_id=stored.id,
                               segment_key=key, estimate_s=card.seconds)

        def build() -> BoothDialog:
            booth = BoothDialog(self.studio, self.runner, subject, language=self.language, parent=self)
            booth.setWindowModality(Qt.WindowModality.WindowModal)  # the text stays as it is read
            booth.take_chosen.connect(lambda sha: self.editor.set_take(key, sha))
            self.player.playing_changed.connect(lambda playing: playing and booth.stop_playing())
            return booth

        self.editor.listener.stop()
        if self.player.is_playing():
            self.player.toggle()
        return self._single("booth", build)

    def open_phrase_bank(self) -> PhraseBankDialog:
        def build() -> PhraseBankDialog:
            dialog = PhraseBankDialog(self.studio, self.runner, language=self.language,
                                      default_preset=self.editor.default_preset, parent=self)
            dialog.insert_requested.connect(self.insert_phrase)
            return dialog

        return self._single("phrases", build)

    def insert_phrase(self, segment: SegmentDraft) -> None:
        """Put an approved phrase into the open bulletin."""
        if self.editor.insert_segment(segment) is None:
            self.banner.show_message("warning", self.tr("Open a bulletin first, then insert the phrase into it."))
        else:
            self.statusBar().showMessage(self.tr("Phrase inserted into the bulletin."), 5000)

    def open_outbox(self) -> OutboxWindow:
        return self._single("outbox", lambda: OutboxWindow(self.studio, self.runner, self.bridge, self))

    def send_to_controller(self) -> None:
        """Save what is on screen, then offer to send exactly that version."""
        if self.editor.bulletin_id is None:
            return
        self.saver.save_now(on_saved=lambda stored: self._send(stored))

    def _send(self, stored: BulletinDraft) -> None:
        if stored.id is not None:
            send_bulletin(self, self.studio, self.runner, self.bridge, stored.id)

    def _on_delivered(self, job: object) -> None:
        """A programme reached a controller: the open bulletin's review state may now say "Delivered"."""
        if getattr(job, "bulletin_id", None) == self.editor.bulletin_id:
            self.review.refresh()

    def _recheck_render(self) -> None:
        """Output settings changed, or a save landed: is the open bulletin's audio file still current?"""
        bulletin_id = self.editor.bulletin_id
        if bulletin_id is None:
            return
        studio = self.studio
        task = self.runner.call("check render", lambda: studio.current_render(bulletin_id), pool="db")
        task.succeeded.connect(lambda info: self._on_rechecked(bulletin_id, info))

    def _on_rechecked(self, bulletin_id: int, info: RenderInfo | None) -> None:
        """Mark the shown file current or out of date; the player is touched only for another file."""
        shown = self.render_info
        if bulletin_id != self.editor.bulletin_id or (info is None and shown is None):
            return
        if info is not None and (shown is None or info.id != shown.id):
            self._show_render(info)
            return
        outdated = info is None
        if self.render_task is None:
            self.render_bar.show_render(shown, outdated=outdated)
        self.timeline.set_outdated(outdated)

    def switch_user(self) -> None:
        """Save what is typed (as the person who typed it), then let another person log in."""
        def ask(_stored: object = None) -> None:
            if switch_user(self, self.studio, self.runner):
                self.on_user_changed()

        if self.editor.bulletin_id is not None and (self.editor.is_dirty() or self.saver.busy):
            self.saver.save_now(on_saved=ask)
        else:
            ask()

    def open_jingle_dialog(self) -> JingleDialog:
        """Show the jingle library and the station's choices."""
        def build() -> JingleDialog:
            dialog = JingleDialog(self.studio, self.runner, self)
            dialog.station_changed.connect(lambda _station: self._recheck_render())  # jingles shape the sound
            # One sound at a time: the bulletin's player, a segment, or a jingle.
            dialog.playing_changed.connect(lambda playing: playing and self._on_sample_listen(dialog, "playing"))
            self.player.playing_changed.connect(dialog.hush)
            self.editor.listener.state_changed.connect(dialog.hush)
            return dialog

        return self._single("jingles", build)

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
        self.change_timer.stop()
        self.player.set_source(None)
        self.editor.listener.stop()
        self.notifier.close()
        if self._owns_bridge:
            self.bridge.stop()
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
