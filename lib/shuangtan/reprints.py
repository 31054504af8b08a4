"""Near-duplicate documents: texts that are the same article (reprints, copies from two sites).

:func:`near_duplicates` groups documents whose winnowed fingerprint sets (:mod:`shuangtan.winnowing`)
overlap by at least :data:`DUPLICATE_RESEMBLANCE` (Jaccard) and names the copy kept in each group.
Candidates come from a bottom-k sketch, so the cost is linear in the number of documents.
"""

from __future__ import annotations

import numpy as np

from .winnowing import MIN_SHARED_CHARS, Fingerprints, fingerprints

# Two documents whose fingerprint sets overlap this much (Jaccard) are the same article.
DUPLICATE_RESEMBLANCE = 0.7
# Smallest fingerprints per document used to find near-duplicate candidates (bottom-k sketch).
SKETCH_SIZE = 6


def _components(n: int, edges: list[tuple[int, int]], rank: list[int]) -> list[int]:
    """Return, for each of n items, the item of lowest rank in its connected component."""
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x, y in edges:
        rx, ry = root(x), root(y)
        if rx != ry:
            keep, drop = (rx, ry) if rank[rx] < rank[ry] else (ry, rx)
            parent[drop] = keep
    return [root(x) for x in range(n)]


def _hash_sets(prints: Fingerprints) -> tuple[np.ndarray, np.ndarray]:
    """Return (each text's distinct 40-bit hash prefixes, sorted, one text after another; offsets of each text).

    One sort of (text number << 40 | hash >> 24) keys: 40 bits keep collisions negligible for
    resemblance and sketches, and a single-key sort is several times faster than a two-key one.
    """
    keys = (prints.texts.astype(np.uint64) << np.uint64(40)) | (prints.hashes >> np.uint64(24))
    keys = np.sort(keys)  # (np.unique hashes first: several times slower here)
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys
    texts = (keys >> np.uint64(40)).astype(np.int64)
    offsets = np.searchsorted(texts, np.arange(prints.n_texts + 1))
    return keys & np.uint64((1 << 40) - 1), offsets


def near_duplicates(texts: dict[str, str], order: list[str] | None = None,
                    threshold: float = DUPLICATE_RESEMBLANCE, min_chars: int = MIN_SHARED_CHARS,
                    prints: Fingerprints | None = None) -> dict[str, tuple[str, float]]:
    """Return {duplicate doc_id: (kept doc_id, resemblance)} for documents that are the same article.

    Resemblance is the Jaccard overlap of the two texts' fingerprint sets (1.0 = identical text).
    Within each group of copies the first document of ``order`` (default: sorted ids) is kept.
    Candidates come from a bottom-k sketch: each document is compared only with its neighbours in
    the buckets of its smallest fingerprints, so the cost is linear in the number of documents.
    prints: fingerprints of the texts in sorted-id order, to share them with find_shared_passages.
    """
    ids = sorted(texts)
    ranking = {doc_id: n for n, doc_id in enumerate(order or [])}
    rank = [ranking.get(doc_id, len(ranking) + n) for n, doc_id in enumerate(ids)]
    if prints is None:
        prints = fingerprints([texts[i] for i in ids], min_chars)
    hashes, offsets = _hash_sets(prints)
    sets = [hashes[offsets[n]:offsets[n + 1]] for n in range(len(ids))]

    def resemblance(x: int, y: int) -> float:
        common = len(np.intersect1d(sets[x], sets[y], assume_unique=True))
        union = len(sets[x]) + len(sets[y]) - common
        return common / union if union else 0.0

    sketches = [tuple(values[:SKETCH_SIZE].tolist()) for values in sets]
    buckets: dict[int, list[int]] = {}
    for number, sketch in enumerate(sketches):
        for value in sketch:
            buckets.setdefault(value, []).append(number)
    checked: dict[tuple[int, int], float] = {}
    edges = []
    for members in buckets.values():
        if len(members) < 2:
            continue
        members = sorted(members, key=lambda m: (sketches[m], m))
        for x, y in zip(members, members[1:]):
            pair = (min(x, y), max(x, y))
            if pair not in checked:
                checked[pair] = resemblance(*pair)
                if checked[pair] >= threshold:
                    edges.append(pair)
    roots = _components(len(ids), edges, rank)
    result = {}
    for number, root in enumerate(roots):
        if root != number:
            pair = (min(root, number), max(root, number))
            score = checked[pair] if pair in checked else resemblance(*pair)
            result[ids[number]] = (ids[root], round(float(score), 3))
    return result
