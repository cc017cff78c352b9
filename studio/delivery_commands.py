"""CLI subcommands for delivery: ``deliver``, ``outbox list|retry|cancel|run|history``, ``withdraw-programme`` and
``target list|add|password|trust|test``. The rules live in core (:mod:`studio.services`,
:mod:`studio.store.outbox`); these only translate arguments and print results, tab-separated.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.delivery.targets import DEFAULT_PORTS, KINDS, NEEDS_SECRET, TargetSettings, describe, validate_config
from studio.i18n import QT_TRANSLATE_NOOP, Translator
from studio.messages import StudioError
from studio.tasks import ProgressCallback

if TYPE_CHECKING:  # the parsers are built at every start; the library's modules load only for a command
    from studio.delivery.outbox import OutboxEvent
    from studio.services import Studio

CONTEXT = "Cli"
SECRET_PROMPT = QT_TRANSLATE_NOOP(CONTEXT, "Password or token for {name}: ")
QUEUED = QT_TRANSLATE_NOOP(CONTEXT, "queued")
ALREADY = QT_TRANSLATE_NOOP(CONTEXT, "already delivered")
DELIVERED = QT_TRANSLATE_NOOP(CONTEXT, "delivered")
TRUSTED = QT_TRANSLATE_NOOP(CONTEXT, "Trusted host key {fingerprint} ({key_type}) for {name}.")
NO_JOB = QT_TRANSLATE_NOOP("Messages", "There is no outbox job number {job}.")
NOT_SFTP = QT_TRANSLATE_NOOP("Messages", "Only an SFTP target has a host key to trust.")
DELIVERY_COMMANDS = ("deliver", "outbox", "target", "withdraw-programme", "logo")


def add_delivery_parsers(sub: Any) -> None:
    p_deliver = sub.add_parser("deliver", help="send an approved bulletin to delivery targets through the outbox")
    p_deliver.add_argument("bulletin")
    p_deliver.add_argument("--target", action="append", help="target name (repeatable; default: every target)")
    p_deliver.add_argument("--no-wait", action="store_true", help="only queue it; a running studio sends it")
    p_deliver.add_argument("--timeout", type=float, default=None, help="stop waiting after this many seconds")

    p_withdraw = sub.add_parser("withdraw-programme", help="remove a delivered programme from its targets")
    p_withdraw.add_argument("bulletin")
    p_withdraw.add_argument("--target", action="append")

    p_logo = sub.add_parser("logo", help="the station logo embedded as cover picture in delivered programmes")
    p_logo.add_argument("file", nargs="?", type=Path, help="a PNG or JPEG of at most 1 MB")
    p_logo.add_argument("--remove", action="store_true")

    p_outbox = sub.add_parser("outbox", help="the delivery outbox")
    outbox_sub = p_outbox.add_subparsers(dest="outbox_command", metavar="ACTION", required=True)
    p_list = outbox_sub.add_parser("list", help="list jobs (unfinished first)")
    p_list.add_argument("--all", action="store_true", help="also finished and cancelled jobs")
    for name, text in (("retry", "send a waiting or failed job again now"), ("cancel", "cancel an unsent job")):
        p_job = outbox_sub.add_parser(name, help=text)
        p_job.add_argument("job", type=int)
    p_history = outbox_sub.add_parser("history", help="the delivery history of a bulletin")
    p_history.add_argument("bulletin")
    p_run = outbox_sub.add_parser("run", help="send everything queued, then exit (or keep running with --forever)")
    p_run.add_argument("--forever", action="store_true")

    p_target = sub.add_parser("target", help="manage delivery targets")
    target_sub = p_target.add_subparsers(dest="target_command", metavar="ACTION", required=True)
    target_sub.add_parser("list", help="list delivery targets")
    p_add = target_sub.add_parser("add", help="add a target: a folder, an SFTP/FTP/FTPS server or a controller API")
    p_add.add_argument("name")
    p_add.add_argument("--kind", choices=KINDS, default="folder")
    p_add.add_argument("--folder", help="local folder (kind folder) or the folder on the server")
    p_add.add_argument("--host")
    p_add.add_argument("--port", type=int)
    p_add.add_argument("--username")
    p_add.add_argument("--url", help="the controller API's address (kind http)")
    p_add.add_argument("--ca-file", type=Path, help="the controller's CA certificate (PEM) for TLS")
    p_add.add_argument("--password-stdin", action="store_true", help="read the password or token from stdin")
    p_password = target_sub.add_parser("password", help="store a target's password or token on this computer")
    p_password.add_argument("name")
    p_password.add_argument("--password-stdin", action="store_true")
    p_trust = target_sub.add_parser("trust", help="show an SFTP server's host key and pin it")
    p_trust.add_argument("name")
    p_trust.add_argument("--fingerprint", help="pin only if the server shows exactly this fingerprint")
    p_test = target_sub.add_parser("test", help="test the connection to a target")
    p_test.add_argument("name")


def run_delivery(args: argparse.Namespace, studio: Studio, tr: Translator, progress: ProgressCallback) -> int:
    from studio.store.outbox import JobState

    command = args.command
    if command == "deliver":
        return _deliver(args, studio, tr, progress)
    if command == "withdraw-programme":
        jobs = studio.withdraw_programme(studio.repo.resolve(args.bulletin), args.target)
        runner = studio.outbox_runner()
        runner.wake({job.target_id for job in jobs})
        try:
            done = runner.wait_for([job.id for job in jobs], 600)
        finally:
            runner.stop()
        for job in done:
            print(f"{job.id}\t{job.target_name}\t{job.state.value}\t{job.last_error}")
        return 0 if all(job.state is JobState.DONE for job in done) else 1
    if command == "outbox":
        return _outbox(args, studio, tr)
    if command == "logo":
        if args.remove or args.file is not None:
            studio.set_station_logo(None if args.remove else args.file.expanduser())
        logo = studio.station_logo()
        print(f"{len(logo)} bytes" if logo else "-")
        return 0
    return _target(args, studio, tr)


def _deliver(args: argparse.Namespace, studio: Studio, tr: Translator, progress: ProgressCallback) -> int:
    from studio.store.outbox import JobState

    bulletin_id = studio.repo.resolve(args.bulletin)
    queued = studio.queue_delivery(bulletin_id, args.target, progress=progress)
    pending = [job for job, _ in queued if job.state is not JobState.DONE]
    for job, _ in queued:
        if job.state is JobState.DONE:
            print(f"{tr(CONTEXT, ALREADY)}: {job.target_name}")
    if args.no_wait or not pending:
        for job in pending:
            print(f"{tr(CONTEXT, QUEUED)}: {job.id}\t{job.target_name}")
        return 0

    def show(event: OutboxEvent) -> None:
        if event.kind == "progress" and sys.stderr.isatty():
            print(f"\r{event.done * 100 // max(1, event.total):3d}%  {event.speed / 1024:7.1f} KiB/s",
                  end="", file=sys.stderr, flush=True)

    runner = studio.outbox_runner(show)
    runner.wake({job.target_id for job in pending})
    until = None if args.timeout is None else args.timeout
    try:
        finished = runner.wait_for([job.id for job in pending], until,
                                   until=lambda j: j.state not in (JobState.QUEUED, JobState.SENDING))
    finally:
        runner.stop()
    ok = True
    for job in finished:
        if job.state is JobState.DONE:
            print(f"{tr(CONTEXT, DELIVERED)}: {job.target_name}")
            continue
        ok = False
        error = job.error_message()
        print(f"{job.target_name}: {error.translated(tr) if error else job.state.value}", file=sys.stderr)
    return 0 if ok else 1


def _outbox(args: argparse.Namespace, studio: Studio, tr: Translator) -> int:
    from studio.store.outbox import JobState

    action = args.outbox_command
    if action == "list":
        states = None if args.all else (*[s.value for s in JobState if s not in (JobState.DONE, JobState.CANCELLED)],)
        for job in studio.outbox.jobs(states=states):
            error = job.error_message()
            print(f"{job.id}\t{job.kind}\t{job.priority}\t{job.state.value}\t{job.target_name}\t{job.attempts}\t"
                  f"{job.bytes_done}/{job.size_bytes}\t{job.title}\t{error.translated(tr) if error else ''}")
        return 0
    if action == "history":
        for event in studio.outbox.history(bulletin_id=studio.repo.resolve(args.bulletin)):
            print(f"{event.at.isoformat(timespec='seconds')}\t{event.job_id}\t{event.target_name}\t{event.kind}\t"
                  f"{event.detail}")
        return 0
    if action == "run":
        runner = studio.outbox_runner()
        runner.start()
        try:
            while args.forever or studio.outbox.jobs(states=(JobState.QUEUED.value, JobState.SENDING.value)):
                time.sleep(1.0)
                runner.wake()
        finally:
            runner.stop()
        return 0
    actor = studio.actor
    changed = (studio.outbox.retry_now if action == "retry" else studio.outbox.cancel)(args.job,
                                                                                       actor=actor.username)
    if changed is None:
        raise StudioError(NO_JOB, job=args.job)
    print(f"{changed.id}\t{changed.state.value}\t{changed.target_name}")
    return 0


def _secret(args: argparse.Namespace, tr: Translator) -> str:
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\r\n")
    return os.environ.get("STUDIO_TARGET_PASSWORD") or getpass.getpass(tr(CONTEXT, SECRET_PROMPT).format(
        name=args.name))


def _target(args: argparse.Namespace, studio: Studio, tr: Translator) -> int:
    action = args.target_command
    if action == "list":
        for target in studio.repo.targets():
            print(f"{target.name}\t{target.kind}\t{describe(TargetSettings(target.name, target.kind, target.config))}")
        return 0
    if action == "add":
        config = _config(args)
        problems = validate_config(args.name, args.kind, config)
        if problems:
            raise problems[0]
        station = studio.ensure_station()
        if args.kind in NEEDS_SECRET:
            studio.credentials.set(args.name, _secret(args, tr))
        studio.repo.add_target(station.id, args.name, args.kind, config, actor=studio.actor)
        print(f"{args.name}\t{args.kind}\t{describe(TargetSettings(args.name, args.kind, config))}")
        return 0
    target = studio.repo.target(args.name)
    if action == "password":
        studio.credentials.set(target.name, _secret(args, tr))
        return 0
    if action == "trust":
        if target.kind != "sftp":
            raise StudioError(NOT_SFTP)
        from studio.delivery.sftp import fetch_host_key

        key_type, fingerprint = fetch_host_key(str(target.config["host"]), int(target.config.get("port", 22)))
        if args.fingerprint and args.fingerprint != fingerprint:
            print(f"{key_type}\t{fingerprint}", file=sys.stderr)
            return 1
        studio.repo.update_target(target.name, {**target.config, "host_key": fingerprint}, actor=studio.actor)
        print(tr(CONTEXT, TRUSTED).format(fingerprint=fingerprint, key_type=key_type, name=target.name))
        return 0
    print(studio.make_target(target.id).check())
    return 0


def _config(args: argparse.Namespace) -> dict[str, Any]:
    if args.kind == "folder":
        return {"path": str(Path(args.folder or "").expanduser().resolve()) if args.folder else ""}
    config: dict[str, Any] = {}
    if args.kind == "http":
        config["url"] = args.url or ""
    else:
        config.update(host=args.host or "", port=args.port or DEFAULT_PORTS[args.kind], username=args.username or "",
                      folder=args.folder or "/")
    if args.ca_file:
        config["ca_file"] = str(args.ca_file.expanduser().resolve())
    return config
