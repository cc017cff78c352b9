"""The review strip above the open bulletin: its state, why it is there, what the person logged in may do
next (submit, approve, send back, withdraw, reopen), and the reviewers' comments.

The panel only asks: :class:`~studio.services.Studio` (and under it :mod:`studio.workflow`) decides, so a
button that should not have been offered still cannot do anything wrong. Every call runs on the task
runner's database thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio.bulletin import BulletinDraft
from studio.messages import StudioError
from studio.services import Studio
from studio.store.review import CommentInfo, ReviewStatus
from studio.ui.library import local_time_text, state_text
from studio.ui.revision_diff import RevisionDiffDialog
from studio.ui.tasks import TaskRunner
from studio.workflow.accounts import Actor
from studio.workflow.states import PERMISSIONS, REASON_CHANGES, REASON_EDITED, TRANSITIONS, Action, State

STATE_COLOURS = {
    State.DRAFT: "#5f6368",
    State.SUBMITTED: "#b06000",
    State.CHANGES_REQUESTED: "#b00020",
    State.APPROVED: "#137333",
    State.RENDERED: "#137333",
    State.DELIVERED: "#1a73e8",
    State.WITHDRAWN: "#5f6368",
}


@dataclass(frozen=True)
class ReviewView:
    """Everything the panel shows, loaded together off the GUI thread."""

    status: ReviewStatus
    comments: list[CommentInfo]
    approval_current: bool
    actor: Actor | None  # who is acting (None: accounts exist and nobody is logged in)


class ReviewPanel(QFrame):
    """State badge, reason, review buttons and comments of the open bulletin."""

    #: Ask the window to save the editor's text, then run the action (submit needs the saved version).
    action_requested = Signal(object, str)  # Action, comment
    changed = Signal(object)  # ReviewStatus after an action
    problem = Signal(object)  # StudioError

    def __init__(self, studio: Studio, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.studio = studio
        self.runner = runner
        self.bulletin_id: int | None = None
        self.view: ReviewView | None = None
        self.segment_count = 0
        self.setFrameShape(QFrame.Shape.StyledPanel)

        self.badge = QLabel(self)
        self.badge.setObjectName("reviewBadge")
        self.reason = QLabel(self)
        self.reason.setWordWrap(True)
        self.buttons: dict[Action, QPushButton] = {}
        labels = {
            Action.SUBMIT: self.tr("Submit for approval"),
            Action.APPROVE: self.tr("Approve"),
            Action.REQUEST_CHANGES: self.tr("Request changes…"),
            Action.WITHDRAW: self.tr("Withdraw"),
            Action.REOPEN: self.tr("Reopen"),
        }
        self.compare_button = QPushButton(self.tr("Compare versions…"), self)
        self.compare_button.setToolTip(self.tr("Every save keeps a version: see what changed between any two"))
        self.compare_button.clicked.connect(self.open_comparison)
        self.diff_dialog: RevisionDiffDialog | None = None
        self.language = "en"
        top = QHBoxLayout()
        top.addWidget(self.badge)
        top.addWidget(self.reason, 1)
        top.addWidget(self.compare_button)
        # The buttons keep their whole text (a large font, a long translation); the reason beside them wraps.
        self.compare_button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        for action, label in labels.items():
            button = QPushButton(label, self)
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _checked=False, a=action: self._ask(a))
            button.setVisible(False)
            self.buttons[action] = button
            top.addWidget(button)

        self.comments = QListWidget(self)
        self.comments.setAccessibleName(self.tr("Comments"))
        self.comments.setMaximumHeight(110)
        self.comments.setWordWrap(True)
        self.comment_target = QComboBox(self)
        self.comment_target.setAccessibleName(self.tr("Comment on"))
        self.comment_text = QLineEdit(self)
        self.comment_text.setPlaceholderText(self.tr("Write a comment…"))
        self.comment_text.setMaxLength(20_000)
        self.comment_text.returnPressed.connect(self._add_comment)
        self.comment_button = QPushButton(self.tr("Comment"), self)
        self.comment_button.clicked.connect(self._add_comment)
        bottom = QHBoxLayout()
        bottom.addWidget(self.comment_target)
        bottom.addWidget(self.comment_text, 1)
        bottom.addWidget(self.comment_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.comments)
        layout.addLayout(bottom)
        self.setVisible(False)

    # --- loading ---------------------------------------------------------------------------------
    def show_bulletin(self, bulletin_id: int | None, segment_count: int = 0) -> None:
        self.bulletin_id = bulletin_id
        self.segment_count = segment_count
        self.setVisible(bulletin_id is not None)
        self._fill_targets()
        if bulletin_id is not None:
            self.refresh()

    def refresh(self) -> None:
        bulletin_id = self.bulletin_id
        if bulletin_id is None:
            return
        studio = self.studio

        def load() -> ReviewView:
            status = studio.reviews.status(bulletin_id)
            current = status.approved_hash is not None and studio.approval_is_current(bulletin_id)
            try:
                actor: Actor | None = studio.actor
            except StudioError:
                actor = None
            return ReviewView(status, studio.reviews.comments(bulletin_id), current, actor)

        task = self.runner.call("review status", load, pool="db")
        task.succeeded.connect(lambda view, wanted=bulletin_id: self._show(view) if wanted == self.bulletin_id
                               else None)
        task.failed.connect(self.problem)

    def _fill_targets(self) -> None:
        self.comment_target.clear()
        self.comment_target.addItem(self.tr("Whole bulletin"), None)
        for position in range(self.segment_count):
            self.comment_target.addItem(self.tr("Segment {number}").format(number=position + 1), position)

    def _show(self, view: ReviewView) -> None:
        self.view = view
        status = view.status
        self.badge.setText(state_text(status.state.value))
        self.badge.setStyleSheet(f"QLabel {{ color: white; background: {STATE_COLOURS[status.state]}; "
                                 "border-radius: 4px; padding: 2px 8px; font-weight: bold; }")
        self.reason.setText(self._reason(view))
        actor = view.actor
        allowed = PERMISSIONS[actor.role] if actor is not None else frozenset()
        for action, button in self.buttons.items():
            possible = (status.state, action) in TRANSITIONS and action in allowed
            if action is Action.APPROVE and actor is not None and actor.is_system:
                possible = False  # nobody is logged in: the studio itself never approves
            if action is Action.APPROVE and status.state is not State.SUBMITTED and view.approval_current:
                possible = False  # approving again only when a setting changed since the approval
            button.setVisible(possible)
        self.comment_button.setEnabled(Action.COMMENT in allowed)
        self.comments.clear()
        for comment in view.comments:
            where = (self.tr("Segment {number}").format(number=comment.segment_position + 1)
                     if comment.segment_position is not None else self.tr("Whole bulletin"))
            item = QListWidgetItem(f"{comment.author} · {local_time_text(comment.at)} · {where}\n{comment.text}")
            self.comments.addItem(item)
        self.comments.setVisible(bool(view.comments))

    def _reason(self, view: ReviewView) -> str:
        status, note = view.status, view.status.note
        if note.get("reason") == "edited":
            return QCoreApplication.translate("States", REASON_EDITED).format(user=note.get("user", ""))
        if note.get("reason") == "changes":
            return QCoreApplication.translate("States", REASON_CHANGES).format(user=note.get("user", ""))
        if status.approved_hash is not None and not view.approval_current:
            return self.tr("Approved by {user}, but a voice preset, jingle or output setting changed since: "
                           "approve it again before it can be delivered.").format(user=status.approved_by)
        if status.approved_hash is not None:
            return self.tr("Approved by {user} on {time}.").format(
                user=status.approved_by, time=local_time_text(status.approved_at) if status.approved_at else "")
        if status.state is State.SUBMITTED:
            return self.tr("Waiting for a reviewer.")
        return ""

    def open_comparison(self) -> RevisionDiffDialog | None:
        """The side-by-side comparison of two saved versions (the latest two to start with)."""
        if self.bulletin_id is None:
            return None
        if self.diff_dialog is not None:
            self.diff_dialog.close()
        presets = self.studio.presets
        vietnamese = self.language == "vi"

        def preset_name(preset_id: str) -> str:
            preset = presets.get(preset_id)
            return (preset.name_vi if vietnamese else preset.name_en) if preset is not None else preset_id

        self.diff_dialog = RevisionDiffDialog(self.bulletin_id, self.studio.repo.revisions,
                                              self.studio.repo.revision_snapshot, self.runner, self,
                                              preset_name=preset_name)
        self.diff_dialog.show()
        return self.diff_dialog

    # --- acting ----------------------------------------------------------------------------------
    def _ask(self, action: Action) -> None:
        comment = ""
        if action is Action.REQUEST_CHANGES:
            text, ok = QInputDialog.getMultiLineText(self, self.tr("Request changes"),
                                                     self.tr("What should the officer change?"))
            if not ok or not text.strip():
                return
            comment = text
        self.action_requested.emit(action, comment)

    def act(self, action: Action, comment: str, saved: BulletinDraft) -> None:
        """Run ``action`` on the bulletin as ``saved`` (the window saves first), in the state shown — or, when
        that save changed the content (which returns it to draft), in the state the save left. Someone else's
        decision meanwhile (another PC) makes it fail with a clear message: two decisions never both land."""
        bulletin_id = self.bulletin_id
        if bulletin_id is None:
            return
        version = saved.version
        seen: State | None = State(saved.state)
        if self.view is not None and self.view.status.version == version:
            seen = self.view.status.state
        studio = self.studio
        task = self.runner.call("review", lambda: studio.review(bulletin_id, action, version=version,
                                                                seen_state=seen, comment=comment), pool="db")
        task.succeeded.connect(self._on_acted)
        task.failed.connect(self.problem)
        task.failed.connect(lambda _exc: self.refresh())

    def _on_acted(self, status: ReviewStatus) -> None:
        self.changed.emit(status)
        self.refresh()

    def _add_comment(self) -> None:
        text = self.comment_text.text().strip()
        bulletin_id = self.bulletin_id
        if not text or bulletin_id is None:
            return
        position = self.comment_target.currentData()
        studio = self.studio
        task = self.runner.call("comment", lambda: studio.reviews.add_comment(
            bulletin_id, text, actor=studio.actor, segment_position=position), pool="db")
        task.succeeded.connect(lambda _info: (self.comment_text.clear(), self.refresh()))
        task.failed.connect(self.problem)
