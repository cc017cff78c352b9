"""Accounts: who may use the studio, with which role, and how a password is checked.

Passwords are hashed with scrypt (memory-hard, in the standard library: no native wheel to ship on the
commune's Windows PCs). The parameters are stored with each hash, so they can be raised later without
locking anyone out: :func:`needs_rehash` tells the login to re-hash with the current ones.

n = 2**15, r = 8, p = 1 costs 32 MiB and ~0.1 s per check on a modest PC: slow enough to make guessing a
stolen database expensive, fast enough for a login. Repeated wrong passwords lock the account for a
while (:class:`LockoutPolicy`); the message never says whether the name or the password was wrong.
"""

from __future__ import annotations

import base64
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from studio.i18n import QT_TRANSLATE_NOOP
from studio.messages import StudioError

SCRYPT_N = 1 << 15
SCRYPT_R = 8
SCRYPT_P = 1
_SALT_BYTES = 16
_KEY_BYTES = 32
_MAXMEM = 64 << 20  # OpenSSL's default cap (32 MiB) is exactly what n=2**15, r=8 needs: leave room
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 1024  # a pasted novel is refused before it reaches the KDF
MAX_USERNAME_CHARS = 64
MAX_DISPLAY_NAME_CHARS = 200

BAD_LOGIN = QT_TRANSLATE_NOOP("Messages", "Wrong user name or password.")
BAD_LOGIN_HINT = QT_TRANSLATE_NOOP("Messages", "Check the keyboard language (Vietnamese input) and Caps Lock, "
                                   "then try again.")
LOCKED = QT_TRANSLATE_NOOP("Messages", "This account is locked for {minutes} more minutes after too many wrong "
                           "passwords.")
LOCKED_HINT = QT_TRANSLATE_NOOP("Messages", "Wait, or ask the administrator to unlock it.")
BAD_USERNAME = QT_TRANSLATE_NOOP("Messages", "A user name has 1 to {limit} letters, digits, dots, dashes or "
                                 "underscores, without spaces.")
SHORT_PASSWORD = QT_TRANSLATE_NOOP("Messages", "A password needs at least {limit} characters.")
LONG_PASSWORD = QT_TRANSLATE_NOOP("Messages", "A password can have at most {limit} characters.")
LONG_NAME = QT_TRANSLATE_NOOP("Messages", "A display name can have at most {limit} characters.")


class Role(StrEnum):
    """What a person does in the station (DOMAIN "Who uses it")."""

    OFFICER = "officer"  # biên tập: writes, records, renders, submits
    REVIEWER = "reviewer"  # phê duyệt: comments, approves or sends back
    ADMIN = "admin"  # manages accounts and station rules; may also write and review


ROLE_NAMES = {
    Role.OFFICER: QT_TRANSLATE_NOOP("Roles", "Officer"),
    Role.REVIEWER: QT_TRANSLATE_NOOP("Roles", "Reviewer"),
    Role.ADMIN: QT_TRANSLATE_NOOP("Roles", "Administrator"),
}


@dataclass(frozen=True)
class Actor:
    """Who is doing something: the logged-in user, or the system itself (migrations, the outbox)."""

    id: int | None
    username: str
    role: Role
    display_name: str = ""

    @classmethod
    def system(cls) -> Actor:
        """The studio acting on its own (no person): may not approve anything."""
        return cls(None, "system", Role.ADMIN, "")

    @property
    def is_system(self) -> bool:
        return self.id is None

    @property
    def label(self) -> str:
        return self.display_name or self.username


class LoginFailed(StudioError):
    """Wrong name or password: deliberately the same for both."""


class AccountLocked(StudioError):
    """Too many wrong passwords in a row."""


def normalise_username(name: str) -> str:
    """The stored form: NFC, trimmed, lower-case; raises :class:`StudioError` when it is not a plain login."""
    cleaned = unicodedata.normalize("NFC", name).strip().lower()
    if not re.fullmatch(rf"[a-z0-9._-]{{1,{MAX_USERNAME_CHARS}}}", cleaned):
        raise StudioError(BAD_USERNAME, limit=MAX_USERNAME_CHARS)
    return cleaned


def check_display_name(name: str) -> str:
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if len(cleaned) > MAX_DISPLAY_NAME_CHARS:
        raise StudioError(LONG_NAME, limit=MAX_DISPLAY_NAME_CHARS)
    return cleaned


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise StudioError(SHORT_PASSWORD, limit=MIN_PASSWORD_CHARS)
    if len(password) > MAX_PASSWORD_CHARS:
        raise StudioError(LONG_PASSWORD, limit=MAX_PASSWORD_CHARS)


def _key(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    import hashlib  # OpenSSL's library loads with the first password checked, not with the login dialog

    secret = unicodedata.normalize("NFC", password).encode("utf-8")  # typed on another PC's IME: same bytes
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=_KEY_BYTES)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$key`` (base64) for a new password (checked with :func:`check_new_password`)."""
    check_new_password(password)
    salt = os.urandom(_SALT_BYTES)  # what secrets.token_bytes returns
    key = _key(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches ``stored``; a missing or malformed hash never matches.

    An over-long password is refused without running the KDF; a missing hash still costs one KDF run, so
    timing does not tell which accounts exist.
    """
    if len(password) > MAX_PASSWORD_CHARS:
        return False
    try:
        scheme, n, r, p, salt, key = (stored or "").split("$")
        if scheme != "scrypt":
            raise ValueError(scheme)
        expected = base64.b64decode(key, validate=True)
        actual = _key(password, base64.b64decode(salt, validate=True), int(n), int(r), int(p))
    except (ValueError, TypeError):
        _key(password, b"\0" * _SALT_BYTES, SCRYPT_N, SCRYPT_R, SCRYPT_P)  # same cost as a real check
        return False
    import hmac

    return hmac.compare_digest(actual, expected)


def needs_rehash(stored: str | None) -> bool:
    return not (stored or "").startswith(f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}$")


@dataclass(frozen=True)
class LockoutPolicy:
    """``max_failures`` wrong passwords in a row lock the account for ``lock_minutes``."""

    max_failures: int = 5
    lock_minutes: int = 15

    def locked_for(self, locked_until: datetime | None, now: datetime) -> int:
        """Whole minutes left (≥ 1) while locked, else 0."""
        if locked_until is None or locked_until <= now:
            return 0
        return max(1, -(-int((locked_until - now).total_seconds()) // 60))

    def after_failure(self, failures: int, now: datetime) -> tuple[int, datetime | None]:
        """The failure count and lock time after one more wrong password."""
        failures += 1
        if failures >= self.max_failures:
            return 0, now + timedelta(minutes=self.lock_minutes)
        return failures, None
