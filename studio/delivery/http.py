"""Deliver to a broadcast controller that speaks the Studio Controller API (``docs/controller-api.md``).

The flow is the API's: declare the programme with its sidecar (``PUT /v1/programmes/{id}``); the answer
says whether the controller already has this exact audio (then nothing is sent) or how many bytes of it
it holds; upload the rest in ``Content-Range`` chunks, each confirmed before the next; finally read the
status back and accept only ``ready`` with the right sha256. A cut connection costs at most the chunk in
flight: the next attempt asks again and continues from the controller's offset.

The client trusts the server as little as it can: ``http.client`` directly, no redirect followed (a
redirect is reported, so the installer enters the final address), never a URL or path taken from an
answer, answers read up to :data:`MAX_ANSWER_BYTES`, and certificate verification always on (a private
controller CA is given as ``ca_file``; there is no switch to turn verification off). Every failure is a
:class:`~studio.delivery.target.DeliveryError` that says whether retrying can help.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeGuard
from urllib.parse import quote, urlsplit

from studio import __version__
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
)
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT
from studio.tags.sidecar import MAX_SIDECAR_BYTES
from studio.tasks import CancelToken

log = logging.getLogger(__name__)

CHUNK_SIZE = 1 << 20
MAX_CHUNK_SIZE = 16 << 20
"""The API's limit for one chunk's body."""
MAX_ANSWER_BYTES = 64 * 1024
"""A status or problem document is a few hundred bytes; a larger answer is not one and is not parsed."""
STATES = ("receiving", "ready", "withdrawn")
_RESYNC_LIMIT = 3

BAD_ADDRESS = QT_TRANSLATE_NOOP(CONTEXT, "The controller address {url} cannot be used.")
BAD_ADDRESS_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Open Delivery targets and enter an address like https://controller.example:8750 "
    "(without a user name, password or question mark).")
BAD_TOKEN = QT_TRANSLATE_NOOP(CONTEXT, "The access key for the controller {host} is empty or contains spaces.")
BAD_TOKEN_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Copy the access key again from the controller's installer and paste it in Delivery targets.")
CA_FILE_UNUSABLE = QT_TRANSLATE_NOOP(CONTEXT, "The controller's certificate file {path} cannot be used: {reason}")
TLS_UNTRUSTED = QT_TRANSLATE_NOOP(
    CONTEXT, "The studio cannot trust the certificate of the controller {host} ({reason}). Nothing was sent.")
TLS_UNTRUSTED_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Ask the installer to set the controller's CA certificate file in Delivery targets.")
REDIRECTED = QT_TRANSLATE_NOOP(
    CONTEXT, "The controller {host} answered with a redirection (HTTP {status}); the studio does not follow it.")
REDIRECTED_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Enter the controller's final address in Delivery targets (often https:// instead of http://).")
BAD_ANSWER = QT_TRANSLATE_NOOP(CONTEXT, "The controller {host} gave an answer the studio does not understand: {reason}")
BAD_ANSWER_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Check the controller's address, or ask its supplier whether it implements the Studio Controller API.")
REMOTE_BUSY = QT_TRANSLATE_NOOP(CONTEXT, "The controller {host} could not take the request right now ({reason}).")
LOCAL_FILE_PROBLEM = QT_TRANSLATE_NOOP(
    CONTEXT, "The programme file {path} cannot be read, or it changed after it was prepared for delivery.")
LOCAL_FILE_PROBLEM_HINT = QT_TRANSLATE_NOOP(CONTEXT, "Render the programme again, then deliver it.")


@dataclass(frozen=True)
class _Answer:
    status: int
    document: dict[str, Any]


@dataclass(frozen=True)
class _Status:
    state: str
    sha256: str
    size_bytes: int
    received_bytes: int


class HttpTarget:
    """A delivery target for one controller at ``base_url`` (``http://`` or ``https://``, optionally with a
    path prefix), authenticated by a bearer ``token``. ``ca_file`` is the controller's own CA certificate
    (PEM) when its certificate is not signed by a public CA; it replaces the system's CAs for this target."""

    def __init__(self, *, base_url: str, token: str, ca_file: Path | None = None,
                 timeout: float = CONNECT_TIMEOUT, chunk_size: int = CHUNK_SIZE) -> None:
        if not 0 < chunk_size <= MAX_CHUNK_SIZE:
            raise ValueError(f"chunk_size must be 1..{MAX_CHUNK_SIZE}")
        parts = urlsplit(base_url.strip())
        shown_url = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()  # never show a password
        try:
            port = parts.port
        except ValueError:
            port = -1
        if (parts.scheme not in ("http", "https") or not parts.hostname or port == -1 or "@" in parts.netloc
                or parts.query or parts.fragment or not re.fullmatch(r"[A-Za-z0-9._~%/-]*", parts.path)):
            raise DeliveryError(BAD_ADDRESS, retryable=False, hint=BAD_ADDRESS_HINT, url=_clean(shown_url, 200))
        self.https = parts.scheme == "https"
        self.hostname = parts.hostname
        self.port = port or (443 if self.https else 80)
        shown = f"[{self.hostname}]" if ":" in self.hostname else self.hostname
        self.host = f"{shown}:{self.port}"
        """How messages name the controller: computer and port, never credentials."""
        self.base_url = f"{parts.scheme}://{self.host}{parts.path.rstrip('/')}"
        self._prefix = parts.path.rstrip("/")
        if not re.fullmatch(r"[\x21-\x7e]+", token):
            raise DeliveryError(BAD_TOKEN, retryable=False, hint=BAD_TOKEN_HINT, host=self.host)
        self._token = token
        self.ca_file = ca_file
        self.timeout = timeout
        self.chunk_size = chunk_size

    def __repr__(self) -> str:  # never show the token
        return f"HttpTarget({self.base_url!r})"

    # -- the Target protocol -------------------------------------------------------------------------------

    def check(self, *, cancel: CancelToken | None = None) -> str:
        """Log in and read ``/v1/health``: name, version and free space of the receiver."""
        with self._session(cancel) as session:
            answer = session.call("GET", "/v1/health")
            self._expect(answer, (200,), None)
        doc = answer.document
        name, version, free = doc.get("name"), doc.get("version"), doc.get("free_bytes")
        if not isinstance(name, str) or not isinstance(version, str) or not _is_count(free):
            raise self._bad_answer("the health document is malformed")
        return f"{_clean(name, 80)} {_clean(version, 40)} — {self.base_url} — {free / 1e9:.1f} GB"

    def withdraw(self, programme_id: str, *, cancel: CancelToken | None = None) -> bool:
        """``DELETE`` the programme; True when the controller removed something, False when it had nothing."""
        with self._session(cancel) as session:
            answer = session.call("DELETE", _programme_path(programme_id))
            if answer.status == 404 and str(answer.document.get("type", "")).endswith(":unknown-programme"):
                return False
            self._expect(answer, (200,), programme_id)
        return answer.document.get("removed") is True

    def deliver(self, package: Package, *, progress: TransferProgress = no_transfer_progress,
                cancel: CancelToken | None = None) -> Receipt:
        cancel = cancel or CancelToken()
        name = package.audio_name
        sidecar = _read_sidecar(package.sidecar)
        path = _programme_path(package.programme_id)
        location = f"{self.base_url}/v1/programmes/{quote(package.programme_id, safe='')}"
        with self._session(cancel) as session:
            answer = session.call("PUT", path, body=sidecar, content_type="application/json")
            self._expect(answer, (200, 201), name)
            status = self._status(answer)
            if (status.sha256, status.size_bytes) != (package.sha256, package.size_bytes):
                raise self._bad_answer("the controller holds other audio than the one declared")
            if status.state == "ready":
                progress(package.size_bytes, package.size_bytes)
                already = answer.status == 200 and answer.document.get("sidecar_updated") is not True
                log.info("%s: %s already on %s", package.programme_id, name, self.host)
                return Receipt(location, already_there=already)
            if status.state != "receiving":
                raise self._bad_answer(f"the declared programme is {status.state}")
            self._upload(session, package, path, status.received_bytes, progress, cancel)
            final = self._status(self._expected(session.call("GET", path), (200,), name))
        if final.state != "ready" or final.sha256 != package.sha256 or final.size_bytes != package.size_bytes:
            raise DeliveryError(REMOTE_VERIFY_FAILED, retryable=True, hint=REMOTE_VERIFY_FAILED_HINT, name=name,
                                host=self.host, detail=f"state {final.state}, sha256 {final.sha256[:12]}")
        log.info("%s: delivered %s to %s", package.programme_id, name, self.host)
        return Receipt(location, already_there=False)

    # -- steps -----------------------------------------------------------------------------------------------

    def _upload(self, session: _Session, package: Package, path: str, offset: int, progress: TransferProgress,
                cancel: CancelToken) -> None:
        size, name = package.size_bytes, package.audio_name
        if offset >= size:
            raise DeliveryError(REMOTE_VERIFY_FAILED, retryable=True, hint=REMOTE_VERIFY_FAILED_HINT, name=name,
                                host=self.host, detail=f"{offset} of {size} bytes held but not published")
        progress(offset, size)
        resyncs = 0
        try:
            audio = package.audio.open("rb")
        except OSError as exc:
            raise _local_problem(package.audio, _reason(exc)) from exc
        with audio:
            while offset < size:
                cancel.raise_if_cancelled()
                try:
                    audio.seek(offset)
                    chunk = audio.read(min(self.chunk_size, size - offset))
                except OSError as exc:
                    raise _local_problem(package.audio, _reason(exc)) from exc
                if not chunk:
                    raise _local_problem(package.audio, "the file is shorter than when it was prepared")
                answer = session.call("PUT", f"{path}/audio", body=chunk, content_type="application/octet-stream",
                                      content_range=f"bytes {offset}-{offset + len(chunk) - 1}/{size}")
                held = answer.document.get("received_bytes")
                if answer.status in (409, 416) and _is_count(held) and held <= size and resyncs < _RESYNC_LIMIT:
                    resyncs += 1  # the controller holds a different amount: continue from its offset
                    offset = held
                    continue
                status = self._status(self._expected(answer, (200,), name))
                if status.state == "ready":
                    offset = size
                elif status.state == "receiving" and offset < status.received_bytes < size:
                    offset, resyncs = status.received_bytes, 0
                else:
                    raise self._bad_answer(f"the upload did not advance (state {status.state}, "
                                           f"{status.received_bytes} bytes)")
                progress(offset, size)

    def _status(self, answer: _Answer) -> _Status:
        doc = answer.document
        state, sha256 = doc.get("state"), doc.get("sha256")
        size, received = doc.get("size_bytes"), doc.get("received_bytes")
        if state not in STATES or not isinstance(sha256, str) or not _is_count(size) or not _is_count(received) \
                or received > size:
            raise self._bad_answer("the programme status is malformed")
        return _Status(str(state), sha256, size, received)

    def _expected(self, answer: _Answer, ok: tuple[int, ...], name: str | None) -> _Answer:
        self._expect(answer, ok, name)
        return answer

    def _expect(self, answer: _Answer, ok: tuple[int, ...], name: str | None) -> None:
        """Turn any status but ``ok`` into the DeliveryError an officer (and the outbox) can act on."""
        status = answer.status
        if status in ok:
            return
        detail = answer.document.get("detail")
        reason = _clean(detail, 200) if isinstance(detail, str) and detail.strip() else f"HTTP {status}"
        host = self.host
        if 300 <= status < 400:
            raise DeliveryError(REDIRECTED, retryable=False, hint=REDIRECTED_HINT, host=host, status=status)
        if status in (401, 403):
            raise DeliveryError(LOGIN_FAILED, retryable=False, hint=LOGIN_FAILED_HINT, host=host)
        if status == 507:
            raise DeliveryError(REMOTE_FULL, retryable=True, hint=REMOTE_FULL_HINT, host=host, name=name or host)
        if status == 422:
            raise DeliveryError(REMOTE_VERIFY_FAILED, retryable=True, hint=REMOTE_VERIFY_FAILED_HINT, host=host,
                                name=name or host, detail=reason)
        if status in (408, 429) or 500 <= status < 600:
            raise DeliveryError(REMOTE_BUSY, retryable=True, hint=CONNECTION_LOST_HINT, host=host, reason=reason)
        if 400 <= status < 500 and name is not None:
            raise DeliveryError(REMOTE_REFUSED, retryable=False, host=host, name=name, reason=reason)
        raise self._bad_answer(reason)

    def _bad_answer(self, reason: str) -> DeliveryError:
        return DeliveryError(BAD_ANSWER, retryable=False, hint=BAD_ANSWER_HINT, host=self.host, reason=reason)

    @contextmanager
    def _session(self, cancel: CancelToken | None) -> Iterator[_Session]:
        if cancel is not None:
            cancel.raise_if_cancelled()
        connection: http.client.HTTPConnection
        if self.https:
            connection = http.client.HTTPSConnection(self.hostname, self.port, timeout=self.timeout,
                                                     context=self._tls_context())
        else:
            connection = http.client.HTTPConnection(self.hostname, self.port, timeout=self.timeout)
        try:
            try:
                connection.connect()
            except ssl.SSLCertVerificationError as exc:
                raise self._untrusted(exc) from exc
            except (OSError, http.client.HTTPException) as exc:
                raise DeliveryError(CONNECTION_FAILED, retryable=True, hint=CONNECTION_FAILED_HINT, host=self.host,
                                    reason=_reason(exc)) from exc
            yield _Session(self, connection)
        finally:
            connection.close()

    def _tls_context(self) -> ssl.SSLContext:
        cafile = None if self.ca_file is None else str(self.ca_file)
        try:
            return ssl.create_default_context(cafile=cafile)
        except (OSError, ssl.SSLError) as exc:
            raise DeliveryError(CA_FILE_UNUSABLE, retryable=False, hint=TLS_UNTRUSTED_HINT, path=self.ca_file,
                                reason=_reason(exc)) from exc

    def _untrusted(self, exc: ssl.SSLCertVerificationError) -> DeliveryError:
        reason = _clean(exc.verify_message or str(exc), 120)
        return DeliveryError(TLS_UNTRUSTED, retryable=False, hint=TLS_UNTRUSTED_HINT, host=self.host, reason=reason)


class _Session:
    """One connection kept alive across the requests of a delivery; every answer read within bounds."""

    def __init__(self, target: HttpTarget, connection: http.client.HTTPConnection) -> None:
        self.target = target
        self.connection = connection

    def call(self, method: str, path: str, *, body: bytes = b"", content_type: str | None = None,
             content_range: str | None = None) -> _Answer:
        target = self.target
        headers = {"Authorization": f"Bearer {target._token}", "Accept": "application/json",
                   "User-Agent": f"CommuneRadioStudio/{__version__}", "Content-Length": str(len(body))}
        if content_type:
            headers["Content-Type"] = content_type
        if content_range:
            headers["Content-Range"] = content_range
        try:
            self.connection.request(method, target._prefix + path, body=body, headers=headers)
            response = self.connection.getresponse()
            raw = _read_bounded(response)
        except _TooLarge:
            raise target._bad_answer(f"the answer is larger than {MAX_ANSWER_BYTES} bytes") from None
        except ssl.SSLCertVerificationError as exc:
            raise target._untrusted(exc) from exc
        except (OSError, http.client.RemoteDisconnected, http.client.IncompleteRead) as exc:
            raise DeliveryError(CONNECTION_LOST, retryable=True, hint=CONNECTION_LOST_HINT, host=target.host,
                                reason=_reason(exc)) from exc
        except http.client.HTTPException as exc:  # header line too long, more than 100 headers, not HTTP
            raise target._bad_answer(_reason(exc)) from exc
        log.debug("%s %s -> %s", method, path, response.status)
        return _Answer(response.status, self._document(response.status, raw))

    def _document(self, status: int, raw: bytes) -> dict[str, Any]:
        if not raw.strip():
            if 200 <= status < 300:
                raise self.target._bad_answer(f"HTTP {status} without a JSON document")
            return {}
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            document = None
        if isinstance(document, dict):
            return document
        if 200 <= status < 300:
            raise self.target._bad_answer(f"HTTP {status} with a body that is not a JSON object")
        return {}  # an error page from a proxy: the status code says enough


class _TooLarge(Exception):
    pass


def _read_bounded(response: http.client.HTTPResponse) -> bytes:
    """The whole answer, or :class:`_TooLarge` past :data:`MAX_ANSWER_BYTES`. An answer not read to its end
    is closed here: it may own the socket (``Connection: close``) and must not leak it."""
    try:
        length = response.getheader("Content-Length", "")
        if length.strip().isdigit() and int(length) > MAX_ANSWER_BYTES:
            raise _TooLarge()
        data = bytearray()
        while len(data) <= MAX_ANSWER_BYTES:
            block = response.read(MAX_ANSWER_BYTES + 1 - len(data))
            if not block:
                return bytes(data)
            data += block
        raise _TooLarge()
    except BaseException:
        response.close()
        raise


def _programme_path(programme_id: str) -> str:
    return f"/v1/programmes/{quote(programme_id, safe='')}"


def _read_sidecar(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SIDECAR_BYTES + 1)
    except OSError as exc:
        raise _local_problem(path, _reason(exc)) from exc
    if len(data) > MAX_SIDECAR_BYTES:
        raise _local_problem(path, f"it is larger than {MAX_SIDECAR_BYTES} bytes")
    return data


def _is_count(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _clean(text: str, limit: int) -> str:
    """Server-provided text made safe to show: printable characters only, one line, bounded."""
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(printable.split())[:limit]


def _reason(exc: BaseException) -> str:
    return _clean(str(exc) or type(exc).__name__, 160)


def _local_problem(path: Path, reason: str) -> DeliveryError:
    return DeliveryError(LOCAL_FILE_PROBLEM, retryable=False, hint=LOCAL_FILE_PROBLEM_HINT, path=path, reason=reason)
