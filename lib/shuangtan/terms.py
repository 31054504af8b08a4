"""Term statistics on tokenized texts: frequencies, keyness, keyword-in-context, collocations, dispersion.

Inputs are token lists from ``shuangtan.tokens`` (one list per text). Keyness compares a
target corpus with a reference corpus with the log-likelihood G² (Dunning 1993) or Pearson's χ²,
both on the 2×2 table (term, other terms) × (target, reference); both have one degree of freedom, so
3.84 ≈ p 0.05 and 10.83 ≈ p 0.001 for a single test. Because hundreds of terms are tested at
once, ``keyness(correction=...)`` adjusts the p-values (Benjamini–Hochberg false discovery rate or
Bonferroni) over every term that reaches the minimum frequency, and the log ratio (effect size,
Hardie 2014) stands beside the statistic. Collocations score adjacent content-token pairs with the
same G² and PMI; :func:`window_collocates` scores every token within a window of a chosen node
term (logDice, MI, t-score, G²). :func:`kwic_lines` finds several terms or a regular expression in
the speeches table, :func:`dispersion` where they occur in each statement.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy.stats import chi2, false_discovery_control

from .tokens import is_content_token, tokenize_corpus

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

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
            "p_value": chi2.sf(statistic, df=1),
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
    return false_discovery_control(p, method="bh")


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


def window_collocates(
    token_lists: Iterable[Sequence[str]], node: str, *, window: int = 5, min_count: int = 2,
    keep: Callable[[str], bool] | None = None, sort_by: str = "logdice",
) -> pd.DataFrame:
    """Return the tokens found within `window` tokens left or right of `node`, scored, best first.

    Columns: collocate, count (co-occurrences O), collocate_freq, expected (E = f_node · f_coll · 2w / N),
    logdice (14 + log₂(2O / (f_node + f_coll)), Rychlý 2008), mi (log₂ O/E), t_score ((O − E)/√O)
    and g2 (log-likelihood of the window slots vs the rest of the corpus). Only collocates seen
    at least min_count times and passing `keep` (default: content tokens) are listed; attrs hold
    node_freq and n_tokens.
    """
    keep = keep or is_content_token
    lists = [list(tokens) for tokens in token_lists]
    freq = count_terms(lists)
    n = sum(freq.values())
    together: Counter[str] = Counter()
    for tokens in lists:
        for i, token in enumerate(tokens):
            if token == node:
                together.update(t for t in tokens[max(0, i - window):i] + tokens[i + 1:i + 1 + window] if t != node)
    columns = ["collocate", "count", "collocate_freq", "expected", "logdice", "mi", "t_score", "g2"]
    kept = sorted(c for c, o in together.items() if o >= min_count and keep(c))
    f_node = freq.get(node, 0)
    if not kept:
        empty = pd.DataFrame(columns=columns)
        empty.attrs.update(node_freq=f_node, n_tokens=n)
        return empty
    o = np.array([together[c] for c in kept], dtype=float)
    f_coll = np.array([freq[c] for c in kept], dtype=float)
    slots = f_node * 2 * window
    expected = f_node * f_coll * 2 * window / n
    observed = [o, np.maximum(slots - o, 0), np.maximum(f_coll - o, 0), np.maximum(n - slots - f_coll + o, 0)]
    exp = [expected, slots * (n - f_coll) / n, (n - slots) * f_coll / n, (n - slots) * (n - f_coll) / n]
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * sum(np.where(ob > 0, ob * np.log(ob / np.maximum(ex, 1e-12)), 0.0) for ob, ex in zip(observed, exp))
    table = pd.DataFrame({
        "collocate": kept, "count": o.astype("int64"), "collocate_freq": f_coll.astype("int64"), "expected": expected,
        "logdice": 14 + np.log2(2 * o / (f_node + f_coll)), "mi": np.log2(o / expected),
        "t_score": (o - expected) / np.sqrt(o), "g2": g2,
    }, columns=columns)
    table = table.sort_values([sort_by, "collocate"], ascending=[False, True]).reset_index(drop=True)
    table.attrs.update(node_freq=f_node, n_tokens=n)
    return table


# ---------------------------------------------------------------- KWIC and dispersion on the speeches table


def _statement_label(speeches: pd.DataFrame) -> pd.Series:
    """Return '<province or 中央> <date or undated>' per row."""
    dates = pd.to_datetime(speeches["date"]).dt.strftime("%Y-%m-%d").fillna("undated")
    return speeches["province"].fillna("中央").astype(str) + " " + dates


def search_pattern(terms_or_regex: str | Sequence[str], *, regex: bool = False) -> re.Pattern:
    """Return one compiled pattern for a list of terms (longest first, matched literally) or a regular expression."""
    if regex:
        if not isinstance(terms_or_regex, str):
            raise TypeError("regex=True takes one pattern string")
        return re.compile(terms_or_regex)
    items = [terms_or_regex] if isinstance(terms_or_regex, str) else list(terms_or_regex)
    items = sorted({t for t in items if t}, key=lambda t: (-len(t), t))
    if not items:
        raise ValueError("give at least one non-empty term")
    return re.compile("|".join(re.escape(t) for t in items))


def kwic_lines(
    speeches: pd.DataFrame, terms_or_regex: str | Sequence[str], *, regex: bool = False, width: int = 18,
    sort: str | None = None,
) -> pd.DataFrame:
    """Return every match of several terms (or one regex) in the statements, one line each.

    Columns: speech_id, province, date, left, keyword, right. sort=None keeps corpus order,
    "left" sorts by the left context read outward from the keyword, "right" by the right context,
    "keyword" by the matched text; ties fall back to corpus order.
    """
    pattern = search_pattern(terms_or_regex, regex=regex)
    rows = []
    for speech_id, province, date, text in zip(speeches["speech_id"], speeches["province"], speeches["date"],
                                               speeches["text"]):
        text = re.sub(r"\s+", " ", str(text or ""))
        for match in pattern.finditer(text):
            start, end = match.span()
            if start == end:
                continue
            rows.append({"speech_id": speech_id, "province": province if isinstance(province, str) else "中央",
                         "date": date, "left": ("…" if start > width else "") + text[max(0, start - width):start],
                         "keyword": match.group(),
                         "right": text[end:end + width] + ("…" if end + width < len(text) else "")})
    lines = pd.DataFrame(rows, columns=["speech_id", "province", "date", "left", "keyword", "right"])
    lines["date"] = pd.to_datetime(lines["date"])
    if sort is None:
        return lines
    keys = {"left": lines["left"].str.lstrip("…").str[::-1], "right": lines["right"], "keyword": lines["keyword"]}
    if sort not in keys:
        raise ValueError("sort must be None, 'left', 'right' or 'keyword'")
    order = sorted(range(len(lines)), key=lambda i: (keys[sort].iloc[i], i))
    return lines.iloc[order].reset_index(drop=True)


def dispersion(speeches: pd.DataFrame, terms: Sequence[str]) -> pd.DataFrame:
    """Return where each term occurs in each statement: speech_id, label, term, position, relative position (0–1).

    Every statement appears (a row with term None when none of the terms occurs), in table order,
    so a dispersion plot shows empty statements too.
    """
    pattern = search_pattern(terms)
    labels = _statement_label(speeches)
    rows = []
    for speech_id, label, text in zip(speeches["speech_id"], labels, speeches["text"]):
        text = str(text or "")
        found = [(m.group(), m.start()) for m in pattern.finditer(text)]
        for term, position in found or [(None, -1)]:
            rows.append({"speech_id": speech_id, "label": label, "term": term, "position": position,
                         "relative": position / len(text) if term is not None else np.nan, "n_chars": len(text)})
    return pd.DataFrame(rows, columns=["speech_id", "label", "term", "position", "relative", "n_chars"])


# ---------------------------------------------------------------- the statements as token views (notebook 01)


@dataclass
class TermCorpus:
    """The statements of a speeches table with three token views, one list per statement (same order).

    ``tokens`` keeps every token (for collocations and KWIC-like work), ``content`` drops
    punctuation, numbers and function words, ``substantive`` also the political boilerplate list.
    ``speeches`` gains a ``group`` column: the province, or 中央 for the central level.
    """

    speeches: pd.DataFrame
    tokens: list[list[str]]
    content: list[list[str]]
    substantive: list[list[str]]

    def counts_by(self, column: str, *, view: str = "substantive", where: pd.Series | None = None,
                  exclude: Iterable[str] = ()) -> dict[Hashable, Counter[str]]:
        """Return one term Counter per value of a speeches column (rows where `where` is true; missing values skipped).

        Tokens in `exclude` (names of people and places, say) are not counted.
        """
        lists, dropped = getattr(self, view), set(exclude)
        keep = self.speeches[column].notna() if where is None else (where & self.speeches[column].notna())
        chosen = [i for i, kept in enumerate(keep) if kept]
        return counts_by_group([[t for t in lists[i] if t not in dropped] for i in chosen],
                               self.speeches[column].iloc[chosen].tolist())


def prepare_terms(speeches: pd.DataFrame, *, exclude: Iterable[str] = ()) -> TermCorpus:
    """Return the statements (reprints counted once) segmented once, in three token views.

    Tokens in `exclude` (e.g. names of people and places) are left out of the content and
    substantive views.
    """
    rows = speeches
    if "duplicate_of" in rows:
        rows = rows[rows["duplicate_of"].fillna("").astype(str).str.strip() == ""]
    rows = rows.reset_index(drop=True).assign(group=lambda d: d["province"].fillna("中央"))
    tokens = tokenize_corpus(rows["text"].fillna("").tolist(), keep_stopwords=True)
    dropped = set(exclude)
    content = [[t for t in ts if t not in dropped and is_content_token(t)] for ts in tokens]
    substantive = [[t for t in ts if t not in dropped and is_content_token(t, drop_political=True)] for ts in tokens]
    return TermCorpus(rows, tokens, content, substantive)


def level_overview(corpus: TermCorpus) -> pd.DataFrame:
    """Return per level: statements, provinces, characters, content and substantive tokens, boilerplate share."""
    frame = corpus.speeches.assign(content_tokens=[len(t) for t in corpus.content],
                                   substantive_tokens=[len(t) for t in corpus.substantive],
                                   characters=corpus.speeches["text"].fillna("").str.len())
    table = frame.groupby("level").agg(statements=("speech_id", "size"), provinces=("province", "nunique"),
                                       characters=("characters", "sum"), content_tokens=("content_tokens", "sum"),
                                       substantive_tokens=("substantive_tokens", "sum"))
    content = table["content_tokens"].where(table["content_tokens"] > 0)
    table["boilerplate_share"] = 1 - table["substantive_tokens"] / content
    return table.reset_index()


def boilerplate_share(corpus: TermCorpus) -> pd.Series:
    """Return per province the share of its content tokens that are on the political boilerplate list."""
    frame = corpus.speeches.assign(content=[len(t) for t in corpus.content],
                                   substantive=[len(t) for t in corpus.substantive])
    frame = frame[(frame["level"] == "provincial") & frame["province"].notna()]
    sums = frame.groupby("province")[["content", "substantive"]].sum()
    return (1 - sums["substantive"] / sums["content"].where(sums["content"] > 0)).dropna().rename("boilerplate_share")


def top_rates(counts: Mapping[str, int], n: int = 20, per: int = 10_000) -> pd.Series:
    """Return the n most frequent terms as rates per `per` tokens of the Counter's total."""
    total = sum(counts.values())
    return top_terms(counts, n) / total * per if total else pd.Series(dtype=float)


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


def proper_names(speeches: pd.DataFrame) -> set[str]:
    """Return names trivially distinctive of a province: its speakers, people of the user dictionary, place names."""
    from .places import provinces
    from .tokens import read_userdict

    table = provinces()
    people = {str(s) for s in speeches["speaker"].dropna()} if "speaker" in speeches else set()
    people |= {word for word, _freq, tag in read_userdict() if tag == "nr"}
    return people | set(table["short_name"]) | set(table["full_name"])


def _count(n: int, noun: str) -> str:
    """Return '1 statement' or 'n statements'."""
    return f"{n} {noun}{'s' * (n != 1)}"


def _without_boilerplate(counts: Mapping[str, int]) -> str:
    """Return '; without boilerplate: TERM (n×).' for the most frequent term of counts, or '.'."""
    if not counts:
        return "."
    term, n = sorted(counts.items(), key=lambda i: (-i[1], i[0]))[0]
    return f"; without boilerplate: {html.escape(term)} ({n}×)."


def terms_summary(
    corpus: TermCorpus, *, level_key: pd.DataFrame, province_key: pd.DataFrame, collocates: pd.DataFrame,
    node: str, pairs: pd.DataFrame, candidates: pd.DataFrame | None = None,
) -> Summary:
    """Return the numbers and sentences of the term-frequency notebook (true on any corpus, escaped)."""
    e = html.escape
    n_statements = len(corpus.speeches)
    content, substantive = count_terms(corpus.content), count_terms(corpus.substantive)
    numbers: dict[str, object] = {"statements": n_statements, "content tokens": sum(content.values())}
    if not sum(content.values()):
        return Summary(numbers, ["The corpus holds no statement with words, so there are no terms to count."])
    levels = corpus.speeches["level"].value_counts()
    top_all, top_all_n = sorted(content.items(), key=lambda i: (-i[1], i[0]))[0]
    sentences = [
        f"**Corpus**: {_count(n_statements, 'statement')} ({levels.get('central', 0)} central, "
        f"{levels.get('provincial', 0)} provincial from {_count(corpus.speeches['province'].nunique(), 'province')}), "
        f"{sum(content.values()):,} content tokens.",
        f"**Most frequent term**: {e(top_all)} ({top_all_n}×)" + _without_boilerplate(substantive),
    ]
    share = 1 - sum(substantive.values()) / sum(content.values())
    numbers["boilerplate share"] = share
    sentences.append(f"**Boilerplate**: {share:.0%} of all content tokens are on the political boilerplate list.")
    for label, table in (("level", level_key), ("province", province_key)):
        summary = keyness_summary(table, label=label)
        numbers.update({f"{label}: {k}": v for k, v in summary.numbers.items()})
        sentences.append(f"**Keyness by {label}**: " + " ".join(summary.sentences))
    survivors = significant_terms(level_key)
    for level in ("central", "provincial"):
        rows = survivors[survivors["group"] == level] if len(survivors) else survivors
        if len(rows):
            sentences.append(f"**Most distinctively {level}**: {e(rows['term'].iloc[0])} (log₂ ratio "
                             f"{rows['log_ratio'].iloc[0]:.1f}, statistic {rows['statistic'].iloc[0]:.1f}).")
    if len(collocates):
        best = collocates.iloc[0]
        sentences.append(f"**Collocates of {e(node)}**: {len(collocates)} reach the minimum count; the strongest is "
                         f"{e(best['collocate'])} ({best['count']}×, logDice {best['logdice']:.1f}).")
    else:
        sentences.append(f"**Collocates of {e(node)}**: none reaches the minimum count.")
    if len(pairs):
        sentences.append(f"**Strongest word pair**: {e(pairs['first'].iloc[0])} · {e(pairs['second'].iloc[0])} "
                         f"({pairs['count'].iloc[0]}×, G² {pairs['log_likelihood'].iloc[0]:.0f}).")
    if candidates is not None:
        numbers["term candidates"] = len(candidates)
        head = "、".join(e(t) for t in candidates["term"].head(5))
        sentences.append(f"**Term discovery**: {_count(len(candidates), 'candidate term')} the dictionary does not know"
                         + (f", led by {head}." if head else "."))
    return Summary(numbers, sentences)
