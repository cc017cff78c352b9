"""The Delivery targets window against real servers on 127.0.0.1: a folder, FTP, SFTP (host key trusted on
first use, a changed key refused until the installer confirmed it) and the controller API; passwords go to
the credential store only; invalid settings are named and nothing is stored; others see it read-only."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from studio.delivery.sftp import HOST_KEY_CHANGED, HostKeyChanged
from studio.delivery.target import LOGIN_FAILED, LOGIN_FAILED_HINT
from studio.delivery.targets import BAD_PORT, BAD_URL, NEED_HOST
from studio.messages import CONTEXT
from studio.services import Studio
from studio.ui.i18n import qt_translate
from studio.ui.target_form import HostKeyDialog
from studio.ui.targets_dialog import TargetsDialog
from studio.ui.tasks import TaskRunner
from studio.workflow.accounts import Role
from studio.workflow.states import NOT_ALLOWED_ROLE
from tests.gui.fitting import clipped, pseudo_vietnamese, untranslated
from tests.servers.ftp_server import ftp_server
from tests.servers.http_receiver import running_receiver
from tests.servers.sftp_server import new_host_key, sftp_server

ADMIN, ADMIN_PW = "chu.tich", "Hoa-Binh-2024"
WAIT = 15_000


@pytest.fixture
def admin(studio: Studio) -> Studio:
    """The station's administrator is signed in."""
    studio.reviews.create_user(ADMIN, ADMIN_PW, Role.ADMIN, display_name="Chủ tịch xã")
    studio.login(ADMIN, ADMIN_PW)
    return studio


def open_dialog(qtbot, studio: Studio, runner: TaskRunner, **pickers) -> TargetsDialog:
    dialog = TargetsDialog(studio, runner, **pickers)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ready, timeout=WAIT):
        dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def new_target(qtbot, dialog: TargetsDialog, name: str, kind: str, **fields: str) -> None:
    """Press "New target", choose the kind and type into the named fields (``host="…"`` → ``host_edit``)."""
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    form = dialog.form
    form.kind_combo.setCurrentIndex(form.kind_combo.findData(kind))
    type_into(qtbot, form.name_edit, name)
    for field, text in fields.items():
        type_into(qtbot, getattr(form, f"{field}_edit"), text)


def names(dialog: TargetsDialog) -> list[str]:
    return [dialog.table.topLevelItem(i).text(0) for i in range(dialog.table.topLevelItemCount())]


def click(qtbot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_folder_target_is_added_and_tested(qtbot, admin: Studio, runner: TaskRunner, tmp_path: Path) -> None:
    share = tmp_path / "loa-share"
    share.mkdir()
    dialog = open_dialog(qtbot, admin, runner, folder_picker=lambda _parent, _start: str(share))
    assert names(dialog) == ["outbox"]  # what the first launch made
    assert not dialog.note.isVisible() and dialog.new_button.isVisible() and dialog.save_button.isVisible()

    new_target(qtbot, dialog, "loa-xa", "folder")
    assert dialog.form.path_row.isVisible() and not dialog.form.secret_row.isVisible()  # a folder has no password
    assert not dialog.form.host_edit.isVisible()
    click(qtbot, dialog.form.browse_button)
    assert dialog.form.path_edit.text() == str(share)
    with qtbot.waitSignal(dialog.tested, timeout=WAIT):  # Test connection saves first
        click(qtbot, dialog.test_button)
    assert dialog.result.isVisible() and dialog.result.text() == f"The connection works: {share}"

    stored = admin.repo.target("loa-xa")
    assert (stored.kind, stored.config, stored.enabled) == ("folder", {"path": str(share)}, True)
    qtbot.waitUntil(lambda: names(dialog) == ["loa-xa", "outbox"], timeout=WAIT)
    assert dialog.selected_row is not None and dialog.selected_row.info.name == "loa-xa"
    assert dialog.table.topLevelItem(0).text(1) == "Folder or network share"
    assert dialog.table.topLevelItem(0).text(2) == str(share)
    assert dialog.form.name_edit.isReadOnly()  # a stored target keeps its name
    entry = admin.repo.audit_entries()[-1]
    assert (entry.actor, entry.action, entry.subject) == (ADMIN, "target.create", "target:loa-xa")


def test_ftp_password_goes_to_the_keyring_only(qtbot, admin: Studio, runner: TaskRunner, tmp_path: Path) -> None:
    (tmp_path / "ftp").mkdir()
    with ftp_server(tmp_path / "ftp", password="mat-khau-Loa-7") as server:
        dialog = open_dialog(qtbot, admin, runner)
        new_target(qtbot, dialog, "xa-ftp", "ftp", host=server.host, port=str(server.port), user=server.user,
                   secret="mat-khau-Loa-7", folder="/")
        assert dialog.form.secret_edit.echoMode() == QLineEdit.EchoMode.Password
        assert dialog.form.secret_state.text() == "not stored on this computer"
        with qtbot.waitSignal(dialog.saved, timeout=WAIT):
            click(qtbot, dialog.save_button)
        qtbot.waitUntil(lambda: "xa-ftp" in names(dialog), timeout=WAIT)
        assert dialog.form.secret_edit.text() == ""  # never shown again
        assert dialog.form.secret_state.text() == "stored on this computer"

        assert admin.credentials.get("xa-ftp") == "mat-khau-Loa-7"
        stored = admin.repo.target("xa-ftp")
        assert stored.config == {"host": server.host, "port": server.port, "username": server.user, "folder": "/"}
        library = json.dumps([t.config for t in admin.repo.targets()], ensure_ascii=False) + json.dumps(
            [(e.subject, e.details) for e in admin.repo.audit_entries()], ensure_ascii=False, default=str)
        assert "xa-ftp" in library and "mat-khau-Loa-7" not in library
        database = admin.paths.database_file
        raw = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
        assert b"mat-khau-Loa-7" not in raw

        with qtbot.waitSignal(dialog.tested, timeout=WAIT) as tested:
            click(qtbot, dialog.test_button)
        assert "Commune controller test server ready." in tested.args[0]
        assert dialog.result.text().startswith("The connection works: ")

        # Another password typed: the test stores it (the login refusal's hint says so) and it is refused.
        type_into(qtbot, dialog.form.secret_edit, "sai-mat-khau")
        with qtbot.waitSignal(dialog.test_failed, timeout=WAIT):
            click(qtbot, dialog.test_button)
        assert dialog.result.text() == f"The controller {server.host} refused the user name or password.\n" \
                                       "Open Delivery targets, enter the right password and press “Test connection”."
        assert admin.credentials.get("xa-ftp") == "sai-mat-khau"


def test_wrong_password_is_said_in_vietnamese(qtbot, admin: Studio, runner: TaskRunner, vietnamese: None,
                                              tmp_path: Path) -> None:
    (tmp_path / "ftp").mkdir()
    with ftp_server(tmp_path / "ftp") as server:
        dialog = open_dialog(qtbot, admin, runner)
        new_target(qtbot, dialog, "xa-ftp", "ftp", host=server.host, port=str(server.port), user=server.user,
                   secret="khong-dung")
        with qtbot.waitSignal(dialog.test_failed, timeout=WAIT):
            click(qtbot, dialog.test_button)
    expected = (qt_translate(CONTEXT, LOGIN_FAILED).format(host=server.host) + "\n"
                + qt_translate(CONTEXT, LOGIN_FAILED_HINT))
    assert "Kiểm tra kết nối" in expected  # the catalogue's words, not the English source
    assert dialog.result.text() == expected and dialog.result.isVisible()


def test_sftp_host_key_is_compared_then_trusted(qtbot, admin: Studio, runner: TaskRunner, tmp_path: Path) -> None:
    with sftp_server(tmp_path / "sftp") as server:
        dialog = open_dialog(qtbot, admin, runner)
        new_target(qtbot, dialog, "xa-sftp", "sftp", host=server.host, port=str(server.port), user=server.user,
                   secret=server.password)
        assert dialog.form.host_key_row.isVisible() and dialog.form.host_key_edit.text() == ""
        with qtbot.waitSignal(dialog.host_key_asked, timeout=WAIT) as asked:
            click(qtbot, dialog.test_button)
        box: HostKeyDialog = asked.args[0]
        assert box.isVisible() and not box.changed and box.fingerprint == server.fingerprint
        assert box.key_label.text() == f"Key type: {server.key_type}\nFingerprint: {server.fingerprint}"
        assert "Compare this fingerprint with the one the controller's installer gives you." in box.explanation.text()
        assert box.trust_button.text() == "Trust this key" and box.cancel_button.isDefault()
        assert server.password_attempts == []  # the password is not sent to a server not trusted yet

        click(qtbot, box.cancel_button)  # not now: nothing is pinned
        assert "host_key" not in admin.repo.target("xa-sftp").config

        with qtbot.waitSignal(dialog.host_key_asked, timeout=WAIT) as asked:  # "Trust…" asks the server again
            click(qtbot, dialog.form.trust_button)
        with qtbot.waitSignal(dialog.tested, timeout=WAIT):  # trusted, then tested again by itself
            click(qtbot, asked.args[0].trust_button)
        assert admin.repo.target("xa-sftp").config["host_key"] == server.fingerprint
        assert dialog.result.text().startswith("The connection works: ")
        assert server.password_attempts == [server.user]
        qtbot.waitUntil(lambda: dialog.form.host_key_edit.text() == server.fingerprint, timeout=WAIT)


def test_changed_host_key_needs_the_installers_word(qtbot, admin: Studio, runner: TaskRunner,
                                                    tmp_path: Path) -> None:
    trusted = new_host_key()  # the key of the controller before it was reinstalled (or of the real one)
    with sftp_server(tmp_path / "sftp") as server:
        admin.repo.add_target(admin.station().id, "xa-sftp", "sftp", {
            "host": server.host, "port": server.port, "username": server.user, "folder": "/",
            "host_key": trusted.fingerprint}, actor=admin.actor)
        admin.credentials.set("xa-sftp", server.password)
        dialog = open_dialog(qtbot, admin, runner)
        assert dialog.select("xa-sftp") and dialog.form.host_key_edit.text() == trusted.fingerprint
        with qtbot.waitSignal(dialog.host_key_asked, timeout=WAIT) as asked:
            click(qtbot, dialog.test_button)
        box: HostKeyDialog = asked.args[0]
        assert box.changed and box.fingerprint == server.fingerprint
        assert box.windowTitle() == "The controller's key has changed"
        assert box.heading.text().startswith("Warning: ")
        assert trusted.fingerprint in box.pinned_label.text() and server.fingerprint in box.key_label.text()
        assert dialog.result.text().startswith(HOST_KEY_CHANGED.format(host=server.host, port=server.port,
                                                                       fingerprint=server.fingerprint))
        assert box.trust_button.text() == "Replace the trusted key"
        assert not box.trust_button.isEnabled() and box.confirm_check.isVisible()
        box.trust()  # not even by a stray call
        assert box.isVisible() and admin.repo.target("xa-sftp").config["host_key"] == trusted.fingerprint
        assert server.password_attempts == []

        qtbot.mouseClick(box.confirm_check, Qt.MouseButton.LeftButton,  # on its box
                         pos=QPoint(8, box.confirm_check.height() // 2))
        assert box.trust_button.isEnabled()
        with qtbot.waitSignal(dialog.tested, timeout=WAIT):
            click(qtbot, box.trust_button)
        assert admin.repo.target("xa-sftp").config["host_key"] == server.fingerprint
        assert admin.repo.audit_entries()[-1].details["config"]["host_key"] == server.fingerprint


def test_a_test_that_hangs_can_be_stopped(qtbot, admin: Studio, runner: TaskRunner) -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # connects, then never says a word
        admin.repo.add_target(admin.station().id, "xa-sftp", "sftp", {
            "host": "127.0.0.1", "port": silent.getsockname()[1], "username": "studio", "folder": "/"})
        admin.credentials.set("xa-sftp", "mat-khau")
        dialog = open_dialog(qtbot, admin, runner)
        assert dialog.select("xa-sftp")
        click(qtbot, dialog.test_button)
        assert dialog.result.text() == "Testing the connection…"
        assert dialog.stop_button.isVisible() and not dialog.test_button.isVisible()
        click(qtbot, dialog.stop_button)
        assert dialog.result.text() == "The test was stopped."
        assert dialog.test_button.isVisible() and not dialog.stop_button.isVisible()
    qtbot.waitUntil(lambda: not runner.busy, timeout=WAIT)  # the closed server cut the connection
    assert dialog.result.text() == "The test was stopped."  # its late failure is not shown


def test_controller_api_target_with_a_token(qtbot, admin: Studio, runner: TaskRunner, tmp_path: Path) -> None:
    with running_receiver(tmp_path / "controller") as receiver:
        dialog = open_dialog(qtbot, admin, runner)
        new_target(qtbot, dialog, "xa-api", "http", url=receiver.url, secret=receiver.token)
        form = dialog.form
        assert form.url_edit.isVisible() and not form.host_edit.isVisible() and not form.port_edit.isVisible()
        assert form.layout_.labelForField(form.secret_row).text() == "Token:"
        with qtbot.waitSignal(dialog.tested, timeout=WAIT) as tested:
            click(qtbot, dialog.test_button)
    assert receiver.url in tested.args[0]
    assert admin.repo.target("xa-api").config == {"url": receiver.url}
    assert admin.credentials.get("xa-api") == receiver.token


@pytest.mark.parametrize(("kind", "fields", "expected"), [
    ("sftp", {"host": "", "port": "22", "user": "studio"}, NEED_HOST.format(name="xa")),
    ("ftp", {"host": "127.0.0.1", "port": "hai-mot", "user": "studio"}, BAD_PORT.format(name="xa")),
    ("ftps", {"host": "127.0.0.1", "port": "70000", "user": "studio"}, BAD_PORT.format(name="xa")),
    ("http", {"url": "controller.local:8750"}, BAD_URL.format(name="xa")),
])
def test_invalid_settings_are_named_and_nothing_is_stored(qtbot, admin: Studio, runner: TaskRunner, kind: str,
                                                          fields: dict[str, str], expected: str) -> None:
    dialog = open_dialog(qtbot, admin, runner)
    audit = len(admin.repo.audit_entries())
    new_target(qtbot, dialog, "xa", kind, secret="mat-khau", **fields)
    for button in (dialog.save_button, dialog.test_button):
        click(qtbot, button)
        assert dialog.message.isVisible() and expected in dialog.message.text().splitlines()
        assert dialog.check_task is None and not dialog.saving
    assert [t.name for t in admin.repo.targets()] == ["outbox"]
    assert len(admin.repo.audit_entries()) == audit and admin.credentials.get("xa") is None

    type_into(qtbot, dialog.form.name_edit, "")
    click(qtbot, dialog.save_button)
    assert dialog.message.text().splitlines()[0] == "Type a name for the target."


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.OFFICER])
def test_others_see_the_targets_read_only(qtbot, studio: Studio, runner: TaskRunner, role: Role) -> None:
    studio.reviews.create_user(ADMIN, ADMIN_PW, Role.ADMIN)  # the first account is always an administrator
    studio.reviews.create_user("nguoi.xem", "xem-ban-tin-1", role, display_name="Lò Thị Mai")
    studio.login("nguoi.xem", "xem-ban-tin-1")
    dialog = open_dialog(qtbot, studio, runner)
    assert dialog.note.isVisible()
    assert dialog.note.text().startswith("Only an administrator can change the delivery targets.")
    assert dialog.form.target is not None and dialog.form.target.name == "outbox"
    assert not any(field.isEnabled() for field in (dialog.form.path_edit, dialog.form.browse_button,
                                                   dialog.form.enabled_check, dialog.form.kind_combo))
    assert not dialog.save_button.isVisible() and not dialog.new_button.isVisible()
    assert not dialog.remove_button.isVisible()
    with qtbot.waitSignal(dialog.tested, timeout=WAIT):  # testing changes nothing: anyone may
        click(qtbot, dialog.test_button)

    # The database decides, not the window: a change asked for anyway is refused and said in words.
    dialog.form.path_edit.setText("/tmp/elsewhere")
    with qtbot.waitSignal(dialog.problem, timeout=WAIT):
        dialog.save()
    assert dialog.message.text() == NOT_ALLOWED_ROLE.format(user="Lò Thị Mai", role=role.value,
                                                            action="change station rules")
    assert studio.repo.target("outbox").config["path"] != "/tmp/elsewhere"


def test_remove_asks_first_and_forgets_the_password(qtbot, admin: Studio, runner: TaskRunner) -> None:
    admin.repo.add_target(admin.station().id, "xa-ftp", "ftp", {"host": "192.0.2.7", "port": 21,
                                                                "username": "studio", "folder": "/"})
    admin.credentials.set("xa-ftp", "mat-khau")
    dialog = open_dialog(qtbot, admin, runner)
    assert dialog.select("xa-ftp") and dialog.form.secret_state.text() == "stored on this computer"
    answers, asked = [False, True], []
    dialog.confirm_remove = lambda name: asked.append(name) or answers.pop(0)  # type: ignore[method-assign]
    assert dialog.remove() is None and asked == ["xa-ftp"]
    assert "xa-ftp" in [t.name for t in admin.repo.targets()]

    with qtbot.waitSignal(dialog.removed, timeout=WAIT):
        click(qtbot, dialog.remove_button)
    assert [t.name for t in admin.repo.targets()] == ["outbox"] and admin.credentials.get("xa-ftp") is None
    assert dialog.status.text() == "“xa-ftp” was removed."
    qtbot.waitUntil(lambda: names(dialog) == ["outbox"], timeout=WAIT)
    assert admin.repo.audit_entries()[-1].action == "target.remove"


def test_texts_fit_when_translated(qtbot, qapp: QApplication, studio: Studio, runner: TaskRunner) -> None:
    studio.repo.add_target(studio.station().id, "xa-sftp", "sftp", {
        "host": "controller.hoabinh.example", "port": 22, "username": "studio", "folder": "/programmes",
        "host_key": "SHA256:" + "A" * 43})
    studio.reviews.create_user(ADMIN, ADMIN_PW, Role.ADMIN)
    studio.reviews.create_user("bien.tap", "loa-phuong-1", Role.OFFICER)
    studio.login("bien.tap", "loa-phuong-1")  # the longest form: the note for those who may not change it
    with pseudo_vietnamese(qapp, point_size=16):
        dialog = open_dialog(qtbot, studio, runner)
        assert dialog.select("xa-sftp") and dialog.form.host_key_row.isVisible()
        with qtbot.waitSignal(dialog.test_failed, timeout=WAIT):  # no password on this computer
            click(qtbot, dialog.test_button)
        assert dialog.note.isVisible() and dialog.result.isVisible()
        assert untranslated(dialog) == []
        assert clipped(dialog) == []
        assert dialog.height() < 760 and dialog.width() < 1366  # fits on the commune's 1366×768 screen

        box = HostKeyDialog(HostKeyChanged("controller.hoabinh.example", 22, "ssh-ed25519", "SHA256:" + "B" * 43,
                                           "SHA256:" + "A" * 43), dialog)
        qtbot.addWidget(box)
        box.show()
        qtbot.waitExposed(box)
        assert untranslated(box) == []
        assert clipped(box) == []
        assert box.height() < 760 and box.width() < 1366
