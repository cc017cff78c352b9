"""Shared fixtures: isolated studio folders, real audio helpers."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Delivery passwords go to the OS credential store; the tests (and the CLI they start) use keyrings.alt's
# file backend in a throw-away folder instead of the desktop's keyring.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="studio-test-keyring-")

from studio.paths import StudioPaths


@pytest.fixture
def studio_paths(tmp_path: Path) -> StudioPaths:
    """A fresh, isolated set of studio directories under the test's temp folder."""
    return StudioPaths.under(tmp_path / "home").ensure()


@pytest.fixture(autouse=True)
def _crash_traces_reach_the_output(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each test, point faulthandler back at pytest's copy of stderr.

    ``studio.log`` points it at the studio's crash file, then back at ``sys.stderr``, which pytest captures:
    a segfault in a later test would print its trace where nobody sees it (CI shows only pytest's output).
    """
    yield
    import faulthandler

    try:
        from _pytest.faulthandler import fault_handler_stderr_fd_key  # pytest's own, private
    except ImportError:
        return
    fd = request.config.stash.get(fault_handler_stderr_fd_key, None)
    if fd is not None:
        faulthandler.enable(file=fd, all_threads=True)


@pytest.fixture(autouse=True)
def _garbage_collected_in_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test with Qt collects cyclic garbage in its own thread, as the studio does (studio.ui.collector): a
    collection started by a task's worker would destroy an earlier test's widgets from that thread."""
    if "qapp" not in request.fixturenames:
        yield
        return
    from studio.ui.collector import GuiThreadCollector

    request.getfixturevalue("qapp")
    collector = GuiThreadCollector()
    collector.start()
    yield
    collector.stop()
    collector.deleteLater()


def _require(what: str) -> None:
    """Outside CI a missing system service skips; in CI it fails, so nothing is silently untested."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI (.ci/run installs it)")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Admin URL of a PostgreSQL server for this test session."""
    from tests.postgres import find_bindir, temporary_cluster

    existing = os.environ.get("STUDIO_TEST_POSTGRES_URL")
    if existing:
        yield existing
        return
    bindir = find_bindir()
    if bindir is None:
        _require("PostgreSQL")
    assert bindir is not None
    with temporary_cluster(bindir) as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database per test on the session's server."""
    import uuid

    from sqlalchemy import create_engine, text

    name = f"studio_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = postgres_server.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", autouse=True)
def pulse_daemon() -> Iterator[object]:
    """A private PulseAudio daemon for the whole session (see ``tests/pulse.py``), its address exported.

    Started before the first test rather than by the recorder tests that need it: Qt connects to a sound
    server once per process, when QtMultimedia is first used (the GUI tests play renders), and never
    retries. Its null sink also keeps that playback off the developer's speakers. Yields the server, or
    why there is none (not installed: what is missing; failed to start: the error), for ``pulseaudio``.
    """
    import contextlib

    from tests.pulse import find_pulseaudio, private_daemon

    if find_pulseaudio() is None:
        yield "PulseAudio (pulseaudio, pactl)"
        return
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(private_daemon())
        except RuntimeError as exc:
            yield exc
            return
        env = stack.enter_context(pytest.MonkeyPatch.context())
        for name, value in server.client_env.items():
            env.setenv(name, value)
        yield server


@pytest.fixture(scope="session")
def pulseaudio(pulse_daemon: object) -> object:
    """The session's PulseAudio daemon (a ``tests.pulse.PulseServer``), its pipe-source microphone
    plugged in at the start. Skips (fails in CI) where PulseAudio is not installed."""
    if isinstance(pulse_daemon, str):
        _require(pulse_daemon)
    if isinstance(pulse_daemon, RuntimeError):
        pytest.fail(f"PulseAudio is installed but did not start: {pulse_daemon}")
    return pulse_daemon


@pytest.fixture(scope="module")
def microphone(pulseaudio: Any) -> Iterator[Any]:
    """The feeder thread (a ``tests.pulse.Microphone``), writing silence (or a test's signal) into the
    daemon's pipe source in real time."""
    from tests.pulse import Microphone

    feeder = Microphone(pulseaudio.fifo).start()
    yield feeder
    feeder.close()


@pytest.fixture
def mic(qtbot, pulseaudio: Any, microphone: Any) -> Iterator[Any]:
    """The microphone plugged in, silent, and known to Qt as the default input."""
    from PySide6.QtMultimedia import QMediaDevices

    from studio.ui.recorder import device_key
    from tests.pulse import MICROPHONE

    pulseaudio.add_microphone()
    microphone.quiet()
    microphone.chunk_s = 0.01
    qtbot.waitUntil(lambda: device_key(QMediaDevices.defaultAudioInput()) == MICROPHONE, timeout=5000)
    yield microphone
    microphone.quiet()
    microphone.chunk_s = 0.01
    pulseaudio.add_microphone()  # a test that unplugged it
