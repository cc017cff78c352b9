"""Jingles and music: the station's library by category, importing its own, and what the station plays.

The library (:class:`~studio.audio.jingles.JingleLibrary`) does the checking: an import that is damaged,
cut off, too short or long for its category, or in an odd format raises :class:`StudioError`, which this
dialog shows in the officer's language while the library stays as it was. Listing (the first listing
probes the shipped files with ffmpeg) and importing (a full decode) run in the task runner's ``work``
pool; the station's choices and removals are quick writes, in the ``db`` pool so they land in order.

The station's choices are stored as soon as they change. Renders are bound to them through the render
fingerprint, so audio files made with the old choices show as out of date without anything done here.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.audio.jingles import CATEGORIES, Jingle
from studio.bulletin import SEGMENT_KIND_LABELS, SEGMENT_KINDS
from studio.messages import StudioError
from studio.services import Studio
from studio.store.repo import StationInfo
from studio.ui.i18n import qt_translate
from studio.ui.player import new_media_player, seek_when_loaded
from studio.ui.tasks import Task, TaskRunner
from studio.ui.waveform_strip import WaveformStrip

log = logging.getLogger(__name__)

NAME, LENGTH, SOUND, ORIGIN = range(4)
#: The station's roles, each filled from the category of the same name.
ROLES = CATEGORIES
AUDIO_PATTERNS = "*.mp3 *.wav *.ogg *.oga *.opus *.flac *.m4a *.aac *.wma *.aif *.aiff"


def length_text(seconds: float) -> str:
    """``m:ss``; tenths under ten seconds, where a stinger's length would otherwise read ``0:00``."""
    if seconds < 10:
        return f"0:{seconds:04.1f}"
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def station_value(station: StationInfo, role: str) -> str:
    """What the station stores for ``role`` (a library id, an old shipped name such as ``opening``, or "")."""
    value: str = getattr(station, f"{role}_jingle")
    return value


class JingleDialog(QDialog):
    """Lists, plays, imports and removes jingles; sets the station's opening, closing, stinger and bed.

    ``station_changed`` carries the stored :class:`StationInfo` after each change of the station's
    choices; ``library_changed`` fires after an import or a removal; ``refreshed`` after every listing;
    ``playing_changed`` when listening starts or stops (the window keeps one sound at a time).
    """

    station_changed = Signal(object)  # StationInfo
    library_changed = Signal()
    refreshed = Signal()
    import_failed = Signal(object)  # StudioError
    playing_changed = Signal(bool)

    def __init__(self, studio: Studio, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self.jingles: list[Jingle] = []
        self.station: StationInfo | None = None
        self.busy = False  # listing, importing or removing: the library is not touched twice at once
        self.playing = False
        self._known: set[str] = set()  # ids listed before the running import (to say "already there")
        self._removing: tuple[Jingle, bool] | None = None  # the jingle being removed; roles it filled?
        self._player: Any = None  # QMediaPlayer, created on first Listen (probing sound is slow)
        self._audio: Any = None
        self._source: Path | None = None  # the file the player has

        self.setWindowTitle(self.tr("Jingles and music"))
        self.setMinimumSize(640, 520)
        self.resize(780, 640)
        intro = QLabel(self.tr("The station's jingles and music. The studio's own are always here; import "
                               "the station's own as MP3 or WAV files."), self)
        intro.setWordWrap(True)

        self.tabs = QTabWidget(self)
        self.lists: dict[str, QTreeWidget] = {}
        titles = {"opening": self.tr("Openings"), "closing": self.tr("Closings"),
                  "stinger": self.tr("Stingers"), "bed": self.tr("Music beds")}
        for category in CATEGORIES:
            tree = QTreeWidget(self.tabs)
            tree.setRootIsDecorated(False)
            tree.setColumnCount(4)
            tree.setHeaderLabels([self.tr("Name"), self.tr("Length"), self.tr("Sound"), self.tr("Source")])
            tree.header().setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
            for column in (LENGTH, SOUND, ORIGIN):
                tree.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            tree.itemSelectionChanged.connect(self._update_buttons)
            tree.itemSelectionChanged.connect(self._show_wave)
            tree.itemDoubleClicked.connect(lambda _item, _column: self.listen())
            self.lists[category] = tree
            self.tabs.addTab(tree, titles[category])
        self.tabs.currentChanged.connect(lambda _index: self._update_buttons())
        self.tabs.currentChanged.connect(lambda _index: self._show_wave())
        self.wave = WaveformStrip(studio, runner, self, tip=self.tr(
            "Click to hear the jingle from there (arrow keys: 5 seconds, Space: pause)"))
        self.wave.seek_requested.connect(self.play_from)
        self.wave.toggle_requested.connect(self.pause_or_go_on)

        self.listen_button = QPushButton(self.tr("Listen"), self)
        self.listen_button.clicked.connect(self.listen)
        self.import_button = QPushButton(self.tr("Import…"), self)
        self.import_button.setToolTip(self.tr("Add an audio file to the list shown"))
        self.import_button.clicked.connect(self.import_clicked)
        self.remove_button = QPushButton(self.tr("Remove"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #6b1111;")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        uses = QGroupBox(self.tr("This station plays"), self)
        form = QFormLayout(uses)
        self.role_combos: dict[str, QComboBox] = {}
        role_labels = {"opening": self.tr("Opening jingle:"), "closing": self.tr("Closing jingle:"),
                       "stinger": self.tr("Between news items:"), "bed": self.tr("Music bed:")}
        for role in ROLES:
            combo = QComboBox(uses)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.activated.connect(lambda _index, role=role: self._on_role_chosen(role))
            self.role_combos[role] = combo
            form.addRow(role_labels[role], combo)
        self.bed_checks: dict[str, QCheckBox] = {}
        kinds = QHBoxLayout()
        for kind in SEGMENT_KINDS:
            check = QCheckBox(QCoreApplication.translate("Bulletin", SEGMENT_KIND_LABELS[kind]), uses)
            check.clicked.connect(lambda _checked: self._on_bed_kinds_changed())
            self.bed_checks[kind] = check
            kinds.addWidget(check)
        kinds.addStretch(1)
        form.addRow(self.tr("Music bed under:"), kinds)
        note = QLabel(self.tr("Changes are saved at once. Audio files made before them are marked out of "
                              "date; make them again to hear the change."), uses)
        note.setWordWrap(True)
        form.addRow(note)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self.listen_button)
        row.addStretch(1)
        row.addWidget(self.import_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.wave)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.message)
        layout.addWidget(uses)
        layout.addWidget(buttons)
        self._update_buttons()
        self.refresh()

    # --- listing -------------------------------------------------------------------------------
    def refresh(self) -> Task:
        """List the library and read the station's choices in the background."""
        studio = self.studio
        self._set_busy(True)
        self.status.setText(self.tr("Reading the jingles…"))
        task = self.runner.call("list jingles", lambda: (studio.jingles.list(), studio.station()))
        task.succeeded.connect(self._on_listed)
        task.failed.connect(self._on_task_failed)
        task.crashed.connect(self._on_task_crashed)
        return task

    def _on_listed(self, listed: tuple[list[Jingle], StationInfo]) -> None:
        self.status.clear()
        self._show(*listed)
        self._set_busy(False)

    def _show(self, jingles: list[Jingle], station: StationInfo | None = None) -> None:
        self.jingles = jingles
        if station is not None:
            self.station = station
        selected = {category: self._selected_id(category) for category in CATEGORIES}
        for category, tree in self.lists.items():
            tree.clear()
            for jingle in jingles:
                if jingle.category == category:
                    item = self._item(jingle)
                    tree.addTopLevelItem(item)
                    if jingle.id == selected[category]:
                        tree.setCurrentItem(item)
        self._show_station()
        self.refreshed.emit()

    def _item(self, jingle: Jingle) -> QTreeWidgetItem:
        channels = self.tr("mono") if jingle.channels == 1 else self.tr("stereo")
        sound = self.tr("{rate} kHz, {channels}").format(rate=f"{jingle.rate / 1000:g}", channels=channels)
        if jingle.shipped:
            origin = self.tr("Comes with the studio")
        else:
            when = jingle.imported_at.astimezone().strftime("%d/%m/%Y") if jingle.imported_at else ""
            origin = self.tr("Imported {date}").format(date=when).strip()
        item = QTreeWidgetItem([self.display_name(jingle), length_text(jingle.duration), sound, origin])
        item.setData(NAME, Qt.ItemDataRole.UserRole, jingle.id)
        item.setToolTip(NAME, str(jingle.path))
        item.setTextAlignment(LENGTH, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def display_name(self, jingle: Jingle) -> str:
        """The officer's name for an import; a translated one for the studio's own jingles."""
        if not jingle.shipped:
            return jingle.name
        names = {"opening": self.tr("Studio opening"), "closing": self.tr("Studio closing"),
                 "stinger": self.tr("Studio stinger"), "bed": self.tr("Studio music bed")}
        return names.get(jingle.name, jingle.name)

    def jingle(self, jingle_id: str) -> Jingle | None:
        return next((j for j in self.jingles if j.id == jingle_id), None)

    def resolve(self, value: str) -> str:
        """The library id a stored station value means ("" when none; the value itself when missing)."""
        if not value or self.jingle(value) is not None:
            return value
        shipped = f"shipped-{value}"
        return shipped if self.jingle(shipped) is not None else value

    def role_of(self, role: str) -> str:
        """The library id the station uses for ``role``, "" for none."""
        return self.resolve(station_value(self.station, role)) if self.station is not None else ""

    def _show_station(self) -> None:
        for role, combo in self.role_combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("None"), "")
            for jingle in self.jingles:
                if jingle.category == role:
                    combo.addItem(self.display_name(jingle), jingle.id)
            current = self.role_of(role)
            index = combo.findData(current)
            if index < 0:  # the stored jingle is no longer in the library: say so rather than hide it
                combo.addItem(self.tr("Missing: {name}").format(name=current), current)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        kinds = self.station.bed_kinds if self.station is not None else ()
        for kind, check in self.bed_checks.items():
            check.setChecked(kind in kinds)
        self._update_buttons()

    # --- the station's choices -----------------------------------------------------------------
    def set_role(self, role: str, jingle_id: str) -> Task | None:
        """Store ``jingle_id`` ("" for none) as the station's ``role``; None when nothing changes."""
        combo = self.role_combos[role]
        index = combo.findData(jingle_id)
        if index >= 0:
            combo.setCurrentIndex(index)
        if self.station is None or jingle_id == self.role_of(role):
            return None
        studio = self.studio
        task = self.runner.call("choose station jingle", lambda: studio.set_station_jingle(role, jingle_id),
                                pool="db")
        task.succeeded.connect(self._on_station_stored)
        task.failed.connect(self._on_task_failed)
        task.crashed.connect(self._on_task_crashed)
        return task

    def _on_role_chosen(self, role: str) -> None:
        self.set_role(role, str(self.role_combos[role].currentData()))

    def bed_kinds(self) -> tuple[str, ...]:
        """The segment kinds ticked for the music bed, in running order."""
        return tuple(kind for kind, check in self.bed_checks.items() if check.isChecked())

    def _on_bed_kinds_changed(self) -> Task | None:
        if self.station is None:
            return None
        studio, station_id, kinds = self.studio, self.station.id, self.bed_kinds()
        task = self.runner.call("choose bed kinds",
                                lambda: studio.repo.set_bed_kinds(station_id, kinds, actor=studio.actor), pool="db")
        task.succeeded.connect(self._on_station_stored)
        task.failed.connect(self._on_task_failed)
        task.crashed.connect(self._on_task_crashed)
        return task

    def _on_station_stored(self, station: StationInfo) -> None:
        self.station = station
        self._update_buttons()
        self.station_changed.emit(station)

    # --- importing -----------------------------------------------------------------------------
    def current_category(self) -> str:
        return CATEGORIES[max(0, self.tabs.currentIndex())]

    def show_category(self, category: str) -> None:
        self.tabs.setCurrentIndex(CATEGORIES.index(category))

    def import_clicked(self) -> None:
        category = self.current_category()
        path = self.choose_file(category)
        if path is None:
            return
        name = self.ask_name(path.stem)
        if name is not None:
            self.import_file(path, category, name)

    def choose_file(self, category: str) -> Path | None:
        """Ask for the audio file (a separate method so tests can answer for the officer)."""
        titles = {"opening": self.tr("Import an opening jingle"), "closing": self.tr("Import a closing jingle"),
                  "stinger": self.tr("Import a stinger"), "bed": self.tr("Import a music bed")}
        chosen, _filter = QFileDialog.getOpenFileName(
            self, titles[category], "", self.tr("Audio files ({patterns});;All files (*)").format(
                patterns=AUDIO_PATTERNS))
        return Path(chosen) if chosen else None

    def ask_name(self, default: str) -> str | None:
        """The name the jingle is listed under (None: the officer cancelled)."""
        name, ok = QInputDialog.getText(self, self.tr("Name of the jingle"),
                                        self.tr("The name shown in the list:"), QLineEdit.EchoMode.Normal,
                                        default)
        return (name.strip() or default) if ok else None

    def import_file(self, path: Path, category: str, name: str) -> Task | None:
        """Check and add ``path`` to ``category`` in the background; a refusal is shown, nothing kept."""
        if self.busy:
            return None
        library, known = self.studio.jingles, {j.id for j in self.jingles}
        self._set_busy(True)
        self.message.hide()
        self.show_category(category)
        self.status.setText(self.tr("Checking and importing {file}…").format(file=path.name))
        task = self.runner.call("import jingle", lambda: (library.import_file(path, category, name),
                                                          library.list()))
        self._known = known
        task.succeeded.connect(self._on_imported)
        task.failed.connect(self._on_import_failed)
        task.crashed.connect(self._on_task_crashed)
        return task

    def _on_imported(self, outcome: tuple[Jingle, list[Jingle]]) -> None:
        jingle, listing = outcome
        known = self._known
        self._show(listing)
        self.select(jingle.id)
        template = self.tr("“{name}” is already in the list.") if jingle.id in known else \
            self.tr("“{name}” was imported.")
        self.status.setText(template.format(name=jingle.name))
        self._set_busy(False)
        self.library_changed.emit()

    def _on_import_failed(self, exc: StudioError) -> None:
        self._on_task_failed(exc)
        self.import_failed.emit(exc)

    # --- removing ------------------------------------------------------------------------------
    def remove_selected(self) -> Task | None:
        """Remove the selected imported jingle after asking; a role it fills falls back to the studio's own."""
        jingle = self.selected_jingle()
        if jingle is None or jingle.shipped or self.busy:
            return None
        roles = [role for role in ROLES if self.role_of(role) == jingle.id]
        if not self.confirm_remove(jingle, roles):
            return None
        fallback = {role: next((j.id for j in self.jingles if j.shipped and j.category == role), "")
                    for role in roles}
        studio = self.studio

        def remove() -> tuple[list[Jingle], StationInfo]:
            for role, replacement in fallback.items():
                studio.set_station_jingle(role, replacement)
            studio.jingles.remove(jingle.id)
            return studio.jingles.list(), studio.station()

        self._stop_listening()
        self._set_busy(True)
        self.message.hide()
        task = self.runner.call("remove jingle", remove, pool="db")
        self._removing = (jingle, bool(roles))
        task.succeeded.connect(self._on_removed)
        task.failed.connect(self._on_task_failed)
        task.crashed.connect(self._on_task_crashed)
        return task

    def _on_removed(self, outcome: tuple[list[Jingle], StationInfo]) -> None:
        assert self._removing is not None
        (jingle, roles_changed), self._removing = self._removing, None
        self._show(*outcome)
        self.status.setText(self.tr("“{name}” was removed.").format(name=jingle.name))
        self._set_busy(False)
        self.library_changed.emit()
        if roles_changed:
            self.station_changed.emit(outcome[1])

    def confirm_remove(self, jingle: Jingle, roles: list[str]) -> bool:
        """Ask before removing (a separate method so tests can answer for the officer)."""
        text = self.tr("Remove “{name}” from the station's jingles? Its file is deleted.").format(name=jingle.name)
        if roles:
            uses = {"opening": self.tr("the opening jingle"), "closing": self.tr("the closing jingle"),
                    "stinger": self.tr("the stinger between news items"), "bed": self.tr("the music bed")}
            text += "\n\n" + self.tr("The station uses it as {roles}; the studio's own will be used "
                                     "instead.").format(roles=", ".join(uses[role] for role in roles))
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Remove jingle"), text,
                          QMessageBox.StandardButton.NoButton, self)
        remove = box.addButton(self.tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Keep it"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is remove

    # --- selection and state -------------------------------------------------------------------
    def _selected_id(self, category: str) -> str | None:
        item = self.lists[category].currentItem()
        return str(item.data(NAME, Qt.ItemDataRole.UserRole)) if item is not None else None

    def selected_jingle(self) -> Jingle | None:
        selected = self._selected_id(self.current_category())
        return self.jingle(selected) if selected is not None else None

    def select(self, jingle_id: str) -> None:
        """Show the jingle's category and select it."""
        found = self.jingle(jingle_id)
        if found is None:
            return
        self.show_category(found.category)
        tree = self.lists[found.category]
        for row in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(row)
            if item.data(NAME, Qt.ItemDataRole.UserRole) == jingle_id:
                tree.setCurrentItem(item)
                break

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self.selected_jingle()
        self.listen_button.setEnabled(selected is not None or self.playing)
        self.import_button.setEnabled(not self.busy)
        self.remove_button.setEnabled(selected is not None and not selected.shipped and not self.busy)
        self.remove_button.setToolTip(self.tr("The studio's own jingles cannot be removed.")
                                      if selected is not None and selected.shipped else "")
        ready = self.station is not None
        for combo in self.role_combos.values():
            combo.setEnabled(ready)
        has_bed = ready and bool(self.role_of("bed"))
        for check in self.bed_checks.values():
            check.setEnabled(has_bed)

    def _on_task_failed(self, exc: StudioError) -> None:
        self.status.clear()
        self.message.setText(exc.translated(qt_translate))
        self.message.show()
        self._set_busy(False)
        if self.station is not None:
            self._show_station()  # a choice that was not stored goes back to what is

    def _on_task_crashed(self, _exc_info: object) -> None:  # the crash dialog tells the rest
        self.status.clear()
        self._set_busy(False)

    # --- listening -----------------------------------------------------------------------------
    def listen(self) -> None:
        """Play the selected jingle; pressed while playing, stop."""
        if self.playing:
            self._stop_listening()
            return
        jingle = self.selected_jingle()
        if jingle is None:
            return
        player = self._ensure_player()
        player.setSource(QUrl())  # the same file again: make the player read it afresh
        player.setSource(QUrl.fromLocalFile(str(jingle.path)))
        self._source = jingle.path
        player.setPosition(0)
        player.play()

    def play_from(self, ms: int) -> None:
        """Play the selected jingle from ``ms``: a click on its waveform, or an arrow key."""
        jingle = self.selected_jingle()
        if jingle is None:
            return
        player = self._ensure_player()
        if self._source != jingle.path:
            player.setSource(QUrl.fromLocalFile(str(jingle.path)))
            self._source = jingle.path
        seek_when_loaded(player, ms)
        self.wave.set_position(ms)
        player.play()

    def pause_or_go_on(self) -> None:
        """Space on the waveform: pause, or play on from the playhead."""
        if self.playing and self._player is not None:
            self._player.pause()
        else:
            self.play_from(self.wave.position_ms)

    def _show_wave(self) -> None:
        jingle = self.selected_jingle()
        if jingle is None or jingle.path != self._source:
            self._stop_listening()
        self.wave.set_audio(jingle.path if jingle is not None else None,
                            round(jingle.duration * 1000) if jingle is not None else 0)

    def _stop_listening(self) -> None:
        # pause + rewind: QMediaPlayer.stop() during playback hangs Qt's FFmpeg backend here (see player.py)
        if self._player is not None and self.playing:
            self._player.pause()
            self._player.setPosition(0)

    def hush(self, *what: object) -> None:
        """Another sound started (the player's ``playing_changed(True)``, a segment listener's
        ``state_changed(owner, state)``): stop listening to the jingle."""
        if what and what[-1] not in (False, "idle"):
            self._stop_listening()

    def _ensure_player(self) -> Any:
        if self._player is None:
            self._player, self._audio = new_media_player(self)
            self._player.playbackStateChanged.connect(self._on_playback_state)
            self._player.errorOccurred.connect(self._on_player_error)
            self._player.positionChanged.connect(self.wave.set_position)
        return self._player

    def _on_playback_state(self, state: object) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        playing = state == QMediaPlayer.PlaybackState.PlayingState
        if playing != self.playing:
            self.playing = playing
            self.listen_button.setText(self.tr("Stop") if playing else self.tr("Listen"))
            self._update_buttons()
            self.playing_changed.emit(playing)

    def _on_player_error(self, _error: object, description: str) -> None:
        log.warning("playback of a jingle failed: %s", description)
        self.message.setText(self.tr("The jingle cannot be played: {reason}").format(reason=description))
        self.message.show()

    def done(self, result: int) -> None:
        self._stop_listening()
        super().done(result)
