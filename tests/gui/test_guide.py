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


def test_the_log_view_shows_the_newest_lines_and_picks_out_problems(qtbot, window: MainWindow) -> None:
    from studio.ui.log_view import LogDialog, read_tail

    logs = window.studio.paths.logs
    logs.mkdir(parents=True, exist_ok=True)
    lines = [f"2026-11-22 10:00:{i % 60:02d},000 INFO    MainThread studio.x: dòng {i}" for i in range(20000)]
    lines.insert(19990, "2026-11-22 10:01:00,000 WARNING MainThread studio.outbox: không kết nối được máy chủ")
    (logs / "studio.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tail = read_tail(logs / "studio.log", 4096)
    assert tail.startswith("2026-11-22") and tail.rstrip().endswith("dòng 19999") and len(tail) <= 4096

    window.log_action.trigger()
    dialog = window.dialogs["log"]
    assert isinstance(dialog, LogDialog)
    qtbot.waitUntil(lambda: "dòng 19999" in dialog.view.toPlainText(), timeout=5000)
    dialog.problems_only.setChecked(True)
    assert dialog.view.toPlainText() == lines[19990]
    dialog.close()
