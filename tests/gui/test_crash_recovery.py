"""Nothing typed is lost: the studio is killed (SIGKILL, as a power cut would stop it) while the officer types,
and at the next start the text is offered back, missing at most the last two seconds of typing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from studio.fileio import LEFTOVER_AGE_S, claim_temp_path
from studio.journal import Journal, draft_of, record_of
from studio.paths import StudioPaths
from studio.services import Studio
from tests.gui.conftest import open_window

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
ROOT = Path(__file__).resolve().parents[2]
MOST_LOST_S = 2.0
TYPING = "Kính thưa bà con, lịch tiêm phòng đợt hai bắt đầu từ thứ Hai tuần sau. "

TYPE_THEN_DIE = """
import json, os, signal, sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from studio.paths import StudioPaths
from studio.services import Studio
from studio.ui.app import build_main_window

home, log, die_after, text = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]), sys.argv[4] * 20
app = QApplication([])
studio = Studio.open(StudioPaths.under(home))
window = build_main_window(studio, language="en")
window.show()
typed = log.open("a", encoding="utf-8")

def start():
    if window.editor.bulletin_id is None:
        QTimer.singleShot(20, start)
        return
    card = window.editor.cards[0]
    card.text.moveCursor(QTextCursor.MoveOperation.End)
    started = time.monotonic()
    typed.write(json.dumps({"before": card.text.toPlainText()}) + "\\n")

    def key(i):
        elapsed = time.monotonic() - started
        if elapsed > die_after:
            os.kill(os.getpid(), signal.SIGKILL)  # no clean-up, no last save: a power cut
        card.text.insertPlainText(text[i])
        typed.write(json.dumps({"t": elapsed, "count": i + 1}) + "\\n")
        typed.flush()
        QTimer.singleShot(30, lambda: key(i + 1))

    key(0)

QTimer.singleShot(0, start)
app.exec()
"""


def test_text_typed_before_a_kill_is_offered_back_at_the_next_start(qtbot, tmp_path: Path) -> None:
    home, log = tmp_path / "home", tmp_path / "typed.jsonl"
    paths = StudioPaths.under(home)
    first = Studio.open(paths)
    first.ensure_library()
    first.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", TYPE_THEN_DIE, str(home), str(log), "6.5", TYPING],
                            capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)
    assert result.returncode == -signal.SIGKILL, result.stderr
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    before, keys = lines[0]["before"], lines[1:]
    died_at = keys[-1]["t"]
    assert died_at > 6.0 and len(keys) > 100  # typing all along: a save after a pause never came
    kept_at_least = max(k["count"] for k in keys if k["t"] <= died_at - MOST_LOST_S)
    text = TYPING * 20

    studio = Studio.open(paths)
    try:
        assert studio.repo.load(1).segments[0].text == before  # the database never got the typing
        window = open_window(qtbot, studio)
        qtbot.waitUntil(lambda: "was not saved" in window.banner.text, timeout=10_000)
        restore = window.banner.action_buttons()[0]
        assert restore.text() == "Restore it"
        restore.click()
        qtbot.waitUntil(lambda: window.editor.bulletin_id == 1 and window.editor.cards
                        and len(window.editor.cards[0].text.toPlainText()) > len(before), timeout=10_000)
        recovered = window.editor.cards[0].text.toPlainText()
        assert recovered.startswith(before + text[:kept_at_least])  # at most the last 2 s of typing lost
        assert studio.repo.load(1).segments[0].text == recovered  # saved as the newest revision
        assert not list((paths.data / "unsaved").glob("*.json"))
        window.close()
        window.runner.shutdown()
    finally:
        studio.close()


def test_a_journal_copy_keeps_everything_the_editor_holds(tmp_path: Path, studio: Studio) -> None:
    draft = studio.repo.load(1)
    journal = Journal(tmp_path / "unsaved")
    path = journal.keep(draft)
    back = journal.entries()[0].draft
    assert back.content() == draft.content() and [s.key for s in back.segments] == [s.key for s in draft.segments]
    assert (back.id, back.uid, back.version, back.station_id) == (draft.id, draft.uid, draft.version, draft.station_id)
    assert draft_of(record_of(draft)).content() == draft.content()
    path.write_text('{"content": {"title": "cut off', encoding="utf-8")  # a copy cut short by hand
    assert journal.entries() == [] and path.with_suffix(".damaged").exists()


def test_the_window_removes_what_a_killed_render_left_on_disk(qtbot, studio: Studio) -> None:
    """A render killed mid-way leaves its hidden work folder and a half file; the next start removes them."""
    then = time.time() - LEFTOVER_AGE_S - 60
    half = claim_temp_path(studio.paths.renders / "1.mp3")
    work = Path(tempfile.mkdtemp(prefix=".render-", dir=studio.paths.renders))
    (work / "programme.f32").write_bytes(b"\0" * 4096)
    for path in (half, work):
        os.utime(path, (then, then))
    open_window(qtbot, studio)
    qtbot.waitUntil(lambda: not half.exists() and not work.exists(), timeout=20_000)
