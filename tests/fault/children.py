"""What the processes that the fault tests kill run: the studio's real code doing an officer's work without end.

Each child writes what it has done to a JSON-lines log, one ``os.write`` per line (a SIGKILL cannot lose a
line the kernel has), and ``fsync``\\s the lines that report something the studio committed: the test
holds the studio to exactly those after the kill. The children are forked by :mod:`tests.fault.harness`
from a process that has already imported the studio, so a round costs the work, not Python's start.
"""

from __future__ import annotations

import faulthandler
import json
import os
import random
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

SENTENCES = (
    "Kính thưa bà con, sáng mai Trạm Y tế xã tổ chức tiêm phòng cho trẻ em.",
    "Đề nghị các hộ gia đình khơi thông cống rãnh trước mùa mưa bão.",
    "Hội Nông dân xã mở lớp tập huấn trồng lúa tiết kiệm nước vào thứ Bảy.",
    "Bà con chú ý giữ gìn vệ sinh nguồn nước sinh hoạt.",
    "Xã tổ chức ngày hội đại đoàn kết toàn dân tộc tại nhà văn hóa thôn.",
)
WORDS = ("bà con", "thôn", "xã", "lúa", "mưa", "đường", "trường học", "tiêm phòng", "ngày mai", "họp",
         "khẩn", "nước", "điện", "Đoàn", "HTX", "7h30", "25/11", "1.500.000 đồng", "ƀuôn", "ꪒꪾꪙ")


class Log:
    """Append-only JSON lines; ``durable`` lines are fsync'd before the child goes on."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def __call__(self, kind: str, *, durable: bool = False, **data: Any) -> None:
        os.write(self.fd, (json.dumps({"kind": kind, **data}, ensure_ascii=False) + "\n").encode("utf-8"))
        if durable:
            os.fsync(self.fd)


def run(job: str, stderr: str, *args: Any) -> None:
    """The forked child's entry point: ``job`` with its output in ``stderr`` (the test shows it on failure)."""
    fd = os.open(stderr, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    faulthandler.enable()  # a crash of the child's own (not the test's SIGKILL) shows where it was
    os.environ.pop("STUDIO_DATABASE_URL", None)  # the library in ``home``, whatever the session points at
    JOBS[job](*args)


def edit(home: str, log_path: str, seed: int, bulletin_ids: list[int]) -> None:
    """Edit bulletins in the real editor and save them through the window's SaveController (autosave after a
    pause, the typing journal in between, Ctrl+S now and then, saving before opening another bulletin)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    from studio.paths import StudioPaths
    from studio.services import Studio
    from studio.ui.editor import EditorPanel
    from studio.ui.saving import SaveController
    from studio.ui.tasks import TaskRunner

    rng = random.Random(seed)
    note = Log(log_path)
    app = QApplication([])
    studio = Studio.open(StudioPaths.under(Path(home)))
    runner = TaskRunner()
    editor = EditorPanel(studio, runner, "en")
    saver = SaveController(studio, runner, editor, delay_ms=rng.choice([50, 120, 200]))
    saver.journal_timer.setInterval(rng.choice([20, 60]))  # the window waits a second; the moments are the same
    saver.saved.connect(lambda stored: note("committed", durable=True, id=stored.id, version=stored.version,
                                            content=stored.content()))
    saver.problem.connect(lambda exc: note("problem", durable=True, text=str(exc)))
    saver.conflict.connect(lambda exc: note("problem", durable=True, text=f"conflict: {exc}"))
    switching = [False]

    def show(bulletin_id: int) -> None:
        editor.set_draft(studio.repo.load(bulletin_id))
        saver.reset()
        switching[0] = False
        note("opened", id=bulletin_id)

    def state() -> None:
        draft = editor.current_draft()
        assert draft is not None
        note("state", id=draft.id, content=draft.content())

    def type_text() -> None:
        card = rng.choice(editor.cards)
        cursor = card.text.textCursor()
        length = len(card.text.toPlainText())
        cursor.setPosition(rng.randint(0, length) if rng.random() < 0.3 else length)
        card.text.setTextCursor(cursor)
        for word in rng.choices(WORDS, k=rng.randint(1, 4)):
            card.text.insertPlainText(word + " ")

    def delete_text() -> None:
        card = rng.choice(editor.cards)
        length = len(card.text.toPlainText())
        if length:
            cursor = card.text.textCursor()
            start = rng.randrange(length)
            cursor.setPosition(start)
            cursor.setPosition(min(length, start + rng.randint(1, 12)), QTextCursor.MoveMode.KeepAnchor)
            cursor.removeSelectedText()

    def step() -> None:
        if switching[0]:
            QTimer.singleShot(10, step)
            return
        roll = rng.random()
        if roll < 0.55:
            type_text()
        elif roll < 0.65:
            delete_text()
        elif roll < 0.70:
            editor.title.setText(f"{rng.choice(SENTENCES)[:30]} {rng.randint(1, 99)}")
        elif roll < 0.73:
            editor.priority.setCurrentIndex(rng.randrange(editor.priority.count()))
        elif roll < 0.77:
            editor.set_gap(rng.randint(1, len(editor.cards)), rng.choice([0.0, 0.5, 1.25]))
        elif roll < 0.81 and len(editor.cards) < 9:
            editor.add_segment()
            type_text()
        elif roll < 0.84 and len(editor.cards) > 1:
            editor.remove_segment(rng.choice(editor.cards))
        elif roll < 0.88 and len(editor.cards) > 1:
            editor.move_segment(rng.choice(editor.cards), rng.choice([-1, 1]))
        elif roll < 0.94:
            saver.save_now()  # Ctrl+S
        else:  # open another bulletin: what is on screen is saved first, as the window does
            other = rng.choice([b for b in bulletin_ids if b != editor.bulletin_id] or bulletin_ids)
            switching[0] = True
            if editor.is_dirty() or saver.busy:
                saver.save_now(on_saved=lambda _stored: show(other))
            else:
                show(other)
            QTimer.singleShot(10, step)
            return
        state()
        QTimer.singleShot(rng.choice([1, 3, 8, 15, 30, 60, 250]), step)  # typing, and pauses the autosave sees

    show(rng.choice(bulletin_ids))
    note("ready", durable=True)
    QTimer.singleShot(0, step)
    app.exec()


def render(home: str, log_path: str, seed: int, bulletin_id: int, out: str) -> None:
    """Render the bulletin again and again as ``studio render BULLETIN -o OUT`` does (into the library, then a
    copy to OUT), editing its text first most times so that the speech is synthesised anew."""
    from studio.paths import StudioPaths
    from studio.services import Studio

    rng = random.Random(seed)
    note = Log(log_path)
    studio = Studio.open(StudioPaths.under(Path(home)))
    note("ready", durable=True)
    number = 0
    while True:
        number += 1
        draft = studio.repo.load(bulletin_id)
        if rng.random() < 0.75:
            text = f"{rng.choice(SENTENCES)} {' '.join(rng.choices(WORDS, k=3))}, lượt {seed % 997} {number}."
            segments = [replace(draft.segments[0], text=text), *draft.segments[1:]]
            studio.save_bulletin(draft.with_segments(segments))
        info, result = studio.render_bulletin(bulletin_id)
        note("rendered", durable=True, render_id=info.id, sha256=info.sha256, content_hash=info.content_hash)
        studio.export(result, Path(out))
        note("exported", durable=True, sha256=info.sha256)


def deliver(home: str, log_path: str) -> None:
    """``studio outbox run``: send everything queued, then exit."""
    from studio.cli import main

    note = Log(log_path)
    note("ready", durable=True)
    code = main(["--data-dir", home, "outbox", "run"])
    note("exited", durable=True, code=code)
    sys.exit(code)


JOBS = {"edit": edit, "render": render, "deliver": deliver}
