"""The bundled fonts (``assets/fonts``), made available to every widget at start-up.

Windows has no Tai Viet or Cham font, so without these a Thái script shows as empty boxes. Qt's
application font database belongs to the running ``QGuiApplication``; the registration is recorded on
that object too, so calling this again (the composition root and each test window do) adds nothing twice.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from studio.paths import assets_dir
from studio.speech.presets import Preset
from studio.text.fonts import FONT_SUFFIXES

log = logging.getLogger(__name__)

_DONE_PROPERTY = "studioBundledFonts"


def bundled_fonts_folder() -> Path:
    return assets_dir() / "fonts"


def register_bundled_fonts(folder: Path | None = None) -> list[str]:
    """Register every font file in ``folder`` (default: the bundled fonts) once per application.

    Returns the font families now available from that folder. A damaged file is logged and skipped: the
    studio still opens, and the editor's font check warns where a family is missing.
    """
    app = QGuiApplication.instance()
    if app is None:
        raise RuntimeError("fonts can only be registered once a QGuiApplication exists")
    folder = folder or bundled_fonts_folder()
    done: dict[str, list[str]] = dict(app.property(_DONE_PROPERTY) or {})
    families: list[str] = []
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)
    except OSError as exc:
        log.warning("bundled fonts cannot be read from %s: %s", folder, exc)
        return families
    for path in files:
        key = str(path.resolve())
        if key not in done:
            font_id = QFontDatabase.addApplicationFont(key)
            if font_id < 0:
                log.warning("font %s could not be loaded", path)
            done[key] = list(QFontDatabase.applicationFontFamilies(font_id)) if font_id >= 0 else []
        families += [family for family in done[key] if family not in families]
    app.setProperty(_DONE_PROPERTY, done)
    return families


def preset_font(base: QFont, preset: Preset | None) -> QFont:
    """``base`` writing in the preset's font first (Tai Viet, Khmer, Cham …), its own families as fallbacks."""
    font = QFont(base)
    if preset is not None and preset.font:
        font.setFamilies([preset.font, *base.families()])
    return font
