"""The bulletin library: the list on the left, its search box, and creating and deleting bulletins.

Every database call runs through the task runner's ``db`` pool (one thread, in order), so a slow
shared database never freezes the window; results come back as signals.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QDate,
    QDateTime,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTime,
    QTimer,
    QTimeZone,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from studio.bulletin import PRIORITIES, PRIORITY_LABELS, BulletinDraft
from studio.services import Studio
from studio.speech.presets import Preset
from studio.store.repo import BulletinSummary
from studio.store.templates import BUILT_IN, EMERGENCY, TemplateInfo
from studio.ui.tasks import Task, TaskRunner
from studio.workflow.states import STATE_NAMES, State

SEARCH_DELAY_MS = 250


def local_time_text(moment: datetime) -> str:
    """A stored UTC time as the officer's short local date and time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    qt_moment = QDateTime(QDate(moment.year, moment.month, moment.day),
                          QTime(moment.hour, moment.minute, moment.second), QTimeZone.utc())
    return QLocale().toString(qt_moment.toLocalTime(), QLocale.FormatType.ShortFormat)


SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 1


def language_name(preset: Preset) -> str:
    """The language of ``preset`` without its voice or script: "Tiếng Mông" for both Mông orthographies."""
    vietnamese = QLocale().language() == QLocale.Language.Vietnamese
    return re.split(r" – | \(", preset.name("vi" if vietnamese else "en"))[0].strip()


def state_text(state: str) -> str:
    """A review state in the UI language (an unknown one as it is stored)."""
    try:
        return QCoreApplication.translate("States", STATE_NAMES[State(state)])
    except ValueError:
        return state


class BulletinListModel(QAbstractListModel):
    """Bulletin summaries: the title, and a second line with priority, length and last change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[BulletinSummary] = []

    def set_rows(self, rows: list[BulletinSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def summary(self, row: int) -> BulletinSummary:
        return self._rows[row]

    def row_of(self, bulletin_id: int) -> int:
        for row, summary in enumerate(self._rows):
            if summary.id == bulletin_id:
                return row
        return -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        summary = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return summary.title or self.tr("(untitled)")
        if role == SUBTITLE_ROLE:
            return self.tr("{state} · {priority} · {count} segments · {changed}").format(
                state=state_text(summary.state),
                priority=QCoreApplication.translate("Bulletin", PRIORITY_LABELS[summary.priority]),
                count=summary.segment_count, changed=local_time_text(summary.updated_at))
        if role == Qt.ItemDataRole.ToolTipRole:
            return summary.title
        if role == Qt.ItemDataRole.ForegroundRole and summary.priority == "emergency":
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.UserRole:
            return summary.id
        return None


class BulletinDelegate(QStyledItemDelegate):
    """Paints a bulletin as two lines: the title in bold, the details smaller and quieter below."""

    PADDING = 6

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setBold(True)
        detail = QFont(option.font)
        detail.setPointSizeF(max(6.0, option.font.pointSizeF() * 0.9))
        return title, detail

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        title, detail = self._fonts(option)
        height = QFontMetrics(title).height() + QFontMetrics(detail).height() + 2 * self.PADDING + 2
        return QSize(200, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        title_font, detail_font = self._fonts(opt)
        rect = opt.rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        title_color = (opt.palette.color(QPalette.ColorRole.HighlightedText) if selected
                       else foreground.color() if isinstance(foreground, QBrush)
                       else opt.palette.color(QPalette.ColorRole.Text))
        detail_color = (opt.palette.color(QPalette.ColorRole.HighlightedText) if selected
                        else opt.palette.color(QPalette.ColorRole.PlaceholderText))
        painter.save()
        title_metrics = QFontMetrics(title_font)
        painter.setFont(title_font)
        painter.setPen(title_color)
        painter.drawText(rect.x(), rect.y() + title_metrics.ascent(),
                         title_metrics.elidedText(str(index.data()), Qt.TextElideMode.ElideRight, rect.width()))
        detail_metrics = QFontMetrics(detail_font)
        painter.setFont(detail_font)
        painter.setPen(detail_color)
        painter.drawText(rect.x(), rect.y() + title_metrics.height() + 2 + detail_metrics.ascent(),
                         detail_metrics.elidedText(str(index.data(SUBTITLE_ROLE)), Qt.TextElideMode.ElideRight,
                                                   rect.width()))
        painter.restore()


class LibraryPanel(QWidget):
    """Search, pick, create and delete bulletins. Emits ``bulletin_selected`` with the chosen id."""

    bulletin_selected = Signal(int)
    loaded = Signal()  # the list now shows the result of the latest search
    deleted = Signal(int)
    problem = Signal(object)  # StudioError from a database call
    save_template_requested = Signal()  # "Save this bulletin as a template…" (the window has the bulletin)

    def __init__(self, studio: Studio, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self._generation = 0
        self._wanted_id: int | None = None
        #: The bulletin the officer chose last; kept while a search hides it from the list.
        self.current_id: int | None = None

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search titles and text…"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._search_timer.start)
        self.state_filter = QComboBox(self)
        self.state_filter.setAccessibleName(self.tr("Show"))
        self.state_filter.addItem(self.tr("All bulletins"), "")
        for state in (State.SUBMITTED, State.CHANGES_REQUESTED, State.DRAFT, State.APPROVED, State.RENDERED,
                      State.DELIVERED, State.WITHDRAWN):
            self.state_filter.addItem(state_text(state.value), state.value)
        self.state_filter.currentIndexChanged.connect(lambda _index: self.refresh())
        self.priority_filter = QComboBox(self)
        self.priority_filter.setAccessibleName(self.tr("Priority"))
        self.priority_filter.addItem(self.tr("Any priority"), "")
        for priority in PRIORITIES:
            self.priority_filter.addItem(QCoreApplication.translate("Bulletin", PRIORITY_LABELS[priority]), priority)
        self.language_filter = QComboBox(self)
        self.language_filter.setAccessibleName(self.tr("Language"))
        self.language_filter.addItem(self.tr("Any language"), "")
        languages: dict[str, list[str]] = {}
        for preset in sorted(studio.presets.values(), key=lambda p: p.order):
            languages.setdefault(preset.language, []).append(preset.id)
        for preset_ids in languages.values():
            self.language_filter.addItem(language_name(studio.presets[preset_ids[0]]), preset_ids)
        self.period_filter = QComboBox(self)
        self.period_filter.setAccessibleName(self.tr("Changed"))
        for label, days in ((self.tr("Any time"), 0), (self.tr("Changed today"), 1),
                            (self.tr("In the last 7 days"), 7), (self.tr("In the last 30 days"), 30)):
            self.period_filter.addItem(label, days)
        for combo in (self.priority_filter, self.language_filter, self.period_filter):
            combo.currentIndexChanged.connect(lambda _index: self.refresh())
        for combo in (self.state_filter, self.priority_filter, self.language_filter, self.period_filter):
            # Narrow enough for the library pane at a large font: the list opens as wide as its texts.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)

        self.model = BulletinListModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(BulletinDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(True)
        self.view.setAccessibleName(self.tr("Bulletins"))
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)

        self.new_button = QPushButton(self.tr("New bulletin"), self)
        self.new_button.setToolTip(self.tr("Start a new bulletin in the standard running order (Ctrl+N)"))
        self.new_button.clicked.connect(lambda: self.create_bulletin())
        self.templates: list[TemplateInfo] = list(BUILT_IN)
        self.template_menu = QMenu(self)
        self.template_menu.aboutToShow.connect(self._fill_template_menu)
        self.template_button = QToolButton(self)
        self.template_button.setText(self.tr("From template"))
        self.template_button.setToolTip(self.tr("Start a new bulletin from one of the station's templates"))
        self.template_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.template_button.setMenu(self.template_menu)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.setToolTip(self.tr("Delete the selected bulletin"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.delete_button.setEnabled(False)

        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.template_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        filters = QGridLayout()
        filters.addWidget(self.state_filter, 0, 0)
        filters.addWidget(self.priority_filter, 0, 1)
        filters.addWidget(self.language_filter, 1, 0)
        filters.addWidget(self.period_filter, 1, 1)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    # --- listing -----------------------------------------------------------------------------
    def refresh(self, select_id: int | None = None) -> Task:
        """Reload the list for the current search; keep (or move to) ``select_id``'s row."""
        self._search_timer.stop()
        self._generation += 1
        generation = self._generation
        if select_id is not None:
            self._wanted_id = select_id
        search = self.search.text()
        state = self.state_filter.currentData() or None
        priority = self.priority_filter.currentData() or None
        presets = self.language_filter.currentData() or None
        days = int(self.period_filter.currentData() or 0)
        since = None
        if days:  # from the start of the day (days - 1) ago, the PC's own day
            start = QDateTime(QDate.currentDate().addDays(1 - days), QTime(0, 0))
            since = datetime.fromtimestamp(start.toSecsSinceEpoch(), UTC)
        repo = self.studio.repo
        task = self.runner.call("list bulletins", lambda: repo.list_bulletins(
            search, state, priority=priority, presets=presets, updated_since=since), pool="db")
        task.succeeded.connect(lambda rows: self._on_rows(generation, rows))
        task.failed.connect(self.problem)
        return task

    def _on_rows(self, generation: int, rows: list[BulletinSummary]) -> None:
        if generation != self._generation:
            return  # an older search finished after a newer one started
        wanted, self._wanted_id = self._wanted_id, None
        wanted = wanted if wanted is not None else self.current_id
        blocker = self.view.selectionModel().blockSignals(True)
        self.model.set_rows(rows)
        self.view.selectionModel().blockSignals(blocker)
        row = self.model.row_of(wanted) if wanted is not None else -1
        if row < 0 and wanted is None and rows:
            row = 0  # first start: open the newest bulletin
        if row >= 0:
            self._select_row(row, announce=self.model.summary(row).id != self.current_id)
        self.delete_button.setEnabled(self.selected_id() is not None)
        self.loaded.emit()

    def _select_row(self, row: int, *, announce: bool) -> None:
        selection = self.view.selectionModel()
        if not announce:
            selection.blockSignals(True)
        selection.setCurrentIndex(self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        selection.blockSignals(False)
        self.current_id = self.model.summary(row).id
        self.view.scrollTo(self.model.index(row, 0))

    def show_state(self, state: str) -> None:
        """Filter the list to one review state ("" for all): a reviewer starts on "Waiting for approval"."""
        index = self.state_filter.findData(state)
        if index >= 0:
            self.state_filter.setCurrentIndex(index)

    def selected_id(self) -> int | None:
        index = self.view.selectionModel().currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.summary(index.row()).id

    def select(self, bulletin_id: int) -> None:
        """Show ``bulletin_id`` as the current bulletin (refreshing the list if it is not in it)."""
        row = self.model.row_of(bulletin_id)
        if row >= 0:
            self._select_row(row, announce=True)
        else:
            self.refresh(select_id=bulletin_id)

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.delete_button.setEnabled(current.isValid())
        if current.isValid():
            self.current_id = self.model.summary(current.row()).id
            self.bulletin_selected.emit(self.current_id)

    # --- creating and deleting ---------------------------------------------------------------
    def create_bulletin(self, template: TemplateInfo | None = None) -> Task:
        """Save a new bulletin in ``template``'s shape (the standard running order by default) and open it."""
        template = template or BUILT_IN[0]
        title: str | None = None
        if template.built_in and template.name != EMERGENCY:  # the station's own templates keep their titles
            title = self.tr("New bulletin {date}").format(
                date=QLocale().toString(QDate.currentDate(), QLocale.FormatType.ShortFormat))
        studio = self.studio
        task = self.runner.call("new bulletin", lambda: studio.new_bulletin_from_template(template, title),
                                pool="db")
        task.succeeded.connect(self._on_created)
        task.failed.connect(self.problem)
        return task

    def template_name(self, template: TemplateInfo) -> str:
        return QCoreApplication.translate("Templates", template.name) if template.built_in else template.name

    def reload_templates(self) -> Task:
        """Fetch the station's templates for the menu (in the background: the menu opens at once)."""
        studio = self.studio
        task = self.runner.call("templates", lambda: studio.templates.templates(studio.ensure_station().id),
                                pool="db")
        task.succeeded.connect(self._on_templates)
        task.failed.connect(self.problem)
        return task

    def _on_templates(self, templates: list[TemplateInfo]) -> None:
        self.templates = templates

    def _fill_template_menu(self) -> None:
        menu = self.template_menu
        menu.clear()
        for template in self.templates:
            action = menu.addAction(self.template_name(template))
            action.triggered.connect(lambda _checked=False, t=template: self.create_bulletin(t))
        menu.addSeparator()
        save = menu.addAction(self.tr("Save this bulletin as a template…"))
        save.setEnabled(self.current_id is not None)
        save.triggered.connect(self.save_template_requested)
        own = [t for t in self.templates if not t.built_in]
        if own:
            delete_menu = menu.addMenu(self.tr("Delete a template"))
            for template in own:
                action = delete_menu.addAction(template.name)
                action.triggered.connect(lambda _checked=False, t=template: self.delete_template(t))

    def delete_template(self, template: TemplateInfo) -> Task:
        studio = self.studio
        task = self.runner.call("delete template", lambda: studio.templates.delete(template, actor=studio.actor),
                                pool="db")
        task.succeeded.connect(lambda _none: self.reload_templates())
        task.failed.connect(self.problem)
        return task

    def _on_created(self, draft: BulletinDraft) -> None:
        if self.search.text():
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
        self.refresh(select_id=draft.id)

    def confirm_delete(self, title: str) -> bool:
        """Ask before deleting; a separate method so tests can answer for the officer."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Delete bulletin"),
                          self.tr("Delete “{title}”? Its text and renders are removed from the library.")
                          .format(title=title), QMessageBox.StandardButton.NoButton, self)
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Keep it"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is delete

    def delete_selected(self) -> Task | None:
        index = self.view.selectionModel().currentIndex()
        if not index.isValid():
            return None
        summary = self.model.summary(index.row())
        if not self.confirm_delete(summary.title):
            return None
        studio = self.studio
        task = self.runner.call("delete bulletin", lambda: studio.delete_bulletin(summary.id), pool="db")
        task.succeeded.connect(lambda _none: self._on_deleted(summary.id, index.row()))
        task.failed.connect(self.problem)
        return task

    def _on_deleted(self, bulletin_id: int, row: int) -> None:
        self.deleted.emit(bulletin_id)
        neighbour = None
        if self.model.rowCount() > 1:
            other = row + 1 if row + 1 < self.model.rowCount() else row - 1
            neighbour = self.model.summary(other).id
        self.current_id = None
        self.view.selectionModel().clearCurrentIndex()
        self.refresh(select_id=neighbour)
