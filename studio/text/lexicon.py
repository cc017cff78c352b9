"""Pronunciation lexicons: a station's own rules and a preset's respellings, applied before the normaliser.

Voices mispronounce local place names ("Đắk Lắk", "Krông Pắc") and cannot read Mường at all, but a
Vietnamese voice reads Mường respelled in Vietnamese orthography intelligibly (DOMAIN.md). A station keeps
its rules in :data:`STATION_LEXICON_FILE` in its config folder, a preset may carry a respelling list; both
run before the normaliser, so they win over its abbreviations and number rules.

File format (UTF-8, BOM allowed, read as NFC), one rule per line, fields separated by a TAB::

    source<TAB>replacement[<TAB>options]

- Blank lines and lines starting with ``#`` are ignored; in the replacement, `` #`` starts a comment (a
  spoken replacement never contains "#"); a further field starting with ``#`` is a comment too.
- Without options a rule is a *word rule*: ``source`` (one or more words, starting and ending with a
  letter or digit) matches whole words only (a change between letters and digits is a word boundary,
  as for the normaliser's abbreviations), in any letter case, across any run of spaces; the
  replacement takes the case of what it replaced: "Lắk" gives a capitalised respelling, "LẮK" an upper-case
  one, "Đắk Lắk" capitalises every word. This is exactly the preset respelling format
  (``source<TAB>respelling``, e.g. ``assets/lexicons/muong.tsv``).
- Options, separated by spaces or commas: ``exact`` — a word rule matching only the letter case written,
  replaced as written; ``regex`` — ``source`` is a Python regular expression and the replacement a
  template (``\\1``, ``\\g<name>``), case-sensitive unless ``ignorecase`` is also given.

Order: all word rules at once (at each place the longest source wins), then regex rules in file order.

Loading never fails as a whole: a rule that is malformed, has a bad regex or template, can match empty
text, or looks catastrophically slow is left out and reported with its line; the rest loads.

Slow patterns (:mod:`studio.text.lexicon_rules`): ``re`` has no timeout, so (1) a pattern that repeats a
group which itself repeats or alternates — ``(a+)+``, ``(a|aa)*``, ``(?:\\w+ ?){2,}``, the shapes with
exponential backtracking — is rejected (conservatively: some harmless patterns of that shape are refused
too), and (2) regex rules see at most one line, cut into windows of 2,000 characters at a space, so what
remains (polynomial) stays bounded.

Idempotence: the pipeline must leave its own output unchanged, so a rule whose output the lexicon would
rewrite again ("a"→"b" beside "b"→"a", or "Đắk"→"Đắk Đắk") is reported and left out at load time.
Literal outputs are checked exactly; a regex rule's output is checked with its group references blanked,
which catches retriggers by its literal text only. A word rule whose output could join neighbouring words
into another rule's multi-word source is kept but reported. :func:`conflicts` checks two lexicons used
together (a station's and a preset's).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from studio.text.lexicon_rules import Rule, RuleError, RuleKind, compile_rule
from studio.text.offsets import Edit, PlainText, Rewritable

__all__ = [
    "STATION_LEXICON_FILE",
    "Lexicon",
    "LexiconIssue",
    "LexiconLoad",
    "Rule",
    "RuleError",
    "RuleKind",
    "conflicts",
    "load_lexicon",
    "parse_lexicon",
    "preview",
]

STATION_LEXICON_FILE = "lexicon.tsv"
WINDOW = 2000
# Rules may lengthen a text (an abbreviation becomes words), never explode it: a regex that copies its groups
# twice, on twenty lines, would double the text twenty times. See Lexicon.rewrite.
MAX_GROWTH = 20
GROWTH_SLACK = 1000
# Words are runs of letters or of digits: "0Krông" holds the word "Krông", as it will once the normaliser
# has read the digit ("không Krông"), so a rule matches the same words before and after normalising.
_WORD = re.compile(r"[^\W\d_]+|\d+")
_BLANK_GROUPS = re.compile(r"\\g<[^>]*>|\\[0-9]{1,2}")
_SENTINEL = "\ue000"  # private use: no sensible pattern matches it

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LexiconIssue:
    """A problem on one line of a lexicon file (line 0: the file itself). ``kept`` tells whether the rule
    is still used (a warning) or was left out. ``code`` is stable for the UI: a :class:`RuleError` code, or
    duplicate, retrigger, context, conflict, file."""

    name: str
    line: int
    code: str
    message: str
    kept: bool = False

    def __str__(self) -> str:
        return f"{self.name or 'lexicon'}:{self.line}: {self.message}"


def _capitalised(text: str, each_word: bool = False) -> str:
    out = list(text)
    at_word_start = True
    for i, ch in enumerate(out):
        if ch.isalpha():
            if at_word_start:
                out[i] = ch.upper()
                if not each_word:
                    break
            at_word_start = False
        elif ch.isspace():
            at_word_start = True
    return "".join(out)


def _with_case_of(matched: str, replacement: str) -> str:
    """``replacement`` in the letter case of ``matched`` (see the module docstring); never lowers."""
    letters = [ch for ch in matched if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return replacement.upper()
    words = matched.split()
    if len(words) > 1 and all(w[0].isupper() for w in words if w[0].isalpha()):
        return _capitalised(replacement, each_word=True)
    if letters and letters[0].isupper():
        return _capitalised(replacement)
    return replacement


def _key(text: str) -> str:
    return " ".join(text.split())


def _windows(text: str) -> Iterator[tuple[int, int]]:
    """Lines of ``text``, long ones cut at a space into pieces of at most :data:`WINDOW` characters."""
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        while end - start > WINDOW:
            cut = text.rfind(" ", start + 1, start + WINDOW)
            cut = cut if cut > start else start + WINDOW
            yield start, cut
            start = cut
        yield start, end
        start = end + 1


@dataclass(frozen=True)
class _Regex:
    rule: Rule
    pattern: re.Pattern[str]


class Lexicon:
    """Validated rules, ready to apply; immutable. Building one with a bad rule raises :class:`RuleError`
    (files go through :func:`parse_lexicon`, which reports bad rules and keeps the rest)."""

    def __init__(self, rules: Iterable[Rule] = (), *, name: str = "") -> None:
        self.name = name
        self.rules = tuple(rules)
        self._exact: dict[str, Rule] = {}
        self._folded: dict[str, Rule] = {}
        self._regexes: list[_Regex] = []
        self._max_words = 0
        for rule in self.rules:
            compiled = compile_rule(rule)
            if compiled is not None:
                self._regexes.append(_Regex(rule, compiled))
                continue
            source = unicodedata.normalize("NFC", rule.source)
            if rule.ignore_case:
                self._folded[_key(source).lower()] = rule
            else:
                self._exact[_key(source)] = rule
            self._max_words = max(self._max_words, len(_WORD.findall(source)))

    def __len__(self) -> int:
        return len(self.rules)

    def __repr__(self) -> str:
        return f"Lexicon({self.name!r}, {len(self.rules)} rules)"

    def apply(self, text: str) -> str:
        """``text`` with every rule applied (lines stay lines)."""
        plain = PlainText(text)
        self.rewrite(plain)
        return plain.text

    def rewrite(self, text: Rewritable) -> None:
        """Apply every rule in place, on plain or tracked text (see the module docstring for the order).

        The result is at most :data:`MAX_GROWTH` times the text plus :data:`GROWTH_SLACK` characters long:
        the word rules, or a regex rule, whose replacements would pass that are left out for this text (and
        logged), so no rule set can exhaust memory or feed the voice hours of copies."""
        limit = MAX_GROWTH * len(text.text) + GROWTH_SLACK
        if self._max_words:
            edits = [edit[:3] for edit in self._word_edits(text.text)]
            if _grown_length(text.text, edits, limit) is None:
                log.warning("%s: the word rules would make a text of %d characters longer than %d; not applied",
                            self, len(text.text), limit)
            else:
                text.edit(edits)
        for regex in self._regexes:
            found = self._regex_edits(regex, text.text, limit)
            if found is None:
                log.warning("%s: line %d (%r) would make the text longer than %d characters; not applied",
                            self, regex.rule.line, regex.rule.source, limit)
                continue
            text.edit(found)

    def _word_match(self, text: str, runs: list[tuple[int, int]], i: int) -> tuple[int, Rule] | None:
        """The longest rule matching whole words from ``runs[i]``: how many words, and which rule."""
        for count in range(min(self._max_words, len(runs) - i), 0, -1):
            candidate = text[runs[i][0] : runs[i + count - 1][1]]
            if "\n" in candidate:
                continue
            key = _key(candidate)
            rule = self._exact.get(key) or self._folded.get(key.lower())
            if rule is not None:
                return count, rule
        return None

    def _word_edits(self, text: str) -> list[tuple[int, int, str, Rule]]:
        runs = [m.span() for m in _WORD.finditer(text)]
        edits: list[tuple[int, int, str, Rule]] = []
        i = 0
        while i < len(runs):
            found = self._word_match(text, runs, i)
            if found is None:
                i += 1
                continue
            count, rule = found
            start, end = runs[i][0], runs[i + count - 1][1]
            replacement = _with_case_of(text[start:end], rule.replacement) if rule.ignore_case else rule.replacement
            edits.append((start, end, replacement, rule))
            i += count
        return edits

    @staticmethod
    def _regex_edits(regex: _Regex, text: str, limit: int | None = None) -> list[Edit] | None:
        """The rule's edits of ``text``; None as soon as they would make it longer than ``limit``."""
        edits: list[Edit] = []
        length = len(text)
        for start, end in _windows(text):
            for m in regex.pattern.finditer(text, start, end):
                replacement = m.expand(regex.rule.replacement)
                length += len(replacement) - (m.end() - m.start())
                if limit is not None and length > limit:
                    return None
                edits.append((m.start(), m.end(), replacement))
        return edits

    def first_rule_changing(self, text: str) -> Rule | None:
        """The rule that would change ``text`` first (word rules, then regexes in order), or None."""
        for start, end, replacement, rule in self._word_edits(text):
            if text[start:end] != replacement:
                return rule
        for regex in self._regexes:  # match by match: the first change answers (a template may copy a lot)
            if any(m.group(0) != m.expand(regex.rule.replacement)
                   for start, end in _windows(text) for m in regex.pattern.finditer(text, start, end)):
                return regex.rule
        return None

    def outputs(self, rule: Rule) -> list[str]:
        """What ``rule`` writes, as far as knowable without input: the literal replacement in the cases it
        can take, and a regex template with its group references blanked."""
        if rule.kind is RuleKind.REGEX:
            return [_BLANK_GROUPS.sub(_SENTINEL, rule.replacement).replace("\\\\", "\\")]
        return list(dict.fromkeys([rule.replacement, _capitalised(rule.replacement)])) if rule.ignore_case \
            else [rule.replacement]

    def settled(self, rule: Rule, output: str) -> str:
        """``output`` of ``rule`` after the rules applied after it in the same pass."""
        after = self._regexes if rule.kind is RuleKind.WORD else \
            self._regexes[[r.rule for r in self._regexes].index(rule) + 1 :]
        text = PlainText(output)
        limit = MAX_GROWTH * len(output) + GROWTH_SLACK
        for regex in after:
            found = self._regex_edits(regex, text.text, limit)
            if found is not None:  # as in rewrite: a rule that would explode the text is left out
                text.edit(found)
        return text.text


def _grown_length(text: str, edits: list[Edit], limit: int) -> int | None:
    """The length of ``text`` after ``edits``, or None if it would pass ``limit``."""
    length = len(text) + sum(len(replacement) - (end - start) for start, end, replacement in edits)
    return None if length > limit else length


@dataclass(frozen=True)
class LexiconLoad:
    """A loaded lexicon and everything reported while loading it."""

    lexicon: Lexicon
    issues: tuple[LexiconIssue, ...]


def _parse_line(raw: str, number: int) -> Rule:
    fields = raw.split("\t")
    for i, field in enumerate(fields):
        if field.lstrip().startswith("#") and i > 0:
            fields = fields[:i]
            break
    if len(fields) < 2 or len(fields) > 3:
        raise RuleError("format", "Expected source<TAB>replacement, optionally <TAB>options.")
    source, replacement = fields[0].strip(), re.sub(r"\s#.*", "", fields[1]).strip()
    options = set(re.split(r"[\s,]+", fields[2].strip().lower())) - {""} if len(fields) == 3 else set()
    unknown = options - {"exact", "regex", "ignorecase"}
    if unknown:
        raise RuleError("option", f"Unknown option {sorted(unknown)[0]!r} (known: exact, regex, ignorecase).")
    if "regex" in options:
        if "exact" in options:
            raise RuleError("option", "'exact' is for word rules; regex rules are case-sensitive already.")
        return Rule.regex(source, replacement, ignore_case="ignorecase" in options, line=number)
    if "ignorecase" in options:
        raise RuleError("option", "'ignorecase' is for regex rules; word rules ignore case already.")
    return Rule.word(source, replacement, exact="exact" in options, line=number)


def _retriggers(lexicon: Lexicon) -> list[tuple[Rule, str, Rule]]:
    """(rule, its settled output, the rule that changes that output again), for every such rule."""
    found = []
    for rule in lexicon.rules:
        for output in lexicon.outputs(rule):
            settled = lexicon.settled(rule, output)
            culprit = lexicon.first_rule_changing(settled)
            if culprit is not None:
                found.append((rule, settled.replace(_SENTINEL, "…"), culprit))
                break
    return found


def _context_overlaps(rules: Iterable[Rule]) -> Iterator[tuple[Rule, Rule]]:
    """Word rules whose output could combine with neighbouring words into a multi-word source: the output
    ends with the start of that source, starts with its end, or is a piece of its middle."""
    word_rules = [r for r in rules if r.kind is RuleKind.WORD]
    starts: dict[tuple[str, ...], Rule] = {}
    ends: dict[tuple[str, ...], Rule] = {}
    middles: dict[tuple[str, ...], Rule] = {}
    for rule in word_rules:
        src = tuple(w.lower() for w in _WORD.findall(rule.source))
        for k in range(1, len(src)):
            starts.setdefault(src[:k], rule)
            ends.setdefault(src[-k:], rule)
        for i in range(1, len(src) - 1):
            for j in range(i + 1, len(src)):
                middles.setdefault(src[i:j], rule)
    several = next((r for r in word_rules if len(_WORD.findall(r.source)) > 1), None)
    for rule in word_rules:
        out = tuple(w.lower() for w in _WORD.findall(rule.replacement))
        if not out:  # a rule that deletes a word puts its neighbours side by side: any multi-word source
            if several is not None:
                yield rule, several
            continue
        candidates = [starts.get(out[-k:]) or ends.get(out[:k]) for k in range(1, len(out) + 1)]
        other = next((c for c in candidates if c is not None), None) or middles.get(out)
        if other is not None and tuple(w.lower() for w in _WORD.findall(other.source)) != out:
            yield rule, other


def parse_lexicon(text: str, *, name: str = "") -> LexiconLoad:
    """Read a lexicon file's text (format in the module docstring); bad rules are reported, not fatal."""
    issues: list[LexiconIssue] = []
    by_key: dict[tuple[RuleKind, bool, str], Rule] = {}
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        try:
            rule = _parse_line(raw, number)
            compile_rule(rule)
        except RuleError as exc:
            issues.append(LexiconIssue(name, number, exc.code, str(exc)))
            continue
        key = (rule.kind, rule.ignore_case, _key(rule.source).lower() if rule.ignore_case else rule.source)
        if key in by_key:
            issues.append(LexiconIssue(name, number, "duplicate",
                                       f"{rule.source!r} was already defined on line {by_key[key].line}; "
                                       "this line replaces it.", kept=True))
        by_key[key] = rule
    rules = sorted(by_key.values(), key=lambda r: r.line)
    while True:
        lexicon = Lexicon(rules, name=name)
        retriggers = _retriggers(lexicon)
        if not retriggers:
            break
        dropped = {id(rule) for rule, _, _ in retriggers}
        rules = [r for r in rules if id(r) not in dropped]
        issues += [LexiconIssue(name, rule.line, "retrigger",
                                f"The output {output!r} would be changed again by line {culprit.line} "
                                f"({culprit.source!r}); preparing the text twice would differ, so the rule "
                                "is left out.") for rule, output, culprit in retriggers]
    issues += [LexiconIssue(name, rule.line, "context",
                            f"The output of this rule can combine with the next or previous words into the "
                            f"source of line {other.line} ({other.source!r}).", kept=True)
               for rule, other in _context_overlaps(lexicon.rules)]
    return LexiconLoad(lexicon, tuple(sorted(issues, key=lambda i: i.line)))


def load_lexicon(path: Path) -> LexiconLoad:
    """Load a lexicon file. A missing file is an empty lexicon (a station need not have one); a file that
    cannot be read or is not UTF-8 is an empty lexicon and an issue on line 0."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return LexiconLoad(Lexicon(name=str(path)), ())
    except OSError as exc:
        return LexiconLoad(Lexicon(name=str(path)), (LexiconIssue(str(path), 0, "file", str(exc)),))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return LexiconLoad(Lexicon(name=str(path)), (LexiconIssue(
            str(path), 0, "file", f"The file is not UTF-8 (byte {exc.start}); save it as UTF-8."),))
    return parse_lexicon(text, name=str(path))


def preview(rule: Rule, sample: str) -> str:
    """What ``rule`` alone makes of ``sample``, for the rule editor; raises :class:`RuleError` if invalid."""
    return Lexicon([rule]).apply(unicodedata.normalize("NFC", sample))


def conflicts(first: Lexicon, second: Lexicon) -> list[LexiconIssue]:
    """Rules of ``first`` whose output ``second`` (applied after it) would rewrite, and the reverse: together
    the two would not leave their own output unchanged."""
    issues = []
    for a, b in ((first, second), (second, first)):
        for rule in a.rules:
            for output in a.outputs(rule):
                culprit = b.first_rule_changing(a.settled(rule, output))
                if culprit is not None:
                    issues.append(LexiconIssue(a.name, rule.line, "conflict",
                                               f"The output {output.replace(_SENTINEL, '…')!r} is changed by "
                                               f"{b.name or 'the other lexicon'} line {culprit.line} "
                                               f"({culprit.source!r}).", kept=True))
                    break
    return issues
