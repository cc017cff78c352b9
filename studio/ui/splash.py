"""The window that answers the double-click at once, while the studio's modules and database load.

A modest PC needs a second or more before the main window can show the library (Python imports the audio,
database and delivery code, the database opens and checks its schema). Qt alone shows a window in a tenth of
that, so this one is drawn as soon as the ``QApplication`` and the language exist: the officer sees that the
studio is starting, in their language, and does not double-click again. It closes before the login or
the set-up wizard.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QWidget

WIDTH, HEIGHT = 460, 170


class StartSplash(QWidget):
    """A frameless card: the studio's name and "Opening the library…"."""

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("startSplash")
        self.title = QCoreApplication.translate("Splash", "Commune Radio Studio")
        self.message = QCoreApplication.translate("Splash", "Opening the library…")
        self.setWindowTitle(self.title)
        self.setFixedSize(WIDTH, HEIGHT)
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            self.move(screen.availableGeometry().center() - self.rect().center())

    @classmethod
    def show_now(cls) -> StartSplash:
        """Show it and paint it before returning (the event loop does not run until the window is built)."""
        splash = cls()
        splash.show()
        splash.repaint()
        QApplication.processEvents()
        return splash

    def paintEvent(self, event: QPaintEvent) -> None:
        palette = self.palette()
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), palette.window())
            painter.fillRect(0, 0, 8, HEIGHT, QColor("#b3261e"))  # a red edge: the card is noticed on a busy desktop
            title = QFont(self.font())
            title.setPointSizeF(max(title.pointSizeF(), 9.0) * 1.6)
            title.setBold(True)
            painter.setFont(title)
            painter.setPen(palette.windowText().color())
            painter.drawText(self.rect().adjusted(32, 0, -16, -HEIGHT // 2), Qt.AlignmentFlag.AlignBottom,
                             self.title)
            painter.setFont(self.font())
            painter.drawText(self.rect().adjusted(32, HEIGHT // 2 + 8, -16, 0), Qt.AlignmentFlag.AlignTop,
                             self.message)
            painter.setPen(palette.mid().color())
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        finally:
            painter.end()
