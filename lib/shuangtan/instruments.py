"""Policy instruments: which instruments each province commits to, coded with an editable dictionary.

The dictionary is YAML in the category-dictionary format of cntext (``Category`` and
``Dictionary``: category → terms) with optional ``Labels``, ``Definitions``, ``Sources`` and
``Patterns`` (regular expressions); the project's own is ``data/instruments.yaml`` (documented in
``data/INSTRUMENTS.md``) and a researcher can pass any file of the same shape.

* :func:`instrument_hits`: one row per occurrence (statement, province, date, category, matched
  wording, context left and right): the keyword-in-context lines that justify every cell.
* :func:`instrument_matrix`: province × category, as counts, counts per 10,000 characters or presence.
* :func:`instrument_summary`: the findings in numbers and sentences.

Within a category all terms and patterns form one expression (longest first) matched without
overlaps, so 碳排放权交易 is one hit, not two. Reprints (``duplicate_of`` set) count once.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .paths import DATA_DIR
from .safe_yaml import read_yaml
from .terms import Summary

INSTRUMENTS_FILE = DATA_DIR / "instruments.yaml"
HIT_COLUMNS = ["speech_id", "province", "date", "category", "label", "term", "start", "end", "left", "keyword", "right"]
KWIC_WIDTH = 20


@dataclass(frozen=True)
class Category:
    """One instrument category: key, label, definition, source note, terms, patterns and the combined regex."""

    key: str
    label: str
    definition: str
    source: str
    terms: tuple[str, ...]
    patterns: tuple[str, ...]
    regex: re.Pattern


def load_instruments(path: str | os.PathLike[str] | None = None) -> list[Category]:
    """Return the categories of an instrument dictionary (data/instruments.yaml by default), in file order."""
    path = Path(path or INSTRUMENTS_FILE)
    return list(_load(str(path.resolve()), path.stat().st_mtime_ns))


@lru_cache(maxsize=8)
def _load(path: str, _mtime: int) -> tuple[Category, ...]:
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("Dictionary"), dict):
        raise ValueError(f"{Path(path).name}: needs a `Dictionary:` mapping of category → list of terms")
    words, patterns = data["Dictionary"], data.get("Patterns") or {}
    extra = {key: data.get(key) or {} for key in ("Labels", "Definitions", "Sources")}
    order = [str(c) for c in data.get("Category") or []] + [str(c) for c in words] + [str(c) for c in patterns]
    categories = []
    for key in dict.fromkeys(order):
        terms = tuple(str(t).strip() for t in words.get(key) or [] if str(t).strip())
        regexes = tuple(str(p) for p in patterns.get(key) or [])
        if not terms and not regexes:
            raise ValueError(f"{Path(path).name}: category {key!r} has no term or pattern")
        try:
            parts = [re.escape(t) for t in sorted(terms, key=lambda t: (-len(t), t))] + [f"(?:{p})" for p in regexes]
            regex = re.compile("|".join(sorted(parts, key=lambda p: -len(p))))
        except re.error as error:
            raise ValueError(f"{Path(path).name}: bad pattern in {key!r}: {error}") from error
        categories.append(Category(key, str(extra["Labels"].get(key, key)),
                                   " ".join(str(extra["Definitions"].get(key, "")).split()),
                                   " ".join(str(extra["Sources"].get(key, "")).split()), terms, regexes, regex))
    return tuple(categories)


def dictionary_table(categories: list[Category]) -> pd.DataFrame:
    """Return one row per category: key, label, definition, source, number and list of terms and patterns."""
    return pd.DataFrame([{"category": c.key, "label": c.label, "definition": c.definition, "source": c.source,
                          "terms": len(c.terms) + len(c.patterns), "examples": "、".join(c.terms[:8])}
                         for c in categories],
                        columns=["category", "label", "definition", "source", "terms", "examples"])


def _provincial(speeches: pd.DataFrame) -> pd.DataFrame:
    """Return the provincial statements naming a province, reprints (duplicate_of set) left out."""
    rows = speeches
    if "duplicate_of" in rows:
        rows = rows[rows["duplicate_of"].fillna("").astype(str).str.strip() == ""]
    return rows[(rows["level"] == "provincial") & rows["province"].notna()].reset_index(drop=True)


def instrument_hits(speeches: pd.DataFrame, categories: list[Category] | None = None, *,
                    width: int = KWIC_WIDTH) -> pd.DataFrame:
    """Return one row per instrument occurrence in a provincial statement, with KWIC context: HIT_COLUMNS.

    ``term`` is the dictionary wording matched (for patterns, the text matched); rows are sorted
    by province, date, statement and position.
    """
    categories = load_instruments() if categories is None else categories
    rows = []
    for speech in _provincial(speeches).itertuples():
        text = re.sub(r"\s+", " ", str(speech.text or ""))
        for category in categories:
            for match in category.regex.finditer(text):
                start, end = match.span()
                rows.append((speech.speech_id, speech.province, speech.date, category.key, category.label,
                             match.group(), start, end,
                             ("…" if start > width else "") + text[max(0, start - width):start],
                             match.group(), text[end:end + width] + ("…" if end + width < len(text) else "")))
    hits = pd.DataFrame(rows, columns=HIT_COLUMNS)
    hits["date"] = pd.to_datetime(hits["date"])
    return hits.sort_values(["province", "date", "speech_id", "start", "category"], na_position="last",
                            kind="stable").reset_index(drop=True)


def instrument_matrix(speeches: pd.DataFrame, categories: list[Category] | None = None, *,
                      value: str = "per_10k", hits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return a province × category table: one row per province with statements, characters and a column per category.

    value="count" gives occurrences, "per_10k" occurrences per 10,000 characters of the province's
    statements, "present" True when the category occurs at all.
    """
    if value not in ("count", "per_10k", "present"):
        raise ValueError("value must be 'count', 'per_10k' or 'present'")
    categories = load_instruments() if categories is None else categories
    hits = instrument_hits(speeches, categories) if hits is None else hits
    rows = _provincial(speeches)
    keys = [c.key for c in categories]
    base = rows.groupby("province").agg(statements=("speech_id", "size"),
                                        characters=("text", lambda t: int(t.fillna("").str.len().sum())))
    counts = hits.groupby(["province", "category"]).size().unstack(fill_value=0).reindex(
        index=base.index, columns=keys, fill_value=0).fillna(0).astype(int)
    if value == "per_10k":
        counts = counts.div(base["characters"].where(base["characters"] > 0), axis=0) * 10_000
    elif value == "present":
        counts = counts > 0
    return base.join(counts).rename_axis("province").reset_index()


def _count(n: int, noun: str) -> str:
    """Return '1 province' or 'n provinces'."""
    return f"{n} {noun}{'s' * (n != 1)}"


def instrument_summary(speeches: pd.DataFrame, categories: list[Category] | None = None, *,
                       hits: pd.DataFrame | None = None) -> Summary:
    """Return the numbers and sentences of the instrument coding (true on any corpus)."""
    categories = load_instruments() if categories is None else categories
    hits = instrument_hits(speeches, categories) if hits is None else hits
    n_provinces = _provincial(speeches)["province"].nunique()
    numbers: dict[str, object] = {"provinces": n_provinces, "categories": len(categories), "hits": len(hits)}
    if not n_provinces:
        return Summary(numbers, ["The corpus holds no provincial statement, so no instrument can be coded."])
    if hits.empty:
        return Summary(numbers, [f"No term of the {len(categories)} instrument categories occurs in the statements "
                                 f"of the {n_provinces} province(s)."])
    reach = {k: int(v) for k, v in hits.groupby("category")["province"].nunique().items()}
    total = {k: int(v) for k, v in hits.groupby("category").size().items()}
    labels = {c.key: c.label for c in categories}
    ranked = sorted(reach, key=lambda k: (-reach[k], -total[k], k))
    term_counts = hits.groupby("term").size()
    top_terms = sorted(term_counts.items(), key=lambda item: (-item[1], item[0]))[:3]
    never = [labels[c.key] for c in categories if c.key not in reach]
    for key in ranked:
        numbers[f"provinces with {key}"] = reach[key]
    sentences = [
        "Most widespread instruments: " + "; ".join(
            f"{html.escape(labels[k])} in {reach[k]} of {_count(n_provinces, 'province')} "
            f"({_count(total[k], 'mention')})" for k in ranked[:3]) + ".",
        "Most frequent wordings: " + ", ".join(f"{html.escape(t)} ({n}×)" for t, n in top_terms) + ".",
    ]
    least = ranked[-1]
    if len(ranked) > 3:
        sentences.append(f"Least widespread category found: {html.escape(labels[least])} "
                         f"({_count(reach[least], 'province')}).")
    if never:
        sentences.append("Never mentioned: " + "; ".join(html.escape(n) for n in never) + ".")
    return Summary(numbers, sentences)
