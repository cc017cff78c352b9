"""Python's cyclic garbage collection, run by the window's thread only."""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)

CHECK_MS = 500


class GuiThreadCollector(QObject):
    """Collects cyclic garbage in the window's thread, never in a worker's.

    CPython starts a collection in whichever thread allocates past a threshold: a render's worker, an upload, a
    database read. When the garbage found holds a Qt object (a closed dialog still in a reference cycle, with
    its timers or a media player), its C++ destructor then runs in that worker thread. Qt does not allow it, and
    the process may crash minutes later in unrelated code. While started, automatic collection is off and a
    timer in the thread that made this object collects with CPython's own thresholds: the oldest generation
    whose count is over its threshold. calibre, pyqtgraph and novelWriter do the same, for the same reason.
    Garbage without cycles is freed at once as always; cycles wait at most ``CHECK_MS``. (CPython also puts off
    a full collection until a quarter of the old objects are new, a count Python does not expose: here the
    full collections come as the counts say; with the start-up's objects frozen out (``settle_memory``) they
    are short: ``bench_gui_stall --trace`` saw no collection over 4 ms, against a 19–22 ms full collection
    without this collector.)
    """

    def __init__(self, parent: QObject | None = None, *, interval_ms: int = CHECK_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self._was_enabled = gc.isenabled()

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self.timer.start()

    def stop(self) -> None:
        """Collect what is due here, then hand collection back to the interpreter (as it was at start)."""
        self.timer.stop()
        self.check()
        if self._was_enabled:
            gc.enable()

    @property
    def active(self) -> bool:
        return self.timer.isActive()

    def check(self) -> int | None:
        """Collect the oldest generation over its threshold; the generation collected, or None."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                found = gc.collect(generation)
                if found:
                    log.debug("collected %d objects (generation %d)", found, generation)
                return generation
        return None
