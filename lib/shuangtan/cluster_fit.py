"""From speeches to KMeans fits: one document per province, tokens, TF-IDF, silhouette sweep, choice of k.

Steps 1 and 2 of the method described in :mod:`shuangtan.clustering`: province documents and
their tokens (proper names dropped), the sparse TF-IDF matrix and its row space, KMeans fits,
the silhouette of every k against a permutation null, and the rule that chooses k.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score

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
# Above this many rows the silhouette is computed on a seeded sample of this size (cost grows as n²).
SILHOUETTE_SAMPLE = 2000
# Separator between statements of one province when they are joined into one document.
STATEMENT_SEPARATOR = "\n"
# Kaufman & Rousseeuw (1990) reading of an average silhouette: (lower bound, description), highest first.
SILHOUETTE_SCALE = (
    (0.70, "strong structure"),
    (0.50, "reasonable structure"),
    (0.25, "weak structure that could be artificial"),
    (float("-inf"), "no substantial structure"),
)

Tokenizer = Callable[[str], list[str]]


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
    """Return the token lists without tokens that contain any of the names (天津市委, 云南, 蔡奇 …).

    Each distinct token is tested once, by looking its substrings of each name length up in a set:
    the cost grows with the tokens, not with tokens × names (a 10k-page corpus names thousands of speakers).
    """
    wanted = {str(n) for n in names if n}
    if not wanted:
        return [list(tokens) for tokens in token_lists]
    lengths = sorted({len(n) for n in wanted})
    vocabulary: set[str] = set()
    for tokens in token_lists:
        vocabulary.update(tokens)
    named = {t for t in vocabulary if any(t[i:i + n] in wanted for n in lengths for i in range(len(t) - n + 1))}
    return [[t for t in tokens if t not in named] for tokens in token_lists]


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
