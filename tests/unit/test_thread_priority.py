"""Background threads run below the window's thread (Linux: per-thread nice, inherited by children)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from studio.tasks import BACKGROUND_NICE, lower_thread_priority, worker_initializer

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")


def nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def in_thread(fn):  # type: ignore[no-untyped-def]
    """``fn()``'s result, computed on a fresh thread."""
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(fn()))
    thread.start()
    thread.join()
    return result[0]


def test_a_lowered_thread_runs_below_normal_and_the_caller_does_not() -> None:
    before = nice()

    def lowered() -> int:
        lower_thread_priority()
        lower_thread_priority()  # twice is once
        return nice()

    assert in_thread(lowered) == max(before, BACKGROUND_NICE)
    assert nice() == before


def test_pools_started_from_a_lowered_thread_run_lowered_and_others_do_not() -> None:
    before = nice()

    def pool_nices() -> tuple[int, int]:
        with ThreadPoolExecutor(2, initializer=worker_initializer()) as pool:
            plain = pool.submit(nice).result()
        lower_thread_priority()
        with ThreadPoolExecutor(2, initializer=worker_initializer()) as pool:
            lowered = pool.submit(nice).result()
        return plain, lowered

    assert in_thread(pool_nices) == (before, max(before, BACKGROUND_NICE))


def test_a_program_started_from_a_lowered_thread_is_lowered_too() -> None:
    def child_nice() -> int:
        lower_thread_priority()
        out = subprocess.run([sys.executable, "-c", "import os; print(os.nice(0))"], capture_output=True,
                             text=True, check=True)
        return int(out.stdout)

    assert in_thread(child_nice) >= BACKGROUND_NICE
