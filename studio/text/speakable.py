"""Is there anything in a text that a voice can read aloud?"""

from __future__ import annotations

import unicodedata


def has_speakable_text(text: str) -> bool:
    """True when ``text`` has at least one letter or digit (any script); punctuation and emoji are not read."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
