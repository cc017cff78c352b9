"""Delivery targets from their stored settings: one place knows each kind's fields.

A target's settings (``delivery_target.config``) hold what is not secret — address, port, user name,
folder, pinned host key, CA file — and :class:`~studio.delivery.credentials.Credentials` holds the password
or token on this PC. :func:`validate_config` checks what an installer typed before it is stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from studio.delivery.target import DeliveryError, Target
from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, StudioError

KINDS = ("folder", "sftp", "ftp", "ftps", "http")
KIND_LABELS = {
    "folder": QT_TRANSLATE_NOOP("Targets", "Folder or network share"),
    "sftp": QT_TRANSLATE_NOOP("Targets", "SFTP server"),
    "ftp": QT_TRANSLATE_NOOP("Targets", "FTP server"),
    "ftps": QT_TRANSLATE_NOOP("Targets", "FTPS server (FTP with TLS)"),
    "http": QT_TRANSLATE_NOOP("Targets", "Studio Controller API (HTTP)"),
}
NEEDS_SECRET = {"sftp", "ftp", "ftps", "http"}
DEFAULT_PORTS = {"sftp": 22, "ftp": 21, "ftps": 21}

UNKNOWN_KIND = QT_TRANSLATE_NOOP(CONTEXT, "Delivery target “{name}” has an unsupported kind “{kind}”.")
NO_SECRET = QT_TRANSLATE_NOOP(CONTEXT, "The password of delivery target “{name}” is not stored on this computer.")
NO_SECRET_HINT = QT_TRANSLATE_NOOP(CONTEXT, "Open Station → Delivery targets, enter it and press “Test connection”.")
CA_MISSING = QT_TRANSLATE_NOOP(CONTEXT, "The certificate file {path} of delivery target “{name}” does not exist.")
NEED_HOST = QT_TRANSLATE_NOOP(CONTEXT, "Delivery target “{name}” has no server address.")
NEED_USER = QT_TRANSLATE_NOOP(CONTEXT, "Delivery target “{name}” has no user name.")
NEED_PATH = QT_TRANSLATE_NOOP(CONTEXT, "Delivery target “{name}” has no folder.")
BAD_PORT = QT_TRANSLATE_NOOP(CONTEXT, "The port of delivery target “{name}” must be a number from 1 to 65535.")
BAD_URL = QT_TRANSLATE_NOOP(CONTEXT, "The address of delivery target “{name}” must start with http:// or https://.")


@dataclass(frozen=True)
class TargetSettings:
    """A target as stored (``TargetInfo`` fits): its name, kind and non-secret settings."""

    name: str
    kind: str
    config: Mapping[str, Any]


def validate_config(name: str, kind: str, config: Mapping[str, Any]) -> list[StudioError]:
    """Problems with a target's settings, as messages for the installer; empty when usable."""
    if kind not in KINDS:
        return [StudioError(UNKNOWN_KIND, name=name, kind=kind)]
    problems: list[StudioError] = []
    if kind == "folder":
        if not str(config.get("path", "")).strip():
            problems.append(StudioError(NEED_PATH, name=name))
        return problems
    if kind == "http":
        if urlsplit(str(config.get("url", ""))).scheme not in ("http", "https"):
            problems.append(StudioError(BAD_URL, name=name))
    else:
        if not str(config.get("host", "")).strip():
            problems.append(StudioError(NEED_HOST, name=name))
        if not str(config.get("username", "")).strip():
            problems.append(StudioError(NEED_USER, name=name))
        port = config.get("port", DEFAULT_PORTS[kind])
        if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
            problems.append(StudioError(BAD_PORT, name=name))
    ca_file = str(config.get("ca_file") or "")
    if ca_file and not Path(ca_file).is_file():
        problems.append(StudioError(CA_MISSING, name=name, path=ca_file))
    return problems


def build_target(settings: TargetSettings, secret: str | None, *, create_folder: bool = False) -> Target:
    """The transport for ``settings``. A missing password is a :class:`DeliveryError` a person must fix."""
    kind, config = settings.kind, settings.config
    from studio.delivery.folder import FolderTarget  # the transports load when one is used (start-up time)
    from studio.delivery.ftp import FtpTarget
    from studio.delivery.http import HttpTarget
    from studio.delivery.sftp import SftpTarget

    problems = validate_config(settings.name, kind, config)
    if problems:
        raise DeliveryError(problems[0].text, retryable=False, **problems[0].args_map)
    if kind == "folder":
        return FolderTarget(Path(str(config["path"])), create=create_folder)
    if secret is None:
        raise DeliveryError(NO_SECRET, retryable=False, hint=NO_SECRET_HINT, name=settings.name)
    ca_file = Path(str(config["ca_file"])) if config.get("ca_file") else None
    if kind == "http":
        return HttpTarget(base_url=str(config["url"]), token=secret, ca_file=ca_file)
    host, user = str(config["host"]).strip(), str(config["username"]).strip()
    port = int(config.get("port", DEFAULT_PORTS[kind]))
    folder = str(config.get("folder") or "/")
    if kind == "sftp":
        return SftpTarget(host=host, port=port, username=user, password=secret, folder=folder,
                          pinned_key=str(config["host_key"]) if config.get("host_key") else None)
    return FtpTarget(host=host, port=port, username=user, password=secret, folder=folder, tls=kind == "ftps",
                     ca_file=ca_file)


def describe(settings: TargetSettings) -> str:
    """Where the target delivers, for lists and logs (never a secret)."""
    config = settings.config
    if settings.kind == "folder":
        return str(config.get("path", ""))
    if settings.kind == "http":
        parts = urlsplit(str(config.get("url", "")))
        return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
    port = config.get("port", DEFAULT_PORTS.get(settings.kind, 0))
    user, host, folder = config.get("username", ""), config.get("host", ""), config.get("folder") or "/"
    return f"{settings.kind}://{user}@{host}:{port}{folder}"
