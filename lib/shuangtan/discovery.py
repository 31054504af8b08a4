"""Term discovery: multi-character terms of a corpus that the segmentation dictionary does not know.

A string of Han characters is a good candidate term when its characters stick together
(*cohesion*: pointwise mutual information of its weakest split, log₂ p(w) / (p(a)·p(b))) and
when it is free at its edges (*boundary freedom*: the entropy of the characters seen just left
and just right of it; a fragment such as 达峰碳 always has the same neighbour). This is the method
of Matrix67's 互联网时代的社会语言学 (2012) also used by jionlp's ``new_word_discovery``;
:func:`discover_terms` counts n-grams in one pass over the texts (cost linear in the corpus) and
keeps the candidates jieba's dictionary and the project's word lists do not already hold.

Review the table, then :func:`accept_terms` appends the chosen terms to
``<outputs>/user_terms.txt`` (same format as ``data/userdict.txt``), which the tokenizer reads on
the next run.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from .tokens import get_tokenizer, user_terms_path
from .tokens import stopwords as default_stopwords

# Characters counted at most: every n-gram of up to 6 characters is counted (about 7 s and 0.8 GB per 2 M characters).
MAX_CHARS = 2_000_000
COLUMNS = ["term", "freq", "pmi", "left_entropy", "right_entropy", "score", "known", "example"]
# A run of Han characters; anything else (punctuation, digits, Latin) is a boundary.
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# A term a dictionary line can hold: no whitespace, no comment sign, not empty.
_VALID_TERM = re.compile(r"[^\s#]{2,30}")
_EDGE = "\0"  # neighbour marking the start or end of a run (each counts as a distinct neighbour)


def _entropy(counts: Counter[str]) -> float:
    """Return the Shannon entropy (bits) of neighbour counts; run edges count as all-different neighbours."""
    edges = counts.pop(_EDGE, 0)
    total = sum(counts.values()) + edges
    if not total:
        return 0.0
    entropy = -sum(c / total * math.log2(c / total) for c in counts.values())
    return entropy + edges * (-(1 / total) * math.log2(1 / total))


def _is_known(term: str, tokenizer=None) -> bool:
    """Return True when the project's tokenizer already keeps the term whole (a dictionary word)."""
    return list((tokenizer or get_tokenizer()).cut(term)) == [term]


def discover_terms(
    texts: Iterable[str], *, min_len: int = 2, max_len: int = 6, min_freq: int = 3, min_pmi: float = 3.0,
    min_entropy: float = 1.0, include_known: bool = False, stopwords: Iterable[str] = (),
    max_chars: int = MAX_CHARS,
) -> pd.DataFrame:
    """Return candidate terms, best first: COLUMNS (freq, PMI of the weakest split, left/right entropy).

    score = pmi × min(left, right entropy). Candidates must occur min_freq times, reach min_pmi
    and min_entropy on both sides, and must not start or end with a one-character stopword of
    data/stopwords.txt or `stopwords` (的, 和, 要 …);
    a candidate contained in a longer candidate with the same frequency is dropped (only the
    whole survives). known marks words the dictionaries already hold (left out unless include_known).
    Counting every n-gram takes memory: above max_chars characters an evenly spaced sample of the
    texts is used (deterministic; attrs["sampled_texts"] says how many of how many).
    """
    texts = [str(text or "") for text in texts]
    chosen = _even_sample(texts, max_chars)
    runs = [run for text in chosen for run in _HAN_RUN.findall(text)]
    grams: Counter[str] = Counter()
    for size in range(1, max_len + 1):
        grams.update(run[i:i + size] for run in runs for i in range(len(run) - size + 1))
    total = sum(len(run) for run in runs)
    frequent = {g for g, c in grams.items() if min_len <= len(g) <= max_len and c >= min_freq}
    left, right = _neighbours(runs, grams, frequent, max_len)
    single_stops = {w for w in (*stopwords, *default_stopwords()) if len(w) == 1}
    tokenizer = get_tokenizer()
    rows = []
    for gram in sorted(frequent):
        if gram[0] in single_stops or gram[-1] in single_stops:
            continue
        p = grams[gram] / total
        pmi = min(math.log2(p / ((grams[gram[:k]] / total) * (grams[gram[k:]] / total))) for k in range(1, len(gram)))
        if pmi < min_pmi:
            continue
        entropy_l, entropy_r = _entropy(left[gram]), _entropy(right[gram])
        if min(entropy_l, entropy_r) < min_entropy:
            continue
        score = pmi * min(entropy_l, entropy_r)
        rows.append((gram, grams[gram], pmi, entropy_l, entropy_r, score, _is_known(gram, tokenizer)))
    if not rows:
        return pd.DataFrame(columns=COLUMNS)
    table = _drop_contained(pd.DataFrame(rows, columns=COLUMNS[:-1]))
    if not include_known:
        table = table[~table["known"]]
    table = table.sort_values(["score", "term"], ascending=[False, True]).reset_index(drop=True)
    joined = _EDGE.join(runs)
    table["example"] = [_example(term, joined) for term in table["term"]]
    table = table[COLUMNS]
    table.attrs["sampled_texts"] = (len(chosen), len(texts))
    return table


def _neighbours(
    runs: Sequence[str], grams: Counter[str], frequent: set[str], max_len: int
) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    """Return the left and right neighbour counts of each frequent gram (run edges under _EDGE).

    Read off the gram counts instead of a pass over every position: the left neighbours of g are the
    grams c+g, the right ones g+c; only the grams one character longer than max_len are counted here
    (and only around frequent grams). An occurrence with no neighbour on a side is at a run's edge.
    """
    longer: Counter[str] = Counter()
    if any(len(g) == max_len for g in frequent):
        longer.update(run[i:i + max_len + 1] for run in runs for i in range(len(run) - max_len)
                      if run[i + 1:i + max_len + 1] in frequent or run[i:i + max_len] in frequent)
    left: dict[str, Counter[str]] = defaultdict(Counter)
    right: dict[str, Counter[str]] = defaultdict(Counter)
    for counts in (grams, longer):
        for gram, n in counts.items():
            inner_right, inner_left = gram[1:], gram[:-1]
            if inner_right in frequent:
                left[inner_right][gram[0]] += n
            if inner_left in frequent:
                right[inner_left][gram[-1]] += n
    for gram in frequent:
        for side in (left, right):
            edges = grams[gram] - sum(side[gram].values())
            if edges:
                side[gram][_EDGE] = edges
    return left, right


def _even_sample(texts: list[str], max_chars: int) -> list[str]:
    """Return every k-th text so that about max_chars characters remain (all texts when they fit)."""
    total = sum(map(len, texts))
    if total <= max_chars:
        return texts
    step = -(-total // max_chars)
    return texts[::step]


def _drop_contained(table: pd.DataFrame) -> pd.DataFrame:
    """Return the table without candidates that only occur inside one longer candidate (same frequency)."""
    freq = dict(zip(table["term"], table["freq"]))
    inside = set()
    for term, n in freq.items():
        for size in range(2, len(term)):
            for start in range(len(term) - size + 1):
                part = term[start:start + size]
                if freq.get(part) == n:
                    inside.add(part)
    return table[~table["term"].isin(inside)]


def _example(term: str, joined: str, width: int = 8) -> str:
    """Return the term's first occurrence in the runs (joined by _EDGE) with a few characters of its run around it."""
    at = joined.find(term)
    start = joined.rfind(_EDGE, 0, at) + 1
    end = joined.find(_EDGE, at + len(term))
    end = len(joined) if end < 0 else end
    return joined[max(start, at - width):min(end, at + len(term) + width)]


def accept_terms(terms: Iterable[str], *, path: str | os.PathLike[str] | None = None) -> list[str]:
    """Append the accepted terms to the user dictionary (one per line) and return those actually added.

    Terms already in the file, repeated, or not storable as one dictionary entry (whitespace, '#',
    fewer than two characters) are skipped; the file is created with a comment header if missing.
    """
    target = Path(path) if path else user_terms_path()
    existing = set()
    if target.exists():
        existing = {line.split()[0] for line in target.read_text(encoding="utf-8-sig").splitlines()
                    if line.strip() and not line.startswith("#")}
    added = []
    for term in terms:
        term = str(term).strip()
        if _VALID_TERM.fullmatch(term) and term not in existing and term not in added:
            added.append(term)
    if added:
        target.parent.mkdir(parents=True, exist_ok=True)
        header = "" if target.exists() else (
            "# Terms accepted with shuangtan.discovery.accept_terms\n"
            "# (format of data/userdict.txt: WORD [FREQ] [TAG]).\n")
        with open(target, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(header + "".join(f"{term}\n" for term in added))
    return added
