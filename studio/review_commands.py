"""CLI subcommands for people and review: ``user``, ``submit``, ``approve``, ``request-changes``, ``withdraw``,
``reopen``, ``comment`` and ``status``. The rules are enforced in core (:mod:`studio.workflow`); these only
translate arguments. Log in with the global ``--user NAME`` (password from ``STUDIO_PASSWORD`` or a prompt).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING, Any

from studio.i18n import QT_TRANSLATE_NOOP, Translator
from studio.messages import StudioError
from studio.workflow.accounts import Role
from studio.workflow.states import STATE_NAMES, Action, State

if TYPE_CHECKING:
    from studio.services import Studio

CONTEXT = "Cli"
PASSWORDS_DIFFER = QT_TRANSLATE_NOOP("Messages", "The two passwords are different.")
PASSWORD_PROMPT = QT_TRANSLATE_NOOP(CONTEXT, "Password: ")
PASSWORD_AGAIN = QT_TRANSLATE_NOOP(CONTEXT, "Password again: ")
APPROVAL_OUTDATED = QT_TRANSLATE_NOOP(
    CONTEXT, "The approval no longer matches the content (a preset, jingle or setting changed).")

_ACTIONS = {"submit": Action.SUBMIT, "approve": Action.APPROVE, "request-changes": Action.REQUEST_CHANGES,
            "withdraw": Action.WITHDRAW, "reopen": Action.REOPEN}


def add_review_parsers(sub: Any) -> None:
    p_user = sub.add_parser("user", help="accounts (officer, reviewer, admin)")
    user_sub = p_user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    user_sub.add_parser("list", help="list the accounts")
    p_add = user_sub.add_parser("add", help="create an account (the first one is the administrator)")
    p_add.add_argument("name")
    p_add.add_argument("--role", choices=[role.value for role in Role], default=Role.OFFICER.value)
    p_add.add_argument("--display-name", default="")
    p_add.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    for name, action in _ACTIONS.items():
        p_action = sub.add_parser(name, help=f"{action.value.replace('_', ' ')} a bulletin (review)")
        p_action.add_argument("bulletin")
        p_action.add_argument("--comment", default="")
    p_comment = sub.add_parser("comment", help="comment on a bulletin or one of its segments")
    p_comment.add_argument("bulletin")
    p_comment.add_argument("text")
    p_comment.add_argument("--segment", type=int, help="the segment's number (1 = first)")
    p_status = sub.add_parser("status", help="where a bulletin stands in review, with its comments")
    p_status.add_argument("bulletin")


def read_password(tr: Translator, *, from_stdin: bool = False, confirm: bool = False) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if "STUDIO_PASSWORD" in os.environ:
        return os.environ["STUDIO_PASSWORD"]
    first = getpass.getpass(tr(CONTEXT, PASSWORD_PROMPT))
    if confirm and getpass.getpass(tr(CONTEXT, PASSWORD_AGAIN)) != first:
        raise StudioError(PASSWORDS_DIFFER)
    return first


def run_review(args: argparse.Namespace, studio: Studio, tr: Translator) -> int:
    command = args.command
    if command == "user":
        if args.user_command == "list":
            for user in studio.reviews.users():
                print(f"{user.username}\t{user.role.value}\t{'active' if user.active else 'disabled'}\t"
                      f"{user.display_name}")
            return 0
        password = read_password(tr, from_stdin=args.password_stdin, confirm=True)
        actor = studio.actor if studio.reviews.user_count() else None
        user = studio.reviews.create_user(args.name, password, Role(args.role), display_name=args.display_name,
                                          actor=actor)
        print(f"{user.username}\t{user.role.value}")
        return 0
    bulletin_id = studio.repo.resolve(args.bulletin)
    if command == "comment":
        position = None if args.segment is None else args.segment - 1
        studio.reviews.add_comment(bulletin_id, args.text, actor=studio.actor, segment_position=position)
        return 0
    if command == "status":
        status = studio.reviews.status(bulletin_id)
        print(f"{tr('States', STATE_NAMES[status.state])}\t{status.approved_by}")
        if status.approved_hash and not studio.approval_is_current(bulletin_id):
            print(tr(CONTEXT, APPROVAL_OUTDATED))
        for comment in studio.reviews.comments(bulletin_id):
            where = "" if comment.segment_position is None else f"#{comment.segment_position + 1} "
            print(f"{comment.at:%Y-%m-%d %H:%M}\t{comment.author}\t{where}{comment.text}")
        return 0
    version = studio.repo.load(bulletin_id).version
    status = studio.review(bulletin_id, _ACTIONS[command], version=version, comment=args.comment)
    print(tr("States", STATE_NAMES[State(status.state)]))
    return 0
