"""Pseudo-localisation of the main flows: every visible text goes through the translator, and still fits when
translations run 40 % longer at a large font (the officer's readable text size)."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea, QWidget

from studio.services import Studio
from studio.ui.booth import BoothDialog, BoothSubject
from studio.ui.phrase_bank import PhraseBankDialog
from studio.ui.tasks import TaskRunner
from tests.gui.conftest import open_window
from tests.gui.fitting import clipped, pseudo_vietnamese, untranslated


def words(texts: list[str]) -> list[str]:
    """Texts with letters in them: "▲", "≈ 0:11" or "0:00 / 0:00" are not words to translate."""
    return [text for text in texts if any(char.isalpha() for char in text)]


def test_the_main_window_speaks_only_through_the_translator_and_fits(qtbot, qapp, studio: Studio) -> None:
    with pseudo_vietnamese(qapp, point_size=13):
        window = open_window(qtbot, studio, language="vi")
        window.resize(1366, 768)  # the commonest commune laptop screen
        qtbot.wait(200)
        assert words(untranslated(window)) == []
        scrolled = window.editor.scroll.widget()  # the segment cards scroll: they are checked on their own
        outside = [text for text in clipped(window) if not text.startswith("outside the window")]
        assert outside == []
        for card in window.editor.cards:
            assert [p for p in clipped(card) if "outside" not in p] == [], card.number.text()
        assert isinstance(window.editor.scroll, QScrollArea) and isinstance(scrolled, QWidget)
        window.close()
        window.runner.shutdown()


def test_the_booth_and_the_phrase_bank_speak_only_through_the_translator_and_fit(
        qtbot, qapp, studio: Studio, runner: TaskRunner) -> None:
    with pseudo_vietnamese(qapp, point_size=13):
        subject = BoothSubject("Đoạn 1", "Kính thưa bà con", "vi-north-offline", estimate_s=3.0)
        booth = BoothDialog(studio, runner, subject, language="vi")
        qtbot.addWidget(booth)
        booth.show()
        qtbot.wait(200)
        heading = f"{subject.title} — {studio.presets[subject.preset_id].name('vi')}"  # the segment's own words
        assert [text for text in words(untranslated(booth)) if text != heading] == []
        assert clipped(booth) == []
        bank = PhraseBankDialog(studio, runner, language="vi")
        qtbot.addWidget(bank)
        bank.show()
        qtbot.wait(200)
        assert words(untranslated(bank)) == [] and clipped(bank) == []
