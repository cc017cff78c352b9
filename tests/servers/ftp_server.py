"""A real FTP or FTPS server (pyftpdlib) on 127.0.0.1 for tests, with faults a test switches on and off.

The delivery code talks to it with the real :mod:`ftplib` client over real sockets; only the faults are
staged, and they are staged where a real server meets them — its file writes and its finished uploads:

* ``cut_after_bytes``: an upload stops after that many bytes of the file and the server answers
  ``426 Connection reset by peer`` (what it says when the link breaks); what arrived stays on disk;
* ``disk_full``: writing an upload fails with ``ENOSPC`` and the server answers ``426 No space left on device``;
* ``truncate`` / ``corrupt``: an upload is accepted (``226``) but loses its last byte / gets its last byte changed;
* ``no_overwrite``: ``RNTO`` onto an existing file is refused (``550``), as Windows servers do;
* ``pasv_address``: ``PASV`` replies name this address instead of the server's own (a misconfigured or hostile
  server); a client must keep using the address it connected to;
* ``hash_command``: ``FEAT`` advertises ``HASH SHA-1*;SHA-256`` (draft-bryan-ftpext-hash) and ``HASH`` answers, so
  a client must select SHA-256 with ``OPTS HASH SHA-256`` first.

Every command line the server receives is in :attr:`FtpServer.commands` (passwords masked) and the bytes written
into uploaded files are counted in :attr:`FtpServer.received_bytes`, so a test can tell that a resumed upload sent
only the rest. The server runs its own IO loop in a daemon thread and stops when the context manager exits.
:func:`raw_reply_server` is a socket server that answers every connection with fixed bytes, for clients facing
garbage.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import socket
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

with warnings.catch_warnings():  # pyftpdlib still imports asyncore and asynchat, deprecated since Python 3.11
    warnings.simplefilter("ignore", DeprecationWarning)
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.exceptions import _FileReadWriteError
    from pyftpdlib.filesystems import AbstractedFS
    from pyftpdlib.handlers import DTPHandler, FTPHandler, TLS_DTPHandler, TLS_FTPHandler
    from pyftpdlib.ioloop import IOLoop
    from pyftpdlib.log import logger
    from pyftpdlib.servers import FTPServer

# Without a handler pyftpdlib configures the root logger itself the first time a loop runs.
logging.getLogger("pyftpdlib").addHandler(logging.NullHandler())

HOST = "127.0.0.1"


class FtpServer:
    """A running server: where to connect, its folder, the fault switches and what it saw."""

    def __init__(self, root: Path, *, user: str, password: str, tls: bool) -> None:
        self.host = HOST
        self.port = 0
        self.root = root
        self.user = user
        self.password = password
        self.tls = tls
        self.cut_after_bytes: int | None = None
        self.disk_full = False
        self.truncate = False
        self.corrupt = False
        self.hash_command = False
        self.pasv_address: str | None = None
        self.no_overwrite = False
        self.commands: list[str] = []
        self.received_bytes = 0
        self._changed = threading.Condition()

    def count(self, prefix: str) -> int:
        """How many received command lines start with ``prefix`` (e.g. ``"STOR "``)."""
        return sum(1 for line in list(self.commands) if line.upper().startswith(prefix.upper()))

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until the server has done what ``predicate`` checks (it works in its own thread: a client that
        gave up does not wait for the server to finish writing what it received)."""
        with self._changed:
            if not self._changed.wait_for(predicate, timeout):
                raise AssertionError("the FTP server did not reach the expected state in time")

    def notify(self) -> None:
        with self._changed:
            self._changed.notify_all()


class _HookedFile:
    """An uploaded file as the server writes it: counts bytes and plays the write faults."""

    def __init__(self, file: Any, fixture: FtpServer) -> None:
        self._file = file
        self._fixture = fixture
        self._written = 0

    def write(self, data: bytes) -> int:
        fixture = self._fixture
        if fixture.disk_full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        limit = fixture.cut_after_bytes
        cut = limit is not None and self._written + len(data) > limit
        if cut:
            assert limit is not None
            data = data[: max(0, limit - self._written)]
        self._file.write(data)
        self._written += len(data)
        fixture.received_bytes += len(data)
        if cut:
            raise ConnectionResetError(errno.ECONNRESET, os.strerror(errno.ECONNRESET))
        return len(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


class _HookedFS(AbstractedFS):
    def open(self, filename: str, mode: str) -> Any:
        file = super().open(filename, mode)
        if any(flag in mode for flag in "wa+"):
            return _HookedFile(file, self.cmd_channel.fixture)
        return file


class _HookedDTP:
    """Data channel mixin: answers a failed file write with the OS's reason, as real servers do (pyftpdlib 2.2
    loses the errno and answers ``426 None``), and tells the fixture when a transfer ends."""

    cmd_channel: Any
    _resp: tuple[str, Any]

    def handle_error(self) -> None:
        try:
            raise  # the IO loop calls this from its except clause
        except _FileReadWriteError as err:
            cause = err.args[0] if err.args and isinstance(err.args[0], OSError) else err
            reason = os.strerror(cause.errno) if cause.errno else str(cause)
            self._resp = (f"426 {reason}; transfer aborted.", logger.debug)
            self.close()
        except Exception:
            super().handle_error()

    def close(self) -> None:
        super().close()
        self.cmd_channel.fixture.notify()


class _HookedControl:
    """Control channel mixin: records commands, plays the after-upload faults and speaks HASH when asked to."""

    fixture: FtpServer
    fs: Any
    _extra_feats: list[str]
    _hash_algorithm = "SHA-1"
    proto_cmds: dict[str, dict[str, Any]]

    @property
    def masquerade_address(self) -> str | None:  # what pyftpdlib puts in its PASV replies
        return self.fixture.pasv_address

    def pre_process_command(self, line: str, cmd: str, arg: str) -> None:
        self.fixture.commands.append("PASS ******" if cmd == "PASS" else line)
        super().pre_process_command(line, cmd, arg)
        self.fixture.notify()

    def on_file_received(self, file: str) -> None:
        fixture = self.fixture
        if fixture.truncate or fixture.corrupt:
            with open(file, "r+b") as f:
                size = f.seek(0, os.SEEK_END)
                if size and fixture.truncate:
                    f.truncate(size - 1)
                elif size:
                    f.seek(size - 1)
                    last = f.read(1)[0]
                    f.seek(size - 1)
                    f.write(bytes([last ^ 0xFF]))

    def ftp_RNTO(self, path: str) -> None:
        if self.fixture.no_overwrite and os.path.exists(path):
            self._rnfr = None
            self.respond("550 File exists.")
            return
        super().ftp_RNTO(path)

    def ftp_FEAT(self, line: str) -> None:
        extra = self._extra_feats
        if self.fixture.hash_command:
            self._extra_feats = [*extra, "HASH SHA-1*;SHA-256"]
        try:
            super().ftp_FEAT(line)
        finally:
            self._extra_feats = extra

    def ftp_OPTS(self, line: str) -> None:
        words = line.split()
        if not (words and words[0].upper() == "HASH" and self.fixture.hash_command):
            super().ftp_OPTS(line)
        elif len(words) == 2 and words[1].upper() in ("SHA-1", "SHA-256"):
            self._hash_algorithm = words[1].upper()
            self.respond(f"200 {self._hash_algorithm}")
        elif len(words) == 1:
            self.respond(f"200 {self._hash_algorithm}")
        else:
            self.respond("504 Unsupported hash algorithm.")

    def ftp_HASH(self, path: str) -> None:
        if not self.fixture.hash_command:
            self.respond('500 Command "HASH" not understood.')
            return
        try:
            with open(path, "rb") as f:
                digest = hashlib.file_digest(f, self._hash_algorithm.replace("-", "").lower())
                size = f.tell()
        except OSError as exc:
            self.respond(f"550 {exc.strerror}.")
            return
        self.respond(f"213 {self._hash_algorithm} 0-{size} {digest.hexdigest()} {self.fs.fs2ftp(path)}")


_HASH_SYNTAX = {"perm": "r", "auth": True, "arg": True, "help": "Syntax: HASH <SP> file-name (file checksum)."}


def _handler_class(fixture: FtpServer, tls_cert: Path | None) -> type:
    authorizer = DummyAuthorizer()
    authorizer.add_user(fixture.user, fixture.password, str(fixture.root), perm="elradfmwMT")
    control, data = (TLS_FTPHandler, TLS_DTPHandler) if tls_cert else (FTPHandler, DTPHandler)
    attrs: dict[str, Any] = {
        "fixture": fixture,
        "authorizer": authorizer,
        "abstracted_fs": _HookedFS,
        "dtp_handler": type("FixtureDTPHandler", (_HookedDTP, data), {}),
        "proto_cmds": {**control.proto_cmds, "HASH": _HASH_SYNTAX},
        "auth_failed_timeout": 0.05,  # pyftpdlib waits 3 s before answering a wrong password
        "banner": "Commune controller test server ready.",
    }
    if tls_cert:
        attrs.update(certfile=str(tls_cert), keyfile=None, ssl_context=None)
    return type("FixtureFTPHandler", (_HookedControl, control), attrs)


@contextmanager
def ftp_server(root: Path, *, tls_cert: Path | None = None, user: str = "studio",
               password: str = "loa-xa-2024") -> Iterator[FtpServer]:
    """Serve ``root`` to ``user``/``password`` on 127.0.0.1 (a free port) until the block ends.

    ``tls_cert``: a PEM file with the server's private key and certificate chain (e.g. trustme's
    ``private_key_and_cert_chain_pem``) turns on explicit FTPS (``AUTH TLS``; plain FTP stays allowed)."""
    fixture = FtpServer(root, user=user, password=password, tls=tls_cert is not None)
    server = FTPServer((HOST, 0), _handler_class(fixture, tls_cert), ioloop=IOLoop())
    fixture.port = server.address[1]
    stop = threading.Event()

    def serve() -> None:
        try:
            while not stop.is_set():
                server.serve_forever(timeout=0.05, blocking=False, handle_exit=False)
        finally:
            server.close_all()

    thread = threading.Thread(target=serve, name="ftp-test-server", daemon=True)
    thread.start()
    try:
        yield fixture
    finally:
        stop.set()
        thread.join(10)


@contextmanager
def raw_reply_server(reply: bytes) -> Iterator[tuple[str, int]]:
    """A server on 127.0.0.1 that answers every connection with ``reply`` and hangs up: a client must
    turn whatever it gets (over-long lines, garbage, not UTF-8) into an error, not a crash."""
    listener = socket.create_server((HOST, 0))
    listener.settimeout(0.05)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                try:
                    conn.sendall(reply)
                    conn.shutdown(socket.SHUT_WR)
                except OSError:
                    pass

    thread = threading.Thread(target=serve, name="raw-reply-server", daemon=True)
    thread.start()
    try:
        yield HOST, listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(10)
        listener.close()
