"""A real SFTP server on loopback, for tests of anything that speaks SFTP (the sftp delivery target).

It is paramiko's own server side (SSH transport, password authentication, the SFTP subsystem), so the
client library is exercised over the real wire protocol; only the file system behind it is a temporary
folder. Every path a client sends is resolved inside ``root``; one that would escape it (``..``, a symlink
out) is refused with "permission denied" and recorded in :attr:`SftpServer.refused`.

Faults are plain attributes, settable between (or during) connections:

* ``cut_after_bytes``: once that many file bytes were written in total, the write that crosses the limit
  stores its bytes up to the limit and the server drops the connection (fires once, then resets to None);
* ``truncate``: a file written to is cut to half its size when the client closes it, though every write was
  acknowledged; ``corrupt``: every write stores its first byte inverted (same size, other content);
* ``disk_full``: writes fail with the status a server sends for ENOSPC ("No space left on device");
* ``extra_listing``: names a hostile server adds to every directory listing (``"../evil.part"``);
* ``posix_rename``: whether the server advertises the ``posix-rename@openssh.com`` extension.

Observations: ``bytes_written`` (file bytes stored), ``password_attempts`` (user names, one per attempt),
``removed`` (paths clients asked to remove), ``renamed`` ((operation, old, new) per rename) and ``refused``
(paths refused for escaping the root).

Usage::

    with sftp_server(tmp_path / "root") as server:
        ...  # connect to server.host, server.port as server.user / server.password; trust server.fingerprint
"""

from __future__ import annotations

import errno
import io
import os
import socket
import stat
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import paramiko
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from paramiko.sftp import CMD_INIT, CMD_VERSION, SFTPError

POSIX_RENAME = "posix-rename@openssh.com"


def new_host_key() -> paramiko.PKey:
    """A fresh Ed25519 host key (instant to generate, unlike RSA)."""
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
    )
    return paramiko.Ed25519Key.from_private_key(io.StringIO(pem.decode("ascii")))


class SftpServer:
    """A running server: where it listens, what it serves, its fault switches and what it saw."""

    def __init__(self, root: Path, *, user: str, password: str, host_key: paramiko.PKey | None,
                 posix_rename: bool) -> None:
        self.root = root
        self.user = user
        self.password = password
        self.host_key = host_key or new_host_key()
        self.posix_rename = posix_rename
        self.cut_after_bytes: int | None = None
        self.truncate = False
        self.corrupt = False
        self.disk_full = False
        self.extra_listing: list[str] = []
        self.bytes_written = 0
        self.password_attempts: list[str] = []
        self.removed: list[str] = []
        self.renamed: list[tuple[str, str, str]] = []
        self.refused: list[str] = []
        self.lock = threading.Lock()
        self._transports: list[paramiko.Transport] = []
        self._stopping = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.host, self.port = self._listener.getsockname()[:2]
        self._thread = threading.Thread(target=self._serve, name="sftp-server", daemon=True)

    @property
    def key_type(self) -> str:
        return str(self.host_key.get_name())

    @property
    def fingerprint(self) -> str:
        """OpenSSH style, as ``ssh-keygen -lf`` prints it (computed by paramiko, not by the code under test)."""
        return str(self.host_key.fingerprint)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        self._listener.close()
        with self.lock:
            transports, self._transports = self._transports, []
        for transport in transports:
            transport.close()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            transport = paramiko.Transport(conn)
            transport.add_server_key(self.host_key)
            transport.set_subsystem_handler("sftp", _SftpSubsystem, _Folder)
            with self.lock:
                self._transports.append(transport)
            try:
                transport.start_server(event=threading.Event(), server=_Login(self, transport))
            except (paramiko.SSHException, OSError):
                transport.close()
                conn.close()

    def resolve(self, path: str) -> Path | None:
        """The file ``path`` names inside the root (absolute paths count from the root), or None when it
        would lie outside."""
        root = self.root.resolve()
        candidate = (root / path.lstrip("/")).resolve()
        if candidate.is_relative_to(root):
            return candidate
        with self.lock:
            self.refused.append(path)
        return None


@contextmanager
def sftp_server(root: Path, *, user: str = "studio", password: str = "s3cret-pass",
                host_key: paramiko.PKey | None = None, posix_rename: bool = True) -> Iterator[SftpServer]:
    """Serve ``root`` (created if needed) over SFTP on 127.0.0.1 until the block ends."""
    root.mkdir(parents=True, exist_ok=True)
    server = SftpServer(root, user=user, password=password, host_key=host_key, posix_rename=posix_rename)
    server.start()
    try:
        yield server
    finally:
        server.close()


class _Login(paramiko.ServerInterface):
    def __init__(self, server: SftpServer, transport: paramiko.Transport) -> None:
        self.server = server
        self.transport = transport

    def get_allowed_auths(self, username: str) -> str:
        return "password"

    def check_auth_password(self, username: str, password: str) -> int:
        with self.server.lock:
            self.server.password_attempts.append(username)
        if username == self.server.user and password == self.server.password:
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


class _Status(int):
    """An SFTP status code with the explanation a real server sends along (e.g. strerror(ENOSPC))."""

    desc: str

    def __new__(cls, code: int, desc: str) -> _Status:
        status = super().__new__(cls, code)
        status.desc = desc
        return status


class _SftpSubsystem(paramiko.SFTPServer):
    """paramiko's SFTP server, advertising posix-rename when asked to and sending status explanations."""

    def _send_server_version(self) -> int:
        kind, data = self._read_packet()
        if kind != CMD_INIT:
            raise SFTPError("Incompatible sftp protocol")
        extensions = ["check-file", "md5,sha1"]
        if self.server.server.posix_rename:
            extensions += [POSIX_RENAME, "1"]
        msg = paramiko.Message()
        msg.add_int(3)
        msg.add(*extensions)
        self._send_packet(CMD_VERSION, msg)
        return int(struct.unpack(">I", data[:4])[0])

    def _process(self, t: int, request_number: int, msg: paramiko.Message) -> None:
        if self.sock.get_transport().is_active():  # a dropped line carries no more requests, even buffered ones
            super()._process(t, request_number, msg)

    def _send_status(self, request_number: int, code: int, desc: str | None = None) -> None:
        if desc is None and isinstance(code, _Status):
            desc = code.desc
        super()._send_status(request_number, code, desc)


class _Handle(paramiko.SFTPHandle):
    def __init__(self, flags: int, file: IO[bytes], server: SftpServer, transport: paramiko.Transport) -> None:
        super().__init__(flags)
        self.file = file
        self.readfile = file
        if flags & (os.O_WRONLY | os.O_RDWR):
            self.writefile = file
        self.server = server
        self.transport = transport
        self.written = False

    def stat(self) -> Any:
        try:
            return paramiko.SFTPAttributes.from_stat(os.fstat(self.file.fileno()))
        except OSError as exc:
            return paramiko.SFTPServer.convert_errno(exc.errno)

    def chattr(self, attr: Any) -> int:
        return paramiko.SFTP_OK

    def write(self, offset: int, data: bytes) -> int:
        server = self.server
        if server.disk_full:
            return _Status(paramiko.SFTP_FAILURE, os.strerror(errno.ENOSPC))
        if server.corrupt and data:
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        self.written = True
        with server.lock:
            cut = server.cut_after_bytes
            if cut is not None and server.bytes_written + len(data) >= cut:
                server.cut_after_bytes = None
            else:
                cut = None
        if cut is not None:
            keep = max(0, cut - server.bytes_written)
            if keep and super().write(offset, data[:keep]) == paramiko.SFTP_OK:
                with server.lock:
                    server.bytes_written += keep
            self.transport.close()  # as if the line dropped: no status, no channel close
            return paramiko.SFTP_CONNECTION_LOST
        code = int(super().write(offset, data))
        if code == paramiko.SFTP_OK:
            with server.lock:
                server.bytes_written += len(data)
        return code

    def close(self) -> None:
        if self.server.truncate and self.written and not self.file.closed:
            self.file.truncate(os.fstat(self.file.fileno()).st_size // 2)
        self.file.close()
        super().close()


class _Folder(paramiko.SFTPServerInterface):
    """The server's view of the file system: ``root``, with nothing outside it reachable."""

    def __init__(self, login: _Login, *args: Any, **kwargs: Any) -> None:
        super().__init__(login, *args, **kwargs)
        self.server = login.server
        self.transport = login.transport

    def _resolve(self, path: str) -> Path | None:
        return self.server.resolve(path)

    def canonicalize(self, path: str) -> str:
        real = self._resolve(path)
        if real is None:
            return "/"
        relative = real.relative_to(self.server.root.resolve()).as_posix()
        return "/" if relative == "." else "/" + relative

    def open(self, path: str, flags: int, attr: Any) -> Any:
        real = self._resolve(path)
        if real is None:
            return paramiko.SFTP_PERMISSION_DENIED
        try:
            fd = os.open(real, flags | getattr(os, "O_BINARY", 0), 0o644)
        except OSError as exc:
            return paramiko.SFTPServer.convert_errno(exc.errno)
        append = bool(flags & os.O_APPEND)
        if flags & os.O_WRONLY:
            mode = "ab" if append else "wb"
        elif flags & os.O_RDWR:
            mode = "a+b" if append else "r+b"
        else:
            mode = "rb"
        return _Handle(flags, os.fdopen(fd, mode), self.server, self.transport)

    def list_folder(self, path: str) -> Any:
        real = self._resolve(path)
        if real is None:
            return paramiko.SFTP_PERMISSION_DENIED
        try:
            entries = [paramiko.SFTPAttributes.from_stat(entry.stat(follow_symlinks=False), entry.name)
                       for entry in os.scandir(real)]
        except OSError as exc:
            return paramiko.SFTPServer.convert_errno(exc.errno)
        for name in self.server.extra_listing:
            fake = paramiko.SFTPAttributes()
            fake.filename, fake.st_size, fake.st_mode = name, 0, stat.S_IFREG | 0o644
            entries.append(fake)
        return entries

    def stat(self, path: str) -> Any:
        return self._stat(path, follow=True)

    def lstat(self, path: str) -> Any:
        return self._stat(path, follow=False)

    def _stat(self, path: str, *, follow: bool) -> Any:
        real = self._resolve(path)
        if real is None:
            return paramiko.SFTP_PERMISSION_DENIED
        try:
            return paramiko.SFTPAttributes.from_stat(real.stat(follow_symlinks=follow))
        except OSError as exc:
            return paramiko.SFTPServer.convert_errno(exc.errno)

    def remove(self, path: str) -> int:
        with self.server.lock:
            self.server.removed.append(path)
        return self._do(os.unlink, path)

    def rename(self, oldpath: str, newpath: str) -> int:
        """Plain SFTP rename refuses to replace an existing file, like OpenSSH's server."""
        with self.server.lock:
            self.server.renamed.append(("rename", oldpath, newpath))
        new = self._resolve(newpath)
        if new is not None and new.exists():
            return paramiko.SFTP_FAILURE
        return self._do(os.rename, oldpath, newpath)

    def posix_rename(self, oldpath: str, newpath: str) -> int:
        with self.server.lock:
            self.server.renamed.append(("posix_rename", oldpath, newpath))
        return self._do(os.replace, oldpath, newpath)

    def mkdir(self, path: str, attr: Any) -> int:
        return self._do(os.mkdir, path)

    def rmdir(self, path: str) -> int:
        return self._do(os.rmdir, path)

    def chattr(self, path: str, attr: Any) -> int:
        return paramiko.SFTP_OK if self._resolve(path) is not None else paramiko.SFTP_PERMISSION_DENIED

    def readlink(self, path: str) -> Any:
        return paramiko.SFTP_OP_UNSUPPORTED

    def symlink(self, target_path: str, path: str) -> int:
        return paramiko.SFTP_OP_UNSUPPORTED

    def _do(self, action: Any, *paths: str) -> int:
        real = [self._resolve(path) for path in paths]
        if any(path is None for path in real):
            return paramiko.SFTP_PERMISSION_DENIED
        try:
            action(*real)
        except OSError as exc:
            return int(paramiko.SFTPServer.convert_errno(exc.errno))
        return paramiko.SFTP_OK
