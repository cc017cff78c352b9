"""The delivery history of one programme: every step the outbox recorded, oldest first."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.i18n import QT_TRANSLATE_NOOP
from studio.store.outbox import JobEvent
from studio.workflow.audit import local_time

HISTORY_CONTEXT = "OutboxHistoryDialog"
EVENT_LABELS = {
    "queued": QT_TRANSLATE_NOOP(HISTORY_CONTEXT, "Put in the outbox"),
    "started": QT_TRANSLATE_NOOP(HISTORY_CONTEXT, "Sending started"),
    "resumed": QT_TRANSLATE_NOOP(HISTORY_CONTEXT, "Sending resumed"),
    "delivered": QT_TRANSLATE_NOOP(HISTORY_CONTEXT, "Delivered"),
    "retry": QT_TRANSLATE_NOOP(HISTORY_CONTEXT, "Failed; will try again"),
    "failed": QT_TRANSLATE_NOOP(HISTORY_CONTEXT, "Failed; needs attention"),
    "retry now": QT_TRANSLATE_NOOP(HISTORY_CONTEXT, "Retry now"),
    "paused": QT_TRANSLATE_NOOP(HISTORY_CONTEXT, "Paused"),
    "cancelled": QT_TRANSLATE_NOOP(HISTORY_CONTEXT, "Cancelled"),
    "superseded": QT_TRANSLATE_NOOP(HISTORY_CONTEXT, "Replaced by a newer version"),
    "withdrawn": QT_TRANSLATE_NOOP(HISTORY_CONTEXT, "Withdrawn from the controller"),
}


class OutboxHistoryDialog(QDialog):
    """Every step of one programme's deliveries (queued, each attempt, delivered, withdrawn), oldest first."""

    def __init__(self, title: str, events: Sequence[JobEvent], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Delivery history — {title}").format(title=title))
        self.setMinimumSize(self.fontMetrics().averageCharWidth() * 70, self.fontMetrics().height() * 12)
        self.resize(760, 360)
        headers = (self.tr("Time"), self.tr("Target"), self.tr("Event"), self.tr("Person"), self.tr("Details"))
        self.table = QTableWidget(len(events), len(headers), self)
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, event in enumerate(events):
            label = EVENT_LABELS.get(event.kind)
            cells = (local_time(event.at).strftime("%d/%m/%Y %H:%M:%S"), event.target_name,
                     QCoreApplication.translate(HISTORY_CONTEXT, label) if label else event.kind,
                     event.actor.split(":", 1)[0],  # a worker is named by its PC (host:process:…)
                     event.detail)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(4, min(self.table.columnWidth(4), 320))
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)

    def event_texts(self) -> list[str]:
        """The "Event" column, top to bottom."""
        items = (self.table.item(row, 2) for row in range(self.table.rowCount()))
        return [item.text() if item is not None else "" for item in items]


