"""Bundled fonts cover the scripts of the presets; the coverage check finds what a font lacks."""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from studio.speech.presets import Preset, load_presets
from studio.text.fonts import (
    bundled_font_folder,
    check_text_font,
    default_font_folders,
    font_for_family,
    missing_characters,
)
from tests.scripts import imported_script

ROOT = Path(__file__).resolve().parents[2]
FONTS = ROOT / "assets" / "fonts"
SCRIPT = ROOT / "scripts" / "collect_fonts.py"

TAI_VIET = "ꪼꪕ ꪩꪱꪣ"
TAI_DON = "ꪼꪕꪒꪮꪙꫀ"  # "Tai Dón" in Tai Viet
KHMER = "សូមស្វាគមន៍មកកាន់ស្ថានីយ៍វិទ្យុ\u200bរបស់ឃុំ។"  # "Welcome to the commune's radio station."
HIGHLANDS = "ƀ č ĕ ŏ ŭ ĭ ơ̆ ư̆ ñ Ƀ Č Ĕ Ŏ Đ đ"  # letters of the Ê Đê, Jrai, Bahnar, Cơ Ho, M'Nông alphabets
VIETNAMESE = "Ủy ban nhân dân xã thông báo: tiêm vắc-xin phòng bệnh sởi, quai bị cho trẻ em."


@dataclass(frozen=True)
class FontChoice:
    """Anything with a ``font`` is enough for the check (it does not need a whole preset)."""

    font: str


def bundled(family: str) -> Path:
    path = font_for_family(family, [FONTS])
    assert path is not None, f"{family} is not bundled"
    return path


def block(first: int, last: int) -> str:
    """Every assigned character of a Unicode block."""
    return "".join(chr(c) for c in range(first, last + 1) if unicodedata.category(chr(c)) != "Cn")


@pytest.fixture(scope="module")
def presets() -> dict[str, Preset]:
    return load_presets([ROOT / "assets" / "presets"])


@pytest.fixture(scope="module")
def collect_fonts() -> Iterator[ModuleType]:
    """The collect script, imported from its file (scripts/ is not a package)."""
    with imported_script(SCRIPT) as module:
        yield module


@pytest.mark.parametrize("family", ["Tai Heritage Pro", "Noto Sans Tai Viet"])
def test_bundled_tai_viet_fonts_cover_the_script(family: str) -> None:
    font = bundled(family)
    assert missing_characters(TAI_VIET, font) == []
    assert missing_characters(TAI_DON, font) == []
    assert missing_characters(block(0xAA80, 0xAADF), font) == []


def test_bundled_khmer_font_covers_a_khmer_sentence() -> None:
    font = bundled("Noto Sans Khmer")
    assert missing_characters(KHMER, font) == []
    assert missing_characters(block(0x1780, 0x17F9), font) == []


def test_bundled_cham_font_covers_the_script() -> None:
    assert missing_characters(block(0xAA00, 0xAA5F), bundled("Noto Sans Cham")) == []


def test_bundled_latin_font_covers_vietnamese_and_highlands_letters() -> None:
    font = bundled("Noto Sans")
    assert font.name == "NotoSans-Regular.ttf"  # the family, not a "Noto Sans …" sibling
    assert missing_characters(VIETNAMESE + HIGHLANDS, font) == []


def test_a_latin_font_reports_the_tai_viet_letters_it_lacks() -> None:
    missing = missing_characters("Bản tin " + TAI_VIET + " ꪼꪕ", bundled("Noto Sans"))
    assert missing == ["ꪼ", "ꪕ", "ꪩ", "ꪱ", "ꪣ"]  # each once, in order; spaces and Latin are fine


def test_decomposed_input_is_normalised_before_checking() -> None:
    heritage = bundled("Tai Heritage Pro")  # has c and the combining caron, but no precomposed č
    decomposed = unicodedata.normalize("NFD", "čơ̆")
    assert decomposed != "čơ̆" and len(decomposed) == 5
    assert missing_characters(decomposed, heritage) == ["č"]
    assert missing_characters(unicodedata.normalize("NFD", HIGHLANDS), bundled("Noto Sans")) == []


def test_invisible_characters_need_no_glyph() -> None:
    khmer = bundled("Noto Sans Khmer")
    assert missing_characters(" \t\n\u200b\u200c\u200d\u00ad\ufe0f", khmer) == []


def test_every_preset_font_is_bundled_and_covers_its_script(presets: dict[str, Preset]) -> None:
    samples = {"Tavt": TAI_VIET, "Khmr": KHMER, "Cham": block(0xAA00, 0xAA5F), "Latn": VIETNAMESE + HIGHLANDS}
    for preset in presets.values():
        if not preset.font:
            continue
        report = check_text_font(samples[preset.script], preset, [FONTS])
        assert report.found and report.ok, (preset.id, report)
        assert report.font_path is not None and report.font_path.parent == FONTS


def test_check_reports_what_the_preset_font_lacks(presets: dict[str, Preset]) -> None:
    report = check_text_font("Xã " + KHMER, presets["rad-record"], [FONTS])
    assert report.family == "Noto Sans" and report.found and not report.ok
    assert "ស" in report.missing and "X" not in report.missing and "\u200b" not in report.missing
    nfd = check_text_font(unicodedata.normalize("NFD", "Ƀuôn Ma Thuột"), presets["rad-record"], [FONTS])
    assert nfd.ok and nfd.missing == ()


def test_check_without_a_pinned_font_or_with_an_unknown_one() -> None:
    assert check_text_font(KHMER, FontChoice(""), [FONTS]).ok  # the UI font: nothing to check
    unknown = check_text_font("xin chào", FontChoice("Phông Không Có"), [FONTS])
    assert not unknown.found and not unknown.ok and unknown.family == "Phông Không Có"


def test_default_folders_start_with_the_bundled_fonts() -> None:
    assert bundled_font_folder() == FONTS
    assert default_font_folders()[0] == FONTS
    assert check_text_font(TAI_VIET, FontChoice("Tai Heritage Pro")).font_path == FONTS / "TaiHeritagePro-Regular.ttf"


def test_family_lookup_ignores_case_and_skips_damaged_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "Broken.ttf").write_bytes(b"not a font at all")
    shutil.copy(FONTS / "NotoSansCham-Regular.ttf", tmp_path / "sub")
    found = font_for_family("noto sans cham", [tmp_path / "missing", tmp_path])
    assert found == tmp_path / "sub" / "NotoSansCham-Regular.ttf"
    assert font_for_family("Noto Sans", [tmp_path]) is None
    with pytest.raises(ValueError):
        missing_characters("a", tmp_path / "Broken.ttf")


def test_readme_lists_source_and_licence_for_every_font(collect_fonts: ModuleType) -> None:
    assert collect_fonts.check(FONTS) == []
    rows = collect_fonts.read_readme(FONTS)
    present = sorted(p.name for p in FONTS.iterdir() if p.suffix == ".ttf")
    assert sorted(row.file for row in rows) == present and len(present) >= 4
    for row in rows:
        assert row.licence == "OFL-1.1" and row.package.startswith("fonts-")
        assert "SIL OPEN FONT LICENSE" in (FONTS / row.licence_file).read_text(encoding="utf-8").upper()
    assert sum(p.stat().st_size for p in FONTS.rglob("*")) < 3 * 1024 * 1024


def test_check_catches_an_unlisted_or_changed_font(collect_fonts: ModuleType, tmp_path: Path) -> None:
    copy = tmp_path / "fonts"
    shutil.copytree(FONTS, copy)
    shutil.copy(copy / "NotoSansCham-Regular.ttf", copy / "Extra-Regular.ttf")
    (copy / "NotoSansKhmer-Regular.ttf").write_bytes(b"changed")
    problems = collect_fonts.check(copy)
    assert any("Extra-Regular.ttf is not listed" in p for p in problems)
    assert any("NotoSansKhmer-Regular.ttf differs" in p for p in problems)
