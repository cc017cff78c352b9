"""One studio per data folder: a second start hands its request to the studio already running, and ends.

On a slow PC an officer who sees nothing for a moment double-clicks the icon again, and a bulletin file
(``.bantin``) opened from Explorer runs ``studio open FILE`` whether or not the studio is open. A second
studio over the same library would ask for a second login and keep a second autosave and typing journal
of the same bulletins: two windows of one bulletin, each told of the other's saves as a conflict, and an
officer who cannot tell which window is which. So the second start brings the first one's window forward
(and gives it the file to import) and ends.

How: the first start takes a lock file in the data folder (:class:`InstanceLock`, a ``QLockFile``: atomic,
and a lock left behind by a studio that crashed or lost its power is recognised by its process ID and taken
over). Once its first window has painted it listens on a local socket named after the folder and the
person (:class:`InstanceServer`, a ``QLocalServer``: a named pipe on Windows). A later start that finds the
lock taken connects and sends its :class:`Request` as one line of JSON, waits for the answer and ends
(:func:`hand_over`). The lock, not the socket, decides who is first: a socket file left by a crash (Linux)
would make ``listen`` fail, and removing it could race with a live studio.

QtNetwork is imported only here, after the first window: it is not needed for the window itself.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, QSysInfo, QTimer, Signal, Slot

from studio.paths import StudioPaths

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

LOCK_NAME = "studio.lock"
# How long a second start tries to reach the first: the first listens only once its first window has
# painted, which on a slow PC just started may take a few seconds.
HANDOVER_WAIT_S = 10.0
_CONNECT_MS = 250
_ANSWER_MS = 5000
_MAX_LINE = 64 * 1024  # a request is a path or two; anything longer is not one
_OK = b"ok\n"

HANDED_OVER, FIRST, SILENT = "handed over", "first", "silent"


@dataclass(frozen=True)
class Request:
    """What a second start asks of the first: come forward, and import ``open_file`` when it names one."""

    open_file: Path | None = None

    def encode(self) -> bytes:
        body = {"open": str(self.open_file) if self.open_file is not None else None}
        return json.dumps(body, ensure_ascii=False).encode("utf-8") + b"\n"

    @classmethod
    def decode(cls, line: bytes) -> Request:
        """The request in ``line``; ``ValueError`` when it is not one."""
        body = json.loads(line.decode("utf-8"))
        if not isinstance(body, dict):
            raise ValueError("not a request")
        opened = body.get("open")
        if opened is not None and (not isinstance(opened, str) or "\0" in opened or not Path(opened).is_absolute()):
            raise ValueError("not a whole file name")  # a later start sends its file's full path
        return cls(Path(opened) if opened is not None else None)


def server_name(paths: StudioPaths) -> str:
    """The local socket's name for this person's studio over ``paths.data`` (one name a folder and a person:
    two Windows accounts on one PC each run their own studio)."""
    import getpass

    try:
        person = getpass.getuser()
    except Exception:  # no login name (a service account): the folder alone
        person = ""
    folder = os.path.normcase(os.path.realpath(paths.data))  # the same folder however the start named it
    # A checksum is enough to tell folders apart, and the request carries nothing the name protects.
    digest = zlib.crc32(f"{person}\0{folder}".encode()) & 0xFFFFFFFF
    return f"commune-radio-studio-{digest:08x}"


class InstanceLock:
    """The data folder's lock: held by the studio that runs over it, for as long as it runs."""

    def __init__(self, paths: StudioPaths) -> None:
        self.paths = paths
        self.path = paths.data / LOCK_NAME
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)  # held for hours: never stale by age, only when its process is gone

    def acquire(self) -> bool:
        """True when this start is the first (the lock is now held); False while another studio holds it.

        A folder where no lock can be written at all (read-only media) is no reason to refuse to start: the
        studio then runs without one (logged) and reports its own errors as it writes.
        """
        if self._lock.tryLock(0):
            return True
        if self._lock.error() == QLockFile.LockError.LockFailedError:
            return False
        log.warning("cannot take the lock %s (%s); starting without it", self.path, self._lock.error().name)
        return True

    def holder(self) -> str:
        """Who holds the lock, for the log: ``pid … on host``, or ``unknown``."""
        pid, host, app = self._lock.getLockInfo()
        return f"pid {pid} on {host} ({app})" if pid > 0 else "unknown"

    def holder_host(self) -> str:
        """The computer whose studio holds the lock (a data folder on a network share), or ``""``."""
        pid, host, _app = self._lock.getLockInfo()
        return host if pid > 0 else ""

    @staticmethod
    def host() -> str:
        """This computer's name as lock files record it."""
        return QSysInfo.machineHostName()

    def server_name(self) -> str:
        return server_name(self.paths)

    def release(self) -> None:
        if self._lock.isLocked():
            self._lock.unlock()


class InstanceServer(QObject):
    """Listens for later starts (on the GUI thread) and answers each request once it has been handed on."""

    #: A later start asked for something (a :class:`Request`).
    requested = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self._server: QLocalServer | None = None

    def listen(self) -> bool:
        """Start listening; False (logged) when the name cannot be used. Only the lock's holder calls this,
        so a name still taken is a socket file left by a studio that crashed: it is removed first."""
        from PySide6.QtNetwork import QLocalServer

        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)  # this person's accounts only
        if not server.listen(self.name):
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                log.warning("cannot listen for later starts on %s: %s", self.name, server.errorString())
                server.deleteLater()
                return False
        server.newConnection.connect(self._accept)
        self._server = server
        log.info("listening for later starts on %s", self.name)
        return True

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    @Slot()
    def _accept(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            _Conversation(server.nextPendingConnection(), self)

    def _heard(self, request: Request) -> None:
        log.info("a later start asks: %s", request)
        self.requested.emit(request)


class _Conversation(QObject):
    """One later start's connection: read its line, hand it on, answer, hang up (or give up after a while)."""

    def __init__(self, socket: QLocalSocket, server: InstanceServer) -> None:
        super().__init__(server)
        self.socket = socket
        self.server = server
        self.buffer = b""
        self.ended = False
        socket.setParent(self)
        socket.readyRead.connect(self._read)
        socket.disconnected.connect(self._end)
        QTimer.singleShot(_ANSWER_MS, self, self._end)
        self._read()

    @Slot()
    def _read(self) -> None:
        if self.ended:
            return
        self.buffer += bytes(self.socket.readAll().data())
        if b"\n" not in self.buffer:
            if len(self.buffer) > _MAX_LINE:
                log.warning("a later start sent %d bytes without a line end; hung up", len(self.buffer))
                self._end()
            return
        line = self.buffer.split(b"\n", 1)[0]
        try:
            request = Request.decode(line)
        except (ValueError, UnicodeDecodeError) as exc:
            log.warning("a later start sent what is not a request (%s); hung up", exc)
            self._end()
            return
        self.socket.write(_OK)
        self.socket.flush()
        self.server._heard(request)

    @Slot()
    def _end(self) -> None:
        if self.ended:
            return
        self.ended = True
        self.socket.disconnectFromServer()
        self.deleteLater()


def _send(name: str, request: Request) -> bool:
    """One attempt: connect, send, wait for the answer. True once the first studio has the request."""
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    try:
        socket.connectToServer(name)
        if not socket.waitForConnected(_CONNECT_MS):
            return False
        socket.write(request.encode())
        if not socket.waitForBytesWritten(_ANSWER_MS):
            return False
        answer = b""
        deadline = time.monotonic() + _ANSWER_MS / 1000
        connected = QLocalSocket.LocalSocketState.ConnectedState
        while not answer.endswith(b"\n") and time.monotonic() < deadline:
            if not socket.waitForReadyRead(_CONNECT_MS) and socket.state() != connected:
                break
            answer += bytes(socket.readAll().data())
        return answer == _OK
    finally:
        socket.abort()


def _let_it_come_forward() -> None:
    """Windows lets only the foreground program bring another window forward: this start is that program
    (the officer just started it), so it passes the right on to the studio it hands over to."""
    if sys.platform == "win32":
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY


def hand_over(lock: InstanceLock, request: Request, *, wait_s: float | None = None, pause_s: float = 0.2) -> str:
    """Give ``request`` to the studio that holds ``lock`` (blocking: no window is up yet).

    :data:`HANDED_OVER` once it has it; :data:`FIRST` when that studio ended meanwhile and this start now
    holds the lock itself (it goes on as the first); :data:`SILENT` when it held the lock and did not answer
    for ``wait_s`` seconds.
    """
    _let_it_come_forward()
    name = lock.server_name()
    wait_s = HANDOVER_WAIT_S if wait_s is None else wait_s
    deadline = time.monotonic() + wait_s
    while True:
        if _send(name, request):
            log.info("handed over to the studio already running (%s): %s", lock.holder(), request)
            return HANDED_OVER
        if lock.acquire():
            log.info("the studio that held %s has ended; this start goes on", lock.path)
            return FIRST
        if time.monotonic() >= deadline:
            log.warning("the studio holding %s (%s) did not answer for %.0f s", lock.path, lock.holder(), wait_s)
            return SILENT
        time.sleep(pause_s)
