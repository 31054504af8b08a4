"""Tests for shuangtan.terms: frequencies, keyness statistics, KWIC and collocations."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from shuangtan import terms
from shuangtan.tokens import tokenize


def scipy_statistic(a, b, total_a, total_b, lambda_):
    table = np.array([[a, b], [total_a - a, total_b - b]])
    return chi2_contingency(table, correction=False, lambda_=lambda_)[0]


@pytest.mark.parametrize("a,b,total_a,total_b", [(10, 2, 500, 1000), (1, 40, 200, 5000), (30, 30, 100, 900)])
def test_statistics_match_scipy(a, b, total_a, total_b):
    g2 = terms.log_likelihood(np.array([a]), np.array([b]), total_a, total_b)[0]
    x2 = terms.chi_square(np.array([a]), np.array([b]), total_a, total_b)[0]
    assert g2 == pytest.approx(scipy_statistic(a, b, total_a, total_b, "log-likelihood"))
    assert x2 == pytest.approx(scipy_statistic(a, b, total_a, total_b, "pearson"))


def test_log_likelihood_handles_zero_counts():
    g2 = terms.log_likelihood(np.array([5, 0]), np.array([0, 5]), 100, 100)
    assert np.isfinite(g2).all() and (g2 > 0).all()
    assert g2[0] == pytest.approx(g2[1])


def test_keyness_ranks_overused_terms_first():
    target = Counter({"两高": 12, "碳达峰": 10, "发展": 5})
    reference = Counter({"两高": 1, "碳达峰": 100, "发展": 50, "能源": 30})
    table = terms.keyness(target, reference)
    assert table["term"].iloc[0] == "两高"
    assert (table["target_per_10k"] > table["reference_per_10k"]).all()
    assert table["statistic"].is_monotonic_decreasing
    assert table["p_value"].between(0, 1).all()
    under = terms.keyness(target, reference, which="under")
    assert "能源" in set(under["term"]) and "两高" not in set(under["term"])
    chi = terms.keyness(target, reference, method="chi_square")
    assert chi.attrs["method"] == "chi_square" and chi["term"].iloc[0] == "两高"
    with pytest.raises(ValueError):
        terms.keyness(target, reference, method="t-test")


def test_keyness_min_count_filters_rare_terms():
    table = terms.keyness(Counter({"碳汇": 1, "碳市场": 3}), Counter({"发展": 50}), min_count=2)
    assert list(table["term"]) == ["碳市场"]


def test_keyness_by_group_compares_each_group_with_the_rest():
    groups = {
        "甲": Counter({"碳汇": 6, "发展": 4}),
        "乙": Counter({"两高": 6, "发展": 4}),
        "丙": Counter({"发展": 10, "能源": 5}),
    }
    table = terms.keyness_by_group(groups, top=1)
    assert table.set_index("group")["term"].to_dict() == {"甲": "碳汇", "乙": "两高", "丙": "能源"}
    first = table.iloc[0]
    assert first["reference"] == 0 and first["target"] == 6


def test_frequency_helpers():
    lists = [["碳达峰", "碳中和", "碳达峰"], ["碳中和", "两高"]]
    assert terms.count_terms(lists) == Counter({"碳达峰": 2, "碳中和": 2, "两高": 1})
    top = terms.top_terms(terms.count_terms(lists), n=2)
    assert list(top.index) == ["碳中和", "碳达峰"], "ties broken by the term, deterministically"
    groups = terms.counts_by_group(lists, ["b", "a"])
    assert list(groups) == ["a", "b"]
    table = terms.term_table(groups, per=10_000)
    assert table.sum().tolist() == pytest.approx([10_000, 10_000])
    assert terms.term_table(groups).loc["碳达峰", "b"] == 2
    with pytest.raises(ValueError):
        terms.counts_by_group(lists, ["a"])


def test_kwic_gives_context_and_marks_truncation():
    texts = pd.Series({"浙江": "要坚决遏制“两高”项目盲目发展，加快绿色制造体系建设。", "河南": "抑制“两高一危”。"})
    lines = terms.kwic(texts, "两高", width=4)
    assert list(lines.columns) == ["source", "left", "keyword", "right"]
    assert lines.to_dict("records")[0] == {"source": "浙江", "left": "…决遏制“", "keyword": "两高", "right": "”项目盲…"}
    assert lines["source"].tolist() == ["浙江", "河南"]
    assert terms.kwic(texts, "碳汇").empty
    assert len(terms.kwic(texts, "两高", limit=1)) == 1


def test_kwic_table_escapes_html():
    lines = terms.kwic({"x": "前文<script>alert(1)</script>碳达峰后文"}, "碳达峰", width=30)
    rendered = terms.kwic_table(lines, caption="<b>KWIC</b>").to_html()
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
    assert "&lt;b&gt;KWIC" in rendered


def test_content_bigrams_do_not_jump_over_stopwords():
    tokens = tokenize("推进减污降碳和碳达峰，推进减污降碳", keep_stopwords=True)
    pairs = terms.content_bigrams([tokens])
    assert pairs[("推进", "减污降碳")] == 2
    assert ("减污降碳", "碳达峰") not in pairs, "the pair is separated by 和"


def test_collocations_score_a_fixed_pair_highest():
    filler = [f"词{i}" for i in range(40)]
    lists = [["碳排放", "强度", *filler[i : i + 5]] for i in range(0, 35, 5)]
    lists += [["强度", "词1"], ["碳排放", "词2"]]
    table = terms.collocations(lists, min_count=2)
    assert table["bigram"].iloc[0] == "碳排放强度"
    row = table.iloc[0]
    n = sum(terms.content_bigrams(lists).values())
    firsts = sum(c for (w1, _), c in terms.content_bigrams(lists).items() if w1 == "碳排放")
    seconds = sum(c for (_, w2), c in terms.content_bigrams(lists).items() if w2 == "强度")
    o11 = row["count"]
    contingency = np.array([[o11, firsts - o11], [seconds - o11, n - firsts - seconds + o11]])
    assert row["log_likelihood"] == pytest.approx(chi2_contingency(contingency, correction=False, lambda_="log-likelihood")[0])
    assert row["pmi"] > 0
    assert terms.collocations([["碳达峰"]]).empty
