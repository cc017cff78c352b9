"""Cyclic garbage is collected by the window's thread, never by a worker's (studio.ui.collector)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest
from PySide6.QtWidgets import QApplication

from studio.ui.collector import GuiThreadCollector


class Cycle:
    """A reference cycle that notes which thread collected it."""

    collected_in: ClassVar[list[int]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        Cycle.collected_in.append(threading.get_ident())


def allocate_in_a_worker(containers: int) -> list[list[object]]:
    """A worker that makes enough containers to pass every collection threshold (kept, as a task's result)."""
    kept: list[list[object]] = []

    def work() -> None:
        kept.extend([] for _ in range(containers))

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    return kept


@pytest.fixture
def automatic_collection() -> Iterator[None]:
    """The interpreter's own collection for this test (the suite runs Qt tests with the studio's collector)."""
    enabled = gc.isenabled()
    gc.enable()
    yield
    if not enabled:
        gc.disable()


@pytest.fixture
def fresh_cycle() -> Iterator[None]:
    gc.collect()
    Cycle.collected_in.clear()
    Cycle()  # unreachable at once, alive until a collection finds it
    yield
    gc.collect()


def test_without_it_a_worker_thread_collects_the_window_s_garbage(qapp: QApplication, automatic_collection: None,
                                                                  fresh_cycle: None) -> None:
    allocate_in_a_worker(50_000)
    assert Cycle.collected_in and Cycle.collected_in[0] != threading.get_ident()  # the hazard this guards against


def test_with_it_the_window_s_thread_collects(qtbot, qapp: QApplication, automatic_collection: None,
                                              fresh_cycle: None) -> None:
    collector = GuiThreadCollector(interval_ms=20)
    collector.start()
    try:
        assert not gc.isenabled() and collector.active
        kept = allocate_in_a_worker(50_000)
        # The worker passed every threshold and collected nothing.
        assert Cycle.collected_in == [] and len(kept) == 50_000
        qtbot.waitUntil(lambda: Cycle.collected_in != [], timeout=5_000)
        assert Cycle.collected_in == [threading.get_ident()]
    finally:
        collector.stop()
    assert gc.isenabled() and not collector.active  # handed back as it was


def test_it_collects_the_oldest_generation_over_its_threshold(qapp: QApplication, automatic_collection: None) -> None:
    collector = GuiThreadCollector()
    collector.start()
    try:
        gc.collect()
        assert collector.check() is None  # nothing due
        kept = [[] for _ in range(collector.thresholds[0] + 10)]
        assert collector.check() == 0 and gc.get_count()[0] < collector.thresholds[0]
        for _ in range(collector.thresholds[1] + 1):
            gc.collect(0)  # what repeated young collections leave behind
        assert collector.check() == 1
        for _ in range(collector.thresholds[2] + 1):
            gc.collect(1)
        assert collector.check() == 2 and gc.get_count()[1:] == (0, 0)
        del kept
    finally:
        collector.stop()
