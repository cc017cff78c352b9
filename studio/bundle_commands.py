"""CLI subcommands for bulletin files: ``bundle export BULLETIN -o FILE.bantin``, ``bundle import FILE.bantin``
and ``open FILE.bantin`` (the window, importing the file: what a double-click on a ``.bantin`` runs). The work
is in :mod:`studio.bundle.transfer`; these only translate arguments and print results, tab-separated.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.i18n import QT_TRANSLATE_NOOP, Translator

if TYPE_CHECKING:  # the parsers are built at every start; the library's modules load only for a command
    from studio.services import Studio
    from studio.tasks import ProgressCallback

CONTEXT = "Cli"
BUNDLE_COMMAND = "bundle"
OPEN_COMMAND = "open"
EXPORTED = QT_TRANSLATE_NOOP(CONTEXT, "Exported “{title}” with {takes} recordings to {path} ({size}).")
IMPORTED = QT_TRANSLATE_NOOP(CONTEXT, "Imported “{title}” as bulletin No. {number}, a draft to review on this PC.")
USE_JINGLES_HINT = QT_TRANSLATE_NOOP(CONTEXT, "Import again with --use-jingles to make them this station's.")


def add_bundle_parsers(sub: Any) -> None:
    p_bundle = sub.add_parser(BUNDLE_COMMAND, help="move a bulletin with its recordings to another PC (.bantin file)")
    bundle_sub = p_bundle.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    p_export = bundle_sub.add_parser("export", help="write a bulletin, its takes and its jingles to one file")
    p_export.add_argument("bulletin", help="bulletin number or id (see “studio list”)")
    p_export.add_argument("-o", "--output", type=Path, required=True, help="the .bantin file to write")
    p_import = bundle_sub.add_parser("import", help="add the bulletin of a .bantin file as a new draft")
    p_import.add_argument("file", type=Path)
    p_import.add_argument("--use-jingles", action="store_true",
                          help="also make the file's jingles this station's (changes every bulletin's sound)")
    p_open = sub.add_parser(OPEN_COMMAND, help="open the window and import a .bantin file (the file association)")
    p_open.add_argument("file", type=Path)


def run_bundle(args: argparse.Namespace, studio: Studio, tr: Translator, progress: ProgressCallback) -> int:
    from studio.bundle.manifest import size_text
    from studio.bundle.transfer import export_bundle, import_bundle

    if args.bundle_command == "export":
        bulletin_id = studio.repo.resolve(args.bulletin)
        output: Path = args.output.expanduser().resolve()
        exported = export_bundle(studio, bulletin_id, output, progress=progress)
        print(tr(CONTEXT, EXPORTED).format(title=exported.title, takes=exported.takes, path=exported.path,
                                           size=size_text(exported.size)), file=sys.stderr)
        print(exported.path)
        return 0
    result = import_bundle(studio, args.file.expanduser(), use_jingles=args.use_jingles, progress=progress)
    for notice in result.notices:
        print(notice.translated(tr), file=sys.stderr)
    if result.jingles_differ:
        print(tr(CONTEXT, USE_JINGLES_HINT), file=sys.stderr)
    draft = result.bulletin
    if not result.already:
        print(tr(CONTEXT, IMPORTED).format(title=draft.title, number=draft.id), file=sys.stderr)
    print(f"{draft.id}\t{draft.uid}\t{draft.title}")
    return 0
