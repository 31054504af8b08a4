"""Text reuse between documents: shared passages, reprints and reused spans, in linear time.

Every text is reduced to *fingerprints*: hashes of its character k-grams, thinned by winnowing
(Schleimer, Wilkerson & Aiken 2003: in every window of ``w`` consecutive k-grams the smallest hash
is kept). Two texts that share a run of at least ``k + w - 1`` characters are guaranteed to share
a fingerprint, so an inverted index of fingerprints finds every shared passage of ``min_chars``
or more without comparing every pair of documents; each candidate is then checked and extended
on the characters themselves. Cost grows with the total number of characters.

A fingerprint found in more than :data:`MAX_POSTINGS` places is boilerplate (a formula repeated
across hundreds of pages): it is not expanded pair by pair (that would be quadratic), only
counted (:attr:`PassageIndex.capped`).

* :func:`shared_passages`: passages two documents share (the corpus loader reports them);
* :func:`near_duplicates`: documents that are the same article (reprints, copies from two sites);
* :func:`reuse_spans` / :class:`PassageIndex`: which characters of one text occur in source texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Shortest passage (characters) reported as shared between two documents.
MIN_SHARED_CHARS = 30
# Longest k-gram hashed (characters, a power of two); the winnowing window makes up the rest of min_chars.
MAX_GRAM = 16
# A fingerprint occurring in more places than this is boilerplate: counted, not expanded pairwise.
MAX_POSTINGS = 32
# Two documents whose fingerprint sets overlap this much (Jaccard) are the same article.
DUPLICATE_RESEMBLANCE = 0.7
# Smallest fingerprints per document used to find near-duplicate candidates (bottom-k sketch).
SKETCH_SIZE = 6
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


def _candidate_pairs(index: _Postings, cap: int) -> tuple[np.ndarray, int]:
    """Return candidate rows (text_a, pos_a, text_b, pos_b) with text_a < text_b, and the capped count."""
    sizes = index.run_ends - index.run_starts
    capped = int(np.count_nonzero(sizes > cap))
    keep = (sizes >= 2) & (sizes <= cap)
    rows = []
    pairs = keep & (sizes == 2)  # the common case, vectorised
    first = index.run_starts[pairs]
    a_t, b_t = index.texts[first], index.texts[first + 1]
    differ = a_t != b_t
    rows.append(np.stack([a_t[differ], index.positions[first][differ], b_t[differ],
                          index.positions[first + 1][differ]], axis=1))
    more = []
    for start, end in zip(index.run_starts[keep & (sizes > 2)].tolist(), index.run_ends[keep & (sizes > 2)].tolist()):
        postings = list(zip(index.texts[start:end].tolist(), index.positions[start:end].tolist()))
        for x, (text_x, pos_x) in enumerate(postings):
            more.extend((text_x, pos_x, text_y, pos_y) for text_y, pos_y in postings[x + 1:] if text_y != text_x)
    if more:
        rows.append(np.array(more, dtype=np.int64))
    found = np.concatenate(rows).astype(np.int64) if rows else np.zeros((0, 4), np.int64)
    return found, capped


def _matches(texts: list[str], candidates: np.ndarray, min_chars: int) -> list[tuple[int, int, int, int, int]]:
    """Return the maximal matches (text_a, pos_a, text_b, pos_b, length) behind candidate rows."""
    if not len(candidates):
        return []
    diagonal = candidates[:, 3] - candidates[:, 1]
    order = np.lexsort((candidates[:, 1], diagonal, candidates[:, 2], candidates[:, 0]))
    found = []
    last_key, covered_to = None, -1
    for a, pa, b, pb in candidates[order].tolist():
        key = (a, b, pb - pa)
        if key == last_key and pa < covered_to:
            continue  # inside the match already extended on this diagonal
        text_a, text_b = texts[a], texts[b]
        if text_a[pa] != text_b[pb]:
            last_key = None
            continue  # hash collision
        start_a, start_b, length = _maximal_match(text_a, pa, text_b, pb)
        last_key, covered_to = key, start_a + length
        if length >= min_chars:
            found.append((a, start_a, b, start_b, length))
    return sorted(set(found))


def _scan_order(matches: list[tuple[int, int, int, int, int]], min_chars: int) -> list[tuple[int, int, int, int, int]]:
    """Return, per pair of texts, matches that do not overlap in the second text (read left to right)."""
    kept = []
    by_pair: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    for a, pa, b, pb, length in matches:
        by_pair.setdefault((a, b), []).append((pb, pa, length))
    for (a, b), runs in sorted(by_pair.items()):
        end_b = -1
        for pb, pa, length in sorted(runs):
            if pb < end_b:  # starts inside the previous passage: keep only what follows it
                cut = end_b - pb
                pb, pa, length = pb + cut, pa + cut, length - cut
                if length < min_chars:
                    continue
            kept.append((a, pa, b, pb, length))
            end_b = pb + length
    return kept


@dataclass
class SharedPassages:
    """Result of :func:`find_shared_passages`.

    passages: (doc_a, pos_a, doc_b, pos_b, length); capped: fingerprints found in more than `cap`
    places; boilerplate: matches left out because most of their fingerprints are such boilerplate.
    """

    passages: list[tuple[str, int, str, int, int]]
    capped: int
    cap: int
    boilerplate: int = 0


def _mostly_boilerplate(prints: Fingerprints, capped_hashes: set[int], text: int, start: int, length: int) -> bool:
    """Return True when at least half the fingerprints inside a passage occur in too many places."""
    if not capped_hashes:
        return False
    lo, hi = np.searchsorted(prints.texts, [text, text + 1])
    first, last = np.searchsorted(prints.positions[lo:hi], [start, start + length])
    inside = prints.hashes[lo + first:lo + last].tolist()
    return bool(inside) and sum(h in capped_hashes for h in inside) * 2 >= len(inside)


def find_shared_passages(texts: dict[str, str], min_chars: int = MIN_SHARED_CHARS,
                         max_postings: int = MAX_POSTINGS, prints: Fingerprints | None = None) -> SharedPassages:
    """Return the shared passages, leaving out boilerplate (formulas found in more than max_postings places).

    A fingerprint in more than max_postings places is never expanded pair by pair, and a passage
    found through rarer fingerprints at its edges is left out when most of its fingerprints are
    such boilerplate; both are counted. Cost stays linear: each fingerprint yields at most
    max_postings² / 2 candidate pairs.
    prints: fingerprints of the texts in sorted-id order (from :func:`fingerprints`), to share them.
    """
    ids = sorted(texts)
    values = [texts[i] for i in ids]
    prints = prints if prints is not None else fingerprints(values, min_chars)
    index = _index(prints)
    candidates, capped = _candidate_pairs(index, max_postings)
    sizes = index.run_ends - index.run_starts
    capped_hashes = set(index.hashes[index.run_starts[sizes > max_postings]].tolist())
    runs = _scan_order(_matches(values, candidates, min_chars), min_chars)
    kept = [run for run in runs if not _mostly_boilerplate(prints, capped_hashes, run[0], run[1], run[4])]
    passages = [(ids[a], pa, ids[b], pb, length) for a, pa, b, pb, length in kept]
    return SharedPassages(passages, capped, max_postings, len(runs) - len(kept))


def shared_passages(texts: dict[str, str], min_chars: int = MIN_SHARED_CHARS) -> list[tuple[str, int, str, int, int]]:
    """Return passages of at least min_chars shared by two documents: (doc_a, pos_a, doc_b, pos_b, length).

    doc_a sorts before doc_b; passages are maximal runs, listed by pair then by position in doc_b.
    Boilerplate found in more than MAX_POSTINGS places is not listed (see find_shared_passages).
    """
    return find_shared_passages(texts, min_chars).passages


# --------------------------------------------------------------------------- near-duplicates
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


# --------------------------------------------------------------------------- reuse in one text
class PassageIndex:
    """An index of source texts answering: which characters of a target text occur in them?

    Build it once for many targets (e.g. every provincial statement against the central texts).
    """

    def __init__(self, sources: dict[str, str], min_chars: int = MIN_SHARED_CHARS,
                 max_postings: int = MAX_POSTINGS) -> None:
        self.min_chars = min_chars
        self.ids = sorted(sources)
        self.texts = [sources[i] for i in self.ids]
        postings = _index(fingerprints(self.texts, min_chars))
        sizes = postings.run_ends - postings.run_starts
        self.capped = int(np.count_nonzero(sizes > max_postings))
        self.max_postings = max_postings
        self._postings = postings
        self._keys = postings.hashes[postings.run_starts]

    def spans(self, target: str) -> list[tuple[int, int, str, int]]:
        """Return (start, end, source_id, source_pos) of maximal passages of target found in a source.

        Sorted by start; each span is listed once, with the first source (sorted ids) holding it.
        A boilerplate fingerprint (more than max_postings places in the sources) is still looked up
        against its first max_postings places, so reuse of boilerplate is found, not expanded.
        """
        if not target or not self.texts:
            return []
        positions, hashes = fingerprints([target], self.min_chars).of(0)
        slots = np.searchsorted(self._keys, hashes)
        slots = np.minimum(slots, max(len(self._keys) - 1, 0))
        found: set[tuple[int, int, int, int]] = set()
        covered: dict[tuple[int, int], int] = {}
        for pos, h, slot in zip(positions.tolist(), hashes.tolist(), slots.tolist()):
            if not len(self._keys) or int(self._keys[slot]) != h:
                continue
            start, end = self._postings.run_starts[slot], self._postings.run_ends[slot]
            for source, spos in zip(self._postings.texts[start:min(end, start + self.max_postings)].tolist(),
                                    self._postings.positions[start:min(end, start + self.max_postings)].tolist()):
                diagonal = (source, spos - pos)
                if covered.get(diagonal, -1) > pos:
                    continue
                text = self.texts[source]
                if text[spos] != target[pos]:
                    continue
                s_start, t_start, length = _maximal_match(text, spos, target, pos)
                covered[diagonal] = t_start + length
                if length >= self.min_chars:
                    found.add((t_start, t_start + length, source, s_start))
        best: dict[tuple[int, int], tuple[int, int]] = {}
        for start, end, source, spos in found:
            if (start, end) not in best or (source, spos) < best[(start, end)]:
                best[(start, end)] = (source, spos)
        return [(start, end, self.ids[source], spos) for (start, end), (source, spos) in sorted(best.items())]


def reuse_spans(target: str, sources: dict[str, str] | PassageIndex,
                min_chars: int = MIN_SHARED_CHARS) -> list[tuple[int, int, str, int]]:
    """Return (start, end, source_id, source_pos) for every maximal passage of target found in a source.

    Pass a :class:`PassageIndex` instead of a dict to reuse one index for many targets.
    """
    index = sources if isinstance(sources, PassageIndex) else PassageIndex(sources, min_chars)
    return index.spans(target)


def reused_share(target: str, sources: dict[str, str] | PassageIndex, min_chars: int = MIN_SHARED_CHARS) -> float:
    """Return the share (0–1) of target's characters inside passages also found in a source."""
    if not target:
        return 0.0
    covered = np.zeros(len(target), dtype=bool)
    for start, end, _source, _pos in reuse_spans(target, sources, min_chars):
        covered[start:end] = True
    return float(covered.mean())
