"""Choosing a segment's language and voice: synthesised voices first, then the languages an announcer records.

Presets are listed in their catalogue order (``Preset.order``). Languages without a voice sit under
their own heading, each with a red "record" dot, so nobody picks one expecting the studio to read it.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QSizePolicy, QWidget

from studio.speech.presets import Preset

RECORD_HEADER_ROLE = Qt.ItemDataRole.UserRole + 1


def record_icon(size: int = 16) -> QIcon:
    """A red dot, the mark of "record" on every recorder."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#d32f2f"))
    painter.drawEllipse(QRectF(size * 0.2, size * 0.2, size * 0.6, size * 0.6))
    painter.end()
    return QIcon(pixmap)


class PresetPicker(QComboBox):
    """The presets of the catalogue, ordered; ``currentData()`` is the chosen preset's id."""

    def __init__(self, presets: Mapping[str, Preset], language: str, current: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presets = presets
        ordered = sorted(presets.values(), key=lambda p: (p.order, p.name(language)))
        for preset in (p for p in ordered if p.synthesised):
            self.addItem(preset.name(language), preset.id)
        recorded = [p for p in ordered if not p.synthesised]
        if recorded:
            self.insertSeparator(self.count())
            self.addItem(self.tr("Recorded by an announcer (no voice):"))
            model = self.model()
            assert isinstance(model, QStandardItemModel)
            header = model.item(self.count() - 1)
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            header.setData(True, RECORD_HEADER_ROLE)
            icon = record_icon()
            tip = self.tr("No voice reads this language: an announcer records the segment.")
            for preset in recorded:
                self.addItem(icon, preset.name(language), preset.id)
                self.setItemData(self.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        if self.findData(current) < 0:
            self.addItem(self.tr("{preset} (not installed)").format(preset=current), current)
        self.setCurrentIndex(max(0, self.findData(current)))
        self.setToolTip(self.tr("Language and voice that read this segment"))
        # Long preset names elide instead of pushing the buttons out of a narrow window.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 14)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def preset(self) -> Preset | None:
        """The chosen preset (None when it is not installed on this PC)."""
        return self.presets.get(self.currentData())

    def is_recorded(self, index: int) -> bool:
        preset = self.presets.get(self.itemData(index))
        return preset is not None and not preset.synthesised
