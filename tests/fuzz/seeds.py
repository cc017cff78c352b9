"""Seed files for the fuzzer: real audio made by the bundled ffmpeg, in the shapes phones, recorders and
audio programs write (and a few they should not): codecs, rates from 8 to 96 kHz, mono to eight channels,
too short, silent. Small (a second or two) so that one execution stays cheap."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg

#: name → (ffmpeg source filter, output options, suffix)
SEEDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "speechlike-48k-mono.wav": ("sine=f=220:sample_rate=48000:duration=1.5,volume=0.5", ("-c:a", "pcm_s16le"), ".wav"),
    "tone-44k1-stereo.wav": ("sine=f=660:sample_rate=44100:duration=1.2", ("-ac", "2", "-c:a", "pcm_s16le"), ".wav"),
    "tone-8k-mono-u8.wav": ("sine=f=440:sample_rate=8000:duration=1", ("-c:a", "pcm_u8"), ".wav"),
    "tone-96k-float.wav": ("sine=f=440:sample_rate=96000:duration=0.8", ("-c:a", "pcm_f32le"), ".wav"),
    "tone-11k-mulaw.wav": ("sine=f=440:sample_rate=11025:duration=1", ("-c:a", "pcm_mulaw"), ".wav"),
    "tone-6ch.wav": ("sine=f=440:sample_rate=48000:duration=0.8", ("-ac", "6", "-c:a", "pcm_s16le"), ".wav"),
    "tone-22k-adpcm.wav": ("sine=f=440:sample_rate=22050:duration=1", ("-c:a", "adpcm_ima_wav"), ".wav"),
    "edge-like-24k.mp3": ("sine=f=330:sample_rate=24000:duration=1.5", ("-c:a", "libmp3lame", "-b:a", "48k"), ".mp3"),
    "tone-44k1-stereo.mp3": ("sine=f=550:sample_rate=44100:duration=1.2", ("-ac", "2", "-c:a", "libmp3lame"), ".mp3"),
    "phone.m4a": ("sine=f=440:sample_rate=44100:duration=1.2", ("-c:a", "aac", "-b:a", "64k"), ".m4a"),
    "voice.ogg": ("sine=f=440:sample_rate=48000:duration=1.2", ("-c:a", "libvorbis"), ".ogg"),
    "voice.opus": ("sine=f=440:sample_rate=48000:duration=1.2", ("-c:a", "libopus"), ".opus"),
    "tone.flac": ("sine=f=440:sample_rate=32000:duration=1.2", ("-c:a", "flac"), ".flac"),
    "too-short.wav": ("sine=f=440:sample_rate=48000:duration=0.1", ("-c:a", "pcm_s16le"), ".wav"),
    "silent.wav": ("anullsrc=r=48000:cl=mono", ("-t", "1", "-c:a", "pcm_s16le"), ".wav"),
}
#: Not audio at all: what an officer picks by mistake.
DOCUMENTS = {
    "script.txt": "Kính thưa bà con, UBND xã thông báo lịch tiêm chủng.\n".encode(),
    "notepad-unicode.txt": "Kính thưa bà con".encode("utf-16"),
    "empty.wav": b"",
}


def make_seeds(folder: Path) -> dict[str, bytes]:
    """Every seed, made (once) in ``folder``: name → bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds: dict[str, bytes] = {}
    for name, (source, options, _suffix) in SEEDS.items():
        path = folder / name
        if not path.exists():
            subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "lavfi",
                            "-i", source, *options, "-y", str(path)], check=True)
        seeds[name] = path.read_bytes()
    seeds.update(DOCUMENTS)
    return seeds
