"""A local stand-in for Microsoft's Edge read-aloud service that speaks its real wire protocol.

The machine that runs the tests has no internet, and the real service must not be hammered by a test
suite anyway, so this server plays the service's part to the *real* edge-tts client (no mocks of its
internals). What it implements was read from edge-tts 7.3.1 (``communicate.py``, ``voices.py``,
``drm.py``, ``constants.py``):

* ``GET …/edge/v1?TrustedClientToken=…&ConnectionId=<32 hex>&Sec-MS-GEC=<token>&Sec-MS-GEC-Version=…``
  upgraded to a websocket (the client asks for permessage-deflate); a wrong token or origin gets 403,
  like the service.
* Client → server text frames: ``Path:speech.config`` (JSON: output format, boundary kind), then
  ``Path:ssml`` (one ``<speak><voice><prosody pitch rate volume>`` document per connection).
* Server → client: ``Path:turn.start``, ``Path:response``, ``Path:audio.metadata`` (Sentence- or
  WordBoundary, Offset/Duration in 100 ns ticks), binary audio frames (2-byte big-endian header length,
  ``\\r\\n``-terminated header lines, then MP3 bytes), a final empty audio frame, ``Path:turn.end``.
* ``GET …/voices/list?trustedclienttoken=…&Sec-MS-GEC=…`` returning the JSON voice list.

The audio is real speech: eSpeak NG reads the SSML's text with the requested rate, pitch and volume,
ffmpeg encodes it as 24 kHz mono 48 kbps constant-bitrate MP3 (what the service sends), and the boundary
offsets are the sentences' measured positions in that audio, so the client's timing checks are meaningful.

Faults are injected with :meth:`EdgeServer.fail`; counters (``connections``, ``speech_requests``,
``max_active``…) let tests assert on what reached the "service".
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import edge_tts.communicate
import edge_tts.voices
import numpy as np
from aiohttp import WSMsgType, web
from edge_tts.constants import SEC_MS_GEC_VERSION, TRUSTED_CLIENT_TOKEN, WSS_HEADERS
from edge_tts.drm import DRM, generate_sec_ms_gec_v2

from studio.audio.ffmpeg import run_ffmpeg
from studio.audio.pcm import Pcm
from studio.speech.engine import VoiceParams
from studio.speech.espeak import EspeakEngine
from studio.text.speakable import has_speakable_text

SPEECH_PATH = "/consumer/speech/synthesize/readaloud/edge/v1"
VOICES_PATH = "/consumer/speech/synthesize/readaloud/voices/list"
OUTPUT_FORMAT = "audio-24khz-48kbitrate-mono-mp3"
BYTES_PER_SECOND = 48_000 // 8  # constant bitrate: byte positions are times
TICKS = 10_000_000  # per second
FRAME_BYTES = 144  # one MPEG-2 layer III frame at 24 kHz, 48 kbps (24 ms)
CHUNK_BYTES = 20 * FRAME_BYTES  # audio per websocket frame
FAULTS = ("forbidden", "throttled", "hang", "stall", "drop", "close")
_SSML_NS = "{http://www.w3.org/2001/10/synthesis}"
_SENTENCE = re.compile(r"(?<=[.!?…;])\s+")
_ESPEAK_VOICE = {"vi": "vi", "km": "km", "zh": "yue"}  # locale language → eSpeak voice (else "vi")

VOICES: list[dict[str, Any]] = [
    {"Name": f"Microsoft Server Speech Text to Speech Voice ({locale}, {name})",
     "ShortName": f"{locale}-{name}", "Gender": gender, "Locale": locale, "SuggestedCodec": OUTPUT_FORMAT,
     "FriendlyName": f"Microsoft {name.removesuffix('Neural')} Online (Natural) - {language}",
     "Status": "GA", "VoiceTag": {"ContentCategories": ["General"], "VoicePersonalities": ["Friendly"]}}
    for locale, name, gender, language in [
        ("vi-VN", "HoaiMyNeural", "Female", "Vietnamese (Vietnam)"),
        ("vi-VN", "NamMinhNeural", "Male", "Vietnamese (Vietnam)"),
        ("km-KH", "SreymomNeural", "Female", "Khmer (Cambodia)"),
        ("km-KH", "PisethNeural", "Male", "Khmer (Cambodia)"),
        ("zh-HK", "HiuGaaiNeural", "Female", "Chinese (Cantonese Traditional)"),
        ("zh-HK", "HiuMaanNeural", "Female", "Chinese (Cantonese Traditional)"),
        ("zh-HK", "WanLungNeural", "Male", "Chinese (Cantonese Traditional)"),
        ("en-US", "EmmaMultilingualNeural", "Female", "English (United States)"),
    ]
]


@dataclass(frozen=True)
class SpeechRequest:
    """One SSML request as the service received it."""

    voice: str  # as sent: "Microsoft Server Speech Text to Speech Voice (vi-VN, HoaiMyNeural)"
    rate: str
    pitch: str
    volume: str
    text: str  # unescaped
    boundary: str  # "SentenceBoundary" or "WordBoundary"
    ssml: str


@dataclass(frozen=True)
class _Mark:
    kind: str
    offset: int  # ticks
    duration: int  # ticks
    text: str


@dataclass(frozen=True)
class _Rendered:
    mp3: bytes
    marks: tuple[_Mark, ...]


class EdgeServer:
    """The fake service on 127.0.0.1 (a free port), running its own event loop in a daemon thread."""

    def __init__(self, *, latency: float = 0.0, voices: list[dict[str, Any]] | None = None) -> None:
        self.latency = latency  # seconds between the SSML request and the first answer
        self.voices = VOICES if voices is None else voices
        self.connections = 0  # websocket handshakes attempted, whatever became of them
        self.speech_requests: list[SpeechRequest] = []
        self.voice_list_requests = 0
        self.active = 0
        self.max_active = 0  # most websockets open at the same time
        self.abandoned = 0  # connections the client closed before the answer was complete
        self.protocol_errors: list[str] = []  # anything the real service would have refused
        self.port = 0
        self._faults: dict[str, int | None] = {}
        self._lock = threading.Lock()
        self._espeak = EspeakEngine()
        self._renders: dict[tuple[str, ...], _Rendered] = {}
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="edge-server", daemon=True)
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None

    # --- control, from the test's thread -------------------------------------------------------------

    @property
    def wss_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{SPEECH_PATH}?TrustedClientToken={TRUSTED_CLIENT_TOKEN}"

    @property
    def voice_list_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{VOICES_PATH}?trustedclienttoken={TRUSTED_CLIENT_TOKEN}"

    def fail(self, fault: str, times: int | None = None) -> None:
        """Inject ``fault`` into the next ``times`` speech connections (``None``: all of them).

        ``forbidden``/``throttled``: answer the handshake with 403/429. ``hang``: accept, then never
        answer. ``stall``: start the turn, send the first audio frame, then nothing more. ``drop``: send
        all boundary metadata but only the first 40 % of the audio, then end the turn normally. ``close``:
        close the websocket without ``turn.end``, just before the last sentence (what came before is
        complete and consistent), or halfway through the audio of a single sentence.
        """
        if fault not in FAULTS:
            raise ValueError(fault)
        with self._lock:
            self._faults[fault] = times

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take(self, *kinds: str) -> str | None:
        with self._lock:
            for kind in kinds:
                if kind in self._faults:
                    left = self._faults[kind]
                    if left is not None:
                        if left <= 1:
                            del self._faults[kind]
                        else:
                            self._faults[kind] = left - 1
                    return kind
        return None

    def start(self) -> None:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    # --- the service, on the server's loop -----------------------------------------------------------

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get(SPEECH_PATH, self._speech)
        app.router.add_get(VOICES_PATH, self._voice_list)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def _stop(self) -> None:
        self._stopping.set()  # releases hanging handlers
        if self._runner is not None:
            await self._runner.cleanup()
        await self._loop.shutdown_default_executor()

    def _refusal(self, request: web.Request, token_param: str) -> str | None:
        """Why the real service would answer 403, or None: the checks its edge-tts client must pass."""
        query = request.query
        if query.get(token_param) != TRUSTED_CLIENT_TOKEN:
            return "wrong TrustedClientToken"
        now = time.time()
        if query.get("Sec-MS-GEC") not in {generate_sec_ms_gec_v2(now + skew) for skew in (-300, 0, 300)}:
            return f"stale or malformed Sec-MS-GEC {query.get('Sec-MS-GEC')!r}"
        if query.get("Sec-MS-GEC-Version") != SEC_MS_GEC_VERSION:
            return "wrong Sec-MS-GEC-Version"
        if "muid=" not in request.headers.get("Cookie", ""):
            return "no muid cookie"
        return None

    async def _voice_list(self, request: web.Request) -> web.StreamResponse:
        self.voice_list_requests += 1
        problem = self._refusal(request, "trustedclienttoken")
        if problem:
            self.protocol_errors.append(problem)
            return web.Response(status=403, text=problem)
        return web.json_response(self.voices)

    async def _speech(self, request: web.Request) -> web.StreamResponse:
        self.connections += 1
        problem = self._refusal(request, "TrustedClientToken")
        if not problem and not re.fullmatch(r"[0-9a-f]{32}", request.query.get("ConnectionId", "")):
            problem = "ConnectionId is not a dashless UUID"
        if not problem and request.headers.get("Origin") != WSS_HEADERS["Origin"]:
            problem = "wrong Origin"
        if problem:
            self.protocol_errors.append(problem)
            return web.Response(status=403, text=problem)
        fault = self._take("forbidden", "throttled")
        if fault is not None:
            return web.Response(status=403 if fault == "forbidden" else 429)
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            await self._converse(ws)
        except ConnectionResetError:  # the client went away mid-answer (a cancelled render)
            self.abandoned += 1
        finally:
            self.active -= 1
        return ws

    async def _converse(self, ws: web.WebSocketResponse) -> None:
        config = await self._receive(ws, "speech.config")
        ssml = await self._receive(ws, "ssml")
        if config is None or ssml is None:
            return
        options = json.loads(config[1])["context"]["synthesis"]["audio"]
        if options.get("outputFormat") != OUTPUT_FORMAT:
            self.protocol_errors.append(f"unexpected output format {options.get('outputFormat')!r}")
        words = options.get("metadataoptions", {}).get("wordBoundaryEnabled") == "true"
        request_id = ssml[0].get("X-RequestId", "")
        if ssml[0].get("Content-Type") != "application/ssml+xml" or not re.fullmatch(r"[0-9a-f]{32}", request_id):
            self.protocol_errors.append(f"malformed ssml headers {ssml[0]}")
        speech = self._parse_ssml(ssml[1], "WordBoundary" if words else "SentenceBoundary")
        if speech is None:
            return
        self.speech_requests.append(speech)
        fault = self._take("hang", "stall", "drop", "close")
        if await self._client_left(ws, None if fault == "hang" else self.latency):
            self.abandoned += 1
            return
        if fault == "hang":
            return
        rendered = await asyncio.get_running_loop().run_in_executor(None, self._render, speech)
        await self._send_turn(ws, request_id, rendered, fault)
        async for _ in ws:  # the client closes once it has seen turn.end
            pass

    async def _client_left(self, ws: web.WebSocketResponse, seconds: float | None) -> bool:
        """Think for ``seconds`` (None: until the server stops); True if the client hung up meanwhile."""
        if seconds is not None and seconds <= 0:
            return False
        receive = asyncio.ensure_future(ws.receive())
        stopping = asyncio.ensure_future(self._stopping.wait())
        done, pending = await asyncio.wait({receive, stopping}, timeout=seconds,
                                           return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if receive in done and receive.result().type not in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED):
            self.protocol_errors.append(f"unexpected message while synthesising: {receive.result().type!r}")
        return receive in done

    async def _receive(self, ws: web.WebSocketResponse, path: str) -> tuple[dict[str, str], str] | None:
        message = await ws.receive()
        if message.type != WSMsgType.TEXT:
            if message.type not in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED):
                self.protocol_errors.append(f"expected {path}, got {message.type!r}")
            return None
        head, _, body = str(message.data).partition("\r\n\r\n")
        headers = dict(line.split(":", 1) for line in head.split("\r\n"))
        if headers.get("Path") != path or "X-Timestamp" not in headers:
            self.protocol_errors.append(f"expected Path:{path} with X-Timestamp, got {headers}")
            return None
        return headers, body

    def _parse_ssml(self, ssml: str, boundary: str) -> SpeechRequest | None:
        try:
            root = ET.fromstring(ssml)
            voice = root.find(f"{_SSML_NS}voice")
            prosody = voice.find(f"{_SSML_NS}prosody") if voice is not None else None
            assert voice is not None and prosody is not None and len(prosody) == 0, "unexpected SSML structure"
        except (ET.ParseError, AssertionError) as exc:
            self.protocol_errors.append(f"bad SSML ({exc}): {ssml[:200]}")
            return None
        return SpeechRequest(voice.get("name", ""), prosody.get("rate", ""), prosody.get("pitch", ""),
                             prosody.get("volume", ""), prosody.text or "", boundary, ssml)

    async def _send_turn(self, ws: web.WebSocketResponse, request_id: str, rendered: _Rendered,
                         fault: str | None) -> None:
        stream_id = uuid.uuid4().hex.upper()
        await ws.send_str(_text(request_id, "turn.start", {"context": {"serviceTag": uuid.uuid4().hex}}))
        await ws.send_str(_text(request_id, "response", {"context": {"serviceTag": uuid.uuid4().hex},
                                                          "audio": {"type": "inline", "streamId": stream_id}}))
        audio = rendered.mp3
        keep = len(audio)
        if fault == "drop":
            keep = int(len(audio) * 0.4) // FRAME_BYTES * FRAME_BYTES
        elif fault == "close" and len(rendered.marks) > 1:
            keep = rendered.marks[-1].offset * BYTES_PER_SECOND // TICKS // CHUNK_BYTES * CHUNK_BYTES
        elif fault == "close":
            keep = len(audio) // 2 // FRAME_BYTES * FRAME_BYTES
        marks = list(rendered.marks)
        for start in range(0, len(audio), CHUNK_BYTES):
            end = start + CHUNK_BYTES
            if start >= keep and fault == "close":
                await ws.close()
                return
            while marks and marks[0].offset * BYTES_PER_SECOND // TICKS < end:
                await ws.send_str(_metadata(request_id, marks.pop(0)))
            if start >= keep:
                continue  # "drop": the metadata goes on claiming audio that never comes
            await ws.send_bytes(_audio(request_id, stream_id, audio[start:min(end, keep)]))
            if fault == "stall":
                await self._client_left(ws, None)
                return
        for mark in marks:
            await ws.send_str(_metadata(request_id, mark))
        await ws.send_bytes(_audio(request_id, stream_id, b""))
        await ws.send_str(_text(request_id, "turn.end", {}))

    def _render(self, speech: SpeechRequest) -> _Rendered:
        """eSpeak reads each sentence; boundaries are where each sentence's sound starts and ends."""
        key = (speech.voice, speech.rate, speech.pitch, speech.volume, speech.text, speech.boundary)
        with self._lock:
            if key in self._renders:
                return self._renders[key]
        match = re.search(r"\((\w+)-", speech.voice)
        language = match[1] if match else ""
        if language not in ("vi", "km", "zh") or not speech.voice.endswith("Neural)"):
            return _Rendered(b"", ())  # an unknown voice: the service ends the turn without audio
        params = VoiceParams(_ESPEAK_VOICE[language], _number(speech.rate), _number(speech.pitch),
                             _number(speech.volume))
        if params.voice not in {voice.id for voice in self._espeak.voices()}:
            params = VoiceParams("vi", params.rate, params.pitch, params.volume)
        parts: list[np.ndarray[Any, np.dtype[np.float32]]] = []
        marks: list[_Mark] = []
        position, rate = 0, 0
        for sentence in _SENTENCE.split(speech.text.strip()):
            if not has_speakable_text(sentence):
                continue
            pcm = self._espeak.synthesize(sentence, params)
            loud = np.flatnonzero(np.abs(pcm.samples[:, 0]) > 1e-3)
            first, last = (int(loud[0]), int(loud[-1]) + 1) if len(loud) else (0, pcm.frames)
            marks.extend(_marks(sentence, (position + first) / pcm.rate, (last - first) / pcm.rate,
                                speech.boundary))
            parts.append(pcm.samples[:, 0])
            position, rate = position + pcm.frames, pcm.rate
        if not parts:
            return _Rendered(b"", ())
        rendered = _Rendered(_encode(Pcm.from_mono(np.concatenate(parts), rate)), tuple(marks))
        with self._lock:
            self._renders[key] = rendered
        return rendered


def _number(value: str) -> int:
    match = re.fullmatch(r"([+-]\d+)(%|Hz)", value)
    return int(match[1]) if match else 0


def _marks(sentence: str, start: float, duration: float, boundary: str) -> list[_Mark]:
    if boundary == "SentenceBoundary":
        return [_Mark(boundary, round(start * TICKS), round(duration * TICKS), sentence)]
    words = sentence.split()
    total = sum(len(word) for word in words)
    marks, at = [], start
    for word in words:
        length = duration * len(word) / total
        marks.append(_Mark(boundary, round(at * TICKS), round(length * TICKS), word.strip(".,;:!?…")))
        at += length
    return marks


def _encode(pcm: Pcm) -> bytes:
    """24 kHz mono 48 kbps CBR MP3 as a bare frame stream: no ID3, no Xing/Info frame, like the service."""
    args = ["-f", "f32le", "-ar", str(pcm.rate), "-ac", "1", "-i", "pipe:0", "-ar", "24000", "-ac", "1",
            "-c:a", "libmp3lame", "-b:a", "48k", "-write_xing", "0", "-id3v2_version", "0",
            "-write_id3v1", "0", "-fflags", "+bitexact", "-f", "mp3", "pipe:1"]
    outcome = run_ffmpeg(args, stdin=np.ascontiguousarray(pcm.samples, dtype="<f4").tobytes())
    assert outcome.ok, outcome.stderr_tail
    return outcome.stdout


def _text(request_id: str, path: str, body: dict[str, Any]) -> str:
    return (f"X-RequestId:{request_id}\r\nContent-Type:application/json; charset=utf-8\r\n"
            f"Path:{path}\r\n\r\n{json.dumps(body)}")


def _metadata(request_id: str, mark: _Mark) -> str:
    item = {"Type": mark.kind, "Data": {"Offset": mark.offset, "Duration": mark.duration,
                                        "text": {"Text": mark.text, "Length": len(mark.text),
                                                 "BoundaryType": mark.kind}}}
    return _text(request_id, "audio.metadata", {"Metadata": [item]})


def _audio(request_id: str, stream_id: str, data: bytes) -> bytes:
    """Binary frame: header length (2 bytes, big-endian), CRLF-terminated header lines, then the MP3 bytes."""
    content_type = "Content-Type:audio/mpeg\r\n" if data else ""  # the closing empty frame has none
    head = f"X-RequestId:{request_id}\r\n{content_type}X-StreamId:{stream_id}\r\nPath:audio\r\n".encode()
    return len(head).to_bytes(2, "big") + head + data


@contextmanager
def client_pointed_at(wss_url: str, voice_list_url: str) -> Iterator[None]:
    """Point the edge-tts client at other URLs, and undo the clock-skew correction a 403 makes it apply.

    The client reads ``WSS_URL`` and ``VOICE_LIST`` as globals of the modules that imported them by name,
    at call time; it passes its certifi SSL context to aiohttp, which uses it only for ``wss``/``https``.
    """
    communicate, voices = vars(edge_tts.communicate), vars(edge_tts.voices)
    saved = communicate["WSS_URL"], voices["VOICE_LIST"], DRM.clock_skew_seconds
    communicate["WSS_URL"], voices["VOICE_LIST"] = wss_url, voice_list_url
    try:
        yield
    finally:
        communicate["WSS_URL"], voices["VOICE_LIST"], DRM.clock_skew_seconds = saved


@contextmanager
def edge_server(*, latency: float = 0.0) -> Iterator[EdgeServer]:
    """A running server with the edge-tts client pointed at it."""
    server = EdgeServer(latency=latency)
    server.start()
    try:
        with client_pointed_at(server.wss_url, server.voice_list_url):
            yield server
    finally:
        server.stop()


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released): connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def unreachable_service() -> Iterator[None]:
    """The edge-tts client pointed at a closed port: what an officer without internet gets."""
    port = closed_port()
    with client_pointed_at(f"ws://127.0.0.1:{port}{SPEECH_PATH}?TrustedClientToken={TRUSTED_CLIENT_TOKEN}",
                           f"http://127.0.0.1:{port}{VOICES_PATH}?trustedclienttoken={TRUSTED_CLIENT_TOKEN}"):
        yield
