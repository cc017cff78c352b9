"""CLI: ``studio controller serve`` runs the reference receiver of the Studio Controller API.

It lets a commune without a vendor upload API (or an integrator testing one) stand up a controller
endpoint in one command: programmes the studio delivers over HTTP(S) appear in ``--folder`` as
``<id>.mp3``/``<id>.wav`` plus ``<id>.json``, ready for whatever player watches that folder. The access key
comes from a file or the environment, never from the command line (where other users could read it in the
process list).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.i18n import QT_TRANSLATE_NOOP, Translator
from studio.messages import StudioError, os_error

CONTEXT = "Cli"
TOKEN_ENV = "STUDIO_CONTROLLER_TOKEN"
MIN_TOKEN_LENGTH = 16
DEFAULT_MAX_PROGRAMME_MIB = 2048  # studio.controller.store.DEFAULT_MAX_PROGRAMME_BYTES (a test keeps them equal)

LISTENING = QT_TRANSLATE_NOOP(CONTEXT, "The controller listens on {url} and publishes into {folder}. "
                              "Press Ctrl+C to stop.")
CLEARTEXT = QT_TRANSLATE_NOOP(CONTEXT, "Warning: without --tls-cert the access key and the programmes travel "
                              "unencrypted. Use TLS when other computers connect.")
STOPPED = QT_TRANSLATE_NOOP(CONTEXT, "The controller stopped.")
TOKEN_MISSING = QT_TRANSLATE_NOOP(
    "Messages", "The controller needs an access key: give --token-file FILE or set STUDIO_CONTROLLER_TOKEN.")
TOKEN_TOO_SHORT = QT_TRANSLATE_NOOP(
    "Messages", "The controller's access key must be at least {length} characters long, without spaces.")
TOKEN_FILE_UNREADABLE = QT_TRANSLATE_NOOP("Messages", "The access key file {path} cannot be read.")
TLS_BOTH = QT_TRANSLATE_NOOP("Messages", "Give both --tls-cert and --tls-key, or neither.")
TLS_UNUSABLE = QT_TRANSLATE_NOOP(
    "Messages", "The certificate {cert} or its key {key} cannot be used: {reason}")
CANNOT_LISTEN = QT_TRANSLATE_NOOP("Messages", "The controller cannot listen on {host}:{port}: {reason}")
CANNOT_LISTEN_HINT = QT_TRANSLATE_NOOP(
    "Messages", "Another program may use this port: choose another one with --port.")

if TYPE_CHECKING:
    import ssl

log = logging.getLogger(__name__)


def add_controller_parsers(sub: Any) -> None:
    p_controller = sub.add_parser("controller", help="run a stand-in broadcast controller (Studio Controller API)")
    controller_sub = p_controller.add_subparsers(dest="controller_command", metavar="ACTION", required=True)
    p_serve = controller_sub.add_parser(
        "serve", help="receive programmes over HTTP(S) and publish them into a folder (docs/controller-api.md)")
    p_serve.add_argument("--folder", type=Path, required=True,
                         help="where <id>.mp3 and <id>.json are published (created if missing)")
    p_serve.add_argument("--host", default="127.0.0.1",
                         help="address to listen on (default 127.0.0.1; 0.0.0.0 for every network)")
    p_serve.add_argument("--port", type=int, default=8750, help="TCP port (default 8750; 0 picks a free one)")
    p_serve.add_argument("--token-file", type=Path,
                         help=f"file whose first line is the access key (default: the {TOKEN_ENV} variable)")
    p_serve.add_argument("--tls-cert", type=Path, help="PEM certificate (chain) for HTTPS")
    p_serve.add_argument("--tls-key", type=Path, help="PEM private key of --tls-cert")
    p_serve.add_argument("--max-programme-mib", type=int, default=DEFAULT_MAX_PROGRAMME_MIB,
                         help="largest audio file accepted, in MiB (default 2048)")
    p_serve.add_argument("--name", help="the name /v1/health reports (default: Studio reference receiver)")


def run_controller_command(args: argparse.Namespace, tr: Translator) -> int:
    """Run ``controller serve`` until Ctrl+C. Returns 0 when stopped, 1 (message printed) when it cannot
    start."""
    from studio.controller.receiver import RECEIVER_NAME, make_server

    try:
        token = _read_token(args.token_file)
        tls = _tls(args.tls_cert, args.tls_key)
        try:
            args.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_error(exc, args.folder) from exc
        try:
            server = make_server(args.folder, token, host=args.host, port=args.port, tls=tls,
                                 max_programme_bytes=max(1, args.max_programme_mib) << 20,
                                 name=args.name or RECEIVER_NAME)
        except OSError as exc:
            raise StudioError(CANNOT_LISTEN, hint=CANNOT_LISTEN_HINT, host=args.host, port=args.port,
                              reason=exc.strerror or exc) from exc
    except StudioError as exc:
        print(exc.translated(tr), file=sys.stderr)
        return 1
    if not logging.getLogger().handlers:  # run on its own: requests go to stderr
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    with server:
        print(tr(CONTEXT, LISTENING).format(url=server.url, folder=server.store.folder), flush=True)
        if tls is None and args.host not in ("127.0.0.1", "::1", "localhost"):
            print(tr(CONTEXT, CLEARTEXT), file=sys.stderr, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    print(tr(CONTEXT, STOPPED), flush=True)
    return 0


def _read_token(token_file: Path | None) -> str:
    if token_file is not None:
        try:
            lines = token_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise StudioError(TOKEN_FILE_UNREADABLE, path=token_file) from exc
        token = lines[0].strip() if lines else ""
    else:
        token = os.environ.get(TOKEN_ENV, "").strip()
        if not token:
            raise StudioError(TOKEN_MISSING)
    if len(token) < MIN_TOKEN_LENGTH or not token.isascii() or not token.isprintable() or " " in token:
        raise StudioError(TOKEN_TOO_SHORT, length=MIN_TOKEN_LENGTH)
    return token


def _tls(cert: Path | None, key: Path | None) -> ssl.SSLContext | None:
    if cert is None and key is None:
        return None
    if cert is None or key is None:
        raise StudioError(TLS_BOTH)
    import ssl

    try:
        from studio.controller.receiver import tls_context

        return tls_context(cert, key)
    except (OSError, ssl.SSLError) as exc:
        raise StudioError(TLS_UNUSABLE, cert=cert, key=key, reason=getattr(exc, "strerror", None) or exc) from exc
