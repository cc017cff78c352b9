"""Offline speech through eSpeak NG, the voice that works when the network does not.

The library and its data come from the ``espeakng-loader`` wheel (Windows and Linux) and are bound
with ctypes. libespeak-ng keeps one synthesiser in C globals (voice, rate, output callback), so it is
initialised once per process and every call into it holds :data:`_LOCK`: two render workers must
never interleave their voice settings or their audio.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from studio.audio.pcm import Pcm
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import StudioError
from studio.speech.engine import VoiceInfo, VoiceParams
from studio.tasks import CancelToken
from studio.text.chunks import split_for_synthesis
from studio.text.speakable import has_speakable_text

# Values from espeak-ng/speak_lib.h.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000  # without it a missing data file ends the whole process
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000
_POS_CHARACTER = 1
_EE_OK = 0
_RATE, _VOLUME, _PITCH = 1, 2, 3

_BUFFER_MS = 200  # audio per callback; the callback is where a cancel is noticed
CHUNK_CHARS = 2000  # text per espeak_Synth call: bounds the work between cancel checks and lock releases
DEFAULT_WPM = 175
MIN_WPM, MAX_WPM = 80, 450  # espeak's documented rate range (faster needs libsonic)
NORTHERN, CENTRAL, SOUTHERN = "vi", "vi-vn-x-central", "vi-vn-x-south"

NOT_INSTALLED = QT_TRANSLATE_NOOP("Messages", "The offline voice (eSpeak NG) could not be loaded: {reason}")
NOT_INSTALLED_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Its files are missing or damaged: reinstall Commune Radio Studio to restore it."
)
UNKNOWN_VOICE = QT_TRANSLATE_NOOP("Messages", "The offline voice engine has no voice called “{voice}”.")
UNKNOWN_VOICE_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Choose vi (Northern), vi-vn-x-central or vi-vn-x-south in the language preset."
)
NOTHING_TO_READ = QT_TRANSLATE_NOOP("Messages", "This segment has nothing to read aloud.")
NOTHING_TO_READ_HINT = QT_TRANSLATE_NOOP(
    "Messages", "It contains only punctuation, symbols or spaces. Write the words, or remove the segment."
)
NO_AUDIO = QT_TRANSLATE_NOOP("Messages", "The offline voice “{voice}” could not read any of this segment.")
NO_AUDIO_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Check the text is in the voice's language; scripts such as Tai Viet need a recorded take."
)
SYNTH_FAILED = QT_TRANSLATE_NOOP("Messages", "The offline voice stopped with error {code}.")

# libespeak-ng is one synthesiser in C globals and not reentrant: every call into it, from loading to the
# end of an espeak_Synth (whose callback writes into _Espeak._audio), happens while holding this lock.
_LOCK = threading.Lock()
_shared: _Espeak | None = None  # per process because the C library is; engines are still passed in

_SynthCallback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p)


class _VoiceStruct(ctypes.Structure):
    """``espeak_VOICE``; ``languages`` is a priority byte, a NUL-terminated code, repeated."""

    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


@dataclass(frozen=True)
class _Voice:
    info: VoiceInfo
    identifier: bytes  # the data file path ("aav/vi-VN-x-south"): exact, unlike espeak's fuzzy name match


class _Espeak:
    """The initialised library. Use only while holding :data:`_LOCK`."""

    def __init__(self, library_path: str, data_path: str) -> None:
        try:
            lib = ctypes.CDLL(library_path)
            lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
            lib.espeak_Info.restype = ctypes.c_char_p
            lib.espeak_Info.argtypes = [ctypes.c_void_p]
            lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_VoiceStruct))
            lib.espeak_ListVoices.argtypes = [ctypes.c_void_p]
            lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
            lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
            lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
            lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                         ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
            # espeak opens files with char* paths: the ANSI code page on Windows, the fs encoding elsewhere.
            encoding = "mbcs" if sys.platform == "win32" else sys.getfilesystemencoding()
            path = data_path.encode(encoding)
            mode, options = _AUDIO_OUTPUT_SYNCHRONOUS, _INITIALIZE_DONT_EXIT
            rate = int(lib.espeak_Initialize(mode, _BUFFER_MS, path, options))
        except (OSError, AttributeError, UnicodeError) as exc:
            raise StudioError(NOT_INSTALLED, hint=NOT_INSTALLED_HINT, reason=exc) from exc
        if rate <= 0:
            raise StudioError(NOT_INSTALLED, hint=NOT_INSTALLED_HINT, reason=f"no voice data in {data_path}")
        self.lib = lib
        self.rate = rate
        self.version = (lib.espeak_Info(None) or b"").decode("ascii", "replace")
        self._audio: list[bytes] = []
        self._cancel = CancelToken()
        self._callback = _SynthCallback(self._on_audio)  # referenced here so ctypes never frees it
        lib.espeak_SetSynthCallback(self._callback)
        self.voices = self._list_voices()

    def _on_audio(self, wav: int | None, frames: int, events: int | None) -> int:
        """Collect one buffer; returning 1 tells espeak to stop. Must not raise (ctypes would swallow it)."""
        if wav and frames > 0:
            self._audio.append(ctypes.string_at(wav, frames * 2))
        return 1 if self._cancel.cancelled else 0

    def _list_voices(self) -> dict[str, _Voice]:
        found: dict[str, _Voice] = {}
        array = self.lib.espeak_ListVoices(None)
        index = 0
        while array[index]:
            raw = array[index].contents
            identifier = bytes(raw.identifier)
            code = ctypes.string_at(raw.languages + 1).decode("ascii", "replace").lower()
            if code in found:  # a few languages have two voices; the second is known by its file name
                code = identifier.decode("ascii", "replace").lower()
            gender = {1: "male", 2: "female"}.get(int(raw.gender), "")
            name = bytes(raw.name).decode("utf-8", "replace")
            found[code] = _Voice(VoiceInfo(code, name, _bcp47(code), gender), identifier)
            index += 1
        return found

    def configure(self, voice: _Voice, params: VoiceParams) -> None:
        """Select voice and prosody. Called before every chunk: another thread may have changed them."""
        if self.lib.espeak_SetVoiceByName(voice.identifier) != _EE_OK:
            raise StudioError(UNKNOWN_VOICE, hint=UNKNOWN_VOICE_HINT, voice=params.voice)
        for parameter, value in ((_RATE, wpm_for(params.rate)), (_PITCH, _clamp(50 + params.pitch, 0, 100)),
                                 (_VOLUME, _clamp(100 + params.volume, 0, 200))):
            self.lib.espeak_SetParameter(parameter, value, 0)

    def speak(self, text: str, cancel: CancelToken) -> npt.NDArray[np.int16]:
        """Synthesise one chunk to int16 samples; raise :class:`Cancelled` if ``cancel`` fired meanwhile."""
        data = text.encode("utf-8")
        self._audio, self._cancel = [], cancel
        try:
            code = int(self.lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0,
                                             _CHARS_UTF8 | _ENDPAUSE, None, None))
            audio = b"".join(self._audio)
        finally:
            self._audio, self._cancel = [], CancelToken()
        cancel.raise_if_cancelled()
        if code != _EE_OK:
            raise StudioError(SYNTH_FAILED, code=code)
        return np.frombuffer(audio, dtype=np.int16)


def _library() -> _Espeak:
    """The process-wide library, loaded on first use. Caller holds :data:`_LOCK`."""
    global _shared
    if _shared is None:
        try:
            import espeakng_loader
        except ImportError as exc:
            raise StudioError(NOT_INSTALLED, hint=NOT_INSTALLED_HINT, reason=exc) from exc
        _shared = _Espeak(str(espeakng_loader.get_library_path()), str(espeakng_loader.get_data_path()))
    return _shared


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def wpm_for(rate_percent: int) -> int:
    """Words per minute for a percent change of the default 175 wpm, kept inside espeak's range."""
    return _clamp(round(DEFAULT_WPM * (100 + rate_percent) / 100), MIN_WPM, MAX_WPM)


def _bcp47(code: str) -> str:
    """espeak writes ``vi-vn-x-south``; BCP 47 spells regions in capitals: ``vi-VN-x-south``."""
    parts = code.split("-")
    for i, part in enumerate(parts):
        if part == "x":
            break
        if i > 0 and len(part) == 2 and part.isalpha():
            parts[i] = part.upper()
    return "-".join(parts)




class EspeakEngine:
    """eSpeak NG as a :class:`~studio.speech.engine.SpeechEngine`: robotic, but always there.

    Voice ids are espeak's language codes, lower case: ``vi`` (Northern), ``vi-vn-x-central``,
    ``vi-vn-x-south``; matching ignores case. Audio is mono float32 at espeak's rate (22050 Hz),
    untrimmed: leading/trailing silence is the renderer's business.
    """

    @property
    def engine_id(self) -> str:
        return "espeak"

    def version(self) -> str:
        with _LOCK:
            return _library().version

    def voices(self) -> list[VoiceInfo]:
        """Every installed voice: Northern Vietnamese (the default), Central, Southern, then the rest."""
        with _LOCK:
            infos = [voice.info for voice in _library().voices.values()]
        order = {NORTHERN: 0, CENTRAL: 1, SOUTHERN: 2}
        return sorted(infos, key=lambda info: (order.get(info.id, 3), info.name))

    def synthesize(self, text: str, params: VoiceParams, cancel: CancelToken | None = None) -> Pcm:
        """Speak ``text`` chunk by chunk, releasing the library between chunks so other workers progress."""
        token = cancel if cancel is not None else CancelToken()
        token.raise_if_cancelled()
        if not has_speakable_text(text):
            raise StudioError(NOTHING_TO_READ, hint=NOTHING_TO_READ_HINT)
        with _LOCK:
            lib = _library()
            voice = lib.voices.get(params.voice.lower())
            rate = lib.rate
        if voice is None:
            raise StudioError(UNKNOWN_VOICE, hint=UNKNOWN_VOICE_HINT, voice=params.voice)
        parts: list[npt.NDArray[np.int16]] = []
        for chunk in split_for_synthesis(text, CHUNK_CHARS):
            token.raise_if_cancelled()
            with _LOCK:
                lib.configure(voice, params)
                parts.append(lib.speak(chunk, token))
        token.raise_if_cancelled()
        total = sum(len(part) for part in parts)
        if not any(part.any() for part in parts):  # espeak pads unreadable text (e.g. Tai Viet) with silence
            raise StudioError(NO_AUDIO, hint=NO_AUDIO_HINT, voice=params.voice)
        samples = np.empty((total, 1), dtype=np.float32)
        start = 0
        parts.reverse()
        while parts:  # convert and free chunk by chunk so int16 and float32 copies do not pile up
            part = parts.pop()
            np.multiply(part, np.float32(1 / 32768), out=samples[start:start + len(part), 0])
            start += len(part)
        return Pcm(samples, rate)
