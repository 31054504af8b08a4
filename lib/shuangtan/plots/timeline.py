"""Timeline figures: statements per province over time, the diffusion curve, the month of first action
on the tile map, and occasion types over time. Each function returns one figure; the x-range always
comes from the data (``shuangtan.timeline.window``), so no statement falls off a chart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.lines import Line2D

from ..timeline import diffusion_curve, window
from .colors import BASE_COLOR, MISSING_COLOR, REGION_COLORS, region_label, sequential_colors
from .core import tile_map
from .layout import date_axis, draw_milestones, message_figure, new_figure, off_chart_note

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NO_DATES = "No provincial statement in this corpus has a known date, so there is nothing to place in time."
# Above this many dots a timeline draws smaller, translucent markers.
MANY_DOTS = 400


def _region_legend(ax, extra: list | None = None) -> None:
    """Add a legend of the region colours (plus extra handles) to the right of the axes."""
    handles = [Line2D([], [], marker="o", linestyle="", color=color, label=region_label(region))
               for region, color in REGION_COLORS.items()]
    ax.legend(handles=handles + (extra or []), loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
              frameon=False)


def statement_timeline(statements: pd.DataFrame, first: pd.DataFrame, events: pd.DataFrame) -> Figure:
    """Return one row per province (ordered by first action) with a dot per dated statement and the milestones.

    statements: ``timeline.statements_by_province``; first: ``timeline.first_actions``; events: ``milestones()``.
    The first action is filled, later statements hollow; colours are the regions.
    """
    dated = statements.dropna(subset=["date"])
    order = first.dropna(subset=["first_date"])
    span = window(dated["date"])
    if span is None:
        return message_figure(NO_DATES)
    y_of = {province: i for i, province in enumerate(order["province"])}
    fig, ax = new_figure(height=max(3.0, 1.6 + 0.26 * len(order)))
    many = len(dated) > MANY_DOTS
    colors = dated["region"].map(REGION_COLORS).fillna(MISSING_COLOR)
    is_first = dated["speech_id"].isin(order["speech_id"]).to_numpy()
    ax.scatter(dated.loc[~is_first, "date"], dated.loc[~is_first, "province"].map(y_of), s=12 if many else 34,
               facecolors="white", edgecolors=colors[~is_first], linewidths=1.0, alpha=0.5 if many else 1.0, zorder=2)
    ax.scatter(dated.loc[is_first, "date"], dated.loc[is_first, "province"].map(y_of), s=46, c=colors[is_first],
               edgecolors=colors[is_first], linewidths=1.3, zorder=3)
    ax.set_yticks(range(len(order)), [f"{p} {e}" for p, e in zip(order["province"], order["province_en"])], fontsize=8.5)
    ax.set_ylim(len(order) - 0.5, -0.5)
    date_axis(ax, *span)
    ax.grid(axis="y", color="0.92")
    outside, n_rows = draw_milestones(ax, events, *span)
    off_chart_note(ax, outside)
    later = Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="0.3",
                   label="later statement")
    _region_legend(ax, [later])
    ax.set_title("First and later statements on the dual-carbon goals, by province", pad=8 + 11 * n_rows)
    return fig


def diffusion_chart(first: pd.DataFrame, events: pd.DataFrame) -> Figure:
    """Return the cumulative number of provinces with a first action over time, with the milestones."""
    curve = diffusion_curve(first)
    span = window(curve["date"])
    if span is None:
        return message_figure(NO_DATES)
    start, end = span
    steps = pd.concat([pd.DataFrame({"date": [start], "n_acted": [0]}), curve[["date", "n_acted"]],
                       pd.DataFrame({"date": [end], "n_acted": [curve["n_acted"].iloc[-1]]})])
    fig, ax = new_figure(height=6.0)
    ax.step(steps["date"], steps["n_acted"], where="post", color=BASE_COLOR, linewidth=2)
    for step in curve.itertuples():
        names = step.provinces if step.n_new <= 4 else f"{step.n_new} provinces"
        ax.text(step.date + (end - start) * 0.006, step.n_acted - 0.5, names, fontsize=7, va="center", color="0.3")
    date_axis(ax, start, end)
    ax.set_ylim(0, len(first) + 1)
    ax.set_ylabel("provinces that have acted")
    outside, n_rows = draw_milestones(ax, events, start, end)
    off_chart_note(ax, outside)
    ax.set_title("Diffusion curve: provinces with a first statement on the dual-carbon goals", pad=8 + 11 * n_rows)
    return fig


def _periods(dates: pd.Series) -> tuple[pd.Series, str]:
    """Return the dates as month, quarter or year labels (the finest giving at most 12 values) and its name."""
    for freq, name in (("M", "month"), ("Q", "quarter"), ("Y", "year")):
        periods = dates.dt.to_period(freq).astype(str)
        if periods.nunique() <= 12 or freq == "Y":
            return periods, name
    raise AssertionError("unreachable")


def first_action_map(first: pd.DataFrame) -> Figure:
    """Return the tile map of the provinces coloured by the month (or quarter, year) of their first action."""
    acted = first.dropna(subset=["first_date"]).set_index("province")["first_date"]
    if acted.empty:
        return message_figure(NO_DATES)
    periods, unit = _periods(acted)
    order = sorted(periods.unique())
    fig, ax = new_figure(9.0, 7.0)
    tile_map(ax, periods, categorical=True, palette=sequential_colors(order), order=order,
             legend_title=f"{unit} of first statement", missing_label="no dated statement",
             title=f"The {unit} of each province's first statement on the dual-carbon goals")
    ax.get_legend().set_loc("center left")
    ax.get_legend().set_bbox_to_anchor((1.0, 0.5))
    return fig


def occasion_timeline(statements: pd.DataFrame, events: pd.DataFrame, names: dict[str, str] | None = None) -> Figure:
    """Return each dated provincial statement as a dot on its occasion type over time, coloured by region."""
    dated = statements.dropna(subset=["date"])
    span = window(dated["date"])
    if span is None:
        return message_figure(NO_DATES)
    names = names or {}
    labels = dated["occasion_type"].fillna("other").map(lambda t: names.get(t, t))
    type_order = dated.assign(label=labels).groupby("label")["date"].min().sort_values().index.tolist()
    counts = labels.value_counts()
    fig, ax = new_figure(height=max(3.0, 1.8 + 0.3 * len(type_order)))
    many = len(dated) > MANY_DOTS
    ax.scatter(dated["date"], labels.map({label: i for i, label in enumerate(type_order)}), s=14 if many else 50,
               c=dated["region"].map(REGION_COLORS).fillna(MISSING_COLOR), alpha=0.5 if many else 0.85, zorder=3)
    ax.set_yticks(range(len(type_order)), [f"{label} ({counts[label]})" for label in type_order], fontsize=8.5)
    ax.set_ylim(len(type_order) - 0.5, -0.5)
    date_axis(ax, *span)
    ax.grid(axis="y", color="0.92")
    outside, n_rows = draw_milestones(ax, events, *span)
    off_chart_note(ax, outside)
    _region_legend(ax)
    ax.set_title("Occasion of each provincial statement", pad=8 + 11 * n_rows)
    return fig
