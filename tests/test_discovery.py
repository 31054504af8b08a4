"""Tests for shuangtan.discovery: candidate terms by cohesion and boundary freedom, accepting terms."""

from __future__ import annotations

import pytest

from shuangtan import discovery
from shuangtan.tokens import tokenize

# A made-up four-character term (no dictionary knows it) in many different contexts.
TERM = "氪氙钚铱"
CONTEXTS = ["甲乙", "丙丁", "戊己", "庚辛", "壬癸", "子丑", "寅卯", "辰巳"]
TEXTS = [f"{left}{TERM}{right}。" for left, right in zip(CONTEXTS, CONTEXTS[::-1])]


def test_a_cohesive_free_term_is_found_whole():
    table = discovery.discover_terms(TEXTS, min_freq=3, min_pmi=1.0, min_entropy=1.0)
    assert TERM in set(table["term"])
    row = table.set_index("term").loc[TERM]
    assert row["freq"] == len(TEXTS)
    assert row["left_entropy"] == pytest.approx(3.0) and row["right_entropy"] == pytest.approx(3.0)  # 8 neighbours
    # Its pieces only ever occur inside it, so they are not proposed.
    for fragment in ("氪氙", "氙钚铱", "钚铱"):
        assert fragment not in set(table["term"])


def test_a_fragment_with_one_neighbour_has_no_boundary_freedom():
    texts = [f"{c}{TERM}末，" for c in "甲乙丙丁戊己"]  # TERM is always followed by 末
    table = discovery.discover_terms(texts, min_freq=3, min_pmi=1.0, min_entropy=1.0)
    assert TERM not in set(table["term"])  # right entropy 0: a fragment
    assert f"{TERM}末" in set(table["term"])  # the whole unit is free on both sides


def test_known_words_are_left_out_unless_asked():
    texts = [f"{c}碳达峰{d}。" for c, d in zip("甲乙丙丁戊己", "子丑寅卯辰巳")]
    assert "碳达峰" not in set(discovery.discover_terms(texts, min_pmi=0.5)["term"])
    known = discovery.discover_terms(texts, min_pmi=0.5, include_known=True).set_index("term")
    assert bool(known.loc["碳达峰", "known"])


def test_empty_corpus_gives_an_empty_table():
    table = discovery.discover_terms([])
    assert table.empty and list(table.columns) == discovery.COLUMNS


def test_accept_terms_appends_once(tmp_path):
    path = tmp_path / "user_terms.txt"
    assert discovery.accept_terms(["煤电机组", "排放强度", "煤电机组", "有 空格", "#注释", "一"], path=path) == ["煤电机组", "排放强度"]
    assert discovery.accept_terms(["排放强度", "源网荷储"], path=path) == ["源网荷储"]
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert lines == ["煤电机组", "排放强度", "源网荷储"]


def test_accept_terms_defaults_to_the_outputs_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SHUANGTAN_OUTPUTS", str(tmp_path))
    discovery.accept_terms(["新词测试"])
    assert (tmp_path / "user_terms.txt").read_text(encoding="utf-8").endswith("新词测试\n")


FIELD_TERMS = ["排放强度", "碳排放强度", "煤电机组", "能源结构", "能源消费总量", "煤炭消费总量", "非化石能源",
               "新型电力系统", "抽水蓄能", "绿色金融", "碳减排支持工具", "淘汰落后产能", "绿电交易"]
FRAMES = ["优化{}", "降低{}是关键", "我省{}持续改善", "加快{}转型", "“{}”", "推进{}和", "{}。", "严格控制{}，"]


@pytest.mark.parametrize("term", FIELD_TERMS)
def test_field_terms_come_out_whole_in_every_frame(term):
    for frame in FRAMES:
        sentence = frame.format(term)
        assert term in tokenize(sentence, keep_stopwords=True), (sentence, tokenize(sentence, keep_stopwords=True))


def test_seed_discovery_proposes_field_phrases(seed_corpus):
    table = discovery.discover_terms(seed_corpus.speeches["text"])
    assert not table["known"].any()
    # Read in the seeds: 政策体系 (1+N 政策体系) and 绿色低碳转型 recur in many statements, and jieba splits both.
    assert {"政策体系", "绿色低碳转型"} <= set(table["term"])


def test_edge_entropies_and_examples_agree_with_a_count_at_every_position(seed_corpus):
    """The neighbours read off the n-gram counts are those seen at each occurrence, run edges included."""
    import math
    import re
    from collections import Counter

    texts = seed_corpus.speeches["text"].tolist()
    table = discovery.discover_terms(texts, include_known=True).set_index("term")
    runs = [run for text in texts for run in re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]+", text)]

    def entropy(term: str, side: int) -> float:
        neighbours, edges = Counter(), 0
        for run in runs:
            for at in (m.start() for m in re.finditer(f"(?={re.escape(term)})", run)):
                where = at - 1 if side < 0 else at + len(term)
                if 0 <= where < len(run):
                    neighbours[run[where]] += 1
                else:
                    edges += 1
        total = sum(neighbours.values()) + edges
        return -sum(c / total * math.log2(c / total) for c in neighbours.values()) - edges / total * math.log2(1 / total)

    assert len(table) >= 5
    for term in table.index[:25]:
        assert table.loc[term, "left_entropy"] == pytest.approx(entropy(term, -1))
        assert table.loc[term, "right_entropy"] == pytest.approx(entropy(term, +1))
        first = next(run for run in runs if term in run)
        assert term in table.loc[term, "example"] and table.loc[term, "example"] in first
