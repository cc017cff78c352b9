"""How long the GUI thread stalls while the studio renders, synthesises and uploads at the same time.

    .venv/bin/python -m benchmarks.bench_gui_stall [--repeat 3] [--trace] [--servers process|thread]

The studio's real main window (``build_main_window`` over a studio in a temporary data folder with the
first-launch library, as the GUI tests open it) is shown offscreen. A precise 5 ms ``QTimer`` on the GUI
thread records when each tick really ran; a *stall* is a gap between two ticks minus the interval. Each
run measures, on the same window, side by side:

* **load**: at the same time (1) the open bulletin is rendered (``render_action``, until ``render_ended``),
  every segment edited first so no cached speech is reused; (2) segments are listened to one after the
  other in the online voice through the editor's :class:`~studio.ui.listen.SegmentListener` (what a card's
  Listen button does: synthesis in the task runner, then playback), against the tests' edge-tts protocol
  server (``tests/edge_server.py``); (3) approved programmes are uploaded by the window's
  :class:`~studio.ui.outbox_bridge.OutboxBridge` (outbox worker threads) to the tests' HTTP controller
  receiver (``tests/servers/http_receiver.py``) on 127.0.0.1. The run ends when all three are done.
* **idle**: the same window doing nothing, probed for as long as the load run lasted.

The window starts as ``run_gui`` starts it (cyclic garbage is collected by the GUI thread only,
``studio.ui.collector``; ``settle_memory``: what is alive is frozen out of the garbage
collector's scans, and scipy is imported in the background 1.5 s after the window shows); run 1 begins once
that warm-up has finished, as an officer's first render usually does (a render within the first seconds
after start-up waits for the same imports and stalls the window more). Run 1 is the first render, first
listen and first upload of the session (first use of QtMultimedia, of the encoder and of the network);
later runs are the steady state. The issue's target is a maximum stall of 50 ms.

By default the two servers run in a helper process at the lowest CPU priority (``--servers process``): the
real service and the controller are other machines, and their Python work would otherwise compete for this
process's GIL (and the edge server's eSpeak for the studio's eSpeak lock). ``--servers thread`` runs them
in-process, as the tests do (their CPU is then counted as the studio's). The edge server's answers are made
once before the runs (it memoises them, as in ``bench_synthesis``), so during the runs it costs only its
latency and the sending.

``--trace`` explains every stall over the target: a watchdog thread samples every thread's Python stack
(``sys._current_frames``) once the GUI thread is 40 ms late; a sampler process reads each thread's
scheduler counters (``/proc/<pid>/task/<tid>/schedstat``, the benchmark's, its children's and the servers')
every few ms, so each stall is split into the GUI thread running, waiting for a CPU and blocked (waiting for
the GIL, or for a timer while the hypervisor ran someone else: see "stolen"); the GUI thread's slow events
(``QApplication.notify``, wall and CPU time) and every garbage collection are listed with it.
``--switch-interval`` sets ``sys.setswitchinterval`` instead of the studio's own (``GUI_SWITCH_INTERVAL_S``,
2 ms; CPython's default is 5 ms). Where the machine's CPU
went is printed per run (this process with its ffmpeg children, the servers, other processes, the
hypervisor's steal): on a shared machine the idle column shows what other processes alone do to the GUI
thread.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
INTERVAL_MS = 5
TARGET_MS = 50.0
SAMPLE_AFTER_S = 0.040  # the watchdog samples every thread's stack once the GUI thread is this late
SAMPLE_EVERY_S = 0.004  # the sampler process reads the scheduler counters this often
ONLINE_PRESET = "vi-north-female"  # the Edge voice vi-VN-HoaiMyNeural, eSpeak as fallback
LISTEN_TEXTS = (
    "Kính thưa bà con, Trạm Y tế xã thông báo lịch khám sức khỏe định kỳ cho người cao tuổi.",
    "Hội Phụ nữ xã tổ chức buổi tuyên truyền về an toàn thực phẩm vào sáng thứ bảy.",
    "Đề nghị các hộ gia đình vệ sinh chuồng trại, phun thuốc khử trùng phòng dịch.",
    "Xã đoàn phát động phong trào trồng cây xanh dọc các tuyến đường liên thôn.",
)


# --- the servers: in a helper process (default) or in this one -------------------------------------------


@dataclass(frozen=True)
class Endpoints:
    wss_url: str
    voice_list_url: str
    http_url: str
    token: str
    pid: int


def serve(folder: Path, latency: float) -> None:
    """Helper process: the edge-tts server and the HTTP receiver, until stdin closes. It stands for other
    machines, so it runs at the lowest CPU priority: its work waits while the studio wants a CPU."""
    from tests.edge_server import EdgeServer
    from tests.servers.http_receiver import running_receiver

    if hasattr(os, "nice"):
        os.nice(19)
    edge = EdgeServer(latency=latency)
    edge.start()
    try:
        with running_receiver(folder) as receiver:
            print(json.dumps({"wss_url": edge.wss_url, "voice_list_url": edge.voice_list_url,
                              "http_url": receiver.url, "token": receiver.token, "pid": os.getpid()}), flush=True)
            sys.stdin.read()  # the benchmark closes our stdin (or ends) when it is done
    finally:
        edge.stop()


@contextmanager
def child(args: list[str]) -> Iterator[subprocess.Popen[str]]:
    """``python -m benchmarks.bench_gui_stall ARGS``, stopped by closing its stdin (killed if it lingers)."""
    process = subprocess.Popen([sys.executable, "-m", "benchmarks.bench_gui_stall", *args], cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        yield process
    finally:
        if process.stdin is not None and not process.stdin.closed:
            process.stdin.close()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        if process.stdout is not None:
            process.stdout.close()


@contextmanager
def servers(folder: Path, latency: float, where: str) -> Iterator[Endpoints]:
    """The edge-tts protocol server and the controller receiver; the edge-tts client is pointed at them."""
    from tests.edge_server import client_pointed_at, edge_server
    from tests.servers.http_receiver import running_receiver

    folder.mkdir(parents=True, exist_ok=True)
    if where == "thread":
        with edge_server(latency=latency) as edge, running_receiver(folder) as receiver:
            yield Endpoints(edge.wss_url, edge.voice_list_url, receiver.url, receiver.token, os.getpid())
        return
    with child(["--serve", str(folder), "--latency", str(latency)]) as helper:
        assert helper.stdout is not None
        line = helper.stdout.readline()
        if not line:
            raise RuntimeError("the server process did not start")
        endpoints = Endpoints(**json.loads(line))
        with client_pointed_at(endpoints.wss_url, endpoints.voice_list_url):
            yield endpoints


# --- the sampler process (--trace) -------------------------------------------------------------------------


def sample(pids: list[int]) -> None:
    """Sampler process: every few ms, each thread's (run ns, runqueue-wait ns) and the machine's CPU
    counters, until stdin closes; then all of it as JSON on stdout."""
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    fds: dict[int, int] = {}
    names: dict[int, str] = {}
    rows: list[tuple[float, list[tuple[int, int, int]], list[int]]] = []
    listed = 0.0
    stat = os.open("/proc/stat", os.O_RDONLY)
    while not stop.wait(SAMPLE_EVERY_S):
        now = time.perf_counter()
        if now - listed > 0.05:  # threads (a render's pools) and child processes (ffmpeg) come and go
            listed = now
            watched = list(pids)
            for pid in pids:
                try:
                    for task in os.listdir(f"/proc/{pid}/task"):
                        with open(f"/proc/{pid}/task/{task}/children") as children:
                            watched += [int(c) for c in children.read().split()]
                except OSError:
                    pass
            for pid in watched:
                try:
                    tids = [int(t) for t in os.listdir(f"/proc/{pid}/task")]
                except OSError:
                    continue
                for tid in tids:
                    if tid not in fds:
                        try:
                            fds[tid] = os.open(f"/proc/{pid}/task/{tid}/schedstat", os.O_RDONLY)
                            with open(f"/proc/{pid}/task/{tid}/comm") as comm:
                                names[tid] = comm.read().strip()
                        except OSError:
                            pass
        counters = []
        for tid, fd in list(fds.items()):
            try:
                run, wait, _ = os.pread(fd, 100, 0).split()
                counters.append((tid, int(run), int(wait)))
            except (OSError, ValueError):
                os.close(fd)
                del fds[tid]
        cpu = [int(v) for v in os.pread(stat, 200, 0).split(b"\n", 1)[0].split()[1:9]]
        rows.append((now, counters, cpu))
    json.dump({"rows": rows, "names": names, "hz": os.sysconf("SC_CLK_TCK")}, sys.stdout)


# --- the probe -----------------------------------------------------------------------------------------------


class Probe:
    """A precise 5 ms QTimer on the GUI thread that notes when each tick really ran."""

    def __init__(self, interval_ms: int = INTERVAL_MS) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval = interval_ms / 1000
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.ticks: list[float] = []
        self.cpu = 0.0
        self.running = False

    def _tick(self) -> None:
        self.ticks.append(time.perf_counter())

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self.cpu = time.thread_time()
        self.running = True
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.running = False
        self.cpu = time.thread_time() - self.cpu  # the GUI thread's CPU seconds during the run

    def stalls_ms(self) -> list[float]:
        """Every gap between ticks, minus the interval (never below 0), in ms."""
        return [max(0.0, (b - a - self.interval) * 1000) for a, b in zip(self.ticks, self.ticks[1:], strict=False)]

    def late(self, over_ms: float) -> list[tuple[float, float]]:
        """(start, end) of the gaps whose stall is over ``over_ms``."""
        return [(a, b) for a, b in zip(self.ticks, self.ticks[1:], strict=False)
                if (b - a - self.interval) * 1000 > over_ms]


@dataclass
class Watchdog:
    """A thread that samples every thread's Python stack while the probe is more than
    :data:`SAMPLE_AFTER_S` late (again every 40 ms while it stays late)."""

    probe: Probe
    gui_ident: int
    samples: list[tuple[float, float, dict[str, list[str]]]] = field(default_factory=list)  # when, late, stacks

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="stall-watchdog", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        sampled_tick = 0.0
        while not self._stop.wait(0.005):
            if not self.probe.running or not self.probe.ticks:
                continue
            now, last = time.perf_counter(), self.probe.ticks[-1]
            if now - last < SAMPLE_AFTER_S or now - max(last, sampled_tick) < SAMPLE_AFTER_S:
                continue
            sampled_tick = now
            self.samples.append((now, now - last, self._stacks()))

    def _stacks(self) -> dict[str, list[str]]:
        """Every other thread's stack as text. No frame outlives this call: a frame kept alive keeps its locals
        alive, and a QPainter that outlives its paint event makes Qt crash."""
        names = {t.ident: t.name for t in threading.enumerate()}
        return {("GUI thread" if ident == self.gui_ident else names.get(ident, f"thread {ident:x}")): _frames(frame)
                for ident, frame in sys._current_frames().items() if ident != threading.get_ident()}


def _frames(frame: Any) -> list[str]:
    """A thread's stack, innermost first, paths relative to the repository."""
    frames = []
    while frame is not None:
        path = frame.f_code.co_filename
        short = str(Path(path).relative_to(ROOT)) if path.startswith(str(ROOT)) else Path(path).name
        frames.append(f"{short}:{frame.f_lineno} {frame.f_code.co_name}")
        frame = frame.f_back
    return frames


class EventClock:
    """With ``--trace``: how long the GUI thread spent delivering each event (``QApplication.notify``), for the
    events over 5 ms: what the GUI thread itself was doing during a stall."""

    def __init__(self) -> None:
        self.long: list[tuple[float, float, float, int, str]] = []  # start, seconds, CPU seconds, depth, what
        self.depth = 0
        self.undeliverable = 0

    def around(self, receiver: Any, event: Any, deliver: Callable[[], bool]) -> bool:
        started, cpu = time.perf_counter(), time.thread_time()
        kind = event.type()
        self.depth += 1
        try:
            return deliver()
        finally:
            self.depth -= 1
            took = time.perf_counter() - started
            if took > 0.005:
                self.long.append((started, took, time.thread_time() - cpu, self.depth + 1,
                                  f"{kind.name} to {_describe(receiver)}"))


def _describe(receiver: Any) -> str:
    try:
        name = type(receiver).__name__
        task = getattr(receiver, "name", None)
        if isinstance(task, str):
            name += f" {task!r}"
        parent = receiver.parent() if name in ("QWidget", "QTimer") else None
        return f"{name} of {type(parent).__name__}" if parent is not None else name
    except RuntimeError:  # deleted while the event was delivered (a deferred delete)
        return "(deleted object)"


class GcClock:
    """With ``--trace``: every garbage collection over 2 ms (it holds the GIL, whichever thread it runs on)."""

    def __init__(self) -> None:
        self.pauses: list[tuple[float, float, int, str, int]] = []  # start, seconds, generation, thread, objects
        self._started: dict[int, float] = {}

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        ident = threading.get_ident()
        if phase == "start":
            self._started[ident] = time.perf_counter()
        elif ident in self._started:
            began = self._started.pop(ident)
            took = time.perf_counter() - began
            if took > 0.002:
                thread = "GUI thread" if threading.current_thread() is threading.main_thread() \
                    else threading.current_thread().name
                self.pauses.append((began, took, info["generation"], thread, info["collected"]))


def tracing_application(clock: EventClock) -> Any:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    class TracingApplication(QApplication):
        def notify(self, receiver: Any, event: Any) -> bool:
            if not isinstance(receiver, QObject):
                # PySide now and then hands an override a stale wrapper for the receiver (a deleted object's
                # address reused): it cannot pass it on, and without the override Qt would have delivered it.
                clock.undeliverable += 1
                return False
            return clock.around(receiver, event, lambda: super(TracingApplication, self).notify(receiver, event))

    return TracingApplication([sys.argv[0]])


# --- the load ------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    label: str
    start: float
    seconds: float
    stalls: list[float]
    late: list[tuple[float, float]]
    gui_cpu: float
    work: str = ""

    @property
    def busy(self) -> float:
        """The share of the run the GUI thread spent on a CPU (its own work, painting included)."""
        return self.gui_cpu / self.seconds if self.seconds else 0.0


def run_loop(until: Callable[[], bool], timeout: float) -> bool:
    """Run the Qt event loop until ``until()`` (checked every 20 ms) or the timeout."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    check = QTimer()
    check.setInterval(20)
    check.timeout.connect(lambda: until() and loop.quit())
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    check.start()
    deadline.start(int(timeout * 1000))
    if not until():
        loop.exec()
    check.stop()
    deadline.stop()
    return until()


def settle(seconds: float) -> None:
    started = time.perf_counter()
    run_loop(lambda: time.perf_counter() - started >= seconds, seconds + 1)


def load_run(window: Any, probe: Probe, target_id: int, job_ids: set[int], texts: list[str], label: str,
             timeout: float) -> Outcome:
    """Render, listen and upload at once; the probe runs from the first trigger until all three are done."""
    from studio.bulletin import SegmentDraft
    from studio.ui.listen import IDLE, PLAYING

    listener = window.editor.listener
    owner = object()
    state: dict[str, Any] = {"render": None, "listened": 0, "next": 0, "stopping": False, "failed": []}
    delivered: set[int] = set()

    def listen_next() -> None:
        n = state["next"]
        if n < len(texts):
            state["next"] = n + 1
            listener.toggle(owner, SegmentDraft(texts[n], ONLINE_PRESET, "news"), n + 1)

    def on_state(who: object, now: str) -> None:
        if who is not owner:
            return
        if now == PLAYING:  # heard: stop, then the next segment
            state["listened"] += 1
            state["stopping"] = True
            listener.stop()
            state["stopping"] = False
            listen_next()
        elif now == IDLE and not state["stopping"]:  # made, but playback failed (no sound device)
            state["listened"] += 1
            listen_next()

    def on_failed(exc: object) -> None:
        state["failed"].append(exc)
        listen_next()

    def on_delivered(job: Any) -> None:
        if job.id in job_ids:
            delivered.add(job.id)

    def on_render_ended(outcome: str) -> None:
        state["render"] = outcome

    def finished() -> bool:
        return (state["render"] is not None and delivered == job_ids
                and state["listened"] + len(state["failed"]) >= len(texts))

    listener.state_changed.connect(on_state)
    listener.failed.connect(on_failed)
    window.bridge.delivered.connect(on_delivered)
    window.render_ended.connect(on_render_ended)
    try:
        probe.start()
        started = time.perf_counter()
        window.bridge.wake([target_id])
        window.render_action.trigger()
        listen_next()
        done = run_loop(finished, timeout)
        elapsed = time.perf_counter() - started
        probe.stop()
    finally:
        listener.state_changed.disconnect(on_state)
        listener.failed.disconnect(on_failed)
        window.bridge.delivered.disconnect(on_delivered)
        window.render_ended.disconnect(on_render_ended)
    work = (f"render {state['render'] or 'unfinished'}, {state['listened']}/{len(texts)} listened, "
            f"{len(delivered)}/{len(job_ids)} delivered")
    if not done:
        work += f" (timed out after {timeout:.0f} s)"
    if state["failed"]:
        work += f"; listening failed: {state['failed'][0]}"
    return Outcome(label, started, elapsed, probe.stalls_ms(), probe.late(TARGET_MS), probe.cpu, work)


def idle_run(probe: Probe, seconds: float, label: str) -> Outcome:
    probe.start()
    started = time.perf_counter()
    run_loop(lambda: time.perf_counter() - started >= seconds, seconds + 5)
    probe.stop()
    return Outcome(label, started, time.perf_counter() - started, probe.stalls_ms(), probe.late(TARGET_MS),
                   probe.cpu)


def edit_bulletin(window: Any, run: int) -> None:
    """Change every segment a little, as an officer would, so the render reads them all again."""
    marker = " Xin nhắc lại lần "
    for card in window.editor.cards:
        base = card.text.toPlainText().split(marker, 1)[0]
        card.text.setPlainText(f"{base}{marker}{run + 1}.")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


class CpuMeter:
    """Where the machine's CPU went between two readings: this process (with the ffmpeg children it has
    waited for), the server process, every other process, and what the hypervisor stole."""

    def __init__(self, studio_pid: int, server_pid: int | None) -> None:
        self.pids = (studio_pid, server_pid)
        self.hz = os.sysconf("SC_CLK_TCK")

    def read(self) -> tuple[float, list[int], list[int]]:
        with open("/proc/stat") as stat:
            cpu = [int(v) for v in stat.readline().split()[1:9]]
        used = []
        for pid in self.pids:
            try:
                with open(f"/proc/{pid}/stat") as proc:
                    fields = proc.read().rsplit(")", 1)[1].split()
                used.append(sum(int(v) for v in fields[11:15]))  # utime stime cutime cstime
            except (OSError, TypeError):
                used.append(0)
        return time.perf_counter(), cpu, used

    def cores(self, before: tuple[float, list[int], list[int]],
              after: tuple[float, list[int], list[int]]) -> tuple[float, float, float, float]:
        """Average cores used by (the studio, the servers, other processes, the hypervisor's steal)."""
        seconds = max(after[0] - before[0], 1e-3) * self.hz
        delta = [b - a for a, b in zip(before[1], after[1], strict=True)]
        busy = sum(delta) - delta[3] - delta[4] - delta[7]  # all but idle, iowait and steal
        studio, servers = (b - a for a, b in zip(before[2], after[2], strict=True))
        return studio / seconds, servers / seconds, max(0.0, busy - studio - servers) / seconds, delta[7] / seconds


# --- the trace's report ----------------------------------------------------------------------------------


def brief(frames: list[str], keep: int = 7) -> list[str]:
    """The innermost frames, then the studio's frames further out (where the call came from)."""
    inner = frames[:3]
    studio = [f for f in frames[3:] if f.startswith(("studio/", "benchmarks/bench_gui"))]
    return [*inner, *studio[:keep - 3]]


@dataclass
class Tracer:
    """Everything ``--trace`` collects; :meth:`explain` prints each stall over the target."""

    gui_tid: int
    watchdog: Watchdog
    clock: EventClock
    gc: GcClock
    native: dict[int, str] = field(default_factory=dict)  # native tid -> Python name
    rows: list[Any] = field(default_factory=list)
    comm: dict[int, str] = field(default_factory=dict)
    hz: int = 100

    def remember_threads(self) -> None:
        for thread in threading.enumerate():
            if thread.native_id is not None:
                self.native[thread.native_id] = thread.name

    def load_samples(self, text: str) -> None:
        data = json.loads(text)
        self.rows = data["rows"]
        self.comm = {int(k): v for k, v in data["names"].items()}
        self.hz = data["hz"]

    def _window(self, start: float, end: float) -> tuple[dict[int, tuple[int, int]], list[int], float] | None:
        """Per tid (run ns, wait ns) between the samples around [start, end], the CPU deltas, and seconds."""
        before = [row for row in self.rows if row[0] <= start]
        after = [row for row in self.rows if row[0] >= end]
        if not before or not after:
            return None
        a, b = before[-1], after[0]
        first = {tid: (run, wait) for tid, run, wait in a[1]}
        deltas = {}
        for tid, run, wait in b[1]:
            run0, wait0 = first.get(tid, (0, 0))  # a thread started meanwhile: all its time is in the window
            deltas[tid] = (run - run0, wait - wait0)
        return deltas, [y - x for x, y in zip(a[2], b[2], strict=True)], b[0] - a[0]

    def cpu_by_thread(self, spans: list[tuple[float, float]]) -> Counter[str]:
        """CPU ms per thread name (and child process) summed over the time spans."""
        total: Counter[str] = Counter()
        for start, end in spans:
            window = self._window(start, end)
            if window is not None:
                for tid, (run, _wait) in window[0].items():
                    name = "GUI thread" if tid == self.gui_tid else self.thread_name(tid)
                    total[re.sub(r"[-_ ]?\d+$", "", name)] += run / 1e6
        return total

    def thread_name(self, tid: int) -> str:
        return self.native.get(tid) or self.comm.get(tid, str(tid))

    def explain(self, outcome: Outcome, out: Callable[[str], None]) -> None:
        for start, end in outcome.late:
            stall = (end - start) * 1000 - INTERVAL_MS
            out(f"\n  [{outcome.label}] stall of {stall:.0f} ms")
            window = self._window(start, end)
            if window is not None:
                deltas, cpu, seconds = window
                run, wait = deltas.get(self.gui_tid, (0, 0))
                gap_ms = seconds * 1000
                busy = sum(cpu) - cpu[3] - cpu[4] - cpu[7]
                out(f"    GUI thread over the sampled {gap_ms:.0f} ms: running {run / 1e6:.0f} ms, waiting for a CPU "
                    f"{wait / 1e6:.0f} ms, blocked {max(0.0, gap_ms - (run + wait) / 1e6):.0f} ms; machine: "
                    f"{busy / self.hz / seconds:.1f} cores busy, {cpu[7] / self.hz / seconds:.1f} stolen")
                others = sorted(((d[0], tid) for tid, d in deltas.items() if tid != self.gui_tid), reverse=True)
                busiest = ", ".join(f"{self.thread_name(tid)} {ns / 1e6:.0f} ms" for ns, tid in others[:5] if ns > 1e6)
                out(f"    other threads (and children) on a CPU meanwhile: {busiest or 'none'}")
            for began, took, generation, thread, collected in self.gc.pauses:
                if began < end and began + took > start:
                    out(f"    garbage collection of generation {generation} on {thread}: {took * 1000:.0f} ms "
                        f"({collected} objects freed)")
            events = [e for e in self.clock.long if e[0] < end and e[0] + e[1] > start]
            if events:
                outermost = min(e[3] for e in events)
                out("    GUI thread's events over 5 ms (wall ms / GUI-thread CPU ms, nesting):")
                for _began, took, cpu_s, depth, what in events[:10]:
                    out(f"      {took * 1000:5.0f} /{cpu_s * 1000:4.0f}{'  ' * (depth - outermost + 1)}{what}")
            samples = [sample for sample in self.watchdog.samples if start < sample[0] < end]
            if not samples:
                out("    (no stack sample: the watchdog did not run during the stall: the GIL was held all along, "
                    "or the process had no CPU)")
            for _when, late, stacks in samples[:3]:
                out(f"    stacks {late * 1000:.0f} ms into the stall:")
                for name, frames in sorted(stacks.items(), key=lambda item: item[0] != "GUI thread"):
                    if name != "GUI thread" and _waiting(frames):
                        continue
                    out(f"      {name}:")
                    for frame in brief(frames):
                        out(f"        {frame}")


def _waiting(frames: list[str]) -> bool:
    """A thread parked in a wait (lock, queue, select, sleep): not what holds the GIL."""
    if not frames:
        return True
    top = frames[0]
    return top.startswith(("threading.py", "queue.py", "selectors.py")) or top.endswith((" wait", " select"))


# --- main -----------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--programmes", type=int, default=3, help="programmes uploaded per run")
    parser.add_argument("--mib", type=float, default=6.0, help="size of each programme")
    parser.add_argument("--listens", type=int, default=2, help="segments listened to per run")
    parser.add_argument("--latency", type=float, default=0.3, help="seconds the speech server waits per request")
    parser.add_argument("--servers", choices=("process", "thread"), default="process")
    parser.add_argument("--switch-interval", type=float, default=None, help="sys.setswitchinterval, seconds")
    parser.add_argument("--trace", action="store_true", help="explain each stall over the target")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--sample", type=int, nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        serve(args.serve, args.latency)
        return 0
    if args.sample is not None:
        sample(args.sample)
        return 0

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="bench-gui-stall-") as temp:
        root = Path(temp)
        # Target secrets go to keyrings.alt's file backend in the temporary folder, as in the tests.
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
        os.environ["XDG_DATA_HOME"] = str(root / "keyring")
        return measure(args, root)


def measure(args: argparse.Namespace, root: Path) -> int:
    from PySide6.QtWidgets import QApplication

    from benchmarks.bench_synthesis import machine
    from studio.paths import StudioPaths
    from studio.services import Studio
    from studio.speech.edge import EdgeEngine
    from studio.speech.engine import VoiceParams
    from studio.store.outbox import JobState
    from studio.ui.app import GUI_SWITCH_INTERVAL_S, WARM_MODULES, build_main_window, settle_memory
    from studio.ui.collector import GuiThreadCollector
    from tests.integration.outbox_helpers import FAST, make_people, payload, queue

    # The studio's window sets its own interval (open_application); --switch-interval tries another.
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S if args.switch_interval is None else args.switch_interval)

    clock = EventClock() if args.trace else None
    app = QApplication.instance() or (tracing_application(clock) if clock is not None
                                      else QApplication([sys.argv[0]]))
    collector = GuiThreadCollector(app)  # as run_gui does: cyclic garbage is collected by the GUI thread only
    collector.start()
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}")
    print(f"servers: {args.servers}; GIL switch interval {sys.getswitchinterval() * 1000:g} ms; "
          f"probe: {INTERVAL_MS} ms QTimer on the GUI thread; target: max stall <= {TARGET_MS:.0f} ms")
    print(f"load: render of the open bulletin + {args.listens} segments listened to (online voice, "
          f"{args.latency * 1000:.0f} ms server latency) + {args.programmes} x {args.mib:g} MiB uploaded over HTTP\n")
    texts = [[f"{LISTEN_TEXTS[(run * args.listens + i) % len(LISTEN_TEXTS)]} Lần {run + 1}."
              for i in range(args.listens)] for run in range(args.repeat)]
    size = int(args.mib * (1 << 20))

    with ExitStack() as stack:
        endpoints = stack.enter_context(servers(root / "servers", args.latency, args.servers))
        with EdgeEngine() as warm:  # the server makes (and memoises) its answers now, not during the runs
            for text in (t for run in texts for t in run):
                warm.synthesize(text, VoiceParams("vi-VN-HoaiMyNeural"))
        studio = Studio.open(StudioPaths.under(root / "home"))
        stack.callback(studio.close)
        studio.ensure_library()
        [demo] = studio.repo.list_bulletins()
        crew = make_people(studio)
        target = studio.repo.add_target(studio.station().id, "bench-http", "http", {"url": endpoints.http_url})
        studio.credentials.set(target.name, endpoints.token)
        officer = studio.signed_in = crew.officer

        def queue_run(run: int) -> list[int]:
            """This run's approved programmes, queued just before it (the outbox sends them when woken)."""
            made = [queue(studio, crew, target, f"Chương trình {run}-{i}", payload(size, run * 100 + i)).id
                    for i in range(args.programmes)]
            studio.signed_in = officer
            return made

        window = build_main_window(studio, language="en")
        window.bridge.runner.backoff = FAST
        window.show()

        def close_window() -> None:
            window.close()
            window.runner.shutdown()
            window.bridge.stop()

        stack.callback(close_window)
        run_loop(lambda: window.editor.bulletin_id is not None, 20)
        window.open_bulletin(demo.id)  # the sample bulletin, not one of the approved programmes being sent
        if not run_loop(lambda: window.editor.bulletin_id == demo.id, 20):
            print("the window did not show the sample bulletin")
            return 1
        settle_memory(window.runner)  # as run_gui does once the window is up
        if not run_loop(lambda: all(name in sys.modules for name in WARM_MODULES), 30):
            print("the background warm-up did not start")
            return 1
        for name in WARM_MODULES:  # a module is in sys.modules from the start of its import: wait for its end
            importlib.import_module(name)
        settle(1.0)  # the warm-up task ends (with its gc.freeze) and its end is delivered

        probe = Probe()
        tracer: Tracer | None = None
        sampler: subprocess.Popen[str] | None = None
        if args.trace:
            watchdog = Watchdog(probe, threading.get_ident())
            tracer = Tracer(threading.get_native_id(), watchdog, clock or EventClock(), GcClock())
            gc.callbacks.append(tracer.gc)
            stack.callback(gc.callbacks.remove, tracer.gc)
            pids = [os.getpid()] + ([endpoints.pid] if endpoints.pid != os.getpid() else [])
            sampler = stack.enter_context(child(["--sample", *map(str, pids)]))
            watchdog.start()
            stack.callback(watchdog.stop)
        meter = CpuMeter(os.getpid(), endpoints.pid if endpoints.pid != os.getpid() else None)

        print(f"{'':13}{'---------- load ----------':>32}  {'----- idle -----':>24}  {'cores used during load':>26}  "
              "idle")
        print(f"{'run':<5}{'seconds':>8}{'max ms':>9}{'p99 ms':>8}{'>50ms':>7}{'GUI busy':>9}  "
              f"{'max ms':>9}{'p99 ms':>8}{'>50ms':>7}  studio servers others stolen  others  work done")
        jobs: list[list[int]] = []
        outcomes: list[tuple[Outcome, Outcome]] = []
        for run in range(args.repeat):
            edit_bulletin(window, run)
            settle(1.5)  # the editor's text checks and the autosave of the edit finish before the probe
            jobs.append(queue_run(run))
            if tracer is not None:
                tracer.remember_threads()
            before = meter.read()
            load = load_run(window, probe, target.id, set(jobs[run]), texts[run], f"run {run + 1} load", timeout=60)
            middle = meter.read()
            if tracer is not None:
                tracer.remember_threads()
            settle(0.5)
            idle_start = meter.read()
            idle = idle_run(probe, load.seconds, f"run {run + 1} idle")
            after = meter.read()
            outcomes.append((load, idle))
            studio_cores, server_cores, other_cores, stolen = meter.cores(before, middle)
            idle_others = sum(meter.cores(idle_start, after)[2:])
            print(f"{run + 1:<5}{load.seconds:>8.1f}{max(load.stalls, default=0):>9.1f}"
                  f"{percentile(load.stalls, 99):>8.1f}{len(load.late):>7}{load.busy:>9.0%}  "
                  f"{max(idle.stalls, default=0):>9.1f}{percentile(idle.stalls, 99):>8.1f}{len(idle.late):>7}  "
                  f"{studio_cores:>6.2f}{server_cores:>8.2f}{other_cores:>7.2f}{stolen:>7.2f}{idle_others:>8.2f}  "
                  f"{load.work}")

        loads = [pair[0] for pair in outcomes]
        idles = [pair[1] for pair in outcomes]
        all_load = [s for o in loads for s in o.stalls]
        all_idle = [s for o in idles for s in o.stalls]
        load_max = max(all_load, default=0)
        print(f"\nall runs: load max {load_max:.1f} ms, p99 {percentile(all_load, 99):.1f} ms | "
              f"idle max {max(all_idle, default=0):.1f} ms, p99 {percentile(all_idle, 99):.1f} ms")
        if len(loads) > 1:
            steady = [s for o in loads[1:] for s in o.stalls]
            steady_idle = [s for o in idles[1:] for s in o.stalls]
            print(f"runs 2+ (steady state): load max {max(steady, default=0):.1f} ms, p99 "
                  f"{percentile(steady, 99):.1f} ms | idle max {max(steady_idle, default=0):.1f} ms, p99 "
                  f"{percentile(steady_idle, 99):.1f} ms")
        print(f"target max stall <= {TARGET_MS:.0f} ms under load: {'met' if load_max <= TARGET_MS else 'NOT met'}")
        states = {job.state for run_jobs in jobs for job_id in run_jobs
                  if (job := studio.outbox.get(job_id)) is not None}
        if states != {JobState.DONE}:
            print(f"outbox job states: {sorted(s.value for s in states)}")

        if tracer is not None and sampler is not None:
            assert sampler.stdin is not None and sampler.stdout is not None
            sampler.stdin.close()
            tracer.load_samples(sampler.stdout.read())
            pauses = tracer.gc.pauses
            if pauses:
                print(f"\ngarbage collections over 2 ms: {len(pauses)}, longest "
                      f"{max(p[1] for p in pauses) * 1000:.0f} ms, generation 2: "
                      f"{sum(1 for p in pauses if p[2] == 2)}, total {sum(p[1] for p in pauses) * 1000:.0f} ms")
            print(f"objects tracked by the garbage collector at the end: {len(gc.get_objects()):,}")
            spans = [(o.start, o.start + o.seconds) for o in loads]
            by_thread = tracer.cpu_by_thread(spans)
            seconds = sum(o.seconds for o in loads)
            print(f"\nCPU during the load runs ({seconds:.1f} s), by thread or child process (ms):")
            print("  " + ", ".join(f"{name} {ms:.0f}" for name, ms in by_thread.most_common(14)))
            kinds: Counter[str] = Counter()
            counts: Counter[str] = Counter()
            for began, _took, cpu_s, _depth, what in tracer.clock.long:
                if any(start <= began < end for start, end in spans):
                    kinds[what] += cpu_s * 1000
                    counts[what] += 1
            if tracer.clock.undeliverable:
                print(f"(the tracer dropped {tracer.clock.undeliverable} events PySide gave it a stale receiver for)")
            print("GUI thread's events over 5 ms during the load runs, by GUI-thread CPU (ms, count; an event's "
                  "nested events are in its own figure too):")
            for what, ms in kinds.most_common(10):
                print(f"  {ms:6.0f}  x{counts[what]:<4} {what}")
            print("\nstalls over the target, explained:")
            for load, idle in outcomes:
                tracer.explain(load, print)
                tracer.explain(idle, print)
        app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
