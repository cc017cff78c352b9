"""Delivery passwords and tokens live in the operating system's credential store, never in the database.

On Windows that is the Credential Manager (through ``keyring``); the database — which a second PC or a
backup may read — holds only the target's address, user name and pinned host key. Each PC keeps its own
copy: a reviewer's PC sharing the PostgreSQL library does not learn the controller's password. Secrets
are never logged; a PC without a usable store gets a clear message instead of a silent plaintext file.
"""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING

from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import CONTEXT, StudioError

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

# keyring is imported where a secret is read or written: importing it (and the backends' metadata it
# reads) takes a tenth of a second, and the studio's window opens without touching a secret.

log = logging.getLogger(__name__)

SERVICE = "Commune Radio Studio"
NO_STORE = QT_TRANSLATE_NOOP(CONTEXT, "This computer has no secure password store, so the password cannot be kept.")
NO_STORE_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "On Windows the Credential Manager is used. On Linux, install and unlock a keyring (GNOME Keyring "
             "or KWallet).")
STORE_FAILED = QT_TRANSLATE_NOOP(CONTEXT, "The password store refused to keep the password: {reason}")


class Credentials:
    """Secrets of delivery targets, keyed by target name within one studio library (``scope``)."""

    def __init__(self, scope: str, backend: KeyringBackend | None = None) -> None:
        self.scope = hashlib.sha256(scope.encode("utf-8")).hexdigest()[:10]
        self.backend = backend

    def _store(self) -> KeyringBackend:
        import keyring

        return self.backend or keyring.get_keyring()

    def _key(self, target_name: str) -> str:
        return f"target:{target_name}:{self.scope}"

    def get(self, target_name: str) -> str | None:
        """The stored secret, or None when this PC has none (or no store at all: the caller explains)."""
        import keyring.errors

        try:
            return self._store().get_password(SERVICE, self._key(target_name))
        except keyring.errors.KeyringError as exc:
            log.warning("password store unavailable: %s", type(exc).__name__)
            return None

    def set(self, target_name: str, secret: str) -> None:
        import keyring.errors

        try:
            self._store().set_password(SERVICE, self._key(target_name), secret)
        except keyring.errors.NoKeyringError as exc:
            raise StudioError(NO_STORE, hint=NO_STORE_HINT) from exc
        except keyring.errors.KeyringError as exc:
            raise StudioError(STORE_FAILED, reason=type(exc).__name__) from exc

    def delete(self, target_name: str) -> None:
        import keyring.errors

        try:
            self._store().delete_password(SERVICE, self._key(target_name))
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            log.warning("password store unavailable: %s", type(exc).__name__)
