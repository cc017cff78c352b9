"""The reference receiver of the Studio Controller API on 127.0.0.1 (port 0) in a daemon thread, with fault
hooks a test sets between deliveries: cut the connection after so many audio bytes, a full disk, an upload
that loses its tail before verification, a receiver that lies about the hash. The hooks subclass the real
store and handler at their documented seams, so everything else is the shipped code."""

from __future__ import annotations

import errno
import os
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from studio.controller.receiver import ControllerHandler, ControllerServer
from studio.controller.store import DEFAULT_MAX_PROGRAMME_BYTES, ProgrammeStore, Record

TOKEN = "test-token-0123456789abcdef"


@dataclass
class Faults:
    """Switches read by the receiver on every request; ``audio_bytes`` counts audio body bytes received."""

    cut_after_audio_bytes: int | None = None
    """One-shot: once ``audio_bytes`` would pass this, keep only the bytes up to it and drop the connection."""
    disk_full: bool = False
    truncate_before_verify: int = 0
    """Drop this many bytes from the end of a complete upload just before the receiver verifies it."""
    lie_sha256: bool = False
    """GET answers report a wrong sha256."""
    audio_bytes: int = 0
    delay_per_chunk: float = 0.0
    """Seconds the receiver waits before taking each chunk (a slow line)."""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


class FaultyStore(ProgrammeStore):
    def __init__(self, folder: Path, faults: Faults, **kwargs: Any) -> None:
        super().__init__(folder, **kwargs)
        self.faults = faults

    def _append(self, part: Path, data: bytes) -> None:
        if self.faults.disk_full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(part))
        super()._append(part, data)

    def _verify(self, record: Record, part: Path) -> str | None:
        cut = self.faults.truncate_before_verify
        if cut:
            with part.open("r+b") as handle:
                handle.truncate(max(0, part.stat().st_size - cut))
        return super()._verify(record, part)


class FaultyHandler(ControllerHandler):
    @property
    def faults(self) -> Faults:
        return cast(FaultyStore, self.server.store).faults

    def _read_chunk_body(self, length: int) -> tuple[bytes, bool]:
        if self.faults.delay_per_chunk:
            time.sleep(self.faults.delay_per_chunk)
        data, complete = super()._read_chunk_body(length)
        faults = self.faults
        with faults.lock:
            before = faults.audio_bytes
            faults.audio_bytes += len(data)
            cut = faults.cut_after_audio_bytes
            if cut is not None and faults.audio_bytes > cut:
                faults.cut_after_audio_bytes = None
                faults.audio_bytes = max(cut, before)
                return data[: max(0, cut - before)], False
        return data, complete

    def _send_json(self, status: int, document: dict[str, Any], content_type: str = "application/json",
                   headers: dict[str, str] | None = None) -> None:
        if self.faults.lie_sha256 and self.command == "GET" and "sha256" in document:
            document = {**document, "sha256": "0" * 64}
        super()._send_json(status, document, content_type, headers)


@dataclass
class RunningReceiver:
    url: str
    folder: Path
    token: str
    faults: Faults
    server: ControllerServer

    @property
    def store(self) -> FaultyStore:
        return cast(FaultyStore, self.server.store)


@contextmanager
def running_receiver(folder: Path, *, token: str = TOKEN, tls: ssl.SSLContext | None = None,
                     max_programme_bytes: int = DEFAULT_MAX_PROGRAMME_BYTES) -> Iterator[RunningReceiver]:
    """Serve ``folder`` until the block ends; the server and its threads stop by themselves."""
    faults = Faults()
    store = FaultyStore(folder, faults, max_programme_bytes=max_programme_bytes)
    server = ControllerServer(("127.0.0.1", 0), store, token, tls=tls, handler=FaultyHandler, socket_timeout=5.0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True,
                              name="http-receiver")
    thread.start()
    try:
        yield RunningReceiver(server.url, store.folder, token, faults, server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
