"""Figures of the term statistics (``shuangtan.terms``): term bars, word clouds, keyness, collocates, dispersion.

Each function returns a detached matplotlib Figure, or a small figure saying why there is nothing
to draw (a corpus too small for keyness, a term that never occurs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .colors import BASE_COLOR, category_colors
from .core import contrast_wordcloud, grid_shape, show_wordcloud, term_bars, tile_map, wordcloud
from ..places import resolve_province
from .layout import message_figure, new_figure


def term_panels(panels: Mapping[str, pd.Series], *, xlabel: str = "occurrences", fmt: str = "{:g}",
                colors: Mapping[str, str] | None = None, ncols: int = 4, title: str | None = None) -> Figure:
    """Return side-by-side horizontal bar charts, one per titled Series of term → value (empty ones skipped)."""
    panels = {name: values for name, values in panels.items() if len(values)}
    if not panels:
        return message_figure("No terms to show.", title)
    rows, cols = grid_shape(len(panels), ncols)
    longest = max(len(values) for values in panels.values())
    fig, axes = new_figure(min(3.6 * cols + 1, 16), rows * (0.28 * longest + 1.2), nrows=rows, ncols=cols,
                           squeeze=False)
    for ax, (name, values) in zip(axes.flat, panels.items()):
        term_bars(ax, values, title=name, fmt=fmt, color=(colors or {}).get(name, BASE_COLOR))
    for ax in axes.flat[len(panels):]:
        ax.set_axis_off()
    fig.supxlabel(xlabel, fontsize=9)
    if title:
        fig.suptitle(title)
    return fig


def wordcloud_panels(panels: Mapping[str, Mapping[str, float]], *, max_words: int = 80) -> Figure:
    """Return one seeded word cloud per titled frequency mapping, side by side (empty ones skipped)."""
    panels = {name: counts for name, counts in panels.items() if any(v > 0 for v in counts.values())}
    if not panels:
        return message_figure("No words to draw.")
    fig, axes = new_figure(6.5 * len(panels), 4, ncols=len(panels), squeeze=False)
    for ax, (name, counts) in zip(axes.flat, panels.items()):
        show_wordcloud(ax, wordcloud(counts, max_words=max_words), title=name)
    return fig


def contrast_cloud(log_ratios: Mapping[str, float], sizes: Mapping[str, float], *, labels: tuple[str, str],
                   title: str | None = None) -> Figure:
    """Return a word cloud sized by frequency and coloured by the log₂ ratio of two groups' rates."""
    if not sizes:
        return message_figure(f"No shared vocabulary to contrast ({labels[0]} vs {labels[1]}).", title)
    fig, ax = new_figure(10, 6)
    contrast_wordcloud(ax, log_ratios, sizes, labels=labels, width=1000, height=560)
    ax.set_title(title or f"{labels[0]} versus {labels[1]}: size = frequency, colour = log₂ ratio")
    return fig


def map_figure(values: pd.Series | Mapping[str, object], *, title: str, **options) -> Figure:
    """Return a tile map of the provinces (options go to plots.tile_map); keys that are no province are left out."""
    fig, ax = new_figure(9, 6.5)
    tile_map(ax, known_provinces(values), title=title, **options)
    return fig


def known_provinces(values: pd.Series | Mapping[str, object]) -> pd.Series:
    """Return the values whose key names one of the 31 provinces (a city or an unknown name is dropped)."""
    series = values if isinstance(values, pd.Series) else pd.Series(dict(values))
    return series[[resolve_province(str(key)) is not None for key in series.index]]


def keyness_grid(key_terms: pd.DataFrame, *, order: Sequence[str], colors: Mapping[str, str] | None = None,
                 per_group: int = 5, ncols: int = 6, title: str | None = None) -> Figure:
    """Return one small bar chart per group of its surviving key terms: bar = log₂ ratio, label = statistic.

    key_terms is the long table of terms.keyness_by_group restricted to the terms to show
    (e.g. the significant ones); groups of `order` without a row say so in their panel.
    """
    if not len(order):
        return message_figure("No group to compare.", title)
    rows, cols = grid_shape(len(order), ncols)
    fig, axes = new_figure(2.3 * cols + 0.5, 1.9 * rows + 0.6, nrows=rows, ncols=cols, squeeze=False)
    for ax, group in zip(axes.flat, order):
        top = key_terms[key_terms["group"] == group].head(per_group)
        ax.set_title(str(group), fontsize=9)
        ax.spines[["top", "right"]].set_visible(False)
        if top.empty:
            ax.text(0.5, 0.5, "no key term survives", transform=ax.transAxes, ha="center", va="center",
                    fontsize=8, color="grey")
            ax.set_xticks([])
            ax.set_yticks([])
            continue
        y = np.arange(len(top))[::-1]
        ax.barh(y, top["log_ratio"], color=(colors or {}).get(group, BASE_COLOR))
        ax.set_yticks(y, top["term"].tolist(), fontsize=8)
        for position, ratio, statistic in zip(y, top["log_ratio"], top["statistic"]):
            ax.text(ratio, position, f" {statistic:.0f}", va="center", fontsize=6.5)
        ax.set_ylim(-0.6, per_group - 0.4)
        ax.margins(x=0.3)
    for ax in axes.flat[len(order):]:
        ax.set_axis_off()
    fig.supxlabel("log₂ ratio of rates (group vs the rest); number = test statistic", fontsize=9)
    if title:
        fig.suptitle(title)
    return fig


def collocate_bars(collocates: pd.DataFrame, node: str, *, measure: str = "logdice", top: int = 20) -> Figure:
    """Return bars of the top collocates of `node` by a measure (logdice, mi, t_score, g2), labelled with counts."""
    if collocates.empty:
        return message_figure(f"{node}: no collocate reaches the minimum count.")
    shown = collocates.sort_values([measure, "collocate"], ascending=[False, True]).head(top)
    fig, ax = new_figure(7, 0.28 * len(shown) + 1.3)
    names = [f"{c} ({n}×)" for c, n in zip(shown["collocate"], shown["count"])]
    term_bars(ax, pd.Series(shown[measure].to_numpy(), index=names), fmt="{:.1f}", xlabel=measure,
              title=f"Collocates of {node} by {measure} (co-occurrences in brackets)")
    return fig


def dispersion_plot(positions: pd.DataFrame, *, title: str | None = None, max_rows: int = 60) -> Figure:
    """Return a dispersion (x-ray) plot: one row per statement, a mark where each term occurs (0 = start, 1 = end)."""
    found = positions.dropna(subset=["term"])
    if found.empty:
        return message_figure("None of the chosen terms occurs in the statements.", title)
    labels = list(dict.fromkeys(positions["label"]))[:max_rows]
    found = found[found["label"].isin(labels)]
    colours = category_colors(sorted(found["term"].unique()))
    fig, ax = new_figure(9, 0.22 * len(labels) + 1.6)
    y = {label: i for i, label in enumerate(labels[::-1])}
    for term, colour in colours.items():
        part = found[found["term"] == term]
        ax.scatter(part["relative"], part["label"].map(y), marker="|", s=120, color=colour, label=term, linewidths=1.6)
    ax.set_yticks(list(y.values()), list(y), fontsize=7)
    ax.set_xlim(0, 1)
    ax.set_xlabel("position in the statement (0 = start, 1 = end)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ax.grid(axis="y", color="0.92")
    more = len(dict.fromkeys(positions["label"])) - len(labels)
    note = f" (first {len(labels)} statements; {more} more)" if more > 0 else ""
    ax.set_title(title or "Where the terms occur" + note)
    return fig
