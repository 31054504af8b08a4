"""Term statistics on tokenized texts: frequencies, keyness, keyword-in-context and collocations.

Inputs are token lists from ``shuangtan.tokens`` (one list per text). Keyness compares a
target corpus with a reference corpus with the log-likelihood G² (Dunning 1993) or Pearson's χ²,
both on the 2×2 table (term, other terms) × (target, reference); both have one degree of freedom, so
3.84 ≈ p 0.05 and 10.83 ≈ p 0.001 for a single test. Collocations score adjacent content-token
pairs with the same G² and with pointwise mutual information.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.stats import chi2

from .tokens import is_content_token

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

KEYNESS_METHODS = ("log_likelihood", "chi_square")


# ---------------------------------------------------------------- frequencies


def count_terms(token_lists: Iterable[Sequence[str]]) -> Counter[str]:
    """Return how often each token occurs across all token lists."""
    counts: Counter[str] = Counter()
    for tokens in token_lists:
        counts.update(tokens)
    return counts


def counts_by_group(token_lists: Sequence[Sequence[str]], groups: Sequence[Hashable]) -> dict[Hashable, Counter[str]]:
    """Return one term Counter per group label (token_lists[i] belongs to groups[i]), groups sorted."""
    if len(token_lists) != len(groups):
        raise ValueError("token_lists and groups must have the same length")
    result: dict[Hashable, Counter[str]] = {}
    for tokens, group in zip(token_lists, groups):
        result.setdefault(group, Counter()).update(tokens)
    return dict(sorted(result.items(), key=lambda item: str(item[0])))


def top_terms(counts: Mapping[str, int], n: int = 20) -> pd.Series:
    """Return the n most frequent terms as a Series (count, ties broken by the term), most first."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
    return pd.Series(dict(ordered), name="count", dtype="int64").rename_axis("term")


def term_table(groups: Mapping[Hashable, Mapping[str, int]], *, per: int | None = None) -> pd.DataFrame:
    """Return a term × group table of counts (or rates per `per` tokens when per is given), zeros filled."""
    table = pd.DataFrame({group: pd.Series(counts, dtype="float64") for group, counts in groups.items()}).fillna(0)
    if per:
        table = table / table.sum() * per
    else:
        table = table.astype("int64")
    return table.rename_axis("term")


# ---------------------------------------------------------------- keyness


def log_likelihood(a: np.ndarray, b: np.ndarray, total_a: float, total_b: float) -> np.ndarray:
    """Return the G² of the 2×2 table [[a, b], [total_a − a, total_b − b]] (term vs other terms).

    This is the full G-test; the two-cell shortcut of the Lancaster keyness calculator leaves out
    the other-terms row and differs little for rare terms.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = total_a + total_b
    observed = [a, b, total_a - a, total_b - b]
    row_term, row_other = a + b, n - a - b
    expected = [row_term * total_a / n, row_term * total_b / n, row_other * total_a / n, row_other * total_b / n]
    with np.errstate(divide="ignore", invalid="ignore"):
        return 2 * sum(np.where(o > 0, o * np.log(o / e), 0.0) for o, e in zip(observed, expected))


def chi_square(a: np.ndarray, b: np.ndarray, total_a: float, total_b: float) -> np.ndarray:
    """Return Pearson's χ² of the 2×2 table [[a, b], [total_a − a, total_b − b]] (no continuity correction)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    c, d = total_a - a, total_b - b
    n = total_a + total_b
    denominator = (a + b) * (c + d) * total_a * total_b
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, n * (a * d - b * c) ** 2 / denominator, 0.0)


def log_ratio(a: np.ndarray, b: np.ndarray, total_a: float, total_b: float, smoothing: float = 0.5) -> np.ndarray:
    """Return log₂ of the ratio of relative frequencies a/total_a over b/total_b (counts smoothed by +0.5)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.log2(((a + smoothing) / total_a) / ((b + smoothing) / total_b))


def keyness(
    target: Mapping[str, int],
    reference: Mapping[str, int],
    *,
    method: str = "log_likelihood",
    min_count: int = 2,
    which: str = "over",
) -> pd.DataFrame:
    """Return key terms of target versus reference: counts, rates per 10k, log ratio, statistic, p, sorted.

    which="over" keeps terms relatively more frequent in the target, "under" the opposite,
    "both" all; terms with fewer than min_count occurrences in the target (over/both) or in the
    reference (under) are left out. The statistic column holds G² or χ² (see `method`).
    """
    if method not in KEYNESS_METHODS:
        raise ValueError(f"method must be one of {KEYNESS_METHODS}")
    terms = sorted(set(target) | set(reference))
    a = np.array([target.get(t, 0) for t in terms], dtype=float)
    b = np.array([reference.get(t, 0) for t in terms], dtype=float)
    total_a, total_b = a.sum(), b.sum()
    if total_a == 0 or total_b == 0:
        raise ValueError("target and reference must both contain tokens")
    score = log_likelihood if method == "log_likelihood" else chi_square
    statistic = score(a, b, total_a, total_b)
    table = pd.DataFrame(
        {
            "term": terms,
            "target": a.astype("int64"),
            "reference": b.astype("int64"),
            "target_per_10k": a / total_a * 10_000,
            "reference_per_10k": b / total_b * 10_000,
            "log_ratio": log_ratio(a, b, total_a, total_b),
            "statistic": statistic,
            "p_value": chi2.sf(statistic, df=1),
        }
    )
    over = table["target_per_10k"] > table["reference_per_10k"]
    if which == "over":
        table = table[over & (table["target"] >= min_count)]
    elif which == "under":
        table = table[~over & (table["reference"] >= min_count)]
    elif which == "both":
        table = table[(table["target"] >= min_count) | (table["reference"] >= min_count)]
    else:
        raise ValueError("which must be 'over', 'under' or 'both'")
    table.attrs["method"] = method
    return table.sort_values(["statistic", "term"], ascending=[False, True]).reset_index(drop=True)


def keyness_by_group(
    groups: Mapping[Hashable, Mapping[str, int]], *, top: int | None = 10, **options
) -> pd.DataFrame:
    """Return the key terms of each group against all other groups pooled (long table with a group column)."""
    total: Counter[str] = Counter()
    for counts in groups.values():
        total.update(counts)
    frames = []
    for group, counts in groups.items():
        rest = total.copy()
        rest.subtract(counts)
        table = keyness(counts, +rest, **options)
        table = table.head(top) if top else table
        table.insert(0, "group", group)
        frames.append(table)
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------- keyword in context


def kwic(texts: Mapping[Hashable, str] | pd.Series, term: str, *, width: int = 18, limit: int | None = None) -> pd.DataFrame:
    """Return every occurrence of term with `width` characters of context: columns source, left, keyword, right.

    Matching is on characters, so it also finds the term inside longer words.
    """
    rows = []
    pattern = re.compile(re.escape(term))
    for source, text in (texts.items() if hasattr(texts, "items") else enumerate(texts)):
        text = re.sub(r"\s+", " ", text or "")
        for match in pattern.finditer(text):
            start, end = match.span()
            rows.append(
                {
                    "source": source,
                    "left": ("…" if start > width else "") + text[max(0, start - width) : start],
                    "keyword": match.group(),
                    "right": text[end : end + width] + ("…" if end + width < len(text) else ""),
                }
            )
            if limit and len(rows) >= limit:
                return pd.DataFrame(rows)
    return pd.DataFrame(rows, columns=["source", "left", "keyword", "right"])


def kwic_table(lines: pd.DataFrame, *, caption: str | None = None) -> Styler:
    """Return a pandas Styler showing KWIC lines aligned on the keyword, HTML-escaped, without the index."""
    styler = (
        lines.style.hide(axis="index")
        .format(escape="html")
        .set_properties(subset=["left"], **{"text-align": "right", "white-space": "nowrap"})
        .set_properties(subset=["right"], **{"text-align": "left", "white-space": "nowrap"})
        .set_properties(subset=["keyword"], **{"text-align": "center", "font-weight": "bold", "color": "#b2182b",
                                               "white-space": "nowrap"})
        .set_table_styles([{"selector": "th", "props": [("text-align", "center")]}])
    )
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler


# ---------------------------------------------------------------- collocations


def content_bigrams(token_lists: Iterable[Sequence[str]], *, drop_political: bool = False) -> Counter[tuple[str, str]]:
    """Return counts of adjacent token pairs in which both tokens are content tokens.

    Pass token lists made with keep_stopwords=True: a pair separated by a stopword or punctuation
    is then not adjacent, so no false pairs appear across removed words.
    """
    pairs: Counter[tuple[str, str]] = Counter()
    for tokens in token_lists:
        keep = [is_content_token(t, drop_political=drop_political) for t in tokens]
        pairs.update(
            (tokens[i], tokens[i + 1]) for i in range(len(tokens) - 1) if keep[i] and keep[i + 1]
        )
    return pairs


def collocations(
    token_lists: Iterable[Sequence[str]], *, min_count: int = 3, drop_political: bool = False, sort_by: str = "log_likelihood"
) -> pd.DataFrame:
    """Return adjacent content-token pairs seen at least min_count times with count, PMI and G², best first."""
    pairs = content_bigrams(token_lists, drop_political=drop_political)
    columns = ["bigram", "first", "second", "count", "expected", "pmi", "log_likelihood"]
    n = sum(pairs.values())
    if n == 0:
        return pd.DataFrame(columns=columns)
    firsts: Counter[str] = Counter()
    seconds: Counter[str] = Counter()
    for (w1, w2), count in pairs.items():
        firsts[w1] += count
        seconds[w2] += count
    kept = sorted((pair for pair, count in pairs.items() if count >= min_count))
    o11 = np.array([pairs[p] for p in kept], dtype=float)
    c1 = np.array([firsts[p[0]] for p in kept], dtype=float)
    c2 = np.array([seconds[p[1]] for p in kept], dtype=float)
    observed = [o11, c1 - o11, c2 - o11, n - c1 - c2 + o11]
    expected = [c1 * c2 / n, c1 * (n - c2) / n, (n - c1) * c2 / n, (n - c1) * (n - c2) / n]
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * sum(np.where(o > 0, o * np.log(o / e), 0.0) for o, e in zip(observed, expected))
    table = pd.DataFrame(
        {
            "bigram": ["".join(p) for p in kept],
            "first": [p[0] for p in kept],
            "second": [p[1] for p in kept],
            "count": o11.astype("int64"),
            "expected": expected[0],
            "pmi": np.log2(o11 / expected[0]) if len(kept) else [],
            "log_likelihood": g2,
        },
        columns=columns,
    )
    return table.sort_values([sort_by, "bigram"], ascending=[False, True]).reset_index(drop=True)
