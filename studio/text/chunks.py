"""Cutting long text into pieces a voice engine reads reliably.

Both engines need it: eSpeak NG keeps its lock per piece (so other workers get a turn), and the online
service silently drops audio of long requests, so it is asked one sentence group at a time.
"""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?…;])(?=\s)|(?<=\n)")
_WORD_END = re.compile(r"(?<=\s)")


def split_for_synthesis(text: str, limit: int) -> list[str]:
    """Cut ``text`` into chunks of at most ``limit`` characters, at sentence ends where possible.

    Cuts only after terminal punctuation followed by a space (so "1.500" stays whole), or after a
    line break; a longer sentence is cut between words, a longer word anywhere. Linear in ``len(text)``.
    """
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if len(sentence) <= limit:
            pieces.append(sentence)
            continue
        for word in _WORD_END.split(sentence):
            pieces.extend(word[i:i + limit] for i in range(0, len(word), limit))
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for piece in pieces:
        if current and size + len(piece) > limit:
            chunks.append("".join(current))
            current, size = [], 0
        current.append(piece)
        size += len(piece)
    if current:
        chunks.append("".join(current))
    return [chunk for chunk in chunks if chunk.strip()]
