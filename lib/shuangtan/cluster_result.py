"""The result types of the province clustering: ClusterResult, LengthCheck and the empty (k = 0) result.

Defined apart from :mod:`shuangtan.clustering` so that the fitting, checking and reporting modules
can use them without importing the entry points; ``shuangtan.clustering`` re-exports all three.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .paths import RANDOM_STATE


@dataclass
class LengthCheck:
    """Whether clusters and map axes follow text length, with the tests behind the verdict."""

    kruskal_h: float
    kruskal_p: float
    eta_squared: float
    length_band_ari: float
    spearman_x: float
    spearman_x_p: float
    spearman_y: float
    spearman_y_p: float
    follows_length: bool
    verdict: str


@dataclass
class ClusterResult:
    """Everything the clustering computed, one row/entry per province in ``documents`` order."""

    documents: pd.DataFrame
    tfidf: sp.csr_matrix
    vocabulary: list[str]
    silhouette: pd.DataFrame
    k: int
    k_rule: str
    labels: np.ndarray
    hierarchical_labels: np.ndarray
    agreement_ari: float
    seed_ari: np.ndarray
    subsample_ari: np.ndarray
    cluster_stability: pd.DataFrame
    top_terms: pd.DataFrame
    coords: np.ndarray
    explained_variance: np.ndarray
    similarity: np.ndarray
    linkage: np.ndarray
    dendrogram_order: list[int]
    length: LengthCheck
    random_state: int
    left_out: list[str] = field(default_factory=list)
    reason: str = ""  # why nothing was clustered (k == 0), else empty
    tokens: list[list[str]] | None = None  # per province of province_documents(speeches), before name dropping

    @property
    def provinces(self) -> list[str]:
        """Return the province short names in row order."""
        return self.documents["province"].tolist()

    @property
    def best_silhouette(self) -> float:
        """Return the silhouette of the chosen k."""
        return float(self.silhouette.set_index("k").loc[self.k, "silhouette"])

    def stability_summary(self) -> dict[str, float]:
        """Return the headline stability figures (mean and minimum ARI over seeds and subsamples)."""
        summary = {}
        for name, values in (("seed", self.seed_ari), ("subsample", self.subsample_ari)):
            summary[f"{name}_ari_mean"] = float(np.mean(values)) if len(values) else float("nan")
            summary[f"{name}_ari_min"] = float(np.min(values)) if len(values) else float("nan")
        return summary


def empty_result(reason: str, random_state: int = RANDOM_STATE) -> ClusterResult:
    """Return a ClusterResult with k = 0 and no rows, saying in ``reason`` why nothing was clustered."""
    nan = float("nan")
    return ClusterResult(
        documents=pd.DataFrame(columns=["province", "province_code", "region", "n_statements", "text", "n_chars"]),
        tfidf=sp.csr_matrix((0, 0)), vocabulary=[],
        silhouette=pd.DataFrame(columns=["k", "silhouette", "silhouette_hierarchical", "null_mean", "null_p95",
                                         "excess"]),
        k=0, k_rule="", labels=np.zeros(0, dtype=int), hierarchical_labels=np.zeros(0, dtype=int),
        agreement_ari=nan, seed_ari=np.zeros(0), subsample_ari=np.zeros(0),
        cluster_stability=pd.DataFrame(columns=["cluster", "size", "mean_jaccard"]),
        top_terms=pd.DataFrame(columns=["cluster", "rank", "term", "score", "mean_in", "mean_out", "doc_share"]),
        coords=np.zeros((0, 2)), explained_variance=np.array([nan, nan]), similarity=np.zeros((0, 0)),
        linkage=np.zeros((0, 4)), dendrogram_order=[],
        length=LengthCheck(nan, nan, nan, nan, nan, nan, nan, nan, False, ""), random_state=random_state,
        reason=reason,
    )
