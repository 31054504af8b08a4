"""Figures with Chinese text. Every figure a notebook shows is one call of a function here.

The functions live in small modules by analysis (``core``: font, word clouds, bars, tile map);
their public names are re-exported here, so notebooks write ``plots.tile_map(...)``.
"""

from __future__ import annotations

from .core import (FONT_FAMILY, MISSING_COLOR, PAIR_COLORS, contrast_wordcloud, font_path, grid_shape,
                   missing_glyphs, show_wordcloud, term_bars, tile_map, use_chinese_font, wordcloud)

__all__ = ["FONT_FAMILY", "MISSING_COLOR", "PAIR_COLORS", "contrast_wordcloud", "font_path", "grid_shape",
           "missing_glyphs", "show_wordcloud", "term_bars", "tile_map", "use_chinese_font", "wordcloud"]

# Figures of the term statistics, central echo and policy instruments (notebooks 01, 04, 05).
from .echo import echo_bars, echo_map, echo_timeline, instrument_heatmap  # noqa: E402
from .terms import (collocate_bars, contrast_cloud, dispersion_plot, keyness_grid, map_figure,  # noqa: E402
                    term_panels, wordcloud_panels)

__all__ += ["collocate_bars", "contrast_cloud", "dispersion_plot", "echo_bars", "echo_map", "echo_timeline",
            "instrument_heatmap", "keyness_grid", "map_figure", "term_panels", "wordcloud_panels"]

# Shared colours and the figures of the corpus overview, clustering and timeline (notebooks 00, 02, 03).
from .clusters import (cluster_map, cluster_terms, length_chart, silhouette_curve, similarity_heatmap,  # noqa: E402
                       stability_chart, vocabulary_map)
from .colors import REGION_COLORS, REGION_NAMES_EN, cluster_colors, region_color  # noqa: E402
from .layout import message_figure  # noqa: E402
from .lengths import statement_lengths  # noqa: E402
from .timeline import diffusion_chart, first_action_map, occasion_timeline, statement_timeline  # noqa: E402

__all__ += ["REGION_COLORS", "REGION_NAMES_EN", "cluster_colors", "cluster_map", "cluster_terms", "diffusion_chart",
            "first_action_map", "length_chart", "message_figure", "occasion_timeline", "region_color",
            "silhouette_curve", "similarity_heatmap", "stability_chart", "statement_lengths", "statement_timeline",
            "vocabulary_map"]
