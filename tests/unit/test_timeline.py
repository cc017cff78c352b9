"""Programme timeline: item placement arithmetic, one-buffer mixing, fades, crossfades and beds."""

from __future__ import annotations

import numpy as np
import pytest

from studio.audio.ducking import DuckingSettings
from studio.audio.pcm import Pcm
from studio.audio.timeline import Bed, Placement, TimelineItem, layout, mix, mix_programme

RATE = 8000


def noise(seconds: float, rate: int = RATE, rms: float = 0.1, seed: int = 0) -> Pcm:
    rng = np.random.default_rng(seed)
    return Pcm.from_mono(rng.normal(0.0, rms, round(seconds * rate)), rate)


def constant(value: float, seconds: float, rate: int = RATE) -> Pcm:
    return Pcm(np.full((round(seconds * rate), 1), value, dtype=np.float32), rate)


def rms_db(samples: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.square(samples.astype(np.float64)))))


def test_layout_after_gap_and_overlap_are_exact() -> None:
    items = [
        TimelineItem("jingle", constant(0.1, 1.0)),
        TimelineItem("speech", constant(0.1, 2.0), start="gap", offset=0.5),
        TimelineItem("silence", seconds=0.25),
        TimelineItem("stinger", constant(0.1, 1.0), start="overlap", offset=0.125),
        TimelineItem("speech", constant(0.1, 0.5)),
    ]
    assert layout(items, RATE) == [
        Placement(0, 8000),
        Placement(12000, 16000),
        Placement(28000, 2000),
        Placement(29000, 8000),
        Placement(37000, 4000),
    ]


def test_layout_converts_item_lengths_to_the_programme_rate() -> None:
    items = [TimelineItem("speech", constant(0.1, 1.0, rate=24000)), TimelineItem("speech", constant(0.1, 1.0))]
    assert layout(items, 44100) == [Placement(0, 44100), Placement(44100, 44100)]


def test_layout_first_item_gap_delays_the_start() -> None:
    assert layout([TimelineItem("speech", constant(0.1, 1.0), start="gap", offset=2.0)], RATE) == [
        Placement(16000, 8000)
    ]


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (
            [
                TimelineItem("speech", constant(0.1, 1.0)),
                TimelineItem("speech", constant(0.1, 1.0), start="gap", offset=-0.5),
            ],
            "gap cannot be negative",
        ),
        (
            [
                TimelineItem("speech", constant(0.1, 1.0)),
                TimelineItem("jingle", constant(0.1, 3.0), start="overlap", offset=1.5),
            ],
            "longer than that item",
        ),
        ([TimelineItem("speech", constant(0.1, 1.0), start="overlap", offset=0.2)], "nothing to overlap"),
        (
            [
                TimelineItem("speech", constant(0.1, 1.0)),
                TimelineItem("speech", constant(0.1, 1.0), start="gap", offset=0.2, crossfade=0.2),
            ],
            "crossfade across a gap",
        ),
    ],
)
def test_layout_rejects_impossible_timelines(items: list[TimelineItem], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        layout(items, RATE)


def test_items_need_audio_except_silence() -> None:
    with pytest.raises(ValueError, match="needs audio"):
        TimelineItem("speech")
    with pytest.raises(ValueError, match="no audio"):
        TimelineItem("silence", pcm=constant(0.1, 1.0))


def test_mix_places_items_at_their_frames_with_gain_and_overlaps_add() -> None:
    items = [
        TimelineItem("jingle", constant(0.25, 1.0)),
        TimelineItem("speech", constant(0.1, 1.0), start="gap", offset=0.5, gain_db=-6.0206),
        TimelineItem("stinger", constant(0.2, 1.0), start="overlap", offset=0.5),
    ]
    out = mix(items, [], RATE, 2)
    assert out.frames == 8000 + 4000 + 8000 + 4000 and out.channels == 2 and out.rate == RATE
    s = out.samples
    np.testing.assert_allclose(s[:8000], 0.25, atol=1e-6)
    np.testing.assert_allclose(s[8000:12000], 0.0, atol=1e-6)
    np.testing.assert_allclose(s[12000:16000], 0.05, atol=1e-5)
    np.testing.assert_allclose(s[16000:20000], 0.25, atol=1e-5)
    np.testing.assert_allclose(s[20000:], 0.2, atol=1e-6)


def test_item_fades_reach_silence_at_the_edges() -> None:
    out = mix([TimelineItem("jingle", constant(0.5, 1.0), fade_in=0.25, fade_out=0.5)], [], RATE, 1).samples[:, 0]
    assert abs(out[0]) < 0.001 and abs(out[-1]) < 0.001
    assert out[2000] == pytest.approx(0.5, abs=0.001)
    assert out[4000 - 1] == pytest.approx(0.5, abs=0.001)
    assert out[6000] == pytest.approx(0.25, abs=0.01)  # half way through the fade-out


def test_crossfade_of_equal_level_noises_keeps_the_level_and_does_not_click() -> None:
    first, second = noise(3.0, seed=1), noise(3.0, seed=2)
    out = mix([TimelineItem("speech", first), TimelineItem("speech", second, crossfade=1.0)], [], RATE, 1)
    assert out.frames == 5 * RATE
    samples = out.samples[:, 0]
    reference = rms_db(first.samples)
    window = RATE // 10
    for start in range(RATE, 4 * RATE - window + 1, window // 2):  # every 100 ms across and around the join
        assert abs(rms_db(samples[start : start + window]) - reference) <= 1.5
    own_jump = np.max(np.abs(np.diff(first.samples[:, 0])))
    join = samples[2 * RATE - 200 : 3 * RATE + 200]
    assert np.max(np.abs(np.diff(join))) <= 1.1 * own_jump


def test_crossfade_between_constant_levels_is_smooth_and_equal_power() -> None:
    out = mix(
        [TimelineItem("jingle", constant(0.5, 2.0)), TimelineItem("speech", constant(0.5, 2.0), crossfade=0.5)],
        [],
        RATE,
        1,
    ).samples[:, 0]
    join = out[12000 - 10 : 16000 + 10]
    assert np.max(np.abs(np.diff(join))) < 0.5 * np.pi / 2 / 4000 * 1.5 * 1.5  # no step: a slope of ~0.4 %
    assert out[14000] == pytest.approx(0.5 * np.sqrt(2), abs=0.002)  # correlated sum: cos + sin at 45°


def test_bed_loops_under_its_items_with_gain_and_fades() -> None:
    items = [
        TimelineItem("jingle", constant(0.0, 1.0)),
        TimelineItem("speech", constant(0.0, 3.0)),
        TimelineItem("speech", constant(0.0, 2.0)),
        TimelineItem("jingle", constant(0.0, 1.0)),
    ]
    bed = Bed(constant(1.0, 0.7), first_item=1, last_item=2, gain_db=-20.0, fade_in=0.5, fade_out=0.5)
    out = mix(items, [bed], RATE, 1).samples[:, 0]
    assert out.shape[0] == 7 * RATE
    np.testing.assert_allclose(out[:RATE], 0.0)
    np.testing.assert_allclose(out[6 * RATE :], 0.0)
    np.testing.assert_allclose(out[RATE + 4000 : 6 * RATE - 4000], 0.1, rtol=1e-5)  # looped 0.7 s bed, −20 dB
    assert out[RATE] < 0.001 and out[6 * RATE - 1] < 0.001


def test_bed_without_loop_stops_at_its_end() -> None:
    items = [TimelineItem("speech", constant(0.0, 3.0))]
    out = mix(items, [Bed(constant(1.0, 1.0), 0, 0, gain_db=0.0, loop=False)], RATE, 1).samples[:, 0]
    np.testing.assert_allclose(out[:RATE], 1.0)
    np.testing.assert_allclose(out[RATE:], 0.0)


def test_ducked_bed_goes_down_under_speech_only() -> None:
    speech = Pcm.from_mono(0.3 * np.sin(2 * np.pi * 440 * np.arange(2 * RATE) / RATE), RATE)
    items = [
        TimelineItem("silence", seconds=3.0),
        TimelineItem("speech", speech),
        TimelineItem("silence", seconds=3.0),
    ]
    bed_audio = noise(1.0, rms=0.5, seed=3)
    out = mix(items, [Bed(bed_audio, 0, 2, gain_db=0.0)], RATE, 1, DuckingSettings(depth_db=-12.0))
    quiet = out.samples[: 2 * RATE, 0]  # the bed alone, well before the speech
    assert rms_db(quiet) == pytest.approx(rms_db(bed_audio.samples), abs=0.1)
    under = out.samples[3 * RATE : 5 * RATE, 0] - speech.samples[:, 0]  # the bed under the speech
    assert rms_db(under) - rms_db(quiet) == pytest.approx(-12.0, abs=1.0)
    assert rms_db(out.samples[6 * RATE :, 0]) == pytest.approx(rms_db(bed_audio.samples), abs=0.1)


def test_mix_rejects_a_bed_past_the_last_item() -> None:
    with pytest.raises(ValueError, match="timeline has 1 items"):
        mix([TimelineItem("speech", constant(0.1, 1.0))], [Bed(constant(0.1, 1.0), 0, 1)], RATE, 1)


def test_bed_curve_knees_sit_where_the_voice_over_the_bed_is() -> None:
    rate = 8000
    voice = Pcm((0.3 * np.sin(np.arange(3 * rate) / rate * 2 * np.pi * 200)).astype(np.float32)[:, None], rate)
    music = Pcm((0.3 * np.sin(np.arange(2 * rate) / rate * 2 * np.pi * 300)).astype(np.float32)[:, None], rate)
    items = [TimelineItem("speech", voice), TimelineItem("silence", seconds=2.0, start="gap", offset=1.0),
             TimelineItem("speech", voice), TimelineItem("silence", seconds=1.5)]
    mixed = mix_programme(items, [Bed(music, 1, 3)], rate, 1, DuckingSettings())
    (curve,) = mixed.beds
    assert (curve.start_frame, curve.stop_frame) == (4 * rate, 10.5 * rate)
    knees = dict(curve.knees)
    assert knees[round(5.5 * rate)] == 0.0 and knees[6 * rate] == pytest.approx(-12.0)  # 0.5 s attack
    assert knees[9 * rate] == pytest.approx(-12.0) and knees[round(9.5 * rate)] == 0.0  # 0.5 s release
    assert min(frame for frame, _ in curve.knees) >= curve.start_frame
