"""One pronunciation rule and the checks it must pass before a lexicon uses it.

Kept apart from :mod:`studio.text.lexicon` (files, application, idempotence) because this is the part
that guards the studio against a station's regular expressions: ``re`` has no timeout, so a pattern
whose backtracking explodes would freeze a render. :func:`compile_rule` rejects the shapes that do
(a repeated group that itself repeats or alternates: ``(a+)+``, ``(a|aa)*``, ``(?:\\w+ ?){2,}``) —
conservatively, some harmless patterns of that shape are refused too — and the lexicon bounds what is
left by showing a regex at most one window of text at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["MAX_PATTERN", "Rule", "RuleError", "RuleKind", "compile_rule"]

MAX_PATTERN = 300
_QUANTIFIER = re.compile(r"\*|\+|\?|\{([0-9]*)(,?)([0-9]*)\}")


class RuleKind(StrEnum):
    WORD = "word"
    REGEX = "regex"


class RuleError(ValueError):
    """Why one rule cannot be used; ``code`` is stable (format, option, source, regex, slow-regex,
    empty-match, template) for the UI to translate, ``str()`` is English."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Rule:
    """One rule; ``line`` is where it was read (0 when built in code)."""

    source: str
    replacement: str
    kind: RuleKind = RuleKind.WORD
    ignore_case: bool = True
    line: int = 0

    @classmethod
    def word(cls, source: str, replacement: str, *, exact: bool = False, line: int = 0) -> Rule:
        return cls(source, replacement, RuleKind.WORD, not exact, line)

    @classmethod
    def regex(cls, pattern: str, replacement: str, *, ignore_case: bool = False, line: int = 0) -> Rule:
        return cls(pattern, replacement, RuleKind.REGEX, ignore_case, line)


def _nested_repetition(pattern: str) -> bool:
    """Whether a repeated group contains repetition or alternation (see the module docstring)."""
    stack = [False]  # per open group: does it repeat or alternate inside?
    closed: bool | None = None  # the previous atom was a group; did it repeat or alternate inside?
    i = 0
    while i < len(pattern):
        c = pattern[i]
        quantifier = _QUANTIFIER.match(pattern, i) if c in "*+?{" else None
        if quantifier is not None:
            low, comma, high = quantifier.groups()
            repeats = c in "*+" or (c == "{" and (bool(comma and not high) or int(high or low or 0) > 1))
            if repeats and closed:
                return True
            stack[-1] |= repeats
            i = quantifier.end() + (quantifier.end() < len(pattern) and pattern[quantifier.end()] in "?+")
            closed = None
            continue
        closed = None
        if c == "\\":
            i += 1
        elif c == "[":
            i += 1 + (pattern[i + 1 : i + 2] == "^")
            i += pattern[i : i + 1] == "]"
            while i < len(pattern) and pattern[i] != "]":
                i += 1 + (pattern[i] == "\\")
        elif c == "(":
            stack.append(False)
            i += pattern[i + 1 : i + 2] == "?"
        elif c == ")" and len(stack) > 1:
            closed = stack.pop()
            stack[-1] |= closed
        elif c == "|":
            stack[-1] = True
        i += 1
    return False



def compile_rule(rule: Rule) -> re.Pattern[str] | None:
    """Check one rule, raising :class:`RuleError`; a regex rule's compiled pattern, None for a word rule."""
    if not rule.source or "\n" in rule.source or "\n" in rule.replacement:
        raise RuleError("source", "The rule has no source text, or spans several lines.")
    if rule.kind is RuleKind.WORD:
        if not (rule.source[0].isalnum() and rule.source[-1].isalnum()):
            raise RuleError(
                "source", f"{rule.source!r} must start and end with a letter or digit (or use a regex rule)."
            )
        return None
    if len(rule.source) > MAX_PATTERN:
        raise RuleError("regex", f"The pattern is longer than {MAX_PATTERN} characters.")
    if _nested_repetition(rule.source):
        raise RuleError(
            "slow-regex", f"{rule.source!r} repeats a group that itself repeats or alternates; matching could "
            "take forever on some text. Write it without such nesting."
        )
    try:
        pattern = re.compile(rule.source, re.IGNORECASE if rule.ignore_case else 0)
    except re.error as exc:
        raise RuleError("regex", f"{rule.source!r} is not a valid regular expression: {exc}.") from exc
    try:
        pattern.sub(rule.replacement, "")
    except (re.error, IndexError) as exc:
        raise RuleError("template", f"The replacement {rule.replacement!r} is invalid: {exc}.") from exc
    if any(m.start() == m.end() for probe in ("", " ", "a", "A 1") for m in pattern.finditer(probe)):
        raise RuleError("empty-match", f"{rule.source!r} can match empty text, so it would insert its "
                        "replacement everywhere.")
    return pattern
