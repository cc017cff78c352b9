"""The one canonical hash of structured content: sorted keys, compact separators, UTF-8, sha256.

Revisions, renders, approvals and schedules are bound to it; another PC must compute the same value for
the same content, so the canonical form never changes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def content_hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
