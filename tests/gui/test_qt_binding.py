"""The Qt binding itself: PySide6 6.12.0 drops a reference to True/False/None on every signal emit and so
aborts any long-running studio (every finished task emits). pyproject.toml excludes it; this catches a
broken binding before an officer's window does."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Emitter(QObject):
    fired = Signal(object)
emitter = Emitter()
emitter.fired.connect(lambda value: None)
before = sys.getrefcount(None), sys.getrefcount(True)
for _ in range(20_000):
    emitter.fired.emit(True)
print(before == (sys.getrefcount(None), sys.getrefcount(True)))
"""


def test_emitting_signals_keeps_pythons_singletons_alive() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "True"
