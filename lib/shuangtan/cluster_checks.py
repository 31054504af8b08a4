"""Checks on a finished clustering: stability, distinguishing terms, the 2-D map, length, similar pairs.

Steps 4 to 7 of the method described in :mod:`shuangtan.clustering`: KMeans re-run with other
seeds and on subsamples (ARI, per-cluster Jaccard), mean TF-IDF inside minus outside a cluster,
PCA coordinates, whether clusters or map axes follow text length, and the pairs of provinces
ranked by cosine similarity.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.stats import kruskal, spearmanr
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score

from .cluster_fit import N_INIT, kmeans_labels
from .cluster_result import ClusterResult, LengthCheck
from .paths import RANDOM_STATE

# Share of provinces kept in each resampling run of the stability check.
SUBSAMPLE_FRACTION = 0.8
# Significance level and effect size (share of log-length variance explained by the clusters)
# above which the length check says the clusters follow text length.
LENGTH_ALPHA = 0.05
LENGTH_ETA2_STRONG = 0.5


def seed_stability(
    matrix: np.ndarray, reference: np.ndarray, k: int, seeds: Sequence[int], n_init: int = N_INIT
) -> np.ndarray:
    """Return the ARI between the reference labels and KMeans with each other seed."""
    return np.array([adjusted_rand_score(reference, kmeans_labels(matrix, k, int(s), n_init)) for s in seeds])


def subsample_stability(
    matrix: np.ndarray, reference: np.ndarray, k: int, n_runs: int, random_state: int = RANDOM_STATE,
    fraction: float = SUBSAMPLE_FRACTION, n_init: int = N_INIT,
) -> tuple[np.ndarray, pd.DataFrame]:
    """Return per-run ARI on random subsamples and each reference cluster's mean best Jaccard overlap."""
    rng = np.random.default_rng(random_state)
    n = len(matrix)
    size = max(k + 1, int(round(fraction * n)))
    clusters = sorted(set(reference.tolist()))
    aris, jaccards = [], {c: [] for c in clusters}
    for _ in range(n_runs if size < n else 0):
        rows = np.sort(rng.choice(n, size=size, replace=False))
        labels = kmeans_labels(matrix[rows], k, random_state, n_init)
        ref = reference[rows]
        aris.append(adjusted_rand_score(ref, labels))
        for c in clusters:
            members = set(np.flatnonzero(ref == c).tolist())
            if members:
                jaccards[c].append(max(
                    len(members & set(np.flatnonzero(labels == j).tolist()))
                    / len(members | set(np.flatnonzero(labels == j).tolist()))
                    for j in set(labels.tolist())
                ))
    per_cluster = pd.DataFrame({
        "cluster": clusters,
        "size": [int(np.sum(reference == c)) for c in clusters],
        "mean_jaccard": [float(np.mean(jaccards[c])) if jaccards[c] else float("nan") for c in clusters],
    })
    return np.array(aris), per_cluster


def _column_means(matrix: np.ndarray | sp.spmatrix, rows: np.ndarray) -> np.ndarray:
    """Return the mean of each column over the selected rows (zeros when none is selected)."""
    if not rows.any():
        return np.zeros(matrix.shape[1])
    return np.asarray(matrix[np.flatnonzero(rows)].mean(axis=0)).ravel()


def top_terms_table(
    matrix: np.ndarray | sp.spmatrix, vocabulary: Sequence[str], labels: np.ndarray, n_terms: int = 10
) -> pd.DataFrame:
    """Return up to n_terms distinguishing terms per cluster: mean TF-IDF inside minus outside, if positive."""
    vocab = np.asarray(vocabulary, dtype=object)
    present = (matrix > 0).astype(float) if sp.issparse(matrix) else (matrix > 0)
    rows = []
    for c in sorted(set(labels.tolist())):
        inside = labels == c
        in_mean = _column_means(matrix, inside)
        out_mean = _column_means(matrix, ~inside)
        share = _column_means(present, inside)
        score = in_mean - out_mean
        order = [j for j in np.lexsort((vocab, -share, -np.round(score, 12))) if score[j] > 0][:n_terms]
        for rank, j in enumerate(order, start=1):
            rows.append({"cluster": c, "rank": rank, "term": vocab[j], "score": float(score[j]),
                         "mean_in": float(in_mean[j]), "mean_out": float(out_mean[j]), "doc_share": float(share[j])})
    return pd.DataFrame(rows, columns=["cluster", "rank", "term", "score", "mean_in", "mean_out", "doc_share"])


def map_coordinates(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return 2-D PCA coordinates of the TF-IDF rows and the share of variance each axis explains."""
    if matrix.shape[1] < 2:  # documents on a line: the second axis is flat
        matrix = np.column_stack([matrix, np.zeros(len(matrix))])
    pca = PCA(n_components=2, svd_solver="full")
    coords = pca.fit_transform(matrix)
    return coords, pca.explained_variance_ratio_


def length_check(n_chars: Sequence[int], labels: np.ndarray, coords: np.ndarray) -> LengthCheck:
    """Return tests of whether clusters and map axes follow text length, with a plain-language verdict."""
    log_len = np.log(np.maximum(np.asarray(n_chars, dtype=float), 1.0))
    groups = [log_len[labels == c] for c in sorted(set(labels.tolist()))]
    try:
        h, p = kruskal(*groups)
    except ValueError:  # all lengths equal or a single group
        h, p = float("nan"), float("nan")
    total = float(np.sum((log_len - log_len.mean()) ** 2))
    between = float(sum(len(g) * (g.mean() - log_len.mean()) ** 2 for g in groups))
    eta2 = between / total if total > 0 else float("nan")
    k = len(groups)
    bands = pd.qcut(pd.Series(log_len).rank(method="first"), q=k, labels=False).to_numpy()
    band_ari = float(adjusted_rand_score(bands, labels))
    rx, px = _spearman(n_chars, coords[:, 0])
    ry, py = _spearman(n_chars, coords[:, 1] if coords.shape[1] > 1 else np.zeros(len(coords)))
    follows = bool(p < LENGTH_ALPHA and eta2 >= LENGTH_ETA2_STRONG)
    partly = bool(p < LENGTH_ALPHA) and not follows
    if np.isnan(p) or np.isnan(eta2):
        head = "The length test cannot be run on these clusters (all texts in a cluster have one length, or one cluster only)."
    elif follows:
        head = (f"Yes: the clusters largely follow text length (Kruskal-Wallis p = {p:.2g}; cluster membership "
                f"explains {eta2:.0%} of the variance in log length; ARI with {k} length bands = {band_ari:.2f}).")
    elif partly:
        head = (f"Partly: cluster lengths differ (Kruskal-Wallis p = {p:.2g}) but membership explains only "
                f"{eta2:.0%} of the variance in log length (ARI with {k} length bands = {band_ari:.2f}).")
    else:
        head = (f"No clear sign that the clusters follow text length (Kruskal-Wallis p = {p:.2g}; membership "
                f"explains {eta2:.0%} of the variance in log length; ARI with {k} length bands = {band_ari:.2f}).")
    measured = [(name, r, pv) for name, r, pv in (("first", rx, px), ("second", ry, py)) if not np.isnan(pv)]
    axes = [f"{name} axis ρ = {r:+.2f} (p = {pv:.2g})" for name, r, pv in measured]
    tracked = [name for name, r, pv in measured if pv < LENGTH_ALPHA]
    if not measured:
        return LengthCheck(float(h), float(p), float(eta2), band_ari, float(rx), float(px), float(ry), float(py),
                           follows, head + " The map axes cannot be compared with length (no variation).")
    if len(tracked) == 2:
        tail = " On the map, both axes track length"
    elif tracked:
        tail = f" On the map, the {tracked[0]} axis tracks length"
    else:
        tail = " Neither map axis tracks length"
    tail += f" (Spearman: {'; '.join(axes)})."
    return LengthCheck(float(h), float(p), float(eta2), band_ari, float(rx), float(px), float(ry), float(py),
                       follows, head + tail)


def _spearman(x: Sequence[float], y: Sequence[float]) -> tuple[float, float]:
    """Return Spearman's rho and p, or (NaN, NaN) when either series is constant or too short."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(np.round(y, 12)) == 0:
        return float("nan"), float("nan")
    rho, p = spearmanr(x, y)
    return float(rho), float(p)


def _other_seeds(random_state: int, n: int) -> list[int]:
    """Return n distinct seeds derived from random_state, none equal to it."""
    rng = np.random.default_rng(random_state)
    seeds: list[int] = []
    while len(seeds) < n:
        s = int(rng.integers(0, 2**31 - 1))
        if s != random_state and s not in seeds:
            seeds.append(s)
    return seeds


def similar_pairs(result: ClusterResult) -> pd.DataFrame:
    """Return every pair of provinces with its cosine similarity and mean length, most similar first."""
    n_chars = result.documents["n_chars"].to_numpy(dtype=float)
    upper = np.triu_indices(len(n_chars), k=1)
    names = np.asarray(result.provinces, dtype=object)
    pairs = pd.DataFrame({
        "province_a": names[upper[0]], "province_b": names[upper[1]],
        "cosine": result.similarity[upper], "mean_chars": np.sqrt(n_chars[upper[0]] * n_chars[upper[1]]),
    })
    return pairs.sort_values("cosine", ascending=False, kind="mergesort").reset_index(drop=True)
