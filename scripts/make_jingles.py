"""Synthesise the studio's own jingles: opening, closing, stinger and a loopable music bed.

Why synthesise: a commune may broadcast only music it has the rights to, and stock jingles come with
licences nobody at a commune can check. These are computed from nothing but numbers (additive
synthesis, no samples, no third-party music), so they ship under the project's own licence.

The sound: a đàn tranh-like plucked zither carries a motif on the ngũ cung pentatonic scale
(hò xự xang xê cống, here D E G A B), doubled by a marimba-like bar, with temple-bell and chime
strikes, a soft pad underneath and a light Schroeder reverb. Everything is band-limited to what horn
loudspeakers reproduce (little energy below 150 Hz), normalised to about −16 LUFS with the true peak
under −1 dBTP, and written as 44.1 kHz 16-bit mono WAV with the stdlib ``wave`` module.

Deterministic: a fixed seed and fixed arithmetic, so running it again gives byte-identical files.
``--check`` regenerates in memory and compares with the files on disk (the tests use it).
"""

from __future__ import annotations

import argparse
import io
import math
import sys
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyloudnorm
from scipy import signal

Signal = npt.NDArray[np.float64]

RATE = 44_100
SEED = 20_261_122
TARGET_LUFS = -16.0
TRUE_PEAK_CEILING_DBTP = -1.0
LEAD_IN = 0.03  # seconds of true silence before the first note: no click when playout starts
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "assets" / "jingles"

# Ngũ cung (Vietnamese pentatonic) on D: hò D, xự E, xang G, xê A, cống B.
TONIC_MIDI = 62
NGU_CUNG = (0, 2, 5, 7, 9)


def note(degree: int, octave: int = 0) -> float:
    """Frequency of a scale degree (0 = hò); degrees past 4 climb into the next octave."""
    steps, index = divmod(degree, len(NGU_CUNG))
    midi = TONIC_MIDI + 12 * (octave + steps) + NGU_CUNG[index]
    return float(440.0 * 2.0 ** ((midi - 69) / 12.0))


# --------------------------------------------------------------------------------------------------
# Instruments: each returns a mono signal starting at the note's onset.


def _time(seconds: float) -> Signal:
    return np.arange(round(seconds * RATE), dtype=np.float64) / RATE


def _attack(t: Signal, seconds: float) -> Signal:
    """Raised-cosine attack: a linear ramp still clicks on a loud horn, this does not."""
    ramp = np.clip(t / seconds, 0.0, 1.0)
    return np.asarray(0.5 - 0.5 * np.cos(np.pi * ramp))


def _release(t: Signal, seconds: float) -> Signal:
    """Raised-cosine fade to exact zero over the note's last ``seconds``."""
    remaining = np.clip((t[-1] - t) / seconds, 0.0, 1.0)
    return np.asarray(0.5 - 0.5 * np.cos(np.pi * remaining))


def _partials(
    freq: float,
    t: Signal,
    ratios: Sequence[float],
    amps: Sequence[float],
    decays: Sequence[float],
    phases: Signal,
) -> Signal:
    out = np.zeros_like(t)
    for ratio, amp, decay, phase in zip(ratios, amps, decays, phases, strict=True):
        f = freq * ratio
        if f >= 0.45 * RATE:
            continue
        out += amp * np.exp(-t / decay) * np.sin(2.0 * np.pi * f * t + phase)
    return out


def marimba(freq: float, seconds: float, velocity: float, rng: np.random.Generator) -> Signal:
    """Tuned wooden bar: strong fundamental, partials near 4× and 10× that die away quickly."""
    t = _time(seconds)
    scale = (440.0 / freq) ** 0.5  # high bars ring shorter
    ratios = (1.0, 3.93, 9.2)
    decays = (0.55 * scale, 0.12 * scale, 0.035 * scale)
    amps = (1.0, 0.28 * velocity, 0.07 * velocity)
    body = _partials(freq, t, ratios, amps, decays, rng.random(3) * 2 * np.pi)
    return np.asarray(velocity * body * _attack(t, 0.004) * _release(t, 0.05))


def zither(
    freq: float, seconds: float, velocity: float, rng: np.random.Generator, vibrato: float = 0.0
) -> Signal:
    """Plucked steel string (đàn tranh): bright harmonics from a pluck near the bridge.

    ``vibrato`` (semitones) adds the *rung* ornament: the player presses the string behind the
    bridge so a long note wavers, which is what makes the motif sound Vietnamese rather than generic.
    """
    t = _time(seconds)
    depth = vibrato * np.clip((t - 0.18) / 0.25, 0.0, 1.0)
    inst = freq * 2.0 ** (depth * np.sin(2.0 * np.pi * 5.2 * t) / 12.0)
    phase = 2.0 * np.pi * np.cumsum(inst) / RATE
    out = np.zeros_like(t)
    pluck_at = 0.18
    for n in range(1, 14):
        if n * freq * 1.001 >= 0.45 * RATE:
            break
        amp = abs(math.sin(math.pi * n * pluck_at)) / n**1.15
        decay = 1.6 / (1.0 + 0.45 * (n - 1)) * (330.0 / freq) ** 0.3
        stretch = 1.0 + 0.0004 * n * n  # slight stiffness: upper harmonics a little sharp
        out += amp * np.exp(-t / decay) * np.sin(n * stretch * phase + rng.random() * 2 * np.pi)
    return np.asarray(velocity * 0.6 * out * _attack(t, 0.003) * _release(t, 0.08))


def bell(freq: float, seconds: float, velocity: float, rng: np.random.Generator) -> Signal:
    """Small temple bell: hum, prime, tierce, quint and nominal, with slow beating pairs."""
    t = _time(seconds)
    ratios = (0.5, 1.0, 1.183, 1.506, 2.0, 2.514, 2.662, 3.011, 4.166)
    amps = (0.35, 0.55, 0.32, 0.18, 0.45, 0.12, 0.1, 0.08, 0.05)
    decays = (4.0, 2.6, 2.0, 1.6, 1.4, 0.9, 0.8, 0.6, 0.35)
    out = _partials(freq, t, ratios, amps, decays, rng.random(len(ratios)) * 2 * np.pi)
    # a twin a fraction of a hertz away gives the slow "wah" of a real bell
    twin = (1.0008, 1.0011, 1.0, 1.0, 1.0006, 1.0, 1.0, 1.0, 1.0)
    out += 0.5 * _partials(
        freq, t, [r * k for r, k in zip(ratios, twin, strict=True)], amps, decays,
        rng.random(len(ratios)) * 2 * np.pi,
    )
    return np.asarray(velocity * 0.55 * out * _attack(t, 0.002) * _release(t, 0.2))


def chime(freq: float, seconds: float, velocity: float, rng: np.random.Generator) -> Signal:
    """Metal chime bar: the inharmonic free-bar modes (1 : 2.76 : 5.40 : 8.93), long sparkle."""
    t = _time(seconds)
    ratios = (1.0, 2.756, 5.404, 8.933)
    amps = (1.0, 0.35, 0.15, 0.06)
    decays = (2.2, 0.9, 0.4, 0.18)
    out = _partials(freq, t, ratios, amps, decays, rng.random(4) * 2 * np.pi)
    return np.asarray(velocity * 0.5 * out * _attack(t, 0.002) * _release(t, 0.15))


def pad_voice(
    freq: float, t: Signal, rng: np.random.Generator, detune_hz: Sequence[float] = (-0.13, 0.0, 0.13)
) -> Signal:
    """Soft string-pad tone: a few harmonics falling off steeply, three slightly detuned voices."""
    out = np.zeros_like(t)
    for detune in detune_hz:
        for n in range(1, 7):
            f = n * (freq + detune)
            if f >= 6000.0:
                break
            out += np.sin(2.0 * np.pi * f * t + rng.random() * 2 * np.pi) / n**1.8
    return out / len(detune_hz)


def pad(freqs: Sequence[float], seconds: float, velocity: float, rng: np.random.Generator) -> Signal:
    """A sustained chord with a slow ADSR swell, for under the melody."""
    t = _time(seconds)
    tone = sum((pad_voice(f, t, rng) for f in freqs), np.zeros_like(t))
    env = _attack(t, min(0.6, seconds / 3)) * _release(t, min(0.9, seconds / 3))
    return np.asarray(velocity * 0.22 * tone * env)


# --------------------------------------------------------------------------------------------------
# Arrangement, effects, mastering.

Instrument = Callable[[float, float, float, np.random.Generator], Signal]


@dataclass(frozen=True)
class Hit:
    """One note of a score: when, on what, which pitch(es), how long it may ring, how hard."""

    at: float
    instrument: Instrument
    freq: float
    seconds: float
    velocity: float


def render(score: Sequence[Hit], total: float, rng: np.random.Generator) -> Signal:
    out = np.zeros(round(total * RATE))
    for hit in score:
        # a touch of human unevenness in strength, still deterministic
        velocity = hit.velocity * (0.94 + 0.06 * rng.random())
        sound = hit.instrument(hit.freq, hit.seconds, velocity, rng)
        start = round((LEAD_IN + hit.at) * RATE)
        end = min(len(out), start + len(sound))
        out[start:end] += sound[: end - start]
    return out


def _comb(x: Signal, delay: int, feedback: float, damp: float) -> Signal:
    """Freeverb's damped feedback comb, ``delay`` samples per block so numpy does the inner loop.

    y[n] = w[n - D], w = x + feedback * s, s = one-pole lowpass of y: a block of D outputs depends only
    on the previous block, so each block costs one vectorised first-order filter.
    """
    y = np.zeros_like(x)
    w_prev = np.zeros(delay)
    state = np.zeros(1)
    for start in range(0, len(x), delay):
        stop = min(start + delay, len(x))
        y_block = w_prev[: stop - start]
        s_block, state = signal.lfilter([1.0 - damp], [1.0, -damp], y_block, zi=state)
        y[start:stop] = y_block
        w_prev = x[start:stop] + feedback * s_block
    return y


def _allpass(x: Signal, delay: int, g: float) -> Signal:
    """Schroeder allpass y[n] = -g x[n] + x[n-D] + g y[n-D], computed a block of D samples at a time."""
    y = np.zeros_like(x)
    x_prev = np.zeros(delay)
    y_prev = np.zeros(delay)
    for start in range(0, len(x), delay):
        stop = min(start + delay, len(x))
        size = stop - start
        y[start:stop] = -g * x[start:stop] + x_prev[:size] + g * y_prev[:size]
        x_prev, y_prev = x[start:stop], y[start:stop]
    return y


def reverb(dry: Signal, wet: float = 0.2) -> Signal:
    """Schroeder reverb: four damped feedback combs in parallel, then two allpasses.

    A small, warm room: enough to join the notes, short enough to keep speech-band clarity.
    """
    predelay = round(0.012 * RATE)
    x = np.concatenate([np.zeros(predelay), dry])[: len(dry)]
    tail = sum(
        (_comb(x, delay, feedback, damp=0.3)
         for delay, feedback in ((1116, 0.80), (1188, 0.79), (1277, 0.78), (1356, 0.77))),
        np.zeros_like(x),
    )
    for delay, g in ((556, 0.5), (441, 0.5)):
        tail = _allpass(tail, delay, g)
    return np.asarray(dry + wet * 0.25 * tail)


def highpass(x: Signal, cutoff: float = 110.0) -> Signal:
    """Remove DC and the lows horns cannot play (they only waste amplifier power)."""
    sos = signal.butter(2, cutoff, btype="highpass", fs=RATE, output="sos")
    return np.asarray(signal.sosfilt(sos, x))


def fade_out(x: Signal, seconds: float) -> Signal:
    n = round(seconds * RATE)
    ramp = 0.5 + 0.5 * np.cos(np.pi * np.arange(n) / (n - 1))
    out = x.copy()
    out[-n:] *= ramp
    return out


def true_peak_db(x: Signal) -> float:
    """Peak of the 4× oversampled signal (BS.1770 Annex 2 style estimate)."""
    up = signal.resample_poly(x, 4, 1)
    return 20.0 * math.log10(float(np.max(np.abs(up))) + 1e-12)


def normalise(x: Signal) -> Signal:
    """To −16 LUFS, unless that would push the true peak past −1 dBTP; then the peak decides.

    The gain is rounded to 0.1 dB so a different last digit from a future pyloudnorm or numpy does
    not change the committed files.
    """
    loudness = float(pyloudnorm.Meter(RATE).integrated_loudness(x))
    gain_db = min(TARGET_LUFS - loudness, TRUE_PEAK_CEILING_DBTP - 0.3 - true_peak_db(x))
    return np.asarray(x * 10.0 ** (round(gain_db, 1) / 20.0))


def finish(x: Signal, fade: float) -> Signal:
    """The common end of a one-shot jingle: clean lows, fade to silence, level."""
    return normalise(fade_out(highpass(x), fade))


# --------------------------------------------------------------------------------------------------
# The four jingles.

D, E, G, A, B = range(5)  # scale degrees of ngũ cung on D


def opening(rng: np.random.Generator) -> Signal:
    """Signature tune, about 7 s: a rising phrase that answers itself and lands on a bell."""
    e = 0.25  # an eighth note at 120 bpm
    melody: list[tuple[float, int, int, float]] = [  # (beat in eighths, degree, octave, length in eighths)
        (0, A, 0, 1), (1, D, 1, 1), (2, E, 1, 1), (3, G, 1, 2), (5, E, 1, 1), (6, D, 1, 2),
        (8, E, 1, 1), (9, G, 1, 1), (10, A, 1, 2), (12, B, 1, 1), (13, A, 1, 1), (14, G, 1, 2),
        (16, A, 1, 1), (17, D, 2, 3),
    ]
    score: list[Hit] = []
    for beat, degree, octave, length in melody:
        long_note = length >= 2
        score.append(Hit(beat * e, _zither_with(0.28 if long_note else 0.0), note(degree, octave),
                         length * e + 1.4, 0.95))
        score.append(Hit(beat * e, marimba, note(degree, octave - 1), 1.2, 0.45))
    score += [
        Hit(0.0, bell, note(D, -1), 6.5, 0.5),
        Hit(0.0, _pad_of(note(D, -1), note(A, -1), note(E, 0)), 0.0, 2.1, 0.9),
        Hit(2.0, _pad_of(note(G, -1), note(D, 0), note(A, 0)), 0.0, 1.1, 0.9),
        Hit(3.0, _pad_of(note(A, -1), note(E, 0), note(B, 0)), 0.0, 1.3, 0.9),
        Hit(4.25, _pad_of(note(D, -1), note(A, -1), note(D, 0)), 0.0, 2.6, 0.9),
        Hit(4.25, bell, note(D, 0), 2.6, 0.75),
        Hit(4.25, chime, note(D, 2), 2.6, 0.35),
        Hit(4.25, chime, note(A, 1), 2.6, 0.25),
    ]
    return finish(reverb(render(score, 7.0, rng)), fade=1.6)


def closing(rng: np.random.Generator) -> Signal:
    """About 5.5 s: the opening's phrase turned downwards, a G–A–D cadence resolving on hò."""
    e = 0.3
    melody: list[tuple[float, int, int, float]] = [
        (0, D, 2, 1), (1, B, 1, 1), (2, A, 1, 1), (3, G, 1, 1), (4, A, 1, 2),
        (6, G, 1, 1), (7, E, 1, 1), (8, D, 1, 4),
    ]
    score: list[Hit] = []
    for beat, degree, octave, length in melody:
        score.append(Hit(beat * e, _zither_with(0.3 if length >= 2 else 0.0), note(degree, octave),
                         length * e + 1.4, 0.9))
        score.append(Hit(beat * e, marimba, note(degree, octave - 1), 1.2, 0.4))
    score += [
        Hit(0.0, _pad_of(note(G, -1), note(D, 0), note(B, 0)), 0.0, 1.3, 0.9),
        Hit(1.2, _pad_of(note(A, -1), note(E, 0), note(A, 0)), 0.0, 1.3, 0.9),
        Hit(2.4, _pad_of(note(D, -1), note(A, -1), note(D, 0), note(E, 0)), 0.0, 2.9, 0.9),
        Hit(2.4, bell, note(D, 0), 2.9, 0.7),
        Hit(2.4, chime, note(D, 1), 2.9, 0.3),
    ]
    return finish(reverb(render(score, 5.4, rng)), fade=1.5)


def stinger(rng: np.random.Generator) -> Signal:
    """About 1.6 s between news items: a quick rising run onto a chime."""
    run = [(0, D, 1), (1, E, 1), (2, G, 1), (3, A, 1), (4, D, 2)]
    step = 0.07
    score = [Hit(i * step, marimba, note(d, o), 0.9, 0.8) for i, d, o in run]
    score += [Hit(i * step, _zither_with(0.0), note(d, o), 1.2, 0.6) for i, d, o in run]
    score += [
        Hit(4 * step, chime, note(D, 2), 1.2, 0.45),
        Hit(4 * step, bell, note(D, 0), 1.2, 0.35),
    ]
    return finish(reverb(render(score, 1.6, rng)), fade=0.7)


BED_SECONDS = 30.0


def bed(rng: np.random.Generator) -> Signal:
    """A 30 s pad that loops seamlessly, for under speech (the mixer ducks it 12–20 dB).

    Seamless by construction: every frequency is a whole number of cycles per loop, the chord
    cross-fades are periodic, and chime tails and reverb wrap around from the end to the start, so
    sample N continues exactly into sample 0.
    """
    n = round(BED_SECONDS * RATE)
    t = np.arange(n, dtype=np.float64) / RATE
    grid = 1.0 / BED_SECONDS

    def on_grid(freq: float) -> float:
        return round(freq / grid) * grid

    # voiced from about 200 Hz up: a horn does not reproduce the roots an octave lower
    chords = [
        (note(A, -1), note(D, 0), note(A, 0), note(E, 1)),
        (note(G, -1), note(D, 0), note(G, 0), note(A, 0)),
        (note(B, -1), note(E, 0), note(G, 0), note(D, 1)),
        (note(A, -1), note(E, 0), note(A, 0), note(B, 0)),
    ]
    span = BED_SECONDS / len(chords)
    out = np.zeros(n)
    for index, chord in enumerate(chords):
        # Hann windows twice a chord long, half-overlapping: they sum to exactly 1, and wrap around.
        centre = (index + 0.5) * span
        offset = (t - centre + BED_SECONDS / 2) % BED_SECONDS - BED_SECONDS / 2
        heard = np.abs(offset) < span  # synthesise only where this chord sounds: half the work
        weight = 0.5 + 0.5 * np.cos(np.pi * offset[heard] / span)
        tone = sum(
            (pad_voice(on_grid(f), t[heard], rng, detune_hz=(-2 * grid, 0.0, 2 * grid)) for f in chord),
            np.zeros(int(heard.sum())),
        )
        out[heard] += weight * tone
    breathe = 1.0 + 0.12 * np.sin(2.0 * np.pi * 4 * grid * t)  # four slow swells per loop
    out *= 0.22 * breathe

    sparkle = [(0.8, A, 1), (3.4, D, 2), (6.1, E, 1), (8.9, G, 1), (11.3, B, 1), (13.8, A, 1),
               (16.6, D, 2), (19.2, G, 1), (21.7, E, 1), (24.5, A, 1), (27.2, D, 1)]
    for at, degree, octave in sparkle:
        sound = chime(note(degree, octave), 4.0, 0.16 * (0.9 + 0.1 * rng.random()), rng)
        wrapped = (round(at * RATE) + np.arange(len(sound))) % n  # a tail past the end rings on at the start
        np.add.at(out, wrapped, sound)

    # Effects run over three copies of the loop and keep the last: that is the loop's steady state,
    # with the previous pass's reverb tail already folded into its start.
    looped = highpass(reverb(np.tile(out, 3), wet=0.3), cutoff=150.0)[2 * n:]
    looped -= looped.mean()
    return normalise(looped)


JINGLES: dict[str, Callable[[np.random.Generator], Signal]] = {
    "opening": opening,
    "closing": closing,
    "stinger": stinger,
    "bed": bed,
}


def _zither_with(vibrato: float) -> Instrument:
    def play(freq: float, seconds: float, velocity: float, rng: np.random.Generator) -> Signal:
        return zither(freq, seconds, velocity, rng, vibrato=vibrato)

    return play


def _pad_of(*freqs: float) -> Instrument:
    def play(_freq: float, seconds: float, velocity: float, rng: np.random.Generator) -> Signal:
        return pad(freqs, seconds, velocity, rng)

    return play


# --------------------------------------------------------------------------------------------------
# Files.


def wav_bytes(x: Signal) -> bytes:
    """16-bit mono PCM WAV; ``wave`` writes no timestamps, so equal samples give equal bytes."""
    pcm = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def generate() -> dict[str, bytes]:
    """Every jingle as WAV bytes. Each gets its own seeded generator, so they do not depend on order."""
    return {
        name: wav_bytes(make(np.random.default_rng([SEED, index])))
        for index, (name, make) in enumerate(JINGLES.items())
    }


def check(folder: Path) -> list[str]:
    """Names of the jingles in ``folder`` that differ from a fresh generation (empty: all identical)."""
    fresh = generate()
    return [
        name
        for name, data in fresh.items()
        if not (folder / f"{name}.wav").is_file() or (folder / f"{name}.wav").read_bytes() != data
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the WAV files")
    parser.add_argument("--check", action="store_true",
                        help="regenerate in memory and verify the files in --out are identical")
    args = parser.parse_args(argv)
    folder: Path = args.out
    if args.check:
        stale = check(folder)
        for name in stale:
            print(f"{folder / name}.wav differs from a fresh generation", file=sys.stderr)
        return 1 if stale else 0
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in generate().items():
        (folder / f"{name}.wav").write_bytes(data)
        print(f"{folder / name}.wav  {len(data) / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
