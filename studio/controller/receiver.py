"""The reference receiver of the Studio Controller API (``docs/controller-api.md``).

No controller vendor publishes an upload API, so the studio publishes one and ships this small receiver:
the tests deliver to it, an integrator can read it as an executable specification, and a commune can run
it as a stand-in controller that publishes programmes into a folder its player watches
(``studio controller serve``). It is deliberately plain: the standard library's threading HTTP server,
bearer-token auth compared in constant time, bounded bodies, a socket timeout on every connection,
RFC 9457 problem documents for every error, and logs that never contain the token.

The HTTP layer here only parses, authenticates and serialises; what is stored where, and when a programme
is published, is :class:`~studio.controller.store.ProgrammeStore`'s business.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import socket
import socketserver
import ssl
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from studio import __version__
from studio.controller.store import (
    DEFAULT_MAX_PROGRAMME_BYTES,
    Problem,
    ProgrammeStore,
    is_disk_full,
    valid_programme_id,
)
from studio.tags.sidecar import MAX_SIDECAR_BYTES

log = logging.getLogger(__name__)

API_VERSION = 1
RECEIVER_NAME = "Studio reference receiver"
MAX_JSON_BYTES = MAX_SIDECAR_BYTES
MAX_CHUNK_BYTES = 16 * 1024 * 1024
SOCKET_TIMEOUT = 30.0
"""Seconds a connection may stay silent (no request, no body bytes) before the receiver drops it."""
ROUTES: tuple[tuple[str, str], ...] = (
    ("GET", "/v1/health"),
    ("GET", "/v1/programmes/{id}"),
    ("PUT", "/v1/programmes/{id}"),
    ("DELETE", "/v1/programmes/{id}"),
    ("PUT", "/v1/programmes/{id}/audio"),
)
"""Every (method, path) the receiver serves; the OpenAPI document must list exactly these."""

_HEALTH = re.compile(r"/v1/health")
_PROGRAMME = re.compile(r"/v1/programmes/([^/]+)")
_AUDIO = re.compile(r"/v1/programmes/([^/]+)/audio")
_CONTENT_RANGE = re.compile(r"bytes ([0-9]{1,15})-([0-9]{1,15})/([0-9]{1,15})")
_READ_BLOCK = 64 * 1024


class _PeerGone(Exception):
    """The client stopped sending before the announced body ended: there is nobody to answer."""


class ControllerServer(ThreadingHTTPServer):
    """A threading HTTP(S) server bound to one store and one token. TLS, when given, is negotiated in the
    connection's own thread (a slow handshake never blocks the accept loop)."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], store: ProgrammeStore, token: str, *,
                 tls: ssl.SSLContext | None = None, name: str = RECEIVER_NAME,
                 handler: type[ControllerHandler] | None = None, socket_timeout: float = SOCKET_TIMEOUT) -> None:
        if not token:
            raise ValueError("the receiver needs a token")
        self.store = store
        self.token = token.encode("utf-8")
        self.tls = tls
        self.name = name
        self.socket_timeout = socket_timeout
        super().__init__(address, handler or ControllerHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for the host's full name, which stalls on an offline machine.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), int(self.server_address[1])
        host = f"[{host}]" if ":" in host else host
        return f"{'https' if self.tls else 'http'}://{host}:{port}"

    def finish_request(self, request: Any, client_address: Any) -> None:
        if self.tls is None:
            super().finish_request(request, client_address)
            return
        request.settimeout(self.socket_timeout)
        try:
            connection = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            log.info("TLS handshake with %s failed: %s", client_address[0], exc)
            return
        try:
            super().finish_request(connection, client_address)
        finally:
            connection.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.exception("request from %s failed", client_address[0])


class ControllerHandler(BaseHTTPRequestHandler):
    """One connection: authenticate, route, answer JSON or problem+json. Keeps the connection open between
    chunks (HTTP/1.1) unless a body was left unread, which would otherwise be parsed as the next request."""

    server: ControllerServer
    protocol_version = "HTTP/1.1"
    server_version = f"studio-controller/{API_VERSION}"
    sys_version = ""
    disable_nagle_algorithm = True  # headers and body are written separately: do not wait for an ACK between
    _body_consumed = True

    def version_string(self) -> str:
        return self.server_version

    def handle_expect_100(self) -> bool:
        """Invite the body (``100 Continue``) only when it will be read: a refused request is answered at once."""
        length = self.headers.get("Content-Length", "").strip()
        if not self._authorized() or (length.isdigit() and int(length) > MAX_CHUNK_BYTES):
            return True
        return super().handle_expect_100()

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.socket_timeout)

    def do_GET(self) -> None:
        self._handle()

    do_PUT = do_DELETE = do_POST = do_HEAD = do_PATCH = do_OPTIONS = do_GET

    # -- dispatch ----------------------------------------------------------------------------------------

    def _handle(self) -> None:
        self._body_consumed = "Transfer-Encoding" not in self.headers and self.headers.get(
            "Content-Length", "0").strip() in ("", "0")
        try:
            self._route()
        except _PeerGone:
            self.close_connection = True
        except _Answered:
            pass
        except Problem as problem:
            self._send_problem(problem)
        except Exception as exc:
            if is_disk_full(exc):
                self._send_problem(Problem(507, "insufficient-storage", "Insufficient storage",
                                           "The receiver's disk is full."))
                return
            log.exception("%s %s failed", self.command, self.path[:200])
            self._send_problem(Problem(500, "internal-error", "Internal error",
                                       "The receiver failed; see its log."))

    def _route(self) -> None:
        if not self._authorized():
            error = ', error="invalid_token"' if self.headers.get("Authorization") else ""
            self._send_problem(Problem(401, "unauthorized", "Unauthorized",
                                       "Send Authorization: Bearer <token> with this receiver's token."),
                               headers={"WWW-Authenticate": f'Bearer realm="studio-controller"{error}'})
            return
        path = self.path.split("?", 1)[0]
        if _HEALTH.fullmatch(path):
            self._allow("GET")
            self._send_json(200, self._health())
            return
        audio = _AUDIO.fullmatch(path)
        programme = audio or _PROGRAMME.fullmatch(path)
        if programme is None:
            raise Problem(404, "not-found", "Not found", "No such endpoint; see docs/controller-api.md.")
        if audio is not None:
            self._allow("PUT")
        else:
            self._allow("GET", "PUT", "DELETE")
        programme_id = _programme_id(programme.group(1))
        store = self.server.store
        if audio is not None:
            self._put_audio(programme_id)
        elif self.command == "PUT":
            declared = store.declare(programme_id, self._read_json_body())
            self._send_json(201 if declared.created else 200,
                            {**declared.status, "sidecar_updated": declared.sidecar_updated})
        elif self.command == "GET":
            self._no_body()
            self._send_json(200, store.status(programme_id))
        else:
            self._no_body()
            status, removed = store.withdraw(programme_id)
            self._send_json(200, {**status, "removed": removed})

    def _allow(self, *methods: str) -> None:
        if self.command not in methods:
            self._send_problem(Problem(405, "method-not-allowed", "Method not allowed",
                                       f"Use {', '.join(methods)} on this path."),
                               headers={"Allow": ", ".join(methods)})
            raise _Answered()

    def _health(self) -> dict[str, object]:
        store = self.server.store
        return {"name": self.server.name, "version": __version__, "api_version": API_VERSION,
                "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "free_bytes": store.free_bytes(),
                "limits": {"max_programme_bytes": store.max_programme_bytes, "max_chunk_bytes": MAX_CHUNK_BYTES,
                           "max_sidecar_bytes": MAX_JSON_BYTES}}

    def _put_audio(self, programme_id: str) -> None:
        length = self._content_length(MAX_CHUNK_BYTES)
        start, end, total = self._content_range()
        if length != end - start + 1:
            raise Problem(400, "bad-request", "Bad request",
                          f"Content-Length {length} differs from the Content-Range's {end - start + 1} bytes.")
        store = self.server.store
        ready = store.check_chunk(programme_id, start, total)
        if ready is not None:  # a retried last chunk: the programme is complete already
            self._send_json(200, ready)
            return
        data, complete = self._read_chunk_body(length)
        self._body_consumed = complete
        status = store.write_chunk(programme_id, start, total, data)
        if not complete:
            raise _PeerGone()
        self._send_json(200, status)

    # -- request parts -----------------------------------------------------------------------------------

    def _authorized(self) -> bool:
        scheme, _, credentials = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(credentials.strip().encode("latin-1", "replace"), self.server.token)

    def _content_length(self, limit: int) -> int:
        if "Transfer-Encoding" in self.headers:
            raise Problem(411, "length-required", "Length required",
                          "Send a Content-Length; chunked transfer coding is not accepted.")
        raw = self.headers.get("Content-Length")
        if raw is None:
            raise Problem(411, "length-required", "Length required", "Send a Content-Length.")
        if not raw.strip().isascii() or not raw.strip().isdigit() or len(raw.strip()) > 15:
            raise Problem(400, "bad-request", "Bad request", "Content-Length is not a number.")
        length = int(raw)
        if length > limit:
            raise Problem(413, "too-large", "Body too large", f"The body may have at most {limit} bytes.")
        return length

    def _content_range(self) -> tuple[int, int, int]:
        match = _CONTENT_RANGE.fullmatch(self.headers.get("Content-Range", "").strip())
        if match is None:
            raise Problem(400, "bad-request", "Bad request", "Send Content-Range: bytes <first>-<last>/<total>.")
        start, end, total = (int(group) for group in match.groups())
        if start > end or end >= total:
            raise Problem(416, "range-not-satisfiable", "Range not satisfiable",
                          f"The range {start}-{end} does not fit in {total} bytes.")
        return start, end, total

    def _no_body(self) -> None:
        if not self._body_consumed:
            raise Problem(400, "bad-request", "Bad request", f"{self.command} takes no body.")

    def _read_json_body(self) -> bytes:
        length = self._content_length(MAX_JSON_BYTES)
        data, complete = self._read_body(length)
        if not complete:
            raise _PeerGone()
        self._body_consumed = True
        return data

    def _read_chunk_body(self, length: int) -> tuple[bytes, bool]:
        """The chunk's bytes and whether all of them came; a cut connection keeps what arrived (the next
        attempt resumes after it)."""
        return self._read_body(length)

    def _read_body(self, length: int) -> tuple[bytes, bool]:
        data = bytearray()
        try:
            while len(data) < length:
                block = self.rfile.read(min(_READ_BLOCK, length - len(data)))
                if not block:
                    break
                data += block
        except (TimeoutError, ConnectionError):
            pass
        return bytes(data), len(data) == length

    # -- responses ---------------------------------------------------------------------------------------

    def _send_problem(self, problem: Problem, headers: dict[str, str] | None = None) -> None:
        self._send_json(problem.status, problem.document(), "application/problem+json", headers)

    def _send_json(self, status: int, document: dict[str, Any], content_type: str = "application/json",
                   headers: dict[str, str] | None = None) -> None:
        body = json.dumps(document, ensure_ascii=False).encode("utf-8")
        if not self._body_consumed:
            self.close_connection = True
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            if self.close_connection:
                self.send_header("Connection", "close")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except OSError as exc:  # the client went away while we answered
            log.info("could not answer %s: %s", self.client_address[0], exc)
            self.close_connection = True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors the standard parser finds (bad request line, too many headers) as problem+json too. A method
        it has no handler for (TRACE, BREW…) is routed like any other: 401, 404, or 405 with ``Allow``."""
        if code == HTTPStatus.NOT_IMPLEMENTED and self.command:
            self._handle()
            return
        self._body_consumed = False
        phrase = HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else "Error"
        self._send_problem(Problem(code, "bad-request" if code < 500 else "server-error", message or phrase,
                                   explain or message or phrase))

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)


class _Answered(Exception):
    """The response was sent already (405); unwind without another one."""


def _programme_id(raw: str) -> str:
    try:
        programme_id = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        programme_id = ""
    if not valid_programme_id(programme_id):
        raise Problem(400, "invalid-id", "Invalid programme id",
                      "Programme ids match [A-Za-z0-9][A-Za-z0-9._-]{0,127} and equal the sidecar's id.")
    return programme_id


def tls_context(cert_file: Path, key_file: Path) -> ssl.SSLContext:
    """A server-side TLS context (TLS 1.2 or newer) from PEM files."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certfile=str(cert_file), keyfile=str(key_file))
    return context


def make_server(folder: Path, token: str, *, host: str = "127.0.0.1", port: int = 8750,
                tls: ssl.SSLContext | None = None, max_programme_bytes: int = DEFAULT_MAX_PROGRAMME_BYTES,
                name: str = RECEIVER_NAME) -> ControllerServer:
    """A receiver publishing into ``folder`` (created if missing), listening on ``host:port`` (0: any free
    port, see :attr:`ControllerServer.url`). Call ``serve_forever()``; ``shutdown()`` and ``server_close()``
    stop it."""
    store = ProgrammeStore(folder, max_programme_bytes=max_programme_bytes)
    server_class = _ControllerServerV6 if ":" in host else ControllerServer
    return server_class((host, port), store, token, tls=tls, name=name)


class _ControllerServerV6(ControllerServer):
    address_family = socket.AF_INET6
