"""Where terms occur and what occurs with them: keyword in context, dispersion, collocations.

:func:`kwic` and :func:`kwic_lines` list every occurrence of a term (several terms, or a regular
expression, in the speeches table) with its context; :func:`kwic_table` shows the lines aligned on
the keyword; :func:`dispersion` says where the terms occur in each statement. Collocations score
adjacent content-token pairs with G² (:func:`shuangtan.terms.log_likelihood`) and PMI;
:func:`window_collocates` scores every token within a window of a chosen node term (logDice, MI,
t-score, G²).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .terms import count_terms, log_likelihood
from .tokens import content_vocabulary, is_content_token

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler


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
            left, right = _context(text, start, end, width)
            rows.append({"source": source, "left": left, "keyword": match.group(), "right": right})
            if limit and len(rows) >= limit:
                return pd.DataFrame(rows)
    return pd.DataFrame(rows, columns=["source", "left", "keyword", "right"])


def _context(text: str, start: int, end: int, width: int) -> tuple[str, str]:
    """Return (left, right): `width` characters each side of text[start:end], with … where the text goes on."""
    left = ("…" if start > width else "") + text[max(0, start - width):start]
    return left, text[end:end + width] + ("…" if end + width < len(text) else "")


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
    lists = [list(tokens) for tokens in token_lists]
    keep = content_vocabulary(lists, drop_political=drop_political)
    pairs: Counter[tuple[str, str]] = Counter()
    for tokens in lists:
        pairs.update(pair for pair in zip(tokens, tokens[1:]) if pair[0] in keep and pair[1] in keep)
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
    expected = c1 * c2 / n
    g2 = log_likelihood(o11, c1 - o11, c2, n - c2)  # the 2×2 table (first word, other) × (second word, other)
    table = pd.DataFrame(
        {
            "bigram": ["".join(p) for p in kept],
            "first": [p[0] for p in kept],
            "second": [p[1] for p in kept],
            "count": o11.astype("int64"),
            "expected": expected,
            "pmi": np.log2(o11 / expected) if len(kept) else [],
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
            left, right = _context(text, start, end, width)
            rows.append({"speech_id": speech_id, "province": province if isinstance(province, str) else "中央",
                         "date": date, "left": left, "keyword": match.group(), "right": right})
    lines = pd.DataFrame(rows, columns=["speech_id", "province", "date", "left", "keyword", "right"])
    lines["date"] = pd.to_datetime(lines["date"])
    if sort is None:
        return lines
    keys = {"left": lines["left"].str.lstrip("…").str[::-1], "right": lines["right"], "keyword": lines["keyword"]}
    if sort not in keys:
        raise ValueError("sort must be None, 'left', 'right' or 'keyword'")
    key = keys[sort].tolist()
    order = sorted(range(len(lines)), key=lambda i: (key[i], i))
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
