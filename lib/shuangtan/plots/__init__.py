"""Figures with Chinese text. Every figure a notebook shows is one call of a function here.

The functions live in small modules by analysis (``core``: font, word clouds, bars, tile map);
their public names are re-exported here, so notebooks write ``plots.tile_map(...)``.
"""

from __future__ import annotations

from .core import (FONT_FAMILY, MISSING_COLOR, PAIR_COLORS, contrast_wordcloud, font_path, grid_shape,
                   missing_glyphs, show_wordcloud, term_bars, tile_map, use_chinese_font, wordcloud)

__all__ = ["FONT_FAMILY", "MISSING_COLOR", "PAIR_COLORS", "contrast_wordcloud", "font_path", "grid_shape",
           "missing_glyphs", "show_wordcloud", "term_bars", "tile_map", "use_chinese_font", "wordcloud"]
