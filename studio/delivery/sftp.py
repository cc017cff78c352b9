"""Deliver over SFTP to a controller that runs an SSH server, trusting its host key on first use.

The controller's host key is the only thing that tells the studio it talks to the right machine, so it is
checked right after the key exchange and *before* the password is sent: an unknown key stops with
:class:`UnknownHostKey` (the installer compares the fingerprint with the controller's and pins it), a key
that differs from the pin stops with :class:`HostKeyChanged`. paramiko's ``Transport`` is driven directly
rather than through ``SSHClient``, whose host-key policies would accept or store keys behind our back.

The transfer keeps the promises of :mod:`studio.delivery.target`: the audio goes to its content-derived
temporary name, appended to when an earlier attempt left part of it there, is verified by reading it back
(size and sha256), then renamed; the sidecar follows the same way and lands last. Only the configured
folder and the package's own names are ever used as paths; names a server lists are matched exactly.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import posixpath
import re
import socket
import stat
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any, BinaryIO

from studio.delivery.target import (
    CONNECT_TIMEOUT,
    CONNECTION_FAILED,
    CONNECTION_FAILED_HINT,
    CONNECTION_LOST,
    CONNECTION_LOST_HINT,
    LOGIN_FAILED,
    LOGIN_FAILED_HINT,
    REMOTE_FULL,
    REMOTE_FULL_HINT,
    REMOTE_REFUSED,
    REMOTE_VERIFY_FAILED,
    REMOTE_VERIFY_FAILED_HINT,
    DeliveryError,
    Package,
    Receipt,
    TransferProgress,
    no_transfer_progress,
    temp_name,
)
from studio.i18n import QT_TRANSLATE_NOOP
from studio.tasks import CancelToken

if TYPE_CHECKING:
    import paramiko

BLOCK = 128 * 1024  # per progress report and cancel check; paramiko splits it into 32 KiB pipelined writes
SIDECAR_LIMIT = 1 << 20  # a sidecar is a few KiB: never read more of what a server offers under its name
PROBE_NAME = ".studio-check.part"
POSIX_RENAME = "posix-rename@openssh.com"
_NO_SPACE = re.compile(r"no space|not enough space|disk full|quota", re.IGNORECASE)

UNKNOWN_HOST_KEY = QT_TRANSLATE_NOOP(
    "Messages", "The controller {host} (port {port}) is not trusted yet. Its {key_type} key has the fingerprint "
    "{fingerprint}."
)
UNKNOWN_HOST_KEY_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Ask the controller's operator to read out its fingerprint and trust it only if it is exactly the "
    "same. Nothing was sent."
)
HOST_KEY_CHANGED = QT_TRANSLATE_NOOP(
    "Messages", "The controller {host} (port {port}) answered with a different key ({fingerprint}) from the one "
    "trusted. This may be an attack, or the controller was reinstalled. Nothing was sent."
)
HOST_KEY_CHANGED_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Trust the new key only after the controller's operator confirms that it was reinstalled and reads "
    "out the same fingerprint."
)
FOLDER_MISSING = QT_TRANSLATE_NOOP("Messages", "The folder {folder} does not exist on the controller {host}.")
FOLDER_MISSING_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Open Delivery targets and correct the folder, or ask the controller's operator to create it."
)
FOLDER_DENIED = QT_TRANSLATE_NOOP(
    "Messages", "The controller {host} does not let the user {user} write in the folder {folder}."
)
FOLDER_DENIED_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Ask the controller's operator to give this user permission to write there."
)
WRITE_FAILED = QT_TRANSLATE_NOOP(
    "Messages", "The controller {host} could not store {name} and gave no reason; its disk may be full."
)


class UnknownHostKey(DeliveryError):
    """The controller's key is not pinned yet: a person must compare the fingerprint and trust it."""

    def __init__(self, host: str, port: int, key_type: str, fingerprint: str) -> None:
        self.host, self.port, self.key_type, self.fingerprint = host, port, key_type, fingerprint
        super().__init__(UNKNOWN_HOST_KEY, retryable=False, hint=UNKNOWN_HOST_KEY_HINT, host=host, port=port,
                         key_type=key_type, fingerprint=fingerprint)


class HostKeyChanged(DeliveryError):
    """The controller presented another key than the pinned one: an impostor, or a reinstalled controller."""

    def __init__(self, host: str, port: int, key_type: str, fingerprint: str, pinned: str) -> None:
        self.host, self.port, self.key_type, self.fingerprint, self.pinned = host, port, key_type, fingerprint, pinned
        super().__init__(HOST_KEY_CHANGED, retryable=False, hint=HOST_KEY_CHANGED_HINT, host=host, port=port,
                         key_type=key_type, fingerprint=fingerprint)


def host_key_fingerprint(key: Any) -> str:
    """``SHA256:<base64 without padding>`` of the public key blob: what ``ssh-keygen -lf`` shows an operator."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def fetch_host_key(host: str, port: int = 22, timeout: float = CONNECT_TIMEOUT) -> tuple[str, str]:
    """The key type and fingerprint the controller presents, for the "Test connection / Trust" step; nothing
    is authenticated or sent."""
    transport = _open_transport(host, port, timeout)
    try:
        key = transport.get_remote_server_key()
        return str(key.get_name()), host_key_fingerprint(key)
    finally:
        transport.close()


class SftpTarget:
    """Delivers ``<id>.mp3`` (or ``.wav``) and ``<id>.json`` into ``folder`` on an SFTP server whose host key
    was pinned (``pinned_key``, see :func:`fetch_host_key`)."""

    def __init__(self, *, host: str, port: int = 22, username: str, password: str | None, folder: str,
                 pinned_key: str | None, timeout: float = CONNECT_TIMEOUT) -> None:
        self.host, self.port, self.username, self.password = host, port, username, password
        self.folder = folder or "."  # "" would make every name relative to wherever the server starts
        self.pinned_key, self.timeout = pinned_key, timeout

    def deliver(self, package: Package, *, progress: TransferProgress = no_transfer_progress,
                cancel: CancelToken | None = None) -> Receipt:
        cancel = cancel or CancelToken()
        cancel.raise_if_cancelled()
        sidecar = package.sidecar.read_bytes()
        total = package.size_bytes
        final = self._path(package.audio_name)
        location = f"{self.host}:{final}"
        # local files are opened outside the error translation: a missing render is not a missing remote folder
        with package.audio.open("rb") as local, self._session() as sftp, self._errors(sftp, package.audio_name):
            if self._published(sftp, package, sidecar):
                self._tidy(sftp, package.programme_id, quietly=True)
                progress(total, total)
                return Receipt(location, already_there=True)
            if not (_size(sftp, final) == total and _remote_sha256(sftp, final, cancel) == package.sha256):
                temp = self._path(package.audio_temp_name)
                self._upload(sftp, local, temp, package, progress, cancel)
                self._verify(sftp, temp, package.audio_name, total, package.sha256, cancel)
                _remove(sftp, self._path(package.sidecar_name))  # an older sidecar must not describe new audio
                self._rename(sftp, temp, final)
            self._put_small(sftp, package.sidecar_name, sidecar, cancel)
            self._tidy(sftp, package.programme_id, quietly=True)
        progress(total, total)
        return Receipt(location, already_there=False)

    def withdraw(self, programme_id: str, *, cancel: CancelToken | None = None) -> bool:
        """Sidecar first (the controller stops seeing the programme), then the audio and partial uploads,
        found by exact name: whatever else the listing contains is left alone."""
        if not programme_id or "/" in programme_id or ".." in programme_id:
            raise ValueError(f"not a programme id: {programme_id!r}")
        (cancel or CancelToken()).raise_if_cancelled()
        with self._session() as sftp, self._errors(sftp, programme_id):
            removed = False
            for name in (f"{programme_id}.json", f"{programme_id}.mp3", f"{programme_id}.wav"):
                removed |= _remove(sftp, self._path(name))
            return self._tidy(sftp, programme_id) or removed

    def _tidy(self, sftp: Any, programme_id: str, *, quietly: bool = False) -> bool:
        """Remove the programme's partial uploads (of any version: one cut off and then superseded is never
        resumed), found by exact name pattern; whatever else the listing contains is left alone. ``quietly``
        (after a delivery): a server that refuses to list or remove keeps them, the programme is delivered."""
        partial = re.compile(rf"\.{re.escape(programme_id)}\.[0-9a-f]{{12}}\.[A-Za-z0-9]+\.part")
        removed = False
        try:
            for name in sftp.listdir(self.folder):
                if isinstance(name, str) and "/" not in name and ".." not in name and partial.fullmatch(name):
                    removed |= _remove(sftp, self._path(name))
        except OSError:
            if not quietly:
                raise
        return removed

    def check(self, *, cancel: CancelToken | None = None) -> str:
        """Connect, verify the host key, log in, and create and remove a probe file in the folder."""
        (cancel or CancelToken()).raise_if_cancelled()
        with self._session() as sftp, self._errors(sftp, PROBE_NAME):
            attributes = sftp.stat(self.folder)
            if not stat.S_ISDIR(attributes.st_mode or 0):
                raise DeliveryError(FOLDER_MISSING, retryable=False, hint=FOLDER_MISSING_HINT, host=self.host,
                                    folder=self.folder)
            probe = self._path(PROBE_NAME)
            with self._errors(sftp, PROBE_NAME, writing=True), sftp.open(probe, "wb") as file:
                file.write(b"commune radio studio")
            sftp.remove(probe)
            version = str(sftp.get_channel().get_transport().remote_version)
        return f"{version[:60]}, folder {self.folder}"

    def _path(self, name: str) -> str:
        return posixpath.join(self.folder, name)

    def _published(self, sftp: Any, package: Package, sidecar: bytes) -> bool:
        """An identical sidecar and an audio file of the right size are there (the sidecar names the audio's
        sha256, and it is only published after the audio was verified)."""
        json_path = self._path(package.sidecar_name)
        if _size(sftp, json_path) != len(sidecar) or _size(sftp, self._path(package.audio_name)) != package.size_bytes:
            return False
        with sftp.open(json_path, "rb") as file:
            return bytes(file.read(min(len(sidecar) + 1, SIDECAR_LIMIT))) == sidecar

    def _upload(self, sftp: Any, local: BinaryIO, temp: str, package: Package, progress: TransferProgress,
                cancel: CancelToken) -> None:
        """Send the audio to ``temp``, continuing a partial upload of the same content."""
        total = package.size_bytes
        offset = _size(sftp, temp) or 0
        if offset > total:
            sftp.remove(temp)
            offset = 0
        if offset == total:
            return
        with (self._errors(sftp, package.audio_name, writing=True),
              sftp.open(temp, "ab" if offset else "wb", bufsize=0) as remote):
            remote.set_pipelined(True)
            offset = int(remote.tell())  # where the server will append: its own idea of the size
            local.seek(offset)
            progress(offset, total)
            while block := local.read(BLOCK):
                cancel.raise_if_cancelled()
                if offset + len(block) >= total:
                    # paramiko drops the answers to pipelined writes still pending at close (a full disk would go
                    # unnoticed); an unpipelined write first collects and checks every pending answer
                    remote.set_pipelined(False)
                remote.write(block)
                offset += len(block)
                progress(offset, total)

    def _verify(self, sftp: Any, temp: str, name: str, size: int, sha256: str, cancel: CancelToken) -> None:
        """Size and sha256 as the server stored them; a damaged temp is removed so the next attempt starts over."""
        there = _size(sftp, temp)
        if there != size:
            detail = f"{there or 0} of {size} bytes"
        elif _remote_sha256(sftp, temp, cancel) != sha256:
            detail = "content differs"
        else:
            return
        _remove(sftp, temp)
        raise DeliveryError(REMOTE_VERIFY_FAILED, retryable=True, hint=REMOTE_VERIFY_FAILED_HINT, name=name,
                            host=self.host, detail=detail)

    def _put_small(self, sftp: Any, name: str, data: bytes, cancel: CancelToken) -> None:
        temp = self._path(temp_name(name, hashlib.sha256(data).hexdigest()))
        with self._errors(sftp, name, writing=True), sftp.open(temp, "wb") as file:
            file.write(data)
        self._verify(sftp, temp, name, len(data), hashlib.sha256(data).hexdigest(), cancel)
        self._rename(sftp, temp, self._path(name))

    def _rename(self, sftp: Any, temp: str, final: str) -> None:
        """Atomic replace where the server offers it; plain SFTP rename refuses an existing target."""
        if POSIX_RENAME in sftp.extensions:
            sftp.posix_rename(temp, final)
        else:
            _remove(sftp, final)
            sftp.rename(temp, final)

    @contextmanager
    def _session(self) -> Iterator[Any]:
        """An SFTP client on a transport whose host key was verified before logging in; always closed."""
        import paramiko

        transport = _open_transport(self.host, self.port, self.timeout)
        try:
            key = transport.get_remote_server_key()
            key_type, fingerprint = str(key.get_name()), host_key_fingerprint(key)
            if self.pinned_key is None:
                raise UnknownHostKey(self.host, self.port, key_type, fingerprint)
            if self.pinned_key.strip().rstrip("=") != fingerprint:
                raise HostKeyChanged(self.host, self.port, key_type, fingerprint, self.pinned_key)
            self._login(transport)
            try:
                sftp: Any = _client_class().from_transport(transport)
                if sftp is None:
                    raise paramiko.SSHException("the server opened no SFTP channel")
                sftp.get_channel().settimeout(self.timeout)
            except (paramiko.SSHException, paramiko.SFTPError, EOFError, OSError) as exc:
                raise _unreachable(self.host, exc) from exc
            yield sftp
        finally:
            transport.close()

    def _login(self, transport: Any) -> None:
        import paramiko

        try:
            transport.auth_password(self.username, self.password or "")
        except paramiko.AuthenticationException as exc:
            if not transport.is_active() or "timeout" in str(exc).lower():
                raise _unreachable(self.host, exc) from exc
            raise DeliveryError(LOGIN_FAILED, retryable=False, hint=LOGIN_FAILED_HINT, host=self.host) from exc
        except (paramiko.SSHException, EOFError, OSError) as exc:
            raise _unreachable(self.host, exc) from exc
        if not transport.is_authenticated():  # the server wants a second factor the studio does not have
            raise DeliveryError(LOGIN_FAILED, retryable=False, hint=LOGIN_FAILED_HINT, host=self.host)

    @contextmanager
    def _errors(self, sftp: Any, name: str, *, writing: bool = False) -> Iterator[None]:
        """Turn what paramiko raises during the transfer into a message: a dead link is retried and resumed,
        a missing or forbidden folder needs a person, a full disk is retried later."""
        import paramiko

        try:
            yield
        except (EOFError, TimeoutError, paramiko.SSHException, paramiko.SFTPError) as exc:
            raise self._lost(exc) from exc
        except OSError as exc:
            if sftp.get_channel().closed or not sftp.get_channel().get_transport().is_active():
                raise self._lost(exc) from exc
            code, text = exc.errno, str(exc.strerror or exc)
            if code == errno.ENOENT:
                raise DeliveryError(FOLDER_MISSING, retryable=False, hint=FOLDER_MISSING_HINT, host=self.host,
                                    folder=self.folder) from exc
            if code in (errno.EACCES, errno.EPERM):
                raise DeliveryError(FOLDER_DENIED, retryable=False, hint=FOLDER_DENIED_HINT, host=self.host,
                                    user=self.username, folder=self.folder) from exc
            if code in (errno.ENOSPC, errno.EDQUOT) or _NO_SPACE.search(text):
                raise DeliveryError(REMOTE_FULL, retryable=True, hint=REMOTE_FULL_HINT, host=self.host,
                                    name=name) from exc
            if writing:  # OpenSSH's server reports a full disk as a bare "Failure"
                raise DeliveryError(WRITE_FAILED, retryable=True, hint=REMOTE_FULL_HINT, host=self.host,
                                    name=name) from exc
            raise DeliveryError(REMOTE_REFUSED, retryable=False, host=self.host, name=name, reason=text) from exc

    def _lost(self, exc: BaseException) -> DeliveryError:
        return DeliveryError(CONNECTION_LOST, retryable=True, hint=CONNECTION_LOST_HINT, host=self.host,
                             reason=_reason(exc))


@cache
def _client_class() -> type[paramiko.SFTPClient]:
    """paramiko's SFTP client, keeping the extensions the server announces (paramiko drops them). Built on first
    use: paramiko takes a tenth of a second to import, which the window's start-up does not wait for."""
    import paramiko

    class Client(paramiko.SFTPClient):  # type: ignore[misc, unused-ignore]
        extensions: frozenset[str] = frozenset()

        def _send_version(self) -> int:
            wire: Any = self  # the packet helpers are paramiko internals its type stubs leave out
            message = paramiko.Message()
            message.add_int(3)
            wire._send_packet(paramiko.sftp.CMD_INIT, message)
            kind, data = wire._read_packet()
            if kind != paramiko.sftp.CMD_VERSION:
                raise paramiko.SFTPError("Incompatible sftp protocol")
            version, self.extensions = _parse_version(bytes(data))
            return version

    return Client


def _parse_version(data: bytes) -> tuple[int, frozenset[str]]:
    """SSH_FXP_VERSION's body: uint32 version, then (name, data) string pairs up to the end."""
    fields: list[bytes] = []
    at = 4
    while at + 4 <= len(data):
        (length,) = struct.unpack_from(">I", data, at)
        fields.append(data[at + 4:at + 4 + length])
        at += 4 + length
    names = fields[0:len(fields) // 2 * 2:2]  # a name without its data is a truncated packet: ignored
    return int(struct.unpack_from(">I", data)[0]), frozenset(name.decode("utf-8", "replace") for name in names)


def _open_transport(host: str, port: int, timeout: float) -> Any:
    """A client transport that finished the key exchange (nothing authenticated yet), or CONNECTION_FAILED."""
    import paramiko

    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        raise _unreachable(host, exc) from exc
    transport = None
    try:
        transport = paramiko.Transport(sock)
        transport.banner_timeout = transport.handshake_timeout = timeout
        transport.auth_timeout = transport.channel_timeout = timeout
        negotiated = threading.Event()
        transport.start_client(event=negotiated)
        if not negotiated.wait(timeout):
            raise TimeoutError("timed out")
        if not transport.is_active():
            raise transport.get_exception() or paramiko.SSHException("negotiation failed")
        return transport
    except Exception as exc:  # whatever a server's bytes made paramiko raise: this is not a usable controller
        if transport is not None:
            transport.close()
        sock.close()
        raise _unreachable(host, exc) from exc


def _unreachable(host: str, exc: BaseException) -> DeliveryError:
    return DeliveryError(CONNECTION_FAILED, retryable=True, hint=CONNECTION_FAILED_HINT, host=host,
                         reason=_reason(exc))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, EOFError):
        return "the server closed the connection"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _size(sftp: Any, path: str) -> int | None:
    """The file's size, or None when there is no such file."""
    try:
        return int(sftp.stat(path).st_size or 0)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return None
        raise


def _remove(sftp: Any, path: str) -> bool:
    try:
        sftp.remove(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return False
        raise
    return True


def _remote_sha256(sftp: Any, path: str, cancel: CancelToken) -> str:
    """Read the file back (prefetched, so it streams) and hash it: SFTP v3 has no standard remote hash."""
    digest = hashlib.sha256()
    with sftp.open(path, "rb") as file:
        file.prefetch()
        while block := file.read(BLOCK):
            cancel.raise_if_cancelled()
            digest.update(block)
    return digest.hexdigest()
