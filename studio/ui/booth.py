"""The recording booth: read a segment (or a phrase of the phrase bank) into the microphone and keep the best take.

The announcer sees the text large in the language's own font, picks the microphone once (remembered),
presses Space, hears nothing for three counted seconds, reads while the level meter and the clock run
(against the estimated reading time), and presses Space again. Every take is kept — raw as recorded and
cleaned (trimmed, high-passed, levelled) — and listed with its length and level; the officer listens,
compares and chooses one. Choosing is the booth's only effect on the bulletin: ``take_chosen`` tells the
owner (the editor for a segment, the phrase bank for a phrase), which saves it as any other edit.

Keys (shown on the buttons): Space records and stops, R stops and records again (the take just made is
kept), P listens to the selected take, U uses it, Esc stops a count-in or a take before closing.

Nothing the announcer reads is lost: the take is written to ``<data>/booth`` as it is recorded and only
removed from there once it is in the library. A take left there by a crash, a power cut or a full disk is
taken into the library the next time the booth opens for the same segment or phrase.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.config import PROMPTER_POINT_SIZE, RECORDING_COUNT_IN, RECORDING_DENOISE, Setting
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, StudioError
from studio.services import Studio
from studio.speech.cleanup import CleanupSettings
from studio.speech.takes import TAKE_EMPTY, TAKE_FILE_PATTERNS, TAKE_SILENT, TAKE_TOO_SHORT
from studio.store.takes import TakeInfo
from studio.ui.banner import MessageBanner
from studio.ui.fonts import preset_font
from studio.ui.level_meter import LevelMeterWidget
from studio.ui.library import local_time_text
from studio.ui.player import clock_text, new_media_player, seek_when_loaded
from studio.ui.preset_picker import record_icon
from studio.ui.recorder import Recorder
from studio.ui.recorder import TakeInfo as RecordedTake
from studio.ui.tasks import TaskRunner
from studio.ui.teleprompter import Teleprompter
from studio.ui.waveform_strip import WaveformStrip

log = logging.getLogger(__name__)

IDLE, COUNTING, RECORDING = "idle", "counting", "recording"
COUNT_IN = 3
OVER_ESTIMATE = 1.2  # the clock turns red past the estimate by this much: the reading runs long
CHOSEN_MARK = "★"
# Takes a recorder could not have meant to keep: refused by the library, and removed from the booth folder.
_NOTHING_TO_KEEP = (TAKE_EMPTY, TAKE_SILENT, TAKE_TOO_SHORT)
TAKE_RECOVERED = QT_TRANSLATE_NOOP(
    CONTEXT, "A take recorded before the studio closed ({when}) was found and added to the takes.")
TAKE_KEPT_AT = QT_TRANSLATE_NOOP(
    CONTEXT, "The recording is safe in {path}; it is added to the takes the next time the booth opens.")
_KEEPING: set[Path] = set()  # booth files being added to the library right now


@dataclass(frozen=True)
class BoothSubject:
    """What is being recorded: a bulletin's segment (``bulletin_id`` and ``segment_key``) or a phrase."""

    title: str
    text: str
    preset_id: str
    chosen: str | None = None  # the sha256 of the take in use
    bulletin_id: int | None = None
    segment_key: str = ""
    phrase_id: int | None = None
    estimate_s: float | None = None

    @property
    def file_stem(self) -> str:
        """Start of the names of this subject's files in the booth folder (found again after a crash)."""
        if self.phrase_id is not None:
            return f"phrase-{self.phrase_id}-"
        key = re.sub(r"[^A-Za-z0-9]", "", self.segment_key)
        return f"bulletin-{self.bulletin_id}-{key}-"


def booth_folder(studio: Studio) -> Path:
    return studio.paths.data / "booth"


class BoothDialog(QDialog):
    """Records, lists and chooses the takes of one :class:`BoothSubject`."""

    take_chosen = Signal(object)  # sha256 of the take to use; None: the synthetic voice again
    takes_loaded = Signal(object)  # list[TakeInfo], newest first
    take_added = Signal(object)  # TakeInfo
    state_changed = Signal(str)

    count_in_step_ms = 1000

    def __init__(self, studio: Studio, runner: TaskRunner, subject: BoothSubject, *, language: str = "en",
                 recorder: Recorder | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio, self.runner, self.subject = studio, runner, subject
        self.settings = studio.settings
        self.chosen = subject.chosen
        self.state = IDLE
        self.takes: list[TakeInfo] = []
        self.keeping = 0  # takes on their way into the library
        self._keeping_tasks: dict[object, tuple[Path, bool, datetime | None]] = {}  # task: (file, remove, recovered)
        self._reload_wish: tuple[str | None, bool] = (None, False)  # (take to select, choose the first take)
        self._count = 0
        self._player: Any = None
        self._playing: Path | None = None
        preset = studio.presets.get(subject.preset_id)
        self.synthesised = preset is not None and preset.synthesised
        self.setWindowTitle(self.tr("Recording booth — {title}").format(title=subject.title))
        self.resize(900, 720)

        self.recorder = recorder or Recorder(self.settings, self)
        self.recorder.levels.connect(self._on_levels)
        self.recorder.elapsed.connect(self._show_clock)
        self.recorder.stopped.connect(self._on_stopped)
        self.recorder.failed.connect(self._on_recorder_failed)
        self.recorder.devices_changed.connect(self.refresh_devices)

        self.banner = MessageBanner(self)
        heading = QLabel(subject.title, self)
        heading_font = QFont(heading.font())
        heading_font.setBold(True)
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.2)
        heading.setFont(heading_font)
        heading.setWordWrap(True)
        if preset is not None:
            heading.setText(f"{subject.title} — {preset.name(language)}")

        self.device = QComboBox(self)
        self.device.setToolTip(self.tr("The microphone the take is recorded from (remembered on this PC)"))
        self.device.activated.connect(self._on_device_chosen)
        self.no_device = QLabel(self)
        self.no_device.setWordWrap(True)
        self.count_in = self._setting_box(self.tr("Count 3-2-1 first"), RECORDING_COUNT_IN)
        self.denoise = self._setting_box(self.tr("Reduce background noise"), RECORDING_DENOISE)
        self.denoise.setToolTip(self.tr("For a noisy room (a fan, traffic): new takes are cleaned of the steady "
                                        "noise heard in their pauses. The recording as made is kept too."))
        device_row = QHBoxLayout()
        device_label = QLabel(self.tr("Microphone:"), self)
        device_label.setBuddy(self.device)
        device_row.addWidget(device_label)
        device_row.addWidget(self.device, 1)
        device_row.addWidget(self.count_in)
        device_row.addWidget(self.denoise)

        self.meter = LevelMeterWidget(self)
        self.status = QLabel(self)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        status_font = QFont(self.status.font())
        status_font.setPointSizeF(status_font.pointSizeF() * 1.8)
        status_font.setBold(True)
        self.status.setFont(status_font)
        self.clock = QLabel(self)
        self.clock.setFont(status_font)
        self.clock.setToolTip(self.tr("Length of the take against the estimated reading time"))

        self.prompter = Teleprompter(self)
        self.prompter.show_text(subject.text or self.tr("(This segment has no text.)"),
                                preset_font(self.font(), preset), self.settings.get(PROMPTER_POINT_SIZE))
        self.auto_scroll = QCheckBox(self.tr("Scroll at the reading speed"), self)
        self.auto_scroll.setChecked(True)
        self.auto_scroll.toggled.connect(self._on_auto_scroll)
        self.text_size = QSpinBox(self)
        self.text_size.setRange(int(PROMPTER_POINT_SIZE.minimum or 12), int(PROMPTER_POINT_SIZE.maximum or 72))
        self.text_size.setValue(self.settings.get(PROMPTER_POINT_SIZE))
        self.text_size.setSuffix(" pt")
        self.text_size.valueChanged.connect(self._on_text_size)
        prompter_row = QHBoxLayout()
        prompter_row.addWidget(self.auto_scroll)
        prompter_row.addStretch(1)
        size_label = QLabel(self.tr("Text size:"), self)
        size_label.setBuddy(self.text_size)
        prompter_row.addWidget(size_label)
        prompter_row.addWidget(self.text_size)

        self.record_button = self._button(self.tr("Record"), self.tr("Start recording after the count-in (Space)"),
                                          self.record)
        self.record_button.setIcon(record_icon(20))
        self.stop_button = self._button(self.tr("Stop"), self.tr("Stop recording and keep the take (Space)"),
                                        self.stop)
        self.retake_button = self._button(self.tr("Retake"), self.tr(
            "Stop and record the text again from the start; the take just made is kept too (R)"), self.retake)
        controls = QHBoxLayout()
        for widget in (self.record_button, self.stop_button, self.retake_button):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.status)
        controls.addStretch(1)
        controls.addWidget(self.clock)

        self.take_list = QTreeWidget(self)
        self.take_list.setRootIsDecorated(False)
        self.take_list.setHeaderLabels(["", self.tr("Take"), self.tr("Recorded"), self.tr("Length"),
                                        self.tr("Level"), self.tr("Notes")])
        self.take_list.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.take_list.header().setStretchLastSection(True)
        self.take_list.setAccessibleName(self.tr("Takes"))
        self.take_list.itemSelectionChanged.connect(self._update_buttons)
        self.take_list.itemSelectionChanged.connect(self._show_wave)
        self.wave = WaveformStrip(studio, runner, self)
        self.wave.seek_requested.connect(self.play_from)
        self.wave.toggle_requested.connect(self.pause_or_go_on)
        self.take_list.itemDoubleClicked.connect(lambda *_: self.listen())
        self.listen_button = self._button(self.tr("Listen"), self.tr("Play the selected take as it will sound (P)"),
                                          self.listen)
        self.raw_button = self._button(self.tr("Listen as recorded"), self.tr(
            "Play the selected take before clean-up, exactly as the microphone heard it"),
                                       lambda: self.listen(raw=True))
        self.use_button = self._button(self.tr("Use this take"), self.tr(
            "The programme plays the selected take (U)"), self.use_selected)
        self.reclean_button = self._button(self.tr("Clean up again"), self.tr(
            "Make a new take from the selected one's original recording with the current noise setting"),
                                           self.clean_again)
        self.import_button = self._button(self.tr("Import recording…"), self.tr(
            "Add a recording made elsewhere (a phone): MP3, WAV, M4A, OGG or FLAC"), lambda: self.import_file())
        self.voice_button = self._button(self.tr("Use the voice instead"), self.tr(
            "Play the synthetic voice for this segment again; the takes are kept"), self.use_voice)
        self.voice_button.setVisible(self.synthesised and subject.phrase_id is None)
        take_buttons = QHBoxLayout()
        for widget in (self.listen_button, self.raw_button, self.use_button, self.reclean_button):
            take_buttons.addWidget(widget)
        take_buttons.addStretch(1)
        take_buttons.addWidget(self.import_button)
        take_buttons.addWidget(self.voice_button)
        close = self._button(self.tr("Close"), self.tr("Close the booth (Esc)"), self.close)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(self.tr("Keys: Space record/stop · R retake · P listen · U use this take"), self), 1)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.banner)
        layout.addLayout(device_row)
        layout.addWidget(self.no_device)
        layout.addWidget(self.meter)
        layout.addLayout(controls)
        layout.addWidget(self.prompter, 3)
        layout.addLayout(prompter_row)
        layout.addWidget(QLabel(self.tr("Takes (★ is played in the programme):"), self))
        layout.addWidget(self.take_list, 2)
        layout.addWidget(self.wave)
        layout.addLayout(take_buttons)
        layout.addLayout(bottom)

        self._count_timer = QTimer(self)
        self._count_timer.timeout.connect(self._tick)
        for keys, slot in (("Space", self.toggle_recording), ("R", self.retake), ("P", self.listen),
                           ("U", self.use_selected)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
        self.refresh_devices()
        self._show_state()
        self._show_clock(0.0)
        self.reload_takes()
        QTimer.singleShot(0, self, self.recover)

    # --- construction helpers ----------------------------------------------------------------
    def _button(self, text: str, tip: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Space stays the booth's record key
        button.clicked.connect(slot)
        return button

    def _setting_box(self, text: str, setting: Setting[bool]) -> QCheckBox:
        box = QCheckBox(text, self)
        box.setChecked(self.settings.get(setting))
        box.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        box.toggled.connect(lambda on: self.settings.remember(setting, on))
        return box

    # --- microphone ---------------------------------------------------------------------------
    def refresh_devices(self) -> None:
        """List the microphones (after one was plugged in or out); the remembered one stays selected."""
        devices = self.recorder.devices()
        self.device.clear()
        for index, (device_id, description) in enumerate(devices):
            label = self.tr("{device} (the computer's default)").format(device=description) if index == 0 \
                else description
            self.device.addItem(label, "" if index == 0 else device_id)
        remembered = self.recorder.device_id
        found = self.device.findData(remembered) if remembered else 0
        if remembered and found < 0:
            found = self.device.findData("")
        self.device.setCurrentIndex(max(0, found))
        self.device.setEnabled(bool(devices))
        if devices:
            self.no_device.hide()
        else:
            self.no_device.setText(self.tr("No microphone is connected to this computer. Plug one in and it "
                                           "appears here; you can still import a recording made elsewhere."))
            self.no_device.show()

    def _on_device_chosen(self, index: int) -> None:
        self.recorder.select_device(str(self.device.itemData(index) or ""))

    def select_device(self, device_id: str) -> None:
        """Choose a microphone by id ("" for the computer's default), as picking it in the list does."""
        index = self.device.findData(device_id)
        if index < 0:
            raise KeyError(device_id)
        self.device.setCurrentIndex(index)
        self._on_device_chosen(index)

    # --- recording ----------------------------------------------------------------------------
    def toggle_recording(self) -> None:
        if self.state == IDLE:
            self.record()
        else:
            self.stop()

    def record(self) -> None:
        """Count in (if wanted), then record."""
        if self.state != IDLE:
            return
        self.banner.clear()
        self.stop_playing()
        if self.count_in.isChecked():
            self._count = COUNT_IN
            self._set_state(COUNTING)
            self._count_timer.start(self.count_in_step_ms)
        else:
            self._start_take()

    def _tick(self) -> None:
        self._count -= 1
        if self._count <= 0:
            self._count_timer.stop()
            self._start_take()
        else:
            self._show_state()

    def _start_take(self) -> None:
        folder = booth_folder(self.studio)
        path = folder / f"{self.subject.file_stem}{datetime.now().strftime('%Y%m%d-%H%M%S-%f')}.wav"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.recorder.start(path)
        except OSError as exc:
            self._set_state(IDLE)
            self.banner.show_message("error", self.tr("The booth folder {path} cannot be written: {error}").format(
                path=folder, error=exc.strerror or exc))
            return
        except StudioError as exc:
            self._set_state(IDLE)
            self.show_error(exc)
            return
        self.meter.reset()
        self.prompter.rewind()
        self._set_state(RECORDING)
        self._show_clock(0.0)

    def stop(self) -> None:
        """Stop a count-in, or end the take and keep it."""
        if self.state == COUNTING:
            self._count_timer.stop()
            self._set_state(IDLE)
        elif self.state == RECORDING:
            self.recorder.stop()  # ``stopped`` follows and keeps the take

    def retake(self) -> None:
        """Keep the take being recorded (if any) and read the text again from the top."""
        if self.state == COUNTING:
            return
        self.stop()
        self.record()

    def _on_levels(self, peak: float, rms: float, clipped: bool) -> None:
        self.meter.set_levels(peak, rms, clipped)

    def _show_clock(self, seconds: float) -> None:
        estimate = self.subject.estimate_s
        text = clock_text(round(seconds * 1000))
        long = False
        if estimate:
            text += " / ≈ " + clock_text(round(estimate * 1000))
            long = seconds > estimate * OVER_ESTIMATE
            if self.state == RECORDING:
                self.prompter.follow(seconds / estimate)
        self.clock.setText(text)
        self.clock.setStyleSheet("color: #c62828;" if long else "")

    def _on_stopped(self, take: RecordedTake) -> None:
        self._set_state(IDLE)
        self.keep(take.path, origin="booth")

    def _on_recorder_failed(self, exc: StudioError) -> None:
        self.show_error(exc)

    def _set_state(self, state: str) -> None:
        self.state = state
        self._show_state()
        self.state_changed.emit(state)

    def _show_state(self) -> None:
        recording = self.state == RECORDING
        self.record_button.setEnabled(self.state == IDLE)
        self.stop_button.setEnabled(self.state != IDLE)
        self.retake_button.setEnabled(self.state != COUNTING)
        self.device.setEnabled(self.state == IDLE and self.device.count() > 0)
        if self.state == COUNTING:
            self.status.setText(str(self._count))
            self.status.setStyleSheet("color: #ef6c00;")
        elif recording:
            self.status.setText("● " + self.tr("Recording"))
            self.status.setStyleSheet("color: #c62828;")
        elif self.keeping:
            self.status.setText(self.tr("Keeping the take…"))
            self.status.setStyleSheet("")
        else:
            self.status.setText(self.tr("Ready"))
            self.status.setStyleSheet("")
        self._update_buttons()

    # --- keeping takes ------------------------------------------------------------------------
    def cleanup_settings(self) -> CleanupSettings:
        return CleanupSettings(denoise=self.denoise.isChecked())

    def keep(self, path: Path, *, origin: str, settings: CleanupSettings | None = None,
             recovered: datetime | None = None, remove: bool = True) -> None:
        """Put the recording at ``path`` into the library as a new take (in the background). ``remove``: the
        file is the booth's own and goes once it is in the library; ``recovered``: it was left in the booth
        folder (at that time) by an earlier session."""
        subject, studio = self.subject, self.studio
        settings = settings or self.cleanup_settings()
        self.keeping += 1
        self._show_state()

        def add(_progress: object, cancel: Any) -> TakeInfo:
            try:
                info = studio.add_take(path, bulletin_id=subject.bulletin_id, segment_key=subject.segment_key,
                                       phrase_id=subject.phrase_id, origin=origin, settings=settings, cancel=cancel)
            except StudioError as exc:
                if remove and exc.text in _NOTHING_TO_KEEP:
                    path.unlink(missing_ok=True)  # an empty or silent take holds nothing to lose
                raise
            finally:
                _KEEPING.discard(path)
            if remove:  # here, not in the window: the booth may be closed before this ends
                try:
                    path.unlink(missing_ok=True)
                except OSError as exc:  # in the library now; a leftover is taken as the same take again
                    log.warning("cannot remove %s: %s", path, exc)
            return info

        _KEEPING.add(path)
        task = self.runner.run("keep take", add)
        # Bound methods, not lambdas: Qt drops them if the booth is deleted before the take is kept.
        self._keeping_tasks[task] = (path, remove, recovered)
        task.succeeded.connect(self._on_kept)
        task.failed.connect(self._on_keep_failed)
        task.done.connect(self._keep_done)

    def _keep_done(self) -> None:
        self._keeping_tasks.pop(self.sender(), None)
        self.keeping -= 1
        self._show_state()

    def _on_kept(self, info: TakeInfo) -> None:
        _path, _remove, recovered = self._keeping_tasks[self.sender()]
        if recovered is not None:
            self.banner.show_message("info", QCoreApplication.translate(CONTEXT, TAKE_RECOVERED).format(
                when=local_time_text(recovered)))
        self.take_added.emit(info)
        self.reload_takes(select=info.sha256, choose_first=True)

    def _on_keep_failed(self, exc: StudioError) -> None:
        path, remove, recovered = self._keeping_tasks[self.sender()]
        if recovered is not None and exc.text in _NOTHING_TO_KEEP:
            return  # a leftover with no sound in it: removed without troubling the officer
        text = exc.translated(QCoreApplication.translate)
        if remove and path.exists():
            text += "\n" + QCoreApplication.translate(CONTEXT, TAKE_KEPT_AT).format(path=path)
        self.banner.show_message("error", text)

    def recover(self) -> None:
        """Keep takes of this subject that a crash or a full disk left in the booth folder."""
        folder = booth_folder(self.studio)
        try:
            leftovers = sorted(folder.glob(f"{self.subject.file_stem}*.wav"))
        except OSError:
            return
        if self.state != IDLE:
            return
        for path in leftovers:
            if path in _KEEPING:  # on its way into the library from an earlier booth
                continue
            log.info("recovering take %s", path)
            try:
                when = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            except OSError:
                continue
            self.keep(path, origin="booth", recovered=when)

    def import_file(self, path: Path | None = None) -> None:
        """Add a recording made elsewhere as a new take (asks for the file when none is given)."""
        if path is None:
            patterns = " ".join(TAKE_FILE_PATTERNS)
            name, _ = QFileDialog.getOpenFileName(self, self.tr("Import a recording"), "",
                                                  self.tr("Recordings ({patterns});;All files (*)").format(
                                                      patterns=patterns))
            if not name:
                return
            path = Path(name)
        self.banner.clear()
        self.keep(path, origin="import", remove=False)

    def clean_again(self) -> None:
        """A new take from the selected take's raw recording, cleaned with the current settings."""
        take = self.selected_take()
        if take is None:
            return
        self.keep(self.studio.media.path(take.raw_relpath), origin=take.source, remove=False)

    # --- the takes ----------------------------------------------------------------------------
    def reload_takes(self, *, select: str | None = None, choose_first: bool = False) -> None:
        subject, takes = self.subject, self.studio.takes

        def load() -> list[TakeInfo]:
            if subject.phrase_id is not None:
                return takes.of_phrase(subject.phrase_id)
            if subject.bulletin_id is None:
                return []
            return takes.of_segment(subject.bulletin_id, subject.segment_key)

        self._reload_wish = (select, choose_first or self._reload_wish[1])
        task = self.runner.call("load takes", load, pool="db")
        task.succeeded.connect(self._show_takes)
        task.failed.connect(self.show_error)

    def _show_takes(self, takes: list[TakeInfo]) -> None:
        (select, choose_first), self._reload_wish = self._reload_wish, (None, False)
        self.takes = takes
        selected = select or (self.selected_take().sha256 if self.selected_take() else self.chosen)
        self.take_list.clear()
        for number, take in zip(range(len(takes), 0, -1), takes, strict=True):
            notes = []
            if take.clipped:
                notes.append(self.tr("clipped: too loud"))
            if take.source == "import":
                notes.append(self.tr("imported"))
            if take.cleanup.get("denoise"):
                notes.append(self.tr("noise reduced"))
            item = QTreeWidgetItem(["", str(number), local_time_text(take.created_at),
                                    clock_text(take.duration_ms), self.tr("{peak:.0f} dB peak").format(
                                        peak=take.peak_dbfs), ", ".join(notes)])
            item.setData(0, Qt.ItemDataRole.UserRole, take.sha256)
            self.take_list.addTopLevelItem(item)
            if take.sha256 == selected:
                self.take_list.setCurrentItem(item)
        self._mark_chosen()
        if self.take_list.currentItem() is None and takes:
            self.take_list.setCurrentItem(self.take_list.topLevelItem(0))
        if choose_first and self.chosen is None and takes:
            self.choose(takes[0].sha256)  # the first take is used until the officer picks another
        self.takes_loaded.emit(takes)
        self._update_buttons()

    def _mark_chosen(self) -> None:
        for index in range(self.take_list.topLevelItemCount()):
            item = self.take_list.topLevelItem(index)
            chosen = item.data(0, Qt.ItemDataRole.UserRole) == self.chosen
            item.setText(0, CHOSEN_MARK if chosen else "")
            item.setToolTip(0, self.tr("The programme plays this take") if chosen else "")

    def selected_take(self) -> TakeInfo | None:
        item = self.take_list.currentItem()
        if item is None:
            return None
        sha = item.data(0, Qt.ItemDataRole.UserRole)
        return next((take for take in self.takes if take.sha256 == sha), None)

    def select_take(self, sha256: str) -> None:
        for index in range(self.take_list.topLevelItemCount()):
            item = self.take_list.topLevelItem(index)
            if item.data(0, Qt.ItemDataRole.UserRole) == sha256:
                self.take_list.setCurrentItem(item)
                return
        raise KeyError(sha256)

    def use_selected(self) -> None:
        take = self.selected_take()
        if take is not None and self.state == IDLE:
            self.choose(take.sha256)

    def use_voice(self) -> None:
        self.choose(None)

    def choose(self, sha256: str | None) -> None:
        if sha256 == self.chosen:
            return
        self.chosen = sha256
        self._mark_chosen()
        self._update_buttons()
        self.take_chosen.emit(sha256)

    def _update_buttons(self) -> None:
        take = self.selected_take()
        idle = self.state == IDLE
        for button in (self.listen_button, self.raw_button, self.reclean_button):
            button.setEnabled(take is not None and idle)
        self.use_button.setEnabled(take is not None and idle and take.sha256 != self.chosen)
        self.voice_button.setEnabled(idle and self.chosen is not None)
        self.import_button.setEnabled(idle)

    # --- listening ----------------------------------------------------------------------------
    def listen(self, *, raw: bool = False) -> None:
        """Play the selected take (cleaned, or as recorded); again: stop."""
        take = self.selected_take()
        if take is None or self.state != IDLE:
            return
        path = self.studio.media.path(take.raw_relpath if raw else take.relpath)
        if self._playing == path:
            self.stop_playing()
            return
        player = self._ensure_player()
        self._playing = path
        player.setSource(QUrl.fromLocalFile(str(path)))
        player.play()

    def play_from(self, ms: int) -> None:
        """Play the selected take (as it will sound) from ``ms``: a click on its waveform."""
        take = self.selected_take()
        if take is None or self.state != IDLE:
            return
        path = self.studio.media.path(take.relpath)
        player = self._ensure_player()
        if self._playing != path:
            self._playing = path
            player.setSource(QUrl.fromLocalFile(str(path)))
        seek_when_loaded(player, ms)
        player.play()

    def pause_or_go_on(self) -> None:
        """Space on the waveform: pause the take, or play it on from the playhead."""
        from PySide6.QtMultimedia import QMediaPlayer

        if self._player is not None and self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self._player.pause()
        else:
            self.play_from(self.wave.position_ms)

    def _ensure_player(self) -> Any:
        if self._player is None:
            self._player, _audio = new_media_player(self)
            self._player.playbackStateChanged.connect(self._on_playback)
            self._player.positionChanged.connect(self.wave.set_position)
        return self._player

    def _show_wave(self) -> None:
        take = self.selected_take()
        self.wave.set_audio(self.studio.media.path(take.relpath) if take is not None else None,
                            take.duration_ms if take is not None else 0)

    @property
    def playing(self) -> Path | None:
        return self._playing

    def _on_playback(self, state: object) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if state == QMediaPlayer.PlaybackState.StoppedState:
            self._playing = None

    def stop_playing(self) -> None:
        if self._player is not None:
            self._player.stop()
        self._playing = None

    # --- the rest -----------------------------------------------------------------------------
    def _on_auto_scroll(self, on: bool) -> None:
        self.prompter.auto_scroll = on

    def _on_text_size(self, size: int) -> None:
        self.prompter.set_point_size(size)
        self.settings.remember(PROMPTER_POINT_SIZE, size)

    def show_error(self, exc: StudioError) -> None:
        self.banner.show_message("error", exc.translated(QCoreApplication.translate))

    def reject(self) -> None:
        """Esc: stop a count-in or a take (kept) first; close only when nothing is being recorded."""
        if self.state != IDLE:
            self.stop()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.state != IDLE:
            self.stop()  # the take is kept: it finishes in the background
        self.stop_playing()
        super().closeEvent(event)
