"""The user guide: in the window (F1) and in docs/, with every picture it shows present."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from studio.ui.guide import GuideDialog, guide_path
from studio.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def test_every_picture_of_the_guide_and_the_readme_exists() -> None:
    guide = guide_path()
    assert guide is not None and guide.parent == ROOT / "docs" / "guide"
    for document in (guide, ROOT / "README.md"):
        pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", document.read_text(encoding="utf-8"))
        assert pictures, document
        for picture in pictures:
            assert (document.parent / picture).is_file(), f"{document.name}: {picture} is missing"


def test_f1_opens_the_guide_with_its_pictures(qtbot, window: MainWindow) -> None:
    assert window.guide_action.shortcut().toString() == "F1"
    window.guide_action.trigger()
    dialog = window.dialogs["guide"]
    assert isinstance(dialog, GuideDialog) and dialog.isVisible()
    text = dialog.browser.toPlainText()
    assert "Hướng dẫn sử dụng" in text and "Thu âm" in text
    image = dialog.browser.document().resource(QTextDocument.ResourceType.ImageResource,
                                               QUrl("images/04-phong-thu.png"))
    assert image is not None and not image.isNull()
    dialog.close()
