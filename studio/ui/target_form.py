"""The widgets of the Delivery targets window: one target's settings, and the host-key question.

:class:`TargetForm` shows only the fields of the chosen kind and turns them into the settings dict that
:func:`~studio.delivery.targets.validate_config` checks and the database stores; the password or token
is never among them (it goes to this computer's credential store) and is never read back into the form.
:class:`HostKeyDialog` puts a controller's SSH key in front of the administrator before it is trusted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.delivery.sftp import HostKeyChanged, UnknownHostKey
from studio.delivery.targets import DEFAULT_PORTS, KIND_LABELS, KINDS, NEEDS_SECRET
from studio.store.repo import TargetInfo
from studio.ui.login import ERROR_STYLE, fit_to_contents, password_edit

#: ``picker(parent, start) -> chosen path or ""``: the file dialogs, replaceable so tests never open one.
Picker = Callable[[QWidget, str], str]

SERVER_KINDS = ("sftp", "ftp", "ftps")


def pick_folder(parent: QWidget, start: str) -> str:
    title = QCoreApplication.translate("TargetForm", "Choose the delivery folder")
    return QFileDialog.getExistingDirectory(parent, title, start)


def pick_certificate(parent: QWidget, start: str) -> str:
    title = QCoreApplication.translate("TargetForm", "Choose the CA certificate")
    kinds = QCoreApplication.translate("TargetForm", "Certificates (*.pem *.crt *.cer);;All files (*)")
    path, _filter = QFileDialog.getOpenFileName(parent, title, start, kinds)
    return path


def fixed_font(widget: QWidget) -> QFont:
    """The system's fixed-width font at ``widget``'s size: a fingerprint is compared character by character."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(widget.font().pointSizeF())
    return font


def kind_label(kind: str) -> str:
    return QCoreApplication.translate("Targets", KIND_LABELS[kind])


def _with_button(parent: QWidget, field: QWidget, button: QPushButton) -> QWidget:
    row = QWidget(parent)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(field, 1)
    layout.addWidget(button)
    return row


class TargetForm(QWidget):
    """Name, kind and the fields of that kind for one target (a new one when none is shown).

    ``edited`` fires on every change the person makes; ``trust_requested`` when they ask to look at the
    SFTP controller's key. A stored target keeps its name and kind (the database renames nothing); its
    pinned key is kept while the server's address and port stay the same.
    """

    edited = Signal()
    trust_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, folder_picker: Picker = pick_folder,
                 file_picker: Picker = pick_certificate) -> None:
        super().__init__(parent)
        self.folder_picker = folder_picker
        self.file_picker = file_picker
        self.target: TargetInfo | None = None
        self.secret_stored = False
        self.editable = True
        self._loaded: tuple[object, ...] = ()

        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText(self.tr("for example: controller"))
        self.kind_combo = QComboBox(self)
        for kind in KINDS:
            self.kind_combo.addItem(kind_label(kind), kind)
        self.path_edit = QLineEdit(self)
        self.browse_button = QPushButton(self.tr("Browse…"), self)
        self.browse_button.clicked.connect(self.choose_folder)
        self.path_row = _with_button(self, self.path_edit, self.browse_button)
        self.url_edit = QLineEdit(self)
        self.url_edit.setPlaceholderText("https://controller.example:8750")
        self.host_edit = QLineEdit(self)
        self.host_edit.setPlaceholderText(self.tr("address or name of the controller"))
        self.port_edit = QLineEdit(self)
        self.port_edit.setMaxLength(5)
        self.port_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 10)
        self.user_edit = QLineEdit(self)
        self.secret_edit = password_edit(self)
        self.secret_state = QLabel(self)
        self.secret_row = QWidget(self)
        secret_layout = QVBoxLayout(self.secret_row)
        secret_layout.setContentsMargins(0, 0, 0, 0)
        secret_layout.setSpacing(2)
        secret_layout.addWidget(self.secret_edit)
        secret_layout.addWidget(self.secret_state)
        self.folder_edit = QLineEdit(self)
        self.folder_edit.setPlaceholderText("/")
        self.ca_edit = QLineEdit(self)
        self.ca_edit.setPlaceholderText(self.tr("none: the usual certificate authorities"))
        self.ca_button = QPushButton(self.tr("Browse…"), self)
        self.ca_button.clicked.connect(self.choose_certificate)
        self.ca_row = _with_button(self, self.ca_edit, self.ca_button)
        self.host_key_edit = QLineEdit(self)
        self.host_key_edit.setReadOnly(True)
        self.host_key_edit.setFont(fixed_font(self.host_key_edit))
        self.trust_button = QPushButton(self.tr("Trust…"), self)
        self.trust_button.setToolTip(self.tr("Ask the controller for its key and compare it with the one the "
                                             "controller's installer gives you."))
        self.trust_button.clicked.connect(self.trust_requested)
        self.host_key_row = _with_button(self, self.host_key_edit, self.trust_button)
        self.enabled_check = QCheckBox(self.tr("Send programmes to this target"), self)

        self.layout_ = QFormLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addRow(self.tr("Name:"), self.name_edit)
        self.layout_.addRow(self.tr("Kind:"), self.kind_combo)
        self.layout_.addRow(self.tr("Folder:"), self.path_row)
        self.layout_.addRow(self.tr("Address:"), self.url_edit)
        self.layout_.addRow(self.tr("Server:"), self.host_edit)
        self.layout_.addRow(self.tr("Port:"), self.port_edit)
        self.layout_.addRow(self.tr("User name:"), self.user_edit)
        self.layout_.addRow(self.tr("Password:"), self.secret_row)
        self.layout_.addRow(self.tr("Folder on the server:"), self.folder_edit)
        self.layout_.addRow(self.tr("CA certificate:"), self.ca_row)
        self.layout_.addRow(self.tr("Trusted key:"), self.host_key_row)
        self.layout_.addRow(self.enabled_check)

        self.fields: tuple[QWidget, ...] = (
            self.name_edit, self.kind_combo, self.path_edit, self.browse_button, self.url_edit, self.host_edit,
            self.port_edit, self.user_edit, self.secret_edit, self.folder_edit, self.ca_edit, self.ca_button,
            self.trust_button, self.enabled_check)
        for edit in (self.name_edit, self.path_edit, self.url_edit, self.host_edit, self.port_edit, self.user_edit,
                     self.secret_edit, self.folder_edit, self.ca_edit):
            edit.textEdited.connect(self.edited)
        self.enabled_check.toggled.connect(lambda _on: self.edited.emit())
        self.kind_combo.currentIndexChanged.connect(self._on_kind_chosen)
        self.show_target(None)

    # --- what is shown ---------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    @property
    def is_new(self) -> bool:
        return self.target is None

    @property
    def name(self) -> str:
        return self.name_edit.text().strip()

    def show_target(self, target: TargetInfo | None, secret_stored: bool = False) -> None:
        """Fill the form with a stored target (never its secret), or empty it for a new one."""
        self.target, self.secret_stored = target, secret_stored
        config: dict[str, Any] = dict(target.config) if target is not None else {}
        kind = target.kind if target is not None else "folder"
        self.name_edit.setText(target.name if target is not None else "")
        self.kind_combo.blockSignals(True)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
        self.kind_combo.blockSignals(False)
        self.path_edit.setText(str(config.get("path", "")))
        self.url_edit.setText(str(config.get("url", "")))
        self.host_edit.setText(str(config.get("host", "")))
        self.port_edit.setText(str(config.get("port", DEFAULT_PORTS.get(kind, ""))))
        self.user_edit.setText(str(config.get("username", "")))
        self.folder_edit.setText(str(config.get("folder", "")))
        self.ca_edit.setText(str(config.get("ca_file", "")))
        self.host_key_edit.setText(str(config.get("host_key", "")))
        self.host_key_edit.setCursorPosition(0)  # "SHA256:…" from its start
        self.secret_edit.clear()
        self.enabled_check.setChecked(target.enabled if target is not None else True)
        self._show_kind()
        self._loaded = self._snapshot()

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        self._update_enabled()

    def _update_enabled(self) -> None:
        for field in self.fields:
            field.setEnabled(self.editable)
        self.name_edit.setReadOnly(not self.is_new)  # stored targets keep their name and kind
        self.kind_combo.setEnabled(self.editable and self.is_new)

    def _on_kind_chosen(self) -> None:
        port = self.port_edit.text().strip()
        if port in ("", *(str(p) for p in DEFAULT_PORTS.values())):
            self.port_edit.setText(str(DEFAULT_PORTS.get(self.kind, "")))
        self._show_kind()
        self.edited.emit()

    def _show_kind(self) -> None:
        kind = self.kind
        server = kind in SERVER_KINDS
        rows: dict[QWidget, bool] = {
            self.path_row: kind == "folder", self.url_edit: kind == "http", self.host_edit: server,
            self.port_edit: server, self.user_edit: server, self.secret_row: kind in NEEDS_SECRET,
            self.folder_edit: server, self.ca_row: kind in ("ftps", "http"), self.host_key_row: kind == "sftp",
        }
        for widget, visible in rows.items():
            self.layout_.setRowVisible(widget, visible)
        secret_label = self.layout_.labelForField(self.secret_row)
        if isinstance(secret_label, QLabel):
            secret_label.setText(self.tr("Token:") if kind == "http" else self.tr("Password:"))
        self.host_key_edit.setPlaceholderText(self.tr("not trusted yet"))
        self._show_secret_state()
        self._update_enabled()

    def _show_secret_state(self) -> None:
        if self.secret_stored:
            self.secret_state.setText(self.tr("stored on this computer"))
            self.secret_edit.setPlaceholderText(self.tr("leave empty to keep it"))
        else:
            self.secret_state.setText(self.tr("not stored on this computer"))
            self.secret_edit.setPlaceholderText("")

    def secret_saved(self) -> None:
        """The typed secret is in the credential store now: forget it here."""
        self.secret_edit.clear()
        self.secret_stored = True
        self._show_secret_state()
        self._loaded = self._snapshot()

    # --- what was typed --------------------------------------------------------------------------
    @property
    def secret(self) -> str:
        """A newly typed password or token ("" when none was typed: the stored one stays)."""
        return self.secret_edit.text() if self.kind in NEEDS_SECRET else ""

    @property
    def enabled(self) -> bool:
        return self.enabled_check.isChecked()

    def port(self) -> int | str:
        """The port typed, as a number when it is one (validation names anything else)."""
        text = self.port_edit.text().strip()
        if not text:
            return DEFAULT_PORTS.get(self.kind, 0)
        try:
            return int(text)
        except ValueError:
            return text

    def config(self) -> dict[str, Any]:
        """The target's settings as they would be stored (never the secret)."""
        kind = self.kind
        if kind == "folder":
            return {"path": self.path_edit.text().strip()}
        config: dict[str, Any] = {}
        if kind == "http":
            config["url"] = self.url_edit.text().strip()
        else:
            config.update(host=self.host_edit.text().strip(), port=self.port(),
                          username=self.user_edit.text().strip(), folder=self.folder_edit.text().strip() or "/")
        if kind in ("ftps", "http") and self.ca_edit.text().strip():
            config["ca_file"] = self.ca_edit.text().strip()
        stored = self.target.config if self.target is not None else {}
        if (kind == "sftp" and stored.get("host_key") and stored.get("host") == config["host"]
                and stored.get("port", DEFAULT_PORTS["sftp"]) == config["port"]):
            config["host_key"] = stored["host_key"]  # another server must be trusted anew
        return config

    def _snapshot(self) -> tuple[object, ...]:
        return self.name, self.kind, self.config(), self.enabled

    def is_dirty(self) -> bool:
        """Something differs from what is stored (a new target always does)."""
        return self.is_new or bool(self.secret) or self._snapshot() != self._loaded

    # --- pickers ---------------------------------------------------------------------------------
    def choose_folder(self) -> None:
        chosen = self.folder_picker(self, self.path_edit.text())
        if chosen:
            self.path_edit.setText(chosen)
            self.edited.emit()

    def choose_certificate(self) -> None:
        chosen = self.file_picker(self, self.ca_edit.text())
        if chosen:
            self.ca_edit.setText(chosen)
            self.edited.emit()


class HostKeyDialog(QDialog):
    """Shows the key an SFTP controller presented and asks whether to trust it.

    A key never seen before (:class:`UnknownHostKey`) is trusted with one click after comparing it. A key
    that differs from the trusted one (:class:`HostKeyChanged`) may be an impostor: the dialog warns, and
    offers to replace the trusted key only once the administrator ticks that they checked with the
    controller's installer. The dialog is accepted only through that button.
    """

    def __init__(self, error: UnknownHostKey | HostKeyChanged, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = error
        self.changed = isinstance(error, HostKeyChanged)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)
        where = {"host": error.host, "port": error.port}
        if self.changed:
            self.setWindowTitle(self.tr("The controller's key has changed"))
            heading = self.tr("Warning: the controller {host} (port {port}) answered with a different key from "
                              "the one trusted until now.").format(**where)
            explanation = self.tr("This happens when the controller was reinstalled, or when another machine "
                                  "pretends to be it. Nothing was sent. Replace the trusted key only if the "
                                  "controller's installer confirms that it was reinstalled and reads out exactly "
                                  "this new fingerprint.")
        else:
            self.setWindowTitle(self.tr("Trust the controller's key?"))
            heading = self.tr("The studio does not know the controller {host} (port {port}) yet.").format(**where)
            explanation = self.tr("Compare this fingerprint with the one the controller's installer gives you. "
                                  "Trust the key only if every character is the same.")
        self.heading = QLabel(heading, self)
        self.heading.setWordWrap(True)
        bold = QFont(self.heading.font())
        bold.setBold(True)
        self.heading.setFont(bold)
        if self.changed:
            self.heading.setStyleSheet(ERROR_STYLE)
        self.explanation = QLabel(explanation, self)
        self.explanation.setWordWrap(True)
        self.key_label = QLabel(self.tr("Key type: {key_type}\nFingerprint: {fingerprint}")
                                .format(key_type=error.key_type, fingerprint=error.fingerprint), self)
        self.key_label.setFont(fixed_font(self.key_label))
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.pinned_label = QLabel(self)
        self.confirm_check = QCheckBox(self)
        if isinstance(error, HostKeyChanged):
            self.pinned_label.setText(self.tr("Trusted until now: {fingerprint}").format(fingerprint=error.pinned))
            self.pinned_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.pinned_label.setFont(fixed_font(self.pinned_label))
            self.confirm_check.setText(self.tr("I checked with the controller's installer"))
            self.confirm_check.toggled.connect(self._update_buttons)
        else:
            self.pinned_label.hide()
            self.confirm_check.hide()

        self.trust_button = QPushButton(self.tr("Replace the trusted key") if self.changed
                                        else self.tr("Trust this key"), self)
        self.trust_button.setAutoDefault(False)
        self.trust_button.clicked.connect(self.trust)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setDefault(True)  # the safe answer is the one Enter gives
        self.cancel_button.clicked.connect(self.reject)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.trust_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        for widget in (self.heading, self.explanation, self.key_label, self.pinned_label):
            layout.addWidget(widget)
        layout.addWidget(self.confirm_check)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self._update_buttons()
        fit_to_contents(self)

    @property
    def fingerprint(self) -> str:
        return self.error.fingerprint

    @property
    def may_trust(self) -> bool:
        return not self.changed or self.confirm_check.isChecked()

    def _update_buttons(self) -> None:
        self.trust_button.setEnabled(self.may_trust)

    def trust(self) -> None:
        if self.may_trust:
            self.accept()
