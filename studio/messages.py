"""User-facing errors and notices: one channel from core code to whoever shows them.

Core code raises :class:`StudioError` (an expected, environmental or input problem an officer can act
on) with an English source text marked for translation; the GUI and the CLI translate it with the
shipped catalogue. Anything that is not a ``StudioError`` is a bug and goes to the crash handler.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from studio.i18n import QT_TRANSLATE_NOOP, Translator, identity_translator

CONTEXT = "Messages"


class StudioError(Exception):
    """A problem the user can understand and fix. ``text`` is an English ``str.format`` template.

    Arguments named ``X_vi`` carry the Vietnamese form of ``X`` (e.g. a preset name); the Vietnamese
    catalogue uses them in place of ``X``.
    """

    def __init__(self, text: str, /, *, hint: str = "", **args: object) -> None:
        self.text = text
        self.hint = hint
        self.args_map = {k: str(v) for k, v in args.items()}
        super().__init__(self.translated())

    def translated(self, tr: Translator = identity_translator) -> str:
        message = tr(CONTEXT, self.text).format(**self.args_map)
        if self.hint:
            message += "\n" + tr(CONTEXT, self.hint).format(**self.args_map)
        return message


class Cancelled(Exception):  # a normal outcome, not an error
    """The user cancelled a long task; nothing was written."""


@dataclass(frozen=True)
class Notice:
    """A non-fatal note for the user (e.g. "segment 3 was empty and skipped")."""

    text: str
    args: dict[str, str] = field(default_factory=dict)

    def translated(self, tr: Translator = identity_translator) -> str:
        return tr(CONTEXT, self.text).format(**self.args)


# Frequently raised texts, declared once so lupdate sees them and tests can refer to them.
DISK_FULL = QT_TRANSLATE_NOOP(CONTEXT, "The disk is full while writing {path}.")
DISK_FULL_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Free some space (empty the Recycle Bin, delete old renders) and try again."
)
NOT_WRITABLE = QT_TRANSLATE_NOOP(CONTEXT, "The studio cannot write to {path}.")
NOT_WRITABLE_HINT = QT_TRANSLATE_NOOP(
    CONTEXT, "Choose another folder, or ask the installer to give this account permission to write there."
)


def os_error(exc: OSError, path: object) -> StudioError:
    """Translate an ``OSError`` while writing ``path`` into a message an officer can act on."""
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StudioError(DISK_FULL, hint=DISK_FULL_HINT, path=path)
    return StudioError(NOT_WRITABLE, hint=NOT_WRITABLE_HINT, path=path, reason=exc.strerror or exc)
