"""The language presets catalogue: every shipped preset valid, strict validation, overrides, estimates."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest

from studio.speech.espeak import EspeakEngine
from studio.speech.presets import ENGINES, OFFLINE_ENGINES, Preset, PresetError, load_presets
from studio.text.normalize import Dialect

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "assets" / "presets"

# Languages whose offline voice exists in eSpeak NG: a synthesised preset for them must end offline.
OFFLINE_LANGUAGES = {"vie", "yue", "mtq"}  # Mường is respelled for a Vietnamese voice

# Codes a reviewer checked against ISO 639-3; guards against a well-meant "fix" (e.g. Thái Trắng to tdd).
EXPECTED_LANGUAGES = {
    "vi-north-offline": "vie", "mtq-respell": "mtq", "km-female": "khm", "yue-female": "yue",
    "tyz-record": "tyz", "nut-record": "nut", "blt-tavt-record": "blt", "twh-tavt-record": "twh",
    "blt-latn-record": "blt", "hnj-rpa-record": "hnj", "hnj-1961-record": "hnj", "ium-record": "ium",
    "pcc-record": "pcc", "rad-record": "rad", "jra-record": "jra", "bdq-record": "bdq", "sed-record": "sed",
    "kpm-record": "kpm", "ktv-record": "ktv", "cjm-record": "cjm", "cmo-record": "cmo", "bru-record": "bru",
    "pac-record": "pac",
}


def write(folder: Path, name: str, data: dict[str, Any] | str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def tts(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": "vi-test", "name_vi": "Thử", "name_en": "Test", "language": "vie",
                            "mode": "tts", "engine": "espeak", "voice": "vi", "words_per_minute": 150}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def record(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": "tyz-test", "name_vi": "Tiếng Tày", "name_en": "Tày", "language": "tyz",
                            "mode": "record", "words_per_minute": 160}
    data.update(changes)
    return data


@pytest.fixture(scope="module")
def shipped() -> dict[str, Preset]:
    return load_presets([SHIPPED])


def test_every_shipped_preset_loads_without_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="studio.speech.presets"):
        presets = load_presets([SHIPPED])
    assert not caplog.records, [r.getMessage() for r in caplog.records]
    files = sorted(SHIPPED.glob("*.json"))
    assert len(presets) == len(files) >= 27
    assert {p.id for p in presets.values()} == {f.stem for f in files}, "file name must be the preset id"


def test_catalogue_has_the_languages_and_modes_stations_need(shipped: dict[str, Preset]) -> None:
    for preset_id, language in EXPECTED_LANGUAGES.items():
        assert shipped[preset_id].language == language, preset_id
    assert {p.mode for p in shipped.values()} == {"tts", "respell-tts", "record"}
    assert shipped["vi-south-offline"].dialect is Dialect.SOUTH
    assert shipped["vi-central-offline"].voice == "vi-vn-x-central"
    assert shipped["blt-tavt-record"].script == shipped["twh-tavt-record"].script == "Tavt"
    assert {shipped["hnj-rpa-record"].orthography, shipped["hnj-1961-record"].orthography} == {
        "RPA", "Vietnamese Mông 1961"}


def test_codes_and_names_are_well_formed(shipped: dict[str, Preset]) -> None:
    for preset in shipped.values():
        assert re.fullmatch(r"[a-z]{3}", preset.language), preset.id
        assert re.fullmatch(r"[a-z]{3}", preset.id639_2), preset.id
        assert re.fullmatch(r"[A-Z][a-z]{3}", preset.script), preset.id
        assert preset.name_vi.startswith("Tiếng "), preset.id
        assert preset.name_vi != preset.name_en
        assert preset.words_per_minute > 0
    assert shipped["hnj-rpa-record"].id639_2 == "hmn"  # ID3 TLAN has no hnj
    assert shipped["yue-male"].id639_2 == "chi"
    assert shipped["tyz-record"].id639_2 == "tai"


def test_names_keep_vietnamese_diacritics(shipped: dict[str, Preset]) -> None:
    names = " ".join(p.name_vi for p in shipped.values())
    for word in ("Ê Đê", "Xơ Đăng", "Cơ Ho", "Cơ Tu", "Chăm", "M'Nông", "Bru – Vân Kiều", "Thái Đen", "Mường",
                 "Nùng", "Tày", "Giáy", "Gia Rai", "Ba Na", "Mông"):
        assert word in names, word


def test_synthesised_presets_have_a_voice_and_end_offline_where_possible(shipped: dict[str, Preset]) -> None:
    offline_voices = {v.id for v in EspeakEngine().voices()}
    for preset in shipped.values():
        if not preset.synthesised:
            continue
        chain = preset.fallback_chain()
        assert chain[0] == (preset.engine, preset.voice) and preset.voice, preset.id
        assert all(engine in ENGINES for engine, _ in chain)
        for engine, voice in chain:
            if engine == "espeak":
                assert voice in offline_voices, f"{preset.id}: eSpeak NG has no voice {voice}"
        if preset.language in OFFLINE_LANGUAGES:
            assert chain[-1][0] in OFFLINE_ENGINES and preset.speaks_offline, preset.id
    assert shipped["vi-north-female"].fallback_chain() == [("edge", "vi-VN-HoaiMyNeural"), ("espeak", "vi")]
    assert not shipped["km-female"].speaks_offline  # documented: offline, Khmer must be recorded


def test_record_presets_need_no_engine(shipped: dict[str, Preset], tmp_path: Path) -> None:
    for preset in shipped.values():
        if preset.mode == "record":
            assert preset.fallback_chain() == [] and not preset.normalize, preset.id
    loaded = load_presets([write(tmp_path, "tyz-test.json", record()).parent])
    assert loaded["tyz-test"].fallback_chain() == []


def test_first_preset_speaks_offline_in_vietnamese(shipped: dict[str, Preset]) -> None:
    """A new segment without a neighbour gets the first preset: it must render on a PC without network."""
    first = next(iter(shipped.values()))
    assert first.id == "vi-north-offline" and first.language == "vie" and first.speaks_offline
    modes = [p.mode for p in shipped.values()]
    assert modes.index("record") > max(i for i, mode in enumerate(modes) if mode != "record")


def test_normalizer_flag_follows_the_language(shipped: dict[str, Preset]) -> None:
    assert shipped["vi-north-offline"].normalize and shipped["mtq-respell"].normalize
    assert not shipped["km-female"].normalize and not shipped["yue-female"].normalize


def test_muong_lexicon_resolves_and_is_honest_about_its_state(shipped: dict[str, Preset]) -> None:
    lexicon = shipped["mtq-respell"].lexicon
    assert lexicon == (ROOT / "assets" / "lexicons" / "muong.tsv").resolve()
    lines = lexicon.read_text(encoding="utf-8").splitlines()
    assert any("native" in line and line.startswith("#") for line in lines)
    for line in lines:
        if line.strip() and not line.startswith("#"):
            source, respelling = line.split("\t")
            assert source.strip() and respelling.strip()


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("broken.json", "{ not json", "Expecting"),
    ("mode.json", tts(id="a", mode="sing"), "mode"),
    ("engine.json", tts(id="b", engine="sapi"), "engine"),
    ("novoice.json", tts(id="c", voice=None), "voice"),
    ("dialect.json", tts(id="d", dialect="central"), "dialect"),
    ("typo.json", tts(id="e", wpm=150), "wpm"),
    ("lang.json", tts(id="f", language="vi"), "ISO 639-3"),
    ("script.json", tts(id="g", script="latin"), "ISO 15924"),
    ("rate.json", tts(id="h", rate=300), "rate"),
    ("wpm.json", tts(id="i", words_per_minute="fast"), "words_per_minute"),
    ("edgevoice.json", tts(id="j", engine="edge", voice="vi", bcp47="vi-VN"), "edge voice"),
    ("locale.json", tts(id="k", engine="edge", voice="km-KH-PisethNeural", bcp47="vi-VN"), "bcp47"),
    ("fallback.json", tts(id="l", fallbacks=[{"engine": "espeak"}]), "fallbacks"),
    ("recvoice.json", record(id="m", engine="espeak", voice="vi"), "record"),
    ("khmer.json", tts(id="n", language="khm", script="Khmr", normalize=False), "chars_per_minute"),
    ("respell.json", tts(id="o", mode="respell-tts"), "lexicon"),
    ("array.json", "[]", "object"),
])
def test_a_broken_file_is_skipped_and_the_rest_load(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                     name: str, content: dict[str, Any] | str, reason: str) -> None:
    folder = tmp_path / "presets"
    write(folder, "good.json", tts(id="good"))
    write(folder, name, content)
    with caplog.at_level(logging.WARNING, logger="studio.speech.presets"):
        presets = load_presets([folder])
    assert list(presets) == ["good"]
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1 and name in messages[0] and reason in messages[0], messages


def test_from_dict_raises_a_value_error_naming_the_key() -> None:
    with pytest.raises(PresetError, match="unknown key"):
        Preset.from_dict(tts(speed=3))
    assert isinstance(PresetError("x"), ValueError)


def test_station_folder_overrides_by_id_and_adds(tmp_path: Path) -> None:
    station = tmp_path / "station"
    write(station, "mine.json", tts(id="vi-north-offline", name_vi="Giọng Bắc của xã", rate=-10, order=10))
    write(station, "extra.json", record(id="tyz-local", name_vi="Tiếng Tày Cao Bằng"))
    presets = load_presets([SHIPPED, tmp_path / "missing", station])
    assert presets["vi-north-offline"].name_vi == "Giọng Bắc của xã"
    assert presets["vi-north-offline"].rate == -10
    assert "tyz-local" in presets and "vi-north-female" in presets
    assert len(presets) == len(list(SHIPPED.glob("*.json"))) + 1


def test_duplicate_id_in_one_folder_keeps_the_first(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    write(tmp_path, "a.json", tts(id="same", name_en="First"))
    write(tmp_path, "b.json", tts(id="same", name_en="Second"))
    with caplog.at_level(logging.WARNING):
        presets = load_presets([tmp_path])
    assert presets["same"].name_en == "First"
    assert "already defined" in caplog.text


def test_lexicon_path_is_relative_to_the_preset_file(tmp_path: Path) -> None:
    write(tmp_path / "lexicons", "x.tsv", "# empty\n")
    write(tmp_path / "presets", "r.json", tts(id="r", mode="respell-tts", lexicon="../lexicons/x.tsv"))
    presets = load_presets([tmp_path / "presets"])
    assert presets["r"].lexicon == (tmp_path / "lexicons" / "x.tsv").resolve()


def test_estimate_scales_with_text_and_speed(shipped: dict[str, Preset]) -> None:
    sentence = "Ủy ban nhân dân xã thông báo lịch tiêm chủng cho trẻ em dưới năm tuổi."
    offline = shipped["vi-north-offline"]
    one = offline.estimate_seconds(sentence)
    assert one == pytest.approx(16 / offline.words_per_minute * 60)
    assert offline.estimate_seconds(" ".join([sentence] * 3)) == pytest.approx(3 * one)
    assert offline.estimate_seconds(sentence + " – … !") == pytest.approx(one)  # punctuation is not a word
    assert offline.estimate_seconds("") == 0.0
    slow = Preset.from_dict(tts(words_per_minute=offline.words_per_minute // 2))
    assert slow.estimate_seconds(sentence) == pytest.approx(2 * one)
    faster = Preset.from_dict(tts(words_per_minute=offline.words_per_minute, rate=25))
    assert faster.estimate_seconds(sentence) == pytest.approx(one / 1.25)
    announcer = shipped["tyz-record"]
    assert announcer.estimate_seconds(sentence) == pytest.approx(16 / announcer.words_per_minute * 60)


def test_estimate_counts_letters_in_scripts_without_spaces(shipped: dict[str, Preset]) -> None:
    khmer = shipped["km-female"]
    sentence = "សូមស្វាគមន៍មកកាន់ស្ថានីយ៍វិទ្យុ"  # one "word" for a whitespace count
    letters = sum(1 for ch in sentence if ch.isalpha())  # vowel signs and the coeng are marks, not letters
    assert khmer.estimate_seconds(sentence) == pytest.approx(letters / khmer.chars_per_minute * 60)
    assert khmer.estimate_seconds(sentence * 2) == pytest.approx(2 * khmer.estimate_seconds(sentence))
    with_name = khmer.estimate_seconds(sentence + " UBND Hòa Bình")
    assert with_name == pytest.approx(khmer.estimate_seconds(sentence) + 3 / khmer.words_per_minute * 60)
    tai = shipped["blt-tavt-record"]
    spaced = tai.estimate_seconds("ꪼꪕ ꪩꪱꪣ")
    assert spaced > 0 and tai.estimate_seconds("ꪼꪕꪩꪱꪣ") == pytest.approx(spaced)  # spaces or not, same letters
