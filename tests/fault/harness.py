"""Kill -9 at chosen moments, and the checks that follow.

A child (:mod:`tests.fault.children`) is forked from multiprocessing's fork server, which has imported the
studio, Qt and the children once: a round then costs the work itself, not a second of imports. The
child is a process of its own running the studio's real code on a real library; it is stopped with
SIGKILL, which nothing can catch, as a crash would stop it (what the kernel already has survives: this
is not a power cut).

A :class:`Moment` says when: after a random delay, or the instant something on disk changes (a file lands
under its final name, a temporary file appears, the database is written), which random delays alone
would rarely hit. The parent polls that every fraction of a millisecond and kills at once.

Every test takes its randomness from one seed, printed at the start and named in every failure;
``STUDIO_FAULT_SEED=<seed>`` repeats the same rounds (the same choices; the timing is the machine's).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.context import ForkServerContext
from pathlib import Path
from typing import Any

import imageio_ffmpeg

from tests.fault import children
from tests.oracles import ffprobe

PRELOAD = ["PySide6.QtWidgets", "studio.services", "studio.cli", "studio.ui.saving", "tests.fault.children"]
SEED_ENV = "STUDIO_FAULT_SEED"


def fault_seed(name: str) -> int:
    """This test's seed: ``STUDIO_FAULT_SEED`` or a fresh one, printed so that a failure can be repeated."""
    text = os.environ.get(SEED_ENV)
    seed = int(text) if text else random.SystemRandom().randrange(1 << 32)
    print(f"{name}: seed {seed} ({SEED_ENV}={seed} repeats these rounds)")
    return seed


def _context() -> ForkServerContext:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def signature(path: Path) -> tuple[int, int, int] | None:
    """What changes when a file is written or replaced (None: not there)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def names(folder: Path) -> frozenset[str]:
    try:
        return frozenset(os.listdir(folder))
    except FileNotFoundError:
        return frozenset()


def all_files(folder: Path) -> frozenset[str]:
    return frozenset(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.is_dir() \
        else frozenset()


@dataclass(frozen=True)
class Moment:
    """Kill when ``watch()`` returns something else than when the child became ready, or ``latest`` seconds
    after that, whichever comes first (no watch: exactly then)."""

    label: str
    latest: float
    watch: Callable[[], object] | None = None
    after: float = 0.0
    """Seconds to let pass before the watch starts (so that it is not always the first such change)."""


class Child:
    """One killable run of a job of :mod:`tests.fault.children`."""

    def __init__(self, job: str, folder: Path, *args: Any) -> None:
        self.log = folder / f"{job}.jsonl"
        self.stderr = folder / f"{job}.stderr"
        self.process = _context().Process(target=children.run, args=(job, str(self.stderr), *args), daemon=True)

    def start(self, timeout: float = 60.0) -> Child:
        """Start the job and wait until it says it is ready."""
        lines_before = len(self.lines())
        self.process.start()
        deadline = time.monotonic() + timeout
        while not any(line["kind"] == "ready" for line in self.lines()[lines_before:]):
            if not self.process.is_alive():
                raise AssertionError(f"the child ended before it was ready:\n{self.output()}")
            if time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError(f"the child was not ready after {timeout} s:\n{self.output()}")
            time.sleep(0.005)
        return self

    def kill_at(self, moment: Moment) -> str:
        """SIGKILL at ``moment``; returns what happened, for the round's report. A child that ended by itself
        first is an error unless it exited cleanly (its work was done)."""
        try:
            happened = self._wait_for(moment)
        finally:
            pid = self.process.pid
            assert pid is not None and pid > 0
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            self.process.join(30)
        if self.process.exitcode not in (-signal.SIGKILL, 0):
            raise AssertionError(f"the child failed (exit {self.process.exitcode}):\n{self.output()}")
        return happened

    def _wait_for(self, moment: Moment) -> str:
        start = time.monotonic()
        while time.monotonic() - start < moment.after and self.process.is_alive():
            time.sleep(0.002)
        before = moment.watch() if moment.watch is not None else None
        pause = 0.0002 if moment.watch is not None else 0.002
        while True:
            elapsed = time.monotonic() - start
            if moment.watch is not None and moment.watch() != before:
                happened = f"{moment.label} ({elapsed:.3f} s)"
                break
            if elapsed >= moment.latest:
                happened = f"{moment.label}: not seen, killed at {elapsed:.3f} s" if moment.watch else \
                    f"{moment.label} ({elapsed:.3f} s)"
                break
            if not self.process.is_alive():
                return f"{moment.label}: the child finished first ({elapsed:.3f} s)"
            time.sleep(pause)
        return happened

    def lines(self) -> list[dict[str, Any]]:
        """The log's complete lines (a line cut by the kill is not one)."""
        try:
            text = self.log.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in text.split("\n")[:-1]]

    def output(self) -> str:
        try:
            return self.stderr.read_text(encoding="utf-8", errors="replace")[-4000:]
        except FileNotFoundError:
            return "(no output)"


@contextlib.contextmanager
def round_report(seed: int, number: int, what: list[str]) -> Iterator[None]:
    """Name the seed, the round and how it was killed in any failure inside the block."""
    try:
        yield
        print(f"round {number}: {'; '.join(what)}")
    except BaseException as exc:
        exc.add_note(f"seed {seed}, round {number}: {'; '.join(what)}")
        raise


def check_sqlite(path: Path) -> None:
    """SQLite's own verdict on the file after the crash (it recovers the WAL first): sound, and no row
    points at a missing parent."""
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()


def digest(content: object) -> str:
    """A canonical hash of JSON-able content (the test's own, not the studio's)."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def decodes_completely(path: Path) -> float:
    """Decode the whole file with ffmpeg (stopping at the first error) and return ffprobe's duration in
    seconds; any damage fails."""
    proc = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-xerror", "-i", str(path),
                           "-f", "null", "-"], capture_output=True, text=True)
    assert proc.returncode == 0 and not proc.stderr.strip(), f"{path} does not decode: {proc.stderr[-500:]}"
    return float(ffprobe(path)["format"]["duration"])
