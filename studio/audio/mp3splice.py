"""Joining two MP3 encodes of overlapping halves of one programme into one seamless file.

A render's floor is the MP3 encoder, and LAME uses one core. An officer's PC has two or more, so a long
programme is encoded as two halves at once (:mod:`studio.audio.finish`): the first half runs a little past
the middle, the second starts a little before it, on the same 1152-sample frame grid. Both encoders have
settled by the middle (LAME's state is its bit reservoir, its psychoacoustic history and its window
shapes), and the halves are joined frame by frame there:

* the join is a frame whose window shape follows on from the first half's previous frame (a long/short
  window mismatch would leave aliasing the decoder cannot cancel);
* MP3 frames borrow space from the frames before them (the *bit reservoir*: ``main_data_begin`` bytes back).
  The second half's first frame borrows from the second half's own earlier frames, which are not in the
  file; those bytes are copied into the end of the first half's frames, into space the first half had left
  free for the frame that the join drops (so the join needs ``main_data_begin`` of the second half's frame
  no larger than the first half's there). This is what frame-accurate MP3 cutters do.

Decoded, the joined file equals the first encode up to the join and, a few frames later, the second encode
(the decoder forgets everything older than about three frames); tests compare both and the whole programme
encoded by one encoder. Gapless playback data (the LAME tag's encoder delay and padding) is rewritten for
the joined length: :func:`set_gapless`.

Only MPEG-1 Layer III (32, 44.1 and 48 kHz: 1152 samples per frame) is handled; other files are refused
with ``ValueError`` and the caller encodes in one piece.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

FRAME_SAMPLES = 1152
DECODER_DELAY = 529  # samples an MP3 decoder's filter banks add before the encoder's own delay
MPEG1_RATES = (44100, 48000, 32000)
_BITRATES_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_MONO = 3
_XING_TAGS = (b"Xing", b"Info")
_XING_FLAGS_ALL = 0x0F  # frames, bytes, seek table, quality: what ffmpeg writes
_LAME_AFTER_XING = 120  # "Info", flags, frames, bytes, 100-byte seek table, quality
_ENCODER_NAME = 9  # the tag starts with the encoder's name ("LAME3.100", ffmpeg's "Lavf lame")
_LAME_DELAY = 21  # 12 bits encoder delay, 12 bits padding
_LAME_TAG_CRC = 34
_TAG_CRC_SPAN = 190  # the tag's CRC covers the frame's first 190 bytes (LAME's definition)


@dataclass(frozen=True)
class Frame:
    """One MPEG-1 Layer III frame of a file: where it is, where its own audio data area is, what it borrows."""

    offset: int
    size: int
    payload: int  # offset of the frame's main data area (after header, CRC and side information)
    main_data_begin: int | None  # bytes of its audio data in earlier frames' areas (the bit reservoir)
    last_windows: tuple[int, ...] | None  # second granule's block type per channel (0 long, 1 start, 2 short, 3 stop)

    @property
    def end(self) -> int:
        return self.offset + self.size


def _bits(value: int, total: int, offset: int, width: int) -> int:
    """``width`` bits at ``offset`` of a ``total``-bit big-endian field."""
    return (value >> (total - offset - width)) & ((1 << width) - 1)


def read_frames(data: bytes | memoryview, start: int = 0, stop: int | None = None,
                sides: range | None = None) -> list[Frame]:
    """The frames of an MPEG-1 Layer III stream from byte ``start`` (a frame's first byte) to the end, or to
    the first frame that begins at or after ``stop``. ``ValueError`` when the stream is not such a stream.

    ``sides``: the frames (by index) whose side information is read; the others (a joining looks at a few
    dozen of 76,000 in half an hour) say None for what they borrow and their windows."""
    end = len(data) if stop is None else min(stop, len(data))
    frames: list[Frame] = []
    offset = start
    while offset + 4 <= len(data) and offset < end:
        header = int.from_bytes(data[offset : offset + 4], "big")
        version, layer = (header >> 19) & 3, (header >> 17) & 3
        bitrate, rate_index = (header >> 12) & 15, (header >> 10) & 3
        if header >> 21 != 0x7FF or version != 3 or layer != 1 or not 0 < bitrate < 15 or rate_index == 3:
            raise ValueError(f"not an MPEG-1 Layer III frame at byte {offset}")
        size = 144_000 * _BITRATES_KBPS[bitrate] // MPEG1_RATES[rate_index] + ((header >> 9) & 1)
        mono = (header >> 6) & 3 == _MONO
        side = offset + 4 + (0 if header & 0x10000 else 2)  # a CRC follows the header when protected
        side_bytes = 17 if mono else 32
        if side + side_bytes > len(data):
            raise ValueError(f"a frame is cut short at byte {offset}")
        if sides is not None and len(frames) not in sides:
            frames.append(Frame(offset, size, side + side_bytes, None, None))
            offset += size
            continue
        total = side_bytes * 8
        value = int.from_bytes(data[side : side + side_bytes], "big")
        # main_data_begin, private bits and scfsi, then 59 bits per granule and channel
        first_granule = 18 if mono else 20
        channels = 1 if mono else 2
        windows = []
        for channel in range(channels):
            granule = first_granule + (channels + channel) * 59  # second granule of this channel
            switching = _bits(value, total, granule + 33, 1)
            windows.append(_bits(value, total, granule + 34, 2) if switching else 0)
        frames.append(Frame(offset, size, side + side_bytes, _bits(value, total, 0, 9), tuple(windows)))
        offset += size
    return frames


def find_join(first: Sequence[Frame], second: Sequence[Frame], shift: int, candidates: range) -> int | None:
    """The frame index (in ``first``'s numbering) where ``second`` can take over, nearest the middle of
    ``candidates``; ``second``'s frame ``k - shift`` is the same stretch of the programme as ``first``'s
    frame ``k``. None when no candidate works."""
    middle = (candidates.start + candidates.stop) // 2
    for index in sorted(candidates, key=lambda k: abs(k - middle)):
        other = index - shift
        if not (1 <= index < len(first) and 1 <= other < len(second)):
            continue
        borrows, room = second[other].main_data_begin, first[index].main_data_begin
        windows = first[index - 1].last_windows
        if (borrows is not None and room is not None and borrows <= room and windows is not None
                and windows == second[other - 1].last_windows):
            return index
    return None


def decoder_memory(bitrate_kbps: int, rate: int) -> int:
    """How many frames back a decoder's output at a frame can depend on: its bit reservoir reaches up to
    511 bytes back (several frames at low bit rates), and its filter banks overlap about three frames."""
    payload = 144_000 * bitrate_kbps // rate - 36  # a frame less its header and side information (stereo)
    return 3 + -(-511 // max(1, payload))


def _last_data(frames: Sequence[Frame], index: int, count: int) -> list[tuple[int, int]]:
    """The byte ranges, in order, that hold the last ``count`` bytes of main data before ``frames[index]``."""
    spans: list[tuple[int, int]] = []
    for frame in (frames[i] for i in range(index - 1, -1, -1)):
        if count == 0:
            break
        take = min(count, frame.end - frame.payload)
        spans.append((frame.end - take, frame.end))
        count -= take
    if count:
        raise ValueError("the stream borrows from before its first frame")
    return spans[::-1]


def joined(first: bytes | memoryview, first_frames: Sequence[Frame], second: bytes | memoryview,
           second_frames: Sequence[Frame], join: int, shift: int, *, start: int = 0,
           chunk: int = 1 << 20) -> Iterator[bytes]:
    """The bytes of ``first`` from ``start`` up to its frame ``join``, then ``second`` from its frame
    ``join - shift`` on, the second's borrowed bytes written into the first's free space (see the module's
    docstring). Frame indexes count in each list; ``start`` must not lie in the first part's last frames."""
    other = join - shift
    borrows, room = second_frames[other].main_data_begin, first_frames[join].main_data_begin
    if borrows is None or room is None:
        raise ValueError("the side information at the join was not read")
    if borrows > room:
        raise ValueError("the first stream has no room for the second's reservoir at this frame")
    borrowed = b"".join(bytes(second[low:high]) for low, high in _last_data(second_frames, other, borrows))
    receiving = _last_data(first_frames, join, borrows)  # the first part's free space, its last data bytes
    cut = first_frames[join].offset
    tail_start = receiving[0][0] if receiving else cut
    if tail_start < start:
        raise ValueError("the join falls inside the skipped start")
    for position in range(start, tail_start, chunk):
        yield bytes(first[position : min(position + chunk, tail_start)])
    tail = bytearray(first[tail_start:cut])
    taken = 0
    for low, high in receiving:
        tail[low - tail_start : high - tail_start] = borrowed[taken : taken + high - low]
        taken += high - low
    yield bytes(tail)
    start = second_frames[other].offset
    for position in range(start, len(second), chunk):
        yield bytes(second[position : min(position + chunk, len(second))])


def crc16(data: bytes, crc: int = 0) -> int:
    """CRC-16/ARC (polynomial 0x8005 reflected), the LAME tag's checksum; for the tag's 190 bytes only."""
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def _lame_tag(frame: bytes) -> int | None:
    """Offset of the LAME tag in an Info/Xing frame as ffmpeg writes it, or None."""
    header = int.from_bytes(frame[:4], "big")
    xing = 4 + (17 if (header >> 6) & 3 == _MONO else 32)
    if frame[xing : xing + 4] not in _XING_TAGS or int.from_bytes(frame[xing + 4 : xing + 8], "big") != _XING_FLAGS_ALL:
        return None
    lame = xing + _LAME_AFTER_XING
    return lame if len(frame) >= max(lame + 36, _TAG_CRC_SPAN) else None


def gapless(frame: bytes) -> tuple[int, int] | None:
    """The encoder delay and padding (samples) an Info/Xing frame declares, or None without a LAME tag."""
    lame = _lame_tag(frame)
    if lame is None:
        return None
    packed = int.from_bytes(frame[lame + _LAME_DELAY : lame + _LAME_DELAY + 3], "big")
    return packed >> 12, packed & 0xFFF


def with_gapless(frame: bytes, delay: int, padding: int, *, frames: int | None = None, size: int | None = None,
                 encoder_of: bytes | None = None) -> bytes:
    """``frame`` (an Info/Xing frame) declaring ``delay`` and ``padding``, and ``frames`` and ``size`` (bytes)
    and the encoder named in the Info frame ``encoder_of`` when given, with its tag checksum made again.
    ``ValueError`` when a frame carries no LAME tag or the numbers do not fit it."""
    lame = _lame_tag(frame)
    if lame is None or not (0 <= delay < 4096 and 0 <= padding < 4096):
        raise ValueError("no LAME tag to record the delay and padding in")
    patched = bytearray(frame)
    if encoder_of is not None:
        other = _lame_tag(encoder_of)
        if other is None:
            raise ValueError("no LAME tag to copy the encoder's name from")
        patched[lame : lame + _ENCODER_NAME] = encoder_of[other : other + _ENCODER_NAME]
    patched[lame + _LAME_DELAY : lame + _LAME_DELAY + 3] = ((delay << 12) | padding).to_bytes(3, "big")
    xing = lame - _LAME_AFTER_XING
    if frames is not None:
        patched[xing + 8 : xing + 12] = frames.to_bytes(4, "big")
    if size is not None:
        patched[xing + 12 : xing + 16] = size.to_bytes(4, "big")
    patched[lame + _LAME_TAG_CRC : lame + _LAME_TAG_CRC + 2] = b"\0\0"
    patched[lame + _LAME_TAG_CRC : lame + _LAME_TAG_CRC + 2] = crc16(bytes(patched[:_TAG_CRC_SPAN])).to_bytes(2, "big")
    return bytes(patched)
