"""The task panel: long jobs appear with their progress and can be cancelled there; quick ones never show."""

from __future__ import annotations

import pytest

from studio.services import Studio
from studio.ui.main_window import MainWindow
from studio.ui.task_panel import LONG_TASKS


@pytest.mark.usefixtures("speech_held_until_cancelled")
def test_a_render_shows_in_the_panel_and_cancel_there_stops_it(qtbot, window: MainWindow, studio: Studio) -> None:
    panel = window.task_panel
    assert panel.isHidden() and not panel.rows  # quick jobs (loading the library, the bulletin) never showed
    with qtbot.waitSignal(window.render_ended, timeout=60_000) as ended:
        window.render_action.trigger()
        qtbot.waitUntil(lambda: bool(panel.rows), timeout=10_000)
        assert panel.isVisible() and panel.row_texts() == [LONG_TASKS["render"]]
        row = next(iter(panel.rows.values()))
        qtbot.waitUntil(lambda: row.bar.maximum() == 100, timeout=20_000)  # a fraction reported, then shown
        row.cancel_button.click()
    assert ended.args == ["cancelled"]
    qtbot.waitUntil(lambda: not panel.rows and panel.isHidden(), timeout=5000)
    assert studio.current_render(window.editor.bulletin_id or 0) is None
