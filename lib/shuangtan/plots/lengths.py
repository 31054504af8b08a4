"""Corpus-overview figure: how long the statements are (one bar each, or a histogram for large corpora)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .colors import BASE_COLOR, PAIR_COLORS
from .layout import MAX_LABELS, log_axis, message_figure, new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def statement_lengths(speeches: pd.DataFrame, max_bars: int = MAX_LABELS) -> Figure:
    """Return the length of every statement as a bar (up to ``max_bars``), else a histogram by level.

    Bars are labelled by province (central statements by '中央' and their document) and sorted by length.
    """
    if speeches.empty:
        return message_figure("The corpus has no statements, so there are no lengths to show.")
    if len(speeches) > max_bars:
        return _length_histogram(speeches)
    rows = speeches.assign(label=speeches["province"].fillna("中央 " + speeches["doc_id"].astype(str).str[:3])
                           + " · " + speeches["speech_id"].astype(str).str[-2:]).sort_values("n_chars", kind="mergesort")
    fig, ax = new_figure(8.0, max(2.0, 0.9 + 0.26 * len(rows)))
    ax.barh(range(len(rows)), rows["n_chars"], color=BASE_COLOR)
    ax.set_yticks(range(len(rows)), rows["label"], fontsize=8.5)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel("characters in the statement (clean text)")
    ax.set_title("每条讲话的长度 / length of each statement")
    return fig


def _length_histogram(speeches: pd.DataFrame) -> Figure:
    """Return histograms (log-spaced bins) of statement length, one colour per level."""
    lengths = speeches["n_chars"].clip(lower=1).astype(float)
    bins = np.geomspace(lengths.min(), max(lengths.max(), lengths.min() + 1), 30)
    fig, ax = new_figure(8.0, 4.0)
    for (level, group), color in zip(speeches.assign(n=lengths).groupby("level", sort=True), (*PAIR_COLORS, "0.5")):
        ax.hist(group["n"], bins=bins, color=color, alpha=0.6, label=f"{level} ({len(group)})")
    log_axis(ax)
    ax.set_xlabel("characters in the statement (clean text, log scale)")
    ax.set_ylabel("statements")
    ax.set_title(f"每条讲话的长度 / length of the {len(speeches)} statements")
    ax.legend(fontsize=8)
    return fig
