"""Tables and sentences that report a ClusterResult: documents, clusters, agreement, regions, summary.

Only what the result computed is said; a result with k = 0 gives empty tables and its reason.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .cluster_checks import SUBSAMPLE_FRACTION
from .cluster_fit import silhouette_strength
from .cluster_result import ClusterResult
from .findings import Findings

# Reading of a per-cluster Jaccard overlap under resampling (Hennig 2007): below 0.5 a cluster dissolves.
JACCARD_DISSOLVED, JACCARD_STABLE = 0.5, 0.75
# ARIs at or above this count as "reproducible" in the summary's reading.
ARI_REPRODUCIBLE = 0.75
# Below this many provinces the summary warns that clusters rest on a handful of texts.
FEW_PROVINCES = 10


class ClusterSummary(Findings):
    """The clustering's key numbers (``figures``) and the sentences that report them."""


def _names(names: Sequence[str], limit: int = 8) -> str:
    """Return names joined by 、, the first ``limit`` and a count of the rest."""
    names = list(names)
    shown = "、".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _finite(*values: float) -> bool:
    """Return True when every value is a finite number."""
    return all(v is not None and np.isfinite(v) for v in values)


DOCUMENT_VIEW = ["province", "province_code", "region", "n_statements", "n_chars", "opening"]


def documents_view(result: ClusterResult, n_chars: int = 60) -> pd.DataFrame:
    """Return one row per clustered province: code, region, statements, length and the text's opening."""
    docs = result.documents.assign(opening=result.documents["text"].astype(str)
                                   .str.replace(r"\s+", " ", regex=True).str[:n_chars])
    return docs[DOCUMENT_VIEW]


def describe(result: ClusterResult) -> str:
    """Return one sentence on what was clustered (or why nothing was)."""
    if not result.k:
        return result.reason
    lengths = result.documents["n_chars"]
    text = (f"{len(result.documents)} provinces, {int(result.documents['n_statements'].sum())} statements; documents "
            f"run from {lengths.min()} to {lengths.max()} characters (median {lengths.median():.0f}). TF-IDF keeps "
            f"the {len(result.vocabulary)} terms used by enough provinces, after dropping tokens that name a "
            "province, a capital or a speaker.")
    if result.left_out:
        text += f" Left out (no term shared with other provinces): {_names(result.left_out)}."
    return text


def cluster_table(result: ClusterResult) -> pd.DataFrame:
    """Return one row per cluster: size, median length, member provinces, distinguishing terms."""
    columns = ["cluster", "size", "median_chars", "provinces", "top_terms"]
    if not result.k:
        return pd.DataFrame(columns=columns)
    docs = result.documents.assign(cluster=result.labels)
    table = (docs.groupby("cluster")
             .agg(size=("province", "size"), median_chars=("n_chars", "median"), provinces=("province", "、".join))
             .join(result.top_terms.groupby("cluster")["term"].agg("、".join).rename("top_terms")))
    return table.reset_index()[columns]


def agreement_table(result: ClusterResult) -> pd.DataFrame:
    """Return the cross-tabulation of KMeans clusters (rows) and hierarchical clusters (columns)."""
    if not result.k:
        return pd.DataFrame(columns=["KMeans"])
    table = pd.crosstab(pd.Series(result.labels, name="KMeans"), pd.Series(result.hierarchical_labels,
                                                                           name="hierarchical"))
    table.columns = [f"hierarchical {c}" for c in table.columns]
    return table.reset_index()


def region_table(result: ClusterResult) -> pd.DataFrame:
    """Return the number of provinces of each region (rows) in each cluster (columns)."""
    if not result.k:
        return pd.DataFrame(columns=["region"])
    table = pd.crosstab(result.documents["region"].fillna("unknown"), pd.Series(result.labels, name="cluster"),
                        margins=True, margins_name="total")
    table.columns = [f"cluster {c}" if c != "total" else c for c in table.columns]
    return table.rename_axis("region").reset_index()


def summarize(result: ClusterResult, sensitivity: pd.DataFrame | None = None) -> ClusterSummary:
    """Return the clustering summary: only what ``result`` computed is said (its reason when k = 0)."""
    if not result.k:
        return ClusterSummary({}, [result.reason or "No clustering was computed."])
    sil = result.silhouette.set_index("k").loc[result.k]
    stab = result.stability_summary()
    figures = {"k": result.k, "provinces": len(result.documents), "terms": len(result.vocabulary),
               "silhouette": float(sil["silhouette"]), "null_mean": float(sil["null_mean"]),
               "agreement_ari": result.agreement_ari, **stab}
    ks = result.silhouette["k"].tolist()
    rule = {"null_adjusted": "the k whose silhouette lies furthest above the permutation null",
            "silhouette": "the k with the largest silhouette", "given": "k given by the user"}[result.k_rule]
    head = f"**k = {result.k}** clusters of {len(result.documents)} provinces ({rule}; tried k = {ks[0]}..{ks[-1]})."
    if _finite(sil["silhouette"]):
        head += (f" Silhouette {sil['silhouette']:.3f} (cosine): "
                 f"{silhouette_strength(float(sil['silhouette']))} on Kaufman and Rousseeuw's scale")
        if _finite(sil["null_mean"], sil["null_p95"]):
            above = "above" if sil["silhouette"] > sil["null_p95"] else "not above"
            head += f", against {sil['null_mean']:.3f} for shuffled data ({above} its 95th percentile)"
        head += "."
    sentences = [head]
    top = result.top_terms[result.top_terms["rank"] <= 5].groupby("cluster")["term"].agg("、".join)
    for c in range(1, result.k + 1):
        members = [p for p, label in zip(result.provinces, result.labels) if label == c]
        terms = f"distinguishing terms: {top[c]}" if c in top.index else "no distinguishing term"
        sentences.append(f"**Cluster {c}** ({len(members)}: {_names(members)}): {terms}.")
    if result.left_out:
        sentences.append(f"Left out (no term shared with other provinces): {_names(result.left_out)}.")
    if _finite(result.agreement_ari):
        sentences.append(f"KMeans and hierarchical clustering (average linkage, cosine) agree at ARI = "
                         f"{result.agreement_ari:.2f}.")
    if len(result.seed_ari):
        sentences.append(f"Under {len(result.seed_ari)} other seeds the partition is reproduced with mean ARI "
                         f"{stab['seed_ari_mean']:.2f} (lowest {stab['seed_ari_min']:.2f}).")
    if len(result.subsample_ari):
        jaccard = result.cluster_stability["mean_jaccard"].dropna()
        text = (f"On {len(result.subsample_ari)} subsamples of {SUBSAMPLE_FRACTION:.0%} of the provinces the mean "
                f"ARI is {stab['subsample_ari_mean']:.2f} (lowest {stab['subsample_ari_min']:.2f})")
        if len(jaccard):
            text += (f"; per-cluster Jaccard overlap {jaccard.min():.2f}–{jaccard.max():.2f} (below "
                     f"{JACCARD_DISSOLVED} a cluster dissolves under resampling, above {JACCARD_STABLE} it is stable)")
        sentences.append(text + ".")
    else:
        sentences.append("Resampling stability was not computed (too few provinces to leave some out).")
    sentences.append(f"Length: {result.length.verdict}")
    if sensitivity is not None and len(sensitivity) > 1:
        column = "ARI with the partition above"
        parts = [f"{row['variant']}: ARI {row[column]:.2f}" if _finite(row[column]) else str(row["variant"])
                 for row in sensitivity.iloc[1:].to_dict("records")]
        sentences.append("Sensitivity (one choice changed, ARI with this partition): " + "; ".join(parts) + ".")
    aris = [v for v in (result.agreement_ari, stab["seed_ari_mean"], stab["subsample_ari_mean"]) if _finite(v)]
    lengths = result.documents["n_chars"]
    caveat = f"These are {len(result.documents)} texts of {lengths.min()}–{lengths.max()} characters."
    if len(result.documents) < FEW_PROVINCES:
        caveat += " With so few provinces every cluster rests on one or two texts: treat it as an illustration."
    clear = _finite(sil["silhouette"], sil["null_p95"]) and sil["silhouette"] > sil["null_p95"]
    if aris and min(aris) >= ARI_REPRODUCIBLE:
        caveat += f" Agreement and stability ARIs are all at least {ARI_REPRODUCIBLE}: the partition is reproducible"
        unclear = _finite(sil["null_p95"]) and not clear
        caveat += ", but its groups are no clearer than in shuffled data (silhouette not above the null)." if unclear else "."
    elif aris:
        caveat += (f" Agreement and stability ARIs run from {min(aris):.2f} to {max(aris):.2f}: the partition "
                   "changes with the seed, the sample or the method, so read the clusters as a description of "
                   "shared vocabulary, not as distinct types of provinces.")
    sentences.append(caveat)
    return ClusterSummary(figures, sentences)
