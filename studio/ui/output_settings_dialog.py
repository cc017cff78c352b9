"""Output settings: the file format, loudness, voice processing and pauses every render is made with.

The values are the station's settings (:mod:`studio.config`), read into
:meth:`~studio.render.RenderProfile.from_settings` for each render. Every field is built from its
:class:`~studio.config.Setting`: its translated label, its choices, its limits, so the dialog cannot
offer a value the settings would refuse. A value hand-edited into ``settings.json`` that the settings
refuse is shown as the default the settings fall back to (and is what renders use).

OK writes only the fields the officer changed, each with :meth:`Settings.set`, which rewrites the small
settings file atomically (temporary file, fsync, rename): a few milliseconds each, so it runs on the GUI
thread. The values are part of the render fingerprint, so audio files made before a change show as out
of date by themselves; nothing here marks them.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from studio.config import (
    AUDIO_FORMAT,
    CHANNELS,
    JINGLE_GAP,
    LOUDNESS_TARGET,
    MP3_BITRATE,
    SAMPLE_RATE,
    SEGMENT_GAP,
    TRUE_PEAK_LIMIT,
    VOICE_PROCESSING,
    Setting,
)
from studio.messages import StudioError, os_error
from studio.services import Studio
from studio.ui.i18n import qt_translate
from studio.ui.login import ERROR_STYLE, fit_to_contents, message_label

log = logging.getLogger(__name__)

#: The settings this dialog shows, in the order they are written.
OUTPUT_SETTINGS: tuple[Setting[Any], ...] = (
    AUDIO_FORMAT, MP3_BITRATE, SAMPLE_RATE, CHANNELS, LOUDNESS_TARGET, TRUE_PEAK_LIMIT, VOICE_PROCESSING,
    SEGMENT_GAP, JINGLE_GAP,
)
HINT_STYLE = "color: #555555;"


def setting_label(setting: Setting[Any]) -> str:
    """The setting's own label in the officer's language."""
    return QCoreApplication.translate("Settings", setting.label)


def number_text(value: float, decimals: int = 1) -> str:
    """``value`` as the officer writes it (decimal comma in Vietnamese), with a real minus sign."""
    text = QLocale().toString(float(value), "f", decimals)
    point = QLocale().decimalPoint()
    if decimals and text.endswith(point + "0" * decimals):  # −16, not −16,0
        text = text[: -decimals - len(point)]
    return text.replace("-", "−")


def megabytes_per_minute(container: str, bitrate_kbps: int, sample_rate: int, channels: int) -> float:
    """The size of one minute of audio: CBR MP3 at its bit rate, 16-bit PCM for WAV."""
    bytes_per_second = bitrate_kbps * 1000 / 8 if container == "mp3" else sample_rate * channels * 2
    return bytes_per_second * 60 / 1_000_000


class OutputSettingsDialog(QDialog):
    """The render's export profile: file format, bit rate, sample rate, channels, loudness target,
    true-peak ceiling, voice processing, and the pauses between segments and around jingles.

    Shows ``studio.settings``; OK writes what changed and closes, Cancel writes nothing. ``changed``
    fires after a successful write (``studio.profile()`` then returns the new profile). A write that
    fails (disk full, file read-only) is shown in the dialog, which stays open; ``problem`` carries the
    :class:`StudioError`.
    """

    changed = Signal()
    problem = Signal(object)  # StudioError

    def __init__(self, studio: Studio, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.setWindowTitle(self.tr("Output settings"))
        metrics = self.fontMetrics()  # an explicit minimum: fit_to_contents() sizes it to the texts
        self.setMinimumSize(metrics.averageCharWidth() * 72, metrics.height() * 20)

        # --- the file ---
        file_box = QGroupBox(self.tr("Audio file"), self)
        file_form = self._form(file_box)
        self.format_combo = self._combo(AUDIO_FORMAT, file_box, {"mp3": self.tr("MP3"),
                                                                 "wav": self.tr("WAV 16-bit")})
        self.bitrate_combo = self._combo(MP3_BITRATE, file_box)
        self.size_note = self._hint(file_box)
        self.sample_rate_combo = self._combo(SAMPLE_RATE, file_box)
        self.channels_combo = self._combo(CHANNELS, file_box, {1: self.tr("Mono"), 2: self.tr("Stereo")})
        file_form.addRow(self._row_label(AUDIO_FORMAT, file_box), self.format_combo)
        file_form.addRow(self._row_label(MP3_BITRATE, file_box), self.bitrate_combo)
        file_form.addRow(self.size_note)
        file_form.addRow(self._row_label(SAMPLE_RATE, file_box), self.sample_rate_combo)
        file_form.addRow(self._row_label(CHANNELS, file_box), self.channels_combo)

        # --- loudness ---
        sound_box = QGroupBox(self.tr("Loudness"), self)
        sound_form = self._form(sound_box)
        self.loudness_spin = self._spin(LOUDNESS_TARGET, sound_box, step=1.0)
        loudness_hint = self._hint(sound_box)
        loudness_hint.setText(self.tr("{default} is the station default; higher is louder.").format(
            default=number_text(LOUDNESS_TARGET.default)))
        self.peak_spin = self._spin(TRUE_PEAK_LIMIT, sound_box, step=0.5)
        peak_hint = self._hint(sound_box)
        peak_hint.setText(self.tr("{default} is the station default; change it only if your technician "
                                  "asks.").format(default=number_text(TRUE_PEAK_LIMIT.default)))
        sound_form.addRow(self._row_label(LOUDNESS_TARGET, sound_box), self.loudness_spin)
        sound_form.addRow(loudness_hint)
        sound_form.addRow(self._row_label(TRUE_PEAK_LIMIT, sound_box), self.peak_spin)
        sound_form.addRow(peak_hint)

        voice_box = QGroupBox(setting_label(VOICE_PROCESSING), self)
        voice_form = self._form(voice_box)
        self.voice_group = QButtonGroup(self)
        self.voice_buttons: dict[str, QRadioButton] = {}
        names = {"horn": self.tr("Horn loudspeakers"), "neutral": self.tr("Neutral")}
        explanations = {
            "horn": self.tr("Clearer speech outdoors: less rumble, a forward voice, soft words made louder."),
            "neutral": self.tr("The voice unchanged, for indoor speakers, radio or the internet."),
        }
        for choice in VOICE_PROCESSING.choices:
            button = QRadioButton(names.get(choice, choice), voice_box)
            self.voice_group.addButton(button)
            self.voice_buttons[choice] = button
            voice_form.addRow(button)
            if choice in explanations:
                explanation = self._hint(voice_box)
                explanation.setText(explanations[choice])
                explanation.setIndent(metrics.averageCharWidth() * 3)  # under the button's text
                voice_form.addRow(explanation)

        # --- pauses ---
        pause_box = QGroupBox(self.tr("Pauses"), self)
        pause_form = self._form(pause_box)
        self.segment_gap_spin = self._spin(SEGMENT_GAP, pause_box, step=0.1)
        self.jingle_gap_spin = self._spin(JINGLE_GAP, pause_box, step=0.1)
        pause_form.addRow(self._row_label(SEGMENT_GAP, pause_box), self.segment_gap_spin)
        pause_form.addRow(self._row_label(JINGLE_GAP, pause_box), self.jingle_gap_spin)

        self.note = QLabel(self.tr("Audio files made before a change are marked out of date; make them again "
                                   "to hear the change."), self)
        self.note.setWordWrap(True)
        self.message = message_label(self)
        self.message.setStyleSheet(ERROR_STYLE)

        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(self.tr("OK"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.defaults_button = self.buttons.addButton(self.tr("Station defaults"),
                                                      QDialogButtonBox.ButtonRole.ResetRole)
        self.defaults_button.setToolTip(self.tr("Put back the values the studio comes with (saved on OK)"))
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.defaults_button.clicked.connect(self.restore_defaults)

        self.format_combo.currentIndexChanged.connect(lambda _index: self._update_file_fields())
        self.bitrate_combo.currentIndexChanged.connect(lambda _index: self._update_file_fields())
        self.sample_rate_combo.currentIndexChanged.connect(lambda _index: self._update_file_fields())
        self.channels_combo.currentIndexChanged.connect(lambda _index: self._update_file_fields())

        columns = QHBoxLayout()  # two columns: the whole form fits on the commune's 1366×768 screens
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(file_box)
        left.addWidget(pause_box)
        left.addStretch(1)
        right.addWidget(sound_box)
        right.addWidget(voice_box)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.note)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        self.shown: dict[Setting[Any], Any] = {}  # what the dialog opened with, to write only what changed
        self.show_values({setting: studio.settings.get(setting) for setting in OUTPUT_SETTINGS})
        self.shown = self.values()
        fit_to_contents(self)

    # --- building ----------------------------------------------------------------------------------
    @staticmethod
    def _form(parent: QWidget) -> QFormLayout:
        form = QFormLayout(parent)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # long Vietnamese labels above
        return form

    @staticmethod
    def _row_label(setting: Setting[Any], parent: QWidget) -> QLabel:
        label = QLabel(setting_label(setting) + ":", parent)
        label.setWordWrap(True)
        return label

    @staticmethod
    def _hint(parent: QWidget) -> QLabel:
        label = QLabel(parent)
        label.setWordWrap(True)
        label.setStyleSheet(HINT_STYLE)
        return label

    @staticmethod
    def _combo(setting: Setting[Any], parent: QWidget, names: Mapping[Any, str] | None = None) -> QComboBox:
        """A drop-down list of the setting's choices, each named by ``names`` or shown as it is."""
        combo = QComboBox(parent)
        for choice in setting.choices:
            combo.addItem((names or {}).get(choice, str(choice)), choice)
        return combo

    @staticmethod
    def _spin(setting: Setting[float], parent: QWidget, step: float) -> QDoubleSpinBox:
        """A number field held within the setting's limits, to one decimal."""
        spin = QDoubleSpinBox(parent)
        spin.setDecimals(1)
        spin.setRange(setting.minimum if setting.minimum is not None else -1e6,
                      setting.maximum if setting.maximum is not None else 1e6)
        spin.setSingleStep(step)
        return spin

    # --- values --------------------------------------------------------------------------------------
    def _combos(self) -> dict[Setting[Any], QComboBox]:
        return {AUDIO_FORMAT: self.format_combo, MP3_BITRATE: self.bitrate_combo,
                SAMPLE_RATE: self.sample_rate_combo, CHANNELS: self.channels_combo}

    def _spins(self) -> dict[Setting[Any], QDoubleSpinBox]:
        return {LOUDNESS_TARGET: self.loudness_spin, TRUE_PEAK_LIMIT: self.peak_spin,
                SEGMENT_GAP: self.segment_gap_spin, JINGLE_GAP: self.jingle_gap_spin}

    def values(self) -> dict[Setting[Any], Any]:
        """What the form says, setting by setting (always values the settings accept)."""
        values: dict[Setting[Any], Any] = {}
        for setting, combo in self._combos().items():
            values[setting] = combo.currentData()
        for setting, spin in self._spins().items():
            values[setting] = spin.value()
        values[VOICE_PROCESSING] = next((choice for choice, button in self.voice_buttons.items()
                                         if button.isChecked()), VOICE_PROCESSING.default)
        return {setting: values[setting] for setting in OUTPUT_SETTINGS}

    def show_values(self, values: Mapping[Setting[Any], Any]) -> None:
        """Put ``values`` in the form; one it cannot show (not among the choices) shows the default."""
        for setting, combo in self._combos().items():
            index = combo.findData(values.get(setting, setting.default))
            combo.setCurrentIndex(index if index >= 0 else combo.findData(setting.default))
        for setting, spin in self._spins().items():
            spin.setValue(float(values.get(setting, setting.default)))
        voice = values.get(VOICE_PROCESSING, VOICE_PROCESSING.default)
        self.voice_buttons.get(voice, self.voice_buttons[VOICE_PROCESSING.default]).setChecked(True)
        self._update_file_fields()

    def restore_defaults(self) -> None:
        """The values the studio comes with, in the form (nothing is written before OK)."""
        self.show_values({setting: setting.default for setting in OUTPUT_SETTINGS})

    def changes(self) -> dict[Setting[Any], Any]:
        """The settings the officer changed since the dialog opened, with their new values."""
        return {setting: value for setting, value in self.values().items() if value != self.shown.get(setting)}

    def _update_file_fields(self) -> None:
        container = self.format_combo.currentData()
        bitrate = self.bitrate_combo.currentData()
        rate = self.sample_rate_combo.currentData()
        channels = self.channels_combo.currentData()
        self.bitrate_combo.setEnabled(container == "mp3")
        size = megabytes_per_minute(container, bitrate, rate, channels)
        size_text = number_text(round(size) if size >= 3 else size)
        if container == "mp3":
            text = self.tr("MP3 is compressed: about {size} MB per minute.")
        elif channels == 1:
            text = self.tr("WAV is uncompressed: about {size} MB per minute in mono.")
        else:
            text = self.tr("WAV is uncompressed: about {size} MB per minute in stereo.")
        self.size_note.setText(text.format(size=size_text))
        self.bitrate_combo.setToolTip("" if container == "mp3" else self.tr("A WAV file has no bit rate to choose."))

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest and self.isVisible():
            self._grow_to_fit()  # the layout has taken in a changed text (the file size, a refusal)
        return handled

    def _grow_to_fit(self) -> None:
        """Make the window taller if a changed text needs another line (never shorter: it would jump)."""
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return
        needed = layout.totalHeightForWidth(self.width())
        screen = self.screen()
        if screen is not None:
            needed = min(needed, screen.availableGeometry().height() - 40)
        if needed > self.height():
            self.resize(self.width(), needed)

    # --- saving --------------------------------------------------------------------------------------
    def save(self) -> bool:
        """Write what changed and close; False (the dialog stays open, the reason shown) if writing failed."""
        changes = self.changes()
        if not changes:
            self.accept()
            return True
        settings = self.studio.settings
        before = {setting: settings.get(setting) for setting in changes}
        try:
            for setting, value in changes.items():
                settings.set(setting, value)
        except (OSError, StudioError) as exc:
            self._roll_back(before)
            error = os_error(exc, self.studio.paths.config) if isinstance(exc, OSError) else exc
            self._show_problem(error)  # OSError: creating the config folder; the file write raises StudioError
            return False
        log.info("output settings changed: %s", {setting.key: value for setting, value in changes.items()})
        self.shown = self.values()
        self.message.hide()
        self.changed.emit()
        self.accept()
        return True

    def _roll_back(self, before: Mapping[Setting[Any], Any]) -> None:
        """Put the values back after a failed write, so renders do not use settings the file lacks.

        ``Settings.set`` keeps a value in memory even when writing it fails; setting the old value again
        takes it back out (and, should the disk have recovered, writes the file as it was)."""
        for setting, value in before.items():
            with contextlib.suppress(OSError, StudioError):
                self.studio.settings.set(setting, value)

    def _show_problem(self, exc: StudioError) -> None:
        log.warning("output settings not saved: %s", exc)
        self.message.setText(exc.translated(qt_translate))
        self.message.show()
        fit_to_contents(self)
        self.problem.emit(exc)
