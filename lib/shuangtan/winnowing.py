"""Winnowed fingerprints of texts and their inverted index: the base of every text-reuse search.

Every text is reduced to *fingerprints*: hashes of its character k-grams, thinned by winnowing
(Schleimer, Wilkerson & Aiken 2003: in every window of ``w`` consecutive k-grams the smallest hash
is kept). Two texts that share a run of at least ``k + w - 1`` characters are guaranteed to share
a fingerprint. This module holds :func:`fingerprints` (flat arrays, :class:`Fingerprints`), the
inverted index of fingerprints (``_index``: hash -> postings) and ``_maximal_match``, which extends
a candidate on the characters themselves. :mod:`shuangtan.reuse` (shared passages, reused spans)
and :mod:`shuangtan.reprints` (near-duplicate documents) are built on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Shortest passage (characters) reported as shared between two documents.
MIN_SHARED_CHARS = 30
# Longest k-gram hashed (characters, a power of two); the winnowing window makes up the rest of min_chars.
MAX_GRAM = 16
# Texts are fingerprinted in batches of about this many characters (bounds temporary memory).
_BATCH_CHARS = 2_000_000

_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_BASE = np.uint64(0x100000001B3)


def _sizes(min_chars: int) -> tuple[int, int]:
    """Return (gram length k, a power of two, winnowing window w) with k + w - 1 == min_chars."""
    min_chars = max(int(min_chars), 1)
    gram = 1
    while gram * 2 <= min(MAX_GRAM, min_chars - 1):
        gram *= 2
    return gram, min_chars - gram + 1


def _mix(values: np.ndarray) -> np.ndarray:
    """Return a well-mixed 64-bit hash of each value (splitmix64 finaliser)."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def _sliding(op: np.ufunc, values: np.ndarray, width: int) -> np.ndarray:
    """Return op over every window of `width` consecutive values (doubling: log2(width) passes)."""
    current, span = values, 1
    while span * 2 <= width:
        current = op(current[:-span], current[span:])  # current[i] = op(values[i:i + 2 * span])
        span *= 2
    if span == width:
        return current
    return op(current[:len(current) - (width - span)], current[width - span:])


@dataclass
class Fingerprints:
    """The winnowed fingerprints of a list of texts, flat: text number, position in that text, hash."""

    texts: np.ndarray
    positions: np.ndarray
    hashes: np.ndarray
    n_texts: int

    def of(self, number: int) -> tuple[np.ndarray, np.ndarray]:
        """Return (positions, hashes) of one text."""
        start, end = np.searchsorted(self.texts, [number, number + 1])
        return self.positions[start:end], self.hashes[start:end]


def _fingerprint_batch(texts: list[str], first: int, gram: int, window: int) -> tuple[np.ndarray, ...]:
    """Return (text numbers, positions, hashes) of the fingerprints of consecutive texts.

    Robust winnowing: a k-gram is kept when its hash is the smallest of some window of `window`
    consecutive k-grams of its text, so a shared window is fingerprinted identically in both texts.
    """
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n_grams = len(codes) - gram + 1
    empty = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.uint64))
    if n_grams < 1:
        return empty
    with np.errstate(over="ignore"):
        hashes, span = codes + np.uint64(1), 1  # polynomial hash of the k-gram, by doubling
        while span < gram:
            hashes = hashes[:-span] * (_BASE ** np.uint64(span)) + hashes[span:]
            span *= 2
        hashes = _mix(hashes)
    owner = np.repeat(np.arange(len(texts)), lengths)[:n_grams]
    local = np.arange(n_grams) - starts[owner]
    text_length = lengths[owner]
    valid = local + gram <= text_length  # the k-gram lies inside one text
    hashes[~valid] = np.uint64(0xFFFFFFFFFFFFFFFF)
    if n_grams < window:
        minima = np.full(1, hashes.min())
        best = np.full(n_grams, minima[0])
    else:
        minima = _sliding(np.minimum, hashes, window)
        inside = valid[window - 1:] & (owner[window - 1:] == owner[:len(minima)])
        minima[~inside] = 0  # a window across two texts selects nothing (0 never raises the maximum)
        padded = np.concatenate((np.zeros(window - 1, np.uint64), minima, np.zeros(window - 1, np.uint64)))
        best = _sliding(np.maximum, padded, window)[:n_grams]
    keep = valid & (hashes <= best) & (text_length >= gram + window - 1)
    return owner[keep] + first, local[keep], hashes[keep]


def fingerprints(texts: list[str], min_chars: int = MIN_SHARED_CHARS) -> Fingerprints:
    """Return the winnowed fingerprints of the texts: any shared run of min_chars shares one."""
    gram, window = _sizes(min_chars)
    parts: list[tuple[np.ndarray, ...]] = []
    batch_start, size = 0, 0
    for number, text in enumerate(texts):
        size += len(text)
        if size >= _BATCH_CHARS:
            parts.append(_fingerprint_batch(texts[batch_start:number + 1], batch_start, gram, window))
            batch_start, size = number + 1, 0
    if batch_start < len(texts):
        parts.append(_fingerprint_batch(texts[batch_start:], batch_start, gram, window))
    if not parts:
        return Fingerprints(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.uint64), len(texts))
    return Fingerprints(*(np.concatenate([part[i] for part in parts]) for i in range(3)), len(texts))


def _common_right(a: str, i: int, b: str, j: int) -> int:
    """Return the length of the common prefix of a[i:] and b[j:] (galloping slice comparisons)."""
    limit = min(len(a) - i, len(b) - j)
    low, step = 0, 16
    while low < limit:  # grow while equal
        high = min(limit, low + step)
        if a[i + low:i + high] != b[j + low:j + high]:
            break
        low, step = high, step * 2
    else:
        return low
    high = min(limit, low + step)
    while high - low > 1:  # a[i:i+low] equal, a[i:i+high] not: bisect
        mid = (low + high) // 2
        if a[i + low:i + mid] == b[j + low:j + mid]:
            low = mid
        else:
            high = mid
    return low if a[i + low:i + high] != b[j + low:j + high] else high


def _common_left(a: str, i: int, b: str, j: int) -> int:
    """Return the length of the common suffix of a[:i] and b[:j]."""
    limit = min(i, j)
    low, step = 0, 16
    while low < limit:
        high = min(limit, low + step)
        if a[i - high:i - low] != b[j - high:j - low]:
            break
        low, step = high, step * 2
    else:
        return low
    high = min(limit, low + step)
    while high - low > 1:
        mid = (low + high) // 2
        if a[i - mid:i - low] == b[j - mid:j - low]:
            low = mid
        else:
            high = mid
    return low if a[i - high:i - low] != b[j - high:j - low] else high


def _maximal_match(a: str, i: int, b: str, j: int) -> tuple[int, int, int]:
    """Return (start in a, start in b, length) of the maximal exact match through a[i] == b[j]."""
    left = _common_left(a, i, b, j)
    right = _common_right(a, i, b, j)
    return i - left, j - left, left + right


@dataclass
class _Postings:
    """The inverted index: fingerprint hash -> sorted postings (text number, position)."""

    hashes: np.ndarray
    texts: np.ndarray
    positions: np.ndarray
    run_starts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    run_ends: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


def _index(prints: Fingerprints) -> _Postings:
    """Return the postings of all fingerprints, sorted by hash, with the run of each hash."""
    # prints are in (text, position) order: a stable sort by hash gives (hash, text, position) order.
    order = np.argsort(prints.hashes, kind="stable")
    hashes, texts, positions = prints.hashes[order], prints.texts[order], prints.positions[order]
    boundaries = np.flatnonzero(np.diff(hashes)) + 1 if len(hashes) else np.zeros(0, np.int64)
    starts = np.concatenate(([0], boundaries)).astype(np.int64) if len(hashes) else boundaries
    ends = np.concatenate((boundaries, [len(hashes)])).astype(np.int64) if len(hashes) else boundaries
    return _Postings(hashes, texts, positions, starts, ends)
