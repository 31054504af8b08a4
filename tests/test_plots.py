"""Tests for shuangtan.plots: the CJK font really renders Chinese, word clouds, the tile map."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from shuangtan import plots  # noqa: E402
from shuangtan.places import provinces  # noqa: E402

CHINESE = "碳达峰碳中和 减污降碳 先立后破 “两高” 1+N 黑龙江 内蒙古 −5% CO₂ ← →"


def glyph_warnings(caught) -> list[str]:
    return [str(w.message) for w in caught if "missing" in str(w.message).lower() or "glyph" in str(w.message).lower()]


def chinese_figure():
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.barh([0, 1, 2], [3, -1, 2])
    left.set_yticks([0, 1, 2], ["碳达峰", "碳中和", "先立后破"])
    left.set_title(CHINESE)
    left.set_xlabel("每万词出现次数")
    plots.tile_map(right, {"北京": 1.0, "上海": 2.0, "新疆": -3.0}, title="瓦片地图", legend_title="数值")
    return fig


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_font_is_noto_sans_sc_under_an_open_licence():
    path = plots.font_path()
    assert path.is_file() and path.suffix == ".otf"
    assert font_manager.FontProperties(fname=str(path)).get_name() == "Noto Sans SC"
    licence = importlib.metadata.metadata("pylopdf-fonts-zh-cn").get("License", "")
    assert "Open Font License" in licence


def test_use_chinese_font_sets_rc_params():
    plots.use_chinese_font()
    assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans SC"
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    for family in (["sans-serif"], None):  # generic family and the default family
        resolved = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        assert os.path.samefile(resolved, plots.font_path())


def test_chinese_figure_renders_without_missing_glyphs():
    plots.use_chinese_font()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = chinese_figure()
        fig.canvas.draw()
    assert glyph_warnings(caught) == []
    texts = [t for ax in fig.axes for t in ax.texts + [ax.title] if t.get_text()]
    assert texts and {t.get_fontname() for t in texts} == {"Noto Sans SC"}


def test_the_glyph_check_can_fail_without_the_font():
    """Control: the same figure with matplotlib's default font does warn (no CJK system font)."""
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig, ax = plt.subplots()
            ax.set_title("碳达峰")
            fig.canvas.draw()
    if not glyph_warnings(caught):
        pytest.skip("DejaVu Sans resolved to a font with CJK glyphs on this machine")
    assert any("missing" in message for message in glyph_warnings(caught))


def test_fresh_font_cache_still_renders_chinese(tmp_path):
    """A new matplotlib config dir (empty font cache, as on a fresh machine) must still work."""
    code = (
        "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt\n"
        "from shuangtan.plots import use_chinese_font; use_chinese_font()\n"
        "fig, ax = plt.subplots(); ax.set_title('碳达峰碳中和 先立后破'); fig.savefig(r'%s')\n"
        "print(ax.title.get_fontname())\n" % (tmp_path / "fig.png")
    )
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl")}
    result = subprocess.run([sys.executable, "-W", "error::UserWarning", "-c", code], capture_output=True,
                            text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert "missing" not in result.stderr.lower()
    assert result.stdout.strip() == "Noto Sans SC"


def test_wordcloud_uses_the_font_and_is_reproducible():
    frequencies = {"碳达峰": 30, "碳中和": 25, "减污降碳": 8, "先立后破": 5, "1+N": 4, "两高": 6, "零": 0}
    first = plots.wordcloud(frequencies)
    second = plots.wordcloud(frequencies)
    assert first.font_path == str(plots.font_path())
    assert np.array_equal(first.to_array(), second.to_array())
    placed = {item[0][0] for item in first.layout_}
    assert placed == {w for w, v in frequencies.items() if v > 0}
    assert plots.missing_glyphs(placed) == []
    with pytest.raises(ValueError):
        plots.wordcloud({"碳达峰": 0})


def test_wordcloud_color_by_and_contrast_cloud():
    cloud = plots.wordcloud({"碳达峰": 3, "碳中和": 2}, color_by={"碳达峰": "#ff0000"})
    colours = {item[0][0]: item[4] for item in cloud.layout_}
    assert colours["碳达峰"] == "#ff0000" and colours["碳中和"] == "#7f7f7f"
    fig, ax = plt.subplots()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plots.contrast_wordcloud(ax, {"碳达峰": -2.0, "两高": 1.5}, {"碳达峰": 10, "两高": 4}, labels=("中央", "省级"))
        fig.canvas.draw()
    assert glyph_warnings(caught) == []
    assert len(fig.axes) == 2, "a colour bar explains the colours"


def test_missing_glyphs_detects_uncovered_characters():
    assert plots.missing_glyphs(["碳达峰", "ABC 123"]) == []
    assert plots.missing_glyphs(["碳\U00013000"]) == ["\U00013000"]


def test_tile_map_categorical_with_missing_provinces():
    table = provinces()
    values = dict(zip(table["short_name"], table["region"]))
    values.pop("西藏")
    values["CN-XZ"] = None  # explicit missing value stays grey too
    fig, ax = plt.subplots()
    plots.tile_map(ax, values, legend_title="区域")
    tiles = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(tiles) == 31
    labels = {t.get_text() for t in ax.texts}
    assert labels == set(table["short_name"])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(legend) == sorted({*table["region"], "no data"})
    tibet = next(t for t in ax.texts if t.get_text() == "西藏")
    tile = next(p for p in tiles if p.contains_point(ax.transData.transform(tibet.get_position())))
    assert matplotlib.colors.to_hex(tile.get_facecolor()) == plots.MISSING_COLOR


def test_tile_map_continuous_with_colorbar_and_values():
    fig, ax = plt.subplots()
    plots.tile_map(ax, {"北京市": 10.0, "CN-SH": 0.0, "广东": 5.0}, show_values="{:.0f}", legend_title="次数")
    assert len(fig.axes) == 2, "colour bar added"
    assert {"北京\n10", "上海\n0", "广东\n5"} <= {t.get_text() for t in ax.texts}


def test_tile_map_rejects_unknown_or_repeated_provinces():
    fig, ax = plt.subplots()
    with pytest.raises(KeyError):
        plots.tile_map(ax, {"台北": 1})
    with pytest.raises(ValueError):
        plots.tile_map(ax, {"北京": 1, "CN-BJ": 2})


def _label_boxes(fig, ax):
    """Return the drawn extents of the tile labels (texts placed on tiles) and of the tiles."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    names = set(provinces()["short_name"])
    labels = [t for t in ax.texts if t.get_text().split("\n")[0] in names]
    tiles = [p for p in ax.patches if isinstance(p, Rectangle)]
    return [t.get_window_extent(renderer) for t in labels], [p.get_window_extent(renderer) for p in tiles]


@pytest.mark.parametrize("width", [5.0, 7.0, 10.0])
@pytest.mark.parametrize("show_values", [False, "{:.2f}"])
def test_tile_map_labels_fit_their_tiles_at_page_width(width, show_values):
    """Each label stays inside its tile, so no two labels overlap, whatever the figure's width."""
    table = provinces()
    values = {name: 1000 * i / 7 for i, name in enumerate(table["short_name"])}
    fig, ax = plt.subplots(figsize=(width, width * 0.8))
    plots.tile_map(ax, values, show_values=show_values, legend_title="数值")
    labels, tiles = _label_boxes(fig, ax)
    assert len(labels) == 31
    for label in labels:
        assert any(tile.x0 <= label.x0 and label.x1 <= tile.x1 and tile.y0 <= label.y0 and label.y1 <= tile.y1
                   for tile in tiles), "a label spills out of its tile"
    for i, one in enumerate(labels):
        assert not any(one.overlaps(other) for other in labels[i + 1:])


def test_region_colours_are_shared():
    assert set(plots.REGION_COLORS) == set(provinces()["region"])
    assert plots.region_color("东部") == plots.REGION_COLORS["东部"] and plots.region_color(None) == plots.MISSING_COLOR
    assert plots.cluster_colors(3) == {1: plots.cluster_colors(5)[1], 2: plots.cluster_colors(5)[2],
                                       3: plots.cluster_colors(5)[3]}


def test_message_figure_and_new_figures_are_detached_from_pyplot():
    fig = plots.message_figure("没有可分析的内容 / nothing to analyse")
    assert fig.number not in plt.get_fignums(), "a notebook would show the figure twice"
    fig.canvas.draw()
    assert plots.missing_glyphs([t.get_text() for t in fig.findobj(matplotlib.text.Text)]) == []


def test_analysis_figures_on_the_seeds_draw_every_glyph(seed_corpus):
    from shuangtan import clustering, timeline
    from shuangtan.occasions import occasion_labels

    speeches = seed_corpus.speeches
    result = clustering.analyse(speeches, n_seeds=2, n_subsamples=2, n_null=2)
    statements, first = timeline.statements_by_province(speeches), timeline.first_actions(speeches)
    events = timeline.milestones()
    figures = [plots.statement_lengths(speeches), plots.statement_timeline(statements, first, events),
               plots.diffusion_chart(first, events), plots.first_action_map(first),
               plots.occasion_timeline(statements, events, occasion_labels()),
               *(getattr(plots, name)(result) for name in ("silhouette_curve", "vocabulary_map", "similarity_heatmap",
                                                           "cluster_map", "cluster_terms", "stability_chart",
                                                           "length_chart"))]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for fig in figures:
            fig.canvas.draw()
            assert plots.missing_glyphs([t.get_text() for t in fig.findobj(matplotlib.text.Text)]) == []
    assert glyph_warnings(caught) == []


def test_vocabulary_map_labels_do_not_overlap_on_the_seeds(seed_corpus):
    """The 31 province names on the PCA map are all readable: no two label boxes overlap."""
    from shuangtan import clustering
    from shuangtan.plots.layout import overlapping_labels

    result = clustering.analyse(seed_corpus.speeches, n_seeds=2, n_subsamples=2, n_null=2)
    fig = plots.vocabulary_map(result)
    fig.canvas.draw()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_text() in set(result.provinces)]
    assert len(labels) == len(result.provinces)
    assert overlapping_labels(ax, labels) == []
