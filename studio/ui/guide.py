"""The user guide in the window (Help → User guide, F1): the same Markdown file and pictures as ``docs/guide``.

The guide is written in Vietnamese for the officers; its pictures are the real windows, made by
``scripts/make_screenshots.py``. Installed, it sits in the package's assets; in the source tree, in ``docs``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from studio.paths import assets_dir

GUIDE_FILE = "huong-dan.md"


def guide_path() -> Path | None:
    """The guide's Markdown file, or None when the studio was installed without it."""
    for folder in (assets_dir() / "guide", Path(__file__).resolve().parents[2] / "docs" / "guide"):
        if (folder / GUIDE_FILE).is_file():
            return folder / GUIDE_FILE
    return None


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("User guide"))
        self.resize(900, 760)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        path = guide_path()
        if path is not None:
            self.browser.setSource(QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.MarkdownResource)
        else:
            self.browser.setPlainText(self.tr("The user guide was not installed with the studio."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
