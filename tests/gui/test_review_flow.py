"""The review path through the window, as two people at one PC: the officer writes and submits, the
reviewer comments and sends it back, the officer fixes it, the reviewer approves, and it is deliverable."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog

from studio.messages import StudioError
from studio.services import Studio
from studio.ui.main_window import MainWindow
from studio.workflow.accounts import Role
from studio.workflow.states import Action, NotAllowed, State
from tests.gui.conftest import open_window

PASSWORD = "mật khẩu đủ dài"


def _as(window: MainWindow, studio: Studio, qtbot, username: str) -> None:
    studio.login(username, PASSWORD)
    window.on_user_changed()
    qtbot.waitUntil(lambda: window.review.view is not None and window.review.view.actor is not None
                    and window.review.view.actor.username == username, timeout=10_000)


def _state(window: MainWindow) -> State | None:
    return window.review.view.status.state if window.review.view is not None else None


def test_officer_submits_reviewer_sends_back_officer_fixes_reviewer_approves(
        qtbot, studio: Studio, monkeypatch: pytest.MonkeyPatch) -> None:
    admin = studio.reviews.create_user("quantri", PASSWORD, Role.ADMIN).actor()
    studio.reviews.create_user("lan", PASSWORD, Role.OFFICER, display_name="Nguyễn Thị Lan", actor=admin)
    studio.reviews.create_user("hung", PASSWORD, Role.REVIEWER, display_name="Trần Văn Hùng", actor=admin)
    studio.login("lan", PASSWORD)
    window = open_window(qtbot, studio)
    bulletin_id = window.editor.bulletin_id
    panel = window.review
    qtbot.waitUntil(lambda: _state(window) is State.DRAFT, timeout=10_000)
    assert panel.buttons[Action.SUBMIT].isVisibleTo(window) and not panel.buttons[Action.APPROVE].isVisibleTo(window)

    window.editor.title.setText("Bản tin sáng thứ hai")  # unsaved: submitting saves it first
    panel.buttons[Action.SUBMIT].click()
    qtbot.waitUntil(lambda: _state(window) is State.SUBMITTED, timeout=10_000)
    assert studio.repo.load(bulletin_id).title == "Bản tin sáng thứ hai"

    _as(window, studio, qtbot, "hung")
    assert window.library.state_filter.currentData() == "submitted"  # the reviewer starts on the queue
    qtbot.waitUntil(lambda: [window.library.model.summary(r).id for r in range(window.library.model.rowCount())]
                    == [bulletin_id], timeout=10_000)
    assert panel.buttons[Action.APPROVE].isVisibleTo(window)
    assert not panel.buttons[Action.SUBMIT].isVisibleTo(window)
    panel.comment_target.setCurrentIndex(2)  # segment 2
    panel.comment_text.setText("Câu này cần ghi rõ giờ.")
    panel.comment_button.click()
    qtbot.waitUntil(lambda: panel.comments.count() == 1, timeout=10_000)
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *args, **kwargs: ("Đề nghị sửa lại tiêu đề cho đúng ngày.", True))
    panel.buttons[Action.REQUEST_CHANGES].click()
    qtbot.waitUntil(lambda: _state(window) is State.CHANGES_REQUESTED, timeout=10_000)
    assert "Trần Văn Hùng" in panel.reason.text()
    assert panel.comments.count() == 2

    _as(window, studio, qtbot, "lan")
    window.editor.title.setText("Bản tin sáng thứ hai, 23/11")
    panel.buttons[Action.SUBMIT].click()
    qtbot.waitUntil(lambda: _state(window) is State.SUBMITTED, timeout=10_000)

    officer = studio.actor
    fingerprint = studio.approval_hash(studio.repo.load(bulletin_id))
    with pytest.raises(NotAllowed):  # not deliverable before approval
        studio.reviews.check_deliverable(bulletin_id, fingerprint, fingerprint, actor=officer)

    _as(window, studio, qtbot, "hung")
    panel.buttons[Action.APPROVE].click()
    qtbot.waitUntil(lambda: _state(window) is State.APPROVED, timeout=10_000)
    assert "Trần Văn Hùng" in panel.reason.text()
    studio.reviews.check_deliverable(bulletin_id, fingerprint, fingerprint, actor=officer)  # deliverable now
    assert studio.approval_is_current(bulletin_id)
    window.close()
    window.runner.shutdown()


def test_nobody_logged_in_cannot_act_once_accounts_exist(studio: Studio) -> None:
    studio.reviews.create_user("quantri", PASSWORD, Role.ADMIN)
    with pytest.raises(StudioError):
        studio.actor  # noqa: B018 - the property raises
    with pytest.raises(StudioError):
        studio.save_bulletin(studio.repo.load(1))


def test_changes_made_on_another_pc_appear_without_a_restart(qtbot, studio: Studio) -> None:
    """Another PC saves the open bulletin and decides on another one: the window picks both up."""
    from dataclasses import replace

    window = open_window(qtbot, studio)
    bulletin_id = window.editor.bulletin_id
    window.check_for_changes()
    qtbot.waitUntil(lambda: window._marker is not None and not window._checking, timeout=10_000)
    elsewhere = studio.repo.load(bulletin_id)
    studio.repo.save(replace(elsewhere, title="Sửa ở máy khác"))  # the other PC (same database)
    window.check_for_changes()  # what the timer or activating the window does
    qtbot.waitUntil(lambda: window.editor.title.text() == "Sửa ở máy khác", timeout=10_000)
    assert window.saver.state == "clean"

    window.editor.title.setText("Đang sửa ở máy này")  # unsaved typing is never replaced
    studio.repo.save(replace(studio.repo.load(bulletin_id), title="Lại sửa ở máy khác"))
    window.check_for_changes()
    qtbot.waitUntil(lambda: window.banner.isVisible() and "another PC" in window.banner.text, timeout=10_000)
    assert window.editor.title.text() == "Đang sửa ở máy này"
    asked: list[bool] = []
    window.confirm_discard = lambda: asked.append(True) or True  # type: ignore[method-assign]
    window.close()  # closing tries to save the typing: it conflicts with the other PC's save …
    qtbot.waitUntil(lambda: window.saver.state == "conflict", timeout=10_000)
    assert window.isVisible() and asked == []
    window.close()  # … so closing again asks before the typing is dropped
    assert asked == [True] and not window.isVisible()
    window.runner.shutdown()


def test_a_conflict_offers_to_combine_both_changes_or_keep_a_copy(qtbot, studio: Studio) -> None:
    from dataclasses import replace

    window = open_window(qtbot, studio)
    bulletin_id = window.editor.bulletin_id
    theirs = studio.repo.load(bulletin_id)
    segments = list(theirs.segments)
    segments[-1] = replace(segments[-1], text="Lời chào cuối, sửa ở máy khác.")
    studio.repo.save(replace(theirs, segments=tuple(segments)))  # another PC edits the last segment
    window.editor.cards[0].text.setPlainText("Đoạn đầu, sửa ở máy này.")  # this PC edits the first one
    with qtbot.waitSignal(window.saver.conflict, timeout=10_000):
        window.save_action.trigger()
    qtbot.waitUntil(lambda: window.banner.action_buttons()[0].text() == "Combine both changes", timeout=10_000)
    with qtbot.waitSignal(window.saver.saved, timeout=10_000):
        window.banner.action_buttons()[0].click()
    stored = studio.repo.load(bulletin_id)
    assert stored.segments[0].text == "Đoạn đầu, sửa ở máy này."
    assert stored.segments[-1].text == "Lời chào cuối, sửa ở máy khác."

    # The same segment changed on both PCs: no combining, but the officer's text can become a copy.
    studio.repo.save(replace(studio.repo.load(bulletin_id), segments=(
        replace(stored.segments[0], text="Máy khác sửa đoạn đầu."), *stored.segments[1:])))
    window.editor.cards[0].text.setPlainText("Máy này sửa đoạn đầu.")
    with qtbot.waitSignal(window.saver.conflict, timeout=10_000):
        window.save_action.trigger()
    labels = [button.text() for button in window.banner.action_buttons()]
    assert "Combine both changes" not in labels
    count = len(studio.repo.list_bulletins())
    window.banner.action_buttons()[labels.index("Save mine as a copy")].click()
    qtbot.waitUntil(lambda: len(studio.repo.list_bulletins()) == count + 1, timeout=10_000)
    copy = studio.repo.load(max(s.id for s in studio.repo.list_bulletins()))
    assert copy.title.endswith("(copy)") and copy.segments[0].text == "Máy này sửa đoạn đầu."
    assert studio.repo.load(bulletin_id).segments[0].text == "Máy khác sửa đoạn đầu."
    qtbot.waitUntil(lambda: window.editor.bulletin_id == copy.id and not window.editor.is_dirty(), timeout=10_000)
    assert window.saver.state == "clean"
    window.close()
    window.runner.shutdown()


def test_compare_versions_shows_what_the_last_save_changed(qtbot, studio: Studio) -> None:
    window = open_window(qtbot, studio)
    card = window.editor.cards[0].text
    card.setPlainText(card.toPlainText() + " Xin cảm ơn bà con.")
    with qtbot.waitSignal(window.saver.saved, timeout=10_000):
        window.save_action.trigger()
    qtbot.waitUntil(lambda: window.review.view is not None, timeout=10_000)
    dialog = window.review.open_comparison()
    assert dialog is not None
    with qtbot.waitSignal(dialog.compared, timeout=10_000) as compared:
        pass
    diff = compared.args[0]
    assert diff.changed and diff.count("changed") == 1
    dialog.close()
    window.close()
    window.runner.shutdown()


def test_station_menu_opens_each_window_once_and_switch_user_changes_the_person(
        qtbot, studio: Studio, monkeypatch: pytest.MonkeyPatch) -> None:
    import studio.ui.main_window as main_window

    admin = studio.reviews.create_user("quantri", PASSWORD, Role.ADMIN).actor()
    studio.reviews.create_user("hung", PASSWORD, Role.REVIEWER, display_name="Trần Văn Hùng", actor=admin)
    studio.login("quantri", PASSWORD)
    window = open_window(qtbot, studio)
    for action, which in ((window.output_action, "output"), (window.rules_action, "rules"),
                          (window.accounts_action, "accounts"), (window.audit_action, "audit")):
        action.trigger()
        first = window.dialogs[which]
        assert first.isVisible()
        action.trigger()
        assert window.dialogs[which] is first  # raised, not opened twice
        first.close()

    def log_in_as_reviewer(parent, studio_, runner) -> bool:  # what the login dialog does when it succeeds
        studio_.login("hung", PASSWORD)
        return True

    monkeypatch.setattr(main_window, "switch_user", log_in_as_reviewer)
    window.switch_user_action.trigger()
    assert studio.actor.username == "hung" and "Trần Văn Hùng" in window.windowTitle()
    assert window.library.state_filter.currentData() == "submitted"
    window.close()
    window.runner.shutdown()
