"""Term statistics on tokenized texts: frequencies and keyness.

Inputs are token lists from ``shuangtan.tokens`` (one list per text). Keyness compares a
target corpus with a reference corpus with the log-likelihood G² (Dunning 1993) or Pearson's χ²,
both on the 2×2 table (term, other terms) × (target, reference); both have one degree of freedom, so
3.84 ≈ p 0.05 and 10.83 ≈ p 0.001 for a single test. Because hundreds of terms are tested at
once, ``keyness(correction=...)`` adjusts the p-values (Benjamini–Hochberg false discovery rate or
Bonferroni) over every term that reaches the minimum frequency, and the log ratio (effect size,
Hardie 2014) stands beside the statistic. :class:`Summary` is the findings object every analysis
returns.

Where terms occur and what occurs with them (KWIC, dispersion, collocations) is in
:mod:`shuangtan.concordance`; the statements as token views and the summary of notebook 01 in
:mod:`shuangtan.term_corpus`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import chdtrc

KEYNESS_METHODS = ("log_likelihood", "chi_square")
CORRECTIONS = ("fdr_bh", "bonferroni", "none")


@dataclass
class Summary:
    """The findings of one analysis: named numbers and the sentences that state them (Markdown, escaped).

    In a notebook the object displays as a bullet list; ``numbers`` holds the figures the
    sentences quote, for tests and exports.
    """

    numbers: dict[str, object] = field(default_factory=dict)
    sentences: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        """Return the sentences as a Markdown bullet list."""
        return "\n".join(f"- {sentence}" for sentence in self.sentences)

    def _repr_markdown_(self) -> str:
        return self.markdown()


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


def top_rates(counts: Mapping[str, int], n: int = 20, per: int = 10_000) -> pd.Series:
    """Return the n most frequent terms as rates per `per` tokens of the Counter's total."""
    total = sum(counts.values())
    return top_terms(counts, n) / total * per if total else pd.Series(dtype=float)


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
    correction: str = "fdr_bh",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Return key terms of target versus reference: counts, rates per 10k, log ratio, statistic, p, sorted.

    which="over" keeps terms relatively more frequent in the target, "under" the opposite,
    "both" all; terms with fewer than min_count occurrences in the target (over/both) or in the
    reference (under) are left out. The statistic column holds G² or χ² (see `method`).
    ``p_adjusted`` corrects p for the number of terms tested (every term with at least min_count
    occurrences on either side): "fdr_bh" (Benjamini–Hochberg), "bonferroni" or "none";
    ``significant`` is p_adjusted < alpha.
    """
    if method not in KEYNESS_METHODS:
        raise ValueError(f"method must be one of {KEYNESS_METHODS}")
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {CORRECTIONS}")
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
            "p_value": chi2_sf(statistic),
        }
    )
    tested = (table["target"] >= min_count) | (table["reference"] >= min_count)
    table["p_adjusted"] = np.nan
    table.loc[tested, "p_adjusted"] = adjust_p(table.loc[tested, "p_value"].to_numpy(), correction)
    table["significant"] = table["p_adjusted"] < alpha
    over = table["target_per_10k"] > table["reference_per_10k"]
    if which == "over":
        table = table[over & (table["target"] >= min_count)]
    elif which == "under":
        table = table[~over & (table["reference"] >= min_count)]
    elif which == "both":
        table = table[(table["target"] >= min_count) | (table["reference"] >= min_count)]
    else:
        raise ValueError("which must be 'over', 'under' or 'both'")
    table.attrs.update(method=method, correction=correction, alpha=alpha, n_tested=int(tested.sum()))
    return table.sort_values(["statistic", "term"], ascending=[False, True]).reset_index(drop=True)


def adjust_p(p_values: Sequence[float] | np.ndarray, correction: str = "fdr_bh") -> np.ndarray:
    """Return p-values adjusted for multiple tests: Benjamini–Hochberg ("fdr_bh"), "bonferroni" or "none"."""
    p = np.asarray(p_values, dtype=float)
    if correction not in CORRECTIONS:
        raise ValueError(f"correction must be one of {CORRECTIONS}")
    if p.size == 0 or correction == "none":
        return p.copy()
    if correction == "bonferroni":
        return np.minimum(p * p.size, 1.0)
    return benjamini_hochberg(p)


def chi2_sf(statistic: np.ndarray) -> np.ndarray:
    """Return the upper-tail probability of a chi-square with 1 degree of freedom (``scipy.stats.chi2.sf(x, 1)``).

    The same function (``scipy.special.chdtrc``) scipy.stats calls, without importing scipy.stats (a
    second at kernel start); values at or below 0 give 1, NaN stays NaN.
    """
    statistic = np.asarray(statistic, dtype=float)
    return chdtrc(1.0, np.maximum(statistic, 0.0))


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Return Benjamini–Hochberg adjusted p-values, the steps of ``scipy.stats.false_discovery_control(method="bh")``.

    Sort, multiply the i-th smallest by m / i, take the running minimum from the largest down, put
    back in the input order, clip to [0, 1].
    """
    p = np.asarray(p_values, dtype=float)
    if p.size <= 1:
        return p.copy()
    order = np.argsort(p, kind="stable")
    ranked = p[order] * (p.size / np.arange(1, p.size + 1, dtype=float))
    np.minimum.accumulate(ranked[::-1], out=ranked[::-1])
    adjusted = np.empty_like(ranked)
    adjusted[order] = ranked
    return np.clip(adjusted, 0.0, 1.0)


def keyness_by_group(
    groups: Mapping[Hashable, Mapping[str, int]], *, top: int | None = 10, **options
) -> pd.DataFrame:
    """Return the key terms of each group against all other groups pooled (long table with a group column).

    Options go to :func:`keyness` (method, min_count, correction, alpha…). ``top`` keeps the first
    rows of each group; the table's attrs give per group how many terms were tested
    (``n_tested``) and how many over-used terms did not survive the correction (``n_rejected``).
    """
    total: Counter[str] = Counter()
    for counts in groups.values():
        total.update(counts)
    frames, tested, rejected = [], {}, {}
    for group, counts in groups.items():
        rest = +(total - Counter(counts))
        if not sum(counts.values()) or not sum(rest.values()):
            tested[group], rejected[group] = 0, 0
            continue
        table = keyness(counts, rest, **options)
        tested[group], rejected[group] = table.attrs["n_tested"], int((~table["significant"]).sum())
        table = table.head(top) if top else table
        table.insert(0, "group", group)
        frames.append(table)
    columns = ["group", "term", "target", "reference", "target_per_10k", "reference_per_10k", "log_ratio",
               "statistic", "p_value", "p_adjusted", "significant"]
    result = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    result.attrs.update(n_tested=tested, n_rejected=rejected, correction=options.get("correction", "fdr_bh"))
    return result


def contrast_terms(
    a: Mapping[str, int], b: Mapping[str, int], *, n: int = 80, min_count: int = 2,
) -> tuple[dict[str, float], dict[str, int]]:
    """Return (log₂ ratio of b's rate over a's, combined count) for the n most frequent terms seen min_count times."""
    combined = Counter(a) + Counter(b)
    shared = [t for t, c in sorted(combined.items(), key=lambda i: (-i[1], i[0])) if c >= min_count][:n]
    total_a, total_b = sum(a.values()), sum(b.values())
    if not shared or not total_a or not total_b:
        return {}, {}
    ratios = log_ratio([b.get(t, 0) for t in shared], [a.get(t, 0) for t in shared], total_b, total_a)
    return dict(zip(shared, map(float, ratios))), {t: combined[t] for t in shared}


def significant_terms(table: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """Return the rows of a keyness table that survive the correction (first `top` per group when grouped)."""
    kept = table[table["significant"].astype(bool)] if len(table) else table
    if top and "group" in kept:
        kept = kept.groupby("group", sort=False).head(top)
    return kept.reset_index(drop=True)


def keyness_summary(table: pd.DataFrame, *, label: str = "group") -> Summary:
    """Return how many over-used terms were tested, survive the correction and do not, per group and in all."""
    tested = table.attrs.get("n_tested", {})
    rejected = table.attrs.get("n_rejected", {})
    survivors = significant_terms(table)
    n_groups = len(tested)
    kept = int(len(survivors))
    dropped = int(sum(rejected.values()))
    with_key = survivors["group"].nunique() if len(survivors) else 0
    numbers = {f"{label}s": n_groups, "surviving key terms": kept, "key terms that did not survive": dropped,
               f"{label}s with a surviving key term": int(with_key)}
    if n_groups < 2 or not sum(tested.values()):
        return Summary(numbers, [f"There are fewer than two {label}s with tokens, so there is nothing to compare."])
    correction = table.attrs.get("correction", "fdr_bh")
    name = {"fdr_bh": "Benjamini–Hochberg", "bonferroni": "Bonferroni", "none": "no"}.get(correction, correction)
    return Summary(numbers, [
        f"{kept + dropped} over-used terms reached the minimum frequency; {kept} survive the {name} correction "
        f"and {dropped} do not (not shown).",
        f"{with_key} of {n_groups} {label}s have at least one key term that survives.",
    ])
