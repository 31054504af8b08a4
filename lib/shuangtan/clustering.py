"""Group the provinces by how they talk about the dual-carbon goals: TF-IDF, KMeans and a cross-check.

Unit of analysis: one document per province. A province with several provincial statements gets
them concatenated in date order, so any corpus gives at most 31 documents however many files it
has; central statements, rows without a province and reprints (``duplicate_of`` set) are left out.

Method, in the order :func:`cluster_speeches` runs it:

1. Tokens come from ``shuangtan.tokens.tokenize_corpus`` (jieba with the project's dictionary and
   stop words) unless a per-text ``tokenizer`` is passed. Tokens that contain a province name, a
   provincial capital or a speaker's name are dropped (``drop_names``): they tell documents apart
   but say nothing about how a province talks. TF-IDF keeps terms used by at least ``min_df=2``
   provinces (a term in one document cannot make two documents alike, it only shrinks that
   document's similarities), with sublinear term frequency and L2-normalised rows, so Euclidean
   KMeans on the rows works on cosine geometry. The matrix stays sparse (a large corpus has
   hundreds of thousands of terms); all geometry runs on the rows' coordinates in their own span,
   taken from the 31 x 31 Gram matrix (the same distances, 31 columns instead of thousands).
2. The number of clusters is chosen, not assumed: KMeans for every k in ``k_range`` and the cosine
   silhouette of each. With 31 short texts the silhouette of structure-free data grows with k, so
   by default (``k_rule="null_adjusted"``) the k with the largest silhouette *above* a permutation
   null (each term's weights shuffled across documents) wins; ``k_rule="silhouette"`` takes the
   raw maximum. Ties go to the smaller k. The null's fits use fewer restarts (``N_INIT_NULL``),
   which choose the same k on the seeds; the KMeans fit of the chosen k is reused, not refitted.
3. Cross-check: average-linkage hierarchical clustering on cosine distance cut at the same k,
   compared with KMeans by the adjusted Rand index (ARI).
4. Stability: KMeans re-run with other seeds, and on random 80 % subsamples of the provinces,
   each compared with the reference labels by ARI (and per cluster by the best Jaccard overlap).
5. Distinguishing terms: mean TF-IDF weight inside a cluster minus the mean outside it.
6. A 2-D map (PCA of the TF-IDF rows, i.e. classical MDS of the chord distance between documents).
7. Length check: do clusters (or the map's axes) merely follow how long each text is?

:func:`analyse` runs all of this on any corpus: when it cannot be clustered (fewer than three
provinces) the result has k = 0 and a ``reason``; :func:`summarize` turns a result into the
notebook's Summary sentences, saying only what was computed.

Cluster numbers start at 1 and are assigned deterministically: largest cluster first, ties by the
first province (in ISO-code order) they contain.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, leaves_list, linkage
from scipy.spatial.distance import pdist
from sklearn.metrics import adjusted_rand_score
from sklearn.metrics.pairwise import cosine_similarity
from threadpoolctl import threadpool_limits

from .cluster_checks import (LENGTH_ALPHA, LENGTH_ETA2_STRONG, SUBSAMPLE_FRACTION, _other_seeds, length_check,
                             map_coordinates, seed_stability, similar_pairs, subsample_stability, top_terms_table)
from .cluster_fit import (K_RULES, N_INIT, N_INIT_NULL, SILHOUETTE_SAMPLE, SILHOUETTE_SCALE, STATEMENT_SEPARATOR,
                          Tokenizer, _permuted, _silhouette_fits, choose_k, drop_name_tokens, kmeans_labels,
                          proper_names, province_documents, relabel, row_space, silhouette_strength, silhouette_table,
                          tfidf_matrix, tokenize_documents)
from .cluster_report import (ARI_REPRODUCIBLE, DOCUMENT_VIEW, FEW_PROVINCES, JACCARD_DISSOLVED, JACCARD_STABLE,
                             ClusterSummary, agreement_table, cluster_table, describe, documents_view, region_table,
                             summarize)
from .cluster_result import ClusterResult, LengthCheck, empty_result
from .paths import RANDOM_STATE

# The module's names, wherever they are defined (cluster_fit, cluster_checks, cluster_report and
# cluster_result hold the parts; this module keeps the entry points and re-exports the rest).
__all__ = [
    "ARI_REPRODUCIBLE", "COORD_DECIMALS", "DOCUMENT_VIEW", "FEW_PROVINCES", "JACCARD_DISSOLVED", "JACCARD_STABLE",
    "K_RULES", "LENGTH_ALPHA", "LENGTH_ETA2_STRONG", "MIN_DOCUMENTS", "N_INIT", "N_INIT_NULL", "SILHOUETTE_SAMPLE",
    "SILHOUETTE_SCALE", "STATEMENT_SEPARATOR", "SUBSAMPLE_FRACTION", "VARIANTS", "ClusterResult", "ClusterSummary",
    "LengthCheck", "Tokenizer", "_other_seeds", "_permuted", "adjusted_rand_score", "agreement_table", "analyse",
    "choose_k", "cluster_speeches", "cluster_table", "clusters_table", "describe", "documents_view",
    "drop_name_tokens", "empty_result", "kmeans_labels", "length_check", "map_coordinates", "proper_names",
    "province_documents", "region_table", "relabel", "row_space", "seed_stability", "sensitivity_table",
    "silhouette_strength", "silhouette_table", "similar_pairs", "subsample_stability", "summarize", "tfidf_matrix",
    "tokenize_documents", "top_terms_table",
]

# Fewest provinces a clustering needs: k = 2 clusters must leave at least one cluster with two members.
MIN_DOCUMENTS = 3
# Decimals kept for the map coordinates in clusters_table (byte-identical CSVs across runs).
COORD_DECIMALS = 6


def cluster_speeches(
    speeches: pd.DataFrame,
    *,
    k: int | None = None,
    k_range: Sequence[int] = range(2, 9),
    k_rule: str = "null_adjusted",
    random_state: int = RANDOM_STATE,
    tokenizer: Tokenizer | None = None,
    tokens: Sequence[list[str]] | None = None,
    drop_political: bool = False,
    drop_names: bool = True,
    min_df: int = 2,
    n_terms: int = 10,
    n_seeds: int = 20,
    n_subsamples: int = 30,
    n_null: int = 10,
    n_init: int = N_INIT,
    n_init_null: int = N_INIT_NULL,
    leave_out_unshared: bool = False,
) -> ClusterResult:
    """Return the full clustering of the provincial speeches (one document per province).

    ``tokens`` (one list per province, in :func:`province_documents` order) skips tokenization;
    otherwise ``tokenizer`` (text -> tokens) or the project's ``tokenize_corpus`` (with
    ``drop_political``) is used. ``drop_names`` removes tokens naming a province, capital or speaker.
    ``k=None`` chooses k over ``k_range`` by ``k_rule`` (see the module docstring); an explicit k
    must lie in ``k_range``.
    KMeans runs single-threaded: on 31 rows thread start-up costs more than it saves.
    A province none of whose terms is used by ``min_df`` provinces is an error, unless
    ``leave_out_unshared`` is True: then it is left out and named in ``result.left_out``.
    """
    docs = province_documents(speeches)
    if tokens is None:
        tokens = tokenize_documents(docs["text"].tolist(), tokenizer, drop_political=drop_political)
    if len(tokens) != len(docs):
        raise ValueError(f"got {len(tokens)} token lists for {len(docs)} provinces")
    token_lists = drop_name_tokens(tokens, proper_names(speeches) if drop_names else [])
    if len(docs) < MIN_DOCUMENTS:
        raise ValueError(f"clustering needs at least {MIN_DOCUMENTS} provinces with statements, found {len(docs)}")
    matrix, vocabulary = tfidf_matrix(token_lists, min_df=min_df)
    has_terms = np.asarray(matrix.getnnz(axis=1) > 0)
    empty = docs.loc[~has_terms, "province"].tolist()
    if empty and not leave_out_unshared:
        raise ValueError(f"no term of these provinces is used by {min_df} or more provinces: {empty}; "
                         "pass min_df=1 or leave them out")
    if empty:
        docs = docs[has_terms].reset_index(drop=True)
        matrix, vocabulary = tfidf_matrix([t for t, keep in zip(token_lists, has_terms) if keep], min_df=min_df)
        if len(docs) < MIN_DOCUMENTS:
            raise ValueError(f"only {len(docs)} provinces share terms used by {min_df} or more provinces "
                             f"(left out: {'、'.join(empty)}); clustering needs {MIN_DOCUMENTS}")
    with threadpool_limits(limits=1):
        result = _fit(docs, matrix, vocabulary, k=k, k_range=k_range, k_rule=k_rule, random_state=random_state,
                      n_terms=n_terms, n_seeds=n_seeds, n_subsamples=n_subsamples, n_null=n_null, n_init=n_init,
                      n_init_null=n_init_null)
    result.left_out = empty
    result.tokens = [list(t) for t in tokens]
    return result


def _fit(
    docs: pd.DataFrame, matrix: np.ndarray, vocabulary: list[str], *, k: int | None, k_range: Sequence[int],
    k_rule: str, random_state: int, n_terms: int, n_seeds: int, n_subsamples: int, n_null: int, n_init: int,
    n_init_null: int,
) -> ClusterResult:
    """Return the ClusterResult for a finished TF-IDF matrix (see cluster_speeches)."""
    sil, fits = _silhouette_fits(matrix, k_range, random_state, n_null, n_init, n_init_null)
    k_rule_used = k is None
    if k is None:
        k = choose_k(sil, k_rule)
    elif k not in fits:
        raise ValueError(f"k={k} is not among the k values tried ({sil['k'].tolist()})")
    space = row_space(matrix)
    labels = relabel(fits[k])  # the fit the silhouette table already made
    tree = linkage(pdist(space, metric="cosine"), method="average")
    hier = relabel(fcluster(tree, t=k, criterion="maxclust"))
    seed_ari = seed_stability(space, labels, k, _other_seeds(random_state, n_seeds), n_init)
    sub_ari, per_cluster = subsample_stability(space, labels, k, n_subsamples, random_state, n_init=n_init)
    coords, explained = map_coordinates(space)
    return ClusterResult(
        documents=docs,
        tfidf=matrix,
        vocabulary=vocabulary,
        silhouette=sil,
        k=int(k),
        k_rule=k_rule if k_rule_used else "given",
        labels=labels,
        hierarchical_labels=hier,
        agreement_ari=float(adjusted_rand_score(labels, hier)),
        seed_ari=seed_ari,
        subsample_ari=sub_ari,
        cluster_stability=per_cluster,
        top_terms=top_terms_table(matrix, vocabulary, labels, n_terms),
        coords=coords,
        explained_variance=explained,
        similarity=cosine_similarity(matrix),
        linkage=tree,
        dendrogram_order=leaves_list(tree).tolist(),
        length=length_check(docs["n_chars"].to_numpy(), labels, coords),
        random_state=random_state,
    )


def clusters_table(
    speeches: pd.DataFrame, *, n_table_terms: int = 8, result: ClusterResult | None = None, **kwargs
) -> pd.DataFrame:
    """Return one row per province: province, province_code, region, cluster, top_terms, x, y, n_chars.

    Pass ``result`` to reuse a finished :func:`cluster_speeches` run; other keywords go to
    :func:`analyse`. A corpus that cannot be clustered gives a table without rows.
    """
    if result is None:
        result = analyse(speeches, **kwargs)
    terms = (
        result.top_terms[result.top_terms["rank"] <= n_table_terms]
        .groupby("cluster")["term"].agg("、".join)
    )
    docs = result.documents
    coords = np.round(result.coords, COORD_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    table = pd.DataFrame({
        "province": docs["province"],
        "province_code": docs["province_code"],
        "region": docs["region"],
        "cluster": result.labels.astype(int),
        "top_terms": [terms.get(c, "") for c in result.labels],
        "x": coords[:, 0],
        "y": coords[:, 1],
        "n_chars": docs["n_chars"].astype(int),
    })
    return table.sort_values("province_code", kind="mergesort").reset_index(drop=True)


# --------------------------------------------------------------------------- sensitivity

# One choice changed at a time (keyword arguments of cluster_speeches), with the label shown.
VARIANTS = {
    "political boilerplate dropped": {"drop_political": True},
    "single-province terms kept (min_df=1)": {"min_df": 1},
    "names of provinces and speakers kept": {"drop_names": False},
}


def sensitivity_table(speeches: pd.DataFrame, result: ClusterResult, **settings) -> pd.DataFrame:
    """Return one row per analysis variant: terms, k, silhouette, ARI with ``result``'s partition.

    Each variant changes one choice (:data:`VARIANTS`, flipped against ``settings``) and keeps
    ``result.k``, so the ARI shows how much that choice alone moves the provinces; the last row
    uses the k with the highest raw silhouette. Variants refit only that k (no null, no resampling).
    """
    columns = ["variant", "terms", "k", "silhouette", "ARI with the partition above"]
    if not result.k:
        return pd.DataFrame(columns=columns)
    base = {key: value for key, value in settings.items() if key not in ("k", "k_range", "n_null", "n_seeds",
                                                                        "n_subsamples", "k_rule")}
    raw_best = int(result.silhouette.loc[result.silhouette["silhouette"].fillna(-np.inf).idxmax(), "k"])
    variants = {name: {key: (not base.get(key, False)) if isinstance(value, bool) else value
                       for key, value in change.items()} for name, change in VARIANTS.items()}
    variants[f"k by raw silhouette (k = {raw_best})"] = {"k": raw_best}
    rows = [{"variant": "as above", "terms": len(result.vocabulary), "k": result.k,
             "silhouette": result.best_silhouette, "ARI with the partition above": 1.0}]
    for name, change in variants.items():
        k = change.get("k", result.k)
        options = {**base, **change, "k": k, "k_range": [k], "n_null": 0, "n_seeds": 0, "n_subsamples": 0,
                   "leave_out_unshared": True}
        if "drop_political" not in change and "tokenizer" not in base:
            options["tokens"] = result.tokens  # same segmentation: reuse it
        try:
            run = cluster_speeches(speeches, **options)
        except ValueError as error:
            rows.append({"variant": f"{name}: not computed ({error})"})
            continue
        common = run.documents["province"].isin(result.provinces).to_numpy()
        reference = pd.Series(result.labels, index=result.provinces)[run.documents.loc[common, "province"]]
        rows.append({"variant": name, "terms": len(run.vocabulary), "k": run.k, "silhouette": run.best_silhouette,
                     "ARI with the partition above": adjusted_rand_score(reference.to_numpy(), run.labels[common])})
    return pd.DataFrame(rows, columns=columns)


def analyse(speeches: pd.DataFrame, **settings) -> ClusterResult:
    """Return :func:`cluster_speeches` on any speeches table, leaving out provinces without shared terms.

    When the corpus cannot be clustered (fewer than 3 provinces, no provincial statement …) the
    result has k = 0 and ``reason`` says why, so notebooks and figures work on every corpus.
    """
    try:
        return cluster_speeches(speeches, **{"leave_out_unshared": True, **settings})
    except ValueError as error:
        return empty_result(f"No clustering was computed: {error}.")
