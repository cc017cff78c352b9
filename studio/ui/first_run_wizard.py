"""The first-run wizard: a new studio asks, page by page, what it needs to know about its station.

Language, the station (name, commune, province), when it broadcasts (usual times, days, session caps),
which voice reads Vietnamese and which minority languages the commune speaks, the administrator's
account, optionally the broadcast controller (with "Test connection"), and whether to start with a
sample bulletin. Each page checks its answers before moving on (the same checks the set-up runs, see
:mod:`studio.first_run`), so Finish never leaves half a station behind; the set-up itself runs in the
background. Choosing the other language on the first page reopens the wizard in that language.
"""

from __future__ import annotations

import logging
from datetime import time
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from studio.delivery.sftp import HostKeyChanged, UnknownHostKey
from studio.first_run import DEFAULT_SERIES, FirstRunSetup, TargetSetup, check_target, set_up
from studio.messages import StudioError
from studio.services import Studio
from studio.ui.target_form import HostKeyDialog, TargetForm
from studio.ui.tasks import Task, TaskRunner
from studio.workflow.rules import MAX_SESSION_MINUTES, MIN_SESSION_MINUTES

log = logging.getLogger(__name__)

LANGUAGE_CHANGED = 2  # exec() result: reopen the wizard in :attr:`FirstRunWizard.language`
LANGUAGES = (("vi", "Tiếng Việt"), ("en", "English"))
USUAL_TIMES = ((True, time(5, 30)), (False, time(11, 0)), (True, time(17, 0)))
ERROR_STYLE = "color: #8b1a1a;"
SUCCESS_STYLE = "color: #1b5e20;"


def _messages(problems: list[StudioError]) -> str:
    return "\n".join(problem.translated(QCoreApplication.translate) for problem in problems)


class _Page(QWizardPage):
    """A page with a line for what is wrong with its answers."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(title)
        self.setSubTitle(intro)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.hide()

    def wizard_(self) -> FirstRunWizard:
        wizard = self.wizard()
        assert isinstance(wizard, FirstRunWizard)
        return wizard

    def show_problems(self, problems: list[StudioError]) -> bool:
        """Show ``problems`` (True when there are none)."""
        self.problem.setText(_messages(problems))
        self.problem.setVisible(bool(problems))
        return not problems


class WelcomePage(_Page):
    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Welcome to Commune Radio Studio"), self.tr(
            "A few questions about your station, and the studio is ready. Everything can be changed later "
            "in the Station menu."), parent)
        self.language = QComboBox(self)
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        form = QFormLayout(self)
        form.addRow(self.tr("Language of the studio:"), self.language)


class StationPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Your station"), self.tr(
            "Its name goes into every programme file (as the artist), so players and the controller show it."),
            parent)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("e.g. Đài truyền thanh xã Tân Lập"))
        self.commune = QLineEdit(self)
        self.commune.setPlaceholderText(self.tr("e.g. Xã Tân Lập"))
        self.province = QLineEdit(self)
        self.province.setPlaceholderText(self.tr("e.g. Tỉnh Sơn La"))
        self.series = QLineEdit(self)
        self.series.setPlaceholderText(DEFAULT_SERIES)
        self.series.setToolTip(self.tr("The name of the programme series (the album in players)"))
        form = QFormLayout(self)
        form.addRow(self.tr("Station name:"), self.name)
        form.addRow(self.tr("Commune:"), self.commune)
        form.addRow(self.tr("Province:"), self.province)
        form.addRow(self.tr("Programme series:"), self.series)
        form.addRow(self.problem)

    def validatePage(self) -> bool:
        return self.show_problems(self.wizard_().answers().station_problems())


class BroadcastPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("When you broadcast"), self.tr(
            "The usual times and days: every new bulletin starts with them, and you change them per bulletin."),
            parent)
        times = QGridLayout()
        self.time_checks: list[QCheckBox] = []
        self.time_edits: list[QTimeEdit] = []
        for row, (on, at) in enumerate(USUAL_TIMES):
            check = QCheckBox(self.tr("Broadcast at"), self)
            check.setChecked(on)
            edit = QTimeEdit(QTime(at.hour, at.minute), self)
            edit.setDisplayFormat("HH:mm")
            check.toggled.connect(edit.setEnabled)
            edit.setEnabled(on)
            times.addWidget(check, row, 0)
            times.addWidget(edit, row, 1)
            self.time_checks.append(check)
            self.time_edits.append(edit)
        times.setColumnStretch(2, 1)
        days = QHBoxLayout()
        self.day_checks: list[QCheckBox] = []
        for day, name in enumerate((self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"), self.tr("Fri"),
                                    self.tr("Sat"), self.tr("Sun"))):
            check = QCheckBox(name, self)
            check.setChecked(day < 6)
            days.addWidget(check)
            self.day_checks.append(check)
        days.addStretch(1)
        self.minutes = QDoubleSpinBox(self)
        self.minutes.setRange(MIN_SESSION_MINUTES, MAX_SESSION_MINUTES)
        self.minutes.setDecimals(0)
        self.minutes.setValue(15)
        self.minutes.setSuffix(self.tr(" minutes"))
        self.per_day = QSpinBox(self)
        self.per_day.setRange(1, 24)
        self.per_day.setValue(2)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.tr("Usual times:"), times)
        form.addRow(self.tr("Days:"), days)
        form.addRow(self.tr("Longest session:"), self.minutes)
        form.addRow(self.tr("Sessions a day:"), self.per_day)
        form.addRow(self.problem)

    def times(self) -> tuple[time, ...]:
        return tuple(time(edit.time().hour(), edit.time().minute())
                     for check, edit in zip(self.time_checks, self.time_edits, strict=True) if check.isChecked())

    def weekdays(self) -> tuple[int, ...]:
        return tuple(day for day, check in enumerate(self.day_checks) if check.isChecked())

    def validatePage(self) -> bool:
        return self.show_problems(self.wizard_().answers().schedule_problems())


class LanguagesPage(_Page):
    def __init__(self, studio: Studio, language: str, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Languages of your commune"), self.tr(
            "Bulletins are read in Vietnamese and, under Decree 49/2024/NĐ-CP, in the languages of the ethnic "
            "minorities living in the commune."), parent)
        ordered = sorted(studio.presets.values(), key=lambda p: (p.order, p.name(language)))
        self.voice = QComboBox(self)
        for preset in ordered:
            if preset.synthesised and preset.language == "vie":
                self.voice.addItem(preset.name(language), preset.id)
        self.voice.setCurrentIndex(max(0, self.voice.findData("vi-north-offline")))
        self.voice.setToolTip(self.tr("Online voices sound most natural but need the internet; the offline voice "
                                      "always works. The studio falls back to the offline voice by itself."))
        self.area = QListWidget(self)
        self.area.setAccessibleName(self.tr("Minority languages spoken in the commune"))
        for preset in ordered:
            if preset.language != "vie":
                item = QListWidgetItem(preset.name(language))
                item.setData(Qt.ItemDataRole.UserRole, preset.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.area.addItem(item)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(self.tr("Voice for Vietnamese:"), self.voice)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Minority languages spoken in the commune (tick all that apply):"), self))
        layout.addWidget(self.area, 1)
        layout.addWidget(self.problem)

    def area_presets(self) -> tuple[str, ...]:
        return tuple(str(self.area.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.area.count())
                     if self.area.item(i).checkState() == Qt.CheckState.Checked)

    def tick(self, preset_id: str) -> None:
        for index in range(self.area.count()):
            if self.area.item(index).data(Qt.ItemDataRole.UserRole) == preset_id:
                self.area.item(index).setCheckState(Qt.CheckState.Checked)
                return
        raise KeyError(preset_id)

    def validatePage(self) -> bool:
        return self.show_problems(self.wizard_().answers().station_problems())


class AccountPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("The administrator"), self.tr(
            "The person who manages the studio: accounts for the officers and reviewers, the station's rules and "
            "the controller. Keep the password somewhere safe."), parent)
        self.display_name = QLineEdit(self)
        self.display_name.setPlaceholderText(self.tr("e.g. Nguyễn Văn An"))
        self.username = QLineEdit(self)
        self.username.setPlaceholderText(self.tr("e.g. quantri"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit(self)
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.addRow(self.tr("Full name:"), self.display_name)
        form.addRow(self.tr("User name:"), self.username)
        form.addRow(self.tr("Password:"), self.password)
        form.addRow(self.tr("Password again:"), self.again)
        form.addRow(self.problem)

    def validatePage(self) -> bool:
        return self.show_problems(self.wizard_().answers().account_problems())


class ControllerPage(_Page):
    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("The broadcast controller"), self.tr(
            "Where finished programmes go: the controller of the commune's IP loudspeakers (its folder, FTP or "
            "SFTP server, or web address). You can skip this and set it later in Station → Delivery targets."),
            parent)
        self.runner = runner
        self.check_task: Task | None = None
        self.host_key = ""  # the SFTP controller's key, once trusted here
        self.connect_box = QCheckBox(self.tr("Connect to the controller now"), self)
        self.form = TargetForm(self)
        self.form.name_edit.setText("controller")
        self.form.trust_requested.connect(self.test_connection)
        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.test_button.clicked.connect(self.test_connection)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.connect_box.toggled.connect(self._show)
        layout = QVBoxLayout(self)
        layout.addWidget(self.connect_box)
        layout.addWidget(self.form)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addWidget(self.result, 1)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self._show(False)

    def _show(self, on: bool) -> None:
        self.form.setVisible(on)
        self.test_button.setVisible(on)
        self.result.setVisible(on and bool(self.result.text()))

    def target(self) -> TargetSetup | None:
        if not self.connect_box.isChecked():
            return None
        config = self.form.config()
        if self.form.kind == "sftp" and self.host_key:
            config["host_key"] = self.host_key
        return TargetSetup(self.form.name or "controller", self.form.kind, config, self.form.secret)

    def test_connection(self) -> Task | None:
        """Connect with what was typed (nothing is stored yet) and say what the controller answered."""
        target = self.target()
        if target is None or self.check_task is not None:
            return None
        problems = validate(target)
        if problems:
            self._say(_messages(problems), ERROR_STYLE)
            return None
        self._say(self.tr("Testing the connection…"), "")
        task = self.runner.run("test controller", lambda _progress, cancel: check_target(target, cancel))
        self.check_task = task
        self.test_button.setEnabled(False)
        task.succeeded.connect(self._on_tested)
        task.failed.connect(self._on_test_failed)
        task.done.connect(self._test_done)
        return task

    def _test_done(self) -> None:
        self.check_task = None
        self.test_button.setEnabled(True)

    def _on_tested(self, description: str) -> None:
        self._say(self.tr("The connection works: {description}").format(description=description), SUCCESS_STYLE)

    def _on_test_failed(self, exc: StudioError) -> None:
        if isinstance(exc, UnknownHostKey | HostKeyChanged):
            dialog = HostKeyDialog(exc, self)
            if dialog.exec() and dialog.may_trust:
                self.host_key = dialog.fingerprint
                self.form.host_key_edit.setText(dialog.fingerprint)
                self._say(self.tr("Key trusted. Press Test connection again."), "")
                return
        self._say(exc.translated(QCoreApplication.translate), ERROR_STYLE)

    def _say(self, text: str, style: str) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(style)
        self.result.setVisible(bool(text))

    def validatePage(self) -> bool:
        return self.show_problems(self.wizard_().answers().target_problems())


def validate(target: TargetSetup) -> list[StudioError]:
    return FirstRunSetup("-", target=target).target_problems()


class FinishPage(_Page):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Ready"), self.tr("Press Finish to set up the studio."), parent)
        self.sample = QCheckBox(self.tr("Start with a sample bulletin to try things out"), self)
        self.sample.setChecked(True)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.sample)
        layout.addWidget(self.problem)
        layout.addStretch(1)

    def initializePage(self) -> None:
        answers = self.wizard_().answers()
        times = ", ".join(at.strftime("%H:%M") for at in answers.times)
        target = answers.target
        self.summary.setText(self.tr(
            "Station: {station}\nUsual times: {times}\nAdministrator: {user}\nController: {controller}").format(
            station=answers.station_name, times=times, user=answers.admin_username,
            controller=target.name if target is not None else self.tr("later")))


class FirstRunWizard(QWizard):
    """Asks for a new studio's set-up, then creates it; ``exec()`` returns Accepted once it exists (the
    administrator signed in), :data:`LANGUAGE_CHANGED` to be reopened in :attr:`language`, or Rejected."""

    set_up_done = Signal(object)  # the administrator's Actor

    def __init__(self, studio: Studio, runner: TaskRunner, language: str = "vi",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio, self.runner, self.language = studio, runner, language
        self.task: Task | None = None
        self.setWindowTitle(self.tr("Setting up Commune Radio Studio"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.welcome = WelcomePage(language, self)
        self.station = StationPage(self)
        self.broadcast = BroadcastPage(self)
        self.languages = LanguagesPage(studio, language, self)
        self.account = AccountPage(self)
        self.controller = ControllerPage(runner, self)
        self.finish = FinishPage(self)
        for page in (self.welcome, self.station, self.broadcast, self.languages, self.account, self.controller,
                     self.finish):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Next >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< Back"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Quit"))
        self.welcome.language.activated.connect(self._on_language)
        self.resize(720, 560)

    def _on_language(self, index: int) -> None:
        chosen = str(self.welcome.language.itemData(index))
        if chosen != self.language:
            self.language = chosen
            self.done(LANGUAGE_CHANGED)

    def answers(self) -> FirstRunSetup:
        """The set-up as the pages stand."""
        return FirstRunSetup(
            self.station.name.text(), self.station.commune.text(), self.station.province.text(),
            self.station.series.text(), str(self.languages.voice.currentData()), self.languages.area_presets(),
            self.broadcast.times(), self.broadcast.weekdays(), self.broadcast.minutes.value(),
            self.broadcast.per_day.value(), self.account.username.text(), self.account.password.text(),
            self.account.again.text(), self.account.display_name.text(), self.controller.target(),
            self.finish.sample.isChecked(), presets_known=frozenset(self.studio.presets))

    def accept(self) -> None:
        """Finish: set the studio up in the background; close once it exists."""
        if self.task is not None:
            return
        answers, studio = self.answers(), self.studio
        self.task = self.runner.call("first run", lambda: set_up(studio, answers), pool="db")
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        self.finish.problem.hide()
        self.task.succeeded.connect(self._on_set_up)
        self.task.failed.connect(self._on_failed)

    def _on_set_up(self, admin: Any) -> None:
        self.task = None
        log.info("studio set up for %s", self.studio.repo.first_station())
        self.set_up_done.emit(admin)
        super().accept()

    def _on_failed(self, exc: StudioError) -> None:
        self.task = None
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)
        self.finish.show_problems([exc])


def run_first_run(studio: Studio, runner: TaskRunner, language: str,
                  relanguage: Any = None) -> bool:
    """Show the wizard until the studio is set up (True) or the person quits (False). ``relanguage(code)``
    switches the application's language when they choose the other one on the first page."""
    while True:
        wizard = FirstRunWizard(studio, runner, language)
        try:
            result = wizard.exec()
            language = wizard.language
        finally:
            wizard.deleteLater()
        if result == LANGUAGE_CHANGED and relanguage is not None:
            relanguage(language)
            continue
        return result == QDialog.DialogCode.Accepted
