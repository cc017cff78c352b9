"""Loading the shipped Vietnamese catalogue, for the window and for the command line.

The catalogue is compiled from ``studio_vi.ts`` (see ``scripts/update_translations.py``). A
``QTranslator`` translates without a ``QCoreApplication``, so the CLI uses the same ``.qm`` file through
:func:`load_catalogue` without starting Qt's event machinery.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from studio.i18n import Translator

log = logging.getLogger(__name__)

CATALOGUE_DIR = Path(__file__).resolve().parent
LANGUAGES = ("vi", "en")


def catalogue_path(lang: str) -> Path:
    """Where the compiled catalogue for ``lang`` lives (it may not exist: English needs none)."""
    return CATALOGUE_DIR / f"studio_{lang}.qm"


def _load_qm(lang: str) -> QTranslator | None:
    path = catalogue_path(lang)
    if not path.is_file():
        return None
    translator = QTranslator()
    if not translator.load(str(path)):
        log.warning("translation catalogue %s could not be loaded", path)
        return None
    return translator


def load_catalogue(lang: str) -> Translator | None:
    """A ``(context, text) -> str`` translator for ``lang``, or None when no catalogue is shipped.

    Texts missing from the catalogue come back unchanged (English), so a half-translated build still
    shows every message.
    """
    translator = _load_qm(lang)
    if translator is None:
        return None

    def translate(context: str, text: str) -> str:
        return translator.translate(context, text) or text

    return translate


def install_translators(app: QCoreApplication, lang: str) -> list[QTranslator]:
    """Install the studio's catalogue and Qt's own (``qtbase_<lang>``, when Qt ships one) into ``app``.

    Returns the translators; the caller keeps them alive for the application's lifetime (Qt does not
    take ownership). Qt ships no Vietnamese ``qtbase``, so the studio's catalogue also carries the Qt
    strings the officer sees (standard buttons, text context menus; see ``qt_strings.py``).
    """
    installed: list[QTranslator] = []
    if lang == "en":
        return installed
    qt_translator = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_translator.load(QLocale(lang), "qtbase", "_", qt_dir):
        app.installTranslator(qt_translator)
        installed.append(qt_translator)
    studio_translator = _load_qm(lang)
    if studio_translator is not None:
        studio_translator.setParent(app)
        # Installed last so it is searched first: the studio's wording wins over Qt's.
        app.installTranslator(studio_translator)
        installed.append(studio_translator)
    return installed


def qt_translate(context: str, text: str) -> str:
    """The GUI's translator: whatever catalogues are installed in the running application."""
    return QCoreApplication.translate(context, text)
