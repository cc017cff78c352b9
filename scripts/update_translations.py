"""Update the Vietnamese catalogue: ``pyside6-lupdate`` over ``studio/**/*.py``, then ``pyside6-lrelease``.

    python scripts/update_translations.py          # refresh studio_vi.ts, rebuild studio_vi.qm
    python scripts/update_translations.py --check  # fail if either is stale or a string is untranslated

lupdate reads ``QT_TRANSLATE_NOOP("Context", "text")``, ``QCoreApplication.translate(...)`` and
``self.tr(...)``, but only with literal arguments. Core code often names its context once
(``QT_TRANSLATE_NOOP(CONTEXT, "...")``) and calls a plain ``tr(context, text)`` translator; lupdate
skips the first and misreads the second as a context-less string. This script resolves those calls
with Python's ``ast`` and hands them to lupdate as literal markers in a temporary file, then drops
the empty context the misreadings produce. lupdate still does the merging, so translations survive
and vanished strings are removed (``-no-obsolete``).
"""

from __future__ import annotations

import argparse
import ast
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "studio"
CATALOGUE_DIR = SOURCES / "ui" / "i18n"
LANGUAGES = ("vi",)
MARKERS = {"QT_TRANSLATE_NOOP", "translate", "tr"}
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
EMPTY_CONTEXT = re.compile(r"<context>\s*<name></name>.*?</context>\n?", re.DOTALL)


def tool(name: str) -> str:
    """A Qt tool from the environment running this script (the project's virtualenv), else from PATH."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        sys.exit(f"{name} was not found; install PySide6 into this environment")
    return found


def source_files() -> list[Path]:
    return sorted(p for p in SOURCES.rglob("*.py") if "__pycache__" not in p.parts)


def _string_constants(tree: ast.Module) -> dict[str, str]:
    constants: dict[str, str] = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            constants[node.targets[0].id] = node.value.value
    return constants


def _module_constants(module: str) -> dict[str, str]:
    """String constants of a ``studio`` module, by dotted name ({} when it is not ours)."""
    parts = module.split(".")
    if parts[0] != SOURCES.name:
        return {}
    path = SOURCES.parent.joinpath(*parts).with_suffix(".py")
    if not path.is_file():
        return {}
    return _string_constants(ast.parse(path.read_text(encoding="utf-8"), str(path)))


def _imported_constants(tree: ast.Module) -> dict[str, str]:
    """Names imported with ``from studio.x import NAME`` that are string constants there (e.g. CONTEXT)."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            source = _module_constants(node.module)
            for alias in node.names:
                if alias.name in source:
                    found[alias.asname or alias.name] = source[alias.name]
    return found


def extra_markers(path: Path) -> Iterator[tuple[str, str]]:
    """(context, text) pairs lupdate cannot read literally: a named context (defined here or imported from
    another studio module), or a plain ``tr(ctx, text)``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    constants = {**_imported_constants(tree), **_string_constants(tree)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or len(node.args) != 2 or node.keywords:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name not in MARKERS:
            continue
        context_arg, text_arg = node.args
        if not (isinstance(text_arg, ast.Constant) and isinstance(text_arg.value, str)):
            continue
        if isinstance(context_arg, ast.Name) and context_arg.id in constants:
            yield constants[context_arg.id], text_arg.value
        elif (name == "tr" and isinstance(func, ast.Name) and isinstance(context_arg, ast.Constant)
              and isinstance(context_arg.value, str)):
            yield context_arg.value, text_arg.value


def write_shim(folder: Path) -> Path:
    pairs = sorted({pair for path in source_files() for pair in extra_markers(path)})
    shim = folder / "resolved_markers.py"
    lines = [f"QT_TRANSLATE_NOOP({context!r}, {text!r})" for context, text in pairs]
    shim.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return shim


def run_lupdate(ts: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="studio-lupdate-") as tmp:
        shim = write_shim(Path(tmp))
        files = [str(p) for p in source_files()] + [str(shim)]
        subprocess.run([tool("pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "none",
                        "-target-language", ts.stem.split("_", 1)[1], *files, "-ts", str(ts)], check=True)
    text = ts.read_text(encoding="utf-8")
    ts.write_text(EMPTY_CONTEXT.sub("", text), encoding="utf-8")


def run_lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def lang_suffix(ts: Path) -> str:
    """``_vi`` for studio_vi.ts: a translation may use ``{preset_vi}`` where the source has ``{preset}``
    (core passes names in both languages, the catalogue picks its own)."""
    return "_" + ts.stem.rsplit("_", 1)[-1]


def _placeholders(text: str, suffix: str) -> list[str]:
    names = PLACEHOLDER.findall(text)
    return sorted(n.removesuffix(suffix + "}") + "}" if suffix and n.endswith(suffix + "}") else n for n in names)


def problems_in(ts: Path) -> list[str]:
    """Untranslated entries and translations that lost or invented a ``{placeholder}``."""
    problems: list[str] = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            source = message.findtext("source", "")
            translation = message.find("translation")
            kind = translation.get("type", "") if translation is not None else "missing"
            text = (translation.text or "") if translation is not None else ""
            if kind or not text.strip():
                problems.append(f"{ts.name}: [{name}] {source!r} is {kind or 'empty'}")
            elif _placeholders(source, "") != _placeholders(text, lang_suffix(ts)):
                problems.append(f"{ts.name}: [{name}] {source!r}: placeholders differ in {text!r}")
    return problems


def check(lang: str) -> list[str]:
    ts = CATALOGUE_DIR / f"studio_{lang}.ts"
    qm = ts.with_suffix(".qm")
    if not ts.is_file():
        return [f"{ts} is missing"]
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="studio-i18n-check-") as tmp:
        fresh_ts = Path(tmp) / ts.name
        shutil.copyfile(ts, fresh_ts)
        run_lupdate(fresh_ts)
        if fresh_ts.read_bytes() != ts.read_bytes():
            problems.append(f"{ts.name} is out of date with the source code (strings were added or changed)")
            problems += problems_in(fresh_ts)
        else:
            problems += problems_in(ts)
        fresh_qm = Path(tmp) / qm.name
        run_lrelease(ts, fresh_qm)
        if not qm.is_file() or fresh_qm.read_bytes() != qm.read_bytes():
            problems.append(f"{qm.name} is not built from the current {ts.name}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="verify only; change nothing")
    args = parser.parse_args(argv)
    if args.check:
        problems = [problem for lang in LANGUAGES for problem in check(lang)]
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("Run `python scripts/update_translations.py`, translate the unfinished entries "
                  "(pyside6-linguist), and run it again.", file=sys.stderr)
        return 1 if problems else 0
    for lang in LANGUAGES:
        ts = CATALOGUE_DIR / f"studio_{lang}.ts"
        run_lupdate(ts)
        run_lrelease(ts, ts.with_suffix(".qm"))
        remaining = problems_in(ts)
        print(f"{ts.relative_to(ROOT)}: {len(remaining)} entries still need a translation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
