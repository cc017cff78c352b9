"""Deliver over FTP, or explicit FTPS (``AUTH TLS`` then ``PROT P``), with :mod:`ftplib`.

Many commune controllers are a small box or an old PC running an FTP server at the end of a slow, flaky link.
So the audio goes to its content-derived temporary name and an interrupted upload *resumes* (``REST``) where it
stopped; it is verified at the destination — ``SIZE``, then SHA-256 from the server's ``HASH`` command when it
offers SHA-256, otherwise by reading the file back — and only then renamed; the sidecar lands last.

Safety: TLS certificates are always verified (a controller with its own CA is trusted through a CA file, never
by switching verification off); passive mode only, and ftplib keeps ignoring the address in a ``PASV`` reply, so
a server cannot send the data connection elsewhere; only the configured folder and the package's own names are
ever used, never a path the server supplies. Every failure, including replies that break ftplib, becomes a
:class:`~studio.delivery.target.DeliveryError`.
"""

from __future__ import annotations

import contextlib
import ftplib
import hashlib
import io
import posixpath
import re
import secrets
import socket
import ssl
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

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

BLOCK = 64 * 1024
MAX_SIDECAR = 1 << 20
"""A remote sidecar bigger than this is not ours: it is never downloaded."""
MAX_LISTING = 100_000
SERVER_REASON_WAIT = 5.0
"""Seconds to wait for the server's reply to an upload broken off (by it or by a cancel)."""

CERT_UNTRUSTED = QT_TRANSLATE_NOOP(
    "Messages", "The controller {host} showed a certificate the studio does not trust ({reason}). Nothing was sent."
)
CERT_UNTRUSTED_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Ask the installer to give the controller's CA certificate file in the delivery target's settings."
)
TLS_REFUSED = QT_TRANSLATE_NOOP(
    "Messages", "The controller {host} does not accept an encrypted (FTPS) connection: {reason}"
)
TLS_REFUSED_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Ask the controller's operator to turn on FTPS, or check the address and port of the delivery target."
)
LOGIN_REFUSED = QT_TRANSLATE_NOOP("Messages", "The controller {host} refused the login: {reason}")
LOGIN_REFUSED_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Check the user name and the FTPS setting of the delivery target with the controller's operator."
)
FOLDER_UNUSABLE = QT_TRANSLATE_NOOP("Messages", "The folder {folder} on the controller {host} cannot be used: {reason}")
FOLDER_UNUSABLE_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Check the folder in the delivery target's settings, or ask the controller's operator to create it."
)
FILE_REFUSED = QT_TRANSLATE_NOOP(
    "Messages", "The controller {host} does not let the studio write {name} in the folder {folder}: {reason}"
)
FILE_REFUSED_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Ask the controller's operator to let this account create, rename and delete files in that folder."
)
BAD_REPLY = QT_TRANSLATE_NOOP(
    "Messages", "The controller {host} gave an answer the studio does not understand ({detail})."
)
BAD_REPLY_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Check that the address and port are those of the controller's FTP server. "
    "The studio will try again by itself."
)

_FULL = re.compile(r"no space|disk full|quota|insufficient storage|not enough space", re.IGNORECASE)
_NO_RESUME = {"500", "501", "502", "504", "554"}  # REST not understood or refused: upload from the start
_WANTS_TLS = re.compile(r"TLS|SSL|encrypt", re.IGNORECASE)  # "530 Non-anonymous sessions must use encryption."
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


class _FtpTls(ftplib.FTP_TLS):
    """Data connections resume the control connection's TLS session: vsftpd (``require_ssl_reuse``) and
    FileZilla Server refuse them otherwise, and ftplib does not. Every data connection is protected: PROT P
    is sent right after login, before any transfer."""

    def ntransfercmd(self, cmd: str, rest: int | str | None = None) -> tuple[socket.socket, int | None]:
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        session = self.sock.session if isinstance(self.sock, ssl.SSLSocket) else None
        return self.context.wrap_socket(conn, server_hostname=self.host, session=session), size


class FtpTarget:
    """A delivery target on an FTP or FTPS server: ``<id>.mp3`` (or ``.wav``) and ``<id>.json`` in ``folder``."""

    def __init__(self, *, host: str, port: int = 21, username: str, password: str, folder: str = "/",
                 tls: bool = False, ca_file: Path | None = None, timeout: float = CONNECT_TIMEOUT) -> None:
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.folder = folder
        self.tls = tls
        self.ca_file = ca_file
        self.timeout = timeout

    def location(self, name: str = "") -> str:
        """``ftp://host:port/folder/name`` (``ftps://`` with TLS), without the user name."""
        netloc = f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"
        path = posixpath.join("/", self.folder.strip("/"), name)
        return f"{'ftps' if self.tls else 'ftp'}://{netloc}{path}"

    def check(self, *, cancel: CancelToken | None = None) -> str:
        """Log in, enter the folder, store and delete a tiny probe file; describe the server and the folder."""
        cancel = cancel or CancelToken()
        probe, content = f".studio-test-{secrets.token_hex(6)}.part", b"studio test\n"
        with _Session(self, name=probe) as session:
            cancel.raise_if_cancelled()
            _store(session.ftp, probe, io.BytesIO(content), 0, len(content), no_transfer_progress, cancel)
            session.ftp.delete(probe)
            welcome = _printable(session.ftp.getwelcome())
        return f"{self.location()} — {welcome}"

    def withdraw(self, programme_id: str, *, cancel: CancelToken | None = None) -> bool:
        """Delete ``<id>.json`` first (the controller stops seeing the programme), then the audio and any partial
        uploads, which are found by listing the folder and matching their exact name pattern."""
        cancel = cancel or CancelToken()
        finals = [f"{programme_id}.json", f"{programme_id}.mp3", f"{programme_id}.wav"]
        for name in finals:
            _check_name(name)
        removed = False
        with _Session(self, name=finals[0]) as session:
            listing = _names(session.ftp)
            for name in finals + _partials(listing, programme_id):
                cancel.raise_if_cancelled()
                session.name = name
                try:
                    session.ftp.delete(name)
                except ftplib.error_perm as exc:
                    if name in listing or _code(exc) != "550":
                        raise
                    continue  # not there
                removed = True
        return removed

    def deliver(self, package: Package, *, progress: TransferProgress = no_transfer_progress,
                cancel: CancelToken | None = None) -> Receipt:
        cancel = cancel or CancelToken()
        for name in (package.audio_name, package.sidecar_name):
            _check_name(name)
        sidecar = package.sidecar.read_bytes()
        total = package.size_bytes
        location = self.location(package.audio_name)
        with package.audio.open("rb") as audio, _Session(self, name=package.audio_name) as session:
            ftp = session.ftp
            published = _size(ftp, package.audio_name) == total
            if published and _read_small(ftp, package.sidecar_name, cancel) == sidecar:
                _tidy(ftp, package.programme_id)
                progress(total, total)
                return Receipt(location, already_there=True)
            if not (published and session.sha256(package.audio_name, total, cancel) == package.sha256):
                self._send_audio(session, package, audio, progress, cancel)
            session.name = package.sidecar_name
            temp = temp_name(package.sidecar_name, hashlib.sha256(sidecar).hexdigest())
            _store(ftp, temp, io.BytesIO(sidecar), 0, len(sidecar), no_transfer_progress, cancel)
            size = _size(ftp, temp)
            if size != len(sidecar):
                _discard(ftp, temp)
                raise self._damaged(package.sidecar_name, f"{size} bytes instead of {len(sidecar)}")
            _publish(ftp, temp, package.sidecar_name)
            _tidy(ftp, package.programme_id)
        progress(total, total)
        return Receipt(location, already_there=False)

    def _send_audio(self, session: _Session, package: Package, audio: BinaryIO, progress: TransferProgress,
                    cancel: CancelToken) -> None:
        """Upload (or resume) into the temporary name, verify size and hash there, then publish."""
        ftp, temp, total = session.ftp, package.audio_temp_name, package.size_bytes
        offset = _size(ftp, temp)
        if offset is not None and offset > total:
            ftp.delete(temp)
            offset = None
        if offset is None or offset < total:
            _store(ftp, temp, audio, offset or 0, total, progress, cancel)
        size = _size(ftp, temp)
        if size != total:
            _discard(ftp, temp)
            raise self._damaged(package.audio_name, f"{size} bytes instead of {total}")
        if session.sha256(temp, total, cancel) != package.sha256:
            _discard(ftp, temp)
            raise self._damaged(package.audio_name, "SHA-256 differs")
        if _size(ftp, package.sidecar_name) is not None:
            ftp.delete(package.sidecar_name)  # an older sidecar must not describe the new audio
        _publish(ftp, temp, package.audio_name)

    def _damaged(self, name: str, detail: str) -> DeliveryError:
        return DeliveryError(REMOTE_VERIFY_FAILED, retryable=True, hint=REMOTE_VERIFY_FAILED_HINT, name=name,
                             host=self.host, detail=detail)


class _Session:
    """One logged-in control connection, closed whatever happens (``QUIT`` after success); every ftplib, TLS
    or socket failure inside it becomes a DeliveryError naming the host and the file being worked on."""

    def __init__(self, target: FtpTarget, *, name: str) -> None:
        self.target = target
        self.name = name
        self.step = "connect"
        self.logged_in = False
        self._ftp: ftplib.FTP | None = None
        self._hash: bool | None = None

    @property
    def ftp(self) -> ftplib.FTP:
        assert self._ftp is not None, "used outside its with block"
        return self._ftp

    def __enter__(self) -> _Session:
        try:
            self._connect()
        except BaseException as exc:
            self.__exit__(type(exc), exc, exc.__traceback__)
            raise
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        ftp, self._ftp = self._ftp, None
        if ftp is not None and exc is None:
            with contextlib.suppress(ftplib.Error, OSError, EOFError):  # the work is done: a botched goodbye
                ftp.quit()
        if ftp is not None:
            ftp.close()
        error = None if exc is None else self._translate(exc)
        if error is not None:
            raise error from exc

    def _connect(self) -> None:
        """Connect, secure (FTPS), log in, enter the folder and switch to binary mode."""
        target = self.target
        if target.tls:
            context = ssl.create_default_context(cafile=target.ca_file)  # verification on, always
            self._ftp = _FtpTls(context=context, timeout=target.timeout)
        else:
            self._ftp = ftplib.FTP(timeout=target.timeout)
        ftp = self._ftp
        ftp.set_pasv(True)  # and ftplib's default stays: the address in a PASV reply is ignored, only its port used
        ftp.connect(target.host, target.port, timeout=target.timeout)
        if isinstance(ftp, ftplib.FTP_TLS):
            self.step = "tls"
            ftp.auth()
        self.step = "login"
        ftp.login(target.username, target.password)
        if isinstance(ftp, ftplib.FTP_TLS):
            ftp.prot_p()
        self.logged_in = True
        self.step = "folder"
        ftp.cwd(target.folder)
        self.step = "files"
        ftp.voidcmd("TYPE I")  # SIZE counts bytes only in binary mode

    def sha256(self, name: str, size: int, cancel: CancelToken) -> str | None:
        """The remote file's SHA-256: the server's HASH when it offers SHA-256, else the file read back (at most
        ``size`` bytes; None when it is longer)."""
        if self._hash is None:
            self._hash = _offers_sha256(self.ftp)
        if self._hash and (digest := _server_sha256(self.ftp, name)):
            return digest
        hasher = hashlib.sha256()
        return hasher.hexdigest() if _download(self.ftp, name, size, hasher.update, cancel) else None

    def _translate(self, exc: BaseException) -> DeliveryError | None:
        """The officer's message for what broke; None when ``exc`` is no transport failure (a bug, a
        cancellation, a DeliveryError already)."""
        host = self.target.host
        if isinstance(exc, ssl.SSLCertVerificationError):
            return DeliveryError(CERT_UNTRUSTED, retryable=False, hint=CERT_UNTRUSTED_HINT, host=host,
                                 reason=_printable(exc.verify_message or exc.reason or exc))
        if isinstance(exc, ftplib.error_perm | ftplib.error_temp):
            return self._refusal(_printable(exc))
        if isinstance(exc, ftplib.Error | UnicodeDecodeError):  # garbage, an over-long line, an unexpected code
            return DeliveryError(BAD_REPLY, retryable=True, hint=BAD_REPLY_HINT, host=host, detail=_printable(exc))
        if isinstance(exc, OSError | EOFError):
            return self._connection(_printable(getattr(exc, "strerror", None) or exc)
                                    or "the server closed the connection")
        return None

    def _connection(self, reason: str) -> DeliveryError:
        text, hint = (CONNECTION_LOST, CONNECTION_LOST_HINT) if self.logged_in else (CONNECTION_FAILED,
                                                                                  CONNECTION_FAILED_HINT)
        return DeliveryError(text, retryable=True, hint=hint, host=self.target.host, reason=reason)

    def _refusal(self, reply: str) -> DeliveryError:
        code, host, temporary = reply[:3], self.target.host, reply.startswith("4")
        if code == "530" and not _WANTS_TLS.search(reply):
            return DeliveryError(LOGIN_FAILED, retryable=False, hint=LOGIN_FAILED_HINT, host=host)
        if code in ("452", "552") or _FULL.search(reply):
            return DeliveryError(REMOTE_FULL, retryable=True, hint=REMOTE_FULL_HINT, host=host, name=self.name)
        if code in ("421", "425", "426"):
            return self._connection(reply)
        if self.step == "tls":
            return DeliveryError(TLS_REFUSED, retryable=temporary, hint=TLS_REFUSED_HINT, host=host, reason=reply)
        if self.step == "login":
            return DeliveryError(LOGIN_REFUSED, retryable=temporary, hint=LOGIN_REFUSED_HINT, host=host, reason=reply)
        if self.step == "folder":
            return DeliveryError(FOLDER_UNUSABLE, retryable=temporary, hint=FOLDER_UNUSABLE_HINT, host=host,
                                 folder=self.target.folder, reason=reply)
        if code in ("550", "553"):
            return DeliveryError(FILE_REFUSED, retryable=False, hint=FILE_REFUSED_HINT, host=host, name=self.name,
                                 folder=self.target.folder, reason=reply)
        return DeliveryError(REMOTE_REFUSED, retryable=temporary, host=host, name=self.name, reason=reply)


def _store(ftp: ftplib.FTP, name: str, source: BinaryIO, offset: int, total: int, progress: TransferProgress,
           cancel: CancelToken) -> None:
    """STOR ``source`` from ``offset`` (``REST``; from the start when the server cannot resume), polling
    ``cancel`` before every block. A cancelled upload ends its data connection cleanly and waits for the
    server's reply, so everything sent is stored for the next attempt to resume."""
    cancel.raise_if_cancelled()
    try:
        conn = ftp.transfercmd(f"STOR {name}", rest=offset or None)
    except ftplib.error_perm as exc:
        if not offset or _code(exc) not in _NO_RESUME:
            raise
        offset = 0
        conn = ftp.transfercmd(f"STOR {name}")
    source.seek(offset)
    progress(offset, total)
    with conn:
        while not cancel.cancelled and (block := source.read(BLOCK)):
            try:
                conn.sendall(block)
            except OSError as broken:
                raise _final_reply(ftp) or broken from broken
            offset += len(block)
            progress(offset, total)
        if isinstance(conn, ssl.SSLSocket):
            conn.unwrap()
    if cancel.cancelled:
        _final_reply(ftp)
        cancel.raise_if_cancelled()
    ftp.voidresp()


def _final_reply(ftp: ftplib.FTP) -> ftplib.Error | None:
    """The server's reply to a transfer the client did not finish, waited for a few seconds only. A server that
    hangs up the data connection usually says why ("426 No space left on device"), which is worth more than
    "broken pipe"; after a cancel, the reply means that what was sent is stored."""
    try:
        if ftp.sock is not None:
            ftp.sock.settimeout(min(ftp.timeout or SERVER_REASON_WAIT, SERVER_REASON_WAIT))
        ftp.voidresp()
    except (ftplib.error_temp, ftplib.error_perm) as reply:
        return reply
    except (ftplib.Error, OSError, EOFError, UnicodeDecodeError):
        pass
    return None


def _download(ftp: ftplib.FTP, name: str, limit: int, sink: Callable[[bytes], object], cancel: CancelToken) -> bool:
    """RETR ``name`` into ``sink``; False (and the transfer abandoned) as soon as more than ``limit`` bytes come."""
    received = 0
    with ftp.transfercmd(f"RETR {name}") as conn:
        while data := conn.recv(BLOCK):
            cancel.raise_if_cancelled()
            received += len(data)
            if received > limit:
                break
            sink(data)
        else:
            if isinstance(conn, ssl.SSLSocket):
                conn.unwrap()
    if received > limit:
        with contextlib.suppress(ftplib.error_temp, ftplib.error_perm):  # "426 transfer aborted": we hung up
            ftp.voidresp()
        return False
    ftp.voidresp()
    return True


def _read_small(ftp: ftplib.FTP, name: str, cancel: CancelToken) -> bytes | None:
    """The content of a small remote file (the sidecar), or None when it is missing or bigger than MAX_SIDECAR."""
    size = _size(ftp, name)
    if size is None or size > MAX_SIDECAR:
        return None
    buffer = io.BytesIO()
    complete = _download(ftp, name, MAX_SIDECAR, buffer.write, cancel)
    return buffer.getvalue() if complete else None


def _size(ftp: ftplib.FTP, name: str) -> int | None:
    """The remote file's size in bytes (``SIZE``, binary mode), None when it does not exist."""
    try:
        reply = ftp.sendcmd(f"SIZE {name}")
    except ftplib.error_perm as exc:
        if _code(exc) == "550":
            return None
        raise
    found = re.fullmatch(r"213 (\d{1,19})", reply.strip())
    if not found:
        raise ftplib.error_proto(reply)
    return int(found[1])


def _publish(ftp: ftplib.FTP, temp: str, final: str) -> None:
    """Rename ``temp`` to ``final``; a server that will not overwrite (Windows servers) gets the old one deleted."""
    reply = ftp.sendcmd(f"RNFR {temp}")  # fails when the temp is gone: the final file is never deleted for nothing
    if not reply.startswith("3"):
        raise ftplib.error_reply(reply)
    try:
        ftp.voidcmd(f"RNTO {final}")
    except ftplib.error_perm:
        if _size(ftp, final) is None:
            raise
        ftp.delete(final)
        ftp.rename(temp, final)


def _partials(listing: set[str], programme_id: str) -> list[str]:
    """The programme's partial uploads in a folder listing (of any version), by their exact name pattern."""
    partial = re.compile(rf"\.{re.escape(programme_id)}\.[0-9a-f]{{12}}\.[A-Za-z0-9]+\.part")
    return sorted(name for name in listing if partial.fullmatch(name))


def _tidy(ftp: ftplib.FTP, programme_id: str) -> None:
    """Remove partial uploads of the programme left by attempts that were cut off (a superseded version's is
    never resumed) once it is delivered; a server that will not list the folder keeps them."""
    try:
        listing = _names(ftp)
    except (ftplib.error_perm, ftplib.error_proto):
        return
    for name in _partials(listing, programme_id):
        _discard(ftp, name)


def _discard(ftp: ftplib.FTP, name: str) -> None:
    """Delete a damaged upload so the next attempt starts afresh; failing to is no reason to hide the damage."""
    with contextlib.suppress(ftplib.error_perm):
        ftp.delete(name)


def _names(ftp: ftplib.FTP) -> set[str]:
    """The folder's plain file names (NLST); names with a path in them are the server's, never followed."""
    names: list[str] = []

    def collect(line: str) -> None:
        if len(names) >= MAX_LISTING:
            raise ftplib.error_proto("the folder listing does not end")
        names.append(line.strip())

    try:
        ftp.retrlines("NLST", collect)
    except (ftplib.error_perm, ftplib.error_temp) as exc:
        if _code(exc) not in ("450", "550"):  # an empty folder, for some servers
            raise
    ftp.voidcmd("TYPE I")
    return {name for name in names if name and "/" not in name and ".." not in name}


def _offers_sha256(ftp: ftplib.FTP) -> bool:
    """Whether FEAT lists SHA-256 for HASH (draft-bryan-ftpext-hash); selects it when it is not the default."""
    try:
        features = ftp.sendcmd("FEAT").splitlines()[1:]
    except (ftplib.error_perm, ftplib.error_temp):
        return False
    for line in features:
        keyword, _, arguments = line.strip().partition(" ")
        if keyword.upper() != "HASH":
            continue
        for algorithm in arguments.split(";"):
            if algorithm.strip().rstrip("*").upper() == "SHA-256":
                if algorithm.strip().endswith("*"):
                    return True
                try:
                    return ftp.sendcmd("OPTS HASH SHA-256").startswith("200")
                except (ftplib.error_perm, ftplib.error_temp):
                    return False
    return False


def _server_sha256(ftp: ftplib.FTP, name: str) -> str | None:
    """``HASH name`` → ``213 SHA-256 0-<size> <hex> <name>``; None when the server declines or answers oddly
    (then the file is read back instead)."""
    try:
        words = ftp.sendcmd(f"HASH {name}").split()
    except (ftplib.error_perm, ftplib.error_temp):
        return None
    if len(words) >= 4 and words[1].upper() == "SHA-256" and _SHA256.fullmatch(words[3]):
        return words[3].lower()
    return None


def _code(exc: BaseException) -> str:
    return str(exc)[:3]


def _printable(text: object) -> str:
    """A server's text made safe to show: one line, no control characters, at most 200 characters."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in str(text))
    return " ".join(cleaned.split())[:200]


def _check_name(name: str) -> None:
    """Programme ids are the studio's own; one that could leave the folder or inject a command is a bug."""
    if name in ("", ".", "..") or "/" in name or "\\" in name or not name.isprintable():
        raise ValueError(f"not a plain file name: {name!r}")
