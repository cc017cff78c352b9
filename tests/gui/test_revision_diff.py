"""Compare revisions: two saved revisions side by side, words marked, settings listed, loading off the GUI thread."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.messages import StudioError
from studio.ui.revision_diff import AFTER, BEFORE, DELETED_COLOURS, INSERTED_COLOURS, SETTING, RevisionDiffDialog
from studio.ui.tasks import TaskRunner
from studio.workflow.diff import RevisionInfo
from tests.gui.fitting import clipped, pseudo_vietnamese, untranslated

BULLETIN = 7
PRESET = "vi-north-offline"
GREETING = "Xin chào bà con thôn Đông."
VACCINES = "Ủy ban nhân dân xã thông báo lịch tiêm phòng cho trẻ em vào sáng thứ Hai."
STORM = "Bà con chú ý phòng chống bão số 3, gia cố nhà cửa."
CLOSING = "Cảm ơn bà con đã lắng nghe."
POWER_CUT = "Thông báo khẩn: mất điện từ 13 giờ đến 17 giờ chiều nay."


def _bulletin(*segments: SegmentDraft, priority: str = "normal") -> dict[str, Any]:
    return BulletinDraft("Bản tin sáng", 1, segments, priority=priority).content()


#: Three saves of one bulletin, as the store keeps them: (info, snapshot).
REVISIONS = {
    1: (RevisionInfo(1, datetime(2025, 3, 4, 1, 30, tzinfo=UTC), "Nguyễn Thị Lan"),
        _bulletin(SegmentDraft(GREETING, PRESET, "greeting"), SegmentDraft(VACCINES, PRESET),
                  SegmentDraft(STORM, PRESET), SegmentDraft(CLOSING, PRESET, "closing"))),
    2: (RevisionInfo(2, datetime(2025, 3, 4, 2, 5, tzinfo=UTC), "Trần Văn Hùng"),
        _bulletin(SegmentDraft(GREETING, PRESET, "greeting"),
                  SegmentDraft(VACCINES.replace("lịch", "kế hoạch"), PRESET),
                  SegmentDraft(STORM, PRESET, gap=1.5), SegmentDraft(CLOSING, PRESET, "closing"),
                  priority="emergency")),
    3: (RevisionInfo(3, datetime(2025, 3, 4, 16, 45, tzinfo=UTC)),
        _bulletin(SegmentDraft(POWER_CUT, PRESET, "notice"), SegmentDraft(GREETING, PRESET, "greeting"),
                  SegmentDraft(VACCINES.replace("lịch", "kế hoạch"), PRESET),
                  SegmentDraft(STORM, PRESET, gap=1.5), SegmentDraft(CLOSING, PRESET, "closing"),
                  priority="emergency")),
}


class Store:
    """Stands in for the repository: the two loading functions the window is given, and what they saw."""

    def __init__(self, revisions: Mapping[int, tuple[RevisionInfo, dict[str, Any]]] = REVISIONS) -> None:
        self.revisions = revisions
        self.snapshots_read: list[int] = []
        self.threads: list[threading.Thread] = []
        self.broken: set[int] = set()

    def load_revisions(self, bulletin_id: int) -> list[RevisionInfo]:
        assert bulletin_id == BULLETIN
        self.threads.append(threading.current_thread())
        return [info for info, _snapshot in self.revisions.values()]

    def load_snapshot(self, bulletin_id: int, number: int) -> dict[str, Any]:
        assert bulletin_id == BULLETIN
        self.threads.append(threading.current_thread())
        if number in self.broken:
            raise StudioError("The database cannot be reached.")
        self.snapshots_read.append(number)
        return self.revisions[number][1]


@pytest.fixture
def hanoi_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is Vietnam's (UTC+7, no daylight saving) for the test."""
    monkeypatch.setenv("TZ", "ICT-7")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()



def _open(qtbot, runner: TaskRunner, store: Store, **options: Any) -> RevisionDiffDialog:
    names = {PRESET: "Tiếng Việt (miền Bắc)"}
    dialog = RevisionDiffDialog(BULLETIN, store.load_revisions, store.load_snapshot, runner,
                                preset_name=lambda preset_id: names.get(preset_id, preset_id), **options)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.compared, timeout=10_000):
        dialog.show()
    return dialog


def runs(dialog: RevisionDiffDialog) -> list[tuple[int, str, str]]:
    """The document's text runs as (column, mark, text): column 0 left (older), 1 right (newer); mark is
    "deleted" (struck through, red), "inserted" (underlined, green) or "plain"."""
    found: list[tuple[int, str, str]] = []
    block = dialog.view.document().begin()
    while block.isValid():
        table = QTextCursor(block).currentTable()
        column = table.cellAt(block.position()).column() if table is not None else -1
        for item in block:
            fragment = item.fragment()
            char_format = fragment.charFormat()
            if char_format.fontStrikeOut():
                assert (char_format.foreground().color(), char_format.background().color()) == DELETED_COLOURS
                mark = "deleted"
            elif char_format.fontUnderline():
                assert (char_format.foreground().color(), char_format.background().color()) == INSERTED_COLOURS
                mark = "inserted"
            else:
                mark = "plain"
            found.append((column, mark, fragment.text()))
        block = block.next()
    return found


def marked(dialog: RevisionDiffDialog) -> list[tuple[int, str, str]]:
    return [run for run in runs(dialog) if run[1] != "plain"]


def settings_rows(dialog: RevisionDiffDialog) -> list[list[str]]:
    table = dialog.settings_table
    if not table.isVisibleTo(dialog):
        return []
    return [[table.item(row, column).text() for column in (SETTING, BEFORE, AFTER)] for row in range(table.rowCount())]


def test_latest_two_revisions_are_compared_and_either_side_can_be_chosen(
        qtbot, runner: TaskRunner, hanoi_time: None) -> None:
    store = Store()
    dialog = _open(qtbot, runner, store)
    combo_texts = [dialog.old_combo.itemText(i) for i in range(dialog.old_combo.count())]
    assert combo_texts == ["Revision 3 · 04/03/2025 23:45", "Revision 2 · 04/03/2025 09:05 · Trần Văn Hùng",
                           "Revision 1 · 04/03/2025 08:30 · Nguyễn Thị Lan"]
    assert (dialog.old_combo.currentData(), dialog.new_combo.currentData()) == (2, 3)

    # Revision 2 → 3: one segment added at the top; nothing else is marked.
    assert marked(dialog) == [(1, "inserted", POWER_CUT)]
    assert dialog.summary.text() == "Segments: 1 added."
    assert settings_rows(dialog) == []
    assert (0, "plain", "Not in this revision") in runs(dialog)

    # The officer picks revision 1 on the left: the word change, the priority and the pause show.
    with qtbot.waitSignal(dialog.compared, timeout=10_000):
        dialog.old_combo.setCurrentIndex(dialog.old_combo.findData(1))
    assert dialog.shown == (1, 3)
    assert marked(dialog) == [(1, "inserted", POWER_CUT), (0, "deleted", "lịch"), (1, "inserted", "kế hoạch"),
                              (0, "deleted", "Pause before: Station's default"), (1, "inserted", "Pause before: 1.5 s")]
    assert settings_rows(dialog) == [["Priority", "Normal", "Emergency"],
                                     ["Segment 4: Pause before", "Station's default", "1.5 s"]]
    assert dialog.summary.text() == "Bulletin settings changed: 1. Segments: 1 added, 2 changed."
    plain_right = "".join(text for column, mark, text in runs(dialog) if column == 1 and mark == "plain")
    assert "Ủy ban nhân dân xã thông báo " in plain_right and " tiêm phòng cho trẻ em" in plain_right

    # And revision 2 on the right: the added segment is gone from the comparison.
    with qtbot.waitSignal(dialog.compared, timeout=10_000):
        dialog.new_combo.setCurrentIndex(dialog.new_combo.findData(2))
    assert marked(dialog) == [(0, "deleted", "lịch"), (1, "inserted", "kế hoạch"),
                              (0, "deleted", "Pause before: Station's default"), (1, "inserted", "Pause before: 1.5 s")]
    assert settings_rows(dialog) == [["Priority", "Normal", "Emergency"],
                                     ["Segment 3: Pause before", "Station's default", "1.5 s"]]

    # Loading happened in worker threads, each revision read once however often it was shown.
    assert store.threads and all(thread is not threading.main_thread() for thread in store.threads)
    assert sorted(store.snapshots_read) == [1, 2, 3]


def test_unchanged_segments_are_folded_until_asked_for(qtbot, runner: TaskRunner) -> None:
    dialog = _open(qtbot, runner, Store(), older=2, newer=3)
    texts = [text for _column, _mark, text in runs(dialog)]
    assert "Segments 2–5: unchanged" in texts
    assert GREETING not in texts and CLOSING not in texts

    dialog.unchanged_check.setChecked(True)  # shown at once, from the comparison already made
    texts = [text for _column, _mark, text in runs(dialog)]
    assert "Segments 2–5: unchanged" not in texts
    assert "Segment 2: unchanged" in texts
    assert texts.count(GREETING) == 2 and texts.count(CLOSING) == 2  # both sides, not marked
    assert marked(dialog) == [(1, "inserted", POWER_CUT)]


def test_a_moved_segment_and_identical_revisions(qtbot, runner: TaskRunner) -> None:
    first = _bulletin(SegmentDraft(GREETING, PRESET), SegmentDraft(VACCINES, PRESET), SegmentDraft(STORM, PRESET))
    moved = _bulletin(SegmentDraft(STORM, PRESET), SegmentDraft(GREETING, PRESET), SegmentDraft(VACCINES, PRESET))
    when = datetime(2025, 3, 4, tzinfo=UTC)
    store = Store({1: (RevisionInfo(1, when), first), 2: (RevisionInfo(2, when), moved),
                   3: (RevisionInfo(3, when), moved)})
    dialog = _open(qtbot, runner, store, older=1, newer=2)
    assert dialog.summary.text() == "Segments: 1 moved."
    assert "Segment 1: moved from place 3" in [text for _column, _mark, text in runs(dialog)]
    assert marked(dialog) == []

    with qtbot.waitSignal(dialog.compared, timeout=10_000):
        dialog.select(2, 3)
    assert dialog.summary.text() == "The two revisions are the same."
    assert marked(dialog) == [] and settings_rows(dialog) == []


def test_a_long_segment_shows_its_changes_with_the_words_around_them(qtbot, runner: TaskRunner) -> None:
    sentences = [f"Câu số {n}: bà con thôn Đông chú ý lắng nghe thông báo của xã." for n in range(4000)]
    old = " ".join(sentences)
    assert len(old.encode("utf-8")) > 200_000
    new = old.replace("Câu số 2000: bà con", "Câu số 2000: toàn thể bà con")
    when = datetime(2025, 3, 4, tzinfo=UTC)
    store = Store({1: (RevisionInfo(1, when), _bulletin(SegmentDraft(old, PRESET))),
                   2: (RevisionInfo(2, when), _bulletin(SegmentDraft(new, PRESET)))})
    dialog = _open(qtbot, runner, store)
    assert marked(dialog) == [(1, "inserted", " toàn thể")]
    left = "".join(text for column, _mark, text in runs(dialog) if column == 0)
    right = "".join(text for column, _mark, text in runs(dialog) if column == 1)
    assert "Câu số 0: " not in left and "Câu số 1999: bà con thôn Đông" in left and "Câu số 2000: bà con" in left
    assert "Câu số 2000: toàn thể bà con" in right and len(right) < 3000
    # What is left out is said, and adds up with what is shown to the whole text.
    shown = "".join(text for column, mark, text in runs(dialog) if column == 0 and mark == "plain"
                    and "unchanged words" not in text and text not in (
                        dialog.old_combo.currentText(), "Segment 1: changed", "News item · Tiếng Việt (miền Bắc)"))
    left_out = [int(count) for count in re.findall(r"\[… (\d+) unchanged words …\]", left)]
    assert len(left_out) == 2 and sum(left_out) + len(shown.split()) == len(old.split())


def test_a_revision_that_cannot_be_read_is_reported(qtbot, runner: TaskRunner) -> None:
    store = Store()
    store.broken.add(1)
    dialog = _open(qtbot, runner, store)
    with qtbot.waitSignal(dialog.failed, timeout=10_000):
        dialog.old_combo.setCurrentIndex(dialog.old_combo.findData(1))
    assert dialog.message.isVisibleTo(dialog)
    assert dialog.message.text() == "The database cannot be reached."
    assert dialog.shown == (2, 3)  # the last comparison stays on screen
    assert not dialog.busy


def test_every_text_is_translated_and_fits(qtbot, qapp: QApplication, runner: TaskRunner) -> None:
    with pseudo_vietnamese(qapp):
        dialog = _open(qtbot, runner, Store(), older=1, newer=3)
        qtbot.waitExposed(dialog)
        assert untranslated(dialog) == []
        assert clipped(dialog) == []
        assert all(dialog.settings_table.item(row, SETTING).text().startswith("Ặ")
                   for row in range(dialog.settings_table.rowCount()))
