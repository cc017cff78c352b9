"""Cancellation and progress for long tasks, shared by the GUI's task runner and the CLI.

Core code takes a :class:`CancelToken` and a :class:`ProgressCallback`; it calls
``cancel.raise_if_cancelled()`` between steps and reports ``progress(done_fraction, label, **args)``,
where ``label`` is an English ``str.format`` template in the translation context "Progress" and
``args`` fill it in after translation.
"""

from __future__ import annotations

import threading
from typing import Protocol

from studio.messages import Cancelled


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
