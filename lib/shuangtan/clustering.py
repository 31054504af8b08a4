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

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, leaves_list, linkage
from scipy.spatial.distance import pdist
from scipy.stats import kruskal, spearmanr
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.metrics.pairwise import cosine_similarity
from threadpoolctl import threadpool_limits

from .findings import Findings
from .paths import RANDOM_STATE
from .places import provinces
from .timeline import is_reprint

# KMeans restarts per fit. With 31 short texts many partitions have almost the same inertia
# (within 0.1 %), so 10 restarts often stop at different ones; 50 find the best more reliably.
N_INIT = 50
# Restarts per fit on the permutation null. The null is an average over shuffled matrices, so it
# needs no best-of-50 optimum: on the seeds (and every sensitivity variant) 10 restarts choose the
# same k as 50 (tests/test_clustering.py) at a fifth of the cost.
N_INIT_NULL = 10
# Fewest provinces a clustering needs: k = 2 clusters must leave at least one cluster with two members.
MIN_DOCUMENTS = 3
# Above this many rows the silhouette is computed on a seeded sample of this size (cost grows as n²).
SILHOUETTE_SAMPLE = 2000
# Share of provinces kept in each resampling run of the stability check.
SUBSAMPLE_FRACTION = 0.8
# Significance level and effect size (share of log-length variance explained by the clusters)
# above which the length check says the clusters follow text length.
LENGTH_ALPHA = 0.05
LENGTH_ETA2_STRONG = 0.5
# Separator between statements of one province when they are joined into one document.
STATEMENT_SEPARATOR = "\n"
# Kaufman & Rousseeuw (1990) reading of an average silhouette: (lower bound, description), highest first.
SILHOUETTE_SCALE = (
    (0.70, "strong structure"),
    (0.50, "reasonable structure"),
    (0.25, "weak structure that could be artificial"),
    (float("-inf"), "no substantial structure"),
)
# Decimals kept for the map coordinates in clusters_table (byte-identical CSVs across runs).
COORD_DECIMALS = 6

Tokenizer = Callable[[str], list[str]]


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


def province_documents(speeches: pd.DataFrame) -> pd.DataFrame:
    """Return one row per province (province, province_code, region, n_statements, text, n_chars), by code.

    Reprints of another document (``duplicate_of`` set) are left out, so a text counts once. ``n_chars`` is the total length of the province's statements (separators not counted).
    """
    rows = speeches[speeches["province"].notna() & ~is_reprint(speeches)]
    if "level" in rows.columns:
        rows = rows[rows["level"] == "provincial"]
    if rows.empty:
        raise ValueError("no provincial statements to cluster (no rows with a province)")
    order = [c for c in ("province_code", "date", "speech_id") if c in rows.columns]
    rows = rows.sort_values(order, kind="mergesort", na_position="last")
    docs = (
        rows.groupby("province", sort=False)
        .agg(
            province_code=("province_code", "first"),
            region=("region", "first"),
            n_statements=("text", "size"),
            text=("text", lambda texts: STATEMENT_SEPARATOR.join(str(t) for t in texts)),
            n_chars=("text", lambda texts: sum(len(str(t)) for t in texts)),
        )
        .reset_index()
    )
    return docs.sort_values(["province_code", "province"], kind="mergesort").reset_index(drop=True)


def tokenize_documents(
    texts: Sequence[str], tokenizer: Tokenizer | None = None, *, drop_political: bool = False
) -> list[list[str]]:
    """Return the token list of each text: ``tokenizer`` per text, else the project's cached tokenizer."""
    if tokenizer is not None:
        return [list(tokenizer(text)) for text in texts]
    from .tokens import tokenize_corpus  # imported late: jieba loads only when needed

    return [list(tokens) for tokens in tokenize_corpus(list(texts), drop_political=drop_political)]


def proper_names(speeches: pd.DataFrame) -> list[str]:
    """Return the province short names, capitals and speaker names (sorted) that drop_names removes."""
    table = provinces()
    names = set(table["short_name"]) | set(table["capital"])
    if "speaker" in speeches.columns:
        names |= {str(n) for n in speeches["speaker"].dropna() if len(str(n)) >= 2}
    return sorted(names)


def drop_name_tokens(token_lists: Sequence[list[str]], names: Sequence[str]) -> list[list[str]]:
    """Return the token lists without tokens that contain any of the names (天津市委, 云南, 蔡奇 …)."""
    if not names:
        return [list(tokens) for tokens in token_lists]
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    return [[t for t in tokens if not pattern.search(t)] for tokens in token_lists]


def _identity(tokens: list[str]) -> list[str]:
    """Return the tokens unchanged (the TF-IDF analyzer for pre-tokenized documents)."""
    return tokens


def tfidf_matrix(token_lists: Sequence[list[str]], *, min_df: int = 2) -> tuple[sp.csr_matrix, list[str]]:
    """Return the sparse (CSR) L2-normalised TF-IDF matrix (sublinear tf) and its vocabulary, sorted.

    Sparse because a large corpus gives hundreds of thousands of terms: only the non-zero weights are stored.
    """
    vectorizer = TfidfVectorizer(
        analyzer=_identity, lowercase=False, token_pattern=None, sublinear_tf=True, min_df=min_df
    )
    matrix = sp.csr_matrix(vectorizer.fit_transform(list(token_lists)), dtype=float)
    return matrix, vectorizer.get_feature_names_out().tolist()


def row_space(matrix: np.ndarray | sp.spmatrix) -> np.ndarray:
    """Return the rows' coordinates in their own span (n x rank): same distances and inner products.

    A sparse matrix is reduced through its n x n Gram matrix, so the work grows with its non-zeros, not its width.
    """
    if sp.issparse(matrix):
        gram = (matrix @ matrix.T).toarray()
        u, s, _ = np.linalg.svd(gram, hermitian=True)
        s = np.sqrt(np.clip(s, 0.0, None))
    else:
        u, s, _ = np.linalg.svd(matrix, full_matrices=False)
    rank = int(np.sum(s > s.max() * 1e-10)) if s.size and s.max() > 0 else 1
    return u[:, :rank] * s[:rank]


def relabel(labels: Sequence[int]) -> np.ndarray:
    """Return labels renumbered 1..k: largest cluster first, ties by the earliest row it contains."""
    labels = np.asarray(labels)
    keys = sorted(set(labels.tolist()), key=lambda c: (-int(np.sum(labels == c)), int(np.argmax(labels == c))))
    mapping = {old: new for new, old in enumerate(keys, start=1)}
    return np.array([mapping[c] for c in labels.tolist()], dtype=int)


def kmeans_labels(matrix: np.ndarray, k: int, seed: int, n_init: int = N_INIT) -> np.ndarray:
    """Return KMeans labels (raw numbering) for k clusters, best of n_init restarts."""
    return KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit_predict(matrix)


def _silhouette(matrix: np.ndarray, labels: np.ndarray) -> float:
    """Return the cosine silhouette (on a seeded sample above SILHOUETTE_SAMPLE rows), NaN unless 2..n-1 clusters."""
    n_labels = len(set(labels.tolist()))
    if n_labels < 2 or n_labels >= len(labels):
        return float("nan")
    sample = SILHOUETTE_SAMPLE if len(labels) > SILHOUETTE_SAMPLE else None
    return float(silhouette_score(matrix, labels, metric="cosine", sample_size=sample, random_state=RANDOM_STATE))


def _valid_ks(k_range: Sequence[int], n_docs: int) -> list[int]:
    """Return the k values that can be fitted and scored on n_docs documents (2 <= k <= n_docs - 1)."""
    ks = [int(k) for k in k_range if 2 <= int(k) <= n_docs - 1]
    if not ks:
        raise ValueError(f"no k in {list(k_range)} fits {n_docs} documents (need 2 <= k <= n - 1)")
    return ks


def _permuted(matrix: sp.spmatrix, rng: np.random.Generator) -> np.ndarray:
    """Return the row space of the matrix with each column shuffled across rows, rows re-normalised.

    Column j's entry in row i comes from row ``perm_j[i]`` (``perm_j`` drawn as ``rng.permutation(n)``,
    one per column in order); only the non-zeros are moved.
    """
    csc = sp.csc_matrix(matrix)
    n, width = csc.shape
    perms = rng.permuted(np.broadcast_to(np.arange(n), (width, n)), axis=1)
    new_row = np.argsort(perms, axis=1)  # new_row[j, r]: where row r's value of column j goes
    columns = np.repeat(np.arange(width), np.diff(csc.indptr))
    shuffled = sp.csr_matrix((csc.data, (new_row[columns, csc.indices], columns)), shape=(n, width))
    norms = np.sqrt(np.asarray(shuffled.multiply(shuffled).sum(axis=1))).ravel()
    return row_space(sp.diags(1.0 / np.where(norms == 0, 1.0, norms)) @ shuffled)


def silhouette_table(
    matrix: np.ndarray | sp.spmatrix, k_range: Sequence[int], random_state: int = RANDOM_STATE, n_null: int = 10,
    n_init: int = N_INIT, n_init_null: int = N_INIT_NULL,
) -> pd.DataFrame:
    """Return per k: KMeans and hierarchical silhouettes, the permutation null's mean and 95th percentile, excess.

    The null shuffles each term's weights across documents (n_null times, ``n_init_null`` restarts
    per fit): the silhouette that documents with the same term weights but no shared topics would reach.
    """
    return _silhouette_fits(matrix, k_range, random_state, n_null, n_init, n_init_null)[0]


def _silhouette_fits(
    matrix: np.ndarray | sp.spmatrix, k_range: Sequence[int], random_state: int, n_null: int, n_init: int,
    n_init_null: int,
) -> tuple[pd.DataFrame, dict[int, np.ndarray]]:
    """Return the silhouette table and the KMeans labels of every k (reused as the final fit)."""
    ks = _valid_ks(k_range, matrix.shape[0])
    space = row_space(matrix)
    tree = linkage(pdist(space, metric="cosine"), method="average")
    rng = np.random.default_rng(random_state)
    nulls = [_permuted(matrix, rng) for _ in range(n_null)]
    rows, fits = [], {}
    for k in ks:
        null_scores = [_silhouette(m, kmeans_labels(m, k, random_state, n_init_null)) for m in nulls]
        fits[k] = kmeans_labels(space, k, random_state, n_init)
        rows.append({
            "k": k,
            "silhouette": _silhouette(space, fits[k]),
            "silhouette_hierarchical": _silhouette(space, fcluster(tree, t=k, criterion="maxclust")),
            "null_mean": float(np.nanmean(null_scores)) if null_scores else float("nan"),
            "null_p95": float(np.nanpercentile(null_scores, 95)) if null_scores else float("nan"),
        })
    table = pd.DataFrame(rows)
    table["excess"] = table["silhouette"] - table["null_mean"]
    return table, fits


K_RULES = ("null_adjusted", "silhouette")


def silhouette_strength(value: float) -> str:
    """Return the Kaufman-Rousseeuw description of an average silhouette (e.g. 'no substantial structure')."""
    return next(label for bound, label in SILHOUETTE_SCALE if value >= bound)


def choose_k(table: pd.DataFrame, rule: str = "null_adjusted") -> int:
    """Return the k with the largest silhouette above the null mean (or raw silhouette); ties to the smaller k.

    ``null_adjusted`` falls back to the raw silhouette when the table has no null (n_null=0).
    """
    if rule not in K_RULES:
        raise ValueError(f"k_rule must be one of {K_RULES}, not {rule!r}")
    column = "excess" if rule == "null_adjusted" and table["excess"].notna().any() else "silhouette"
    scores = table[column].round(9).fillna(-np.inf).to_numpy()
    return int(table["k"].iloc[int(np.argmax(scores))])


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


# --------------------------------------------------------------------------- sensitivity and summary

# One choice changed at a time (keyword arguments of cluster_speeches), with the label shown.
VARIANTS = {
    "political boilerplate dropped": {"drop_political": True},
    "single-province terms kept (min_df=1)": {"min_df": 1},
    "names of provinces and speakers kept": {"drop_names": False},
}
# Reading of a per-cluster Jaccard overlap under resampling (Hennig 2007): below 0.5 a cluster dissolves.
JACCARD_DISSOLVED, JACCARD_STABLE = 0.5, 0.75
# ARIs at or above this count as "reproducible" in the summary's reading.
ARI_REPRODUCIBLE = 0.75
# Below this many provinces the summary warns that clusters rest on a handful of texts.
FEW_PROVINCES = 10


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


def analyse(speeches: pd.DataFrame, **settings) -> ClusterResult:
    """Return :func:`cluster_speeches` on any speeches table, leaving out provinces without shared terms.

    When the corpus cannot be clustered (fewer than 3 provinces, no provincial statement …) the
    result has k = 0 and ``reason`` says why, so notebooks and figures work on every corpus.
    """
    try:
        return cluster_speeches(speeches, **{"leave_out_unshared": True, **settings})
    except ValueError as error:
        return empty_result(f"No clustering was computed: {error}.")


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
