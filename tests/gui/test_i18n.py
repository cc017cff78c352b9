"""Language choice and the shipped Vietnamese catalogue."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QLocale

from studio.bulletin import SEGMENT_KIND_LABELS
from studio.config import UI_LANGUAGE
from studio.messages import DISK_FULL
from studio.ui.app import choose_language
from studio.ui.i18n import catalogue_path, load_catalogue
from studio.ui.main_window import progress_text

ROOT = Path(__file__).resolve().parents[2]
VIETNAMESE = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
ENGLISH = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def test_language_follows_env_then_setting_then_locale() -> None:
    assert choose_language("auto", {}, VIETNAMESE) == "vi"
    assert choose_language("auto", {}, ENGLISH) == "en"
    assert choose_language("auto", {"STUDIO_LANG": "vi"}, ENGLISH) == "vi"
    assert choose_language("auto", {"STUDIO_LANG": "vi_VN.UTF-8"}, ENGLISH) == "vi"
    assert choose_language("auto", {"STUDIO_LANG": "en"}, VIETNAMESE) == "en"
    assert choose_language("vi", {}, ENGLISH) == "vi"
    assert choose_language("en", {}, VIETNAMESE) == "en"
    assert choose_language("en", {"STUDIO_LANG": "vi"}, ENGLISH) == "vi"
    assert choose_language(UI_LANGUAGE.default, {"STUDIO_LANG": "fr"}, ENGLISH) == "en"


def test_catalogue_translates_core_and_ui_strings_without_an_application() -> None:
    tr = load_catalogue("vi")
    assert tr is not None
    assert tr("Bulletin", SEGMENT_KIND_LABELS["notice"]) == "Thông báo"
    assert tr("Progress", "Reading segment {number}") == "Đang đọc đoạn {number}"
    assert tr("MainWindow", "Create audio file") == "Tạo tệp âm thanh"
    assert "{path}" in tr("Messages", DISK_FULL) and tr("Messages", DISK_FULL) != DISK_FULL
    assert tr("Messages", "a text nobody wrote") == "a text nobody wrote"
    assert load_catalogue("en") is None  # English is the source language
    assert catalogue_path("vi").is_file()


def test_translation_check_passes() -> None:
    """The .ts covers every string in the code, nothing is unfinished, and the .qm is built from it."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "update_translations.py"), "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_command_line_translates_without_a_qt_application() -> None:
    """The CLI loads the same catalogue; a QTranslator needs no QCoreApplication."""
    code = ("from PySide6.QtCore import QCoreApplication\n"
            "from studio.cli import cli_translator\n"
            "tr = cli_translator()\n"
            "assert QCoreApplication.instance() is None\n"
            "print(tr('Messages', 'Cancelled.'))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "STUDIO_LANG": "vi"}, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Đã hủy."


def test_progress_labels_are_translated_then_filled_in(vietnamese: None) -> None:
    assert progress_text("Reading segment {number}", {"number": 3}) == "Đang đọc đoạn 3"
    assert progress_text("Reading segment {number}", {}) == "Đang đọc đoạn"  # an older core without args
    assert progress_text("A step nobody translated", None) == "A step nobody translated"


def test_vietnamese_messages_name_presets_in_vietnamese() -> None:
    from studio.messages import StudioError
    from studio.render import NEEDS_RECORDING
    from studio.ui.i18n import load_catalogue

    tr = load_catalogue("vi")
    assert tr is not None
    error = StudioError(NEEDS_RECORDING, number=2, preset="Tày (recorded)", preset_vi="Tiếng Tày (thu âm)")
    assert "Tiếng Tày (thu âm)" in error.translated(tr)
    assert "Tày (recorded)" in error.translated()


def test_messages_declared_with_an_imported_context_are_translated() -> None:
    from studio.audio import codec
    from studio.messages import CONTEXT
    from studio.ui.i18n import load_catalogue

    tr = load_catalogue("vi")
    assert tr is not None
    assert tr(CONTEXT, codec.CANNOT_READ) != codec.CANNOT_READ
