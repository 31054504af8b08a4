"""Text reuse between documents: passages that two documents share.

Used by the corpus loader (``shared_passage`` quality rows) and by the analyses of echo.
"""

from __future__ import annotations

# Shortest passage (characters) reported as shared between two documents.
MIN_SHARED_CHARS = 30

def shared_passages(texts: dict[str, str], min_chars: int = MIN_SHARED_CHARS) -> list[tuple[str, int, str, int, int]]:
    """Return passages of at least min_chars shared by two documents: (doc_a, pos_a, doc_b, pos_b, length)."""
    k = min_chars
    found = []
    ids = sorted(texts)
    index = {doc_id: {} for doc_id in ids}
    for doc_id in ids:
        text = texts[doc_id]
        for pos in range(len(text) - k + 1):
            index[doc_id].setdefault(text[pos:pos + k], pos)
    for i, doc_a in enumerate(ids):
        for doc_b in ids[i + 1:]:
            text_b, grams_a = texts[doc_b], index[doc_a]
            pos = 0
            while pos <= len(text_b) - k:
                start_a = grams_a.get(text_b[pos:pos + k])
                if start_a is None:
                    pos += 1
                    continue
                length = k
                text_a = texts[doc_a]
                while (start_a + length < len(text_a) and pos + length < len(text_b)
                       and text_a[start_a + length] == text_b[pos + length]):
                    length += 1
                found.append((doc_a, start_a, doc_b, pos, length))
                pos += length
    return found
