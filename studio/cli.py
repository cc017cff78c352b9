"""Command line: ``studio`` (or ``python -m studio``) opens the window; subcommands do the jobs headless.

This is the command-line composition root: it builds :class:`studio.services.Studio` and passes it on.
Exit codes: 0 success, 1 a problem the user can fix (message printed), 2 usage error, 3 self-test failed,
70 an unexpected error (a bug: the crash report names the log file).
"""

from __future__ import annotations

import argparse
import locale
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from studio.i18n import Translator, identity_translator
from studio.log import crash_report, setup_logging
from studio.messages import Cancelled, StudioError
from studio.paths import StudioPaths

log = logging.getLogger(__name__)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


class _PrintVersion(argparse.Action):
    """``--version``, reading the package metadata only when asked (argparse's own action wants it at start)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object,
                 option_string: str | None = None) -> None:
        import studio

        parser.exit(message=f"{parser.prog} {studio.__version__}\n")


def _window_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", help="keep all data, settings and logs below this folder (portable mode)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print debugging output")


def window_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The arguments when they only open the window (``studio``, ``studio gui``, with ``--data-dir`` or ``-v``),
    else None: the officer's double-click then starts without the commands' modules and parsers, a few
    dozen milliseconds on a modest PC (benchmarks/bench_startup.py). Anything else goes to :func:`build_parser`,
    which also gives help and usage errors."""
    parser = argparse.ArgumentParser(prog="studio", add_help=False, allow_abbrev=False, exit_on_error=False)
    _window_options(parser)
    parser.add_argument("command", nargs="?", choices=["gui"])
    try:
        args, rest = parser.parse_known_args(list(argv))
    except argparse.ArgumentError:
        return None
    return None if rest else args


def build_parser() -> argparse.ArgumentParser:
    from studio.bundle_commands import add_bundle_parsers
    from studio.controller_commands import add_controller_parsers
    from studio.delivery_commands import add_delivery_parsers
    from studio.review_commands import add_review_parsers
    from studio.text.numbers import Dialect

    parser = argparse.ArgumentParser(prog="studio", description="Commune Radio Studio")
    parser.add_argument("--version", action=_PrintVersion, nargs=0, help="show the version and exit")
    _window_options(parser)
    parser.add_argument("--user", help="log in as this account (password from STUDIO_PASSWORD or a prompt)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("gui", help="open the studio window (the default)")
    sub.add_parser("demo", help="create the demo station and a Vietnamese sample bulletin")
    p_list = sub.add_parser("list", help="list the bulletins in the library")
    p_list.add_argument("search", nargs="?", default="")

    p_render = sub.add_parser("render", help="render a bulletin (or a text file) to a mastered MP3 or WAV")
    p_render.add_argument("bulletin", nargs="?", help="bulletin number or id (see “studio list”)")
    p_render.add_argument("--text", type=Path, help="a UTF-8 text file; each paragraph becomes a segment")
    p_render.add_argument("--preset", help="voice preset for --text (see “studio presets”)")
    p_render.add_argument("--title", help="title for --text (default: the file name)")
    p_render.add_argument("-o", "--output", type=Path, required=True,
                          help="the file to write; its suffix follows the render.format setting (.mp3 or .wav)")

    add_delivery_parsers(sub)
    add_controller_parsers(sub)
    add_bundle_parsers(sub)

    p_jingle = sub.add_parser("jingle", help="the jingle library (openings, closings, stingers, beds)")
    jingle_sub = p_jingle.add_subparsers(dest="jingle_command", metavar="ACTION", required=True)
    jingle_sub.add_parser("list", help="list the jingles")
    p_import = jingle_sub.add_parser("import", help="import the station's own jingle (checked first)")
    p_import.add_argument("file", type=Path)
    p_import.add_argument("--category", required=True, choices=["opening", "closing", "stinger", "bed"])
    p_import.add_argument("--name", help="the name shown in the library (default: the file name)")
    p_import.add_argument("--use", action="store_true", help="make it the station's opening or closing jingle")

    p_audit = sub.add_parser("audit", help="the tamper-evident audit log")
    audit_sub = p_audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    audit_sub.add_parser("verify", help="check that no entry was edited, deleted or reordered (exit 1 if one was)")
    p_export = audit_sub.add_parser("export", help="write the entries of a range of days (Vietnam time)")
    p_export.add_argument("--from", dest="first", type=_day, required=True, metavar="YYYY-MM-DD")
    p_export.add_argument("--to", dest="last", type=_day, required=True, metavar="YYYY-MM-DD")
    p_output = p_export.add_mutually_exclusive_group(required=True)
    p_output.add_argument("--csv", type=Path, metavar="FILE", help="a CSV file (UTF-8, opens in Excel)")
    p_output.add_argument("--html", type=Path, metavar="FILE", help="a printable HTML page")

    add_review_parsers(sub)

    sub.add_parser("presets", help="list the voice presets")
    p_norm = sub.add_parser("normalize", help="read lines on stdin, write their spoken form on stdout")
    p_norm.add_argument("--dialect", choices=[d.value for d in Dialect], default=Dialect.NORTH.value)
    sub.add_parser("self-test", help="render the demo bulletin offline in a temporary folder and check it")
    return parser


def cli_translator() -> Translator:
    """Vietnamese messages on a Vietnamese system (or ``STUDIO_LANG=vi``), English otherwise."""
    wanted = os.environ.get("STUDIO_LANG") or (locale.getlocale()[0] or "") or os.environ.get("LANG", "")
    if not wanted.lower().startswith("vi"):
        return identity_translator
    try:
        from studio.ui.i18n import load_catalogue
    except ImportError:  # pragma: no cover - the GUI extras are part of every install
        return identity_translator
    return load_catalogue("vi") or identity_translator


def utf8_output() -> None:
    """Write UTF-8 when output goes to a file or a pipe. On Windows Python would use the ANSI code page there,
    which cannot encode Vietnamese ("Đ", "ữ"): ``studio list > ds.txt`` would stop with an error. A console
    keeps its own (Unicode) output."""
    for stream in (sys.stdout, sys.stderr):
        if (stream is not None and not stream.isatty() and hasattr(stream, "reconfigure")
                and (stream.encoding or "").lower().replace("-", "") != "utf8"):
            stream.reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    utf8_output()
    window = window_args(sys.argv[1:] if argv is None else argv)
    if window is not None:
        from studio.ui.app import run_gui

        return run_gui(data_dir=window.data_dir)
    from studio.bundle_commands import OPEN_COMMAND

    args = build_parser().parse_args(argv)
    if args.command in (None, "gui", OPEN_COMMAND):
        from studio.ui.app import run_gui

        return run_gui(data_dir=args.data_dir, open_file=args.file if args.command == OPEN_COMMAND else None)
    if args.command == "normalize":
        return _normalize(args.dialect)
    if args.command == "self-test":
        from studio.selftest import run_self_test

        return run_self_test(verbose=args.verbose)
    tr = cli_translator()
    if args.command == "controller":  # a stand-in controller: no library, no database
        from studio.controller_commands import run_controller_command

        return run_controller_command(args, tr)
    paths = StudioPaths.resolve(args.data_dir).ensure()
    log_path = setup_logging(paths.logs, verbose=args.verbose, console=True)
    try:
        from studio.commands import run_command

        return run_command(args, paths, tr)
    except StudioError as exc:
        print(exc.translated(tr), file=sys.stderr)
        return 1
    except Cancelled:
        print(tr("Messages", "Cancelled."), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: keep the details, tell the user where they are
        log.exception("unexpected error")
        print(crash_report(type(exc), exc, exc.__traceback__, log_path), file=sys.stderr)
        return 70


def _normalize(dialect: str) -> int:
    """One output line per input line, streamed so a long document does not wait for EOF."""
    stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", newline=None, closefd=False)  # noqa: SIM115
    stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", newline="\n", closefd=False)  # noqa: SIM115
    from studio.text.normalize import normalize_lines
    from studio.text.numbers import Dialect

    for line in normalize_lines((raw.rstrip("\n") for raw in stdin), dialect=Dialect(dialect)):
        stdout.write(line + "\n")
    stdout.flush()
    return 0

