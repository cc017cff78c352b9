"""Pseudo-Vietnamese and a clipping check: do a dialog's texts fit when translated and set in a large font?

Vietnamese sentences run longer than their English sources and stack accents above and below the line.
:func:`pseudo_vietnamese` translates every string into a longer, accented form (placeholders such as
``{count}`` kept), so a test catches a label cut off in any language the catalogue may bring, and any
visible text that skipped translation (it lacks the marker).
"""

from __future__ import annotations

import atexit
import functools
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QPoint, QTranslator
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from tests.scripts import imported_script

ROOT = Path(__file__).resolve().parents[2]

MARK = "Ặ"
_ACCENTED = str.maketrans("aeiouyAEIOUYdD", "ặễịộựỹẶỄỊỘỰỸđĐ")
_PLACEHOLDER = re.compile(r"(\{[^{}]*\})")


def pseudo(text: str) -> str:
    """``MARK`` + the text with accented vowels, about 40 % longer; ``{placeholders}`` untouched."""
    if not text:
        return text
    parts = [part if _PLACEHOLDER.fullmatch(part) else part.translate(_ACCENTED)
             for part in _PLACEHOLDER.split(text)]
    padding = " ỗỗ" * max(1, len(text) // 8)
    return MARK + "".join(parts) + padding


@functools.cache
def pseudo_catalogue() -> Path:
    """A compiled catalogue translating every string of the studio with :func:`pseudo` (built once).

    Made the way the shipped one is (the project's lupdate run, then lrelease): a QTranslator subclass
    overriding ``translate()`` in Python would be simpler, but PySide6 6.12 drops a reference to None on
    every call into it, and the interpreter aborts after a few thousand translations.
    """
    folder = Path(tempfile.mkdtemp(prefix="studio-pseudo-"))
    atexit.register(shutil.rmtree, folder, True)
    ts, qm = folder / "pseudo_vi.ts", folder / "pseudo_vi.qm"
    with imported_script(ROOT / "scripts" / "update_translations.py") as script:
        script.run_lupdate(ts)
        tree = ET.parse(ts)
        for message in tree.getroot().iter("message"):
            translation = message.find("translation")
            if translation is not None:
                translation.text = pseudo(message.findtext("source", ""))
                translation.attrib.pop("type", None)
        tree.write(ts, encoding="utf-8", xml_declaration=True)
        script.run_lrelease(ts, qm)
    return qm


@contextmanager
def pseudo_vietnamese(app: QApplication, point_size: int = 16) -> Iterator[None]:
    """Every string pseudo-translated and the application font at ``point_size`` while inside."""
    translator = QTranslator()
    assert translator.load(str(pseudo_catalogue()))
    font = app.font()
    large = app.font()
    large.setPointSize(point_size)
    app.setFont(large)
    app.installTranslator(translator)
    try:
        yield
    finally:
        app.removeTranslator(translator)
        app.setFont(font)


def _text(widget: QWidget) -> str:
    if isinstance(widget, QLabel | QAbstractButton):
        return widget.text()
    return ""


def clipped(window: QWidget) -> list[str]:
    """The visible labels, buttons and check boxes of ``window`` whose text does not fit in their space."""
    problems = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, QLabel | QAbstractButton) or not widget.isVisibleTo(window) or not _text(widget):
            continue
        top_left = widget.mapTo(window, QPoint(0, 0))
        if (top_left.x() < 0 or top_left.y() < 0 or top_left.x() + widget.width() > window.width()
                or top_left.y() + widget.height() > window.height()):
            problems.append(f"outside the window: {_text(widget)!r}")
        elif isinstance(widget, QLabel) and widget.wordWrap():
            if widget.heightForWidth(widget.width()) > widget.height() + 1:
                problems.append(f"wrapped text cut at the bottom: {widget.text()!r}")
        else:
            hint = widget.sizeHint()
            if widget.width() < hint.width() or widget.height() < hint.height():
                problems.append(f"cut ({widget.width()}x{widget.height()} < {hint.width()}x{hint.height()}): "
                                f"{_text(widget)!r}")
    return problems


def untranslated(window: QWidget) -> list[str]:
    """Visible texts of ``window`` that did not go through the translator (no :data:`MARK`)."""
    return [_text(w) for w in window.findChildren(QWidget)
            if isinstance(w, QLabel | QAbstractButton) and w.isVisibleTo(window) and _text(w)
            and MARK not in _text(w)]
