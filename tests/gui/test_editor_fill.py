"""A long bulletin opens with its first cards at once and gets the others a few at a time (studio.ui.editor).

Whatever the officer does meanwhile sees the whole bulletin: saving, the timeline, moving, removing, adding.
"""

from __future__ import annotations

from studio.bulletin import BulletinDraft, SegmentDraft
from studio.services import Studio
from studio.ui.editor import EAGER_CARDS
from studio.ui.main_window import MainWindow

COUNT = EAGER_CARDS + 40


def long_bulletin(studio: Studio, count: int = COUNT) -> BulletinDraft:
    station = studio.station()
    segments = tuple(SegmentDraft(f"Tin số {i + 1}: UBND xã thông báo.", station.default_preset, "news")
                     for i in range(count))
    return studio.repo.save(BulletinDraft(f"Bản tin {count} đoạn", station.id, segments))


def open_long(qtbot, window: MainWindow, studio: Studio) -> BulletinDraft:
    """Store a new long bulletin and open it (after saving what is on screen, as switching does)."""
    stored = long_bulletin(studio)
    window.open_bulletin(stored.id or 0)
    qtbot.waitUntil(lambda: window.editor.bulletin_id == stored.id, timeout=20_000)
    return stored


def texts(draft: BulletinDraft | None) -> list[str]:
    assert draft is not None
    return [segment.text for segment in draft.segments]


def test_the_first_cards_show_at_once_and_the_rest_follow(qtbot, window: MainWindow, studio: Studio) -> None:
    stored = open_long(qtbot, window, studio)
    editor = window.editor
    assert editor.filling and EAGER_CARDS <= len(editor.cards) < COUNT
    # The draft is whole from the start: an autosave or a render now loses none of the segments not yet shown.
    assert texts(editor.current_draft()) == texts(stored) and not editor.is_dirty()
    assert editor.segment_at(COUNT) == stored.segments[-1]
    assert editor.cards[0].number.text() == "Segment 1" and editor.cards[EAGER_CARDS - 1].down.isEnabled()

    with qtbot.waitSignal(editor.filled, timeout=60_000):
        pass
    assert not editor.filling and len(editor.cards) == COUNT
    assert [card.segment().text for card in editor.cards] == texts(stored) and not editor.is_dirty()
    assert editor.cards[-1].number.text() == f"Segment {COUNT}" and not editor.cards[-1].down.isEnabled()
    assert all(card.number.text() == f"Segment {n}" for n, card in enumerate(editor.cards, start=1))


def test_removing_or_moving_while_cards_are_built_keeps_the_order(qtbot, window: MainWindow, studio: Studio) -> None:
    stored = open_long(qtbot, window, studio)
    editor = window.editor
    assert editor.filling
    editor.remove_segment(editor.cards[2])  # the rest are built first, then the third one goes
    assert not editor.filling and len(editor.cards) == COUNT - 1
    expected = texts(stored)
    del expected[2]
    assert texts(editor.current_draft()) == expected

    stored = open_long(qtbot, window, studio)  # the saver stores the edit before switching
    assert editor.filling
    editor.move_segment_to(1, COUNT)  # dragged on the timeline to the end, past the cards not yet built
    expected = texts(stored)
    expected.append(expected.pop(0))
    assert texts(editor.current_draft()) == expected and editor.is_dirty()
    assert editor.cards[-1].segment().text == "Tin số 1: UBND xã thông báo."


def test_adding_a_segment_while_cards_are_built_puts_it_last(qtbot, window: MainWindow, studio: Studio) -> None:
    stored = open_long(qtbot, window, studio)
    editor = window.editor
    assert editor.filling
    card = editor.add_segment()
    assert card is editor.cards[-1] and len(editor.cards) == COUNT + 1 and not editor.filling
    assert texts(editor.current_draft()) == [*texts(stored), ""]


def test_another_bulletin_opened_meanwhile_gets_none_of_the_first_one_s_cards(
        qtbot, window: MainWindow, studio: Studio) -> None:
    open_long(qtbot, window, studio)
    editor = window.editor
    assert editor.filling
    demo = next(b for b in studio.repo.list_bulletins() if len(studio.repo.load(b.id).segments) < EAGER_CARDS)
    shown = studio.repo.load(demo.id)
    window.open_bulletin(demo.id)
    qtbot.waitUntil(lambda: editor.bulletin_id == demo.id, timeout=20_000)
    assert not editor.filling
    qtbot.wait(200)  # the first one's fill would have gone on here
    assert [card.segment().text for card in editor.cards] == texts(shown)
