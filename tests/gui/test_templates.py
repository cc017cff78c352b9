"""Templates for new bulletins: the standard running order, an emergency notice, and the station's own."""

from __future__ import annotations

from datetime import date

import pytest

from studio.messages import StudioError
from studio.services import DEMO_STATION, Studio
from studio.store.templates import BUILT_IN, EMERGENCY, STANDARD, TEMPLATE_BUILT_IN, TEMPLATE_EXISTS, fill
from studio.ui.main_window import MainWindow


def _menu_action(window: MainWindow, text: str):
    window.library._fill_template_menu()
    return next(a for a in window.library.template_menu.actions() if a.text() == text)


def test_a_new_bulletin_starts_in_the_standard_running_order(qtbot, window: MainWindow, studio: Studio) -> None:
    with qtbot.waitSignal(window.bulletin_loaded, timeout=10_000) as loaded:
        window.library.new_button.click()
    draft = loaded.args[0]
    assert [s.kind for s in draft.segments] == ["ident", "greeting", "news", "news", "notice", "closing"]
    assert draft.segments[0].text == f"Đây là {DEMO_STATION}."  # the station's name filled in
    assert all(s.preset_id == studio.station().default_preset for s in draft.segments)
    assert draft.title.startswith("New bulletin ") and draft.priority == "normal"

    with qtbot.waitSignal(window.bulletin_loaded, timeout=10_000) as loaded:
        _menu_action(window, "Emergency notice").trigger()
    emergency = loaded.args[0]
    assert emergency.priority == "emergency" and emergency.title.startswith("Thông báo khẩn ")
    assert [s.kind for s in emergency.segments] == ["ident", "notice", "closing"]


def test_the_station_saves_its_own_template_and_starts_bulletins_from_it(qtbot, window: MainWindow,
                                                                        studio: Studio) -> None:
    editor = window.editor
    editor.cards[1].text.setPlainText("Kính chào bà con bản Lướt!")
    editor.area_presets = ("twh-tavt-record",)
    editor.cards[1].translate.click()  # the greeting in Thái too
    editor.cards[2].text.setPlainText("ꪀꪱꪉ ꪋꪱꪉ")
    with qtbot.waitSignal(window.template_saved, timeout=10_000) as saved:
        window.save_as_template("Bản tin tuần (Thái)")
    template = saved.args[0]
    qtbot.waitUntil(lambda: any(t.name == "Bản tin tuần (Thái)" for t in window.library.templates), timeout=5000)

    with qtbot.waitSignal(window.bulletin_loaded, timeout=10_000) as loaded:
        _menu_action(window, "Bản tin tuần (Thái)").trigger()
    made = loaded.args[0]
    source = studio.repo.load(1)
    assert [s.content() | {"version_of": None} for s in made.segments] == [
        s.content() | {"version_of": None} for s in source.segments]
    assert made.segments[2].version_of == made.segments[1].key  # the translation follows its new original
    assert {s.key for s in made.segments}.isdisjoint({s.key for s in source.segments})  # takes stay behind

    window.save_as_template("Bản tin tuần (Thái)")  # the same name again
    qtbot.waitUntil(lambda: window.banner.text != "", timeout=5000)
    assert window.banner.text.startswith(TEMPLATE_EXISTS.format(name="Bản tin tuần (Thái)"))

    with qtbot.waitSignal(window.library.loaded, timeout=5000, raising=False):
        window.library.delete_template(template)
    qtbot.waitUntil(lambda: all(t.name != template.name for t in window.library.templates), timeout=5000)
    with pytest.raises(StudioError) as refused:
        studio.templates.delete(BUILT_IN[0], actor=studio.actor)
    assert refused.value.text == TEMPLATE_BUILT_IN
    assert [t.name for t in studio.templates.templates(studio.station().id)] == [t.name for t in BUILT_IN]


def test_placeholders_are_filled_and_other_braces_left_alone(studio: Studio) -> None:
    station = studio.station()
    assert fill("{station} – {commune} – {date} – {khác}", station, date(2026, 11, 23)) == (
        f"{station.name} – {station.commune} – 23/11/2026 – {{khác}}")
    assert STANDARD in {t.name for t in BUILT_IN} and EMERGENCY in {t.name for t in BUILT_IN}
