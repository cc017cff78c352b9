"""The CLI subcommands that work on the library (everything but the window, ``normalize`` and ``self-test``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studio.audit_commands import run_audit
from studio.bundle_commands import BUNDLE_COMMAND, run_bundle
from studio.delivery_commands import DELIVERY_COMMANDS, run_delivery
from studio.i18n import QT_TRANSLATE_NOOP, Translator
from studio.messages import StudioError
from studio.paths import StudioPaths
from studio.render import audio_file
from studio.review_commands import read_password, run_review
from studio.services import Studio, read_text_file
from studio.tasks import ProgressCallback, no_progress

CONTEXT = "Cli"
REVIEW_COMMANDS = ("user", "submit", "approve", "request-changes", "withdraw", "reopen", "comment", "status")
NEED_BULLETIN = QT_TRANSLATE_NOOP(CONTEXT, "Name a bulletin (its number from “studio list”) or give --text FILE.")


def run_command(args: argparse.Namespace, paths: StudioPaths, tr: Translator) -> int:
    studio = Studio.open(paths)
    try:
        if args.user:
            studio.login(args.user, read_password(tr))
        return _dispatch(args, studio, tr)
    finally:
        studio.close()


def _progress(tr: Translator) -> ProgressCallback:
    if not sys.stderr.isatty():
        return no_progress

    def report(fraction: float, label: str, /, **args: object) -> None:
        text = tr("Progress", label).format(**args)
        print(f"\r{fraction * 100:5.1f}%  {text:<40}", end="", file=sys.stderr, flush=True)
        if fraction >= 1.0:
            print(file=sys.stderr)

    return report


def _dispatch(args: argparse.Namespace, studio: Studio, tr: Translator) -> int:
    command = args.command
    if command == "demo":
        draft = studio.create_demo()
        print(f"{draft.id}\t{draft.uid}\t{draft.title}")
        return 0
    if command == "list":
        for row in studio.repo.list_bulletins(args.search):
            print(f"{row.id}\t{row.uid}\t{row.state}\t{row.priority}\t{row.segment_count}\t{row.title}")
        return 0
    if command == "presets":
        for preset in studio.presets.values():
            print(f"{preset.id}\t{preset.language}\t{preset.mode}\t{preset.engine}:{preset.voice}\t{preset.name_vi}")
        return 0
    if command == "render":
        return _render(args, studio, tr)
    if command in DELIVERY_COMMANDS:
        return run_delivery(args, studio, tr, _progress(tr))
    if command in REVIEW_COMMANDS:
        return run_review(args, studio, tr)
    if command == "audit":
        return run_audit(args, studio, tr)
    if command == "jingle":
        return _jingle(args, studio)
    if command == BUNDLE_COMMAND:
        return run_bundle(args, studio, tr, _progress(tr))
    raise AssertionError(f"unhandled command {command}")


def _jingle(args: argparse.Namespace, studio: Studio) -> int:
    if args.jingle_command == "list":
        for jingle in studio.jingles.list():
            origin = "shipped" if jingle.shipped else "station"
            print(f"{jingle.id}\t{jingle.category}\t{jingle.duration:.1f} s\t{origin}\t{jingle.name}")
        return 0
    jingle = studio.jingles.import_file(args.file, args.category, args.name or args.file.stem)
    if args.use:
        studio.repo.set_station_jingle(studio.ensure_station().id, args.category, jingle.id, actor=studio.actor)
    print(f"{jingle.id}\t{jingle.category}\t{jingle.duration:.1f} s\t{jingle.name}")
    return 0


def _render(args: argparse.Namespace, studio: Studio, tr: Translator) -> int:
    output: Path = args.output.expanduser().resolve()
    if args.text is not None:
        text = read_text_file(args.text)
        if args.preset and args.preset not in studio.presets:
            raise StudioError(QT_TRANSLATE_NOOP("Messages", "There is no voice preset “{preset}”."),
                              preset=args.preset)
        draft = studio.new_bulletin_from_text(text, args.title or args.text.stem, args.preset)
        output = audio_file(output, studio.profile().suffix)  # the station's format decides: OUT.mp3 → OUT.wav
        result = studio.render_draft(draft, output, progress=_progress(tr))
    elif args.bulletin:
        bulletin_id = studio.repo.resolve(args.bulletin)
        _, result = studio.render_bulletin(bulletin_id, progress=_progress(tr))
        output = studio.export(result, output)
    else:
        raise StudioError(NEED_BULLETIN)
    for notice in result.notices:
        print(notice.translated(tr), file=sys.stderr)
    loud = result.report
    print(f"{output}\t{result.duration_ms / 1000:.2f} s\t{loud.integrated_lufs:.1f} LUFS\t"
          f"{loud.true_peak_dbtp:.1f} dBTP")
    return 0
