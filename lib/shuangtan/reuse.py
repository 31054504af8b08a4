"""Text reuse between documents: shared passages, reprints and reused spans, in linear time.

Every text is reduced to winnowed *fingerprints* (:mod:`shuangtan.winnowing`): two texts that
share a run of at least ``min_chars`` characters are guaranteed to share a fingerprint, so an
inverted index of fingerprints finds every shared passage of ``min_chars`` or more without
comparing every pair of documents; each candidate is then checked and extended on the characters
themselves. Cost grows with the total number of characters. This module holds passage finding;
the fingerprints (:mod:`shuangtan.winnowing`) and near-duplicates (:mod:`shuangtan.reprints`) are
re-exported from it.

A fingerprint found in more than :data:`MAX_POSTINGS` places is boilerplate (a formula repeated
across hundreds of pages): it is not expanded pair by pair (that would be quadratic), only
counted (:attr:`PassageIndex.capped`).

* :func:`shared_passages`: passages two documents share (the corpus loader reports them);
* :func:`near_duplicates` (from :mod:`shuangtan.reprints`): documents that are the same article;
* :func:`reuse_spans` / :class:`PassageIndex`: which characters of one text occur in source texts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Fingerprints and near-duplicates live in their own modules; their names are re-exported here.
from .reprints import DUPLICATE_RESEMBLANCE, SKETCH_SIZE, near_duplicates  # noqa: F401
from .winnowing import (MAX_GRAM, MIN_SHARED_CHARS, Fingerprints, _index, _maximal_match,  # noqa: F401
                        _Postings, fingerprints)

# A fingerprint occurring in more places than this is boilerplate: counted, not expanded pairwise.
MAX_POSTINGS = 32


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
