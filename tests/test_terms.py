"""Tests for shuangtan.terms (frequencies, keyness), shuangtan.concordance (KWIC, collocations) and term_corpus."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from shuangtan import concordance, term_corpus, terms
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
    lines = concordance.kwic(texts, "两高", width=4)
    assert list(lines.columns) == ["source", "left", "keyword", "right"]
    assert lines.to_dict("records")[0] == {"source": "浙江", "left": "…决遏制“", "keyword": "两高", "right": "”项目盲…"}
    assert lines["source"].tolist() == ["浙江", "河南"]
    assert concordance.kwic(texts, "碳汇").empty
    assert len(concordance.kwic(texts, "两高", limit=1)) == 1


def test_kwic_table_escapes_html():
    lines = concordance.kwic({"x": "前文<script>alert(1)</script>碳达峰后文"}, "碳达峰", width=30)
    rendered = concordance.kwic_table(lines, caption="<b>KWIC</b>").to_html()
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
    assert "&lt;b&gt;KWIC" in rendered


def test_content_bigrams_do_not_jump_over_stopwords():
    tokens = tokenize("推进减污降碳和碳达峰，推进减污降碳", keep_stopwords=True)
    pairs = concordance.content_bigrams([tokens])
    assert pairs[("推进", "减污降碳")] == 2
    assert ("减污降碳", "碳达峰") not in pairs, "the pair is separated by 和"


def test_collocations_score_a_fixed_pair_highest():
    filler = [f"词{i}" for i in range(40)]
    lists = [["碳排放", "强度", *filler[i : i + 5]] for i in range(0, 35, 5)]
    lists += [["强度", "词1"], ["碳排放", "词2"]]
    table = concordance.collocations(lists, min_count=2)
    assert table["bigram"].iloc[0] == "碳排放强度"
    row = table.iloc[0]
    n = sum(concordance.content_bigrams(lists).values())
    firsts = sum(c for (w1, _), c in concordance.content_bigrams(lists).items() if w1 == "碳排放")
    seconds = sum(c for (_, w2), c in concordance.content_bigrams(lists).items() if w2 == "强度")
    o11 = row["count"]
    contingency = np.array([[o11, firsts - o11], [seconds - o11, n - firsts - seconds + o11]])
    assert row["log_likelihood"] == pytest.approx(chi2_contingency(contingency, correction=False, lambda_="log-likelihood")[0])
    assert row["pmi"] > 0
    assert concordance.collocations([["碳达峰"]]).empty


# ---------------------------------------------------------------- multiple testing, window collocates, KWIC, dispersion


def test_adjusted_p_values_by_hand():
    p = [0.01, 0.04, 0.03, 0.5]
    # Benjamini–Hochberg: p·m/rank = 0.04, 0.06, 0.0533, 0.5 in rank order, then the running minimum from the top.
    assert terms.adjust_p(p, "fdr_bh") == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.5])
    assert terms.adjust_p(p, "bonferroni") == pytest.approx([0.04, 0.16, 0.12, 1.0])
    assert terms.adjust_p(p, "none") == pytest.approx(p)
    assert terms.adjust_p([], "fdr_bh").size == 0


def test_keyness_correction_removes_weak_terms_and_keeps_strong_ones():
    target = Counter({"两高": 30, "光伏": 3, **{f"词{i}": 5 for i in range(40)}})  # 光伏: p ≈ 0.007 alone
    reference = Counter({"两高": 1, "光伏": 2, **{f"词{i}": 50 for i in range(40)}})
    raw = terms.keyness(target, reference, correction="none").set_index("term")
    bh = terms.keyness(target, reference, correction="fdr_bh").set_index("term")
    bonf = terms.keyness(target, reference, correction="bonferroni").set_index("term")
    assert bh.loc["两高", "significant"] and bonf.loc["两高", "significant"]
    assert raw.loc["光伏", "p_value"] < 0.05 and not bh.loc["光伏", "significant"]
    assert (bonf["p_adjusted"] >= bh["p_adjusted"] - 1e-12).all()
    assert bh.attrs["n_tested"] == 42
    assert {"log_ratio", "statistic", "p_adjusted"} <= set(bh.columns)


def test_keyness_by_group_reports_rejected_terms():
    groups = {"a": Counter({"两高": 30, "发展": 10}), "b": Counter({"两高": 1, "发展": 10, "能源": 20})}
    table = terms.keyness_by_group(groups, top=None)
    assert set(table["group"]) == {"a", "b"}
    assert set(table.attrs["n_tested"]) == {"a", "b"}
    assert all(n >= 0 for n in table.attrs["n_rejected"].values())


def test_window_collocates_by_hand():
    tokens = [["甲", "乙", "丙", "丁", "甲", "乙", "戊", "己"]]
    table = concordance.window_collocates(tokens, "甲", window=1, min_count=1, keep=lambda t: True).set_index("collocate")
    # 甲 occurs twice; within one token: 乙 twice (right), 丁 once (left of the second 甲).
    assert table.loc["乙", "count"] == 2 and table.loc["丁", "count"] == 1
    assert table.loc["乙", "logdice"] == pytest.approx(14 + np.log2(2 * 2 / (2 + 2)))
    expected = 2 * 2 * 2 / 8  # f_node · f_coll · 2w / N
    assert table.loc["乙", "expected"] == pytest.approx(expected)
    assert table.loc["乙", "mi"] == pytest.approx(np.log2(2 / expected))
    assert table.loc["乙", "t_score"] == pytest.approx((2 - expected) / np.sqrt(2))
    assert "丙" not in table.index and table.attrs["node_freq"] == 2


def test_window_collocates_of_an_absent_node_is_empty():
    assert concordance.window_collocates([["甲", "乙"]], "无").empty


def statements() -> pd.DataFrame:
    return pd.DataFrame({"speech_id": ["s1", "s2"], "province": ["北京", None],
                         "date": pd.to_datetime(["2021-05-01", None]),
                         "text": ["推进碳达峰，发展光伏和风电。", "坚持先立后破，推进碳中和。"]})


def test_kwic_lines_for_several_terms_and_a_regex():
    lines = concordance.kwic_lines(statements(), ["碳达峰", "碳中和"], width=4)
    assert lines["keyword"].tolist() == ["碳达峰", "碳中和"]
    assert lines["province"].tolist() == ["北京", "中央"] and lines["speech_id"].tolist() == ["s1", "s2"]
    regex = concordance.kwic_lines(statements(), r"碳(?:达峰|中和)", regex=True)
    assert regex["keyword"].tolist() == ["碳达峰", "碳中和"]


def test_kwic_lines_sort_by_context():
    frame = pd.DataFrame({"speech_id": ["a", "b"], "province": ["北京", "上海"], "date": pd.NaT,
                          "text": ["乙甲光伏丙", "丁甲光伏乙"]})
    by_right = concordance.kwic_lines(frame, "光伏", sort="right")
    assert by_right["right"].tolist() == ["丙", "乙"]  # U+4E19 < U+4E59
    by_left = concordance.kwic_lines(frame, "光伏", sort="left")
    # Left contexts read outward from the keyword: 甲乙 (a) and 甲丁 (b); 丁 U+4E01 < 乙 U+4E59.
    assert by_left["speech_id"].tolist() == ["b", "a"]


def test_dispersion_positions_and_statements_without_terms():
    table = concordance.dispersion(statements(), ["光伏", "碳达峰"])
    found = table.dropna(subset=["term"])
    assert found["term"].tolist() == ["碳达峰", "光伏"]
    assert found["relative"].iloc[0] == pytest.approx(2 / 14)
    assert table[table["speech_id"] == "s2"]["term"].isna().all()


def test_term_figures_draw_with_chinese_glyphs():
    import matplotlib

    matplotlib.use("Agg")
    from shuangtan import plots

    plots.use_chinese_font()
    frame = statements()
    keys = pd.DataFrame({"group": ["北京", "北京"], "term": ["光伏", "风电"], "log_ratio": [2.0, 1.5],
                         "statistic": [12.0, 8.0]})
    tokens = [tokenize(text, keep_stopwords=True) for text in frame["text"]]
    figures = [
        plots.term_panels({"甲": pd.Series({"碳达峰": 3, "光伏": 1}), "空": pd.Series(dtype=float)}),
        plots.keyness_grid(keys, order=["北京", "上海"], colors={"北京": "#1b9e77"}),
        plots.collocate_bars(concordance.window_collocates(tokens, "推进", min_count=1), "推进"),
        plots.collocate_bars(concordance.window_collocates(tokens, "无此词"), "无此词"),
        plots.dispersion_plot(concordance.dispersion(frame, ["碳达峰", "光伏"])),
        plots.contrast_cloud({"光伏": 1.0, "风电": -1.0}, {"光伏": 3, "风电": 2}, labels=("中央", "省级")),
    ]
    for fig in figures:
        fig.canvas.draw()
    labels = sorted(figures[1].axes[0].get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in labels] == ["光伏", "风电"]  # strongest key term on top


def test_term_corpus_views_counts_and_summary():
    frame = statements().assign(level=["provincial", "central"], speaker=[None, None],
                                duplicate_of=["", ""])
    frame = pd.concat([frame, frame.iloc[[0]].assign(speech_id="s3", duplicate_of="s1")], ignore_index=True)
    corpus = term_corpus.prepare_terms(frame)
    assert corpus.speeches["speech_id"].tolist() == ["s1", "s2"]  # the reprint counts once
    assert corpus.speeches["group"].tolist() == ["北京", "中央"]
    by_level = corpus.counts_by("level")
    assert by_level["provincial"]["光伏"] == 1 and "光伏" not in by_level["central"]
    assert "光伏" not in corpus.counts_by("level", exclude={"光伏"})["provincial"]
    overview = term_corpus.level_overview(corpus).set_index("level")
    assert overview.loc["provincial", "statements"] == 1
    key = terms.keyness_by_group(by_level, top=None, min_count=1)
    summary = term_corpus.terms_summary(corpus, level_key=key, province_key=key.iloc[0:0], collocates=pd.DataFrame(),
                                  node="能源", pairs=pd.DataFrame(), candidates=None)
    text = summary.markdown()
    assert "2 statements (1 central, 1 provincial from 1 province)" in text
    assert "nan" not in text.lower()
