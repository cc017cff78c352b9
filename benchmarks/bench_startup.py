"""Start-up time: the studio's main window against a bare PySide6 window, each in a fresh process.

    .venv/bin/python -m benchmarks.bench_startup [--repeat 5] [--language vi]

The officer double-clicks the icon and waits; the issue asks that the studio be usable no later than 1.5×
the time Qt alone needs to show an empty window. Both sides are timed from the moment the process is
spawned (interpreter start and imports included) to a window ready for the officer:

* bare: ``QApplication`` + an empty ``QMainWindow``, shown, painted once, and the event loop turned once;
* studio: the path of ``studio`` / ``python -m studio`` (``studio.cli`` imported, then ``run_gui``'s steps:
  logging, ``QApplication``, the language from ``choose_language``, ``apply_language``, the font size,
  the crash handler, ``Studio.open`` and, on a first launch, ``ensure_library``, the task runner, the
  outbox bridge, :func:`studio.ui.app.build_main_window`), shown, painted, the first bulletin loaded in the
  editor (``window.editor.bulletin_id is not None``) and the event loop turned once more.

What waits for a person is left out: the login dialog, and the set-up wizard that ``run_gui`` shows on a
real first launch. With no account in the database the studio acts as itself, as in the GUI tests, and
"first launch" is the library ``ensure_library`` makes: an empty data folder each run (the database is
created and migrated, the demo station and sample bulletin written). "Second launch" reopens a data folder
made once before the measured runs. Everything runs under ``QT_QPA_PLATFORM=offscreen`` with the data
below a temporary folder (``StudioPaths.under``). One untimed warm-up of each kind fills the OS file cache;
then the kinds are interleaved and each figure is the median of ``--repeat`` runs. The studio's phases
(medians, ms since spawn) show where its time goes.

The children run this same module, so it imports at the top only what a child needs (the interpreter has
``os``, ``sys`` and ``time`` loaded already): both sides start with the same few milliseconds of overhead.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QApplication, QWidget

KINDS = ("bare", "first", "second")
LABELS = {"bare": "bare QMainWindow", "first": "studio, first launch", "second": "studio, second launch"}
TARGET_RATIO = 1.5
CHILD_TIMEOUT_MS = 60_000


# --- the children: one start-up each, marks printed as "name=monotonic seconds" -------------------------
def _until_ready(app: QApplication, window: QWidget, ready: Callable[[], bool]) -> None:
    """Run the event loop until the window has painted and ``ready()`` holds, then one more loop turn."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    state = {"painted": False, "quitting": False}

    def check() -> None:
        if state["painted"] and not state["quitting"] and ready():
            state["quitting"] = True
            QTimer.singleShot(0, app.quit)  # the loop turned once with everything in place

    class PaintWatch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and watched is window:
                state["painted"] = True
                check()
            return False

    watch = PaintWatch()
    window.installEventFilter(watch)
    poll = QTimer()  # ``ready()`` may become true without a paint (a bulletin loaded off-screen)
    poll.setInterval(1)
    poll.timeout.connect(check)
    poll.start()
    give_up = QTimer()
    give_up.setSingleShot(True)
    give_up.timeout.connect(lambda: app.exit(3))
    give_up.start(CHILD_TIMEOUT_MS)
    code = app.exec()
    poll.stop()
    window.removeEventFilter(watch)
    if code != 0:
        raise SystemExit(f"the window was not ready within {CHILD_TIMEOUT_MS} ms")


def child_bare() -> dict[str, float]:
    marks = {}
    from PySide6.QtWidgets import QApplication, QMainWindow

    marks["imported"] = time.monotonic()
    app = QApplication(sys.argv[:1])
    marks["app"] = time.monotonic()
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1180, 760)
    marks["built"] = time.monotonic()
    window.show()
    marks["shown"] = time.monotonic()
    _until_ready(app, window, lambda: True)
    marks["ready"] = time.monotonic()
    window.close()
    return marks


def child_studio(home: str) -> dict[str, float]:
    marks = {}
    import studio.cli  # noqa: F401  (first, as ``studio`` and ``python -m studio`` do; run_gui's come after)

    marks["cli"] = time.monotonic()
    from pathlib import Path

    from studio.log import setup_logging, shutdown_logging
    from studio.paths import StudioPaths
    from studio.ui.app import open_application
    from studio.ui.splash import StartSplash

    paths = StudioPaths.under(Path(home)).ensure()
    log_path = setup_logging(paths.logs)
    app, settings, language, translators = open_application(paths, sys.argv[:1])
    splash = StartSplash.show_now()
    marks["splash"] = time.monotonic()

    from studio.services import Studio
    from studio.ui.app import build_main_window
    from studio.ui.crash import CrashHandler
    from studio.ui.fonts import register_bundled_fonts
    from studio.ui.outbox_bridge import OutboxBridge
    from studio.ui.tasks import TaskRunner

    marks["imported"] = time.monotonic()
    register_bundled_fonts()
    crash_handler = CrashHandler(log_path)
    crash_handler.install()
    opened = Studio.open(paths, settings)
    if opened.repo.first_station() is None:
        opened.ensure_library()
    marks["opened"] = time.monotonic()
    runner = TaskRunner()
    bridge = OutboxBridge(opened)
    window = build_main_window(opened, language=language, runner=runner, crash_handler=crash_handler,
                               bridge=bridge)
    marks["built"] = time.monotonic()
    window.show()
    splash.close()
    bridge.start()
    marks["shown"] = time.monotonic()
    _until_ready(app, window, lambda: window.editor.bulletin_id is not None)
    marks["ready"] = time.monotonic()
    window.close()
    bridge.stop()
    runner.shutdown()
    opened.close()
    crash_handler.uninstall()
    for translator in translators:
        app.removeTranslator(translator)
    shutdown_logging()
    return marks


def child(kind: str, home: str) -> None:
    marks = child_bare() if kind == "bare" else child_studio(home)
    print(" ".join(f"{name}={at:.6f}" for name, at in marks.items()), flush=True)


# --- the parent --------------------------------------------------------------------------------------------
def run_once(kind: str, home: str, language: str) -> dict[str, float]:
    """One fresh process; each mark in ms since it was spawned."""
    import subprocess

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "STUDIO_LANG": language}
    for name in ("STUDIO_HOME", "STUDIO_DATABASE_URL", "PYTHONPROFILEIMPORTTIME", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    code = "import sys; from benchmarks.bench_startup import child; child(sys.argv[1], sys.argv[2])"
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code, kind, home], cwd=root, env=env, capture_output=True,
                          text=True, timeout=CHILD_TIMEOUT_MS / 1000 + 30)
    if done.returncode != 0 or not done.stdout.strip():
        raise SystemExit(f"the {kind} start-up failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    line = done.stdout.strip().splitlines()[-1]
    return {name: (float(at) - started) * 1000 for name, at in (item.split("=") for item in line.split())}


def measure(repeat: int, language: str) -> dict[str, list[dict[str, float]]]:
    """``repeat`` runs of each kind, interleaved, after one untimed warm-up of each."""
    import shutil
    import tempfile

    runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in KINDS}
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as temp:
        made = os.path.join(temp, "made")

        def home(kind: str, run: int) -> str:
            if kind == "second":
                return made
            fresh = os.path.join(temp, f"{kind}-{run}")
            shutil.rmtree(fresh, ignore_errors=True)
            return fresh

        for kind in KINDS:  # warm-up; the first launch here also makes the second launch's data folder
            run_once(kind, made if kind == "first" else home(kind, -1), language)
        for run in range(repeat):
            for kind in KINDS:
                runs[kind].append(run_once(kind, home(kind, run), language))
    return runs


def median_marks(runs: list[dict[str, float]]) -> dict[str, float]:
    import statistics

    return {name: statistics.median(run[name] for run in runs) for name in runs[0]}


def main(argv: list[str] | None = None) -> int:
    import argparse

    # imported here, not at the top: the child processes run this module and must not pay for it
    from benchmarks.bench_synthesis import machine

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="measured runs of each kind (default 5)")
    parser.add_argument("--language", choices=("vi", "en"), default="vi",
                        help="the interface language (STUDIO_LANG) of the studio's runs (default vi)")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    print(f"QT_QPA_PLATFORM=offscreen, interface {args.language}, median of {args.repeat} runs in fresh "
          f"processes (ms since spawn)\n")
    runs = measure(args.repeat, args.language)
    medians = {kind: median_marks(runs[kind]) for kind in KINDS}
    bare = medians["bare"]["ready"]
    print(f"{'':<24}{'ready ms':>10}{'ratio':>8}{'min':>8}{'max':>8}")
    for kind in KINDS:
        ready = [run["ready"] for run in runs[kind]]
        print(f"{LABELS[kind]:<24}{medians[kind]['ready']:>10.0f}{medians[kind]['ready'] / bare:>8.2f}"
              f"{min(ready):>8.0f}{max(ready):>8.0f}")
    print("\nphases, ms since spawn (cli: studio.cli imported; splash: QApplication, language and the start-up card\n"
          "painted; imported: the window's modules; opened: fonts, crash handler, Studio.open and ensure_library;\n"
          "built: build_main_window; shown: the window shown, the card closed)")
    for kind in KINDS:
        print(f"{LABELS[kind]:<24}" + " / ".join(f"{name} {at:.0f}" for name, at in medians[kind].items()))
    first_window = max(medians["first"]["splash"], medians["second"]["splash"]) / bare
    print(f"\nfirst window on screen (the start-up card, painted): {first_window:.2f}× the bare window "
          f"({'meets' if first_window <= TARGET_RATIO else 'misses'} ≤ {TARGET_RATIO})")
    worst = max(medians["first"]["ready"], medians["second"]["ready"]) / bare
    verdict = "meets" if worst <= TARGET_RATIO else "misses"
    print("usable main window (library listed, first bulletin in the editor): "
          f"studio/bare ratio {medians['second']['ready'] / bare:.2f} (second launch), "
          f"{medians['first']['ready'] / bare:.2f} (first launch): {verdict} the target of ≤ {TARGET_RATIO}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
