"""Clustering figures: the silhouette curve, the vocabulary map, the similarity heatmap, clusters on the
tile map, distinguishing terms, stability and the length check. Each takes a
``shuangtan.clustering.ClusterResult`` (when its k is 0 the figure says why nothing was clustered)
and returns one figure, coloured by ``colors.cluster_colors``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.patches import Patch

from ..places import provinces
from .colors import BASE_COLOR, PAIR_COLORS, cluster_colors
from .core import grid_shape, term_bars, tile_map
from .layout import blank_figure, label_axes, log_axis, message_figure, new_figure, separate_labels

if TYPE_CHECKING:  # the clustering module (scikit-learn, SciPy) loads only when a result exists
    from matplotlib.figure import Figure

    from ..clustering import ClusterResult

NOT_CLUSTERED = "No clustering was computed for this corpus."


def _clustered(draw: Callable[..., Figure]) -> Callable[..., Figure]:
    """Wrap a figure function so that, when k = 0, it returns a figure stating why nothing was clustered."""

    @wraps(draw)
    def figure(result: ClusterResult, *args, **kwargs) -> Figure:
        if not result.k:
            return message_figure(result.reason or NOT_CLUSTERED)
        return draw(result, *args, **kwargs)

    return figure


@_clustered
def silhouette_curve(result: ClusterResult) -> Figure:
    """Return the silhouette of KMeans and hierarchical clustering per k against the permutation null."""
    sil = result.silhouette
    fig, ax = new_figure(8.0, 4.2)
    if sil["null_mean"].notna().any():
        ax.fill_between(sil["k"], sil["null_mean"], sil["null_p95"], color="#cccccc", alpha=0.7,
                        label="permutation null (mean to 95th percentile)")
        ax.plot(sil["k"], sil["null_mean"], color="#999999", lw=1)
    ax.plot(sil["k"], sil["silhouette"], "o-", color=PAIR_COLORS[1], label="KMeans")
    ax.plot(sil["k"], sil["silhouette_hierarchical"], "s--", color=PAIR_COLORS[0], alpha=0.7,
            label="hierarchical (average linkage, cosine)")
    ax.axvline(result.k, color="black", lw=0.8, ls=":")
    ax.annotate(f"chosen k = {result.k}", (result.k, 1.0), xycoords=("data", "axes fraction"), xytext=(4, -14),
                textcoords="offset points", fontsize=9)
    ax.axhline(0, color="black", lw=0.5)
    ax.set_xticks(sil["k"].tolist())
    label_axes(ax, "轮廓系数 / silhouette by number of clusters", "number of clusters k", "silhouette (cosine)",
               legend="lower right")
    return fig


@_clustered
def vocabulary_map(result: ClusterResult) -> Figure:
    """Return the provinces on the first two principal components of their TF-IDF rows, coloured by cluster."""
    palette = cluster_colors(result.k)
    n_chars = result.documents["n_chars"].to_numpy(dtype=float)
    sizes = 20 + 260 * np.sqrt(n_chars / max(n_chars.max(), 1.0))
    fig, ax = new_figure(9.0, 7.0)
    for c in range(1, result.k + 1):
        rows = result.labels == c
        ax.scatter(result.coords[rows, 0], result.coords[rows, 1], s=sizes[rows], color=palette[c], alpha=0.8,
                   edgecolor="white", label=f"cluster {c} ({int(rows.sum())})")
    labels = [ax.text(x, y, name, fontsize=9) for (x, y), name in zip(result.coords, result.provinces)]
    separate_labels(ax, labels)
    ax.axhline(0, color="#dddddd", lw=0.8, zorder=0)
    ax.axvline(0, color="#dddddd", lw=0.8, zorder=0)
    label_axes(ax, "各省讲话词汇的二维投影 / provinces by vocabulary (PCA of TF-IDF)",
               f"first component ({result.explained_variance[0]:.1%} of variance)",
               f"second component ({result.explained_variance[1]:.1%} of variance)")
    ax.legend(title="KMeans", fontsize=8, markerscale=0.6)
    return fig


@_clustered
def similarity_heatmap(result: ClusterResult) -> Figure:
    """Return the cosine similarity of every pair of provinces, ordered by the dendrogram drawn above it."""
    from scipy.cluster.hierarchy import dendrogram

    palette = cluster_colors(result.k)
    order = result.dendrogram_order
    names = [result.provinces[i] for i in order]
    similarity = result.similarity[np.ix_(order, order)].copy()
    np.fill_diagonal(similarity, np.nan)
    size = min(10.0, 3.5 + 0.21 * len(names))
    fig = blank_figure(size + 0.6, size + 1.5)
    grid = fig.add_gridspec(3, 2, height_ratios=[1.3, 0.25, 8], width_ratios=[30, 1])
    ax_tree = fig.add_subplot(grid[0, 0])
    dendrogram(result.linkage, ax=ax_tree, no_labels=True, color_threshold=0, above_threshold_color="#555555")
    ax_tree.set_axis_off()
    ax_tree.set_title("余弦相似度（按层次聚类排序）/ cosine similarity ordered by the dendrogram")
    ax_strip = fig.add_subplot(grid[1, 0])
    ax_strip.imshow([[to_rgb(palette[c]) for c in result.labels[order]]], aspect="auto")
    ax_strip.set_axis_off()
    ax_heat = fig.add_subplot(grid[2, 0])
    image = ax_heat.imshow(similarity, cmap="viridis", aspect="auto")
    ax_heat.set_xticks(range(len(names)), names, rotation=90, fontsize=8)
    ax_heat.set_yticks(range(len(names)), names, fontsize=8)
    for tick, i in zip(ax_heat.get_yticklabels(), order):
        tick.set_color(palette[result.labels[i]])
    fig.colorbar(image, cax=fig.add_subplot(grid[2, 1]), label="cosine similarity (diagonal blank)")
    ax_heat.legend(handles=[Patch(color=palette[c], label=f"cluster {c}") for c in range(1, result.k + 1)],
                   loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=min(result.k, 6), fontsize=8, frameon=False)
    return fig


@_clustered
def cluster_map(result: ClusterResult) -> Figure:
    """Return the tile map of China's provinces coloured by KMeans cluster (grey: not clustered)."""
    palette = cluster_colors(result.k)
    fig, ax = new_figure(9.0, 7.0)
    known = set(provinces()["short_name"])  # a province name the tile grid lacks is left grey, not an error
    tile_map(ax, {p: f"cluster {c}" for p, c in zip(result.provinces, result.labels) if p in known}, categorical=True,
             palette={f"cluster {c}": color for c, color in palette.items()},
             order=[f"cluster {c}" for c in range(1, result.k + 1)], legend_title="KMeans",
             missing_label="not clustered", title="聚类的地理分布 / clusters on a tile map of China")
    return fig


@_clustered
def cluster_terms(result: ClusterResult, ncols: int = 3) -> Figure:
    """Return one bar chart per cluster of its distinguishing terms (mean TF-IDF inside minus outside)."""
    palette = cluster_colors(result.k)
    n_terms = int(result.top_terms["rank"].max()) if len(result.top_terms) else 1
    n_rows, n_cols = grid_shape(result.k, ncols)
    fig, axes = new_figure(3.4 * n_cols, 0.3 * n_terms * n_rows + 1.4 * n_rows, nrows=n_rows, ncols=n_cols,
                           squeeze=False)
    groups = dict(tuple(result.top_terms.groupby("cluster")))
    for c, ax in zip(range(1, result.k + 1), axes.flat):
        members = [p for p, label in zip(result.provinces, result.labels) if label == c]
        title = f"cluster {c} ({len(members)}): " + "、".join(members[:4]) + ("…" if len(members) > 4 else "")
        if c in groups:
            term_bars(ax, groups[c].set_index("term")["score"], color=palette[c], fmt=None, title=title)
        else:
            ax.set_axis_off()
            ax.set_title(title + "\n(no distinguishing term)")
        ax.tick_params(axis="x", labelsize=7)
    for ax in axes.flat[result.k:]:
        ax.set_axis_off()
    fig.supxlabel("mean TF-IDF inside the cluster minus outside", fontsize=9)
    return fig


@_clustered
def stability_chart(result: ClusterResult) -> Figure:
    """Return the ARI of KMeans under other seeds and on subsamples, with the KMeans-hierarchical agreement."""
    from ..clustering import SUBSAMPLE_FRACTION

    runs = {"other seeds": result.seed_ari, f"{SUBSAMPLE_FRACTION:.0%} subsamples": result.subsample_ari}
    fig, ax = new_figure(8.0, 3.0)
    for y, values in enumerate(runs.values(), start=1):
        if len(values):
            ax.scatter(values, np.full(len(values), y) + np.linspace(-0.15, 0.15, len(values)), s=14,
                       color=BASE_COLOR, alpha=0.7, zorder=3)
            ax.plot([np.mean(values)] * 2, [y - 0.3, y + 0.3], color="black", lw=2)
        else:
            ax.text(0.5, y, "not computed", ha="center", va="center", fontsize=8, color="0.4")
    ax.axvline(result.agreement_ari, color=PAIR_COLORS[0], ls="--",
               label=f"KMeans vs hierarchical ({result.agreement_ari:.2f})")
    ax.axvline(0, color="black", lw=0.5)
    ax.set_xlim(min(-0.2, *(np.min(v) - 0.05 for v in runs.values() if len(v))), 1.05)
    ax.set_yticks([1, 2], list(runs))
    ax.set_ylim(0.5, 2.5)
    label_axes(ax, "稳定性 / stability of the KMeans clusters",
               "adjusted Rand index with the reference KMeans partition (black bar: mean)", legend="lower left")
    return fig


@_clustered
def length_chart(result: ClusterResult) -> Figure:
    """Return text length by cluster and each map axis against length (log scales)."""
    palette = cluster_colors(result.k)
    check = result.length
    n_chars = result.documents["n_chars"].to_numpy(dtype=float)
    fig, axes = new_figure(12.0, 4.0, ncols=3)
    groups = [n_chars[result.labels == c] for c in range(1, result.k + 1)]
    axes[0].boxplot(groups, widths=0.5)
    for c, values in enumerate(groups, start=1):
        axes[0].scatter(np.full(len(values), c), values, color=palette[c], s=18, zorder=3)
    log_axis(axes[0], "y")
    axes[0].set_xticks(range(1, result.k + 1), [str(c) for c in range(1, result.k + 1)])
    axes[0].set_xlabel("cluster")
    axes[0].set_ylabel("characters (log scale)")
    p_text = f"Kruskal-Wallis p = {check.kruskal_p:.2g}" if np.isfinite(check.kruskal_p) else "no test possible"
    axes[0].set_title(f"length by cluster ({p_text})", fontsize=10)
    for ax, axis, rho in ((axes[1], 0, check.spearman_x), (axes[2], 1, check.spearman_y)):
        ax.scatter(n_chars, result.coords[:, axis], c=[palette[c] for c in result.labels], s=24)
        log_axis(ax)
        ax.set_xlabel("characters (log scale)")
        ax.set_ylabel(["first", "second"][axis] + " map component")
        rho_text = f"Spearman ρ = {rho:+.2f}" if np.isfinite(rho) else "no correlation computable"
        ax.set_title(f"map axis {axis + 1} vs length ({rho_text})", fontsize=10)
    return fig
