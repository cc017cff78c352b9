"""Cancellation and progress for long tasks, shared by the GUI's task runner and the CLI.

Core code takes a :class:`CancelToken` and a :class:`ProgressCallback`; it calls
``cancel.raise_if_cancelled()`` between steps and reports ``progress(done_fraction, label, **args)``,
where ``label`` is an English ``str.format`` template in the translation context "Progress" and
``args`` fill it in after translation.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import Protocol

from studio.messages import Cancelled

log = logging.getLogger(__name__)

BACKGROUND_NICE = 5  # Linux: a third of a normal thread's share of a busy CPU, and it yields on wake-ups
_THREAD_PRIORITY_BELOW_NORMAL = -1  # Windows SetThreadPriority
_background = threading.local()


def lower_thread_priority() -> None:
    """Run the calling thread (and, on Linux, the threads and processes it starts) below normal priority.

    Background work (renders, synthesis, uploads, database reads) then takes the CPU only when the window's
    thread does not want it: on a 2-core PC a render's encoder and its numpy threads otherwise keep both
    cores busy and the window waits its turn for tens of milliseconds. Nothing runs slower on an idle
    machine. Linux sets the thread's nice value (inherited by its children); Windows lowers the thread
    (not inherited: pools started from it pass :func:`worker_initializer`). Best effort: a refusal is logged.
    """
    if getattr(_background, "lowered", False):
        return
    _background.lowered = True
    try:
        if sys.platform.startswith("linux"):
            tid = threading.get_native_id()
            os.setpriority(os.PRIO_PROCESS, tid, max(os.getpriority(os.PRIO_PROCESS, tid), BACKGROUND_NICE))
        elif sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import ctypes

            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetThreadPriority(kernel32.GetCurrentThread(), _THREAD_PRIORITY_BELOW_NORMAL)
    except OSError as exc:
        log.debug("cannot lower the priority of thread %s: %s", threading.current_thread().name, exc)


def worker_initializer() -> Callable[[], None] | None:
    """The ``initializer`` for a thread pool started from the calling thread: its workers run at the same
    priority (a render started in the background keeps its helper threads in the background)."""
    return lower_thread_priority if getattr(_background, "lowered", False) else None


class ProgressCallback(Protocol):
    def __call__(self, fraction: float, label: str, /, **args: object) -> None: ...


def no_progress(fraction: float, label: str, /, **args: object) -> None:
    """A progress callback that ignores reports."""


class CancelToken:
    """Thread-safe cancel flag; cheap to poll from worker loops."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()
