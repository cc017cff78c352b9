"""Mutations of seed files, as a hypothesis strategy: what copying, sending and half-saving do to a file
(cut short, bytes flipped, zeroed, inserted, repeated), and what a broken or hostile program writes (a
header of another format, a size field that promises gigabytes, a rate of zero, 65 535 channels). Hypothesis
shrinks a failure to the fewest, smallest mutations of the simplest seed."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

MAGICS = [b"RIFF", b"RIFF\xff\xff\xff\xffWAVE", b"ID3\x03\x00\x00\x00\x00\x00\x00", b"\xff\xfb\x90\x64",
          b"fLaC", b"OggS\x00\x02", b"\x00\x00\x00\x20ftypM4A ", b"%PDF-1.4\n", b"PK\x03\x04",
          b"\xef\xbb\xbfK\xc3\xadnh", b"\x00" * 16, b"\xff" * 16]
#: Values a 16/32/64-bit size, rate or count field is checked against: none, one, the sign bit, all bits.
INTERESTING = [0, 1, 2, 7, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF]
TAGS = [b"RIFF", b"WAVE", b"fmt ", b"data", b"LIST", b"fact", b"ftyp", b"moov", b"mdat", b"mvhd", b"trak", b"stsz",
        b"ID3", b"Xing", b"Info", b"OggS", b"fLaC", b"\xff\xfb", b"\xff\xf3"]
SUFFIXES = [".wav", ".mp3", ".m4a", ".ogg", ".flac", ".opus", ".txt", ""]


@dataclass(frozen=True)
class Mutant:
    """A fuzzed input: which seed, what was done to it (for the report), its bytes and file suffix."""

    seed: str
    steps: tuple[str, ...]
    data: bytes
    suffix: str

    def __repr__(self) -> str:  # hypothesis prints the failing input: not megabytes of it
        return f"Mutant({self.describe()})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis's pretty printer asks this first
        printer.text(repr(self))

    def describe(self) -> str:
        return f"{self.seed} {' → '.join(self.steps) or '(unchanged)'}, {len(self.data)} bytes as {self.suffix!r}"


def _fields(data: bytes) -> list[int]:
    """Offsets worth overwriting: the size field after every known tag, and the WAV fmt fields."""
    offsets = []
    for tag in TAGS:
        start = data.find(tag)
        while start != -1 and len(offsets) < 64:
            offsets += [start - 4, start + len(tag)]  # MP4: size before the tag; RIFF: size after it
            start = data.find(tag, start + 1)
    fmt = data.find(b"fmt ")
    if fmt != -1:
        offsets += [fmt + 10, fmt + 12, fmt + 16, fmt + 20, fmt + 22]  # channels, rate, byte rate, align, bits
    return sorted({o for o in offsets if 0 <= o < len(data)})


@st.composite
def mutants(draw: st.DrawFn, seeds: dict[str, bytes]) -> Mutant:
    seed = draw(st.sampled_from(sorted(seeds)))
    data = bytearray(seeds[seed])
    steps: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["truncate", "flip", "field", "magic", "insert", "repeat", "zero", "splice",
                                   "empty"]))
        size = len(data)
        position = draw(st.one_of(st.sampled_from([0, 4, 8, 12, 16, 24, 36, 40, 44, 64, 128, 512, 4096]),
                                  st.integers(0, max(size, 1)))) % (size + 1)
        if op == "truncate":
            del data[position:]
        elif op == "flip" and size:
            for _ in range(draw(st.integers(1, 8))):
                data[draw(st.integers(0, size - 1))] ^= draw(st.integers(1, 255))
        elif op == "field":
            offsets = _fields(bytes(data)) or [position]
            offset = draw(st.sampled_from(offsets))
            value = draw(st.one_of(st.sampled_from(INTERESTING), st.just(size * 1000), st.integers(0, 2**32 - 1)))
            width, order = draw(st.sampled_from([(2, "<"), (4, "<"), (4, ">"), (8, ">")]))
            packed = struct.pack(order + {2: "H", 4: "I", 8: "Q"}[width], value % (1 << (8 * width)))
            data[offset : offset + width] = packed
            op = f"field@{offset}={value}"
        elif op == "magic":
            magic = draw(st.sampled_from(MAGICS))
            data[0 : len(magic)] = magic
        elif op == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=64))
        elif op == "repeat" and size:
            end = min(size, position + draw(st.integers(1, 4096)))
            data[position:position] = data[position:end] * draw(st.integers(1, 3))
        elif op == "zero":
            end = min(size, position + draw(st.integers(1, 2048)))
            data[position:end] = bytes(end - position)
        elif op == "splice":
            other = seeds[draw(st.sampled_from(sorted(seeds)))]
            data = data[:position] + other[draw(st.integers(0, len(other))):]
        elif op == "empty":
            data = bytearray()
        if not op.startswith("field"):
            op = f"{op}@{position}"
        steps.append(op)
    default_suffix = "." + seed.rpartition(".")[2] if "." in seed else ""
    suffix = draw(st.one_of(st.just(default_suffix), st.sampled_from(SUFFIXES)))
    return Mutant(seed, tuple(steps), bytes(data), suffix)
