"""Telling the officer that an emergency programme reached the controller, even with the window hidden.

An emergency (a flood warning, a storm) is the one delivery the officer waits for, so its arrival is
announced where it is seen: a system tray message on desktops that have a tray, otherwise through a
callback the window provides (its status bar or message banner).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon

from studio.store.outbox import Job
from studio.ui.outbox_bridge import OutboxBridge

TRAY_MESSAGE_MS = 15_000


class EmergencyNotifier(QObject):
    """Announces each ``emergencyDelivered`` of ``bridge``: a tray message when the desktop has a system
    tray, else ``fallback(text)``. ``notified(text)`` fires either way (for the window and tests)."""

    notified = Signal(str)

    def __init__(self, bridge: OutboxBridge, fallback: Callable[[str], None], parent: QObject | None = None,
                 *, icon: QIcon | None = None) -> None:
        super().__init__(parent)
        self.fallback = fallback
        self.icon = icon
        self.tray: QSystemTrayIcon | None = None
        bridge.emergencyDelivered.connect(self.notify)

    def text_for(self, job: Job) -> str:
        return self.tr("Emergency programme “{title}” was delivered to {target}.").format(
            title=job.title, target=job.target_name)

    def notify(self, job: Job) -> None:
        text = self.text_for(job)
        if QSystemTrayIcon.isSystemTrayAvailable():
            tray = self._tray()
            tray.showMessage(self.tr("Emergency programme delivered"), text,
                             QSystemTrayIcon.MessageIcon.Information, TRAY_MESSAGE_MS)
        else:
            self.fallback(text)
        self.notified.emit(text)

    def _tray(self) -> QSystemTrayIcon:
        if self.tray is None:
            icon = self.icon
            if icon is None or icon.isNull():
                icon = QApplication.windowIcon()
            if icon.isNull():
                icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip(self.tr("Commune Radio Studio"))
            self.tray.show()
        return self.tray

    def close(self) -> None:
        """Remove the tray icon (on quit)."""
        if self.tray is not None:
            self.tray.hide()
            self.tray.deleteLater()
            self.tray = None
