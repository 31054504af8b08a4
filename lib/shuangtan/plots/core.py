"""Figures with Chinese text: one CJK font for matplotlib and word clouds, plus shared chart helpers.

The font is Noto Sans SC (SIL Open Font License 1.1) shipped by the pip package
``pylopdf-fonts-zh-cn``; it is registered with matplotlib by path, so figures render Chinese
on a machine with no system CJK font and nothing is downloaded. Call ``use_chinese_font()``
once at the top of a notebook. ``tile_map`` draws the tile-grid map of the 31 provinces.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib import colors as mcolors
from matplotlib import font_manager
from matplotlib.patches import Patch, Rectangle

from ..fonts import font_path
from ..paths import RANDOM_STATE
from ..places import provinces, resolve_province
from .colors import MISSING_COLOR, PAIR_COLORS, category_colors

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from wordcloud import WordCloud

FONT_FAMILY = "Noto Sans SC"


@lru_cache(maxsize=1)
def _register_font() -> str:
    """Add the font file to matplotlib's font manager (once) and return its family name."""
    path = font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def use_chinese_font() -> None:
    """Make Noto Sans SC matplotlib's default font (registered by path), use ASCII minus signs, fix title heights.

    DejaVu Sans (bundled with matplotlib) is the per-glyph fallback for the few symbols Noto
    Sans SC lacks (subscripts such as ₂).
    """
    name = _register_font()
    fallbacks = [f for f in mpl.rcParams["font.sans-serif"] if f != name]
    mpl.rcParams["font.sans-serif"] = [name, *fallbacks]
    mpl.rcParams["font.family"] = [name, "DejaVu Sans"]
    mpl.rcParams["axes.unicode_minus"] = False
    # Titles at a fixed height above the axes. matplotlib's automatic height measures every tick label
    # on each draw to clear ticks drawn above an axes; no figure of the project has any, so every
    # figure's files are byte-identical either way, and saving them takes about 15 % less time.
    mpl.rcParams["axes.titley"] = 1.0


@lru_cache(maxsize=1)
def _font_codepoints() -> frozenset[int]:
    """Return the Unicode code points the Chinese font has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(str(font_path()), lazy=True) as font:
        return frozenset(font.getBestCmap())


def missing_glyphs(text: Iterable[str]) -> list[str]:
    """Return the distinct non-space characters of text that the Chinese font cannot draw."""
    chars = {char for chunk in text for char in chunk if not char.isspace()}
    return sorted(char for char in chars if ord(char) not in _font_codepoints())


# ---------------------------------------------------------------- word clouds


def wordcloud(frequencies: Mapping[str, float], *, color_by: Mapping[str, str] | None = None, **kwargs: Any) -> WordCloud:
    """Return a seeded WordCloud drawn from word frequencies with the Chinese font.

    color_by maps a word to a colour (others are grey); any WordCloud argument can be overridden.
    """
    from wordcloud import WordCloud

    frequencies = {str(word): float(value) for word, value in frequencies.items() if value and value > 0}
    if not frequencies:
        raise ValueError("wordcloud() needs at least one word with a positive frequency")
    options: dict[str, Any] = {
        "font_path": str(font_path()),
        "random_state": RANDOM_STATE,
        "background_color": "white",
        "width": 800,
        "height": 450,
        "prefer_horizontal": 1.0,
        "max_words": 100,
        "colormap": "Dark2",
        "collocations": False,
    }
    options.update(kwargs)
    if color_by is not None:
        colours = dict(color_by)
        options["color_func"] = lambda word, **_: colours.get(word, "#7f7f7f")
    return WordCloud(**options).generate_from_frequencies(frequencies)


def show_wordcloud(ax: Axes, cloud: WordCloud, title: str | None = None) -> Axes:
    """Draw a word cloud on an axes without ticks and return the axes."""
    ax.imshow(cloud.to_array(), interpolation="bilinear")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def contrast_wordcloud(
    ax: Axes,
    log_ratios: Mapping[str, float],
    sizes: Mapping[str, float],
    *,
    labels: tuple[str, str] = ("A", "B"),
    cmap: str = "RdBu",
    limit: float | None = None,
    **kwargs: Any,
) -> WordCloud:
    """Draw a word cloud sized by `sizes` and coloured by log ratio (negative: labels[0], positive: labels[1]).

    Adds a colour bar explaining the colours and returns the WordCloud.
    """
    words = [word for word in sizes if word in log_ratios]
    limit = limit or max((abs(log_ratios[w]) for w in words), default=1.0) or 1.0
    norm = mcolors.Normalize(-limit, limit)
    colormap = mpl.colormaps[cmap]
    # Darken the pale middle of a diverging map so balanced words stay readable on white.
    colours = {w: mcolors.to_hex(_readable(colormap(norm(log_ratios[w])))) for w in words}
    cloud = wordcloud({w: sizes[w] for w in words}, color_by=colours, **kwargs)
    show_wordcloud(ax, cloud)
    bar = ax.figure.colorbar(
        mpl.cm.ScalarMappable(norm=norm, cmap=colormap), ax=ax, orientation="horizontal", fraction=0.05, pad=0.02
    )
    bar.set_label(f"log₂ ratio of rates:  ← more {labels[0]}   ·   more {labels[1]} →")
    return cloud


def _readable(rgba: Sequence[float], max_lightness: float = 0.7) -> tuple[float, float, float]:
    """Return the colour darkened until its HLS lightness is at most max_lightness."""
    import colorsys

    h, lightness, s = colorsys.rgb_to_hls(*rgba[:3])
    return colorsys.hls_to_rgb(h, min(lightness, max_lightness), s)


# ---------------------------------------------------------------- bar charts


def term_bars(
    ax: Axes, values: pd.Series | Mapping[str, float], *, title: str | None = None, color: str | None = None,
    xlabel: str | None = None, fmt: str | None = "{:g}",
) -> Axes:
    """Draw a horizontal bar chart of terms (first item at the top) with value labels; return the axes.

    ``fmt=None`` leaves the value labels out (the x-axis still gives the values).
    """
    series = pd.Series(values, dtype=float)
    positions = np.arange(len(series))[::-1]
    ax.barh(positions, series.to_numpy(), color=color or PAIR_COLORS[1])
    ax.set_yticks(positions, [str(label) for label in series.index])
    for y, value in zip(positions, series.to_numpy() if fmt else []):
        ax.text(value, y, " " + fmt.format(value), va="center", fontsize=8)
    ax.margins(x=0.15)
    ax.spines[["top", "right"]].set_visible(False)
    if title:
        ax.set_title(title)
    if xlabel:
        ax.set_xlabel(xlabel)
    return ax


# ---------------------------------------------------------------- tile map


def _province_key(name: object) -> str | None:
    """Return the short name for a short/full name or an ISO code (CN-BJ), else None."""
    if not isinstance(name, str):
        return None
    table = provinces()
    by_code = dict(zip(table["iso_code"], table["short_name"]))
    return by_code.get(name.strip().upper()) or resolve_province(name)


def _text_color(rgba: Sequence[float]) -> str:
    """Return black or white, whichever reads better on the given fill colour."""
    r, g, b = (c ** 2.2 for c in rgba[:3])
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.18 else "white"


def _is_categorical(values: pd.Series) -> bool:
    """Return True unless the values are numbers (booleans count as categories)."""
    return not (pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values))


def tile_map(
    ax: Axes,
    values_by_province: Mapping[str, Any] | pd.Series,
    *,
    categorical: bool | None = None,
    cmap: str = "viridis",
    vmin: float | None = None,
    vmax: float | None = None,
    palette: Mapping[Any, str] | None = None,
    order: Sequence[Any] | None = None,
    legend: bool = True,
    legend_title: str | None = None,
    missing_color: str = MISSING_COLOR,
    missing_label: str = "no data",
    title: str | None = None,
    show_values: bool | str = False,
    fontsize: float = 9,
) -> Axes:
    """Draw the tile-grid map of China's 31 provinces coloured by a value per province; return the axes.

    Keys may be short names (北京), full names (北京市) or ISO codes (CN-BJ). Numbers use a
    continuous colormap with a colour bar; anything else (or categorical=True) uses a palette
    with a legend. Provinces without a value are grey. show_values=True (or a format string
    such as "{:.1f}") prints each value under the province name.
    """
    raw = values_by_province if isinstance(values_by_province, pd.Series) else pd.Series(dict(values_by_province))
    keys = [_province_key(key) for key in raw.index]
    unknown = [key for key, short in zip(raw.index, keys) if short is None]
    if unknown:
        raise KeyError(f"not a province: {unknown}")
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ValueError(f"province given more than once: {repeated}")
    values = pd.Series(raw.to_numpy(), index=keys).dropna()
    values = values.infer_objects() if values.dtype == object else values
    is_cat = _is_categorical(values) if categorical is None else categorical

    fills: dict[str, Any] = {}
    if is_cat:
        categories = list(order) if order is not None else sorted(values.unique(), key=str)
        colours = dict(palette or {})
        unpainted = [category for category in categories if category not in colours]
        colours.update(category_colors(unpainted))
        fills = {province: colours[value] for province, value in values.items()}
    else:
        numbers = values.astype(float)
        low = vmin if vmin is not None else numbers.min() if len(numbers) else 0.0
        high = vmax if vmax is not None else numbers.max() if len(numbers) else 1.0
        norm = mcolors.Normalize(low, high)
        colormap = mpl.colormaps[cmap]
        fills = {province: colormap(norm(value)) for province, value in numbers.items()}

    label_format = show_values if isinstance(show_values, str) else "{:.3g}" if not is_cat else "{}"
    table = provinces()
    labels = {}
    for row in table.itertuples():
        label = row.short_name
        if show_values and row.short_name in values.index:
            label += "\n" + label_format.format(values[row.short_name])
        labels[row.short_name] = label
    size = min(fontsize, _fitting_fontsize(ax, table, labels.values()))
    for row in table.itertuples():
        fill = fills.get(row.short_name, missing_color)
        rgba = mcolors.to_rgba(fill)
        ax.add_patch(Rectangle((row.tile_col - 0.46, -row.tile_row - 0.46), 0.92, 0.92, facecolor=rgba,
                               edgecolor="white", linewidth=1.0))
        ax.text(row.tile_col, -row.tile_row, labels[row.short_name], ha="center", va="center", fontsize=size,
                color=_text_color(rgba), linespacing=1.1)

    ax.set_xlim(table["tile_col"].min() - 0.6, table["tile_col"].max() + 0.6)
    ax.set_ylim(-table["tile_row"].max() - 0.6, -table["tile_row"].min() + 0.6)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    has_missing = len(set(table["short_name"]) - set(values.index)) > 0
    if legend and is_cat:
        handles = [Patch(facecolor=colours[c], label=str(c)) for c in categories]
        if has_missing:
            handles.append(Patch(facecolor=missing_color, label=missing_label))
        ax.legend(handles=handles, title=legend_title, loc="lower left", bbox_to_anchor=(0.0, 0.0),
                  frameon=False, fontsize=fontsize - 1, title_fontsize=fontsize)
    elif legend:
        bar = ax.figure.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=colormap), ax=ax, shrink=0.6, pad=0.02)
        if legend_title:
            bar.set_label(legend_title)
        if has_missing:
            ax.legend(handles=[Patch(facecolor=missing_color, label=missing_label)], loc="lower left",
                      frameon=False, fontsize=fontsize - 1)
    return ax


# Share of a tile's width (and height) its label may fill.
TILE_LABEL_SHARE = 0.82
# Width of a character in ems: Han characters fill the em, Latin letters and digits about half.
_HALF_WIDTH = 0.6


def _text_ems(line: str) -> float:
    """Return the approximate width of one line of text in ems."""
    return sum(_HALF_WIDTH if ord(char) < 0x2E80 else 1.0 for char in line)


def _fitting_fontsize(ax: Axes, table: pd.DataFrame, labels: Iterable[str]) -> float:
    """Return the largest font size (points) at which every tile label fits inside its tile.

    The tile size comes from the axes' current size in the figure (the map keeps an equal aspect,
    so the narrower dimension decides); a colour bar or legend beside the map is allowed for.
    """
    fig = ax.figure
    box = ax.get_position()
    width_in = box.width * fig.get_figwidth() * 0.85
    height_in = box.height * fig.get_figheight()
    cols = table["tile_col"].max() - table["tile_col"].min() + 1.2
    rows = table["tile_row"].max() - table["tile_row"].min() + 1.2
    tile_points = min(width_in / cols, height_in / rows) * 72 * TILE_LABEL_SHARE
    lines = [line for label in labels for line in label.split("\n")]
    widest = max((_text_ems(line) for line in lines), default=1.0)
    most_lines = max((label.count("\n") + 1 for label in labels), default=1)
    return max(4.0, min(tile_points / widest, tile_points / (most_lines * 1.25)))


def grid_shape(n: int, ncols: int) -> tuple[int, int]:
    """Return (rows, cols) for n small multiples with at most ncols columns."""
    cols = max(1, min(n, ncols))
    return math.ceil(n / cols), cols
