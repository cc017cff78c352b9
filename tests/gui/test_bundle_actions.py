"""Bulletin → Export to file… / Import from file…, a bulletin file dropped on the window, and
``studio open FILE.bantin`` (run_gui with a file): all in the background, the result in the banner."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from studio.bundle.transfer import IMPORT_ACTION, export_bundle
from studio.paths import StudioPaths
from studio.services import DEMO_TITLE, Studio
from studio.ui import app as app_module
from studio.ui.bundle_actions import file_name_for
from studio.ui.login import LOGIN, LoginDialog
from studio.ui.main_window import MainWindow
from studio.workflow.accounts import Role
from tests.bundles import tone

PASSWORD = "mật khẩu đủ dài"


def menu_texts(window: MainWindow, title: str) -> list[str]:
    [menu] = [a.menu() for a in window.menuBar().actions() if a.text() == title]
    return [action.text() for action in menu.actions()]


def test_export_then_import_through_the_bulletin_menu(qtbot, window: MainWindow, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    assert {"Export to file…", "Import from file…"} <= set(menu_texts(window, "&Bulletin"))
    out = tmp_path / "usb" / "ban-tin.bantin"
    out.parent.mkdir()
    asked: list[tuple[str, str, str]] = []

    def save_name(_parent: object, caption: str, suggested: str, filters: str) -> tuple[str, str]:
        asked.append((caption, suggested, filters))
        return str(out), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_name))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *_args: (str(out), "")))
    original = window.editor.bulletin_id
    with qtbot.waitSignal(window.bundles.exported, timeout=20_000):
        window.bundles.export_action.trigger()
    [(_caption, suggested, filters)] = asked
    assert Path(suggested).name == f"{DEMO_TITLE}.bantin" and filters == "Bulletin files (*.bantin)"
    assert out.is_file()
    assert "was exported to" in window.statusBar().currentMessage()

    with qtbot.waitSignal(window.bundles.imported, timeout=20_000) as blocker:
        window.bundles.import_action.trigger()
    copy = blocker.args[0].bulletin
    assert copy.id != original and copy.title == DEMO_TITLE
    qtbot.waitUntil(lambda: window.editor.bulletin_id == copy.id, timeout=10_000)  # the new draft is open …
    qtbot.waitUntil(lambda: f"imported as bulletin No. {copy.id}" in window.banner.text, timeout=10_000)
    assert window.library.selected_id() == copy.id  # … and chosen in the library
    assert len(window.studio.repo.list_bulletins()) == 2


def test_a_dropped_file_with_other_jingles_offers_them(qtbot, window: MainWindow, tmp_path: Path) -> None:
    other = Studio.open(StudioPaths.under(tmp_path / "other-pc").ensure())
    try:
        other.ensure_library()
        jingle = other.jingles.import_file(tone(tmp_path / "nhac.wav", 700, 2.0), "opening", "Nhạc hiệu Tân Lập")
        other.set_station_jingle("opening", jingle.id)
        [summary] = other.repo.list_bulletins()
        path = export_bundle(other, summary.id, tmp_path / "tan-lap").path
    finally:
        other.close()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()  # the window takes the file …
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.bundles.imported, timeout=20_000) as blocker:
        QApplication.sendEvent(window, drop)  # … and imports it
    assert blocker.args[0].jingles_differ
    qtbot.waitUntil(lambda: "other station jingles" in window.banner.text, timeout=10_000)
    [use] = [b for b in window.banner.action_buttons() if b.text() == "Use its jingles for this station"]
    opening = dict(blocker.args[0].jingles)["opening"]
    assert window.studio.station().opening_jingle != opening
    use.click()
    qtbot.waitUntil(lambda: window.studio.station().opening_jingle == opening, timeout=10_000)

    with qtbot.waitSignal(window.bundles.imported, timeout=20_000) as again:  # the same file once more
        window.import_bundle(path)
    assert again.args[0].already and again.args[0].bulletin.id == blocker.args[0].bulletin.id
    qtbot.waitUntil(lambda: "This file was imported before" in window.banner.text, timeout=10_000)


def test_a_file_that_is_not_a_bulletin_file_is_explained(qtbot, window: MainWindow, tmp_path: Path) -> None:
    wrong = tmp_path / "bao-cao.bantin"
    wrong.write_text("Báo cáo tháng 11", encoding="utf-8")
    task = window.import_bundle(wrong)
    assert task is not None
    with qtbot.waitSignal(task.failed, timeout=10_000):
        pass
    assert "is not a bulletin file" in window.banner.text
    assert len(window.studio.repo.list_bulletins()) == 1


def test_default_file_names_keep_vietnamese_and_drop_what_windows_refuses() -> None:
    assert file_name_for("Thông báo: lịch tiêm chủng 25/11?") == "Thông báo lịch tiêm chủng 25 11.bantin"
    assert file_name_for(" ... ") == "bulletin.bantin"


def test_studio_open_imports_the_file_once_the_window_is_up(qtbot, qapp: QApplication, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            restore_app_state: None) -> None:
    monkeypatch.setenv("STUDIO_LANG", "en")
    monkeypatch.delenv("STUDIO_DATABASE_URL", raising=False)
    home = tmp_path / "home"
    library = Studio.open(StudioPaths.under(home).ensure())
    try:
        library.ensure_library()
        library.signed_in = library.reviews.create_user("quantri", PASSWORD, Role.ADMIN).actor()
        [summary] = library.repo.list_bulletins()
        path = export_bundle(library, summary.id, tmp_path / "Downloads" / "ban tin").path
    finally:
        library.close()
    seen: dict[str, object] = {}

    def inspect_then_quit() -> None:
        login = qapp.activeModalWidget()
        if isinstance(login, LoginDialog) and login.mode == LOGIN and not login.busy:
            login.name_edit.setText("quantri")
            login.password_edit.setText(PASSWORD)
            login.primary_button.click()
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or "imported as bulletin No." not in windows[0].banner.text:
            QTimer.singleShot(20, inspect_then_quit)
            return
        seen.update(open=windows[0].editor.bulletin_id, banner=windows[0].banner.text)
        windows[0].close()

    QTimer.singleShot(0, inspect_then_quit)
    assert app_module.run_gui(data_dir=home, open_file=path) == 0
    library = Studio.open(StudioPaths.under(home))
    try:
        ids = [b.id for b in library.repo.list_bulletins()]
        assert len(ids) == 2 and seen["open"] == max(ids)
        assert [e.subject for e in library.repo.audit_entries() if e.action == IMPORT_ACTION] == [
            f"bulletin:{library.repo.load(max(ids)).uid}"]
    finally:
        library.close()


def test_the_open_command_is_the_window_with_a_file() -> None:
    from studio.cli import build_parser

    args = build_parser().parse_args(["--data-dir", "d", "open", "Bản tin.bantin"])
    assert (args.command, args.file) == ("open", Path("Bản tin.bantin"))
    args = build_parser().parse_args(["bundle", "import", "x.bantin", "--use-jingles"])
    assert (args.bundle_command, args.file, args.use_jingles) == ("import", Path("x.bantin"), True)
