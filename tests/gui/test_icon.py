"""The studio's icon: the committed PNGs and Windows icon are its drawing, and every window carries it."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtWidgets import QApplication, QMainWindow

from studio.paths import StudioPaths
from studio.ui import app as app_module

ROOT = Path(__file__).resolve().parents[2]


def make_icons() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "scripts" / "make_icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def largest_difference(one: QImage, other: QImage) -> int:
    """The largest difference of any channel of any pixel (0–255) between two images of one size."""
    assert one.size() == other.size()
    one = one.convertToFormat(QImage.Format.Format_RGBA8888)
    other = other.convertToFormat(QImage.Format.Format_RGBA8888)
    return max(abs(a - b) for a, b in zip(bytes(one.constBits()), bytes(other.constBits()), strict=True))


def test_the_committed_pngs_and_windows_icon_are_the_drawing_at_every_size(qapp: QApplication) -> None:
    """Regenerated with scripts/make_icons.py after any change to assets/icon/studio.svg (a small tolerance:
    another Qt may smooth edges a shade differently)."""
    icons = make_icons()
    reader = QImageReader(str(icons.ICO))
    in_ico: dict[int, QImage] = {}
    for index in range(reader.imageCount()):
        reader.jumpToImage(index)
        image = reader.read()
        in_ico[image.width()] = image
    assert sorted(in_ico) == list(icons.SIZES)
    for size in icons.SIZES:
        drawn = QImage.fromData(icons.render(size), "PNG")
        committed = QImage(str(icons.PNG_DIR / f"studio-{size}.png"))
        assert committed.size() == QSize(size, size) == in_ico[size].size()
        assert largest_difference(committed, drawn) <= 24, size
        assert largest_difference(in_ico[size], committed) <= 2, size
    assert 'ROOT / "packaging" / "icons" / "CommuneRadioStudio.ico"' in (ROOT / "packaging" / "studio.spec").read_text(
        encoding="utf-8")


def test_every_window_of_the_studio_carries_its_icon(qtbot, qapp: QApplication, tmp_path: Path,
                                                     restore_app_state: None) -> None:
    before = qapp.windowIcon()
    app, _settings, _language, translators = app_module.open_application(StudioPaths.under(tmp_path).ensure(), [])
    try:
        assert app is qapp
        assert {16, 32, 48, 256} <= {size.width() for size in qapp.windowIcon().availableSizes()}
        window = QMainWindow()
        qtbot.addWidget(window)
        assert window.windowIcon().cacheKey() == qapp.windowIcon().cacheKey()
        assert window.windowIcon().pixmap(32, 32).size() == QSize(32, 32)
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)
        qapp.setWindowIcon(before)


def test_missing_icon_files_leave_the_system_icon_and_a_log_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(app_module, "assets_dir", lambda: tmp_path)
    with caplog.at_level(logging.WARNING, logger="studio.ui.app"):
        assert app_module.studio_icon().isNull()
    assert "icon files are missing" in caplog.text
