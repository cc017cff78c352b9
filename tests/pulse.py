"""A private PulseAudio daemon for the tests, with a microphone the tests speak into.

The daemon runs from a throw-away folder: its own socket, runtime and state folders, no system or user
configuration (``-n``: no ``default.pa``; ``PULSE_CONFIG`` names an empty ``daemon.conf``), no session bus
in its environment, and it never exits on its own (``--exit-idle-time=-1``). Clients get ``PULSE_SERVER``,
a ``client.conf`` without autospawn and a cookie path in the same folder (nothing is written to ``~``).
As root (CI) it runs as an ordinary per-user daemon (``--system=false``); PulseAudio only warns about
that. Modules, loaded explicitly:

- ``module-native-protocol-unix`` on the private socket, anonymous (no cookie to share);
- ``module-null-sink``: speakers nobody hears, so playback in the GUI tests has a device too;
- ``module-pipe-source``: the microphone, s16le 48 kHz mono, read from a FIFO; the default source,
  kept live by a ``module-loopback`` into the speakers (see :meth:`PulseServer.add_microphone`).

:class:`Microphone` writes into that FIFO from a thread, paced in real time and silent between
signals, so the source behaves like a microphone that is always on (a pipe source whose FIFO nobody
writes produces no samples at all, which a recorder would take for an unplugged device).

Qt connects to a sound server once per process, when QtMultimedia is first used, and never retries:
the daemon must be running, and ``PULSE_SERVER`` exported, before any test touches QtMultimedia.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

RATE = 48000
SPEAKERS = "studio_test_speakers"
MICROPHONE = "studio_test_microphone"
_START_TIMEOUT_S = 15.0


def find_pulseaudio() -> tuple[str, str] | None:
    """``(pulseaudio, pactl)`` executables, or ``None`` when the packages are not installed."""
    daemon, pactl = shutil.which("pulseaudio"), shutil.which("pactl")
    return (daemon, pactl) if daemon and pactl else None


@dataclass
class PulseServer:
    """A running private daemon. ``client_env`` is what a client (Qt, pactl) needs to talk to it."""

    root: Path
    pactl_exe: str
    process: subprocess.Popen[bytes]
    client_env: dict[str, str]
    microphone_module: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def socket(self) -> Path:
        return self.root / "native"

    @property
    def fifo(self) -> Path:
        return self.root / "microphone.fifo"

    @property
    def log(self) -> Path:
        return self.root / "pulseaudio.log"

    def pactl(self, *args: str) -> str:
        proc = subprocess.run([self.pactl_exe, *args], capture_output=True, text=True, timeout=15,
                              env={**os.environ, **self.client_env})
        if proc.returncode != 0:
            raise RuntimeError(f"pactl {' '.join(args)} failed: {proc.stderr.strip()}\n{self.log_tail()}")
        return proc.stdout

    def sources(self) -> list[str]:
        return [line.split("\t")[1] for line in self.pactl("list", "short", "sources").splitlines() if line]

    def add_microphone(self) -> None:
        """Plug the microphone in (again): load the pipe source, make it the default source, and keep it live.

        ``module-pipe-source`` only reads its FIFO while something records from it: idle, the FIFO fills
        up and the next take would start with 0.7 s of old sound. A loopback into the speakers keeps it
        reading, as a real microphone delivers the present moment whenever a take starts.
        """
        with self._lock:
            if self.microphone_module is not None:
                return
            index = self.pactl("load-module", "module-pipe-source", f"source_name={MICROPHONE}",
                               f"file={self.fifo}", "format=s16le", f"rate={RATE}", "channels=1",
                               "source_properties='device.description=\"Test microphone\"'")
            self.microphone_module = int(index.strip())
            self.pactl("set-default-source", MICROPHONE)
            # source_dont_move: the loopback unloads itself with the microphone
            self.pactl("load-module", "module-loopback", f"source={MICROPHONE}", f"sink={SPEAKERS}",
                       "latency_msec=20", "source_dont_move=true", "sink_dont_move=true")

    def remove_microphone(self) -> None:
        """Unplug the microphone: unload its module (PulseAudio deletes the FIFO and moves recordings)."""
        with self._lock:
            if self.microphone_module is None:
                return
            self.pactl("unload-module", str(self.microphone_module))
            self.microphone_module = None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.process.poll() is None


@contextlib.contextmanager
def private_daemon(*, microphone: bool = True) -> Iterator[PulseServer]:
    """Start a daemon in a fresh temporary folder; stop it and remove the folder afterwards.

    ``microphone=False`` starts one without any source but the speakers' monitor (which Qt does not
    offer as an input): a computer with no microphone.
    """
    found = find_pulseaudio()
    if found is None:
        raise RuntimeError("PulseAudio is not installed")
    daemon_exe, pactl_exe = found
    root = Path(tempfile.mkdtemp(prefix="studio-pulse-"))
    (root / "daemon.conf").write_text("", encoding="utf-8")
    (root / "client.conf").write_text("autospawn = no\n", encoding="utf-8")
    socket = root / "native"
    daemon_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": str(root),
        "XDG_CONFIG_HOME": str(root / "config"),
        "XDG_RUNTIME_DIR": str(root),
        "PULSE_RUNTIME_PATH": str(root / "runtime"),
        "PULSE_STATE_PATH": str(root / "state"),
        "PULSE_CONFIG": str(root / "daemon.conf"),
        "PULSE_CLIENTCONFIG": str(root / "client.conf"),
    }
    args = [
        daemon_exe, "-n", "--daemonize=no", "--system=false", "--exit-idle-time=-1", "--use-pid-file=no",
        "--realtime=no", "--high-priority=no", "--log-target=stderr", "--log-level=notice",
        f"--load=module-native-protocol-unix socket={socket} auth-anonymous=1 auth-cookie-enabled=0",
        f"--load=module-null-sink sink_name={SPEAKERS} rate={RATE} "
        "sink_properties='device.description=\"Test speakers\"'",
    ]  # fmt: skip
    # The daemon never exits by itself (--exit-idle-time=-1): ask the kernel to end it with the test process
    # that started it, which a crash (a segfault in Qt, a kill -9 at a timeout) ends without this cleanup.
    setpriv = shutil.which("setpriv")  # util-linux (essential on Debian); Linux only, like PulseAudio here
    if setpriv is not None:
        args = [setpriv, "--pdeathsig", "TERM", "--", *args]
    with open(root / "pulseaudio.log", "wb") as log:
        process = subprocess.Popen(args, env=daemon_env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                   cwd=root)
    server = PulseServer(root, pactl_exe, process, {
        "PULSE_SERVER": f"unix:{socket}",
        "PULSE_CLIENTCONFIG": str(root / "client.conf"),
        "PULSE_COOKIE": str(root / "cookie"),
    })
    try:
        _wait_until_ready(server)
        if microphone:
            server.add_microphone()
        yield server
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        shutil.rmtree(root, ignore_errors=True)


def _wait_until_ready(server: PulseServer) -> None:
    deadline = time.monotonic() + _START_TIMEOUT_S
    while True:
        if not server.alive():
            raise RuntimeError(f"PulseAudio exited with {server.process.returncode}:\n{server.log_tail()}")
        if server.socket.exists():
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                server.pactl("info")
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"PulseAudio did not start within {_START_TIMEOUT_S:.0f} s:\n{server.log_tail()}")
        time.sleep(0.05)


Int16Array = npt.NDArray[np.int16]


def to_int16(samples: npt.ArrayLike) -> Int16Array:
    """Float samples in [-1, 1] to 16-bit (values beyond full scale are clipped, as an ADC would)."""
    scaled = np.round(np.asarray(samples, dtype=np.float64) * 32768.0)
    return np.clip(scaled, -32768, 32767).astype(np.int16)


def sine(frequency: float, dbfs: float, seconds: float, *, rate: int = RATE, noise_lsb: float = 1.0,
         seed: int = 1) -> Int16Array:
    """A sine whose peak is ``dbfs`` (re full scale), with a little noise like a real microphone's.

    The noise also keeps the file from being exactly periodic: a pure 1 kHz tone at 48 kHz repeats every
    192 bytes, which ffmpeg's probe can take for MPEG transport stream packets.
    """
    t = np.arange(round(seconds * rate)) / rate
    amplitude = 10 ** (dbfs / 20)
    noise = np.random.default_rng(seed).normal(0.0, noise_lsb / 32768, t.size)
    return to_int16(amplitude * np.sin(2 * np.pi * frequency * t) + noise)


def square(frequency: float, seconds: float, *, rate: int = RATE) -> Int16Array:
    """A full-scale square wave: every half period sits at ±32767, the clip indicator must light."""
    t = np.arange(round(seconds * rate)) / rate
    return np.where(np.sin(2 * np.pi * frequency * t) >= 0, 32767, -32767).astype(np.int16)


class Microphone:
    """Feeds the daemon's pipe source in real time, like a microphone that is always on.

    Between signals it writes a live microphone's faint noise (about -96 dBFS): never exactly zero for
    long, unlike the digital silence of a source with nothing behind it. :meth:`say` queues a signal
    once (its event is set when the last sample has been written), :meth:`hold` repeats one until
    :meth:`quiet`. ``chunk_s`` is how much sound each write hands over: 10 ms by default; a sound card
    with long periods delivers 100 ms at once. When the source is unloaded (the microphone unplugged)
    the feeder waits for the FIFO to come back.
    """

    LEAD_S = 0.03  # how far ahead of real time the FIFO is kept

    def __init__(self, fifo: Path, *, rate: int = RATE) -> None:
        self.fifo = fifo
        self.rate = rate
        self.chunk_s = 0.01
        self._lock = threading.Lock()
        self._signal: Int16Array | None = None
        self._position = 0
        self._loop = False
        self._done: threading.Event | None = None
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._run, name="test-microphone", daemon=True)
        self._noise = np.random.default_rng(7)
        self.behind_s = 0.0  # how far the feeder is behind real time (blocked by a source that stopped reading)

    def start(self) -> Microphone:
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()
        self._thread.join(5)

    def say(self, samples: Int16Array) -> threading.Event:
        """Play ``samples`` once, then silence. Returns an event set when they have all been written."""
        return self._set(samples, loop=False)

    def hold(self, samples: Int16Array) -> None:
        """Play ``samples`` over and over (a steady tone) until :meth:`quiet` or another signal."""
        self._set(samples, loop=True)

    def quiet(self) -> None:
        with self._lock:
            if self._done is not None:
                self._done.set()
            self._signal, self._done = None, None

    def _set(self, samples: Int16Array, *, loop: bool) -> threading.Event:
        done = threading.Event()
        with self._lock:
            if self._done is not None:
                self._done.set()
            self._signal = np.ascontiguousarray(samples, dtype=np.int16)
            self._position, self._loop, self._done = 0, loop, done
        return done

    def _next_chunk(self, frames: int) -> bytes:
        with self._lock:
            signal = self._signal
            if signal is None or signal.size == 0:
                return self._hiss(frames).astype("<i2").tobytes()
            parts = []
            needed = frames
            while needed:
                piece = signal[self._position:self._position + needed]
                parts.append(piece)
                needed -= piece.size
                self._position += piece.size
                if self._position >= signal.size:
                    if not self._loop:
                        if self._done is not None:
                            self._done.set()
                        self._signal, self._done = None, None
                        parts.append(self._hiss(needed))
                        break
                    self._position = 0
            return np.concatenate(parts).astype("<i2").tobytes()

    def _hiss(self, frames: int) -> Int16Array:
        return to_int16(self._noise.normal(0.0, 0.7 / 32768, frames))

    def _open(self) -> int | None:
        try:
            fd = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)  # fails at once when nobody reads it
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENXIO):  # unplugged: no FIFO, or nobody reading it
                return None
            raise
        os.set_blocking(fd, True)  # the source always reads: a full pipe only means "wait a moment"
        return fd

    def _run(self) -> None:
        fd: int | None = None
        started, sent = time.monotonic(), 0
        try:
            while not self._closing.is_set():
                if fd is None:
                    fd = self._open()
                    if fd is None:
                        time.sleep(0.02)
                        continue
                    started, sent = time.monotonic(), 0
                frames = max(1, round(self.chunk_s * self.rate))
                try:
                    os.write(fd, self._next_chunk(frames))
                except BrokenPipeError:  # unplugged while writing
                    os.close(fd)
                    fd = None
                    continue
                sent += frames
                ahead = sent / self.rate - (time.monotonic() - started)
                self.behind_s = max(0.0, -ahead)
                if ahead > self.LEAD_S:
                    time.sleep(ahead - self.LEAD_S)
        finally:
            if fd is not None:
                os.close(fd)
