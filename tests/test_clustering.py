"""Tests for shuangtan.clustering: determinism, k selection, one row per province, honest checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shuangtan import clustering
from shuangtan.places import provinces

TOPICS = [
    ["煤炭", "转型", "能源", "电力", "火电"],
    ["海洋", "蓝碳", "港口", "风电", "海上"],
    ["森林", "碳汇", "生态", "草原", "湿地"],
]
COMMON = ["碳达峰", "碳中和", "绿色", "低碳", "发展"]
FAST = {"n_seeds": 3, "n_subsamples": 3, "n_null": 2, "n_init": 10}


def split_tokens(text: str) -> list[str]:
    """Trivial tokenizer for synthetic texts: words separated by spaces."""
    return text.split()


def synthetic_speeches(seed: int = 0, topics: list[list[str]] = TOPICS) -> pd.DataFrame:
    """Return a speeches-like table: 31 provinces, one topic each, plus a central row and a second statement."""
    rng = np.random.default_rng(seed)
    rows = []
    for i, prov in enumerate(provinces().itertuples()):
        words = rng.choice(topics[i % len(topics)] + COMMON, size=int(rng.integers(5, 60)))
        text = " ".join(words)
        rows.append({"speech_id": f"s{i:02d}", "doc_id": "d", "level": "provincial", "province": prov.short_name,
                     "province_code": prov.iso_code, "region": prov.region, "date": pd.Timestamp("2021-05-01"),
                     "text": text, "n_chars": len(text)})
    rows.append({"speech_id": "c1", "doc_id": "c", "level": "central", "province": None, "province_code": None,
                 "region": None, "date": pd.NaT, "text": "中央 碳达峰 煤炭 海洋", "n_chars": 13})
    rows.append({"speech_id": "s99", "doc_id": "e", "level": "provincial", "province": "浙江",
                 "province_code": "CN-ZJ", "region": "东部", "date": pd.Timestamp("2021-06-01"),
                 "text": "海洋 风电", "n_chars": 5})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def speeches() -> pd.DataFrame:
    return synthetic_speeches()


@pytest.fixture(scope="module")
def result(speeches: pd.DataFrame) -> clustering.ClusterResult:
    return clustering.cluster_speeches(speeches, tokenizer=split_tokens, **FAST)


def test_one_document_per_province_central_rows_ignored(speeches: pd.DataFrame) -> None:
    docs = clustering.province_documents(speeches)
    assert len(docs) == 31 and docs["province"].is_unique
    assert "中央" not in " ".join(docs["text"])
    zhejiang = docs.set_index("province").loc["浙江"]
    assert zhejiang["n_statements"] == 2 and zhejiang["text"].endswith("海洋 风电")
    assert zhejiang["n_chars"] == speeches.loc[speeches["province"] == "浙江", "text"].str.len().sum()
    assert docs["province_code"].is_monotonic_increasing


def test_statements_joined_in_date_order_whatever_the_row_order(speeches: pd.DataFrame) -> None:
    shuffled = speeches.sample(frac=1.0, random_state=1)
    pd.testing.assert_frame_equal(clustering.province_documents(shuffled), clustering.province_documents(speeches))


def test_no_provincial_rows_is_an_error(speeches: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="no provincial"):
        clustering.province_documents(speeches[speeches["province"].isna()])


def test_silhouette_table_covers_k_2_to_8_and_k_is_chosen_from_it(result: clustering.ClusterResult) -> None:
    table = result.silhouette
    assert table["k"].tolist() == list(range(2, 9))
    assert table["silhouette"].between(-1, 1).all() and table["null_mean"].between(-1, 1).all()
    assert 2 <= result.k <= 8 and result.k_rule == "null_adjusted"
    assert result.k == int(table.loc[table["excess"].idxmax(), "k"])
    assert result.best_silhouette == pytest.approx(table.set_index("k").loc[result.k, "silhouette"])


def test_planted_topics_are_recovered(result: clustering.ClusterResult) -> None:
    topic_of = {name: i % len(TOPICS) for i, name in enumerate(provinces()["short_name"])}
    planted = [topic_of[p] for p in result.provinces]
    assert result.k == 3
    assert clustering.adjusted_rand_score(planted, result.labels) == pytest.approx(1.0)
    assert result.agreement_ari == pytest.approx(1.0)
    assert result.silhouette.set_index("k").loc[3, "silhouette"] > result.silhouette.set_index("k").loc[3, "null_p95"]
    assert set(result.top_terms.loc[result.top_terms["rank"] <= 5, "term"]) == {w for t in TOPICS for w in t}


def test_every_province_assigned_and_labels_are_1_to_k_largest_first(result: clustering.ClusterResult) -> None:
    assert len(result.labels) == 31 and len(result.hierarchical_labels) == 31
    assert sorted(set(result.labels.tolist())) == list(range(1, result.k + 1))
    sizes = np.bincount(result.labels)[1:]
    assert list(sizes) == sorted(sizes, reverse=True)


def test_labels_are_deterministic(speeches: pd.DataFrame, result: clustering.ClusterResult) -> None:
    again = clustering.cluster_speeches(speeches, tokenizer=split_tokens, **FAST)
    assert np.array_equal(again.labels, result.labels)
    assert np.array_equal(again.hierarchical_labels, result.hierarchical_labels)
    np.testing.assert_array_equal(again.seed_ari, result.seed_ari)
    np.testing.assert_array_equal(again.subsample_ari, result.subsample_ari)


def test_explicit_k_is_used_and_must_be_in_range(speeches: pd.DataFrame) -> None:
    res = clustering.cluster_speeches(speeches, k=5, tokenizer=split_tokens, **FAST)
    assert res.k == 5 and len(set(res.labels.tolist())) == 5 and res.k_rule == "given"
    with pytest.raises(ValueError, match="k=12"):
        clustering.cluster_speeches(speeches, k=12, tokenizer=split_tokens, **FAST)


def test_a_province_without_shared_terms_is_named_in_the_error(speeches: pd.DataFrame) -> None:
    lonely = speeches.copy()
    lonely.loc[lonely["province"] == "北京", "text"] = "独一无二"
    with pytest.raises(ValueError, match="北京"):
        clustering.cluster_speeches(lonely, tokenizer=split_tokens, **FAST)


def test_pretokenized_documents_give_the_same_result(speeches: pd.DataFrame, result: clustering.ClusterResult) -> None:
    tokens = [t.split() for t in clustering.province_documents(speeches)["text"]]
    res = clustering.cluster_speeches(speeches, tokens=tokens, **FAST)
    assert np.array_equal(res.labels, result.labels)
    with pytest.raises(ValueError, match="token lists"):
        clustering.cluster_speeches(speeches, tokens=tokens[:-1], **FAST)


def test_choose_k_rules() -> None:
    table = pd.DataFrame({"k": [2, 3, 4], "silhouette": [0.05, 0.04, 0.06], "null_mean": [0.01, 0.01, 0.04]})
    table["excess"] = table["silhouette"] - table["null_mean"]
    assert clustering.choose_k(table, "silhouette") == 4
    assert clustering.choose_k(table, "null_adjusted") == 2
    assert clustering.choose_k(table.assign(excess=np.nan), "null_adjusted") == 4  # no null: raw silhouette
    assert clustering.choose_k(table.assign(silhouette=0.05, excess=0.0), "silhouette") == 2  # ties: smaller k
    with pytest.raises(ValueError, match="k_rule"):
        clustering.choose_k(table, "elbow")


def test_silhouette_strength_scale() -> None:
    assert clustering.silhouette_strength(0.05) == "no substantial structure"
    assert clustering.silhouette_strength(0.3).startswith("weak")
    assert clustering.silhouette_strength(0.6) == "reasonable structure"
    assert clustering.silhouette_strength(0.9) == "strong structure"


def test_drop_names_removes_province_capital_and_speaker_tokens() -> None:
    speeches = pd.DataFrame({"speaker": ["蔡奇", None]})
    names = clustering.proper_names(speeches)
    assert {"北京", "南京", "蔡奇"} <= set(names)
    tokens = [["天津市委", "碳达峰", "蔡奇", "南京", "海上", "风电"]]
    assert clustering.drop_name_tokens(tokens, names) == [["碳达峰", "海上", "风电"]]
    assert clustering.drop_name_tokens(tokens, []) == tokens


def test_drop_name_tokens_matches_a_substring_search_on_many_names() -> None:
    """A name anywhere inside a token (start, middle, end, whole) drops it; the same verdict as a plain search."""
    import random

    rng = random.Random(0)
    alphabet = "碳达峰中和王李张省市委能源风电海上"
    names = sorted({"".join(rng.choices(alphabet, k=rng.randint(2, 4))) for _ in range(300)})
    tokens = [["".join(rng.choices(alphabet, k=rng.randint(1, 6))) for _ in range(200)] for _ in range(5)]
    expected = [[t for t in doc if not any(n in t for n in names)] for doc in tokens]
    assert clustering.drop_name_tokens(tokens, names) == expected
    assert any(len(a) < len(b) for a, b in zip(expected, tokens))


def test_stability_figures_are_in_range(result: clustering.ClusterResult) -> None:
    assert len(result.seed_ari) == FAST["n_seeds"] and len(result.subsample_ari) == FAST["n_subsamples"]
    summary = result.stability_summary()
    assert all(-1 <= v <= 1 for v in summary.values())
    assert result.cluster_stability["size"].sum() == 31
    assert result.cluster_stability["mean_jaccard"].between(0, 1).all()


def test_other_seeds_are_distinct_and_exclude_the_reference() -> None:
    seeds = clustering._other_seeds(7, 20)
    assert len(set(seeds)) == 20 and 7 not in seeds


def test_relabel_orders_by_size_then_first_row() -> None:
    assert clustering.relabel([5, 5, 9, 9, 9, 0]).tolist() == [2, 2, 1, 1, 1, 3]
    assert clustering.relabel([4, 3, 3, 4]).tolist() == [1, 2, 2, 1]


def test_matrix_shapes_and_dendrogram_order(result: clustering.ClusterResult) -> None:
    n = len(result.provinces)
    assert result.tfidf.shape == (n, len(result.vocabulary))
    np.testing.assert_allclose(np.sqrt(result.tfidf.multiply(result.tfidf).sum(axis=1)).A1, 1.0)  # sparse rows
    assert result.similarity.shape == (n, n) and result.coords.shape == (n, 2)
    assert sorted(result.dendrogram_order) == list(range(n))
    assert result.linkage.shape == (n - 1, 4)


def test_top_terms_are_positive_and_ranked(result: clustering.ClusterResult) -> None:
    terms = result.top_terms
    assert (terms["score"] > 0).all()
    for _, group in terms.groupby("cluster"):
        assert group["rank"].tolist() == list(range(1, len(group) + 1))
        assert group["score"].is_monotonic_decreasing


def test_length_check_flags_clusters_that_are_only_length() -> None:
    """Short texts use one vocabulary and long texts another: the verdict must say 'Yes'."""
    rows = []
    for i, prov in enumerate(provinces().itertuples()):
        long = i % 2 == 0
        # Distinct counts per province, so no two documents are identical.
        words = (["甲"] * (i + 3) + ["乙"] * (40 - i) + ["丙"] * 20) if long else (["丁"] * (1 + i % 5) + ["戊"] * (1 + i // 5))
        rows.append({"province": prov.short_name, "province_code": prov.iso_code, "region": prov.region,
                     "level": "provincial", "text": " ".join(words), "date": pd.NaT, "speech_id": str(i)})
    res = clustering.cluster_speeches(pd.DataFrame(rows), k=2, tokenizer=split_tokens, **FAST)
    assert res.length.follows_length
    assert res.length.verdict.startswith("Yes")
    assert res.length.length_band_ari > 0.8  # 16 long vs 15 short: the median band is off by one row


def test_length_check_is_negative_when_topics_are_planted(result: clustering.ClusterResult) -> None:
    assert not result.length.follows_length
    assert "length" in result.length.verdict


def test_clusters_table_columns_and_byte_identical_csv(speeches: pd.DataFrame) -> None:
    first = clustering.clusters_table(speeches, tokenizer=split_tokens, **FAST)
    second = clustering.clusters_table(speeches, tokenizer=split_tokens, **FAST)
    assert first.columns.tolist() == ["province", "province_code", "region", "cluster", "top_terms", "x", "y", "n_chars"]
    assert len(first) == 31 and first["province"].is_unique and first["cluster"].notna().all()
    assert first["province_code"].is_monotonic_increasing
    assert first["top_terms"].str.len().gt(0).all() and first["top_terms"].str.contains("、").all()
    assert first.to_csv(index=False) == second.to_csv(index=False)


def test_clusters_table_reuses_a_result(speeches: pd.DataFrame, result: clustering.ClusterResult) -> None:
    table = clustering.clusters_table(speeches, result=result)
    by_province = dict(zip(result.provinces, result.labels))
    assert table.apply(lambda r: by_province[r["province"]] == r["cluster"], axis=1).all()


def test_real_speeches_give_31_provinces(seed_corpus) -> None:
    speeches = seed_corpus.speeches
    table = clustering.clusters_table(speeches, **FAST)
    assert len(table) == 31 and table["province"].is_unique
    assert table["cluster"].between(1, 8).all()
    assert table["n_chars"].gt(0).all()


# --------------------------------------------------------------------------- cost, sparse input, any corpus


def test_fewer_null_restarts_choose_the_same_k_on_the_seeds(seed_corpus) -> None:
    """The permutation null needs no best-of-50 optimum: 10 restarts give the same k and labels on the seeds."""
    speeches = seed_corpus.speeches
    tokens = clustering.tokenize_documents(clustering.province_documents(speeches)["text"].tolist())
    light = {"n_seeds": 0, "n_subsamples": 0}
    reference = clustering.cluster_speeches(speeches, tokens=tokens, n_init_null=clustering.N_INIT, **light)
    cheap = clustering.cluster_speeches(speeches, tokens=tokens, n_init_null=clustering.N_INIT_NULL, **light)
    assert clustering.N_INIT_NULL < clustering.N_INIT
    assert cheap.k == reference.k
    np.testing.assert_array_equal(cheap.labels, reference.labels)
    pd.testing.assert_series_equal(cheap.silhouette["silhouette"], reference.silhouette["silhouette"])


def test_sparse_null_matches_a_dense_column_shuffle() -> None:
    """The sparse permutation moves each column's values exactly as rng.permutation per column would."""
    import scipy.sparse as sp

    rng = np.random.default_rng(3)
    dense = rng.random((7, 12)) * (rng.random((7, 12)) > 0.6)
    expected_rng = np.random.default_rng(9)
    shuffled = np.column_stack([expected_rng.permutation(column) for column in dense.T])
    norms = np.linalg.norm(shuffled, axis=1, keepdims=True)
    expected = clustering.row_space(shuffled / np.where(norms == 0, 1.0, norms))
    got = clustering._permuted(sp.csr_matrix(dense), np.random.default_rng(9))
    np.testing.assert_allclose(got @ got.T, expected @ expected.T, atol=1e-10)  # same geometry


def test_row_space_of_a_sparse_matrix_keeps_distances() -> None:
    import scipy.sparse as sp

    matrix = np.random.default_rng(1).random((6, 40))
    np.testing.assert_allclose(clustering.row_space(sp.csr_matrix(matrix)) @ clustering.row_space(sp.csr_matrix(matrix)).T,
                               matrix @ matrix.T, atol=1e-10)


def test_tfidf_is_sparse(result: clustering.ClusterResult) -> None:
    import scipy.sparse as sp

    assert sp.issparse(result.tfidf)
    assert result.tfidf.nnz < result.tfidf.shape[0] * result.tfidf.shape[1]


def test_reprints_count_once(speeches: pd.DataFrame) -> None:
    reprinted = pd.concat([speeches.assign(duplicate_of=""),
                           speeches.iloc[[0]].assign(speech_id="r1", doc_id="r", duplicate_of="d")])
    docs = clustering.province_documents(reprinted)
    assert docs.set_index("province").loc[speeches.iloc[0]["province"], "n_statements"] == 1


@pytest.mark.parametrize("n", [0, 1, 2])
def test_analyse_explains_a_corpus_too_small_to_cluster(speeches: pd.DataFrame, n: int) -> None:
    rows = speeches[speeches["level"] == "provincial"].drop_duplicates("province").head(n)
    result = clustering.analyse(rows, tokenizer=split_tokens, **FAST)
    assert result.k == 0 and result.reason.startswith("No clustering was computed")
    assert clustering.summarize(result).sentences == [result.reason]
    assert clustering.documents_view(result).empty and clustering.cluster_table(result).empty
    assert clustering.sensitivity_table(rows, result).empty and clustering.similar_pairs(result).empty


def test_provinces_without_shared_terms_are_left_out_and_named(speeches: pd.DataFrame) -> None:
    odd = speeches.copy()
    odd.loc[odd["province"] == "西藏", "text"] = "独一无二 绝无仅有"
    result = clustering.analyse(odd, tokenizer=split_tokens, **FAST)
    assert result.left_out == ["西藏"] and "西藏" not in result.provinces
    assert any("Left out" in s and "西藏" in s for s in clustering.summarize(result).sentences)


def test_summary_reports_only_what_was_computed(speeches: pd.DataFrame, result: clustering.ClusterResult) -> None:
    sentences = clustering.summarize(result).sentences
    assert sentences[0].startswith(f"**k = {result.k}** clusters of 31 provinces")
    assert sum(s.startswith("**Cluster ") for s in sentences) == result.k
    assert not any("nan" in s.lower().split() for s in sentences)
    no_resampling = clustering.cluster_speeches(speeches, tokenizer=split_tokens, **{**FAST, "n_subsamples": 0,
                                                                                      "n_seeds": 0})
    text = " ".join(clustering.summarize(no_resampling).sentences)
    assert "Resampling stability was not computed" in text and "other seeds" not in text


def test_sensitivity_keeps_k_and_compares_partitions(speeches: pd.DataFrame, result: clustering.ClusterResult) -> None:
    table = clustering.sensitivity_table(speeches, result, tokenizer=split_tokens, **FAST)
    assert table["variant"].iloc[0] == "as above" and table["ARI with the partition above"].iloc[0] == 1.0
    assert (table["k"].iloc[1:-1] == result.k).all()
    assert table["ARI with the partition above"].between(-1, 1).all()


def test_clusters_table_of_an_unclusterable_corpus_has_columns_and_no_rows(speeches: pd.DataFrame) -> None:
    two = speeches[speeches["province"].isin(["北京", "上海"])]
    table = clustering.clusters_table(two, tokenizer=split_tokens, **FAST)
    assert table.empty and list(table.columns) == ["province", "province_code", "region", "cluster", "top_terms",
                                                   "x", "y", "n_chars"]
