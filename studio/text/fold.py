"""Search folding: Vietnamese text compared without tones, vowel marks or case.

Officers often type without diacritics ("tiem chung" for "tiêm chủng"), and Telex typing slips a mark onto
the wrong letter; search therefore compares folded forms. NFD splits every letter from its marks, the
marks go, and đ/Đ (a letter of its own, not a d with a mark) becomes d. Letters of other scripts (Tai Viet,
Khmer) keep their own marks: only combining marks on Latin letters are dropped.
"""

from __future__ import annotations

import unicodedata

_LATIN_LIMIT = 0x024F  # Latin Extended-B: the letters Vietnamese and the Latin minority orthographies use


def fold(text: str) -> str:
    """``text`` lower-cased, without diacritics on Latin letters, ``đ`` as ``d``, spaces collapsed."""
    out: list[str] = []
    base_is_latin = False
    for char in unicodedata.normalize("NFD", text.lower()):
        if unicodedata.combining(char):
            if not base_is_latin:
                out.append(char)
            continue
        base_is_latin = ord(char) <= _LATIN_LIMIT
        out.append("d" if char == "đ" else char)
    return unicodedata.normalize("NFC", " ".join("".join(out).split()))
