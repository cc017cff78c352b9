"""Translation markers usable from headless core code.

Core code must not import Qt, yet strings it declares (setting labels, user-facing messages) must be
found by ``pyside6-lupdate`` and translated by the GUI. ``QT_TRANSLATE_NOOP(context, text)`` marks
them: lupdate recognises the name, the GUI translates the returned English text with
``QCoreApplication.translate(context, text)``. The CLI prints English, or the Vietnamese catalogue
when one is loaded (see :func:`translate`).
"""

from __future__ import annotations

from collections.abc import Callable

Translator = Callable[[str, str], str]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    return text


def identity_translator(context: str, text: str) -> str:
    return text
