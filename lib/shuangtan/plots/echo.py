"""Figures of the central-echo analysis (``shuangtan.echo``) and of the policy instruments.

Each function returns a detached matplotlib Figure (shown once where a notebook cell returns it)
or, when there is nothing to draw, a small figure that says why.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .colors import REGION_COLORS, region_label
from .core import tile_map
from .terms import known_provinces
from .layout import MAX_LABELS, date_axis, draw_milestones, message_figure, new_figure, off_chart_note

ECHO_COLORS = {"central": "#d6604d", "formula": "#4393c3", "own": "#e0e0e0"}


def echo_map(by_province: pd.DataFrame, *, column: str = "echo_share", title: str | None = None) -> Figure:
    """Return a tile map of China coloured by each province's echo share (percent printed on each tile)."""
    values = known_provinces(by_province.dropna(subset=[column]).set_index("province")[column] * 100)
    if values.empty:
        return message_figure("No provincial statement to measure.", title)
    fig, ax = new_figure(9, 6.5)
    tile_map(ax, values, cmap="Reds", vmin=0, vmax=max(float(values.max()), 1.0), show_values="{:.0f}%",
             legend_title="% of characters echoing the centre",
             title=title or "Central echo by province (grey: no statement)")
    return fig


def echo_bars(by_province: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Return stacked horizontal bars per province: shared with a central text, formula only, own (100%)."""
    rows = by_province.dropna(subset=["echo_share"]).sort_values(["echo_share", "province"], ascending=[True, False])
    if rows.empty:
        return message_figure("No provincial statement to measure.", title)
    central = rows["central_share"].to_numpy() * 100
    formula = (rows["echo_share"] - rows["central_share"]).clip(lower=0).to_numpy() * 100
    own = rows["own_share"].to_numpy() * 100
    fig, ax = new_figure(8, 0.26 * len(rows) + 1.4)
    y = np.arange(len(rows))
    left = np.zeros(len(rows))
    for values, key, label in ((central, "central", "shared with a central text"),
                               (formula, "formula", "standard formula only"), (own, "own", "the province's own")):
        ax.barh(y, values, left=left, color=ECHO_COLORS[key], label=label)
        left += values
    ax.set_yticks(y, [f"{p} ({n})" for p, n in zip(rows["province"], rows["statements"])], fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of the province's characters (statements pooled; number of statements in brackets)")
    ax.legend(loc="lower right", fontsize=8, frameon=True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title or "How much of each province's text echoes the centre")
    return fig


def echo_timeline(table: pd.DataFrame, milestones: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Return a dot chart of every dated statement's echo share over time, coloured by region, with milestones.

    Each dot is named by its province when there are at most MAX_LABELS dots; above that none is.
    """
    dated = table.dropna(subset=["date", "echo_share"])
    if dated.empty:
        return message_figure("No dated provincial statement: echo cannot be followed over time.", title)
    start = min(dated["date"].min(), milestones["date"].min()) - pd.Timedelta(days=20)
    end = max(dated["date"].max(), milestones["date"].max()) + pd.Timedelta(days=20)
    fig, ax = new_figure(10, 5)
    colours = [REGION_COLORS.get(r, "#7f7f7f") for r in dated["region"]]
    sizes = 12 + 60 * np.sqrt(dated["n_chars"] / max(dated["n_chars"].max(), 1))
    labelled = len(dated) <= MAX_LABELS  # beyond that the names would cover the dots: none is written
    ax.scatter(dated["date"], dated["echo_share"] * 100, s=sizes if labelled else sizes / 4, c=colours,
               alpha=0.8 if labelled else 0.5, edgecolor="white" if labelled else "none", zorder=3)
    for row in dated.itertuples() if labelled else ():
        ax.annotate(row.province, (row.date, row.echo_share * 100), fontsize=7, xytext=(3, 2),
                    textcoords="offset points", color="0.3")
    outside, label_rows = draw_milestones(ax, milestones, start, end)
    date_axis(ax, start, end)
    off_chart_note(ax, outside)
    ax.set_ylabel("% of characters echoing the centre")
    ax.set_ylim(bottom=0)
    present = [r for r in REGION_COLORS if r in set(dated["region"])]
    ax.legend(handles=[Patch(color=REGION_COLORS[r], label=region_label(r)) for r in present], fontsize=8,
              loc="upper left", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    undated = len(table) - len(dated)
    names = "" if labelled else f"; {len(dated):,} dots, too many to name"
    ax.set_title(title or f"Echo of each dated statement (dot size: length; {undated:,} undated left out{names})",
                 pad=8 + 11 * label_rows)
    return fig


def instrument_heatmap(matrix: pd.DataFrame, labels: Mapping[str, str], *, title: str | None = None) -> Figure:
    """Return a province × instrument heatmap of mentions per 10,000 characters (values printed, blank = none)."""
    keys = [k for k in labels if k in matrix.columns]
    if matrix.empty or not keys:
        return message_figure("No provincial statement or no instrument category to show.", title)
    data = matrix.set_index("province")[keys].astype(float)
    fig, ax = new_figure(1.25 * len(keys) + 2.5, 0.28 * len(data) + 2.2)
    shown = np.ma.masked_where(~(data.to_numpy() > 0), data.to_numpy())
    image = ax.imshow(shown, aspect="auto", cmap="YlGnBu", vmin=0)
    ax.set_facecolor("#f4f4f4")
    ax.set_xticks(range(len(keys)), [labels[k].replace(" ", "\n", 1) for k in keys], fontsize=8)
    ax.set_yticks(range(len(data)), data.index, fontsize=8)
    for (i, j), value in np.ndenumerate(data.to_numpy()):
        if value > 0:
            ax.text(j, i, f"{value:.0f}", ha="center", va="center", fontsize=6.5,
                    color="white" if value > 0.6 * np.nanmax(shown) else "black")
    fig.colorbar(image, ax=ax, shrink=0.5, label="mentions per 10,000 characters")
    ax.set_title(title or "Policy instruments by province (grey: not mentioned)")
    return fig
