"""Fill Vietnamese translations into studio_vi.ts from a JSON file, then rebuild the .qm.

For developers who add strings: run ``scripts/update_translations.py`` (lupdate), list the unfinished
entries with ``--list``, write ``{"Context": {"English source": "Bản dịch"}}`` to a file, and run
``scripts/fill_translations.py that-file.json``. (pyside6-linguist does the same interactively.)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TS = Path(__file__).resolve().parent.parent / "studio" / "ui" / "i18n" / "studio_vi.ts"


def unfinished(tree: ET.ElementTree) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and translation.get("type") == "unfinished":
                found.setdefault(name, []).append(message.findtext("source") or "")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("entries", nargs="?", type=Path, help="JSON {context: {source: translation}}")
    parser.add_argument("--list", action="store_true", help="print the unfinished entries as JSON")
    args = parser.parse_args()
    tree = ET.parse(TS)
    if args.list or args.entries is None:
        todo = {ctx: {src: "" for src in sources} for ctx, sources in unfinished(tree).items()}
        print(json.dumps(todo, ensure_ascii=False, indent=2))
        return 0
    entries: dict[str, dict[str, str]] = json.loads(args.entries.read_text(encoding="utf-8"))
    filled = 0
    for context in tree.getroot().iter("context"):
        wanted = entries.get(context.findtext("name") or "", {})
        for message in context.iter("message"):
            text = wanted.get(message.findtext("source") or "")
            translation = message.find("translation")
            if text and translation is not None:
                translation.text = text
                translation.attrib.pop("type", None)
                filled += 1
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    TS.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
    print(f"filled {filled} translations", file=sys.stderr)
    update = Path(__file__).resolve().parent / "update_translations.py"
    return subprocess.run([sys.executable, str(update)], check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
