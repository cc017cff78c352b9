"""Does the chosen font have a glyph for every character of a segment?

Minority-language text uses letters that many fonts lack: Tai Viet (U+AA80–U+AADF), Khmer, and the
Central Highlands Latin letters (ƀ, č, ĕ, ŏ, ơ̆ …). A missing glyph shows as an empty box, and an
announcer cannot read a box, so the editor warns before the script is printed or recorded.

Text is NFC-normalised first: "ĕ" typed as e + U+0306 on one PC and as U+0115 on another must give the
same answer, and NFC is also how the studio stores text. Whitespace, control and format characters
(ZWSP, ZWJ, soft hyphen) and variation selectors need no glyph and are never reported.

Fonts are read with fontTools (the 'cmap' table through ``getBestCmap``, which picks the Unicode
subtable the way renderers do). This module is the one place in ``text/`` with a third-party import.
Results are cached per file (path, size and modification time), so re-checking on every edit is cheap.
"""

from __future__ import annotations

import logging
import os
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Protocol

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

# fontTools is imported where a font file is read: the studio registers its bundled fonts at start-up
# (FONT_SUFFIXES) long before any text is checked.

log = logging.getLogger(__name__)

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
_IGNORED_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
_REGULAR_STYLES = ("regular", "book", "normal", "roman")


class HasFont(Protocol):
    """What :func:`check_text_font` needs from a preset (kept structural so ``text/`` imports no ``speech/``)."""

    @property
    def font(self) -> str: ...


@dataclass(frozen=True)
class FontReport:
    """The outcome of checking a text against a preset's font.

    ``family`` is what the preset asked for ("" means the UI font: nothing to check). ``font_path`` is the
    file that was checked, or None when no file of that family was found. ``missing`` lists the
    characters the font lacks, each once, in order of first appearance.
    """

    family: str
    font_path: Path | None
    missing: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.font_path is not None

    @property
    def ok(self) -> bool:
        """Nothing to warn about: no pinned font, or the font exists and covers the whole text."""
        return not self.family or (self.found and not self.missing)


def needs_glyph(ch: str) -> bool:
    """Whether a character must be drawn: not whitespace, control, format or a variation selector."""
    code = ord(ch)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return False
    return not ch.isspace() and unicodedata.category(ch) not in _IGNORED_CATEGORIES


def missing_characters(text: str, font_path: Path) -> list[str]:
    """Characters of ``text`` (after NFC) that the font's cmap lacks, each once, in order of appearance.

    For a collection (.ttc) the first face is checked. Raises ``OSError`` if the file cannot be read
    and ``ValueError`` if it is not a font.
    """
    return list(_missing(text, _coverage(font_path, 0)))


def font_for_family(family: str, folders: Iterable[Path]) -> Path | None:
    """The file of ``family``'s regular face in the first folder (searched recursively) that has it.

    Matching ignores case and compares with both the typographic family name and the legacy family
    name of each font, so "Noto Sans Khmer" finds ``NotoSansKhmer-Regular.ttf``. Unreadable files are
    skipped. Pass the bundled ``assets/fonts`` first so the shipped font wins over an older system copy.
    """
    found = _find(family, tuple(folders))
    return found[0] if found else None


def check_text_font(text: str, preset: HasFont, folders: Sequence[Path] | None = None) -> FontReport:
    """Check ``text`` against the preset's font; ``folders`` default to :func:`default_font_folders`."""
    family = preset.font.strip()
    if not family:
        return FontReport("", None)
    found = _find(family, tuple(default_font_folders() if folders is None else folders))
    if found is None:
        return FontReport(family, None)
    path, index = found
    try:
        coverage = _coverage(path, index)
    except (OSError, ValueError) as exc:
        log.warning("cannot read font %s: %s", path, exc)
        return FontReport(family, None)
    return FontReport(family, path, _missing(text, coverage))


def bundled_font_folder() -> Path | None:
    """``assets/fonts`` of this installation (the package's copy or the source tree's), as paths.assets_dir finds it."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "assets" / "fonts", here.parent / "assets" / "fonts"):
        if candidate.is_dir():
            return candidate
    return None


def system_font_folders() -> list[Path]:
    """Where the operating system keeps fonts for everyone and for the current user."""
    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = os.environ.get("LOCALAPPDATA")
        return [windir / "Fonts", *([Path(local) / "Microsoft" / "Windows" / "Fonts"] if local else [])]
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts"]
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), data_home / "fonts", home / ".fonts"]


def default_font_folders() -> list[Path]:
    """The bundled fonts first, then the system's."""
    bundled = bundled_font_folder()
    return [*([bundled] if bundled else []), *system_font_folders()]


def _missing(text: str, coverage: frozenset[int]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ch for ch in unicodedata.normalize("NFC", text)
                               if ord(ch) not in coverage and needs_glyph(ch)))


# --- reading fonts ---------------------------------------------------------------------------------


def _find(family: str, folders: tuple[Path, ...]) -> tuple[Path, int] | None:
    wanted = family.casefold().strip()
    for folder in folders:
        try:
            stamp = folder.stat().st_mtime_ns
        except OSError:
            continue
        matches = [(style not in _REGULAR_STYLES, str(path), index)
                   for path, index, names in _family_index(str(folder), stamp)
                   for name, style in names if name == wanted]
        if matches:
            _, path, index = min(matches)
            return Path(path), index
    return None


@lru_cache(maxsize=32)
def _family_index(folder: str, stamp: int) -> tuple[tuple[Path, int, frozenset[tuple[str, str]]], ...]:
    """(file, face index, {(family, style)}) of every font under ``folder``; ``stamp`` keys the cache."""
    del stamp  # only part of the cache key: a folder whose listing changed is scanned again
    entries: list[tuple[Path, int, frozenset[tuple[str, str]]]] = []
    for root, _dirs, files in os.walk(folder):
        for name in sorted(files):
            if not name.lower().endswith(FONT_SUFFIXES):
                continue
            path = Path(root) / name
            try:
                # Our own file object: fontTools leaves its handle open when a file is not a font.
                with path.open("rb") as file:
                    for index, font in enumerate(_faces(file, path.suffix.lower() in (".ttc", ".otc"))):
                        entries.append((path, index, _names(font)))
            except Exception as exc:  # one damaged system font must not hide the others
                log.debug("skipping unreadable font %s: %s", path, exc)
    return tuple(entries)


def _faces(file: BinaryIO, collection: bool) -> list[TTFont]:
    from fontTools.ttLib import TTCollection, TTFont

    if collection:
        return list(TTCollection(file, lazy=True).fonts)
    return [TTFont(file, lazy=True)]


def _names(font: TTFont) -> frozenset[tuple[str, str]]:
    """(family, style) pairs: the legacy family with its subfamily (IDs 1, 2) and the typographic ones (16, 17).

    Keeping each family with its own style matters: "Noto Sans Display Condensed" is a *Regular* face of
    its legacy family but a *Condensed* face of the typographic family "Noto Sans Display".
    """
    by_id: dict[int, list[str]] = {}
    for record in font["name"].names:
        if record.nameID in (1, 2, 16, 17):
            by_id.setdefault(record.nameID, []).append(record.toUnicode(errors="replace").casefold().strip())
    legacy_style = (by_id.get(2) or [""])[0]
    typographic_style = (by_id.get(17) or [legacy_style])[0]
    pairs = {(name, legacy_style) for name in by_id.get(1, [])}
    pairs |= {(name, typographic_style) for name in by_id.get(16, [])}
    return frozenset(pairs)


def _coverage(path: Path, index: int) -> frozenset[int]:
    stat = path.stat()
    return _cached_coverage(str(path.resolve()), index, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=64)
def _cached_coverage(path: str, index: int, size: int, mtime: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    del size, mtime  # cache key only: a replaced file is read again
    try:
        with open(path, "rb") as file:  # our own handle: fontTools leaks its own when a file is not a font
            cmap = TTFont(file, fontNumber=index, lazy=True).getBestCmap()  # fontNumber: collections only
    except OSError:
        raise
    except Exception as exc:  # fontTools raises TTLibError, struct.error, KeyError … on damaged files
        raise ValueError(f"{path} is not a readable font: {exc}") from exc
    if cmap is None:
        raise ValueError(f"{path} has no Unicode character map")
    return frozenset(cmap)
