"""Building blocks shared by the figure functions: new figures, a figure that says why it is empty,
date axes and national milestones drawn as labelled vertical lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

from ..timeline import label_rows

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Width of a figure that fills the page's text column, in inches.
PAGE_WIDTH = 10.0
# Most tick labels a category axis shows before a chart aggregates instead.
MAX_LABELS = 60
# Iterations adjustText may take to move point labels apart. A count, never its default one-second time
# limit: how far a time limit gets depends on the machine's load, so two runs would differ. On the seeds
# (31 provinces) no two labels overlap from 50 iterations on; 300 take about 0.4 s.
LABEL_ITERATIONS = 300
# Rows of milestone labels above a date axis before the labels become numbers with a key below.
MAX_LABEL_ROWS = 3


def new_figure(width: float = PAGE_WIDTH, height: float = 5.0, **subplots) -> tuple[Figure, object]:
    """Return (figure, axes) with constrained layout, detached from pyplot.

    Detached (``plt.close``) so a notebook shows the figure once, where the cell returns it.
    ``subplots`` go to ``Figure.subplots`` (nrows, ncols, squeeze …).
    """
    fig = blank_figure(width, height)
    return fig, fig.subplots(**subplots)


def blank_figure(width: float = PAGE_WIDTH, height: float = 5.0) -> Figure:
    """Return a figure without axes, with constrained layout, detached from pyplot (see new_figure).

    The project's Chinese font is made the default first, so a figure shows real glyphs whoever calls it.
    """
    from .core import use_chinese_font  # core imports this module's neighbours, not this one: no cycle

    use_chinese_font()
    fig = plt.figure(figsize=(width, height), layout="constrained")
    plt.close(fig)
    return fig


def message_figure(message: str, title: str | None = None, width: float = PAGE_WIDTH, height: float = 1.6) -> Figure:
    """Return a small figure that states, in words, why there is nothing to draw."""
    fig, ax = new_figure(width, height)
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True, fontsize=11, color="0.3",
            transform=ax.transAxes)
    if title:
        ax.set_title(title)
    return fig


def date_axis(ax: Axes, start: pd.Timestamp, end: pd.Timestamp) -> None:
    """Set the x-range to start..end with month ticks spaced to stay readable (years on long ranges)."""
    ax.set_xlim(start, end)
    months = max(1, (end.year - start.year) * 12 + end.month - start.month)
    if months > 72:
        ax.xaxis.set_major_locator(mdates.YearLocator(base=max(1, months // 120)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    else:
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=max(1, months // 14 + 1)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)


def draw_milestones(
    ax: Axes, events: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, *, fontsize: float = 7.5,
    row_points: float = 11,
) -> tuple[pd.DataFrame, int]:
    """Draw the milestones between start and end as dashed lines with labels in rows above the axes.

    Returns the milestones outside the range and the number of label rows used.
    """
    shown = events[(events["date"] >= start) & (events["date"] <= end)]
    texts = [f"{event.label} ({event.date:%Y-%m-%d})" for event in shown.itertuples()]
    inches = ax.figure.get_figwidth() * 0.85
    days_per_point = max((end - start).days, 1) / (inches * 72)
    widths = [(len(text) + 3) * 0.5 * fontsize * days_per_point for text in texts]
    rows = label_rows(list(shown["date"]), widths)
    if max(rows, default=0) >= MAX_LABEL_ROWS:  # crowded: number the lines and name them under the chart
        key = "; ".join(f"{number} {text}" for number, text in enumerate(texts, start=1))
        texts = [str(number) for number in range(1, len(texts) + 1)]
        rows = label_rows(list(shown["date"]), [3 * 0.5 * fontsize * days_per_point] * len(texts))
        ax.annotate("Milestones: " + key, (0.0, 0.0), xycoords="axes fraction", xytext=(0, -40),
                    textcoords="offset points", fontsize=7.5, color="0.35", va="top", wrap=True)
    for event, text, row in zip(shown.itertuples(), texts, rows):
        ax.axvline(event.date, color="0.45", linestyle="--", linewidth=0.8, zorder=0)
        ax.annotate(text, (event.date, 1.0), xycoords=("data", "axes fraction"), xytext=(1, 3 + row * row_points),
                    textcoords="offset points", fontsize=fontsize, color="0.25", va="bottom", ha="left")
    outside = events[(events["date"] < start) | (events["date"] > end)]
    return outside, max(rows, default=-1) + 1


def off_chart_note(ax: Axes, outside: pd.DataFrame) -> None:
    """Write under the axes which milestones lie outside the chart's date range (nothing when none)."""
    if outside.empty:
        return
    ax.annotate("Milestones outside this range: " + "; ".join(f"{e.label} ({e.date:%Y-%m-%d})" for e in outside.itertuples()),
                (0.0, 0.0), xycoords="axes fraction", xytext=(0, -64), textcoords="offset points", fontsize=7.5,
                color="0.35", va="top", wrap=True)


def label_axes(ax: Axes, title: str, xlabel: str, ylabel: str | None = None, *, legend: str | None = None) -> None:
    """Set an axes' title and axis labels, and draw its legend in small type at ``legend`` (a loc) if given."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if legend is not None:
        ax.legend(fontsize=8, loc=legend)


def log_axis(ax: Axes, which: str = "x") -> None:
    """Put an axis on a log scale labelled with plain numbers (1, 2, 5, 10, 20 …), not powers of ten."""
    import matplotlib.ticker as mticker

    axis = ax.xaxis if which == "x" else ax.yaxis
    (ax.set_xscale if which == "x" else ax.set_yscale)("log")
    axis.set_major_locator(mticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    axis.set_major_formatter(mticker.StrMethodFormatter("{x:g}"))
    axis.set_minor_formatter(mticker.NullFormatter())


def thin_labels(labels: Sequence[str], limit: int = MAX_LABELS) -> list[str]:
    """Return the labels with all but every n-th blanked, so at most ``limit`` are shown."""
    step = max(1, -(-len(labels) // limit))
    return [label if i % step == 0 else "" for i, label in enumerate(labels)]


def separate_labels(ax: Axes, labels: Sequence) -> None:
    """Move point labels apart so none overlaps another (adjustText, a fixed iteration count: layouts repeat exactly).

    Each moved label gets a thin leader line to its point. Nothing is returned; the labels are moved in place.
    """
    if len(labels) < 2:
        return
    from adjustText import adjust_text

    # adjust_text first draws the figure (without output) to measure the labels: no draw needed here
    adjust_text(list(labels), ax=ax, arrowprops=dict(arrowstyle="-", color="0.55", lw=0.5),
                expand=(1.15, 1.3), ensure_inside_axes=True, iter_lim=LABEL_ITERATIONS)


def overlapping_labels(ax: Axes, labels: Sequence) -> list[tuple[str, str]]:
    """Return the pairs of labels whose drawn boxes overlap (empty when every label is readable)."""
    renderer = ax.figure._get_renderer()  # works for figures detached from pyplot too
    boxes = [(label.get_text(), label.get_window_extent(renderer)) for label in labels]
    return [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:] if box_a.overlaps(box_b)]
