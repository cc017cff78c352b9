"""The audit viewer over a real SQLite studio: real actions in words, a tampered row found, exports, a big log."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert, select, text

from studio.messages import NOT_WRITABLE
from studio.services import Studio
from studio.store.models import AuditEntry, utcnow
from studio.ui.audit_dialog import (
    ACTION,
    DETAILS,
    NUMBER,
    PAGE_ROWS,
    PERSON,
    SUBJECT,
    TIME,
    AuditDialog,
    ExportOutcome,
    today_in_vietnam,
)
from studio.ui.tasks import TaskRunner
from studio.workflow.accounts import LoginFailed, Role
from studio.workflow.audit import BROKEN_LINK, CSV_HEADER, GENESIS, VIETNAM, canonical_details, day_bounds, entry_hash
from studio.workflow.states import Action
from tests.gui.fitting import clipped, pseudo_vietnamese, untranslated

ADMIN, ADMIN_PW = "chu.tich", "Hoa-Binh-2024"
OFFICER, OFFICER_PW = "bien.tap", "loa-phuong-1"



@pytest.fixture
def worked(studio: Studio) -> Studio:
    """A station where people did things: accounts, a failed and a good login, a saved bulletin."""
    studio.reviews.create_user(ADMIN, ADMIN_PW, Role.ADMIN, display_name="Nguyễn Văn An")
    studio.reviews.create_user(OFFICER, OFFICER_PW, Role.OFFICER)
    with pytest.raises(LoginFailed):
        studio.login(OFFICER, "not her password")
    studio.login(OFFICER, OFFICER_PW)
    draft = studio.repo.load(studio.repo.list_bulletins()[0].id)
    studio.save_bulletin(replace(draft, title="Lịch tiêm chủng tháng 6"))
    return studio


def open_dialog(qtbot, studio: Studio, runner: TaskRunner) -> AuditDialog:
    dialog = AuditDialog(studio, runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=30_000):
        dialog.show()
    return dialog


def column(dialog: AuditDialog, which: int, rows: int | None = None) -> list[str]:
    model = dialog.model
    count = model.rowCount() if rows is None else min(rows, model.rowCount())
    return [model.index(row, which).data() for row in range(count)]


def refilter(qtbot, dialog: AuditDialog, text: str) -> None:
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.filter_edit.setText(text)


def add_entries(studio: Studio, count: int, *, at: datetime | None = None, actor: str = OFFICER,
                action: str = "bulletin.save") -> None:
    """``count`` chained entries in one statement (the hash chain built exactly as the repository does)."""
    start = at or utcnow()
    with studio.db.session() as s:
        prev = s.scalars(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first() or GENESIS
        rows = []
        for number in range(count):
            when = start + timedelta(microseconds=number)
            subject, details = f"bulletin:x{number:05d}", canonical_details({"n": number})
            digest = entry_hash(when, actor, action, subject, details, prev)
            rows.append({"at": when, "actor": actor, "action": action, "subject": subject, "details": details,
                         "prev_hash": prev, "hash": digest})
            prev = digest
        s.execute(insert(AuditEntry), rows)


def entry_id(studio: Studio, action: str) -> int:
    return next(e.id for e in reversed(studio.repo.audit_entries()) if e.action == action)


def test_real_actions_are_listed_newest_first_in_words(qtbot, worked: Studio, runner: TaskRunner) -> None:
    worked.repo.append_audit(ADMIN, "backup.made", "", {"file": "sao-luu.zip"})
    dialog = open_dialog(qtbot, worked, runner)

    assert column(dialog, ACTION) == [
        "backup.made",  # a code the viewer does not know is shown as it is stored
        "Bulletin saved", "Logged in", "Login failed", "Account created", "Account created",
        "Bulletin created", "Delivery target added", "Station created"]
    assert column(dialog, PERSON)[:6] == [
        "Nguyễn Văn An (chu.tich)", OFFICER, OFFICER, OFFICER, OFFICER, "Nguyễn Văn An (chu.tich)"]
    assert column(dialog, SUBJECT)[1] == "Bulletin “Lịch tiêm chủng tháng 6”"
    assert column(dialog, SUBJECT)[4] == f"Account {OFFICER}"
    assert column(dialog, DETAILS)[0] == "file: sao-luu.zip"
    assert column(dialog, DETAILS)[3] == "locked: false"
    numbers = [int(n) for n in column(dialog, NUMBER)]
    assert numbers == sorted(numbers, reverse=True)
    saved = worked.repo.audit_entries()[-2]
    assert column(dialog, TIME)[1] == saved.at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S")
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", column(dialog, TIME)[-1])
    first, last = dialog.date_range()
    assert (last, last - first) == (today_in_vietnam(), timedelta(days=29))
    assert dialog.from_edit.displayFormat() == "dd/MM/yyyy"
    assert dialog.status.text() == f"9 entries from {first:%d/%m/%Y} to {last:%d/%m/%Y}, newest first."
    assert not dialog.more_button.isVisible()

    refilter(qtbot, dialog, "nguyen van an")  # a person, typed without accents
    assert column(dialog, ACTION) == ["backup.made", "Account created"]
    refilter(qtbot, dialog, "failed")  # an action, in words
    assert column(dialog, ACTION) == ["Login failed"]
    refilter(qtbot, dialog, "nobody did this")
    assert dialog.model.rowCount() == 0 and "No entry matches “nobody did this”" in dialog.status.text()
    refilter(qtbot, dialog, "")
    assert dialog.model.rowCount() == 9


def test_single_person_approval_is_marked(qtbot, studio: Studio, runner: TaskRunner) -> None:
    admin = studio.reviews.create_user(ADMIN, ADMIN_PW, Role.ADMIN).actor()
    station = studio.station()
    studio.reviews.set_station_rules(station.id, actor=admin, single_person_mode=True)
    studio.login(ADMIN, ADMIN_PW)
    draft = studio.save_bulletin(replace(studio.repo.load(studio.repo.list_bulletins()[0].id), title="Tin ngắn"))
    status = studio.review(draft.id, Action.SUBMIT, version=draft.version)
    studio.review(draft.id, Action.APPROVE, version=status.version)

    dialog = open_dialog(qtbot, studio, runner)
    assert column(dialog, ACTION, 4) == ["Approved by its own writer (single-person mode)", "Sent for approval",
                                         "Bulletin saved", "Logged in"]
    assert "single_person: true" in column(dialog, DETAILS)[0]
    assert dialog.model.index(0, ACTION).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert dialog.model.index(1, ACTION).data(Qt.ItemDataRole.ForegroundRole) is None
    assert column(dialog, ACTION)[-5:-2] == ["Station rules changed", "Account created", "Bulletin created"]
    assert column(dialog, DETAILS)[-5] == "single_person_mode: true"


def test_check_finds_an_entry_edited_in_the_database(qtbot, worked: Studio, runner: TaskRunner) -> None:
    dialog = open_dialog(qtbot, worked, runner)
    with qtbot.waitSignal(dialog.checked, timeout=20_000) as intact:
        qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert intact.args[0].ok and dialog.banner.level == "info"
    assert dialog.banner.text.startswith("Intact: 8 entries checked. No entry was changed, deleted or reordered.")

    saved = entry_id(worked, "bulletin.save")
    with worked.db.engine.begin() as conn:  # someone "corrects" who saved the bulletin, behind the studio's back
        conn.execute(text("UPDATE audit_entry SET actor = 'ke.gian' WHERE id = :id"), {"id": saved})
    with qtbot.waitSignal(dialog.checked, timeout=20_000) as broken:
        qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert not broken.args[0].ok and broken.args[0].broken_id == saved
    assert dialog.banner.level == "error"
    assert dialog.banner.text.startswith(f"NOT intact: entry {saved} was edited after it was written.\n")
    assert dialog.model.broken_id == saved
    current = dialog.table.currentIndex()
    assert current.isValid() and current.siblingAtColumn(NUMBER).data() == str(saved)
    assert current.data(Qt.ItemDataRole.BackgroundRole) is not None

    logged_in = entry_id(worked, "login.ok")
    with worked.db.engine.begin() as conn:  # put it back, then remove the login before it
        conn.execute(text("UPDATE audit_entry SET actor = :who WHERE id = :id"), {"who": OFFICER, "id": saved})
        conn.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": logged_in})
    with qtbot.waitSignal(dialog.checked, timeout=20_000) as deleted:
        dialog.check_chain()
    assert deleted.args[0].problem == BROKEN_LINK and deleted.args[0].broken_id == saved
    assert dialog.banner.text.startswith(f"NOT intact: an entry before entry {saved} was deleted, or entries "
                                         "were reordered.")

    refilter(qtbot, dialog, "station")  # the broken entry is filtered out: the banner says where it went
    with qtbot.waitSignal(dialog.checked, timeout=20_000):
        dialog.check_chain()
    assert "It is not among the entries listed: choose other days, or clear the search box" in dialog.banner.text


def test_exports_write_the_entries_of_the_range(qtbot, worked: Studio, runner: TaskRunner,
                                                tmp_path: Path) -> None:
    old_day = today_in_vietnam() - timedelta(days=45)
    add_entries(worked, 3, at=day_bounds(old_day, old_day)[0] + timedelta(hours=9), action="bulletin.delete")
    dialog = open_dialog(qtbot, worked, runner)
    assert "bulletin.delete" not in {e for e in column(dialog, ACTION)}  # 45 days ago: before the last 30
    in_range = [e for e in worked.repo.audit_entries() if e.action != "bulletin.delete"]

    outcome = export(qtbot, dialog, "csv", tmp_path / "nhat-ky.csv")
    data = (tmp_path / "nhat-ky.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel on Windows reads the Vietnamese as such
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0] == list(CSV_HEADER)
    assert [row[5] for row in table[1:]] == [e.hash for e in in_range] and outcome.count == len(in_range)
    assert dialog.banner.text == f"Wrote {len(in_range)} entries to {tmp_path / 'nhat-ky.csv'}."

    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.set_range(old_day, old_day)
    assert column(dialog, ACTION) == ["Bulletin deleted"] * 3
    export(qtbot, dialog, "html", tmp_path / "in.html")
    page = (tmp_path / "in.html").read_text(encoding="utf-8")
    assert "Nhật ký thao tác" in page and "Toàn bộ nhật ký nguyên vẹn" in page
    assert page.count('<td class="actor">') == 3 and "Lịch tiêm chủng" not in page
    assert f"Từ ngày {old_day:%d/%m/%Y} đến ngày {old_day:%d/%m/%Y}" in page


def export(qtbot, dialog: AuditDialog, kind: str, path: Path) -> ExportOutcome:
    dialog.choose_path = lambda _kind, _first, _last: path  # type: ignore[method-assign]
    button = dialog.csv_button if kind == "csv" else dialog.html_button
    with qtbot.waitSignal(dialog.exported, timeout=20_000) as done:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert button.isEnabled()
    outcome: ExportOutcome = done.args[0]
    return outcome


def test_a_refused_folder_is_said_in_words(qtbot, worked: Studio, runner: TaskRunner, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, worked, runner)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    target = blocker / "nhat-ky.csv"
    dialog.choose_path = lambda _kind, _first, _last: target  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.problem, timeout=20_000):
        qtbot.mouseClick(dialog.csv_button, Qt.MouseButton.LeftButton)
    assert dialog.banner.level == "error"
    assert dialog.banner.text.startswith(NOT_WRITABLE.format(path=target))
    assert dialog.csv_button.isEnabled() and not target.exists()


def test_a_big_log_opens_a_page_at_a_time(qtbot, studio: Studio, runner: TaskRunner) -> None:
    add_entries(studio, 20_000)
    total = len(studio.repo.audit_entries())
    dialog = AuditDialog(studio, runner)
    qtbot.addWidget(dialog)
    assert dialog.loading and dialog.model.rowCount() == 0  # read in the background, not while opening
    with qtbot.waitSignal(dialog.loaded, timeout=60_000):
        dialog.show()
    assert dialog.model.total() == total and dialog.model.rowCount() == PAGE_ROWS
    assert column(dialog, SUBJECT, 1) == ["Bulletin x19999"]
    assert dialog.more_button.isVisible() and dialog.more_button.isEnabled()
    locale = QLocale()
    assert dialog.status.text().startswith(
        f"Showing the newest {locale.toString(PAGE_ROWS)} of {locale.toString(total)} entries")

    qtbot.mouseClick(dialog.more_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 2 * PAGE_ROWS

    refilter(qtbot, dialog, "x1234")
    assert column(dialog, SUBJECT) == [f"Bulletin x1234{digit}" for digit in range(9, -1, -1)]
    refilter(qtbot, dialog, "")
    assert dialog.model.rowCount() == PAGE_ROWS

    old = entry_id_of_subject(studio, "bulletin:x00100")
    with studio.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET details = '{\"n\": 7}' WHERE id = :id"), {"id": old})
    with qtbot.waitSignal(dialog.checked, timeout=60_000):
        dialog.check_chain()
    # The broken entry is far down the list: the table loads down to it and shows it.
    current = dialog.table.currentIndex()
    assert current.siblingAtColumn(NUMBER).data() == str(old)
    assert PAGE_ROWS < dialog.model.rowCount() < total


def entry_id_of_subject(studio: Studio, subject: str) -> int:
    with studio.db.session() as s:
        found = s.scalars(select(AuditEntry.id).where(AuditEntry.subject == subject)).one()
        return int(found)


def test_texts_fit_when_translated(qtbot, qapp: QApplication, worked: Studio, runner: TaskRunner) -> None:
    with pseudo_vietnamese(qapp, point_size=12):
        dialog = open_dialog(qtbot, worked, runner)
        qtbot.waitExposed(dialog)
        assert untranslated(dialog) == []
        assert clipped(dialog) == []
        with qtbot.waitSignal(dialog.checked, timeout=20_000):
            dialog.check_chain()
        qtbot.waitUntil(lambda: clipped(dialog) == [], timeout=5_000)  # once the layout has taken the banner in
        assert dialog.width() <= 1366 and dialog.minimumSizeHint().width() <= 1366


def test_first_day_after_last_moves_the_last(qtbot, worked: Studio, runner: TaskRunner) -> None:
    dialog = open_dialog(qtbot, worked, runner)
    later = today_in_vietnam() + timedelta(days=11)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.from_edit.setDate(dialog.from_edit.date().addDays(40))
    assert dialog.date_range() == (later, later)
    assert dialog.model.rowCount() == 0
    assert dialog.status.text() == f"No entries from {later:%d/%m/%Y} to {later:%d/%m/%Y}."
