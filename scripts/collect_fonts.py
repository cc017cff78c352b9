"""Copy the fonts the studio bundles, with their licences, from Debian packages into ``assets/fonts``.

Why bundle: no Windows version ships a Tai Viet font, so Thái text in chữ Thái would show as boxes on
the commune's PC; Cham script is equally rare; Khmer and the Central Highlands Latin letters (ƀ, č, ĕ, ŏ,
ơ̆ …) are covered by most systems, but a bundled font makes the editor's coverage check give the same
answer on every PC. Only regular weights are taken, to keep the download small.

Why Debian packages: they are a reviewed, versioned source with a machine-readable copyright file
(``/usr/share/doc/<package>/copyright``) that carries both the copyright notices and the full licence
text, which the SIL Open Font License requires to travel with the fonts. That file is copied next to
the fonts, and ``README.md`` lists, for every font file, its source package and version, licence and
checksum.

Usage (needs the packages installed: ``apt-get install fonts-sil-taiheritagepro fonts-noto-core``)::

    .venv/bin/python scripts/collect_fonts.py           # copy fonts and licences, write README.md
    .venv/bin/python scripts/collect_fonts.py --check   # verify the folder against its README (no apt needed)

Deterministic: running it again with the same packages gives byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "assets" / "fonts"
LICENSES = "licenses"
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
NOTO = Path("/usr/share/fonts/truetype/noto")


@dataclass(frozen=True)
class FontSource:
    """One font file to bundle: the Debian package that ships it, where, and what the studio uses it for."""

    package: str
    path: Path
    use: str


FONTS = (
    FontSource("fonts-sil-taiheritagepro", Path("/usr/share/fonts/truetype/taiheritagepro/TaiHeritagePro-Regular.ttf"),
               "Tai Viet (chữ Thái) for the Thái presets: SIL's font for Tai Dam and Tai Dón"),
    FontSource("fonts-noto-core", NOTO / "NotoSansTaiViet-Regular.ttf", "Tai Viet, a second, lighter design"),
    FontSource("fonts-noto-core", NOTO / "NotoSansKhmer-Regular.ttf", "Khmer presets"),
    FontSource("fonts-noto-core", NOTO / "NotoSansCham-Regular.ttf", "Chăm in Akhar Thrah (Cham script)"),
    FontSource("fonts-noto-core", NOTO / "NotoSans-Regular.ttf",
               "Vietnamese and the Latin orthographies of the minority languages (ƀ, č, ĕ, ŏ, ơ̆ …)"),
)

_ROW = re.compile(r"^\| `(?P<file>[^`]+)` \| (?P<family>[^|]+) \| (?P<version>[^|]+) \| (?P<size>[^|]+) \| "
                  r"(?P<package>[^|]+) \| (?P<licence>[^|]+) \| \[[^]]*\]\((?P<licence_file>[^)]+)\) \| "
                  r"`(?P<sha256>[0-9a-f]{64})` \|")


@dataclass(frozen=True)
class Row:
    """One README row, as :func:`read_readme` parses it back."""

    file: str
    family: str
    package: str
    licence: str
    licence_file: str
    sha256: str


class CollectError(Exception):
    """Something the person running the script can fix (usually: install a package)."""


def package_version(package: str) -> str:
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status}|${Version}", package],
                            capture_output=True, text=True, check=False)
    status, _, version = result.stdout.partition("|")
    if result.returncode != 0 or "install ok installed" not in status:
        raise CollectError(f"{package} is not installed: apt-get install {package}")
    return version


def debian_licence(copyright_text: str) -> str:
    """The ``License`` short name of the ``Files: *`` stanza of a machine-readable Debian copyright file."""
    for stanza in re.split(r"\n\s*\n", copyright_text):
        if re.search(r"^Files:\s*\*\s*$", stanza, re.MULTILINE):
            match = re.search(r"^License:\s*(\S+)", stanza, re.MULTILINE)
            if match:
                return match.group(1)
    raise CollectError("no 'Files: *' stanza with a License field in the copyright file")


def font_names(path: Path) -> tuple[str, str]:
    """(family, version string) from the font's name table."""
    font = TTFont(str(path), lazy=True)
    try:
        name = font["name"]
        family = name.getDebugName(16) or name.getDebugName(1) or path.stem
        version = (name.getDebugName(5) or "").split(";")[0].strip()
        return str(family), str(version)
    finally:
        font.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def collect(out: Path) -> list[str]:
    """Copy fonts and licences into ``out`` and write its README; returns the lines of the README table."""
    (out / LICENSES).mkdir(parents=True, exist_ok=True)
    rows: list[str] = []
    wanted = {source.path.name for source in FONTS}
    for stale in sorted(p for p in out.iterdir() if p.suffix.lower() in FONT_SUFFIXES and p.name not in wanted):
        print(f"removing {stale.name}: no longer collected")
        stale.unlink()
    for source in FONTS:
        version = package_version(source.package)
        if not source.path.is_file():
            raise CollectError(f"{source.path} is missing although {source.package} is installed")
        copyright_file = Path("/usr/share/doc") / source.package / "copyright"
        copyright_text = copyright_file.read_text(encoding="utf-8")
        licence = debian_licence(copyright_text)
        licence_name = f"{LICENSES}/{source.package}.txt"
        (out / licence_name).write_text(copyright_text, encoding="utf-8")
        target = out / source.path.name
        shutil.copyfile(source.path, target)
        family, font_version = font_names(target)
        size = f"{target.stat().st_size / 1024:.0f} KiB"
        rows.append(f"| `{target.name}` | {family} | {font_version} | {size} | {source.package} {version} | "
                    f"{licence} | [{source.package}]({licence_name}) | `{sha256(target)}` | {source.use} |")
    (out / "README.md").write_text(readme(rows), encoding="utf-8")
    return rows


def readme(rows: Sequence[str]) -> str:
    return "\n".join([
        "# Bundled fonts",
        "",
        "Fonts the studio ships so that minority-language text is drawn, not shown as boxes, on every PC —",
        "above all Tai Viet (chữ Thái) and Cham, which Windows does not provide. The application registers",
        "every font in this folder at start-up; presets name them by family (`font` in `assets/presets`).",
        "",
        "Collected by `scripts/collect_fonts.py` from Debian packages, unmodified. Do not edit these files",
        "by hand: install newer packages and run the script again. `--check` verifies this table against",
        "the files (the tests run it).",
        "",
        "| file | family | font version | size | source package | licence | licence text | sha256 | used for |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "## Licences",
        "",
        "All fonts here are under the **SIL Open Font License 1.1** (OFL-1.1): they may be used, bundled and",
        "redistributed with the studio, but not sold on their own, and modified versions may not use the",
        "reserved font names. Each package's Debian copyright file, copied into `licenses/`, carries the",
        "copyright notices and the full licence text, as the OFL requires. Text and audio made with the",
        "fonts are not affected by the licence.",
        "",
    ])


def read_readme(out: Path) -> list[Row]:
    rows = []
    for line in (out / "README.md").read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            rows.append(Row(match["file"], match["family"].strip(), match["package"].strip(),
                            match["licence"].strip(), match["licence_file"], match["sha256"]))
    return rows


def check(out: Path) -> list[str]:
    """Problems with ``out``: a font not listed in README, a listed one missing or changed, no licence text."""
    problems: list[str] = []
    if not (out / "README.md").is_file():
        return [f"{out / 'README.md'} is missing"]
    rows = {row.file: row for row in read_readme(out)}
    present = {p.name for p in out.iterdir() if p.suffix.lower() in FONT_SUFFIXES}
    for name in sorted(present - set(rows)):
        problems.append(f"{name} is not listed in README.md")
    for name, row in sorted(rows.items()):
        if name not in present:
            problems.append(f"{name} is listed in README.md but missing")
            continue
        if not row.licence or not (out / row.licence_file).is_file():
            problems.append(f"{name}: licence text {row.licence_file} is missing")
        if sha256(out / name) != row.sha256:
            problems.append(f"{name} differs from the file README.md describes")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the bundled fonts folder")
    parser.add_argument("--check", action="store_true", help="verify the folder against its README only")
    args = parser.parse_args(argv)
    if args.check:
        problems = check(args.out)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    try:
        rows = collect(args.out)
    except CollectError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{len(rows)} fonts in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
