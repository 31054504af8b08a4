"""The statements as token views, and the numbers and sentences of the term-frequency notebook (01).

:func:`prepare_terms` segments the statements once into a :class:`TermCorpus` (every token, content
tokens, content tokens without political boilerplate); :func:`level_overview` and
:func:`boilerplate_share` describe it; :func:`terms_summary` states the findings of notebook 01.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from .terms import Summary, count_terms, counts_by_group, keyness_summary, significant_terms
from .tokens import content_tokens, tokenize_corpus


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
    content = content_tokens(tokens, exclude=exclude)
    substantive = content_tokens(content, drop_political=True)
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
