"""Colours shared by every page: one colour per region, per cluster, per category.

Every figure that colours provinces by region uses :data:`REGION_COLORS`, so a region has the same
colour on every page of the site.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import matplotlib as mpl
from matplotlib import colors as mcolors

# The four statistical regions of the provinces table (region column), Dark2 (colour-blind safe).
REGION_COLORS = {"东部": "#1b9e77", "中部": "#d95f02", "西部": "#7570b3", "东北": "#e7298a"}
# English names of the regions, for legends that carry both.
REGION_NAMES_EN = {"东部": "East", "中部": "Central", "西部": "West", "东北": "Northeast"}
# Colour of anything without a value (a province without data, an unknown region).
MISSING_COLOR = "#d9d9d9"
# Colours of the two sides of a comparison (central vs provincial …), colour-blind safe.
PAIR_COLORS = ("#b2182b", "#2166ac")
# Neutral colour for single-series charts.
BASE_COLOR = PAIR_COLORS[1]


def region_color(region: object) -> str:
    """Return the colour of a region (Chinese name), grey when the region is unknown."""
    return REGION_COLORS.get(str(region), MISSING_COLOR) if isinstance(region, str) else MISSING_COLOR


def region_label(region: str) -> str:
    """Return the legend label of a region: '东部 East'."""
    return f"{region} {REGION_NAMES_EN.get(region, '')}".strip()


def category_colors(categories: Iterable[object]) -> dict[object, str]:
    """Return a colour per category in the given order (tab10, then Set3 when there are more than 10)."""
    cycle = [mcolors.to_hex(c) for c in mpl.colormaps["tab10"].colors + mpl.colormaps["Set3"].colors]
    return {category: cycle[i % len(cycle)] for i, category in enumerate(categories)}


def cluster_colors(k: int) -> dict[int, str]:
    """Return the colour of each cluster number 1..k (the same numbering colours every clustering figure)."""
    return category_colors(range(1, int(k) + 1))


def sequential_colors(categories: Sequence[object], cmap: str = "viridis_r") -> dict[object, str]:
    """Return colours along a sequential colormap for ordered categories (e.g. months, first lightest)."""
    n = len(categories)
    colormap = mpl.colormaps[cmap]
    return {c: mcolors.to_hex(colormap(0.5 if n == 1 else 0.1 + 0.85 * i / (n - 1))) for i, c in enumerate(categories)}
