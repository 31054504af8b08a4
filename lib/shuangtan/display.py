"""Show tables and figures in a notebook so that the rendered site is readable and downloadable.

``show_table`` displays a table (no 0-based index, blanks for missing values, Chinese left-aligned)
and ``show_figure`` a matplotlib figure with alt text. (First version: the site work extends both
so every table is also written as CSV and every figure as PNG/SVG next to the pages.)
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def show_table(frame: pd.DataFrame, name: str, *, caption: str | None = None, top: int | None = None) -> Any:
    """Return a display object for the table's first ``top`` rows (all when None); ``name`` names its CSV."""
    shown = frame if top is None else frame.head(top)
    styler = shown.style.hide(axis="index").format(na_rep="")
    if caption:
        styler = styler.set_caption(caption)
    return styler


def show_figure(fig: Any, name: str, alt: str) -> Any:
    """Return the figure for display; ``name`` names its PNG/SVG files and ``alt`` describes it in words."""
    return fig
