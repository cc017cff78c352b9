"""Cancellation and progress for long tasks, shared by the GUI's task runner and the CLI.

Core code takes a :class:`CancelToken` and a :data:`ProgressCallback`; it calls
``cancel.raise_if_cancelled()`` between steps and reports ``progress(done_fraction, label)``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from studio.messages import Cancelled

ProgressCallback = Callable[[float, str], None]


def no_progress(fraction: float, label: str) -> None:
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
